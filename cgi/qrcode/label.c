/*
 * label.c — printing and resolving codes (F3).
 *
 * Label sheets: /qr/batches/:id/labels?layout=a4|roll&page=N shows 100
 * labels per page (LABELS_PER_PAGE), so even a batch of 10,000 is 100
 * quick pages with "page N of M" and never one long request.  Each label
 * is an <img> of /qr/codes/<code>.svg: a standalone 50 x 30 mm SVG drawn
 * by model/code.c (QR, code text, company name).  One small resource per
 * code was chosen over one big SVG per page because
 *   - templates stay escape-only (no generated markup goes through uvar:),
 *   - the same resource serves a single reprint, the code page and both
 *     layouts, and the browser caches it (Cache-Control private, 1 day),
 *   - the browser fetches the images of a page in parallel over keep-alive,
 *     and each costs the worker about a millisecond (tests/bench/labels.sh).
 * The A4 layout is a 4 x 9 grid of 50 x 30 mm cells; the roll layout
 * prints one 50 x 30 mm label per page (@page in assets/css/labels.css).
 *
 * Resolving: /qr/codes/:code (page or JSON) and /qr/lookup?value=… accept
 * whatever a scanner gives (model/code.c code_scan: the bare code in any
 * case, the label URL, WeChat's "QR_CODE,…").  A void code (replaced at
 * regeneration) no longer resolves: lookup answers 410.
 */
#include <stdio.h>
#include <string.h>


#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/tpl.h"
#include "model/code.h"

#include "qrcode/qrcode.h"

const char *
qr_base_url(void)
{
	return cfg_str("Site.base_url", "http://127.0.0.1:8080");
}

void
qr_flash(struct req *r, const char *const *keys)
{
	const char *flash = req_query(r, "flash");

	for (int i = 0; flash && keys[i]; i++)
		if (strcmp(flash, keys[i]) == 0) {
			char key[64];

			snprintf(key, sizeof(key), "flash.qr_%s", keys[i]);
			tpl_set(r, "Page.flash", tpl_lang(r, key));
			tpl_set(r, "Page.flash_kind", "success");
		}
}

int
qr_home(struct req *r)
{
	return req_redirect(r, "/qr/batches");
}

/* ---------------------------------------------------------------- one code */

struct code_info {
	const char *code, *state, *company;
	int64_t id, batch_id, pile_id;
};

static const struct query q_code = {
	"SELECT c.id, c.state, c.batch_id, c.serial, COALESCE(c.pile_id, 0),"
	" DATE_FORMAT(" SQL_LOCAL("c.voided_at") ", '%Y-%m-%d %H:%i'), COALESCE(n.code, ''),"
	" DATE_FORMAT(" SQL_LOCAL("c.created_at") ", '%Y-%m-%d %H:%i'), r.name, co.name"
	" FROM qr_codes c JOIN qr_batches b ON b.id = c.batch_id"
	" JOIN code_rules r ON r.id = b.rule_id JOIN companies co ON co.id = r.company_id"
	" LEFT JOIN qr_codes n ON n.id = c.replaced_by LEFT JOIN piles p ON p.id = c.pile_id"
	" WHERE c.code = ? AND (? OR r.company_id = ? OR p.company_id = ?)",
	"sill", "lslllsssss"
};
/* A pile's code that was never generated here (typed in, imported, demo). */
static const struct query q_pile_code = {
	"SELECT p.id, co.name FROM piles p JOIN companies co ON co.id = p.company_id"
	" WHERE p.code = ?" SCOPE_COMPANY("p.company_id"), "sil", "ls"
};
static const struct query q_gone = {
	"SELECT p.code, (? OR p.company_id = ?) FROM code_replacements cr"
	" JOIN piles p ON p.id = cr.pile_id WHERE cr.old_code = ? ORDER BY cr.id DESC LIMIT 1",
	"ils", "si"
};

