/*
 * pile_batch.c — what the pile list does with the rows ticked on a page
 * (issue 10 §2): print their QR labels, export them, move them to another
 * state.  The list (pile.c, views/asset/pile_batch_bar.cs) posts the ticked
 * ids to one of three routes, each with its own permission in routes.c.
 *
 *   labels  the ids go to ca-qrcode's sheet (/qr/piles/labels?ids=…),
 *           where each label is the pile's own SVG as on its card;
 *   export  the list's columns (pile_list.h) of those of the piles the
 *           user may see, as CSV or Excel, values as stored;
 *   state   each pile, in id order (rows lock in one order), is checked
 *           and changed by the single-pile path of the phone's maintenance
 *           page, pile_maintain() in model/pile.c (its state rule, update
 *           records and ledger), or refused with its reason — a pile is
 *           written whole or not at all; a database error rolls the whole
 *           run back.  The run and its lines are kept (migration 0041) and
 *           shown at /asset/piles/batch/:id: "已更新 N 个，M 个未更新" with
 *           every refused pile and why.  The list page's form key plus a
 *           digest of what was asked identify a run, so a repeated submit
 *           (a double click, a reload) lands on the first run and changes
 *           nothing again, while another selection made from a page the
 *           response cache replayed (same key) is a run of its own.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/export.h"
#include "core/log.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"
#include "model/model.h"
#include "model/pile.h"
#include "model/pile_update.h"

#include "asset/asset.h"
#include "asset/pile_list.h"

#define BATCH_MAX 100		/* the longest page of the list */
#define LIST_PATH "/asset/piles"

/* The states a batch may move piles to: those the pile form may (its rule). */
static const char *const to_states[] = { "installed", "operating", "repair", NULL };

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The refusal page: why, and the way back to the list. */
static int
refuse(struct req *r, int status, const char *key)
{
	const char *back = pile_list_back(r, req_form(r, "back"));

	tpl_set(r, "Page.error", tpl_lang(r, key));
	tpl_set(r, "Page.back", back ? back : LIST_PATH);
	tpl_set(r, "Page.menu", "asset.pile");
	tpl_set(r, "Page.title", tpl_lang(r, "batch.title"));
	tpl_set(r, "Page.view", "asset/pile_batch.cs");
	return status;
}

/*
 * The ticked ids (body parameters "ids"): distinct, ascending, at most
 * BATCH_MAX, into ids[]; *json is them as a JSON array and *csv comma
 * separated (arena).  0, or a language key of what is wrong.
 */
static const char *
read_ids(struct req *r, int64_t *ids, int *n, const char **json, const char **csv)
{
	struct buf j, c;

	*n = 0;
	for (struct param *p = r->form; p; p = p->next) {
		int64_t v;
		bool seen = false;

		if (strcmp(p->name, "ids") != 0)
			continue;
		if (text_int64(p->value, &v) != 0 || v <= 0)
			return "err.batch_ids";
		for (int i = 0; i < *n; i++)
			seen |= ids[i] == v;
		if (seen)
			continue;
		if (*n == BATCH_MAX)
			return "err.batch_too_many";
		ids[(*n)++] = v;
	}
	if (*n == 0)
		return "err.batch_none";
	qsort(ids, (size_t)*n, sizeof(ids[0]), cmp_id);
	buf_init(&j, r->arena, (size_t)*n * 12 + 4);
	buf_init(&c, r->arena, (size_t)*n * 12 + 4);
	buf_putc(&j, '[');
	for (int i = 0; i < *n; i++) {
		buf_printf(&j, "%s%lld", i ? "," : "", (long long)ids[i]);
		buf_printf(&c, "%s%lld", i ? "," : "", (long long)ids[i]);
	}
	buf_putc(&j, ']');
	*json = j.data;
	*csv = c.data;
	return NULL;
}

/* ---- labels: ca-qrcode prints them */

int
pile_batch_labels(struct req *r)
{
	int64_t ids[BATCH_MAX];
	const char *json, *csv, *bad;
	int n;

	if ((bad = read_ids(r, ids, &n, &json, &csv)) != NULL)
		return refuse(r, 422, bad);
	return req_redirect(r, arena_printf(r->arena, "/qr/piles/labels?ids=%s", csv));
}

/* ---- export: the list's columns of the ticked piles the user may see */

static const struct query q_export = {
	PILE_LIST_SQL
	" AND p.id IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) AS j)"
	SCOPE_COMPANY("p.company_id") " ORDER BY p.code",
	"sil", "lssssssssssss"
};

