/*
 * tpl.c — ClearSilver glue.
 *
 * Each language has one long-lived HDF tree holding Config (escaping),
 * Site and Lang; a request borrows the tree of its language, adds its own
 * top-level nodes (Page, User, Perm, Req, Csrf) and removes them in
 * tpl_end().  This avoids copying the language pack for every request.
 * Parsing a template costs more than rendering it, so each process keeps
 * the parse of every (language, layout, view) it has rendered and renders
 * it again for the next request: the tree that CSPARSE refers to is the
 * same long-lived language tree, and `include:Page.view` is resolved when
 * the layout is parsed, which is why the view is part of the key.
 * Config.TemplateCache = 0 turns this off while editing templates.
 *
 * Rendering is a pure function of the parsed template and the data tree,
 * so each process also remembers the output of its last few renders,
 * keyed by the template and an exact copy of the request's part of the
 * tree (everything but the language pack and Config): the same page asked
 * again with the same data (a list refreshed, the same filter) is copied
 * instead of rendered.  Req.id (unique per request) is left out of the
 * key, and an output that contains the request id is never kept.
 */
#include "core/tpl.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/req.h"

enum { LANG_ZH, LANG_EN, LANG__MAX };
static const char *const lang_codes[LANG__MAX] = { "zh-CN", "en" };
static HDF *trees[LANG__MAX];
static const char *const request_nodes[] = {
	"Page", "User", "Perm", "Req", "Csrf", "CS", NULL
};

void
tpl_log_neoerr(NEOERR *err)
{
	STRING s;

	string_init(&s);
	nerr_error_traceback(err, &s);
	log_err("template error: %s", s.buf ? s.buf : "?");
	string_clear(&s);
	nerr_ignore(&err);
}

static void
check(NEOERR *err, const char *what)
{
	if (err != STATUS_OK) {
		tpl_log_neoerr(err);
		die("%s failed", what);
	}
}

void
tpl_init(const char *views)
{
	for (int l = 0; l < LANG__MAX; l++) {
		char path[1024];
		HDF *h;

		check(hdf_init(&trees[l]), "hdf_init");
		h = trees[l];
		snprintf(path, sizeof(path), "%s/lang/%s.hdf", views, lang_codes[l]);
		check(hdf_read_file(h, path), path);
		check(hdf_set_value(h, "hdf.loadpaths.0", views), "loadpaths");
		check(hdf_set_value(h, "Config.VarEscapeMode", "html"), "escape mode");
		check(hdf_set_value(h, "Config.TagStart", "cs"), "tag start");
		check(hdf_set_value(h, "Site.lang", lang_codes[l]), "lang");
		check(hdf_set_value(h, "Site.name", hdf_get_value(h, "Lang.app_name", "ChargeAsset")), "name");
		check(hdf_set_value(h, "Site.other_lang", lang_codes[1 - l]), "lang");
	}
}

void
tpl_begin(struct req *r)
{
	const char *want = r->user && r->user->lang && *r->user->lang ? r->user->lang : NULL;
	const char *cookie = req_cookie(r, "ca_lang");
	int l = LANG_ZH;

	if (cookie && (strcmp(cookie, "en") == 0 || strcmp(cookie, "zh-CN") == 0))
		want = cookie;
	if (want == NULL)
		want = cfg_str("Site.lang", "zh-CN");
	if (strcmp(want, "en") == 0)
		l = LANG_EN;
	r->lang = lang_codes[l];
	r->hdf = trees[l];
	tpl_end(r);	/* in case a previous request died halfway */
}

void
tpl_end(struct req *r)
{
	if (r->hdf == NULL)
		return;
	for (int i = 0; request_nodes[i]; i++)
		hdf_remove_tree(r->hdf, request_nodes[i]);
}

void
tpl_set(struct req *r, const char *name, const char *value)
{
	check(hdf_set_value(r->hdf, name, value ? value : ""), name);
}

void
tpl_set_int(struct req *r, const char *name, int64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%lld", (long long)v);
	tpl_set(r, name, num);
}

