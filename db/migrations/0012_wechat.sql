-- WeChat (F7, issue 4): settings, the shared token/ticket cache, openid
-- links, and the notice outbox that ca-notify delivers.

-- Settings edited on /base/wechat (admin).  One row per name; the config
-- file's WeChat.* values are the defaults of a missing row.  Names:
--   appid, secret, template.<notice kind> (e.g. template.lease_expiry).
CREATE TABLE wx_settings (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  value VARCHAR(512) NOT NULL,
  updated_at DATETIME NOT NULL,
  updated_by BIGINT NULL,
  CONSTRAINT fk_wx_settings_user FOREIGN KEY (updated_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- WeCom group robot key per city company (the key is a bearer secret).
CREATE TABLE wx_robots (
  company_id BIGINT NOT NULL PRIMARY KEY,
  robot_key VARCHAR(128) NOT NULL,
  updated_at DATETIME NOT NULL,
  CONSTRAINT fk_wx_robots_company FOREIGN KEY (company_id) REFERENCES companies (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The one access_token and jsapi_ticket shared by every process of every
-- worker (WECHAT.md §8.3).  cache_key = appid@api_base.  Times are unix
-- seconds.  refresh_at is when a process should fetch again (before the
-- expiry: expires_in - 300 s, or half the life for short test lives);
-- compare-and-invalidate sets it to 0 only while value is the failed one.
-- A refresh holds GET_LOCK('ca_wx:<kind>') so two processes fetch once.
CREATE TABLE wx_cache (
  kind VARCHAR(16) NOT NULL,            -- token | ticket
  cache_key VARCHAR(255) NOT NULL,
  value VARCHAR(1024) NOT NULL,
  fetched_at BIGINT NOT NULL,
  refresh_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  fetches INT NOT NULL DEFAULT 1,
  PRIMARY KEY (kind, cache_key)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- A staff account's WeChat openid (OAuth snsapi_base).  One openid per
-- user and one user per openid; the phone pages create and delete rows.
CREATE TABLE wx_links (
  user_id BIGINT NOT NULL PRIMARY KEY,
  openid VARCHAR(64) NOT NULL,
  linked_at DATETIME NOT NULL,
  UNIQUE KEY uq_wx_links_openid (openid),
  CONSTRAINT fk_wx_links_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who has read which notice (the notices page); acknowledging stays on
-- notices.acked_at (one acknowledgement closes it for the company).
CREATE TABLE notice_reads (
  notice_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  read_at DATETIME NOT NULL,
  PRIMARY KEY (notice_id, user_id),
  CONSTRAINT fk_notice_reads_notice FOREIGN KEY (notice_id) REFERENCES notices (id) ON DELETE CASCADE,
  CONSTRAINT fk_notice_reads_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The outbox: one row per notice and recipient (a linked user by template
-- message, or a city company's robot).  client_msg_id names the pair and is
-- unique, so feeding is idempotent.  Delivery: a ca-notify instance claims due rows with
-- SELECT … FOR UPDATE SKIP LOCKED, stamps them 'sending' with its claim
-- token and a lease (claimed_until), sends outside the transaction, and
-- records the outcome only while its claim still holds.  A lease that ran
-- out (crash, or an unknown outcome) makes the row claimable again; the
-- resend carries the same client_msg_id, which WeChat deduplicates.
--   status: pending -> sending -> sent | failed (permanent) ;
--           sending -> retry (backoff) | deferred (quota 45009/45011)
CREATE TABLE notice_outbox (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  notice_id BIGINT NOT NULL,
  channel VARCHAR(12) NOT NULL,         -- template | robot
  user_id BIGINT NULL,                  -- template: the recipient
  company_id BIGINT NOT NULL,           -- robot: whose robot; always: scope
  openid VARCHAR(64) NULL,
  status VARCHAR(12) NOT NULL DEFAULT 'pending',
  attempts INT NOT NULL DEFAULT 0,
  next_at DATETIME NOT NULL,
  claim_token VARCHAR(32) NULL,
  claimed_until DATETIME NULL,
  client_msg_id VARCHAR(64) NOT NULL,  -- ca-n<notice>-u<user> | ca-n<notice>-c<company>
  first_try_at DATETIME NULL,           -- first send with this client_msg_id
  last_errcode INT NULL,
  last_error VARCHAR(255) NULL,
  msgid VARCHAR(24) NULL,
  created_at DATETIME NOT NULL,
  sent_at DATETIME NULL,
  UNIQUE KEY uq_outbox_msg (client_msg_id),
  KEY ix_outbox_due (status, next_at),
  KEY ix_outbox_company (company_id, created_at),
  KEY ix_outbox_notice (notice_id),
  CONSTRAINT fk_outbox_notice FOREIGN KEY (notice_id) REFERENCES notices (id) ON DELETE CASCADE,
  CONSTRAINT fk_outbox_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_outbox_company FOREIGN KEY (company_id) REFERENCES companies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
