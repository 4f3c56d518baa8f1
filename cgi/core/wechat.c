/*
 * wechat.c — the WeChat client (see wechat.h for the contract).
 *
 * Layers, bottom up:
 *   wechat_http.c  http_once(): one libcurl request on the process's reused
 *                  easy handle, bodies capped (256 KB JSON, 10 MB media);
 *                  wxi_call(): the transport retry loop of WECHAT.md §8.2
 *                  (connect and time-out errors, 5xx, bodies that are not
 *                  JSON, errcode -1), parsing the answer with yajl_tree;
 *   wechat.c       (this file) settings, the shared wx_cache record with
 *                  single-flight refresh, the token and ticket, and
 *                  wxi_api(): a call with the token, one refresh and one
 *                  retry on 40001/40014/42001;
 *   wechat_msg.c   signatures, OAuth, template/subscribe/robot sends,
 *                  media, scan results: bodies built with yajl_gen (raw
 *                  UTF-8, as WeChat wants), errcodes mapped to wx_status.
 */
#include "core/wechat.h"
#include "core/wechat_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <yajl/yajl_tree.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"

static const char *const status_names[] = {
	"ok", "config_error", "transport_error", "busy", "rate_limited",
	"rejected", "token_refused", "db_error",
};

const char *
wx_status_name(int status)
{
	if (status > 0 || status <= WX__MIN)
		return "unknown";
	return status_names[-status];
}

/* ------------------------------------------------------------ settings */

static const struct query q_setting = {
	"SELECT value FROM wx_settings WHERE name = ?", "s", "s"
};

const char *
wx_setting(const char *name, char *out, size_t n)
{
	struct db_cur c;
	char key[96];
	bool found = false;

	if (n == 0)
		return out;
	out[0] = '\0';
	if (db_open(&c, &q_setting, name) == 0) {
		if (db_next(&c)) {
			snprintf(out, n, "%s", db_str(&c, 0));
			found = true;
		}
		db_close(&c);
	}
	if (!found) {
		snprintf(key, sizeof(key), "WeChat.%s", name);
		snprintf(out, n, "%s", cfg_str(key, ""));
	}
	return out;
}

void
wx_mask(const char *secret, char *out, size_t n)
{
	size_t len = secret ? strlen(secret) : 0;

	if (len == 0)
		snprintf(out, n, "%s", "");
	else
		snprintf(out, n, "••••%s", len > 4 ? secret + len - 4 : "");
}

bool
wx_configured(void)
{
	char appid[64], secret[128];

	return *wx_setting("appid", appid, sizeof(appid)) != '\0' &&
	    *wx_setting("secret", secret, sizeof(secret)) != '\0';
}

/* ------------------------------------------------------------ cache */

static const struct query q_cache_get = {
	"SELECT value, refresh_at, expires_at FROM wx_cache WHERE kind = ? AND cache_key = ?",
	"ss", "sll"
};
/* The re-read once the lock is held: a locking read sees the latest
 * committed record even inside a caller's snapshot. */
static const struct query q_cache_get_locked = {
	"SELECT value, refresh_at, expires_at FROM wx_cache WHERE kind = ? AND cache_key = ?"
	" LOCK IN SHARE MODE",
	"ss", "sll"
};
static const struct query q_cache_put = {
	"INSERT INTO wx_cache (kind, cache_key, value, fetched_at, refresh_at, expires_at, fetches)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)"
	" ON DUPLICATE KEY UPDATE value = VALUES(value), fetched_at = VALUES(fetched_at),"
	" refresh_at = VALUES(refresh_at), expires_at = VALUES(expires_at), fetches = fetches + 1",
	"sssllll", ""
};
static const struct query q_cache_drop = {
	"UPDATE wx_cache SET refresh_at = 0, expires_at = 0"
	" WHERE kind = ? AND cache_key = ? AND value = ?",
	"sss", ""
};
static const struct query q_lock = { "SELECT GET_LOCK(?, ?)", "si", "l" };
static const struct query q_unlock = { "SELECT RELEASE_LOCK(?)", "s", "l" };

typedef int (*fetch_fn)(char *val, size_t n, long *expires_in, struct wx_result *res);

static void
cache_key(char *out, size_t n)
{
	char appid[64];

	snprintf(out, n, "%s@%s", wx_setting("appid", appid, sizeof(appid)),
	    cfg_str("WeChat.api_base", ""));
}

