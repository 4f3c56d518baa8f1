/*
 * station.c — stations (资产维护, F4.1): where a station is, which city
 * company answers for it, its state and the day it entered each state,
 * ownership and operator, expected pile count, commissioning date and
 * site lease.  Users of a city company see and edit only their own
 * stations.  Creation, every state change and deletion are posted to the
 * asset ledger in the same transaction (model/station_state.c).  A new
 * station starts as approved, building or operating; suspended and closed
 * come only through the transitions.  When a station moves to another
 * company its piles move with it (model/pile_place.c, with update records).
 */
#include <string.h>

#include "core/arena.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/tpl.h"
#include "model/options.h"
#include "model/anomaly.h"
#include "model/pile.h"
#include "model/station_state.h"

#include "asset/asset.h"

enum {
	S_CODE, S_NAME, S_COMPANY, S_CITY, S_ADDRESS, S_LAT, S_LNG, S_STATE, S_NATURE,
	S_OWNER, S_OPERATOR, S_EXPECTED, S_COMMISSIONED, S_LESSOR, S_LEASE_START,
	S_LEASE_END, S_STAFF_USER, S_STAFF, S_STAFF_PHONE, S_NOTE, S__MAX
};

static const struct query q_ref_company = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND kind IN ('city', 'head') AND (? OR id = ?)",
	"lil", "l"
};
static const struct query q_ref_city = { "SELECT COUNT(*) FROM cities WHERE id = ?", "l", "l" };
static const struct query q_ref_any_company = {
	"SELECT COUNT(*) FROM companies WHERE id = ?", "l", "l"
};
/* A responsible user: an enabled staff user who may view assets. */
static const struct query q_ref_staff_user = {
	"SELECT COUNT(*) FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = ? AND u.enabled = 1"
	" AND u.supplier_id IS NULL AND FIND_IN_SET('asset_view', r.perms) > 0", "l", "l"
};
static const struct query q_ref_lessor = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND is_lessor = 1", "l", "l"
};

