/*
 * doc.c — the page, print view, actions and stale-edit checks of a
 * document (doc.h).
 */
#include "core/doc.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <ClearSilver.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/audit.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/page.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"

/* The history shown on a document's page (the rest: the update records). */
#define HISTORY_SHOWN 50
/* Lines shown on a page; a document with more says so (its list has them). */
#define LINES_SHOWN 500

int
doc_state_in(const char *list, const char *state)
{
	size_t n = strlen(state);

	if (list == NULL || n == 0)
		return 0;
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, state, n) == 0)
			return 1;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return 0;
}

const struct doc_transition *
doc_transition_of(const struct document *d, const char *action)
{
	for (int i = 0; action && i < d->ntransitions; i++)
		if (strcmp(d->transitions[i].action, action) == 0)
			return &d->transitions[i];
	return NULL;
}

/* Lang.<group>.<code> with '-' read as '_' (HDF names). */
static const char *
lang2(struct req *r, const char *group, const char *code)
{
	char *key = arena_printf(r->arena, "%s.%s", group, code);

	for (char *p = key; *p; p++)
		if (*p == '-')
			*p = '_';
	return tpl_lang(r, key);
}

static const char *
state_label(struct req *r, const struct document *d, const char *state)
{
	return lang2(r, arena_printf(r->arena, "enum.%s", d->state_set), state);
}

static const char *
action_label(struct req *r, const struct document *d, const char *action)
{
	return lang2(r, arena_printf(r->arena, "doc.%s", d->name), action);
}

/* "Someone changed it since": Lang.doc.<name>.stale, or the general one. */
static const char *
stale_msg(struct req *r, const struct document *d)
{
	const char *own = tpl_get(r, arena_printf(r->arena, "Lang.doc.%s.stale", d->name));

	return own ? own : tpl_lang(r, "doc.stale");
}

/* Is Page.doc.<field> set (not "" and not "0")? */
static int
doc_field_set(struct req *r, const char *field)
{
	const char *v = tpl_get(r, arena_printf(r->arena, "Page.doc.%s", field));

	return v && *v && strcmp(v, "0") != 0;
}

/* Page.doc.* from the show query; 200, 404 (absent or outside the scope) or 500. */
static int
load_header(struct req *r, const struct document *d, int64_t id)
{
	struct db_param p[4] = { { .type = 'l', .i = id } };
	struct db_cur c;
	int np = 1, found = 0;

	if (scope_args(r, (int)strlen(d->show->params) - 1, p, &np, 4) != 0 ||
	    db_openv(&c, d->show, p, np) < 0)
		return 500;
	if (db_next(&c)) {
		found = 1;
		page_fill(r, "doc", &c, d->show, d->names, d->nnames);
	}
	db_close(&c);
	if (!found)
		return 404;
	tpl_set_int(r, "Page.id", id);
	tpl_set(r, "Page.doc.state_label", state_label(r, d, tpl_get(r, "Page.doc.state")));
	return 200;
}

/* The actions this user may take in the header's state: Page.actions.N. */
static void
offer_actions(struct req *r, const struct document *d)
{
	const char *state = tpl_get(r, "Page.doc.state");
	int n = 0, notes = 0;

	for (int i = 0; i < d->ntransitions; i++) {
		const struct doc_transition *t = &d->transitions[i];

		if (!doc_state_in(t->from, state) || !user_can(r, t->perm) ||
		    (t->unless && doc_field_set(r, t->unless)))
			continue;
		tpl_setf(r, t->action, "Page.actions.%d.action", n);
		tpl_setf(r, action_label(r, d, t->action), "Page.actions.%d.label", n);
		if (t->note)
			tpl_setf(r, (char[]){ t->note, 0 }, "Page.actions.%d.note", n);
		if (t->danger)
			tpl_setf(r, "1", "Page.actions.%d.danger", n);
		notes += t->note != 0;
		n++;
	}
	if (notes)
		tpl_set(r, "Page.actions_note", "1");
	if (d->editable && doc_state_in(d->editable, state))
		tpl_set(r, "Page.doc_editable", "1");
}

/* One line's cell: Page.lines.N.cells.M.{text,href,kind}. */
static void
line_cell(struct req *r, const struct list_col *col, const char *v, int n, int m)
{
	const char *text = v, *tab;

	if (col->kind == 'a' && (tab = strchr(v, '\t')) != NULL) {
		/* "<path>\t<text>", the path literal in the resource's SQL. */
		tpl_setf(r, arena_strndup(r->arena, v, (size_t)(tab - v)), "Page.lines.%d.cells.%d.href", n, m);
		text = tab + 1;
	} else if (col->kind == 'e' && *v)
		text = lang2(r, arena_printf(r->arena, "enum.%s", col->enum_set), v);
	else if (col->kind == 'y') {
		char money[64];	/* money: grouped by thousands (core/text.h) */

		if (text_money(v, money, sizeof(money)) == 0)
			text = arena_strdup(r->arena, money);
	}
	tpl_setf(r, text, "Page.lines.%d.cells.%d.text", n, m);
	tpl_setf(r, (char[]){ col->kind, 0 }, "Page.lines.%d.cells.%d.kind", n, m);
}

