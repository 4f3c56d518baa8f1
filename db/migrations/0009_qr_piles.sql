-- Piles ⇄ QR codes (F3): piles registered from a batch's codes, and code
-- regeneration (二维码重生: a pile's code replaced by a new one).
--
-- A generated code is bound to at most one pile (qr_codes.pile_id, state
-- 'bound'), and the pile carries it as piles.code.  Piles whose code was
-- not generated here (typed in, imported, demo data) have no qr_codes row.
-- Replacing a pile's code voids the old one (reason recorded), draws a new
-- one from a rule (a one-code batch), relinks the pile and writes the
-- ledger event 'code_replace' with from_code/to_code; code_replacements
-- keeps every replacement, so an old code that never was a generated one
-- (a demo pile's) also answers "replaced" instead of resolving.

ALTER TABLE qr_codes
  ADD COLUMN bound_at DATETIME NULL AFTER pile_id,
  ADD COLUMN bind_run_id BIGINT NULL AFTER bound_at,   -- the "piles from codes" run that bound it
  ADD COLUMN void_reason VARCHAR(12) NULL AFTER voided_at,
  ADD KEY ix_qr_codes_run (bind_run_id, serial),
  ADD KEY ix_qr_codes_orphan (state, pile_id),
  ADD CONSTRAINT fk_qr_codes_pile FOREIGN KEY (pile_id) REFERENCES piles (id) ON DELETE SET NULL,
  ADD CONSTRAINT ck_qr_codes_void_reason
    CHECK (void_reason IS NULL OR void_reason IN ('lost', 'damaged', 'other'));

-- One "create piles from these codes" submit.  form_key makes a repeated
-- submit land on the run the first one made.
CREATE TABLE qr_pile_runs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  batch_id BIGINT NOT NULL,
  form_key VARCHAR(64) NULL,
  product_id BIGINT NOT NULL,
  company_id BIGINT NOT NULL,
  warehouse_id BIGINT NULL,
  count INT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_qr_pile_runs_form_key (form_key),
  KEY ix_qr_pile_runs_batch (batch_id, id),
  CONSTRAINT fk_qr_pile_runs_batch FOREIGN KEY (batch_id) REFERENCES qr_batches (id),
  CONSTRAINT fk_qr_pile_runs_product FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT fk_qr_pile_runs_company FOREIGN KEY (company_id) REFERENCES companies (id),
  CONSTRAINT fk_qr_pile_runs_warehouse FOREIGN KEY (warehouse_id) REFERENCES warehouses (id),
  CONSTRAINT fk_qr_pile_runs_user FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE qr_codes
  ADD CONSTRAINT fk_qr_codes_run FOREIGN KEY (bind_run_id) REFERENCES qr_pile_runs (id);

CREATE TABLE code_replacements (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  pile_id BIGINT NOT NULL,
  old_code VARCHAR(32) NOT NULL,
  old_code_id BIGINT NULL,              -- NULL when the old code was not a generated one
  new_code VARCHAR(32) NOT NULL,
  new_code_id BIGINT NOT NULL,
  reason VARCHAR(12) NOT NULL,
  note VARCHAR(200) NULL,
  form_key VARCHAR(64) NULL,
  user_id BIGINT NOT NULL,
  at DATETIME NOT NULL,
  UNIQUE KEY uq_code_replacements_form_key (form_key),
  KEY ix_code_replacements_old (old_code),
  KEY ix_code_replacements_pile (pile_id, id),
  CONSTRAINT fk_code_replacements_pile FOREIGN KEY (pile_id) REFERENCES piles (id),
  CONSTRAINT fk_code_replacements_old FOREIGN KEY (old_code_id) REFERENCES qr_codes (id),
  CONSTRAINT fk_code_replacements_new FOREIGN KEY (new_code_id) REFERENCES qr_codes (id),
  CONSTRAINT fk_code_replacements_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT ck_code_replacements_reason CHECK (reason IN ('lost', 'damaged', 'other'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The code a pile carried before and after an event (pile_create from a
-- generated code, code_replace).  ./chargeasset verify checks that a pile's
-- code is the to_code of its last such event.
ALTER TABLE asset_events
  ADD COLUMN from_code VARCHAR(32) NULL AFTER detail,
  ADD COLUMN to_code VARCHAR(32) NULL AFTER from_code;
