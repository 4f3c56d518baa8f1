/*
 * batch.c — generating codes (二维码生成, F3): a batch of 1-10000 codes
 * of one rule.
 *
 * Creation is two steps, each in its own short transaction, so that no
 * lock is held while thousands of rows are written:
 *   1. reserve: lock the rule row (SELECT … FOR UPDATE), take the serials
 *      next_serial .. next_serial + count - 1, raise next_serial, insert the
 *      batch as 'pending'.  Two users generating from one rule at once get
 *      disjoint ranges; serials are never reused, even if a batch fails.
 *   2. generate: codes are built in C (model/code.c) and inserted CHUNK at a
 *      time through one literal statement — the chunk travels as a JSON
 *      array that JSON_TABLE turns into rows — each chunk committed with the
 *      batch's done_count, so progress is visible and a batch cut short (a
 *      worker killed, the time budget used up) resumes where it stopped
 *      (POST /qr/batches/:id/generate).
 * 10,000 codes take well under the budget (see tests/bench/labels.sh).
 *
 * A repeated submit of the same form (double click, browser retry) carries
 * the same form_key and lands on the batch the first one made.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/log.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/tpl.h"
#include "model/code.h"

#include "qrcode/qrcode.h"

#define CHUNK 1000		/* codes per INSERT and per transaction */
#define BUDGET_MS 20000		/* stop generating after this; the batch page resumes */
#define MAX_COUNT 10000

static const char *const batch_states[] = { "pending", "generating", "done", NULL };

enum { B_RULE, B_COUNT, B_NOTE, B__MAX };

static const struct query q_ref_rule = {
	"SELECT COUNT(*) FROM code_rules WHERE id = ? AND enabled = 1 AND (? OR company_id = ?)",
	"lil", "l"
};

static const struct field fields[B__MAX] = {
	[B_RULE] = { "rule_id", FT_REF, F_REQ, 0, 0, 0, 0, NULL, NULL, &q_ref_rule, "rules" },
	[B_COUNT] = { "count", FT_INT, F_REQ, 5, 1, MAX_COUNT, 0, NULL, NULL, NULL, NULL },
	[B_NOTE] = { "note", FT_TEXT, 0, 200, 0, 0, 0, NULL, NULL, NULL, NULL },
};

/* ---------------------------------------------------------------- list */

static const struct list_col cols[] = {
	{ "batch_no", 'n', NULL },
	{ "rule", 't', NULL },
	{ "company", 't', NULL },
	{ "count", 'n', NULL },
	{ "done_count", 'n', NULL },
	{ "state", 'e', "qr_batch_state" },
	{ "created_by", 't', NULL },
	{ "created_at", 't', NULL },
	{ "note", 't', NULL },
};

static const struct list_filter filters[] = {
	{ "rule_id", " AND b.rule_id = ?", 'l', "rules", NULL, NULL },
	{ "state", " AND b.state = ?", 's', NULL, "qr_batch_state", batch_states },
	{ "from", " AND b.created_at >= " SQL_UTC("?"), 'd', NULL, NULL, NULL },
	{ "to", " AND b.created_at < " SQL_UTC("? + INTERVAL 1 DAY"), 'd', NULL, NULL, NULL },
};

static const struct list_sort sorts[] = {
	{ "batch_no", "b.id", NULL },
	{ "rule", "r.name, b.id", NULL },
	{ "count", "b.count", NULL },
	{ "state", "b.state, b.id", NULL },
};

static const struct query q_opt_rules = {
	"SELECT id, name, prefix, segment, year_digits, serial_width, check_char, next_serial,"
	" YEAR(" SQL_TODAY ") FROM code_rules"
	" WHERE enabled = 1 AND (? OR company_id = ?) ORDER BY name",
	"il", "lsssiiili"
};

/* Page.opts.rules: each enabled rule in scope, labelled with the code its
 * next batch starts at, so the user sees what will be printed.  Returns
 * how many. */
static int
options(struct req *r)
{
	struct db_cur c;
	int n = 0;

	if (db_open(&c, &q_opt_rules, SCOPE_ARGS(r)) < 0)
		return 0;	/* logged; the request is a 500 */
	while (db_next(&c)) {
		struct code_rule rule = { db_str(&c, 2), db_str(&c, 3), db_int(&c, 4),
			db_int(&c, 5), db_int(&c, 6) != 0 };
		char code[CODE_MAX + 1];

		code_build(&rule, db_int(&c, 8), db_i64(&c, 7), code, sizeof(code));
		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)),
		    "Page.opts.rules.%d.id", n);
		tpl_setf(r, arena_printf(r->arena, "%s · %s %s", db_str(&c, 1),
		    tpl_lang(r, "qr.next_code"), code), "Page.opts.rules.%d.label", n);
		n++;
	}
	db_close(&c);
	return n;
}

