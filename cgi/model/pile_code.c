/*
 * pile_code.c — piles and their QR codes (F3): whether a new pile may carry
 * a code, binding a generated code to it and freeing it again, registering
 * one pile per free code of a batch (set-based), and replacing a pile's
 * code (二维码重生).
 *
 * A generated code (qr_codes) is carried by at most one pile; the pile's
 * code is piles.code.  Codes typed in or imported that were never
 * generated have no qr_codes row and keep working as plain codes.
 */
#include "model/pile.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/tpl.h"
#include "model/code.h"
#include "model/model.h"

/* A code and what may stop a new pile from carrying it.  Scope: the rule's
 * company, or the company of the pile that carries it. */
static const struct query q_code_lock = {
	"SELECT c.id, c.code, c.state, COALESCE(c.pile_id, 0),"
	" (? OR r.company_id = ? OR p.company_id = ?)"
	" FROM qr_codes c JOIN qr_batches b ON b.id = c.batch_id"
	" JOIN code_rules r ON r.id = b.rule_id LEFT JOIN piles p ON p.id = c.pile_id"
	" WHERE c.code = ? FOR UPDATE",
	"ills", "lssli"
};
static const struct query q_was_replaced = {
	"SELECT COUNT(*) FROM code_replacements WHERE old_code = ?", "s", "l"
};

const char *
pile_code_usable(struct req *r, const char *code, int64_t *code_id, char *canon, size_t canon_len)
{
	struct db_cur c;
	const char *refused = NULL;

	*code_id = 0;
	snprintf(canon, canon_len, "%s", code);
	if (db_open(&c, &q_code_lock, SCOPE_ARGS(r),
	    r->user->company_id, code) < 0)
		return model_failed("code lookup failed");
	if (db_next(&c)) {
		const char *state = db_str(&c, 2);

		if (db_int(&c, 4) == 0)
			refused = "err.qr_code_scope";
		else if (strcmp(state, "void") == 0)
			refused = "err.qr_code_void";
		else if (strcmp(state, "bound") == 0 || db_i64(&c, 3) != 0)
			refused = "err.qr_code_bound";
		else {
			*code_id = db_i64(&c, 0);
			snprintf(canon, canon_len, "%s", db_str(&c, 1));
		}
	}
	db_close(&c);
	if (refused == NULL && *code_id == 0 && db_scalar(0, &q_was_replaced, code) > 0)
		refused = "err.qr_code_void";
	return refused;
}

static const struct query q_link = {
	"UPDATE qr_codes SET state = 'bound', pile_id = ?, bound_at = UTC_TIMESTAMP()"
	" WHERE id = ? AND state = 'unused'", "ll", ""
};

void
pile_link_code(struct req *r, int64_t pile_id, int64_t code_id)
{
	(void)r;
	if (db_exec(&q_link, pile_id, code_id) != 1)
		(void)db_tx_fail("code link failed");
}

/* The foreign key sets pile_id NULL when a pile goes; such a code is free. */
static const struct query q_free = {
	"UPDATE qr_codes SET state = 'unused', bound_at = NULL, bind_run_id = NULL"
	" WHERE state = 'bound' AND pile_id IS NULL", "", ""
};

void
pile_free_codes(struct req *r)
{
	(void)r;
	if (db_exec(&q_free) < 0)
		(void)db_tx_fail("code release failed");
}

/* ---- piles from a batch's codes, set-based: 10,000 piles are a handful
 * of statements, not 50,000. ---- */

static const struct query q_run_insert = {
	"INSERT INTO qr_pile_runs (batch_id, form_key, product_id, company_id, warehouse_id, count,"
	" created_by) VALUES (?, ?, ?, ?, ?, 0, ?)",
	"l?sll?ll", ""
};
/* Take the free codes for this run (locks them: a concurrent run waits and
 * then finds them bound). */
