/*
 * pile_ledger.c — the ledger postings (asset_events) of what happens to a
 * pile: created, a state change, a move (bind, unbind), a field change, a
 * code's events.  Each is one INSERT in the caller's transaction; a failed
 * posting dooms it (db_tx_fail), so a change is never kept without its
 * posting.  ./chargeasset verify replays these against the piles.
 */
#include "model/pile.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/req.h"
#include "core/text.h"

static const struct query q_event = {
	"INSERT INTO asset_events (at, kind, station_id, pile_id, from_state, to_state,"
	" from_place, to_place, detail, user_id, request_id)"
	" VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"s?ll?s?s?s?s?s?ls", ""
};

void
pile_post_event(struct req *r, const char *kind, int64_t station, int64_t pile, const char *from,
    const char *to, const char *from_place, const char *to_place, const char *detail)
{
	int64_t uid = r->user ? r->user->id : 0;

	if (db_exec(&q_event, kind, station ? &station : NULL, pile, from, to, from_place,
	    to_place, detail, r->user ? &uid : NULL, r->id) < 0)
		(void)db_tx_fail("ledger posting failed");
}

void
pile_post_create(struct req *r, int64_t id, enum pile_state state, const char *place)
{
	pile_post_event(r, "pile_create", 0, id, NULL, pile_state_names[state], NULL, place, NULL);
}

void
pile_post_state(struct req *r, int64_t id, enum pile_state from, enum pile_state to)
{
	if (from != to)
		pile_post_event(r, "pile_state", 0, id, pile_state_names[from],
		    pile_state_names[to], NULL, NULL, NULL);
}

static const struct query q_event_change = {
	"INSERT INTO asset_events (at, kind, pile_id, detail, field, from_value, to_value, user_id,"
	" request_id) VALUES (UTC_TIMESTAMP(6), 'pile_change', ?, ?, ?, ?, ?, ?, ?)",
	"lss?s?s?ls", ""
};

/* A value as the ledger keeps it: NULL for none ("", or 0 for a reference). */
static const char *
change_value(const char *what, const char *v)
{
	size_t n = strlen(what);

	if (v == NULL || *v == '\0')
		return NULL;
	if (n > 3 && strcmp(what + n - 3, "_id") == 0 && strcmp(v, "0") == 0)
		return NULL;
	return v;
}

void
pile_post_change(struct req *r, int64_t id, const char *what, const char *from, const char *to)
{
	/* "what: from -> to" with two 32-character UTF-8 values fits whole (a
	 * cut inside a character would make the posting fail). */
	char detail[512];
	int64_t uid = r->user ? r->user->id : 0;

	snprintf(detail, sizeof(detail), "%s: %s -> %s", what, from ? from : "", to ? to : "");
	if (db_exec(&q_event_change, id, detail, what, change_value(what, from),
	    change_value(what, to), r->user ? &uid : NULL, r->id) < 0)
		(void)db_tx_fail("ledger posting failed");
}

const char *const pile_ledger_names[PL__MAX] = {
	[PL_SW] = "sw_version",
	[PL_HW] = "hw_version",
	[PL_PRODUCT] = "product_id",
	[PL_TARIFF] = "tariff",
};

const char *
pile_tariff_canon(struct req *r, const char *s)
{
	double d;

	if (s == NULL || *s == '\0' || text_decimal(s, 12, &d) != 0)
		return s ? s : "";
	return arena_printf(r->arena, "%.4f", d);
}

void
pile_post_changes(struct req *r, int64_t id, const char *const before[PL__MAX],
    const char *const after[PL__MAX])
{
	for (int i = 0; i < PL__MAX; i++) {
		const char *a = before[i], *b = after[i];

		if (a == NULL || b == NULL)
			continue;
		if (i == PL_TARIFF) {
			/* 0.8 and 0.8000 are one tariff, written as the column holds it. */
			a = pile_tariff_canon(r, a);
			b = pile_tariff_canon(r, b);
		}
		if (strcmp(a, b) == 0 || (i == PL_PRODUCT && change_value("product_id", a) == NULL &&
		    change_value("product_id", b) == NULL))
			continue;
		pile_post_change(r, id, pile_ledger_names[i], a, b);
	}
}

static const struct query q_event_code = {
	"INSERT INTO asset_events (at, kind, pile_id, to_state, to_place, detail, from_code, to_code,"
	" user_id, request_id) VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"sl?s?s?s?s?s?ls", ""
};

void
pile_post_code(struct req *r, const char *kind, int64_t pile, const char *to_state,
    const char *to_place, const char *detail, const char *from_code, const char *to_code)
{
	int64_t uid = r->user ? r->user->id : 0;

	if (db_exec(&q_event_code, kind, pile, to_state, to_place, detail, from_code, to_code,
	    r->user ? &uid : NULL, r->id) < 0)
		(void)db_tx_fail("ledger posting failed");
}

void
pile_post_create_code(struct req *r, int64_t id, enum pile_state state, const char *place,
    const char *code)
{
	pile_post_code(r, "pile_create", id, pile_state_names[state], place, NULL, NULL, code);
}
