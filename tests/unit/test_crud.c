/*
 * Unit tests of the list SQL composition of cgi/core/crud_sql.c and crud_plan.c, without a
 * database: filters read into literal fragments and typed parameters
 * (list_read), the page statement (compose) and its deferred-join form
 * (compose_deferred, has_alias, after_first_table), the sort a filter
 * leaves (sort_unfixed), the plan choices that need no statement
 * (sort_ranked, ranged, prefix_of when nothing applies or no rows are
 * read; plan_rows on an empty list).  What reads ranks or range values
 * from the database is the HTTP layer's (tests/http/list_plan.test.mjs).
 *
 * These are the crud files' internal functions (core/crud_int.h).
 */
#include <ClearSilver.h>
#include <string.h>

#include "core/arena.h"
#include "core/crud_int.h"
#include "core/req.h"
#include "core/tpl.h"

#include "tap.h"

/* A pile-like list with sort indexes (resource.sort_table) and every kind
 * of plan entry, and a city-like list without. */
static const char *const states[] = { "in_stock", "operating", NULL };
static const char *const warranties[] = { "in", "out", "unknown", NULL };

static const struct list_filter pile_filters[] = {
	{ "q", " AND p.code LIKE ?", 'p', NULL, NULL, NULL },
	{ "name", " AND co.name LIKE ?", 'q', NULL, NULL, NULL },
	{ "company_id", " AND p.company_id = ?", 'l', NULL, NULL, NULL },
	{ "state", " AND p.state = ?", 's', NULL, "pile_state", states },
	{ "spare", " AND p.spare = ?", 'i', NULL, NULL, NULL },
	{ "day", " AND p.made_on = ?", 'd', NULL, NULL, NULL },
	{ "warranty", " AND ((? = 'in' AND p.w >= 1) OR (? = 'out' AND p.w < 1)"
	    " OR (? = 'unknown' AND p.w IS NULL))", 's', NULL, "warranty", warranties },
	{ "product_id", " AND p.product_id = ?", 'l', NULL, NULL, NULL },
	{ "manufacturer_id", " AND p.manufacturer_id = ?", 'l', NULL, NULL, NULL },
	{ "city_id", " AND p.city_id = ?", 'l', NULL, NULL, NULL },
	{ "check", " AND p.vcheck = ?", 's', NULL, NULL, NULL },
};
enum { S_CODE, S_MODEL, S_COMPANY, S_MAKER, S_STATE, S_CONAME, S__MAX };
static const struct list_sort pile_sorts[S__MAX] = {
	[S_CODE] = { "code", "p.code", "FORCE INDEX (ix_code)" },
	[S_MODEL] = { "model", "p.model, p.code", "FORCE INDEX (ix_model)" },
	[S_COMPANY] = { "company", "p.company_name, p.code", "FORCE INDEX (ix_company)" },
	[S_MAKER] = { "maker", "p.manufacturer_name, p.code", "FORCE INDEX (ix_maker)" },
	/* What the state filter leaves ("p.serial") is no sort of its own. */
	[S_STATE] = { "state", "p.state, p.serial", "FORCE INDEX (ix_state)" },
	/* A column of a joined table: no deferred join, no index walk. */
	[S_CONAME] = { "coname", "co.name, p.code", NULL },
};
static const struct sort_fix pile_fixes[] = {
	{ "product_id", "p.model" }, { "product_id", "p.manufacturer_name" },
	{ "manufacturer_id", "p.manufacturer_name" }, { "@scope", "p.company_name" },
	{ "state", "p.state" },
};
static const struct query q_ranks = { "SELECT id, DENSE_RANK() OVER (ORDER BY name) FROM companies", "", "ll" };
static const struct sort_rank pile_ranks[] = { { "p.manufacturer_name", "p.manufacturer_id", &q_ranks } };
static const struct query q_models = { "SELECT DISTINCT model FROM products WHERE manufacturer_id = ?", "l", "s" };
static const struct sort_range pile_ranges[] = { { "manufacturer_id", "p.model", &q_models } };
static const struct sort_prefix pile_prefixes[] = {
	{ "check,manufacturer_id", "code", "FORCE INDEX (ix_check_maker_code)", "ok,none" },
	{ "city_id", "code", "FORCE INDEX (ix_city_code)", NULL },
	{ "company_id", "code", "FORCE INDEX (ix_company_code)", NULL },
};
static const struct list_col pile_cols[] = { { "code", 'k', NULL }, { "company", 't', NULL } };

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct resource pile = {
	.name = "pile", .base = "/asset/piles",
	.list_sql = "SELECT p.id, p.code, co.name FROM piles p JOIN companies co ON co.id = p.company_id"
	    " WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM piles p WHERE 1=1",
	.scope_sql = " AND (? OR p.company_id = ?)",
	.cols = pile_cols, .ncols = N(pile_cols),
	.filters = pile_filters, .nfilters = N(pile_filters),
	.sorts = pile_sorts, .nsorts = S__MAX,
	.sort_table = "piles p",
	.fixes = pile_fixes, .nfixes = N(pile_fixes),
	.ranks = pile_ranks, .nranks = N(pile_ranks),
	.ranges = pile_ranges, .nranges = N(pile_ranges),
	.prefixes = pile_prefixes, .nprefixes = N(pile_prefixes),
};

