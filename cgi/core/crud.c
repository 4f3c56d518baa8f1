/*
 * crud.c — the forms of a descriptor-driven resource: new, edit (versioned),
 * create, update, delete refused while referenced, with their update records;
 * the labels and the page head every crud page shares; select options.
 * The list is crud_list.c, its SQL crud_sql.c, its plan crud_plan.c; the
 * contract a resource fills in is crud.h.
 */
#include "core/crud.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/audit.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/crud_int.h"
#include "core/db.h"
#include "core/export.h"
#include "core/log.h"
#include "core/page.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"

const char *
crud_label(struct req *r, const char *name)
{
	char key[96];

	snprintf(key, sizeof(key), "f.%s", name);
	return tpl_lang(r, key);
}

const char *
crud_enum_label(struct req *r, const char *set, const char *value)
{
	char key[160];

	if (value == NULL || *value == '\0')
		return "";
	/* "@f" names a top-level language group (f.<value>), others enum.<set>. */
	if (set[0] == '@')
		snprintf(key, sizeof(key), "%s.%s", set + 1, value);
	else
		snprintf(key, sizeof(key), "enum.%s.%s", set, value);
	/* HDF names cannot hold '-' ("zh-CN"): such codes use '_' in the packs. */
	for (char *p = key; *p; p++)
		if (*p == '-')
			*p = '_';
	return tpl_lang(r, key);
}

void
crud_page_head(struct req *r, const struct resource *res, const char *action)
{
	char key[96];

	snprintf(key, sizeof(key), "res.%s", res->name);
	tpl_set(r, "Page.res", res->name);
	tpl_set(r, "Page.res_label", tpl_lang(r, key));
	tpl_set(r, "Page.base", res->base);
	tpl_set(r, "Page.menu", res->menu);
	snprintf(key, sizeof(key), "act.%s", action);
	tpl_set(r, "Page.action_label", tpl_lang(r, key));
	if (user_can(r, res->edit_perm))
		tpl_set(r, "Page.can_edit", "1");
	if (res->has_show)
		tpl_set(r, "Page.has_show", "1");
}

/* Metadata of the generic form: Page.fields.N.* */
static void
form_meta(struct req *r, const struct resource *res, bool editing)
{
	static const char *const html_type[] = {
		[FT_TEXT] = "text", [FT_TEXTAREA] = "textarea", [FT_CODE] = "text",
		[FT_INT] = "number", [FT_DECIMAL] = "decimal", [FT_BOOL] = "checkbox",
		[FT_CHOICE] = "select", [FT_REF] = "select", [FT_DATE] = "date",
		[FT_PHONE] = "tel", [FT_EMAIL] = "email", [FT_PASSWORD] = "password",
	};

	for (int i = 0, k = 0; i < res->nfields; i++) {
		const struct field *f = &res->fields[i];

		if (f->flags & F_HIDDEN)
			continue;
		tpl_setf(r, f->name, "Page.fields.%d.name", k);
		tpl_setf(r, crud_label(r, f->name), "Page.fields.%d.label", k);
		/* A text field with options (codes, e.g. of a dictionary) is picked from a list. */
		tpl_setf(r, f->options && f->type != FT_REF ? "select" : html_type[f->type],
		    "Page.fields.%d.type", k);
		if (f->flags & F_REQ)
			tpl_setf(r, "1", "Page.fields.%d.required", k);
		if (f->maxlen)
			tpl_setf(r, arena_printf(r->arena, "%d", f->maxlen), "Page.fields.%d.maxlen", k);
		if (editing && (f->flags & F_CREATE))
			tpl_setf(r, "1", "Page.fields.%d.readonly", k);
		if (f->type == FT_CHOICE)
			for (int c = 0; f->choices[c]; c++) {
				tpl_setf(r, f->choices[c], "Page.fields.%d.opts.%d.id", k, c);
				tpl_setf(r, crud_enum_label(r, f->enum_set, f->choices[c]),
				    "Page.fields.%d.opts.%d.label", k, c);
			}
		if (f->options) {
			HDF *src = hdf_get_obj(r->hdf, arena_printf(r->arena, "Page.opts.%s", f->options));

			if (src)
				hdf_copy(r->hdf, arena_printf(r->arena, "Page.fields.%d.opts", k), src);
		}
		{
			char hk[96];

			snprintf(hk, sizeof(hk), "hint.%s.%s", res->name, f->name);
			if (strcmp(tpl_lang(r, hk), hk) != 0)
				tpl_setf(r, tpl_lang(r, hk), "Page.fields.%d.hint", k);
		}
		k++;
	}
}

static int
show_form(struct req *r, const struct resource *res, bool editing, int status)
{
	crud_page_head(r, res, editing ? "edit" : "new");
	if (res->options)
		res->options(r);
	form_meta(r, res, editing);
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s · %s",
	    tpl_get(r, "Page.action_label"), tpl_get(r, "Page.res_label")));
	tpl_set(r, "Page.view", "crud/form.cs");
	return status;
}

