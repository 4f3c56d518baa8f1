/*
 * route.c — path pattern matching.  Patterns are literal segments and
 * ":name" captures of one segment each; the first match wins.
 */
#include "core/route.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/req.h"

/* Does path match pattern?  Captures go to r->args. */
static bool
match(const char *pat, const char *path, struct req *r)
{
	int nargs = 0;

	while (*pat && *path) {
		if (*pat == ':') {
			const char *seg = path;
			size_t len = strcspn(path, "/");

			if (len == 0 || nargs == 4)
				return false;
			r->args[nargs++] = arena_strndup(r->arena, seg, len);
			path += len;
			pat += strcspn(pat, "/");
			continue;
		}
		if (*pat != *path)
			return false;
		pat++;
		path++;
	}
	if (*pat || *path)
		return false;
	r->nargs = nargs;
	return true;
}

const struct route *
route_match(const struct route *table, struct req *r, int *status)
{
	bool path_known = false;
	unsigned m = r->method == M_HEAD ? M_GET : r->method;

	for (const struct route *rt = table; rt->pattern; rt++) {
		if (!match(rt->pattern, r->path, r))
			continue;
		path_known = true;
		if (rt->methods & m)
			return rt;
	}
	*status = path_known ? 405 : 404;
	return NULL;
}

void
route_print(const struct route *table)
{
	for (const struct route *rt = table; rt->pattern; rt++)
		printf("%-4s %-4s %-40s perm=%-14s fn=%-26s%s%s%s%s\n",
		    rt->methods & M_GET ? "GET" : "",
		    rt->methods & M_POST ? "POST" : "",
		    rt->pattern, perm_name(rt->perm), rt->fn_name ? rt->fn_name : "?",
		    rt->policy & RP_PUBLIC ? " public" : "",
		    rt->policy & RP_TX ? " tx" : "",
		    (rt->methods & M_POST) ? " csrf" : "",
		    rt->policy & RP_PHONE ? " phone" : "");
}
