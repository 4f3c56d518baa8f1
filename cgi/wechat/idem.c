/*
 * idem.c — idempotency keys of phone submissions (db/migrations/0013).
 *
 * The page makes a UUID for every submission (assets/js/wx-app.js; the
 * server puts one in the form too, for a phone without scripts).  In the
 * submission's own transaction idem_begin() inserts (user, key): the unique
 * index makes a concurrent twin wait for the first to commit and then fail
 * with a duplicate, after which a locking read (which sees the committed
 * row whatever the snapshot) gives it the first answer.  So a retried, a
 * double-tapped or a kept-offline-then-sent submission applies once and
 * answers the same.  A refused submission rolls back with its key row, so a
 * retry is judged again; nothing of it was applied.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"
#include "core/req.h"
#include "core/tpl.h"

#include "wechat/wx.h"


static const struct query q_insert = {
	"INSERT INTO wx_submissions (user_id, idem_key, action, pile_id, status, result,"
	" created_at) VALUES (?, ?, ?, ?, 0, '', UTC_TIMESTAMP())", "lssl", ""
};
static const struct query q_seen = {
	"SELECT action, pile_id, status, result FROM wx_submissions"
	" WHERE user_id = ? AND idem_key = ? FOR UPDATE", "ls", "slis"
};
/* Keys are kept 30 days: far longer than any draft waits for a signal. */
static const struct query q_gc = {
	"DELETE FROM wx_submissions WHERE created_at < UTC_TIMESTAMP() - INTERVAL 30 DAY LIMIT 100",
	"", ""
};
static const struct query q_done = {
	"UPDATE wx_submissions SET status = ?, result = ? WHERE user_id = ? AND idem_key = ?",
	"isls", ""
};

/* A UUID as 8-4-4-4-12 hex digits, lower-cased into out[37]; false if not. */
static bool
uuid_norm(const char *s, char out[37])
{
	if (s == NULL || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
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
	out[36] = '\0';
	return true;
}

void
wx_idem_fresh(struct req *r)
{
	unsigned char b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	tpl_set(r, "Page.idem", arena_printf(r->arena,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
	    b[12], b[13], b[14], b[15]));
}

int
idem_begin(struct req *r, const char *action, int64_t pile_id)
{
	char key[37];
	struct db_cur c;
	int64_t rc;
	int status = 409;

	if (!uuid_norm(req_param(r, "idem"), key)) {
		tpl_set(r, "Page.error", tpl_lang(r, "wx.err.idem"));
		return 422;
	}
	r->ctx = arena_strdup(r->arena, key);
	rc = db_exec(&q_insert, r->user->id, key, action, pile_id);
	if (rc == DB_RETRY)
		return APP_RETRY;
	if (rc >= 0)
		return 0;
	if (rc != DB_DUP)
		return 500;
	/* Seen before: answer as the first time, change nothing. */
	if (db_open(&c, &q_seen, r->user->id, key) < 0)
		return 500;
	if (db_next(&c)) {
		if (strcmp(db_str(&c, 0), action) == 0 && db_i64(&c, 1) == pile_id &&
		    db_int(&c, 2) == 303) {
			r->location = arena_strdup(r->arena, db_str(&c, 3));
			status = 303;
		}
	}
	db_close(&c);
	if (status == 303) {
		log_info("idempotent replay of %s on pile %lld", action, (long long)pile_id);
		tpl_set(r, "Page.replayed", "1");
	} else
		tpl_set(r, "Page.error", tpl_lang(r, "wx.err.idem_reused"));
	return status;
}

int
idem_done(struct req *r, const char *location)
{
	const char *key = r->ctx;
	int64_t rc;

	if (key == NULL || db_exec(&q_done, 303, location, r->user->id, key) != 1)
		die("idempotency record lost");
	rc = db_exec(&q_gc);
	if (rc == DB_RETRY)
		return APP_RETRY;
	if (rc < 0)
		return 500;
	return req_redirect(r, location);
}
