/*
 * json.c — HDF subtree → JSON with yajl_gen (UTF-8 validated, '/'
 * escaped so JSON can never close a <script> element).
 */
#include "core/json.h"

#include <stdbool.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include <ClearSilver.h>

#include "core/buf.h"
#include "core/req.h"
#include "core/tpl.h"

static bool
all_numbered(HDF *h)
{
	HDF *c = hdf_obj_child(h);

	if (c == NULL)
		return false;
	for (; c; c = hdf_obj_next(c)) {
		const char *n = hdf_obj_name(c);

		if (n == NULL || *n == '\0' || strspn(n, "0123456789") != strlen(n))
			return false;
	}
	return true;
}

static void
gen_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void
emit(yajl_gen g, HDF *h)
{
	HDF *c = hdf_obj_child(h);

	if (c == NULL) {
		const char *v = hdf_obj_value(h);

		gen_str(g, v ? v : "");
		return;
	}
	if (all_numbered(h)) {
		yajl_gen_array_open(g);
		for (; c; c = hdf_obj_next(c))
			emit(g, c);
		yajl_gen_array_close(g);
		return;
	}
	yajl_gen_map_open(g);
	for (; c; c = hdf_obj_next(c)) {
		gen_str(g, hdf_obj_name(c));
		emit(g, c);
	}
	yajl_gen_map_close(g);
}

static void
finish(yajl_gen g, struct buf *out)
{
	const unsigned char *p;
	size_t len;

	yajl_gen_get_buf(g, &p, &len);
	buf_append(out, p, len);
	yajl_gen_free(g);
}

static yajl_gen
start(void)
{
	yajl_gen g = yajl_gen_alloc(NULL);

	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	yajl_gen_config(g, yajl_gen_escape_solidus, 1);
	return g;
}

void
json_from_hdf(struct req *r, const char *name, struct buf *out)
{
	yajl_gen g = start();
	HDF *h = hdf_get_obj(r->hdf, name);

	if (h == NULL) {
		yajl_gen_map_open(g);
		yajl_gen_map_close(g);
	} else
		emit(g, h);
	finish(g, out);
}

void
json_error(struct req *r, int status, struct buf *out)
{
	yajl_gen g = start();
	const char *msg = tpl_get(r, "Page.error");
	HDF *errs = hdf_get_obj(r->hdf, "Page.errors");
	HDF *cur = hdf_get_obj(r->hdf, "Page.current");

	yajl_gen_map_open(g);
	gen_str(g, "status");
	yajl_gen_integer(g, status);
	gen_str(g, "error");
	gen_str(g, msg ? msg : "");
	if (errs) {
		gen_str(g, "errors");
		emit(g, errs);
	}
	if (cur) {
		gen_str(g, "current");
		emit(g, cur);
	}
	gen_str(g, "request_id");
	gen_str(g, r->id);
	yajl_gen_map_close(g);
	finish(g, out);
}
