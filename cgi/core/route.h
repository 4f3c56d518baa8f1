/*
 * route.h — the route table every worker declares once (routes.c).
 *
 * A route maps a method set and a path pattern ("/base/cities/:id/edit")
 * to a handler and a policy.  The dispatcher enforces the policy —
 * sign-in, permission, CSRF on unsafe methods, transaction — so handlers
 * never re-implement it.
 */
#ifndef CA_ROUTE_H
#define CA_ROUTE_H

#include "core/auth.h"

struct req;

typedef int (*handler_fn)(struct req *r);

enum route_policy {
	RP_PUBLIC = 1 << 0,	/* no sign-in needed */
	RP_TX = 1 << 1,		/* wrap in a transaction; retried on deadlock */
	RP_PRECSRF = 1 << 2,	/* anonymous form: double-submit cookie CSRF (login) */
	RP_PWCHANGE = 1 << 3,	/* open while the user must change the password */
	RP_PHONE = 1 << 4,	/* a phone page (core/phone.h): signed out, a GET goes to
				 * the phone sign-in; error pages are phone pages */
};

struct route {
	unsigned methods;	/* M_GET | M_POST … */
	const char *pattern;
	handler_fn fn;
	enum perm perm;		/* PERM_NONE: any signed-in user */
	unsigned policy;
	const char *fn_name;	/* the handler's name as written, for --routes */
};

/* One entry of a route table.  The handler's name comes along as text, so
 * `--routes` shows which function serves each path; a table is written
 * only with these two macros. */
#define ROUTE(methods, pattern, fn, perm, policy) \
	{ (methods), (pattern), (fn), (perm), (policy), #fn }
#define ROUTE_END { 0, NULL, NULL, 0, 0, NULL }

/* Find the route for r->path/method, filling r->args.  NULL with *status
 * set to 404 (no path) or 405 (path known, method not). */
const struct route *route_match(const struct route *table, struct req *r,
    int *status);
/* Print the table (for `--routes`): one line per route with its methods,
 * pattern, permission, handler name and policy words. */
void route_print(const struct route *table);

#endif