static const struct field fields[S__MAX] = {
	[S_CODE] = { "code", FT_CODE, F_REQ, 32, 0, 0, 0, NULL, NULL, NULL, NULL },
	[S_NAME] = { "name", FT_TEXT, F_REQ, 100, 0, 0, 0, NULL, NULL, NULL, NULL },
	[S_COMPANY] = { "company_id", FT_REF, F_REQ, 0, 0, 0, 0, NULL, NULL, &q_ref_company, "companies" },
	[S_CITY] = { "city_id", FT_REF, F_REQ, 0, 0, 0, 0, NULL, NULL, &q_ref_city, "cities" },
	[S_ADDRESS] = { "address", FT_TEXT, 0, 200, 0, 0, 0, NULL, NULL, NULL, NULL },
	[S_LAT] = { "lat", FT_DECIMAL, 0, 12, -90, 90, 6, NULL, NULL, NULL, NULL },
	[S_LNG] = { "lng", FT_DECIMAL, 0, 12, -180, 180, 6, NULL, NULL, NULL, NULL },
	[S_STATE] = { "state", FT_CHOICE, F_REQ, 0, 0, 0, 0, station_state_names, "station_state", NULL, NULL },
	[S_NATURE] = { "asset_nature", FT_TEXT, 0, 32, 0, 0, 0, NULL, NULL, NULL, "natures" },
	[S_OWNER] = { "owner_company_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_any_company, "all_companies" },
	[S_OPERATOR] = { "operator_company_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_any_company, "all_companies" },
	[S_EXPECTED] = { "expected_piles", FT_INT, F_REQ, 4, 0, 1000, 0, NULL, NULL, NULL, NULL },
	[S_COMMISSIONED] = { "commissioned_on", FT_DATE, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[S_LESSOR] = { "lessor_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_lessor, "lessors" },
	[S_LEASE_START] = { "lease_start", FT_DATE, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[S_LEASE_END] = { "lease_end", FT_DATE, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[S_STAFF_USER] = { "staff_user_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_staff_user, "staff_users" },
	[S_STAFF] = { "staff", FT_TEXT, 0, 50, 0, 0, 0, NULL, NULL, NULL, NULL },
	[S_STAFF_PHONE] = { "staff_phone", FT_PHONE, 0, 30, 0, 0, 0, NULL, NULL, NULL, NULL },
	[S_NOTE] = { "note", FT_TEXTAREA, 0, 500, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const struct list_col cols[] = {
	{ "code", 'k', NULL },
	{ "name", 't', NULL },
	{ "company", 't', NULL },
	{ "city", 't', NULL },
	{ "state", 'e', "station_state" },
	{ "expected_piles", 'n', NULL },
	{ "commissioned_on", 't', NULL },
	{ "lease_end", 't', NULL },
	{ "staff", 't', NULL },
};

static const struct list_filter filters[] = {
	/* Codes and names that start with the text: two index ranges. */
	{ "q", " AND (s.code LIKE ? OR s.name LIKE ?)", 'p', NULL, NULL, NULL },
	{ "company_id", " AND s.company_id = ?", 'l', "companies", NULL, NULL },
	{ "city_id", " AND s.city_id = ?", 'l', "cities", NULL, NULL },
	{ "state", " AND s.state = ?", 's', NULL, "station_state", station_state_names },
	{ "asset_nature", " AND s.asset_nature = ?", 's', "natures", NULL, NULL },
	{ "lease_before", " AND s.lease_end < ?", 'd', NULL, NULL, NULL },
};

/* Each ends with the unique code, in the order of its index (migration
 * 0019), as the pile list's sorts: see resource.sort_table. */
static const struct list_sort sorts[] = {
	{ "code", "s.code", "FORCE INDEX (ix_stations_s_code)" },
	{ "name", "s.name, s.code", "FORCE INDEX (ix_stations_s_name)" },
	{ "company", "s.company_name, s.code", "FORCE INDEX (ix_stations_s_company)" },
	{ "city", "s.city_name, s.code", "FORCE INDEX (ix_stations_s_city)" },
	{ "state", "s.state, s.code", "FORCE INDEX (ix_stations_s_state)" },
	{ "expected_piles", "s.expected_piles, s.code", "FORCE INDEX (ix_stations_s_piles)" },
	{ "commissioned_on", "s.commissioned_on, s.code", "FORCE INDEX (ix_stations_s_commissioned)" },
	{ "lease_end", "s.lease_end, s.code", "FORCE INDEX (ix_stations_s_lease)" },
};

/* What a chosen filter leaves the same on every row (resource.fixes). */
static const struct sort_fix fixes[] = {
	{ "company_id", "s.company_name" }, { "@scope", "s.company_name" },
	{ "city_id", "s.city_name" }, { "state", "s.state" },
};

static const struct query q_size = { "SELECT MAX(id) - MIN(id) + 1 FROM stations", "", "l" };

static const struct query q_get = {
	"SELECT id, version, code, name, company_id, city_id, address, lat, lng, state,"
	" asset_nature, owner_company_id, operator_company_id, expected_piles, commissioned_on,"
	" lessor_id, lease_start, lease_end, staff_user_id, staff, staff_phone, note"
	" FROM stations WHERE id = ? AND (? OR company_id = ?)",
	"lil", "lissssssssssssssssssss"
};
static const struct query q_insert = {
	"INSERT INTO stations (code, name, company_id, city_id, address, lat, lng, state,"
	" asset_nature, owner_company_id, operator_company_id, expected_piles, commissioned_on,"
	" lessor_id, lease_start, lease_end, staff_user_id, staff, staff_phone, note)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"ssll?s?s?ss?s?l?ll?s?l?s?s?l?s?s?s", ""
};
static const struct query q_update = {
	"UPDATE stations SET code = ?, name = ?, company_id = ?, city_id = ?, address = ?,"
	" lat = ?, lng = ?, state = ?, asset_nature = ?, owner_company_id = ?,"
	" operator_company_id = ?, expected_piles = ?, commissioned_on = ?, lessor_id = ?,"
	" lease_start = ?, lease_end = ?, staff_user_id = ?, staff = ?, staff_phone = ?, note = ?,"
	" version = version + 1 WHERE id = ? AND version = ?",
	"ssll?s?s?ss?s?l?ll?s?l?s?s?l?s?s?sli", ""
};
static const struct query q_delete = { "DELETE FROM stations WHERE id = ?", "l", "" };
static const struct query q_ref_subassets = {
	"SELECT COUNT(*) FROM sub_assets WHERE station_id = ?", "l", "l"
};
static const struct query q_ref_piles = {
	"SELECT COUNT(*) FROM piles WHERE station_id = ?", "l", "l"
};
static const struct ref_check refs[] = {
	{ &q_ref_piles, "ref.station_piles" },
	{ &q_ref_subassets, "ref.station_subassets" },
};

static const struct query q_state_for_update = {
	"SELECT state, company_id FROM stations WHERE id = ? FOR UPDATE", "l", "sl"
};

static const struct query q_notices_follow = {
	"UPDATE notices SET company_id = ? WHERE station_id = ?", "ll", ""
};

/* What an edit started from (r->ctx between check and after_save). */
struct before {
	enum station_state state;
	int64_t company;
};
static const struct query q_city_company = {
	"SELECT COALESCE(company_id, 0) FROM cities WHERE id = ?", "l", "l"
};
static const struct query q_is_head = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND kind = 'head'", "l", "l"
};

static const struct query q_opt_natures = {
	"SELECT code, name FROM dict_items WHERE dict = 'asset_nature' AND enabled = 1 ORDER BY sort",
	"", "ss"
};
static const struct query q_ref_nature = {
	"SELECT COUNT(*) FROM dict_items WHERE dict = 'asset_nature' AND code = ?", "s", "l"
};

/* Who may answer for a station: the editor's company's staff (every
 * company's for head office), named with role and company. */
static const struct query q_opt_staff_users = {
	"SELECT u.id, CONCAT(u.name, ' · ', r.name, ' · ', co.name) FROM users u"
	" JOIN roles r ON r.id = u.role_id JOIN companies co ON co.id = u.company_id"
	" WHERE u.enabled = 1 AND u.supplier_id IS NULL AND FIND_IN_SET('asset_view', r.perms) > 0"
	SCOPE_COMPANY("u.company_id") " ORDER BY co.kind DESC, co.name, u.name", "il", "ls"
};
static const struct query q_user_company = {
	"SELECT u.company_id, r.scope_all FROM users u JOIN roles r ON r.id = u.role_id WHERE u.id = ?",
	"l", "li"
};

static void
options(struct req *r)
{
	struct db_cur c;
	int n = 0;

	crud_options_scoped(r, "staff_users", &q_opt_staff_users);
	options_companies(r);
	options_cities(r);
	options_all_companies(r);
	options_lessors(r);
	if (db_open(&c, &q_opt_natures) == 0) {
		while (db_next(&c)) {
			tpl_setf(r, db_str(&c, 0), "Page.opts.natures.%d.id", n);
			tpl_setf(r, db_str(&c, 1), "Page.opts.natures.%d.label", n);
			n++;
		}
		db_close(&c);
	}
}

/* Rules across fields; remembers the state before an edit in r->ctx. */
static int
check(struct req *r, struct fval *v, int64_t id)
{
	enum station_state to = station_state_parse(v[S_STATE].s);
	int64_t covering = db_scalar(0, &q_city_company, v[S_CITY].i);
	int bad = 0;

	if (covering != 0 && covering != v[S_COMPANY].i &&
	    db_scalar(0, &q_is_head, v[S_COMPANY].i) == 0) {
		form_error(r, "city_id", "err.city_not_covered");
		bad++;
	}
	if (!v[S_NATURE].null && db_scalar(0, &q_ref_nature, v[S_NATURE].s) == 0) {
		form_error(r, "asset_nature", "err.choice");
		bad++;
	}
	if (!v[S_LEASE_START].null && !v[S_LEASE_END].null &&
	    strcmp(v[S_LEASE_END].s, v[S_LEASE_START].s) < 0) {
		form_error(r, "lease_end", "err.lease_order");
		bad++;
	}
	if (!v[S_STAFF_USER].null) {
		/* The responsible user works for the station's company (or sees every company). */
		struct db_cur c;
		int ok = 0;

		if (db_open(&c, &q_user_company, v[S_STAFF_USER].i) == 0) {
			if (db_next(&c))
				ok = db_i64(&c, 0) == v[S_COMPANY].i || db_int(&c, 1) != 0;
			db_close(&c);
		}
		if (!ok) {
			form_error(r, "staff_user_id", "err.staff_user_company");
			bad++;
		}
	}
	if (v[S_LAT].null != v[S_LNG].null) {
		form_error(r, v[S_LAT].null ? "lat" : "lng", "err.position_pair");
		bad++;
	}
	if (id == 0 && to != ST_APPROVED && to != ST_BUILDING && to != ST_OPERATING) {
		/* A station is registered as planned, being built or (an existing
		 * site) operating; suspended and closed are reached only by the
		 * transitions, so their dates and ledger events are real. */
		form_error(r, "state", "err.station_new_state");
		bad++;
	}
	if (id > 0) {
		struct db_cur c;
		struct before *b = arena_calloc(r->arena, 1, sizeof(*b));

		b->state = ST__MAX;
		if (db_open(&c, &q_state_for_update, id) == 0) {
			if (db_next(&c)) {
				b->state = station_state_parse(db_str(&c, 0));
				b->company = db_i64(&c, 1);
			}
			db_close(&c);
		}
		r->ctx = b;
		if (!station_transition_ok(b->state, to)) {
			form_error(r, "state", "err.state_transition");
			bad++;
		}
	}
	return bad;
}

static void
after_save(struct req *r, struct fval *v, int64_t id, int created)
{
	enum station_state to = station_state_parse(v[S_STATE].s);

	const struct before *b = r->ctx;

	if (created)
		station_post_create(r, id, to);
	else if (b) {
		station_post_state(r, id, b->state, to);
		/* Its piles answer to the station's company: they move with it,
		 * and so do its reminders. */
		if (b->company != v[S_COMPANY].i) {
			pile_follow_station(r, id, v[S_COMPANY].i);
			if (db_exec(&q_notices_follow, v[S_COMPANY].i, id) < 0)
				return;	/* logged; the transaction is doomed */
		}
	}
	/* The expected count may have changed: compare it with the bound piles. */
	anomaly_check_quantity(r, id);
}

static void
after_delete(struct req *r, int64_t id)
{
	station_post_delete(r, id, station_state_parse(tpl_get(r, "Page.form.state")));
}

static void
defaults(struct req *r)
{
	tpl_set(r, "Page.form.state", "approved");
	tpl_set(r, "Page.form.expected_piles", "0");
	if (!r->user->scope_all)
		tpl_set_int(r, "Page.form.company_id", r->user->company_id);
}

static const struct resource station_res = {
	.name = "station", .module = "asset", .base = "/asset/stations", .menu = "asset.station",
	.view_perm = PERM_ASSET_VIEW, .edit_perm = PERM_ASSET_EDIT,
	.fields = fields, .nfields = S__MAX, .title_field = "name",
	.list_sql = "SELECT s.id, s.code, s.name, co.name, ci.name, s.state, s.expected_piles,"
	    " s.commissioned_on, s.lease_end, s.staff"
	    " FROM stations s JOIN companies co ON co.id = s.company_id"
	    " JOIN cities ci ON ci.id = s.city_id WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM stations s WHERE 1=1",
	.sort_table = "stations s", .size_estimate = &q_size,
	.fixes = fixes, .nfixes = (int)(sizeof(fixes) / sizeof(fixes[0])),
	.few_hint = "IGNORE INDEX FOR ORDER BY (uq_stations_code, ix_stations_s_code,"
	    " ix_stations_s_name, ix_stations_s_company, ix_stations_s_city, ix_stations_s_state,"
	    " ix_stations_s_piles, ix_stations_s_commissioned, ix_stations_s_lease)",
	.scope_sql = SCOPE_COMPANY("s.company_id"),
	.cols = cols, .ncols = 9,
	.filters = filters, .nfilters = 6,
	.sorts = sorts, .nsorts = 8,
	.get = &q_get, .insert = &q_insert, .update = &q_update, .del = &q_delete,
	.refs = refs, .nrefs = 2,
	.options = options, .check = check, .after_save = after_save,
	.after_delete = after_delete, .defaults = defaults, .has_show = 1,
};

CRUD_DEFINE(station, station_res)

/* The descriptor, for the bulk import (import.c): same fields, checks and hooks. */
const struct resource *
station_resource(void)
{
	return &station_res;
}