static const struct list_filter city_filters[] = {
	{ "q", " AND c.code LIKE ?", 'q', NULL, NULL, NULL },
};
static const struct list_sort city_sorts[] = {
	{ "name", "c.name", NULL },
	{ "code", "c.code", NULL },
};
static const struct list_col city_cols[] = { { "code", 'k', NULL }, { "name", 't', NULL } };
static const struct resource city = {
	.name = "city", .base = "/base/cities",
	.list_sql = "SELECT c.id, c.code, c.name FROM cities c WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM cities c WHERE 1=1",
	.cols = city_cols, .ncols = N(city_cols),
	.filters = city_filters, .nfilters = N(city_filters),
	.sorts = city_sorts, .nsorts = N(city_sorts),
	.desc_default = 1,
};

static struct arena arena;
static struct req req;
static struct user user;
static struct listq q;

/* A fresh request with query string qs for a user who sees every company
 * (scope_all) or only company 3. */
static struct req *
request(const char *qs, bool scope_all)
{
	if (req.hdf)
		hdf_destroy(&req.hdf);
	arena_reset(&arena);
	memset(&req, 0, sizeof(req));
	req.arena = &arena;
	if (hdf_init(&req.hdf) != STATUS_OK)
		die("hdf_init");
	memset(&user, 0, sizeof(user));
	user.scope_all = scope_all;
	user.company_id = 3;
	req.user = &user;
	if (req_parse_query(&req, qs) != 0)
		die("bad test query: %s", qs);
	return &req;
}

/* list_read's parameters as "type:value" words, for comparing. */
static const char *
params_of(const struct listq *l)
{
	struct buf b;

	buf_init(&b, &arena, 128);
	for (int i = 0; i < l->np; i++)
		if (l->p[i].type == 's')
			buf_printf(&b, "%ss:%s", i ? " " : "", l->p[i].s);
		else
			buf_printf(&b, "%s%c:%lld", i ? " " : "", l->p[i].type, (long long)l->p[i].i);
	return b.data;
}

