/*
 * version.c — software and hardware versions of the piles (版本管理, F4.24).
 *
 * Per pile product a target software and hardware version
 * (product_versions, db/migrations/0011), set on this page by a head-office
 * user with asset edit rights, versioned (a stale edit is refused and shows
 * the current values) and written to the update records.  The overview
 * shows, per product, the targets, which versions its piles run and how
 * many are below target or of unknown version; the pile list shows the
 * piles below target (or of unknown version, or all) with filters, sorting,
 * pages and CSV/Excel of the whole filtered set.
 *
 * Versions compare part by part as numbers ("V1.10.2" > "V1.9.9"): the
 * grammar and the key are in model/version.h; the database keeps the same
 * key in generated columns (piles.sw_key / hw_key, product_versions.sw_key /
 * hw_key), so the comparison happens in SQL.  A version that is empty or
 * does not follow the grammar is "unknown": listed apart, never counted as
 * below target.  Piles that have left us (sold, scrapped, lease ended) are
 * not counted.  Every list and count is limited to the user's city
 * companies in SQL.
 */
#include <stdio.h>
#include <string.h>

#include <ClearSilver.h>

#include "core/app.h"
#include "core/arena.h"
#include "core/audit.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/tpl.h"
#include "model/options.h"
#include "model/pile.h"
#include "model/version.h"

#include "asset/asset.h"

/* Piles still ours: the ones a version target applies to — every state
 * but sold, scrapped and lease_ended (ck_piles_state).  Named as an IN
 * list: seven ranges of the check's index (vflags, state, company_id, …),
 * where a NOT IN is no range at all (a company's 9,000 piles at target
 * counted in 9 ms, not 52). */
#define ALIVE_SQL "p.state IN ('in_stock', 'installed', 'operating', 'repair', 'at_supplier'," \
	" 'leased_out', 'lent')"

/* One side (sw or hw) against its target: none (no target), unknown (the
 * pile's version is not a version), below, ok (at or above). */
#define SIDE_SQL(side)                                                           \
	"CASE WHEN pv." side "_key IS NULL THEN 'none'"                          \
	" WHEN p." side "_key IS NULL THEN 'unknown'"                            \
	" WHEN p." side "_key < pv." side "_key THEN 'below' ELSE 'ok' END"

/* Either side below its target; either side with a target but a version
 * that is not one. */
#define BELOW_SQL "(p.sw_key < pv.sw_key OR p.hw_key < pv.hw_key)"
#define UNKNOWN_SQL                                                              \
	"((pv.sw_key IS NOT NULL AND p.sw_key IS NULL)"                           \
	" OR (pv.hw_key IS NOT NULL AND p.hw_key IS NULL))"

/* The pile as a whole: below when either side is below, else unknown when
 * either side is unknown, else ok; none when its product has no target. */
#define VSTATE_SQL                                                               \
	"(CASE WHEN pv.sw_key IS NULL AND pv.hw_key IS NULL THEN 'none'"          \
	" WHEN " BELOW_SQL " THEN 'below' WHEN " UNKNOWN_SQL " THEN 'unknown'"     \
	" ELSE 'ok' END)"

#define WARRANTY_SQL                                                          \
	"CASE WHEN p.warranty_end IS NULL THEN 'unknown'"                     \
	" WHEN p.warranty_end >= " SQL_TODAY " THEN 'in' ELSE 'out' END"

static const char *const vstates[] = { "below", "unknown", "ok", "none", NULL };
static const char *const warranty_states[] = { "in", "out", "unknown", NULL };

/* ---- the pile list ---- */

static const struct list_col cols[] = {
	{ "code", 'k', NULL },
	{ "model", 't', NULL },
	{ "manufacturer", 't', NULL },
	{ "location", 't', NULL },
	{ "company", 't', NULL },
	{ "sw_version", 't', NULL },
	{ "sw_target", 't', NULL },
	{ "hw_version", 't', NULL },
	{ "hw_target", 't', NULL },
	{ "vstate", 'e', "vstate" },
	{ "warranty_end", 't', NULL },
	{ "warranty", 'e', "warranty" },
	{ "sw_state", 'x', NULL },
	{ "hw_state", 'x', NULL },
};