bool
qr_gone(struct req *r, const char *code, bool is_void)
{
	struct db_cur c;
	const char *now = NULL;

	if (db_open(&c, &q_gone, SCOPE_ARGS(r), code) < 0)
		return false;	/* logged; the request is a 500 */
	if (db_next(&c) && db_int(&c, 1))
		now = arena_strdup(r->arena, db_str(&c, 0));
	db_close(&c);
	if (now == NULL && !is_void)
		return false;
	tpl_set(r, "Page.error", now ? arena_printf(r->arena, "%s %s", tpl_lang(r, "err.qr_replaced"),
	    now) : tpl_lang(r, "err.qr_void"));
	if (now)
		tpl_set(r, "Page.replaced_by", now);
	return true;
}

/* Look the normalised code up in the user's scope; fills Page.code.* when
 * `fill`.  0 found, 404 not. */
static int
find(struct req *r, const char *code, struct code_info *info, bool fill)
{
	struct db_cur c;
	int rc = 404;

	memset(info, 0, sizeof(*info));
	if (db_open(&c, &q_code, code, SCOPE_ARGS(r),
	    r->user->company_id) < 0)
		return 500;
	if (db_next(&c)) {
		rc = 0;
		info->code = arena_strdup(r->arena, code);
		info->id = db_i64(&c, 0);
		info->state = arena_strdup(r->arena, db_str(&c, 1));
		info->batch_id = db_i64(&c, 2);
		info->pile_id = db_i64(&c, 4);
		info->company = arena_strdup(r->arena, db_str(&c, 9));
		if (fill) {
			struct buf url;

			buf_init(&url, r->arena, 96);
			code_payload(&url, qr_base_url(), code);
			tpl_set(r, "Page.code.code", code);
			tpl_set(r, "Page.code.url", url.data);
			tpl_set(r, "Page.code.state", info->state);
			tpl_set(r, "Page.code.state_label", tpl_lang(r, arena_printf(r->arena,
			    "enum.qr_code_state.%s", info->state)));
			tpl_set_int(r, "Page.code.batch_id", info->batch_id);
			tpl_set_int(r, "Page.code.serial", db_i64(&c, 3));
			if (info->pile_id)
				tpl_set_int(r, "Page.code.pile_id", info->pile_id);
			tpl_set(r, "Page.code.voided_at", db_str(&c, 5));
			tpl_set(r, "Page.code.replaced_by", db_str(&c, 6));
			tpl_set(r, "Page.code.created_at", db_str(&c, 7));
			tpl_set(r, "Page.code.rule", db_str(&c, 8));
			tpl_set(r, "Page.code.company", info->company);
		}
	}
	db_close(&c);
	return rc;
}

int
qr_label_svg(struct req *r, const char *code, const char *company, const char *cache)
{
	struct buf payload;

	buf_init(&payload, r->arena, 96);
	code_payload(&payload, qr_base_url(), code);
	buf_init(&r->body, r->arena, 8192);
	if (code_label_svg(&r->body, payload.data, code, company) != 0)
		return 500;
	r->raw = true;
	r->raw_type = "image/svg+xml";
	req_header(r, "Cache-Control", cache);
	return 200;
}

/* The label as image/svg+xml. */
static int
code_svg(struct req *r, const char *arg, size_t len)
{
	char code[CODE_MAX + 1];
	struct code_info info;
	int rc;

	if (code_scan(arena_strndup(r->arena, arg, len), NULL, false, code, sizeof(code)) != CODE_OK)
		return 404;
	if ((rc = find(r, code, &info, false)) == 404) {
		/* The label of a pile whose code was not generated here. */
		struct db_cur c;

		if (db_open(&c, &q_pile_code, code, SCOPE_ARGS(r)) < 0)
			return 500;
		if (db_next(&c)) {
			rc = 0;
			info.state = "bound";
			info.company = arena_strdup(r->arena, db_str(&c, 1));
		}
		db_close(&c);
		if (rc != 0)
			return qr_gone(r, code, false) ? 410 : 404;
	}
	if (rc != 0)
		return rc;
	if (strcmp(info.state, "void") == 0) {
		qr_gone(r, code, true);
		return 410;
	}
	return qr_label_svg(r, code, info.company, "private, max-age=86400");
}

