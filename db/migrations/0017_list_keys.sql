-- The pile list at national scale, cold: the sort keys in the filters' indexes too.
--
-- A filter that leaves few piles (up to crud.c's CRUD_PLAN_SMALL) is answered from its
-- filter's index and the rows are then sorted.  Without the sort key in that index, each row
-- is read from the table for it: about 5 us a pile when the table is in memory, 100 ms for
-- 20,000 piles, and far more when it is not.  So the filter indexes (company, city,
-- manufacturer, product) and the code index (the q prefix filter) carry every sort key of
-- the list (code, model, manufacturer and company names, rated power, state, software
-- version, warranty end) and every usual filter, and such a page is read from one index.

ALTER TABLE piles
  DROP KEY ix_piles_company,
  DROP KEY ix_piles_city,
  DROP KEY ix_piles_maker,
  DROP KEY ix_piles_product,
  DROP KEY ix_piles_s_code,
  ADD KEY ix_piles_company (company_id, state, city_id, manufacturer_id, product_id, rated_power_kw,
    warranty_end, sw_version, code, model, manufacturer_name, company_name),
  ADD KEY ix_piles_city (city_id, state, manufacturer_id, product_id, company_id, rated_power_kw,
    warranty_end, sw_version, code, model, manufacturer_name, company_name),
  ADD KEY ix_piles_maker (manufacturer_id, state, city_id, product_id, company_id, rated_power_kw,
    warranty_end, sw_version, code, model, manufacturer_name, company_name),
  ADD KEY ix_piles_product (product_id, state, city_id, station_id, warehouse_id, company_id,
    rated_power_kw, warranty_end, sw_version, code, model, manufacturer_name, company_name),
  ADD KEY ix_piles_s_code (code, company_id, state, city_id, manufacturer_id, product_id,
    rated_power_kw, warranty_end, sw_version, model, manufacturer_name, company_name);

-- The station list sorts by its company's and its city's name: copies of both on the
-- station, kept true by triggers on every path (as migration 0016 does for piles), each
-- with an index (name, code) that the page's ids are read from in order.
ALTER TABLE stations
  ADD COLUMN company_name VARCHAR(100) NULL AFTER company_id,
  ADD COLUMN city_name VARCHAR(64) NULL AFTER city_id;

SET @ca_bulk = 1;
UPDATE stations s JOIN companies co ON co.id = s.company_id JOIN cities ci ON ci.id = s.city_id
SET s.company_name = co.name, s.city_name = ci.name;
SET @ca_bulk = NULL;

DELIMITER //
CREATE TRIGGER tg_stations_bi_list BEFORE INSERT ON stations FOR EACH ROW
BEGIN
  SET NEW.company_name = (SELECT name FROM companies WHERE id = NEW.company_id),
      NEW.city_name = (SELECT name FROM cities WHERE id = NEW.city_id);
END//

CREATE TRIGGER tg_stations_bu_list BEFORE UPDATE ON stations FOR EACH ROW
BEGIN
  IF NOT (NEW.company_id <=> OLD.company_id) THEN
    SET NEW.company_name = (SELECT name FROM companies WHERE id = NEW.company_id);
  END IF;
  IF NOT (NEW.city_id <=> OLD.city_id) THEN
    SET NEW.city_name = (SELECT name FROM cities WHERE id = NEW.city_id);
  END IF;
END//

CREATE TRIGGER tg_companies_au_stations AFTER UPDATE ON companies FOR EACH ROW
BEGIN
  IF NOT (NEW.name <=> OLD.name) THEN
    UPDATE stations SET company_name = NEW.name WHERE company_id = NEW.id;
  END IF;
END//

CREATE TRIGGER tg_cities_au_stations AFTER UPDATE ON cities FOR EACH ROW
BEGIN
  IF NOT (NEW.name <=> OLD.name) THEN
    UPDATE stations SET city_name = NEW.name WHERE city_id = NEW.id;
  END IF;
END//
DELIMITER ;

ALTER TABLE stations
  ADD KEY ix_stations_s_company (company_name, code),
  ADD KEY ix_stations_s_city (city_name, code);

-- The q filter matches codes and names that start with the text (two index ranges).
ALTER TABLE stations ADD KEY ix_stations_name (name);

-- The version check of every pile (版本管理, cgi/asset/version.c), kept with the pile so that
-- the lists "below target", "unknown version", "at target" and "no target" are index ranges
-- instead of a comparison with the product's targets on every row.  v_sw and v_hw are each
-- side against its target: none (no target), unknown (the pile's version is not one), below,
-- ok.  vflags sums them up for the lists: 1 below on a side, 2 unknown on a side (3 both),
-- 4 ok, 8 no target.  Triggers keep them true when a pile's product or versions change and
-- when a product's targets change.  (vflags is not a generated column: MariaDB computes
-- those before a BEFORE trigger has set v_sw and v_hw.)
ALTER TABLE piles
  ADD COLUMN v_sw VARCHAR(8) CHARACTER SET ascii NOT NULL DEFAULT 'none',
  ADD COLUMN v_hw VARCHAR(8) CHARACTER SET ascii NOT NULL DEFAULT 'none',
  ADD COLUMN vflags TINYINT NOT NULL DEFAULT 8;

SET @ca_bulk = 1;
UPDATE piles p JOIN product_versions pv ON pv.product_id = p.product_id
SET p.v_sw = CASE WHEN pv.sw_key IS NULL THEN 'none' WHEN p.sw_key IS NULL THEN 'unknown'
                      WHEN p.sw_key < pv.sw_key THEN 'below' ELSE 'ok' END,
    p.v_hw = CASE WHEN pv.hw_key IS NULL THEN 'none' WHEN p.hw_key IS NULL THEN 'unknown'
                      WHEN p.hw_key < pv.hw_key THEN 'below' ELSE 'ok' END;
UPDATE piles SET vflags = CASE
      WHEN v_sw = 'none' AND v_hw = 'none' THEN 8
      WHEN v_sw IN ('below', 'unknown') OR v_hw IN ('below', 'unknown')
        THEN IF(v_sw = 'below' OR v_hw = 'below', 1, 0) + IF(v_sw = 'unknown' OR v_hw = 'unknown', 2, 0)
      ELSE 4 END;
SET @ca_bulk = NULL;

DELIMITER //
CREATE TRIGGER tg_piles_bi_version BEFORE INSERT ON piles FOR EACH ROW
BEGIN
  DECLARE tsw, thw VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin;
  SET tsw = (SELECT sw_key FROM product_versions WHERE product_id = NEW.product_id),
      thw = (SELECT hw_key FROM product_versions WHERE product_id = NEW.product_id);
  SET NEW.v_sw = CASE WHEN tsw IS NULL THEN 'none' WHEN NEW.sw_key IS NULL THEN 'unknown'
                      WHEN NEW.sw_key < tsw THEN 'below' ELSE 'ok' END,
      NEW.v_hw = CASE WHEN thw IS NULL THEN 'none' WHEN NEW.hw_key IS NULL THEN 'unknown'
                      WHEN NEW.hw_key < thw THEN 'below' ELSE 'ok' END;
  SET NEW.vflags = CASE
      WHEN NEW.v_sw = 'none' AND NEW.v_hw = 'none' THEN 8
      WHEN NEW.v_sw IN ('below', 'unknown') OR NEW.v_hw IN ('below', 'unknown')
        THEN IF(NEW.v_sw = 'below' OR NEW.v_hw = 'below', 1, 0) + IF(NEW.v_sw = 'unknown' OR NEW.v_hw = 'unknown', 2, 0)
      ELSE 4 END;
END//

-- Also on the updates of the triggers below, which set v_sw and v_hw.
CREATE TRIGGER tg_piles_bu_version BEFORE UPDATE ON piles FOR EACH ROW
BEGIN
  DECLARE tsw, thw VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin;
  IF NOT (NEW.product_id <=> OLD.product_id AND NEW.sw_key <=> OLD.sw_key
          AND NEW.hw_key <=> OLD.hw_key) THEN
    SET tsw = (SELECT sw_key FROM product_versions WHERE product_id = NEW.product_id),
        thw = (SELECT hw_key FROM product_versions WHERE product_id = NEW.product_id);
    SET NEW.v_sw = CASE WHEN tsw IS NULL THEN 'none' WHEN NEW.sw_key IS NULL THEN 'unknown'
                      WHEN NEW.sw_key < tsw THEN 'below' ELSE 'ok' END,
        NEW.v_hw = CASE WHEN thw IS NULL THEN 'none' WHEN NEW.hw_key IS NULL THEN 'unknown'
                      WHEN NEW.hw_key < thw THEN 'below' ELSE 'ok' END;
  END IF;
  SET NEW.vflags = CASE
      WHEN NEW.v_sw = 'none' AND NEW.v_hw = 'none' THEN 8
      WHEN NEW.v_sw IN ('below', 'unknown') OR NEW.v_hw IN ('below', 'unknown')
        THEN IF(NEW.v_sw = 'below' OR NEW.v_hw = 'below', 1, 0) + IF(NEW.v_sw = 'unknown' OR NEW.v_hw = 'unknown', 2, 0)
      ELSE 4 END;
END//

CREATE TRIGGER tg_product_versions_ai_piles AFTER INSERT ON product_versions FOR EACH ROW
  UPDATE piles SET
    v_sw = CASE WHEN NEW.sw_key IS NULL THEN 'none' WHEN sw_key IS NULL THEN 'unknown'
                      WHEN sw_key < NEW.sw_key THEN 'below' ELSE 'ok' END,
    v_hw = CASE WHEN NEW.hw_key IS NULL THEN 'none' WHEN hw_key IS NULL THEN 'unknown'
                      WHEN hw_key < NEW.hw_key THEN 'below' ELSE 'ok' END
  WHERE product_id = NEW.product_id//

CREATE TRIGGER tg_product_versions_au_piles AFTER UPDATE ON product_versions FOR EACH ROW
  UPDATE piles SET
    v_sw = CASE WHEN NEW.sw_key IS NULL THEN 'none' WHEN sw_key IS NULL THEN 'unknown'
                      WHEN sw_key < NEW.sw_key THEN 'below' ELSE 'ok' END,
    v_hw = CASE WHEN NEW.hw_key IS NULL THEN 'none' WHEN hw_key IS NULL THEN 'unknown'
                      WHEN hw_key < NEW.hw_key THEN 'below' ELSE 'ok' END
  WHERE product_id = NEW.product_id//

CREATE TRIGGER tg_product_versions_ad_piles AFTER DELETE ON product_versions FOR EACH ROW
  UPDATE piles SET v_sw = 'none', v_hw = 'none' WHERE product_id = OLD.product_id//
DELIMITER ;

-- The list indexes carry the check too, so a version list of many piles walks its sort's
-- index in order and one of few piles is read from its filter's index, as the pile list is.
ALTER TABLE piles
  DROP KEY ix_piles_city,
  DROP KEY ix_piles_company,
  DROP KEY ix_piles_maker,
  DROP KEY ix_piles_product,
  DROP KEY ix_piles_s_code,
  DROP KEY ix_piles_s_company,
  DROP KEY ix_piles_s_maker,
  DROP KEY ix_piles_s_model,
  DROP KEY ix_piles_s_power,
  DROP KEY ix_piles_s_state,
  DROP KEY ix_piles_s_sw,
  DROP KEY ix_piles_s_warranty,
  ADD KEY ix_piles_city (city_id, state, manufacturer_id, product_id, company_id, rated_power_kw,
    warranty_end, sw_version, code, model, manufacturer_name, company_name, vflags),
  ADD KEY ix_piles_company (company_id, state, city_id, manufacturer_id, product_id, rated_power_kw,
    warranty_end, sw_version, code, model, manufacturer_name, company_name, vflags),
  ADD KEY ix_piles_maker (manufacturer_id, state, city_id, product_id, company_id, rated_power_kw,
    warranty_end, sw_version, code, model, manufacturer_name, company_name, vflags),
  ADD KEY ix_piles_product (product_id, state, city_id, station_id, warehouse_id, company_id,
    rated_power_kw, warranty_end, sw_version, code, model, manufacturer_name, company_name, vflags),
  ADD KEY ix_piles_s_code (code, company_id, state, city_id, manufacturer_id, product_id,
    rated_power_kw, warranty_end, sw_version, model, manufacturer_name, company_name, vflags),
  ADD KEY ix_piles_s_company (company_name, code, company_id, state, city_id, manufacturer_id,
    product_id, rated_power_kw, warranty_end, sw_version, vflags),
  ADD KEY ix_piles_s_maker (manufacturer_name, code, company_id, state, city_id, manufacturer_id,
    product_id, rated_power_kw, warranty_end, sw_version, vflags),
  ADD KEY ix_piles_s_model (model, code, company_id, state, city_id, manufacturer_id, product_id,
    rated_power_kw, warranty_end, sw_version, vflags),
  ADD KEY ix_piles_s_power (rated_power_kw, code, company_id, state, city_id, manufacturer_id,
    product_id, warranty_end, sw_version, vflags),
  ADD KEY ix_piles_s_state (state, code, company_id, city_id, manufacturer_id, product_id,
    rated_power_kw, warranty_end, sw_version, vflags),
  ADD KEY ix_piles_s_sw (sw_version, code, company_id, state, city_id, manufacturer_id, product_id,
    rated_power_kw, warranty_end, vflags),
  ADD KEY ix_piles_s_warranty (warranty_end, code, company_id, state, city_id, manufacturer_id,
    product_id, rated_power_kw, sw_version, vflags),
  ADD KEY ix_piles_s_swkey (sw_key, sw_version, code, vflags, state, company_id, city_id,
    manufacturer_id, product_id, warranty_end),
  ADD KEY ix_piles_s_hwkey (hw_key, hw_version, code, vflags, state, company_id, city_id,
    manufacturer_id, product_id, warranty_end),
  ADD KEY ix_piles_vcheck (vflags, state, company_id, city_id, manufacturer_id, product_id,
    code, model, manufacturer_name, company_name, sw_key, sw_version, hw_key, hw_version, warranty_end);

-- The version list sorts by where a pile is: the code of its station, else of its warehouse,
-- kept with the pile (as the names of migration 0016) with an index for that sort.
ALTER TABLE piles ADD COLUMN place_code VARCHAR(32) NULL AFTER warehouse_id;

SET @ca_bulk = 1;
UPDATE piles p LEFT JOIN stations st ON st.id = p.station_id
  LEFT JOIN warehouses w ON w.id = p.warehouse_id
SET p.place_code = COALESCE(st.code, w.code);
SET @ca_bulk = NULL;

DELIMITER //
CREATE TRIGGER tg_piles_bi_place BEFORE INSERT ON piles FOR EACH ROW
  SET NEW.place_code = COALESCE((SELECT code FROM stations WHERE id = NEW.station_id),
                                (SELECT code FROM warehouses WHERE id = NEW.warehouse_id))//

CREATE TRIGGER tg_piles_bu_place BEFORE UPDATE ON piles FOR EACH ROW
BEGIN
  IF NOT (NEW.station_id <=> OLD.station_id AND NEW.warehouse_id <=> OLD.warehouse_id) THEN
    SET NEW.place_code = COALESCE((SELECT code FROM stations WHERE id = NEW.station_id),
                                  (SELECT code FROM warehouses WHERE id = NEW.warehouse_id));
  END IF;
END//

CREATE TRIGGER tg_stations_au_place AFTER UPDATE ON stations FOR EACH ROW
BEGIN
  IF NOT (NEW.code <=> OLD.code) THEN
    UPDATE piles SET place_code = NEW.code WHERE station_id = NEW.id;
  END IF;
END//

CREATE TRIGGER tg_warehouses_au_place AFTER UPDATE ON warehouses FOR EACH ROW
BEGIN
  IF NOT (NEW.code <=> OLD.code) THEN
    UPDATE piles SET place_code = NEW.code WHERE warehouse_id = NEW.id AND station_id IS NULL;
  END IF;
END//
DELIMITER ;

ALTER TABLE piles
  ADD KEY ix_piles_s_place (place_code, code, vflags, state, company_id, city_id, manufacturer_id,
    product_id, warranty_end);
