/*
 * page.c — flash messages, "{n}" messages, pages filled from rows.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/page.h"
#include "core/req.h"
#include "core/text.h"
#include "core/tpl.h"

int
page_flash(struct req *r, const char *prefix, const char *const *keys)
{
	const char *flash = req_query(r, "flash");

	for (int i = 0; flash && keys[i]; i++)
		if (strcmp(flash, keys[i]) == 0) {
			tpl_set(r, "Page.flash", tpl_lang(r, arena_printf(r->arena, "%s%s", prefix, keys[i])));
			tpl_set(r, "Page.flash_kind", "success");
			return 1;
		}
	return 0;
}

const char *
page_msg(struct req *r, const char *key, int64_t n)
{
	return page_msg_with(r, key, "{n}", arena_printf(r->arena, "%lld", (long long)n));
}

const char *
page_msg_with(struct req *r, const char *key, const char *mark, const char *text)
{
	return page_subst(r, tpl_lang(r, key), mark, text);
}

const char *
page_subst(struct req *r, const char *m, const char *mark, const char *text)
{
	const char *at;
	size_t ml = strlen(mark);
	struct buf b;

	if (strstr(m, mark) == NULL)
		return m;
	buf_init(&b, r->arena, strlen(m) + strlen(text) + 8);
	while ((at = strstr(m, mark)) != NULL) {
		buf_append(&b, m, (size_t)(at - m));
		buf_puts(&b, text);
		m = at + ml;
	}
	buf_puts(&b, m);
	return b.data;
}

void
page_fill(struct req *r, const char *prefix, struct db_cur *c, const struct query *q,
    const char *const *names, int n)
{
	for (int i = 0; i < n && q->cols[i]; i++) {
		const char *v;

		if (names[i] == NULL)
			continue;
		switch (q->cols[i]) {
		case 'l':
			v = arena_printf(r->arena, "%lld", (long long)db_i64(c, i));
			break;
		case 'i':
			v = arena_printf(r->arena, "%d", db_int(c, i));
			break;
		default:
			v = db_str(c, i);
		}
		tpl_setf(r, v, "Page.%s.%s", prefix, names[i]);
	}
}

const char *
page_text_field(struct req *r, const char *name, int max)
{
	const char *raw = req_form(r, name);
	char *v = text_trim(arena_strdup(r->arena, raw ? raw : ""));

	tpl_setf(r, v, "Page.form.%s", name);
	if (utf8_chars(v, strlen(v)) > (size_t)max) {
		tpl_setf(r, page_msg(r, "err.too_long", max), "Page.errors.%s", name);
		tpl_set(r, "Page.error", tpl_lang(r, "err.form"));
		return NULL;
	}
	return v;
}
