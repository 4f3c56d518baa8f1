/*
 * search.c — the top bar's search (GET /asset/search?q=…): a pile or a
 * station by its code, or a station by its name.  An exact code (or a
 * scanned label's URL) opens the pile or the station; otherwise the piles
 * and stations whose code starts with the text and the stations whose name
 * does, in the user's scope — prefix matches, each one range of an index
 * (uq_piles_code, uq_stations_code, ix_stations_s_name), never a scan.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/page.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"
#include "model/code.h"

#include "asset/asset.h"

#define SEARCH_MAX 64		/* characters of the text */
#define SHOWN 10		/* of each kind; the full lists are a link away */

static const struct query q_pile_exact = {
	"SELECT id FROM piles WHERE code = ? AND (? OR company_id = ?)", "sil", "l"
};
static const struct query q_station_exact = {
	"SELECT id FROM stations WHERE code = ? AND (? OR company_id = ?)", "sil", "l"
};
static const struct query q_piles = {
	"SELECT p.id, p.code, p.state, COALESCE(CONCAT(st.code, ' ', st.name), w.name, '')"
	" FROM piles p LEFT JOIN stations st ON st.id = p.station_id"
	" LEFT JOIN warehouses w ON w.id = p.warehouse_id"
	" WHERE p.code LIKE ?" SCOPE_COMPANY("p.company_id") " ORDER BY p.code LIMIT ?",
	"sill", "lsss"
};
/* Codes or names that start with the text: two index ranges, merged. */
static const struct query q_stations = {
	"SELECT s.id, s.code, s.name, s.state, s.city_name FROM stations s"
	" WHERE (s.code LIKE ? OR s.name LIKE ?)" SCOPE_COMPANY("s.company_id")
	" ORDER BY s.code LIMIT ?",
	"ssill", "lssss"
};

/* "NP01" → "NP01%" with LIKE's own characters escaped. */
static const char *
prefix(struct req *r, const char *q)
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

static int
results(struct req *r, const char *q)
{
	const char *like = prefix(r, q);
	struct db_cur c;
	int n;

	if (db_open(&c, &q_piles, like, SCOPE_ARGS(r),
	    (int64_t)SHOWN + 1) < 0)
		return -1;
	for (n = 0; db_next(&c); n++) {
		if (n == SHOWN) {
			tpl_set(r, "Page.piles_more", "1");
			break;
		}
		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)), "Page.piles.%d.id", n);
		tpl_setf(r, db_str(&c, 1), "Page.piles.%d.code", n);
		tpl_setf(r, db_str(&c, 2), "Page.piles.%d.state", n);
		tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "enum.pile_state.%s", db_str(&c, 2))),
		    "Page.piles.%d.state_label", n);
		tpl_setf(r, db_str(&c, 3), "Page.piles.%d.place", n);
	}
	db_close(&c);
	if (db_open(&c, &q_stations, like, like, SCOPE_ARGS(r),
	    (int64_t)SHOWN + 1) < 0)
		return -1;
	for (n = 0; db_next(&c); n++) {
		if (n == SHOWN) {
			tpl_set(r, "Page.stations_more", "1");
			break;
		}
		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)), "Page.stations.%d.id", n);
		tpl_setf(r, db_str(&c, 1), "Page.stations.%d.code", n);
		tpl_setf(r, db_str(&c, 2), "Page.stations.%d.name", n);
		tpl_setf(r, db_str(&c, 3), "Page.stations.%d.state", n);
		tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "enum.station_state.%s", db_str(&c, 3))),
		    "Page.stations.%d.state_label", n);
		tpl_setf(r, db_str(&c, 4), "Page.stations.%d.city", n);
	}
	db_close(&c);
	return 0;
}

int
asset_search(struct req *r)
{
	const char *raw = req_query(r, "q");
	char code[CODE_MAX + 1];
	const char *q, *want;
	int64_t id;

	tpl_set(r, "Page.menu", "search");
	tpl_set(r, "Page.title", tpl_lang(r, "search.title"));
	tpl_set(r, "Page.view", "asset/search.cs");
	q = raw ? text_trim(arena_strdup(r->arena, raw)) : "";
	tpl_set(r, "Page.search_q", q);
	if (*q == '\0') {
		tpl_set(r, "Page.error", tpl_lang(r, "search.empty"));
		return 400;
	}
	if (strlen(q) > 512 || utf8_chars(q, strlen(q)) > SEARCH_MAX) {
		tpl_set(r, "Page.search_q", "");
		tpl_set(r, "Page.error", tpl_lang(r, "search.too_long"));
		return 400;
	}
	/* An exact code opens its page; a scanned label's URL is its code. */
	want = code_scan(q, cfg_str("Site.base_url", "http://127.0.0.1:8080"), false, code,
	    sizeof(code)) == CODE_OK ? code : q;
	if ((id = db_scalar(0, &q_pile_exact, want, SCOPE_ARGS(r))) > 0)
		return req_redirect(r, arena_printf(r->arena, "/asset/piles/%lld", (long long)id));
	if ((id = db_scalar(0, &q_station_exact, q, SCOPE_ARGS(r))) > 0)
		return req_redirect(r, arena_printf(r->arena, "/asset/stations/%lld", (long long)id));
	if (results(r, q) < 0)
		return 500;
	if (!tpl_get(r, "Page.piles.0.id") && !tpl_get(r, "Page.stations.0.id")) {
		tpl_set(r, "Page.none", page_msg_with(r, "search.none", "{q}", q));
	}
	return 200;
}
