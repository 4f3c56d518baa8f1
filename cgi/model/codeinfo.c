/*
 * codeinfo.c — explaining a scanned code that no visible pile carries
 * (issue 10: "404 没有找到该充电桩" even for the keeper holding a fresh
 * label).  The answer is built from what the user may already see:
 *
 *   - a code generated for the user's company (the rule's company; every
 *     company with scope_all) is told as what it is — its batch, rule and
 *     date, unused or bound to a pile elsewhere, or voided;
 *   - a code of a rule in scope whose check character is wrong is a typo;
 *   - a code that is not generated at all is a plain code, which the pile
 *     form accepts too (typed in, imported, demo data);
 *   - everything else, and anything for a supplier user, stays "not
 *     found", worded so it does not tell whether the code exists in
 *     another company (the rule of wechat/pile.c).
 *
 * Registering is the web pile form (asset/pile_form.c), opened with the
 * code filled in; it is offered to whoever may create piles.  Those who
 * may not are told whom to ask: enabled staff whose role may edit assets,
 * of the code's company first, then those who see every company.
 */
#include "model/codeinfo.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/log.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/tpl.h"
#include "model/code.h"

const char *const codeinfo_kind_names[CI__MAX + 1] = {
	[CI_NONE] = "none",
	[CI_LABEL] = "label",
	[CI_ELSEWHERE] = "elsewhere",
	[CI_TYPO] = "typo",
	[CI_PLAIN] = "plain",
	[CI_VOID] = "void",
	[CI__MAX] = NULL,
};

/* The code's batch and rule, and whether the rule's company is in scope
 * (params: i scope_all, l company, s code). */
static const struct query q_label = {
	"SELECT c.state, c.serial, b.id, DATE_FORMAT(" SQL_LOCAL("b.created_at") ", '%Y-%m-%d'),"
	" b.count, ru.name, co.name, ru.company_id, (? OR ru.company_id = ?)"
	" FROM qr_codes c JOIN qr_batches b ON b.id = c.batch_id"
	" JOIN code_rules ru ON ru.id = b.rule_id JOIN companies co ON co.id = ru.company_id"
	" WHERE c.code = ?",
	"ils", "sllslssli"
};
/* The pile a replaced code was on, when it is in scope. */
static const struct query q_replaced = {
	"SELECT p.code, p.id, (? OR p.company_id = ?) FROM code_replacements cr"
	" JOIN piles p ON p.id = cr.pile_id WHERE cr.old_code = ? ORDER BY cr.id DESC LIMIT 1",
	"ils", "sli"
};
/* A rule in scope whose codes have this one's start and length. */
static const struct query q_rule_shape = {
	"SELECT name FROM code_rules WHERE (? OR company_id = ?) AND check_char = 1"
	" AND LEFT(?, CHAR_LENGTH(prefix) + CHAR_LENGTH(segment)) = CONCAT(prefix, segment)"
	" AND CHAR_LENGTH(?) = CHAR_LENGTH(prefix) + CHAR_LENGTH(segment) + year_digits"
	"  + serial_width + 1"
	" ORDER BY id LIMIT 1",
	"ilss", "s"
};
static const struct query q_taken = {
	"SELECT COUNT(*) FROM piles WHERE code = ?", "s", "l"
};
/* Who may register piles for company ?: staff whose role has asset_edit,
 * of that company first, then those who see every company. */
static const struct query q_ask = {
	"SELECT u.name, ro.name, ro.name_en FROM users u JOIN roles ro ON ro.id = u.role_id"
	" WHERE u.enabled = 1 AND ro.is_supplier = 0 AND FIND_IN_SET('asset_edit', ro.perms) > 0"
	" AND (u.company_id = ? OR ro.scope_all = 1)"
	" ORDER BY u.company_id = ? DESC, ro.sort DESC, u.id LIMIT ?",
	"lli", "sss"
};

/* text with each "{name}" of names replaced by the value beside it. */
static const char *
subst(struct req *r, const char *text, const char *const *names, const char *const *values)
{
	const char *out = text;

	for (int i = 0; names[i]; i++) {
		char key[32];
		const char *at;

		snprintf(key, sizeof(key), "{%s}", names[i]);
		if ((at = strstr(out, key)) != NULL)
			out = arena_printf(r->arena, "%.*s%s%s", (int)(at - out), out, values[i],
			    at + strlen(key));
	}
	return out;
}

static const char *
i64(struct req *r, int64_t v)
{
	return arena_printf(r->arena, "%lld", (long long)v);
}

/* Page.unknown.ask.*: who may register piles for `company`. */
static void
ask(struct req *r, int64_t company)
{
	bool en = r->lang && strcmp(r->lang, "en") == 0;
	struct db_cur c;
	int n = 0;

	if (db_open(&c, &q_ask, company, company, CODEINFO_ASK) < 0) {
		log_warn("codeinfo: who-to-ask lookup failed");
		return;
	}
	while (db_next(&c) && n < CODEINFO_ASK) {
		tpl_setf(r, db_str(&c, 0), "Page.unknown.ask.%d.name", n);
		tpl_setf(r, db_str(&c, en && *db_str(&c, 2) ? 2 : 1), "Page.unknown.ask.%d.role", n);
		n++;
	}
	db_close(&c);
}

/* A replaced code: Page.unknown.replaced_by when its pile is in scope.
 * Returns whether the code was replaced at all. */
