/*
 * phone.c — the phone-page shell (core/phone.h): what every phone page of
 * any worker sets up on the server side.
 *
 * The JS-SDK (phone_jsconfig): inside WeChat (User-Agent MicroMessenger)
 * and with WeChat configured, every phone page's GET carries wx.config's
 * parameters for its own URL — Site.base_url + the request URI as the
 * browser sent it (REQUEST_URI: path and ?query, never a #fragment; WeChat
 * signs exactly what the page's location.href is up to '#') — signed over
 * the shared jsapi_ticket (core/wechat.h wx_jsapi_config).  views/phone/
 * head.cs puts them on the page and loads the SDK, vendored from npm
 * (weixin-js-sdk → assets/vendor/weixin/jweixin.js, CSP script-src
 * 'self'), only then; assets/js/wx-app.js calls wx.config when they are
 * there.  A POST that re-renders a form runs in a transaction and is
 * answered in place, so it is not signed (the client must not be called
 * inside a transaction): the page still works, with the camera and the
 * typed code.
 */
#include "core/phone.h"

#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "core/req.h"
#include "core/tpl.h"
#include "core/wechat.h"

/* The paths of phone pages, one prefix per worker that has them: the
 * phone sign-in returns only under these.  A worker's phone pages live
 * under a prefix of their own ("/inspect/m/"), added here. */
static const char *const phone_prefixes[] = { "/wx/", NULL };

bool
phone_in_wechat(const struct req *r)
{
	return r->user_agent && strstr(r->user_agent, "MicroMessenger") != NULL;
}

const char *
phone_safe_next(const char *next)
{
	for (int i = 0; phone_prefixes[i]; i++)
		if (req_safe_next(next, phone_prefixes[i], NULL) != NULL)
			return next;
	return PHONE_HOME;
}

/* Page.jsconfig.*: the JS-SDK's wx.config parameters for this page. */
static void
phone_jsconfig(struct req *r)
{
	struct wx_jsconfig cfg;
	const char *uri, *url;
	int rc;

	if (!phone_in_wechat(r) || r->method != M_GET || r->want_json || !wx_configured())
		return;
	/* Inside WeChat: the SDK is loaded even when signing fails (the page
	 * then falls back to the camera after wx.error). */
	tpl_set(r, "Page.jsconfig.sdk", "1");
	uri = req_env(r, "REQUEST_URI");
	if (uri == NULL || uri[0] != '/')
		uri = r->query_string && *r->query_string ?
		    arena_printf(r->arena, "%s?%s", r->path, r->query_string) : r->path;
	if (strlen(uri) > 1024 || strpbrk(uri, "#\r\n"))
		return;
	url = arena_printf(r->arena, "%s%s", cfg_str("Site.base_url", "http://127.0.0.1:8080"), uri);
	rc = wx_jsapi_config(url, &cfg);
	if (rc != WX_OK) {
		log_warn("wx.config not signed: %s", wx_status_name(rc));
		return;
	}
	tpl_set(r, "Page.jsconfig.app_id", cfg.appid);
	tpl_set(r, "Page.jsconfig.timestamp", cfg.timestamp);
	tpl_set(r, "Page.jsconfig.nonce", cfg.noncestr);
	tpl_set(r, "Page.jsconfig.signature", cfg.signature);
}

void
phone_page(struct req *r, const char *title, const char *view, const char *back)
{
	if (title)
		tpl_set(r, "Page.title", title);
	tpl_set(r, "Page.bare", "1");
	tpl_set(r, "Page.phone", "1");
	tpl_set(r, "Page.view", view);
	if (back)
		tpl_set(r, "Page.back", back);
	phone_jsconfig(r);
}