static const struct list_filter filters[] = {
	/* below / unknown look at each side: a pile of unknown software that is
	 * below on hardware is in both lists; ok and none are the whole state.
	 * From the check kept with the pile (piles.vflags, migration 0017: 1
	 * below, 2 unknown, 3 both, 4 ok, 8 no target): two values of an index. */
	{ "check", " AND p.vflags IN (CASE ? WHEN 'below' THEN 1 WHEN 'unknown' THEN 2 WHEN 'ok' THEN 4 ELSE 8 END,"
	    " CASE ? WHEN 'below' THEN 3 WHEN 'unknown' THEN 3 WHEN 'ok' THEN 4 ELSE 8 END)", 's', NULL, "vstate", vstates },
	/* Codes that start with the text, serial numbers by their own filter
	 * (as on the pile list). */
	{ "q", " AND p.code LIKE ?", 'p', NULL, NULL, NULL },
	{ "serial_no", " AND p.serial_no LIKE ?", 'p', NULL, NULL, NULL },
	{ "company_id", " AND p.company_id = ?", 'l', "companies", NULL, NULL },
	/* The pile's copies of its city and manufacturer (migration 0016). */
	{ "city_id", " AND p.city_id = ?", 'l', "cities", NULL, NULL },
	{ "manufacturer_id", " AND p.manufacturer_id = ?", 'l', "manufacturers", NULL, NULL },
	{ "product_id", " AND p.product_id = ?", 'l', "products", NULL, NULL },
	{ "station", " AND p.station_id IN (SELECT id FROM stations WHERE code LIKE ? OR name LIKE ?)",
	    'q', NULL, NULL, NULL },
	{ "sw_version", " AND p.sw_version = ?", 's', NULL, NULL, NULL },
	{ "hw_version", " AND p.hw_version = ?", 's', NULL, NULL, NULL },
	/* As ranges of warranty_end, which the covering indexes carry. */
	{ "warranty", " AND ((? = 'in' AND p.warranty_end >= " SQL_TODAY ")"
	    " OR (? = 'out' AND p.warranty_end < " SQL_TODAY ")"
	    " OR (? = 'unknown' AND p.warranty_end IS NULL))", 's', NULL, "warranty", warranty_states },
};

static const struct query q_size = { "SELECT MAX(id) - MIN(id) + 1 FROM piles", "", "l" };

/* The pile's copies of its model and names (migration 0016) and their
 * indexes, as on the pile list. */
static const struct list_sort sorts[] = {
	{ "code", "p.code", "FORCE INDEX (ix_piles_s_code)" },
	{ "model", "p.model, p.code", "FORCE INDEX (ix_piles_s_model)" },
	{ "manufacturer", "p.manufacturer_name, p.code", "FORCE INDEX (ix_piles_s_maker)" },
	/* The code of its station, else of its warehouse (piles.place_code). */
	{ "location", "p.place_code, p.code", "FORCE INDEX (ix_piles_s_place)" },
	{ "company", "p.company_name, p.code", "FORCE INDEX (ix_piles_s_company)" },
	{ "sw_version", "p.sw_key, p.sw_version, p.code", "FORCE INDEX (ix_piles_s_swkey)" },
	{ "hw_version", "p.hw_key, p.hw_version, p.code", "FORCE INDEX (ix_piles_s_hwkey)" },
	{ "warranty_end", "p.warranty_end, p.code", "FORCE INDEX (ix_piles_s_warranty)" },
};

/* What a chosen filter leaves the same on every row (resource.fixes). */
static const struct sort_fix fixes[] = {
	{ "product_id", "p.model" }, { "product_id", "p.manufacturer_name" },
	{ "manufacturer_id", "p.manufacturer_name" },
	{ "company_id", "p.company_name" }, { "@scope", "p.company_name" },
	{ "sw_version", "p.sw_key" }, { "sw_version", "p.sw_version" },
	{ "hw_version", "p.hw_key" }, { "hw_version", "p.hw_version" },
};

/* The piles of no target (vflags 8) are the piles of products with no
 * target on either side, and piles without a product (no model). */
