/*
 * station_pick.c — choosing a station without listing them all (issue 10
 * §2: the pile card's bind form and the facility form offered every
 * station in a <select>, 100,000 options at national scale).
 *
 * GET /asset/stations/pick?q=…[&closed=1] answers JSON: the first
 * PICK_SHOWN stations of the user's scope whose code or name starts with
 * the text, in code order, with more = 1 when there are others (closed
 * ones only with closed=1).  Each half is one range of an index that
 * carries company_id and state (ix_stations_s_code, ix_stations_s_name,
 * migration 0019) walked in its order and stopped after PICK_SHOWN + 1
 * rows, so a prefix shared by thousands of stations costs no more.
 *
 * The page side is views/macros.cs station_picker and assets/js/app.js: a
 * text box, and in a form a hidden input the picked station's id goes to.
 * The hidden input is always rendered empty, so without JavaScript the text
 * box is all there is: a station code (or "code name", as the picker and
 * an edit form show it) that station_from_form() resolves on the server, in
 * the same scope, with "没有该编号的充电站" when it is no station the user
 * may see.  A list filter takes the code itself (pile.c).
 */
#include <stdio.h>
#include <string.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"

#include "asset/asset.h"

#define PICK_SHOWN 20		/* suggestions; typing more narrows them */
#define PICK_MAX 64		/* characters of the text */

/* Codes, then names, that start with the text: two bounded index walks. */
static const struct query q_pick = {
	"SELECT id, code, name, state, city_name FROM ("
	"(SELECT s.id, s.code, s.name, s.state, s.city_name FROM stations s"
	"  WHERE s.code LIKE ?" SCOPE_COMPANY("s.company_id") " AND (? OR s.state <> 'closed')"
	"  ORDER BY s.code LIMIT ?)"
	" UNION "
	"(SELECT s.id, s.code, s.name, s.state, s.city_name FROM stations s"
	"  WHERE s.name LIKE ?" SCOPE_COMPANY("s.company_id") " AND (? OR s.state <> 'closed')"
	"  ORDER BY s.name LIMIT ?)) u ORDER BY code LIMIT ?",
	"silils" "ilill", "lssss"
};
static const struct query q_by_code = {
	"SELECT id FROM stations WHERE code = ? AND (? OR company_id = ?)", "sil", "l"
};
static const struct query q_in_scope = {
	"SELECT COUNT(*) FROM stations WHERE id = ? AND (? OR company_id = ?)", "lil", "l"
};
static const struct query q_label = {
	"SELECT code, CONCAT(code, ' ', name) FROM stations WHERE id = ? AND (? OR company_id = ?)",
	"lil", "ss"
};

/* "NP01" → "NP01%", LIKE's own characters escaped. */
static const char *
prefix_like(struct req *r, const char *q)
{
	struct buf b;

	buf_init(&b, r->arena, strlen(q) + 4);
	for (const char *s = q; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *s);
	}
	buf_putc(&b, '%');
	return b.data;
}

int
station_pick(struct req *r)
{
	const char *raw = req_query(r, "q"), *closed = req_query(r, "closed");
	int scope = (int)r->user->scope_all, all_states = closed && strcmp(closed, "1") == 0;
	const char *q, *like;
	struct db_cur c;
	int n = 0;

	r->want_json = true;	/* for scripts only: never a page */
	q = raw ? text_trim(arena_strdup(r->arena, raw)) : "";
	if (*q == '\0') {
		tpl_set(r, "Page.error", tpl_lang(r, "err.pick_empty"));
		return 400;
	}
	if (strlen(q) > 4 * PICK_MAX || utf8_chars(q, strlen(q)) > PICK_MAX) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.pick_too_long"));
		return 400;
	}
	like = prefix_like(r, q);
	if (db_open(&c, &q_pick, like, scope, r->user->company_id, all_states,
	    (int64_t)PICK_SHOWN + 1, like, scope, r->user->company_id, all_states,
	    (int64_t)PICK_SHOWN + 1, (int64_t)PICK_SHOWN + 1) < 0)
		return 500;
	for (; db_next(&c); n++) {
		char key[64];

		if (n == PICK_SHOWN) {
			tpl_set(r, "Page.more", "1");
			break;
		}
		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)),
		    "Page.stations.%d.id", n);
		tpl_setf(r, db_str(&c, 1), "Page.stations.%d.code", n);
		tpl_setf(r, db_str(&c, 2), "Page.stations.%d.name", n);
		tpl_setf(r, db_str(&c, 3), "Page.stations.%d.state", n);
		snprintf(key, sizeof(key), "enum.station_state.%s", db_str(&c, 3));
		tpl_setf(r, tpl_lang(r, key), "Page.stations.%d.state_label", n);
		tpl_setf(r, db_str(&c, 4), "Page.stations.%d.city", n);
	}
	db_close(&c);
	tpl_set_int(r, "Page.count", n);
	app_cacheable();	/* the text, the user and the data decide the answer */
	return 200;
}

int64_t
station_by_code(struct req *r, const char *text)
{
	char *t;
	size_t n;

	if (text == NULL || strlen(text) > 512)
		return 0;
	t = text_trim(arena_strdup(r->arena, text));
	/* "code name" (what the picker and an edit form show): the code. */
	n = strcspn(t, " \t");
	t[n] = '\0';
	if (n == 0 || n > 32)
		return 0;
	return db_scalar(0, &q_by_code, t, SCOPE_ARGS(r));
}

const char *
station_label(struct req *r, int64_t id, const char **code)
{
	struct db_cur c;
	const char *label = NULL;

	if (code)
		*code = NULL;
	if (id <= 0 || db_open(&c, &q_label, id, SCOPE_ARGS(r)) < 0)
		return NULL;
	if (db_next(&c)) {
		if (code)
			*code = arena_strdup(r->arena, db_str(&c, 0));
		label = arena_strdup(r->arena, db_str(&c, 1));
	}
	db_close(&c);
	return label;
}

int
station_from_form(struct req *r, const char *id_name, const char *text_name, int64_t *id)
{
	const char *text = req_form(r, text_name);
	int rc = req_int64(r, id_name, id);

	if (rc == 0)
		return *id > 0 && db_scalar(0, &q_in_scope, *id, SCOPE_ARGS(r)) > 0 ? 0 : -2;
	if (rc == -2)
		return -2;
	if (text == NULL || *text_trim(arena_strdup(r->arena, text)) == '\0')
		return -1;
	return (*id = station_by_code(r, text)) > 0 ? 0 : -3;
}

void
param_put(struct req *r, struct param **list, const char *name, const char *value)
{
	struct param *p;

	for (p = *list; p; p = p->next)
		if (strcmp(p->name, name) == 0) {
			p->value = arena_strdup(r->arena, value);
			p->len = strlen(value);
			return;
		}
	p = arena_calloc(r->arena, 1, sizeof(*p));
	p->name = arena_strdup(r->arena, name);
	p->value = arena_strdup(r->arena, value);
	p->len = strlen(value);
	p->next = *list;
	*list = p;
}