int
code_show(struct req *r)
{
	const char *arg = r->nargs > 0 ? r->args[0] : "";
	size_t len = strlen(arg);
	char code[CODE_MAX + 1];
	struct code_info info;
	int rc;

	if (len > 4 && strcmp(arg + len - 4, ".svg") == 0)
		return code_svg(r, arg, len - 4);
	if (code_scan(arg, NULL, false, code, sizeof(code)) != CODE_OK) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.qr_invalid"));
		return 404;
	}
	if ((rc = find(r, code, &info, true)) != 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.qr_unknown"));
		return rc;
	}
	/* An unused label: register a pile with it (the pile form, code filled in). */
	if (strcmp(info.state, "unused") == 0 && user_can(r, PERM_ASSET_EDIT))
		tpl_set(r, "Page.can_register", "1");
	tpl_set(r, "Page.menu", "qr.batch");
	tpl_set(r, "Page.title", code);
	tpl_set(r, "Page.view", "qrcode/code_show.cs");
	return 200;
}

int
code_lookup(struct req *r)
{
	const char *value = req_query(r, "value");
	char code[CODE_MAX + 1];
	struct code_info info;
	int rc;

	tpl_set(r, "Page.menu", "qr.lookup");
	tpl_set(r, "Page.title", tpl_lang(r, "qr.lookup"));
	tpl_set(r, "Page.view", "qrcode/lookup.cs");
	if (value == NULL || *value == '\0') {
		if (r->want_json) {
			tpl_set(r, "Page.error", tpl_lang(r, "err.qr_invalid"));
			return 422;
		}
		return 200;
	}
	tpl_set(r, "Page.value", value);
	rc = code_scan(value, qr_base_url(), false, code, sizeof(code));
	if (rc != CODE_OK) {
		tpl_set(r, "Page.error", tpl_lang(r, rc == CODE_HOST ? "err.qr_host" : "err.qr_invalid"));
		return 422;
	}
	if ((rc = find(r, code, &info, true)) == 404) {
		struct db_cur c;
		int64_t pile = 0;

		if (qr_gone(r, code, false))
			return 410;
		/* A pile's plain (not generated) code resolves to the pile. */
		if (db_open(&c, &q_pile_code, code, SCOPE_ARGS(r)) < 0)
			return 500;
		if (db_next(&c))
			pile = db_i64(&c, 0);
		db_close(&c);
		if (pile) {
			tpl_set(r, "Page.code.code", code);
			tpl_set_int(r, "Page.code.pile_id", pile);
			return r->want_json ? 200 : req_redirect(r, arena_printf(r->arena,
			    "/asset/piles/%lld", (long long)pile));
		}
	}
	if (rc != 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.qr_unknown"));
		return rc == 404 ? 422 : rc;
	}
	if (strcmp(info.state, "void") == 0) {
		qr_gone(r, code, true);
		return 410;
	}
	if (r->want_json)
		return 200;
	return req_redirect(r, arena_printf(r->arena, "/qr/codes/%s", code));
}

/* ---------------------------------------------------------------- sheets */

/* layout from ?layout=: "a4" (default) or "roll"; NULL when invalid. */
static const char *
layout_of(struct req *r)
{
	const char *l = req_query(r, "layout");

	if (l == NULL || *l == '\0' || strcmp(l, "a4") == 0)
		return "a4";
	return strcmp(l, "roll") == 0 ? "roll" : NULL;
}

