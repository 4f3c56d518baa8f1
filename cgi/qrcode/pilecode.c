/*
 * pilecode.c — a batch's codes and the piles they are on (F3 ⇄ F4):
 * the per-code list of the batch page (free, or bound to which pile) and
 * "create piles from these codes" (登记充电桩).
 *
 * Creating piles takes the batch's still-unused codes (all, or `count`
 * of them from `from_code` on, in serial order) and registers one pile per
 * code in stock — in a warehouse of the chosen city company, or nowhere
 * yet — with its ledger posting, update record and the code bound to it.
 * The work is model/pile_code.c pile_create_from_codes(), set-based, so the
 * 10,000 codes of the largest batch become piles in one short transaction.
 * The form carries a form_key: a repeated submit lands on the first run.
 */
#include <stdio.h>
#include <string.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/tpl.h"
#include "model/code.h"
#include "model/options.h"
#include "model/pile.h"

#include "qrcode/qrcode.h"

#define CODES_PER_PAGE 100

enum { C_PRODUCT, C_COMPANY, C_WAREHOUSE, C_FROM, C_COUNT, C__MAX };

static const struct query q_ref_product = { "SELECT COUNT(*) FROM products WHERE id = ?", "l", "l" };
static const struct query q_ref_company = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND kind IN ('city', 'head') AND (? OR id = ?)",
	"lil", "l"
};
static const struct query q_ref_warehouse = {
	"SELECT COUNT(*) FROM warehouses WHERE id = ? AND (? OR company_id = ?)", "lil", "l"
};

static const struct field fields[C__MAX] = {
	[C_PRODUCT] = { "product_id", FT_REF, F_REQ, 0, 0, 0, 0, NULL, NULL, &q_ref_product, "products" },
	[C_COMPANY] = { "company_id", FT_REF, F_REQ, 0, 0, 0, 0, NULL, NULL, &q_ref_company, "companies" },
	[C_WAREHOUSE] = { "warehouse_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_warehouse, "warehouses" },
	[C_FROM] = { "from_code", FT_TEXT, 0, 300, 0, 0, 0, NULL, NULL, NULL, NULL },
	[C_COUNT] = { "count", FT_INT, 0, 5, 1, 10000, 0, NULL, NULL, NULL, NULL },
};

static const struct query q_opt_products = {
	"SELECT p.id, CONCAT(m.name, ' ', p.model, ' · ', p.rated_power_kw, 'kW')"
	" FROM products p JOIN companies m ON m.id = p.manufacturer_id ORDER BY m.name, p.model",
	"", "ls"
};
static const struct query q_opt_warehouses = {
	"SELECT w.id, CONCAT(w.code, ' ', w.name, ' · ', c.name) FROM warehouses w"
	" JOIN companies c ON c.id = w.company_id WHERE (? OR w.company_id = ?) ORDER BY w.code",
	"il", "ls"
};

static const struct query q_codes = {
	"SELECT c.serial, c.code, c.state, COALESCE(c.pile_id, 0), COALESCE(p.code, ''),"
	" COALESCE(n.code, ''), COALESCE(c.void_reason, ''),"
	" (? OR p.company_id = ?)"
	" FROM qr_codes c LEFT JOIN piles p ON p.id = c.pile_id"
	" LEFT JOIN qr_codes n ON n.id = c.replaced_by"
	" WHERE c.batch_id = ? AND (? = '' OR c.state = ?) ORDER BY c.serial LIMIT ? OFFSET ?",
	"illssll", "lssls" "ssi"
};
static const struct query q_codes_count = {
	"SELECT COUNT(*) FROM qr_codes WHERE batch_id = ? AND (? = '' OR state = ?)", "lss", "l"
};

/* Page.codes (one page of the batch's codes, with the pile each is on),
 * Page.cpage/cpages/cstate, and the options of the piles form. */
void
batch_codes_fill(struct req *r, int64_t batch_id)
{
	static const char *const states[] = { "unused", "bound", "void", NULL };
	const char *state = req_query(r, "cstate");
	int64_t page = 1, total, pages;
	struct db_cur c;
	int n = 0;
	bool known = false;

	if (state == NULL)
		state = "";
	for (int i = 0; states[i]; i++)
		known = known || strcmp(states[i], state) == 0;
	if (!known)
		state = "";
	if (req_int64(r, "cpage", &page) != 0 || page < 1)
		page = 1;
	total = db_scalar(0, &q_codes_count, batch_id, state, state);
	pages = total == 0 ? 1 : (total + CODES_PER_PAGE - 1) / CODES_PER_PAGE;
	if (page > pages)
		page = pages;
	if (db_open(&c, &q_codes, SCOPE_ARGS(r), batch_id, state,
	    state, (int64_t)CODES_PER_PAGE, (page - 1) * CODES_PER_PAGE) < 0)
		return;	/* logged; the request is a 500 */
	while (db_next(&c)) {
		const char *st = db_str(&c, 2);

		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)),
		    "Page.codes.%d.serial", n);
		tpl_setf(r, db_str(&c, 1), "Page.codes.%d.code", n);
		tpl_setf(r, st, "Page.codes.%d.state", n);
		tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "enum.qr_code_state.%s", st)),
		    "Page.codes.%d.state_label", n);
		/* The pile is linked only when the user may open it. */
		if (db_i64(&c, 3) && db_int(&c, 7))
			tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 3)),
			    "Page.codes.%d.pile_id", n);
		if (db_i64(&c, 3))
			tpl_setf(r, db_str(&c, 4), "Page.codes.%d.pile_code", n);
		tpl_setf(r, db_str(&c, 5), "Page.codes.%d.replaced_by", n);
		if (*db_str(&c, 6))
			tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "enum.qr_void_reason.%s",
			    db_str(&c, 6))), "Page.codes.%d.void_reason", n);
		n++;
	}
	db_close(&c);
	tpl_set(r, "Page.cstate", state);
	tpl_set_int(r, "Page.cpage", page);
	tpl_set_int(r, "Page.cpages", pages);
	tpl_set_int(r, "Page.ctotal", total);
	if (page > 1)
		tpl_set_int(r, "Page.cprev", page - 1);
	if (page < pages)
		tpl_set_int(r, "Page.cnext", page + 1);

	if (user_can(r, PERM_ASSET_EDIT)) {
		tpl_set(r, "Page.can_piles", "1");
		crud_options(r, "products", &q_opt_products);
		options_companies(r);
		crud_options_scoped(r, "warehouses", &q_opt_warehouses);
		if (tpl_get(r, "Page.form.form_key") == NULL)
			tpl_set(r, "Page.form.form_key", auth_random_token(r));
		if (tpl_get(r, "Page.form.company_id") == NULL && !r->user->scope_all)
			tpl_set_int(r, "Page.form.company_id", r->user->company_id);
	}
}

