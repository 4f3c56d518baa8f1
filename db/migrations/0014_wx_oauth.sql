-- WeChat OAuth on the phone pages (issue 4): an openid waiting to be linked.
--
-- The OAuth callback (cgi/wechat/oauth.c) got a verified openid from WeChat
-- that no user is linked to yet.  The phone shows the password form once;
-- the browser holds a random token in an HttpOnly cookie and only its
-- SHA-256 is stored here, so the openid to link never comes from the
-- browser (a forged one could tie someone else's WeChat to an account).
-- A good password links the row's openid to that user (wx_links) and
-- deletes the row; rows older than 15 minutes are ignored and collected.
CREATE TABLE wx_oauth_pending (
  token_hash CHAR(64) NOT NULL PRIMARY KEY,
  openid VARCHAR(64) NOT NULL,
  next_path VARCHAR(300) NOT NULL,
  created_at DATETIME NOT NULL,
  KEY ix_wx_oauth_pending_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;
