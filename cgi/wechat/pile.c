/*
 * pile.c — the pile card on the phone (/wx/p/<code>) and binding a pile
 * that has no product yet to one.
 *
 * The card is what a scan lands on: product, place, state, versions,
 * warranty, the last ledger events, and the actions this user may take.
 * The path names the pile by its asset code, read back with code_scan()
 * (model/code.c), so the label's URL is the card's URL.
 *
 * Data scope, in SQL (SCOPE_SQL): staff see the piles of their company (or
 * every company with scope_all); a supplier user sees the piles of its own
 * supplier (piles.supplier_id) and those of the products its company makes.
 * Everything else is "not found", never "forbidden", so a code does not
 * tell whether it exists elsewhere.  A voided code (replaced at
 * regeneration) answers 410, but only within the same scope: checked
 * before the void state, so another company's voided code is 404 too.
 */
#include <stdio.h>
#include <string.h>

#include <ClearSilver.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/db.h"
#include "core/form.h"
#include "core/idem.h"
#include "core/phone.h"
#include "core/req.h"
#include "core/tpl.h"
#include "model/code.h"
#include "model/codeinfo.h"
#include "model/pile.h"

#include "wechat/wx.h"

/* Params (i scope_all, l company_id, l supplier_id, l supplier_id); a staff
 * user's supplier_id is 0 and a supplier's company_id is 0, which no row
 * has, so each sees only its own kind of scope. */
#define SCOPE_SQL                                                        \
	" AND (? OR p.company_id = ? OR p.supplier_id = ? OR pr.manufacturer_id = ?)"

#define WARRANTY_SQL                                                          \
	"CASE WHEN p.warranty_end IS NULL THEN 'unknown'"                     \
	" WHEN p.warranty_end >= " SQL_TODAY " THEN 'in' ELSE 'out' END"

bool
wx_is_supplier(const struct req *r)
{
	return r->user && r->user->supplier_id > 0 && user_can(r, PERM_SUPPLIER);
}

bool
wx_can_edit(const struct req *r)
{
	return user_can(r, PERM_ASSET_EDIT);
}

static const struct query q_find = {
	"SELECT p.id, p.version, p.code, p.state, COALESCE(p.product_id, 0),"
	" COALESCE(p.station_id, 0), COALESCE(p.supplier_id, 0)"
	" FROM piles p LEFT JOIN products pr ON pr.id = p.product_id"
	" WHERE p.code = ?" SCOPE_SQL,
	"silll", "lisslll"
};
/* A voided code within this user's scope: the pile it was replaced on
 * (qr_codes.pile_id, SCOPE_SQL) or, for staff, the company of its code
 * rule.  Out of scope a voided code is as unknown as any other (404). */
static const struct query q_void = {
	"SELECT COUNT(*) FROM qr_codes q JOIN qr_batches b ON b.id = q.batch_id"
	" JOIN code_rules cr ON cr.id = b.rule_id"
	" LEFT JOIN piles p ON p.id = q.pile_id LEFT JOIN products pr ON pr.id = p.product_id"
	" WHERE q.code = ? AND q.state = 'void' AND (cr.company_id = ? OR (TRUE" SCOPE_SQL "))",
	"slilll", "l"
};

int
wx_pile_find(struct req *r, struct wx_pile *p)
{
	char code[CODE_MAX + 1];
	struct db_cur c;
	bool found = false;

	memset(p, 0, sizeof(*p));
	tpl_set(r, "Page.error", tpl_lang(r, "wx.err.not_found"));
	if (!wx_is_supplier(r) && !user_can(r, PERM_ASSET_VIEW))
		return 404;
	if (r->nargs < 1 || code_scan(r->args[0], NULL, false, code, sizeof(code)) != CODE_OK)
		return 404;
	tpl_set(r, "Page.code", code);
	if (db_scalar(0, &q_void, code, r->user->company_id, (int)r->user->scope_all,
	    r->user->company_id, r->user->supplier_id, r->user->supplier_id) > 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.qr_void"));
		return 410;
	}
	if (db_open(&c, &q_find, code, (int)r->user->scope_all, r->user->company_id,
	    r->user->supplier_id, r->user->supplier_id) < 0)
		return 500;
	if (db_next(&c)) {
		found = true;
		p->id = db_i64(&c, 0);
		p->version = db_int(&c, 1);
		snprintf(p->code, sizeof(p->code), "%s", db_str(&c, 2));
		snprintf(p->state, sizeof(p->state), "%s", db_str(&c, 3));
		p->product_id = db_i64(&c, 4);
		p->station_id = db_i64(&c, 5);
		p->supplier_id = db_i64(&c, 6);
	}
	db_close(&c);
	if (!found)
		return 404;
	hdf_remove_tree(r->hdf, "Page.error");
	return 0;
}

