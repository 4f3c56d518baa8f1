/* Unit tests of route matching: literal segments, :captures, methods. */
#include <string.h>

#include "core/arena.h"
#include "core/req.h"
#include "core/route.h"

#include "tap.h"

static int h_list(struct req *r) { (void)r; return 1; }
static int h_edit(struct req *r) { (void)r; return 2; }
static int h_update(struct req *r) { (void)r; return 3; }

static const struct route table[] = {
	{ M_GET, "/base/cities", h_list, PERM_BASE_VIEW, 0 },
	{ M_GET, "/base/cities/:id/edit", h_edit, PERM_BASE_ADMIN, 0 },
	{ M_POST, "/base/cities/:id", h_update, PERM_BASE_ADMIN, RP_TX },
	{ 0, NULL, NULL, 0, 0 }
};

int
main(void)
{
	struct arena a;
	struct req r;
	int status;
	const struct route *rt;

	arena_init(&a, 4096);
	memset(&r, 0, sizeof(r));
	r.arena = &a;
	r.method = M_GET;
	r.path = "/base/cities";
	rt = route_match(table, &r, &status);
	ok(rt && rt->fn == h_list && r.nargs == 0, "literal route");

	r.path = "/base/cities/42/edit";
	rt = route_match(table, &r, &status);
	ok(rt && rt->fn == h_edit && r.nargs == 1 && strcmp(r.args[0], "42") == 0, "capture :id");

	r.method = M_HEAD;
	rt = route_match(table, &r, &status);
	ok(rt && rt->fn == h_edit, "HEAD is served by the GET route");

	r.method = M_POST;
	r.path = "/base/cities/42";
	rt = route_match(table, &r, &status);
	ok(rt && rt->fn == h_update, "POST route");

	r.method = M_GET;
	rt = route_match(table, &r, &status);
	ok(rt == NULL && status == 405, "known path, wrong method is 405");

	r.path = "/base/cities/42/edit/x";
	rt = route_match(table, &r, &status);
	ok(rt == NULL && status == 404, "longer path is 404");

	r.path = "/base/cities//edit";
	rt = route_match(table, &r, &status);
	ok(rt == NULL && status == 404, "empty capture is 404");

	r.path = "/base/citie";
	rt = route_match(table, &r, &status);
	ok(rt == NULL && status == 404, "prefix of a route is 404");

	r.path = "/base/cities/";
	rt = route_match(table, &r, &status);
	ok(rt == NULL && status == 404, "trailing slash is another path");
	arena_free(&a);
	return done();
}