int
pile_batch_export(struct req *r)
{
	const struct resource *res = pile_resource();
	const char *fmt = req_form(r, "fmt"), *json, *csv, *bad;
	const char *labels[16], *cells[16];
	int64_t ids[BATCH_MAX];
	struct export *e;
	struct db_cur c;
	int n;

	if ((bad = read_ids(r, ids, &n, &json, &csv)) != NULL)
		return refuse(r, 422, bad);
	if (fmt && *fmt && strcmp(fmt, "csv") != 0 && strcmp(fmt, "xlsx") != 0)
		return refuse(r, 422, "err.batch_fmt");
	if (res->ncols > 16) {
		log_err("pile list has %d columns, its export at most 16", res->ncols);
		return 500;	/* a programming error: answered, never an exit */
	}
	for (int i = 0; i < res->ncols; i++)
		labels[i] = tpl_lang(r, arena_printf(r->arena, "f.%s", res->cols[i].name));
	e = export_begin(r, fmt && strcmp(fmt, "xlsx") == 0 ? EXPORT_XLSX : EXPORT_CSV,
	    tpl_lang(r, "res.pile"), labels, res->ncols);
	if (e == NULL || db_open(&c, &q_export, json, SCOPE_ARGS(r)) < 0)
		return 500;
	while (db_next(&c)) {
		for (int i = 0; i < res->ncols; i++) {
			const char *v = db_str(&c, i + 1);

			/* As the list's export writes them: states by their label. */
			cells[i] = res->cols[i].kind == 'e' && *v ? arena_strdup(r->arena,
			    tpl_lang(r, arena_printf(r->arena, "enum.%s.%s", res->cols[i].enum_set, v))) :
			    arena_strdup(r->arena, v);
		}
		export_row(e, cells);
	}
	db_close(&c);
	return export_end(e, tpl_lang(r, "res.pile"));
}

/* ---- state: each pile through the single-pile path */

static const struct query q_run_insert = {
	"INSERT INTO pile_batch_runs (user_id, form_key, digest, to_state, back, created_at)"
	" VALUES (?, ?, SHA2(CONCAT(?, ':', ?), 256), ?, ?, UTC_TIMESTAMP())",
	"lssss?s", ""
};
/* A locking read: sees the twin's run once it committed, whatever the snapshot. */
static const struct query q_run_seen = {
	"SELECT id FROM pile_batch_runs WHERE user_id = ? AND form_key = ?"
	" AND digest = SHA2(CONCAT(?, ':', ?), 256) FOR UPDATE",
	"lsss", "l"
};
static const struct query q_pile_lock = {
	"SELECT code, state, version, COALESCE(charging_mode, ''), COALESCE(comm_method, ''),"
	" COALESCE(sw_version, ''), COALESCE(hw_version, ''), COALESCE(tariff, '')"
	" FROM piles WHERE id = ?" SCOPE_COMPANY("company_id") " FOR UPDATE",
	"lil", "ssisssss"
};
static const struct query q_item = {
	"INSERT INTO pile_batch_items (run_id, pile_id, code, from_state, outcome, reason)"
	" VALUES (?, ?, ?, ?, ?, ?)", "ll?s?ss?s", ""
};
static const struct query q_run_counts = {
	"UPDATE pile_batch_runs SET updated = ?, refused = ? WHERE id = ?", "iil", ""
};
/* Runs are kept 30 days: the answer to any repeat of the submit. */
static const struct query q_run_gc = {
	"DELETE FROM pile_batch_runs WHERE created_at < UTC_TIMESTAMP() - INTERVAL 30 DAY LIMIT 100",
	"", ""
};

/* One pile: NULL when changed, else why not (a language key, nothing written). */
static const char *
move_one(struct req *r, int64_t id, const char *to, const char **code, const char **from)
{
	struct pile_change m = { .edit = PE_MAINTAIN };
	struct db_cur c;
	const char *why, *field;
	bool found = false;

	*code = *from = NULL;
	if (db_open(&c, &q_pile_lock, id, SCOPE_ARGS(r)) < 0)
		return "err.batch_failed";
	if (db_next(&c)) {
		found = true;
		*code = arena_strdup(r->arena, db_str(&c, 0));
		*from = arena_strdup(r->arena, db_str(&c, 1));
		/* Everything as it is but the state, as the phone's form would send
		 * it: the one update path of model/pile_update.c. */
		m.version = db_int(&c, 2);
		m.v[PF_STATE] = to;
		m.v[PF_CHARGING_MODE] = arena_strdup(r->arena, db_str(&c, 3));
		m.v[PF_COMM_METHOD] = arena_strdup(r->arena, db_str(&c, 4));
		m.v[PF_SW] = arena_strdup(r->arena, db_str(&c, 5));
		m.v[PF_HW] = arena_strdup(r->arena, db_str(&c, 6));
		m.v[PF_TARIFF] = arena_strdup(r->arena, db_str(&c, 7));
	}
	db_close(&c);
	if (!found)
		return "err.batch_not_found";
	if (strcmp(*from, to) == 0)
		return "err.batch_same_state";
	why = pile_apply_change(r, id, &m, &field);
	return why && strcmp(why, MODEL_FAILED) == 0 ? "err.batch_failed" : why;
}