static const struct query q_untargeted_models = {
	"SELECT v.m FROM (SELECT ? AS c) f JOIN (SELECT pr.model AS m FROM products pr"
	" LEFT JOIN product_versions pv ON pv.product_id = pr.id"
	" WHERE pv.sw_key IS NULL AND pv.hw_key IS NULL UNION ALL SELECT NULL) v"
	" WHERE f.c = 'none'", "s", "s"
};

static const struct sort_range ranges[VERSION_NRANGES] = {
	{ "manufacturer_id", "p.model", &pile_maker_models },
	{ "check", "p.model", &q_untargeted_models },
};

/* The piles at target or of no target, of one maker or all, in code order
 * (migration 0020).  Below and unknown are two values of vflags each, and
 * two thirds of the piles: the code index serves them. */
static const struct sort_prefix prefixes[] = {
	{ "check,manufacturer_id", "code", "FORCE INDEX (ix_piles_vmaker)", "ok,none" },
	{ "check", "code", "FORCE INDEX (ix_piles_vcheck_code)", "ok,none" },
};

static const struct query q_opt_products = {
	"SELECT p.id, CONCAT(m.name, ' ', p.model)"
	" FROM products p JOIN companies m ON m.id = p.manufacturer_id ORDER BY m.name, p.model",
	"", "ls"
};

static void
list_options(struct req *r)
{
	options_companies(r);
	options_cities(r);
	options_manufacturers(r);
	crud_options(r, "products", &q_opt_products);
}

static const struct resource piles_res = {
	.name = "version_pile", .module = "asset", .base = "/asset/versions/piles",
	.menu = "asset.version",
	.view_perm = PERM_ASSET_VIEW, .edit_perm = PERM__MAX,
	.list_sql = "SELECT p.id, p.code, pr.model, m.name,"
	    " CASE p.place WHEN 'station' THEN CONCAT(st.code, ' ', st.name)"
	    "  WHEN 'warehouse' THEN w.name WHEN 'party' THEN pa.name ELSE '' END,"
	    " co.name, p.sw_version, pv.sw_target, p.hw_version, pv.hw_target, " VSTATE_SQL ","
	    " p.warranty_end, " WARRANTY_SQL ", " SIDE_SQL("sw") ", " SIDE_SQL("hw")
	    " FROM piles p JOIN companies co ON co.id = p.company_id"
	    " LEFT JOIN products pr ON pr.id = p.product_id"
	    " LEFT JOIN companies m ON m.id = pr.manufacturer_id"
	    " LEFT JOIN product_versions pv ON pv.product_id = p.product_id"
	    " LEFT JOIN stations st ON st.id = p.station_id"
	    " LEFT JOIN warehouses w ON w.id = p.warehouse_id"
	    " LEFT JOIN companies pa ON pa.id = p.party_id"
	    " WHERE " ALIVE_SQL,
	.count_sql = "SELECT COUNT(*) FROM piles p WHERE " ALIVE_SQL,
	.sort_table = "piles p", .size_estimate = &q_size,
	.fixes = fixes, .nfixes = (int)(sizeof(fixes) / sizeof(fixes[0])),
	.ranks = pile_ranks, .nranks = PILE_NRANKS, .ranges = ranges, .nranges = VERSION_NRANGES,
	.prefixes = prefixes, .nprefixes = (int)(sizeof(prefixes) / sizeof(prefixes[0])),
	.few_hint = "IGNORE INDEX FOR ORDER BY (uq_piles_code, ix_piles_s_code, ix_piles_s_model,"
	    " ix_piles_s_maker, ix_piles_s_power, ix_piles_s_state, ix_piles_s_company, ix_piles_s_sw,"
	    " ix_piles_s_warranty, ix_piles_s_swkey, ix_piles_s_hwkey, ix_piles_s_place)",
	.scope_sql = SCOPE_COMPANY("p.company_id"),
	.cols = cols, .ncols = (int)(sizeof(cols) / sizeof(cols[0])),
	.filters = filters, .nfilters = (int)(sizeof(filters) / sizeof(filters[0])),
	.sorts = sorts, .nsorts = (int)(sizeof(sorts) / sizeof(sorts[0])),
	.options = list_options,
	.has_show = 1,
};

