/*
 * req.c — request parsing.  Everything is copied into the request arena
 * and validated before any handler runs: bodies are size-limited, every
 * parameter must be valid UTF-8 without NUL bytes, multipart parts and
 * JSON bodies are parsed by strict parsers.  Anything malformed is a 400,
 * an oversized body 413, an unknown body type 415.
 */
#include "core/req.h"

#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yajl/yajl_tree.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/text.h"

const char *
req_env(struct req *r, const char *name)
{
	return FCGX_GetParam(name, r->fcgi->envp);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
url_decode(char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			s[o++] = ' ';
		else if (s[i] == '%') {
			int h, l;

			if (i + 2 >= len)
				return -1;
			h = hexval((unsigned char)s[i + 1]);
			l = hexval((unsigned char)s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			s[o++] = (char)(h * 16 + l);
			i += 2;
		} else
			s[o++] = s[i];
	}
	s[o] = '\0';
	return (long)o;
}

void
url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
			buf_putc(b, (char)c);
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

static int
add_param(struct req *r, struct param **list, int *count, const char *name,
    size_t nlen, const char *value, size_t vlen)
{
	struct param *p;

	if (++*count > REQ_MAX_PARAMS || vlen > REQ_MAX_FIELD || nlen > 128)
		return 413;
	if (!utf8_valid(name, nlen) || !utf8_valid(value, vlen) ||
	    memchr(name, '\0', nlen) || memchr(value, '\0', vlen))
		return 400;
	p = arena_alloc(r->arena, sizeof(*p));
	p->name = arena_strndup(r->arena, name, nlen);
	p->value = arena_strndup(r->arena, value, vlen);
	p->len = vlen;
	/* Keep order of appearance: append. */
	p->next = NULL;
	while (*list)
		list = &(*list)->next;
	*list = p;
	return 0;
}

/* Parse "a=1&b=2" (in place on an arena copy). */
static int
parse_urlencoded(struct req *r, struct param **list, const char *src, size_t len)
{
	char *s = arena_strndup(r->arena, src, len);
	char *end = s + len, *p = s;
	int count = 0;

	while (p < end) {
		char *amp = memchr(p, '&', (size_t)(end - p));
		char *pe = amp ? amp : end;
		char *eq = memchr(p, '=', (size_t)(pe - p));
		long nl, vl;
		int rc;

		if (pe == p) {
			p = pe + 1;
			continue;
		}
		*pe = '\0';
		if (eq == NULL)
			eq = pe;	/* "flag" with no value */
		else
			*eq = '\0';
		nl = url_decode(p, (size_t)(eq - p));
		vl = eq < pe ? url_decode(eq + 1, (size_t)(pe - eq - 1)) : 0;
		if (nl <= 0 || vl < 0)
			return 400;
		rc = add_param(r, list, &count, p, (size_t)nl,
		    eq < pe ? eq + 1 : "", (size_t)vl);
		if (rc)
			return rc;
		p = pe + 1;
	}
	return 0;
}

static void
parse_cookies(struct req *r, const char *h)
{
	int count = 0;

	while (h && *h) {
		const char *semi = strchr(h, ';'), *end = semi ? semi : h + strlen(h);
		const char *eq;

		while (*h == ' ')
			h++;
		eq = memchr(h, '=', (size_t)(end - h));
		if (eq && eq > h)
			(void)add_param(r, &r->cookies, &count, h, (size_t)(eq - h),
			    eq + 1, (size_t)(end - eq - 1));
		h = semi ? semi + 1 : NULL;
	}
}

/* Find "key=value" (value maybe quoted) in a header parameter list. */
static const char *
header_attr(struct req *r, const char *h, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = h; (p = strcasestr(p, key)) != NULL; p += klen) {
		const char *v, *e;

		if (p != h && p[-1] != ' ' && p[-1] != ';' && p[-1] != '\t')
			continue;
		if (p[klen] != '=')
			continue;
		v = p + klen + 1;
		if (*v == '"') {
			e = strchr(++v, '"');
			if (e == NULL)
				return NULL;
		} else
			e = v + strcspn(v, "; \t\r\n");
		return arena_strndup(r->arena, v, (size_t)(e - v));
	}
	return NULL;
}

static const char *
memmem_s(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	return memmem(hay, hlen, needle, nlen);
}

