/*
 * crud_plan.c — how a list page is read at a million rows: the capped count,
 * the sorts filters fix, integer ranks for name sorts, the ranges and
 * prefixes of a sort's index a filter leaves, and the choice between
 * walking the sort's index and sorting the few rows the filters find.
 */
#include "core/crud.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/audit.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/crud_int.h"
#include "core/db.h"
#include "core/export.h"
#include "core/log.h"
#include "core/page.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"

/* Rows matching the filters: a count_sql of the form "SELECT COUNT(*) FROM
 * …" counts up to the cap of cap_sql (" LIMIT n) capped"), index-only where
 * the filters' index covers them; any other count_sql runs as it is.
 * -1 on a database error. */
int64_t
crud_count_rows(struct req *r, const struct resource *res, struct listq *q, const char *cap_sql)
{
	struct query cq;
	struct db_cur c;
	int64_t n;

	if (strncmp(res->count_sql, COUNT_HEAD, strlen(COUNT_HEAD)) == 0) {
		/* SELECT COUNT(*) FROM (SELECT 1 FROM … WHERE … LIMIT n) capped */
		struct buf base;

		buf_init(&base, r->arena, 1024);
		buf_puts(&base, "SELECT COUNT(*) FROM (SELECT 1 ");
		buf_puts(&base, res->count_sql + strlen(COUNT_HEAD));
		cq = crud_compose(r, res, base.data, q, NULL, false, false, "l");
		buf_init(&base, r->arena, strlen(cq.sql) + 32);
		buf_puts(&base, cq.sql);
		buf_puts(&base, cap_sql);
		cq.sql = base.data;
	} else
		cq = crud_compose(r, res, res->count_sql, q, NULL, false, false, "l");
	if (db_openv(&c, &cq, q->p, q->np) < 0)
		return -1;
	n = db_next(&c) ? db_i64(&c, 0) : 0;
	db_close(&c);
	return n;
}

/*
 * The sort the query uses: sort without its leading columns that the set
 * filters fix (resource.fixes), when that is another of the sorts ("model,
 * code" with one product chosen is "code"); else sort itself.
 */
const struct list_sort *
crud_sort_unfixed(struct req *r, const struct resource *res, const struct list_sort *sort)
{
	const char *rest = sort->sql;

	for (bool again = true; again;) {
		size_t n = strcspn(rest, ",");

		again = false;
		if (rest[n] != ',')
			break;
		for (int i = 0; i < res->nfixes && !again; i++) {
			const struct sort_fix *f = &res->fixes[i];
			const char *v;
			bool set = strcmp(f->filter, "@scope") == 0 ? res->scope_sql && !r->user->scope_all :
			    (v = req_query(r, f->filter)) != NULL && *v != '\0';

			if (set && strlen(f->column) == n && strncmp(rest, f->column, n) == 0) {
				rest += n + 1;
				rest += strspn(rest, " ");
				again = true;
			}
		}
	}
	if (rest != sort->sql)
		for (int i = 0; i < res->nsorts; i++)
			if (strcmp(res->sorts[i].sql, rest) == 0 && res->sorts[i].many_hint)
				return &res->sorts[i];
	return sort;
}

/* The resource.ranks entry of the sort column at p (n bytes), or NULL. */
static const struct sort_rank *
rank_of(const struct resource *res, const char *p, size_t n)
{
	for (int i = 0; i < res->nranks; i++)
		if (strlen(res->ranks[i].column) == n && strncmp(res->ranks[i].column, p, n) == 0)
			return &res->ranks[i];
	return NULL;
}

#define RANKS_MAX 2000		/* more rows than this: sort by the value itself */

/* Append "CASE <key> WHEN <id> THEN <rank> … ELSE 0 END" (NULL keys and
 * rows added since come first, as NULL names do).  false, with nothing
 * appended, when the ranks cannot be read or are too many. */
static bool
append_ranks(struct buf *sql, const struct sort_rank *k)
{
	struct db_cur c;
	size_t at = sql->len;
	int n = 0;

	if (db_open(&c, k->ranks) < 0)
		return false;
	buf_printf(sql, "CASE %s", k->key);
	while (db_next(&c) && n < RANKS_MAX) {
		buf_printf(sql, " WHEN %lld THEN %lld", (long long)db_i64(&c, 0), (long long)db_i64(&c, 1));
		n++;
	}
	db_close(&c);
	if (n == RANKS_MAX) {
		sql->len = at;
		sql->data[at] = '\0';
		return false;
	}
	buf_puts(sql, " ELSE 0 END");
	return true;
}

/*
 * sort for a sort of the rows themselves (the few plan): each column that
 * resource.ranks ranks is its CASE of integer ranks — the same order, at a
 * fraction of the cost of sorting names by their collation.  sort itself
 * when none of its columns is ranked.
 */
