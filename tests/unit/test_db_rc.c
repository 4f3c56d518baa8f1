/*
 * Unit tests of cgi/core/db_rc.c, the result cache, without a database:
 * which statement texts it may keep (db_rc_cacheable), the key of one
 * execution (rc_key), and a result captured row by row replayed exactly,
 * only while the data generation is the one it was captured under.
 *
 * rc_key and the tables are static, so this file includes db_rc.c itself
 * (its own copy of the code, linked instead of libcore's db_rc.o).
 */
#include "core/db_rc.c"

#include "tap.h"

static bool
cacheable(const char *sql, bool *by_date)
{
	bool d = true;
	bool ok_ = db_rc_cacheable(sql, &d);

	if (by_date)
		*by_date = d;
	return ok_;
}

static void
test_cacheable(void)
{
	static const char *const yes[] = {
		"SELECT id, name FROM cities WHERE id = ?",
		"select p.code, c.name from piles p join companies c on c.id = p.company_id",
		"SELECT p.id FROM piles p LEFT JOIN products pr ON pr.id = p.product_id"
		" LEFT JOIN companies m ON m.id = pr.manufacturer_id WHERE p.code LIKE ?",
		"  (SELECT id FROM stations) UNION (SELECT id FROM warehouses)",
		"SELECT COUNT(*) FROM PILES WHERE state = 'in_stock'",
		"SELECT k.id FROM (SELECT id FROM piles ORDER BY code LIMIT 20) k",
		"SELECT id FROM piles WHERE company_id IN (SELECT id FROM companies WHERE kind = 'city')",
		"SELECT id AS from_id, joined FROM dict_items WHERE dict = ?",
		"SELECT id FROM products AS pr WHERE pr.model = ?",
		"SELECT " SQL_LOCAL("p.created_at") " FROM piles p",
	};
	static const char *const no[] = {
		"UPDATE cities SET name = ? WHERE id = ?",
		"INSERT INTO cities (code) VALUES (?)",
		"DELETE FROM piles WHERE id = ?",
		"WITH x AS (SELECT id FROM piles) SELECT id FROM x",
		"SELECT id FROM users WHERE username = ?",
		"SELECT p.id FROM piles p JOIN asset_events e ON e.pile_id = p.id",
		"SELECT id FROM pile",
		"SELECT id FROM piles_archive",
		"SELECT 1 FROM piles p, users u",
		"SELECT 1 FROM piles, cities",
		"SELECT 1 FROM piles AS p, cities",
		"SELECT * FROM (SELECT id FROM users) k",
		"SELECT id FROM piles WHERE company_id IN (SELECT company_id FROM users)",
		"SELECT id FROM piles WHERE id = ? FOR UPDATE",
		"SELECT id FROM piles WHERE id = ? LOCK IN SHARE MODE",
		"SELECT NOW(), id FROM cities",
		"SELECT id FROM piles WHERE created_at > UTC_TIMESTAMP() - INTERVAL 1 DAY",
		"SELECT id FROM piles WHERE warranty_end >= CURDATE()",
		"SELECT id FROM cities ORDER BY RAND()",
		"SELECT LAST_INSERT_ID() FROM cities",
		"SELECT @x FROM cities",
		"SELECT id INTO @x FROM piles",
		"SELECT id FROM cities WHERE name = USER()",
		"SELECT id FROM piles WHERE SLEEP(1) = 0",
	};
	bool d;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		ok(cacheable(yes[i], &d) && !d, "cacheable: %s", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ok(!cacheable(no[i], NULL), "not cacheable: %s", no[i]);

	/* Today's date in China is the one clock allowed: it joins the key.
	 * Its text holds UTC_TIMESTAMP(), banned anywhere else. */
	ok(cacheable("SELECT COUNT(*) FROM piles p WHERE p.warranty_end >= " SQL_TODAY, &d) && d,
	    "SQL_TODAY: cacheable, by date");
	ok(cacheable("select count(*) from piles p where p.warranty_end >= "
	    "date(convert_tz(utc_timestamp(), '+00:00', @ca_tz))", &d) && d,
	    "SQL_TODAY in lower case: cacheable, by date");
	ok(!cacheable("SELECT COUNT(*) FROM piles WHERE warranty_end >= " SQL_TODAY
	    " AND created_at < UTC_TIMESTAMP()", NULL), "SQL_TODAY beside another clock: not cacheable");
	ok(!cacheable("SELECT " SQL_LOCAL("p.created_at") ", @other FROM piles p", NULL),
	    "the zone variable is allowed, another variable is not");
}

static void
test_key(void)
{
	struct db_stmt st1 = { 0 }, st2 = { 0 };
	struct db_param p[2], q[2];
	size_t l1, l2;
	uint64_t h1, h2;
	char *k1, *k2;

#define PARAMS(arr, t0, s0, i0, t1, s1, i1)                                    \
	do {                                                                   \
		memset(arr, 0, sizeof(arr));                                   \
		arr[0].type = t0; arr[0].s = s0; arr[0].i = i0;               \
		arr[1].type = t1; arr[1].s = s1; arr[1].i = i1;               \
	} while (0)
#define SAME(a, n1, b, n2) (k1 = rc_key(&st1, a, n1, &l1, &h1), k2 = rc_key(&st1, b, n2, &l2, &h2), \
	    l1 == l2 && h1 == h2 && memcmp(k1, k2, l1) == 0)

	PARAMS(p, 's', "充电", 0, 'l', NULL, 42);
	PARAMS(q, 's', "充电", 0, 'l', NULL, 42);
	ok(SAME(p, 2, q, 2), "equal parameters: equal keys and hashes");
	free(k1);
	free(k2);
	q[1].i = 43;
	ok(!SAME(p, 2, q, 2) && h1 != h2, "another id: another key and hash");
	free(k1);
	free(k2);
	PARAMS(p, 'i', NULL, 1, 'l', NULL, 0);
	PARAMS(q, 'l', NULL, 1, 'l', NULL, 0);
	ok(!SAME(p, 2, q, 2), "the same number as another type: another key");
	free(k1);
	free(k2);
	PARAMS(p, 's', "ab", 0, 's', "c", 0);
	PARAMS(q, 's', "a", 0, 's', "bc", 0);
	ok(!SAME(p, 2, q, 2), "strings are length-prefixed: (ab, c) is not (a, bc)");
	free(k1);
	free(k2);
	PARAMS(p, 's', NULL, 0, 's', "", 0);
	p[0].null = true;
	PARAMS(q, 's', "", 0, 's', "", 0);
	ok(!SAME(p, 2, q, 2), "NULL is not the empty string");
	free(k1);
	free(k2);
	PARAMS(p, 's', "x", 0, 'l', NULL, 0);
	ok(!SAME(p, 1, p, 2), "one parameter fewer: another key");
	free(k1);
	free(k2);

	/* The statement is part of the hash, not of the bytes: rc_find
	 * compares the statement too. */
	PARAMS(p, 'l', NULL, 7, 'l', NULL, 8);
	k1 = rc_key(&st1, p, 2, &l1, &h1);
	k2 = rc_key(&st2, p, 2, &l2, &h2);
	ok(l1 == l2 && memcmp(k1, k2, l1) == 0 && h1 != h2,
	    "another statement: the same bytes, another hash");
	free(k1);
	free(k2);

	k1 = rc_key(&st1, p, 0, &l1, &h1);
	ok(k1 != NULL && l1 == 0, "no parameters: an empty key, still allocated");
	free(k1);

	/* A statement reading today's date keys by the day as well. */
	st2.by_date = true;
	k1 = rc_key(&st1, p, 2, &l1, &h1);
	k2 = rc_key(&st2, p, 2, &l2, &h2);
	ok(l2 == l1 + sizeof(int64_t) && memcmp(k1, k2, l1) == 0,
	    "by date: the day appended to the parameters");
	{
		int64_t day;

		memcpy(&day, k2 + l1, sizeof(day));
		ok(day == cfg_local_day((long)time(NULL)) || day + 1 == cfg_local_day((long)time(NULL)),
		    "the day appended is today's (%lld)", (long long)day);
	}
	free(k1);
	free(k2);
#undef SAME
#undef PARAMS
}

