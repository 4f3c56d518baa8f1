/*
 * subasset.c — a station's sub-assets (F4.1): cables, canopies (雨棚),
 * transformers, low-voltage/monitoring works (弱电监控) and civil works
 * (基建工程).  One shared shape; each kind requires its own measures.  A
 * sub-asset is in a user's scope when its station is.
 */
#include <string.h>

#include "core/arena.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"
#include "model/options.h"

#include "asset/asset.h"

static const char *const kinds[] = {
	"cable", "canopy", "transformer", "lv_works", "civil_works", NULL
};

enum {
	A_STATION, A_KIND, A_NAME, A_MODEL, A_LENGTH, A_AREA, A_KVA, A_CONTRACTOR, A_COST,
	A_COMPLETED, A_NOTE, A__MAX
};

static const struct query q_ref_station = {
	"SELECT COUNT(*) FROM stations WHERE id = ? AND (? OR company_id = ?)", "lil", "l"
};

static const struct field fields[A__MAX] = {
	[A_STATION] = { "station_id", FT_REF, F_REQ, 0, 0, 0, 0, NULL, NULL, &q_ref_station, "stations" },
	[A_KIND] = { "kind", FT_CHOICE, F_REQ, 0, 0, 0, 0, kinds, "subasset_kind", NULL, NULL },
	[A_NAME] = { "name", FT_TEXT, F_REQ, 100, 0, 0, 0, NULL, NULL, NULL, NULL },
	[A_MODEL] = { "model", FT_TEXT, 0, 64, 0, 0, 0, NULL, NULL, NULL, NULL },
	[A_LENGTH] = { "length_m", FT_DECIMAL, 0, 12, 0.01, 100000, 2, NULL, NULL, NULL, NULL },
	[A_AREA] = { "area_m2", FT_DECIMAL, 0, 12, 0.01, 100000, 2, NULL, NULL, NULL, NULL },
	[A_KVA] = { "capacity_kva", FT_DECIMAL, 0, 12, 0.01, 100000, 2, NULL, NULL, NULL, NULL },
	[A_CONTRACTOR] = { "contractor", FT_TEXT, 0, 100, 0, 0, 0, NULL, NULL, NULL, NULL },
	[A_COST] = { "cost", FT_DECIMAL, 0, 16, 0, 1e11, 2, NULL, NULL, NULL, NULL },
	[A_COMPLETED] = { "completed_on", FT_DATE, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[A_NOTE] = { "note", FT_TEXTAREA, 0, 500, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const struct list_col cols[] = {
	{ "station", 'k', NULL },
	{ "kind", 'e', "subasset_kind" },
	{ "name", 't', NULL },
	{ "model", 't', NULL },
	{ "measure", 't', NULL },
	{ "contractor", 't', NULL },
	{ "cost", 'y', NULL },
	{ "completed_on", 't', NULL },
	{ "company", 't', NULL },
};

static const struct list_filter filters[] = {
	{ "q", " AND (a.name LIKE ? OR a.model LIKE ? OR st.name LIKE ? OR st.code LIKE ?)", 'q', NULL, NULL, NULL },
	{ "kind", " AND a.kind = ?", 's', NULL, "subasset_kind", kinds },
	{ "station_id", " AND a.station_id = ?", 'l', NULL, NULL, NULL },
	{ "company_id", " AND st.company_id = ?", 'l', "companies", NULL, NULL },
	{ "city_id", " AND st.city_id = ?", 'l', "cities", NULL, NULL },
};

static const struct list_sort sorts[] = {
	{ "station", "st.code, a.kind", NULL },
	{ "kind", "a.kind, st.code", NULL },
	{ "name", "a.name", NULL },
	{ "completed_on", "a.completed_on", NULL },
	{ "company", "co.name, st.code", NULL },
	{ "cost", "a.cost", NULL },
};

static const struct query q_get = {
	"SELECT a.id, a.version, a.station_id, a.kind, a.name, a.model, a.length_m, a.area_m2,"
	" a.capacity_kva, a.contractor, a.cost, a.completed_on, a.note"
	" FROM sub_assets a JOIN stations st ON st.id = a.station_id"
	" WHERE a.id = ?" SCOPE_COMPANY("st.company_id"),
	"lil", "lisssssssssss"
};
static const struct query q_insert = {
	"INSERT INTO sub_assets (station_id, kind, name, model, length_m, area_m2, capacity_kva,"
	" contractor, cost, completed_on, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"lss?s?s?s?s?s?s?s?s", ""
};
static const struct query q_update = {
	"UPDATE sub_assets SET station_id = ?, kind = ?, name = ?, model = ?, length_m = ?,"
	" area_m2 = ?, capacity_kva = ?, contractor = ?, cost = ?, completed_on = ?, note = ?,"
	" version = version + 1 WHERE id = ? AND version = ?",
	"lss?s?s?s?s?s?s?s?sli", ""
};
static const struct query q_delete = { "DELETE FROM sub_assets WHERE id = ?", "l", "" };

/* The form picks its station by code or name (station_pick.c), so neither
 * the form nor the list reads every station. */
static void
options(struct req *r)
{
	options_companies(r);
	options_cities(r);
}

static const struct query q_station_closed = {
	"SELECT COUNT(*) FROM stations WHERE id = ? AND state = 'closed'", "l", "l"
};
static const struct query q_station_of = {
	"SELECT station_id FROM sub_assets WHERE id = ?", "l", "l"
};

/* Each kind's own measure is required. */
static int
check(struct req *r, struct fval *v, int64_t id)
{
	static const struct { const char *kind; int field; } need[] = {
		{ "cable", A_LENGTH }, { "canopy", A_AREA }, { "transformer", A_KVA },
		{ "lv_works", A_CONTRACTOR }, { "civil_works", A_CONTRACTOR },
	};

	/* New facilities go to stations still standing; an existing one on a
	 * station closed since keeps being editable where it is. */
	if (db_scalar(0, &q_station_closed, v[A_STATION].i) > 0 &&
	    (id == 0 || db_scalar(0, &q_station_of, id) != v[A_STATION].i)) {
		form_error(r, "station_id", "err.station_closed");
		return 1;
	}
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (strcmp(v[A_KIND].s, need[i].kind) == 0 && v[need[i].field].null) {
			form_error(r, fields[need[i].field].name, "err.required");
			return 1;
		}
	return 0;
}

static void
defaults(struct req *r)
{
	const char *station = req_query(r, "station_id"), *kind = req_query(r, "kind");
	int64_t id;

	if (station && text_int64(station, &id) == 0)
		tpl_set_int(r, "Page.form.station_id", id);
	for (int i = 0; kind && kinds[i]; i++)
		if (strcmp(kinds[i], kind) == 0)
			tpl_set(r, "Page.form.kind", kinds[i]);
}

static const struct resource subasset_res = {
	.name = "subasset", .module = "asset", .base = "/asset/subassets", .menu = "asset.subasset",
	.view_perm = PERM_ASSET_VIEW, .edit_perm = PERM_ASSET_EDIT,
	.fields = fields, .nfields = A__MAX, .title_field = "name",
	.list_sql = "SELECT a.id, CONCAT(st.code, ' ', st.name), a.kind, a.name, a.model,"
	    " CASE a.kind WHEN 'cable' THEN CONCAT(a.length_m, ' m')"
	    "  WHEN 'canopy' THEN CONCAT(a.area_m2, ' m²')"
	    "  WHEN 'transformer' THEN CONCAT(a.capacity_kva, ' kVA') END,"
	    " a.contractor, a.cost, a.completed_on, co.name"
	    " FROM sub_assets a JOIN stations st ON st.id = a.station_id"
	    " JOIN companies co ON co.id = st.company_id WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM sub_assets a JOIN stations st ON st.id = a.station_id WHERE 1=1",
	.scope_sql = SCOPE_COMPANY("st.company_id"),
	.cols = cols, .ncols = (int)(sizeof(cols) / sizeof(cols[0])),
	.filters = filters, .nfilters = 5,
	.sorts = sorts, .nsorts = (int)(sizeof(sorts) / sizeof(sorts[0])),
	.get = &q_get, .insert = &q_insert, .update = &q_update, .del = &q_delete,
	.options = options, .check = check, .defaults = defaults,
};

int subasset_list(struct req *r) { return crud_list(r, &subasset_res); }
int subasset_export(struct req *r) { return crud_export(r, &subasset_res); }

/*
 * The station field is a picker (views/macros.cs station_picker): the text
 * box `station_code` shows the station as "code name" and takes a typed
 * code; the picked id comes in the hidden station_id, empty without
 * JavaScript.  Before the engine reads the form, station_prepare() resolves
 * the code into station_id; picker_show() fills the box for the page.
 */
#define STATION_TEXT "station_code"

/* 0, or -3 when the typed code is no station of the user's scope. */
static int
station_prepare(struct req *r)
{
	int64_t id;
	int rc = station_from_form(r, "station_id", STATION_TEXT, &id);

	if (rc == 0)
		param_put(r, &r->form, "station_id", arena_printf(r->arena, "%lld", (long long)id));
	return rc == -3 ? -3 : 0;
}

static void
picker_show(struct req *r, int prepared)
{
	const char *typed = req_form(r, STATION_TEXT), *v = tpl_get(r, "Page.form.station_id");
	int64_t id;

	tpl_set(r, "Page.pickers.station_id", STATION_TEXT);
	if (prepared == -3)
		form_error(r, "station_id", "err.station_unknown");
	if (typed && strlen(typed) <= 512 && (prepared == -3 || v == NULL || *v == '\0'))
		tpl_set(r, "Page.form." STATION_TEXT, typed);
	else if (v && text_int64(v, &id) == 0 && (v = station_label(r, id, NULL)) != NULL)
		tpl_set(r, "Page.form." STATION_TEXT, v);
	else if (typed && strlen(typed) <= 512)
		tpl_set(r, "Page.form." STATION_TEXT, typed);
}

int
subasset_new(struct req *r)
{
	int status = crud_new(r, &subasset_res);

	picker_show(r, 0);
	return status;
}

int
subasset_edit(struct req *r)
{
	int status = crud_edit(r, &subasset_res);

	picker_show(r, 0);
	return status;
}

/* A refused delete shows the form again. */
int
subasset_delete(struct req *r)
{
	int status = crud_delete(r, &subasset_res);

	if (status != 303)
		picker_show(r, 0);
	return status;
}

int
subasset_create(struct req *r)
{
	int prepared = station_prepare(r), status = crud_create(r, &subasset_res);

	if (status != 303)
		picker_show(r, prepared);
	return status;
}

int
subasset_update(struct req *r)
{
	int prepared = station_prepare(r), status = crud_update(r, &subasset_res);

	if (status != 303)
		picker_show(r, prepared);
	return status;
}

/* The descriptor, for the bulk import (import.c): same fields, checks and hooks. */
const struct resource *
subasset_resource(void)
{
	return &subasset_res;
}
