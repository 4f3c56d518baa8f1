-- Ledger verification: recompute the current state of every station and
-- pile from asset_events and list where the stored state differs (drift).
-- Codes: a pile's code is the to_code of its last event that names one
-- (pile_create from a code, code_replace); a generated code marked bound
-- is carried by its pile; a void code is carried by no pile.
-- Run by ./chargeasset verify; prints one row per drift, then the count.

WITH last_station AS (
  SELECT e.station_id, e.to_state
  FROM asset_events e
  JOIN (SELECT station_id, MAX(id) AS id FROM asset_events
        WHERE pile_id IS NULL AND kind IN ('station_create', 'station_state')
        GROUP BY station_id) m ON m.id = e.id
), last_pile_state AS (
  SELECT e.pile_id, e.to_state
  FROM asset_events e
  JOIN (SELECT pile_id, MAX(id) AS id FROM asset_events
        WHERE pile_id IS NOT NULL AND to_state IS NOT NULL GROUP BY pile_id) m ON m.id = e.id
), last_pile_place AS (
  SELECT e.pile_id, e.to_place
  FROM asset_events e
  JOIN (SELECT pile_id, MAX(id) AS id FROM asset_events
        WHERE pile_id IS NOT NULL AND to_place IS NOT NULL GROUP BY pile_id) m ON m.id = e.id
), last_pile_code AS (
  SELECT e.pile_id, e.to_code
  FROM asset_events e
  JOIN (SELECT pile_id, MAX(id) AS id FROM asset_events
        WHERE pile_id IS NOT NULL AND to_code IS NOT NULL GROUP BY pile_id) m ON m.id = e.id
), drift AS (
  SELECT 'station' AS what, s.id, s.code, 'state' AS field, s.state AS stored,
         COALESCE(l.to_state, '(no event)') AS ledger
  FROM stations s LEFT JOIN last_station l ON l.station_id = s.id
  WHERE l.to_state IS NULL OR l.to_state <> s.state
  UNION ALL
  SELECT 'pile', p.id, p.code, 'state', p.state, COALESCE(l.to_state, '(no event)')
  FROM piles p LEFT JOIN last_pile_state l ON l.pile_id = p.id
  WHERE l.to_state IS NULL OR l.to_state <> p.state
  UNION ALL
  SELECT 'pile', p.id, p.code, 'place',
         CASE p.place WHEN 'station' THEN CONCAT('station:', p.station_id)
                      WHEN 'warehouse' THEN CONCAT('warehouse:', p.warehouse_id)
                      WHEN 'party' THEN CONCAT('party:', p.party_id) ELSE 'none' END,
         COALESCE(l.to_place, '(no event)')
  FROM piles p LEFT JOIN last_pile_place l ON l.pile_id = p.id
  WHERE COALESCE(l.to_place, '(no event)') <>
        CASE p.place WHEN 'station' THEN CONCAT('station:', p.station_id)
                     WHEN 'warehouse' THEN CONCAT('warehouse:', p.warehouse_id)
                     WHEN 'party' THEN CONCAT('party:', p.party_id) ELSE 'none' END
  UNION ALL
  SELECT 'pile', p.id, p.code, 'code', p.code, l.to_code
  FROM piles p JOIN last_pile_code l ON l.pile_id = p.id
  WHERE BINARY l.to_code <> BINARY p.code
  UNION ALL
  SELECT 'qr_code', c.id, c.code, 'pile', COALESCE(p.code, '(no pile)'), CONCAT('bound to pile ', COALESCE(c.pile_id, 'NULL'))
  FROM qr_codes c LEFT JOIN piles p ON p.id = c.pile_id
  WHERE c.state = 'bound' AND (p.id IS NULL OR BINARY p.code <> BINARY c.code)
  UNION ALL
  SELECT 'qr_code', c.id, c.code, 'state', 'void', CONCAT('carried by pile ', p.id)
  FROM qr_codes c JOIN piles p ON p.code = c.code
  WHERE c.state = 'void'
)
SELECT what, id, code, field, stored, ledger FROM drift ORDER BY what, id LIMIT 200;