static const struct query q_run_pick = {
	"UPDATE qr_codes SET bind_run_id = ? WHERE batch_id = ? AND state = 'unused' AND serial >= ?"
	" ORDER BY serial LIMIT ?", "llll", ""
};
static const struct query q_run_taken = {
	"SELECT c.code FROM qr_codes c JOIN piles p ON p.code = c.code"
	" WHERE c.bind_run_id = ? AND c.state = 'unused' ORDER BY c.serial LIMIT 1", "l", "s"
};
static const struct query q_run_piles = {
	"INSERT INTO piles (code, product_id, company_id, warehouse_id, place, state,"
	" owner_company_id, operator_company_id)"
	" SELECT c.code, ?, ?, ?, ?, 'in_stock', ?, ? FROM qr_codes c"
	" WHERE c.bind_run_id = ? AND c.state = 'unused' ORDER BY c.serial",
	"ll?lslll", ""
};
static const struct query q_run_bind = {
	"UPDATE qr_codes c JOIN piles p ON p.code = c.code"
	" SET c.state = 'bound', c.pile_id = p.id, c.bound_at = UTC_TIMESTAMP()"
	" WHERE c.bind_run_id = ? AND c.state = 'unused'", "l", ""
};
static const struct query q_run_warranty = {
	"UPDATE piles p JOIN qr_codes c ON c.pile_id = p.id JOIN products pr ON pr.id = p.product_id"
	" SET p.warranty_end = DATE(" SQL_LOCAL("p.created_at") ") + INTERVAL pr.warranty_months MONTH"
	" WHERE c.bind_run_id = ?", "l", ""
};
static const struct query q_run_events = {
	"INSERT INTO asset_events (at, kind, pile_id, to_state, to_place, to_code, user_id, request_id)"
	" SELECT UTC_TIMESTAMP(6), 'pile_create', c.pile_id, 'in_stock', ?, c.code, ?, ?"
	" FROM qr_codes c WHERE c.bind_run_id = ? ORDER BY c.serial",
	"s?lsl", ""
};
/* The set form of audit_write (core/audit.c): one create record per pile. */
static const struct query q_run_audit = {
	"INSERT INTO audit_log (at, user_id, entity, entity_id, action, field, old_value, new_value,"
	" request_id, ip)"
	" SELECT UTC_TIMESTAMP(6), ?, 'pile', c.pile_id, 'create', NULL, NULL, c.code, ?, ?"
	" FROM qr_codes c WHERE c.bind_run_id = ? ORDER BY c.serial",
	"?lssl", ""
};
static const struct query q_run_count = {
	"UPDATE qr_pile_runs SET count = ? WHERE id = ?", "ll", ""
};

int64_t
pile_create_from_codes(struct req *r, const struct pile_from_codes *in, int64_t *created,
    const char **refused)
{
	int64_t uid = r->user->id, run, n, rc;
	const char *place = in->warehouse_id ? arena_printf(r->arena, "warehouse:%lld",
	    (long long)in->warehouse_id) : "none";
	struct db_cur c;
	bool taken = false;

	*created = 0;
	*refused = NULL;
	rc = db_exec(&q_run_insert, in->batch_id, in->form_key, in->product_id, in->company_id,
	    in->warehouse_id ? &in->warehouse_id : NULL, uid);
	if (rc == DB_DUP)
		return -2;
	if (rc < 0)
		return db_tx_fail("pile run insert failed");
	run = db_insert_id();
	n = db_exec(&q_run_pick, run, in->batch_id, in->from_serial,
	    in->count > 0 ? in->count : (int64_t)1000000);
	if (n < 0)
		return db_tx_fail("code pick failed");
	if (n == 0) {
		*refused = "err.qr_no_free_codes";
		return 0;
	}
	/* A pile typed in by hand may already carry one of these codes. */
	if (db_open(&c, &q_run_taken, run) < 0)
		return db_tx_fail("code check failed");
	if (db_next(&c)) {
		taken = true;
		tpl_set(r, "Page.taken_code", db_str(&c, 0));
	}
	db_close(&c);
	if (taken) {
		*refused = "err.qr_code_taken";
		return 0;
	}
	if (db_exec(&q_run_piles, in->product_id, in->company_id,
	    in->warehouse_id ? &in->warehouse_id : NULL, in->warehouse_id ? "warehouse" : "none",
	    in->company_id, in->company_id, run) != n ||
	    db_exec(&q_run_bind, run) != n ||
	    db_exec(&q_run_warranty, run) < 0 ||
	    db_exec(&q_run_events, place, &uid, r->id, run) != n ||
	    db_exec(&q_run_audit, &uid, r->id, r->remote_addr ? r->remote_addr : "", run) != n ||
	    db_exec(&q_run_count, n, run) < 0)
		return db_tx_fail("piles from codes failed");
	*created = n;
	return run;
}

