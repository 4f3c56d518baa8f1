/*
 * session.c — sign-in, sign-out, own password, language and the home page.
 *
 * Sign-in and the password change are throttled per (username, address)
 * pair and per address (auth.c); a wrong username costs the same hash time
 * as a wrong password so the answer time does not tell which usernames
 * exist.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/form.h"
#include "core/log.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"

#include "base/base.h"

/* A local path to return to after sign-in (core/req.c decides what is local). */
static const char *
safe_next(const char *next)
{
	return req_safe_next(next, "/", "/base/");
}

static int
show_login(struct req *r, int status)
{
	tpl_set(r, "Page.title", tpl_lang(r, "login.title"));
	tpl_set(r, "Page.bare", "1");
	tpl_set(r, "Page.pre_csrf", csrf_anon_token(r));
	tpl_set(r, "Page.next", safe_next(req_param(r, "next")));
	tpl_set(r, "Page.view", "base/login.cs");
	return status;
}

int
login_form(struct req *r)
{
	if (r->user)
		return req_redirect(r, safe_next(req_query(r, "next")));
	return show_login(r, 200);
}

int
login_submit(struct req *r)
{
	const char *user;
	int64_t id = 0;
	int rc = auth_check_login(r, &user, &id);

	if (rc == 500)
		return 500;
	if (rc != 0)
		return show_login(r, rc);
	if (auth_start_session(r, id) != 0)
		return 500;
	log_info("login %.32s", user);
	return req_redirect(r, safe_next(req_param(r, "next")));
}

int
logout(struct req *r)
{
	auth_end_session(r);
	return req_redirect(r, "/base/login");
}

int
lang_switch(struct req *r)
{
	const char *to = req_query(r, "to");

	if (to == NULL || (strcmp(to, "en") != 0 && strcmp(to, "zh-CN") != 0))
		return 400;
	req_set_cookie(r, "ca_lang", to, 365 * 86400, false);
	return req_redirect(r, safe_next(req_query(r, "next")));
}

static const struct query q_home_counts = {
	"SELECT (SELECT COUNT(*) FROM companies WHERE kind = 'city'),"
	" (SELECT COUNT(*) FROM cities),"
	" (SELECT COUNT(*) FROM products),"
	" (SELECT COUNT(*) FROM warehouses WHERE ? OR company_id = ?),"
	" (SELECT COUNT(*) FROM users WHERE enabled = 1)",
	"il", "lllll"
};

static const struct query q_home_recent = {
	"SELECT a.entity, a.entity_id, a.action, COALESCE(a.field, ''),"
	" COALESCE(u.name, ''), DATE_FORMAT(" SQL_LOCAL("a.at") ", '%m-%d %H:%i'), "
	RECORD_NAME_SQL("a.entity", "a.entity_id")
	" FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
	" ORDER BY a.id DESC LIMIT 8",
	"", "slsssss"
};

int
home(struct req *r)
{
	static const char *const names[] = { "cities_companies", "cities", "products",
		"warehouses", "users" };
	struct db_cur c;
	int n = 0;

	tpl_set(r, "Page.title", tpl_lang(r, "home.title"));
	tpl_set(r, "Page.menu", "home");
	/* Every role sees what its account may do and over which scope. */
	for (int p = 1, k = 0; p < PERM__MAX; p++)
		if (user_can(r, p)) {
			char key[64];

			snprintf(key, sizeof(key), "perm.%s", perm_name(p));
			tpl_setf(r, tpl_lang(r, key), "Page.perms.%d", k++);
		}
	tpl_set(r, "Page.scope", tpl_lang(r, r->user->scope_all ? "scope.all" : "scope.own"));
	notices_fill(r);
	if (req_query(r, "flash") && strcmp(req_query(r, "flash"), "acked") == 0) {
		tpl_set(r, "Page.flash", tpl_lang(r, "flash.acked"));
		tpl_set(r, "Page.flash_kind", "success");
	}
	tpl_set(r, "Page.view", "base/home.cs");
	if (user_can(r, PERM_BASE_VIEW)) {
		if (db_open(&c, &q_home_counts, SCOPE_ARGS(r)) < 0)
			return 500;
		if (db_next(&c))
			for (int i = 0; i < 5; i++)
				tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, i)),
				    "Page.counts.%s", names[i]);
		db_close(&c);
	}
	if (user_can(r, PERM_AUDIT_VIEW)) {
		if (db_open(&c, &q_home_recent) < 0)
			return 500;
		while (db_next(&c)) {
			char key[96];

			snprintf(key, sizeof(key), "res.%s", db_str(&c, 0));
			tpl_setf(r, tpl_lang(r, key), "Page.recent.%d.entity", n);
			/* The record by its code or name, linked to its page. */
			tpl_setf(r, record_name(r, db_str(&c, 6), db_i64(&c, 1)),
			    "Page.recent.%d.record", n);
			if (*db_str(&c, 6)) {
				const char *href = record_href(r, db_str(&c, 0), db_i64(&c, 1));

				if (href)
					tpl_setf(r, href, "Page.recent.%d.href", n);
			}
			snprintf(key, sizeof(key), "audit.%s", db_str(&c, 2));
			tpl_setf(r, tpl_lang(r, key), "Page.recent.%d.action", n);
			snprintf(key, sizeof(key), "f.%s", db_str(&c, 3));
			tpl_setf(r, *db_str(&c, 3) ? tpl_lang(r, key) : "", "Page.recent.%d.field", n);
			tpl_setf(r, db_str(&c, 4), "Page.recent.%d.user", n);
			tpl_setf(r, db_str(&c, 5), "Page.recent.%d.at", n);
			n++;
		}
		db_close(&c);
	}
	return 200;
}

