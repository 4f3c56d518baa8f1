/*
 * wechat_msg.c — what the WeChat client says (see wechat.h): JS-SDK and
 * push signatures, OAuth, template / subscribe / robot messages, media
 * downloads and scan results, on top of wechat_http.c and the token of
 * wechat.c.
 */
#include "core/wechat.h"
#include "core/wechat_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"

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
	wxi_sha1_hex(s, (size_t)len, out);
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
	wxi_random_alnum(out->noncestr, 16);
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
	wxi_sha1_hex(joined, (size_t)len, want);
	return sodium_memcmp(want, signature, 40) == 0;
}

/* ------------------------------------------------------------ OAuth */

char *
wx_oauth_url(struct arena *a, const char *redirect_uri, const char *state)
{
	char appid[64], enc[URL_MAX] = "";
	const char *base = cfg_str("WeChat.open_base", "");

	wx_setting("appid", appid, sizeof(appid));
	if (!*appid || !*base || !wxi_url_enc(enc, sizeof(enc), redirect_uri))
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
	if (!wxi_url_enc(url, sizeof(url), appid) || !wxi_url_append(url, sizeof(url), "&secret=") ||
	    !wxi_url_enc(url, sizeof(url), secret) || !wxi_url_append(url, sizeof(url), "&code=") ||
	    !wxi_url_enc(url, sizeof(url), code) ||
	    !wxi_url_append(url, sizeof(url), "&grant_type=authorization_code")) {
		sodium_memzero(secret, sizeof(secret));
		return WX_REJECTED;
	}
	sodium_memzero(secret, sizeof(secret));
	/* A code is single-use: repeat only when the request never left. */
	rc = wxi_call("GET", url, NULL, false, wxi_json_timeout(), JSON_MAX, false, &rsp, &t, &res);
	sodium_memzero(url, sizeof(url));
	if (rc == WX_OK) {
		oid = wxi_tree_str(t, "openid");
		if (res.errcode != 0)
			rc = wxi_errcode_status(res.errcode) == WX_TOKEN ? WX_CONFIG : wxi_errcode_status(res.errcode);
		else if (wxi_tree_int(t, "is_snapshotuser", 0) == 1)
			rc = WX_REJECTED;
		else if (oid == NULL || !*oid || strlen(oid) >= n)
			rc = WX_TRANSPORT;
		else
			snprintf(openid, n, "%s", oid);
	}
	yajl_tree_free(t);
	wxi_resp_free(&rsp);
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

/* "data": {"<key>": {"value": "<at most 20 characters>"}, …} of a
 * template or subscribe message. */
static void
gen_data(yajl_gen g, int n, const char *const *keys, const char *const *values)
{
	wxi_gen_str(g, "data");
	yajl_gen_map_open(g);
	for (int i = 0; i < n; i++) {
		char *v = cut_chars(values[i] ? values[i] : "", 20);

		wxi_gen_str(g, keys[i]);
		yajl_gen_map_open(g);
		wxi_gen_str(g, "value");
		wxi_gen_str(g, v);
		yajl_gen_map_close(g);
		free(v);
	}
	yajl_gen_map_close(g);
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
	g = wxi_gen_new();
	yajl_gen_map_open(g);
	wxi_gen_str(g, "touser");
	wxi_gen_str(g, m->touser);
	wxi_gen_str(g, "template_id");
	wxi_gen_str(g, m->template_id);
	if (m->url && *m->url) {
		wxi_gen_str(g, "url");
		wxi_gen_str(g, m->url);
	}
	wxi_gen_str(g, "client_msg_id");
	wxi_gen_str(g, m->client_msg_id);
	gen_data(g, m->nkeys, m->keys, m->values);
	yajl_gen_map_close(g);
	body = wxi_gen_done(g);
	/* client_msg_id makes a resend safe: WeChat sends one message per
	 * openid + client_msg_id within 10 minutes. */
	rc = wxi_api("POST", "/cgi-bin/message/template/send", body, true, wxi_json_timeout(), JSON_MAX,
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
	wxi_resp_free(&rsp);
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
	g = wxi_gen_new();
	yajl_gen_map_open(g);
	wxi_gen_str(g, "touser");
	wxi_gen_str(g, touser);
	wxi_gen_str(g, "template_id");
	wxi_gen_str(g, template_id);
	if (page && *page) {
		wxi_gen_str(g, "page");
		wxi_gen_str(g, page);
	}
	gen_data(g, nkeys, keys, values);
	yajl_gen_map_close(g);
	body = wxi_gen_done(g);
	rc = wxi_api("POST", "/cgi-bin/message/subscribe/bizsend", body, false, wxi_json_timeout(), JSON_MAX,
	    false, &rsp, &t, res);
	free(body);
	yajl_tree_free(t);
	wxi_resp_free(&rsp);
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
	g = wxi_gen_new();
	yajl_gen_map_open(g);
	wxi_gen_str(g, "msgtype");
	wxi_gen_str(g, "markdown");
	wxi_gen_str(g, "markdown");
	yajl_gen_map_open(g);
	wxi_gen_str(g, "content");
	wxi_gen_str(g, text);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	body = wxi_gen_done(g);
	free(text);
	snprintf(url, sizeof(url), "%s/cgi-bin/webhook/send?key=", base);
	wxi_url_enc(url, sizeof(url), key);
	/* No idempotency key exists for robots: repeat only unsent requests. */
	rc = wxi_call("POST", url, body, false, wxi_json_timeout(), JSON_MAX, false, &rsp, &t, res);
	sodium_memzero(url, sizeof(url));
	if (rc == WX_OK && res->errcode != 0)
		rc = wxi_errcode_status(res->errcode) == WX_TOKEN ? WX_CONFIG : wxi_errcode_status(res->errcode);
	free(body);
	yajl_tree_free(t);
	wxi_resp_free(&rsp);
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
	wxi_url_enc(pq, sizeof(pq), media_id);
	rc = wxi_api("GET", pq, NULL, true, cfg_int("WeChat.media_timeout_ms", 30000), MEDIA_MAX, true,
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
	wxi_resp_free(&rsp);
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
