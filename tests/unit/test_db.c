/*
 * Unit tests of the statement-cache rules of cgi/core/db.c, without a
 * database: which statement cache_evict() closes and how the probe
 * sequences of the table survive it, which statement texts the result
 * cache may keep (rc_cacheable) and the key of one execution (rc_key).
 *
 * These are static functions over static state, so this file includes
 * db.c itself (its own copy of the code, linked instead of libcore's
 * db.o): db.c stays exactly as it is.  Statements here are made by hand
 * with no MYSQL_STMT behind them, which stmt_free() allows.
 */
#include "core/db.c"

#include "tap.h"

/* A statement whose home slot is home, last used at clock used, put
 * where stmt_get() would put it (the first free slot from its home). */
static struct db_stmt *
put(unsigned home, uint64_t used)
{
	struct db_stmt *st = calloc(1, sizeof(*st));
	unsigned slot = home % CACHE_SLOTS;

	if (st == NULL)
		die("out of memory");
	st->hash = home;
	st->used = used;
	while (cache[slot] != NULL)
		slot = (slot + 1) % CACHE_SLOTS;
	cache[slot] = st;
	cache_n++;
	return st;
}

/* Where a lookup from st's home finds it: its slot, or -1 when the probe
 * meets an empty slot first (the entry is lost to stmt_get). */
static int
found_at(const struct db_stmt *st)
{
	unsigned slot = (unsigned)(st->hash % CACHE_SLOTS);

	for (int probe = 0; probe < CACHE_SLOTS && cache[slot] != NULL; probe++) {
		if (cache[slot] == st)
			return (int)slot;
		slot = (slot + 1) % CACHE_SLOTS;
	}
	return -1;
}

static bool
in_cache(const struct db_stmt *st)
{
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (cache[i] == st)
			return true;
	return false;
}

static void
clear(void)
{
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (cache[i] != NULL) {
			stmt_free(cache[i]);
			cache[i] = NULL;
		}
	cache_n = 0;
	rc_n = 0;
	rc_bytes = 0;
}

/* A result-cache entry of st holding len bytes of rows. */
static struct rc_entry *
rc_add(struct db_stmt *st, size_t len)
{
	struct rc_entry *e = calloc(1, sizeof(*e));

	if (e == NULL)
		die("out of memory");
	e->st = st;
	e->len = len;
	rc_tab[rc_n++] = e;
	rc_bytes += e->len + e->keylen + sizeof(*e);
	return e;
}

static void
test_evict(void)
{
	struct db_stmt *a, *b, *c, *d, *e;
	unsigned long before;

	ok(!cache_evict() && cache_n == 0, "an empty table has nothing to evict");

	/* The least recently used goes, whatever its slot. */
	a = put(100, 5);
	b = put(200, 2);
	c = put(300, 9);
	before = db_statement_evictions();
	ok(cache_evict(), "evicts from a table with idle statements");
	ok(!in_cache(b) && in_cache(a) && in_cache(c) && cache_n == 2,
	    "the least recently used statement is the one closed");
	ok(db_statement_evictions() == before + 1, "the eviction is counted");
	clear();

	/* A statement with an open cursor, or one replaying or capturing a
	 * cached result, is never closed under it. */
	a = put(10, 1);
	a->busy = true;
	b = put(11, 2);
	b->replay = (struct rc_entry *)&b;	/* any non-NULL: only tested for NULL */
	c = put(12, 3);
	c->capture = (struct rc_entry *)&c;
	d = put(13, 4);
	ok(cache_evict() && !in_cache(d) && in_cache(a) && in_cache(b) && in_cache(c),
	    "open, replaying and capturing statements are skipped");
	ok(!cache_evict() && cache_n == 3, "every statement open: nothing evicted, false");
	b->replay = NULL;
	c->capture = NULL;
	clear();

	/* Backward-shift deletion: a run of colliding statements closes up so
	 * that every one is still found from its home. */
	a = put(50, 1);		/* slot 50 */
	b = put(50, 7);		/* slot 51 */
	c = put(51, 8);		/* slot 52 */
	d = put(52, 9);		/* slot 53 */
	e = put(53, 6);		/* slot 54 */
	ok(found_at(b) == 51 && found_at(c) == 52 && found_at(d) == 53 && found_at(e) == 54,
	    "a cluster from slot 50 (set up)");
	ok(cache_evict() && !in_cache(a), "the head of the cluster evicted");
	ok(found_at(b) == 50 && found_at(c) == 51 && found_at(d) == 52 && found_at(e) == 53,
	    "the cluster shifts back one slot, every entry found from its home");
	ok(cache[54] == NULL, "the cluster's last slot is free again");
	clear();

	/* An entry already at its home stays there: moving it into the hole
	 * would put it before its home, where no probe looks. */
	a = put(70, 1);		/* slot 70 */
	b = put(70, 5);		/* slot 71 */
	c = put(72, 6);		/* slot 72, at home */
	ok(cache_evict() && found_at(b) == 70 && found_at(c) == 72 && cache[71] == NULL,
	    "an entry at its home is not moved into the hole");
	clear();

	/* The same across the end of the table. */
	a = put(CACHE_SLOTS - 1, 1);	/* slot 1023 */
	b = put(CACHE_SLOTS - 1, 5);	/* slot 0 */
	c = put(CACHE_SLOTS - 1, 6);	/* slot 1 */
	d = put(1, 7);			/* slot 2 */
	ok(cache_evict() && !in_cache(a), "the entry in the last slot evicted");
	ok(found_at(b) == CACHE_SLOTS - 1 && found_at(c) == 0 && found_at(d) == 1 && cache[2] == NULL,
	    "the cluster shifts back across the end of the table");
	clear();

	/* The evicted statement's cached results go with it; others stay. */
	a = put(5, 1);
	b = put(6, 2);
	rc_add(a, 100);
	rc_add(b, 40);
	rc_add(a, 60);
	ok(cache_evict() && !in_cache(a), "statement with cached results evicted");
	ok(rc_n == 1 && rc_tab[0]->st == b && rc_bytes == 40 + sizeof(struct rc_entry),
	    "its result-cache entries are dropped and their bytes given back, the other's kept");
	rc_free(rc_tab[0]);
	clear();
}

static bool
cacheable(const char *sql, bool *by_date)
{
	bool d = true;
	bool ok_ = rc_cacheable(sql, &d);

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

int
main(void)
{
	test_evict();
	test_cacheable();
	test_key();
	return done();
}