static void
test_read(void)
{
	static const char *const bad[] = {
		"company_id=abc", "company_id=0", "company_id=-2", "spare=2", "spare=yes",
		"state=broken", "day=2024-13-01", "warranty=soon",
		"q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	struct req *r;

	r = request("", true);
	ok(crud_list_read(r, &pile, &q) == 0 && q.where.len == 0 && q.np == 0 && q.qs.len == 0,
	    "no filter, a user who sees everything: no fragment at all");
	r = request("", false);
	ok(crud_list_read(r, &pile, &q) == 0, "no filter, a user of one company");
	is_str(q.where.data, " AND (? OR p.company_id = ?)", "the scope fragment");
	is_str(params_of(&q), "i:0 l:3", "bound with scope_all and the user's company");

	/* Fragments in the order the resource declares them, whatever the
	 * order of the query string; each typed. */
	r = request("state=operating&company_id=5&q=A%25_b%5C&spare=1&day=2024-02-29&name=%E5%85%85", false);
	ok(crud_list_read(r, &pile, &q) == 0, "five filters read");
	is_str(q.where.data, " AND (? OR p.company_id = ?) AND p.code LIKE ? AND co.name LIKE ?"
	    " AND p.company_id = ? AND p.state = ? AND p.spare = ? AND p.made_on = ?",
	    "fragments in declaration order after the scope");
	is_str(params_of(&q), "i:0 l:3 s:A\\%\\_b\\\\% s:%充% l:5 s:operating i:1 s:2024-02-29",
	    "LIKE wildcards escaped: a prefix for 'p', a substring for 'q'; ids and flags typed");
	is_str(q.qs.data, "&q=A%25_b%5C&name=%E5%85%85&company_id=5&state=operating&spare=1&day=2024-02-29",
	    "the paging links carry every filter, URL-encoded");
	is_str(hdf_get_value(r->hdf, "Page.f.state", NULL), "operating", "the page shows the filter's value");

	/* A fragment with three marks binds the value three times. */
	r = request("warranty=out", true);
	ok(crud_list_read(r, &pile, &q) == 0 && q.np == 3 && crud_marks(q.where.data) == 3, "three marks, three parameters");
	is_str(params_of(&q), "s:out s:out s:out", "each the filter's value");

	r = request("company_id=&state=", true);
	ok(crud_list_read(r, &pile, &q) == 0 && q.np == 0, "empty filters are not set");

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = request(bad[i], true);
		ok(crud_list_read(r, &pile, &q) == 400, "refused with 400: %.40s", bad[i]);
	}
}

static void
test_sort(void)
{
	struct req *r;
	bool desc;

	r = request("", true);
	ok(crud_list_sort(r, &pile, &desc) == &pile_sorts[S_CODE] && !desc, "no sort asked: the first, ascending");
	ok(crud_list_sort(r, &city, &desc) == &city_sorts[0] && desc, "desc_default: descending");
	r = request("sort=model&dir=desc", true);
	ok(crud_list_sort(r, &pile, &desc) == &pile_sorts[S_MODEL] && desc, "a sort by name and direction");
	r = request("sort=p.code%3B%20DROP&dir=up", true);
	ok(crud_list_sort(r, &pile, &desc) == &pile_sorts[S_CODE] && !desc,
	    "an unknown sort is the default one, an unknown direction ascending");
}

static void
test_compose(void)
{
	struct req *r;
	struct query qq;

	r = request("", true);
	crud_list_read(r, &city, &q);
	qq = crud_compose(r, &city, city.list_sql, &q, &city_sorts[0], false, true, "lss");
	is_str(qq.sql, "SELECT c.id, c.code, c.name FROM cities c WHERE 1=1 ORDER BY c.name ASC, 1 LIMIT ? OFFSET ?",
	    "the id breaks ties; the page is bound");
	is_str(qq.params, "ll", "limit and offset parameters");
	is_str(qq.cols, "lss", "the columns given");
	qq = crud_compose(r, &city, city.list_sql, &q, &city_sorts[1], true, false, "lss");
	is_str(qq.sql, "SELECT c.id, c.code, c.name FROM cities c WHERE 1=1 ORDER BY c.code DESC, 1 DESC",
	    "descending, the tie-breaker too; no page");
	is_str(qq.params, "", "no parameters");
	qq = crud_compose(r, &city, "SELECT COUNT(*) FROM cities c WHERE 1=1", &q, NULL, false, false, "l");
	is_str(qq.sql, "SELECT COUNT(*) FROM cities c WHERE 1=1", "no sort: no ORDER BY");

	r = request("company_id=5&q=AB", false);
	crud_list_read(r, &pile, &q);
	qq = crud_compose(r, &pile, pile.list_sql, &q, &pile_sorts[S_MODEL], true, true, "lss");
	is_str(qq.sql, "SELECT p.id, p.code, co.name FROM piles p JOIN companies co ON co.id = p.company_id"
	    " WHERE 1=1 AND (? OR p.company_id = ?) AND p.code LIKE ? AND p.company_id = ?"
	    " ORDER BY p.model DESC, p.code DESC LIMIT ? OFFSET ?",
	    "every sort column gets the direction; a sort index's order needs no tie-breaker");
	is_str(qq.params, "ilslll", "the filters' letters, then limit and offset");
	qq = crud_compose(r, &pile, pile.list_sql, &q, &pile_sorts[S_CONAME], false, false, "lss");
	ok(strstr(qq.sql, " ORDER BY co.name ASC, p.code ASC, 1") != NULL,
	    "a sort without an index of its own still ends with the id");
}

