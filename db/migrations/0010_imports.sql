-- Bulk import (F4.1, issue 3 item 10): stations, piles and sub-assets from
-- CSV or XLSX.  A job is created by the upload (the dry run), keeps the file
-- (Paths.upload/import/<id>.<fmt>, outside the web root) and the errors it
-- found; the commit re-validates the file and writes every row in one
-- transaction, or nothing.  A repeated submit of the same form (form_key)
-- lands on the same job, and a job is committed at most once.

CREATE TABLE import_jobs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  form_key VARCHAR(64) NOT NULL,        -- one per upload form shown
  kind VARCHAR(12) NOT NULL,            -- station | pile | subasset
  filename VARCHAR(200) NOT NULL,
  fmt VARCHAR(4) NOT NULL,              -- csv | xlsx
  converted TINYINT NOT NULL DEFAULT 0, -- a GBK/GB18030 CSV converted to UTF-8
  rows_total INT NOT NULL DEFAULT 0,
  error_count INT NOT NULL DEFAULT 0,
  created_count INT NOT NULL DEFAULT 0,
  state VARCHAR(10) NOT NULL,           -- checking (dry run running) | invalid | ready | done
  check_ms INT NOT NULL DEFAULT 0,
  commit_ms INT NOT NULL DEFAULT 0,
  user_id BIGINT NOT NULL,
  company_id BIGINT NOT NULL,           -- the user's company (data scope of the history)
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  committed_at DATETIME NULL,
  UNIQUE KEY uq_import_jobs_form_key (user_id, form_key),
  KEY ix_import_jobs_company (company_id, id),
  KEY ix_import_jobs_kind (kind, id),
  CONSTRAINT fk_import_jobs_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_import_jobs_company FOREIGN KEY (company_id) REFERENCES companies (id),
  CONSTRAINT ck_import_jobs_kind CHECK (kind IN ('station', 'pile', 'subasset')),
  CONSTRAINT ck_import_jobs_state CHECK (state IN ('checking', 'invalid', 'ready', 'done'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every bad cell of the last check of a job: (row, column, message).
CREATE TABLE import_errors (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  job_id BIGINT NOT NULL,
  row_no INT NOT NULL,                  -- line in the file (1 = header)
  col VARCHAR(100) NOT NULL,            -- the column's header as in the file
  message VARCHAR(300) NOT NULL,
  value VARCHAR(300) NULL,
  KEY ix_import_errors_job (job_id, row_no, id),
  CONSTRAINT fk_import_errors_job FOREIGN KEY (job_id) REFERENCES import_jobs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Progress of a running check or commit.  Deliberately not transactional
-- (Aria): the commit writes every row in one InnoDB transaction, whose
-- changes other connections cannot see until it ends, but a row here is
-- visible at once, so the page can poll how far it is.
CREATE TABLE import_progress (
  user_id BIGINT NOT NULL,
  form_key VARCHAR(64) NOT NULL,
  phase VARCHAR(8) NOT NULL,            -- check | commit | done
  done_rows INT NOT NULL DEFAULT 0,
  total_rows INT NOT NULL DEFAULT 0,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (user_id, form_key)
) ENGINE=Aria TRANSACTIONAL=0 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Where a change came from when it was not a form: "导入 piles.xlsx (#12)".
ALTER TABLE audit_log ADD COLUMN source VARCHAR(250) NULL AFTER new_value;