static void
rule_opts(struct req *r)
{
	(void)options(r);
}

static const struct resource batch_res = {
	.name = "qr_batch", .module = "qrcode", .base = "/qr/batches", .menu = "qr.batch",
	.view_perm = PERM_QR, .edit_perm = PERM_QR,
	.list_sql = "SELECT b.id, b.id, r.name, co.name, b.count, b.done_count, b.state, u.name,"
	    " DATE_FORMAT(" SQL_LOCAL("b.created_at") ", '%Y-%m-%d %H:%i'), b.note"
	    " FROM qr_batches b JOIN code_rules r ON r.id = b.rule_id"
	    " JOIN companies co ON co.id = r.company_id JOIN users u ON u.id = b.created_by"
	    " WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM qr_batches b JOIN code_rules r ON r.id = b.rule_id WHERE 1=1",
	.scope_sql = SCOPE_COMPANY("r.company_id"),
	.cols = cols, .ncols = 9,
	.filters = filters, .nfilters = 4,
	.sorts = sorts, .nsorts = 4,
	.desc_default = 1,
	.options = rule_opts,
};

int
batch_list(struct req *r)
{
	int status = crud_list(r, &batch_res);

	if (status == 200) {
		static const char *const keys[] = { "created", NULL };

		qr_flash(r, keys);
		/* The generic list, with a batch's own actions instead of "edit". */
		tpl_set(r, "Page.new_label", tpl_lang(r, "qr.new_batch"));
		tpl_set(r, "Page.row_actions.0.suffix", "");
		tpl_set(r, "Page.row_actions.0.label", tpl_lang(r, "qr.view"));
		tpl_set(r, "Page.row_actions.0.class", "btn-outline-primary");
		tpl_set(r, "Page.row_actions.1.suffix", "/labels?layout=a4&page=1");
		tpl_set(r, "Page.row_actions.1.label", tpl_lang(r, "qr.print_labels"));
		tpl_set(r, "Page.row_actions.1.class", "btn-outline-secondary");
	}
	return status;
}

int
batch_export(struct req *r)
{
	return crud_export(r, &batch_res);
}

/* ---------------------------------------------------------------- form */

static const struct query q_rules_in_scope = {
	"SELECT COUNT(*) FROM code_rules WHERE (? OR company_id = ?)", "il", "l"
};

/* No enabled rule to choose (issue 10: the empty list said only "必填"):
 * Page.no_rule says why — no rule defined for the user's company yet
 * ("none"), or every one disabled ("disabled") — and Page.can_rule whether
 * this user may define or enable one (the rule pages' permission,
 * routes.c); the form is shown disabled. */
static void
no_rule(struct req *r)
{
	int64_t n = db_scalar(0, &q_rules_in_scope, SCOPE_ARGS(r));
	const char *sent = req_form(r, "rule_id");

	tpl_set(r, "Page.no_rule", n > 0 ? "disabled" : "none");
	if (user_can(r, PERM_QR))
		tpl_set(r, "Page.can_rule", "1");
	/* "必填" for a rule nobody could choose: say why instead. */
	if (tpl_get(r, "Page.errors.rule_id") && (sent == NULL || *sent == '\0'))
		form_error(r, "rule_id", n > 0 ? "err.qr_rules_disabled" : "err.qr_no_rule");
}

static int
show_form(struct req *r, const char *key, int status)
{
	if (options(r) == 0)
		no_rule(r);
	tpl_set(r, "Page.form.form_key", key);
	tpl_set(r, "Page.menu", "qr.batch");
	tpl_set(r, "Page.title", tpl_lang(r, "qr.new_batch"));
	tpl_set(r, "Page.view", "qrcode/batch_form.cs");
	return status;
}

int
batch_new(struct req *r)
{
	tpl_set(r, "Page.form.count", "100");
	return show_form(r, auth_random_token(r), 200);
}

static const struct query q_by_key = {
	"SELECT id FROM qr_batches WHERE form_key = ? AND created_by = ?", "sl", "l"
};
static const struct query q_rule_lock = {
	"SELECT prefix, segment, year_digits, serial_width, check_char, next_serial,"
	" YEAR(" SQL_TODAY ")"
	" FROM code_rules WHERE id = ? AND enabled = 1 AND (? OR company_id = ?) FOR UPDATE",
	"lil", "ssiiili"
};
static const struct query q_insert_batch = {
	"INSERT INTO qr_batches (rule_id, count, first_serial, year, state, form_key, note, created_by)"
	" VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)",
	"llli?s?sl", ""
};
static const struct query q_bump = {
	"UPDATE code_rules SET next_serial = next_serial + ? WHERE id = ?", "ll", ""
};

