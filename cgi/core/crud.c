/*
 * crud.c — descriptor-driven list, form, save, delete and export pages.
 * See crud.h for the contract a resource fills in.
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
#include "core/db.h"
#include "core/export.h"
#include "core/log.h"
#include "core/req.h"
#include "core/text.h"
#include "core/tpl.h"

#define MAX_BIND 64
#define PER_DEFAULT 20
#define EXPORT_MAX 200000
/* Counting stops here: "10000+" rows is all a person needs to know, and
 * counting a million rows for every page costs more than the page. */
#define COUNT_CAP 10000
#define COUNT_CAP_SQL " LIMIT 10001) capped"
#define COUNT_HEAD "SELECT COUNT(*) "

static const char *const flash_keys[] = { "created", "updated", "deleted", NULL };

static const char *
label(struct req *r, const char *name)
{
	char key[96];

	snprintf(key, sizeof(key), "f.%s", name);
	return tpl_lang(r, key);
}

static const char *
enum_label(struct req *r, const char *set, const char *value)
{
	char key[160];

	if (value == NULL || *value == '\0')
		return "";
	/* "@f" names a top-level language group (f.<value>), others enum.<set>. */
	if (set[0] == '@')
		snprintf(key, sizeof(key), "%s.%s", set + 1, value);
	else
		snprintf(key, sizeof(key), "enum.%s.%s", set, value);
	/* HDF names cannot hold '-' ("zh-CN"): such codes use '_' in the packs. */
	for (char *p = key; *p; p++)
		if (*p == '-')
			*p = '_';
	return tpl_lang(r, key);
}

static void
page_head(struct req *r, const struct resource *res, const char *action)
{
	char key[96];

	snprintf(key, sizeof(key), "res.%s", res->name);
	tpl_set(r, "Page.res", res->name);
	tpl_set(r, "Page.res_label", tpl_lang(r, key));
	tpl_set(r, "Page.base", res->base);
	tpl_set(r, "Page.menu", res->menu);
	snprintf(key, sizeof(key), "act.%s", action);
	tpl_set(r, "Page.action_label", tpl_lang(r, key));
	if (user_can(r, res->edit_perm))
		tpl_set(r, "Page.can_edit", "1");
	if (res->has_show)
		tpl_set(r, "Page.has_show", "1");
}

/* Count '?' marks in a literal fragment. */
static int
marks(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '?';
	return n;
}

struct listq {
	struct buf where;		/* scope + filter fragments */
	struct db_param p[MAX_BIND];
	int np;
	struct buf qs;			/* "&f=v" of active filters */
};

static void
bind_scope(struct req *r, struct listq *q, const char *frag)
{
	buf_puts(&q->where, frag);
	q->p[q->np++] = (struct db_param){ .type = 'i', .i = r->user->scope_all };
	q->p[q->np++] = (struct db_param){ .type = 'l', .i = r->user->company_id };
}

