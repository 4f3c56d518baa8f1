/*
 * regen.c — regeneration of a pile's code (二维码重生, F3.2).
 *
 *   GET  /qr/regenerate?value=…      scan or type the code on the pile
 *   GET  /qr/piles/:id/regenerate     the pile's code: reprint or replace
 *   GET  /qr/piles/:id/label          reprint: 1..100 copies, A4 or roll
 *   GET  /qr/piles/:id/svg            the label of the code the pile carries now
 *                                     (any code, also one not generated here)
 *   POST /qr/piles/:id/replace        replace: old code void, new code
 *
 * Reprinting prints the same code again (nothing changes).  Replacing
 * (model/pile_code.c pile_replace_code) voids the old code with its reason,
 * draws a new code from the old code's rule or the one chosen, relinks the
 * pile, posts code_replace with both codes and writes the update record,
 * all in the route's transaction.  The form carries the code the user saw
 * (a stale form is refused) and a form_key (a repeated submit lands on the
 * replacement the first one made).  Everything is scoped by the pile's
 * company: another company's pile is 404.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"
#include "model/code.h"
#include "model/pile.h"

#include "qrcode/qrcode.h"

static const char *const reasons[] = { "lost", "damaged", "other", NULL };

static const struct query q_pile = {
	"SELECT p.id, p.code, p.state, co.name, COALESCE(pr.model, ''), COALESCE(m.name, ''),"
	" CASE p.place WHEN 'station' THEN CONCAT(st.code, ' ', st.name)"
	"  WHEN 'warehouse' THEN w.name WHEN 'party' THEN pa.name ELSE '' END,"
	" COALESCE(c.id, 0), COALESCE(c.state, ''), COALESCE(b.rule_id, 0), COALESCE(r.name, ''),"
	" COALESCE(c.batch_id, 0), COALESCE(r.enabled, 0)"
	" FROM piles p JOIN companies co ON co.id = p.company_id"
	" LEFT JOIN products pr ON pr.id = p.product_id"
	" LEFT JOIN companies m ON m.id = pr.manufacturer_id"
	" LEFT JOIN stations st ON st.id = p.station_id"
	" LEFT JOIN warehouses w ON w.id = p.warehouse_id"
	" LEFT JOIN companies pa ON pa.id = p.party_id"
	" LEFT JOIN qr_codes c ON c.code = p.code"
	" LEFT JOIN qr_batches b ON b.id = c.batch_id"
	" LEFT JOIN code_rules r ON r.id = b.rule_id"
	" WHERE p.id = ?" SCOPE_COMPANY("p.company_id"),
	"lil", "lssssss" "lslsli"
};
static const struct query q_history = {
	"SELECT DATE_FORMAT(" SQL_LOCAL("cr.at") ", '%Y-%m-%d %H:%i'), cr.old_code, cr.new_code,"
	" cr.reason, COALESCE(cr.note, ''), u.name"
	" FROM code_replacements cr JOIN users u ON u.id = cr.user_id"
	" WHERE cr.pile_id = ? ORDER BY cr.id DESC LIMIT 50", "l", "ssssss"
};
static const struct query q_opt_rules = {
	"SELECT id, CONCAT(name, ' · ', prefix, segment) FROM code_rules"
	" WHERE enabled = 1 AND (? OR company_id = ?) ORDER BY name", "il", "ls"
};
static const struct query q_rule_in_scope = {
	"SELECT COUNT(*) FROM code_rules WHERE id = ? AND enabled = 1 AND (? OR company_id = ?)",
	"lil", "l"
};
static const struct query q_by_key = {
	"SELECT pile_id FROM code_replacements WHERE form_key = ? AND user_id = ?", "sl", "l"
};

/* Page.pile.* and the forms' options; 0, or 404 when the pile is not in
 * the user's scope. */
