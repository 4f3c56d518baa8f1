/*
 * notice.c — reminder scans.  INSERT IGNORE against the unique key
 * (kind, station_id, due_on) makes a scan safe to repeat, and safe to run
 * from several ca-notify instances at once.  A lease that is extended gets
 * a new due date and so, in time, a new notice.
 */
#include "model/notice.h"

#include "core/db.h"

static const struct query q_leases = {
	"INSERT IGNORE INTO notices (kind, station_id, company_id, due_on, created_at)"
	" SELECT 'lease_expiry', s.id, s.company_id, s.lease_end, UTC_TIMESTAMP()"
	" FROM stations s"
	" WHERE s.state <> 'closed' AND s.lease_end IS NOT NULL"
	" AND s.lease_end <= DATE(UTC_TIMESTAMP() + INTERVAL 8 HOUR) + INTERVAL ? DAY",
	"i", ""
};

int64_t
notice_scan_leases(int lead_days)
{
	int64_t n = db_exec(&q_leases, lead_days);

	return n < 0 ? -1 : n;
}
