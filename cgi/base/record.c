/*
 * record.c — update records (更新记录, F4.21): every audited change, newest
 * first, filtered by kind of record, record id, field, user and date.
 * Times are stored in UTC and shown in China Standard Time (UTC+8, no
 * daylight saving), which is also how the date filters are read.
 */
#include "core/crud.h"
#include "core/db.h"
#include "core/req.h"

#include "base/base.h"

/*
 * Reference fields are stored as ids (the update records keep what the
 * column held); the page shows the name the id stands for, with the id.
 */
#define REF_LABEL(v)                                                                    \
	" CASE WHEN " v " IS NULL OR " v " = '' THEN " v                                  \
	" WHEN a.field IN ('company_id', 'manufacturer_id', 'supplier_id') THEN"          \
	"  COALESCE(CONCAT((SELECT name FROM companies WHERE id = " v "), ' #', " v "), " v ")" \
	" WHEN a.field = 'city_id' THEN"                                                 \
	"  COALESCE(CONCAT((SELECT name FROM cities WHERE id = " v "), ' #', " v "), " v ")" \
	" WHEN a.field = 'role_id' THEN"                                                 \
	"  COALESCE(CONCAT((SELECT name FROM roles WHERE id = " v "), ' #', " v "), " v ")" \
	" ELSE " v " END"

static const char *const entities[] = {
	"company", "city", "product", "cable", "warehouse", "user", "dict", "station",
	"subasset", "pile", NULL
};
static const char *const actions[] = { "create", "update", "delete", NULL };

static const struct list_col cols[] = {
	{ "at", 't', NULL },
	{ "user", 't', NULL },
	{ "entity", 'e', "@res" },
	{ "entity_id", 'n', NULL },
	{ "action", 'e', "@audit" },
	{ "field", 'e', "@f" },
	{ "old_value", 't', NULL },
	{ "new_value", 't', NULL },
	{ "source", 't', NULL },	/* an import: "导入 piles.xlsx (#3)" */
};

static const struct list_filter filters[] = {
	{ "entity", " AND a.entity = ?", 's', NULL, "@res", entities },
	{ "entity_id", " AND a.entity_id = ?", 'l', NULL, NULL, NULL },
	{ "action", " AND a.action = ?", 's', NULL, "@audit", actions },
	{ "field", " AND a.field = ?", 's', NULL, NULL, NULL },
	{ "user_id", " AND a.user_id = ?", 'l', "users", NULL, NULL },
	{ "from", " AND a.at >= ? - INTERVAL 8 HOUR", 'd', NULL, NULL, NULL },
	{ "to", " AND a.at < ? - INTERVAL 8 HOUR + INTERVAL 1 DAY", 'd', NULL, NULL, NULL },
};

static const struct list_sort sorts[] = {
	{ "at", "a.id" },
	{ "user", "u.name" },
	{ "entity", "a.entity, a.entity_id" },
};

static const struct query q_opt_users = {
	"SELECT id, CONCAT(name, ' (', username, ')') FROM users ORDER BY username", "", "ls"
};

static void
options(struct req *r)
{
	crud_options(r, "users", &q_opt_users);
}

static const struct resource record_res = {
	.name = "record", .module = "base", .base = "/base/records", .menu = "base.record",
	.view_perm = PERM_AUDIT_VIEW, .edit_perm = PERM__MAX,
	.list_sql = "SELECT a.id, DATE_FORMAT(a.at + INTERVAL 8 HOUR, '%Y-%m-%d %H:%i:%s'),"
	    " u.name, a.entity, a.entity_id, a.action, a.field,"
	    REF_LABEL("a.old_value") ", " REF_LABEL("a.new_value") ", a.source"
	    " FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM audit_log a WHERE 1=1",
	.cols = cols, .ncols = 9,
	.filters = filters, .nfilters = 7,
	.sorts = sorts, .nsorts = 3, .desc_default = 1,
	.options = options,
};

int
record_list(struct req *r)
{
	return crud_list(r, &record_res);
}

int
record_export(struct req *r)
{
	return crud_export(r, &record_res);
}