static int
redirect_batch(struct req *r, int64_t id, const char *flash)
{
	return req_redirect(r, arena_printf(r->arena, "/qr/batches/%lld?flash=%s",
	    (long long)id, flash));
}

/* Step 1: reserve the serial range and create the batch.  The batch id,
 * 0 when the form was refused (errors set), or -1 on a database failure. */
static int64_t
reserve(struct req *r, const struct fval *v, const char *key)
{
	for (int attempt = 0; attempt < 3; attempt++) {
		struct db_cur c;
		struct code_rule rule;
		int64_t next = 0, id, rc;
		int year = 0;
		bool found = false;
		char prefix[8] = "", segment[8] = "";
		int64_t uid = r->user->id;

		if (db_begin() != 0)
			return -1;
		if (db_open(&c, &q_rule_lock, v[B_RULE].i, SCOPE_ARGS(r)) < 0) {
			db_rollback();
			continue;
		}
		if (db_next(&c)) {
			found = true;
			snprintf(prefix, sizeof(prefix), "%s", db_str(&c, 0));
			snprintf(segment, sizeof(segment), "%s", db_str(&c, 1));
			rule = (struct code_rule){ prefix, segment, db_int(&c, 2), db_int(&c, 3),
				db_int(&c, 4) != 0 };
			next = db_i64(&c, 5);
			year = db_int(&c, 6);
		}
		db_close(&c);
		if (!found) {
			db_rollback();
			form_error(r, "rule_id", "err.ref");
			return 0;
		}
		if (next + v[B_COUNT].i - 1 > code_rule_max_serial(&rule)) {
			db_rollback();
			form_error(r, "count", "err.qr_capacity");
			tpl_set_int(r, "Page.capacity_left", code_rule_max_serial(&rule) - next + 1);
			return 0;
		}
		rc = db_exec(&q_insert_batch, v[B_RULE].i, v[B_COUNT].i, next, year, key,
		    v[B_NOTE].null ? NULL : v[B_NOTE].s, uid);
		if (rc == DB_RETRY) {
			db_rollback();
			continue;
		}
		if (rc == DB_DUP) {
			/* The same form submitted twice at the same moment. */
			db_rollback();
			return -2;
		}
		if (rc < 0) {
			db_rollback();
			return -1;
		}
		id = db_insert_id();
		if (db_exec(&q_bump, v[B_COUNT].i, v[B_RULE].i) < 0) {
			db_rollback();
			continue;
		}
		audit_write(r, "qr_batch", id, AUDIT_CREATE, NULL, NULL,
		    arena_printf(r->arena, "%lld", (long long)v[B_COUNT].i));
		rc = db_commit();
		if (rc == 0)
			return id;
		db_rollback();
		if (rc != DB_RETRY)
			return -1;
	}
	return -1;
}

static const struct query q_batch_lock = {
	"SELECT rule_id, count, done_count, first_serial, year FROM qr_batches"
	" WHERE id = ? FOR UPDATE", "l", "liili"
};
static const struct query q_rule_format = {
	"SELECT prefix, segment, year_digits, serial_width, check_char FROM code_rules WHERE id = ?",
	"l", "ssiii"
};
/* One chunk: the codes arrive as a JSON array; ordinality gives the serial. */
static const struct query q_insert_codes = {
	"INSERT INTO qr_codes (code, batch_id, serial)"
	" SELECT j.code, ?, ? + j.n - 1 FROM JSON_TABLE(?, '$[*]'"
	" COLUMNS (n FOR ORDINALITY, code VARCHAR(32) PATH '$')) AS j",
	"lls", ""
};
static const struct query q_progress = {
	"UPDATE qr_batches SET done_count = ?, state = ? WHERE id = ?", "isl", ""
};

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

enum gen_result { GEN_DONE, GEN_PARTIAL, GEN_COLLISION, GEN_ERROR };

/* Step 2: insert the batch's missing codes, chunk by chunk, each chunk in
 * its own transaction; stops after BUDGET_MS with the rest for later. */