static int
load(struct req *r, int64_t id)
{
	static const char *const names[] = {
		NULL, "code", "state", "company", "model", "manufacturer", "place"
	};
	struct db_cur c;
	bool found = false;
	int n = 0;

	if (db_open(&c, &q_pile, id, SCOPE_ARGS(r)) < 0)
		return 500;
	if (db_next(&c)) {
		found = true;
		for (int i = 1; i <= 6; i++)
			tpl_setf(r, db_str(&c, i), "Page.pile.%s", names[i]);
		tpl_set(r, "Page.pile.state_label", tpl_lang(r, arena_printf(r->arena,
		    "enum.pile_state.%s", db_str(&c, 2))));
		if (db_i64(&c, 7)) {
			tpl_set(r, "Page.pile.generated", "1");
			tpl_set(r, "Page.pile.code_state", db_str(&c, 8));
			tpl_set(r, "Page.pile.rule", db_str(&c, 10));
			tpl_set_int(r, "Page.pile.batch_id", db_i64(&c, 11));
			if (db_int(&c, 12) && tpl_get(r, "Page.form.rule_id") == NULL)
				tpl_set_int(r, "Page.form.rule_id", db_i64(&c, 9));
		}
	}
	db_close(&c);
	if (!found)
		return 404;
	tpl_set_int(r, "Page.pile.id", id);
	if (db_open(&c, &q_history, id) < 0)
		return 500;
	while (db_next(&c)) {
		tpl_setf(r, db_str(&c, 0), "Page.history.%d.at", n);
		tpl_setf(r, db_str(&c, 1), "Page.history.%d.old", n);
		tpl_setf(r, db_str(&c, 2), "Page.history.%d.new", n);
		tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "enum.qr_void_reason.%s",
		    db_str(&c, 3))), "Page.history.%d.reason", n);
		tpl_setf(r, db_str(&c, 4), "Page.history.%d.note", n);
		tpl_setf(r, db_str(&c, 5), "Page.history.%d.user", n);
		n++;
	}
	db_close(&c);
	crud_options_scoped(r, "rules", &q_opt_rules);
	for (int i = 0; reasons[i]; i++) {
		tpl_setf(r, reasons[i], "Page.opts.reasons.%d.id", i);
		tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "enum.qr_void_reason.%s", reasons[i])),
		    "Page.opts.reasons.%d.label", i);
	}
	if (tpl_get(r, "Page.form.form_key") == NULL)
		tpl_set(r, "Page.form.form_key", auth_random_token(r));
	if (tpl_get(r, "Page.form.copies") == NULL)
		tpl_set(r, "Page.form.copies", "1");
	tpl_set(r, "Page.menu", "qr.regen");
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s · %s", tpl_lang(r, "navitem.qr_regen"),
	    tpl_get(r, "Page.pile.code")));
	tpl_set(r, "Page.view", "qrcode/regen_show.cs");
	return 0;
}

int
regen_show(struct req *r)
{
	static const char *const keys[] = { "replaced", "replace_exists", NULL };
	int64_t id;
	int rc;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if ((rc = load(r, id)) != 0)
		return rc;
	qr_flash(r, keys);
	return 200;
}

/* The scan page: a code (URL, bare, QR_CODE,…) to the pile that carries it. */
static const struct query q_pile_by_code = {
	"SELECT id FROM piles WHERE code = ? AND (? OR company_id = ?)", "sil", "l"
};
static const struct query q_unbound = {
	"SELECT c.state FROM qr_codes c JOIN qr_batches b ON b.id = c.batch_id"
	" JOIN code_rules r ON r.id = b.rule_id WHERE c.code = ?" SCOPE_COMPANY("r.company_id"),
	"sil", "s"
};

int
regen_scan(struct req *r)
{
	const char *value = req_query(r, "value");
	char code[CODE_MAX + 1];
	struct db_cur c;
	int64_t pile;
	char state[8] = "";
	int rc;

	tpl_set(r, "Page.menu", "qr.regen");
	tpl_set(r, "Page.title", tpl_lang(r, "navitem.qr_regen"));
	tpl_set(r, "Page.view", "qrcode/regen_scan.cs");
	if (value == NULL || *value == '\0')
		return 200;
	tpl_set(r, "Page.value", value);
	rc = code_scan(value, qr_base_url(), false, code, sizeof(code));
	if (rc != CODE_OK) {
		tpl_set(r, "Page.error", tpl_lang(r, rc == CODE_HOST ? "err.qr_host" : "err.qr_invalid"));
		return 422;
	}
	pile = db_scalar(0, &q_pile_by_code, code, SCOPE_ARGS(r));
	if (pile > 0)
		return req_redirect(r, arena_printf(r->arena, "/qr/piles/%lld/regenerate",
		    (long long)pile));
	if (db_open(&c, &q_unbound, code, SCOPE_ARGS(r)) < 0)
		return 500;
	if (db_next(&c))
		snprintf(state, sizeof(state), "%s", db_str(&c, 0));
	db_close(&c);
	if (qr_gone(r, code, strcmp(state, "void") == 0))
		return 410;
	/* A free code is not on a pile yet; a bound one whose pile is outside
	 * the user's scope is as unknown as any other company's code. */
	if (strcmp(state, "unused") == 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.qr_not_on_pile"));
		return 422;
	}
	tpl_set(r, "Page.error", tpl_lang(r, "err.qr_unknown"));
	return 404;
}

