/*
 * anomaly.c — the anomalies page (异常资产, F4.20): quantity anomalies
 * raised and closed by model/anomaly.c, later location and meter ones;
 * filtered, in the user's scope (by the station's company), each linked to
 * its station and pile with the difference found.  An anomaly's page lets
 * those who may edit assets acknowledge it or handle it with a note of what
 * was done (model/anomaly.c writes both with update records).
 */
#include <stdio.h>
#include <string.h>

#include <ClearSilver.h>

#include "core/arena.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/req.h"
#include "core/text.h"
#include "core/tpl.h"
#include "model/anomaly.h"
#include "model/options.h"

#include "asset/asset.h"

static const char *const kinds[] = { "quantity", "location", "meter", NULL };
static const char *const statuses[] = { "open", "closed", NULL };

static const struct list_col cols[] = {
	{ "opened_at", 'k', NULL },
	{ "kind", 'e', "anomaly_kind" },
	{ "station", 'a', NULL },
	{ "pile", 'a', NULL },
	{ "company", 't', NULL },
	{ "expected", 'n', NULL },
	{ "actual", 'n', NULL },
	{ "difference", 'n', NULL },
	{ "status", 'e', "anomaly_status" },
	{ "handling", 't', NULL },
	{ "closed_at", 't', NULL },
};

static const struct list_filter filters[] = {
	{ "kind", " AND a.kind = ?", 's', NULL, "anomaly_kind", kinds },
	{ "status", " AND a.status = ?", 's', NULL, "anomaly_status", statuses },
	{ "company_id", " AND st.company_id = ?", 'l', "companies", NULL, NULL },
	{ "station_id", " AND a.station_id = ?", 'l', NULL, NULL, NULL },
};

static const struct list_sort sorts[] = {
	{ "opened_at", "a.id", NULL },
	{ "station", "st.code, a.id", NULL },
	{ "status", "a.status, a.id", NULL },
};

static void
options(struct req *r)
{
	options_companies(r);
}

static const struct resource anomaly_res = {
	.name = "anomaly", .module = "asset", .base = "/asset/anomalies", .menu = "asset.anomaly",
	.view_perm = PERM_ASSET_VIEW, .edit_perm = PERM__MAX, .has_show = 1,
	/* Station and pile as "<path>\t<text>" links (list_col 'a'); the
	 * difference signed, bound minus expected; who acknowledged or handled. */
	.list_sql = "SELECT a.id, DATE_FORMAT(" SQL_LOCAL("a.opened_at") ", '%Y-%m-%d %H:%i'),"
	    " a.kind, CONCAT('/asset/stations/', st.id, '\t', st.code, ' ', st.name),"
	    " IF(p.id IS NULL, '', CONCAT('/asset/piles/', p.id, '\t', p.code)), co.name,"
	    " a.expected, a.actual,"
	    " IF(a.expected IS NULL OR a.actual IS NULL, '', CONCAT(IF(a.actual > a.expected, '+', ''),"
	    "  a.actual - a.expected)), a.status,"
	    " TRIM(CONCAT(COALESCE(au.name, ''), IF(hu.id IS NULL, '', CONCAT(' → ', hu.name)))),"
	    " DATE_FORMAT(" SQL_LOCAL("a.closed_at") ", '%Y-%m-%d %H:%i')"
	    " FROM anomalies a JOIN stations st ON st.id = a.station_id"
	    " JOIN companies co ON co.id = st.company_id"
	    " LEFT JOIN piles p ON p.id = a.pile_id"
	    " LEFT JOIN users au ON au.id = a.acked_by"
	    " LEFT JOIN users hu ON hu.id = a.handled_by WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM anomalies a JOIN stations st ON st.id = a.station_id WHERE 1=1",
	.scope_sql = " AND (? OR st.company_id = ?)",
	.cols = cols, .ncols = 11,
	.filters = filters, .nfilters = 4,
	.sorts = sorts, .nsorts = 3, .desc_default = 1,
	.options = options,
};

int
anomaly_list(struct req *r)
{
	return crud_list(r, &anomaly_res);
}

int
anomaly_export(struct req *r)
{
	return crud_export(r, &anomaly_res);
}

/* ---------------------------------------------------------------- one anomaly */

static const struct query q_one = {
	"SELECT a.id, a.kind, a.status, st.id, CONCAT(st.code, ' ', st.name), co.name,"
	" COALESCE(p.id, 0), p.code, a.expected, a.actual,"
	" IF(a.expected IS NULL OR a.actual IS NULL, '', CONCAT(IF(a.actual > a.expected, '+', ''),"
	"  a.actual - a.expected)), a.detail,"
	" DATE_FORMAT(" SQL_LOCAL("a.opened_at") ", '%Y-%m-%d %H:%i'),"
	" DATE_FORMAT(" SQL_LOCAL("a.closed_at") ", '%Y-%m-%d %H:%i'),"
	" DATE_FORMAT(" SQL_LOCAL("a.acked_at") ", '%Y-%m-%d %H:%i'), au.name, hu.name, a.note,"
	" a.version"
	" FROM anomalies a JOIN stations st ON st.id = a.station_id"
	" JOIN companies co ON co.id = st.company_id"
	" LEFT JOIN piles p ON p.id = a.pile_id"
	" LEFT JOIN users au ON au.id = a.acked_by"
	" LEFT JOIN users hu ON hu.id = a.handled_by"
	" WHERE a.id = ? AND (? OR st.company_id = ?)",
	"lil", "lsslsslsssssssssssi"
};
static const char *const one_names[] = {
	NULL, "kind", "status", "station_id", "station", "company", "pile_id", "pile", "expected",
	"actual", "difference", "detail", "opened_at", "closed_at", "acked_at", "acked_by",
	"handled_by", "note", "version",
};

