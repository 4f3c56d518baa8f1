-- The station list on the plan of the pile list (issue 9; crud.c, plan_rows): every sort ends
-- with the unique code and has an index in that order that carries every filter column (a page
-- of many stations walks it and stops), and each filter's index carries every sort key (a page
-- of few stations is found and sorted from it alone).  The name prefix search reads the name
-- from the same indexes.
ALTER TABLE stations
  DROP KEY ix_stations_company,
  DROP KEY ix_stations_city,
  DROP KEY ix_stations_lease,
  DROP KEY ix_stations_s_company,
  DROP KEY ix_stations_s_city,
  DROP KEY ix_stations_name,
  ADD KEY ix_stations_company (company_id, state, city_id, asset_nature, lease_end, name, code,
      company_name, city_name, expected_piles, commissioned_on),
  ADD KEY ix_stations_city (city_id, state, company_id, asset_nature, lease_end, name, code,
      company_name, city_name, expected_piles, commissioned_on),
  ADD KEY ix_stations_state (state, asset_nature, company_id, city_id, lease_end, name, code,
      company_name, city_name, expected_piles, commissioned_on),
  ADD KEY ix_stations_lease (lease_end, company_id, state, city_id, asset_nature, name, code,
      company_name, city_name, expected_piles, commissioned_on),
  ADD KEY ix_stations_s_code (code, company_id, city_id, state, asset_nature, lease_end, name),
  ADD KEY ix_stations_s_name (name, code, company_id, city_id, state, asset_nature, lease_end),
  ADD KEY ix_stations_s_company (company_name, code, company_id, city_id, state, asset_nature,
      lease_end, name),
  ADD KEY ix_stations_s_city (city_name, code, company_id, city_id, state, asset_nature,
      lease_end, name),
  ADD KEY ix_stations_s_state (state, code, company_id, city_id, asset_nature, lease_end, name),
  ADD KEY ix_stations_s_piles (expected_piles, code, company_id, city_id, state, asset_nature,
      lease_end, name),
  ADD KEY ix_stations_s_commissioned (commissioned_on, code, company_id, city_id, state,
      asset_nature, lease_end, name),
  ADD KEY ix_stations_s_lease (lease_end, code, company_id, city_id, state, asset_nature, name);