/* ---- regeneration ---- */

static const struct query q_pile_code_lock = {
	"SELECT code FROM piles WHERE id = ? FOR UPDATE", "l", "s"
};
static const struct query q_old_code = {
	"SELECT c.id, c.state, b.rule_id FROM qr_codes c JOIN qr_batches b ON b.id = c.batch_id"
	" WHERE c.code = ? FOR UPDATE", "s", "lsl"
};
static const struct query q_regen_rule = {
	"SELECT prefix, segment, year_digits, serial_width, check_char, next_serial,"
	" YEAR(" SQL_TODAY "), enabled FROM code_rules WHERE id = ? FOR UPDATE",
	"l", "ssiiilii"
};
static const struct query q_regen_batch = {
	"INSERT INTO qr_batches (rule_id, count, first_serial, year, state, done_count, note, created_by)"
	" VALUES (?, 1, ?, ?, 'done', 1, ?, ?)", "llisl", ""
};
static const struct query q_regen_bump = {
	"UPDATE code_rules SET next_serial = next_serial + 1 WHERE id = ?", "l", ""
};
static const struct query q_code_in_use = {
	"SELECT (SELECT COUNT(*) FROM piles WHERE code = ?)"
	" + (SELECT COUNT(*) FROM code_replacements WHERE old_code = ?)", "ss", "l"
};
static const struct query q_regen_code = {
	"INSERT INTO qr_codes (code, batch_id, serial, state, pile_id, bound_at)"
	" VALUES (?, ?, ?, 'bound', ?, UTC_TIMESTAMP())", "slll", ""
};
static const struct query q_void = {
	"UPDATE qr_codes SET state = 'void', voided_at = UTC_TIMESTAMP(), void_reason = ?,"
	" replaced_by = ?, pile_id = ? WHERE id = ?", "slll", ""
};
static const struct query q_relink = {
	"UPDATE piles SET code = ?, version = version + 1 WHERE id = ?", "sl", ""
};
static const struct query q_replacement = {
	"INSERT INTO code_replacements (pile_id, old_code, old_code_id, new_code, new_code_id, reason,"
	" note, form_key, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP())",
	"ls?lsls?s?sl", ""
};

static bool
reason_ok(const char *s)
{
	return s && (strcmp(s, "lost") == 0 || strcmp(s, "damaged") == 0 || strcmp(s, "other") == 0);
}