static int
load_lines(struct req *r, const struct document *d, int64_t id)
{
	const struct doc_lines *l = d->lines;
	struct db_cur c;
	int n = 0;

	if (l == NULL)
		return 0;
	tpl_set(r, "Page.lines_title", tpl_lang(r, l->title_key));
	for (int m = 0; m < l->ncols; m++)
		tpl_setf(r, lang2(r, "f", l->cols[m].name), "Page.line_cols.%d.label", m);
	if (db_open(&c, l->list, id) < 0)
		return -1;
	while (db_next(&c)) {
		if (n == LINES_SHOWN) {
			tpl_set(r, "Page.lines_more", "1");
			break;
		}
		for (int m = 0; m < l->ncols; m++)
			line_cell(r, &l->cols[m], db_str(&c, m + 1), n, m);
		n++;
	}
	db_close(&c);
	tpl_set_int(r, "Page.lines_count", n);
	return 0;
}

static const struct query q_history = {
	"SELECT DATE_FORMAT(" SQL_LOCAL("a.at") ", '%Y-%m-%d %H:%i'), a.action, a.field,"
	" a.old_value, a.new_value, u.name FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
	" WHERE a.entity = ? AND a.entity_id = ? ORDER BY a.at DESC, a.id DESC LIMIT ?",
	"sll", "ssssss"
};

/* Page.history.N: each update record, states by their names. */
static int
load_history(struct req *r, const struct document *d, int64_t id)
{
	struct db_cur c;
	int n = 0;

	if (db_open(&c, &q_history, d->name, id, (int64_t)HISTORY_SHOWN) < 0)
		return -1;
	while (db_next(&c)) {
		const char *field = db_str(&c, 2), *old = db_str(&c, 3), *new = db_str(&c, 4);

		if (strcmp(field, d->state_field) == 0) {
			old = *old ? state_label(r, d, old) : "";
			new = *new ? state_label(r, d, new) : "";
		}
		tpl_setf(r, db_str(&c, 0), "Page.history.%d.at", n);
		tpl_setf(r, lang2(r, "audit", db_str(&c, 1)), "Page.history.%d.action", n);
		tpl_setf(r, *field ? lang2(r, "f", field) : "", "Page.history.%d.field", n);
		tpl_setf(r, old, "Page.history.%d.old", n);
		tpl_setf(r, new, "Page.history.%d.new", n);
		tpl_setf(r, db_str(&c, 5), "Page.history.%d.user", n);
		n++;
	}
	db_close(&c);
	return 0;
}

/* Everything of the page but the flash; 200 or an error status. */
static int
page(struct req *r, const struct document *d, int64_t id)
{
	char key[96];
	int rc;

	if ((rc = load_header(r, d, id)) != 200)
		return rc;
	offer_actions(r, d);
	if (load_lines(r, d, id) < 0 || load_history(r, d, id) < 0 || (d->fill && d->fill(r, id) < 0))
		return 500;
	snprintf(key, sizeof(key), "res.%s", d->name);
	tpl_set(r, "Page.res_label", tpl_lang(r, key));
	tpl_set(r, "Page.res", d->name);
	tpl_set(r, "Page.base", d->base);
	tpl_set(r, "Page.menu", d->menu);
	tpl_set(r, "Page.doc_view", d->view);
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s · %s", tpl_lang(r, key),
	    d->title_field ? tpl_get(r, arena_printf(r->arena, "Page.doc.%s", d->title_field)) : ""));
	if (user_can(r, PERM_AUDIT_VIEW))
		tpl_set(r, "Page.can_records", "1");
	tpl_set(r, "Page.view", "doc/show.cs");
	return 200;
}

int
doc_show(struct req *r, const struct document *d)
{
	const char *keys[33];
	int64_t id;
	int n = 0;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	/* After an action: "…?flash=<action>" says Lang.doc.<name>.flash_<action>. */
	for (int i = 0; i < d->ntransitions && n < 32; i++)
		keys[n++] = d->transitions[i].action;
	keys[n] = NULL;
	page_flash(r, arena_printf(r->arena, "doc.%s.flash_", d->name), keys);
	return page(r, d, id);
}

int
doc_print(struct req *r, const struct document *d)
{
	int64_t id;
	int rc;

	if (req_arg_id(r, 0, &id) != 0 || r->nargs < 2 || strcmp(r->args[1], "print") != 0)
		return 404;
	if ((rc = page(r, d, id)) != 200)
		return rc;
	hdf_remove_tree(r->hdf, "Page.actions");
	tpl_set(r, "Page.bare", "1");
	{
		/* The process runs in the site's zone (core/config.h). */
		time_t now = time(NULL);
		struct tm tm;
		char at[32];

		localtime_r(&now, &tm);
		strftime(at, sizeof(at), "%Y-%m-%d %H:%M", &tm);
		tpl_set(r, "Page.printed_at", at);
	}
	tpl_set(r, "Page.view", "doc/print.cs");
	return 200;
}