const struct list_sort *
crud_sort_ranked(struct req *r, const struct resource *res, const struct list_sort *sort)
{
	struct list_sort *out;
	struct buf sql;
	bool any = false;

	if (res->nranks == 0)
		return sort;
	buf_init(&sql, r->arena, 512);
	for (const char *p = sort->sql; *p;) {
		const struct sort_rank *k;
		size_t n;

		p += strspn(p, " ");
		n = strcspn(p, ",");
		if (sql.len)
			buf_puts(&sql, ", ");
		if ((k = rank_of(res, p, n)) != NULL && append_ranks(&sql, k))
			any = true;
		else
			buf_append(&sql, p, n);
		p += n;
		if (*p == ',')
			p++;
	}
	if (!any)
		return sort;
	out = arena_alloc(r->arena, sizeof(*out));
	*out = *sort;
	out->sql = sql.data;
	return out;
}

#define RANGE_MAX 32		/* more values than this: walk the whole index */

/*
 * q with " AND <column> IN (…)" for the resource.ranges entry that applies
 * to sort's leading column (its filter set, its values query returning
 * rows), into *out (its own where buffer); false when none applies.  A
 * NULL among the values adds "OR <column> IS NULL".  A walk of the sort's
 * index then reads the ranges of those values only.
 */
bool
crud_ranged(struct req *r, const struct resource *res, const struct listq *q,
    const struct list_sort *sort, struct listq *out)
{
	size_t lead = strcspn(sort->sql, ",");

	for (int i = 0; i < res->nranges; i++) {
		const struct sort_range *g = &res->ranges[i];
		const char *v = req_query(r, g->filter);
		struct db_param p = { .type = 's', .s = v };
		const char *vals[RANGE_MAX];
		struct db_cur c;
		int n = 0, rows = 0;
		bool null = false;

		if (v == NULL || *v == '\0' || strlen(g->column) != lead ||
		    strncmp(sort->sql, g->column, lead) != 0)
			continue;
		if (g->values->params[0] == 'l' && (p.type = 'l', text_int64(v, &p.i) != 0))
			continue;
		if (db_openv(&c, g->values, &p, 1) < 0)
			return false;
		while (db_next(&c) && rows++ <= RANGE_MAX) {
			if (db_null(&c, 0))
				null = true;
			else if (n < RANGE_MAX)
				vals[n++] = arena_strdup(r->arena, db_str(&c, 0));
		}
		db_close(&c);
		if (rows == 0 || rows > RANGE_MAX || q->np + n > MAX_BIND)
			continue;
		*out = *q;
		buf_init(&out->where, r->arena, q->where.len + 32 + 3 * (size_t)n + 2 * lead);
		buf_append(&out->where, q->where.data, q->where.len);
		buf_puts(&out->where, " AND (");
		if (n > 0) {
			buf_printf(&out->where, "%s IN (", g->column);
			for (int j = 0; j < n; j++) {
				buf_puts(&out->where, j ? ", ?" : "?");
				out->p[out->np++] = (struct db_param){ .type = 's', .s = vals[j] };
			}
			buf_putc(&out->where, ')');
		}
		if (null)
			buf_printf(&out->where, "%s%s IS NULL", n > 0 ? " OR " : "", g->column);
		buf_putc(&out->where, ')');
		return true;
	}
	return false;
}

