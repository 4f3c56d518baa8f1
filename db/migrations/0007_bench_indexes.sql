-- Indexes for the national-scale benchmarks (./chargeasset bench, 1,000,000 piles).
--
-- The pile list filtered by city + state + manufacturer (/asset/piles?city_id=&state=
-- &manufacturer_id=) runs a COUNT(*) and a page query joining products, stations and
-- warehouses.  The city test is COALESCE(st.city_id, w.city_id) = ?, which no index can
-- serve, so EXPLAIN shows the optimizer driving from the manufacturer's products through
-- ix_piles_product (product_id, state) and then reading every matching pile row (about
-- 200,000 for one manufacturer) only to fetch station_id and warehouse_id for the joins.
-- Extending that index with station_id and warehouse_id makes the piles side of both
-- queries index-only ("Using index"); the leading columns are unchanged, so every query
-- and the product foreign key that used the old index still do.
--
-- The other two measured requests need nothing new: a pile looked up by code goes through
-- the list's q filter (LIKE '%code%' on code and serial_no, which no B-tree index helps;
-- see the bench output), and the station map data uses ix_stations_company plus
-- ix_piles_station for its per-station counts.
ALTER TABLE piles
  DROP KEY ix_piles_product,
  ADD KEY ix_piles_product (product_id, state, station_id, warehouse_id);
