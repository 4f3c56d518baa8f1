/*
 * warehouse.c — warehouses (仓库管理, F1.3).  A warehouse belongs to a city
 * company; users of a city company see and pick only their own (the scope
 * fragment below), head-office roles see all.
 *
 * Each row counts the piles in the warehouse (its stock) and links to the
 * pile list filtered by it.  The count is correlated, one range of
 * ix_piles_warehouse (migration 0031) per row of the page, so a page costs
 * its warehouses' piles, never a scan of all piles.  A pile in a warehouse
 * answers to the warehouse's company (model/pile_place.c), so the count is what
 * the user sees behind the link; a warehouse keeps its company while it
 * holds piles (check), which keeps that true.
 */
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/scope.h"
#include "model/options.h"

#include "base/base.h"

static const struct query q_ref_company = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND kind IN ('city', 'head') AND (? OR id = ?)",
	"lil", "l"
};
static const struct query q_ref_city = {
	"SELECT COUNT(*) FROM cities WHERE id = ?", "l", "l"
};
static const struct query q_is_head = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND kind = 'head'", "l", "l"
};
static const struct query q_city_company = {
	"SELECT COALESCE(company_id, 0) FROM cities WHERE id = ?", "l", "l"
};
static const struct query q_held_elsewhere = {
	"SELECT COUNT(*) FROM warehouses w JOIN piles p ON p.warehouse_id = w.id"
	" WHERE w.id = ? AND w.company_id <> ?", "ll", "l"
};

static const struct field fields[] = {
	{ "code", FT_CODE, F_REQ, 32, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "name", FT_TEXT, F_REQ, 100, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "company_id", FT_REF, F_REQ, 0, 0, 0, 0, NULL, NULL, &q_ref_company, "companies" },
	{ "city_id", FT_REF, F_REQ, 0, 0, 0, 0, NULL, NULL, &q_ref_city, "cities" },
	{ "address", FT_TEXT, 0, 200, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "keeper", FT_TEXT, 0, 50, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "phone", FT_PHONE, 0, 30, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const struct list_col cols[] = {
	{ "code", 'k', NULL },
	{ "name", 't', NULL },
	{ "company", 't', NULL },
	{ "city", 't', NULL },
	{ "piles_in_stock", 'c', NULL },
	{ "address", 't', NULL },
	{ "keeper", 't', NULL },
	{ "phone", 't', NULL },
	{ "piles_in_stock_href", 'x', NULL },
};

static const struct list_filter filters[] = {
	{ "q", " AND (w.code LIKE ? OR w.name LIKE ? OR w.address LIKE ?)", 'q', NULL, NULL, NULL },
	{ "company_id", " AND w.company_id = ?", 'l', "companies", NULL, NULL },
	{ "city_id", " AND w.city_id = ?", 'l', "cities", NULL, NULL },
};

static const struct list_sort sorts[] = {
	{ "code", "w.code", NULL },
	{ "name", "w.name", NULL },
	{ "company", "co.name, w.name", NULL },
	{ "city", "ci.name, w.name", NULL },
};

static const struct query q_get = {
	"SELECT id, version, code, name, company_id, city_id, address, keeper, phone"
	" FROM warehouses WHERE id = ? AND (? OR company_id = ?)",
	"lil", "lisssssss"
};
static const struct query q_insert = {
	"INSERT INTO warehouses (code, name, company_id, city_id, address, keeper, phone)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)",
	"ssll?s?s?s", ""
};
static const struct query q_update = {
	"UPDATE warehouses SET code = ?, name = ?, company_id = ?, city_id = ?, address = ?,"
	" keeper = ?, phone = ?, version = version + 1 WHERE id = ? AND version = ?",
	"ssll?s?s?sli", ""
};
static const struct query q_delete = { "DELETE FROM warehouses WHERE id = ?", "l", "" };

static void
options(struct req *r)
{
	options_companies(r);
	options_cities(r);
}

static int
check(struct req *r, struct fval *v, int64_t id)
{
	int64_t covering = db_scalar(0, &q_city_company, v[3].i);

	/* The city must be one the company covers (head office: any). */
	if (covering != 0 && covering != v[2].i &&
	    db_scalar(0, &q_is_head, v[2].i) == 0) {
		form_error(r, "city_id", "err.city_not_covered");
		return 1;
	}
	/* Its piles answer to its company: they leave before it changes hands. */
	if (id != 0 && db_scalar(0, &q_held_elsewhere, id, v[2].i) > 0) {
		form_error(r, "company_id", "err.warehouse_company_piles");
		return 1;
	}
	return 0;
}

static const struct resource warehouse_res = {
	.name = "warehouse", .module = "base", .base = "/base/warehouses", .menu = "base.warehouse",
	.view_perm = PERM_BASE_VIEW, .edit_perm = PERM_BASE_ADMIN,
	.fields = fields, .nfields = 7, .title_field = "name",
	.list_sql = "SELECT w.id, w.code, w.name, co.name, ci.name,"
	    " (SELECT COUNT(*) FROM piles p WHERE p.warehouse_id = w.id),"
	    " w.address, w.keeper, w.phone, CONCAT('/asset/piles?warehouse_id=', w.id)"
	    " FROM warehouses w JOIN companies co ON co.id = w.company_id"
	    " JOIN cities ci ON ci.id = w.city_id WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM warehouses w WHERE 1=1",
	.scope_sql = SCOPE_COMPANY("w.company_id"),
	.cols = cols, .ncols = (int)(sizeof(cols) / sizeof(cols[0])),
	.filters = filters, .nfilters = 3,
	.sorts = sorts, .nsorts = 4,
	.get = &q_get, .insert = &q_insert, .update = &q_update, .del = &q_delete,
	.options = options, .check = check,
};

CRUD_DEFINE(warehouse, warehouse_res)
