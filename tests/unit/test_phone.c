/*
 * Unit tests of cgi/core/phone.c, the phone-page shell: where the phone
 * sign-in may send the browser back to (phone_safe_next: a phone page of
 * this site, never another host or a desktop page), who counts as inside
 * WeChat, and what phone_page() fills for views/phone/head.cs.  The
 * JS-SDK's signing needs WeChat configured (the database): here only the
 * cases that must not sign (outside WeChat, a POST, a JSON answer).
 */
#include <ClearSilver.h>

#include "core/phone.h"
#include "core/req.h"
#include "core/tpl.h"

#include "tap.h"

static void
test_next(void)
{
	static const struct { const char *next, *want; } cases[] = {
		{ "/wx/p/CA0001K", "/wx/p/CA0001K" },
		{ "/wx/p/CA0001K/maintain?x=1", "/wx/p/CA0001K/maintain?x=1" },
		{ "/wx/", "/wx/" },
		{ "/wx/scan", "/wx/scan" },
		{ NULL, PHONE_HOME },
		{ "", PHONE_HOME },
		{ "/wx", PHONE_HOME },			/* not under the prefix */
		{ "/wxevil/", PHONE_HOME },
		{ "/base/users", PHONE_HOME },		/* a desktop page */
		{ "//evil.example/wx/", PHONE_HOME },	/* another host */
		{ "https://evil.example/wx/", PHONE_HOME },
		{ "/wx/\\evil", PHONE_HOME },		/* a browser reads \ as / */
		{ "/wx/\t/evil", PHONE_HOME },
		{ "/wx/a b", PHONE_HOME },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = phone_safe_next(cases[i].next);

		ok(strcmp(got, cases[i].want) == 0, "next %s -> %s (got %s)",
		    cases[i].next ? cases[i].next : "(none)", cases[i].want, got);
	}
}

static void
test_page(void)
{
	struct req r;
	HDF *hdf;

	memset(&r, 0, sizeof(r));
	hdf_init(&hdf);
	r.hdf = hdf;
	r.method = M_GET;
	r.user_agent = "Mozilla/5.0 (iPhone) Safari";
	ok(!phone_in_wechat(&r), "a phone browser is not WeChat");
	phone_page(&r, "桩 CA1", "wechat/card.cs", NULL);
	ok(strcmp(tpl_get(&r, "Page.title"), "桩 CA1") == 0 && strcmp(tpl_get(&r, "Page.view"), "wechat/card.cs") == 0,
	    "title and view");
	ok(strcmp(tpl_get(&r, "Page.bare"), "1") == 0 && strcmp(tpl_get(&r, "Page.phone"), "1") == 0,
	    "bare (no desktop menu) and phone");
	ok(tpl_get(&r, "Page.back") == NULL, "no back link unless asked");
	ok(tpl_get(&r, "Page.jsconfig.sdk") == NULL, "outside WeChat: no JS-SDK");
	hdf_destroy(&hdf);

	hdf_init(&hdf);
	r.hdf = hdf;
	r.method = M_POST;
	r.user_agent = "Mozilla/5.0 (Linux; Android 14) MicroMessenger/8.0.50";
	ok(phone_in_wechat(&r), "MicroMessenger is WeChat");
	phone_page(&r, NULL, "inspect/plan_phone.cs", "/wx/scan");
	ok(tpl_get(&r, "Page.title") == NULL, "no title: the shell shows the app's name");
	ok(strcmp(tpl_get(&r, "Page.back"), "/wx/scan") == 0, "the back link");
	ok(tpl_get(&r, "Page.jsconfig.sdk") == NULL, "a POST answered in place is not signed");
	hdf_destroy(&hdf);

	hdf_init(&hdf);
	r.hdf = hdf;
	r.method = M_GET;
	r.want_json = true;
	phone_page(&r, "x", "wechat/scan.cs", NULL);
	ok(tpl_get(&r, "Page.jsconfig.sdk") == NULL, "a JSON answer is not signed");
	hdf_destroy(&hdf);
}

int
main(void)
{
	test_next();
	test_page();
	return done();
}