static bool
replaced(struct req *r, const char *code, bool *in_scope)
{
	struct db_cur c;
	bool found = false;

	*in_scope = false;
	if (db_open(&c, &q_replaced, SCOPE_ARGS(r), code) < 0) {
		log_warn("codeinfo: replacement lookup failed");
		return false;
	}
	if (db_next(&c)) {
		found = true;
		if (db_int(&c, 2)) {
			*in_scope = true;
			tpl_set(r, "Page.unknown.replaced_by", db_str(&c, 0));
			tpl_set_int(r, "Page.unknown.replaced_pile", db_i64(&c, 1));
		}
	}
	db_close(&c);
	return found;
}

enum codeinfo_kind
codeinfo_explain(struct req *r, const char *code)
{
	static const char *const label_names[] = { "company", "rule", "batch", "date", "count",
		"serial", NULL };
	enum codeinfo_kind kind = CI_NONE;
	const char *what = NULL, *lead = "unknown.lead.none";
	bool staff = r->user && !(r->user->supplier_id > 0) && r->user->company_id > 0;
	bool may_register = user_can(r, PERM_ASSET_EDIT);
	bool row = false, was_void = false, in_scope = false;
	int64_t company = r->user ? r->user->company_id : 0;
	struct db_cur c;

	tpl_set(r, "Page.unknown.code", code);
	if (staff && db_open(&c, &q_label, SCOPE_ARGS(r), code) == 0) {
		if (db_next(&c)) {
			const char *values[] = { db_str(&c, 6), db_str(&c, 5), i64(r, db_i64(&c, 2)),
				db_str(&c, 3), i64(r, db_i64(&c, 4)), i64(r, db_i64(&c, 1)), NULL };
			const char *state = db_str(&c, 0);

			row = true;
			was_void = strcmp(state, "void") == 0;
			if (db_int(&c, 8)) {
				company = db_i64(&c, 7);
				kind = strcmp(state, "unused") == 0 ? CI_LABEL :
				    strcmp(state, "void") == 0 ? CI_VOID : CI_ELSEWHERE;
				if (kind != CI_VOID) {
					what = subst(r, tpl_lang(r, kind == CI_LABEL ? "unknown.what.label" :
					    "unknown.what.elsewhere"), label_names, values);
					tpl_set_int(r, "Page.unknown.batch_id", db_i64(&c, 2));
					if (user_can(r, PERM_QR))
						tpl_set(r, "Page.unknown.batch_url", arena_printf(r->arena,
						    "/qr/batches/%lld", (long long)db_i64(&c, 2)));
				}
			}
		}
		db_close(&c);
	} else if (staff)
		log_warn("codeinfo: label lookup failed");
	if (kind == CI_VOID)
		(void)replaced(r, code, &in_scope);
	else if (was_void) {
		/* Another company's rule, but replaced on a pile in scope. */
		if (replaced(r, code, &in_scope) && in_scope)
			kind = CI_VOID;
	} else if (staff && !row) {
		/* Not generated here: replaced, mistyped, or a plain code. */
		if (replaced(r, code, &in_scope))
			kind = in_scope ? CI_VOID : CI_NONE;
		else {
			kind = CI_PLAIN;
			if (!code_check_ok(code) && db_open(&c, &q_rule_shape, SCOPE_ARGS(r), code, code) == 0) {
				if (db_next(&c)) {
					const char *names[] = { "rule", NULL };
					const char *values[] = { db_str(&c, 0), NULL };

					kind = CI_TYPO;
					what = subst(r, tpl_lang(r, "unknown.what.typo"), names, values);
				}
				db_close(&c);
			}
		}
	}
	/* Only those who may register are told a plain code is free: for
	 * anyone else it reads as "not found", and a code carried by a pile
	 * in another company is "not found" for everyone. */
	if (kind == CI_PLAIN && (!may_register || db_scalar(1, &q_taken, code) != 0))
		kind = CI_NONE;
	switch (kind) {
	case CI_LABEL:
		lead = "unknown.lead.label";
		break;
	case CI_TYPO:
		lead = "unknown.lead.typo";
		break;
	case CI_VOID:
		lead = "err.qr_void";
		if (tpl_get(r, "Page.unknown.replaced_by")) {
			const char *names[] = { "code", NULL };
			const char *values[] = { tpl_get(r, "Page.unknown.replaced_by"), NULL };

			what = subst(r, tpl_lang(r, "unknown.what.replaced"), names, values);
		}
		break;
	case CI_PLAIN:
		what = tpl_lang(r, "unknown.what.plain");
		break;
	case CI_NONE:
		what = tpl_lang(r, staff ? "unknown.what.none" : "unknown.what.none_supplier");
		break;
	default:
		break;
	}
	tpl_set(r, "Page.unknown.kind", codeinfo_kind_names[kind]);
	if (what)
		tpl_set(r, "Page.unknown.what", what);
	if ((kind == CI_LABEL || kind == CI_PLAIN) && may_register)
		tpl_set(r, "Page.unknown.register", arena_printf(r->arena, "/asset/piles/new?code=%s",
		    code));
	else if (!may_register && (kind == CI_LABEL || kind == CI_NONE)) {
		if (staff)
			ask(r, company);
		else
			tpl_set(r, "Page.unknown.ask_operator", "1");
	}
	tpl_set(r, "Page.error", r->want_json && what ? arena_printf(r->arena, "%s: %s",
	    tpl_lang(r, lead), what) : tpl_lang(r, lead));
	return kind;
}
