/*
 * station_show.c — the station page (GET /asset/stations/:id): what every
 * role that may see a station opens from a pile card, the map, a lease
 * reminder or a notice.  Its facts and site lease, its piles by state,
 * sub-assets, anomalies, the ledger of the station and its piles, and the
 * latest update records; editing is a button for those who may.  Outside
 * the user's company a station is not found, exactly like an unknown id.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/page.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"

#include "asset/asset.h"

#define PILES_SHOWN 500		/* a station with more: the list links to all of them */
#define SUBASSETS_SHOWN 200
#define ANOMALIES_SHOWN 20
#define EVENTS_SHOWN 30
#define RECORDS_SHOWN 10

/* The day the station entered its state (stations.<state>_on). */
#define STATE_SINCE                                                             \
	"CASE s.state WHEN 'approved' THEN s.approved_on WHEN 'building' THEN s.building_on" \
	" WHEN 'operating' THEN s.operating_on WHEN 'suspended' THEN s.suspended_on"   \
	" WHEN 'closed' THEN s.closed_on END"

static const struct query q_station = {
	"SELECT s.id, s.code, s.name, s.state, " STATE_SINCE ", co.name, ci.name, s.address,"
	" s.lat, s.lng, COALESCE(na.name, s.asset_nature), ow.name, op.name, s.expected_piles,"
	" s.commissioned_on, le.name, s.lease_start, s.lease_end,"
	" DATEDIFF(s.lease_end, " SQL_TODAY "), s.staff, s.staff_phone, s.note, s.company_id,"
	" su.name, su.phone"
	" FROM stations s JOIN companies co ON co.id = s.company_id"
	" LEFT JOIN users su ON su.id = s.staff_user_id"
	" JOIN cities ci ON ci.id = s.city_id"
	" LEFT JOIN dict_items na ON na.dict = 'asset_nature' AND na.code = s.asset_nature"
	" LEFT JOIN companies ow ON ow.id = s.owner_company_id"
	" LEFT JOIN companies op ON op.id = s.operator_company_id"
	" LEFT JOIN companies le ON le.id = s.lessor_id"
	" WHERE s.id = ?" SCOPE_COMPANY("s.company_id"),
	"lil", "lssssssssssssssssssssslss"
};

/* Page.station.<name> of each column of q_station (NULL: handled apart). */
static const char *const station_names[] = {
	NULL, "code", "name", "state", "state_since", "company", "city", "address", "lat",
	"lng", "nature", "owner", "operator", "expected_piles", "commissioned_on", "lessor",
	"lease_start", "lease_end", NULL, "staff", "staff_phone", "note", NULL, "staff_user", "staff_user_phone",
};

static const struct query q_pile_states = {
	"SELECT state, COUNT(*) FROM piles WHERE station_id = ? GROUP BY state ORDER BY state",
	"l", "sl"
};
static const struct query q_piles = {
	"SELECT p.id, p.code, pr.model, m.name, pr.rated_power_kw, p.state, p.sw_version,"
	" p.commissioned_on FROM piles p LEFT JOIN products pr ON pr.id = p.product_id"
	" LEFT JOIN companies m ON m.id = pr.manufacturer_id"
	" WHERE p.station_id = ? ORDER BY p.code LIMIT ?",
	"ll", "lsssssss"
};
static const struct query q_subassets = {
	"SELECT id, kind, name, model, completed_on, contractor, cost FROM sub_assets"
	" WHERE station_id = ? ORDER BY kind, name, id LIMIT ?",
	"ll", "lssssss"
};
static const struct query q_anomalies = {
	"SELECT a.kind, a.status, a.expected, a.actual, a.detail,"
	" DATE_FORMAT(" SQL_LOCAL("a.opened_at") ", '%Y-%m-%d %H:%i'), COALESCE(p.id, 0), p.code"
	" FROM anomalies a LEFT JOIN piles p ON p.id = a.pile_id"
	" WHERE a.station_id = ? ORDER BY a.status = 'open' DESC, a.opened_at DESC, a.id DESC LIMIT ?",
	"ll", "ssssssls"
};
static const struct query q_events = {
	"SELECT DATE_FORMAT(" SQL_LOCAL("e.at") ", '%Y-%m-%d %H:%i'), e.kind, e.from_state,"
	" e.to_state, COALESCE(p.id, 0), p.code, e.detail, u.name"
	" FROM asset_events e LEFT JOIN piles p ON p.id = e.pile_id"
	" LEFT JOIN users u ON u.id = e.user_id"
	" WHERE e.station_id = ? ORDER BY e.id DESC LIMIT ?",
	"ll", "sssslsss"
};
static const struct query q_records = {
	"SELECT DATE_FORMAT(" SQL_LOCAL("a.at") ", '%Y-%m-%d %H:%i'), a.action, a.field,"
	" u.name FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
	" WHERE a.entity = 'station' AND a.entity_id = ? ORDER BY a.at DESC, a.id DESC LIMIT ?",
	"ll", "ssss"
};

