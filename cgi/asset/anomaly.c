/*
 * anomaly.c — the anomalies page (异常资产, F4.20): quantity anomalies
 * raised and closed by model/anomaly.c, later location and meter ones; read
 * only, filtered, in the user's scope (by the station's company).
 */
#include "core/crud.h"
#include "core/db.h"
#include "core/req.h"
#include "model/options.h"

#include "asset/asset.h"

static const char *const kinds[] = { "quantity", "location", "meter", NULL };
static const char *const statuses[] = { "open", "closed", NULL };

static const struct list_col cols[] = {
	{ "opened_at", 't', NULL },
	{ "kind", 'e', "anomaly_kind" },
	{ "station", 't', NULL },
	{ "company", 't', NULL },
	{ "expected", 'n', NULL },
	{ "actual", 'n', NULL },
	{ "status", 'e', "anomaly_status" },
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
	.view_perm = PERM_ASSET_VIEW, .edit_perm = PERM__MAX,
	.list_sql = "SELECT a.id, DATE_FORMAT(" SQL_LOCAL("a.opened_at") ", '%Y-%m-%d %H:%i'),"
	    " a.kind, CONCAT(st.code, ' ', st.name), co.name, a.expected, a.actual, a.status,"
	    " DATE_FORMAT(" SQL_LOCAL("a.closed_at") ", '%Y-%m-%d %H:%i')"
	    " FROM anomalies a JOIN stations st ON st.id = a.station_id"
	    " JOIN companies co ON co.id = st.company_id WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM anomalies a JOIN stations st ON st.id = a.station_id WHERE 1=1",
	.scope_sql = " AND (? OR st.company_id = ?)",
	.cols = cols, .ncols = 8,
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
