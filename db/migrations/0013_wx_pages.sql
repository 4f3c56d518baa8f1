-- The phone pages (ca-wechat, /wx/, F7.1).
--
-- 1. Idempotency keys.  Every submission from a phone page carries a key the
--    page made (a UUID); the first request with that key inserts its row here
--    in the same transaction as the change it makes, and stores its answer.
--    A retry or a double tap with the same key finds the row (the unique index
--    makes a concurrent twin wait for the first, then see it) and gets the
--    same answer without applying anything again.  A refused submission rolls
--    back with its row, so nothing is kept for it and a retry is judged anew.
CREATE TABLE wx_submissions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  idem_key CHAR(36) NOT NULL,            -- UUID from the page, lower-case hex
  action VARCHAR(16) NOT NULL,           -- product | station | maintain
  pile_id BIGINT NOT NULL,
  status SMALLINT NOT NULL,              -- HTTP status answered (303 for done)
  result VARCHAR(300) NOT NULL,          -- where the answer sent the phone
  created_at DATETIME NOT NULL,
  UNIQUE KEY uq_wx_submissions_key (user_id, idem_key),
  KEY ix_wx_submissions_created (created_at),
  CONSTRAINT fk_wx_submissions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_wx_submissions_pile FOREIGN KEY (pile_id) REFERENCES piles (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 2. The supplier a pile comes from.  A supplier user sees (and may bind a
--    product to) the piles of its own supplier, and the piles of the products
--    its company makes; nothing of another supplier.  Set when the pile is
--    registered for a supplier (purchase and shipment documents later).
ALTER TABLE piles
  ADD COLUMN supplier_id BIGINT NULL AFTER leased_from_id,
  ADD KEY ix_piles_supplier (supplier_id, product_id),
  ADD CONSTRAINT fk_piles_supplier FOREIGN KEY (supplier_id) REFERENCES companies (id);

-- 3. Nearest stations to a phone's position: a bounding box on latitude (then
--    longitude from the same index entries) before the haversine distance, so
--    the lookup reads a few hundred index entries even with 100,000 stations.
ALTER TABLE stations
  ADD KEY ix_stations_position (lat, lng);
