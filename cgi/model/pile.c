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
#include "core/tpl.h"
#include "model/anomaly.h"
#include "model/code.h"
#include "model/model.h"

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
		(void)db_tx_fail("ledger posting failed");
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

static const char *tariff_canon(struct req *r, const char *s);

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
			a = tariff_canon(r, a);
			b = tariff_canon(r, b);
		}
		if (strcmp(a, b) == 0 || (i == PL_PRODUCT && change_value("product_id", a) == NULL &&
		    change_value("product_id", b) == NULL))
			continue;
		pile_post_change(r, id, pile_ledger_names[i], a, b);
	}
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
	post(r, "pile_bind", station_id, pile_id, pile_state_names[p.state], "installed",
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
	"  COALESCE(p.commissioned_on, DATE(" SQL_LOCAL("p.created_at") "))"
	"  + INTERVAL pr.warranty_months MONTH)"
	" WHERE p.id = ?", "l", ""
};

/* Only a row still operating and undated is touched, so a date typed in
 * the same save (or by someone else first) is never overwritten. */
static const struct query q_commission = {
	"UPDATE piles SET commissioned_on = " SQL_TODAY
	" WHERE id = ? AND state = 'operating' AND commissioned_on IS NULL", "l", ""
};
static const struct query q_commissioned = {
	"SELECT DATE_FORMAT(commissioned_on, '%Y-%m-%d') FROM piles WHERE id = ?", "l", "s"
};

bool
pile_commission(struct req *r, int64_t pile_id, enum pile_state from, enum pile_state to)
{
	struct db_cur c;
	char *day = NULL;
	int64_t n;

	if (to != PS_OPERATING || from == PS_OPERATING)
		return false;
	n = db_exec(&q_commission, pile_id);
	if (n < 0) {
		(void)db_tx_fail("commissioning date failed");
		return false;
	}
	if (n == 0)
		return false;
	if (db_open(&c, &q_commissioned, pile_id) < 0) {
		(void)db_tx_fail("commissioning date read failed");
		return false;
	}
	if (db_next(&c))
		day = arena_strdup(r->arena, db_str(&c, 0));
	db_close(&c);
	if (day == NULL || db_exec(&q_set_warranty, pile_id) < 0) {
		(void)db_tx_fail("commissioning warranty failed");
		return false;
	}
	/* As the edit form records a date typed into an empty field. */
	audit_write(r, "pile", pile_id, AUDIT_UPDATE, "commissioned_on", "", day);
	pile_post_change(r, pile_id, "commissioned_on", "", day);
	return true;
}

const char *
pile_set_product(struct req *r, int64_t pile_id, int64_t product_id)
{
	struct db_cur c;
	int64_t had = -1;
	char *to;

	if (db_open(&c, &q_lock_product, pile_id) < 0)
		return model_failed("pile lock failed");
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
		return model_failed("set product failed");
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
		return model_failed("pile lock failed");
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
	pile_commission(r, pile_id, from, to);
	pile_post_changes(r, pile_id,
	    (const char *const[PL__MAX]){ [PL_SW] = was[2], [PL_HW] = was[3], [PL_TARIFF] = was[4] },
	    (const char *const[PL__MAX]){ [PL_SW] = now[2] ? now[2] : "",
	    [PL_HW] = now[3] ? now[3] : "", [PL_TARIFF] = now[4] ? now[4] : "" });
	return NULL;
}

/* ---------------------------------------------------------------- codes */

static const struct query q_event_code = {
	"INSERT INTO asset_events (at, kind, pile_id, to_state, to_place, detail, from_code, to_code,"
	" user_id, request_id) VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"sl?s?s?s?s?s?ls", ""
};

static void
post_code(struct req *r, const char *kind, int64_t pile, const char *to_state, const char *to_place,
    const char *detail, const char *from_code, const char *to_code)
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
	post_code(r, "pile_create", id, pile_state_names[state], place, NULL, NULL, code);
}

/* A code and what may stop a new pile from carrying it.  Scope: the rule's
 * company, or the company of the pile that carries it. */
static const struct query q_code_lock = {
	"SELECT c.id, c.code, c.state, COALESCE(c.pile_id, 0),"
	" (? OR r.company_id = ? OR p.company_id = ?)"
	" FROM qr_codes c JOIN qr_batches b ON b.id = c.batch_id"
	" JOIN code_rules r ON r.id = b.rule_id LEFT JOIN piles p ON p.id = c.pile_id"
	" WHERE c.code = ? FOR UPDATE",
	"ills", "lssli"
};
static const struct query q_was_replaced = {
	"SELECT COUNT(*) FROM code_replacements WHERE old_code = ?", "s", "l"
};

