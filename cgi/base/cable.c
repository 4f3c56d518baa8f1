/*
 * cable.c — cable products (F1.2): model, specification and unit, with an
 * optional manufacturer.  Cable stock (F4.14) counts per model.
 */
#include "core/crud.h"
#include "core/db.h"
#include "core/req.h"
#include "core/tpl.h"

#include "base/base.h"

static const char *const units[] = { "m", "roll", NULL };

static const struct query q_ref_manufacturer = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND is_manufacturer = 1", "l", "l"
};

static const struct field fields[] = {
	{ "model", FT_TEXT, F_REQ, 64, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "spec", FT_TEXT, F_REQ, 100, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "unit", FT_CHOICE, F_REQ, 0, 0, 0, 0, units, "unit", NULL, NULL },
	{ "manufacturer_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_manufacturer, "manufacturers" },
	{ "note", FT_TEXTAREA, 0, 500, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const struct list_col cols[] = {
	{ "model", 'k', NULL },
	{ "spec", 't', NULL },
	{ "unit", 'e', "unit" },
	{ "manufacturer", 't', NULL },
	{ "note", 't', NULL },
};

static const struct list_filter filters[] = {
	{ "q", " AND (p.model LIKE ? OR p.spec LIKE ?)", 'q', NULL, NULL, NULL },
	{ "manufacturer_id", " AND p.manufacturer_id = ?", 'l', "manufacturers", NULL, NULL },
};

static const struct list_sort sorts[] = {
	{ "model", "p.model", NULL },
	{ "spec", "p.spec", NULL },
	{ "manufacturer", "m.name", NULL },
};

static const struct query q_get = {
	"SELECT id, version, model, spec, unit, manufacturer_id, note FROM cable_products WHERE id = ?",
	"l", "lisssss"
};
static const struct query q_insert = {
	"INSERT INTO cable_products (model, spec, unit, manufacturer_id, note) VALUES (?, ?, ?, ?, ?)",
	"sss?l?s", ""
};
static const struct query q_update = {
	"UPDATE cable_products SET model = ?, spec = ?, unit = ?, manufacturer_id = ?, note = ?,"
	" version = version + 1 WHERE id = ? AND version = ?",
	"sss?l?sli", ""
};
static const struct query q_delete = { "DELETE FROM cable_products WHERE id = ?", "l", "" };

static const struct query q_opt_manufacturers = {
	"SELECT id, name FROM companies WHERE is_manufacturer = 1 ORDER BY name", "", "ls"
};

static void
options(struct req *r)
{
	crud_options(r, "manufacturers", &q_opt_manufacturers);
}

static void
defaults(struct req *r)
{
	tpl_set(r, "Page.form.unit", "m");
}

static const struct resource cable_res = {
	.name = "cable", .module = "base", .base = "/base/cables", .menu = "base.cable",
	.view_perm = PERM_BASE_VIEW, .edit_perm = PERM_BASE_ADMIN,
	.fields = fields, .nfields = 5, .title_field = "model",
	.list_sql = "SELECT p.id, p.model, p.spec, p.unit, m.name, p.note"
	    " FROM cable_products p LEFT JOIN companies m ON m.id = p.manufacturer_id WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM cable_products p WHERE 1=1",
	.cols = cols, .ncols = 5,
	.filters = filters, .nfilters = 2,
	.sorts = sorts, .nsorts = 3,
	.get = &q_get, .insert = &q_insert, .update = &q_update, .del = &q_delete,
	.options = options, .defaults = defaults,
};

CRUD_DEFINE(cable, cable_res)
