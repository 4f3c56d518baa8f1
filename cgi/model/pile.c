/*
 * pile.c — pile state machine, binding and ledger postings.
 *
 *   in_stock ──bind──▶ installed ──▶ operating ⇄ repair
 *      ▲                  │ unbind       │ unbind    │
 *      └──────────────────┴──────────────┘           ▼
 *   in_stock ◀── at_supplier ◀── operating/repair/in_stock
 *   in_stock ⇄ leased_out, lent;  in_stock/repair → scrapped; in_stock → sold
 *   in_stock/installed/operating → lease_ended (a leased-in pile given back)
 * sold, scrapped and lease_ended are final.
 */
#include "model/pile.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/req.h"
#include "core/text.h"
#include "model/anomaly.h"

const char *const pile_state_names[PS__MAX + 1] = {
	[PS_IN_STOCK] = "in_stock",
	[PS_INSTALLED] = "installed",
	[PS_OPERATING] = "operating",
	[PS_REPAIR] = "repair",
	[PS_AT_SUPPLIER] = "at_supplier",
	[PS_LEASED_OUT] = "leased_out",
	[PS_LENT] = "lent",
	[PS_SOLD] = "sold",
	[PS_SCRAPPED] = "scrapped",
	[PS_LEASE_ENDED] = "lease_ended",
	[PS__MAX] = NULL,
};

#define B(s) (1u << (s))
static const unsigned allowed[PS__MAX] = {
	[PS_IN_STOCK] = B(PS_INSTALLED) | B(PS_AT_SUPPLIER) | B(PS_LEASED_OUT) | B(PS_LENT) |
	    B(PS_SOLD) | B(PS_SCRAPPED) | B(PS_LEASE_ENDED),
	[PS_INSTALLED] = B(PS_OPERATING) | B(PS_IN_STOCK) | B(PS_REPAIR) | B(PS_LEASE_ENDED),
	[PS_OPERATING] = B(PS_REPAIR) | B(PS_IN_STOCK) | B(PS_AT_SUPPLIER) | B(PS_LEASE_ENDED),
	[PS_REPAIR] = B(PS_OPERATING) | B(PS_AT_SUPPLIER) | B(PS_SCRAPPED) | B(PS_IN_STOCK),
	[PS_AT_SUPPLIER] = B(PS_IN_STOCK),
	[PS_LEASED_OUT] = B(PS_IN_STOCK),
	[PS_LENT] = B(PS_IN_STOCK),
	[PS_SOLD] = 0,
	[PS_SCRAPPED] = 0,
	[PS_LEASE_ENDED] = 0,
};

enum pile_state
pile_state_parse(const char *s)
{
	for (int i = 0; s && i < PS__MAX; i++)
		if (strcmp(pile_state_names[i], s) == 0)
			return (enum pile_state)i;
	return PS__MAX;
}

bool
pile_transition_ok(enum pile_state from, enum pile_state to)
{
	if (from >= PS__MAX || to >= PS__MAX)
		return false;
	return from == to || (allowed[from] & B(to)) != 0;
}

static const struct query q_event = {
	"INSERT INTO asset_events (at, kind, station_id, pile_id, from_state, to_state,"
	" from_place, to_place, detail, user_id, request_id)"
	" VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"s?ll?s?s?s?s?s?ls", ""
};

static void
post(struct req *r, const char *kind, int64_t station, int64_t pile, const char *from,
    const char *to, const char *from_place, const char *to_place, const char *detail)
{
	int64_t uid = r->user ? r->user->id : 0;

	if (db_exec(&q_event, kind, station ? &station : NULL, pile, from, to, from_place,
	    to_place, detail, r->user ? &uid : NULL, r->id) < 0)
		die("ledger posting failed");
}

void
pile_post_create(struct req *r, int64_t id, enum pile_state state, const char *place)
{
	post(r, "pile_create", 0, id, NULL, pile_state_names[state], NULL, place, NULL);
}

void
pile_post_state(struct req *r, int64_t id, enum pile_state from, enum pile_state to)
{
	if (from != to)
		post(r, "pile_state", 0, id, pile_state_names[from], pile_state_names[to],
		    NULL, NULL, NULL);
}

