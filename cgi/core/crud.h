/*
 * crud.h — list / create / edit / delete / export of one resource,
 * driven by a descriptor.  Base information (F1) is mostly such pages; a
 * resource file declares its fields, literal SQL and list columns, and
 * its handlers call these.  Anything special (a uniqueness rule, options
 * for a select) comes through the hooks.
 *
 * List SQL is composed only from literal fragments of the descriptor:
 * list_sql + scope fragment + the fragments of the filters in use +
 * ORDER BY <whitelisted sort> + LIMIT.  Each fragment's '?' marks are
 * bound with the filter's value.
 */
#ifndef CA_CRUD_H
#define CA_CRUD_H

#include <stdint.h>

#include "core/auth.h"
#include "core/form.h"

struct req;
struct query;
struct db_cur;

struct list_filter {
	const char *name;	/* query parameter and Lang.f.<name> */
	const char *sql;	/* " AND c.kind = ?" — every '?' gets the value */
	char type;		/* 's' text equal, 'l' id, 'q' contains, 'p' starts with
				 * (an index range), 'i' 0/1, 'd' date */
	const char *options;	/* Page.opts.<options> for a select; NULL: text box */
	const char *enum_set;	/* or a select over Lang.enum.<set> with choices */
	const char *const *choices;
};

struct list_sort {
	const char *name;
	const char *sql;	/* "c.name" */
	const char *many_hint;	/* NULL, or "FORCE INDEX (ix)": the index of
				 * sort_table in this order (see resource.sort_table) */
};

/* While filter <filter> is set (or, with "@scope", while the user sees one
 * company only) every row has the same <column> ("p.model"): a sort that
 * starts with it is the same order without it (resource.fixes). */
struct sort_fix {
	const char *filter;
	const char *column;
};

/* A sort column whose order is the rank of a small table's row (resource.
 * ranks): "p.manufacturer_name" ranks as the manufacturer's name ranks among
 * companies.  A list read through its filters' index sorts the rows by
 * "CASE p.manufacturer_id WHEN 7 THEN 1 … END" instead: an integer, not
 * a Chinese name's collation weights (6x faster at 26,000 rows).  ranks
 * returns (id, rank) with equal ranks for equal values (DENSE_RANK). */
struct sort_rank {
	const char *column;	/* "p.manufacturer_name" */
	const char *key;	/* "p.manufacturer_id" */
	const struct query *ranks;	/* SELECT id, DENSE_RANK() OVER (ORDER BY name) … */
};

/* While filter <filter> is set, <column> takes only the values that
 * <values> returns for the filter's value (bound as its one parameter):
 * a walk of a sort that starts with <column> reads those ranges of its
 * index only ("model" with one manufacturer chosen: that maker's models,
 * not every model before them).  values must return every value a
 * matching row may have (NULL too, as a row) — a superset is fine, a
 * missing one loses rows; no rows at all: the entry does not apply. */
struct sort_range {
	const char *filter;	/* "manufacturer_id" */
	const char *column;	/* "p.model" */
	const struct query *values;	/* SELECT DISTINCT model FROM products WHERE manufacturer_id = ? */
};

/* While every filter of <filters> ("check,manufacturer_id") is set, a walk
 * of sort <sort> ("code") reads index <hint> ("FORCE INDEX (ix_piles_
 * maker_code)"), whose leading columns are those filters' and then the
 * sort's: it starts where the filters' rows start (resource.prefixes; the
 * first entry that applies is taken, so the narrower come first). */
struct sort_prefix {
	const char *filters;
	const char *sort;
	const char *hint;
	/* NULL, or the values of the first filter it applies to ("ok,none":
	 * one value of the index's first column each; for two, as "below" is
	 * vflags 1 or 3, the walk would be two ranges that MariaDB sorts). */
	const char *values;
};

struct list_col {
	const char *name;	/* HDF name and Lang.f.<name> */
	char kind;		/* 't' text, 'e' enum, 'm' several enum codes, 'b' yes/no,
				 * 'n' number, 'y' money (1,234,567.00 on the page,
				 * the plain number in exports), 'k' link to edit, 'x' hidden,
				 * 'a' "<path>\t<text>": the text as a link to the path;
				 * or, for a link that depends on the row and the user,
				 * plain text (or with 'c' a number) linking to the URL in
				 * the hidden column <name>_href (none when empty).  Such
				 * a URL is built by the resource from a literal path and
				 * ids, never taken from stored text. */
	const char *enum_set;	/* labels Lang.enum.<set>.<v>, or "@g": Lang.g.<v> */
};

struct ref_check {
	const struct query *count;	/* SELECT COUNT(*) … WHERE fk = ? (params "l") */
	const char *lang_key;		/* message, e.g. "ref.city_warehouses" */
};

struct resource {
	const char *name;	/* "city": Lang.res.city, entity of the update records */
	const char *module;	/* "base" */
	const char *base;	/* "/base/cities" */
	const char *menu;	/* active navigation key */
	enum perm view_perm, edit_perm;
	const struct field *fields;
	int nfields;
	const char *title_field;	/* field naming a record in messages */

