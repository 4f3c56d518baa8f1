/*
 * notice.c — reminder scans and the outbox feed.  INSERT IGNORE against a
 * unique key makes every step safe to repeat, and safe to run from several
 * ca-notify instances at once: notices are unique per (kind, station_id,
 * due_on), outbox rows per client_msg_id (ca-n<notice>-u<user> or
 * ca-n<notice>-c<company>).  A lease that is extended gets a new due date
 * and so, in time, a new notice.
 */
#include "model/notice.h"

#include "core/db.h"

const char *const notice_kinds[] = { "lease_expiry", NULL };

static const struct query q_leases = {
	"INSERT IGNORE INTO notices (kind, station_id, company_id, due_on, created_at)"
	" SELECT 'lease_expiry', s.id, s.company_id, s.lease_end, UTC_TIMESTAMP()"
	" FROM stations s"
	" WHERE s.state <> 'closed' AND s.lease_end IS NOT NULL"
	" AND s.lease_end <= " SQL_TODAY " + INTERVAL ? DAY",
	"i", ""
};

int64_t
notice_scan_leases(int lead_days)
{
	int64_t n = db_exec(&q_leases, lead_days);

	return n;	/* < 0: DB_RETRY or DB_ERROR */
}

/* Recipients: enabled staff with a linked openid whose role may view
 * assets in the notice's company (every company, or their own). */
static const struct query q_feed_template = {
	"INSERT IGNORE INTO notice_outbox (notice_id, channel, user_id, company_id, openid,"
	" status, next_at, client_msg_id, created_at)"
	" SELECT n.id, 'template', u.id, n.company_id, l.openid, 'pending', UTC_TIMESTAMP(),"
	" CONCAT('ca-n', n.id, '-u', u.id), UTC_TIMESTAMP()"
	" FROM notices n"
	" JOIN users u ON u.enabled = 1 AND u.supplier_id IS NULL"
	" JOIN roles r ON r.id = u.role_id AND FIND_IN_SET('asset_view', r.perms) > 0"
	" JOIN wx_links l ON l.user_id = u.id"
	" WHERE n.kind = ? AND n.acked_at IS NULL AND (r.scope_all = 1 OR u.company_id = n.company_id)",
	"s", ""
};
static const struct query q_feed_robot = {
	"INSERT IGNORE INTO notice_outbox (notice_id, channel, user_id, company_id, openid,"
	" status, next_at, client_msg_id, created_at)"
	" SELECT n.id, 'robot', NULL, n.company_id, NULL, 'pending', UTC_TIMESTAMP(),"
	" CONCAT('ca-n', n.id, '-c', n.company_id), UTC_TIMESTAMP()"
	" FROM notices n JOIN wx_robots w ON w.company_id = n.company_id"
	" WHERE n.acked_at IS NULL",
	"", ""
};

int64_t
notice_outbox_feed(const char *const *template_kinds)
{
	int64_t total = 0, n;

	for (int i = 0; template_kinds && template_kinds[i]; i++) {
		n = db_exec(&q_feed_template, template_kinds[i]);
		if (n < 0)
			return n;	/* DB_RETRY or DB_ERROR */
		total += n;
	}
	n = db_exec(&q_feed_robot);
	return n < 0 ? n : total + n;
}