/* The pages link here with check=below (or unknown); without it the list
 * shows every pile with its version state. */
int
version_piles(struct req *r)
{
	int status = crud_list(r, &piles_res);

	tpl_set(r, "Page.title", tpl_lang(r, "versions.piles_title"));
	if (status == 200)
		tpl_set(r, "Page.view", "asset/version_piles.cs");
	return status;
}

int
version_piles_export(struct req *r)
{
	return crud_export(r, &piles_res);
}

/* ---- on the pile card ---- */

static const struct query q_card = {
	"SELECT COALESCE(pv.sw_target, ''), COALESCE(pv.hw_target, ''), " SIDE_SQL("sw") ", "
	SIDE_SQL("hw") " FROM piles p LEFT JOIN product_versions pv ON pv.product_id = p.product_id"
	" WHERE p.id = ?",
	"l", "ssss"
};

void
version_card(struct req *r, int64_t pile_id)
{
	static const char *const names[] = { "sw_target", "hw_target", "sw_state", "hw_state" };
	struct db_cur c;

	if (db_open(&c, &q_card, pile_id) < 0)
		return;		/* logged; the request is a 500 */
	if (db_next(&c))
		for (int i = 0; i < 4; i++) {
			tpl_setf(r, db_str(&c, i), "Page.pile.%s", names[i]);
			if (i >= 2)
				tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "enum.side_state.%s",
				    db_str(&c, i))), "Page.pile.%s_label", names[i]);
		}
	db_close(&c);
}

/* ---- the overview ---- */

static const struct query q_products = {
	"SELECT pr.id, m.name, pr.model, pr.name, COALESCE(pv.sw_target, ''),"
	" COALESCE(pv.hw_target, ''), COUNT(p.id),"
	" COALESCE(SUM(" BELOW_SQL "), 0), COALESCE(SUM(p.id IS NOT NULL AND " UNKNOWN_SQL "), 0),"
	" COALESCE(SUM(p.sw_key < pv.sw_key), 0), COALESCE(SUM(p.hw_key < pv.hw_key), 0)"
	" FROM products pr JOIN companies m ON m.id = pr.manufacturer_id"
	" LEFT JOIN product_versions pv ON pv.product_id = pr.id"
	" LEFT JOIN piles p ON p.product_id = pr.id AND " ALIVE_SQL
	SCOPE_COMPANY("p.company_id") " AND (? = 0 OR p.company_id = ?)"
	" WHERE (? = 0 OR pr.manufacturer_id = ?)"
	" GROUP BY pr.id, m.name, pr.model, pr.name, pv.sw_target, pv.hw_target"
	" ORDER BY m.name, pr.model",
	"illlll", "lssssslllll"
};

/* Which versions the piles of each product run: one row per product, side
 * (0 software, 1 hardware) and version, newest version first. */
#define DIST_SQL(side, n)                                                            \
	"SELECT p.product_id, " n ", COALESCE(p." side "_version, ''),"                   \
	" MAX(" SIDE_SQL(side) "), COUNT(*), COALESCE(MAX(p." side "_key), '')"           \
	" FROM piles p LEFT JOIN product_versions pv ON pv.product_id = p.product_id"     \
	" WHERE p.product_id IS NOT NULL AND " ALIVE_SQL                                  \
	SCOPE_COMPANY("p.company_id") " AND (? = 0 OR p.company_id = ?)"                    \
	" AND (? = 0 OR p.product_id IN (SELECT id FROM products WHERE manufacturer_id = ?))" \
	" GROUP BY p.product_id, p." side "_version"

static const struct query q_dist = {
	DIST_SQL("sw", "0") " UNION ALL " DIST_SQL("hw", "1") " ORDER BY 1, 2, 6 DESC, 3",
	"illlll" "illlll", "lissls"
};

/* A filter id from the query string: 0 when absent, -1 when malformed. */
static int64_t
filter_id(struct req *r, const char *name)
{
	int64_t v = 0;
	int rc = req_int64(r, name, &v);

	if (rc == -1)
		return 0;
	if (rc != 0 || v <= 0)
		return -1;
	tpl_setf(r, req_query(r, name), "Page.f.%s", name);
	return v;
}

