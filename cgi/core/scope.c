/*
 * scope.c — the parameters of a data-scope fragment (scope.h).
 */
#include "core/auth.h"
#include "core/db.h"
#include "core/log.h"
#include "core/req.h"
#include "core/scope.h"

int
scope_bind(const struct req *r, const char *frag, struct db_param *p, int *n, int max)
{
	int marks = 0;

	for (const char *s = frag; *s; s++)
		marks += *s == '?';
	return scope_args(r, marks, p, n, max);
}

int
scope_args(const struct req *r, int marks, struct db_param *p, int *n, int max)
{
	if (marks < 2 || marks > 4 || *n + marks > max) {
		log_err("a scope of %d parameters, %d of %d used", marks, *n, max);
		return -1;
	}
	p[(*n)++] = (struct db_param){ .type = 'i', .i = r->user->scope_all };
	p[(*n)++] = (struct db_param){ .type = 'l', .i = r->user->company_id };
	for (int i = 2; i < marks; i++)	/* the supplier, and as a maker */
		p[(*n)++] = (struct db_param){ .type = 'l', .i = r->user->supplier_id };
	return 0;
}

int
scope_limited(const struct req *r)
{
	return r->user != NULL && !r->user->scope_all;
}