/* RFC 7578 multipart/form-data.  Files become uploads, other parts params. */
static int
parse_multipart(struct req *r, const char *body, size_t len)
{
	const char *boundary = header_attr(r, r->content_type, "boundary");
	char *delim;
	size_t dlen;
	const char *p, *end = body + len;
	int count = 0;

	if (boundary == NULL || *boundary == '\0' || strlen(boundary) > 70)
		return 400;
	delim = arena_printf(r->arena, "--%s", boundary);
	dlen = strlen(delim);
	p = memmem_s(body, len, delim, dlen);
	if (p == NULL)
		return 400;
	for (;;) {
		const char *hdr, *hend, *data, *next;
		const char *disp = NULL, *ctype = NULL, *name, *filename;

		p += dlen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0;	/* closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return 400;
		hdr = p + 2;
		/* Search from the delimiter line's CRLF, so a part without
		 * headers ends its (empty) header block at once. */
		hend = memmem_s(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (hend == NULL)
			return 400;
		/* Header lines of this part. */
		for (const char *l = hdr; l < hend;) {
			const char *le = memmem_s(l, (size_t)(hend - l) + 2, "\r\n", 2);
			char *line;

			if (le == NULL || le > hend)
				le = hend;
			line = arena_strndup(r->arena, l, (size_t)(le - l));
			if (strchr(line, ':') == NULL)
				return 400;	/* not a header: a part ran into the next */
			if (strncasecmp(line, "Content-Disposition:", 20) == 0)
				disp = line + 20;
			else if (strncasecmp(line, "Content-Type:", 13) == 0)
				ctype = line + 13 + strspn(line + 13, " \t");
			l = le + 2;
		}
		data = hend + 4;
		next = memmem_s(data, (size_t)(end - data), delim, dlen);
		if (next == NULL || next - data < 2 || next[-2] != '\r' || next[-1] != '\n')
			return 400;
		if (disp == NULL)
			return 400;
		name = header_attr(r, disp, "name");
		filename = header_attr(r, disp, "filename");
		if (name == NULL || *name == '\0')
			return 400;
		if (filename != NULL) {
			struct upload *u = arena_alloc(r->arena, sizeof(*u));

			u->field = name;
			u->filename = filename;
			u->content_type = ctype ? ctype : "application/octet-stream";
			u->data = data;
			u->len = (size_t)(next - 2 - data);
			u->next = r->uploads;
			r->uploads = u;
		} else {
			int rc = add_param(r, &r->form, &count, name, strlen(name),
			    data, (size_t)(next - 2 - data));

			if (rc)
				return rc;
		}
		p = next;
	}
}

/* Does a string of this JSON text contain the escape \u0000?  yajl's tree
 * hands strings out NUL-terminated, so such a value would be cut short
 * instead of refused like a NUL anywhere else. */
static bool
json_has_nul_escape(const char *s, size_t len)
{
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		if (!in_string) {
			if (s[i] == '"')
				in_string = true;
		} else if (s[i] == '"')
			in_string = false;
		else if (s[i] == '\\' && i + 1 < len) {
			if (s[i + 1] == 'u' && i + 5 < len && memcmp(s + i + 2, "0000", 4) == 0)
				return true;
			i++;	/* skip the escaped character */
		}
	}
	return false;
}

/* A JSON object body: its scalar members become parameters. */
static int
parse_json(struct req *r, const char *body, size_t len)
{
	char *copy = arena_strndup(r->arena, body, len);
	char err[128];
	yajl_val root;
	int count = 0, rc = 0;

	if (!utf8_valid(body, len) || memchr(body, '\0', len) || json_has_nul_escape(body, len))
		return 400;
	root = yajl_tree_parse(copy, err, sizeof(err));
	if (root == NULL || !YAJL_IS_OBJECT(root)) {
		yajl_tree_free(root);
		return 400;
	}
	for (size_t i = 0; i < root->u.object.len && rc == 0; i++) {
		const char *k = root->u.object.keys[i];
		yajl_val v = root->u.object.values[i];
		const char *s = NULL;

		if (YAJL_IS_STRING(v))
			s = YAJL_GET_STRING(v);
		else if (YAJL_IS_NUMBER(v))
			s = YAJL_GET_NUMBER(v);
		else if (YAJL_IS_TRUE(v))
			s = "1";
		else if (YAJL_IS_FALSE(v))
			s = "0";
		else if (YAJL_IS_NULL(v))
			s = "";
		else
			rc = 400;	/* nested values are not accepted */
		if (s)
			rc = add_param(r, &r->form, &count, k, strlen(k), s, strlen(s));
	}
	yajl_tree_free(root);
	return rc;
}

/* Read and drop a refused body (nginx has it buffered already, so this is
 * quick), so the worker answers 413 after the whole request arrived:
 * closing while nginx still sends makes it report 502 instead.  At most
 * 64 MiB; nginx's own limits are lower. */
static void
drain_body(struct req *r, unsigned long n)
{
	char chunk[16384];

	if (n > (64ul << 20))
		n = 64ul << 20;
	while (n > 0) {
		int got = FCGX_GetStr(chunk, n < sizeof(chunk) ? (int)n : (int)sizeof(chunk),
		    r->fcgi->in);

		if (got <= 0)
			break;
		n -= (unsigned long)got;
	}
}

static size_t
body_limit(const char *ct)
{
	return ct && strncasecmp(ct, "multipart/form-data", 19) == 0 ? REQ_MAX_UPLOAD : REQ_MAX_BODY;
}

