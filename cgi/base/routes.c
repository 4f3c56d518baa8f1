/*
 * routes.c — the only route table of ca-base.
 */
#include "core/app.h"
#include "core/req.h"
#include "core/route.h"

#include "base/base.h"

static const struct route base_routes[] = {
	ROUTE(M_GET, "/base/", home, PERM_NONE, 0),
	ROUTE(M_GET, "/base/login", login_form, PERM_NONE, RP_PUBLIC),
	ROUTE(M_POST, "/base/login", login_submit, PERM_NONE, RP_PUBLIC | RP_PRECSRF),
	ROUTE(M_POST, "/base/logout", logout, PERM_NONE, RP_PWCHANGE),
	ROUTE(M_GET, "/base/lang", lang_switch, PERM_NONE, RP_PUBLIC),
	ROUTE(M_GET, "/base/password", password_form, PERM_NONE, RP_PWCHANGE),
	ROUTE(M_POST, "/base/password", password_submit, PERM_NONE, RP_PWCHANGE),
	ROUTE(M_POST, "/base/wxlink/unlink", wxlink_unlink_own, PERM_NONE, RP_TX),
	CRUD_ROUTES("/base/companies", company, PERM_BASE_VIEW, PERM_BASE_ADMIN),
	CRUD_ROUTES("/base/cities", city, PERM_BASE_VIEW, PERM_BASE_ADMIN),
	CRUD_ROUTES("/base/products", product, PERM_BASE_VIEW, PERM_BASE_ADMIN),
	CRUD_ROUTES("/base/cables", cable, PERM_BASE_VIEW, PERM_BASE_ADMIN),
	CRUD_ROUTES("/base/warehouses", warehouse, PERM_BASE_VIEW, PERM_BASE_ADMIN),
	CRUD_ROUTES("/base/dicts", dict, PERM_BASE_VIEW, PERM_BASE_ADMIN),
	CRUD_ROUTES("/base/users", user, PERM_USER_ADMIN, PERM_USER_ADMIN),
	ROUTE(M_GET, "/base/users/:id/password", user_reset_form, PERM_USER_ADMIN, 0),
	ROUTE(M_POST, "/base/users/:id/password", user_reset_password, PERM_USER_ADMIN, RP_TX),
	ROUTE(M_POST, "/base/users/:id/wxlink/unlink", user_wxlink_unlink, PERM_USER_ADMIN, RP_TX),
	ROUTE(M_GET, "/base/roles", role_list, PERM_USER_ADMIN, 0),
	ROUTE(M_POST, "/base/notices/:id/ack", notice_ack, PERM_ASSET_VIEW, RP_TX),
	ROUTE(M_GET, "/base/notices", notice_list, PERM_NONE, 0),
	ROUTE(M_POST, "/base/notices/:id/read", notice_read, PERM_NONE, RP_TX),
	ROUTE(M_GET, "/base/wechat", wechat_form, PERM_WECHAT_ADMIN, 0),
	ROUTE(M_POST, "/base/wechat", wechat_save, PERM_WECHAT_ADMIN, RP_TX),
	ROUTE(M_POST, "/base/wechat/test", wechat_test_send, PERM_WECHAT_ADMIN, 0),
	ROUTE(M_GET, "/base/wechat/outbox", wechat_outbox, PERM_WECHAT_ADMIN, 0),
	ROUTE(M_POST, "/base/wechat/outbox/:id/retry", wechat_outbox_retry, PERM_WECHAT_ADMIN, RP_TX),
	ROUTE(M_GET, "/base/records", record_list, PERM_AUDIT_VIEW, 0),
	ROUTE(M_GET, "/base/records/export", record_export, PERM_AUDIT_VIEW, 0),
	ROUTE_END
};

const struct app base_app = { "base", base_routes, NULL };
