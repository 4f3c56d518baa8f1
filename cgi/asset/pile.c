/*
 * pile.c — charging piles (F4): the register (list with every filter, CSV
 * and Excel of the filtered set), the form's fields, checks and hooks
 * (its handlers, and where a save returns, are pile_form.c), the pile card
 * with its ledger, and binding to / unbinding from a station.  What a change means
 * for the ledger and the anomalies is in cgi/model (pile_update.c: the
 * edit-state rule and what follows a change; pile_card.c: the card;
 * pile_place.c: binding), shared with the WeChat pages and the import;
 * this file is the web form around it.
 *
 * Warranty: the end date is the commissioning date (or, before that, the
 * day the pile was registered) plus the product's warranty months,
 * recomputed on every save.
 */
#include <stdio.h>
#include <string.h>

#include <ClearSilver.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"
#include "model/code.h"
#include "model/codeinfo.h"
#include "model/options.h"
#include "model/pile.h"
#include "model/pile_card.h"
#include "model/pile_update.h"

#include "asset/asset.h"
#include "asset/pile_list.h"

enum {
	P_CODE, P_SERIAL, P_PRODUCT, P_COMPANY, P_WAREHOUSE, P_STATE, P_OWNER, P_OPERATOR,
	P_LEASED_FROM, P_SW, P_HW, P_COMM, P_MODE, P_TARIFF, P_COMMISSIONED, P__MAX
};

static const char *const warranty_states[] = { "in", "out", "unknown", NULL };

static const struct query q_ref_product = { "SELECT COUNT(*) FROM products WHERE id = ?", "l", "l" };
static const struct query q_ref_company = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND kind IN ('city', 'head') AND (? OR id = ?)",
	"lil", "l"
};
static const struct query q_ref_warehouse = {
	"SELECT COUNT(*) FROM warehouses WHERE id = ? AND (? OR company_id = ?)", "lil", "l"
};
static const struct query q_ref_any_company = { "SELECT COUNT(*) FROM companies WHERE id = ?", "l", "l" };
static const struct query q_ref_lessor = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND is_lessor = 1", "l", "l"
};