/* Reprint: the pile's current code, 1..100 copies. */
int
regen_label(struct req *r)
{
	const char *layout = req_query(r, "layout");
	int64_t id, copies = 1;
	int rc;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if (layout == NULL || *layout == '\0')
		layout = "roll";
	if ((strcmp(layout, "a4") != 0 && strcmp(layout, "roll") != 0) ||
	    req_int64(r, "copies", &copies) == -2 || copies < 1 || copies > LABEL_MAX_COPIES) {
		if ((rc = load(r, id)) != 0)
			return rc;
		form_error(r, "copies", "err.qr_copies");
		tpl_set(r, "Page.error", tpl_lang(r, "err.form"));
		return 422;
	}
	if ((rc = load(r, id)) != 0)
		return rc;
	{
		const char *code = arena_strdup(r->arena, tpl_get(r, "Page.pile.code"));

		qr_sheet_one(r, layout, code, arena_printf(r->arena, "/qr/piles/%lld/svg", (long long)id),
		    (int)copies,
		    arena_printf(r->arena, "/qr/piles/%lld/regenerate", (long long)id),
		    arena_printf(r->arena, "/qr/piles/%lld/label", (long long)id));
	}
	return 200;
}

int
regen_replace(struct req *r)
{
	static const char *const echoed[] = { "reason", "rule_id", "note", NULL };
	struct pile_code_replace in = { 0 };
	const char *key = auth_form_key(r, "form_key"), *refused, *field = NULL, *note;
	char new_code[CODE_MAX + 1];
	int64_t id, rule = 0, done;
	int rc;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if ((rc = load(r, id)) != 0)
		return rc;
	/* The user's input comes back on a refusal. */
	for (int i = 0; echoed[i]; i++)
		if (req_param(r, echoed[i]))
			tpl_setf(r, req_param(r, echoed[i]), "Page.form.%s", echoed[i]);
	if (key == NULL) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.version"));
		return 400;
	}
	tpl_set(r, "Page.form.form_key", key);
	if ((done = db_scalar(0, &q_by_key, key, r->user->id)) > 0)
		return req_redirect(r, arena_printf(r->arena, "/qr/piles/%lld/regenerate?flash=replace_exists",
		    (long long)done));
	rc = req_int64(r, "rule_id", &rule);
	if (rc == -2 || (rc == 0 && (rule <= 0 ||
	    db_scalar(0, &q_rule_in_scope, rule, SCOPE_ARGS(r)) == 0))) {
		form_error(r, "rule_id", "err.ref");
		tpl_set(r, "Page.error", tpl_lang(r, "err.form"));
		return 422;
	}
	note = req_param(r, "note");
	note = note ? text_trim(arena_strdup(r->arena, note)) : NULL;
	if (note && utf8_chars(note, strlen(note)) > 200) {
		form_error(r, "note", "err.too_long_any");
		tpl_set(r, "Page.error", tpl_lang(r, "err.form"));
		return 422;
	}
	in.pile_id = id;
	in.expect_code = req_param(r, "code");
	in.rule_id = rc == 0 ? rule : 0;
	in.reason = req_param(r, "reason");
	in.note = note && *note ? note : NULL;
	in.form_key = key;
	refused = pile_replace_code(r, &in, new_code, sizeof(new_code), &field);
	if (refused == NULL)
		return req_redirect(r, arena_printf(r->arena, "/qr/piles/%lld/regenerate?flash=replaced",
		    (long long)id));
	if (field) {
		form_error(r, field, refused);
		tpl_set(r, "Page.error", tpl_lang(r, "err.form"));
		return 422;
	}
	tpl_set(r, "Page.error", tpl_lang(r, refused));
	return 409;
}

/* The label of the pile's current code.  Not cached: the code changes when
 * it is replaced, the URL does not. */
int
regen_svg(struct req *r)
{
	int64_t id;

	if (req_arg_id(r, 0, &id) != 0 || load(r, id) != 0)
		return 404;
	return qr_label_svg(r, tpl_get(r, "Page.pile.code"), tpl_get(r, "Page.pile.company"),
	    "private, no-cache");
}
