/*
 * wechat.c — the WeChat client (see wechat.h for the contract).
 *
 * Layers, bottom up:
 *   http_once()   one libcurl request on the process's reused easy handle;
 *                 the body is capped (256 KB JSON, 10 MB media);
 *   call()        the transport retry loop of WECHAT.md §8.2 (connect and
 *                 time-out errors, 5xx, bodies that are not JSON, errcode
 *                 -1), parsing the JSON answer with yajl_tree;
 *   api()         call() with the shared access_token, one refresh and one
 *                 retry on 40001/40014/42001;
 *   cache_get()   the wx_cache record with single-flight refresh.
 * The public functions on top build bodies with yajl_gen (raw UTF-8, as
 * WeChat wants) and map errcodes to enum wx_status.
 */
#include "core/wechat.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"

#define JSON_MAX (256u << 10)
#define MEDIA_MAX (10u << 20)
#define URL_MAX 4096

static CURL *curl;

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

/* ------------------------------------------------------------ helpers */

static void
sha1_hex(const char *s, size_t len, char out[41])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (EVP_Digest(s, len, md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20)
		die("EVP_Digest(sha1) failed");
	for (unsigned i = 0; i < 20; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Append s URL-encoded (RFC 3986 unreserved kept) to out of size n;
 * false when it does not fit. */
static bool
url_enc(char *out, size_t n, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(out);

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		bool plain = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' || ch == '~';

		if (len + (plain ? 1 : 3) >= n)
			return false;
		if (plain) {
			out[len++] = (char)ch;
		} else {
			out[len++] = '%';
			out[len++] = hex[ch >> 4];
			out[len++] = hex[ch & 15];
		}
	}
	out[len] = '\0';
	return true;
}

/* Append literal s to out of size n; false when it does not fit. */
static bool
url_append(char *out, size_t n, const char *s)
{
	size_t len = strlen(out), sl = strlen(s);

	if (len + sl >= n)
		return false;
	memcpy(out + len, s, sl + 1);
	return true;
}

/* The path and query of url with the values of secret-bearing keys
 * replaced by "***", for logs. */
static void
redact(const char *url, const char *base, char *out, size_t n)
{
	static const char *const hidden[] = { "access_token=", "secret=", "key=", "code=", "appid=", NULL };
	const char *p = url;
	size_t len = 0;

	if (strncmp(url, base, strlen(base)) == 0)
		p = url + strlen(base);
	while (*p && len + 1 < n) {
		bool at_key = p == url || p[-1] == '?' || p[-1] == '&';
		int h = -1;

		for (int i = 0; at_key && hidden[i]; i++)
			if (strncmp(p, hidden[i], strlen(hidden[i])) == 0)
				h = i;
		if (h >= 0) {
			size_t kl = strlen(hidden[h]);

			if (len + kl + 4 >= n)
				break;
			memcpy(out + len, p, kl);
			memcpy(out + len + kl, "***", 3);
			len += kl + 3;
			p += kl;
			while (*p && *p != '&')
				p++;
			continue;
		}
		out[len++] = *p++;
	}
	out[len] = '\0';
}

/* The "rid: …" of an errmsg. */
static void
take_rid(const char *msg, char *out, size_t n)
{
	const char *r = strstr(msg, "rid:");
	size_t len = 0;

	out[0] = '\0';
	if (r == NULL)
		return;
	r += 4;
	while (*r == ' ')
		r++;
	while (r[len] && r[len] != ' ' && len + 1 < n)
		len++;
	memcpy(out, r, len);
	out[len] = '\0';
}

static void
random_alnum(char *out, size_t len)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	for (size_t i = 0; i < len; i++)
		out[i] = set[randombytes_uniform(sizeof(set) - 1)];
	out[len] = '\0';
}

static int
errcode_status(int errcode)
{
	switch (errcode) {
	case 0:
		return WX_OK;
	case -1:
		return WX_BUSY;
	case 40001: case 40014: case 42001:
		return WX_TOKEN;
	case 45009: case 45011:
		return WX_RATE;
	case 40002: case 40013: case 40125: case 40164: case 40243:
	case 41001: case 43002: case 48001:
		return WX_CONFIG;
	default:
		return WX_REJECTED;
	}
}

