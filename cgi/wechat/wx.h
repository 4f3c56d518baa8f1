/*
 * wx.h — handlers of the ca-wechat worker: the phone pages under /wx/
 * (F7.1).  Phone-sized, server-rendered pages that also answer JSON
 * (Accept: application/json), so the small scripts under assets/js/wx-*.js
 * can send a kept draft when the signal returns.  One file per resource:
 *   signin.c    sign-in / sign-out (password; links a waiting openid)
 *   oauth.c     WeChat OAuth (snsapi_base): redirect, callback, openid
 *   scan.c      the scan page and resolving a scanned value
 *   pile.c      the pile card (/wx/p/<code>) and binding a product
 *   station.c   binding to a station, nearest stations first
 *   maintain.c  state, charging mode, communication, versions, tariff
 * What a change means (ledger, update records) is cgi/model (pile_update.c,
 * pile_place.c) and the card is model/pile_card.c, shared with the web
 * forms; every submission is idempotent through core/idem.h, and every
 * page is set up by the phone shell of core/phone.h (sign-in redirect,
 * title bar, JS-SDK, views/phone/head.cs and foot.cs), which the phone
 * pages of other workers share.
 */
#ifndef CA_WECHAT_WX_H
#define CA_WECHAT_WX_H

#include <stdbool.h>
#include <stdint.h>

struct req;

/* signin.c */
int wx_home(struct req *r);
int wx_login_form(struct req *r);
int wx_login_submit(struct req *r);
int wx_logout(struct req *r);

/* oauth.c */
/* Inside WeChat, with WeChat configured: remember a fresh state and `next`
 * in a short-lived cookie and redirect to the authorize URL (returns 303);
 * otherwise 0 (show the password form). */
int wx_oauth_start(struct req *r, const char *next);
/* GET /wx/oauth/callback?code&state (no transaction). */
int wx_oauth_callback(struct req *r);
/* The openid the callback verified for this browser and no user is linked
 * to yet (arena copy), or NULL. */
const char *wx_oauth_pending(struct req *r);
/* Drop this browser's waiting openid: the cookie, and the row if drop_row. */
void wx_oauth_forget(struct req *r, bool drop_row);

/* scan.c */
int wx_scan(struct req *r);
int wx_lookup(struct req *r);

/* pile.c */
int wx_pile_show(struct req *r);
int wx_pile_product(struct req *r);

/* station.c */
int wx_station_form(struct req *r);
int wx_station_bind(struct req *r);

/* maintain.c */
int wx_maintain_form(struct req *r);
int wx_maintain_submit(struct req *r);

/* ---- shared by the handlers ---- */

/* A pile found by the :code of the path, in the user's data scope. */
struct wx_pile {
	int64_t id;
	int32_t version;
	char code[40];
	char state[16];
	int64_t product_id, station_id, supplier_id;
};

/* A supplier user (data scope by supplier, not by company). */
bool wx_is_supplier(const struct req *r);
/* Staff who may change assets (PERM_ASSET_EDIT). */
bool wx_can_edit(const struct req *r);
/* Find the pile named by r->args[0] in scope.  0, or 404 (malformed,
 * unknown, out of scope — all the same to the user) or 410 (the code was
 * voided), with Page.error set. */
int wx_pile_find(struct req *r, struct wx_pile *p);
/* Fill Page.pile.*, Page.events and the actions this user may take, and
 * the card view; returns status. */
int wx_card(struct req *r, const struct wx_pile *p, int status);

#endif