/* Lang.<group>.<code>, "-" in codes read as "_" (HDF names). */
static const char *
label(struct req *r, const char *group, const char *code)
{
	char key[96];

	if (code == NULL || *code == '\0')
		return "";
	snprintf(key, sizeof(key), "%s.%s", group, code);
	for (char *p = key; *p; p++)
		if (*p == '-')
			*p = '_';
	return tpl_lang(r, key);
}

const char *
asset_money(struct req *r, const char *v)
{
	char m[64];

	if (v == NULL)
		return "";
	return text_money(v, m, sizeof(m)) == 0 ? arena_strdup(r->arena, m) : v;
}

/* Page.station.*; 200, 404 outside the user's scope, or 500. */
static int
facts(struct req *r, int64_t id)
{
	struct db_cur c;
	int found = 0;

	if (db_open(&c, &q_station, id, SCOPE_ARGS(r)) < 0)
		return 500;
	if (db_next(&c)) {
		found = 1;
		for (int i = 1; i < (int)(sizeof(station_names) / sizeof(station_names[0])); i++)
			if (station_names[i])
				tpl_setf(r, db_str(&c, i), "Page.station.%s", station_names[i]);
		tpl_set(r, "Page.station.state_label", label(r, "enum.station_state", db_str(&c, 3)));
		if (!db_null(&c, 18)) {
			int64_t left = db_i64(&c, 18);

			tpl_set_int(r, "Page.station.lease_days", left);
			tpl_set(r, "Page.station.lease_state", left < 0 ? "expired" : left <= 90 ? "soon" : "ok");
		}
	}
	db_close(&c);
	if (!found)
		return 404;
	tpl_set_int(r, "Page.id", id);
	return 200;
}

static int
piles(struct req *r, int64_t id)
{
	struct db_cur c;
	int64_t total = 0;
	int n = 0;

	if (db_open(&c, &q_pile_states, id) < 0)
		return -1;
	while (db_next(&c)) {
		tpl_setf(r, db_str(&c, 0), "Page.states.%d.code", n);
		tpl_setf(r, label(r, "enum.pile_state", db_str(&c, 0)), "Page.states.%d.label", n);
		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 1)),
		    "Page.states.%d.count", n);
		total += db_i64(&c, 1);
		n++;
	}
	db_close(&c);
	tpl_set_int(r, "Page.piles_total", total);
	if (total > PILES_SHOWN)
		tpl_set_int(r, "Page.piles_shown", PILES_SHOWN);
	if (db_open(&c, &q_piles, id, (int64_t)PILES_SHOWN) < 0)
		return -1;
	for (n = 0; db_next(&c); n++) {
		static const char *const names[] = { NULL, "code", "model", "manufacturer",
			"rated_power_kw", "state", "sw_version", "commissioned_on" };

		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)), "Page.piles.%d.id", n);
		for (int i = 1; i < 8; i++)
			tpl_setf(r, db_str(&c, i), "Page.piles.%d.%s", n, names[i]);
		tpl_setf(r, label(r, "enum.pile_state", db_str(&c, 5)), "Page.piles.%d.state_label", n);
	}
	db_close(&c);
	return 0;
}

static int
subassets(struct req *r, int64_t id)
{
	struct db_cur c;

	if (db_open(&c, &q_subassets, id, (int64_t)SUBASSETS_SHOWN) < 0)
		return -1;
	for (int n = 0; db_next(&c); n++) {
		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)), "Page.subassets.%d.id", n);
		tpl_setf(r, label(r, "enum.subasset_kind", db_str(&c, 1)), "Page.subassets.%d.kind", n);
		tpl_setf(r, db_str(&c, 2), "Page.subassets.%d.name", n);
		tpl_setf(r, db_str(&c, 3), "Page.subassets.%d.model", n);
		tpl_setf(r, db_str(&c, 4), "Page.subassets.%d.completed_on", n);
		tpl_setf(r, db_str(&c, 5), "Page.subassets.%d.contractor", n);
		tpl_setf(r, asset_money(r, db_str(&c, 6)), "Page.subassets.%d.cost", n);
	}
	db_close(&c);
	return 0;
}

