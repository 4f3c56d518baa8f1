-- The data generation: a counter that every change of the reference tables raises, in the
-- same transaction (triggers below).  Workers read its sum together with the session (one
-- query) and keep the rows of SELECTs over these tables while the sum is unchanged
-- (cgi/core/db.c, result cache): option lists, list pages, counts, map data.
--
-- Sixteen rows and a connection writes its slot (CONNECTION_ID() % 16), so writing
-- transactions of different workers seldom queue on one hot row, while the sum read on every
-- request stays cheap (16 rows: ~20 us; 256 rows cost as much as the session join itself).
-- A committed change always raises the sum, a rolled-back one does not.  A bulk load may set @ca_bulk = 1 in its session
-- to skip the per-row counting and raise the counter once at the end (db/bench/national.sql).
--
-- FOREIGN KEY cascades do not fire triggers: no foreign key cascades into these tables.

CREATE TABLE data_gen (
  slot SMALLINT NOT NULL PRIMARY KEY,
  n BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO data_gen (slot, n) SELECT seq, 0 FROM seq_0_to_15;

CREATE TRIGGER tg_products_ai AFTER INSERT ON products FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_products_au AFTER UPDATE ON products FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_products_ad AFTER DELETE ON products FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;

CREATE TRIGGER tg_companies_ai AFTER INSERT ON companies FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_companies_au AFTER UPDATE ON companies FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_companies_ad AFTER DELETE ON companies FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;

CREATE TRIGGER tg_dict_items_ai AFTER INSERT ON dict_items FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_dict_items_au AFTER UPDATE ON dict_items FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_dict_items_ad AFTER DELETE ON dict_items FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;

CREATE TRIGGER tg_cities_ai AFTER INSERT ON cities FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_cities_au AFTER UPDATE ON cities FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_cities_ad AFTER DELETE ON cities FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;

CREATE TRIGGER tg_warehouses_ai AFTER INSERT ON warehouses FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_warehouses_au AFTER UPDATE ON warehouses FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_warehouses_ad AFTER DELETE ON warehouses FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;

CREATE TRIGGER tg_stations_ai AFTER INSERT ON stations FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_stations_au AFTER UPDATE ON stations FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_stations_ad AFTER DELETE ON stations FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;

CREATE TRIGGER tg_piles_ai AFTER INSERT ON piles FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_piles_au AFTER UPDATE ON piles FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;
CREATE TRIGGER tg_piles_ad AFTER DELETE ON piles FOR EACH ROW
  UPDATE data_gen SET n = n + 1 WHERE slot = CONNECTION_ID() % 16 AND @ca_bulk IS NULL;

-- The pile list's page query is a deferred join (cgi/core/crud.c): the 50 ids of a page are
-- picked over the count query's tables, ordered by the sort.  With the asset code in
-- ix_piles_product, a list filtered by manufacturer/product + state (+ city) and sorted by
-- code finds and sorts its ids from this index alone (EXPLAIN: "Using index"), then reads 50
-- rows: ~0.3 s instead of ~2 s at 1,000,000 piles, and the capped count is index-only too.
ALTER TABLE piles
  DROP KEY ix_piles_product,
  ADD KEY ix_piles_product (product_id, state, station_id, warehouse_id, code);
