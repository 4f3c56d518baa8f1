/*
 * wechat.h — the WeChat Official Account and WeCom robot client
 * (libcurl + yajl), following /work/shared/WECHAT.md.
 *
 * Every URL is built from a configured base: WeChat.api_base (server APIs),
 * WeChat.open_base (only to build the OAuth redirect for the browser) and
 * WeChat.wecom_base (group robots); no host is written anywhere else, so
 * tests point them at the fake server on loopback (tests/fake-wechat/).
 *
 * Settings: wx_setting() reads the wx_settings table (edited by an admin on
 * /base/wechat) and falls back to WeChat.<name> of the config file.
 *
 * The access_token and jsapi_ticket live in the wx_cache table, one record
 * per appid and API base shared by every process of every worker.  A
 * process refreshes early (300 s before expiry) under GET_LOCK, re-reading
 * the record once it holds the lock, so two processes racing fetch once.
 * A token refused by an API (40001/40014/42001) is invalidated only if it
 * is still the cached one (compare-and-invalidate), refetched, and the call
 * retried once.  Call these functions outside a database transaction: the
 * cache write commits on its own then (inside one it commits with the
 * caller, and a rollback only costs a second, harmless stable_token fetch).
 *
 * Retries (WECHAT.md §8.2): transport errors, HTTP 5xx, bodies that are not
 * JSON and errcode -1 are tried up to WeChat.attempts (3) times with
 * 0.5 s, 1 s, 2 s backoff (WeChat.backoff_ms) — a send only when it carries
 * an idempotency key (template: client_msg_id) or the connection was never
 * made; 45009/45011 are never retried here (WX_RATE: the caller defers).
 *
 * Logs name the method, the path with access_token/secret/key/code values
 * replaced by "***", the HTTP status, errcode, WeChat's rid and latency;
 * AppSecret, tokens, tickets and robot keys never reach a log.
 */
#ifndef CA_WECHAT_H
#define CA_WECHAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* Outcomes of every call (0 or negative). */
enum wx_status {
	WX_OK = 0,
	WX_CONFIG = -1,		/* not configured, or a configuration/permission
				 * errcode (40001 on the token fetch, 40013,
				 * 40125, 40164, 40243, 48001): alert, no retry */
	WX_TRANSPORT = -2,	/* network, timeout, HTTP 5xx or a bad body, after
				 * the retries (see wx_result.unknown) */
	WX_BUSY = -3,		/* errcode -1 after the retries */
	WX_RATE = -4,		/* 45009 daily / 45011 minute quota: retry later */
	WX_REJECTED = -5,	/* a permanent business error (40003, 40029,
				 * 40037, 40163, 43004, 43101, 47001, 93000 …) */
	WX_TOKEN = -6,		/* the token was refused again after one refresh */
	WX_DB = -7,		/* the shared cache could not be read or written */
	WX__MIN = -8
};

/* What happened on the wire during the last call, for the outbox and the
 * admin page.  errmsg is WeChat's text (never contains a secret). */
struct wx_result {
	int status;		/* enum wx_status */
	int errcode;		/* WeChat's errcode, 0 when none */
	long http;		/* last HTTP status, 0 when no answer */
	bool unknown;		/* the request may have been received and acted
				 * on although we saw no answer (timeout after
				 * sending): resend only with the same key */
	int attempts;		/* HTTP requests made */
	char errmsg[200];
	char rid[64];		/* WeChat's request id from errmsg */
	char msgid[24];		/* template send: msgid (int64, as text) */
};

/* A stable name of a status for logs and the outbox ("rate_limited" …). */
const char *wx_status_name(int status);

/* A setting: wx_settings row `name`, else the config's WeChat.<name>, else
 * "".  Copies into out (n bytes); returns out. */
const char *wx_setting(const char *name, char *out, size_t n);
/* "••••" plus the last 4 characters of a secret ("" stays ""). */
void wx_mask(const char *secret, char *out, size_t n);
/* Is WeChat usable (appid and secret set)? */
bool wx_configured(void);