const char *
pile_replace_code(struct req *r, const struct pile_code_replace *in, char *new_code, size_t new_len,
    const char **field)
{
	struct db_cur c;
	char old[CODE_MAX + 1] = "", prefix[8] = "", segment[8] = "";
	int64_t old_id = 0, rule_id = in->rule_id, serial = 0, batch, code_id, rc;
	int64_t uid = r->user->id;
	struct code_rule rule;
	int year = 0;
	bool found = false, old_void = false, enabled = false;

	*field = NULL;
	if (new_len > 0)
		new_code[0] = '\0';
	if (!reason_ok(in->reason)) {
		*field = "reason";
		return "err.choice";
	}
	if (db_open(&c, &q_pile_code_lock, in->pile_id) < 0)
		return model_failed("pile lock failed");
	if (db_next(&c)) {
		found = true;
		snprintf(old, sizeof(old), "%s", db_str(&c, 0));
	}
	db_close(&c);
	if (!found)
		return "err.not_found";
	if (in->expect_code == NULL || strcmp(in->expect_code, old) != 0)
		return "err.qr_code_changed";
	if (db_open(&c, &q_old_code, old) < 0)
		return model_failed("code lock failed");
	if (db_next(&c)) {
		old_id = db_i64(&c, 0);
		old_void = strcmp(db_str(&c, 1), "void") == 0;
		if (rule_id == 0)
			rule_id = db_i64(&c, 2);
	}
	db_close(&c);
	if (rule_id == 0) {
		*field = "rule_id";
		return "err.qr_rule_needed";
	}
	found = false;
	if (db_open(&c, &q_regen_rule, rule_id) < 0)
		return model_failed("rule lock failed");
	if (db_next(&c)) {
		found = true;
		snprintf(prefix, sizeof(prefix), "%s", db_str(&c, 0));
		snprintf(segment, sizeof(segment), "%s", db_str(&c, 1));
		rule = (struct code_rule){ prefix, segment, db_int(&c, 2), db_int(&c, 3),
			db_int(&c, 4) != 0 };
		serial = db_i64(&c, 5);
		year = db_int(&c, 6);
		enabled = db_int(&c, 7) != 0;
	}
	db_close(&c);
	if (!found || !enabled) {
		*field = "rule_id";
		return found ? "err.qr_rule_disabled" : "err.ref";
	}
	if (code_build(&rule, year, serial, new_code, new_len) != CODE_OK) {
		*field = "rule_id";
		return "err.qr_capacity";
	}
	/* Another rule (or a typed-in pile) has this code already: the whole
	 * change rolls back, so the user picks another rule. */
	if (db_scalar(0, &q_code_in_use, new_code, new_code) > 0) {
		*field = "rule_id";
		return "err.qr_collision";
	}
	if (db_exec(&q_regen_batch, rule_id, serial, year,
	    arena_printf(r->arena, "二维码重生 %s → %s", old, new_code), uid) < 0)
		return model_failed("regeneration batch failed");
	batch = db_insert_id();
	if (db_exec(&q_regen_bump, rule_id) < 0)
		return model_failed("rule bump failed");
	rc = db_exec(&q_regen_code, new_code, batch, serial, in->pile_id);
	if (rc == DB_DUP) {
		*field = "rule_id";
		return "err.qr_collision";
	}
	if (rc < 0)
		return model_failed("new code insert failed");
	code_id = db_insert_id();
	/* The void code keeps the pile it belonged to (history); the pile now
	 * carries the new one. */
	if (old_id && !old_void && db_exec(&q_void, in->reason, code_id, in->pile_id, old_id) < 0)
		return model_failed("void failed");
	if (db_exec(&q_relink, new_code, in->pile_id) != 1)
		return model_failed("relink failed");
	rc = db_exec(&q_replacement, in->pile_id, old, old_id ? &old_id : NULL, new_code, code_id,
	    in->reason, in->note, in->form_key, uid);
	if (rc == DB_DUP) {
		*field = NULL;
		return "err.qr_form_used";
	}
	if (rc < 0)
		return model_failed("replacement record failed");
	pile_post_code(r, "code_replace", in->pile_id, NULL, NULL,
	    arena_printf(r->arena, "%s → %s (%s)", old, new_code, tpl_lang(r, arena_printf(r->arena,
	    "enum.qr_void_reason.%s", in->reason))), old, new_code);
	audit_write(r, "pile", in->pile_id, AUDIT_UPDATE, "code", old, new_code);
	return NULL;
}