void
pile_post_change(struct req *r, int64_t id, const char *what, const char *from, const char *to)
{
	/* "what: from -> to" with two 32-character UTF-8 values fits whole (a
	 * cut inside a character would make the posting fail). */
	char detail[512];

	snprintf(detail, sizeof(detail), "%s: %s -> %s", what, from ? from : "", to ? to : "");
	post(r, "pile_change", 0, id, NULL, NULL, NULL, NULL, detail);
}

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

static bool
lock_pile(int64_t id, struct pile_row *p)
{
	struct db_cur c;
	bool found = false;

	if (db_open(&c, &q_lock, id) < 0)
		die("pile lock failed");
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
	struct db_cur c;
	char state[16] = "";

	if (!lock_pile(pile_id, &p))
		return "err.not_found";
	if (!p.has_product)
		return "err.pile_no_product";
	if (p.station == station_id)
		return "err.pile_already_here";
	if (p.station != 0)
		return "err.pile_bound_elsewhere";
	if (p.state != PS_IN_STOCK)
		return "err.pile_not_in_stock";
	if (db_open(&c, &q_station_state, station_id) < 0)
		die("station lock failed");
	if (db_next(&c))
		snprintf(state, sizeof(state), "%s", db_str(&c, 0));
	db_close(&c);
	if (*state == '\0')
		return "err.not_found";
	if (strcmp(state, "closed") == 0)
		return "err.station_closed";
	if (db_exec(&q_bind, station_id, pile_id) < 0)
		die("bind failed");
	post(r, "pile_bind", station_id, pile_id, pile_state_names[p.state], "installed",
	    place_of(r, &p), arena_printf(r->arena, "station:%lld", (long long)station_id), NULL);
	anomaly_check_quantity(r, station_id);
	return NULL;
}

const char *
pile_unbind(struct req *r, int64_t pile_id, int64_t warehouse_id)
{
	struct pile_row p;
	int64_t station;

	if (!lock_pile(pile_id, &p))
		return "err.not_found";
	if (p.station == 0)
		return "err.pile_not_bound";
	if (!pile_transition_ok(p.state, PS_IN_STOCK))
		return "err.pile_state_unbind";
	station = p.station;
	if (db_exec(&q_unbind, warehouse_id ? &warehouse_id : NULL, pile_id) < 0)
		die("unbind failed");
	post(r, "pile_unbind", station, pile_id, pile_state_names[p.state], "in_stock",
	    place_of(r, &p), warehouse_id ? arena_printf(r->arena, "warehouse:%lld",
	    (long long)warehouse_id) : "none", NULL);
	anomaly_check_quantity(r, station);
	return NULL;
}

/* ---- phone-page changes (ca-wechat), written as the web pile form does ---- */

bool
pile_edit_state_ok(enum pile_state from, enum pile_state to)
{
	bool in_service_from = from == PS_INSTALLED || from == PS_OPERATING || from == PS_REPAIR;
	bool in_service_to = to == PS_INSTALLED || to == PS_OPERATING || to == PS_REPAIR;

	if (from == to)
		return from < PS__MAX;
	return in_service_from && in_service_to && pile_transition_ok(from, to);
}

static const struct query q_lock_product = {
	"SELECT COALESCE(product_id, 0) FROM piles WHERE id = ? FOR UPDATE", "l", "l"
};
static const struct query q_set_product = {
	"UPDATE piles SET product_id = ?, version = version + 1 WHERE id = ?", "ll", ""
};
/* The pile form's warranty rule: commissioning (or registration) day plus
 * the product's warranty months. */
static const struct query q_set_warranty = {
	"UPDATE piles p LEFT JOIN products pr ON pr.id = p.product_id"
	" SET p.warranty_end = IF(pr.id IS NULL, NULL,"
	"  COALESCE(p.commissioned_on, DATE(p.created_at + INTERVAL 8 HOUR))"
	"  + INTERVAL pr.warranty_months MONTH)"
	" WHERE p.id = ?", "l", ""
};

