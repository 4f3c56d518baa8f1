/*
 * phone.h — the phone-page shell, for the phone pages of every worker.
 *
 * The phone pages (ca-wechat's /wx/ today; inspection and defects next)
 * are phone-sized, server-rendered pages that open inside WeChat or any
 * phone browser and keep working over a weak signal.  What they share:
 *
 *   sign-in    a route with RP_PHONE (core/route.h) sends a signed-out GET
 *              to the phone sign-in, PHONE_LOGIN?next=<path> (ca-wechat:
 *              password or WeChat OAuth; one session for every worker),
 *              which returns to <path> when phone_safe_next() accepts it:
 *              list the worker's phone prefix in phone.c.  A signed-out
 *              POST or JSON request gets 401; its error pages are phone
 *              pages (Page.phone).
 *   the shell  phone_page() fills what views/phone/head.cs and foot.cs
 *              show: the title bar (title, a back link), the JS-SDK's
 *              wx.config inside WeChat, the drafts strip, the foot with
 *              the user, language and sign-out; assets/css/phone.css and
 *              assets/js/wx-app.js (drafts kept offline and sent again).
 *   JSON       every phone page also answers Accept: application/json (or
 *              ?format=json) with its Page.* data, and a redirect as
 *              {location, ok} (core/app.c), which is what wx-app.js sends
 *              and reads.
 *   submitting idempotently with core/idem.h.
 *
 * A new worker's phone page, say GET and POST /inspect/m/plans/:id:
 *
 *   routes.c   ROUTE(M_GET, "/inspect/m/plans/:id", plan_phone, PERM_…, RP_PHONE),
 *              ROUTE(M_POST, "/inspect/m/plans/:id", plan_phone_record, PERM_…, RP_PHONE | RP_TX),
 *              and "/inspect/m/" added to phone_prefixes in phone.c;
 *   handler    fill Page.*, idem_fresh(r) for its form, then
 *              phone_page(r, title, "inspect/plan_phone.cs", "/wx/scan");
 *              the POST: idem_begin(...), validate, change, idem_done(r, location);
 *   template   <?cs include:"phone/head.cs" ?> … <?cs include:"phone/foot.cs" ?>
 *              (a stylesheet of its own: set Phone.css first, as views/wechat/head.cs);
 *              its form: method="post" data-wx-form data-wx-label="…", with
 *              call:csrf_field() and call:phone_key().
 */
#ifndef CA_PHONE_H
#define CA_PHONE_H

#include <stdbool.h>

struct req;

/* The phone sign-in (ca-wechat) and the phone app's home, where a
 * sign-in without a usable `next` lands. */
#define PHONE_LOGIN "/wx/login"
#define PHONE_HOME "/wx/scan"

/* Set up a phone page: Page.title (NULL: the app's name), Page.view (the
 * template, which includes phone/head.cs and phone/foot.cs), Page.back
 * when back is not NULL (a path of ours: the bar's ‹ link), Page.bare (no
 * desktop menu) and Page.phone; inside WeChat, for a GET page, the signed
 * wx.config parameters (Page.jsconfig.*).  Strings are copied into the
 * request's data; nothing is returned, nothing fails (a wx.config that
 * cannot be signed is logged and left out: the page works without it). */
void phone_page(struct req *r, const char *title, const char *view, const char *back);

/* The WeChat client's own browser (User-Agent MicroMessenger)? */
bool phone_in_wechat(const struct req *r);

/* Where the phone sign-in sends the browser back to: next when it is a
 * path of this site under a phone prefix (phone.c: "/wx/" …; the checks of
 * core's req_safe_next), else PHONE_HOME.  Never another host. */
const char *phone_safe_next(const char *next);

#endif
