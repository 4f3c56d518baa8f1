-- The pile list at national scale, cold (no cache): every filter and sort from an index.
--
-- MariaDB orders rows from an index only when every ORDER BY column is of the table it scans,
-- and a filter on a joined table (the city of the station or warehouse, the product's
-- manufacturer) cannot narrow the piles index.  So the pile keeps, beside the ids it has,
-- what its lists filter and sort by: its city, its product's model, rated power and
-- manufacturer, and the names of that manufacturer and of its company.  Triggers keep them
-- true on every path (web, phone, import, documents, plain SQL): a pile takes them from its
-- product, company, station or warehouse when written, and a product, company, station or
-- warehouse passes a change on to its piles.  They are copies for lists only: no code
-- writes them.
--
-- Each sort has an index (sort key, code) that also carries the columns of the usual filters
-- (company, state, city, manufacturer), so a list of many piles walks that index in order
-- and reads only the 50 rows of its page (cgi/core/crud.c picks this plan when the filters
-- leave more than PLAN_SMALL piles; fewer are found through their filter's index and sorted).

ALTER TABLE piles
  ADD COLUMN city_id BIGINT NULL AFTER company_id,
  ADD COLUMN manufacturer_id BIGINT NULL AFTER product_id,
  ADD COLUMN model VARCHAR(64) NULL AFTER manufacturer_id,
  ADD COLUMN rated_power_kw DECIMAL(8,2) NULL AFTER model,
  ADD COLUMN manufacturer_name VARCHAR(100) NULL AFTER rated_power_kw,
  ADD COLUMN company_name VARCHAR(100) NULL AFTER city_id;

SET @ca_bulk = 1;
UPDATE piles p
  JOIN companies co ON co.id = p.company_id
  LEFT JOIN products pr ON pr.id = p.product_id
  LEFT JOIN companies m ON m.id = pr.manufacturer_id
  LEFT JOIN stations s ON s.id = p.station_id
  LEFT JOIN warehouses w ON w.id = p.warehouse_id
SET p.city_id = COALESCE(s.city_id, w.city_id), p.manufacturer_id = pr.manufacturer_id,
    p.model = pr.model, p.rated_power_kw = pr.rated_power_kw, p.manufacturer_name = m.name,
    p.company_name = co.name;
SET @ca_bulk = NULL;

DELIMITER //
CREATE TRIGGER tg_piles_bi_list BEFORE INSERT ON piles FOR EACH ROW
BEGIN
  SET NEW.company_name = (SELECT name FROM companies WHERE id = NEW.company_id);
  SET NEW.city_id = COALESCE((SELECT city_id FROM stations WHERE id = NEW.station_id),
                             (SELECT city_id FROM warehouses WHERE id = NEW.warehouse_id));
  SET NEW.manufacturer_id = (SELECT manufacturer_id FROM products WHERE id = NEW.product_id),
      NEW.model = (SELECT model FROM products WHERE id = NEW.product_id),
      NEW.rated_power_kw = (SELECT rated_power_kw FROM products WHERE id = NEW.product_id);
  SET NEW.manufacturer_name = (SELECT name FROM companies WHERE id = NEW.manufacturer_id);
END//

CREATE TRIGGER tg_piles_bu_list BEFORE UPDATE ON piles FOR EACH ROW
BEGIN
  IF NOT (NEW.company_id <=> OLD.company_id) THEN
    SET NEW.company_name = (SELECT name FROM companies WHERE id = NEW.company_id);
  END IF;
  IF NOT (NEW.station_id <=> OLD.station_id AND NEW.warehouse_id <=> OLD.warehouse_id) THEN
    SET NEW.city_id = COALESCE((SELECT city_id FROM stations WHERE id = NEW.station_id),
                               (SELECT city_id FROM warehouses WHERE id = NEW.warehouse_id));
  END IF;
  IF NOT (NEW.product_id <=> OLD.product_id) THEN
    SET NEW.manufacturer_id = (SELECT manufacturer_id FROM products WHERE id = NEW.product_id),
        NEW.model = (SELECT model FROM products WHERE id = NEW.product_id),
        NEW.rated_power_kw = (SELECT rated_power_kw FROM products WHERE id = NEW.product_id);
    SET NEW.manufacturer_name = (SELECT name FROM companies WHERE id = NEW.manufacturer_id);
  END IF;
END//

CREATE TRIGGER tg_products_au_piles AFTER UPDATE ON products FOR EACH ROW
BEGIN
  IF NOT (NEW.manufacturer_id <=> OLD.manufacturer_id AND NEW.model <=> OLD.model
          AND NEW.rated_power_kw <=> OLD.rated_power_kw) THEN
    UPDATE piles SET manufacturer_id = NEW.manufacturer_id, model = NEW.model,
        rated_power_kw = NEW.rated_power_kw,
        manufacturer_name = (SELECT name FROM companies WHERE id = NEW.manufacturer_id)
      WHERE product_id = NEW.id;
  END IF;
END//

CREATE TRIGGER tg_companies_au_piles AFTER UPDATE ON companies FOR EACH ROW
BEGIN
  IF NOT (NEW.name <=> OLD.name) THEN
    UPDATE piles SET company_name = NEW.name WHERE company_id = NEW.id;
    UPDATE piles SET manufacturer_name = NEW.name WHERE manufacturer_id = NEW.id;
  END IF;
END//

CREATE TRIGGER tg_stations_au_piles AFTER UPDATE ON stations FOR EACH ROW
BEGIN
  IF NOT (NEW.city_id <=> OLD.city_id) THEN
    UPDATE piles SET city_id = NEW.city_id WHERE station_id = NEW.id;
  END IF;
END//

CREATE TRIGGER tg_warehouses_au_piles AFTER UPDATE ON warehouses FOR EACH ROW
BEGIN
  IF NOT (NEW.city_id <=> OLD.city_id) THEN
    UPDATE piles SET city_id = NEW.city_id WHERE warehouse_id = NEW.id;
  END IF;
END//
DELIMITER ;

-- Filters: company, city, manufacturer and product, each with the other usual filters after it
-- (a count or a small list is then found and checked in the index alone).  Sorts: one index
-- each, covering the same filters (ix_piles_s_code serves the code sort for many rows).
ALTER TABLE piles
  DROP KEY ix_piles_warranty,
  DROP KEY ix_piles_company,
  DROP KEY ix_piles_product,
  ADD KEY ix_piles_company (company_id, state, city_id, manufacturer_id, product_id, rated_power_kw, warranty_end, sw_version),
  ADD KEY ix_piles_city (city_id, state, manufacturer_id, product_id, rated_power_kw, warranty_end, sw_version),
  ADD KEY ix_piles_maker (manufacturer_id, state, city_id, product_id, rated_power_kw, warranty_end, sw_version),
  ADD KEY ix_piles_product (product_id, state, city_id, station_id, warehouse_id, rated_power_kw, warranty_end, sw_version, code),
  ADD KEY ix_piles_s_code (code, company_id, state, city_id, manufacturer_id, product_id, rated_power_kw, warranty_end, sw_version),
  ADD KEY ix_piles_s_model (model, code, company_id, state, city_id, manufacturer_id, product_id, rated_power_kw, warranty_end, sw_version),
  ADD KEY ix_piles_s_maker (manufacturer_name, code, company_id, state, city_id, manufacturer_id, product_id, rated_power_kw, warranty_end, sw_version),
  ADD KEY ix_piles_s_power (rated_power_kw, code, company_id, state, city_id, manufacturer_id, product_id, warranty_end, sw_version),
  ADD KEY ix_piles_s_state (state, code, company_id, city_id, manufacturer_id, product_id, rated_power_kw, warranty_end, sw_version),
  ADD KEY ix_piles_s_company (company_name, code, company_id, state, city_id, manufacturer_id, product_id, rated_power_kw, warranty_end, sw_version),
  ADD KEY ix_piles_s_sw (sw_version, code, company_id, state, city_id, manufacturer_id, product_id, rated_power_kw, warranty_end),
  ADD KEY ix_piles_s_warranty (warranty_end, code, company_id, state, city_id, manufacturer_id, product_id, rated_power_kw, sw_version);
