-- Demo target versions (F4.24), loaded after demo_piles.sql (demo and test only).
-- Most products get a target software and hardware version, so the versions page shows
-- piles below target; four products have none.  A few piles are given versions that show
-- the numeric comparison (V3.0.10 is above V3.0.2, V2.10.0 above V2.3.1) or that cannot be
-- compared (empty, "V3.0.2-beta"): those are listed apart as unknown.  Each version change
-- is written to the ledger and the update records as the application writes it.

SET @admin = (SELECT id FROM users WHERE username = 'admin');

INSERT INTO product_versions (product_id, sw_target, hw_target, updated_by, updated_at)
SELECT pr.id,
       CASE WHEN pr.current_type = 'AC' THEN 'V2.3.1' ELSE 'V3.0.2' END,
       CASE WHEN pr.current_type = 'AC' THEN 'H1.2' ELSE 'H2.0' END,
       @admin, UTC_TIMESTAMP() - INTERVAL 20 DAY
FROM products pr
WHERE pr.model NOT IN ('JN-DC60-1', 'YT-DC120-E', 'QL-DC480-LC', 'LZ-DC30-M');

INSERT INTO audit_log (at, user_id, entity, entity_id, action, field, old_value, new_value, request_id, ip)
SELECT pv.updated_at, @admin, 'product_version', pv.product_id, 'create', f.field,
       NULL, IF(f.field = 'sw_target', pv.sw_target, pv.hw_target), 'demo-seed', '127.0.0.1'
FROM product_versions pv
JOIN (SELECT 'sw_target' AS field UNION ALL SELECT 'hw_target') f
ORDER BY pv.product_id, f.field DESC;

-- Piles upgraded past the target (numerically above, textually "below"), and some whose
-- version cannot be read.
CREATE TEMPORARY TABLE demo_version_changes (
  pile_id BIGINT NOT NULL PRIMARY KEY,
  old_sw VARCHAR(32) NULL,
  new_sw VARCHAR(32) NULL
);
INSERT INTO demo_version_changes (pile_id, old_sw, new_sw)
SELECT p.id, p.sw_version,
       CASE WHEN p.id % 97 = 0 THEN NULL
            WHEN p.id % 89 = 0 THEN 'V3.0.2-beta'
            WHEN pr.current_type = 'AC' THEN 'V2.10.0'
            ELSE 'V3.0.10' END
FROM piles p JOIN products pr ON pr.id = p.product_id
WHERE p.place = 'station' AND (p.id % 41 = 0 OR p.id % 97 = 0 OR p.id % 89 = 0);

UPDATE piles p JOIN demo_version_changes d ON d.pile_id = p.id
SET p.sw_version = d.new_sw, p.version = p.version + 1;

INSERT INTO asset_events (at, kind, pile_id, detail, field, from_value, to_value, user_id, request_id)
SELECT UTC_TIMESTAMP() - INTERVAL 7 DAY, 'pile_change', d.pile_id,
       CONCAT('sw_version: ', COALESCE(d.old_sw, ''), ' -> ', COALESCE(d.new_sw, '')),
       'sw_version', NULLIF(d.old_sw, ''), NULLIF(d.new_sw, ''), @admin, 'demo-seed'
FROM demo_version_changes d ORDER BY d.pile_id;

INSERT INTO audit_log (at, user_id, entity, entity_id, action, field, old_value, new_value, request_id, ip)
SELECT UTC_TIMESTAMP() - INTERVAL 7 DAY, @admin, 'pile', d.pile_id, 'update', 'sw_version',
       d.old_sw, d.new_sw, 'demo-seed', '127.0.0.1'
FROM demo_version_changes d ORDER BY d.pile_id;

DROP TEMPORARY TABLE demo_version_changes;
