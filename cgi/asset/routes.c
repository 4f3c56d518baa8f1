/*
 * routes.c — the only route table of ca-asset.
 */
#include "core/app.h"
#include "core/req.h"
#include "core/route.h"

#include "asset/asset.h"

static const struct route asset_routes[] = {
	/* Before "/asset/stations/:id", which would take "pick" for an id. */
	ROUTE(M_GET, "/asset/stations/pick", station_pick, PERM_ASSET_VIEW, 0),
	CRUD_ROUTES("/asset/stations", station, PERM_ASSET_VIEW, PERM_ASSET_EDIT),
	ROUTE(M_GET, "/asset/stations/:id", station_show, PERM_ASSET_VIEW, 0),
	CRUD_ROUTES("/asset/subassets", subasset, PERM_ASSET_VIEW, PERM_ASSET_EDIT),
	CRUD_ROUTES("/asset/piles", pile, PERM_ASSET_VIEW, PERM_ASSET_EDIT),
	ROUTE(M_GET, "/asset/piles/lookup", pile_lookup, PERM_ASSET_VIEW, 0),
	/* The rows ticked on the list: labels need the QR permission (the
	 * sheet is ca-qrcode's), a state change asset edit, one transaction. */
	ROUTE(M_POST, "/asset/piles/batch/labels", pile_batch_labels, PERM_QR, 0),
	ROUTE(M_POST, "/asset/piles/batch/export", pile_batch_export, PERM_ASSET_VIEW, 0),
	ROUTE(M_POST, "/asset/piles/batch/state", pile_batch_state, PERM_ASSET_EDIT, RP_TX),
	ROUTE(M_GET, "/asset/piles/batch/:id", pile_batch_show, PERM_ASSET_EDIT, 0),
	ROUTE(M_GET, "/asset/piles/:id", pile_show, PERM_ASSET_VIEW, 0),
	ROUTE(M_POST, "/asset/piles/:id/bind", pile_bind_station, PERM_ASSET_EDIT, RP_TX),
	ROUTE(M_POST, "/asset/piles/:id/unbind", pile_unbind_station, PERM_ASSET_EDIT, RP_TX),
	ROUTE(M_GET, "/asset/anomalies", anomaly_list, PERM_ASSET_VIEW, 0),
	ROUTE(M_GET, "/asset/anomalies/export", anomaly_export, PERM_ASSET_VIEW, 0),
	DOC_ROUTES("/asset/anomalies", anomaly, PERM_ASSET_VIEW),
	/* Bulk import: upload and commit run their own short transactions. */
	ROUTE(M_GET, "/asset/import", import_page, PERM_ASSET_EDIT, 0),
	ROUTE(M_POST, "/asset/import", import_upload, PERM_ASSET_EDIT, 0),
	ROUTE(M_GET, "/asset/import/template", import_template, PERM_ASSET_EDIT, 0),
	ROUTE(M_GET, "/asset/import/progress", import_progress, PERM_ASSET_EDIT, 0),
	ROUTE(M_GET, "/asset/import/history", import_history, PERM_ASSET_EDIT, 0),
	ROUTE(M_GET, "/asset/import/history/export", import_history_export, PERM_ASSET_EDIT, 0),
	ROUTE(M_GET, "/asset/import/history/:id", import_show, PERM_ASSET_EDIT, 0),
	ROUTE(M_GET, "/asset/import/:id", import_show, PERM_ASSET_EDIT, 0),
	ROUTE(M_POST, "/asset/import/:id/commit", import_commit, PERM_ASSET_EDIT, 0),
	ROUTE(M_GET, "/asset/search", asset_search, PERM_ASSET_VIEW, 0),
	ROUTE(M_GET, "/asset/map", map_show, PERM_ASSET_VIEW, 0),
	ROUTE(M_GET, "/asset/map/data", map_data, PERM_ASSET_VIEW, 0),
	/* versions (F4.24): setting a target is further limited to head-office users */
	ROUTE(M_GET, "/asset/versions", version_index, PERM_ASSET_VIEW, 0),
	ROUTE(M_GET, "/asset/versions/piles", version_piles, PERM_ASSET_VIEW, 0),
	ROUTE(M_GET, "/asset/versions/piles/export", version_piles_export, PERM_ASSET_VIEW, 0),
	ROUTE(M_GET, "/asset/versions/:id/edit", version_edit, PERM_ASSET_EDIT, 0),
	ROUTE(M_POST, "/asset/versions/:id", version_update, PERM_ASSET_EDIT, RP_TX),
	ROUTE_END
};

const struct app asset_app = { "asset", asset_routes, NULL };