static bool
can_set_targets(struct req *r)
{
	return user_can(r, PERM_ASSET_EDIT) && r->user->scope_all;
}

static void
flash(struct req *r)
{
	static const char *const flashes[] = { "target_saved", "target_unchanged", NULL };
	const char *f = req_query(r, "flash");

	for (int i = 0; f && flashes[i]; i++)
		if (strcmp(f, flashes[i]) == 0) {
			char key[48];

			snprintf(key, sizeof(key), "flash.%s", flashes[i]);
			tpl_set(r, "Page.flash", tpl_lang(r, key));
			tpl_set(r, "Page.flash_kind", "success");
		}
}

int
version_index(struct req *r)
{
	int64_t company = filter_id(r, "company_id"), maker = filter_id(r, "manufacturer_id");
	int64_t *ids, piles = 0, below = 0, unknown = 0;
	int n = 0, targeted = 0, cap = 64;
	struct db_cur c;
	int scope = (int)r->user->scope_all;

	tpl_set(r, "Page.menu", "asset.version");
	tpl_set(r, "Page.title", tpl_lang(r, "versions.title"));
	options_companies(r);
	options_manufacturers(r);
	if (company < 0 || maker < 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.filter"));
		return 400;
	}
	if (can_set_targets(r))
		tpl_set(r, "Page.can_set", "1");
	flash(r);
	ids = arena_calloc(r->arena, (size_t)cap, sizeof(*ids));
	if (db_open(&c, &q_products, scope, r->user->company_id, company, company, maker, maker) < 0)
		return 500;
	while (db_next(&c)) {
		HDF *node = tpl_node(r, "Page.products.%d", n);
		static const char *const names[] = {
			NULL, "manufacturer", "model", "name", "sw_target", "hw_target",
		};
		static const char *const counts[] = {
			"piles", "below", "unknown", "sw_below", "hw_below",
		};

		if (n == cap) {
			int64_t *more = arena_calloc(r->arena, (size_t)cap * 2, sizeof(*more));

			memcpy(more, ids, sizeof(*ids) * (size_t)cap);
			ids = more;
			cap *= 2;
		}
		ids[n] = db_i64(&c, 0);
		tpl_node_set(node, "id", arena_printf(r->arena, "%lld", (long long)ids[n]));
		for (int i = 1; i <= 5; i++)
			tpl_node_set(node, names[i], db_str(&c, i));
		for (int i = 0; i < 5; i++)
			tpl_node_set(node, counts[i], arena_printf(r->arena, "%lld",
			    (long long)db_i64(&c, 6 + i)));
		if (*db_str(&c, 4) || *db_str(&c, 5))
			targeted++;
		piles += db_i64(&c, 6);
		below += db_i64(&c, 7);
		unknown += db_i64(&c, 8);
		n++;
	}
	db_close(&c);
	if (db_open(&c, &q_dist, scope, r->user->company_id, company, company, maker, maker,
	    scope, r->user->company_id, company, company, maker, maker) < 0)
		return 500;
	{
		int at = 0, k[2] = { 0, 0 };
		int64_t last = -1;

		while (db_next(&c)) {
			int64_t pid = db_i64(&c, 0);
			int side = db_int(&c, 1) ? 1 : 0;
			HDF *node;

			if (pid != last) {
				/* Rows come grouped by product (by id; the table is by name). */
				for (at = 0; at < n && ids[at] != pid; at++)
					;
				last = pid;
				k[0] = k[1] = 0;
			}
			if (at == n)
				continue;
			node = tpl_node(r, side ? "Page.products.%d.hw.%d" : "Page.products.%d.sw.%d",
			    at, k[side]++);
			tpl_node_set(node, "v", db_str(&c, 2));
			tpl_node_set(node, "state", db_str(&c, 3));
			tpl_node_set(node, "n", arena_printf(r->arena, "%lld", (long long)db_i64(&c, 4)));
		}
		db_close(&c);
	}
	tpl_set_int(r, "Page.summary.products", n);
	tpl_set_int(r, "Page.summary.targeted", targeted);
	tpl_set_int(r, "Page.summary.piles", piles);
	tpl_set_int(r, "Page.summary.below", below);
	tpl_set_int(r, "Page.summary.unknown", unknown);
	tpl_set(r, "Page.view", "asset/version_index.cs");
	return 200;
}

