/*
 * pile_place.c — where a pile is: binding it to a station, taking it off
 * into a warehouse (or nowhere), following its station to another company,
 * and the update records (F4.21) of such moves.
 *
 * A move changes several columns at once (place, station, warehouse,
 * company, state), so the update records are not written field by field
 * by the caller: a snapshot of the pile's important fields is taken before
 * and compared after, in the same transaction.  Whether a pile may be
 * bound at all is pile_bind_blocked() (pile_state.c), the rule the phone
 * pages show before anyone tries.
 */
#include "model/pile.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/req.h"
#include "model/anomaly.h"
#include "model/model.h"

static const struct query q_lock = {
	"SELECT state, place, COALESCE(station_id, 0), COALESCE(warehouse_id, 0),"
	" product_id IS NOT NULL FROM piles WHERE id = ? FOR UPDATE",
	"l", "sslli"
};
static const struct query q_station_state = {
	"SELECT state FROM stations WHERE id = ? FOR UPDATE", "l", "s"
};
/* A pile bound to a station answers to the station's company from then on. */
static const struct query q_bind = {
	"UPDATE piles p JOIN stations s ON s.id = ? SET p.place = 'station', p.station_id = s.id,"
	" p.warehouse_id = NULL, p.party_id = NULL, p.company_id = s.company_id,"
	" p.state = 'installed', p.version = p.version + 1 WHERE p.id = ?", "ll", ""
};
/* Into a warehouse: the warehouse's company takes it over. */
static const struct query q_unbind = {
	"UPDATE piles p LEFT JOIN warehouses w ON w.id = ?"
	" SET p.place = IF(w.id IS NULL, 'none', 'warehouse'), p.station_id = NULL,"
	" p.warehouse_id = w.id, p.company_id = COALESCE(w.company_id, p.company_id),"
	" p.state = 'in_stock', p.version = p.version + 1 WHERE p.id = ?", "?ll", ""
};

struct pile_row {
	enum pile_state state;
	char place[16];
	int64_t station, warehouse;
	bool has_product;
};

/* Lock the pile and read where it is; false when there is none (or the
 * read failed: the transaction is doomed then). */
static bool
lock_pile(int64_t id, struct pile_row *p)
{
	struct db_cur c;
	bool found = false;

	if (db_open(&c, &q_lock, id) < 0) {
		(void)db_tx_fail("pile lock failed");
		return false;
	}
	if (db_next(&c)) {
		found = true;
		p->state = pile_state_parse(db_str(&c, 0));
		snprintf(p->place, sizeof(p->place), "%s", db_str(&c, 1));
		p->station = db_i64(&c, 2);
		p->warehouse = db_i64(&c, 3);
		p->has_product = db_int(&c, 4) != 0;
	}
	db_close(&c);
	return found;
}

/* The ledger's name of a place ("station:12"), in r's arena. */
static char *
place_of(struct req *r, const struct pile_row *p)
{
	if (p->station)
		return arena_printf(r->arena, "station:%lld", (long long)p->station);
	if (p->warehouse)
		return arena_printf(r->arena, "warehouse:%lld", (long long)p->warehouse);
	return arena_strdup(r->arena, p->place);
}

const char *
pile_bind(struct req *r, int64_t pile_id, int64_t station_id)
{
	struct pile_row p;
	struct pile_snapshot before;
	struct db_cur c;
	char state[16] = "";
	const char *blocked;

	if (!lock_pile(pile_id, &p))
		return "err.not_found";
	if ((blocked = pile_bind_blocked(p.has_product, p.station, p.state, station_id)) != NULL)
		return blocked;
	if (db_open(&c, &q_station_state, station_id) < 0)
		return model_failed("station lock failed");
	if (db_next(&c))
		snprintf(state, sizeof(state), "%s", db_str(&c, 0));
	db_close(&c);
	if (*state == '\0')
		return "err.not_found";
	if (strcmp(state, "closed") == 0)
		return "err.station_closed";
	pile_snapshot(r, pile_id, &before);
	if (db_exec(&q_bind, station_id, pile_id) < 0)
		return model_failed("bind failed");
	pile_audit_changes(r, pile_id, &before);
	pile_post_event(r, "pile_bind", station_id, pile_id, pile_state_names[p.state], "installed",
	    place_of(r, &p), arena_printf(r->arena, "station:%lld", (long long)station_id), NULL);
	anomaly_check_quantity(r, station_id);
	return NULL;
}

