/*
 * routes.c — the only route table of ca-asset.
 */
#include "core/app.h"
#include "core/req.h"
#include "core/route.h"

#include "asset/asset.h"

#define CRUD_ROUTES(path, res, view, edit)                                          \
	{ M_GET, path, res##_list, view, 0 },                                         \
	{ M_GET, path "/export", res##_export, view, 0 },                             \
	{ M_GET, path "/new", res##_new, edit, 0 },                                   \
	{ M_POST, path, res##_create, edit, RP_TX },                                  \
	{ M_GET, path "/:id/edit", res##_edit, edit, 0 },                             \
	{ M_POST, path "/:id", res##_update, edit, RP_TX },                           \
	{ M_POST, path "/:id/delete", res##_delete, edit, RP_TX }

static const struct route asset_routes[] = {
	CRUD_ROUTES("/asset/stations", station, PERM_ASSET_VIEW, PERM_ASSET_EDIT),
	CRUD_ROUTES("/asset/subassets", subasset, PERM_ASSET_VIEW, PERM_ASSET_EDIT),
	CRUD_ROUTES("/asset/piles", pile, PERM_ASSET_VIEW, PERM_ASSET_EDIT),
	{ M_GET, "/asset/piles/:id", pile_show, PERM_ASSET_VIEW, 0 },
	{ M_POST, "/asset/piles/:id/bind", pile_bind_station, PERM_ASSET_EDIT, RP_TX },
	{ M_POST, "/asset/piles/:id/unbind", pile_unbind_station, PERM_ASSET_EDIT, RP_TX },
	{ M_GET, "/asset/anomalies", anomaly_list, PERM_ASSET_VIEW, 0 },
	{ M_GET, "/asset/anomalies/export", anomaly_export, PERM_ASSET_VIEW, 0 },
	{ M_GET, "/asset/map", map_show, PERM_ASSET_VIEW, 0 },
	{ M_GET, "/asset/map/data", map_data, PERM_ASSET_VIEW, 0 },
	{ 0, NULL, NULL, 0, 0 }
};

const struct app asset_app = { "asset", asset_routes, NULL };