/* Format an HDF name (integer-only formats by convention); dies when too long. */
static void __attribute__((format(printf, 3, 0)))
name_vfmt(char *name, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(name, size, fmt, ap);

	if (n < 0 || (size_t)n >= size)
		die("HDF name too long: %s", fmt);
}

void
tpl_setf(struct req *r, const char *value, const char *fmt, ...)
{
	char name[256];
	va_list ap;

	va_start(ap, fmt);
	name_vfmt(name, sizeof(name), fmt, ap);
	va_end(ap);
	tpl_set(r, name, value);
}

HDF *
tpl_node(struct req *r, const char *fmt, ...)
{
	char name[256];
	va_list ap;
	HDF *node;

	va_start(ap, fmt);
	name_vfmt(name, sizeof(name), fmt, ap);
	va_end(ap);
	check(hdf_get_node(r->hdf, name, &node), name);
	return node;
}

void
tpl_node_set(HDF *node, const char *name, const char *value)
{
	check(hdf_set_value(node, name, value ? value : ""), name);
}

const char *
tpl_get(struct req *r, const char *name)
{
	return hdf_get_value(r->hdf, name, NULL);
}

const char *
tpl_lang_pack(int i, const char *key)
{
	char name[256];

	if (i < 0 || i >= LANG__MAX || trees[i] == NULL)
		return NULL;
	snprintf(name, sizeof(name), "Lang.%s", key);
	return hdf_get_value(trees[i], name, NULL);
}

const char *
tpl_lang(struct req *r, const char *key)
{
	char name[256];

	const char *v;

	snprintf(name, sizeof(name), "Lang.%s", key);
	v = hdf_get_value(r->hdf, name, NULL);
	/* A missing label shows its key; a copy, because callers pass keys
	 * built in their own stack buffers and may return what we return. */
	return v ? v : arena_strdup(r->arena, key);
}

static NEOERR *
render_cb(void *ctx, char *s)
{
	buf_puts(ctx, s);
	return STATUS_OK;
}

#define PARSE_CACHE 96

struct parsed {
	HDF *tree;
	char key[160];
	CSPARSE *cs;
};
static struct parsed parse_cache[PARSE_CACHE];

/* The cached parse of layout+view for this language, parsing it if new. */
static NEOERR *
parsed_get(struct req *r, const char *layout, const char *view, CSPARSE **out,
    bool *owned)
{
	char key[160];
	CSPARSE *cs = NULL;
	NEOERR *err;
	int slot = -1;

	snprintf(key, sizeof(key), "%s|%s", layout ? layout : "", view);
	*owned = false;
	for (int i = 0; i < PARSE_CACHE; i++) {
		if (parse_cache[i].cs == NULL) {
			if (slot < 0)
				slot = i;
			continue;
		}
		if (parse_cache[i].tree == r->hdf && strcmp(parse_cache[i].key, key) == 0) {
			*out = parse_cache[i].cs;
			return STATUS_OK;
		}
	}
	err = cs_init(&cs, r->hdf);
	if (err == STATUS_OK)
		err = cgi_register_strfuncs(cs);
	if (err == STATUS_OK)
		err = cs_parse_file(cs, layout ? layout : view);
	if (err != STATUS_OK) {
		cs_destroy(&cs);
		return err;
	}
	if (slot >= 0 && cfg_int("Config.TemplateCache", 1)) {
		parse_cache[slot].tree = r->hdf;
		snprintf(parse_cache[slot].key, sizeof(parse_cache[slot].key), "%s", key);
		parse_cache[slot].cs = cs;
	} else
		*owned = true;
	*out = cs;
	return STATUS_OK;
}

#define MEMO_SLOTS 8
#define MEMO_BUDGET (1u << 20)		/* keys + outputs per process */
#define MEMO_OUT_MAX (256u << 10)

struct memo {
	const CSPARSE *cs;
	uint64_t hash;
	char *key;
	size_t keylen;
	char *out;
	size_t outlen;
};
static struct memo memos[MEMO_SLOTS];
static int memo_next;
static size_t memo_bytes;

