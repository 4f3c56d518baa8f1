/*
 * record.c — update records (更新记录, F4.21): every audited change, newest
 * first, filtered by kind of record, record id, field, user and date.
 * Times are stored in UTC and shown in China Standard Time (UTC+8, no
 * daylight saving), which is also how the date filters are read.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/req.h"
#include "core/tpl.h"
#include "model/fieldtext.h"

#include "base/base.h"

/*
 * Reference fields are stored as ids (the update records keep what the
 * column held); the page shows the name the id stands for
 * (model/fieldtext.h).  Enum codes (a state, a kind, yes/no) are shown by
 * their label in the user's language (record_cell).  The record itself is
 * named by its code or name and links to its page when the user may open
 * it (record_href).
 */
#define REF_LABEL(v) FIELD_TEXT_SQL("a.field", v)

static const char *const entities[] = {
	"company", "city", "product", "cable", "warehouse", "user", "dict", "station",
	"subasset", "pile", "product_version", "code_rule", "qr_batch", "notice", NULL
};

/* Fields holding an enum code: entity (NULL: any), field, Lang.enum set. */
static const struct enum_field {
	const char *entity, *field, *set;
} enum_fields[] = {
	{ "station", "state", "station_state" },
	{ "pile", "state", "pile_state" },
	{ "company", "kind", "company_kind" },
	{ "subasset", "kind", "subasset_kind" },
	{ "product", "current_type", "current_type" },
	{ "cable", "unit", "unit" },
	{ "user", "lang", "lang" },
	{ "dict", "dict", "dict" },
	{ NULL, "enabled", "yesno" },
	{ NULL, "is_lessor", "yesno" },
	{ NULL, "is_lessee", "yesno" },
	{ NULL, "is_buyer", "yesno" },
	{ NULL, "is_supplier", "yesno" },
	{ NULL, "is_manufacturer", "yesno" },
	{ NULL, "check_char", "yesno" },
	{ "code_rule", "year_digits", "qr_year" },
};

/* Where a record of each kind is seen, for whom: <path><id><suffix>. */
static const struct record_page {
	const char *entity, *path, *suffix;
	enum perm perm;
} record_pages[] = {
	{ "pile", "/asset/piles/", "", PERM_ASSET_VIEW },
	{ "station", "/asset/stations/", "", PERM_ASSET_VIEW },
	{ "subasset", "/asset/subassets/", "/edit", PERM_ASSET_EDIT },
	{ "product_version", "/asset/versions#p", "", PERM_ASSET_VIEW },
	{ "company", "/base/companies/", "/edit", PERM_BASE_ADMIN },
	{ "city", "/base/cities/", "/edit", PERM_BASE_ADMIN },
	{ "product", "/base/products/", "/edit", PERM_BASE_ADMIN },
	{ "cable", "/base/cables/", "/edit", PERM_BASE_ADMIN },
	{ "warehouse", "/base/warehouses/", "/edit", PERM_BASE_ADMIN },
	{ "dict", "/base/dicts/", "/edit", PERM_BASE_ADMIN },
	{ "user", "/base/users/", "/edit", PERM_USER_ADMIN },
	{ "code_rule", "/qr/rules/", "/edit", PERM_QR },
	{ "qr_batch", "/qr/batches/", "", PERM_QR },
};

const char *
record_href(struct req *r, const char *entity, int64_t id)
{
	for (size_t i = 0; i < sizeof(record_pages) / sizeof(record_pages[0]); i++) {
		const struct record_page *p = &record_pages[i];

		if (strcmp(p->entity, entity) == 0)
			return user_can(r, p->perm) ? arena_printf(r->arena, "%s%lld%s", p->path,
			    (long long)id, p->suffix) : NULL;
	}
	return NULL;
}

const char *
record_name(struct req *r, const char *name, int64_t id)
{
	return *name ? name : id > 0 ? arena_printf(r->arena, "#%lld", (long long)id) : "";
}

/* The record (col 3): its name, "#id" once it is gone; its page (col 9,
 * the id) when it still exists and the user may open it.  Old and new
 * value (cols 6, 7) of an enum field: its label, when known. */
static const char *
record_cell(struct req *r, struct db_cur *c, int col, const char *text)
{
	const char *entity, *field;
	char key[128];

	if (col == 3)
		return record_name(r, text, db_i64(c, 10));
	if (col == 9) {
		const char *href = *db_str(c, 4) ? record_href(r, db_str(c, 3), db_i64(c, 10)) : NULL;

		return href ? href : "";
	}
	if ((col != 6 && col != 7) || *text == '\0')
		return text;
	entity = db_str(c, 3);
	field = db_str(c, 6);
	for (size_t i = 0; i < sizeof(enum_fields) / sizeof(enum_fields[0]); i++) {
		const struct enum_field *e = &enum_fields[i];
		const char *label;

		if (strcmp(e->field, field) != 0 || (e->entity && strcmp(e->entity, entity) != 0))
			continue;
		snprintf(key, sizeof(key), "enum.%s.%s", e->set, text);
		/* HDF names cannot hold '-' ("zh-CN"): such codes use '_' in the packs. */
		for (char *p = key; *p; p++)
			if (*p == '-')
				*p = '_';
		label = tpl_lang(r, key);
		return strcmp(label, key) == 0 ? text : label;
	}
	return text;
}
static const char *const actions[] = { "create", "update", "delete", NULL };

static const struct list_col cols[] = {
	{ "at", 't', NULL },
	{ "user", 't', NULL },
	{ "entity", 'e', "@res" },
	{ "record", 'a', NULL },
	{ "action", 'e', "@audit" },
	{ "field", 'e', "@f" },
	{ "old_value", 't', NULL },
	{ "new_value", 't', NULL },
	{ "source", 't', NULL },	/* an import: "导入 piles.xlsx (#3)" */
	{ "record_href", 'x', NULL },
};

static const struct list_filter filters[] = {
	{ "entity", " AND a.entity = ?", 's', NULL, "@res", entities },
	{ "entity_id", " AND a.entity_id = ?", 'l', NULL, NULL, NULL },
	{ "action", " AND a.action = ?", 's', NULL, "@audit", actions },
	{ "field", " AND a.field = ?", 's', NULL, NULL, NULL },
	{ "user_id", " AND a.user_id = ?", 'l', "users", NULL, NULL },
	{ "from", " AND a.at >= " SQL_UTC("?"), 'd', NULL, NULL, NULL },
	{ "to", " AND a.at < " SQL_UTC("? + INTERVAL 1 DAY"), 'd', NULL, NULL, NULL },
};

static const struct list_sort sorts[] = {
	{ "at", "a.id", NULL },
	{ "user", "u.name", NULL },
	{ "entity", "a.entity, a.entity_id", NULL },
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
	.list_sql = "SELECT a.id, DATE_FORMAT(" SQL_LOCAL("a.at") ", '%Y-%m-%d %H:%i:%s'),"
	    " u.name, a.entity, " RECORD_NAME_SQL("a.entity", "a.entity_id") ", a.action, a.field,"
	    REF_LABEL("a.old_value") ", " REF_LABEL("a.new_value") ", a.source, a.entity_id"
	    " FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM audit_log a WHERE 1=1",
	.cols = cols, .ncols = (int)(sizeof(cols) / sizeof(cols[0])),
	.filters = filters, .nfilters = 7,
	.sorts = sorts, .nsorts = 3, .desc_default = 1,
	.options = options, .cell = record_cell,
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
