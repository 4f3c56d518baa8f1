-- Notices (提醒): reminders created by ca-notify's scheduled jobs, shown in
-- the web UI and, later, delivered by WeChat from the same rows.  One
-- notice per (kind, subject, due date): a job that runs again never
-- repeats it.  Acknowledged notices stay for the record.

CREATE TABLE notices (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(24) NOT NULL,            -- lease_expiry | …
  station_id BIGINT NULL,
  company_id BIGINT NOT NULL,           -- data scope: who may see it
  due_on DATE NOT NULL,                 -- e.g. the lease end
  created_at DATETIME NOT NULL,
  acked_at DATETIME NULL,
  acked_by BIGINT NULL,
  UNIQUE KEY uq_notices_subject (kind, station_id, due_on),
  KEY ix_notices_open (company_id, acked_at, due_on),
  CONSTRAINT fk_notices_station FOREIGN KEY (station_id) REFERENCES stations (id) ON DELETE CASCADE,
  CONSTRAINT fk_notices_company FOREIGN KEY (company_id) REFERENCES companies (id),
  CONSTRAINT fk_notices_user FOREIGN KEY (acked_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
