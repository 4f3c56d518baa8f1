-- A field change in the asset ledger as data, not only as text (issue 10): the pile card showed
-- "sw_version: V3.0.0 -> V3.0.2" and "product_id: 0 -> 9".  A pile_change now also keeps the
-- field and its old and new value as the pile's columns hold them (NULL: none), so the card
-- shows the field's label and the value's name (a product's model, a company's name) and no
-- reader has to split the text, which a version holding " -> " would make ambiguous.  detail
-- keeps the text as before.  The earlier postings are split once here (their values never
-- held ": " or " -> ": product, company and version values written by this code).
ALTER TABLE asset_events
  ADD COLUMN field VARCHAR(32) NULL,
  ADD COLUMN from_value VARCHAR(100) NULL,
  ADD COLUMN to_value VARCHAR(100) NULL;

UPDATE asset_events
SET field = SUBSTRING_INDEX(detail, ': ', 1),
    from_value = CASE
      WHEN SUBSTRING_INDEX(SUBSTRING(detail, LOCATE(': ', detail) + 2), ' -> ', 1) IN ('', '0')
        AND (SUBSTRING_INDEX(detail, ': ', 1) LIKE '%\_id'
             OR SUBSTRING_INDEX(SUBSTRING(detail, LOCATE(': ', detail) + 2), ' -> ', 1) = '')
        THEN NULL
      ELSE SUBSTRING_INDEX(SUBSTRING(detail, LOCATE(': ', detail) + 2), ' -> ', 1) END,
    to_value = CASE
      WHEN SUBSTRING(detail, LOCATE(' -> ', detail) + 4) IN ('', '0')
        AND (SUBSTRING_INDEX(detail, ': ', 1) LIKE '%\_id'
             OR SUBSTRING(detail, LOCATE(' -> ', detail) + 4) = '')
        THEN NULL
      ELSE SUBSTRING(detail, LOCATE(' -> ', detail) + 4) END
WHERE kind = 'pile_change' AND detail LIKE '%: % -> %';
