-- Stations and their sub-assets (F4.1), and the asset ledger (DESIGN.md, Data).
-- A station's state follows 立项 approved → 施工 building → 运营 operating ⇄
-- 停运 suspended → 撤站 closed; the date each state was entered is kept on the
-- station, and every create and state change is also an event in asset_events,
-- written in the same transaction.

CREATE TABLE stations (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(32) NOT NULL,
  name VARCHAR(100) NOT NULL,
  company_id BIGINT NOT NULL,           -- city company responsible (data scope)
  city_id BIGINT NOT NULL,
  address VARCHAR(200) NULL,
  lat DECIMAL(9,6) NULL,                -- WGS-84
  lng DECIMAL(9,6) NULL,
  state VARCHAR(16) NOT NULL DEFAULT 'approved',
  approved_on DATE NULL,
  building_on DATE NULL,
  operating_on DATE NULL,
  suspended_on DATE NULL,
  closed_on DATE NULL,
  asset_nature VARCHAR(32) NULL,        -- dict asset_nature
  owner_company_id BIGINT NULL,         -- 资产归属
  operator_company_id BIGINT NULL,      -- 运营归属
  expected_piles INT NOT NULL DEFAULT 0,-- 应有桩数
  commissioned_on DATE NULL,            -- 投运日期
  lessor_id BIGINT NULL,                -- site lease
  lease_start DATE NULL,
  lease_end DATE NULL,
  staff VARCHAR(50) NULL,               -- responsible staff
  staff_phone VARCHAR(30) NULL,
  note VARCHAR(500) NULL,
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_stations_code (code),
  KEY ix_stations_company (company_id, state, name),
  KEY ix_stations_city (city_id, state),
  KEY ix_stations_lease (lease_end),
  CONSTRAINT fk_stations_company FOREIGN KEY (company_id) REFERENCES companies (id),
  CONSTRAINT fk_stations_city FOREIGN KEY (city_id) REFERENCES cities (id),
  CONSTRAINT fk_stations_owner FOREIGN KEY (owner_company_id) REFERENCES companies (id),
  CONSTRAINT fk_stations_operator FOREIGN KEY (operator_company_id) REFERENCES companies (id),
  CONSTRAINT fk_stations_lessor FOREIGN KEY (lessor_id) REFERENCES companies (id),
  CONSTRAINT ck_stations_state CHECK (state IN ('approved', 'building', 'operating', 'suspended', 'closed'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Sub-assets of a station: one shared shape, each kind using its own columns.
--   cable: model, length_m      canopy: area_m2      transformer: capacity_kva
--   lv_works (弱电监控) and civil_works (基建工程): contractor, cost, completed_on
CREATE TABLE sub_assets (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  station_id BIGINT NOT NULL,
  kind VARCHAR(16) NOT NULL,
  name VARCHAR(100) NOT NULL,
  model VARCHAR(64) NULL,
  length_m DECIMAL(10,2) NULL,
  area_m2 DECIMAL(10,2) NULL,
  capacity_kva DECIMAL(10,2) NULL,
  contractor VARCHAR(100) NULL,
  cost DECIMAL(14,2) NULL,
  completed_on DATE NULL,
  note VARCHAR(500) NULL,
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  KEY ix_sub_station (station_id, kind),
  KEY ix_sub_kind (kind),
  CONSTRAINT fk_sub_station FOREIGN KEY (station_id) REFERENCES stations (id),
  CONSTRAINT ck_sub_kind CHECK (kind IN ('cable', 'canopy', 'transformer', 'lv_works', 'civil_works'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The asset ledger: append-only events.  Piles and documents add their own
-- event kinds on top of this table, not beside it.
CREATE TABLE asset_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at DATETIME(6) NOT NULL,
  kind VARCHAR(24) NOT NULL,            -- station_create | station_state | station_delete | …
  station_id BIGINT NULL,
  from_state VARCHAR(16) NULL,
  to_state VARCHAR(16) NULL,
  user_id BIGINT NULL,
  request_id VARCHAR(24) NOT NULL,
  KEY ix_events_station (station_id, id),
  KEY ix_events_at (at)
  -- no foreign key: the ledger outlives a deleted station (station_delete)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
