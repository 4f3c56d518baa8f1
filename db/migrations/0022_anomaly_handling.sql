-- Anomalies are acknowledged and handled by people (issue 10): who acknowledged one and when,
-- who handled (closed) it and the note saying what was done; a version for the stale-edit
-- protocol (two people acting on one anomaly: the second is told, nothing is written twice).
ALTER TABLE anomalies
  ADD COLUMN acked_at DATETIME NULL AFTER closed_at,
  ADD COLUMN acked_by BIGINT NULL AFTER acked_at,
  ADD COLUMN handled_by BIGINT NULL AFTER acked_by,
  ADD COLUMN note VARCHAR(500) NULL AFTER handled_by,
  ADD COLUMN version INT NOT NULL DEFAULT 1,
  ADD CONSTRAINT fk_anomalies_acked_by FOREIGN KEY (acked_by) REFERENCES users (id),
  ADD CONSTRAINT fk_anomalies_handled_by FOREIGN KEY (handled_by) REFERENCES users (id);
