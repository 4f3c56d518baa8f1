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
#include "core/doc.h"
#include "core/req.h"
#include "core/scope.h"
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
	.scope_sql = SCOPE_COMPANY("st.company_id"),
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

/* The page of one anomaly is a document's (core/doc.h): open → closed by
 * "handle" with the note of what was done, or acknowledged on the way
 * ("ack": it stays open, once).  The quantity check closes one by itself
 * when the counts agree again (model/anomaly.c). */

static const struct query q_one = {
	"SELECT a.status, a.version, a.kind, st.id, CONCAT(st.code, ' ', st.name), co.name,"
	" COALESCE(p.id, 0), p.code, a.expected, a.actual,"
	" IF(a.expected IS NULL OR a.actual IS NULL, '', CONCAT(IF(a.actual > a.expected, '+', ''),"
	"  a.actual - a.expected)), a.detail,"
	" DATE_FORMAT(" SQL_LOCAL("a.opened_at") ", '%Y-%m-%d %H:%i'),"
	" DATE_FORMAT(" SQL_LOCAL("a.closed_at") ", '%Y-%m-%d %H:%i'),"
	" DATE_FORMAT(" SQL_LOCAL("a.acked_at") ", '%Y-%m-%d %H:%i'), au.name, hu.name, a.note"
	" FROM anomalies a JOIN stations st ON st.id = a.station_id"
	" JOIN companies co ON co.id = st.company_id"
	" LEFT JOIN piles p ON p.id = a.pile_id"
	" LEFT JOIN users au ON au.id = a.acked_by"
	" LEFT JOIN users hu ON hu.id = a.handled_by"
	" WHERE a.id = ?" SCOPE_COMPANY("st.company_id"),
	"lil", "sislsslsssssssssss"
};
static const char *const one_names[] = {
	"state", "version", "kind", "station_id", "station", "company", "pile_id", "pile", "expected",
	"actual", "difference", "detail", "opened_at", "closed_at", "acked_at", "acked_by",
	"handled_by", "note",
};
static const struct query q_lock = {
	"SELECT status, version FROM anomalies WHERE id = ? FOR UPDATE", "l", "si"
};
static const struct query q_move = {
	"UPDATE anomalies SET status = ?, version = version + 1 WHERE id = ? AND version = ?", "sli", ""
};

static int
post_ack(struct req *r, const struct document *d, int64_t id, const char *note)
{
	(void)d;
	return anomaly_ack(r, id, *note ? note : NULL);
}

static int
post_handle(struct req *r, const struct document *d, int64_t id, const char *note)
{
	(void)d;
	return anomaly_handle(r, id, note);
}

static const struct doc_transition moves[] = {
	{ .action = "handle", .from = "open", .to = "closed", .perm = PERM_ASSET_EDIT, .note = 'r',
	  .post = post_handle },
	{ .action = "ack", .from = "open", .perm = PERM_ASSET_EDIT, .note = 'o', .unless = "acked_at",
	  .post = post_ack },
};

/* The kind's name and the title: "数量异常 · SZ0001 苏州…". */
static int
fill(struct req *r, int64_t id)
{
	const char *kind = tpl_lang(r, arena_printf(r->arena, "enum.anomaly_kind.%s",
	    tpl_get(r, "Page.doc.kind")));

	(void)id;
	tpl_set(r, "Page.doc.kind_label", kind);
	tpl_set(r, "Page.doc.title", arena_printf(r->arena, "%s · %s", kind, tpl_get(r, "Page.doc.station")));
	return 0;
}

static const struct document anomaly_doc = {
	.name = "anomaly", .base = "/asset/anomalies", .menu = "asset.anomaly",
	.view_perm = PERM_ASSET_VIEW, .state_field = "status", .state_set = "anomaly_status",
	.show = &q_one, .names = one_names, .nnames = 18, .title_field = "station",
	.lock = &q_lock, .move = &q_move,
	.transitions = moves, .ntransitions = 2,
	.view = "asset/anomaly_facts.cs", .fill = fill,
};

DOC_DEFINE(anomaly, anomaly_doc)