/* ---- setting a product's targets ---- */

enum { V_SW, V_HW, V__MAX };

static const struct field vfields[V__MAX] = {
	[V_SW] = { "sw_target", FT_TEXT, 0, VERSION_MAXLEN, 0, 0, 0, NULL, NULL, NULL, NULL },
	[V_HW] = { "hw_target", FT_TEXT, 0, VERSION_MAXLEN, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const struct query q_product = {
	"SELECT pr.id, m.name, pr.model, pr.name, COALESCE(pv.sw_target, ''),"
	" COALESCE(pv.hw_target, ''), COALESCE(pv.version, 0),"
	" COALESCE(DATE_FORMAT(" SQL_LOCAL("pv.updated_at") ", '%Y-%m-%d %H:%i'), ''),"
	" COALESCE(u.name, '')"
	" FROM products pr JOIN companies m ON m.id = pr.manufacturer_id"
	" LEFT JOIN product_versions pv ON pv.product_id = pr.id"
	" LEFT JOIN users u ON u.id = pv.updated_by WHERE pr.id = ?",
	"l", "lsssssiss"
};
static const struct query q_lock = {
	"SELECT COALESCE(sw_target, ''), COALESCE(hw_target, ''), version"
	" FROM product_versions WHERE product_id = ? FOR UPDATE",
	"l", "ssi"
};
static const struct query q_insert = {
	"INSERT INTO product_versions (product_id, sw_target, hw_target, updated_by)"
	" VALUES (?, ?, ?, ?)",
	"l?s?sl", ""
};
static const struct query q_update = {
	"UPDATE product_versions SET sw_target = ?, hw_target = ?, updated_by = ?,"
	" version = version + 1 WHERE product_id = ? AND version = ?",
	"?s?slli", ""
};

struct target {
	char sw[VERSION_MAXLEN * 4 + 1], hw[VERSION_MAXLEN * 4 + 1];
	int32_t version;	/* 0: no row yet */
};

/* The product into Page.product; false when there is none. */
static bool
load_product(struct req *r, int64_t id, struct target *t)
{
	struct db_cur c;
	bool found = false;

	if (db_open(&c, &q_product, id) < 0)
		return false;	/* logged; the request is a 500 */
	if (db_next(&c)) {
		static const char *const names[] = {
			NULL, "manufacturer", "model", "name", "sw_target", "hw_target", NULL,
			"updated_at", "updated_by",
		};

		found = true;
		for (int i = 1; i < 9; i++)
			if (names[i])
				tpl_setf(r, db_str(&c, i), "Page.product.%s", names[i]);
		snprintf(t->sw, sizeof(t->sw), "%s", db_str(&c, 4));
		snprintf(t->hw, sizeof(t->hw), "%s", db_str(&c, 5));
		t->version = db_int(&c, 6);
	}
	db_close(&c);
	return found;
}

static int
show_form(struct req *r, int64_t id, int status)
{
	tpl_set(r, "Page.menu", "asset.version");
	tpl_set_int(r, "Page.id", id);
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s · %s %s", tpl_lang(r, "versions.set"),
	    tpl_get(r, "Page.product.manufacturer"), tpl_get(r, "Page.product.model")));
	tpl_set(r, "Page.view", "asset/version_form.cs");
	return status;
}

int
version_edit(struct req *r)
{
	struct target t;
	int64_t id;

	if (req_arg_id(r, 0, &id) != 0 || !load_product(r, id, &t))
		return 404;
	if (!can_set_targets(r))
		return 403;
	tpl_set(r, "Page.form.sw_target", t.sw);
	tpl_set(r, "Page.form.hw_target", t.hw);
	tpl_set_int(r, "Page.version", t.version);
	return show_form(r, id, 200);
}