static void
test_deferred(void)
{
	static const struct resource other = {
		.name = "x",
		.list_sql = "SELECT p.id, co.name FROM companies co JOIN piles p ON p.company_id = co.id WHERE 1=1",
		.count_sql = "SELECT COUNT(*) FROM piles p WHERE 1=1",
		.cols = pile_cols, .ncols = 1,
		.sorts = pile_sorts, .nsorts = 1,
	};
	struct resource distinct = city, expr = city;
	/* As sort_ranked makes it: the sort's copy with other text. */
	static const struct list_sort inner_sort = { "code", "CASE p.code WHEN 'a' THEN 1 ELSE 0 END",
		"FORCE INDEX (ix_code)" };
	struct req *r;
	struct query out;

	r = request("", true);
	crud_list_read(r, &city, &q);
	ok(crud_compose_deferred(r, &city, &q, &city_sorts[0], NULL, false, "lss", NULL, &out),
	    "the city list as a deferred join");
	is_str(out.sql, "SELECT STRAIGHT_JOIN c.id, c.code, c.name FROM (SELECT c.id FROM cities c WHERE 1=1"
	    " ORDER BY c.name ASC, 1 LIMIT ? OFFSET ?) k JOIN cities c ON c.id = k.id WHERE 1=1"
	    " ORDER BY c.name ASC, 1",
	    "the page's ids first, then their rows joined in the same order");
	is_str(out.params, "ll", "only the inner query has parameters");
	is_str(out.cols, "lss", "the list's columns");

	r = request("company_id=5", false);
	crud_list_read(r, &pile, &q);
	ok(crud_compose_deferred(r, &pile, &q, &pile_sorts[S_CODE], NULL, false, "lss", pile_sorts[S_CODE].many_hint, &out),
	    "the pile list with an index hint");
	is_str(out.sql, "SELECT STRAIGHT_JOIN p.id, p.code, co.name FROM (SELECT p.id FROM piles p"
	    " FORCE INDEX (ix_code) WHERE 1=1 AND (? OR p.company_id = ?) AND p.company_id = ?"
	    " ORDER BY p.code ASC LIMIT ? OFFSET ?) k JOIN piles p ON p.id = k.id"
	    " JOIN companies co ON co.id = p.company_id WHERE 1=1 ORDER BY p.code ASC",
	    "the hint right after the sort table; the filters inside only");
	is_str(out.params, "illll", "scope, filter, limit, offset");
	ok(crud_compose_deferred(r, &pile, &q, &pile_sorts[S_CODE], &inner_sort, true, "lss", NULL, &out),
	    "with another spelling of the order inside");
	ok(strstr(out.sql, "ORDER BY CASE p.code WHEN 'a' THEN 1 ELSE 0 END DESC LIMIT ? OFFSET ?) k") &&
	    strstr(out.sql, "WHERE 1=1 ORDER BY p.code DESC") && !strstr(out.sql, "FORCE INDEX"),
	    "inner_sort orders the inner query, the sort the outer; no hint given, none written");

	ok(!crud_compose_deferred(r, &pile, &q, &pile_sorts[S_CONAME], NULL, false, "lss", NULL, &out),
	    "not when the sort names a table the count does not read");

	r = request("", true);
	crud_list_read(r, &other, &q);
	ok(crud_compose_deferred(r, &other, &q, &pile_sorts[S_CODE], NULL, false, "ls", NULL, &out),
	    "a list whose first table is not the id's");
	is_str(out.sql, "SELECT p.id, co.name FROM companies co JOIN piles p ON p.company_id = co.id WHERE 1=1"
	    " AND p.id IN (SELECT id FROM (SELECT p.id FROM piles p WHERE 1=1 ORDER BY p.code ASC, 1"
	    " LIMIT ? OFFSET ?) k) ORDER BY p.code ASC, 1",
	    "then the ids as an IN list of the page");

	distinct.count_sql = "SELECT COUNT(DISTINCT c.id) FROM cities c WHERE 1=1";
	ok(!crud_compose_deferred(r, &distinct, &q, &city_sorts[0], NULL, false, "lss", NULL, &out),
	    "not when the count is not COUNT(*)");
	expr.list_sql = "SELECT CONCAT(c.id), c.code, c.name FROM cities c WHERE 1=1";
	ok(!crud_compose_deferred(r, &expr, &q, &city_sorts[0], NULL, false, "lss", NULL, &out),
	    "not when the first column is not a plain alias.id");

	/* The text helpers it stands on. */
	ok(crud_has_alias("SELECT COUNT(*) FROM piles p WHERE 1=1", "p", 1), "has_alias: p");
	ok(crud_has_alias("SELECT COUNT(*) FROM piles p JOIN companies co ON co.id = p.company_id", "co", 2),
	    "has_alias: a joined alias");
	ok(!crud_has_alias("SELECT COUNT(*) FROM piles p WHERE 1=1", "co", 2), "has_alias: not there");
	ok(!crud_has_alias("SELECT COUNT(*) FROM piles p WHERE 1=1", "piles", 5), "has_alias: a table is no alias");
	is_str(crud_after_first_table("SELECT p.id, x FROM piles p JOIN c ON c.id = 1", "p.id", 4), " JOIN c ON c.id = 1",
	    "after_first_table: the rest after the alias");
	ok(crud_after_first_table("SELECT p.id FROM piles pp WHERE 1", "p.id", 4) == NULL,
	    "after_first_table: another alias that starts the same");
	ok(crud_after_first_table("SELECT p.id, (SELECT 1) FROM piles p", "p.id", 4) == NULL,
	    "after_first_table: a subquery before FROM");
	ok(crud_after_first_table("SELECT id FROM piles p", "id", 2) == NULL, "after_first_table: an id without alias");
}

