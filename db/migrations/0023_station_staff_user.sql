-- A station's responsible staff is a user (issue 10): the site-lease reminder goes to that user
-- (and, when a station has none, to its city company's ops manager), no longer to everyone who
-- may see the company.  The free-text contact (staff, staff_phone) stays beside it for people
-- outside the system.
ALTER TABLE stations
  ADD COLUMN staff_user_id BIGINT NULL AFTER staff_phone,
  ADD CONSTRAINT fk_stations_staff_user FOREIGN KEY (staff_user_id) REFERENCES users (id);
