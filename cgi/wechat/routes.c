/*
 * routes.c — the only route table of ca-wechat (/wx/).
 *
 * Signed-out GETs are sent to /wx/login (app_login_path, set in wechat_init), which returns to
 * the page asked for: opening a label's URL with any phone camera lands on
 * its pile card after signing in.  The card and binding a product are open
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
	ROUTE(M_GET, "/wx/", wx_home, PERM_NONE, RP_PUBLIC),
	ROUTE(M_GET, "/wx/login", wx_login_form, PERM_NONE, RP_PUBLIC),
	ROUTE(M_POST, "/wx/login", wx_login_submit, PERM_NONE, RP_PUBLIC | RP_PRECSRF),
	ROUTE(M_POST, "/wx/logout", wx_logout, PERM_NONE, RP_PWCHANGE),
	/* WeChat OAuth: no RP_TX, the code exchange is a call to WeChat. */
	ROUTE(M_GET, "/wx/oauth/callback", wx_oauth_callback, PERM_NONE, RP_PUBLIC),
	ROUTE(M_GET, "/wx/scan", wx_scan, PERM_NONE, 0),
	ROUTE(M_GET, "/wx/lookup", wx_lookup, PERM_NONE, 0),
	ROUTE(M_GET, "/wx/p/:code", wx_pile_show, PERM_NONE, 0),
	ROUTE(M_POST, "/wx/p/:code/product", wx_pile_product, PERM_NONE, RP_TX),
	ROUTE(M_GET, "/wx/p/:code/station", wx_station_form, PERM_ASSET_EDIT, 0),
	ROUTE(M_POST, "/wx/p/:code/station", wx_station_bind, PERM_ASSET_EDIT, RP_TX),
	ROUTE(M_GET, "/wx/p/:code/maintain", wx_maintain_form, PERM_ASSET_EDIT, 0),
	ROUTE(M_POST, "/wx/p/:code/maintain", wx_maintain_submit, PERM_ASSET_EDIT, RP_TX),
	ROUTE_END
};

/* Signed-out phone pages sign in on the phone page, not the desktop one. */
static int
wechat_init(void)
{
	app_login_path = "/wx/login";
	return 0;
}

const struct app wechat_app = { "wechat", wechat_routes, wechat_init };
