/*
 * dict.c — dictionaries (F1.5): station states, asset natures, charging
 * modes, communication methods … as code + Chinese and English names.
 * Codes are what other tables store, so a code is fixed once created and
 * an item in use cannot be deleted (disable it instead).
 */
#include <string.h>

#include "core/crud.h"
#include "core/db.h"
#include "core/req.h"
#include "core/tpl.h"

#include "base/base.h"

static const char *const dicts[] = {
	"station_state", "asset_nature", "charging_mode", "comm_method", NULL
};

static const struct field fields[] = {
	{ "dict", FT_CHOICE, F_REQ | F_CREATE, 0, 0, 0, 0, dicts, "dict", NULL, NULL },
	{ "code", FT_CODE, F_REQ | F_CREATE, 32, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "name", FT_TEXT, F_REQ, 100, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "name_en", FT_TEXT, 0, 100, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "sort", FT_INT, 0, 6, -99999, 99999, 0, NULL, NULL, NULL, NULL },
	{ "enabled", FT_BOOL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const struct list_col cols[] = {
	{ "dict", 'e', "dict" },
	{ "code", 'k', NULL },
	{ "name", 't', NULL },
	{ "name_en", 't', NULL },
	{ "sort", 'n', NULL },
	{ "enabled", 'b', NULL },
};

static const struct list_filter filters[] = {
	{ "q", " AND (d.code LIKE ? OR d.name LIKE ? OR d.name_en LIKE ?)", 'q', NULL, NULL, NULL },
	{ "dict", " AND d.dict = ?", 's', NULL, "dict", dicts },
	{ "enabled", " AND d.enabled = ?", 'i', NULL, "yesno", (const char *const[]){ "1", "0", NULL } },
};

static const struct list_sort sorts[] = {
	{ "dict", "d.dict, d.sort", NULL },
	{ "code", "d.code", NULL },
	{ "name", "d.name", NULL },
	{ "sort", "d.sort", NULL },
};

static const struct query q_get = {
	"SELECT id, version, dict, code, name, name_en, sort, enabled FROM dict_items WHERE id = ?",
	"l", "lissssss"
};
static const struct query q_insert = {
	"INSERT INTO dict_items (dict, code, name, name_en, sort, enabled) VALUES (?, ?, ?, ?, COALESCE(?, 0), ?)",
	"sss?s?li", ""
};
static const struct query q_update = {
	"UPDATE dict_items SET dict = ?, code = ?, name = ?, name_en = ?, sort = COALESCE(?, 0),"
	" enabled = ?, version = version + 1 WHERE id = ? AND version = ?",
	"sss?s?lili", ""
};
static const struct query q_delete = { "DELETE FROM dict_items WHERE id = ?", "l", "" };
static const struct query q_ref_products = {
	"SELECT COUNT(*) FROM products p JOIN dict_items d ON d.dict = 'charging_mode'"
	" AND d.code = p.charging_mode WHERE d.id = ?", "l", "l"
};
static const struct ref_check refs[] = {
	{ &q_ref_products, "ref.dict_products" },
};

static void
defaults(struct req *r)
{
	const char *d = req_query(r, "dict");

	tpl_set(r, "Page.form.enabled", "1");
	tpl_set(r, "Page.form.sort", "0");
	if (d)
		for (int i = 0; dicts[i]; i++)
			if (strcmp(dicts[i], d) == 0)
				tpl_set(r, "Page.form.dict", dicts[i]);
}

static const struct resource dict_res = {
	.name = "dict", .module = "base", .base = "/base/dicts", .menu = "base.dict",
	.view_perm = PERM_BASE_VIEW, .edit_perm = PERM_BASE_ADMIN,
	.fields = fields, .nfields = 6, .title_field = "name",
	.list_sql = "SELECT d.id, d.dict, d.code, d.name, d.name_en, d.sort, d.enabled"
	    " FROM dict_items d WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM dict_items d WHERE 1=1",
	.cols = cols, .ncols = 6,
	.filters = filters, .nfilters = 3,
	.sorts = sorts, .nsorts = 4,
	.get = &q_get, .insert = &q_insert, .update = &q_update, .del = &q_delete,
	.refs = refs, .nrefs = 1,
	.defaults = defaults,
};

CRUD_DEFINE(dict, dict_res)
