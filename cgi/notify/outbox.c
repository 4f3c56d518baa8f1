/*
 * outbox.c — delivering notice_outbox rows by WeChat template message or
 * WeCom robot, exactly once where the channel allows it.
 *
 * Claim: in one short transaction, SELECT … FOR UPDATE SKIP LOCKED picks due
 * rows no other instance holds, and each is stamped 'sending' with this
 * round's random claim token and a lease (claimed_until).  The send happens
 * outside any transaction; its outcome is written only WHERE claim_token
 * still matches, so a slow instance whose lease ran out cannot overwrite
 * a later one.  Several ca-notify instances therefore never send one row
 * at the same time, and a recorded success is final.
 *
 * "Not duplicated" when the outcome is unknown (a timeout after the
 * request left): a template send carries client_msg_id, and WeChat sends
 * one message per openid + client_msg_id within 10 minutes, so a resend
 * inside DEDUPE_WINDOW of the first try is safe and is done.  Past that
 * window, or for a robot (no idempotency key exists), the row becomes
 * 'unknown' and is never resent automatically: a possible miss is shown
 * on the admin outbox page rather than a possible duplicate sent.
 *
 * Outcomes: sent | retry (transport, busy, configuration: exponential
 * backoff retry_base_s · 2^(attempts-1), at most max_attempts) | deferred
 * (quota 45009 for quota_delay_s, 45011 for 60 s; not counted against
 * max_attempts) | failed (permanent errors, or attempts used up) |
 * cancelled (acknowledged before delivery) | unknown (see above).
 */
#include "notify/outbox.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/wechat.h"
#include "model/notice.h"

#define BATCH 10
#define DEDUPE_WINDOW 480	/* s: inside WeChat's 10-minute client_msg_id window */

static const struct query q_due = {
	"SELECT id, status FROM notice_outbox"
	" WHERE (status IN ('pending', 'retry', 'deferred') AND next_at <= ?)"
	" OR (status = 'sending' AND claimed_until < UTC_TIMESTAMP())"
	" ORDER BY next_at, id LIMIT ? FOR UPDATE SKIP LOCKED",
	"si", "ls"
};
static const struct query q_claim = {
	"UPDATE notice_outbox SET status = 'sending', claim_token = ?,"
	" claimed_until = UTC_TIMESTAMP() + INTERVAL ? SECOND, attempts = attempts + 1,"
	" first_try_at = COALESCE(first_try_at, UTC_TIMESTAMP())"
	" WHERE id = ?",
	"sil", ""
};
static const struct query q_row = {
	"SELECT o.channel, o.openid, o.client_msg_id, o.attempts,"
	" TIMESTAMPDIFF(SECOND, o.first_try_at, UTC_TIMESTAMP()), n.kind, n.acked_at IS NOT NULL,"
	" COALESCE(s.code, ''), COALESCE(s.name, ''), DATE_FORMAT(n.due_on, '%Y年%c月%e日'), co.name,"
	" COALESCE(w.robot_key, '')"
	" FROM notice_outbox o JOIN notices n ON n.id = o.notice_id"
	" JOIN companies co ON co.id = n.company_id"
	" LEFT JOIN stations s ON s.id = n.station_id"
	" LEFT JOIN wx_robots w ON w.company_id = o.company_id"
	" WHERE o.id = ? AND o.claim_token = ?",
	"ls", "sssllsisssss"
};
static const struct query q_done = {
	"UPDATE notice_outbox SET status = ?, msgid = ?, sent_at = IF(? = 'sent', UTC_TIMESTAMP(), NULL),"
	" last_errcode = ?, last_error = ?, claim_token = NULL, claimed_until = NULL,"
	" next_at = UTC_TIMESTAMP() + INTERVAL ? SECOND"
	" WHERE id = ? AND claim_token = ?",
	"s?ss?l?slls", ""
};
/* Just before a row's send: its lease runs from now, so a batch of slow
 * sends never outlives the claims of its last rows. */
static const struct query q_renew = {
	"UPDATE notice_outbox SET claimed_until = UTC_TIMESTAMP() + INTERVAL ? SECOND"
	" WHERE id = ? AND claim_token = ? AND status = 'sending'",
	"ils", ""
};
/* A deferral does not use up an attempt. */
static const struct query q_uncount = {
	"UPDATE notice_outbox SET attempts = GREATEST(attempts - 1, 0) WHERE id = ? AND claim_token IS NULL"
	" AND status = 'deferred'",
	"l", ""
};

struct claimed {
	int64_t id;
	bool was_sending;	/* a lease that ran out: the last try's outcome is unknown */
};

/* Claim up to BATCH rows due at `start` for token; returns how many (or
 * -1).  Rows this run rescheduled are due later than start, so one run
 * tries each row at most once. */
/* Seconds a claim holds: at least one row's longest send (every try
 * timing out, plus the backoff) and a margin. */
