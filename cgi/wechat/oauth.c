/*
 * oauth.c — signing in with WeChat (OAuth2 snsapi_base, WECHAT.md §2).
 *
 * When: a signed-out visitor of a /wx/ page whose User-Agent says
 * MicroMessenger (the WeChat client's built-in browser), and only while
 * WeChat is configured (AppID and AppSecret).  Every other browser keeps
 * the password form: WeChat's authorize page works only inside WeChat, so
 * sending an ordinary phone browser there would strand it.
 *
 * 1. wx_oauth_start(): a fresh state (32 random letters and digits) goes to
 *    WeChat and, with the time and the page asked for (`next`), into a
 *    short-lived HttpOnly cookie of this browser (ca_wxst, 10 minutes).
 * 2. wx_oauth_callback() (GET /wx/oauth/callback, no transaction: the code
 *    exchange is a network call): the cookie is dropped at once, and the
 *    returned state must equal it (CSRF for OAuth: a callback URL made by
 *    someone else does not carry this browser's state) and be fresh.  Then
 *    the code is exchanged once for the openid (wx_oauth_openid).  A linked,
 *    enabled user gets a new session (rotated, as at a password sign-in)
 *    and goes to `next`; a linked disabled user is refused; an unlinked
 *    openid is kept server-side (wx_oauth_pending, migration 0014) under a
 *    random cookie token, and the password form is shown once.
 * 3. signin.c: a good password links that openid (model/wxlink.c) in the
 *    same transaction as the new session; the next WeChat visit signs in
 *    without the password.
 * Every refusal (state missing, wrong or old; no code; a bad, used or
 * expired code; WeChat unreachable) answers a phone error page and writes
 * nothing.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/phone.h"
#include "core/req.h"
#include "core/tpl.h"
#include "core/wechat.h"
#include "model/wxlink.h"

#include "wechat/wx.h"

#define STATE_COOKIE "ca_wxst"
#define PENDING_COOKIE "ca_wxpend"
#define STATE_LEN 32
#define STATE_TTL 600		/* seconds from redirect to callback */
#define PENDING_TTL 900		/* seconds to type the password */

static void
random_state(char out[STATE_LEN + 1])
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	for (int i = 0; i < STATE_LEN; i++)
		out[i] = set[randombytes_uniform(sizeof(set) - 1)];
	out[STATE_LEN] = '\0';
}

static const char *
redirect_uri(struct req *r)
{
	return arena_printf(r->arena, "%s/wx/oauth/callback", cfg_str("Site.base_url", "http://127.0.0.1:8080"));
}

int
wx_oauth_start(struct req *r, const char *next)
{
	char state[STATE_LEN + 1];
	char *url;
	struct buf v;

	if (!phone_in_wechat(r) || !wx_configured())
		return 0;
	random_state(state);
	url = wx_oauth_url(r->arena, redirect_uri(r), state);
	if (url == NULL)
		return 0;
	buf_init(&v, r->arena, 128);
	buf_printf(&v, "%s.%lld.", state, (long long)time(NULL));
	url_encode(&v, phone_safe_next(next));
	req_set_cookie(r, STATE_COOKIE, v.data, STATE_TTL, true);
	log_info("phone sign-in: to WeChat OAuth");
	return req_redirect(r, url);
}

/* The error page of the callback: what went wrong, and the two ways on. */
static int
oauth_error(struct req *r, int status, const char *key, const char *next)
{
	phone_page(r, tpl_lang(r, "wx.oauth.title"), "wechat/missing.cs", NULL);
	tpl_set(r, "Page.error", tpl_lang(r, key));
	tpl_set(r, "Page.oauth_next", phone_safe_next(next));
	return status;
}

/* Read "<state>.<unix time>.<next, URL-encoded>"; false when malformed. */
static bool
parse_state_cookie(struct req *r, const char *v, char state[STATE_LEN + 1], long long *at,
    const char **next)
{
	const char *dot, *dot2;
	char *n;
	long len;

	if (v == NULL || (dot = strchr(v, '.')) == NULL || dot - v != STATE_LEN)
		return false;
	memcpy(state, v, STATE_LEN);
	state[STATE_LEN] = '\0';
	if ((dot2 = strchr(dot + 1, '.')) == NULL || dot2 - dot < 2 || dot2 - dot > 20)
		return false;
	*at = 0;
	for (const char *p = dot + 1; p < dot2; p++) {
		if (*p < '0' || *p > '9')
			return false;
		*at = *at * 10 + (*p - '0');
	}
	n = arena_strdup(r->arena, dot2 + 1);
	if ((len = url_decode(n, strlen(n))) < 0)
		return false;
	n[len] = '\0';
	*next = n;
	return true;
}

