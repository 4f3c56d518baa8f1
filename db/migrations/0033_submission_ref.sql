-- Idempotent submissions for every worker (cgi/core/idem.c, issue 10).
--
-- wx_submissions (0013) was ca-wechat's: each key tied to a pile (pile_id, a
-- foreign key to piles).  The store is now core's, and the phone pages of
-- other workers submit against other records (an inspection plan, a defect),
-- so the column is the generic ref_id: the id of the record the submission
-- acts on, in the table its action names ('product', 'station', 'maintain':
-- piles; a worker's own actions carry its prefix, such as 'inspect.record'),
-- 0 for none.  No foreign key can say that, so there is none: a row of a
-- deleted record stays until the 30-day clean-up, and its replay leads to a
-- page that answers 404.  The semantics are unchanged: unique (user, key), a
-- concurrent twin waits for the first and replays its answer, a refused
-- submission rolls back with its row.
ALTER TABLE wx_submissions
  DROP FOREIGN KEY fk_wx_submissions_pile;
-- The index the foreign key had made for itself; nothing looks rows up by it.
ALTER TABLE wx_submissions
  DROP INDEX fk_wx_submissions_pile,
  CHANGE COLUMN pile_id ref_id BIGINT NOT NULL,
  MODIFY COLUMN action VARCHAR(32) NOT NULL;
