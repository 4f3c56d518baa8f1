/*
 * notice.c — reminders on the home page (site-lease expiry, F4.22) and
 * their acknowledgement.  ca-notify creates them; a user sees those of
 * the companies in their scope, and acknowledging one hides it for all.
 */
#include <stdio.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/req.h"
#include "core/tpl.h"

#include "base/base.h"

static const struct query q_open = {
	"SELECT n.id, s.id, s.code, s.name, n.due_on,"
	" DATEDIFF(n.due_on, DATE(UTC_TIMESTAMP() + INTERVAL 8 HOUR)), co.name"
	" FROM notices n JOIN stations s ON s.id = n.station_id"
	" JOIN companies co ON co.id = n.company_id"
	" WHERE n.kind = 'lease_expiry' AND n.acked_at IS NULL AND (? OR n.company_id = ?)"
	/* Still due: a lease extended since, or a station closed since, no longer is. */
	" AND n.due_on = s.lease_end AND s.state <> 'closed'"
	" ORDER BY n.due_on, n.id LIMIT 50",
	"il", "llsssls"
};

void
notices_fill(struct req *r)
{
	struct db_cur c;
	int n = 0;

	if (!user_can(r, PERM_ASSET_VIEW))
		return;
	if (db_open(&c, &q_open, (int)r->user->scope_all, r->user->company_id) < 0)
		return;
	while (db_next(&c)) {
		HDF *node = tpl_node(r, "Page.notices.%d", n++);
		int64_t days = db_i64(&c, 5);

		tpl_node_set(node, "id", arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)));
		tpl_node_set(node, "station_id", arena_printf(r->arena, "%lld", (long long)db_i64(&c, 1)));
		tpl_node_set(node, "code", db_str(&c, 2));
		tpl_node_set(node, "name", db_str(&c, 3));
		tpl_node_set(node, "due_on", db_str(&c, 4));
		tpl_node_set(node, "days", arena_printf(r->arena, "%lld", (long long)(days < 0 ? -days : days)));
		tpl_node_set(node, "overdue", days < 0 ? "1" : "0");
		tpl_node_set(node, "company", db_str(&c, 6));
	}
	db_close(&c);
}

static const struct query q_ack = {
	"UPDATE notices SET acked_at = UTC_TIMESTAMP(), acked_by = ?"
	" WHERE id = ? AND acked_at IS NULL AND (? OR company_id = ?)",
	"llil", ""
};
static const struct query q_visible = {
	"SELECT COUNT(*) FROM notices WHERE id = ? AND (? OR company_id = ?)", "lil", "l"
};

int
notice_ack(struct req *r)
{
	int64_t id, rows;

	if (req_arg_id(r, 0, &id) != 0 ||
	    db_scalar(0, &q_visible, id, (int)r->user->scope_all, r->user->company_id) == 0)
		return 404;
	rows = db_exec(&q_ack, r->user->id, id, (int)r->user->scope_all, r->user->company_id);
	if (rows < 0)
		return rows == DB_RETRY ? -1000 : 500;
	/* Acknowledging twice (a double click) is fine: the first one counts. */
	if (rows > 0)
		audit_write(r, "notice", id, AUDIT_UPDATE, "acked_at", NULL, "1");
	return req_redirect(r, "/base/?flash=acked");
}