static bool
token_error(int errcode)
{
	return errcode == 40001 || errcode == 40014 || errcode == 42001;
}

/* ------------------------------------------------------------ HTTP */

struct resp {
	char *data;
	size_t len, cap, max;
	bool too_big;
	long http;
	char type[64];
};

static size_t
on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct resp *r = ud;
	size_t n = size * nmemb;

	if (r->len + n > r->max) {
		r->too_big = true;
		return 0;
	}
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;

		while (cap < r->len + n + 1)
			cap *= 2;
		r->data = realloc(r->data, cap);
		if (r->data == NULL)
			die("out of memory");
		r->cap = cap;
	}
	memcpy(r->data + r->len, p, n);
	r->len += n;
	r->data[r->len] = '\0';
	return n;
}

static size_t
on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct resp *r = ud;
	size_t n = size * nmemb;

	if (n > 13 && strncasecmp(p, "Content-Type:", 13) == 0) {
		size_t i = 13, k = 0;

		while (i < n && p[i] == ' ')
			i++;
		while (i < n && p[i] != '\r' && p[i] != '\n' && k + 1 < sizeof(r->type))
			r->type[k++] = p[i++];
		r->type[k] = '\0';
	}
	return n;
}

static void
resp_reset(struct resp *r, size_t max)
{
	r->len = 0;
	r->too_big = false;
	r->http = 0;
	r->type[0] = '\0';
	r->max = max;
	if (r->data)
		r->data[0] = '\0';
}

static void
resp_free(struct resp *r)
{
	free(r->data);
	memset(r, 0, sizeof(*r));
}

/* One request.  Returns the curl code; out->http is 0 without an answer. */
static CURLcode
http_once(const char *method, const char *url, const char *body, long timeout_ms,
    struct resp *out)
{
	struct curl_slist *hdrs = NULL;
	CURLcode cc;

	if (curl == NULL) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		curl = curl_easy_init();
		if (curl == NULL)
			die("curl_easy_init failed");
	}
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)cfg_int("WeChat.connect_timeout_ms", 3000));
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "ChargeAsset/1");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, out);
	if (strcmp(method, "POST") == 0) {
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json; charset=utf-8");
		hdrs = curl_slist_append(hdrs, "Expect:");
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)(body ? strlen(body) : 0));
	}
	cc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->http);
	curl_slist_free_all(hdrs);
	return cc;
}

/* A request as the retry matrix wants it.  On WX_OK, *tree is the parsed
 * answer (or NULL when raw_ok accepted a non-JSON body, e.g. an image) and
 * res->errcode its errcode.  resend_ok: the request may be repeated after
 * it may have been received (idempotent, or carries client_msg_id). */
static int
call(const char *method, const char *url, const char *body, bool resend_ok,
    long timeout_ms, size_t max, bool raw_ok, struct resp *rsp, yajl_val *tree,
    struct wx_result *res)
{
	int attempts = cfg_int("WeChat.attempts", 3);
	long backoff = cfg_int("WeChat.backoff_ms", 500);
	char base_api[256], logpath[512], ebuf[128];
	const char *base = cfg_str("WeChat.api_base", "");