/* Filters, sort and paging from the query string; 0 or 400. */
static int
list_read(struct req *r, const struct resource *res, struct listq *q)
{
	buf_init(&q->where, r->arena, 256);
	buf_init(&q->qs, r->arena, 128);
	q->np = 0;
	/* Every scope fragment is "(? OR x.company_id = ?)": for a user who
	 * sees everything it is true, and leaving it out lets an index that
	 * lacks company_id serve the query alone. */
	if (res->scope_sql && !r->user->scope_all)
		bind_scope(r, q, res->scope_sql);
	for (int i = 0; i < res->nfilters; i++) {
		const struct list_filter *f = &res->filters[i];
		const char *v = req_query(r, f->name);
		struct db_param p = { .type = 's' };
		int64_t n;

		tpl_setf(r, f->name, "Page.filters.%d.name", i);
		tpl_setf(r, (char[]){ f->type, 0 }, "Page.filters.%d.type", i);
		tpl_setf(r, label(r, f->name), "Page.filters.%d.label", i);
		if (f->options) {
			HDF *src = hdf_get_obj(r->hdf, arena_printf(r->arena, "Page.opts.%s", f->options));

			if (src)
				hdf_copy(r->hdf, arena_printf(r->arena, "Page.filters.%d.opts", i), src);
		} else if (f->choices) {
			for (int c = 0; f->choices[c]; c++) {
				tpl_setf(r, f->choices[c], "Page.filters.%d.opts.%d.id", i, c);
				tpl_setf(r, enum_label(r, f->enum_set, f->choices[c]),
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
		for (int m = marks(f->sql); m > 0; m--) {
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

static const struct list_sort *
list_sort(struct req *r, const struct resource *res, bool *desc)
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
static struct query
compose(struct req *r, const struct resource *res, const char *base,
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
static bool
has_alias(const char *sql, const char *a, size_t n)
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
static const char *
after_first_table(const char *list_sql, const char *id, size_t n)
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
static bool
compose_deferred(struct req *r, const struct resource *res, struct listq *q,
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
		if (dot == NULL || !has_alias(res->count_sql, p, (size_t)(dot - p)))
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
	iq = compose(r, res, base.data, q, inner_sort ? inner_sort : sort, desc, true, "l");
	/* Outer: the page's ids joined first, in that order (STRAIGHT_JOIN:
	 * left to itself MariaDB may walk every row of a joined table and
	 * look each up in the ids, seconds at a million piles):
	 *   SELECT STRAIGHT_JOIN <cols> FROM (inner) k JOIN <table> <alias>
	 *     ON <id> = k.id <rest of list_sql> ORDER BY …
	 * when list_sql's first table is the id's ("FROM piles p" for p.id);
	 * otherwise list_sql AND <id> IN (SELECT id FROM (inner) k). */
	buf_init(&sql, r->arena, strlen(res->list_sql) + strlen(iq.sql) + 64);
	if ((rest = after_first_table(res->list_sql, id, (size_t)(end - id))) != NULL) {
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
	oq = compose(r, res, sql.data, &inner, sort, desc, false, cols);
	out->sql = oq.sql;
	out->params = iq.params;	/* where…, limit, offset: the inner's */
	out->cols = cols;
	return true;
}

static const char *
col_letters(struct req *r, const struct resource *res)
{
	char *l = arena_alloc(r->arena, (size_t)res->ncols + 2);

	l[0] = 'l';
	for (int i = 0; i < res->ncols; i++)
		l[i + 1] = 's';
	l[res->ncols + 1] = '\0';
	return l;
}

static const char *
cell_text(struct req *r, const struct list_col *c, const char *v)
{
	/* "<href>\t<text>": the text (the link goes beside it, list_rows). */
	if (c->kind == 'a')
		return strchr(v, '\t') ? strchr(v, '\t') + 1 : v;
	if (c->kind == 'e')
		return enum_label(r, c->enum_set, v);
	if (c->kind == 'b')
		return tpl_lang(r, *v == '1' ? "yes" : "no");
	if (c->kind == 'm' && *v) {
		/* Space-separated codes, each translated. */
		struct buf b;
		char *copy = arena_strdup(r->arena, v), *save = NULL;

		buf_init(&b, r->arena, 64);
		for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
			if (b.len)
				buf_puts(&b, tpl_lang(r, "list_sep"));
			buf_puts(&b, enum_label(r, c->enum_set, t));
		}
		return b.data;
	}
	return v;
}

/* Options, filters and sort shared by the list page and its export; 0 or 400. */
static int
list_prepare(struct req *r, const struct resource *res, struct listq *q,
    const struct list_sort **sort, bool *desc)
{
	int rc;

	if (res->list_options)
		res->list_options(r);
	else if (res->options)
		res->options(r);
	if ((rc = list_read(r, res, q)) != 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.filter"));
		return rc;
	}
	*sort = list_sort(r, res, desc);
	return 0;
}

/*
 * One page of rows into Page.rows: limit rows from offset; the number of
 * rows or -1.  reverse > 0: the query reads the page from its end (a deep
 * page read from the other side), and it has reverse rows: the first read
 * is the last shown.  *incomplete (when given): the query stopped at its
 * rows-examined bound, Page.rows is to be thrown away.
 */
static int
list_rows(struct req *r, const struct resource *res, const struct query *lq,
    const struct listq *q, int64_t limit, int64_t offset, int reverse, bool *incomplete)
{
	struct db_param p[MAX_BIND + 2];
	struct db_cur c;
	int row = 0;

	memcpy(p, q->p, sizeof(p[0]) * (size_t)q->np);
	p[q->np] = (struct db_param){ .type = 'l', .i = limit };
	p[q->np + 1] = (struct db_param){ .type = 'l', .i = offset };
	if (db_openv(&c, lq, p, q->np + 2) < 0)
		return -1;
	if (incomplete)
		*incomplete = c.incomplete;
	/* Nodes in display order first (a template walks them in the order
	 * they were made); a reversed read fills them from the last. */
	for (int i = 0; i < reverse; i++)
		tpl_node(r, "Page.rows.%d", i);
	while (db_next(&c) && (reverse == 0 || row < reverse)) {
		/* Values go under the row's node directly: no walk from the root. */
		HDF *node = tpl_node(r, "Page.rows.%d", reverse ? reverse - 1 - row : row);

		tpl_node_set(node, "id", arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)));
		for (int i = 0; i < res->ncols; i++) {
			const char *v = db_str(&c, i + 1), *text = cell_text(r, &res->cols[i], v);

			if (res->cell)
				text = res->cell(r, &c, i, text);
			if (res->cols[i].kind == 'y') {
				/* Money, grouped by thousands on the page; the export keeps the number. */
				char m[64];

				if (text_money(text, m, sizeof(m)) == 0)
					text = arena_strdup(r->arena, m);
			}
			tpl_node_set(node, res->cols[i].name, text);
			if (res->cols[i].kind == 'e' || res->cols[i].kind == 'b')
				tpl_node_set(node, arena_printf(r->arena, "%s_raw",
				    res->cols[i].name), v);
			/* A link of the application's own ("/asset/stations/12\t…"). */
			if (res->cols[i].kind == 'a' && v[0] == '/' && v[1] != '/' && strchr(v, '\t'))
				tpl_node_set(node, arena_printf(r->arena, "%s_href", res->cols[i].name),
				    arena_printf(r->arena, "%.*s", (int)(strchr(v, '\t') - v), v));
		}
		row++;
	}
	db_close(&c);
	/* Fewer rows than the count said (a change in between): no empty rows. */
	for (int i = 0; i < reverse - row; i++)
		hdf_remove_tree(r->hdf, arena_printf(r->arena, "Page.rows.%d", i));
	return row;
}

/* Rows matching the filters: a count_sql of the form "SELECT COUNT(*) FROM
 * …" counts up to the cap of cap_sql (" LIMIT n) capped"), index-only where
 * the filters' index covers them; any other count_sql runs as it is.
 * -1 on a database error. */
static int64_t
count_rows(struct req *r, const struct resource *res, struct listq *q, const char *cap_sql)
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
		cq = compose(r, res, base.data, q, NULL, false, false, "l");
		buf_init(&base, r->arena, strlen(cq.sql) + 32);
		buf_puts(&base, cq.sql);
		buf_puts(&base, cap_sql);
		cq.sql = base.data;
	} else
		cq = compose(r, res, res->count_sql, q, NULL, false, false, "l");
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
static const struct list_sort *
sort_unfixed(struct req *r, const struct resource *res, const struct list_sort *sort)
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
static const struct list_sort *
sort_ranked(struct req *r, const struct resource *res, const struct list_sort *sort)
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
static bool
ranged(struct req *r, const struct resource *res, const struct listq *q,
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
static bool
list_has(const char *list, const char *v)
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
static const struct sort_prefix *
prefix_of(struct req *r, const struct resource *res, const struct list_sort *sort)
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
				all = list_has(x->values, v);
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
static int64_t
plan_small(void)
{
	return cfg_int("List.plan_small", CRUD_PLAN_SMALL);
}

/* *plan: what was done, "walk; sort=code" (the X-List-Plan header, for
 * tests and benchmarks). */
static int
plan_rows(struct req *r, const struct resource *res, struct listq *q,
    const struct list_sort *sort, bool desc, int64_t n, int64_t per, int64_t *page,
    const char **plan)
{
	const struct list_sort *qs = sort_unfixed(r, res, sort);
	const char *letters = col_letters(r, res);
	bool exact = n <= plan_small(), incomplete = false, rdesc = desc;
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
	if (!(rng = ranged(r, res, q, qs, &wq))) {
		wq = *q;
		/* Or an index of the filters' columns, then the sort's. */
		pf = prefix_of(r, res, qs);
	}
	if (!exact && !rng && pf == NULL) {
		/* More rows than counted, a deep page: a walk within its bound
		 * needs at least `need` rows spread evenly.  Counting that far
		 * (~0.6 us a row) costs less than a walk bound to fail (~0.45 us
		 * an entry, up to walk_max) and, when fewer, makes the count
		 * exact: the page is then read from the nearer end. */
		int64_t need = ((int64_t)(*page - 1) * per + per) * size / walk_max;

		if (need > n && need <= 8 * plan_small()) {
			int64_t m = count_rows(r, res, q, arena_printf(r->arena, " LIMIT %lld) capped",
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
	    compose_deferred(r, res, &wq, qs, NULL, desc, letters, pf ? pf->hint : qs->many_hint, &lq)) {
		/* Bound: what the other plan would cost, at least 4 x the even spread. */
		int64_t want = exact ? few_ns / WALK_ENTRY_NS : walk_max, bound = walk_min;

		if (want < 4 * entries)
			want = 4 * entries;
		while (bound < want && bound < walk_max)
			bound *= 2;
		lq.sql = arena_printf(r->arena, "%s LIMIT ROWS EXAMINED %lld", lq.sql, (long long)bound);
		if ((row = list_rows(r, res, &lq, &wq, per, offset, 0, &incomplete)) < 0)
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
	if (!compose_deferred(r, res, q, qs, sort_ranked(r, res, qs), rdesc, letters, res->few_hint, &lq))
		lq = compose(r, res, res->list_sql, q, qs, rdesc, true, letters);
	*plan = arena_printf(r->arena, "%s%s; sort=%s", incomplete ? "walk-stopped " : "",
	    reverse ? "few-reversed" : "few", qs->name);
	return list_rows(r, res, &lq, q, limit, offset, reverse, NULL);
}

int
crud_list(struct req *r, const struct resource *res)
{
	struct listq q;
	const struct list_sort *sort;
	struct query lq;
	bool desc;
	int64_t total, planned = 0, page = 1, per = PER_DEFAULT, pages;
	const char *plan = NULL;
	int rc, row = 0;
	const char *flash = req_query(r, "flash");

	page_head(r, res, "list");
	if ((rc = list_prepare(r, res, &q, &sort, &desc)) != 0)
		return rc;
	if (req_int64(r, "page", &page) == -2 || page < 1)
		page = 1;
	if (req_int64(r, "per", &per) != 0 || (per != 20 && per != 50 && per != 100))
		per = PER_DEFAULT;

	/* With sort indexes the count comes first and picks the plan (see
	 * resource.sort_table).  Otherwise the page first: on a first page that
	 * is not full the count is known without asking; else count, and go
	 * back to the last page when the asked one lies beyond the end. */
	total = -1;
	if (res->sort_table && sort->many_hint) {
		const char *cap = arena_printf(r->arena, " LIMIT %lld) capped", (long long)plan_small() + 1);

		if ((planned = count_rows(r, res, &q, cap)) < 0 ||
		    (row = plan_rows(r, res, &q, sort, desc, planned, per, &page, &plan)) < 0)
			return 500;
		/* More than the plan counted: as many as the list's own cap says. */
		total = planned <= plan_small() ? planned : plan_small() > COUNT_CAP ? COUNT_CAP + 1 :
		    count_rows(r, res, &q, COUNT_CAP_SQL);
		if (total < 0)
			return 500;
	} else {
		if (!compose_deferred(r, res, &q, sort, NULL, desc, col_letters(r, res), NULL, &lq))
			lq = compose(r, res, res->list_sql, &q, sort, desc, true, col_letters(r, res));
		if ((row = list_rows(r, res, &lq, &q, per, (page - 1) * per, 0, NULL)) < 0)
			return 500;
	}
	if (total < 0 && page == 1 && row < per)
		total = row;
	else if (total < 0 && (total = count_rows(r, res, &q, COUNT_CAP_SQL)) < 0)
		return 500;
	if (total > COUNT_CAP + 1)
		total = COUNT_CAP + 1;
	pages = total == 0 ? 1 : (total + per - 1) / per;
	if (page > pages) {
		page = pages;
		hdf_remove_tree(r->hdf, "Page.rows");
		if (res->sort_table && sort->many_hint)
			row = plan_rows(r, res, &q, sort, desc, planned, per, &page, &plan);
		else
			row = list_rows(r, res, &lq, &q, per, (page - 1) * per, 0, NULL);
		if (row < 0)
			return 500;
	}
	if (plan)
		req_header(r, "X-List-Plan", plan);

	for (int i = 0; i < res->ncols; i++) {
		bool sortable = false;

		for (int s = 0; s < res->nsorts; s++)
			sortable |= strcmp(res->sorts[s].name, res->cols[i].name) == 0;
		tpl_setf(r, res->cols[i].name, "Page.cols.%d.name", i);
		tpl_setf(r, label(r, res->cols[i].name), "Page.cols.%d.label", i);
		tpl_setf(r, (char[]){ res->cols[i].kind, 0 }, "Page.cols.%d.kind", i);
		if (sortable)
			tpl_setf(r, "1", "Page.cols.%d.sortable", i);
	}
	tpl_set_int(r, "Page.total", total);
	if (total > COUNT_CAP)
		tpl_set(r, "Page.total_capped", "1");
	{
		/* "共 {n} 条" and a window of page numbers around the current one. */
		const char *fmt = tpl_lang(r, "total"), *at = strstr(fmt, "{n}");
		int k = 0;

		tpl_set(r, "Page.total_label", at ? arena_printf(r->arena, "%.*s%lld%s%s",
		    (int)(at - fmt), fmt, (long long)(total > COUNT_CAP ? COUNT_CAP : total),
		    total > COUNT_CAP ? "+" : "", at + 3) : fmt);
		for (int64_t p = 1; p <= pages; p++) {
			if (p != 1 && p != pages && (p < page - 2 || p > page + 2)) {
				if (p == page - 3 || p == page + 3)
					tpl_setf(r, "1", "Page.pager.%d.gap", k++);
				continue;
			}
			tpl_setf(r, arena_printf(r->arena, "%lld", (long long)p), "Page.pager.%d.n", k);
			if (p == page)
				tpl_setf(r, "1", "Page.pager.%d.cur", k);
			k++;
		}
	}
	tpl_set_int(r, "Page.page", page);
	tpl_set_int(r, "Page.pages", pages);
	tpl_set_int(r, "Page.per", per);
	tpl_set_int(r, "Page.count", row);
	tpl_set(r, "Page.sort", sort->name);
	tpl_set(r, "Page.dir", desc ? "desc" : "asc");
	tpl_set(r, "Page.qs", q.qs.data);
	for (int i = 0; flash && flash_keys[i]; i++)
		if (strcmp(flash, flash_keys[i]) == 0) {
			char key[64];

			snprintf(key, sizeof(key), "flash.%s", flash_keys[i]);
			tpl_set(r, "Page.flash", tpl_lang(r, key));
			tpl_set(r, "Page.flash_kind", "success");
		}
	tpl_set(r, "Page.title", tpl_get(r, "Page.res_label"));
	tpl_set(r, "Page.view", "crud/list.cs");
	app_cacheable();	/* the URL, the user and the data decide this page */
	return 200;
}

int
crud_export(struct req *r, const struct resource *res)
{
	struct listq q;
	const struct list_sort *sort;
	struct query lq;
	struct db_cur c;
	struct export *e;
	const char *fmt = req_query(r, "fmt");
	const char **labels, **cells;
	bool desc;
	int n = 0, ncols = 0, rc;
	char key[96];

	if ((rc = list_prepare(r, res, &q, &sort, &desc)) != 0)
		return rc;
	labels = arena_calloc(r->arena, (size_t)res->ncols, sizeof(*labels));
	cells = arena_calloc(r->arena, (size_t)res->ncols, sizeof(*cells));
	for (int i = 0; i < res->ncols; i++)
		if (res->cols[i].kind != 'x')
			labels[ncols++] = label(r, res->cols[i].name);
	snprintf(key, sizeof(key), "res.%s", res->name);
	e = export_begin(r, fmt && strcmp(fmt, "xlsx") == 0 ? EXPORT_XLSX : EXPORT_CSV,
	    tpl_lang(r, key), labels, ncols);
	if (e == NULL)
		return 500;
	lq = compose(r, res, res->list_sql, &q, sort, desc, false, col_letters(r, res));
	if (db_openv(&c, &lq, q.p, q.np) < 0)
		return 500;
	while (db_next(&c) && n++ < EXPORT_MAX) {
		int k = 0;

		for (int i = 0; i < res->ncols; i++)
			if (res->cols[i].kind != 'x') {
				const char *text = cell_text(r, &res->cols[i], db_str(&c, i + 1));

				if (res->cell)
					text = res->cell(r, &c, i, text);
				cells[k++] = arena_strdup(r->arena, text);
			}
		export_row(e, cells);
	}
	db_close(&c);
	return export_end(e, tpl_lang(r, key));
}

/* Metadata of the generic form: Page.fields.N.* */
static void
form_meta(struct req *r, const struct resource *res, bool editing)
{
	static const char *const html_type[] = {
		[FT_TEXT] = "text", [FT_TEXTAREA] = "textarea", [FT_CODE] = "text",
		[FT_INT] = "number", [FT_DECIMAL] = "decimal", [FT_BOOL] = "checkbox",
		[FT_CHOICE] = "select", [FT_REF] = "select", [FT_DATE] = "date",
		[FT_PHONE] = "tel", [FT_EMAIL] = "email", [FT_PASSWORD] = "password",
	};

	for (int i = 0, k = 0; i < res->nfields; i++) {
		const struct field *f = &res->fields[i];

		if (f->flags & F_HIDDEN)
			continue;
		tpl_setf(r, f->name, "Page.fields.%d.name", k);
		tpl_setf(r, label(r, f->name), "Page.fields.%d.label", k);
		/* A text field with options (codes, e.g. of a dictionary) is picked from a list. */
		tpl_setf(r, f->options && f->type != FT_REF ? "select" : html_type[f->type],
		    "Page.fields.%d.type", k);
		if (f->flags & F_REQ)
			tpl_setf(r, "1", "Page.fields.%d.required", k);
		if (f->maxlen)
			tpl_setf(r, arena_printf(r->arena, "%d", f->maxlen), "Page.fields.%d.maxlen", k);
		if (editing && (f->flags & F_CREATE))
			tpl_setf(r, "1", "Page.fields.%d.readonly", k);
		if (f->type == FT_CHOICE)
			for (int c = 0; f->choices[c]; c++) {
				tpl_setf(r, f->choices[c], "Page.fields.%d.opts.%d.id", k, c);
				tpl_setf(r, enum_label(r, f->enum_set, f->choices[c]),
				    "Page.fields.%d.opts.%d.label", k, c);
			}
		if (f->options) {
			HDF *src = hdf_get_obj(r->hdf, arena_printf(r->arena, "Page.opts.%s", f->options));

			if (src)
				hdf_copy(r->hdf, arena_printf(r->arena, "Page.fields.%d.opts", k), src);
		}
		{
			char hk[96];

			snprintf(hk, sizeof(hk), "hint.%s.%s", res->name, f->name);
			if (strcmp(tpl_lang(r, hk), hk) != 0)
				tpl_setf(r, tpl_lang(r, hk), "Page.fields.%d.hint", k);
		}
		k++;
	}
}

static int
show_form(struct req *r, const struct resource *res, bool editing, int status)
{
	page_head(r, res, editing ? "edit" : "new");
	if (res->options)
		res->options(r);
	form_meta(r, res, editing);
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s · %s",
	    tpl_get(r, "Page.action_label"), tpl_get(r, "Page.res_label")));
	tpl_set(r, "Page.view", "crud/form.cs");
	return status;
}

int
crud_new(struct req *r, const struct resource *res)
{
	if (res->defaults)
		res->defaults(r);
	return show_form(r, res, false, 200);
}

/* Load one record (in the user's scope) into Page.form or Page.current. */
static int
load(struct req *r, const struct resource *res, int64_t id, const char *prefix,
    int32_t *version, const char ***values)
{
	struct db_cur c;
	int rc, found = 0;

	if (res->scope_sql)
		rc = db_open(&c, res->get, id, (int)r->user->scope_all, r->user->company_id);
	else
		rc = db_open(&c, res->get, id);
	if (rc < 0)
		return 500;
	if (db_next(&c)) {
		found = 1;
		*version = db_int(&c, 1);
		if (values)
			*values = arena_calloc(r->arena, (size_t)res->nfields, sizeof(char *));
		for (int i = 0; i < res->nfields; i++) {
			const char *v = db_str(&c, i + 2);

			if (res->fields[i].type == FT_PASSWORD)
				continue;
			if (prefix)
				tpl_setf(r, v, "%s.%s", prefix, res->fields[i].name);
			if (values)
				(*values)[i] = arena_strdup(r->arena, v);
		}
	}
	db_close(&c);
	return found ? 0 : 404;
}

int
crud_edit(struct req *r, const struct resource *res)
{
	int64_t id;
	int32_t version;
	int rc;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if ((rc = load(r, res, id, "Page.form", &version, NULL)) != 0)
		return rc;
	tpl_set_int(r, "Page.id", id);
	tpl_set_int(r, "Page.version", version);
	return show_form(r, res, true, 200);
}

static const char *
title_of(const struct resource *res, const struct fval *v, const char **values)
{
	for (int i = 0; i < res->nfields; i++)
		if (strcmp(res->fields[i].name, res->title_field) == 0)
			return v ? v[i].s : values ? values[i] : NULL;
	return NULL;
}

static int
save_error(struct req *r, const struct resource *res, int rc, bool editing)
{
	if (rc == DB_RETRY)
		return APP_RETRY;
	if (rc == DB_DUP) {
		/* Unique keys are named uq_<table>_<field>: blame that field. */
		const char *k = strstr(db_last_error(), "for key '");
		const char *field = res->fields[0].name;

		if (k) {
			const char *end = strchr(k + 9, '\'');
			const char *us = NULL;

			for (const char *p = k + 9; end && p < end; p++)
				if (*p == '_')
					us = p;
			if (us)
				for (int i = 0; i < res->nfields; i++)
					if (strlen(res->fields[i].name) == (size_t)(end - us - 1) &&
					    strncmp(res->fields[i].name, us + 1, (size_t)(end - us - 1)) == 0)
						field = res->fields[i].name;
		}
		form_error(r, field, "err.duplicate");
		return show_form(r, res, editing, 409);
	}
	if (rc == DB_FK) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.ref"));
		return show_form(r, res, editing, 422);
	}
	if (rc == DB_TOOLONG) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.too_long_any"));
		return show_form(r, res, editing, 422);
	}
	return 500;
}

int64_t
crud_insert(struct req *r, const struct resource *res, struct fval *v)
{
	struct db_param p[MAX_BIND];
	int64_t rc, id;

	for (int i = 0; i < res->nfields; i++)
		form_param(&res->fields[i], &v[i], &p[i]);
	rc = db_execv(res->insert, p, res->nfields);
	if (rc < 0)
		return rc;
	id = db_insert_id();
	audit_write(r, res->name, id, AUDIT_CREATE, NULL, NULL, title_of(res, v, NULL));
	if (res->after_save)
		res->after_save(r, v, id, 1);
	return id;
}

int
crud_create(struct req *r, const struct resource *res)
{
	struct fval *v = arena_calloc(r->arena, (size_t)res->nfields, sizeof(*v));
	int64_t id;

	if (form_read(r, res->fields, res->nfields, v) > 0 ||
	    (res->check && res->check(r, v, 0) > 0))
		return show_form(r, res, false, 422);
	id = crud_insert(r, res, v);
	if (id < 0)
		return save_error(r, res, (int)id, false);
	tpl_set_int(r, "Page.id", id);
	/* A record with a page of its own is shown there; others go back to the list. */
	if (res->has_show)
		return req_redirect(r, arena_printf(r->arena, "%s/%lld?flash=created", res->base, (long long)id));
	return req_redirect(r, arena_printf(r->arena, "%s?flash=created", res->base));
}

int
crud_update(struct req *r, const struct resource *res)
{
	struct fval *v = arena_calloc(r->arena, (size_t)res->nfields, sizeof(*v));
	struct db_param p[MAX_BIND];
	const char **old;
	int64_t id, sent_version, rc;
	int32_t version;
	int bad;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if ((rc = load(r, res, id, NULL, &version, &old)) != 0)
		return (int)rc;
	tpl_set_int(r, "Page.id", id);
	bad = form_read(r, res->fields, res->nfields, v);
	if (req_int64(r, "version", &sent_version) != 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.version"));
		tpl_set_int(r, "Page.version", version);
		return show_form(r, res, true, 400);
	}
	if (sent_version != version) {
		/* Stale: show the current values and what the user typed. */
		for (int i = 0; i < res->nfields; i++) {
			if (res->fields[i].type == FT_PASSWORD)
				continue;
			if (strcmp(form_canon(r, &res->fields[i], v[i].s),
			    form_canon(r, &res->fields[i], old[i])) != 0)
				tpl_setf(r, v[i].s, "Page.mine.%s", res->fields[i].name);
			tpl_setf(r, old[i], "Page.form.%s", res->fields[i].name);
			tpl_setf(r, old[i], "Page.current.%s", res->fields[i].name);
		}
		hdf_remove_tree(r->hdf, "Page.errors");
		tpl_set(r, "Page.error", tpl_lang(r, "err.stale"));
		tpl_set(r, "Page.stale", "1");
		tpl_set_int(r, "Page.version", version);
		return show_form(r, res, true, 409);
	}
	tpl_set_int(r, "Page.version", version);
	if (bad > 0 || (res->check && res->check(r, v, id) > 0))
		return show_form(r, res, true, 422);
	for (int i = 0; i < res->nfields; i++) {
		if (res->fields[i].flags & F_CREATE) {
			/* Fixed after creation: keep the stored value. */
			v[i].s = old[i];
			v[i].null = *old[i] == '\0';
			text_int64(old[i], &v[i].i);
		}
		form_param(&res->fields[i], &v[i], &p[i]);
	}
	p[res->nfields] = (struct db_param){ .type = 'l', .i = id };
	p[res->nfields + 1] = (struct db_param){ .type = 'i', .i = version };
	rc = db_execv(res->update, p, res->nfields + 2);
	if (rc < 0)
		return save_error(r, res, (int)rc, true);
	if (rc == 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.stale"));
		return show_form(r, res, true, 409);
	}
	for (int i = 0; i < res->nfields; i++) {
		const char *a, *b;

		if (res->fields[i].type == FT_PASSWORD)
			continue;
		a = form_canon(r, &res->fields[i], old[i]);
		b = form_canon(r, &res->fields[i], v[i].s);
		if (strcmp(a, b) != 0)
			audit_write(r, res->name, id, AUDIT_UPDATE, res->fields[i].name, a, b);
	}
	if (res->after_save)
		res->after_save(r, v, id, 0);
	if (res->has_show)
		return req_redirect(r, arena_printf(r->arena, "%s/%lld?flash=updated", res->base, (long long)id));
	return req_redirect(r, arena_printf(r->arena, "%s?flash=updated", res->base));
}

int
crud_delete(struct req *r, const struct resource *res)
{
	const char **old;
	int64_t id, rc;
	int32_t version;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if ((rc = load(r, res, id, "Page.form", &version, &old)) != 0)
		return (int)rc;
	tpl_set_int(r, "Page.id", id);
	tpl_set_int(r, "Page.version", version);
	for (int i = 0; i < res->nrefs; i++) {
		int64_t n = db_scalar(0, res->refs[i].count, id);

		if (n > 0) {
			const char *msg = tpl_lang(r, res->refs[i].lang_key);
			const char *at = strstr(msg, "{n}");

			tpl_set(r, "Page.error", at ? arena_printf(r->arena, "%.*s%lld%s",
			    (int)(at - msg), msg, (long long)n, at + 3) : msg);
			return show_form(r, res, true, 409);
		}
	}
	rc = db_exec(res->del, id);
	if (rc == DB_FK) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.in_use"));
		return show_form(r, res, true, 409);
	}
	if (rc == DB_RETRY)
		return APP_RETRY;
	if (rc < 0)
		return 500;
	audit_write(r, res->name, id, AUDIT_DELETE, NULL, title_of(res, NULL, old), NULL);
	if (res->after_delete)
		res->after_delete(r, id);
	return req_redirect(r, arena_printf(r->arena, "%s?flash=deleted", res->base));
}

static void
options_from(struct req *r, const char *name, struct db_cur *c)
{
	int n = 0;

	while (db_next(c)) {
		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(c, 0)),
		    "Page.opts.%s.%d.id", name, n);
		tpl_setf(r, db_str(c, 1), "Page.opts.%s.%d.label", name, n);
		n++;
	}
	db_close(c);
}

void
crud_options(struct req *r, const char *name, const struct query *q)
{
	struct db_cur c;

	/* Only parameterless option queries go through here. */
	if (db_open(&c, q) < 0)
		die("options query failed: %s", q->sql);
	options_from(r, name, &c);
}

void
crud_options_scoped(struct req *r, const char *name, const struct query *q)
{
	struct db_cur c;

	if (db_open(&c, q, (int)r->user->scope_all, r->user->company_id) < 0)
		die("options query failed: %s", q->sql);
	options_from(r, name, &c);
}
