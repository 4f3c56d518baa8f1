-- Target versions (F4.24): per pile product the software and hardware version
-- its piles should run, and a comparable key of every version so lists can
-- filter and sort "below target" in SQL.
--
-- The key (cgi/model/version.h holds the grammar and the reference code,
-- tests/unit/test_version.c the vectors): an optional prefix of up to 4
-- letters (ignored), then 1-4 numeric parts of 1-6 digits separated by dots;
-- each part zero-padded to 6 digits, missing parts 0, so keys compare as
-- text exactly as versions compare part by part as numbers
-- ("V1.10.2" > "V1.9.9", "V2.1" = "V2.1.0").  An unrecognised version
-- ("", "beta", "V2.1.3-rc1") has a NULL key: "unknown", never below target.
-- The columns are STORED so a list reads them instead of evaluating the
-- regular expressions per row.

CREATE TABLE product_versions (
  product_id BIGINT NOT NULL PRIMARY KEY,
  sw_target VARCHAR(32) NULL,
  hw_target VARCHAR(32) NULL,
  sw_key VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin AS (CASE WHEN sw_target REGEXP '^[A-Za-z]{0,4}[0-9]{1,6}(\\.[0-9]{1,6}){0,3}\\z' THEN CONCAT(
      LPAD(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(sw_target, '^[A-Za-z]+', ''), '.0.0.0'), '.', 1), 6, '0'),
      LPAD(SUBSTRING_INDEX(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(sw_target, '^[A-Za-z]+', ''), '.0.0.0'), '.', 2), '.', -1), 6, '0'),
      LPAD(SUBSTRING_INDEX(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(sw_target, '^[A-Za-z]+', ''), '.0.0.0'), '.', 3), '.', -1), 6, '0'),
      LPAD(SUBSTRING_INDEX(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(sw_target, '^[A-Za-z]+', ''), '.0.0.0'), '.', 4), '.', -1), 6, '0'))
    END) STORED,
  hw_key VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin AS (CASE WHEN hw_target REGEXP '^[A-Za-z]{0,4}[0-9]{1,6}(\\.[0-9]{1,6}){0,3}\\z' THEN CONCAT(
      LPAD(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(hw_target, '^[A-Za-z]+', ''), '.0.0.0'), '.', 1), 6, '0'),
      LPAD(SUBSTRING_INDEX(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(hw_target, '^[A-Za-z]+', ''), '.0.0.0'), '.', 2), '.', -1), 6, '0'),
      LPAD(SUBSTRING_INDEX(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(hw_target, '^[A-Za-z]+', ''), '.0.0.0'), '.', 3), '.', -1), 6, '0'),
      LPAD(SUBSTRING_INDEX(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(hw_target, '^[A-Za-z]+', ''), '.0.0.0'), '.', 4), '.', -1), 6, '0'))
    END) STORED,
  version INT NOT NULL DEFAULT 1,
  updated_by BIGINT NULL,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  CONSTRAINT fk_product_versions_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE CASCADE,
  CONSTRAINT fk_product_versions_user FOREIGN KEY (updated_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE piles
  ADD COLUMN sw_key VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin AS (CASE WHEN sw_version REGEXP '^[A-Za-z]{0,4}[0-9]{1,6}(\\.[0-9]{1,6}){0,3}\\z' THEN CONCAT(
      LPAD(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(sw_version, '^[A-Za-z]+', ''), '.0.0.0'), '.', 1), 6, '0'),
      LPAD(SUBSTRING_INDEX(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(sw_version, '^[A-Za-z]+', ''), '.0.0.0'), '.', 2), '.', -1), 6, '0'),
      LPAD(SUBSTRING_INDEX(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(sw_version, '^[A-Za-z]+', ''), '.0.0.0'), '.', 3), '.', -1), 6, '0'),
      LPAD(SUBSTRING_INDEX(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(sw_version, '^[A-Za-z]+', ''), '.0.0.0'), '.', 4), '.', -1), 6, '0'))
    END) STORED AFTER hw_version,
  ADD COLUMN hw_key VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin AS (CASE WHEN hw_version REGEXP '^[A-Za-z]{0,4}[0-9]{1,6}(\\.[0-9]{1,6}){0,3}\\z' THEN CONCAT(
      LPAD(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(hw_version, '^[A-Za-z]+', ''), '.0.0.0'), '.', 1), 6, '0'),
      LPAD(SUBSTRING_INDEX(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(hw_version, '^[A-Za-z]+', ''), '.0.0.0'), '.', 2), '.', -1), 6, '0'),
      LPAD(SUBSTRING_INDEX(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(hw_version, '^[A-Za-z]+', ''), '.0.0.0'), '.', 3), '.', -1), 6, '0'),
      LPAD(SUBSTRING_INDEX(SUBSTRING_INDEX(CONCAT(REGEXP_REPLACE(hw_version, '^[A-Za-z]+', ''), '.0.0.0'), '.', 4), '.', -1), 6, '0'))
    END) STORED AFTER sw_key;
