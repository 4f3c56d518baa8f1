-- Demo: the responsible user of stations (issue 10) — 苏州's stations answer to the inspector 王磊,
-- 杭州's to 刘洋 (inspector2); the other companies' stations have none, so their lease reminders go
-- to the ops manager.
UPDATE stations SET staff_user_id = (SELECT id FROM users WHERE username = 'inspector')
 WHERE company_id = (SELECT id FROM companies WHERE code = 'CC-SZ');
UPDATE stations SET staff_user_id = (SELECT id FROM users WHERE username = 'inspector2')
 WHERE company_id = (SELECT id FROM companies WHERE code = 'CC-HZ');
