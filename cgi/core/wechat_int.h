/*
 * wechat_int.h — what the three files of the WeChat client share
 * (wechat.c, wechat_http.c, wechat_msg.c); not for other code, which uses
 * wechat.h.  Names carry the wxi_ prefix.
 */
#ifndef CA_WECHAT_INT_H
#define CA_WECHAT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

struct wx_result;

#define JSON_MAX (256u << 10)
#define MEDIA_MAX (10u << 20)
#define URL_MAX 4096

/* A response body (malloc'd, grown as it arrives, capped at max). */
struct resp {
	char *data;
	size_t len, cap, max;
	bool too_big;
	long http;
	char type[64];
};
void wxi_resp_free(struct resp *r);

/* The transport retry loop (wechat_http.c): on WX_OK *tree is the parsed
 * JSON answer (or NULL when raw_ok took an image body) and res->errcode
 * its errcode; resend_ok: the request may be repeated after it may have
 * been received (idempotent, or it carries client_msg_id). */
int wxi_call(const char *method, const char *url, const char *body, bool resend_ok,
    long timeout_ms, size_t max, bool raw_ok, struct resp *rsp, yajl_val *tree,
    struct wx_result *res);
/* wxi_call with the shared access_token (wechat.c): path_query is appended
 * to WeChat.api_base; one refresh and one retry when the token is refused;
 * a non-zero errcode becomes its enum wx_status. */
int wxi_api(const char *method, const char *path_query, const char *body, bool resend_ok,
    long timeout_ms, size_t max, bool raw_ok, struct resp *rsp, yajl_val *tree,
    struct wx_result *res);

int wxi_errcode_status(int errcode);
bool wxi_token_error(int errcode);
long wxi_json_timeout(void);

void wxi_sha1_hex(const char *s, size_t len, char out[41]);
/* Append s URL-encoded (RFC 3986 unreserved kept), or literally; false
 * when out (n bytes) cannot hold it. */
bool wxi_url_enc(char *out, size_t n, const char *s);
bool wxi_url_append(char *out, size_t n, const char *s);
void wxi_random_alnum(char *out, size_t len);

/* yajl_gen with UTF-8 validation; gen_done returns a malloc'd copy of the
 * text and frees the generator. */
yajl_gen wxi_gen_new(void);
void wxi_gen_str(yajl_gen g, const char *s);
char *wxi_gen_done(yajl_gen g);
const char *wxi_tree_str(yajl_val t, const char *name);
long wxi_tree_int(yajl_val t, const char *name, long dflt);

#endif
