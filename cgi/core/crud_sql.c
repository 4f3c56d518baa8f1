/*
 * crud_sql.c — a list's SQL from the descriptor's literal fragments: the
 * filters read from the query string into fragments and typed parameters,
 * the sort, the page statement and its deferred-join form.
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

/* Count '?' marks in a literal fragment. */
int
crud_marks(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '?';
	return n;
}

/* Filters, sort and paging from the query string; 0 or 400. */
int
crud_list_read(struct req *r, const struct resource *res, struct listq *q)
{
	buf_init(&q->where, r->arena, 256);
	buf_init(&q->qs, r->arena, 128);
	q->np = 0;
	/* A scope fragment (core/scope.h) is true for a user who sees
	 * everything, and leaving it out lets an index that lacks company_id
	 * serve the query alone. */
	if (res->scope_sql && scope_limited(r)) {
		buf_puts(&q->where, res->scope_sql);
		if (scope_bind(r, res->scope_sql, q->p, &q->np, MAX_BIND) != 0)
			return 500;
	}
	for (int i = 0; i < res->nfilters; i++) {
		const struct list_filter *f = &res->filters[i];
		const char *v = req_query(r, f->name);
		struct db_param p = { .type = 's' };
		int64_t n;

		tpl_setf(r, f->name, "Page.filters.%d.name", i);
		tpl_setf(r, (char[]){ f->type, 0 }, "Page.filters.%d.type", i);
		tpl_setf(r, crud_label(r, f->name), "Page.filters.%d.label", i);
		if (f->options) {
			HDF *src = hdf_get_obj(r->hdf, arena_printf(r->arena, "Page.opts.%s", f->options));

			if (src)
				hdf_copy(r->hdf, arena_printf(r->arena, "Page.filters.%d.opts", i), src);
		} else if (f->choices) {
			for (int c = 0; f->choices[c]; c++) {
				tpl_setf(r, f->choices[c], "Page.filters.%d.opts.%d.id", i, c);
				tpl_setf(r, crud_enum_label(r, f->enum_set, f->choices[c]),
				    "Page.filters.%d.opts.%d.label", i, c);
			}
		}
		if (v == NULL || *v == '\0')
			continue;
		if (strlen(v) > 100)
			return 400;
		switch (f->type) {
		case 'l':
			if (text_int64(v, &n) != 0 || n <= 0)
				return 400;
			p.type = 'l';
			p.i = n;
			break;
		case 'd':
			if (text_date(v) != 0)
				return 400;
			p.s = v;
			break;
		case 'i':
			if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
				return 400;
			p.type = 'i';
			p.i = v[0] == '1';
			break;
		case 'p':
		case 'q': {
			struct buf like;

			buf_init(&like, r->arena, strlen(v) + 8);
			if (f->type == 'q')
				buf_putc(&like, '%');
			for (const char *s = v; *s; s++) {
				if (*s == '%' || *s == '_' || *s == '\\')
					buf_putc(&like, '\\');
				buf_putc(&like, *s);
			}
			buf_putc(&like, '%');
			p.s = like.data;
			break;
		}
		default:
			p.s = v;
			break;
		}
		if (f->choices) {
			bool ok = false;

			for (int c = 0; f->choices[c]; c++)
				ok |= strcmp(f->choices[c], v) == 0;
			if (!ok)
				return 400;
		}
		buf_puts(&q->where, f->sql);
		for (int m = crud_marks(f->sql); m > 0; m--) {
			if (q->np == MAX_BIND)
				die("too many filter parameters");
			q->p[q->np++] = p;
		}
		tpl_setf(r, v, "Page.filters.%d.value", i);
		tpl_setf(r, v, "Page.f.%s", f->name);
		buf_printf(&q->qs, "&%s=", f->name);
		url_encode(&q->qs, v);
	}
	return 0;
}

const struct list_sort *
crud_list_sort(struct req *r, const struct resource *res, bool *desc)
{
	const char *s = req_query(r, "sort"), *d = req_query(r, "dir");
	const struct list_sort *sort = &res->sorts[0];

	for (int i = 0; s && i < res->nsorts; i++)
		if (strcmp(res->sorts[i].name, s) == 0)
			sort = &res->sorts[i];
	*desc = d ? strcmp(d, "desc") == 0 : res->desc_default != 0;
	return sort;
}

