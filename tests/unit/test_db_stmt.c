/*
 * Unit tests of cgi/core/db_stmt.c, the prepared-statement cache, without
 * a database: which statement cache_evict() closes (the least recently
 * used one without an open cursor) and how the probe sequences of the
 * table survive it; that adding to a full table evicts while a lookup
 * keeps a statement fresh; the table's size from DB.statement_cache.
 *
 * These are static functions over static state, so this file includes
 * db_stmt.c itself (its own copy of the code, linked instead of libcore's
 * db_stmt.o), and db_rc.c for the result-cache entries an eviction drops.
 * Statements here are made by hand with no MYSQL_STMT behind them, which
 * stmt_free() allows.
 */
#include "core/db_stmt.c"
#include "core/db_rc.c"

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
	db_rc_free(rc_tab[0]);
	clear();
}

/* The slot holding the statement of this text (it must be cached). */
static int
found_at_text(const char *sql)
{
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (cache[i] && strcmp(cache[i]->sql, sql) == 0)
			return i;
	die("not cached: %s", sql);
}

/* A statement for the text sql (no letters), made as db_stmt_get()
 * makes one, without preparing it. */
static struct db_stmt *
made(const char *sql)
{
	struct query q = { sql, "", "" };

	return stmt_new(&q, stmt_hash(&q));
}

static bool
cached(const char *sql)
{
	struct query q = { sql, "", "" };

	return cache_find(&q, stmt_hash(&q)) != NULL;
}

static void
test_lru(void)
{
	static const char *const texts[] = {
		"SELECT 0", "SELECT 1", "SELECT 2", "SELECT 3", "SELECT 4", "SELECT 5",
		"SELECT 6", "SELECT 7", "SELECT 8", "SELECT 9",
	};
	HDF *cfg;
	unsigned long before;
	struct query q = { "SELECT 1", "l", "s" }, q2 = { "SELECT 1", "i", "s" };
	struct db_stmt *st;

	hdf_init(&cfg);
	hdf_set_value(cfg, "DB.statement_cache", "8");
	db_stmt_configure(cfg);
	for (int i = 0; i < 8; i++)
		cache_add(made(texts[i]));
	ok(cache_n == 8, "eight statements fill a cache of eight");
	/* Used since: 0 and 2 are now more recent than 1, 3, 4 … */
	ok(cached("SELECT 0") && cached("SELECT 2"), "a lookup finds a cached statement");
	ok(!cached("SELECT 99"), "a lookup of another text finds nothing");
	before = db_statement_evictions();
	cache_add(made(texts[8]));
	ok(cache_n == 8 && db_statement_evictions() == before + 1,
	    "a ninth statement: still eight, one evicted");
	ok(!cached("SELECT 1"), "the least recently used one went (1)");
	ok(cached("SELECT 0") && cached("SELECT 2") && cached("SELECT 8"),
	    "the ones looked up since, and the new one, stayed");
	cache_add(made(texts[9]));
	ok(!cached("SELECT 3") && cached("SELECT 9") && cache_n == 8,
	    "the next addition evicts the next least recently used (3)");
	/* An open cursor keeps its statement: the next oldest goes instead. */
	st = cache[found_at_text("SELECT 4")];
	st->busy = true;
	cache_add(made("SELECT 10"));
	ok(cached("SELECT 4") && !cached("SELECT 5"), "an open statement is passed over for the next");
	st->busy = false;
	clear();

	/* The key is the text and both letter strings. */
	cache_add(stmt_new(&q, stmt_hash(&q)));
	ok(cache_find(&q, stmt_hash(&q)) != NULL, "found with its own letters");
	ok(cache_find(&q2, stmt_hash(&q2)) == NULL, "the same text with other parameter letters is another statement");
	clear();
	hdf_destroy(&cfg);
}

static void
test_size(void)
{
	static const struct { const char *value; int want; } cases[] = {
		{ NULL, 512 }, { "64", 64 }, { "512", 512 }, { "8", 8 }, { "3", 8 }, { "0", 8 },
		{ "-5", 8 }, { "768", 768 }, { "769", 768 }, { "100000", 768 }, { "abc", 512 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		HDF *cfg;

		hdf_init(&cfg);
		if (cases[i].value)
			hdf_set_value(cfg, "DB.statement_cache", cases[i].value);
		cache_max = -1;
		db_stmt_configure(cfg);
		ok(cache_max == cases[i].want, "DB.statement_cache = %s: %d statements (got %d)",
		    cases[i].value ? cases[i].value : "(unset)", cases[i].want, cache_max);
		hdf_destroy(&cfg);
	}
	cache_max = CACHE_MAX_DEFAULT;
}

int
main(void)
{
	test_evict();
	test_lru();
	test_size();
	return done();
}
