/*
 * req.h — one HTTP request as the handlers see it, and its response.
 *
 * core parses everything up front (query string, cookies, urlencoded,
 * multipart or JSON body) into arena memory with size limits; a malformed
 * request never reaches a handler (400).  Handlers read typed parameters
 * through req_* accessors, fill r->hdf under Page.* and return an HTTP
 * status; app.c renders the template or JSON and sends it.
 */
#ifndef CA_REQ_H
#define CA_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

typedef struct _hdf HDF;
typedef struct FCGX_Request FCGX_Request;
struct arena;
struct route;

enum method { M_GET = 1, M_POST = 2, M_HEAD = 4, M_OTHER = 8 };

struct param {
	const char *name;
	const char *value;
	size_t len;
	struct param *next;
};

struct upload {
	const char *field;
	const char *filename;
	const char *content_type;
	const char *data;
	size_t len;
	struct upload *next;
};

/* The signed-in user: filled by auth.c from the session. */
struct user {
	int64_t id;
	const char *username;
	const char *name;
	const char *role;	/* role code, e.g. "admin" */
	const char *role_name;
	const char *role_name_en;
	uint64_t perms;		/* bit (1 << enum perm) */
	bool scope_all;		/* sees every city company */
	int64_t company_id;	/* own company (head office or city company) */
	const char *company_name;
	int64_t unread_notices;	/* open reminders not read yet (the top bar) */
	int64_t supplier_id;	/* 0 unless a supplier user */
	const char *lang;
	bool must_change_pw;	/* an administrator set the password: change it first */
};

struct req {
	FCGX_Request *fcgi;
	struct arena *arena;
	HDF *hdf;		/* per-request data tree (Page.*, User.* …) */
	HDF *config;		/* process config (read only) */
	char id[24];		/* request id for logs and error pages */

	enum method method;
	const char *path;	/* DOCUMENT_URI without query */
	const char *query_string;
	const char *remote_addr;
	const char *user_agent;
	const char *content_type;
	const char *accept;
	bool want_json;		/* Accept: application/json or ?format=json */

	struct param *query;	/* query string parameters */
	struct param *form;	/* body parameters (urlencoded, multipart, JSON top level) */
	struct param *cookies;
	struct upload *uploads;

	const char *args[4];	/* path captures (":id" segments) */
	int nargs;
	const struct route *route;
	void *ctx;		/* a handler's own state between its hooks */
	const char *idem_key;	/* the submission's key once idem_begin() took it (core/idem.c) */
	const char *audit_source;	/* not a form: where changes come from ("导入 a.csv"), for audit.c */

	struct user *user;	/* NULL when not signed in */
	const char *session_hash;	/* sha256 hex of the session cookie */
	const char *csrf;	/* the session's CSRF token */
	const char *lang;	/* "zh-CN" or "en" */

	/* Response. */
	int status;
	const char *location;	/* redirect target */
	struct buf headers;	/* extra header lines, each ending \r\n */
	struct buf body;	/* raw body (exports, JSON) when raw is set */
	bool raw;		/* body is complete: skip template/JSON rendering */
	const char *raw_type;	/* Content-Type of a raw body */
};

/* Body and field limits. */
#define REQ_MAX_BODY (2u << 20)
/* A multipart body (file uploads; nginx admits it only where uploads go). */
#define REQ_MAX_UPLOAD (12u << 20)
#define REQ_MAX_PARAMS 200
#define REQ_MAX_FIELD (64u << 10)

/* Parse the environment and body of r->fcgi; 0 or an HTTP status (400/413/415). */
int req_parse(struct req *r);

/* The parsers behind req_parse, on their own for tests and fuzzing: the
 * body is interpreted by r->content_type.  0 or an HTTP status. */
int req_parse_body(struct req *r, const char *body, size_t len);
int req_parse_query(struct req *r, const char *qs);

/* Parameters: the body first (for POST), then the query string. NULL if absent. */
const char *req_param(struct req *r, const char *name);
const char *req_query(struct req *r, const char *name);
/* A body parameter only (never the query string): what must not ride in a
 * URL, such as the CSRF token. NULL if absent. */
const char *req_form(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);
const char *req_env(struct req *r, const char *name);

/* Typed parameters: 0 ok, -1 absent or empty, -2 malformed (out untouched). */
int req_int64(struct req *r, const char *name, int64_t *out);
/* The n-th path capture as a positive id: 0 ok, -1 malformed. */
int req_arg_id(struct req *r, int n, int64_t *out);

/* Response helpers. */
void req_header(struct req *r, const char *name, const char *value);
void req_set_cookie(struct req *r, const char *name, const char *value,
    int max_age, bool http_only);
int req_redirect(struct req *r, const char *location);

/* Where to send the browser back to (a `next` parameter): next itself when
 * it is a path on this site that starts with prefix ("/" or e.g. "/wx/"),
 * else dflt.  A safe path starts with exactly one '/', holds no control
 * character, space or backslash (browsers drop tabs and newlines and read
 * '\\' as '/', so "/\t/evil" or "/\\evil" would leave the site) and has at
 * most 300 bytes.  Returns one of its arguments; never fails. */
const char *req_safe_next(const char *next, const char *prefix, const char *dflt);

/* URL-decode in place; returns the new length, or -1 on bad escapes. */
long url_decode(char *s, size_t len);
/* Append s URL-encoded (RFC 3986 unreserved kept). */
void url_encode(struct buf *b, const char *s);

#endif
