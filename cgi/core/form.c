/*
 * form.c — field validation.  Messages are language keys (Lang.err.*);
 * "{n}" in a message is replaced by the field's limit.
 */
#include "core/form.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/page.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"

static void
set_error(struct req *r, const char *field, const char *key, long n)
{
	if (tpl_get(r, "Page.errors") == NULL)
		tpl_set(r, "Page.errors", "");
	tpl_setf(r, page_msg(r, key, n), "Page.errors.%s", field);
	if (tpl_get(r, "Page.error") == NULL)
		tpl_set(r, "Page.error", tpl_lang(r, "err.form"));
}

void
form_error(struct req *r, const char *field, const char *lang_key)
{
	set_error(r, field, lang_key, 0);
}

static bool
code_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

static bool
phone_ok(const char *s)
{
	int digits = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s != ' ' && *s != '+' && *s != '-' && *s != '(' && *s != ')')
			return false;
	}
	return digits >= 5 && digits <= 20;
}

static bool
email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	return at && at != s && strchr(at + 1, '.') && !strchr(at + 1, '@') &&
	    !strpbrk(s, " \t<>\"");
}

/* Validate one field's text; returns a language key or NULL. */
static const char *
check_one(struct req *r, const struct field *f, struct fval *v, long *n)
{
	const char *s = v->s;
	size_t len = strlen(s);

	if (*s == '\0') {
		if (f->type == FT_BOOL) {
			v->i = 0;
			return NULL;
		}
		v->null = true;
		return (f->flags & F_REQ) ? "err.required" : NULL;
	}
	if (f->type != FT_TEXTAREA && strpbrk(s, "\r\n"))
		return "err.one_line";
	if (f->maxlen > 0 && utf8_chars(s, len) > (size_t)f->maxlen) {
		*n = f->maxlen;
		return "err.too_long";
	}
	switch (f->type) {
	case FT_TEXT:
	case FT_TEXTAREA:
	case FT_PASSWORD:
		break;
	case FT_CODE:
		if (!code_ok(s))
			return "err.code";
		break;
	case FT_PHONE:
		if (!phone_ok(s))
			return "err.phone";
		break;
	case FT_EMAIL:
		if (!email_ok(s))
			return "err.email";
		break;
	case FT_DATE:
		if (text_date(s) != 0)
			return "err.date";
		break;
	case FT_BOOL:
		if (strcmp(s, "1") != 0 && strcmp(s, "0") != 0 && strcmp(s, "on") != 0)
			return "err.bool";
		v->i = strcmp(s, "0") != 0;
		v->s = v->i ? "1" : "0";
		break;
	case FT_INT:
		if (text_int64(s, &v->i) != 0)
			return "err.int";
		if (f->min < f->max && (v->i < f->min || v->i > f->max)) {
			*n = (long)f->max;
			return v->i < f->min ? "err.too_small" : "err.too_big";
		}
		break;
	case FT_DECIMAL:
		if (text_decimal(s, f->scale, &v->d) != 0) {
			*n = f->scale;
			return "err.decimal";
		}
		if (f->min < f->max && (v->d < f->min || v->d > f->max)) {
			*n = (long)f->max;
			return v->d < f->min ? "err.too_small" : "err.too_big";
		}
		break;
	case FT_CHOICE: {
		bool ok = false;

		for (int i = 0; f->choices && f->choices[i]; i++)
			if (strcmp(f->choices[i], s) == 0)
				ok = true;
		if (!ok)
			return "err.choice";
		break;
	}
	case FT_REF: {
		struct db_cur c;
		int64_t cnt;

		if (text_int64(s, &v->i) != 0 || v->i <= 0)
			return "err.ref";
		if (f->ref) {
			/* "l", or "l" and a scope fragment's (core/scope.h). */
			struct db_param p[4] = { { .type = 'l', .i = v->i } };
			int np = 1, scoped = f->ref->params[1] != '\0';

			if (scoped && r->user == NULL) {
				/* No user (a command line): no company's rows at all. */
				for (np = 1; f->ref->params[np] && np < 4; np++)
					p[np] = (struct db_param){ .type = f->ref->params[np] };
			} else if (scoped && scope_args(r, (int)strlen(f->ref->params) - 1, p, &np, 4) != 0)
				return "err.ref";
			cnt = 0;
			if (db_openv(&c, f->ref, p, np) == 0) {
				if (db_next(&c))
					cnt = db_i64(&c, 0);
				db_close(&c);
			}
			if (cnt == 0)
				return "err.ref";
		}
		break;
	}
	}
	return NULL;
}

int
form_read(struct req *r, const struct field *f, int n, struct fval *v)
{
	int bad = 0;

	for (int i = 0; i < n; i++) {
		const char *raw = req_param(r, f[i].name);
		const char *key;
		long lim = 0;

		memset(&v[i], 0, sizeof(v[i]));
		v[i].s = raw ? (f[i].type == FT_PASSWORD ? arena_strdup(r->arena, raw) :
		    text_trim(arena_strdup(r->arena, raw))) : "";
		if (f[i].type == FT_DECIMAL && f[i].scale > 0 && *v[i].s) {
			/* "7." or full-width digits are errors, not guesses. */
		}
		key = check_one(r, &f[i], &v[i], &lim);
		if (f[i].type != FT_PASSWORD)
			tpl_setf(r, v[i].s, "Page.form.%s", f[i].name);
		if (key) {
			set_error(r, f[i].name, key, lim);
			bad++;
		}
	}
	return bad;
}

void
form_param(const struct field *f, const struct fval *v, struct db_param *p)
{
	memset(p, 0, sizeof(*p));
	switch (f->type) {
	case FT_INT:
	case FT_REF:
		p->type = 'l';
		p->i = v->i;
		p->null = v->null;
		break;
	case FT_BOOL:
		p->type = 'i';
		p->i = v->i;
		break;
	default:
		p->type = 's';
		p->s = v->s;
		p->null = v->null;
		break;
	}
}

const char *
form_canon(struct req *r, const struct field *f, const char *s)
{
	double d;
	int64_t n;

	if (s == NULL)
		return "";
	if (f->type == FT_DECIMAL && *s && text_decimal(s, 12, &d) == 0)
		return arena_printf(r->arena, "%.*f", f->scale, d);
	/* "02" is stored as 2: not a change. */
	if ((f->type == FT_INT || f->type == FT_REF) && *s && text_int64(s, &n) == 0)
		return arena_printf(r->arena, "%lld", (long long)n);
	return s;
}
