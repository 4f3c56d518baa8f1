/*
 * tpl.h — ClearSilver glue: language packs, the per-request data tree and
 * rendering.  Config.VarEscapeMode is html, so every var: is escaped.
 *
 * Never put user data into an HDF *name*: names are built here only from
 * literal formats with integer arguments (tpl_setf), values are separate.
 */
#ifndef CA_TPL_H
#define CA_TPL_H

#include <stdint.h>

typedef struct _neo_err NEOERR;
typedef struct _hdf HDF;
struct req;
struct buf;

/* Load language packs from <views>/lang/ and prepare one data tree per
 * language.  Exits on error. */
void tpl_init(const char *views_dir);
/* Give the request its language's tree (empty of request data). */
void tpl_begin(struct req *r);
/* Remove the request's nodes from the shared tree. */
void tpl_end(struct req *r);
/* Render views/<view> inside the layout (or alone when layout is NULL). */
int tpl_render(struct req *r, const char *layout, const char *view, struct buf *out);

/* Setters.  Values are copied. */
void tpl_set(struct req *r, const char *name, const char *value);
void tpl_set_int(struct req *r, const char *name, int64_t v);
void tpl_setf(struct req *r, const char *value, const char *name_fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *tpl_get(struct req *r, const char *name);
/* The node named by an integer-only format, created if missing; and a
 * value set below such a node (name: a literal of ours, value: anything). */
HDF *tpl_node(struct req *r, const char *name_fmt, ...)
	__attribute__((format(printf, 2, 3)));
void tpl_node_set(HDF *node, const char *name, const char *value);
/* A language string (Lang.<key>) of the request's language, or (when the pack
 * has none) a copy of the key in the request arena: never `key` itself. */
const char *tpl_lang(struct req *r, const char *key);

/* Lang.<key> of the i-th language pack (0, 1 …) whatever the request's
 * language, e.g. to accept headers in either; NULL when there is no such
 * pack or key.  The string lives as long as the process. */
const char *tpl_lang_pack(int i, const char *key);

/* Log a ClearSilver error chain and free it. */
void tpl_log_neoerr(NEOERR *err);

#endif
