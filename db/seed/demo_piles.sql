-- Demo piles (loaded after demo.sql by ./chargeasset, demo and test only):
-- every operating or suspended station gets the piles it should have (a few
-- one more or one less, so the quantity anomalies page has something to
-- show), every warehouse some piles in stock.  Versions, products and
-- warranty dates vary.  Each pile's history is written to the ledger
-- exactly as the application would (create, bind, state changes), so
-- ./chargeasset verify finds no drift.

SET @today = DATE(UTC_TIMESTAMP() + INTERVAL 8 HOUR);
SET @nprod = (SELECT COUNT(*) FROM products);

-- Piles at stations.
INSERT INTO piles (code, serial_no, product_id, state, place, station_id, company_id,
                   owner_company_id, operator_company_id, sw_version, hw_version,
                   comm_method, charging_mode, tariff, commissioned_on, created_at)
SELECT CONCAT('CP', LPAD(s.id, 5, '0'), LPAD(q.seq, 2, '0')),
       CONCAT('SN', 2000000 + s.id * 40 + q.seq),
       pr.id,
       CASE WHEN s.state = 'suspended' THEN 'installed'
            WHEN (s.id + q.seq) % 17 = 0 THEN 'repair'
            WHEN (s.id * 3 + q.seq) % 29 = 0 THEN 'installed'
            ELSE 'operating' END,
       'station', s.id, s.company_id, s.owner_company_id, s.operator_company_id,
       ELT(1 + (s.id + q.seq) % 5, 'V2.1.3', 'V2.2.0', 'V2.3.1', 'V3.0.0', 'V3.0.2'),
       ELT(1 + (s.id * 7 + q.seq) % 3, 'H1.0', 'H1.2', 'H2.0'),
       ELT(1 + (s.id + q.seq) % 3, '4g', 'ethernet', '4g'),
       'gb2015',
       ELT(1 + s.id % 4, 0.6500, 0.8000, 0.7200, 1.0500),
       COALESCE(s.commissioned_on, s.operating_on, @today - INTERVAL 400 DAY),
       COALESCE(s.commissioned_on, s.operating_on, @today - INTERVAL 400 DAY) - INTERVAL 20 DAY
FROM stations s
JOIN seq_1_to_40 q
  ON q.seq <= s.expected_piles + CASE WHEN s.id % 23 = 0 THEN 1 WHEN s.id % 29 = 0 THEN -1 ELSE 0 END
JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS rn FROM products) pr
  ON pr.rn = (s.id * 7 + q.seq * 3) % @nprod
WHERE s.state IN ('operating', 'suspended');

-- Piles in stock in the warehouses.
INSERT INTO piles (code, serial_no, product_id, state, place, warehouse_id, company_id,
                   owner_company_id, operator_company_id, sw_version, hw_version,
                   comm_method, charging_mode, created_at)
SELECT CONCAT('CW', LPAD(w.id, 4, '0'), LPAD(q.seq, 3, '0')),
       CONCAT('SN', 3000000 + w.id * 100 + q.seq),
       pr.id, 'in_stock', 'warehouse', w.id, w.company_id, w.company_id, w.company_id,
       ELT(1 + (w.id + q.seq) % 3, 'V3.0.0', 'V3.0.2', 'V2.3.1'), 'H2.0', '4g', 'gb2015',
       @today - INTERVAL (q.seq * 3 + w.id) DAY
FROM warehouses w
JOIN seq_1_to_100 q ON q.seq <= 40 + (w.id * 13) % 50
JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS rn FROM products) pr
  ON pr.rn = (w.id * 5 + q.seq) % @nprod;

-- Warranty: commissioning (or registration) date plus the product's months.
UPDATE piles p JOIN products pr ON pr.id = p.product_id
SET p.warranty_end = COALESCE(p.commissioned_on, DATE(p.created_at)) + INTERVAL pr.warranty_months MONTH;

-- The ledger, in the order the application writes it.
INSERT INTO asset_events (at, kind, pile_id, to_state, to_place, request_id)
SELECT p.created_at, 'pile_create', p.id, 'in_stock',
       IF(p.place = 'warehouse', CONCAT('warehouse:', p.warehouse_id), 'none'), 'demo-seed'
FROM piles p ORDER BY p.id;

