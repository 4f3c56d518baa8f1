/*
 * wechat.c — WeChat settings (issue 4 item 5, admin only): the account's
 * app id and secret, a template id per notice kind, a WeCom robot key per
 * city company, a test send, and the notice outbox with each row's status.
 *
 * Settings live in wx_settings / wx_robots and win over the config file's
 * WeChat.* defaults (core/wechat.c reads them).  Secrets — the AppSecret
 * and robot keys — are never sent back to the browser: the page shows the
 * last 4 characters, and an empty field keeps the stored value.  The whole
 * form is validated before anything is written, so bad input changes
 * nothing.  Changes go to the update records without secret values.
 */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/tpl.h"
#include "core/wechat.h"
#include "model/notice.h"

#include "base/base.h"

#define MAX_COMPANIES 200

static const struct query q_setting_row = {
	"SELECT value FROM wx_settings WHERE name = ?", "s", "s"
};
static const struct query q_setting_put = {
	"INSERT INTO wx_settings (name, value, updated_at, updated_by) VALUES (?, ?, UTC_TIMESTAMP(), ?)"
	" ON DUPLICATE KEY UPDATE value = VALUES(value), updated_at = VALUES(updated_at),"
	" updated_by = VALUES(updated_by)",
	"ssl", ""
};
static const struct query q_companies = {
	"SELECT c.id, c.code, c.name, COALESCE(w.robot_key, '') FROM companies c"
	" LEFT JOIN wx_robots w ON w.company_id = c.id"
	" WHERE c.kind = 'city' ORDER BY c.code LIMIT 200",
	"", "lsss"
};
static const struct query q_robot_put = {
	"INSERT INTO wx_robots (company_id, robot_key, updated_at) VALUES (?, ?, UTC_TIMESTAMP())"
	" ON DUPLICATE KEY UPDATE robot_key = VALUES(robot_key), updated_at = VALUES(updated_at)",
	"ls", ""
};
static const struct query q_robot_del = {
	"DELETE FROM wx_robots WHERE company_id = ?", "l", ""
};
static const struct query q_robot_key = {
	"SELECT robot_key FROM wx_robots WHERE company_id = ?", "l", "s"
};
static const struct query q_links = {
	"SELECT COUNT(*) FROM wx_links", "", "l"
};
static const struct query q_outbox_counts = {
	"SELECT status, COUNT(*) FROM notice_outbox GROUP BY status ORDER BY status", "", "sl"
};

/* The stored value of a setting row ("" when none). */
static const char *
stored(struct req *r, const char *name)
{
	struct db_cur c;
	const char *v = "";

	if (db_open(&c, &q_setting_row, name) == 0) {
		if (db_next(&c))
			v = arena_strdup(r->arena, db_str(&c, 0));
		db_close(&c);
	}
	return v;
}

static bool
all_match(const char *s, size_t min, size_t max, const char *extra)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && strchr(extra, *s) == NULL)
			return false;
	return true;
}