const char *
pile_code_usable(struct req *r, const char *code, int64_t *code_id, char *canon, size_t canon_len)
{
	struct db_cur c;
	const char *refused = NULL;

	*code_id = 0;
	snprintf(canon, canon_len, "%s", code);
	if (db_open(&c, &q_code_lock, (int)r->user->scope_all, r->user->company_id,
	    r->user->company_id, code) < 0)
		return model_failed("code lookup failed");
	if (db_next(&c)) {
		const char *state = db_str(&c, 2);

		if (db_int(&c, 4) == 0)
			refused = "err.qr_code_scope";
		else if (strcmp(state, "void") == 0)
			refused = "err.qr_code_void";
		else if (strcmp(state, "bound") == 0 || db_i64(&c, 3) != 0)
			refused = "err.qr_code_bound";
		else {
			*code_id = db_i64(&c, 0);
			snprintf(canon, canon_len, "%s", db_str(&c, 1));
		}
	}
	db_close(&c);
	if (refused == NULL && *code_id == 0 && db_scalar(0, &q_was_replaced, code) > 0)
		refused = "err.qr_code_void";
	return refused;
}

static const struct query q_link = {
	"UPDATE qr_codes SET state = 'bound', pile_id = ?, bound_at = UTC_TIMESTAMP()"
	" WHERE id = ? AND state = 'unused'", "ll", ""
};

void
pile_link_code(struct req *r, int64_t pile_id, int64_t code_id)
{
	(void)r;
	if (db_exec(&q_link, pile_id, code_id) != 1)
		(void)db_tx_fail("code link failed");
}

/* The foreign key sets pile_id NULL when a pile goes; such a code is free. */
static const struct query q_free = {
	"UPDATE qr_codes SET state = 'unused', bound_at = NULL, bind_run_id = NULL"
	" WHERE state = 'bound' AND pile_id IS NULL", "", ""
};

void
pile_free_codes(struct req *r)
{
	(void)r;
	if (db_exec(&q_free) < 0)
		(void)db_tx_fail("code release failed");
}

/* ---- piles from a batch's codes, set-based: 10,000 piles are a handful
 * of statements, not 50,000. ---- */

static const struct query q_run_insert = {
	"INSERT INTO qr_pile_runs (batch_id, form_key, product_id, company_id, warehouse_id, count,"
	" created_by) VALUES (?, ?, ?, ?, ?, 0, ?)",
	"l?sll?ll", ""
};
/* Take the free codes for this run (locks them: a concurrent run waits and
 * then finds them bound). */
static const struct query q_run_pick = {
	"UPDATE qr_codes SET bind_run_id = ? WHERE batch_id = ? AND state = 'unused' AND serial >= ?"
	" ORDER BY serial LIMIT ?", "llll", ""
};
static const struct query q_run_taken = {
	"SELECT c.code FROM qr_codes c JOIN piles p ON p.code = c.code"
	" WHERE c.bind_run_id = ? AND c.state = 'unused' ORDER BY c.serial LIMIT 1", "l", "s"
};
static const struct query q_run_piles = {
	"INSERT INTO piles (code, product_id, company_id, warehouse_id, place, state,"
	" owner_company_id, operator_company_id)"
	" SELECT c.code, ?, ?, ?, ?, 'in_stock', ?, ? FROM qr_codes c"
	" WHERE c.bind_run_id = ? AND c.state = 'unused' ORDER BY c.serial",
	"ll?lslll", ""
};
static const struct query q_run_bind = {
	"UPDATE qr_codes c JOIN piles p ON p.code = c.code"
	" SET c.state = 'bound', c.pile_id = p.id, c.bound_at = UTC_TIMESTAMP()"
	" WHERE c.bind_run_id = ? AND c.state = 'unused'", "l", ""
};
static const struct query q_run_warranty = {
	"UPDATE piles p JOIN qr_codes c ON c.pile_id = p.id JOIN products pr ON pr.id = p.product_id"
	" SET p.warranty_end = DATE(" SQL_LOCAL("p.created_at") ") + INTERVAL pr.warranty_months MONTH"
	" WHERE c.bind_run_id = ?", "l", ""
};
static const struct query q_run_events = {
	"INSERT INTO asset_events (at, kind, pile_id, to_state, to_place, to_code, user_id, request_id)"
	" SELECT UTC_TIMESTAMP(6), 'pile_create', c.pile_id, 'in_stock', ?, c.code, ?, ?"
	" FROM qr_codes c WHERE c.bind_run_id = ? ORDER BY c.serial",
	"s?lsl", ""
};
/* The set form of audit_write (core/audit.c): one create record per pile. */
static const struct query q_run_audit = {
	"INSERT INTO audit_log (at, user_id, entity, entity_id, action, field, old_value, new_value,"
	" request_id, ip)"
	" SELECT UTC_TIMESTAMP(6), ?, 'pile', c.pile_id, 'create', NULL, NULL, c.code, ?, ?"
	" FROM qr_codes c WHERE c.bind_run_id = ? ORDER BY c.serial",
	"?lssl", ""
};
static const struct query q_run_count = {
	"UPDATE qr_pile_runs SET count = ? WHERE id = ?", "ll", ""
};