/* ---------------------------------------------------------------- create */

static const struct query q_batch_in_scope = {
	"SELECT COUNT(*) FROM qr_batches b JOIN code_rules r ON r.id = b.rule_id"
	" WHERE b.id = ?" SCOPE_COMPANY("r.company_id"), "lil", "l"
};
static const struct query q_run_by_key = {
	"SELECT id, batch_id, count FROM qr_pile_runs WHERE form_key = ? AND created_by = ?",
	"sl", "lll"
};
static const struct query q_warehouse_company = {
	"SELECT company_id FROM warehouses WHERE id = ?", "l", "l"
};
static const struct query q_serial_of = {
	"SELECT serial FROM qr_codes WHERE batch_id = ? AND code = ?", "ls", "l"
};

/* Re-show the batch page with the form's errors. */
static int
refuse(struct req *r, int status)
{
	int st = batch_show(r);

	if (tpl_get(r, "Page.error") == NULL)
		tpl_set(r, "Page.error", tpl_lang(r, "err.form"));
	return st == 200 ? status : st;
}

int
batch_piles(struct req *r)
{
	struct fval v[C__MAX];
	struct pile_from_codes in = { 0 };
	const char *key = auth_form_key(r, "form_key"), *refused = NULL;
	int64_t id, run, created = 0;
	struct db_cur c;
	int bad;

	if (req_arg_id(r, 0, &id) != 0 ||
	    db_scalar(0, &q_batch_in_scope, id, SCOPE_ARGS(r)) == 0)
		return 404;
	if (key && db_open(&c, &q_run_by_key, key, r->user->id) == 0) {
		int64_t done_batch = 0;

		if (db_next(&c))
			done_batch = db_i64(&c, 1);
		db_close(&c);
		if (done_batch == id)
			return req_redirect(r, arena_printf(r->arena,
			    "/qr/batches/%lld?flash=piles_exist", (long long)id));
	}
	bad = form_read(r, fields, C__MAX, v);
	if (key)
		tpl_set(r, "Page.form.form_key", key);
	if (key == NULL) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.version"));
		return refuse(r, 400);
	}
	if (bad == 0 && !v[C_WAREHOUSE].null &&
	    db_scalar(0, &q_warehouse_company, v[C_WAREHOUSE].i) != v[C_COMPANY].i) {
		form_error(r, "warehouse_id", "err.pile_company_place");
		bad++;
	}
	if (!v[C_FROM].null && tpl_get(r, "Page.errors.from_code") == NULL) {
		char code[CODE_MAX + 1];
		int rc = code_scan(v[C_FROM].s, qr_base_url(), false, code, sizeof(code));

		in.from_serial = rc == CODE_OK ? db_scalar(0, &q_serial_of, id, code) : 0;
		if (in.from_serial == 0) {
			form_error(r, "from_code", rc == CODE_HOST ? "err.qr_host" : "err.qr_not_in_batch");
			bad++;
		}
	}
	if (bad > 0)
		return refuse(r, 422);
	in.batch_id = id;
	in.product_id = v[C_PRODUCT].i;
	in.company_id = v[C_COMPANY].i;
	in.warehouse_id = v[C_WAREHOUSE].null ? 0 : v[C_WAREHOUSE].i;
	in.count = v[C_COUNT].null ? 0 : v[C_COUNT].i;
	in.form_key = key;
	run = pile_create_from_codes(r, &in, &created, &refused);
	if (run < 0 && run != -2)
		return run == DB_RETRY ? APP_RETRY : 500;
	if (run == -2)
		return req_redirect(r, arena_printf(r->arena, "/qr/batches/%lld?flash=piles_exist",
		    (long long)id));
	if (run == 0) {
		const char *taken = tpl_get(r, "Page.taken_code");

		/* Nothing of this submit may stay: the dispatcher rolls back on 4xx. */
		tpl_set(r, "Page.error", taken ? arena_printf(r->arena, "%s %s",
		    tpl_lang(r, refused), taken) : tpl_lang(r, refused));
		return refuse(r, 409);
	}
	return req_redirect(r, arena_printf(r->arena, "/qr/batches/%lld?flash=piles_created&n=%lld",
	    (long long)id, (long long)created));
}
