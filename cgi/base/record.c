/*
 * record.c — update records (更新记录, F4.21): every audited change, newest
 * first, filtered by kind of record, record id, field, user and date.
 * Times are stored in UTC and shown in China Standard Time (UTC+8, no
 * daylight saving), which is also how the date filters are read.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/log.h"
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

/*
 * The fields each kind of record has update records of (the forms' fields
 * and those written by model/ for the phone, bindings, codes and links), in
 * the order the forms show them.  The 字段 filter offers them by their label
 * (Lang.f.<field>, as the list's field column shows it) — those of the
 * chosen kind, or of every kind — and accepts no other value; the internal
 * names stay in the option values.
 */
static const struct record_field {
	const char *entity;
	const char *const *fields;
} record_fields[] = {
	{ "pile", (const char *const[]){ "code", "serial_no", "product_id", "company_id", "state",
	    "station_id", "warehouse_id", "party_id", "owner_company_id", "operator_company_id",
	    "leased_from_id", "sw_version", "hw_version", "comm_method", "charging_mode", "tariff",
	    "commissioned_on", NULL } },
	{ "station", (const char *const[]){ "code", "name", "company_id", "city_id", "address", "lat",
	    "lng", "state", "asset_nature", "owner_company_id", "operator_company_id",
	    "expected_piles", "commissioned_on", "lessor_id", "lease_start", "lease_end",
	    "staff_user_id", "staff", "staff_phone", "note", NULL } },
	{ "subasset", (const char *const[]){ "station_id", "kind", "name", "model", "length_m",
	    "area_m2", "capacity_kva", "contractor", "cost", "completed_on", "note", NULL } },
	{ "product_version", (const char *const[]){ "sw_target", "hw_target", NULL } },
	{ "company", (const char *const[]){ "code", "name", "kind", "is_lessor", "is_lessee",
	    "is_buyer", "is_supplier", "is_manufacturer", "contact", "phone", "address", "note",
	    NULL } },
	{ "city", (const char *const[]){ "code", "name", "province", "company_id", "lat", "lng",
	    NULL } },
	{ "product", (const char *const[]){ "manufacturer_id", "model", "name", "rated_power_kw",
	    "current_type", "connectors", "charging_mode", "warranty_months", "note", NULL } },
	{ "cable", (const char *const[]){ "model", "spec", "unit", "manufacturer_id", "note", NULL } },
	{ "warehouse", (const char *const[]){ "code", "name", "company_id", "city_id", "address",
	    "keeper", "phone", NULL } },
	{ "user", (const char *const[]){ "username", "name", "role_id", "company_id", "supplier_id",
	    "phone", "email", "lang", "enabled", "password", "wechat_openid", NULL } },
	{ "dict", (const char *const[]){ "dict", "code", "name", "name_en", "sort", "enabled", NULL } },
	{ "code_rule", (const char *const[]){ "name", "prefix", "company_id", "segment",
	    "year_digits", "serial_width", "check_char", "enabled", "note", NULL } },
	{ "notice", (const char *const[]){ "acked_at", NULL } },
};
#define NRECORD_FIELDS (sizeof(record_fields) / sizeof(record_fields[0]))
/* Every field of every kind once, for the filter's check (filled once). */
static const char *all_fields[128];

static void
fields_once(void)
{
	int n = 0;

	if (all_fields[0])
		return;
	for (size_t e = 0; e < NRECORD_FIELDS; e++)
		for (const char *const *f = record_fields[e].fields; *f; f++) {
			bool seen = false;

			for (int i = 0; i < n; i++)
				seen |= strcmp(all_fields[i], *f) == 0;
			if (!seen) {
				if (n + 1 >= (int)(sizeof(all_fields) / sizeof(all_fields[0]))) {
					/* A programming error: the rest are not offered, never an exit. */
					log_err("record_fields: more fields than all_fields holds");
					break;
				}
				all_fields[n++] = *f;
			}
		}
	all_fields[n] = NULL;
}

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
	{ "field", " AND a.field = ?", 's', "fields", NULL, all_fields },
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

/* Page.opts.fields: the fields of the chosen kind of record (all kinds:
 * each once); a label two fields share names its kind too. */
static void
field_options(struct req *r)
{
	const char *entity = req_query(r, "entity"), *chosen = req_query(r, "field");
	const char *names[128], *labels[128];
	bool any = false, has_chosen = false;
	int n = 0;

	for (size_t e = 0; e < NRECORD_FIELDS; e++)
		any |= entity && strcmp(record_fields[e].entity, entity) == 0;
	for (size_t e = 0; e < NRECORD_FIELDS; e++) {
		if (any && strcmp(record_fields[e].entity, entity) != 0)
			continue;
		for (const char *const *f = record_fields[e].fields; *f; f++) {
			bool seen = false;
			char key[96];

			for (int i = 0; i < n; i++)
				seen |= strcmp(names[i], *f) == 0;
			if (seen || n == (int)(sizeof(names) / sizeof(names[0])))
				continue;
			snprintf(key, sizeof(key), "f.%s", *f);
			names[n] = *f;
			labels[n++] = tpl_lang(r, key);
		}
	}
	for (int i = 0; i < n; i++) {
		const char *label = labels[i];

		for (int k = 0; k < n; k++)
			if (k != i && strcmp(labels[k], labels[i]) == 0) {
				/* "制造厂商" of a product and a company's "制造厂商" flag. */
				for (size_t e = 0; e < NRECORD_FIELDS; e++) {
					bool has = false;

					for (const char *const *f = record_fields[e].fields; *f; f++)
						has |= strcmp(*f, names[i]) == 0;
					if (has) {
						label = arena_printf(r->arena, "%s（%s）", labels[i],
						    tpl_lang(r, arena_printf(r->arena, "res.%s",
						    record_fields[e].entity)));
						break;
					}
				}
				break;
			}
		tpl_setf(r, names[i], "Page.opts.fields.%d.id", i);
		tpl_setf(r, label, "Page.opts.fields.%d.label", i);
		has_chosen |= chosen && strcmp(chosen, names[i]) == 0;
	}
	/* A field of another kind stays shown while it is the filter. */
	fields_once();
	for (int i = 0; chosen && !has_chosen && all_fields[i]; i++)
		if (strcmp(all_fields[i], chosen) == 0) {
			tpl_setf(r, all_fields[i], "Page.opts.fields.%d.id", n);
			tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "f.%s", all_fields[i])),
			    "Page.opts.fields.%d.label", n);
		}
}

static void
options(struct req *r)
{
	fields_once();
	crud_options(r, "users", &q_opt_users);
	field_options(r);
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
