/*
 * db_stmt.c — the prepared-statement cache of the connection.
 *
 * Statements are prepared once per connection and kept in a hash table of
 * CACHE_SLOTS slots (open addressing, linear probing) keyed by their SQL
 * text and type letters (the same text may be bound with other letters
 * elsewhere).  After prepare the server's counts of '?' marks and result
 * fields are checked against the letters; a mismatch is fatal and logs the
 * SQL.  A list page composes its statement from the filters and sort in
 * use, so the set a process meets is unbounded: the table holds at most
 * cache_max statements (DB.statement_cache, 512; the test stack runs with
 * 64 so eviction runs under every test), and when it is full the statement
 * used longest ago that has no open cursor is closed to make room.  The
 * whole table goes with the connection (db_disconnect) and fills again on
 * the new one.
 */
#include "core/db_int.h"

#include <errmsg.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "core/arena.h"
#include "core/log.h"

#define CACHE_SLOTS 1024
#define CACHE_MAX_DEFAULT 512
/* At least this free share of the table keeps probe runs short and
 * guarantees a free slot even when every cached statement is open. */
#define CACHE_MAX_LIMIT (CACHE_SLOTS * 3 / 4)
#define CACHE_MIN 8

static struct db_stmt *cache[CACHE_SLOTS];
static int cache_n, cache_max = CACHE_MAX_DEFAULT;
static uint64_t cache_clock;
static unsigned long cache_evictions;

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The cache key's hash: SQL text and both letter strings. */
static uint64_t
stmt_hash(const struct query *q)
{
	return hash_str(q->sql) ^ (hash_str(q->params) * 31) ^ (hash_str(q->cols) * 131);
}

static void
stmt_free(struct db_stmt *st)
{
	if (st->stmt)
		mysql_stmt_close(st->stmt);
	for (int c = 0; c < MAX_COLS; c++)
		free(st->bufs[c]);
	free(st->sql);
	free(st->letters);
	free(st);
}

void
db_stmt_drop_all(void)
{
	db_rc_drop_all();	/* its entries point at these statements */
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i] != NULL)
			stmt_free(cache[i]);
		cache[i] = NULL;
	}
	cache_n = 0;
}

/* Close the least recently used statement that has no open cursor and
 * take it out of the table (backward-shift deletion keeps every probe
 * sequence unbroken).  Returns false when every statement is open. */
static bool
cache_evict(void)
{
	int victim = -1;
	unsigned hole, next;

	for (int i = 0; i < CACHE_SLOTS; i++)
		if (cache[i] && !cache[i]->busy && !cache[i]->replay && !cache[i]->capture &&
		    (victim < 0 || cache[i]->used < cache[victim]->used))
			victim = i;
	if (victim < 0)
		return false;
	db_rc_drop_stmt(cache[victim]);
	stmt_free(cache[victim]);
	cache[victim] = NULL;
	cache_n--;
	cache_evictions++;
	hole = (unsigned)victim;
	for (next = (hole + 1) % CACHE_SLOTS; cache[next] != NULL; next = (next + 1) % CACHE_SLOTS) {
		unsigned home = (unsigned)(cache[next]->hash % CACHE_SLOTS);

		/* Move the entry into the hole unless its home lies cyclically
		 * in (hole, next]: then it is still reachable where it is. */
		if (hole <= next ? (home > hole && home <= next) : (home > hole || home <= next))
			continue;
		cache[hole] = cache[next];
		cache[next] = NULL;
		hole = next;
	}
	return true;
}

unsigned long
db_statement_evictions(void)
{
	return cache_evictions;
}

/* DB.statement_cache as the bound the table can honour. */
static int
cache_size(int configured)
{
	if (configured < CACHE_MIN)
		return CACHE_MIN;
	if (configured > CACHE_MAX_LIMIT)
		return CACHE_MAX_LIMIT;
	return configured;
}

void
db_stmt_configure(HDF *config)
{
	cache_max = cache_size(hdf_get_int_value(config, "DB.statement_cache", CACHE_MAX_DEFAULT));
}

const struct db_stmt *
db_stmt_busy(void)
{
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (cache[i] && cache[i]->busy)
			return cache[i];
	return NULL;
}

int
db_stmt_count(void)
{
	return cache_n;
}