static const struct query q_card = {
	"SELECT p.serial_no, p.state, CONCAT(st.code, ' ', st.name), w.name, pa.name, co.name,"
	" m.name, pr.model, pr.name, pr.rated_power_kw, pr.current_type, p.sw_version,"
	" p.hw_version, cm.name, md.name, p.tariff, p.commissioned_on, p.warranty_end, "
	WARRANTY_SQL ", sp.name, st.address"
	" FROM piles p JOIN companies co ON co.id = p.company_id"
	" LEFT JOIN products pr ON pr.id = p.product_id"
	" LEFT JOIN companies m ON m.id = pr.manufacturer_id"
	" LEFT JOIN stations st ON st.id = p.station_id"
	" LEFT JOIN warehouses w ON w.id = p.warehouse_id"
	" LEFT JOIN companies pa ON pa.id = p.party_id"
	" LEFT JOIN companies sp ON sp.id = p.supplier_id"
	" LEFT JOIN dict_items cm ON cm.dict = 'comm_method' AND cm.code = p.comm_method"
	" LEFT JOIN dict_items md ON md.dict = 'charging_mode' AND md.code = p.charging_mode"
	" WHERE p.id = ?",
	"l", "sssssssssssssssssssss"
};
static const char *const card_names[] = {
	"serial_no", "state", "station", "warehouse", "party", "company", "manufacturer",
	"model", "product", "rated_power_kw", "current_type", "sw_version", "hw_version",
	"comm_method", "charging_mode", "tariff", "commissioned_on", "warranty_end", "warranty",
	"supplier", "station_address",
};

/* "station:12" / "warehouse:3" / "party:7" as the name a person knows. */
#define PLACE_NAME(col)                                                                 \
	"CASE WHEN " col " LIKE 'station:%' THEN (SELECT CONCAT(code, ' ', name) FROM stations" \
	"  WHERE id = SUBSTRING(" col ", 9))"                                            \
	" WHEN " col " LIKE 'warehouse:%' THEN (SELECT name FROM warehouses"              \
	"  WHERE id = SUBSTRING(" col ", 11))"                                           \
	" WHEN " col " LIKE 'party:%' THEN (SELECT name FROM companies WHERE id = SUBSTRING(" col ", 7))" \
	" WHEN " col " = 'none' THEN '—' ELSE " col " END"

static const struct query q_events = {
	"SELECT DATE_FORMAT(" SQL_LOCAL("e.at") ", '%m-%d %H:%i'), e.kind, e.from_state,"
	" e.to_state, " PLACE_NAME("e.to_place") ", e.detail, u.name"
	" FROM asset_events e LEFT JOIN users u ON u.id = e.user_id"
	" WHERE e.pile_id = ? ORDER BY e.id DESC LIMIT 8",
	"l", "sssssss"
};

/* Products a user may bind: a manufacturer's own users their own make;
 * staff and pure suppliers every product. */
static const struct query q_products = {
	"SELECT pr.id, CONCAT(m.name, ' ', pr.model, ' · ', pr.rated_power_kw, 'kW')"
	" FROM products pr JOIN companies m ON m.id = pr.manufacturer_id"
	" WHERE ? = 0 OR pr.manufacturer_id = ?"
	"  OR NOT EXISTS (SELECT 1 FROM products x WHERE x.manufacturer_id = ?)"
	" ORDER BY m.name, pr.model", "lll", "ls"
};
static const struct query q_product_ok = {
	"SELECT COUNT(*) FROM products pr WHERE pr.id = ? AND (? = 0 OR pr.manufacturer_id = ?"
	"  OR NOT EXISTS (SELECT 1 FROM products x WHERE x.manufacturer_id = ?))", "llll", "l"
};

static bool
may_bind_product(const struct req *r, const struct wx_pile *p)
{
	return p->product_id == 0 && (wx_can_edit(r) ||
	    (wx_is_supplier(r) && p->supplier_id == r->user->supplier_id));
}

static void
product_options(struct req *r)
{
	struct db_cur c;
	int64_t sup = wx_is_supplier(r) ? r->user->supplier_id : 0;
	int n = 0;

	if (db_open(&c, &q_products, sup, sup, sup) < 0)
		die("product options failed");
	while (db_next(&c)) {
		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)),
		    "Page.opts.products.%d.id", n);
		tpl_setf(r, db_str(&c, 1), "Page.opts.products.%d.label", n);
		n++;
	}
	db_close(&c);
}