int
crud_new(struct req *r, const struct resource *res)
{
	if (res->defaults)
		res->defaults(r);
	return show_form(r, res, false, 200);
}

/* Load one record (in the user's scope) into Page.form or Page.current. */
static int
load(struct req *r, const struct resource *res, int64_t id, const char *prefix,
    int32_t *version, const char ***values)
{
	struct db_cur c;
	int rc, found = 0;

	if (res->scope_sql) {
		struct db_param p[4] = { { .type = 'l', .i = id } };
		int np = 1;

		rc = scope_args(r, (int)strlen(res->get->params) - 1, p, &np, 4) == 0 ?
		    db_openv(&c, res->get, p, np) : -1;
	} else
		rc = db_open(&c, res->get, id);
	if (rc < 0)
		return 500;
	if (db_next(&c)) {
		found = 1;
		*version = db_int(&c, 1);
		if (values)
			*values = arena_calloc(r->arena, (size_t)res->nfields, sizeof(char *));
		for (int i = 0; i < res->nfields; i++) {
			const char *v = db_str(&c, i + 2);

			if (res->fields[i].type == FT_PASSWORD)
				continue;
			if (prefix)
				tpl_setf(r, v, "%s.%s", prefix, res->fields[i].name);
			if (values)
				(*values)[i] = arena_strdup(r->arena, v);
		}
	}
	db_close(&c);
	return found ? 0 : 404;
}

int
crud_edit(struct req *r, const struct resource *res)
{
	int64_t id;
	int32_t version;
	int rc;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if ((rc = load(r, res, id, "Page.form", &version, NULL)) != 0)
		return rc;
	tpl_set_int(r, "Page.id", id);
	tpl_set_int(r, "Page.version", version);
	return show_form(r, res, true, 200);
}

static const char *
title_of(const struct resource *res, const struct fval *v, const char **values)
{
	for (int i = 0; i < res->nfields; i++)
		if (strcmp(res->fields[i].name, res->title_field) == 0)
			return v ? v[i].s : values ? values[i] : NULL;
	return NULL;
}

static int
save_error(struct req *r, const struct resource *res, int rc, bool editing)
{
	if (rc == DB_RETRY)
		return APP_RETRY;
	if (rc == DB_DUP) {
		/* Unique keys are named uq_<table>_<field>: blame that field. */
		const char *k = strstr(db_last_error(), "for key '");
		const char *field = res->fields[0].name;

		if (k) {
			const char *end = strchr(k + 9, '\'');
			const char *us = NULL;

			for (const char *p = k + 9; end && p < end; p++)
				if (*p == '_')
					us = p;
			if (us)
				for (int i = 0; i < res->nfields; i++)
					if (strlen(res->fields[i].name) == (size_t)(end - us - 1) &&
					    strncmp(res->fields[i].name, us + 1, (size_t)(end - us - 1)) == 0)
						field = res->fields[i].name;
		}
		form_error(r, field, "err.duplicate");
		return show_form(r, res, editing, 409);
	}
	if (rc == DB_FK) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.ref"));
		return show_form(r, res, editing, 422);
	}
	if (rc == DB_TOOLONG) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.too_long_any"));
		return show_form(r, res, editing, 422);
	}
	return 500;
}

int64_t
crud_insert(struct req *r, const struct resource *res, struct fval *v)
{
	struct db_param p[MAX_BIND];
	int64_t rc, id;

	for (int i = 0; i < res->nfields; i++)
		form_param(&res->fields[i], &v[i], &p[i]);
	rc = db_execv(res->insert, p, res->nfields);
	if (rc < 0)
		return rc;
	id = db_insert_id();
	audit_write(r, res->name, id, AUDIT_CREATE, NULL, NULL, title_of(res, v, NULL));
	if (res->after_save)
		res->after_save(r, v, id, 1);
	return id;
}

int
crud_create(struct req *r, const struct resource *res)
{
	struct fval *v = arena_calloc(r->arena, (size_t)res->nfields, sizeof(*v));
	int64_t id;

	if (form_read(r, res->fields, res->nfields, v) > 0 ||
	    (res->check && res->check(r, v, 0) > 0))
		return show_form(r, res, false, 422);
	id = crud_insert(r, res, v);
	if (id < 0)
		return save_error(r, res, (int)id, false);
	tpl_set_int(r, "Page.id", id);
	/* A record with a page of its own is shown there; others go back to the list. */
	if (res->has_show)
		return req_redirect(r, arena_printf(r->arena, "%s/%lld?flash=created", res->base, (long long)id));
	return req_redirect(r, arena_printf(r->arena, "%s?flash=created", res->base));
}