/* Official app ids are "wx" and 16 hex digits. */
static bool
appid_ok(const char *s)
{
	if (strlen(s) != 18 || s[0] != 'w' || s[1] != 'x')
		return false;
	for (int i = 2; i < 18; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

struct company {
	int64_t id;
	const char *code, *name, *key;
};

static int
load_companies(struct req *r, struct company *out)
{
	struct db_cur c;
	int n = 0;

	if (db_open(&c, &q_companies) != 0)
		return -1;
	while (db_next(&c) && n < MAX_COMPANIES) {
		out[n].id = db_i64(&c, 0);
		out[n].code = arena_strdup(r->arena, db_str(&c, 1));
		out[n].name = arena_strdup(r->arena, db_str(&c, 2));
		out[n].key = arena_strdup(r->arena, db_str(&c, 3));
		n++;
	}
	db_close(&c);
	return n;
}

/* Everything the settings page shows.  form: re-show the user's input
 * (never a secret) after a refused submit. */
static int
fill_page(struct req *r, bool form)
{
	struct company co[MAX_COMPANIES];
	char val[512], mask[64], name[64];
	struct db_cur c;
	int n, k = 0;

	tpl_set(r, "Page.menu", "base.wechat");
	tpl_set(r, "Page.title", tpl_lang(r, "wx.title"));
	tpl_set(r, "Page.view", "base/wechat_settings.cs");
	if (!form) {
		wx_setting("appid", val, sizeof(val));
		tpl_set(r, "Page.form.appid", val);
	}
	wx_setting("secret", val, sizeof(val));
	wx_mask(val, mask, sizeof(mask));
	tpl_set(r, "Page.secret_mask", mask);
	tpl_set(r, "Page.secret_from", *stored(r, "secret") ? "db" : (*val ? "config" : ""));
	for (int i = 0; notice_kinds[i]; i++) {
		HDF *node = tpl_node(r, "Page.templates.%d", i);
		char label[64];

		snprintf(name, sizeof(name), "template.%s", notice_kinds[i]);
		snprintf(label, sizeof(label), "wx.kind.%s", notice_kinds[i]);
		tpl_node_set(node, "kind", notice_kinds[i]);
		tpl_node_set(node, "label", tpl_lang(r, label));
		tpl_node_set(node, "field", arena_printf(r->arena, "template_%s", notice_kinds[i]));
		if (form) {
			snprintf(name, sizeof(name), "template_%s", notice_kinds[i]);
			tpl_node_set(node, "value", req_param(r, name) ? req_param(r, name) : "");
		} else {
			tpl_node_set(node, "value", wx_setting(name, val, sizeof(val)));
		}
	}
	n = load_companies(r, co);
	if (n < 0)
		return 500;
	for (int i = 0; i < n; i++) {
		HDF *node = tpl_node(r, "Page.robots.%d", i);

		wx_mask(co[i].key, mask, sizeof(mask));
		tpl_node_set(node, "id", arena_printf(r->arena, "%lld", (long long)co[i].id));
		tpl_node_set(node, "code", co[i].code);
		tpl_node_set(node, "name", co[i].name);
		tpl_node_set(node, "mask", mask);
	}
	tpl_set_int(r, "Page.links", db_scalar(0, &q_links));
	if (db_open(&c, &q_outbox_counts) == 0) {
		while (db_next(&c)) {
			HDF *node = tpl_node(r, "Page.counts.%d", k++);
			char key[48];

			snprintf(key, sizeof(key), "wx.status.%s", db_str(&c, 0));
			tpl_node_set(node, "status", db_str(&c, 0));
			tpl_node_set(node, "label", tpl_lang(r, key));
			tpl_node_set(node, "n", arena_printf(r->arena, "%lld", (long long)db_i64(&c, 1)));
		}
		db_close(&c);
	}
	tpl_set(r, "Page.api_base", cfg_str("WeChat.api_base", ""));
	tpl_set(r, "Page.wecom_base", cfg_str("WeChat.wecom_base", ""));
	tpl_set(r, "Page.configured", wx_configured() ? "1" : "0");
	return 200;
}

int
wechat_form(struct req *r)
{
	const char *flash = req_query(r, "flash");

	if (flash && strcmp(flash, "saved") == 0) {
		tpl_set(r, "Page.flash", tpl_lang(r, "wx.saved"));
		tpl_set(r, "Page.flash_kind", "success");
	}
	return fill_page(r, false);
}

int
wechat_save(struct req *r)
{
	struct company co[MAX_COMPANIES];
	const char *appid = req_param(r, "appid"), *secret = req_param(r, "secret");
	const char *tpl[16] = { 0 }, *keys[MAX_COMPANIES];
	bool clear[MAX_COMPANIES];
	char name[64];
	int n, bad = 0;

	appid = appid ? appid : "";
	secret = secret ? secret : "";
	while (*appid == ' ')
		appid++;
	if (!appid_ok(appid))
		form_error(r, "appid", *appid ? "wx.err.appid" : "err.required"), bad++;
	if (*secret && !all_match(secret, 16, 64, ""))
		form_error(r, "secret", "wx.err.secret"), bad++;
	for (int i = 0; notice_kinds[i] && i < 16; i++) {
		snprintf(name, sizeof(name), "template_%s", notice_kinds[i]);
		tpl[i] = req_param(r, name) ? req_param(r, name) : "";
		if (*tpl[i] && !all_match(tpl[i], 1, 64, "-_"))
			form_error(r, arena_strdup(r->arena, name), "wx.err.template"), bad++;
	}
	n = load_companies(r, co);
	if (n < 0)
		return 500;
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "robot_%lld", (long long)co[i].id);
		keys[i] = req_param(r, name) ? req_param(r, name) : "";
		if (*keys[i] && !all_match(keys[i], 8, 128, "-_"))
			form_error(r, arena_strdup(r->arena, name), "wx.err.robot"), bad++;
		snprintf(name, sizeof(name), "robot_clear_%lld", (long long)co[i].id);
		clear[i] = req_param(r, name) && strcmp(req_param(r, name), "1") == 0;
	}
	if (bad) {
		tpl_set(r, "Page.form.appid", appid);
		tpl_set(r, "Page.error", tpl_lang(r, "wx.err.form"));
		fill_page(r, true);
		return 422;
	}
	/* Valid: write what changed; secrets are recorded as changed only. */
	if (strcmp(stored(r, "appid"), appid) != 0) {
		audit_write(r, "wx_settings", 0, AUDIT_UPDATE, "appid", stored(r, "appid"), appid);
		if (db_exec(&q_setting_put, "appid", appid, r->user->id) < 0)
			return 500;
	}
	if (*secret) {
		audit_write(r, "wx_settings", 0, AUDIT_UPDATE, "secret", NULL, NULL);
		if (db_exec(&q_setting_put, "secret", secret, r->user->id) < 0)
			return 500;
	}
	for (int i = 0; notice_kinds[i] && i < 16; i++) {
		char val[512];

		snprintf(name, sizeof(name), "template.%s", notice_kinds[i]);
		if (strcmp(wx_setting(name, val, sizeof(val)), tpl[i]) == 0)
			continue;
		audit_write(r, "wx_settings", 0, AUDIT_UPDATE, arena_strdup(r->arena, name), val, tpl[i]);
		if (db_exec(&q_setting_put, name, tpl[i], r->user->id) < 0)
			return 500;
	}
	for (int i = 0; i < n; i++) {
		if (clear[i] && *co[i].key) {
			audit_write(r, "wx_robot", co[i].id, AUDIT_DELETE, "robot_key", NULL, NULL);
			if (db_exec(&q_robot_del, co[i].id) < 0)
				return 500;
		} else if (*keys[i] && strcmp(keys[i], co[i].key) != 0) {
			audit_write(r, "wx_robot", co[i].id, AUDIT_UPDATE, "robot_key", NULL, NULL);
			if (db_exec(&q_robot_put, co[i].id, keys[i]) < 0)
				return 500;
		}
	}
	return req_redirect(r, "/base/wechat?flash=saved");
}