/* The stored targets, locked for this transaction (version 0: none yet). */
static void
lock_target(int64_t id, struct target *t)
{
	struct db_cur c;

	t->sw[0] = t->hw[0] = '\0';
	t->version = 0;
	if (db_open(&c, &q_lock, id) < 0)
		return;		/* logged; the transaction is doomed */
	if (db_next(&c)) {
		snprintf(t->sw, sizeof(t->sw), "%s", db_str(&c, 0));
		snprintf(t->hw, sizeof(t->hw), "%s", db_str(&c, 1));
		t->version = db_int(&c, 2);
	}
	db_close(&c);
}

static int
stale(struct req *r, int64_t id, const struct target *cur, const struct fval *v)
{
	const char *mine[V__MAX] = { v[V_SW].s, v[V_HW].s };
	const char *now[V__MAX] = { cur->sw, cur->hw };

	hdf_remove_tree(r->hdf, "Page.errors");
	for (int i = 0; i < V__MAX; i++) {
		if (strcmp(mine[i], now[i]) != 0)
			tpl_setf(r, mine[i], "Page.mine.%s", vfields[i].name);
		tpl_setf(r, now[i], "Page.form.%s", vfields[i].name);
		tpl_setf(r, now[i], "Page.current.%s", vfields[i].name);
	}
	tpl_set(r, "Page.error", tpl_lang(r, "err.stale"));
	tpl_set(r, "Page.stale", "1");
	tpl_set_int(r, "Page.version", cur->version);
	return show_form(r, id, 409);
}

int
version_update(struct req *r)
{
	struct fval v[V__MAX];
	struct target cur, shown;
	int64_t id, sent;
	int bad;

	if (req_arg_id(r, 0, &id) != 0 || !load_product(r, id, &shown))
		return 404;
	if (!can_set_targets(r))
		return 403;
	bad = form_read(r, vfields, V__MAX, v);
	lock_target(id, &cur);
	if (req_int64(r, "version", &sent) != 0 || sent < 0) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.version"));
		tpl_set_int(r, "Page.version", cur.version);
		return show_form(r, id, 400);
	}
	if (bad == 0 && !(v[V_SW].null && v[V_HW].null) &&
	    strcmp(v[V_SW].s, cur.sw) == 0 && strcmp(v[V_HW].s, cur.hw) == 0)
		/* Nothing to change: a repeated submit, or a save without edits. */
		return req_redirect(r, arena_printf(r->arena,
		    "/asset/versions?flash=target_unchanged#p%lld", (long long)id));
	if (sent != cur.version)
		return stale(r, id, &cur, v);
	tpl_set_int(r, "Page.version", cur.version);
	for (int i = 0; i < V__MAX; i++) {
		char key[VERSION_KEYLEN + 1];

		if (!v[i].null && !version_key(v[i].s, key) &&
		    tpl_get(r, i == V_SW ? "Page.errors.sw_target" : "Page.errors.hw_target") == NULL) {
			form_error(r, vfields[i].name, "err.version_format");
			bad++;
		}
	}
	if (bad == 0 && v[V_SW].null && v[V_HW].null) {
		form_error(r, "sw_target", "err.version_target_needed");
		bad++;
	}
	if (bad > 0)
		return show_form(r, id, 422);
	{
		const char *sw = v[V_SW].null ? NULL : v[V_SW].s;
		const char *hw = v[V_HW].null ? NULL : v[V_HW].s;
		int64_t rc = cur.version == 0 ?
		    db_exec(&q_insert, id, sw, hw, r->user->id) :
		    db_exec(&q_update, sw, hw, r->user->id, id, cur.version);

		if (rc == DB_RETRY)
			return APP_RETRY;
		if (rc == DB_DUP || rc == 0)
			return stale(r, id, &cur, v);
		if (rc < 0)
			return 500;
	}
	for (int i = 0; i < V__MAX; i++) {
		const char *was = i == V_SW ? cur.sw : cur.hw;

		if (strcmp(was, v[i].s) != 0)
			audit_write(r, "product_version", id, cur.version == 0 ? AUDIT_CREATE :
			    AUDIT_UPDATE, vfields[i].name, *was ? was : NULL,
			    v[i].null ? NULL : v[i].s);
	}
	return req_redirect(r, arena_printf(r->arena, "/asset/versions?flash=target_saved#p%lld",
	    (long long)id));
}
