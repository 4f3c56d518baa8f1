-- QR codes (F3): code rules, generation batches and the codes themselves.
--
-- A code is  PREFIX SEGMENT YEAR SERIAL [CHECK]  (see cgi/model/code.c):
--   prefix   1-4 capital letters                       e.g. CA
--   segment  0-6 digits/capitals: company or city code  e.g. HZ, 3301
--   year     none, 2 or 4 digits of the batch's year (China time)
--   serial   zero-padded decimal, serial_width digits (4-10), per rule,
--            never reused: next_serial only grows
--   check    one ISO/IEC 7064 MOD 37,36 character over everything before it
-- The label's QR payload is <Site.base_url>/wx/p/<code>.
--
-- A batch reserves first_serial .. first_serial + count - 1 of its rule in one
-- short transaction (the rule row locked FOR UPDATE), then its codes are
-- inserted in chunks, each chunk its own transaction that raises done_count:
--   pending (range reserved, no code yet) → generating → done.
-- A batch left behind in pending/generating (a worker died) is resumed from
-- done_count by POST /qr/batches/:id/generate.

CREATE TABLE code_rules (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(50) NOT NULL,
  prefix VARCHAR(4) NOT NULL,
  company_id BIGINT NOT NULL,           -- city company or head office: data scope, label text
  segment VARCHAR(6) NOT NULL DEFAULT '', -- company/city code segment, may be empty
  year_digits TINYINT NOT NULL DEFAULT 2, -- 0 (no year), 2 or 4
  serial_width TINYINT NOT NULL DEFAULT 6,
  check_char TINYINT NOT NULL DEFAULT 1,  -- append the MOD 37,36 check character
  next_serial BIGINT NOT NULL DEFAULT 1,
  enabled TINYINT NOT NULL DEFAULT 1,
  note VARCHAR(500) NULL,
  version INT NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_code_rules_name (name),
  KEY ix_code_rules_company (company_id, enabled),
  CONSTRAINT fk_code_rules_company FOREIGN KEY (company_id) REFERENCES companies (id),
  CONSTRAINT ck_code_rules_prefix CHECK (BINARY prefix REGEXP '^[A-Z]{1,4}$'),
  CONSTRAINT ck_code_rules_segment CHECK (BINARY segment REGEXP '^[0-9A-Z]{0,6}$'),
  CONSTRAINT ck_code_rules_year CHECK (year_digits IN (0, 2, 4)),
  CONSTRAINT ck_code_rules_width CHECK (serial_width BETWEEN 4 AND 10),
  CONSTRAINT ck_code_rules_serial CHECK (next_serial >= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE qr_batches (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  rule_id BIGINT NOT NULL,
  count INT NOT NULL,
  first_serial BIGINT NOT NULL,
  year SMALLINT NOT NULL,               -- the year written into the codes
  state VARCHAR(12) NOT NULL DEFAULT 'pending',
  done_count INT NOT NULL DEFAULT 0,
  form_key VARCHAR(64) NULL,            -- one per form shown: a repeated submit finds its batch
  note VARCHAR(200) NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY uq_qr_batches_form_key (form_key),
  KEY ix_qr_batches_rule (rule_id, id),
  KEY ix_qr_batches_state (state),
  CONSTRAINT fk_qr_batches_rule FOREIGN KEY (rule_id) REFERENCES code_rules (id),
  CONSTRAINT fk_qr_batches_user FOREIGN KEY (created_by) REFERENCES users (id),
  CONSTRAINT ck_qr_batches_count CHECK (count BETWEEN 1 AND 10000),
  CONSTRAINT ck_qr_batches_done CHECK (done_count BETWEEN 0 AND count),
  CONSTRAINT ck_qr_batches_state CHECK (state IN ('pending', 'generating', 'done'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One printed code.  unused → bound (a pile carries it) → void (replaced or
-- withdrawn; a void code no longer resolves).  pile_id gets its foreign key
-- once piles are linked to codes (regeneration, F3).
CREATE TABLE qr_codes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(32) NOT NULL,
  batch_id BIGINT NOT NULL,
  serial BIGINT NOT NULL,
  state VARCHAR(8) NOT NULL DEFAULT 'unused',
  pile_id BIGINT NULL,
  voided_at DATETIME NULL,
  replaced_by BIGINT NULL,              -- the code that took its place (regeneration)
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_qr_codes_code (code),
  KEY ix_qr_codes_batch (batch_id, serial),
  KEY ix_qr_codes_pile (pile_id),
  KEY ix_qr_codes_state (state, batch_id),
  CONSTRAINT fk_qr_codes_batch FOREIGN KEY (batch_id) REFERENCES qr_batches (id),
  CONSTRAINT fk_qr_codes_replaced FOREIGN KEY (replaced_by) REFERENCES qr_codes (id),
  CONSTRAINT ck_qr_codes_state CHECK (state IN ('unused', 'bound', 'void'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