/* Is v one of the comma-separated list? */
bool
crud_list_has(const char *list, const char *v)
{
	size_t len = strlen(v);

	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");

		if (n == len && strncmp(p, v, n) == 0)
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

/* The resource.prefixes entry for sort with the filters set, or NULL. */
const struct sort_prefix *
crud_prefix_of(struct req *r, const struct resource *res, const struct list_sort *sort)
{
	for (int i = 0; i < res->nprefixes; i++) {
		const struct sort_prefix *x = &res->prefixes[i];
		bool all = strcmp(x->sort, sort->name) == 0;

		for (const char *f = x->filters; all && *f;) {
			size_t n = strcspn(f, ",");
			char name[48];
			const char *v;

			snprintf(name, sizeof(name), "%.*s", (int)n, f);
			all = (v = req_query(r, name)) != NULL && *v != '\0';
			if (all && x->values && f == x->filters)
				all = crud_list_has(x->values, v);
			f += n + (f[n] == ',');
		}
		if (all)
			return x;
	}
	return NULL;
}

/*
 * One page of a list with sort indexes (resource.sort_table), from the
 * capped count n (exact up to CRUD_PLAN_SMALL).  Two plans:
 *   walk  the sort's index in order until the page is full: about
 *         (offset + per) * size / n entries of it if the rows matching
 *         are spread evenly — they often are not (new piles, a maker's
 *         models), so the walk is bounded ("LIMIT ROWS EXAMINED") and
 *         given up for the other plan when the bound is reached;
 *   few   the filters' index and a sort of the n rows (which the filter
 *         indexes carry every sort key for); a page past the middle is
 *         read from the other end, so the sort keeps at most n / 2 rows.
 * Measured at 1,000,000 piles: an index entry walked ~0.45 us; a row found
 * and sorted ~0.5 us for a first page, ~3 us more for a deep one.
 * *page is moved back to the last page when it lies beyond the end.
 * Returns the rows read or -1.
 */
#define WALK_ENTRY_NS 450
#define FEW_ROW_NS 500
#define FEW_DEEP_NS 3000
#define WALK_MIN 16384		/* bounds are powers of two from here ... */
#define WALK_MAX 131072		/* ... to here (a few statement texts) */

/* The plan's numbers, from List.* of the configuration (the test suite
 * makes them small, so its few thousand piles take every path). */
int64_t
crud_plan_small(void)
{
	return cfg_int("List.plan_small", CRUD_PLAN_SMALL);
}

/* *plan: what was done, "walk; sort=code" (the X-List-Plan header, for
 * tests and benchmarks). */
int
crud_plan_rows(struct req *r, const struct resource *res, struct listq *q,
    const struct list_sort *sort, bool desc, int64_t n, int64_t per, int64_t *page,
    const char **plan)
{
	const struct list_sort *qs = crud_sort_unfixed(r, res, sort);
	const char *letters = crud_col_letters(r, res);
	bool exact = n <= crud_plan_small(), incomplete = false, rdesc = desc;
	int64_t walk_min = cfg_int("List.walk_min", WALK_MIN), walk_max = cfg_int("List.walk_max", WALK_MAX);
	int64_t size = n, offset, entries, few_ns, limit = per;
	struct query lq;
	struct listq wq;
	const struct sort_prefix *pf = NULL;
	bool rng;
	int reverse = 0, row;

	*plan = arena_printf(r->arena, "none; sort=%s", qs->name);
	if (n == 0)
		return 0;
	if (res->size_estimate && (size = db_scalar(0, res->size_estimate)) < n)
		size = n;
	/* Walking only the values a filter leaves the sort (resource.ranges):
	 * most entries walked match. */
	if (!(rng = crud_ranged(r, res, q, qs, &wq))) {
		wq = *q;
		/* Or an index of the filters' columns, then the sort's. */
		pf = crud_prefix_of(r, res, qs);
	}
	if (!exact && !rng && pf == NULL) {
		/* More rows than counted, a deep page: a walk within its bound
		 * needs at least `need` rows spread evenly.  Counting that far
		 * (~0.6 us a row) costs less than a walk bound to fail (~0.45 us
		 * an entry, up to walk_max) and, when fewer, makes the count
		 * exact: the page is then read from the nearer end. */
		int64_t need = ((int64_t)(*page - 1) * per + per) * size / walk_max;

		if (need > n && need <= 8 * crud_plan_small()) {
			int64_t m = crud_count_rows(r, res, q, arena_printf(r->arena, " LIMIT %lld) capped",
			    (long long)need + 1));

			if (m < 0)
				return -1;
			if (m == 0)
				return 0;
			n = m;
			exact = m <= need;
		}
	}
	if (exact && (*page - 1) * per >= n)
		*page = (n + per - 1) / per;
	offset = (*page - 1) * per;
	entries = rng || pf ? 2 * (offset + per) : (offset + per) * (size / n);
	few_ns = exact ? n * (FEW_ROW_NS + (offset > 0 ? FEW_DEEP_NS : 0)) : INT64_MAX;
	if (entries < few_ns / WALK_ENTRY_NS &&
	    crud_compose_deferred(r, res, &wq, qs, NULL, desc, letters, pf ? pf->hint : qs->many_hint, &lq)) {
		/* Bound: what the other plan would cost, at least 4 x the even spread. */
		int64_t want = exact ? few_ns / WALK_ENTRY_NS : walk_max, bound = walk_min;

		if (want < 4 * entries)
			want = 4 * entries;
		while (bound < want && bound < walk_max)
			bound *= 2;
		lq.sql = arena_printf(r->arena, "%s LIMIT ROWS EXAMINED %lld", lq.sql, (long long)bound);
		if ((row = crud_list_rows(r, res, &lq, &wq, per, offset, 0, &incomplete)) < 0)
			return -1;
		if (!incomplete) {
			*plan = arena_printf(r->arena, "%s; sort=%s",
			    rng ? "walk ranged" : pf ? "walk prefixed" : "walk", qs->name);
			return row;
		}
		hdf_remove_tree(r->hdf, "Page.rows");
	}
	if (exact && offset > n / 2) {
		rdesc = !desc;
		limit = n - offset < per ? n - offset : per;
		offset = n - offset - limit;
		reverse = (int)limit;
	}
	if (!crud_compose_deferred(r, res, q, qs, crud_sort_ranked(r, res, qs), rdesc, letters, res->few_hint, &lq))
		lq = crud_compose(r, res, res->list_sql, q, qs, rdesc, true, letters);
	*plan = arena_printf(r->arena, "%s%s; sort=%s", incomplete ? "walk-stopped " : "",
	    reverse ? "few-reversed" : "few", qs->name);
	return crud_list_rows(r, res, &lq, q, limit, offset, reverse, NULL);
}
