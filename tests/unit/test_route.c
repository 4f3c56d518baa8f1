/* Unit tests of route matching (literal segments, :captures, methods) and
 * of the table `--routes` prints (each route's handler named). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/req.h"
#include "core/route.h"

#include "tap.h"

static int h_list(struct req *r) { (void)r; return 1; }
static int h_edit(struct req *r) { (void)r; return 2; }
static int h_update(struct req *r) { (void)r; return 3; }

static const struct route table[] = {
	ROUTE(M_GET, "/base/cities", h_list, PERM_BASE_VIEW, 0),
	ROUTE(M_GET, "/base/cities/:id/edit", h_edit, PERM_BASE_ADMIN, 0),
	ROUTE(M_POST, "/base/cities/:id", h_update, PERM_BASE_ADMIN, RP_TX),
	ROUTE_END
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

	/* ROUTE() keeps the handler's name, and route_print shows it. */
	ok(strcmp(table[0].fn_name, "h_list") == 0 && strcmp(table[2].fn_name, "h_update") == 0,
	    "ROUTE names its handler");
	{
		char out[1024] = "";
		FILE *f = tmpfile();
		int saved = dup(STDOUT_FILENO);
		size_t n = 0;

		ok(f != NULL && saved >= 0, "capture stdout");
		if (f != NULL && saved >= 0) {
			fflush(stdout);
			dup2(fileno(f), STDOUT_FILENO);
			route_print(table);
			fflush(stdout);
			dup2(saved, STDOUT_FILENO);
			close(saved);
			rewind(f);
			n = fread(out, 1, sizeof(out) - 1, f);
			out[n] = '\0';
			fclose(f);
		}
		ok(strstr(out, "/base/cities/:id/edit") && strstr(out, " fn=h_edit "),
		    "--routes prints the handler of a route");
		ok(strstr(out, "POST /base/cities/:id ") && strstr(out, "fn=h_update") &&
		    strstr(out, " tx csrf"), "--routes prints a POST route's handler and policy");
		{
			int lines = 0;

			for (const char *p = out; (p = strchr(p, '\n')) != NULL; p++)
				lines++;
			ok(lines == 3, "one line per route (%d)", lines);
		}
	}
	return done();
}
