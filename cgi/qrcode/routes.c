/*
 * routes.c — the only route table of ca-qrcode.  Everything needs the qr
 * permission (admin, ops and warehouse keepers); registering piles from a
 * batch's codes is an asset edit.  Creating a batch manages
 * its own transactions (a short one reserving the serial range, then one
 * per chunk of codes), so that route is not RP_TX.
 */
#include "core/app.h"
#include "core/req.h"
#include "core/route.h"

#include "qrcode/qrcode.h"

static const struct route qrcode_routes[] = {
	ROUTE(M_GET, "/qr/", qr_home, PERM_QR, 0),
	ROUTE(M_GET, "/qr/rules", rule_list, PERM_QR, 0),
	ROUTE(M_GET, "/qr/rules/export", rule_export, PERM_QR, 0),
	ROUTE(M_GET, "/qr/rules/new", rule_new, PERM_QR, 0),
	ROUTE(M_POST, "/qr/rules", rule_create, PERM_QR, RP_TX),
	ROUTE(M_GET, "/qr/rules/:id/edit", rule_edit, PERM_QR, 0),
	ROUTE(M_POST, "/qr/rules/:id", rule_update, PERM_QR, RP_TX),
	ROUTE(M_POST, "/qr/rules/:id/delete", rule_delete, PERM_QR, RP_TX),
	ROUTE(M_GET, "/qr/batches", batch_list, PERM_QR, 0),
	ROUTE(M_GET, "/qr/batches/export", batch_export, PERM_QR, 0),
	ROUTE(M_GET, "/qr/batches/new", batch_new, PERM_QR, 0),
	ROUTE(M_POST, "/qr/batches", batch_create, PERM_QR, 0),
	ROUTE(M_GET, "/qr/batches/:id", batch_show, PERM_QR, 0),
	ROUTE(M_POST, "/qr/batches/:id/generate", batch_generate, PERM_QR, 0),
	ROUTE(M_GET, "/qr/batches/:id/labels", label_sheet, PERM_QR, 0),
	ROUTE(M_POST, "/qr/batches/:id/piles", batch_piles, PERM_ASSET_EDIT, RP_TX),
	ROUTE(M_GET, "/qr/lookup", code_lookup, PERM_QR, 0),
	ROUTE(M_GET, "/qr/regenerate", regen_scan, PERM_QR, 0),
	ROUTE(M_GET, "/qr/piles/labels", label_piles, PERM_QR, 0),
	ROUTE(M_GET, "/qr/piles/:id/regenerate", regen_show, PERM_QR, 0),
	ROUTE(M_GET, "/qr/piles/:id/label", regen_label, PERM_QR, 0),
	ROUTE(M_GET, "/qr/piles/:id/svg", regen_svg, PERM_QR, 0),
	ROUTE(M_POST, "/qr/piles/:id/replace", regen_replace, PERM_QR, RP_TX),
	ROUTE(M_GET, "/qr/codes/:code", code_show, PERM_QR, 0),
	ROUTE(M_GET, "/qr/codes/:code/label", code_label, PERM_QR, 0),
	ROUTE_END
};

const struct app qrcode_app = { "qrcode", qrcode_routes, NULL };