#define NOTE_MAX 500

/* Page.anomaly.*; 200 or 404 (not there, or another company's). */
static int
one(struct req *r, int64_t id)
{
	struct db_cur c;
	int found = 0;

	if (db_open(&c, &q_one, id, (int)r->user->scope_all, r->user->company_id) < 0)
		return 500;
	if (db_next(&c)) {
		char key[64];

		found = 1;
		for (int i = 1; i < (int)(sizeof(one_names) / sizeof(one_names[0])); i++) {
			const char *v = i == 3 || i == 6 ? arena_printf(r->arena, "%lld",
			    (long long)db_i64(&c, i)) : i == 18 ? arena_printf(r->arena, "%d",
			    db_int(&c, i)) : db_str(&c, i);

			tpl_setf(r, v, "Page.anomaly.%s", one_names[i]);
		}
		snprintf(key, sizeof(key), "enum.anomaly_kind.%s", db_str(&c, 1));
		tpl_set(r, "Page.anomaly.kind_label", tpl_lang(r, key));
		snprintf(key, sizeof(key), "enum.anomaly_status.%s", db_str(&c, 2));
		tpl_set(r, "Page.anomaly.status_label", tpl_lang(r, key));
	}
	db_close(&c);
	if (!found)
		return 404;
	tpl_set_int(r, "Page.id", id);
	if (user_can(r, PERM_ASSET_EDIT))
		tpl_set(r, "Page.can_edit", "1");
	tpl_set(r, "Page.menu", "asset.anomaly");
	tpl_set(r, "Page.base", "/asset/anomalies");	/* the breadcrumbs' list */
	tpl_set(r, "Page.res_label", tpl_lang(r, "res.anomaly"));
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s · %s", tpl_lang(r, "res.anomaly"),
	    tpl_get(r, "Page.anomaly.station")));
	tpl_set(r, "Page.view", "asset/anomaly_show.cs");
	return 200;
}

int
anomaly_show(struct req *r)
{
	static const char *const flashes[] = { "acked", "handled", NULL };
	const char *flash = req_query(r, "flash");
	int64_t id;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	for (int i = 0; flash && flashes[i]; i++)
		if (strcmp(flash, flashes[i]) == 0) {
			tpl_set(r, "Page.flash", tpl_lang(r, arena_printf(r->arena, "anomalypage.flash_%s", flash)));
			tpl_set(r, "Page.flash_kind", "success");
		}
	return one(r, id);
}

/* POST /asset/anomalies/:id/ack and /handle: note (optional / required),
 * version (the page's).  A refusal shows the page again with why. */
static int
act(struct req *r, bool handle)
{
	const char *note = req_form(r, "note"), *ver = req_form(r, "version");
	int64_t id, version;
	int rc;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if ((rc = one(r, id)) != 200)
		return rc;
	note = note ? text_trim(arena_strdup(r->arena, note)) : "";
	tpl_set(r, "Page.form.note", note);
	if (ver == NULL || text_int64(ver, &version) != 0 || version < 1 || version > 1000000000) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.stale"));
		return 409;
	}
	if (utf8_chars(note, strlen(note)) > NOTE_MAX) {
		const char *msg = tpl_lang(r, "err.too_long"), *at = strstr(msg, "{n}");

		tpl_set(r, "Page.errors.note", at ? arena_printf(r->arena, "%.*s%d%s", (int)(at - msg), msg,
		    NOTE_MAX, at + 3) : msg);
		tpl_set(r, "Page.error", tpl_lang(r, "err.form"));
		return 422;
	}
	if (handle && *note == '\0') {
		tpl_set(r, "Page.errors.note", tpl_lang(r, "anomalypage.note_required"));
		tpl_set(r, "Page.error", tpl_lang(r, "err.form"));
		return 422;
	}
	rc = handle ? anomaly_handle(r, id, (int)version, note) :
	    anomaly_ack(r, id, (int)version, *note ? note : NULL);
	if (rc == ANOMALY_STALE) {
		hdf_remove_tree(r->hdf, "Page.anomaly");
		(void)one(r, id);
		tpl_set(r, "Page.form.note", note);
		tpl_set(r, "Page.error", tpl_lang(r, "anomalypage.stale"));
		return 409;
	}
	if (rc != 0)
		return 500;
	return req_redirect(r, arena_printf(r->arena, "/asset/anomalies/%lld?flash=%s", (long long)id,
	    handle ? "handled" : "acked"));
}

int
anomaly_ack_submit(struct req *r)
{
	return act(r, false);
}

int
anomaly_handle_submit(struct req *r)
{
	return act(r, true);
}