static enum gen_result
generate(struct req *r, int64_t id)
{
	struct timespec t0;
	struct buf json;
	int retries = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	buf_init(&json, r->arena, (size_t)CHUNK * (CODE_MAX + 3) + 4);
	for (;;) {
		struct db_cur c;
		struct code_rule rule;
		char prefix[8] = "", segment[8] = "", code[CODE_MAX + 1];
		int64_t rule_id = 0, first = 0, rc;
		int count = 0, done = 0, year = 0, n;
		bool found = false;

		if (db_begin() != 0)
			return GEN_ERROR;
		if (db_open(&c, &q_batch_lock, id) < 0)
			goto retry;
		if (db_next(&c)) {
			found = true;
			rule_id = db_i64(&c, 0);
			count = db_int(&c, 1);
			done = db_int(&c, 2);
			first = db_i64(&c, 3);
			year = db_int(&c, 4);
		}
		db_close(&c);
		if (!found || done >= count) {
			db_commit();
			return found ? GEN_DONE : GEN_ERROR;
		}
		if (db_open(&c, &q_rule_format, rule_id) < 0)
			goto retry;
		if (db_next(&c)) {
			snprintf(prefix, sizeof(prefix), "%s", db_str(&c, 0));
			snprintf(segment, sizeof(segment), "%s", db_str(&c, 1));
			rule = (struct code_rule){ prefix, segment, db_int(&c, 2), db_int(&c, 3),
				db_int(&c, 4) != 0 };
		} else
			found = false;
		db_close(&c);
		if (!found) {
			db_rollback();
			return GEN_ERROR;
		}

		n = count - done < CHUNK ? count - done : CHUNK;
		buf_clear(&json);
		buf_putc(&json, '[');
		for (int i = 0; i < n; i++) {
			if (code_build(&rule, year, first + done + i, code, sizeof(code)) != CODE_OK) {
				log_err("batch %lld: serial %lld does not fit its rule", (long long)id,
				    (long long)(first + done + i));
				db_rollback();
				return GEN_ERROR;
			}
			/* Codes are [0-9A-Z]: nothing to escape. */
			if (i)
				buf_putc(&json, ',');
			buf_putc(&json, '"');
			buf_puts(&json, code);
			buf_putc(&json, '"');
		}
		buf_putc(&json, ']');
		rc = db_exec(&q_insert_codes, id, first + done, json.data);
		if (rc == DB_DUP) {
			db_rollback();
			return GEN_COLLISION;
		}
		if (rc < 0 && rc != DB_RETRY) {
			db_rollback();
			return GEN_ERROR;
		}
		if (rc < 0 || db_exec(&q_progress, done + n, done + n >= count ? "done" : "generating",
		    id) < 0)
			goto retry;
		rc = db_commit();
		if (rc != 0) {
			db_rollback();
			if (rc != DB_RETRY)
				return GEN_ERROR;
			if (++retries > 5)
				return GEN_PARTIAL;
			continue;
		}
		if (done + n >= count)
			return GEN_DONE;
		if (elapsed_ms(&t0) > BUDGET_MS)
			return GEN_PARTIAL;
		continue;
retry:
		db_rollback();
		if (++retries > 5)
			return GEN_PARTIAL;
	}
}

/* After generate(): where the user goes. */
static int
after_generate(struct req *r, int64_t id, enum gen_result g, const char *flash)
{
	switch (g) {
	case GEN_DONE:
		return redirect_batch(r, id, flash);
	case GEN_PARTIAL:
		return redirect_batch(r, id, "partial");
	case GEN_COLLISION:
		/* Another rule makes the same codes: the user must change a rule. */
		return redirect_batch(r, id, "collision");
	default:
		return 500;
	}
}

int
batch_create(struct req *r)
{
	struct fval v[B__MAX];
	const char *key = auth_form_key(r, "form_key");
	int64_t id;

	if (key && (id = db_scalar(0, &q_by_key, key, r->user->id)) > 0)
		return redirect_batch(r, id, "exists");
	if (form_read(r, fields, B__MAX, v) > 0)
		return show_form(r, key ? key : auth_random_token(r), 422);
	id = reserve(r, v, key);
	if (id == -2 && key && (id = db_scalar(0, &q_by_key, key, r->user->id)) > 0)
		return redirect_batch(r, id, "exists");
	if (id == 0)
		return show_form(r, key ? key : auth_random_token(r), 422);
	if (id < 0)
		return 500;
	return after_generate(r, id, generate(r, id), "created");
}

static const struct query q_batch_in_scope = {
	"SELECT COUNT(*) FROM qr_batches b JOIN code_rules r ON r.id = b.rule_id"
	" WHERE b.id = ?" SCOPE_COMPANY("r.company_id"), "lil", "l"
};

int
batch_generate(struct req *r)
{
	int64_t id;

	if (req_arg_id(r, 0, &id) != 0 ||
	    db_scalar(0, &q_batch_in_scope, id, SCOPE_ARGS(r)) == 0)
		return 404;
	return after_generate(r, id, generate(r, id), "generated");
}