static void
sheet_common(struct req *r, const char *layout)
{
	tpl_set(r, "Page.layout", layout);
	tpl_set(r, "Page.bare", "1");
	tpl_set(r, "Page.view", "qrcode/labels.cs");
}

static const struct query q_sheet_batch = {
	"SELECT b.count, r.name FROM qr_batches b JOIN code_rules r ON r.id = b.rule_id"
	" WHERE b.id = ?" SCOPE_COMPANY("r.company_id"), "lil", "ls"
};
static const struct query q_sheet_count = {
	"SELECT COUNT(*) FROM qr_codes WHERE batch_id = ? AND state <> 'void'", "l", "l"
};
static const struct query q_sheet_codes = {
	"SELECT code FROM qr_codes WHERE batch_id = ? AND state <> 'void'"
	" ORDER BY serial LIMIT ? OFFSET ?", "lll", "s"
};

int
label_sheet(struct req *r)
{
	const char *layout = layout_of(r);
	struct db_cur c;
	int64_t id, page = 1, total, pages;
	bool found = false;
	int n = 0;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if (layout == NULL || req_int64(r, "page", &page) == -2 || page < 1)
		return 400;
	if (db_open(&c, &q_sheet_batch, id, SCOPE_ARGS(r)) < 0)
		return 500;
	if (db_next(&c)) {
		found = true;
		tpl_set(r, "Page.batch.rule", db_str(&c, 1));
	}
	db_close(&c);
	if (!found)
		return 404;
	total = db_scalar(0, &q_sheet_count, id);
	pages = total == 0 ? 1 : (total + LABELS_PER_PAGE - 1) / LABELS_PER_PAGE;
	if (page > pages)
		page = pages;
	if (db_open(&c, &q_sheet_codes, id, (int64_t)LABELS_PER_PAGE,
	    (page - 1) * LABELS_PER_PAGE) < 0)
		return 500;
	while (db_next(&c))
		tpl_setf(r, db_str(&c, 0), "Page.labels.%d.code", n++);
	db_close(&c);
	sheet_common(r, layout);
	tpl_set_int(r, "Page.batch.id", id);
	tpl_set_int(r, "Page.total", total);
	tpl_set_int(r, "Page.count", n);
	tpl_set_int(r, "Page.page", page);
	tpl_set_int(r, "Page.pages", pages);
	tpl_set_int(r, "Page.first", (page - 1) * LABELS_PER_PAGE + (n ? 1 : 0));
	tpl_set_int(r, "Page.last", (page - 1) * LABELS_PER_PAGE + n);
	tpl_set(r, "Page.back", arena_printf(r->arena, "/qr/batches/%lld", (long long)id));
	tpl_set(r, "Page.base", arena_printf(r->arena, "/qr/batches/%lld/labels", (long long)id));
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s #%lld · %lld/%lld",
	    tpl_lang(r, "qr.labels"), (long long)id, (long long)page, (long long)pages));
	return 200;
}

/*
 * The labels of piles ticked on the pile list (GET /qr/piles/labels?ids=
 * 1,2,3, from ca-asset's batch, issue 10 §2): one label each, the pile's
 * current code as on its card (/qr/piles/:id/svg), in code order.  At most
 * LABELS_PER_PAGE ids; those of no pile the user may see are left out, and
 * with none left the answer is 404.
 */
static const struct query q_sheet_piles = {
	"SELECT p.id, p.code FROM piles p"
	" WHERE p.id IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) AS j)"
	SCOPE_COMPANY("p.company_id") " ORDER BY p.code",
	"sil", "ls"
};