	snprintf(base_api, sizeof(base_api), "%s", base);
	if (strncmp(url, base_api, strlen(base_api)) != 0)
		snprintf(base_api, sizeof(base_api), "%s", cfg_str("WeChat.wecom_base", ""));
	redact(url, base_api, logpath, sizeof(logpath));
	*tree = NULL;
	if (attempts < 1)
		attempts = 1;
	for (int i = 0; i < attempts; i++) {
		struct timespec t0, t1;
		CURLcode cc;
		bool sent, retry = false;
		long ms;

		if (i > 0) {
			long wait = (backoff << (i - 1)) + (long)randombytes_uniform(100);

			usleep((useconds_t)wait * 1000);
		}
		resp_reset(rsp, max);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		cc = http_once(method, url, body, timeout_ms, rsp);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		res->attempts++;
		res->http = rsp->http;
		/* Never connected: the request cannot have been acted on. */
		sent = !(cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
		    cc == CURLE_COULDNT_RESOLVE_PROXY || cc == CURLE_URL_MALFORMAT ||
		    cc == CURLE_UNSUPPORTED_PROTOCOL);
		if (cc != CURLE_OK || rsp->http >= 500 || rsp->http == 0) {
			log_warn("wx %s %s -> %s (http %ld, %ld ms, try %d/%d)", method, logpath,
			    cc != CURLE_OK ? curl_easy_strerror(cc) : "server error", rsp->http, ms,
			    i + 1, attempts);
			snprintf(res->errmsg, sizeof(res->errmsg), "%s",
			    cc != CURLE_OK ? curl_easy_strerror(cc) : "HTTP server error");
			res->errcode = 0;
			if (sent)
				res->unknown = true;
			retry = !sent || resend_ok;
		} else if (raw_ok && strncasecmp(rsp->type, "image/", 6) == 0) {
			log_info("wx %s %s -> http %ld %s %zu bytes %ld ms", method, logpath,
			    rsp->http, rsp->type, rsp->len, ms);
			res->unknown = false;
			return WX_OK;
		} else {
			yajl_val t = rsp->data ? yajl_tree_parse(rsp->data, ebuf, sizeof(ebuf)) : NULL;

			if (t == NULL || !YAJL_IS_OBJECT(t)) {
				log_warn("wx %s %s -> http %ld, not JSON (%zu bytes, %ld ms, try %d/%d)",
				    method, logpath, rsp->http, rsp->len, ms, i + 1, attempts);
				yajl_tree_free(t);
				snprintf(res->errmsg, sizeof(res->errmsg), "%s", "answer is not JSON");
				res->unknown = true;
				retry = resend_ok;
			} else {
				static const char *ec_path[] = { "errcode", NULL };
				static const char *em_path[] = { "errmsg", NULL };
				yajl_val ec = yajl_tree_get(t, ec_path, yajl_t_number);
				yajl_val em = yajl_tree_get(t, em_path, yajl_t_string);

				res->errcode = ec && YAJL_IS_INTEGER(ec) ? (int)YAJL_GET_INTEGER(ec) : 0;
				const char *ems = em ? YAJL_GET_STRING(em) : NULL;

				snprintf(res->errmsg, sizeof(res->errmsg), "%s", ems ? ems : "");
				take_rid(res->errmsg, res->rid, sizeof(res->rid));
				log_info("wx %s %s -> http %ld errcode %d rid %s %ld ms", method, logpath,
				    rsp->http, res->errcode, res->rid[0] ? res->rid : "-", ms);
				res->unknown = false;
				if (res->errcode == -1 && i + 1 < attempts) {
					/* System busy: not acted on, so safe to repeat. */
					yajl_tree_free(t);
					continue;
				}
				*tree = t;
				return WX_OK;
			}
		}
		if (!retry)
			break;
	}
	return WX_TRANSPORT;
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

static char *
gen_done(yajl_gen g)
{
	const unsigned char *buf;
	size_t len;
	char *s;

	yajl_gen_get_buf(g, &buf, &len);
	s = malloc(len + 1);
	if (s == NULL)
		die("out of memory");
	memcpy(s, buf, len);
	s[len] = '\0';
	yajl_gen_free(g);
	return s;
}

static void
gen_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static yajl_gen
gen_new(void)
{
	yajl_gen g = yajl_gen_alloc(NULL);

	if (g == NULL)
		die("yajl_gen_alloc failed");
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	return g;
}

static const char *
tree_str(yajl_val t, const char *name)
{
	const char *path[] = { name, NULL };
	yajl_val v = yajl_tree_get(t, path, yajl_t_string);

	return v ? YAJL_GET_STRING(v) : NULL;
}

static long
tree_int(yajl_val t, const char *name, long dflt)
{
	const char *path[] = { name, NULL };
	yajl_val v = yajl_tree_get(t, path, yajl_t_number);

	return v && YAJL_IS_INTEGER(v) ? (long)YAJL_GET_INTEGER(v) : dflt;
}

static long
json_timeout(void)
{
	return cfg_int("WeChat.timeout_ms", 10000);
}

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
	g = gen_new();
	yajl_gen_map_open(g);
	gen_str(g, "grant_type");
	gen_str(g, "client_credential");
	gen_str(g, "appid");
	gen_str(g, appid);
	gen_str(g, "secret");
	gen_str(g, secret);
	gen_str(g, "force_refresh");
	yajl_gen_bool(g, 0);
	yajl_gen_map_close(g);
	body = gen_done(g);
	snprintf(url, sizeof(url), "%s/cgi-bin/stable_token", cfg_str("WeChat.api_base", ""));
	/* Normal mode is idempotent: repeating it returns the same token. */
	rc = call("POST", url, body, true, json_timeout(), JSON_MAX, false, &rsp, &t, res);
	sodium_memzero(body, strlen(body));
	free(body);
	sodium_memzero(secret, sizeof(secret));
	if (rc != WX_OK)
		goto out;
	tok = tree_str(t, "access_token");
	if (res->errcode != 0 || tok == NULL || !*tok) {
		/* On the fetch itself 40001 means a wrong AppSecret. */
		rc = res->errcode == 0 ? WX_TRANSPORT : errcode_status(res->errcode);
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
	*expires_in = tree_int(t, "expires_in", 7200);
	if (*expires_in <= 0)
		*expires_in = 7200;
out:
	yajl_tree_free(t);
	resp_free(&rsp);
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
static int
api(const char *method, const char *path_query, const char *body, bool resend_ok,
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
		rc = call(method, url, body, resend_ok, timeout_ms, max, raw_ok, rsp, tree, res);
		sodium_memzero(url, sizeof(url));
		if (rc != WX_OK || *tree == NULL || !token_error(res->errcode))
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
		rc = errcode_status(res->errcode);
	return rc;
}

static int
fetch_ticket(char *val, size_t n, long *expires_in, struct wx_result *res)
{
	struct resp rsp = { 0 };
	yajl_val t = NULL;
	const char *ticket;
	int rc = api("GET", "/cgi-bin/ticket/getticket?type=jsapi", NULL, true, json_timeout(),
	    JSON_MAX, false, &rsp, &t, res);

	if (rc == WX_OK) {
		ticket = tree_str(t, "ticket");
		if (ticket == NULL || !*ticket || strlen(ticket) >= n) {
			rc = WX_TRANSPORT;
		} else {
			snprintf(val, n, "%s", ticket);
			*expires_in = tree_int(t, "expires_in", 7200);
			if (*expires_in <= 0)
				*expires_in = 7200;
		}
	}
	yajl_tree_free(t);
	resp_free(&rsp);
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

/* ------------------------------------------------------------ signatures */

void
wx_js_signature(const char *ticket, const char *noncestr, const char *timestamp,
    const char *url, char out[41])
{
	size_t ulen = strcspn(url, "#");
	size_t cap = strlen(ticket) + strlen(noncestr) + strlen(timestamp) + ulen + 64;
	char *s = malloc(cap);
	int len;

	if (s == NULL)
		die("out of memory");
	len = snprintf(s, cap, "jsapi_ticket=%s&noncestr=%s&timestamp=%s&url=%.*s", ticket,
	    noncestr, timestamp, (int)ulen, url);
	sha1_hex(s, (size_t)len, out);
	free(s);
}

int
wx_jsapi_config(const char *url, struct wx_jsconfig *out)
{
	char ticket[1024];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = wx_jsapi_ticket(ticket, sizeof(ticket), NULL);
	if (rc != WX_OK)
		return rc;
	wx_setting("appid", out->appid, sizeof(out->appid));
	snprintf(out->timestamp, sizeof(out->timestamp), "%lld", (long long)time(NULL));
	random_alnum(out->noncestr, 16);
	wx_js_signature(ticket, out->noncestr, out->timestamp, url, out->signature);
	sodium_memzero(ticket, sizeof(ticket));
	return WX_OK;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool
wx_push_check(const char *token, const char *timestamp, const char *nonce,
    const char *signature)
{
	const char *v[3] = { token, timestamp, nonce };
	char joined[512], want[41];
	int len;

	if (!token || !timestamp || !nonce || !signature || !*token || !*timestamp || !*nonce ||
	    strlen(signature) != 40)
		return false;
	qsort(v, 3, sizeof(v[0]), cmp_str);
	len = snprintf(joined, sizeof(joined), "%s%s%s", v[0], v[1], v[2]);
	if (len < 0 || (size_t)len >= sizeof(joined))
		return false;
	sha1_hex(joined, (size_t)len, want);
	return sodium_memcmp(want, signature, 40) == 0;
}

/* ------------------------------------------------------------ OAuth */

char *
wx_oauth_url(struct arena *a, const char *redirect_uri, const char *state)
{
	char appid[64], enc[URL_MAX] = "";
	const char *base = cfg_str("WeChat.open_base", "");

	wx_setting("appid", appid, sizeof(appid));
	if (!*appid || !*base || !url_enc(enc, sizeof(enc), redirect_uri))
		return NULL;
	/* Order and case exactly as WeChat requires. */
	return arena_printf(a, "%s/connect/oauth2/authorize?appid=%s&redirect_uri=%s"
	    "&response_type=code&scope=snsapi_base&state=%s#wechat_redirect", base, appid, enc,
	    state ? state : "");
}

int
wx_oauth_openid(const char *code, char *openid, size_t n)
{
	char appid[64], secret[128], url[URL_MAX];
	struct wx_result res = { 0 };
	struct resp rsp = { 0 };
	yajl_val t = NULL;
	const char *oid;
	int rc;

	openid[0] = '\0';
	wx_setting("appid", appid, sizeof(appid));
	wx_setting("secret", secret, sizeof(secret));
	if (!*appid || !*secret)
		return WX_CONFIG;
	if (code == NULL || !*code || strlen(code) > 512)
		return WX_REJECTED;
	snprintf(url, sizeof(url), "%s/sns/oauth2/access_token?appid=", cfg_str("WeChat.api_base", ""));
	if (!url_enc(url, sizeof(url), appid) || !url_append(url, sizeof(url), "&secret=") ||
	    !url_enc(url, sizeof(url), secret) || !url_append(url, sizeof(url), "&code=") ||
	    !url_enc(url, sizeof(url), code) ||
	    !url_append(url, sizeof(url), "&grant_type=authorization_code")) {
		sodium_memzero(secret, sizeof(secret));
		return WX_REJECTED;
	}
	sodium_memzero(secret, sizeof(secret));
	/* A code is single-use: repeat only when the request never left. */
	rc = call("GET", url, NULL, false, json_timeout(), JSON_MAX, false, &rsp, &t, &res);
	sodium_memzero(url, sizeof(url));
	if (rc == WX_OK) {
		oid = tree_str(t, "openid");
		if (res.errcode != 0)
			rc = errcode_status(res.errcode) == WX_TOKEN ? WX_CONFIG : errcode_status(res.errcode);
		else if (tree_int(t, "is_snapshotuser", 0) == 1)
			rc = WX_REJECTED;
		else if (oid == NULL || !*oid || strlen(oid) >= n)
			rc = WX_TRANSPORT;
		else
			snprintf(openid, n, "%s", oid);
	}
	yajl_tree_free(t);
	resp_free(&rsp);
	return rc;
}

/* ------------------------------------------------------------ sends */

/* Copy at most max characters (UTF-8 code points) of s. */
static char *
cut_chars(const char *s, int max)
{
	size_t i = 0;
	int chars = 0;
	char *out;

	while (s[i] && chars < max) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	out = malloc(i + 1);
	if (out == NULL)
		die("out of memory");
	memcpy(out, s, i);
	out[i] = '\0';
	return out;
}

int
wx_template_send(const struct wx_template *m, struct wx_result *res)
{
	struct wx_result tmp;
	struct resp rsp = { 0 };
	yajl_val t = NULL;
	yajl_gen g;
	char *body;
	int rc;

	if (res == NULL)
		res = &tmp;
	memset(res, 0, sizeof(*res));
	if (!m->touser || !*m->touser || !m->template_id || !*m->template_id ||
	    !m->client_msg_id || !*m->client_msg_id) {
		snprintf(res->errmsg, sizeof(res->errmsg), "%s", "recipient, template or key missing");
		return res->status = WX_CONFIG;
	}
	g = gen_new();
	yajl_gen_map_open(g);
	gen_str(g, "touser");
	gen_str(g, m->touser);
	gen_str(g, "template_id");
	gen_str(g, m->template_id);
	if (m->url && *m->url) {
		gen_str(g, "url");
		gen_str(g, m->url);
	}
	gen_str(g, "client_msg_id");
	gen_str(g, m->client_msg_id);
	gen_str(g, "data");
	yajl_gen_map_open(g);
	for (int i = 0; i < m->nkeys; i++) {
		char *v = cut_chars(m->values[i] ? m->values[i] : "", 20);

		gen_str(g, m->keys[i]);
		yajl_gen_map_open(g);
		gen_str(g, "value");
		gen_str(g, v);
		yajl_gen_map_close(g);
		free(v);
	}
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	body = gen_done(g);
	/* client_msg_id makes a resend safe: WeChat sends one message per
	 * openid + client_msg_id within 10 minutes. */
	rc = api("POST", "/cgi-bin/message/template/send", body, true, json_timeout(), JSON_MAX,
	    false, &rsp, &t, res);
	if (rc == WX_OK) {
		const char *path[] = { "msgid", NULL };
		yajl_val id = yajl_tree_get(t, path, yajl_t_number);

		/* The raw text keeps every digit of an id beyond 2^53. */
		if (id && YAJL_GET_NUMBER(id))
			snprintf(res->msgid, sizeof(res->msgid), "%s", YAJL_GET_NUMBER(id));
	}
	free(body);
	yajl_tree_free(t);
	resp_free(&rsp);
	return res->status = rc;
}

int
wx_subscribe_send(const char *touser, const char *template_id, const char *page, int nkeys,
    const char *const *keys, const char *const *values, struct wx_result *res)
{
	struct wx_result tmp;
	struct resp rsp = { 0 };
	yajl_val t = NULL;
	yajl_gen g;
	char *body;
	int rc;

	if (res == NULL)
		res = &tmp;
	memset(res, 0, sizeof(*res));
	if (!touser || !*touser || !template_id || !*template_id) {
		snprintf(res->errmsg, sizeof(res->errmsg), "%s", "recipient or template missing");
		return res->status = WX_CONFIG;
	}
	g = gen_new();
	yajl_gen_map_open(g);
	gen_str(g, "touser");
	gen_str(g, touser);
	gen_str(g, "template_id");
	gen_str(g, template_id);
	if (page && *page) {
		gen_str(g, "page");
		gen_str(g, page);
	}
	gen_str(g, "data");
	yajl_gen_map_open(g);
	for (int i = 0; i < nkeys; i++) {
		char *v = cut_chars(values[i] ? values[i] : "", 20);

		gen_str(g, keys[i]);
		yajl_gen_map_open(g);
		gen_str(g, "value");
		gen_str(g, v);
		yajl_gen_map_close(g);
		free(v);
	}
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	body = gen_done(g);
	rc = api("POST", "/cgi-bin/message/subscribe/bizsend", body, false, json_timeout(), JSON_MAX,
	    false, &rsp, &t, res);
	free(body);
	yajl_tree_free(t);
	resp_free(&rsp);
	return res->status = rc;
}

int
wx_robot_send(const char *key, const char *markdown, struct wx_result *res)
{
	struct wx_result tmp;
	struct resp rsp = { 0 };
	char url[URL_MAX];
	const char *base = cfg_str("WeChat.wecom_base", "");
	yajl_val t = NULL;
	yajl_gen g;
	size_t len = strlen(markdown);
	char *text, *body;
	int rc;

	if (res == NULL)
		res = &tmp;
	memset(res, 0, sizeof(*res));
	if (!key || !*key || !*base) {
		snprintf(res->errmsg, sizeof(res->errmsg), "%s", "no robot key or WeChat.wecom_base");
		return res->status = WX_CONFIG;
	}
	if (len > 4096) {
		len = 4096;
		while (len > 0 && ((unsigned char)markdown[len] & 0xC0) == 0x80)
			len--;
	}
	text = malloc(len + 1);
	if (text == NULL)
		die("out of memory");
	memcpy(text, markdown, len);
	text[len] = '\0';
	g = gen_new();
	yajl_gen_map_open(g);
	gen_str(g, "msgtype");
	gen_str(g, "markdown");
	gen_str(g, "markdown");
	yajl_gen_map_open(g);
	gen_str(g, "content");
	gen_str(g, text);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	body = gen_done(g);
	free(text);
	snprintf(url, sizeof(url), "%s/cgi-bin/webhook/send?key=", base);
	url_enc(url, sizeof(url), key);
	/* No idempotency key exists for robots: repeat only unsent requests. */
	rc = call("POST", url, body, false, json_timeout(), JSON_MAX, false, &rsp, &t, res);
	sodium_memzero(url, sizeof(url));
	if (rc == WX_OK && res->errcode != 0)
		rc = errcode_status(res->errcode) == WX_TOKEN ? WX_CONFIG : errcode_status(res->errcode);
	free(body);
	yajl_tree_free(t);
	resp_free(&rsp);
	return res->status = rc;
}

int
wx_media_get(const char *media_id, struct arena *a, struct wx_media *out,
    struct wx_result *res)
{
	struct wx_result tmp;
	struct resp rsp = { 0 };
	char pq[600] = "/cgi-bin/media/get?media_id=";
	yajl_val t = NULL;
	int rc;

	if (res == NULL)
		res = &tmp;
	memset(res, 0, sizeof(*res));
	memset(out, 0, sizeof(*out));
	if (!media_id || !*media_id || strlen(media_id) > 256)
		return res->status = WX_REJECTED;
	url_enc(pq, sizeof(pq), media_id);
	rc = api("GET", pq, NULL, true, cfg_int("WeChat.media_timeout_ms", 30000), MEDIA_MAX, true,
	    &rsp, &t, res);
	if (rc == WX_OK && t == NULL) {
		const unsigned char *d = (const unsigned char *)rsp.data;
		bool jpeg = rsp.len > 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF;
		bool png = rsp.len > 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0;

		if (!jpeg && !png) {
			snprintf(res->errmsg, sizeof(res->errmsg), "%s", "not a JPEG or PNG image");
			rc = WX_TRANSPORT;
		} else {
			out->data = arena_alloc(a, rsp.len);
			memcpy(out->data, rsp.data, rsp.len);
			out->len = rsp.len;
			snprintf(out->type, sizeof(out->type), "%s", jpeg ? "image/jpeg" : "image/png");
		}
	} else if (rc == WX_OK) {
		rc = WX_TRANSPORT;	/* JSON without an error: a video or a surprise */
	}
	yajl_tree_free(t);
	resp_free(&rsp);
	return res->status = rc;
}

/* ------------------------------------------------------------ scanning */

const char *
wx_scan_result(const char *result, char *out, size_t n)
{
	static const char *const formats[] = {
		"EAN_8", "EAN_13", "UPC_A", "UPC_E", "CODE_39", "CODE_93", "CODE_128", "ITF",
		"CODABAR", "QR_CODE", "DATA_MATRIX", "PDF_417", NULL
	};

	if (result == NULL)
		result = "";
	for (int i = 0; formats[i]; i++) {
		size_t fl = strlen(formats[i]);

		if (strncmp(result, formats[i], fl) == 0 && result[fl] == ',') {
			snprintf(out, n, "%s", result + fl + 1);
			return out;
		}
	}
	snprintf(out, n, "%s", result);
	return out;
}

void
wx_cleanup(void)
{
	if (curl) {
		curl_easy_cleanup(curl);
		curl = NULL;
		curl_global_cleanup();
	}
}