static int
anomalies(struct req *r, int64_t id)
{
	struct db_cur c;

	if (db_open(&c, &q_anomalies, id, (int64_t)ANOMALIES_SHOWN) < 0)
		return -1;
	for (int n = 0; db_next(&c); n++) {
		tpl_setf(r, label(r, "enum.anomaly_kind", db_str(&c, 0)), "Page.anomalies.%d.kind", n);
		tpl_setf(r, db_str(&c, 1), "Page.anomalies.%d.status", n);
		tpl_setf(r, label(r, "enum.anomaly_status", db_str(&c, 1)), "Page.anomalies.%d.status_label", n);
		tpl_setf(r, db_str(&c, 2), "Page.anomalies.%d.expected", n);
		tpl_setf(r, db_str(&c, 3), "Page.anomalies.%d.actual", n);
		tpl_setf(r, db_str(&c, 4), "Page.anomalies.%d.detail", n);
		tpl_setf(r, db_str(&c, 5), "Page.anomalies.%d.opened_at", n);
		if (db_i64(&c, 6) > 0) {
			tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 6)),
			    "Page.anomalies.%d.pile_id", n);
			tpl_setf(r, db_str(&c, 7), "Page.anomalies.%d.pile", n);
		}
	}
	db_close(&c);
	return 0;
}

/* The ledger: the station's own events and its piles' bindings. */
static int
events(struct req *r, int64_t id)
{
	struct db_cur c;

	if (db_open(&c, &q_events, id, (int64_t)EVENTS_SHOWN) < 0)
		return -1;
	for (int n = 0; db_next(&c); n++) {
		/* A pile's states are pile states; the station's are station states. */
		const char *set = db_i64(&c, 4) > 0 ? "enum.pile_state" : "enum.station_state";

		tpl_setf(r, db_str(&c, 0), "Page.events.%d.at", n);
		tpl_setf(r, label(r, "event", db_str(&c, 1)), "Page.events.%d.kind", n);
		tpl_setf(r, label(r, set, db_str(&c, 2)), "Page.events.%d.from", n);
		tpl_setf(r, label(r, set, db_str(&c, 3)), "Page.events.%d.to", n);
		if (db_i64(&c, 4) > 0) {
			tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 4)),
			    "Page.events.%d.pile_id", n);
			tpl_setf(r, db_str(&c, 5), "Page.events.%d.pile", n);
		}
		tpl_setf(r, db_str(&c, 6), "Page.events.%d.detail", n);
		tpl_setf(r, db_str(&c, 7), "Page.events.%d.user", n);
	}
	db_close(&c);
	return 0;
}

static int
records(struct req *r, int64_t id)
{
	struct db_cur c;

	if (db_open(&c, &q_records, id, (int64_t)RECORDS_SHOWN) < 0)
		return -1;
	for (int n = 0; db_next(&c); n++) {
		const char *field = db_str(&c, 2);

		tpl_setf(r, db_str(&c, 0), "Page.records.%d.at", n);
		tpl_setf(r, label(r, "act", db_str(&c, 1)), "Page.records.%d.action", n);
		tpl_setf(r, *field ? label(r, "f", field) : "", "Page.records.%d.field", n);
		tpl_setf(r, db_str(&c, 3), "Page.records.%d.user", n);
	}
	db_close(&c);
	return 0;
}

int
station_show(struct req *r)
{
	static const char *const flashes[] = { "created", "updated", NULL };
	int64_t id;
	int rc;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if ((rc = facts(r, id)) != 200)
		return rc;
	if (piles(r, id) < 0 || subassets(r, id) < 0 || anomalies(r, id) < 0 || events(r, id) < 0)
		return 500;
	/* The update records, for those who may read them. */
	if (user_can(r, PERM_AUDIT_VIEW)) {
		tpl_set(r, "Page.can_records", "1");
		if (records(r, id) < 0)
			return 500;
	}
	page_flash(r, "flash.", flashes);
	if (user_can(r, PERM_ASSET_EDIT))
		tpl_set(r, "Page.can_edit", "1");
	tpl_set(r, "Page.menu", "asset.station");
	tpl_set(r, "Page.base", "/asset/stations");	/* the breadcrumbs' list */
	tpl_set(r, "Page.res_label", tpl_lang(r, "navitem.stations"));
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s %s %s", tpl_lang(r, "res.station"),
	    tpl_get(r, "Page.station.code"), tpl_get(r, "Page.station.name")));
	tpl_set(r, "Page.view", "asset/station_show.cs");
	return 200;
}