int64_t
pile_create_from_codes(struct req *r, const struct pile_from_codes *in, int64_t *created,
    const char **refused)
{
	int64_t uid = r->user->id, run, n, rc;
	const char *place = in->warehouse_id ? arena_printf(r->arena, "warehouse:%lld",
	    (long long)in->warehouse_id) : "none";
	struct db_cur c;
	bool taken = false;

	*created = 0;
	*refused = NULL;
	rc = db_exec(&q_run_insert, in->batch_id, in->form_key, in->product_id, in->company_id,
	    in->warehouse_id ? &in->warehouse_id : NULL, uid);
	if (rc == DB_DUP)
		return -2;
	if (rc < 0)
		return db_tx_fail("pile run insert failed");
	run = db_insert_id();
	n = db_exec(&q_run_pick, run, in->batch_id, in->from_serial,
	    in->count > 0 ? in->count : (int64_t)1000000);
	if (n < 0)
		return db_tx_fail("code pick failed");
	if (n == 0) {
		*refused = "err.qr_no_free_codes";
		return 0;
	}
	/* A pile typed in by hand may already carry one of these codes. */
	if (db_open(&c, &q_run_taken, run) < 0)
		return db_tx_fail("code check failed");
	if (db_next(&c)) {
		taken = true;
		tpl_set(r, "Page.taken_code", db_str(&c, 0));
	}
	db_close(&c);
	if (taken) {
		*refused = "err.qr_code_taken";
		return 0;
	}
	if (db_exec(&q_run_piles, in->product_id, in->company_id,
	    in->warehouse_id ? &in->warehouse_id : NULL, in->warehouse_id ? "warehouse" : "none",
	    in->company_id, in->company_id, run) != n ||
	    db_exec(&q_run_bind, run) != n ||
	    db_exec(&q_run_warranty, run) < 0 ||
	    db_exec(&q_run_events, place, &uid, r->id, run) != n ||
	    db_exec(&q_run_audit, &uid, r->id, r->remote_addr ? r->remote_addr : "", run) != n ||
	    db_exec(&q_run_count, n, run) < 0)
		return db_tx_fail("piles from codes failed");
	*created = n;
	return run;
}

/* ---- regeneration ---- */

static const struct query q_pile_code_lock = {
	"SELECT code FROM piles WHERE id = ? FOR UPDATE", "l", "s"
};
static const struct query q_old_code = {
	"SELECT c.id, c.state, b.rule_id FROM qr_codes c JOIN qr_batches b ON b.id = c.batch_id"
	" WHERE c.code = ? FOR UPDATE", "s", "lsl"
};
static const struct query q_regen_rule = {
	"SELECT prefix, segment, year_digits, serial_width, check_char, next_serial,"
	" YEAR(" SQL_TODAY "), enabled FROM code_rules WHERE id = ? FOR UPDATE",
	"l", "ssiiilii"
};
static const struct query q_regen_batch = {
	"INSERT INTO qr_batches (rule_id, count, first_serial, year, state, done_count, note, created_by)"
	" VALUES (?, 1, ?, ?, 'done', 1, ?, ?)", "llisl", ""
};
static const struct query q_regen_bump = {
	"UPDATE code_rules SET next_serial = next_serial + 1 WHERE id = ?", "l", ""
};
static const struct query q_code_in_use = {
	"SELECT (SELECT COUNT(*) FROM piles WHERE code = ?)"
	" + (SELECT COUNT(*) FROM code_replacements WHERE old_code = ?)", "ss", "l"
};
static const struct query q_regen_code = {
	"INSERT INTO qr_codes (code, batch_id, serial, state, pile_id, bound_at)"
	" VALUES (?, ?, ?, 'bound', ?, UTC_TIMESTAMP())", "slll", ""
};
static const struct query q_void = {
	"UPDATE qr_codes SET state = 'void', voided_at = UTC_TIMESTAMP(), void_reason = ?,"
	" replaced_by = ?, pile_id = ? WHERE id = ?", "slll", ""
};
static const struct query q_relink = {
	"UPDATE piles SET code = ?, version = version + 1 WHERE id = ?", "sl", ""
};
static const struct query q_replacement = {
	"INSERT INTO code_replacements (pile_id, old_code, old_code_id, new_code, new_code_id, reason,"
	" note, form_key, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP())",
	"ls?lsls?s?sl", ""
};