/* Parse "?sil" into types and nullability; returns count. */
static int
parse_letters(const char *letters, char *types, bool *nullable, int max,
    const char *sql)
{
	int n = 0;

	for (const char *p = letters; *p; p++) {
		bool nul = false;

		if (*p == '?') {
			nul = true;
			p++;
		}
		if (n == max || strchr("ilds", *p) == NULL || *p == '\0')
			die("bad type letters \"%s\" for: %s", letters, sql);
		types[n] = *p;
		if (nullable)
			nullable[n] = nul;
		n++;
	}
	return n;
}

/* The cached statement for q (hash h), marked as used now; or NULL. */
static struct db_stmt *
cache_find(const struct query *q, uint64_t h)
{
	unsigned slot = (unsigned)(h % CACHE_SLOTS);
	size_t lp = strlen(q->params);

	for (int probe = 0; probe < CACHE_SLOTS; probe++) {
		struct db_stmt *st = cache[slot];

		if (st == NULL)
			break;
		if (st->hash == h && strcmp(st->sql, q->sql) == 0 &&
		    strncmp(st->letters, q->params, lp) == 0 && st->letters[lp] == '|' &&
		    strcmp(st->letters + lp + 1, q->cols) == 0) {
			st->used = ++cache_clock;
			return st;
		}
		slot = (slot + 1) % CACHE_SLOTS;
	}
	return NULL;
}

/* Put st into the table (its first free slot from home), marked as used
 * now.  Full: the least recently used idle statement is closed first.
 * Only statements with an open cursor can stop an eviction, and a handler
 * nests a few of those, not the CACHE_SLOTS - cache_max (>= 256) it would
 * take to fill the table: a free slot is always there. */
static void
cache_add(struct db_stmt *st)
{
	unsigned slot;

	if (cache_n >= cache_max)
		cache_evict();
	for (slot = (unsigned)(st->hash % CACHE_SLOTS); cache[slot] != NULL;)
		slot = (slot + 1) % CACHE_SLOTS;
	st->used = ++cache_clock;
	cache[slot] = st;
	cache_n++;
}

/* A statement for q with its letters parsed, not yet prepared. */
static struct db_stmt *
stmt_new(const struct query *q, uint64_t h)
{
	size_t lp = strlen(q->params), lc = strlen(q->cols);
	struct db_stmt *st = calloc(1, sizeof(*st));

	if (st == NULL || (st->sql = strdup(q->sql)) == NULL ||
	    (st->letters = malloc(lp + lc + 2)) == NULL)
		die("out of memory");
	memcpy(st->letters, q->params, lp);
	st->letters[lp] = '|';
	memcpy(st->letters + lp + 1, q->cols, lc + 1);
	st->hash = h;
	st->nparams = parse_letters(q->params, st->ptypes, st->pnull, MAX_PARAMS, q->sql);
	st->ncols = parse_letters(q->cols, st->ctypes, NULL, MAX_COLS, q->sql);
	return st;
}

struct db_stmt *
db_stmt_get(const struct query *q)
{
	uint64_t h = stmt_hash(q);
	struct db_stmt *st;

	db_ensure_connected();
	if ((st = cache_find(q, h)) != NULL)
		return st;
	st = stmt_new(q, h);
	st->stmt = mysql_stmt_init(db_link.conn);
	if (st->stmt == NULL)
		die("mysql_stmt_init: out of memory");
	if (mysql_stmt_prepare(st->stmt, q->sql, strlen(q->sql)) != 0) {
		unsigned err = mysql_stmt_errno(st->stmt);

		if (err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST) {
			stmt_free(st);
			return NULL;
		}
		die("prepare failed (%s): %s", mysql_stmt_error(st->stmt), q->sql);
	}
	if ((int)mysql_stmt_param_count(st->stmt) != st->nparams)
		die("statement has %lu parameters, letters say %d: %s",
		    mysql_stmt_param_count(st->stmt), st->nparams, q->sql);
	if ((int)mysql_stmt_field_count(st->stmt) != st->ncols)
		die("statement has %u columns, letters say %d: %s",
		    mysql_stmt_field_count(st->stmt), st->ncols, q->sql);
	if (st->ncols > 0) {
		my_bool on = 1;

		mysql_stmt_attr_set(st->stmt, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
		st->cacheable = db_rc_cacheable(q->sql, &st->by_date);
	}
	cache_add(st);
	return st;
}
