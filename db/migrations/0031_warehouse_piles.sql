-- What is in a warehouse (issue 10): the pile list's warehouse filter and the warehouse list's
-- stock counts.  ix_piles_warehouse (warehouse_id, state) of migration 0004 found a warehouse's
-- piles, but the list then read each pile's row for its code, the scope's company and every
-- other sort key and filter (about 5 us a pile in memory, far more cold).  Its replacement
-- carries what ix_piles_city does, with the code right after the warehouse, so that
--   * the count of a warehouse's piles (the list's capped count and the warehouse list's count
--     per row) is one range of this index, in the user's scope or not;
--   * a warehouse of few piles is found and sorted from this index alone (crud.c's few plan);
--   * a deep page of a large warehouse in code order (the default sort) walks its own entries
--     (resource.prefixes in cgi/asset/pile.c), as ix_piles_city_code does for a city.
-- It still starts with warehouse_id, so it also serves fk_piles_warehouse.
ALTER TABLE piles
  DROP KEY ix_piles_warehouse,
  ADD KEY ix_piles_warehouse (warehouse_id, code, state, company_id, city_id, manufacturer_id,
      product_id, rated_power_kw, warranty_end, sw_version, hw_version, vflags, model,
      manufacturer_name, company_name, sw_key, hw_key, place_code);
