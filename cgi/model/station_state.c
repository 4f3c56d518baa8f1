/*
 * station_state.c — station state machine and its ledger postings.
 */
#include "model/station_state.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/req.h"

const char *const station_state_names[ST__MAX + 1] = {
	[ST_APPROVED] = "approved",
	[ST_BUILDING] = "building",
	[ST_OPERATING] = "operating",
	[ST_SUSPENDED] = "suspended",
	[ST_CLOSED] = "closed",
	[ST__MAX] = NULL,
};

/* allowed[from] is the set of states reachable in one step. */
static const unsigned allowed[ST__MAX] = {
	[ST_APPROVED] = 1u << ST_BUILDING,
	[ST_BUILDING] = 1u << ST_OPERATING,
	[ST_OPERATING] = 1u << ST_SUSPENDED,
	[ST_SUSPENDED] = 1u << ST_OPERATING | 1u << ST_CLOSED,
	[ST_CLOSED] = 0,
};

enum station_state
station_state_parse(const char *s)
{
	for (int i = 0; s && i < ST__MAX; i++)
		if (strcmp(station_state_names[i], s) == 0)
			return (enum station_state)i;
	return ST__MAX;
}

bool
station_transition_ok(enum station_state from, enum station_state to)
{
	if (from >= ST__MAX || to >= ST__MAX)
		return false;
	return from == to || (allowed[from] & (1u << to)) != 0;
}

static const struct query q_event = {
	"INSERT INTO asset_events (at, kind, station_id, from_state, to_state, user_id, request_id)"
	" VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?)",
	"sl?s?s?ls", ""
};

/* The day a state was entered, in the site's time zone (Site.tz);
 * kept when the station re-enters a state (operating after a suspension). */
#define ENTERED(col)                                                        \
	{ "UPDATE stations SET " col " = COALESCE(" col ","                 \
	  " " SQL_TODAY ") WHERE id = ?", "l", "" }
static const struct query q_entered[ST__MAX] = {
	[ST_APPROVED] = ENTERED("approved_on"),
	[ST_BUILDING] = ENTERED("building_on"),
	[ST_OPERATING] = ENTERED("operating_on"),
	[ST_SUSPENDED] = ENTERED("suspended_on"),
	[ST_CLOSED] = ENTERED("closed_on"),
};

static void
post(struct req *r, const char *kind, int64_t id, const char *from, const char *to)
{
	int64_t uid = r->user ? r->user->id : 0;

	if (db_exec(&q_event, kind, id, from, to, r->user ? &uid : NULL, r->id) < 0)
		(void)db_tx_fail("ledger posting failed");
}

void
station_post_create(struct req *r, int64_t id, enum station_state to)
{
	post(r, "station_create", id, NULL, station_state_names[to]);
	if (db_exec(&q_entered[to], id) < 0)
		(void)db_tx_fail("station date update failed");
}

void
station_post_state(struct req *r, int64_t id, enum station_state from, enum station_state to)
{
	if (from == to)
		return;
	post(r, "station_state", id, station_state_names[from], station_state_names[to]);
	if (db_exec(&q_entered[to], id) < 0)
		(void)db_tx_fail("station date update failed");
}

static const struct query q_close_anomalies = {
	"UPDATE anomalies SET status = 'closed', closed_at = UTC_TIMESTAMP()"
	" WHERE station_id = ? AND status = 'open'", "l", ""
};

void
station_post_delete(struct req *r, int64_t id, enum station_state from)
{
	post(r, "station_delete", id, from < ST__MAX ? station_state_names[from] : NULL, NULL);
	/* Nothing is left to count at a station that is gone. */
	if (db_exec(&q_close_anomalies, id) < 0)
		(void)db_tx_fail("closing anomalies failed");
}
