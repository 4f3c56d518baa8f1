/*
 * Unit tests of cgi/core/scope.c: a scope fragment's parameters for the
 * three kinds of users, and refusals of a fragment of another shape or a
 * full parameter array.
 */
#include <string.h>

#include "core/db.h"
#include "core/req.h"
#include "core/scope.h"

#include "tap.h"

int
main(void)
{
	struct user u = { .company_id = 3 };
	struct req r = { .user = &u };
	struct db_param p[4];
	int n = 0;

	ok(scope_bind(&r, SCOPE_COMPANY("x.company_id"), p, &n, 4) == 0 && n == 2, "company: two parameters");
	ok(p[0].type == 'i' && p[0].i == 0 && p[1].type == 'l' && p[1].i == 3, "not every company; company 3");
	ok(scope_limited(&r), "a city company's user is limited");
	u = (struct user){ .supplier_id = 9 };
	n = 0;
	ok(scope_bind(&r, SCOPE_PARTY("o.company_id", "o.supplier_id"), p, &n, 4) == 0 && n == 3,
	    "party: three parameters");
	ok(p[0].i == 0 && p[1].i == 0 && p[2].type == 'l' && p[2].i == 9,
	    "a supplier: no company (0, which no row has), its supplier");
	u = (struct user){ .scope_all = true, .company_id = 1 };
	n = 1;
	ok(scope_bind(&r, SCOPE_PARTY("o.company_id", "o.supplier_id"), p, &n, 4) == 0 && n == 4 &&
	    p[1].i == 1 && p[3].i == 0, "appended after what is there; head office sees all");
	ok(!scope_limited(&r), "head office is not limited");
	n = 3;
	ok(scope_bind(&r, SCOPE_COMPANY("x.company_id"), p, &n, 4) == -1 && n == 3, "no room: refused, nothing added");
	n = 0;
	ok(scope_bind(&r, " AND x.company_id = ?", p, &n, 4) == -1 && n == 0, "one mark is not a scope");
	ok(scope_bind(&r, "", p, &n, 4) == -1, "nor is none");
	ok(scope_args(&r, 3, p, &n, 4) == 0 && n == 3 && p[2].type == 'l', "by count: the party's three");
	n = 0;
	ok(scope_bind(&r, SCOPE_SUPPLIED("p.company_id", "p.supplier_id", "pr.manufacturer_id"), p, &n, 4) == 0 &&
	    n == 4 && p[2].i == p[3].i && p[3].type == 'l', "supplied: the supplier twice (as deliverer, as maker)");
	n = 0;
	ok(scope_args(&r, 5, p, &n, 8) == -1 && n == 0, "five is no scope");
	r.user = NULL;
	ok(!scope_limited(&r), "no user: nothing to limit (the route refuses first)");
	return done();
}