INSERT INTO asset_events (at, kind, station_id, pile_id, from_state, to_state, from_place, to_place, request_id)
SELECT p.created_at + INTERVAL 10 DAY, 'pile_bind', p.station_id, p.id, 'in_stock', 'installed',
       'none', CONCAT('station:', p.station_id), 'demo-seed'
FROM piles p WHERE p.place = 'station' ORDER BY p.id;

INSERT INTO asset_events (at, kind, pile_id, from_state, to_state, request_id)
SELECT p.commissioned_on, 'pile_state', p.id, 'installed', 'operating', 'demo-seed'
FROM piles p WHERE p.state IN ('operating', 'repair') ORDER BY p.id;

INSERT INTO asset_events (at, kind, pile_id, from_state, to_state, request_id)
SELECT @today - INTERVAL 3 DAY, 'pile_state', p.id, 'operating', 'repair', 'demo-seed'
FROM piles p WHERE p.state = 'repair' ORDER BY p.id;

-- Quantity anomalies where the bound count differs from the expected one.
INSERT INTO anomalies (kind, station_id, status, expected, actual, opened_at)
SELECT 'quantity', s.id, 'open', s.expected_piles, c.n, UTC_TIMESTAMP() - INTERVAL 2 DAY
FROM stations s
JOIN (SELECT station_id, COUNT(*) AS n FROM piles WHERE station_id IS NOT NULL GROUP BY station_id) c
  ON c.station_id = s.id
WHERE s.state IN ('operating', 'suspended') AND c.n <> s.expected_piles;

-- The anomaly page in each of its states (a document of core/doc.h): some
-- acknowledged by their company's ops manager and still open, and some
-- handled and closed in the past with the note of what was done; each
-- with the update records the page's history shows.
SET @ops = (SELECT id FROM users WHERE username = 'ops');
CREATE TEMPORARY TABLE demo_acked (id BIGINT NOT NULL PRIMARY KEY);
INSERT INTO demo_acked SELECT id FROM anomalies WHERE status = 'open' ORDER BY id LIMIT 3;
UPDATE anomalies a JOIN demo_acked d ON d.id = a.id
SET a.acked_at = a.opened_at + INTERVAL 5 HOUR, a.acked_by = @ops,
    a.note = '已通知站点负责人到场核对桩数，待回复。', a.version = a.version + 1;
INSERT INTO audit_log (at, user_id, entity, entity_id, action, field, old_value, new_value, request_id, ip)
SELECT a.acked_at, @ops, 'anomaly', a.id, 'update', f.field, IF(f.field = 'acked', '0', ''),
       IF(f.field = 'acked', '1', a.note), 'demo-seed', '127.0.0.1'
FROM anomalies a JOIN demo_acked d ON d.id = a.id
JOIN (SELECT 'acked' AS field UNION ALL SELECT 'note') f;

INSERT INTO anomalies (kind, station_id, status, expected, actual, opened_at, closed_at, acked_at,
                       acked_by, handled_by, note, version)
SELECT 'quantity', s.id, 'closed', s.expected_piles, s.expected_piles - 1,
       UTC_TIMESTAMP() - INTERVAL 20 DAY, UTC_TIMESTAMP() - INTERVAL 18 DAY,
       UTC_TIMESTAMP() - INTERVAL 19 DAY, @ops, @ops,
       '1 台桩返厂维修，已回装并重新绑定，桩数一致。', 3
FROM stations s
WHERE s.state = 'operating' AND s.expected_piles > 1
  AND NOT EXISTS (SELECT 1 FROM anomalies x WHERE x.station_id = s.id)
ORDER BY s.id LIMIT 4;
INSERT INTO audit_log (at, user_id, entity, entity_id, action, field, old_value, new_value, request_id, ip)
SELECT IF(f.field = 'acked', a.acked_at, a.closed_at), @ops, 'anomaly', a.id, 'update', f.field,
       CASE f.field WHEN 'acked' THEN '0' WHEN 'status' THEN 'open' ELSE '' END,
       CASE f.field WHEN 'acked' THEN '1' WHEN 'status' THEN 'closed' ELSE a.note END,
       'demo-seed', '127.0.0.1'
FROM anomalies a
JOIN (SELECT 'acked' AS field UNION ALL SELECT 'status' UNION ALL SELECT 'note') f
WHERE a.status = 'closed' AND a.handled_by = @ops;
DROP TEMPORARY TABLE demo_acked;