/* A test message now, outside any transaction (the client commits its
 * own token cache): a template message of the chosen kind to an openid, or
 * a robot message to a city company's group. */
int
wechat_test_send(struct req *r)
{
	const char *channel = req_param(r, "channel"), *openid = req_param(r, "openid");
	const char *kind = req_param(r, "kind");
	struct wx_result res = { 0 };
	char msg_id[40], tid[128], name[64], key[160] = "", rbuf[17];
	unsigned char raw[8];
	int64_t company = 0;
	int rc;

	fill_page(r, false);
	channel = channel ? channel : "";
	if (strcmp(channel, "template") == 0) {
		bool known = false;

		for (int i = 0; kind && notice_kinds[i]; i++)
			known = known || strcmp(kind, notice_kinds[i]) == 0;
		if (!known) {
			form_error(r, "kind", "err.required");
			return 422;
		}
		if (openid == NULL || !all_match(openid, 6, 64, "-_")) {
			form_error(r, "openid", openid && *openid ? "wx.err.openid" : "err.required");
			tpl_set(r, "Page.test.openid", openid ? openid : "");
			return 422;
		}
		snprintf(name, sizeof(name), "template.%s", kind);
		if (!*wx_setting(name, tid, sizeof(tid))) {
			form_error(r, "kind", "wx.err.no_template");
			return 422;
		}
	} else if (strcmp(channel, "robot") == 0) {
		struct db_cur c;

		if (req_int64(r, "company_id", &company) != 0 || company <= 0) {
			form_error(r, "company_id", "err.required");
			return 422;
		}
		if (db_open(&c, &q_robot_key, company) != 0)
			return 500;
		if (db_next(&c))
			snprintf(key, sizeof(key), "%s", db_str(&c, 0));
		db_close(&c);
		if (!*key) {
			form_error(r, "company_id", "wx.err.no_robot");
			return 422;
		}
	} else {
		form_error(r, "channel", "err.required");
		return 422;
	}
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(rbuf, sizeof(rbuf), raw, sizeof(raw));
	snprintf(msg_id, sizeof(msg_id), "ca-test-%s", rbuf);
	if (company == 0) {
		static const char *const keys[] = { "thing1", "time2", "thing3" };
		const char *values[] = { tpl_lang(r, "wx.test_station"), "2026年1月1日", tpl_lang(r, "wx.test_company") };
		char url[512];
		struct wx_template m = { openid, tid, url, msg_id, 3, keys, values };

		snprintf(url, sizeof(url), "%s/base/notices", cfg_str("Site.base_url", ""));
		rc = wx_template_send(&m, &res);
	} else {
		rc = wx_robot_send(key, tpl_lang(r, "wx.test_robot_text"), &res);
	}
	tpl_set(r, "Page.test.channel", channel);
	if (rc == WX_OK) {
		tpl_set(r, "Page.flash", arena_printf(r->arena, "%s%s%s", tpl_lang(r, "wx.test_ok"),
		    res.msgid[0] ? " msgid " : "", res.msgid));
		tpl_set(r, "Page.flash_kind", "success");
	} else {
		tpl_set(r, "Page.flash", arena_printf(r->arena, "%s %s (errcode %d) %s",
		    tpl_lang(r, "wx.test_failed"), wx_status_name(rc), res.errcode, res.errmsg));
		tpl_set(r, "Page.flash_kind", "danger");
	}
	return 200;
}

