/*
 * crud_int.h — what the crud files (crud.c, crud_sql.c, crud_plan.c,
 * crud_list.c) share; not for workers, which use crud.h.  The unit tests
 * (tests/unit/test_crud.c) call these too.
 */
#ifndef CA_CRUD_INT_H
#define CA_CRUD_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/crud.h"
#include "core/db.h"

#define MAX_BIND 64
#define PER_DEFAULT 20
#define EXPORT_MAX 200000
/* Counting stops here: "10000+" rows is all a person needs to know, and
 * counting a million rows for every page costs more than the page. */
#define COUNT_CAP 10000
#define COUNT_CAP_SQL " LIMIT 10001) capped"
#define COUNT_HEAD "SELECT COUNT(*) "

struct listq {
	struct buf where;		/* scope + filter fragments */
	struct db_param p[MAX_BIND];
	int np;
	struct buf qs;			/* "&f=v" of active filters */
};

/* crud.c */
const char *crud_label(struct req *r, const char *name);
const char *crud_enum_label(struct req *r, const char *set, const char *value);
void crud_page_head(struct req *r, const struct resource *res, const char *action);
/* crud_sql.c */
int crud_marks(const char *s);
int crud_list_read(struct req *r, const struct resource *res, struct listq *q);
const struct list_sort *crud_list_sort(struct req *r, const struct resource *res, bool *desc);
struct query crud_compose(struct req *r, const struct resource *res, const char *base, struct listq *q, const struct list_sort *sort, bool desc, bool limit, const char *cols);
bool crud_has_alias(const char *sql, const char *a, size_t n);
const char *crud_after_first_table(const char *list_sql, const char *id, size_t n);
bool crud_compose_deferred(struct req *r, const struct resource *res, struct listq *q, const struct list_sort *sort, const struct list_sort *inner_sort, bool desc, const char *cols, const char *hint, struct query *out);
/* crud_list.c */
const char *crud_col_letters(struct req *r, const struct resource *res);
int crud_list_rows(struct req *r, const struct resource *res, const struct query *lq, const struct listq *q, int64_t limit, int64_t offset, int reverse, bool *incomplete);
/* crud_plan.c */
int64_t crud_count_rows(struct req *r, const struct resource *res, struct listq *q, const char *cap_sql);
const struct list_sort *crud_sort_unfixed(struct req *r, const struct resource *res, const struct list_sort *sort);
const struct list_sort *crud_sort_ranked(struct req *r, const struct resource *res, const struct list_sort *sort);
bool crud_ranged(struct req *r, const struct resource *res, const struct listq *q, const struct list_sort *sort, struct listq *out);
bool crud_list_has(const char *list, const char *v);
const struct sort_prefix *crud_prefix_of(struct req *r, const struct resource *res, const struct list_sort *sort);
int64_t crud_plan_small(void);
int crud_plan_rows(struct req *r, const struct resource *res, struct listq *q, const struct list_sort *sort, bool desc, int64_t n, int64_t per, int64_t *page, const char **plan);

#endif
