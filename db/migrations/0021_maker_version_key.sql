-- The version list's usual question, one manufacturer's piles of one software (and hardware)
-- version below target, as one range (issue 9): ix_piles_vmaker reads every pile of the maker
-- and check and looks at each one's version (150,000 entries for 5,700 rows); this index reads
-- the maker's piles of that version only.  The pile list's maker + software filter uses it too.
ALTER TABLE piles
  ADD KEY ix_piles_maker_ver (manufacturer_id, sw_version, hw_version, vflags, state, company_id,
      city_id, product_id, rated_power_kw, warranty_end, code, model, manufacturer_name,
      company_name, sw_key, hw_key, place_code);