int
crud_update(struct req *r, const struct resource *res)
{
	struct fval *v = arena_calloc(r->arena, (size_t)res->nfields, sizeof(*v));
	struct db_param p[MAX_BIND];
	const char **old;
	int64_t id, sent_version, rc;
	int32_t version;
	int bad;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if ((rc = load(r, res, id, NULL, &version, &old)) != 0)
		return (int)rc;
	tpl_set_int(r, "Page.id", id);
	bad = form_read(r, res->fields, res->nfields, v);
	if (req_int64(r, "version", &sent_version) != 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.version"));
		tpl_set_int(r, "Page.version", version);
		return show_form(r, res, true, 400);
	}
	if (sent_version != version) {
		/* Stale: show the current values and what the user typed. */
		for (int i = 0; i < res->nfields; i++) {
			if (res->fields[i].type == FT_PASSWORD)
				continue;
			if (strcmp(form_canon(r, &res->fields[i], v[i].s),
			    form_canon(r, &res->fields[i], old[i])) != 0)
				tpl_setf(r, v[i].s, "Page.mine.%s", res->fields[i].name);
			tpl_setf(r, old[i], "Page.form.%s", res->fields[i].name);
			tpl_setf(r, old[i], "Page.current.%s", res->fields[i].name);
		}
		hdf_remove_tree(r->hdf, "Page.errors");
		tpl_set(r, "Page.error", tpl_lang(r, "err.stale"));
		tpl_set(r, "Page.stale", "1");
		tpl_set_int(r, "Page.version", version);
		return show_form(r, res, true, 409);
	}
	tpl_set_int(r, "Page.version", version);
	if (bad > 0 || (res->check && res->check(r, v, id) > 0))
		return show_form(r, res, true, 422);
	for (int i = 0; i < res->nfields; i++) {
		if (res->fields[i].flags & F_CREATE) {
			/* Fixed after creation: keep the stored value. */
			v[i].s = old[i];
			v[i].null = *old[i] == '\0';
			text_int64(old[i], &v[i].i);
		}
		form_param(&res->fields[i], &v[i], &p[i]);
	}
	p[res->nfields] = (struct db_param){ .type = 'l', .i = id };
	p[res->nfields + 1] = (struct db_param){ .type = 'i', .i = version };
	rc = db_execv(res->update, p, res->nfields + 2);
	if (rc < 0)
		return save_error(r, res, (int)rc, true);
	if (rc == 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.stale"));
		return show_form(r, res, true, 409);
	}
	for (int i = 0; i < res->nfields; i++) {
		const char *a, *b;

		if (res->fields[i].type == FT_PASSWORD)
			continue;
		a = form_canon(r, &res->fields[i], old[i]);
		b = form_canon(r, &res->fields[i], v[i].s);
		if (strcmp(a, b) != 0)
			audit_write(r, res->name, id, AUDIT_UPDATE, res->fields[i].name, a, b);
	}
	if (res->after_save)
		res->after_save(r, v, id, 0);
	if (res->has_show)
		return req_redirect(r, arena_printf(r->arena, "%s/%lld?flash=updated", res->base, (long long)id));
	return req_redirect(r, arena_printf(r->arena, "%s?flash=updated", res->base));
}

int
crud_delete(struct req *r, const struct resource *res)
{
	const char **old;
	int64_t id, rc;
	int32_t version;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if ((rc = load(r, res, id, "Page.form", &version, &old)) != 0)
		return (int)rc;
	tpl_set_int(r, "Page.id", id);
	tpl_set_int(r, "Page.version", version);
	for (int i = 0; i < res->nrefs; i++) {
		int64_t n = db_scalar(0, res->refs[i].count, id);

		if (n > 0) {
			tpl_set(r, "Page.error", page_msg(r, res->refs[i].lang_key, n));
			return show_form(r, res, true, 409);
		}
	}
	rc = db_exec(res->del, id);
	if (rc == DB_FK) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.in_use"));
		return show_form(r, res, true, 409);
	}
	if (rc == DB_RETRY)
		return APP_RETRY;
	if (rc < 0)
		return 500;
	audit_write(r, res->name, id, AUDIT_DELETE, NULL, title_of(res, NULL, old), NULL);
	if (res->after_delete)
		res->after_delete(r, id);
	return req_redirect(r, arena_printf(r->arena, "%s?flash=deleted", res->base));
}

static void
options_from(struct req *r, const char *name, struct db_cur *c)
{
	int n = 0;

	while (db_next(c)) {
		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(c, 0)),
		    "Page.opts.%s.%d.id", name, n);
		tpl_setf(r, db_str(c, 1), "Page.opts.%s.%d.label", name, n);
		n++;
	}
	db_close(c);
}

void
crud_options(struct req *r, const char *name, const struct query *q)
{
	struct db_cur c;

	/* Only parameterless option queries go through here. */
	if (db_open(&c, q) < 0)
		return;		/* logged; the transaction is doomed, the page a 500 */
	options_from(r, name, &c);
}

void
crud_options_scoped(struct req *r, const char *name, const struct query *q)
{
	struct db_cur c;

	struct db_param p[3];
	int np = 0;

	/* The query is its scope fragment's parameters only: "il" or "ill". */
	if (scope_args(r, (int)strlen(q->params), p, &np, 3) != 0 || db_openv(&c, q, p, np) < 0)
		return;		/* logged; the transaction is doomed, the page a 500 */
	options_from(r, name, &c);
}