int
password_form(struct req *r)
{
	if (r->user->must_change_pw) {
		tpl_set(r, "Page.flash", tpl_lang(r, "pw.must_change"));
		tpl_set(r, "Page.flash_kind", "warning");
	}
	if (req_query(r, "wx_unlinked")) {
		tpl_set(r, "Page.flash", tpl_lang(r, "wxlink.unlinked"));
		tpl_set(r, "Page.flash_kind", "success");
	}
	tpl_set(r, "Page.title", tpl_lang(r, "pw.title"));
	tpl_set(r, "Page.view", "base/password.cs");
	user_wxlink_page(r, r->user->id);
	return 200;
}

static const struct query q_own_hash = {
	"SELECT password_hash FROM users WHERE id = ? FOR UPDATE", "l", "s"
};
static const struct query q_set_hash = {
	"UPDATE users SET password_hash = ?, must_change_pw = 0, version = version + 1 WHERE id = ?",
	"sl", ""
};
/* Not a transactional route: a wrong current password is recorded as a
 * sign-in failure (the same throttle as the login form), and that row must
 * survive the refusal; the change itself is one transaction. */
int
password_submit(struct req *r)
{
	const char *cur = req_param(r, "current"), *nw = req_param(r, "new"),
	    *again = req_param(r, "confirm"), *policy;
	char hash[160];
	struct db_cur c;
	int64_t wait;
	bool ok = false;

	tpl_set(r, "Page.title", tpl_lang(r, "pw.title"));
	tpl_set(r, "Page.view", "base/password.cs");
	user_wxlink_page(r, r->user->id);
	if (cur == NULL || *cur == '\0')
		form_error(r, "current", "err.required");
	if (nw == NULL || *nw == '\0')
		form_error(r, "new", "err.required");
	else if ((policy = password_policy(nw, r->user->username)) != NULL)
		form_error(r, "new", policy);
	else if (again == NULL || strcmp(nw, again) != 0)
		form_error(r, "confirm", "err.pw_mismatch");
	if (tpl_get(r, "Page.errors"))
		return 422;
	if ((wait = auth_throttle_wait(r, r->user->username)) > 0) {
		log_warn("password change throttled for %.32s", r->user->username);
		auth_throttle_message(r, wait);
		return 429;
	}
	if (db_begin() != 0)
		return 503;
	if (db_open(&c, &q_own_hash, r->user->id) < 0)
		goto fail;
	if (db_next(&c))
		ok = password_verify(db_str(&c, 0), cur);
	db_close(&c);
	if (!ok) {
		db_rollback();
		auth_note_failure(r, r->user->username);
		log_info("password change: wrong current password for %.32s", r->user->username);
		form_error(r, "current", "err.pw_wrong");
		return 422;
	}
	if (password_hash(nw, hash, sizeof(hash)) != 0 ||
	    db_exec(&q_set_hash, hash, r->user->id) < 0)
		goto fail;
	audit_write(r, "user", r->user->id, AUDIT_UPDATE, "password", NULL, NULL);
	/* Every session of the user ends; this one continues under a new id. */
	if (auth_rotate_session(r) != 0)
		goto fail;
	if (db_commit() != 0)
		return 500;
	auth_clear_failures(r, r->user->username);
	tpl_set(r, "Page.flash", tpl_lang(r, "pw.changed"));
	tpl_set(r, "Page.flash_kind", "success");
	return 200;
fail:
	db_rollback();
	return 500;
}
