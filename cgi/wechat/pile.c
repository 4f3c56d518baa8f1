/*
 * pile.c — the pile card on the phone (/wx/p/<code>) and binding a pile
 * that has no product yet to one.
 *
 * The card is what a scan lands on: product, place, state, versions,
 * warranty, the last ledger events, and the actions this user may take.
 * The path names the pile by its asset code, read back with code_scan()
 * (model/code.c), so the label's URL is the card's URL.
 *
 * The card's facts and events are the model's read model (model/pile_card.c,
 * the web card's too), under the phone's scope (PSC_SUPPLIER).
 *
 * Data scope, in SQL (SCOPE_SQL here, PSC_SUPPLIER there): staff see the piles of their company (or
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
#include "core/scope.h"
#include "core/tpl.h"
#include "model/code.h"
#include "model/codeinfo.h"
#include "model/pile.h"
#include "model/pile_card.h"
#include "model/pile_update.h"

#include "wechat/wx.h"

/* Params (i scope_all, l company_id, l supplier_id, l supplier_id); a staff
 * user's supplier_id is 0 and a supplier's company_id is 0, which no row
 * has, so each sees only its own kind of scope. */
#define SCOPE_SQL SCOPE_SUPPLIED("p.company_id", "p.supplier_id", "pr.manufacturer_id")

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
	if (db_scalar(0, &q_void, code, r->user->company_id, SCOPE_SUPPLIED_ARGS(r)) > 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.qr_void"));
		return 410;
	}
	if (db_open(&c, &q_find, code, SCOPE_SUPPLIED_ARGS(r)) < 0)
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
	struct pile_card pc;
	int rc = pile_card_load(r, p->id, PSC_SUPPLIER, &pc);

	if (rc != PILE_CARD_OK)
		return rc == PILE_CARD_NONE ? 404 : 500;
	pile_card_hdf(r, &pc, PCV_PHONE, "Page.pile");
	tpl_set(r, "Page.code", p->code);
	if (pile_card_events(r, p->id, PCV_PHONE, "Page.events") < 0)
		return 500;
	if (may_bind_product(r, p)) {
		tpl_set(r, "Page.can.product", "1");
		product_options(r);
	}
	if (wx_can_edit(r)) {
		tpl_set(r, "Page.can.maintain", "1");
		if (pile_bind_blocked(p->product_id != 0, p->station_id, pile_state_parse(p->state),
		    0) == NULL)
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
	struct pile_change c;
	const char *refused, *field;

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
	/* The model's update path: a product for a pile that has none. */
	c = (struct pile_change){ .edit = PE_PRODUCT };
	c.v[PF_PRODUCT] = arena_printf(r->arena, "%lld", (long long)product);
	if ((refused = pile_apply_change(r, p.id, &c, &field)) != NULL)
		return refuse(r, &p, 409, refused);
	return idem_done(r, arena_printf(r->arena, "/wx/p/%s?done=product", p.code));
}
