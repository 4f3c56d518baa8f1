/*
 * notice.c — reminders on the home page (site-lease expiry, F4.22), the
 * notices page every user has (/base/notices: their notices, read or not,
 * open or acknowledged, with what WeChat delivered), read marks and the
 * acknowledgement.  ca-notify creates them; a user sees those of the
 * companies in their scope, reading is per user (notice_reads), and
 * acknowledging one closes it for all.
 */
#include <stdio.h>
#include <string.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/tpl.h"

#include "base/base.h"

static const struct query q_open = {
	"SELECT n.id, s.id, s.code, s.name, n.due_on,"
	" DATEDIFF(n.due_on, " SQL_TODAY "), co.name"
	" FROM notices n JOIN stations s ON s.id = n.station_id"
	" JOIN companies co ON co.id = n.company_id"
	" WHERE n.kind = 'lease_expiry' AND n.acked_at IS NULL" SCOPE_COMPANY("n.company_id")
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
	if (db_open(&c, &q_open, SCOPE_ARGS(r)) < 0)
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
static const struct query q_read = {
	"INSERT IGNORE INTO notice_reads (notice_id, user_id, read_at) VALUES (?, ?, UTC_TIMESTAMP())",
	"ll", ""
};

int
notice_ack(struct req *r)
{
	int64_t id, rows;

	if (req_arg_id(r, 0, &id) != 0 ||
	    db_scalar(0, &q_visible, id, SCOPE_ARGS(r)) == 0)
		return 404;
	rows = db_exec(&q_ack, r->user->id, id, SCOPE_ARGS(r));
	if (rows < 0)
		return rows == DB_RETRY ? APP_RETRY : 500;
	/* Acknowledging twice (a double click) is fine: the first one counts. */
	if (rows > 0)
		audit_write(r, "notice", id, AUDIT_UPDATE, "acked_at", NULL, "1");
	if (db_exec(&q_read, id, r->user->id) < 0)
		return 500;
	if (req_param(r, "back") && strcmp(req_param(r, "back"), "notices") == 0)
		return req_redirect(r, "/base/notices?flash=acked");
	return req_redirect(r, "/base/?flash=acked");
}

int
notice_read(struct req *r)
{
	int64_t id;
	bool view = user_can(r, PERM_ASSET_VIEW);

	if (req_arg_id(r, 0, &id) != 0 || !view ||
	    db_scalar(0, &q_visible, id, SCOPE_ARGS(r)) == 0)
		return 404;
	if (db_exec(&q_read, id, r->user->id) < 0)
		return 500;
	return req_redirect(r, "/base/notices");
}

static const struct query q_list_total = {
	"SELECT COUNT(*) FROM notices n"
	" WHERE ?" SCOPE_COMPANY("n.company_id") " AND (? = 0 OR n.acked_at IS NULL)",
	"iili", "l"
};
static const struct query q_unread = {
	"SELECT COUNT(*) FROM notices n"
	" LEFT JOIN notice_reads nr ON nr.notice_id = n.id AND nr.user_id = ?"
	" WHERE ?" SCOPE_COMPANY("n.company_id") " AND n.acked_at IS NULL AND nr.read_at IS NULL",
	"liil", "l"
};
static const struct query q_list = {
	"SELECT n.id, n.kind, COALESCE(s.id, 0), COALESCE(s.code, ''), COALESCE(s.name, ''), co.name,"
	" n.due_on, DATEDIFF(n.due_on, " SQL_TODAY "), n.acked_at IS NOT NULL,"
	" COALESCE(DATE_FORMAT(" SQL_LOCAL("n.acked_at") ", '%Y-%m-%d %H:%i'), ''), COALESCE(au.name, ''),"
	" nr.read_at IS NOT NULL,"
	" (SELECT COUNT(*) FROM notice_outbox o WHERE o.notice_id = n.id AND o.status = 'sent')"
	" FROM notices n JOIN companies co ON co.id = n.company_id"
	" LEFT JOIN stations s ON s.id = n.station_id"
	" LEFT JOIN users au ON au.id = n.acked_by"
	" LEFT JOIN notice_reads nr ON nr.notice_id = n.id AND nr.user_id = ?"
	" WHERE ?" SCOPE_COMPANY("n.company_id") " AND (? = 0 OR n.acked_at IS NULL)"
	" ORDER BY n.acked_at IS NULL DESC, n.due_on, n.id LIMIT ? OFFSET ?",
	"liiliii", "lslsssslissil"
};

int
notice_list(struct req *r)
{
	const char *show = req_query(r, "show"), *flash = req_query(r, "flash");
	int view = user_can(r, PERM_ASSET_VIEW) ? 1 : 0, open = 1, per = 50, n = 0;
	int scope = (int)r->user->scope_all;
	int64_t page = 1, total, pages, co = r->user->company_id;
	struct db_cur c;

	if (show && strcmp(show, "all") == 0)
		open = 0;
	if (req_query(r, "page") && (req_int64(r, "page", &page) != 0 || page < 1 || page > 100000))
		page = 1;
	total = db_scalar(0, &q_list_total, view, scope, co, open);
	pages = total == 0 ? 1 : (total + per - 1) / per;
	if (page > pages)
		page = pages;
	if (db_open(&c, &q_list, r->user->id, view, scope, co, open, per, (int)((page - 1) * per)) < 0)
		return 500;
	while (db_next(&c)) {
		HDF *node = tpl_node(r, "Page.rows.%d", n++);
		int64_t days = db_i64(&c, 7);
		char key[48];

		tpl_node_set(node, "id", arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)));
		snprintf(key, sizeof(key), "wx.kind.%s", db_str(&c, 1));
		tpl_node_set(node, "kind", tpl_lang(r, key));
		if (db_i64(&c, 2))
			tpl_node_set(node, "station_id", arena_printf(r->arena, "%lld", (long long)db_i64(&c, 2)));
		tpl_node_set(node, "code", db_str(&c, 3));
		tpl_node_set(node, "name", db_str(&c, 4));
		tpl_node_set(node, "company", db_str(&c, 5));
		tpl_node_set(node, "due_on", db_str(&c, 6));
		tpl_node_set(node, "days", arena_printf(r->arena, "%lld", (long long)(days < 0 ? -days : days)));
		tpl_node_set(node, "overdue", days < 0 ? "1" : "0");
		tpl_node_set(node, "acked", db_int(&c, 8) ? "1" : "0");
		tpl_node_set(node, "acked_at", db_str(&c, 9));
		tpl_node_set(node, "acked_by", db_str(&c, 10));
		tpl_node_set(node, "read", db_int(&c, 11) ? "1" : "0");
		tpl_node_set(node, "wechat", arena_printf(r->arena, "%lld", (long long)db_i64(&c, 12)));
	}
	db_close(&c);
	tpl_set_int(r, "Page.unread", db_scalar(0, &q_unread, r->user->id, view, scope, co));
	tpl_set_int(r, "Page.total", total);
	tpl_set_int(r, "Page.page", page);
	tpl_set_int(r, "Page.pages", pages);
	tpl_set_int(r, "Page.count", n);
	tpl_set(r, "Page.show", open ? "open" : "all");
	tpl_set(r, "Page.can_ack", view ? "1" : "0");
	if (flash && strcmp(flash, "acked") == 0) {
		tpl_set(r, "Page.flash", tpl_lang(r, "flash.acked"));
		tpl_set(r, "Page.flash_kind", "success");
	}
	tpl_set(r, "Page.menu", "base.notices");
	tpl_set(r, "Page.title", tpl_lang(r, "notices.title"));
	tpl_set(r, "Page.view", "base/notice_list.cs");
	return 200;
}