int
wx_card(struct req *r, const struct wx_pile *p, int status)
{
	static const char *const done[] = { "product", "station", "maintain", "created", NULL };
	const char *flash = req_query(r, "done");
	struct db_cur c;
	int n = 0;

	if (db_open(&c, &q_card, p->id) < 0)
		return 500;
	if (db_next(&c))
		for (int i = 0; i < (int)(sizeof(card_names) / sizeof(card_names[0])); i++)
			tpl_setf(r, db_str(&c, i), "Page.pile.%s", card_names[i]);
	db_close(&c);
	tpl_set(r, "Page.pile.code", p->code);
	tpl_set(r, "Page.pile.state_label", tpl_lang(r, arena_printf(r->arena,
	    "enum.pile_state.%s", p->state)));
	tpl_set(r, "Page.pile.warranty_label", tpl_lang(r, arena_printf(r->arena,
	    "enum.warranty.%s", tpl_get(r, "Page.pile.warranty"))));
	tpl_set(r, "Page.code", p->code);
	if (db_open(&c, &q_events, p->id) < 0)
		return 500;
	while (db_next(&c)) {
		tpl_setf(r, db_str(&c, 0), "Page.events.%d.at", n);
		tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "event.%s", db_str(&c, 1))),
		    "Page.events.%d.kind", n);
		if (*db_str(&c, 3))
			tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "enum.pile_state.%s",
			    db_str(&c, 3))), "Page.events.%d.to", n);
		tpl_setf(r, db_str(&c, 4), "Page.events.%d.place", n);
		tpl_setf(r, db_str(&c, 5), "Page.events.%d.detail", n);
		tpl_setf(r, db_str(&c, 6), "Page.events.%d.user", n);
		n++;
	}
	db_close(&c);
	if (may_bind_product(r, p)) {
		tpl_set(r, "Page.can.product", "1");
		product_options(r);
	}
	if (wx_can_edit(r)) {
		tpl_set(r, "Page.can.maintain", "1");
		if (p->station_id == 0 && p->product_id != 0 && strcmp(p->state, "in_stock") == 0)
			tpl_set(r, "Page.can.station", "1");
		if (user_can(r, PERM_ASSET_VIEW))
			tpl_set_int(r, "Page.web_id", p->id);
	}
	for (int i = 0; flash && done[i]; i++)
		if (strcmp(flash, done[i]) == 0) {
			tpl_set(r, "Page.flash", tpl_lang(r, arena_printf(r->arena, "wx.done.%s", done[i])));
			tpl_set(r, "Page.flash_kind", "success");
		}
	idem_fresh(r);
	phone_page(r, arena_printf(r->arena, "%s %s", tpl_lang(r, "res.pile"), p->code), "wechat/card.cs", NULL);
	return status;
}

int
wx_pile_show(struct req *r)
{
	struct wx_pile p;
	int rc = wx_pile_find(r, &p);

	if (rc != 0) {
		const char *code = tpl_get(r, "Page.code");

		/* A well-formed code on no pile this user sees: say what it is
		 * and offer to register a pile with it (model/codeinfo.c); a
		 * voided one, to staff, with the pile's code now. */
		if (rc == 404 && code && codeinfo_explain(r, code) == CI_VOID)
			rc = 410;
		else if (rc == 410 && code && !wx_is_supplier(r) &&
		    codeinfo_explain(r, code) != CI_VOID) {
			hdf_remove_tree(r->hdf, "Page.unknown");
			tpl_set(r, "Page.error", tpl_lang(r, "err.qr_void"));
		}
		phone_page(r, tpl_lang(r, "wx.scan_title"), "wechat/missing.cs", NULL);
		return rc;
	}
	return wx_card(r, &p, 200);
}

/* A refusal: the card again with why (JSON: {error}). */
static int
refuse(struct req *r, const struct wx_pile *p, int status, const char *key)
{
	int rc = wx_card(r, p, status);

	tpl_set(r, "Page.error", tpl_lang(r, key));
	return rc;
}

int
wx_pile_product(struct req *r)
{
	struct wx_pile p;
	int64_t product;
	int rc = wx_pile_find(r, &p);
	const char *refused;

	if (rc != 0) {
		phone_page(r, tpl_lang(r, "wx.scan_title"), "wechat/missing.cs", NULL);
		return rc;
	}
	if (!wx_can_edit(r) && !wx_is_supplier(r))
		return 403;
	if ((rc = idem_begin(r, req_param(r, IDEM_PARAM), "product", p.id)) != 0)
		return rc == 422 || rc == 409 ? refuse(r, &p, rc, rc == 422 ? "idem.missing" :
		    "idem.reused") : rc;
	if (p.product_id != 0)
		return refuse(r, &p, 409, "err.pile_has_product");
	if (!may_bind_product(r, &p))
		return 403;
	rc = req_int64(r, "product_id", &product);
	if (rc != 0 || product <= 0 || db_scalar(0, &q_product_ok, product,
	    wx_is_supplier(r) ? r->user->supplier_id : 0,
	    wx_is_supplier(r) ? r->user->supplier_id : 0,
	    wx_is_supplier(r) ? r->user->supplier_id : 0) == 0) {
		int status = refuse(r, &p, 422, rc == -1 ? "wx.err.choose_product" : "err.ref");

		form_error(r, "product_id", rc == -1 ? "err.required" : "err.ref");
		return status;
	}
	if ((refused = pile_set_product(r, p.id, product)) != NULL)
		return refuse(r, &p, 409, refused);
	return idem_done(r, arena_printf(r->arena, "/wx/p/%s?done=product", p.code));
}
