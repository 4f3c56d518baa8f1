/*
 * city.c — cities (F1.1/F1.5): administrative code, province, the city
 * company that covers the city, and its WGS-84 centre (used to place new
 * stations and by the map).
 */
#include "core/crud.h"
#include "core/db.h"
#include "core/req.h"

#include "base/base.h"

static const struct query q_ref_city_company = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND kind = 'city'", "l", "l"
};

static const struct field fields[] = {
	{ "code", FT_CODE, F_REQ, 12, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "name", FT_TEXT, F_REQ, 50, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "province", FT_TEXT, F_REQ, 50, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "company_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_city_company, "city_companies" },
	{ "lat", FT_DECIMAL, 0, 12, -90, 90, 6, NULL, NULL, NULL, NULL },
	{ "lng", FT_DECIMAL, 0, 12, -180, 180, 6, NULL, NULL, NULL, NULL },
};

static const struct list_col cols[] = {
	{ "code", 'k', NULL },
	{ "name", 't', NULL },
	{ "province", 't', NULL },
	{ "company", 't', NULL },
	{ "lat", 'n', NULL },
	{ "lng", 'n', NULL },
	{ "warehouse_count", 'n', NULL },
};

static const struct list_filter filters[] = {
	{ "q", " AND (c.code LIKE ? OR c.name LIKE ? OR c.province LIKE ?)", 'q', NULL, NULL, NULL },
	{ "company_id", " AND c.company_id = ?", 'l', "city_companies", NULL, NULL },
};

static const struct list_sort sorts[] = {
	{ "code", "c.code", NULL },
	{ "name", "c.name", NULL },
	{ "province", "c.province", NULL },
	{ "company", "co.name", NULL },
	{ "warehouse_count", "warehouse_count", NULL },
};

static const struct query q_get = {
	"SELECT id, version, code, name, province, company_id, lat, lng FROM cities WHERE id = ?",
	"l", "lissssss"
};
static const struct query q_insert = {
	"INSERT INTO cities (code, name, province, company_id, lat, lng) VALUES (?, ?, ?, ?, ?, ?)",
	"sss?l?s?s", ""
};
static const struct query q_update = {
	"UPDATE cities SET code = ?, name = ?, province = ?, company_id = ?, lat = ?, lng = ?,"
	" version = version + 1 WHERE id = ? AND version = ?",
	"sss?l?s?sli", ""
};
static const struct query q_delete = { "DELETE FROM cities WHERE id = ?", "l", "" };
static const struct query q_ref_warehouses = {
	"SELECT COUNT(*) FROM warehouses WHERE city_id = ?", "l", "l"
};
static const struct ref_check refs[] = {
	{ &q_ref_warehouses, "ref.city_warehouses" },
};

static const struct query q_opt_city_companies = {
	"SELECT id, name FROM companies WHERE kind = 'city' ORDER BY name", "", "ls"
};

static void
options(struct req *r)
{
	crud_options(r, "city_companies", &q_opt_city_companies);
}

static const struct resource city_res = {
	.name = "city", .module = "base", .base = "/base/cities", .menu = "base.city",
	.view_perm = PERM_BASE_VIEW, .edit_perm = PERM_BASE_ADMIN,
	.fields = fields, .nfields = 6, .title_field = "name",
	.list_sql = "SELECT c.id, c.code, c.name, c.province, co.name, c.lat, c.lng,"
	    " (SELECT COUNT(*) FROM warehouses w WHERE w.city_id = c.id) AS warehouse_count"
	    " FROM cities c LEFT JOIN companies co ON co.id = c.company_id WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM cities c WHERE 1=1",
	.cols = cols, .ncols = 7,
	.filters = filters, .nfilters = 2,
	.sorts = sorts, .nsorts = 5,
	.get = &q_get, .insert = &q_insert, .update = &q_update, .del = &q_delete,
	.refs = refs, .nrefs = 1,
	.options = options,
};

CRUD_DEFINE(city, city_res)