static int
lease_s(void)
{
	int lease = cfg_int("WeChat.claim_s", 120);
	int worst = cfg_int("WeChat.attempts", 3) *
	    (cfg_int("WeChat.timeout_ms", 10000) + cfg_int("WeChat.connect_timeout_ms", 3000)) / 1000 +
	    cfg_int("WeChat.backoff_ms", 500) * 8 / 1000 + 30;

	return lease > worst ? lease : worst;
}

/* The due rows claimed for this run: their number, or DB_RETRY / DB_ERROR. */
static int
claim(const char *token, const char *start, struct claimed *out)
{
	struct db_cur c;
	int n = 0, rc, lease = lease_s();

	if ((rc = db_begin()) != 0)
		return rc < 0 ? rc : DB_ERROR;
	if ((rc = db_open(&c, &q_due, start, BATCH)) != 0) {
		db_rollback();
		return rc < 0 ? rc : DB_ERROR;
	}
	while (db_next(&c) && n < BATCH) {
		out[n].id = db_i64(&c, 0);
		out[n].was_sending = strcmp(db_str(&c, 1), "sending") == 0;
		n++;
	}
	db_close(&c);
	for (int i = 0; i < n; i++) {
		if ((rc = (int)db_exec(&q_claim, token, lease, out[i].id)) < 0) {
			db_rollback();
			return rc;
		}
	}
	if ((rc = db_commit()) != 0)
		return rc < 0 ? rc : DB_ERROR;
	return n;
}

static int64_t
backoff(int attempts)
{
	int64_t base = cfg_int("WeChat.retry_base_s", 30), d = base;

	for (int i = 1; i < attempts && d < 6 * 3600; i++)
		d *= 2;
	if (d > 6 * 3600)
		d = 6 * 3600;
	return d + (int64_t)randombytes_uniform((uint32_t)(d / 10 + 1));
}

static void
finish(int64_t id, const char *token, const char *status, const char *msgid, int errcode,
    const char *error, int64_t delay)
{
	int64_t ec = errcode;
	int64_t rows = db_exec(&q_done, status, msgid, status, errcode ? &ec : NULL,
	    error && *error ? error : NULL, delay, id, token);

	if (rows == 0)
		log_warn("outbox #%lld: claim lost before the outcome (%s) was written", (long long)id, status);
	else if (rows < 0)
		log_err("outbox #%lld: cannot record %s", (long long)id, status);
	else if (strcmp(status, "deferred") == 0)
		db_exec(&q_uncount, id);
}

/* The lease notice as WeChat template keywords (≤ 20 characters each):
 * thing1 station, time2 lease end (WeChat's date form "2026年3月1日", valid
 * for time and date keywords), thing3 company. */
static int
send_template(const char *kind, const char *openid, const char *msg_id, const char *station,
    const char *due, const char *company, struct wx_result *res)
{
	static const char *const keys[] = { "thing1", "time2", "thing3" };
	char setting[64], tid[128], url[512];
	const char *values[3] = { station, due, company };
	struct wx_template m = { 0 };

	snprintf(setting, sizeof(setting), "template.%s", kind);
	if (!*wx_setting(setting, tid, sizeof(tid))) {
		memset(res, 0, sizeof(*res));
		snprintf(res->errmsg, sizeof(res->errmsg), "no template id for %s", kind);
		return res->status = WX_CONFIG;
	}
	snprintf(url, sizeof(url), "%s/base/notices", cfg_str("Site.base_url", ""));
	m.touser = openid;
	m.template_id = tid;
	m.url = url;
	m.client_msg_id = msg_id;
	m.nkeys = 3;
	m.keys = keys;
	m.values = values;
	return wx_template_send(&m, res);
}

static int
send_robot(const char *key, const char *station, const char *due, const char *company,
    const char *msg_id, struct wx_result *res)
{
	char text[1024];

	snprintf(text, sizeof(text),
	    "**场站租约到期提醒** <font color=\"warning\">%s</font>\n"
	    "> 场站: %s\n> 租约到期: %s\n> 提醒编号: %s\n[查看提醒](%s/base/notices)",
	    company, station, due, msg_id, cfg_str("Site.base_url", ""));
	return wx_robot_send(key, text, res);
}

