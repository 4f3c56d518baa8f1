/*
 * signin.c — signing in and out on the phone.
 *
 * A /wx/ session is a normal session: the same users, argon2id check,
 * throttling per (username, address), rotated session cookie and CSRF
 * token (core/auth.c), exactly as ca-base's sign-in (base/session.c) does
 * it; workers never include each other, so the few lines of that flow are
 * repeated here.  nginx also rate-limits POST /wx/login like /base/login.
 *
 * Inside WeChat (oauth.c) a signed-out visitor goes to WeChat's authorize
 * page first; `?password=1` (the link on every OAuth error page) keeps the
 * password form.  An openid the OAuth callback could not match to a user
 * waits (wx_oauth_pending) for this form: the good password that follows
 * links it to the account (model/wxlink.c) in the same transaction as the
 * new session, so the next visit from that WeChat signs in without it.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/db.h"
#include "core/form.h"
#include "core/log.h"
#include "core/phone.h"
#include "core/req.h"
#include "core/text.h"
#include "core/tpl.h"
#include "model/wxlink.h"

#include "wechat/wx.h"

static int
show_login(struct req *r, int status)
{
	phone_page(r, tpl_lang(r, "wx.login_title"), "wechat/login.cs", NULL);
	tpl_set(r, "Page.pre_csrf", csrf_anon_token(r));
	tpl_set(r, "Page.next", phone_safe_next(req_param(r, "next")));
	if (!tpl_get(r, "Page.link_refused") && wx_oauth_pending(r))
		tpl_set(r, "Page.link_pending", "1");
	return status;
}

/* Signed out inside WeChat: OAuth first, unless the password form was
 * asked for or an openid already waits for it.  0: show the form. */
static int
maybe_oauth(struct req *r)
{
	const char *pw = req_query(r, "password");

	if ((pw && *pw) || wx_oauth_pending(r))
		return 0;
	return wx_oauth_start(r, req_query(r, "next"));
}

int
wx_home(struct req *r)
{
	int rc;

	if (r->user)
		return req_redirect(r, "/wx/scan");
	if ((rc = maybe_oauth(r)) != 0)
		return rc;
	return show_login(r, 200);
}

int
wx_login_form(struct req *r)
{
	int rc;

	if (r->user)
		return req_redirect(r, phone_safe_next(req_query(r, "next")));
	if ((rc = maybe_oauth(r)) != 0)
		return rc;
	return show_login(r, 200);
}

/* The password was good: link the waiting openid (if any) and start the
 * session, in one transaction.  0, or the status of a refusal (the link
 * is not possible: nothing is written, the form says why). */
static int
link_and_start(struct req *r, int64_t id, const char *user)
{
	const char *openid = wx_oauth_pending(r);
	int rc = WXLINK_OK;

	if (db_begin() != 0)
		return 503;
	if (openid) {
		/* The update record names the user as its author. */
		struct user self = { .id = id, .username = user };

		r->user = &self;
		rc = wxlink_add(r, id, openid);
		r->user = NULL;
	}
	if (rc == WXLINK_TAKEN || rc == WXLINK_HAS) {
		db_rollback();
		wx_oauth_forget(r, false);
		log_info("phone login %.32s: WeChat link refused (%s)", user,
		    rc == WXLINK_TAKEN ? "openid linked to another user" : "user has another link");
		tpl_set(r, "Page.error", tpl_lang(r, rc == WXLINK_TAKEN ? "wx.oauth.err_taken" :
		    "wx.oauth.err_has"));
		tpl_set(r, "Page.link_refused", "1");
		return 409;
	}
	if (rc != WXLINK_OK || auth_start_session(r, id) != 0) {
		db_rollback();
		return 500;
	}
	if (openid)
		wx_oauth_forget(r, true);
	if (db_commit() != 0)
		return 500;
	if (openid)
		log_info("phone login %.32s: WeChat linked", user);
	return 0;
}

int
wx_login_submit(struct req *r)
{
	const char *user;
	int64_t id = 0;
	int rc = auth_check_login(r, &user, &id);

	if (rc == 500)
		return 500;
	if (rc != 0)
		return show_login(r, rc);
	rc = link_and_start(r, id, user);
	if (rc == 409)
		return show_login(r, 409);
	if (rc != 0)
		return rc;
	log_info("phone login %.32s", user);
	return req_redirect(r, phone_safe_next(req_param(r, "next")));
}

int
wx_logout(struct req *r)
{
	auth_end_session(r);
	/* Inside WeChat the sign-in page would sign the linked user straight
	 * back in: after signing out it shows the password form. */
	return req_redirect(r, phone_in_wechat(r) ? "/wx/login?password=1" : "/wx/login");
}