/* Compose "base where ORDER BY sort dir, 1 [LIMIT ? OFFSET ?]". */
struct query
crud_compose(struct req *r, const struct resource *res, const char *base,
    struct listq *q, const struct list_sort *sort, bool desc, bool limit,
    const char *cols)
{
	struct buf sql;

	buf_init(&sql, r->arena, 1024);
	buf_puts(&sql, base);
	buf_append(&sql, q->where.data, q->where.len);
	if (sort) {
		/* "m.name, p.model": the direction goes to every column. */
		const char *p = sort->sql, *comma;

		buf_puts(&sql, " ORDER BY ");
		for (;;) {
			comma = strchr(p, ',');
			buf_append(&sql, p, comma ? (size_t)(comma - p) : strlen(p));
			buf_puts(&sql, desc ? " DESC" : " ASC");
			if (comma == NULL)
				break;
			buf_putc(&sql, ',');
			p = comma + 1;
		}
		/* The id breaks ties, unless the sort ends with a unique column
		 * already (sort_table mode): then the sort is exactly the prefix
		 * of its index, which MariaDB can walk without sorting. */
		if (!(res->sort_table && sort->many_hint)) {
			buf_puts(&sql, ", 1");
			if (desc)
				buf_puts(&sql, " DESC");
		}
	}
	if (limit)
		buf_puts(&sql, " LIMIT ? OFFSET ?");
	{
		struct buf letters;

		buf_init(&letters, r->arena, 64);
		for (int i = 0; i < q->np; i++)
			buf_putc(&letters, q->p[i].type);
		if (limit)
			buf_puts(&letters, "ll");
		return (struct query){ sql.data, letters.data, cols };
	}
}

/* Is table alias a (n bytes) defined in the FROM part of sql? */
bool
crud_has_alias(const char *sql, const char *a, size_t n)
{
	static const char *const next[] = { " ON ", " WHERE ", " LEFT ", " JOIN ", " INNER ", NULL };

	for (const char *p = strstr(sql, " FROM "); p && (p = strchr(p + 1, ' ')) != NULL;) {
		if (strncmp(p + 1, a, n) != 0)
			continue;
		for (int i = 0; next[i]; i++)
			if (strncmp(p + 1 + n, next[i], strlen(next[i])) == 0)
				return true;
	}
	return false;
}

/*
 * In list_sql "SELECT <cols> FROM <table> <alias> <rest>", where id (n
 * bytes, "p.id") is a column of <alias> and no subquery comes before the
 * FROM: <rest>, the text right after the alias.  NULL otherwise.
 */
const char *
crud_after_first_table(const char *list_sql, const char *id, size_t n)
{
	const char *from = strstr(list_sql, " FROM "), *sub = strstr(list_sql, "(SELECT ");
	const char *dot = memchr(id, '.', n), *sp;
	size_t alen = dot ? (size_t)(dot - id) : 0;

	if (strncmp(list_sql, "SELECT ", 7) != 0 || from == NULL || alen == 0 ||
	    (sub != NULL && sub < from) || (sp = strchr(from + 6, ' ')) == NULL)
		return NULL;
	if (strncmp(sp + 1, id, alen) != 0 || (sp[1 + alen] != ' ' && sp[1 + alen] != '\0'))
		return NULL;
	return sp + 1 + alen;
}

/*
 * The page query as a deferred join: the ids of the page are found first
 * over the count query's tables only (which an index can often answer
 * alone), then only those rows are joined for their columns:
 *   <list_sql> AND <id> IN (SELECT id FROM (SELECT <id> FROM <count tables>
 *     <where> ORDER BY <sort> LIMIT ? OFFSET ?) k) ORDER BY <sort>
 * Same rows in the same order (the sort ends with the id).  Used when the
 * count query is "SELECT COUNT(*) FROM …", the first list column is a plain
 * alias.id and every alias the sort names is one of the count query's.
 * inner_sort (NULL: sort) orders the inner query: the same order, written
 * another way (sort_ranked).  Returns false when it does not apply.
 */
