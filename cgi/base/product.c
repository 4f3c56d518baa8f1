/*
 * product.c — pile products (产品信息, F1.2): manufacturer, model, name,
 * rated power, AC/DC, connectors, charging mode and warranty months.
 * Rated power and warranty feed statistics and warranty dates, so their
 * changes are in the update records like every other field.
 */
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/tpl.h"

#include "base/base.h"

static const char *const currents[] = { "AC", "DC", NULL };

static const struct query q_ref_manufacturer = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND is_manufacturer = 1", "l", "l"
};
static const struct query q_ref_mode = {
	"SELECT COUNT(*) FROM dict_items WHERE dict = 'charging_mode' AND code = ?", "s", "l"
};

static const struct field fields[] = {
	{ "manufacturer_id", FT_REF, F_REQ, 0, 0, 0, 0, NULL, NULL, &q_ref_manufacturer, "manufacturers" },
	{ "model", FT_TEXT, F_REQ, 64, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "name", FT_TEXT, F_REQ, 100, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "rated_power_kw", FT_DECIMAL, F_REQ, 10, 0.01, 2000, 2, NULL, NULL, NULL, NULL },
	{ "current_type", FT_CHOICE, F_REQ, 0, 0, 0, 0, currents, "current_type", NULL, NULL },
	{ "connectors", FT_INT, F_REQ, 3, 1, 12, 0, NULL, NULL, NULL, NULL },
	{ "charging_mode", FT_TEXT, 0, 32, 0, 0, 0, NULL, NULL, NULL, "modes" },
	{ "warranty_months", FT_INT, F_REQ, 3, 0, 240, 0, NULL, NULL, NULL, NULL },
	{ "note", FT_TEXTAREA, 0, 500, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const struct list_col cols[] = {
	{ "model", 'k', NULL },
	{ "name", 't', NULL },
	{ "manufacturer", 't', NULL },
	{ "rated_power_kw", 'n', NULL },
	{ "current_type", 'e', "current_type" },
	{ "connectors", 'n', NULL },
	{ "charging_mode_name", 't', NULL },
	{ "warranty_months", 'n', NULL },
};

static const struct list_filter filters[] = {
	{ "q", " AND (p.model LIKE ? OR p.name LIKE ?)", 'q', NULL, NULL, NULL },
	{ "manufacturer_id", " AND p.manufacturer_id = ?", 'l', "manufacturers", NULL, NULL },
	{ "current_type", " AND p.current_type = ?", 's', NULL, "current_type", currents },
	{ "rated_power_kw", " AND p.rated_power_kw = ?", 's', "powers", NULL, NULL },
};

static const struct list_sort sorts[] = {
	{ "manufacturer", "m.name, p.model", NULL },
	{ "model", "p.model", NULL },
	{ "name", "p.name", NULL },
	{ "rated_power_kw", "p.rated_power_kw", NULL },
	{ "warranty_months", "p.warranty_months", NULL },
};

static const struct query q_get = {
	"SELECT id, version, manufacturer_id, model, name, rated_power_kw, current_type,"
	" connectors, charging_mode, warranty_months, note FROM products WHERE id = ?",
	"l", "lisssssssss"
};
static const struct query q_insert = {
	"INSERT INTO products (manufacturer_id, model, name, rated_power_kw, current_type,"
	" connectors, charging_mode, warranty_months, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"lssssl?sl?s", ""
};
static const struct query q_update = {
	"UPDATE products SET manufacturer_id = ?, model = ?, name = ?, rated_power_kw = ?,"
	" current_type = ?, connectors = ?, charging_mode = ?, warranty_months = ?, note = ?,"
	" version = version + 1 WHERE id = ? AND version = ?",
	"lssssl?sl?sli", ""
};
static const struct query q_delete = { "DELETE FROM products WHERE id = ?", "l", "" };

static const struct query q_opt_manufacturers = {
	"SELECT id, name FROM companies WHERE is_manufacturer = 1 ORDER BY name", "", "ls"
};
static const struct query q_opt_modes = {
	"SELECT id, code, name FROM dict_items WHERE dict = 'charging_mode' AND enabled = 1 ORDER BY sort",
	"", "lss"
};
static const struct query q_opt_powers = {
	"SELECT DISTINCT 0, rated_power_kw FROM products ORDER BY rated_power_kw", "", "ls"
};

static void
options(struct req *r)
{
	struct db_cur c;
	int n = 0;

	crud_options(r, "manufacturers", &q_opt_manufacturers);
	if (db_open(&c, &q_opt_modes) == 0) {
		while (db_next(&c)) {
			tpl_setf(r, db_str(&c, 1), "Page.opts.modes.%d.id", n);
			tpl_setf(r, db_str(&c, 2), "Page.opts.modes.%d.label", n);
			n++;
		}
		db_close(&c);
	}
	n = 0;
	if (db_open(&c, &q_opt_powers) == 0) {
		while (db_next(&c)) {
			tpl_setf(r, db_str(&c, 1), "Page.opts.powers.%d.id", n);
			tpl_setf(r, db_str(&c, 1), "Page.opts.powers.%d.label", n);
			n++;
		}
		db_close(&c);
	}
}

static int
check(struct req *r, struct fval *v, int64_t id)
{
	(void)id;
	if (!v[6].null && db_scalar(0, &q_ref_mode, v[6].s) == 0) {
		form_error(r, "charging_mode", "err.choice");
		return 1;
	}
	return 0;
}

static void
defaults(struct req *r)
{
	tpl_set(r, "Page.form.connectors", "1");
	tpl_set(r, "Page.form.warranty_months", "24");
	tpl_set(r, "Page.form.current_type", "DC");
}

static const struct resource product_res = {
	.name = "product", .module = "base", .base = "/base/products", .menu = "base.product",
	.view_perm = PERM_BASE_VIEW, .edit_perm = PERM_BASE_ADMIN,
	.fields = fields, .nfields = 9, .title_field = "model",
	.list_sql = "SELECT p.id, p.model, p.name, m.name, p.rated_power_kw, p.current_type,"
	    " p.connectors, d.name, p.warranty_months"
	    " FROM products p JOIN companies m ON m.id = p.manufacturer_id"
	    " LEFT JOIN dict_items d ON d.dict = 'charging_mode' AND d.code = p.charging_mode"
	    " WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM products p WHERE 1=1",
	.cols = cols, .ncols = 8,
	.filters = filters, .nfilters = 4,
	.sorts = sorts, .nsorts = 5,
	.get = &q_get, .insert = &q_insert, .update = &q_update, .del = &q_delete,
	.options = options, .check = check, .defaults = defaults,
};

CRUD_DEFINE(product, product_res)
