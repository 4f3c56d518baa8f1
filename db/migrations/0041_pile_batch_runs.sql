-- Batch state changes of the pile list (issue 10 §2, cgi/asset/pile_batch.c): the rows a user
-- ticked, moved to one state, each pile checked and changed (or refused, with its reason) by
-- the single-pile path of cgi/model/pile.c.  A run is what the result page shows; its key is
-- what makes a repeated submit land on the same run instead of changing anything again.

CREATE TABLE pile_batch_runs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  -- The list page's form key (a response replayed from the cache carries the same one) and the
  -- SHA-256 of what was asked (state and ids): one key and one request are one run.
  form_key VARCHAR(64) NOT NULL,
  digest CHAR(64) NOT NULL,
  to_state VARCHAR(16) NOT NULL,
  updated INT NOT NULL DEFAULT 0,
  refused INT NOT NULL DEFAULT 0,
  back VARCHAR(600) NULL,               -- the pile list it came from ("/asset/piles?…")
  created_at DATETIME NOT NULL,
  UNIQUE KEY uq_pile_batch_runs_key (user_id, form_key, digest),
  KEY ix_pile_batch_runs_created (created_at),
  CONSTRAINT fk_pile_batch_runs_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per pile asked for.  No foreign key on the pile: an id outside the user's scope (or of
-- no pile) is recorded as refused like any other, and a pile deleted later keeps its line.
CREATE TABLE pile_batch_items (
  run_id BIGINT NOT NULL,
  pile_id BIGINT NOT NULL,
  code VARCHAR(32) NULL,                -- NULL: not a pile the user may see
  from_state VARCHAR(16) NULL,
  outcome VARCHAR(8) NOT NULL,          -- updated | refused
  reason VARCHAR(64) NULL,              -- a language key (err.*), shown in the reader's language
  PRIMARY KEY (run_id, pile_id),
  CONSTRAINT fk_pile_batch_items_run FOREIGN KEY (run_id) REFERENCES pile_batch_runs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