/* The page again after a refusal, with the current values and why (status). */
static int
refused(struct req *r, const struct document *d, int64_t id, const char *note, const char *error,
    int status)
{
	int rc;

	hdf_remove_tree(r->hdf, "Page");
	if ((rc = page(r, d, id)) != 200)
		return rc;
	tpl_set(r, "Page.form.note", note);
	tpl_set(r, "Page.error", error);
	return status;
}

/* Lock the header; its state into *state.  0, 404 or 500. */
static int
lock_header(struct req *r, const struct document *d, int64_t id, const char **state, int *version)
{
	struct db_cur c;
	int found = 0;

	if (db_open(&c, d->lock, id) < 0)
		return 500;
	if (db_next(&c)) {
		found = 1;
		*state = arena_strdup(r->arena, db_str(&c, 0));
		*version = db_int(&c, 1);
	}
	db_close(&c);
	return found ? 0 : 404;
}

/* "「已关闭」的…不能「确认」": the state and the action by their names. */
static const char *
not_now(struct req *r, const struct document *d, const char *state, const char *action)
{
	const char *m = page_msg_with(r, "doc.not_in_state", "{state}", state_label(r, d, state));

	return page_subst(r, m, "{action}", action_label(r, d, action));
}

int
doc_act(struct req *r, const struct document *d)
{
	const struct doc_transition *t;
	const char *note, *state, *ver = req_form(r, "version");
	int64_t id, sent;
	int version, rc;

	if (req_arg_id(r, 0, &id) != 0 || r->nargs < 2 || (t = doc_transition_of(d, r->args[1])) == NULL)
		return 404;
	if (!user_can(r, t->perm))
		return 403;
	if ((rc = load_header(r, d, id)) != 200)
		return rc;
	if ((note = page_text_field(r, "note", DOC_NOTE_MAX)) == NULL) {
		const char *err = arena_strdup(r->arena, tpl_get(r, "Page.errors.note"));

		rc = refused(r, d, id, req_form(r, "note"), tpl_lang(r, "err.form"), 422);
		tpl_set(r, "Page.errors.note", err);
		return rc;
	}
	if (t->note == 'r' && *note == '\0') {
		rc = refused(r, d, id, note, tpl_lang(r, "err.form"), 422);
		tpl_set(r, "Page.errors.note", lang2(r, arena_printf(r->arena, "doc.%s", d->name),
		    arena_printf(r->arena, "note_%s", t->action)));
		return rc;
	}
	if (ver == NULL || text_int64(ver, &sent) != 0 || sent < 1 || sent > 2000000000)
		return refused(r, d, id, note, stale_msg(r, d), 409);	/* a page before versions */
	if ((rc = lock_header(r, d, id, &state, &version)) != 0)
		return rc;
	if (version != sent)
		return refused(r, d, id, note, stale_msg(r, d), 409);
	/* Read again under the lock: "unless" fields are the header's now. */
	hdf_remove_tree(r->hdf, "Page.doc");
	if ((rc = load_header(r, d, id)) != 200)
		return rc;
	if (!doc_state_in(t->from, state) || (t->unless && doc_field_set(r, t->unless)))
		return refused(r, d, id, note, not_now(r, d, state, t->action), 409);
	rc = (int)db_exec(d->move, t->to ? t->to : state, id, version);
	if (rc == DB_RETRY)
		return APP_RETRY;
	if (rc < 0)
		return 500;
	if (rc == 0)
		return refused(r, d, id, note, stale_msg(r, d), 409);
	if (t->to && strcmp(t->to, state) != 0)
		audit_write(r, d->name, id, AUDIT_UPDATE, d->state_field, state, t->to);
	if (t->post && (rc = t->post(r, d, id, note)) != 0) {
		const char *why = tpl_get(r, "Page.error");

		if (rc == DB_RETRY)
			return APP_RETRY;
		if (rc != DOC_REFUSED)
			return 500;
		why = why ? arena_strdup(r->arena, why) : tpl_lang(r, "doc.refused");
		return refused(r, d, id, note, why, 409);
	}
	return req_redirect(r, arena_printf(r->arena, "%s/%lld?flash=%s", d->base, (long long)id,
	    t->action));
}

int
doc_editable(struct req *r, const struct document *d, int64_t id, int version)
{
	const char *state;
	int at, rc;

	if ((rc = lock_header(r, d, id, &state, &at)) != 0)
		return rc;
	if (at != version) {
		tpl_set(r, "Page.error", stale_msg(r, d));
		return 409;
	}
	if (!doc_state_in(d->editable, state)) {
		tpl_set(r, "Page.error", page_msg_with(r, "doc.not_editable", "{state}",
		    state_label(r, d, state)));
		return 409;
	}
	return 0;
}

int
doc_touch(struct req *r, const struct document *d, int64_t id)
{
	const char *state;
	int version, rc;

	if ((rc = lock_header(r, d, id, &state, &version)) != 0)
		return DB_ERROR;
	rc = (int)db_exec(d->move, state, id, version);
	return rc < 0 ? rc : 0;
}