int
label_piles(struct req *r)
{
	const char *layout = layout_of(r), *raw = req_query(r, "ids");
	struct buf json, kept;
	struct db_cur c;
	int n = 0, asked = 0;

	if (layout == NULL || raw == NULL || *raw == '\0' || strlen(raw) > 24 * LABELS_PER_PAGE) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.batch_ids"));
		return 400;
	}
	/* "1,2,3": positive ids only, as a JSON array for the query. */
	buf_init(&json, r->arena, strlen(raw) + 3);
	buf_putc(&json, '[');
	for (const char *p = raw; *p;) {
		size_t len = strspn(p, "0123456789");

		if (len == 0 || len > 18 || (p[len] != ',' && p[len] != '\0') || *p == '0' ||
		    ++asked > LABELS_PER_PAGE) {
			tpl_set(r, "Page.error", tpl_lang(r, "err.batch_ids"));
			return 400;
		}
		if (asked > 1)
			buf_putc(&json, ',');
		buf_append(&json, p, len);
		p += len + (p[len] == ',');
	}
	buf_putc(&json, ']');
	sheet_common(r, layout);
	buf_init(&kept, r->arena, strlen(raw) + 1);
	if (db_open(&c, &q_sheet_piles, json.data, SCOPE_ARGS(r)) < 0)
		return 500;
	for (; db_next(&c); n++) {
		tpl_setf(r, db_str(&c, 1), "Page.labels.%d.code", n);
		tpl_setf(r, arena_printf(r->arena, "/qr/piles/%lld/svg", (long long)db_i64(&c, 0)),
		    "Page.labels.%d.src", n);
		buf_printf(&kept, "%s%lld", n ? "," : "", (long long)db_i64(&c, 0));
	}
	db_close(&c);
	if (n == 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.batch_not_found"));
		return 404;
	}
	tpl_set(r, "Page.ids", kept.data);
	tpl_set_int(r, "Page.total", n);
	tpl_set_int(r, "Page.count", n);
	tpl_set_int(r, "Page.page", 1);
	tpl_set_int(r, "Page.pages", 1);
	tpl_set_int(r, "Page.first", 1);
	tpl_set_int(r, "Page.last", n);
	tpl_set(r, "Page.back", "/asset/piles");
	tpl_set(r, "Page.base", "/qr/piles/labels");
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s · %d", tpl_lang(r, "qr.labels"), n));
	return 200;
}

/* One label again (reprint of the same code). */
int
code_label(struct req *r)
{
	const char *layout = layout_of(r);
	char code[CODE_MAX + 1];
	struct code_info info;
	int rc;

	int64_t copies = 1;

	if (layout == NULL || (rc = req_int64(r, "copies", &copies)) == -2 ||
	    copies < 1 || copies > LABEL_MAX_COPIES)
		return 400;
	if (code_scan(r->nargs > 0 ? r->args[0] : "", NULL, false, code, sizeof(code)) != CODE_OK)
		return 404;
	if ((rc = find(r, code, &info, false)) != 0)
		return rc;
	if (strcmp(info.state, "void") == 0) {
		qr_gone(r, code, true);
		return 410;
	}
	qr_sheet_one(r, layout, code, NULL, (int)copies, arena_printf(r->arena, "/qr/codes/%s", code),
	    arena_printf(r->arena, "/qr/codes/%s/label", code));
	return 200;
}

void
qr_sheet_one(struct req *r, const char *layout, const char *code, const char *src, int copies,
    const char *back, const char *base)
{
	sheet_common(r, layout);
	for (int i = 0; i < copies; i++) {
		tpl_setf(r, code, "Page.labels.%d.code", i);
		if (src)
			tpl_setf(r, src, "Page.labels.%d.src", i);
	}
	tpl_set_int(r, "Page.total", copies);
	tpl_set_int(r, "Page.count", copies);
	tpl_set_int(r, "Page.page", 1);
	tpl_set_int(r, "Page.pages", 1);
	tpl_set_int(r, "Page.first", 1);
	tpl_set_int(r, "Page.last", copies);
	tpl_set_int(r, "Page.copies", copies);
	tpl_set(r, "Page.back", back);
	tpl_set(r, "Page.base", base);
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s · %s", tpl_lang(r, "qr.labels"), code));
}
