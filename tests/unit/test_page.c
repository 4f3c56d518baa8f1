/*
 * Unit tests of cgi/core/page.c: messages with marks ({n}, {q}, text
 * marks), the flash after a redirect (only a known key chooses a text),
 * and a short text field's trimming and limit.
 */
#include <ClearSilver.h>
#include <string.h>

#include "core/arena.h"
#include "core/page.h"
#include "core/req.h"
#include "core/tpl.h"

#include "tap.h"

static struct arena arena;
static struct req req;

static struct req *
request(const char *qs, const char *body)
{
	if (req.hdf)
		hdf_destroy(&req.hdf);
	arena_reset(&arena);
	memset(&req, 0, sizeof(req));
	req.arena = &arena;
	req.content_type = "application/x-www-form-urlencoded";
	if (hdf_init(&req.hdf) != STATUS_OK)
		die("hdf_init");
	hdf_set_value(req.hdf, "Lang.total", "共 {n} 条");
	hdf_set_value(req.hdf, "Lang.twice", "{n} of {n}");
	hdf_set_value(req.hdf, "Lang.none", "没有找到以“{q}”开头的");
	hdf_set_value(req.hdf, "Lang.plain", "没有标记");
	hdf_set_value(req.hdf, "Lang.err.too_long", "最多 {n} 个字符");
	hdf_set_value(req.hdf, "Lang.err.form", "请检查");
	hdf_set_value(req.hdf, "Lang.flash.created", "已新增。");
	if (req_parse_query(&req, qs) != 0 || (body && req_parse_body(&req, body, strlen(body)) != 0))
		die("bad test request");
	return &req;
}

int
main(void)
{
	static const char *const keys[] = { "created", "updated", NULL };
	struct req *r;

	arena_init(&arena, 64 << 10);
	r = request("", NULL);
	is_str(page_msg(r, "total", 42), "共 42 条", "{n} is the number");
	is_str(page_msg(r, "total", -7), "共 -7 条", "a negative number too");
	is_str(page_msg(r, "twice", 3), "3 of 3", "every {n}");
	is_str(page_msg(r, "plain", 3), "没有标记", "no mark: the text as it is");
	is_str(page_msg_with(r, "total", "{n}", "10000+"), "共 10000+ 条", "a text for {n}");
	is_str(page_msg_with(r, "none", "{q}", "{n}SZ"), "没有找到以“{n}SZ”开头的", "a text is not read for marks again");
	is_str(page_subst(r, "「{state}」不能「{action}」", "{action}", "下达"), "「{state}」不能「下达」",
	    "page_subst on a text, other marks kept");

	ok(page_flash(r, "flash.", keys) == 0 && tpl_get(r, "Page.flash") == NULL, "no flash parameter, no flash");
	r = request("flash=created", NULL);
	ok(page_flash(r, "flash.", keys) == 1, "a known key");
	is_str(tpl_get(r, "Page.flash"), "已新增。", "its text");
	is_str(tpl_get(r, "Page.flash_kind"), "success", "a success");
	r = request("flash=%3Cb%3E", NULL);
	ok(page_flash(r, "flash.", keys) == 0 && tpl_get(r, "Page.flash") == NULL,
	    "an unknown key chooses no text");

	r = request("", "note=%20%20%E5%A4%84%E7%90%86%20");
	is_str(page_text_field(r, "note", 2), "处理", "trimmed, counted in characters");
	is_str(tpl_get(r, "Page.form.note"), "处理", "kept for the form");
	r = request("", "note=%E5%A4%84%E7%90%86%E4%BA%86");
	ok(page_text_field(r, "note", 2) == NULL, "three characters over a limit of two");
	is_str(tpl_get(r, "Page.errors.note"), "最多 2 个字符", "the field says the limit");
	is_str(tpl_get(r, "Page.error"), "请检查", "and the form says to check");
	r = request("", "");
	is_str(page_text_field(r, "note", 2), "", "absent: empty");
	hdf_destroy(&req.hdf);
	arena_free(&arena);
	return done();
}