int
req_parse(struct req *r)
{
	const char *m = req_env(r, "REQUEST_METHOD");
	const char *uri = req_env(r, "DOCUMENT_URI");
	const char *cl = req_env(r, "CONTENT_LENGTH");
	const char *fmt;
	size_t len = 0;
	int rc, count = 0;

	if (m == NULL || uri == NULL)
		return 400;
	r->method = strcmp(m, "GET") == 0 ? M_GET : strcmp(m, "POST") == 0 ? M_POST :
	    strcmp(m, "HEAD") == 0 ? M_HEAD : M_OTHER;
	r->path = arena_strdup(r->arena, uri);
	r->query_string = req_env(r, "QUERY_STRING");
	r->remote_addr = req_env(r, "REMOTE_ADDR");
	r->user_agent = req_env(r, "HTTP_USER_AGENT");
	r->content_type = req_env(r, "CONTENT_TYPE");
	r->accept = req_env(r, "HTTP_ACCEPT");
	if (r->query_string == NULL)
		r->query_string = "";
	if (!utf8_valid(r->path, strlen(r->path)))
		return 400;
	parse_cookies(r, req_env(r, "HTTP_COOKIE"));
	rc = req_parse_query(r, r->query_string);
	if (rc)
		return rc;
	(void)count;

	fmt = req_query(r, "format");
	r->want_json = (r->accept && strstr(r->accept, "application/json") &&
	    !strstr(r->accept, "text/html")) || (fmt && strcmp(fmt, "json") == 0);

	if (cl && *cl) {
		char *end;
		unsigned long v = strtoul(cl, &end, 10);

		if (*end != '\0')
			return 400;
		if (v > body_limit(r->content_type)) {
			drain_body(r, v);
			return 413;
		}
		len = v;
	}
	if (len > 0) {
		char *body = arena_alloc(r->arena, len + 1);
		int got = FCGX_GetStr(body, (int)len, r->fcgi->in);

		if (got < 0 || (size_t)got != len)
			return 400;
		body[len] = '\0';
		return req_parse_body(r, body, len);
	}
	return 0;
}

int
req_parse_body(struct req *r, const char *body, size_t len)
{
	const char *ct = r->content_type ? r->content_type : "";

	if (len > body_limit(ct))
		return 413;
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		return parse_urlencoded(r, &r->form, body, len);
	if (strncasecmp(ct, "multipart/form-data", 19) == 0)
		return parse_multipart(r, body, len);
	if (strncasecmp(ct, "application/json", 16) == 0)
		return parse_json(r, body, len);
	return 415;
}

int
req_parse_query(struct req *r, const char *qs)
{
	return parse_urlencoded(r, &r->query, qs, strlen(qs));
}

static const char *
find(struct param *p, const char *name)
{
	for (; p; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p->value;
	return NULL;
}

const char *
req_param(struct req *r, const char *name)
{
	const char *v = find(r->form, name);

	return v ? v : find(r->query, name);
}

const char *
req_query(struct req *r, const char *name)
{
	return find(r->query, name);
}

const char *
req_form(struct req *r, const char *name)
{
	return find(r->form, name);
}

const char *
req_safe_next(const char *next, const char *prefix, const char *dflt)
{
	size_t n;

	if (next == NULL || next[0] != '/' || next[1] == '/' ||
	    strncmp(next, prefix, strlen(prefix)) != 0)
		return dflt;
	for (n = 0; next[n] != '\0'; n++) {
		unsigned char ch = (unsigned char)next[n];

		if (ch <= 0x20 || ch == 0x7f || ch == '\\' || n >= 300)
			return dflt;
	}
	return next;
}

const char *
req_cookie(struct req *r, const char *name)
{
	return find(r->cookies, name);
}

int
req_int64(struct req *r, const char *name, int64_t *out)
{
	const char *v = req_param(r, name);

	if (v == NULL || *v == '\0')
		return -1;
	return text_int64(v, out) == 0 ? 0 : -2;
}

int
req_arg_id(struct req *r, int n, int64_t *out)
{
	int64_t v;

	if (n >= r->nargs || text_int64(r->args[n], &v) != 0 || v <= 0)
		return -1;
	*out = v;
	return 0;
}

void
req_header(struct req *r, const char *name, const char *value)
{
	/* Header values we set never come from users unchecked; still refuse
	 * line breaks so no caller can split the response. */
	if (strpbrk(value, "\r\n") || strpbrk(name, "\r\n:"))
		die("header injection attempt in %s", name);
	buf_printf(&r->headers, "%s: %s\r\n", name, value);
}

void
req_set_cookie(struct req *r, const char *name, const char *value,
    int max_age, bool http_only)
{
	bool secure = cfg_int("Site.cookie_secure", 0) != 0;

	buf_printf(&r->headers, "Set-Cookie: %s=%s; Path=/; SameSite=Lax%s%s",
	    name, value, http_only ? "; HttpOnly" : "", secure ? "; Secure" : "");
	if (max_age >= 0)
		buf_printf(&r->headers, "; Max-Age=%d", max_age);
	buf_puts(&r->headers, "\r\n");
}

int
req_redirect(struct req *r, const char *location)
{
	r->location = location;
	return 303;
}