const char *
pile_unbind(struct req *r, int64_t pile_id, int64_t warehouse_id)
{
	struct pile_row p;
	struct pile_snapshot before;
	int64_t station;

	if (!lock_pile(pile_id, &p))
		return "err.not_found";
	if (p.station == 0)
		return "err.pile_not_bound";
	if (!pile_transition_ok(p.state, PS_IN_STOCK))
		return "err.pile_state_unbind";
	station = p.station;
	pile_snapshot(r, pile_id, &before);
	if (db_exec(&q_unbind, warehouse_id ? &warehouse_id : NULL, pile_id) < 0)
		return model_failed("unbind failed");
	pile_audit_changes(r, pile_id, &before);
	pile_post_event(r, "pile_unbind", station, pile_id, pile_state_names[p.state], "in_stock",
	    place_of(r, &p), warehouse_id ? arena_printf(r->arena, "warehouse:%lld",
	    (long long)warehouse_id) : "none", NULL);
	anomaly_check_quantity(r, station);
	return NULL;
}

/* ---- update records (F4.21) of whatever a move did to a pile ----
 * A path that changes a pile outside the generic edit form (binding,
 * unbinding, a station moving to another company, documents, code
 * regeneration) takes a snapshot before and writes one record per field
 * that differs after, in the same transaction. */

static const char *const snap_fields[PILE_SNAP_FIELDS] = {
	"code", "state", "station_id", "warehouse_id", "party_id", "company_id",
	"product_id", "owner_company_id", "operator_company_id", "sw_version", "hw_version",
};
static const struct query q_snap = {
	"SELECT code, state, station_id, warehouse_id, party_id, company_id, product_id,"
	" owner_company_id, operator_company_id, sw_version, hw_version FROM piles WHERE id = ?",
	"l", "sssssssssss"
};

void
pile_snapshot(struct req *r, int64_t id, struct pile_snapshot *s)
{
	struct db_cur c;

	memset(s, 0, sizeof(*s));
	if (db_open(&c, &q_snap, id) < 0) {
		(void)db_tx_fail("pile snapshot failed");
		return;
	}
	if (db_next(&c)) {
		s->found = true;
		for (int i = 0; i < PILE_SNAP_FIELDS; i++)
			s->v[i] = arena_strdup(r->arena, db_str(&c, i));
	}
	db_close(&c);
}

void
pile_audit_changes(struct req *r, int64_t id, const struct pile_snapshot *before)
{
	struct pile_snapshot after;

	if (!before->found)
		return;
	pile_snapshot(r, id, &after);
	for (int i = 0; after.found && i < PILE_SNAP_FIELDS; i++)
		if (strcmp(before->v[i], after.v[i]) != 0)
			audit_write(r, "pile", id, AUDIT_UPDATE, snap_fields[i],
			    *before->v[i] ? before->v[i] : NULL, *after.v[i] ? after.v[i] : NULL);
}

static const struct query q_station_piles = {
	"SELECT id FROM piles WHERE station_id = ? AND company_id <> ? ORDER BY id FOR UPDATE",
	"ll", "l"
};
static const struct query q_follow = {
	"UPDATE piles SET company_id = ?, version = version + 1 WHERE id = ?", "ll", ""
};

int
pile_follow_station(struct req *r, int64_t station_id, int64_t company_id)
{
	struct db_cur c;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;

	if (db_open(&c, &q_station_piles, station_id, company_id) < 0)
		return db_tx_fail("station piles lookup failed");
	while (db_next(&c)) {
		if (n == cap) {
			int64_t *more = arena_calloc(r->arena, cap ? cap * 2 : 32, sizeof(*more));

			if (n)
				memcpy(more, ids, n * sizeof(*ids));
			ids = more;
			cap = cap ? cap * 2 : 32;
		}
		ids[n++] = db_i64(&c, 0);
	}
	db_close(&c);
	for (size_t i = 0; i < n; i++) {
		struct pile_snapshot before;

		pile_snapshot(r, ids[i], &before);
		if (db_exec(&q_follow, company_id, ids[i]) < 0)
			return db_tx_fail("pile company update failed");
		pile_post_change(r, ids[i], "company_id", before.v[5],
		    arena_printf(r->arena, "%lld", (long long)company_id));
		pile_audit_changes(r, ids[i], &before);
	}
	return (int)n;
}