	/* List: columns of list_sql must be id (l) then cols[] (s). */
	const char *list_sql;
	const char *count_sql;
	const char *scope_sql;	/* params (i scope_all, l company_id), or NULL */
	const struct list_col *cols;
	int ncols;
	const struct list_filter *filters;
	int nfilters;
	const struct list_sort *sorts;	/* first is the default */
	int nsorts;
	int desc_default;	/* default order is descending (newest first) */
	/* "piles p": the table of count_sql whose indexes serve the sorts (each
	 * sort names its index).  A list of more than CRUD_PLAN_SMALL rows
	 * walks the sort's index in order (its many_hint) and stops after its
	 * page; a smaller one is found through its filters' indexes and sorted
	 * (few_hint: "IGNORE INDEX FOR ORDER BY (every sort index)"), so
	 * neither scans a million rows.  The capped count decides; NULL: the
	 * optimizer picks.  Each such sort ends with a unique column (its
	 * index's order is then the whole order: no id is appended). */
	const char *sort_table;
	const char *few_hint;
	/* "SELECT MAX(id) - MIN(id) + 1 FROM piles": about how many rows the
	 * table has (two index ends), for the plan's cost. */
	const struct query *size_estimate;
	/* Sort columns that filters fix: "sort by model" with one product
	 * chosen reads as "sort by code" (a shorter index walk, same rows). */
	const struct sort_fix *fixes;
	int nfixes;
	const struct sort_rank *ranks;	/* integer orders of name sorts */
	int nranks;
	const struct sort_range *ranges;	/* values a filter leaves a sort column */
	int nranges;
	const struct sort_prefix *prefixes;	/* indexes of a filter then a sort */
	int nprefixes;
	int has_show;		/* rows link to <base>/<id>, a page of their own */

	/* One record: get returns id (l), version (i), then one 's' per field.
	 * Params: "l" (id), or "lil" (id, scope_all, company) with scope_sql. */
	const struct query *get;
	const struct query *insert;	/* params: one per field, in order */
	const struct query *update;	/* params: fields…, id (l), version (i) */
	const struct query *del;	/* params: id (l) */
	const struct ref_check *refs;
	int nrefs;

	/* Extra validation after the fields passed; returns errors found. */
	int (*check)(struct req *r, struct fval *v, int64_t id);
	/* Fill Page.opts.* for selects. */
	void (*options)(struct req *r);
	/* The options the list's filters need, when fewer than the form's (a
	 * form may offer every station; the list must not read them); NULL:
	 * options. */
	void (*list_options)(struct req *r);
	/* After a successful insert/update (same transaction); may be NULL. */
	void (*after_save)(struct req *r, struct fval *v, int64_t id, int created);
	/* After a successful delete (same transaction); may be NULL. */
	void (*after_delete)(struct req *r, int64_t id);
	/* Field values for a new record (Page.form.*); may be NULL. */
	void (*defaults)(struct req *r);
	/* List and export: the text shown for cols[col] of the row at c (the
	 * generic text given), e.g. a label that depends on other columns; may be NULL. */
	const char *(*cell)(struct req *r, struct db_cur *c, int col, const char *text);
};

#define CRUD_PLAN_SMALL 20000

int crud_list(struct req *r, const struct resource *res);
int crud_export(struct req *r, const struct resource *res);
int crud_new(struct req *r, const struct resource *res);
int crud_create(struct req *r, const struct resource *res);
int crud_edit(struct req *r, const struct resource *res);
int crud_update(struct req *r, const struct resource *res);
int crud_delete(struct req *r, const struct resource *res);

/* Write one record whose fields passed form_read and res->check, exactly
 * as crud_create does (insert, update record, after_save) — also the path
 * of a bulk import.  The new id, or a negative enum db_err (nothing written). */
int64_t crud_insert(struct req *r, const struct resource *res, struct fval *v);

/* Fill Page.opts.<name>.N.{id,label} from a query returning (l id, s label). */
void crud_options(struct req *r, const char *name, const struct query *q);
/* Same, honouring the user's data scope: q params are (i scope_all, l company). */
void crud_options_scoped(struct req *r, const char *name, const struct query *q);

/* The seven handlers of a resource, declared and defined in one line each. */
#define CRUD_HANDLERS(res)                               \
	int res##_list(struct req *r);                   \
	int res##_export(struct req *r);                 \
	int res##_new(struct req *r);                    \
	int res##_create(struct req *r);                 \
	int res##_edit(struct req *r);                   \
	int res##_update(struct req *r);                 \
	int res##_delete(struct req *r);

#define CRUD_DEFINE(res, desc)                                                  \
	int res##_list(struct req *r) { return crud_list(r, &desc); }           \
	int res##_export(struct req *r) { return crud_export(r, &desc); }       \
	int res##_new(struct req *r) { return crud_new(r, &desc); }             \
	int res##_create(struct req *r) { return crud_create(r, &desc); }       \
	int res##_edit(struct req *r) { return crud_edit(r, &desc); }           \
	int res##_update(struct req *r) { return crud_update(r, &desc); }       \
	int res##_delete(struct req *r) { return crud_delete(r, &desc); }

/* Their seven routes, for a worker's route table (core/route.h). */
#define CRUD_ROUTES(path, res, view, edit)                                  \
	ROUTE(M_GET, path, res##_list, view, 0),                              \
	ROUTE(M_GET, path "/export", res##_export, view, 0),                  \
	ROUTE(M_GET, path "/new", res##_new, edit, 0),                        \
	ROUTE(M_POST, path, res##_create, edit, RP_TX),                       \
	ROUTE(M_GET, path "/:id/edit", res##_edit, edit, 0),                  \
	ROUTE(M_POST, path "/:id", res##_update, edit, RP_TX),                \
	ROUTE(M_POST, path "/:id/delete", res##_delete, edit, RP_TX)

#endif