bool
crud_compose_deferred(struct req *r, const struct resource *res, struct listq *q,
    const struct list_sort *sort, const struct list_sort *inner_sort, bool desc,
    const char *cols, const char *hint, struct query *out)
{
	static const char head[] = "SELECT COUNT(*) ";
	const char *id = res->list_sql + strlen("SELECT "), *end = strchr(id, ',');
	struct listq inner;
	struct buf sql, base;
	struct query iq, oq;
	const char *rest;

	if (strncmp(res->list_sql, "SELECT ", 7) != 0 || end == NULL || end - id > 24 ||
	    strncmp(res->count_sql, head, strlen(head)) != 0)
		return false;
	for (const char *p = id; p < end; p++)
		if (!(*p == '.' || *p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			return false;
	for (const char *p = sort->sql; *p;) {
		const char *dot = strchr(p, '.');

		p += strspn(p, " ");
		if (dot == NULL || !crud_has_alias(res->count_sql, p, (size_t)(dot - p)))
			return false;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		p++;
	}
	/* Inner: SELECT <id> FROM … <where> ORDER BY … LIMIT ? OFFSET ? */
	buf_init(&base, r->arena, 1024);
	buf_puts(&base, "SELECT ");
	buf_append(&base, id, (size_t)(end - id));
	buf_putc(&base, ' ');
	{
		/* The index hint goes right after "FROM <sort_table>". */
		const char *from = res->count_sql + strlen(head);
		size_t at = hint ? strlen("FROM ") + strlen(res->sort_table) : 0;

		if (hint && (strncmp(from, "FROM ", 5) != 0 ||
		    strncmp(from + 5, res->sort_table, strlen(res->sort_table)) != 0))
			at = 0;
		buf_append(&base, from, at);
		if (at) {
			buf_putc(&base, ' ');
			buf_puts(&base, hint);
		}
		buf_puts(&base, from + at);
	}
	iq = crud_compose(r, res, base.data, q, inner_sort ? inner_sort : sort, desc, true, "l");
	/* Outer: the page's ids joined first, in that order (STRAIGHT_JOIN:
	 * left to itself MariaDB may walk every row of a joined table and
	 * look each up in the ids, seconds at a million piles):
	 *   SELECT STRAIGHT_JOIN <cols> FROM (inner) k JOIN <table> <alias>
	 *     ON <id> = k.id <rest of list_sql> ORDER BY …
	 * when list_sql's first table is the id's ("FROM piles p" for p.id);
	 * otherwise list_sql AND <id> IN (SELECT id FROM (inner) k). */
	buf_init(&sql, r->arena, strlen(res->list_sql) + strlen(iq.sql) + 64);
	if ((rest = crud_after_first_table(res->list_sql, id, (size_t)(end - id))) != NULL) {
		const char *from = strstr(res->list_sql, " FROM ");

		buf_puts(&sql, "SELECT STRAIGHT_JOIN ");
		buf_append(&sql, res->list_sql + 7, (size_t)(from - res->list_sql - 7));
		buf_puts(&sql, " FROM (");
		buf_puts(&sql, iq.sql);
		buf_puts(&sql, ") k JOIN ");
		buf_append(&sql, from + 6, (size_t)(rest - (from + 6)));
		buf_puts(&sql, " ON ");
		buf_append(&sql, id, (size_t)(end - id));
		buf_puts(&sql, " = k.id");
		buf_puts(&sql, rest);
	} else {
		buf_puts(&sql, res->list_sql);
		buf_puts(&sql, " AND ");
		buf_append(&sql, id, (size_t)(end - id));
		buf_puts(&sql, " IN (SELECT id FROM (");
		buf_puts(&sql, iq.sql);
		buf_puts(&sql, ") k)");
	}
	inner = *q;
	inner.where.data = (char *)"";
	inner.where.len = 0;
	inner.np = 0;
	oq = crud_compose(r, res, sql.data, &inner, sort, desc, false, cols);
	out->sql = oq.sql;
	out->params = iq.params;	/* where…, limit, offset: the inner's */
	out->cols = cols;
	return true;
}