/* One row into the binding of a hand-made statement with columns
 * i, l, d, s (a NULL string when s is NULL). */
static void
row(struct db_stmt *st, int32_t i, int64_t l, double d, const char *s)
{
	st->nums[0].i = i;
	st->nums[1].l = l;
	st->nums[2].d = d;
	st->nulls[3] = s == NULL;
	if (s) {
		size_t n = strlen(s);

		if (st->bufcap[3] < n + 1) {
			free(st->bufs[3]);
			if ((st->bufs[3] = malloc(n + 1)) == NULL)
				die("out of memory");
			st->bufcap[3] = n + 1;
		}
		memcpy(st->bufs[3], s, n + 1);
		st->lens[3] = n;
	}
}

static void
test_replay(void)
{
	struct db_stmt st = { 0 }, w = { 0 };
	struct db_param p[1];
	struct rc_entry *cap;
	static const char long_text[] = "充电站 · a longer value than the buffer the replay starts with,"
	    " so that its buffer has to grow to the longest string of the column";

	st.sql = (char *)"SELECT i, l, d, s FROM cities WHERE id = ?";
	st.nparams = 1;
	st.ptypes[0] = 'l';
	st.ncols = 4;
	memcpy(st.ctypes, "ilds", 4);
	st.cacheable = true;
	memset(p, 0, sizeof(p));
	p[0].type = 'l';
	p[0].i = 7;

	db_set_generation(-1);
	ok(db_rc_begin(&st, p, 1, &cap) == 0 && cap == NULL, "generation unknown: no capture");
	ok(!db_request_pure(), "... and the request is not pure");

	db_set_generation(41);
	ok(db_request_pure(), "a new generation: pure so far");
	ok(db_rc_begin(&st, p, 1, &cap) == 0 && cap != NULL, "first execution: fetched, captured");
	st.capture = cap;
	row(&st, -3, INT64_C(1) << 40, 2.5, "甲");
	db_rc_capture_row(&st);
	row(&st, 0, -1, 0, NULL);
	db_rc_capture_row(&st);
	row(&st, INT32_MAX, 0, -0.125, long_text);
	db_rc_capture_row(&st);
	db_rc_store(&st);
	ok(st.capture == NULL && rc_n == 1, "the whole result kept");

	ok(db_rc_begin(&st, p, 1, &cap) == 1 && st.replay != NULL, "the same execution again: replayed");
	ok(db_rc_next(&st) && st.nums[0].i == -3 && st.nums[1].l == INT64_C(1) << 40 &&
	    st.nums[2].d == 2.5 && !st.nulls[3] && strcmp(st.bufs[3], "甲") == 0 && st.lens[3] == 3,
	    "row 1 exactly as fetched");
	ok(db_rc_next(&st) && st.nums[0].i == 0 && st.nums[1].l == -1 && st.nulls[3],
	    "row 2: a NULL string stays NULL");
	ok(db_rc_next(&st) && st.nums[0].i == INT32_MAX && st.lens[3] == strlen(long_text) &&
	    strcmp(st.bufs[3], long_text) == 0, "row 3: the longest string, whole");
	ok(!db_rc_next(&st), "then the end of the result");
	st.replay = NULL;

	p[0].i = 8;
	ok(db_rc_begin(&st, p, 1, &cap) == 0 && cap != NULL, "another parameter: fetched");
	db_rc_free(cap);
	p[0].i = 7;

	/* A write in the request: nothing more is read from the cache. */
	w.ncols = 0;
	ok(db_rc_begin(&w, NULL, 0, &cap) == 0 && cap == NULL, "a write is never cached");
	ok(!db_request_pure() && db_generation() == -1, "after a write the generation is unknown");
	ok(db_rc_begin(&st, p, 1, &cap) == 0 && cap == NULL, "so the next read is neither replayed nor captured");

	/* Another request under the same generation replays again; a new
	 * generation drops every entry. */
	db_set_generation(41);
	ok(db_rc_begin(&st, p, 1, &cap) == 1, "same generation, next request: replayed");
	st.replay = NULL;
	db_set_generation(42);
	ok(rc_n == 0 && db_rc_begin(&st, p, 1, &cap) == 0 && cap != NULL,
	    "a new generation: the entries are gone, fetched again");
	db_rc_free(cap);

	/* Inside a transaction nothing is cached. */
	db_link.tx_depth = 1;
	ok(db_rc_begin(&st, p, 1, &cap) == 0 && cap == NULL && db_generation() == -1,
	    "in a transaction: neither replayed nor captured");
	db_link.tx_depth = 0;

	/* A statement that may not be cached never is. */
	st.cacheable = false;
	ok(db_rc_begin(&st, p, 1, &cap) == 0 && cap == NULL && !db_request_pure(),
	    "an uncacheable read: fetched, and the request is not pure");
	free(st.bufs[3]);
	db_rc_drop_all();
}

int
main(void)
{
	test_cacheable();
	test_key();
	test_replay();
	return done();
}