/* The shared access_token (fetching or refreshing it if needed) into out
 * (>= 513 bytes).  WX_OK or a negative status; res may be NULL. */
int wx_access_token(char *out, size_t n, struct wx_result *res);
/* The shared jsapi_ticket, fetched with the token, cached the same way. */
int wx_jsapi_ticket(char *out, size_t n, struct wx_result *res);

/* JS-SDK signature (附录1): sha1 of
 * "jsapi_ticket=T&noncestr=N&timestamp=TS&url=U" where U is url up to (not
 * including) any '#'; the query is kept verbatim.  out: 41 bytes of
 * lower-case hex.  Pure function (unit-tested with WECHAT.md §10.1). */
void wx_js_signature(const char *ticket, const char *noncestr,
    const char *timestamp, const char *url, char out[41]);

/* What wx.config needs for the page at `url` (the caller has checked that
 * the URL's host is ours): appId, a fresh timestamp and nonceStr, and the
 * signature over the cached jsapi_ticket. */
struct wx_jsconfig {
	char appid[64];
	char timestamp[24];
	char noncestr[24];
	char signature[41];
};
int wx_jsapi_config(const char *url, struct wx_jsconfig *out);

/* Server push check (§5): sha1 of the sorted concatenation of token,
 * timestamp and nonce equals signature (lower-case hex, compared in
 * constant time).  false for any NULL or empty input. */
bool wx_push_check(const char *token, const char *timestamp,
    const char *nonce, const char *signature);

/* OAuth step 1: the URL to send the browser to (open_base +
 * /connect/oauth2/authorize?…&scope=snsapi_base&state=…#wechat_redirect),
 * redirect_uri URL-encoded.  Allocated from a; NULL when not configured. */
char *wx_oauth_url(struct arena *a, const char *redirect_uri, const char *state);
/* OAuth step 2 (snsapi_base): exchange a one-time code for the user's
 * openid (out, >= 65 bytes).  WX_REJECTED for an unknown or used code
 * (40029/40163) or a snapshot-mode virtual user (is_snapshotuser);
 * never call it twice with one code. */
int wx_oauth_openid(const char *code, char *openid, size_t n);

/* Template message (§4.1).  data: nkeys keyword names and values (each
 * value is cut to 20 characters, as WeChat requires since 2023). */
struct wx_template {
	const char *touser;		/* openid */
	const char *template_id;
	const char *url;		/* NULL: none */
	const char *client_msg_id;	/* idempotency key (required) */
	int nkeys;
	const char *const *keys;
	const char *const *values;
};
int wx_template_send(const struct wx_template *m, struct wx_result *res);

/* Subscribe notice (§4.2, bizsend): like a template message but needs the
 * user's opt-in (43101 when refused or used up: WX_REJECTED).  page is an
 * H5 URL or NULL; no idempotency key exists, so a send is repeated only
 * when it never left. */
int wx_subscribe_send(const char *touser, const char *template_id, const char *page,
    int nkeys, const char *const *keys, const char *const *values, struct wx_result *res);

/* WeCom group robot (§6): a markdown message (≤ 4096 bytes, cut at a
 * character boundary) to the robot with `key`. */
int wx_robot_send(const char *key, const char *markdown, struct wx_result *res);

/* Download a temporary media file (photo) by media_id (§3.6): the bytes
 * (≤ 10 MB, allocated from a) and the Content-Type.  An expired or unknown
 * id gives WX_REJECTED (40007); a body that is not an image WX_TRANSPORT. */
struct wx_media {
	char *data;
	size_t len;
	char type[64];
};
int wx_media_get(const char *media_id, struct arena *a, struct wx_media *out,
    struct wx_result *res);

/* A wx.scanQRCode resultStr (§3.4/§10.5): a 1-D or 2-D code reported as
 * "<FORMAT>,<value>" (EAN_13, CODE_128, QR_CODE …) gives value; anything
 * else is copied whole.  Returns out. */
const char *wx_scan_result(const char *result, char *out, size_t n);

/* Release the curl handle (at process exit; optional). */
void wx_cleanup(void);

#endif