/* ------------------------------------------------------------ outbox */

static const struct query q_retry_row = {
	"SELECT status FROM notice_outbox WHERE id = ? FOR UPDATE", "l", "s"
};
/* Due now, with a fresh count of tries; the client_msg_id stays, so a
 * template message WeChat already took within 10 minutes is not repeated. */
static const struct query q_retry = {
	"UPDATE notice_outbox SET status = 'pending', attempts = 0, next_at = UTC_TIMESTAMP(),"
	" first_try_at = NULL, claim_token = NULL, claimed_until = NULL WHERE id = ?",
	"l", ""
};

/* "Send again" for a row that failed, whose outcome is unknown, or that
 * waits (retry, deferred): the administrator's decision, recorded. */
int
wechat_outbox_retry(struct req *r)
{
	struct db_cur c;
	char status[16] = "";
	int64_t id;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if (db_open(&c, &q_retry_row, id) != 0)
		return 500;
	if (db_next(&c))
		snprintf(status, sizeof(status), "%s", db_str(&c, 0));
	db_close(&c);
	if (!*status)
		return 404;
	if (strcmp(status, "failed") != 0 && strcmp(status, "unknown") != 0 &&
	    strcmp(status, "retry") != 0 && strcmp(status, "deferred") != 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "wx.err.not_retryable"));
		tpl_set(r, "Page.title", tpl_lang(r, "wx.outbox"));
		tpl_set(r, "Page.view", "error.cs");
		return 409;
	}
	if (db_exec(&q_retry, id) < 0)
		return 500;
	audit_write(r, "notice_outbox", id, AUDIT_UPDATE, "status", status, "pending");
	return req_redirect(r, "/base/wechat/outbox?flash=retry");
}

static const char *const statuses[] = {
	"pending", "sending", "retry", "deferred", "sent", "failed", "unknown", "cancelled", NULL
};

static const struct query q_outbox_total = {
	"SELECT COUNT(*) FROM notice_outbox o"
	" WHERE (? = '' OR o.status = ?) AND (? = '' OR o.channel = ?) AND (? = 0 OR o.company_id = ?)",
	"ssssll", "l"
};
static const struct query q_outbox = {
	"SELECT o.id, o.notice_id, n.kind, COALESCE(s.code, ''), COALESCE(s.name, ''), o.channel,"
	" COALESCE(u.name, ''), co.name, o.status, o.attempts,"
	" DATE_FORMAT(" SQL_LOCAL("o.created_at") ", '%Y-%m-%d %H:%i'),"
	" DATE_FORMAT(" SQL_LOCAL("o.next_at") ", '%Y-%m-%d %H:%i:%s'),"
	" COALESCE(DATE_FORMAT(" SQL_LOCAL("o.sent_at") ", '%Y-%m-%d %H:%i:%s'), ''),"
	" COALESCE(o.last_errcode, 0), COALESCE(o.last_error, ''), COALESCE(o.msgid, ''), o.client_msg_id"
	" FROM notice_outbox o JOIN notices n ON n.id = o.notice_id"
	" JOIN companies co ON co.id = o.company_id"
	" LEFT JOIN stations s ON s.id = n.station_id"
	" LEFT JOIN users u ON u.id = o.user_id"
	" WHERE (? = '' OR o.status = ?) AND (? = '' OR o.channel = ?) AND (? = 0 OR o.company_id = ?)"
	" ORDER BY o.id DESC LIMIT ? OFFSET ?",
	"ssssllii", "llsssssssisssisss"
};

