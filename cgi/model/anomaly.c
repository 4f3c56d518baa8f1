/*
 * anomaly.c — automatic anomaly records.  At most one open quantity
 * anomaly per station: the open row is locked while it is compared, so two
 * bindings at the same station cannot open two.
 */
#include "model/anomaly.h"

#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/audit.h"
#include "core/req.h"

static const struct query q_counts = {
	"SELECT s.expected_piles,"
	" (SELECT COUNT(*) FROM piles p WHERE p.station_id = s.id), s.state"
	" FROM stations s WHERE s.id = ? FOR UPDATE",
	"l", "lls"
};
static const struct query q_open = {
	"SELECT id FROM anomalies WHERE kind = 'quantity' AND station_id = ? AND status = 'open'"
	" FOR UPDATE", "l", "l"
};
static const struct query q_insert = {
	"INSERT INTO anomalies (kind, station_id, expected, actual, opened_at)"
	" VALUES ('quantity', ?, ?, ?, UTC_TIMESTAMP())", "lll", ""
};
static const struct query q_update = {
	"UPDATE anomalies SET expected = ?, actual = ?, version = version + 1 WHERE id = ?", "lll", ""
};
static const struct query q_close = {
	"UPDATE anomalies SET status = 'closed', expected = ?, actual = ?,"
	" closed_at = UTC_TIMESTAMP(), version = version + 1 WHERE id = ?", "lll", ""
};

void
anomaly_check_quantity(struct req *r, int64_t station_id)
{
	struct db_cur c;
	int64_t expected = 0, actual = 0, open = 0;
	int found = 0, live = 0;
	int differ;

	(void)r;
	if (db_open(&c, &q_counts, station_id) < 0)
{
		(void)db_tx_fail("quantity check failed");
		return;
	}
	if (db_next(&c)) {
		found = 1;
		expected = db_i64(&c, 0);
		actual = db_i64(&c, 1);
		/* Only a station in service is expected to have its piles; one
		 * being approved or built fills up step by step. */
		live = strcmp(db_str(&c, 2), "operating") == 0 ||
		    strcmp(db_str(&c, 2), "suspended") == 0;
	}
	db_close(&c);
	if (!found)
		return;
	open = db_scalar(0, &q_open, station_id);
	differ = live && expected != actual;
	if (differ && open == 0)
		db_exec(&q_insert, station_id, expected, actual);
	else if (differ)
		db_exec(&q_update, expected, actual, open);
	else if (open != 0)
		db_exec(&q_close, expected, actual, open);
}

static const struct query q_note = {
	"SELECT COALESCE(note, '') FROM anomalies WHERE id = ?", "l", "s"
};
static const struct query q_ack = {
	"UPDATE anomalies SET acked_at = UTC_TIMESTAMP(), acked_by = ?, note = COALESCE(?, note)"
	" WHERE id = ?", "l?sl", ""
};
static const struct query q_handle = {
	"UPDATE anomalies SET closed_at = UTC_TIMESTAMP(), handled_by = ?, note = ? WHERE id = ?",
	"lsl", ""
};

/* The note there before (arena copy), or NULL on a database error. */
static const char *
note_was(struct req *r, int64_t id)
{
	struct db_cur c;
	const char *was = "";

	if (db_open(&c, &q_note, id) < 0)
		return NULL;
	if (db_next(&c))
		was = arena_strdup(r->arena, db_str(&c, 0));
	db_close(&c);
	return was;
}

int
anomaly_ack(struct req *r, int64_t id, const char *note)
{
	const char *was = note_was(r, id);

	if (was == NULL || db_exec(&q_ack, r->user->id, note, id) < 0)
		return DB_ERROR;
	audit_write(r, "anomaly", id, AUDIT_UPDATE, "acked", "0", "1");
	if (note)
		audit_write(r, "anomaly", id, AUDIT_UPDATE, "note", was, note);
	return 0;
}

int
anomaly_handle(struct req *r, int64_t id, const char *note)
{
	const char *was = note_was(r, id);

	if (was == NULL || db_exec(&q_handle, r->user->id, note, id) < 0)
		return DB_ERROR;
	audit_write(r, "anomaly", id, AUDIT_UPDATE, "note", was, note);
	return 0;
}