const char *
pile_set_product(struct req *r, int64_t pile_id, int64_t product_id)
{
	struct db_cur c;
	int64_t had = -1;
	char *to;

	if (db_open(&c, &q_lock_product, pile_id) < 0)
		die("pile lock failed");
	if (db_next(&c))
		had = db_i64(&c, 0);
	db_close(&c);
	if (had < 0)
		return "err.not_found";
	if (had == product_id)
		return "err.pile_product_same";
	if (had != 0)
		return "err.pile_has_product";
	if (db_exec(&q_set_product, product_id, pile_id) < 0 ||
	    db_exec(&q_set_warranty, pile_id) < 0)
		die("set product failed");
	to = arena_printf(r->arena, "%lld", (long long)product_id);
	/* The form's update record ("" -> id) and ledger posting ("0 -> id"). */
	audit_write(r, "pile", pile_id, AUDIT_UPDATE, "product_id", "", to);
	pile_post_change(r, pile_id, "product_id", "0", to);
	return NULL;
}

static const struct query q_lock_maint = {
	"SELECT version, state, COALESCE(charging_mode, ''), COALESCE(comm_method, ''),"
	" COALESCE(sw_version, ''), COALESCE(hw_version, ''), COALESCE(tariff, '')"
	" FROM piles WHERE id = ? FOR UPDATE", "l", "issssss"
};
static const struct query q_maint = {
	"UPDATE piles SET state = ?, charging_mode = ?, comm_method = ?, sw_version = ?,"
	" hw_version = ?, tariff = ?, version = version + 1 WHERE id = ? AND version = ?",
	"s?s?s?s?s?sli", ""
};

/* A decimal as the form stores and compares it: 4 fraction digits. */
static const char *
tariff_canon(struct req *r, const char *s)
{
	double d;

	if (s == NULL || *s == '\0' || text_decimal(s, 12, &d) != 0)
		return s ? s : "";
	return arena_printf(r->arena, "%.4f", d);
}

static const char *
or_null(const char *s)
{
	return s && *s ? s : NULL;
}

const char *
pile_maintain(struct req *r, int64_t pile_id, const struct pile_maint *m)
{
	static const char *const names[] = { "charging_mode", "comm_method", "sw_version",
		"hw_version", "tariff" };
	const char *now[5] = { m->charging_mode, m->comm_method, m->sw_version, m->hw_version,
		tariff_canon(r, m->tariff) };
	const char *was[5];
	enum pile_state from = PS__MAX, to = pile_state_parse(m->state);
	struct db_cur c;
	int32_t version = -1;
	char *state_was = NULL;

	if (db_open(&c, &q_lock_maint, pile_id) < 0)
		die("pile lock failed");
	if (db_next(&c)) {
		version = db_int(&c, 0);
		state_was = arena_strdup(r->arena, db_str(&c, 1));
		for (int i = 0; i < 5; i++)
			was[i] = arena_strdup(r->arena, db_str(&c, i + 2));
	}
	db_close(&c);
	if (state_was == NULL)
		return "err.not_found";
	if (version != m->version)
		return "err.stale";
	from = pile_state_parse(state_was);
	if (to == PS__MAX || !pile_edit_state_ok(from, to))
		return "err.pile_state_edit";
	was[4] = tariff_canon(r, was[4]);
	if (db_exec(&q_maint, pile_state_names[to], or_null(now[0]), or_null(now[1]),
	    or_null(now[2]), or_null(now[3]), or_null(now[4]), pile_id, version) != 1)
		return "err.stale";
	if (from != to)
		audit_write(r, "pile", pile_id, AUDIT_UPDATE, "state", pile_state_names[from],
		    pile_state_names[to]);
	for (int i = 0; i < 5; i++)
		if (strcmp(was[i], now[i] ? now[i] : "") != 0)
			audit_write(r, "pile", pile_id, AUDIT_UPDATE, names[i], was[i],
			    now[i] ? now[i] : "");
	pile_post_state(r, pile_id, from, to);
	if (strcmp(was[2], m->sw_version ? m->sw_version : "") != 0)
		pile_post_change(r, pile_id, "sw_version", was[2], m->sw_version);
	if (strcmp(was[3], m->hw_version ? m->hw_version : "") != 0)
		pile_post_change(r, pile_id, "hw_version", was[3], m->hw_version);
	return NULL;
}
