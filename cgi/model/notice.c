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

/* Recipients (enabled staff with a linked openid whose role may view
 * assets): the station's responsible user (stations.staff_user_id); for a
 * station without one, the ops managers of its city company, or, where
 * that company has none, the head office's ops managers (those who see
 * every company).  A notice of no station goes to the company's ops. */
#define OPS_OF(company)                                                          \
	"(r.code = 'ops' AND (u.company_id = " company " OR (r.scope_all = 1 AND NOT EXISTS" \
	" (SELECT 1 FROM users u2 JOIN roles r2 ON r2.id = u2.role_id WHERE u2.enabled = 1" \
	"  AND r2.code = 'ops' AND u2.company_id = " company "))))"
static const struct query q_feed_template = {
	"INSERT IGNORE INTO notice_outbox (notice_id, channel, user_id, company_id, openid,"
	" status, next_at, client_msg_id, created_at)"
	" SELECT n.id, 'template', u.id, n.company_id, l.openid, 'pending', UTC_TIMESTAMP(),"
	" CONCAT('ca-n', n.id, '-u', u.id), UTC_TIMESTAMP()"
	" FROM notices n LEFT JOIN stations s ON s.id = n.station_id"
	" JOIN users u ON u.enabled = 1 AND u.supplier_id IS NULL"
	" JOIN roles r ON r.id = u.role_id AND FIND_IN_SET('asset_view', r.perms) > 0"
	" JOIN wx_links l ON l.user_id = u.id"
	" WHERE n.kind = ? AND n.acked_at IS NULL"
	" AND (r.scope_all = 1 OR u.company_id = n.company_id)"
	" AND (u.id = s.staff_user_id OR (s.staff_user_id IS NULL AND " OPS_OF("n.company_id") "))",
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
