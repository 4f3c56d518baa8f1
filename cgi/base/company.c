/*
 * company.c — business companies (业务公司, F1.1): the head office, city
 * companies, and outside companies with their roles (lessor, lessee,
 * buyer, supplier, manufacturer).  A company still referenced by a city,
 * warehouse, product or user cannot be deleted.
 */
#include <string.h>

#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"

#include "base/base.h"

static const char *const kinds[] = { "head", "city", "outside", NULL };

static const struct field fields[] = {
	{ "code", FT_CODE, F_REQ, 32, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "name", FT_TEXT, F_REQ, 100, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "kind", FT_CHOICE, F_REQ, 0, 0, 0, 0, kinds, "company_kind", NULL, NULL },
	{ "is_lessor", FT_BOOL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "is_lessee", FT_BOOL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "is_buyer", FT_BOOL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "is_supplier", FT_BOOL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "is_manufacturer", FT_BOOL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "contact", FT_TEXT, 0, 50, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "phone", FT_PHONE, 0, 30, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "address", FT_TEXT, 0, 200, 0, 0, 0, NULL, NULL, NULL, NULL },
	{ "note", FT_TEXTAREA, 0, 500, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const struct list_col cols[] = {
	{ "code", 'k', NULL },
	{ "name", 't', NULL },
	{ "kind", 'e', "company_kind" },
	{ "roles", 'm', "company_role" },
	{ "contact", 't', NULL },
	{ "phone", 't', NULL },
	{ "city_count", 'n', NULL },
};

static const struct list_filter filters[] = {
	{ "q", " AND (c.code LIKE ? OR c.name LIKE ? OR c.contact LIKE ?)", 'q', NULL, NULL, NULL },
	{ "kind", " AND c.kind = ?", 's', NULL, "company_kind", kinds },
	{ "is_supplier", " AND c.is_supplier = ?", 'i', NULL, "yesno", (const char *const[]){ "1", "0", NULL } },
	{ "is_manufacturer", " AND c.is_manufacturer = ?", 'i', NULL, "yesno", (const char *const[]){ "1", "0", NULL } },
};

static const struct list_sort sorts[] = {
	{ "code", "c.code", NULL },
	{ "name", "c.name", NULL },
	{ "kind", "c.kind", NULL },
	{ "city_count", "city_count", NULL },
};

static const struct query q_get = {
	"SELECT id, version, code, name, kind, is_lessor, is_lessee, is_buyer, is_supplier,"
	" is_manufacturer, contact, phone, address, note FROM companies WHERE id = ?",
	"l", "lissssssssssss"
};
static const struct query q_insert = {
	"INSERT INTO companies (code, name, kind, is_lessor, is_lessee, is_buyer, is_supplier,"
	" is_manufacturer, contact, phone, address, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"sssiiiii?s?s?s?s", ""
};
static const struct query q_update = {
	"UPDATE companies SET code = ?, name = ?, kind = ?, is_lessor = ?, is_lessee = ?,"
	" is_buyer = ?, is_supplier = ?, is_manufacturer = ?, contact = ?, phone = ?,"
	" address = ?, note = ?, version = version + 1 WHERE id = ? AND version = ?",
	"sssiiiii?s?s?s?sli", ""
};
static const struct query q_delete = { "DELETE FROM companies WHERE id = ?", "l", "" };

static const struct query q_ref_cities = { "SELECT COUNT(*) FROM cities WHERE company_id = ?", "l", "l" };
static const struct query q_ref_warehouses = { "SELECT COUNT(*) FROM warehouses WHERE company_id = ?", "l", "l" };
static const struct query q_ref_products = {
	"SELECT (SELECT COUNT(*) FROM products WHERE manufacturer_id = ?)"
	" + (SELECT COUNT(*) FROM cable_products WHERE manufacturer_id = ?)", "ll", "l"
};
static const struct query q_ref_pile_products = {
	"SELECT COUNT(*) FROM products WHERE manufacturer_id = ?", "l", "l"
};
static const struct query q_ref_cable_products = {
	"SELECT COUNT(*) FROM cable_products WHERE manufacturer_id = ?", "l", "l"
};
static const struct query q_ref_staff = {
	"SELECT COUNT(*) FROM users WHERE company_id = ?", "l", "l"
};
static const struct query q_ref_supplier_users = {
	"SELECT COUNT(*) FROM users WHERE supplier_id = ?", "l", "l"
};

static const struct ref_check refs[] = {
	{ &q_ref_cities, "ref.company_cities" },
	{ &q_ref_warehouses, "ref.company_warehouses" },
	{ &q_ref_pile_products, "ref.company_products" },
	{ &q_ref_cable_products, "ref.company_cables" },
	{ &q_ref_staff, "ref.company_users" },
	{ &q_ref_supplier_users, "ref.company_users" },
};

static int
check(struct req *r, struct fval *v, int64_t id)
{
	int bad = 0;

	/* A supplier or manufacturer is an outside company. */
	if (strcmp(v[2].s, "outside") != 0 && (v[6].i || v[7].i || v[3].i)) {
		form_error(r, "kind", "err.company_roles");
		bad++;
	}
	if (id > 0) {
		/* Products and users refer to it as what it is now. */
		if (!v[7].i && db_scalar(0, &q_ref_products, id, id) > 0) {
			form_error(r, "is_manufacturer", "err.still_manufacturer");
			bad++;
		}
	}
	return bad;
}

static const struct resource company_res = {
	.name = "company", .module = "base", .base = "/base/companies", .menu = "base.company",
	.view_perm = PERM_BASE_VIEW, .edit_perm = PERM_BASE_ADMIN,
	.fields = fields, .nfields = 12, .title_field = "name",
	.list_sql = "SELECT c.id, c.code, c.name, c.kind,"
	    " CONCAT_WS(' ', IF(c.is_lessor, 'lessor', NULL), IF(c.is_lessee, 'lessee', NULL),"
	    " IF(c.is_buyer, 'buyer', NULL), IF(c.is_supplier, 'supplier', NULL),"
	    " IF(c.is_manufacturer, 'manufacturer', NULL)),"
	    " c.contact, c.phone,"
	    " (SELECT COUNT(*) FROM cities ci WHERE ci.company_id = c.id) AS city_count"
	    " FROM companies c WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM companies c WHERE 1=1",
	.cols = cols, .ncols = 7,
	.filters = filters, .nfilters = 4,
	.sorts = sorts, .nsorts = 4,
	.get = &q_get, .insert = &q_insert, .update = &q_update, .del = &q_delete,
	.refs = refs, .nrefs = 6,
	.check = check,
};

CRUD_DEFINE(company, company_res)