static void
test_plan(void)
{
	struct resource unranked = pile;
	struct req *r;
	struct listq w;
	const char *plan;
	int64_t page = 3;

	/* sort_unfixed: leading columns a filter fixes. */
	r = request("product_id=9", true);
	ok(crud_sort_unfixed(r, &pile, &pile_sorts[S_MODEL]) == &pile_sorts[S_CODE], "one product: by model is by code");
	ok(crud_sort_unfixed(r, &pile, &pile_sorts[S_MAKER]) == &pile_sorts[S_CODE], "one product: by maker is by code");
	ok(crud_sort_unfixed(r, &pile, &pile_sorts[S_COMPANY]) == &pile_sorts[S_COMPANY], "one product: by company stays");
	r = request("manufacturer_id=2", true);
	ok(crud_sort_unfixed(r, &pile, &pile_sorts[S_MAKER]) == &pile_sorts[S_CODE], "one maker: by maker is by code");
	ok(crud_sort_unfixed(r, &pile, &pile_sorts[S_MODEL]) == &pile_sorts[S_MODEL], "one maker: by model stays");
	r = request("product_id=", true);
	ok(crud_sort_unfixed(r, &pile, &pile_sorts[S_MODEL]) == &pile_sorts[S_MODEL], "an empty filter fixes nothing");
	r = request("", false);
	ok(crud_sort_unfixed(r, &pile, &pile_sorts[S_COMPANY]) == &pile_sorts[S_CODE],
	    "a user of one company: by company is by code");
	r = request("", true);
	ok(crud_sort_unfixed(r, &pile, &pile_sorts[S_COMPANY]) == &pile_sorts[S_COMPANY],
	    "a user who sees every company: by company stays");
	r = request("state=operating", true);
	ok(crud_sort_unfixed(r, &pile, &pile_sorts[S_STATE]) == &pile_sorts[S_STATE],
	    "what is left must be a sort with an index: else the sort itself");

	/* sort_ranked: nothing to rank reads nothing. */
	unranked.nranks = 0;
	ok(crud_sort_ranked(r, &unranked, &pile_sorts[S_MAKER]) == &pile_sorts[S_MAKER], "no ranks: the sort itself");
	ok(crud_sort_ranked(r, &pile, &pile_sorts[S_MODEL]) == &pile_sorts[S_MODEL],
	    "no ranked column in the sort: the sort itself");

	/* ranged: when no range entry applies no values are read. */
	r = request("", true);
	crud_list_read(r, &pile, &q);
	ok(!crud_ranged(r, &pile, &q, &pile_sorts[S_MODEL], &w), "ranged: the filter not set");
	r = request("manufacturer_id=7", true);
	crud_list_read(r, &pile, &q);
	ok(!crud_ranged(r, &pile, &q, &pile_sorts[S_CODE], &w), "ranged: the sort does not lead with the column");
	ok(!crud_ranged(r, &pile, &q, &pile_sorts[S_MAKER], &w), "ranged: another leading column");
	r = request("manufacturer_id=abc", true);
	ok(!crud_ranged(r, &pile, &q, &pile_sorts[S_MODEL], &w), "ranged: a value that is no id");

	/* prefix_of: the first entry whose filters are all set. */
	r = request("city_id=1", true);
	ok(crud_prefix_of(r, &pile, &pile_sorts[S_CODE]) == &pile_prefixes[1], "a city's piles by code: its index");
	ok(crud_prefix_of(r, &pile, &pile_sorts[S_MODEL]) == NULL, "a city's piles by model: none");
	r = request("company_id=4", true);
	ok(crud_prefix_of(r, &pile, &pile_sorts[S_CODE]) == &pile_prefixes[2], "a company's piles by code: its index");
	r = request("check=ok&manufacturer_id=2&city_id=1", true);
	ok(crud_prefix_of(r, &pile, &pile_sorts[S_CODE]) == &pile_prefixes[0],
	    "two filters of the first entry: it wins over a later one");
	r = request("check=none&manufacturer_id=2", true);
	ok(crud_prefix_of(r, &pile, &pile_sorts[S_CODE]) == &pile_prefixes[0], "another of its values");
	r = request("check=below&manufacturer_id=2", true);
	ok(crud_prefix_of(r, &pile, &pile_sorts[S_CODE]) == NULL, "a value of the first filter it does not list");
	r = request("manufacturer_id=2", true);
	ok(crud_prefix_of(r, &pile, &pile_sorts[S_CODE]) == NULL, "one of two filters set: none");
	r = request("city_id=", true);
	ok(crud_prefix_of(r, &pile, &pile_sorts[S_CODE]) == NULL, "an empty filter: none");
	ok(crud_list_has("ok,none", "none") && crud_list_has("ok,none", "ok") && !crud_list_has("ok,none", "no") &&
	    !crud_list_has("ok,none", "ok,") && !crud_list_has("", "x"), "list_has: whole items only");

	/* plan_rows on an empty list: nothing read, the sort it would use named. */
	r = request("", true);
	crud_list_read(r, &pile, &q);
	ok(crud_plan_rows(r, &pile, &q, &pile_sorts[S_MODEL], false, 0, 20, &page, &plan) == 0, "no rows: none read");
	is_str(plan, "none; sort=model", "the plan named");
	r = request("product_id=9", true);
	crud_list_read(r, &pile, &q);
	ok(crud_plan_rows(r, &pile, &q, &pile_sorts[S_MODEL], false, 0, 20, &page, &plan) == 0 && page == 3,
	    "no rows: the page left as it is");
	is_str(plan, "none; sort=code", "the plan names the sort a filter leaves");
	ok(crud_plan_small() == CRUD_PLAN_SMALL, "without configuration the plan's number is CRUD_PLAN_SMALL");
	is_str(crud_col_letters(r, &pile), "lss", "list columns: the id, then text");
	ok(crud_marks(" AND a = ? AND (? OR b = ?)") == 3 && crud_marks("") == 0, "marks counts '?'");
}

int
main(void)
{
	arena_init(&arena, 64 << 10);
	test_read();
	test_sort();
	test_compose();
	test_deferred();
	test_plan();
	hdf_destroy(&req.hdf);
	arena_free(&arena);
	return done();
}