static bool
reason_ok(const char *s)
{
	return s && (strcmp(s, "lost") == 0 || strcmp(s, "damaged") == 0 || strcmp(s, "other") == 0);
}

const char *
pile_replace_code(struct req *r, const struct pile_code_replace *in, char *new_code, size_t new_len,
    const char **field)
{
	struct db_cur c;
	char old[CODE_MAX + 1] = "", prefix[8] = "", segment[8] = "";
	int64_t old_id = 0, rule_id = in->rule_id, serial = 0, batch, code_id, rc;
	int64_t uid = r->user->id;
	struct code_rule rule;
	int year = 0;
	bool found = false, old_void = false, enabled = false;

	*field = NULL;
	if (new_len > 0)
		new_code[0] = '\0';
	if (!reason_ok(in->reason)) {
		*field = "reason";
		return "err.choice";
	}
	if (db_open(&c, &q_pile_code_lock, in->pile_id) < 0)
		return model_failed("pile lock failed");
	if (db_next(&c)) {
		found = true;
		snprintf(old, sizeof(old), "%s", db_str(&c, 0));
	}
	db_close(&c);
	if (!found)
		return "err.not_found";
	if (in->expect_code == NULL || strcmp(in->expect_code, old) != 0)
		return "err.qr_code_changed";
	if (db_open(&c, &q_old_code, old) < 0)
		return model_failed("code lock failed");
	if (db_next(&c)) {
		old_id = db_i64(&c, 0);
		old_void = strcmp(db_str(&c, 1), "void") == 0;
		if (rule_id == 0)
			rule_id = db_i64(&c, 2);
	}
	db_close(&c);
	if (rule_id == 0) {
		*field = "rule_id";
		return "err.qr_rule_needed";
	}
	found = false;
	if (db_open(&c, &q_regen_rule, rule_id) < 0)
		return model_failed("rule lock failed");
	if (db_next(&c)) {
		found = true;
		snprintf(prefix, sizeof(prefix), "%s", db_str(&c, 0));
		snprintf(segment, sizeof(segment), "%s", db_str(&c, 1));
		rule = (struct code_rule){ prefix, segment, db_int(&c, 2), db_int(&c, 3),
			db_int(&c, 4) != 0 };
		serial = db_i64(&c, 5);
		year = db_int(&c, 6);
		enabled = db_int(&c, 7) != 0;
	}
	db_close(&c);
	if (!found || !enabled) {
		*field = "rule_id";
		return found ? "err.qr_rule_disabled" : "err.ref";
	}
	if (code_build(&rule, year, serial, new_code, new_len) != CODE_OK) {
		*field = "rule_id";
		return "err.qr_capacity";
	}
	/* Another rule (or a typed-in pile) has this code already: the whole
	 * change rolls back, so the user picks another rule. */
	if (db_scalar(0, &q_code_in_use, new_code, new_code) > 0) {
		*field = "rule_id";
		return "err.qr_collision";
	}
	if (db_exec(&q_regen_batch, rule_id, serial, year,
	    arena_printf(r->arena, "二维码重生 %s → %s", old, new_code), uid) < 0)
		return model_failed("regeneration batch failed");
	batch = db_insert_id();
	if (db_exec(&q_regen_bump, rule_id) < 0)
		return model_failed("rule bump failed");
	rc = db_exec(&q_regen_code, new_code, batch, serial, in->pile_id);
	if (rc == DB_DUP) {
		*field = "rule_id";
		return "err.qr_collision";
	}
	if (rc < 0)
		return model_failed("new code insert failed");
	code_id = db_insert_id();
	/* The void code keeps the pile it belonged to (history); the pile now
	 * carries the new one. */
	if (old_id && !old_void && db_exec(&q_void, in->reason, code_id, in->pile_id, old_id) < 0)
		return model_failed("void failed");
	if (db_exec(&q_relink, new_code, in->pile_id) != 1)
		return model_failed("relink failed");
	rc = db_exec(&q_replacement, in->pile_id, old, old_id ? &old_id : NULL, new_code, code_id,
	    in->reason, in->note, in->form_key, uid);
	if (rc == DB_DUP) {
		*field = NULL;
		return "err.qr_form_used";
	}
	if (rc < 0)
		return model_failed("replacement record failed");
	post_code(r, "code_replace", in->pile_id, NULL, NULL,
	    arena_printf(r->arena, "%s → %s (%s)", old, new_code, tpl_lang(r, arena_printf(r->arena,
	    "enum.qr_void_reason.%s", in->reason))), old, new_code);
	audit_write(r, "pile", in->pile_id, AUDIT_UPDATE, "code", old, new_code);
	return NULL;
}

/* ---- update records (F4.21) of whatever a change did to a pile ----
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
