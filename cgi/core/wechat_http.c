/*
 * wechat_http.c — the WeChat client's transport (see wechat.h): one reused
 * libcurl handle per process, capped bodies, the retry loop of WECHAT.md
 * §8.2 with JSON parsing (yajl_tree), log lines with secrets redacted, and
 * the small helpers the other wechat_*.c files share (wechat_int.h).
 */
#include "core/wechat.h"
#include "core/wechat_int.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"

static CURL *curl;

/* ------------------------------------------------------------ helpers */

void
wxi_sha1_hex(const char *s, size_t len, char out[41])
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
bool
wxi_url_enc(char *out, size_t n, const char *s)
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
bool
wxi_url_append(char *out, size_t n, const char *s)
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

void
wxi_random_alnum(char *out, size_t len)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	for (size_t i = 0; i < len; i++)
		out[i] = set[randombytes_uniform(sizeof(set) - 1)];
	out[len] = '\0';
}

int
wxi_errcode_status(int errcode)
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

bool
wxi_token_error(int errcode)
{
	return errcode == 40001 || errcode == 40014 || errcode == 42001;
}

/* ------------------------------------------------------------ HTTP */

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

void
wxi_resp_free(struct resp *r)
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
int
wxi_call(const char *method, const char *url, const char *body, bool resend_ok,
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

/* ------------------------------------------------------------ JSON */

char *
wxi_gen_done(yajl_gen g)
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

void
wxi_gen_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

yajl_gen
wxi_gen_new(void)
{
	yajl_gen g = yajl_gen_alloc(NULL);

	if (g == NULL)
		die("yajl_gen_alloc failed");
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	return g;
}

const char *
wxi_tree_str(yajl_val t, const char *name)
{
	const char *path[] = { name, NULL };
	yajl_val v = yajl_tree_get(t, path, yajl_t_string);

	return v ? YAJL_GET_STRING(v) : NULL;
}

long
wxi_tree_int(yajl_val t, const char *name, long dflt)
{
	const char *path[] = { name, NULL };
	yajl_val v = yajl_tree_get(t, path, yajl_t_number);

	return v && YAJL_IS_INTEGER(v) ? (long)YAJL_GET_INTEGER(v) : dflt;
}

long
wxi_json_timeout(void)
{
	return cfg_int("WeChat.timeout_ms", 10000);
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