static const struct field fields[P__MAX] = {
	[P_CODE] = { "code", FT_CODE, F_REQ | F_CREATE, 32, 0, 0, 0, NULL, NULL, NULL, NULL },
	[P_SERIAL] = { "serial_no", FT_TEXT, 0, 64, 0, 0, 0, NULL, NULL, NULL, NULL },
	[P_PRODUCT] = { "product_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_product, "products" },
	[P_COMPANY] = { "company_id", FT_REF, F_REQ, 0, 0, 0, 0, NULL, NULL, &q_ref_company, "companies" },
	[P_WAREHOUSE] = { "warehouse_id", FT_REF, F_CREATE, 0, 0, 0, 0, NULL, NULL, &q_ref_warehouse, "warehouses" },
	[P_STATE] = { "state", FT_CHOICE, F_REQ, 0, 0, 0, 0, pile_state_names, "pile_state", NULL, NULL },
	[P_OWNER] = { "owner_company_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_any_company, "all_companies" },
	[P_OPERATOR] = { "operator_company_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_any_company, "all_companies" },
	[P_LEASED_FROM] = { "leased_from_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_lessor, "lessors" },
	[P_SW] = { "sw_version", FT_TEXT, 0, 32, 0, 0, 0, NULL, NULL, NULL, NULL },
	[P_HW] = { "hw_version", FT_TEXT, 0, 32, 0, 0, 0, NULL, NULL, NULL, NULL },
	[P_COMM] = { "comm_method", FT_TEXT, 0, 32, 0, 0, 0, NULL, NULL, NULL, "comm_methods" },
	[P_MODE] = { "charging_mode", FT_TEXT, 0, 32, 0, 0, 0, NULL, NULL, NULL, "modes" },
	[P_TARIFF] = { "tariff", FT_DECIMAL, 0, 10, 0, 100, 4, NULL, NULL, NULL, NULL },
	[P_COMMISSIONED] = { "commissioned_on", FT_DATE, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const struct list_col cols[] = {
	{ "code", 'k', NULL },
	{ "serial_no", 't', NULL },
	{ "model", 't', NULL },
	{ "manufacturer", 't', NULL },
	{ "rated_power_kw", 'n', NULL },
	{ "state", 'e', "pile_state" },
	{ "location", 't', NULL },
	{ "company", 't', NULL },
	{ "sw_version", 't', NULL },
	{ "hw_version", 't', NULL },
	{ "warranty_end", 't', NULL },
	{ "warranty", 'e', "warranty" },
};

/* Every filter and sort reads columns of piles itself (the city, product
 * and name copies of migration 0016), so the count and the page's ids come
 * from one index of piles, with no join. */
static const struct list_filter filters[] = {
	/* The six people use most come first: the filter bar shows them and folds the rest. */
	/* Codes that start with the text: one range of the code index, which
	 * every sort index carries too.  Serial numbers have their own filter
	 * (an OR of the two would read every row a sort index walks past). */
	{ "q", " AND p.code LIKE ?", 'p', NULL, NULL, NULL },
	{ "state", " AND p.state = ?", 's', NULL, "pile_state", pile_state_names },
	{ "company_id", " AND p.company_id = ?", 'l', "companies", NULL, NULL },
	/* By the city of its station or warehouse. */
	{ "city_id", " AND p.city_id = ?", 'l', "cities", NULL, NULL },
	{ "manufacturer_id", " AND p.manufacturer_id = ?", 'l', "manufacturers", NULL, NULL },
	{ "product_id", " AND p.product_id = ?", 'l', "products", NULL, NULL },
	/* What a warehouse holds (ix_piles_warehouse, migration 0031); the
	 * choices are the warehouses in the user's scope, and the scope
	 * fragment hides another company's piles whatever id is asked for.
	 * The first folded one: a warehouse's stock count opens it set. */
	{ "warehouse_id", " AND p.warehouse_id = ?", 'l', "warehouses", NULL, NULL },
	{ "serial_no", " AND p.serial_no LIKE ?", 'p', NULL, NULL, NULL },
	{ "code", " AND p.code = ?", 's', NULL, NULL, NULL },
	/* A station by its code, typed or picked (views/macros.cs station_pick):
	 * pile_list turns a code of the user's scope into station_id (one range
	 * of ix_piles_station); only a code that is no such station reaches this
	 * fragment, which then finds no pile. */
	{ "station", " AND p.station_id = (SELECT s.id FROM stations s WHERE s.code = ?)", 's', NULL,
	    NULL, NULL },
	/* The station page's links; not shown, the station box shows its code. */
	{ "station_id", " AND p.station_id = ?", 'l', NULL, NULL, NULL },
	{ "rated_power_kw", " AND p.rated_power_kw = ?", 's', "powers", NULL, NULL },
	{ "owner_company_id", " AND p.owner_company_id = ?", 'l', "all_companies", NULL, NULL },
	{ "operator_company_id", " AND p.operator_company_id = ?", 'l', "all_companies", NULL, NULL },
	{ "sw_version", " AND p.sw_version = ?", 's', NULL, NULL, NULL },
	/* As ranges of warranty_end, which the covering indexes carry. */
	{ "warranty", " AND ((? = 'in' AND p.warranty_end >= " SQL_TODAY ")"
	    " OR (? = 'out' AND p.warranty_end < " SQL_TODAY ")"
	    " OR (? = 'unknown' AND p.warranty_end IS NULL))", 's', NULL, "warranty", warranty_states },
};

static const struct query q_size = { "SELECT MAX(id) - MIN(id) + 1 FROM piles", "", "l" };

static const struct list_sort sorts[] = {
	{ "code", "p.code", "FORCE INDEX (ix_piles_s_code)" },
	{ "model", "p.model, p.code", "FORCE INDEX (ix_piles_s_model)" },
	{ "manufacturer", "p.manufacturer_name, p.code", "FORCE INDEX (ix_piles_s_maker)" },
	{ "rated_power_kw", "p.rated_power_kw, p.code", "FORCE INDEX (ix_piles_s_power)" },
	{ "state", "p.state, p.code", "FORCE INDEX (ix_piles_s_state)" },
	{ "company", "p.company_name, p.code", "FORCE INDEX (ix_piles_s_company)" },
	{ "sw_version", "p.sw_version, p.code", "FORCE INDEX (ix_piles_s_sw)" },
	{ "warranty_end", "p.warranty_end, p.code", "FORCE INDEX (ix_piles_s_warranty)" },
};

/* What a chosen filter leaves the same on every row (resource.fixes). */
static const struct sort_fix fixes[] = {
	{ "product_id", "p.model" }, { "product_id", "p.manufacturer_name" },
	{ "product_id", "p.rated_power_kw" }, { "manufacturer_id", "p.manufacturer_name" },
	{ "rated_power_kw", "p.rated_power_kw" }, { "state", "p.state" },
	{ "company_id", "p.company_name" }, { "@scope", "p.company_name" },
	{ "sw_version", "p.sw_version" },
};

static const struct query q_rank_companies = {
	"SELECT id, DENSE_RANK() OVER (ORDER BY name) FROM companies", "", "ll"
};
static const struct query q_rank_models = {
	"SELECT id, DENSE_RANK() OVER (ORDER BY model) FROM products", "", "ll"
};
const struct query pile_maker_models = {
	"SELECT DISTINCT model FROM products WHERE manufacturer_id = ?", "l", "s"
};

/* The name copies on piles (migration 0016) rank as their sources do. */
const struct sort_rank pile_ranks[PILE_NRANKS] = {
	{ "p.manufacturer_name", "p.manufacturer_id", &q_rank_companies },
	{ "p.company_name", "p.company_id", &q_rank_companies },
	{ "p.model", "p.product_id", &q_rank_models },
};

/* A pile's model is its product's, and so is its manufacturer. */
const struct sort_range pile_ranges[PILE_NRANGES] = {
	{ "manufacturer_id", "p.model", &pile_maker_models },
};

/* One warehouse's, city's, company's or maker's piles in code order
 * (migrations 0031, 0020); the narrowest first. */
static const struct sort_prefix prefixes[] = {
	{ "warehouse_id", "code", "FORCE INDEX (ix_piles_warehouse)", NULL },
	{ "city_id", "code", "FORCE INDEX (ix_piles_city_code)", NULL },
	{ "company_id", "code", "FORCE INDEX (ix_piles_company_code)", NULL },
	{ "manufacturer_id", "code", "FORCE INDEX (ix_piles_maker_code)", NULL },
};

static const struct query q_get = {
	"SELECT id, version, code, serial_no, product_id, company_id, warehouse_id, state,"
	" owner_company_id, operator_company_id, leased_from_id, sw_version, hw_version,"
	" comm_method, charging_mode, tariff, commissioned_on"
	" FROM piles WHERE id = ? AND (? OR company_id = ?)",
	"lil", "lisssssssssssssss"
};
static const struct query q_insert = {
	"INSERT INTO piles (code, serial_no, product_id, company_id, warehouse_id, place, state,"
	" owner_company_id, operator_company_id, leased_from_id, sw_version, hw_version,"
	" comm_method, charging_mode, tariff, commissioned_on)"
	" VALUES (?, ?, ?, ?, ?, IF(warehouse_id IS NULL, 'none', 'warehouse'), ?, ?, ?, ?, ?, ?,"
	" ?, ?, ?, ?)",
	"s?s?ll?ls?l?l?l?s?s?s?s?s?s", ""
};
static const struct query q_update = {
	"UPDATE piles SET code = ?, serial_no = ?, product_id = ?, company_id = ?,"
	" warehouse_id = ?, state = ?, owner_company_id = ?,"
	" operator_company_id = ?, leased_from_id = ?, sw_version = ?, hw_version = ?,"
	" comm_method = ?, charging_mode = ?, tariff = ?, commissioned_on = ?,"
	" version = version + 1 WHERE id = ? AND version = ?",
	"s?s?ll?ls?l?l?l?s?s?s?s?s?sli", ""
};
static const struct query q_delete = { "DELETE FROM piles WHERE id = ?", "l", "" };
static const struct query q_ref_events = {
	"SELECT COUNT(*) FROM asset_events WHERE pile_id = ? AND kind <> 'pile_create'", "l", "l"
};
static const struct ref_check refs[] = {
	{ &q_ref_events, "ref.pile_history" },
};

/* A new pile's code as stored, and the generated code it binds (0: none). */
struct new_code {
	char code[CODE_MAX + 1];
	int64_t code_id;
};

/* An edit between check() and after_save(): the pile as check() locked
 * it and the change the form makes (model/pile_update.h). */
struct edit {
	struct pile_now now;
	struct pile_change change;
};

static const struct query q_warehouse_company = {
	"SELECT company_id FROM warehouses WHERE id = ?", "l", "l"
};

static const struct query q_opt_products = {
	"SELECT p.id, CONCAT(m.name, ' ', p.model, ' · ', p.rated_power_kw, 'kW')"
	" FROM products p JOIN companies m ON m.id = p.manufacturer_id ORDER BY m.name, p.model",
	"", "ls"
};
static const struct query q_opt_warehouses = {
	"SELECT id, CONCAT(code, ' ', name) FROM warehouses WHERE (? OR company_id = ?)"
	" ORDER BY code", "il", "ls"
};
static const struct query q_opt_powers = {
	"SELECT DISTINCT rated_power_kw FROM products ORDER BY rated_power_kw", "", "s"
};

static void
options(struct req *r)
{
	struct db_cur c;
	int np = 0;

	crud_options(r, "products", &q_opt_products);
	options_companies(r);
	crud_options_scoped(r, "warehouses", &q_opt_warehouses);
	options_all_companies(r);
	options_lessors(r);
	options_manufacturers(r);
	options_cities(r);
	options_pile_dicts(r);
	if (db_open(&c, &q_opt_powers) == 0) {
		while (db_next(&c)) {
			tpl_setf(r, db_str(&c, 0), "Page.opts.powers.%d.id", np);
			tpl_setf(r, db_str(&c, 0), "Page.opts.powers.%d.label", np);
			np++;
		}
		db_close(&c);
	}
}

/* The form's values as a change of the model's update path.  Its row
 * and update records are crud's (every form's); the rule and what follows
 * are the model's, the same as on the phone. */
static void
form_change(struct req *r, const struct fval *v, struct pile_change *c)
{
	*c = (struct pile_change){ .edit = PE_FORM };
	c->v[PF_STATE] = v[P_STATE].s;
	c->v[PF_CHARGING_MODE] = v[P_MODE].s;
	c->v[PF_COMM_METHOD] = v[P_COMM].s;
	c->v[PF_SW] = v[P_SW].s;
	c->v[PF_HW] = v[P_HW].s;
	c->v[PF_TARIFF] = v[P_TARIFF].s;
	c->v[PF_PRODUCT] = v[P_PRODUCT].null ? "" : v[P_PRODUCT].s;
	c->v[PF_COMPANY] = arena_printf(r->arena, "%lld", (long long)v[P_COMPANY].i);
	c->v[PF_COMMISSIONED] = v[P_COMMISSIONED].null ? "" : v[P_COMMISSIONED].s;
}

static int
check(struct req *r, struct fval *v, int64_t id)
{
	enum pile_state to = pile_state_parse(v[P_STATE].s);
	struct edit *e;
	const char *why, *field;

	if (id == 0) {
		int bad = 0;
		struct new_code *nc = arena_calloc(r->arena, 1, sizeof(*nc));
		const char *refused = pile_code_usable(r, v[P_CODE].s, &nc->code_id, nc->code,
		    sizeof(nc->code));

		/* A generated code is bound to the new pile (after_save); a void,
		 * replaced or already bound one is refused.  Any other code is a
		 * plain code, as before codes were generated here. */
		if (refused) {
			form_error(r, "code", refused);
			bad++;
		}
		v[P_CODE].s = nc->code;
		r->ctx = nc;
		if (to != PILE_NEW_STATE) {
			form_error(r, "state", "err.pile_new_state");
			bad++;
		}
		/* A pile in a warehouse belongs to the warehouse's company. */
		if (!v[P_WAREHOUSE].null &&
		    db_scalar(0, &q_warehouse_company, v[P_WAREHOUSE].i) != v[P_COMPANY].i) {
			form_error(r, "warehouse_id", "err.pile_company_place");
			bad++;
		}
		return bad;
	}
	/* An edit: the model's edit-state rule over the locked row (a read
	 * that fails leaves no state, which the rule refuses). */
	e = arena_calloc(r->arena, 1, sizeof(*e));
	(void)pile_now_read(r, id, true, &e->now);
	form_change(r, v, &e->change);
	r->ctx = e;
	if ((why = pile_change_refused(&e->now, &e->change, &field)) != NULL) {
		form_error(r, field, why);
		return 1;
	}
	return 0;
}

static void
after_save(struct req *r, struct fval *v, int64_t id, int created)
{
	struct edit *e = created ? NULL : r->ctx;

	if (created) {
		struct new_code *nc = r->ctx;

		pile_warranty(r, id);
		if (nc && nc->code_id)
			pile_link_code(r, id, nc->code_id);
		pile_post_create_code(r, id, PILE_NEW_STATE, v[P_WAREHOUSE].null ? "none" :
		    arena_printf(r->arena, "warehouse:%lld", (long long)v[P_WAREHOUSE].i), v[P_CODE].s);
		return;
	}
	if (e == NULL)
		return;
	/* The warranty end, the state posting, today as 投运日期 of a pile put
	 * into operation without one, the field postings: as on the phone. */
	pile_changed(r, id, &e->now, &e->change);
}

/* A deleted pile's generated code is free for another pile. */
static void
after_delete(struct req *r, int64_t id)
{
	(void)id;
	pile_free_codes(r);
}

static void
defaults(struct req *r)
{
	tpl_set(r, "Page.form.state", pile_state_names[PILE_NEW_STATE]);
	if (!r->user->scope_all)
		tpl_set_int(r, "Page.form.company_id", r->user->company_id);
}

static const struct resource pile_res = {
	.name = "pile", .module = "asset", .base = "/asset/piles", .menu = "asset.pile",
	.view_perm = PERM_ASSET_VIEW, .edit_perm = PERM_ASSET_EDIT,
	.fields = fields, .nfields = P__MAX, .title_field = "code",
	.list_sql = PILE_LIST_SQL,
	.count_sql = "SELECT COUNT(*) FROM piles p WHERE 1=1",
	.sort_table = "piles p", .size_estimate = &q_size,
	.fixes = fixes, .nfixes = (int)(sizeof(fixes) / sizeof(fixes[0])),
	.ranks = pile_ranks, .nranks = PILE_NRANKS, .ranges = pile_ranges, .nranges = PILE_NRANGES,
	.prefixes = prefixes, .nprefixes = (int)(sizeof(prefixes) / sizeof(prefixes[0])),
	.few_hint = "IGNORE INDEX FOR ORDER BY (uq_piles_code, ix_piles_s_code, ix_piles_s_model,"
	    " ix_piles_s_maker, ix_piles_s_power, ix_piles_s_state, ix_piles_s_company, ix_piles_s_sw,"
	    " ix_piles_s_warranty)",
	.scope_sql = SCOPE_COMPANY("p.company_id"),
	.cols = cols, .ncols = 12,
	.filters = filters, .nfilters = (int)(sizeof(filters) / sizeof(filters[0])),
	.sorts = sorts, .nsorts = 8,
	.get = &q_get, .insert = &q_insert, .update = &q_update, .del = &q_delete,
	.refs = refs, .nrefs = 1,
	.options = options, .check = check, .after_save = after_save, .defaults = defaults,
	.after_delete = after_delete, .has_show = 1,
};

/* The index of filter name in filters[]. */
static int
filter_at(const char *name)
{
	for (int i = 0; i < (int)(sizeof(filters) / sizeof(filters[0])); i++)
		if (strcmp(filters[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * The 充电站 filter takes a station's code (issue 10 §2: it wanted an
 * internal id).  A code of the user's scope becomes station_id before the
 * engine reads the filters, so both ways into the list — the box, the
 * station page's ?station_id= links — are one index range, and the export
 * follows.  *code: the station's code for the box (or what was typed);
 * returns true when the filter names no station the user may see (the list
 * is then empty and says why).
 */
static bool
station_filter(struct req *r, const char **code)
{
	const char *typed = req_query(r, "station");
	int64_t id;

	*code = NULL;
	if (typed && *typed && strlen(typed) <= 100) {
		char *t = text_trim(arena_strdup(r->arena, typed));

		t[strcspn(t, " \t")] = '\0';	/* "code name" as the picker shows it */
		if (*t && (id = station_by_code(r, t)) > 0 && station_label(r, id, code) != NULL) {
			param_put(r, &r->query, "station", "");
			param_put(r, &r->query, "station_id", arena_printf(r->arena, "%lld",
			    (long long)id));
			return false;
		}
		param_put(r, &r->query, "station", *t ? t : typed);
		*code = *t ? t : typed;
		return true;
	}
	return req_int64(r, "station_id", &id) == 0 && station_label(r, id, code) == NULL;
}

/*
 * The list: the station box shows the code either way and the station_id
 * filter itself is not shown; rows are ticked for the batch actions.
 */
int
pile_list(struct req *r)
{
	const char *code, *back;
	int at = filter_at("station"), at_id = filter_at("station_id"), status;
	bool unknown = station_filter(r, &code);

	status = crud_list(r, &pile_res);
	if (status != 200)
		return status;
	tpl_setf(r, "station", "Page.filters.%d.picker", at);
	if (code)
		tpl_setf(r, code, "Page.filters.%d.value", at);
	hdf_remove_tree(r->hdf, arena_printf(r->arena, "Page.filters.%d", at_id));
	if (unknown)
		tpl_set(r, "Page.error", tpl_lang(r, "err.station_unknown"));
	/* Rows are ticked for the batch actions (pile_batch.c, views/asset/
	 * pile_batch_bar.cs, which crud/list.cs includes for piles); a state
	 * change returns to this very list. */
	tpl_set(r, "Page.batch", "/asset/piles/batch/export");
	tpl_set(r, "Page.batch_key", auth_random_token(r));
	if ((back = pile_list_back(r, r->query_string && *r->query_string ? arena_printf(r->arena,
	    "/asset/piles?%s", r->query_string) : "/asset/piles")) != NULL)
		tpl_set(r, "Page.batch_back", back);
	return status;
}

int
pile_export(struct req *r)
{
	const char *code;

	(void)station_filter(r, &code);
	return crud_export(r, &pile_res);
}

int pile_delete(struct req *r) { return crud_delete(r, &pile_res); }

/* The descriptor, for the bulk import (import.c): same fields, checks and hooks. */
const struct resource *
pile_resource(void)
{
	return &pile_res;
}

/* ---- the pile card: details, ledger, bind and unbind ---- */

/* The pile's facts into Page.pile.* (labels of state and warranty too),
 * read by the model's card (model/pile_card.c) as the phone's card is;
 * 200, 404 outside the user's scope, or 500. */
static int
card_facts(struct req *r, int64_t id)
{
	struct pile_card pc;
	int rc = pile_card_load(r, id, PSC_COMPANY, &pc);

	if (rc != PILE_CARD_OK)
		return rc == PILE_CARD_NONE ? 404 : 500;
	pile_card_hdf(r, &pc, PCV_WEB, "Page.pile");
	tpl_set_int(r, "Page.id", id);
	return 200;
}

static int
card(struct req *r, int64_t id, int status)
{
	int rc = card_facts(r, id);

	if (rc != 200)
		return rc;
	if (pile_card_events(r, id, PCV_WEB, "Page.events") < 0)
		return 500;
	if (user_can(r, PERM_QR))
		tpl_set(r, "Page.can_qr", "1");
	if (user_can(r, PERM_AUDIT_VIEW))
		tpl_set(r, "Page.can_records", "1");
	if (user_can(r, PERM_ASSET_EDIT)) {
		tpl_set(r, "Page.can_edit", "1");
		/* The station is picked by its code or name (station_pick.c), never
		 * from a list of them all; warehouses are few. */
		crud_options_scoped(r, "warehouses", &q_opt_warehouses);
	}
	/* Money as pages show it; the JSON of the lookup keeps the number. */
	tpl_set(r, "Page.pile.tariff_text", asset_money(r, tpl_get(r, "Page.pile.tariff")));
	version_card(r, id);	/* targets (version.c, F4.24) */
	tpl_set(r, "Page.menu", "asset.pile");
	tpl_set(r, "Page.base", "/asset/piles");	/* the breadcrumbs' list */
	tpl_set(r, "Page.res_label", tpl_lang(r, "navitem.q_piles"));
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s %s", tpl_lang(r, "res.pile"),
	    tpl_get(r, "Page.pile.code")));
	tpl_set(r, "Page.view", "asset/pile_show.cs");
	return status;
}

int
pile_show(struct req *r)
{
	static const char *const flashes[] = { "bound", "unbound", "created", "updated", NULL };
	const char *flash = req_query(r, "flash");
	int64_t id;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	for (int i = 0; flash && flashes[i]; i++)
		if (strcmp(flash, flashes[i]) == 0) {
			char key[32];

			snprintf(key, sizeof(key), "flash.%s", flashes[i]);
			tpl_set(r, "Page.flash", tpl_lang(r, key));
			tpl_set(r, "Page.flash_kind", "success");
		}
	return card(r, id, 200);
}

static const struct query q_by_code = {
	"SELECT id FROM piles WHERE code = ? AND (? OR company_id = ?)", "sil", "l"
};

/*
 * GET /asset/piles/lookup?code=… — one pile by its code, for scanners and
 * other systems: JSON of the card's facts (Accept: application/json or
 * ?format=json), otherwise a redirect to the card.  The value may be the
 * bare code (any case), the label's URL or WeChat's "QR_CODE,…" result; a
 * code the system did not generate is matched as typed.  Outside the
 * user's scope a pile is not found (404), exactly like an unknown code;
 * a code on no visible pile is explained (an unused label of batch N, a
 * typo, a plain code; register a pile with it, or whom to ask), a voided
 * one answers 410.
 */
int
pile_lookup(struct req *r)
{
	const char *value = req_query(r, "code");
	char code[CODE_MAX + 1];
	const char *want;
	bool scanned;
	int64_t id;
	int rc;

	if (value == NULL || strlen(value) > 512 ||
	    *(want = text_trim(arena_strdup(r->arena, value))) == '\0') {
		tpl_set(r, "Page.error", tpl_lang(r, "err.lookup_value"));
		return 400;
	}
	scanned = code_scan(want, cfg_str("Site.base_url", "http://127.0.0.1:8080"), false, code,
	    sizeof(code)) == CODE_OK;
	if (scanned)
		want = code;
	id = db_scalar(0, &q_by_code, want, SCOPE_ARGS(r));
	if (id <= 0) {
		/* What the code is, and registering a pile with it (model/codeinfo.c);
		 * error.cs shows it under the message. */
		if (scanned && codeinfo_explain(r, code) == CI_VOID)
			return 410;
		if (!scanned)
			tpl_set(r, "Page.error", tpl_lang(r, "err.not_found"));
		return 404;
	}
	if (!r->want_json)
		return req_redirect(r, arena_printf(r->arena, "/asset/piles/%lld", (long long)id));
	if ((rc = card_facts(r, id)) != 200)
		return rc;
	app_cacheable();	/* the code, the user and the data decide the answer */
	return 200;
}

static const struct query q_pile_in_scope = {
	"SELECT COUNT(*) FROM piles WHERE id = ? AND (? OR company_id = ?)", "lil", "l"
};
static const struct query q_warehouse_in_scope = {
	"SELECT COUNT(*) FROM warehouses WHERE id = ? AND (? OR company_id = ?)", "lil", "l"
};

static bool
in_scope(struct req *r, const struct query *q, int64_t id)
{
	return db_scalar(0, q, id, SCOPE_ARGS(r)) > 0;
}

/* Shared end of bind and unbind (model/pile_place.c wrote the ledger event and
 * the update records of every field that changed); a refusal re-shows the
 * card with why. */
static int
outcome(struct req *r, int64_t id, const char *refused, const char *flash)
{
	int status;

	if (refused == NULL)
		return req_redirect(r, arena_printf(r->arena, "/asset/piles/%lld?flash=%s",
		    (long long)id, flash));
	status = card(r, id, 409);
	tpl_set(r, "Page.error", tpl_lang(r, refused));
	return status;
}

int
pile_bind_station(struct req *r)
{
	int64_t id, station;
	int rc;

	if (req_arg_id(r, 0, &id) != 0 || !in_scope(r, &q_pile_in_scope, id))
		return 404;
	/* The picker's choice, or the code typed without JavaScript. */
	if ((rc = station_from_form(r, "station_id", "station_code", &station)) != 0) {
		const char *typed = req_form(r, "station_code");
		int status = card(r, id, 422);

		form_error(r, "station_id", rc == -1 ? "err.required" : rc == -3 ?
		    "err.station_unknown" : "err.ref");
		tpl_set(r, "Page.error", tpl_lang(r, "err.bind_station"));
		if (typed && strlen(typed) <= 512)
			tpl_set(r, "Page.form.station_code", typed);
		return status;
	}
	return outcome(r, id, pile_bind(r, id, station), "bound");
}

int
pile_unbind_station(struct req *r)
{
	int64_t id, warehouse = 0;
	int rc;

	if (req_arg_id(r, 0, &id) != 0 || !in_scope(r, &q_pile_in_scope, id))
		return 404;
	rc = req_int64(r, "warehouse_id", &warehouse);
	if (rc == -2 || (rc == 0 && (warehouse <= 0 ||
	    !in_scope(r, &q_warehouse_in_scope, warehouse)))) {
		int status = card(r, id, 422);

		form_error(r, "warehouse_id", "err.ref");
		tpl_set(r, "Page.error", tpl_lang(r, "err.unbind_warehouse"));
		return status;
	}
	return outcome(r, id, pile_unbind(r, id, rc == 0 ? warehouse : 0), "unbound");
}
