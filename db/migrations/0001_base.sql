-- Base information (F1): companies, cities, products, warehouses, users,
-- roles, sessions, dictionaries and the update records (F4.21).
-- Every editable table carries `version` for optimistic locking: an edit
-- names the version it started from and is refused when it changed.

CREATE TABLE companies (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(32) NOT NULL,
  name VARCHAR(100) NOT NULL,
  kind VARCHAR(16) NOT NULL,            -- head | city | outside
  is_lessor TINYINT NOT NULL DEFAULT 0,
  is_lessee TINYINT NOT NULL DEFAULT 0,
  is_buyer TINYINT NOT NULL DEFAULT 0,
  is_supplier TINYINT NOT NULL DEFAULT 0,
  is_manufacturer TINYINT NOT NULL DEFAULT 0,
  contact VARCHAR(50) NULL,
  phone VARCHAR(30) NULL,
  address VARCHAR(200) NULL,
  note VARCHAR(500) NULL,
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_companies_code (code),
  UNIQUE KEY uq_companies_name (name),
  KEY ix_companies_kind (kind, name),
  CONSTRAINT ck_companies_kind CHECK (kind IN ('head', 'city', 'outside'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE cities (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(12) NOT NULL,            -- administrative division code
  name VARCHAR(50) NOT NULL,
  province VARCHAR(50) NOT NULL,
  company_id BIGINT NULL,               -- the city company that covers it
  lat DECIMAL(9,6) NULL,                -- WGS-84 centre
  lng DECIMAL(9,6) NULL,
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_cities_code (code),
  UNIQUE KEY uq_cities_name (province, name),
  KEY ix_cities_company (company_id),
  CONSTRAINT fk_cities_company FOREIGN KEY (company_id) REFERENCES companies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE dict_items (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dict VARCHAR(32) NOT NULL,            -- asset_nature | charging_mode | comm_method | station_state | ...
  code VARCHAR(32) NOT NULL,
  name VARCHAR(100) NOT NULL,
  name_en VARCHAR(100) NULL,
  sort INT NOT NULL DEFAULT 0,
  enabled TINYINT NOT NULL DEFAULT 1,
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_dict_code (dict, code),
  KEY ix_dict_sort (dict, sort)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE products (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  manufacturer_id BIGINT NOT NULL,
  model VARCHAR(64) NOT NULL,
  name VARCHAR(100) NOT NULL,
  rated_power_kw DECIMAL(8,2) NOT NULL,
  current_type VARCHAR(2) NOT NULL,     -- AC | DC
  connectors INT NOT NULL DEFAULT 1,
  charging_mode VARCHAR(32) NULL,       -- dict charging_mode
  warranty_months INT NOT NULL DEFAULT 24,
  note VARCHAR(500) NULL,
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_products_model (manufacturer_id, model),
  KEY ix_products_power (rated_power_kw),
  CONSTRAINT fk_products_manufacturer FOREIGN KEY (manufacturer_id) REFERENCES companies (id),
  CONSTRAINT ck_products_current CHECK (current_type IN ('AC', 'DC'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE cable_products (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  manufacturer_id BIGINT NULL,
  model VARCHAR(64) NOT NULL,
  spec VARCHAR(100) NOT NULL,           -- e.g. YJV22-0.6/1kV 3x95+1x50
  unit VARCHAR(8) NOT NULL DEFAULT 'm', -- m | roll
  note VARCHAR(500) NULL,
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_cable_model (model),
  CONSTRAINT fk_cable_manufacturer FOREIGN KEY (manufacturer_id) REFERENCES companies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE warehouses (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(32) NOT NULL,
  name VARCHAR(100) NOT NULL,
  company_id BIGINT NOT NULL,           -- owning city company
  city_id BIGINT NOT NULL,
  address VARCHAR(200) NULL,
  keeper VARCHAR(50) NULL,
  phone VARCHAR(30) NULL,
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_warehouses_code (code),
  KEY ix_warehouses_company (company_id, name),
  KEY ix_warehouses_city (city_id),
  CONSTRAINT fk_warehouses_company FOREIGN KEY (company_id) REFERENCES companies (id),
  CONSTRAINT fk_warehouses_city FOREIGN KEY (city_id) REFERENCES cities (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE roles (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(32) NOT NULL,
  name VARCHAR(50) NOT NULL,
  name_en VARCHAR(50) NOT NULL,
  perms VARCHAR(500) NOT NULL,          -- comma-separated permission names (cgi/core/auth.c)
  scope_all TINYINT NOT NULL DEFAULT 0, -- sees every city company
  is_supplier TINYINT NOT NULL DEFAULT 0,
  sort INT NOT NULL DEFAULT 0,
  UNIQUE KEY uq_roles_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE users (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username VARCHAR(32) NOT NULL,
  name VARCHAR(50) NOT NULL,
  password_hash VARCHAR(128) NOT NULL,
  role_id BIGINT NOT NULL,
  company_id BIGINT NULL,               -- head office or city company (staff)
  supplier_id BIGINT NULL,              -- supplier company (supplier users)
  phone VARCHAR(30) NULL,
  email VARCHAR(100) NULL,
  lang VARCHAR(8) NOT NULL DEFAULT 'zh-CN',
  enabled TINYINT NOT NULL DEFAULT 1,
  must_change_pw TINYINT NOT NULL DEFAULT 0,
  last_login_at DATETIME NULL,
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_users_username (username),
  KEY ix_users_company (company_id),
  KEY ix_users_supplier (supplier_id),
  CONSTRAINT fk_users_role FOREIGN KEY (role_id) REFERENCES roles (id),
  CONSTRAINT fk_users_company FOREIGN KEY (company_id) REFERENCES companies (id),
  CONSTRAINT fk_users_supplier FOREIGN KEY (supplier_id) REFERENCES companies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE sessions (
  id CHAR(64) NOT NULL PRIMARY KEY,     -- SHA-256 hex of the cookie value
  user_id BIGINT NOT NULL,
  csrf_token CHAR(43) NOT NULL,
  created_at DATETIME NOT NULL,
  last_seen_at DATETIME NOT NULL,
  expires_at DATETIME NOT NULL,
  ip VARCHAR(45) NOT NULL DEFAULT '',
  user_agent VARCHAR(255) NOT NULL DEFAULT '',
  KEY ix_sessions_user (user_id),
  KEY ix_sessions_expires (expires_at),
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE login_failures (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username VARCHAR(64) NOT NULL,
  ip VARCHAR(45) NOT NULL,
  at DATETIME NOT NULL,
  KEY ix_lf_user (username, at),
  KEY ix_lf_ip (ip, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE audit_log (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at DATETIME(6) NOT NULL,
  user_id BIGINT NULL,
  entity VARCHAR(32) NOT NULL,
  entity_id BIGINT NOT NULL,
  action VARCHAR(10) NOT NULL,          -- create | update | delete
  field VARCHAR(64) NULL,
  old_value TEXT NULL,
  new_value TEXT NULL,
  request_id VARCHAR(24) NOT NULL,
  ip VARCHAR(45) NOT NULL DEFAULT '',
  KEY ix_audit_entity (entity, entity_id, at),
  KEY ix_audit_at (at),
  KEY ix_audit_user (user_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