int
pile_batch_state(struct req *r)
{
	const char *key = auth_form_key(r, "form_key"), *to = req_form(r, "to_state");
	const char *json, *csv, *bad, *back = pile_list_back(r, req_form(r, "back"));
	int64_t ids[BATCH_MAX], run, rc;
	int n, updated = 0, refused = 0;
	bool state_ok = false;

	for (int i = 0; to && to_states[i]; i++)
		state_ok |= strcmp(to, to_states[i]) == 0;
	if ((bad = read_ids(r, ids, &n, &json, &csv)) != NULL)
		return refuse(r, 422, bad);
	if (!state_ok)
		return refuse(r, 422, "err.batch_state");
	if (key == NULL)
		return refuse(r, 422, "err.batch_key");
	rc = db_exec(&q_run_insert, r->user->id, key, to, json, to, back);
	if (rc == DB_RETRY)
		return APP_RETRY;
	if (rc == DB_DUP) {
		/* Submitted before: show that run, change nothing. */
		if ((run = db_scalar(0, &q_run_seen, r->user->id, key, to, json)) <= 0)
			return 500;
		return req_redirect(r, arena_printf(r->arena, "/asset/piles/batch/%lld",
		    (long long)run));
	}
	if (rc < 0)
		return 500;
	run = db_insert_id();
	for (int i = 0; i < n && !db_tx_doomed(); i++) {
		const char *code, *from, *why = move_one(r, ids[i], to, &code, &from);

		if (why)
			refused++;
		else
			updated++;
		if (db_exec(&q_item, run, ids[i], code, from, why ? "refused" : "updated", why) < 0)
			break;
	}
	if (db_tx_doomed())
		return 500;	/* the dispatcher rolls back (and retries a deadlock) */
	if (db_exec(&q_run_counts, updated, refused, run) != 1 || db_exec(&q_run_gc) < 0)
		return 500;
	return req_redirect(r, arena_printf(r->arena, "/asset/piles/batch/%lld", (long long)run));
}

/* ---- the run's result */

static const struct query q_run = {
	"SELECT to_state, updated, refused, COALESCE(back, ''),"
	" DATE_FORMAT(" SQL_LOCAL("created_at") ", '%Y-%m-%d %H:%i')"
	" FROM pile_batch_runs WHERE id = ? AND user_id = ?",
	"ll", "siiss"
};
static const struct query q_items = {
	"SELECT pile_id, COALESCE(code, ''), COALESCE(from_state, ''), outcome, COALESCE(reason, '')"
	" FROM pile_batch_items WHERE run_id = ? ORDER BY outcome = 'updated', code, pile_id",
	"l", "lssss"
};

/* "已更新 {n} 个，{m} 个未更新" with the numbers in. */
static const char *
summary(struct req *r, int updated, int refused)
{
	const char *fmt = tpl_lang(r, refused ? "batch.summary" : "batch.summary_all");
	struct buf b;

	buf_init(&b, r->arena, strlen(fmt) + 16);
	for (const char *p = fmt; *p; p++) {
		if (strncmp(p, "{n}", 3) == 0 || strncmp(p, "{m}", 3) == 0) {
			buf_printf(&b, "%d", p[1] == 'n' ? updated : refused);
			p += 2;
		} else
			buf_putc(&b, *p);
	}
	return b.data;
}

int
pile_batch_show(struct req *r)
{
	struct db_cur c;
	int64_t id;
	int n = 0, updated = 0, refused = 0;
	bool found = false;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	/* A run is its user's own page. */
	if (db_open(&c, &q_run, id, r->user->id) < 0)
		return 500;
	if (db_next(&c)) {
		const char *back = pile_list_back(r, db_str(&c, 3));

		found = true;
		tpl_set(r, "Page.run.to_state", db_str(&c, 0));
		tpl_set(r, "Page.run.to_label", tpl_lang(r, arena_printf(r->arena,
		    "enum.pile_state.%s", db_str(&c, 0))));
		updated = db_int(&c, 1);
		refused = db_int(&c, 2);
		tpl_set(r, "Page.back", back ? back : LIST_PATH);
		tpl_set(r, "Page.run.at", db_str(&c, 4));
	}
	db_close(&c);
	if (!found)
		return 404;
	tpl_set_int(r, "Page.run.updated", updated);
	tpl_set_int(r, "Page.run.refused", refused);
	tpl_set(r, "Page.run.summary", summary(r, updated, refused));
	if (db_open(&c, &q_items, id) < 0)
		return 500;
	for (; db_next(&c); n++) {
		const char *from = db_str(&c, 2), *reason = db_str(&c, 4);

		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)),
		    "Page.items.%d.id", n);
		tpl_setf(r, db_str(&c, 1), "Page.items.%d.code", n);
		if (*from)
			tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "enum.pile_state.%s", from)),
			    "Page.items.%d.from", n);
		tpl_setf(r, db_str(&c, 3), "Page.items.%d.outcome", n);
		if (*reason)
			tpl_setf(r, tpl_lang(r, reason), "Page.items.%d.reason", n);
	}
	db_close(&c);
	tpl_set(r, "Page.menu", "asset.pile");
	tpl_set(r, "Page.title", tpl_lang(r, "batch.title"));
	tpl_set(r, "Page.view", "asset/pile_batch.cs");
	return 200;
}