/* Names and values of a subtree, with structure marks, into b. */
static void
memo_tree(struct buf *b, HDF *h, bool top)
{
	for (HDF *c = hdf_obj_child(h); c; c = hdf_obj_next(c)) {
		const char *n = hdf_obj_name(c), *v = hdf_obj_value(c);

		n = n ? n : "";
		if (top && (strcmp(n, "Lang") == 0 || strcmp(n, "Config") == 0 ||
		    strcmp(n, "hdf") == 0))
			continue;	/* the language tree's own, fixed at start */
		buf_puts(b, n);
		buf_putc(b, '\0');
		if (v) {
			buf_putc(b, '\1');
			buf_puts(b, v);
		}
		buf_putc(b, '\0');
		if (top && strcmp(n, "Req") == 0) {
			/* Req without its id. */
			for (HDF *k = hdf_obj_child(c); k; k = hdf_obj_next(k)) {
				const char *kn = hdf_obj_name(k), *kv = hdf_obj_value(k);

				if (kn && strcmp(kn, "id") == 0)
					continue;
				buf_puts(b, kn ? kn : "");
				buf_putc(b, '\0');
				buf_puts(b, kv ? kv : "");
				buf_putc(b, '\0');
				memo_tree(b, k, false);
			}
		} else
			memo_tree(b, c, false);
		buf_putc(b, '\2');
	}
}

static uint64_t
memo_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void
memo_drop(struct memo *m)
{
	memo_bytes -= m->keylen + m->outlen;
	free(m->key);
	free(m->out);
	memset(m, 0, sizeof(*m));
}

static void
memo_keep(const CSPARSE *cs, const struct buf *key, uint64_t hash, const char *out,
    size_t outlen)
{
	struct memo *m;

	if (outlen > MEMO_OUT_MAX || key->len + outlen > MEMO_BUDGET)
		return;
	while (memo_bytes + key->len + outlen > MEMO_BUDGET) {
		for (int i = 0; i < MEMO_SLOTS; i++)
			if (memos[i].cs)
				memo_drop(&memos[i]);
	}
	m = &memos[memo_next];
	memo_next = (memo_next + 1) % MEMO_SLOTS;
	if (m->cs)
		memo_drop(m);
	if ((m->key = malloc(key->len)) == NULL || (m->out = malloc(outlen ? outlen : 1)) == NULL) {
		free(m->key);
		m->key = NULL;
		return;
	}
	memcpy(m->key, key->data, key->len);
	memcpy(m->out, out, outlen);
	m->keylen = key->len;
	m->outlen = outlen;
	m->hash = hash;
	m->cs = cs;
	memo_bytes += key->len + outlen;
}

int
tpl_render(struct req *r, const char *layout, const char *view, struct buf *out)
{
	CSPARSE *cs = NULL;
	NEOERR *err;
	bool owned;
	struct buf key;
	uint64_t hash = 0;
	size_t start = out->len;

	tpl_set(r, "Page.view", view);
	err = parsed_get(r, layout, view, &cs, &owned);
	if (err == STATUS_OK && !owned) {
		buf_init(&key, r->arena, 16384);
		memo_tree(&key, r->hdf, true);
		hash = memo_hash(key.data, key.len);
		for (int i = 0; i < MEMO_SLOTS; i++) {
			struct memo *m = &memos[i];

			if (m->cs == cs && m->hash == hash && m->keylen == key.len &&
			    memcmp(m->key, key.data, key.len) == 0) {
				buf_append(out, m->out, m->outlen);
				return 0;
			}
		}
	}
	if (err == STATUS_OK)
		err = cs_render(cs, out, render_cb);
	if (err == STATUS_OK && !owned &&
	    memmem(out->data + start, out->len - start, r->id, strlen(r->id)) == NULL)
		memo_keep(cs, &key, hash, out->data + start, out->len - start);
	if (owned)
		cs_destroy(&cs);
	if (err != STATUS_OK) {
		tpl_log_neoerr(err);
		return -1;
	}
	return 0;
}