/* Deliver one claimed row and record its outcome. */
static void
deliver(const struct claimed *cl, const char *token)
{
	struct db_cur c;
	char channel[16], openid[80], msg_id[80], kind[32], station[200], due[40], company[120];
	char key[160], err[255];
	int64_t attempts, age;
	bool acked, robot, unknown_before = cl->was_sending;
	int max_attempts = cfg_int("WeChat.max_attempts", 8), rc;
	struct wx_result res = { 0 };

	rc = (int)db_exec(&q_renew, lease_s(), cl->id, token);
	if (rc <= 0) {
		if (rc == 0)
			log_warn("outbox #%lld: claim lost before sending", (long long)cl->id);
		return;
	}
	if (db_open(&c, &q_row, cl->id, token) != 0)
		return;
	if (!db_next(&c)) {
		db_close(&c);
		return;
	}
	snprintf(channel, sizeof(channel), "%s", db_str(&c, 0));
	snprintf(openid, sizeof(openid), "%s", db_str(&c, 1));
	snprintf(msg_id, sizeof(msg_id), "%s", db_str(&c, 2));
	attempts = db_i64(&c, 3);
	age = db_i64(&c, 4);
	snprintf(kind, sizeof(kind), "%s", db_str(&c, 5));
	acked = db_int(&c, 6) != 0;
	snprintf(station, sizeof(station), "%s %s", db_str(&c, 7), db_str(&c, 8));
	snprintf(due, sizeof(due), "%s", db_str(&c, 9));
	snprintf(company, sizeof(company), "%s", db_str(&c, 10));
	snprintf(key, sizeof(key), "%s", db_str(&c, 11));
	db_close(&c);
	robot = strcmp(channel, "robot") == 0;

	if (acked) {
		finish(cl->id, token, "cancelled", NULL, 0, "acknowledged before delivery", 0);
		return;
	}
	/* The previous holder's lease ran out mid-send: resend only where the
	 * channel deduplicates it. */
	if (unknown_before && (robot || age > DEDUPE_WINDOW)) {
		finish(cl->id, token, "unknown", NULL, 0, "outcome of an interrupted send is unknown", 0);
		return;
	}
	if (robot)
		rc = send_robot(key, station, due, company, msg_id, &res);
	else
		rc = send_template(kind, openid, msg_id, station, due, company, &res);
	snprintf(err, sizeof(err), "%s%s%s", wx_status_name(rc), res.errmsg[0] ? ": " : "", res.errmsg);
	switch (rc) {
	case WX_OK:
		finish(cl->id, token, "sent", res.msgid[0] ? res.msgid : NULL, 0, NULL, 0);
		log_info("outbox #%lld %s %s sent", (long long)cl->id, channel, msg_id);
		return;
	case WX_RATE:
		finish(cl->id, token, "deferred", NULL, res.errcode, err,
		    res.errcode == 45011 ? 60 : cfg_int("WeChat.quota_delay_s", 3600));
		log_warn("outbox #%lld %s deferred: %s", (long long)cl->id, msg_id, err);
		return;
	case WX_REJECTED:
		finish(cl->id, token, "failed", NULL, res.errcode, err, 0);
		log_warn("outbox #%lld %s failed: %s", (long long)cl->id, msg_id, err);
		return;
	default:
		if (res.unknown && (robot || age > DEDUPE_WINDOW)) {
			finish(cl->id, token, "unknown", NULL, res.errcode, err, 0);
		} else if (attempts >= max_attempts) {
			finish(cl->id, token, "failed", NULL, res.errcode, err, 0);
		} else {
			finish(cl->id, token, "retry", NULL, res.errcode, err, backoff((int)attempts));
		}
		log_warn("outbox #%lld %s not sent (try %lld): %s", (long long)cl->id, msg_id,
		    (long long)attempts, err);
		return;
	}
}

static const char *const *
template_kinds(void)
{
	static const char *kinds[8];
	char setting[64], tid[128];
	int n = 0;

	for (int i = 0; notice_kinds[i] && n < 7; i++) {
		snprintf(setting, sizeof(setting), "template.%s", notice_kinds[i]);
		if (*wx_setting(setting, tid, sizeof(tid)))
			kinds[n++] = notice_kinds[i];
	}
	kinds[n] = NULL;
	return kinds;
}

int64_t
outbox_run(volatile sig_atomic_t *stopping)
{
	static const struct query q_now = {
		"SELECT DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%d %H:%i:%s')", "", "s"
	};
	struct claimed rows[BATCH];
	struct db_cur c;
	unsigned char raw[12];
	char token[25], start[24] = "";
	int64_t done = 0, fed;
	int n;

	/* Two instances feeding or claiming at once may deadlock on the
	 * outbox's keys: the loser's statement was rolled back, so it runs
	 * again after a short pause (db_pause_retry). */
	for (int try = 0; (fed = notice_outbox_feed(wx_configured() ? template_kinds() : NULL)) == DB_RETRY &&
	    try < NOTIFY_RETRIES; try++)
		db_pause_retry(try);
	if (fed < 0)
		return -1;
	if (fed > 0)
		log_info("outbox: %lld new row(s)", (long long)fed);
	if (db_open(&c, &q_now) != 0)
		return -1;
	if (db_next(&c))
		snprintf(start, sizeof(start), "%s", db_str(&c, 0));
	db_close(&c);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
	/* Batches until nothing is due; each batch is a fresh claim, so other
	 * instances share the work. */
	for (int round = 0; round < 100 && !*stopping; round++) {
		for (int try = 0; (n = claim(token, start, rows)) == DB_RETRY && try < NOTIFY_RETRIES; try++)
			db_pause_retry(try);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		for (int i = 0; i < n; i++)
			deliver(&rows[i], token);
		done += n;
	}
	return done;
}