/* Read the record: 1 found (val, refresh_at, expires_at set), 0 none,
 * -1 database error. */
static int
cache_read(const struct query *q, const char *kind, const char *key, char *val,
    size_t n, int64_t *refresh_at, int64_t *expires_at)
{
	struct db_cur c;
	int found = 0;

	if (db_open(&c, q, kind, key) != 0)
		return -1;
	if (db_next(&c)) {
		snprintf(val, n, "%s", db_str(&c, 0));
		*refresh_at = db_i64(&c, 1);
		*expires_at = db_i64(&c, 2);
		found = 1;
	}
	db_close(&c);
	return found;
}

static int
cache_get(const char *kind, fetch_fn fetch, char *out, size_t n, struct wx_result *res)
{
	char key[320], lock[32], val[1024];
	int64_t refresh_at = 0, expires_at = 0, now = (int64_t)time(NULL);
	long expires_in = 0;
	int found, rc, got;

	cache_key(key, sizeof(key));
	found = cache_read(&q_cache_get, kind, key, val, sizeof(val), &refresh_at, &expires_at);
	if (found < 0)
		return WX_DB;
	if (found && now < refresh_at) {
		snprintf(out, n, "%s", val);
		return WX_OK;
	}
	/* Single flight: whoever holds the lock fetches; the others wait and
	 * then find the fresh record. */
	snprintf(lock, sizeof(lock), "ca_wx_%s", kind);
	got = (int)db_scalar(0, &q_lock, lock, 15);
	found = cache_read(&q_cache_get_locked, kind, key, val, sizeof(val), &refresh_at, &expires_at);
	now = (int64_t)time(NULL);
	if (found > 0 && now < refresh_at) {
		rc = WX_OK;
		snprintf(out, n, "%s", val);
		goto out;
	}
	rc = fetch(out, n, &expires_in, res);
	if (rc == WX_OK) {
		int64_t early = expires_in > 600 ? expires_in - 300 : expires_in / 2;

		now = (int64_t)time(NULL);
		if (db_exec(&q_cache_put, kind, key, out, now, now + early, now + expires_in, (int64_t)1) < 0)
			rc = WX_DB;
		else
			log_info("wx %s refreshed, valid %ld s", kind, expires_in);
	} else if (found > 0 && now < expires_at) {
		/* The refresh failed but the old value is still valid. */
		log_warn("wx %s refresh failed (%s): using the cached one until it expires", kind,
		    wx_status_name(rc));
		snprintf(out, n, "%s", val);
		rc = WX_OK;
	}
out:
	if (got == 1)
		db_scalar(0, &q_unlock, lock);
	return rc;
}

static void
cache_drop(const char *kind, const char *value)
{
	char key[320];

	cache_key(key, sizeof(key));
	if (db_exec(&q_cache_drop, kind, key, value) > 0)
		log_info("wx %s invalidated", kind);
}

/* ------------------------------------------------------------ token, ticket */

static int
fetch_token(char *val, size_t n, long *expires_in, struct wx_result *res)
{
	char appid[64], secret[128], url[URL_MAX];
	struct resp rsp = { 0 };
	yajl_val t = NULL;
	yajl_gen g;
	char *body;
	const char *tok;
	int rc;

	wx_setting("appid", appid, sizeof(appid));
	wx_setting("secret", secret, sizeof(secret));
	if (!*appid || !*secret || !*cfg_str("WeChat.api_base", "")) {
		snprintf(res->errmsg, sizeof(res->errmsg), "%s", "WeChat is not configured");
		return WX_CONFIG;
	}
	g = wxi_gen_new();
	yajl_gen_map_open(g);
	wxi_gen_str(g, "grant_type");
	wxi_gen_str(g, "client_credential");
	wxi_gen_str(g, "appid");
	wxi_gen_str(g, appid);
	wxi_gen_str(g, "secret");
	wxi_gen_str(g, secret);
	wxi_gen_str(g, "force_refresh");
	yajl_gen_bool(g, 0);
	yajl_gen_map_close(g);
	body = wxi_gen_done(g);
	snprintf(url, sizeof(url), "%s/cgi-bin/stable_token", cfg_str("WeChat.api_base", ""));
	/* Normal mode is idempotent: repeating it returns the same token. */
	rc = wxi_call("POST", url, body, true, wxi_json_timeout(), JSON_MAX, false, &rsp, &t, res);
	sodium_memzero(body, strlen(body));
	free(body);
	sodium_memzero(secret, sizeof(secret));
	if (rc != WX_OK)
		goto out;
	tok = wxi_tree_str(t, "access_token");
	if (res->errcode != 0 || tok == NULL || !*tok) {
		/* On the fetch itself 40001 means a wrong AppSecret. */
		rc = res->errcode == 0 ? WX_TRANSPORT : wxi_errcode_status(res->errcode);
		if (rc == WX_TOKEN || rc == WX_REJECTED)
			rc = WX_CONFIG;
		log_err("wx token fetch refused: errcode %d (%s)", res->errcode, wx_status_name(rc));
		goto out;
	}
	if (strlen(tok) >= n) {
		rc = WX_TRANSPORT;
		goto out;
	}
	snprintf(val, n, "%s", tok);
	*expires_in = wxi_tree_int(t, "expires_in", 7200);
	if (*expires_in <= 0)
		*expires_in = 7200;
out:
	yajl_tree_free(t);
	wxi_resp_free(&rsp);
	return rc;
}

