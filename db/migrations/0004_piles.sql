-- Charging piles (F4), their place and state, the ledger columns piles need,
-- and automatically recorded anomalies (F4.20).
--
-- Pile states (cgi/model/pile.c holds the transitions):
--   in_stock 在库, installed 已安装, operating 运营, repair 维修中,
--   at_supplier 返厂维修, leased_out 出租, lent 借出, sold 已售出,
--   scrapped 已报废, lease_ended 已停租 (a leased-in pile given back).
-- A pile is at most in one place: a warehouse, a station, or an outside
-- party (lessee, buyer, supplier); `place` says which.

CREATE TABLE piles (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(32) NOT NULL,            -- asset code, printed in the QR label
  serial_no VARCHAR(64) NULL,           -- factory serial number
  product_id BIGINT NULL,               -- NULL until bound to a product
  state VARCHAR(16) NOT NULL DEFAULT 'in_stock',
  place VARCHAR(10) NOT NULL DEFAULT 'none',   -- none | warehouse | station | party
  warehouse_id BIGINT NULL,
  station_id BIGINT NULL,
  party_id BIGINT NULL,
  company_id BIGINT NOT NULL,           -- city company answering for it (data scope)
  owner_company_id BIGINT NULL,         -- 资产归属
  operator_company_id BIGINT NULL,      -- 运营归属
  leased_from_id BIGINT NULL,           -- leased in from (资产租用)
  sw_version VARCHAR(32) NULL,
  hw_version VARCHAR(32) NULL,
  comm_method VARCHAR(32) NULL,         -- dict comm_method
  charging_mode VARCHAR(32) NULL,       -- dict charging_mode
  tariff DECIMAL(8,4) NULL,             -- yuan per kWh
  commissioned_on DATE NULL,
  warranty_end DATE NULL,               -- from the product's warranty months
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_piles_code (code),
  KEY ix_piles_serial (serial_no),
  KEY ix_piles_company (company_id, state),
  KEY ix_piles_station (station_id, state),
  KEY ix_piles_warehouse (warehouse_id, state),
  KEY ix_piles_product (product_id, state),
  KEY ix_piles_warranty (warranty_end),
  CONSTRAINT fk_piles_product FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT fk_piles_warehouse FOREIGN KEY (warehouse_id) REFERENCES warehouses (id),
  CONSTRAINT fk_piles_station FOREIGN KEY (station_id) REFERENCES stations (id),
  CONSTRAINT fk_piles_party FOREIGN KEY (party_id) REFERENCES companies (id),
  CONSTRAINT fk_piles_company FOREIGN KEY (company_id) REFERENCES companies (id),
  CONSTRAINT fk_piles_owner FOREIGN KEY (owner_company_id) REFERENCES companies (id),
  CONSTRAINT fk_piles_operator FOREIGN KEY (operator_company_id) REFERENCES companies (id),
  CONSTRAINT fk_piles_leased_from FOREIGN KEY (leased_from_id) REFERENCES companies (id),
  CONSTRAINT ck_piles_state CHECK (state IN ('in_stock', 'installed', 'operating', 'repair',
    'at_supplier', 'leased_out', 'lent', 'sold', 'scrapped', 'lease_ended')),
  CONSTRAINT ck_piles_place CHECK (
    (place = 'none' AND warehouse_id IS NULL AND station_id IS NULL AND party_id IS NULL) OR
    (place = 'warehouse' AND warehouse_id IS NOT NULL AND station_id IS NULL AND party_id IS NULL) OR
    (place = 'station' AND station_id IS NOT NULL AND warehouse_id IS NULL AND party_id IS NULL) OR
    (place = 'party' AND party_id IS NOT NULL AND warehouse_id IS NULL AND station_id IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Pile events in the same ledger: the pile, and where it went from/to as
-- "warehouse:3", "station:12", "party:7" or "none".
ALTER TABLE asset_events
  ADD COLUMN pile_id BIGINT NULL AFTER station_id,
  ADD COLUMN from_place VARCHAR(24) NULL AFTER to_state,
  ADD COLUMN to_place VARCHAR(24) NULL AFTER from_place,
  ADD COLUMN detail VARCHAR(200) NULL AFTER to_place,
  ADD KEY ix_events_pile (pile_id, id);

CREATE TABLE anomalies (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(12) NOT NULL,            -- quantity | location | meter
  station_id BIGINT NULL,
  pile_id BIGINT NULL,
  status VARCHAR(8) NOT NULL DEFAULT 'open',   -- open | closed
  expected INT NULL,
  actual INT NULL,
  detail VARCHAR(200) NULL,
  opened_at DATETIME NOT NULL,
  closed_at DATETIME NULL,
  KEY ix_anomalies_open (kind, status, station_id),
  KEY ix_anomalies_station (station_id, id),
  CONSTRAINT ck_anomalies_kind CHECK (kind IN ('quantity', 'location', 'meter')),
  CONSTRAINT ck_anomalies_status CHECK (status IN ('open', 'closed'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
