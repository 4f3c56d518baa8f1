/*
 * scan.c — the scan page (扫一扫) and resolving what was scanned or typed.
 *
 * The page offers, in this order: WeChat's own scanner (wx.scanQRCode with
 * needResult 1) when the JS-SDK is there and configured, the phone camera
 * (BarcodeDetector, or the vendored jsQR decoder), and always a box to type
 * the code (assets/js/wx-scan.js).  Whatever it gets goes unparsed to
 * /wx/lookup?value=…, and only the server reads it (code_scan(): the label
 * URL <Site.base_url>/wx/p/<code>, the bare code in any case, or WeChat's
 * "QR_CODE,…" answer), then sends the phone to the pile card.
 *
 * Inside WeChat the page's wx.config parameters come with every phone page
 * (core/phone.c); the scanner is used once caWx.ready() says the SDK is.
 */
#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/phone.h"
#include "core/req.h"
#include "core/tpl.h"
#include "model/code.h"

#include "wechat/wx.h"

static void
scan_page(struct req *r)
{
	phone_page(r, tpl_lang(r, "wx.scan_title"), "wechat/scan.cs", NULL);
	if (wx_can_edit(r))
		tpl_set(r, "Page.staff", "1");
}

int
wx_scan(struct req *r)
{
	if (!wx_is_supplier(r) && !user_can(r, PERM_ASSET_VIEW))
		return 403;
	scan_page(r);
	return 200;
}

/* WeChat gives a 1-D barcode as "<FORMAT>,<value>" (WECHAT.md §3.4, §10.5):
 * drop a known ZXing format name so a barcode of the asset code reads too.
 * "QR_CODE," is left for code_scan(), which knows it. */
static const char *
strip_format(const char *v)
{
	static const char *const formats[] = { "EAN_8,", "EAN_13,", "UPC_A,", "UPC_E,",
		"CODE_39,", "CODE_93,", "CODE_128,", "ITF,", "CODABAR,", "DATA_MATRIX,",
		"PDF_417,", NULL };

	while (*v == ' ' || *v == '\t')
		v++;
	for (int i = 0; formats[i]; i++)
		if (strncmp(v, formats[i], strlen(formats[i])) == 0)
			return v + strlen(formats[i]);
	return v;
}

int
wx_lookup(struct req *r)
{
	const char *value = req_query(r, "value");
	char code[CODE_MAX + 1];
	int rc;

	if (!wx_is_supplier(r) && !user_can(r, PERM_ASSET_VIEW))
		return 403;
	scan_page(r);
	if (value == NULL || *value == '\0') {
		tpl_set(r, "Page.error", tpl_lang(r, "wx.err.empty"));
		return 422;
	}
	tpl_set(r, "Page.value", strlen(value) > 300 ? "" : value);
	rc = code_scan(strip_format(value), cfg_str("Site.base_url", "http://127.0.0.1:8080"), false,
	    code, sizeof(code));
	if (rc != CODE_OK) {
		tpl_set(r, "Page.error", tpl_lang(r, rc == CODE_HOST ? "err.qr_host" :
		    rc == CODE_LENGTH ? "wx.err.length" : "err.qr_invalid"));
		return 422;
	}
	tpl_set(r, "Page.code", code);
	tpl_set(r, "Page.url", arena_printf(r->arena, "/wx/p/%s", code));
	return req_redirect(r, arena_printf(r->arena, "/wx/p/%s", code));
}