int
wx_access_token(char *out, size_t n, struct wx_result *res)
{
	struct wx_result tmp;

	if (res == NULL)
		res = &tmp;
	memset(res, 0, sizeof(*res));
	res->status = cache_get("token", fetch_token, out, n, res);
	return res->status;
}

/* A token-bearing API call: path_query is appended to api_base and gets
 * "access_token=…" added.  One refresh and one retry when the token is
 * refused.  Owns nothing on return but *tree (free with yajl_tree_free). */
int
wxi_api(const char *method, const char *path_query, const char *body, bool resend_ok,
    long timeout_ms, size_t max, bool raw_ok, struct resp *rsp, yajl_val *tree,
    struct wx_result *res)
{
	char token[1024], url[URL_MAX];
	int rc;

	*tree = NULL;
	for (int round = 0; round < 2; round++) {
		rc = cache_get("token", fetch_token, token, sizeof(token), res);
		if (rc != WX_OK)
			return rc;
		snprintf(url, sizeof(url), "%s%s%saccess_token=%s", cfg_str("WeChat.api_base", ""),
		    path_query, strchr(path_query, '?') ? "&" : "?", token);
		rc = wxi_call(method, url, body, resend_ok, timeout_ms, max, raw_ok, rsp, tree, res);
		sodium_memzero(url, sizeof(url));
		if (rc != WX_OK || *tree == NULL || !wxi_token_error(res->errcode))
			break;
		/* Refused token: drop it unless another process already has. */
		yajl_tree_free(*tree);
		*tree = NULL;
		cache_drop("token", token);
		if (round == 1)
			rc = WX_TOKEN;
	}
	sodium_memzero(token, sizeof(token));
	if (rc == WX_OK && *tree != NULL && res->errcode != 0)
		rc = wxi_errcode_status(res->errcode);
	return rc;
}

static int
fetch_ticket(char *val, size_t n, long *expires_in, struct wx_result *res)
{
	struct resp rsp = { 0 };
	yajl_val t = NULL;
	const char *ticket;
	int rc = wxi_api("GET", "/cgi-bin/ticket/getticket?type=jsapi", NULL, true, wxi_json_timeout(),
	    JSON_MAX, false, &rsp, &t, res);

	if (rc == WX_OK) {
		ticket = wxi_tree_str(t, "ticket");
		if (ticket == NULL || !*ticket || strlen(ticket) >= n) {
			rc = WX_TRANSPORT;
		} else {
			snprintf(val, n, "%s", ticket);
			*expires_in = wxi_tree_int(t, "expires_in", 7200);
			if (*expires_in <= 0)
				*expires_in = 7200;
		}
	}
	yajl_tree_free(t);
	wxi_resp_free(&rsp);
	return rc;
}

int
wx_jsapi_ticket(char *out, size_t n, struct wx_result *res)
{
	struct wx_result tmp;

	if (res == NULL)
		res = &tmp;
	memset(res, 0, sizeof(*res));
	res->status = cache_get("ticket", fetch_ticket, out, n, res);
	return res->status;
}
