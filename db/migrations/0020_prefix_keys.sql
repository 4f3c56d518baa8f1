-- Walks that start where a filter's rows start (issue 9; crud.c, resource.prefixes): a deep
-- page of one city's, one company's or one manufacturer's piles in code order (the default
-- sort) walked the whole code index for them (a city's 25,000 piles at page 100: 200,000
-- entries); with the filter's column before the code the walk reads the page's own entries.
-- The version list likewise: its check (vflags) always set, alone or with a manufacturer.
-- Each index carries the other filter columns (checked while walking) and the version list's
-- (ix_piles_vmaker also answers the count of a check, manufacturer and versions).
ALTER TABLE piles
  ADD KEY ix_piles_city_code (city_id, code, state, company_id, manufacturer_id, product_id,
      rated_power_kw, warranty_end, sw_version, hw_version, vflags),
  ADD KEY ix_piles_company_code (company_id, code, state, city_id, manufacturer_id, product_id,
      rated_power_kw, warranty_end, sw_version, hw_version, vflags),
  ADD KEY ix_piles_maker_code (manufacturer_id, code, state, company_id, city_id, product_id,
      rated_power_kw, warranty_end, sw_version, hw_version, vflags),
  ADD KEY ix_piles_vcheck_code (vflags, code, state, company_id, city_id, manufacturer_id,
      product_id, warranty_end, sw_version, hw_version),
  ADD KEY ix_piles_vmaker (vflags, manufacturer_id, code, state, company_id, city_id, product_id,
      warranty_end, sw_version, hw_version, rated_power_kw);
