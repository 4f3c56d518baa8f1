/*
 * routes.c — the only route table of ca-wechat (/wx/).
 *
 * Every route is a phone page (RP_PHONE, core/phone.h): a signed-out GET is
 * sent to the phone sign-in /wx/login, which returns to the page asked for
 * (opening a label's URL with any phone camera lands on its pile card after
 * signing in), and errors are phone pages.  The card and binding a product are open
 * to every signed-in user because suppliers (PERM_SUPPLIER) and staff
 * (PERM_ASSET_VIEW / PERM_ASSET_EDIT) both use them; the data scope in SQL
 * decides which piles each sees (pile.c).  Binding to a station and
 * maintenance are staff work: PERM_ASSET_EDIT here, so a supplier gets 403.
 */
#include "core/app.h"
#include "core/req.h"
#include "core/route.h"

#include "wechat/wx.h"

static const struct route wechat_routes[] = {
	ROUTE(M_GET, "/wx/", wx_home, PERM_NONE, RP_PUBLIC | RP_PHONE),
	ROUTE(M_GET, "/wx/login", wx_login_form, PERM_NONE, RP_PUBLIC | RP_PHONE),
	ROUTE(M_POST, "/wx/login", wx_login_submit, PERM_NONE, RP_PUBLIC | RP_PRECSRF | RP_PHONE),
	ROUTE(M_POST, "/wx/logout", wx_logout, PERM_NONE, RP_PWCHANGE | RP_PHONE),
	/* WeChat OAuth: no RP_TX, the code exchange is a call to WeChat. */
	ROUTE(M_GET, "/wx/oauth/callback", wx_oauth_callback, PERM_NONE, RP_PUBLIC | RP_PHONE),
	ROUTE(M_GET, "/wx/scan", wx_scan, PERM_NONE, RP_PHONE),
	ROUTE(M_GET, "/wx/lookup", wx_lookup, PERM_NONE, RP_PHONE),
	ROUTE(M_GET, "/wx/p/:code", wx_pile_show, PERM_NONE, RP_PHONE),
	ROUTE(M_POST, "/wx/p/:code/product", wx_pile_product, PERM_NONE, RP_TX | RP_PHONE),
	ROUTE(M_GET, "/wx/p/:code/station", wx_station_form, PERM_ASSET_EDIT, RP_PHONE),
	ROUTE(M_POST, "/wx/p/:code/station", wx_station_bind, PERM_ASSET_EDIT, RP_TX | RP_PHONE),
	ROUTE(M_GET, "/wx/p/:code/maintain", wx_maintain_form, PERM_ASSET_EDIT, RP_PHONE),
	ROUTE(M_POST, "/wx/p/:code/maintain", wx_maintain_submit, PERM_ASSET_EDIT, RP_TX | RP_PHONE),
	ROUTE_END
};

const struct app wechat_app = { "wechat", wechat_routes, NULL };