int
wechat_outbox(struct req *r)
{
	const char *status = req_query(r, "status"), *channel = req_query(r, "channel");
	struct company co[MAX_COMPANIES];
	int64_t company = 0, page = 1, total, pages;
	struct db_cur c;
	int n = 0, per = 50, nco;
	bool ok = false;

	status = status ? status : "";
	channel = channel ? channel : "";
	for (int i = 0; statuses[i]; i++)
		ok = ok || strcmp(status, statuses[i]) == 0;
	if (!ok)
		status = "";
	if (strcmp(channel, "template") != 0 && strcmp(channel, "robot") != 0)
		channel = "";
	if (req_query(r, "company_id") && req_int64(r, "company_id", &company) != 0)
		company = 0;
	if (req_query(r, "page") && (req_int64(r, "page", &page) != 0 || page < 1 || page > 100000))
		page = 1;
	total = db_scalar(0, &q_outbox_total, status, status, channel, channel, company, company);
	pages = total == 0 ? 1 : (total + per - 1) / per;
	if (page > pages)
		page = pages;
	if (db_open(&c, &q_outbox, status, status, channel, channel, company, company, per,
	    (int)((page - 1) * per)) != 0)
		return 500;
	while (db_next(&c)) {
		HDF *node = tpl_node(r, "Page.rows.%d", n++);
		char key[48];

		tpl_node_set(node, "id", arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)));
		tpl_node_set(node, "notice_id", arena_printf(r->arena, "%lld", (long long)db_i64(&c, 1)));
		snprintf(key, sizeof(key), "wx.kind.%s", db_str(&c, 2));
		tpl_node_set(node, "kind", tpl_lang(r, key));
		tpl_node_set(node, "station", arena_printf(r->arena, "%s %s", db_str(&c, 3), db_str(&c, 4)));
		snprintf(key, sizeof(key), "wx.channel.%s", db_str(&c, 5));
		tpl_node_set(node, "channel", tpl_lang(r, key));
		tpl_node_set(node, "recipient", *db_str(&c, 6) ? db_str(&c, 6) : db_str(&c, 7));
		tpl_node_set(node, "company", db_str(&c, 7));
		tpl_node_set(node, "status", db_str(&c, 8));
		snprintf(key, sizeof(key), "wx.status.%s", db_str(&c, 8));
		tpl_node_set(node, "status_label", tpl_lang(r, key));
		tpl_node_set(node, "attempts", arena_printf(r->arena, "%d", db_int(&c, 9)));
		tpl_node_set(node, "created", db_str(&c, 10));
		tpl_node_set(node, "next_at", db_str(&c, 11));
		tpl_node_set(node, "sent_at", db_str(&c, 12));
		if (db_int(&c, 13))
			tpl_node_set(node, "errcode", arena_printf(r->arena, "%d", db_int(&c, 13)));
		tpl_node_set(node, "error", db_str(&c, 14));
		tpl_node_set(node, "msgid", db_str(&c, 15));
		tpl_node_set(node, "client_msg_id", db_str(&c, 16));
	}
	db_close(&c);
	for (int i = 0; statuses[i]; i++) {
		HDF *node = tpl_node(r, "Page.statuses.%d", i);
		char key[48];

		snprintf(key, sizeof(key), "wx.status.%s", statuses[i]);
		tpl_node_set(node, "id", statuses[i]);
		tpl_node_set(node, "label", tpl_lang(r, key));
	}
	nco = load_companies(r, co);
	for (int i = 0; i < nco; i++) {
		HDF *node = tpl_node(r, "Page.companies.%d", i);

		tpl_node_set(node, "id", arena_printf(r->arena, "%lld", (long long)co[i].id));
		tpl_node_set(node, "name", co[i].name);
	}
	if (req_query(r, "flash") && strcmp(req_query(r, "flash"), "retry") == 0) {
		tpl_set(r, "Page.flash", tpl_lang(r, "wx.retry_queued"));
		tpl_set(r, "Page.flash_kind", "success");
	}
	tpl_set(r, "Page.f.status", status);
	tpl_set(r, "Page.f.channel", channel);
	tpl_set(r, "Page.f.company_id", company ? arena_printf(r->arena, "%lld", (long long)company) : "");
	tpl_set_int(r, "Page.total", total);
	tpl_set_int(r, "Page.page", page);
	tpl_set_int(r, "Page.pages", pages);
	tpl_set_int(r, "Page.count", n);
	tpl_set(r, "Page.menu", "base.wechat");
	tpl_set(r, "Page.title", tpl_lang(r, "wx.outbox"));
	tpl_set(r, "Page.view", "base/wechat_outbox.cs");
	return 200;
}