static const struct query q_pending_insert = {
	"INSERT INTO wx_oauth_pending (token_hash, openid, next_path, created_at)"
	" VALUES (?, ?, ?, UTC_TIMESTAMP())", "sss", ""
};
static const struct query q_pending_gc = {
	"DELETE FROM wx_oauth_pending WHERE created_at < UTC_TIMESTAMP() - INTERVAL 1 HOUR", "", ""
};
static const struct query q_pending_get = {
	"SELECT openid FROM wx_oauth_pending WHERE token_hash = ?"
	" AND created_at > UTC_TIMESTAMP() - INTERVAL 900 SECOND", "s", "s"
};
static const struct query q_pending_delete = {
	"DELETE FROM wx_oauth_pending WHERE token_hash = ?", "s", ""
};

static char *
sha256_hex(struct req *r, const char *s)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char *hex = arena_alloc(r->arena, sizeof(h) * 2 + 1);

	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
	return hex;
}

int
wx_oauth_callback(struct req *r)
{
	const char *code = req_query(r, "code"), *state = req_query(r, "state");
	const char *next = "/wx/scan", *token;
	char want[STATE_LEN + 1], openid[WXLINK_OPENID_MAX + 1];
	long long at = 0, now = (long long)time(NULL);
	int64_t uid;
	int enabled, rc;

	/* One use: the state cookie goes whatever happens next. */
	if (req_cookie(r, STATE_COOKIE))
		req_set_cookie(r, STATE_COOKIE, "", 0, true);
	if (!parse_state_cookie(r, req_cookie(r, STATE_COOKIE), want, &at, &next)) {
		log_warn("WeChat OAuth callback without a state cookie");
		return oauth_error(r, 400, "wx.oauth.err_state", NULL);
	}
	next = phone_safe_next(next);
	if (state == NULL || strlen(state) != STATE_LEN ||
	    sodium_memcmp(state, want, STATE_LEN) != 0) {
		log_warn("WeChat OAuth callback: state mismatch");
		return oauth_error(r, 400, "wx.oauth.err_state", next);
	}
	if (at > now || now - at > STATE_TTL) {
		log_warn("WeChat OAuth callback: state expired");
		return oauth_error(r, 400, "wx.oauth.err_expired", next);
	}
	if (code == NULL || *code == '\0')
		return oauth_error(r, 403, "wx.oauth.err_denied", next);
	if (strlen(code) > 128)
		return oauth_error(r, 400, "wx.oauth.err_code", next);
	if (r->user)
		return req_redirect(r, next);
	rc = wx_oauth_openid(code, openid, sizeof(openid));
	if (rc != WX_OK) {
		log_warn("WeChat OAuth code exchange: %s", wx_status_name(rc));
		return oauth_error(r, rc == WX_REJECTED ? 400 : 502,
		    rc == WX_REJECTED ? "wx.oauth.err_code" : "wx.oauth.err_wechat", next);
	}
	uid = wxlink_user(openid, &enabled);
	if (uid != 0 && !enabled) {
		log_info("WeChat sign-in refused: user %lld is disabled", (long long)uid);
		return oauth_error(r, 403, "login.disabled", next);
	}
	if (uid != 0) {
		if (auth_start_session(r, uid) != 0)
			return 500;
		log_info("phone login of user %lld by WeChat", (long long)uid);
		return req_redirect(r, next);
	}
	/* Not linked yet: the password form, once. */
	token = auth_random_token(r);
	db_exec(&q_pending_gc);
	if (db_exec(&q_pending_insert, sha256_hex(r, token), openid, next) < 0)
		return 500;
	req_set_cookie(r, PENDING_COOKIE, token, PENDING_TTL, true);
	log_info("WeChat openid not linked yet: password sign-in");
	{
		struct buf loc;

		buf_init(&loc, r->arena, 128);
		buf_puts(&loc, "/wx/login?next=");
		url_encode(&loc, next);
		return req_redirect(r, loc.data);
	}
}

const char *
wx_oauth_pending(struct req *r)
{
	const char *token = req_cookie(r, PENDING_COOKIE);
	struct db_cur c;
	const char *openid = NULL;

	if (token == NULL || *token == '\0' || strlen(token) > 64)
		return NULL;
	if (db_open(&c, &q_pending_get, sha256_hex(r, token)) < 0)
		return NULL;
	if (db_next(&c))
		openid = arena_strdup(r->arena, db_str(&c, 0));
	db_close(&c);
	return openid;
}

void
wx_oauth_forget(struct req *r, bool drop_row)
{
	const char *token = req_cookie(r, PENDING_COOKIE);

	if (token == NULL)
		return;
	if (drop_row && *token && strlen(token) <= 64)
		db_exec(&q_pending_delete, sha256_hex(r, token));
	req_set_cookie(r, PENDING_COOKIE, "", 0, true);
}
