/*
 * crud_list.c — the list page and its export (CSV / XLSX of the filtered
 * set): options, filters and sort shared by both, rows into Page.rows, the
 * pager and the flash after a save.
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

static const char *const flash_keys[] = { "created", "updated", "deleted", NULL };

const char *
crud_col_letters(struct req *r, const struct resource *res)
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
		return crud_enum_label(r, c->enum_set, v);
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
			buf_puts(&b, crud_enum_label(r, c->enum_set, t));
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
	if ((rc = crud_list_read(r, res, q)) != 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.filter"));
		return rc;
	}
	*sort = crud_list_sort(r, res, desc);
	return 0;
}

/*
 * One page of rows into Page.rows: limit rows from offset; the number of
 * rows or -1.  reverse > 0: the query reads the page from its end (a deep
 * page read from the other side), and it has reverse rows: the first read
 * is the last shown.  *incomplete (when given): the query stopped at its
 * rows-examined bound, Page.rows is to be thrown away.
 */
int
crud_list_rows(struct req *r, const struct resource *res, const struct query *lq,
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

	crud_page_head(r, res, "list");
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
		const char *cap = arena_printf(r->arena, " LIMIT %lld) capped", (long long)crud_plan_small() + 1);

		if ((planned = crud_count_rows(r, res, &q, cap)) < 0 ||
		    (row = crud_plan_rows(r, res, &q, sort, desc, planned, per, &page, &plan)) < 0)
			return 500;
		/* More than the plan counted: as many as the list's own cap says. */
		total = planned <= crud_plan_small() ? planned : crud_plan_small() > COUNT_CAP ? COUNT_CAP + 1 :
		    crud_count_rows(r, res, &q, COUNT_CAP_SQL);
		if (total < 0)
			return 500;
	} else {
		if (!crud_compose_deferred(r, res, &q, sort, NULL, desc, crud_col_letters(r, res), NULL, &lq))
			lq = crud_compose(r, res, res->list_sql, &q, sort, desc, true, crud_col_letters(r, res));
		if ((row = crud_list_rows(r, res, &lq, &q, per, (page - 1) * per, 0, NULL)) < 0)
			return 500;
	}
	if (total < 0 && page == 1 && row < per)
		total = row;
	else if (total < 0 && (total = crud_count_rows(r, res, &q, COUNT_CAP_SQL)) < 0)
		return 500;
	if (total > COUNT_CAP + 1)
		total = COUNT_CAP + 1;
	pages = total == 0 ? 1 : (total + per - 1) / per;
	if (page > pages) {
		page = pages;
		hdf_remove_tree(r->hdf, "Page.rows");
		if (res->sort_table && sort->many_hint)
			row = crud_plan_rows(r, res, &q, sort, desc, planned, per, &page, &plan);
		else
			row = crud_list_rows(r, res, &lq, &q, per, (page - 1) * per, 0, NULL);
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
		tpl_setf(r, crud_label(r, res->cols[i].name), "Page.cols.%d.label", i);
		tpl_setf(r, (char[]){ res->cols[i].kind, 0 }, "Page.cols.%d.kind", i);
		if (sortable)
			tpl_setf(r, "1", "Page.cols.%d.sortable", i);
	}
	tpl_set_int(r, "Page.total", total);
	if (total > COUNT_CAP)
		tpl_set(r, "Page.total_capped", "1");
	{
		/* "共 {n} 条" and a window of page numbers around the current one. */
		int k = 0;

		/* Past the bound the number reads "10000+". */
		tpl_set(r, "Page.total_label", page_msg_with(r, "total", "{n}", arena_printf(r->arena, "%lld%s",
		    (long long)(total > COUNT_CAP ? COUNT_CAP : total), total > COUNT_CAP ? "+" : "")));
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
	page_flash(r, "flash.", flash_keys);
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
			labels[ncols++] = crud_label(r, res->cols[i].name);
	snprintf(key, sizeof(key), "res.%s", res->name);
	e = export_begin(r, fmt && strcmp(fmt, "xlsx") == 0 ? EXPORT_XLSX : EXPORT_CSV,
	    tpl_lang(r, key), labels, ncols);
	if (e == NULL)
		return 500;
	lq = crud_compose(r, res, res->list_sql, &q, sort, desc, false, crud_col_letters(r, res));
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
