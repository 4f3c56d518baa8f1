/*
 * signin.c — signing in and out on the phone.
 *
 * A /wx/ session is a normal session: the same users, argon2id check,
 * throttling per username and address, rotated session cookie and CSRF
 * token (core/auth.c), exactly as ca-base's sign-in (base/session.c) does
 * it; workers never include each other, so the few lines of that flow are
 * repeated here.  nginx also rate-limits POST /wx/login like /base/login.
 *
 * ---- WeChat OAuth plugs in here -------------------------------------------
 * The WeChat client (core/wechat.h: OAuth code → openid, JS-SDK signing) is
 * built separately.  When it is merged:
 *   1. wx_home()/wx_login_form(): inside WeChat with no session, redirect to
 *      the authorize URL (snsapi_base) with a state that remembers `next`;
 *   2. its callback exchanges the code for the openid and calls
 *      wx_user_for_openid(): a linked user gets auth_start_session() and goes
 *      to `next`; an unlinked openid is kept (signed, short-lived) and the
 *      password form below is shown once;
 *   3. wx_login_submit(): after a good password, link that openid to the
 *      user (wx_links) — the marked line there.
 * Nothing here depends on that code, so this file builds without it.
 * ---------------------------------------------------------------------------
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/form.h"
#include "core/log.h"
#include "core/req.h"
#include "core/text.h"
#include "core/tpl.h"

#include "wechat/wx.h"

/* Where to go after signing in: a phone page, never another host. */
static const char *
safe_next(const char *next)
{
	if (next == NULL || strncmp(next, "/wx/", 4) != 0 || strstr(next, "//") ||
	    strchr(next, '\\') || strlen(next) > 300 || strpbrk(next, "\r\n"))
		return "/wx/scan";
	return next;
}

static int
show_login(struct req *r, int status)
{
	wx_page(r, tpl_lang(r, "wx.login_title"), "wechat/login.cs");
	tpl_set(r, "Page.pre_csrf", csrf_anon_token(r));
	tpl_set(r, "Page.next", safe_next(req_param(r, "next")));
	return status;
}

int
wx_home(struct req *r)
{
	/* OAuth (see the top of this file) redirects from here when in WeChat. */
	if (r->user)
		return req_redirect(r, "/wx/scan");
	return show_login(r, 200);
}

int
wx_login_form(struct req *r)
{
	if (r->user)
		return req_redirect(r, safe_next(req_query(r, "next")));
	return show_login(r, 200);
}

static const struct query q_user_by_name = {
	"SELECT id, password_hash, enabled FROM users WHERE username = ?", "s", "lsi"
};

int
wx_login_submit(struct req *r)
{
	const char *user = req_param(r, "username"), *pw = req_param(r, "password");
	char hash[160] = "";
	int64_t id = 0;
	int enabled = 0;
	bool good;
	struct db_cur c;

	user = user ? text_trim(arena_strdup(r->arena, user)) : "";
	tpl_set(r, "Page.form.username", user);
	if (*user == '\0' || pw == NULL || *pw == '\0' || strlen(user) > 32 || strlen(pw) > 128) {
		if (*user == '\0')
			form_error(r, "username", "err.required");
		if (pw == NULL || *pw == '\0')
			form_error(r, "password", "err.required");
		if (strlen(user) > 32 || (pw && strlen(pw) > 128))
			tpl_set(r, "Page.error", tpl_lang(r, "login.failed"));
		return show_login(r, 422);
	}
	if (auth_throttled(r, user)) {
		log_warn("login throttled for %.32s from %s", user, r->remote_addr ? r->remote_addr : "?");
		tpl_set(r, "Page.error", tpl_lang(r, "login.throttled"));
		return show_login(r, 429);
	}
	if (db_open(&c, &q_user_by_name, user) < 0)
		return 500;
	if (db_next(&c)) {
		id = db_i64(&c, 0);
		snprintf(hash, sizeof(hash), "%s", db_str(&c, 1));
		enabled = db_int(&c, 2);
	}
	db_close(&c);
	if (id == 0) {
		/* Same cost as a real check, so timing does not tell who exists. */
		static char dummy[crypto_pwhash_STRBYTES];

		if (dummy[0] == '\0')
			password_hash("not-a-real-password-1", dummy, sizeof(dummy));
		(void)password_verify(dummy, pw);
	}
	good = id != 0 && password_verify(hash, pw);
	if (!good || !enabled) {
		auth_note_failure(r, user);
		log_info("phone login failed for %.32s", user);
		tpl_set(r, "Page.error", tpl_lang(r, good ? "login.disabled" : "login.failed"));
		return show_login(r, 401);
	}
	auth_clear_failures(r, user);
	if (auth_start_session(r, id) != 0)
		return 500;
	/* OAuth: link the pending openid to user `id` here (wx_links). */
	log_info("phone login %.32s", user);
	return req_redirect(r, safe_next(req_param(r, "next")));
}

int
wx_logout(struct req *r)
{
	auth_end_session(r);
	return req_redirect(r, "/wx/login");
}

/* wx_links(user_id, openid, linked_at) comes with the WeChat client's
 * migration; only its OAuth callback calls this, so until then the table
 * is never read. */
static const struct query q_openid_user = {
	"SELECT u.id FROM wx_links l JOIN users u ON u.id = l.user_id"
	" WHERE l.openid = ? AND u.enabled = 1", "s", "l"
};

int64_t
wx_user_for_openid(struct req *r, const char *openid)
{
	(void)r;
	if (openid == NULL || *openid == '\0' || strlen(openid) > 64)
		return 0;
	return db_scalar(0, &q_openid_user, openid);
}