/* ---------------------------------------------------------------- one batch */

static const struct query q_show = {
	"SELECT b.id, b.count, b.done_count, b.state, b.first_serial, b.year, b.note,"
	" DATE_FORMAT(" SQL_LOCAL("b.created_at") ", '%Y-%m-%d %H:%i'), r.id, r.name, co.name,"
	" u.name, r.prefix, r.segment, r.year_digits, r.serial_width, r.check_char"
	" FROM qr_batches b JOIN code_rules r ON r.id = b.rule_id"
	" JOIN companies co ON co.id = r.company_id JOIN users u ON u.id = b.created_by"
	" WHERE b.id = ?" SCOPE_COMPANY("r.company_id"),
	"lil", "liislissssssssiii"
};
static const struct query q_states = {
	"SELECT state, COUNT(*) FROM qr_codes WHERE batch_id = ? GROUP BY state", "l", "sl"
};

int
batch_show(struct req *r)
{
	static const char *const keys[] = { "created", "exists", "generated", "partial", "collision",
		"piles_created", "piles_exist", NULL };
	struct db_cur c;
	int64_t id, first = 0;
	int count = 0, done = 0, year = 0;
	bool found = false;
	struct code_rule rule;
	char prefix[8] = "", segment[8] = "", code[CODE_MAX + 1];

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if (db_open(&c, &q_show, id, SCOPE_ARGS(r)) < 0)
		return 500;
	if (db_next(&c)) {
		static const char *const names[] = {
			NULL, NULL, NULL, "state", NULL, NULL, "note", "created_at", "rule_id",
			"rule", "company", "created_by"
		};

		found = true;
		count = db_int(&c, 1);
		done = db_int(&c, 2);
		first = db_i64(&c, 4);
		year = db_int(&c, 5);
		for (int i = 0; i < 12; i++)
			if (names[i])
				tpl_set(r, arena_printf(r->arena, "Page.batch.%s", names[i]), db_str(&c, i));
		snprintf(prefix, sizeof(prefix), "%s", db_str(&c, 12));
		snprintf(segment, sizeof(segment), "%s", db_str(&c, 13));
		rule = (struct code_rule){ prefix, segment, db_int(&c, 14), db_int(&c, 15),
			db_int(&c, 16) != 0 };
		tpl_set(r, "Page.batch.state_label", tpl_lang(r, arena_printf(r->arena,
		    "enum.qr_batch_state.%s", db_str(&c, 3))));
	}
	db_close(&c);
	if (!found)
		return 404;
	tpl_set_int(r, "Page.batch.id", id);
	tpl_set_int(r, "Page.batch.count", count);
	tpl_set_int(r, "Page.batch.done_count", done);
	tpl_set_int(r, "Page.batch.percent", count ? (int64_t)done * 100 / count : 0);
	if (code_build(&rule, year, first, code, sizeof(code)) == CODE_OK)
		tpl_set(r, "Page.batch.first_code", code);
	if (code_build(&rule, year, first + count - 1, code, sizeof(code)) == CODE_OK)
		tpl_set(r, "Page.batch.last_code", code);
	if (db_open(&c, &q_states, id) == 0) {
		while (db_next(&c))
			tpl_set(r, arena_printf(r->arena, "Page.batch.codes_%s",
			    strcmp(db_str(&c, 0), "bound") == 0 ? "bound" :
			    strcmp(db_str(&c, 0), "void") == 0 ? "void" : "unused"),
			    arena_printf(r->arena, "%lld", (long long)db_i64(&c, 1)));
		db_close(&c);
	}
	tpl_set_int(r, "Page.pages", ((int64_t)done + LABELS_PER_PAGE - 1) / LABELS_PER_PAGE);
	batch_codes_fill(r, id);
	qr_flash(r, keys);
	{
		const char *f = req_query(r, "flash");
		int64_t n = 0;

		if (f && strcmp(f, "piles_created") == 0 && req_int64(r, "n", &n) == 0 && n > 0)
			tpl_set(r, "Page.flash", arena_printf(r->arena, "%s%lld",
			    tpl_lang(r, "flash.qr_piles_created"), (long long)n));

		if (f && (strcmp(f, "partial") == 0 || strcmp(f, "collision") == 0))
			tpl_set(r, "Page.flash_kind", "warning");
	}
	tpl_set(r, "Page.menu", "qr.batch");
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s #%lld", tpl_lang(r, "res.qr_batch"),
	    (long long)id));
	tpl_set(r, "Page.view", "qrcode/batch_show.cs");
	return 200;
}
