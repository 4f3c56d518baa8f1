/*
 * idem.c — idempotency keys of submissions (core/idem.h; table
 * wx_submissions, db/migrations/0013 and 0033).
 *
 * In the submission's own transaction idem_begin() inserts (user, key):
 * the unique index makes a concurrent twin wait for the first to commit
 * and then fail with a duplicate, after which a locking read (which sees
 * the committed row whatever the snapshot) gives it the first answer.  So
 * a retried, a double-tapped or a kept-offline-then-sent submission
 * applies once and answers the same.  A refused submission rolls back with
 * its key row, so a retry is judged again; nothing of it was applied.  If
 * the first one rolled back, the twin's insert goes through and it is
 * judged on its own.  The row stores only where the first answer sent the
 * browser (303 + location): the replay is that redirect, or for JSON
 * clients {location, ok} (core/app.c), exactly what the first request got.
 */
#include "core/idem.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"
#include "core/req.h"
#include "core/tpl.h"

static const struct query q_insert = {
	"INSERT INTO wx_submissions (user_id, idem_key, action, ref_id, status, result,"
	" created_at) VALUES (?, ?, ?, ?, 0, '', UTC_TIMESTAMP())", "lssl", ""
};
static const struct query q_seen = {
	"SELECT action, ref_id, status, result FROM wx_submissions"
	" WHERE user_id = ? AND idem_key = ? FOR UPDATE", "ls", "slis"
};
/* Keys are kept 30 days: far longer than any draft waits for a signal.
 * A few at a time, with each successful submission. */
static const struct query q_gc = {
	"DELETE FROM wx_submissions WHERE created_at < UTC_TIMESTAMP() - INTERVAL 30 DAY LIMIT 100",
	"", ""
};
static const struct query q_done = {
	"UPDATE wx_submissions SET status = ?, result = ? WHERE user_id = ? AND idem_key = ?",
	"isls", ""
};

bool
idem_key_norm(const char *s, char out[IDEM_KEY_LEN + 1])
{
	if (s == NULL || strlen(s) != IDEM_KEY_LEN)
		return false;
	for (int i = 0; i < IDEM_KEY_LEN; i++) {
		char ch = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (ch != '-')
				return false;
		} else if (ch >= '0' && ch <= '9')
			;
		else if (ch >= 'a' && ch <= 'f')
			;
		else if (ch >= 'A' && ch <= 'F')
			ch = (char)(ch - 'A' + 'a');
		else
			return false;
		out[i] = ch;
	}
	out[IDEM_KEY_LEN] = '\0';
	return true;
}

void
idem_key_new(char out[IDEM_KEY_LEN + 1])
{
	unsigned char b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	snprintf(out, IDEM_KEY_LEN + 1,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
	    b[12], b[13], b[14], b[15]);
}

void
idem_fresh(struct req *r)
{
	char key[IDEM_KEY_LEN + 1];

	idem_key_new(key);
	tpl_set(r, "Page.idem", key);
}

int
idem_begin(struct req *r, const char *key_in, const char *action, int64_t ref_id)
{
	char key[IDEM_KEY_LEN + 1];
	struct db_cur c;
	int64_t rc;
	int status = 409;

	r->idem_key = NULL;
	if (r->user == NULL || db_tx_depth() == 0 || strlen(action) > IDEM_ACTION_MAX) {
		/* The route, not the user: it must need sign-in and RP_TX. */
		log_err("idem_begin(%s) outside a signed-in transaction, or the action too long", action);
		return 500;
	}
	if (!idem_key_norm(key_in, key)) {
		tpl_set(r, "Page.error", tpl_lang(r, "idem.missing"));
		return 422;
	}
	r->idem_key = arena_strdup(r->arena, key);
	rc = db_exec(&q_insert, r->user->id, key, action, ref_id);
	if (rc == DB_RETRY)
		return APP_RETRY;
	if (rc >= 0)
		return 0;
	r->idem_key = NULL;
	if (rc != DB_DUP)
		return 500;
	/* Seen before: answer as the first time, change nothing. */
	if (db_open(&c, &q_seen, r->user->id, key) < 0)
		return 500;	/* the transaction is doomed: the dispatcher decides */
	if (db_next(&c)) {
		if (strcmp(db_str(&c, 0), action) == 0 && db_i64(&c, 1) == ref_id &&
		    db_int(&c, 2) == 303) {
			r->location = arena_strdup(r->arena, db_str(&c, 3));
			status = 303;
		}
	}
	db_close(&c);
	if (status == 303) {
		log_info("idempotent replay of %s on %lld", action, (long long)ref_id);
		tpl_set(r, "Page.replayed", "1");
	} else
		tpl_set(r, "Page.error", tpl_lang(r, "idem.reused"));
	return status;
}

int
idem_done(struct req *r, const char *location)
{
	int64_t rc;

	if (r->idem_key == NULL) {
		log_err("idem_done without a key idem_begin took");
		return 500;
	}
	rc = db_exec(&q_done, 303, location, r->user->id, r->idem_key);
	if (rc != 1) {
		if (rc == DB_RETRY)
			return APP_RETRY;
		return db_tx_fail("idempotency record lost") == DB_RETRY ? APP_RETRY : 500;
	}
	rc = db_exec(&q_gc);
	if (rc == DB_RETRY)
		return APP_RETRY;
	if (rc < 0)
		return 500;
	return req_redirect(r, location);
}
