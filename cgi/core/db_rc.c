/*
 * db_rc.c — the result cache.
 *
 * Reference data (products, companies, cities, dictionaries, warehouses,
 * stations, piles) is read far more often than it changes, so each process
 * keeps the rows of recent SELECTs over those tables and replays them while
 * the data generation is unchanged.  The generation is the sum of the
 * data_gen counters that triggers on those tables raise in the writing
 * transaction (migration 0008); the session query reads it, so it costs no
 * extra round trip.  A committed change raises the sum before any later
 * read can see the new rows, so rows cached under a generation are never
 * older than that generation.  Nothing is cached or replayed inside a
 * transaction, after a write in the same request, or while the generation
 * is unknown (-1: no session, or a request that wrote).
 *
 * A statement is cacheable when its text is a plain SELECT that reads only
 * those tables and calls no clock, random or session function; the one
 * clock expression allowed is today's date in China, which then joins the
 * key.  Entries hold the exact column values, so a replayed cursor is
 * indistinguishable from a fetched one.
 *
 * db_cur.c asks db_rc_begin() before running a statement (a hit is
 * replayed by db_rc_next() instead of fetched), feeds the capture row by
 * row while it fetches and keeps it at the end (db_rc_store); the
 * statement cache drops a statement's entries when it closes it.
 */
#include "core/db_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/arena.h"
#include "core/log.h"

#define RC_MAX 256			/* entries */
#define RC_BUDGET (2u << 20)		/* bytes of rows per process */
#define RC_ENTRY_MAX (256u << 10)	/* a bigger result streams, uncached */

struct rc_entry {
	struct db_stmt *st;
	uint64_t hash;
	char *key;			/* serialized parameters (+ date) */
	size_t keylen;
	int nrows;
	size_t maxlen[MAX_COLS];	/* longest string per column */
	char *data;			/* rows: per column a null byte, then the value */
	size_t len, cap;
};

static const char *const rc_tables[] = {
	"products", "companies", "dict_items", "cities", "warehouses", "stations", "piles", NULL
};
static struct rc_entry *rc_tab[RC_MAX];
static int rc_n;
static size_t rc_bytes;
static int64_t rc_gen = -1;	/* generation of the entries */
static int64_t req_gen = -1;	/* generation of this request, -1 unknown */
static bool req_pure;		/* every read since then was a cacheable one */

void
db_rc_free(struct rc_entry *e)
{
	if (e == NULL)
		return;
	free(e->key);
	free(e->data);
	free(e);
}

void
db_rc_drop_all(void)
{
	for (int i = 0; i < rc_n; i++)
		db_rc_free(rc_tab[i]);
	rc_n = 0;
	rc_bytes = 0;
}

void
db_rc_drop_stmt(const struct db_stmt *st)
{
	int k = 0;

	for (int i = 0; i < rc_n; i++) {
		if (rc_tab[i]->st == st) {
			rc_bytes -= rc_tab[i]->len + rc_tab[i]->keylen + sizeof(*rc_tab[i]);
			db_rc_free(rc_tab[i]);
		} else
			rc_tab[k++] = rc_tab[i];
	}
	rc_n = k;
}

void
db_set_generation(int64_t gen)
{
	req_gen = gen;
	req_pure = gen >= 0;
	if (gen >= 0 && gen != rc_gen) {
		db_rc_drop_all();
		rc_gen = gen;
	}
}

int64_t
db_generation(void)
{
	return db_link.tx_depth > 0 ? -1 : req_gen;
}

bool
db_request_pure(void)
{
	return req_pure && req_gen >= 0 && req_gen == rc_gen && db_link.tx_depth == 0;
}

static bool
word_at(const char *s, size_t i, const char *w)
{
	size_t n = strlen(w);

	if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))
		return false;
	if (strncmp(s + i, w, n) != 0)
		return false;
	return !(isalnum((unsigned char)s[i + n]) || s[i + n] == '_');
}

bool
db_rc_cacheable(const char *sql, bool *by_date)
{
	static const char *const banned[] = {
		"for update", "lock in share", "now(", "utc_timestamp", "utc_date", "utc_time",
		"curdate", "curtime", "current_date", "current_time", "current_user",
		"current_role", "localtime", "sysdate", "rand(", "uuid", "last_insert_id", "connection_id", "@", "nextval",
		"lastval", "found_rows", "sleep(", "database(", "user(", "unix_timestamp",
		"benchmark(", "get_lock", "release_lock", "is_free_lock", "is_used_lock",
		" into ", "row_count(", "schema(", NULL
	};
	/* SQL_TODAY and the zone variable (db.h), lower-cased as the text is:
	 * the date joins the key; the zone is fixed for the process (Site.tz). */
	static char today[sizeof(SQL_TODAY)], zone[sizeof(SQL_TZ_VAR)];
	size_t n = strlen(sql);
	char *l = malloc(n + 1);
	char *at;
	bool ok = true;

	if (l == NULL)
		die("out of memory");
	if (today[0] == '\0') {
		for (size_t i = 0; i < sizeof(today); i++)
			today[i] = (char)tolower((unsigned char)SQL_TODAY[i]);
		for (size_t i = 0; i < sizeof(zone); i++)
			zone[i] = (char)tolower((unsigned char)SQL_TZ_VAR[i]);
	}
	for (size_t i = 0; i <= n; i++)
		l[i] = (char)tolower((unsigned char)sql[i]);
	*by_date = false;
	while ((at = strstr(l, today)) != NULL) {
		memset(at, ' ', sizeof(today) - 1);
		*by_date = true;
	}
	while ((at = strstr(l, zone)) != NULL)
		memset(at, ' ', sizeof(zone) - 1);
	at = l + strspn(l, " \t\n(");
	if (strncmp(at, "select", 6) != 0)
		ok = false;
	for (int b = 0; ok && banned[b]; b++)
		if (strstr(l, banned[b]))
			ok = false;
	for (size_t i = 0; ok && i < n; i++) {
		size_t j, k;
		bool known = false;

		if (!word_at(l, i, "from") && !word_at(l, i, "join"))
			continue;
		j = i + 4;
		j += strspn(l + j, " \t\n");
		if (l[j] == '(')
			continue;	/* a derived table: its own FROM follows */
		k = j + strcspn(l + j, " \t\n,()");
		for (int t = 0; rc_tables[t]; t++)
			known |= strlen(rc_tables[t]) == k - j &&
			    strncmp(l + j, rc_tables[t], k - j) == 0;
		if (!known) {
			ok = false;
			break;
		}
		/* "FROM a x, b": a comma join names a table this scan would miss. */
		k += strspn(l + k, " \t\n");
		if (l[k] != ',' && strncmp(l + k, "as ", 3) == 0)
			k += 3 + strspn(l + k + 3, " \t\n");
		if (l[k] != ',' && isalpha((unsigned char)l[k]) && !word_at(l, k, "where") &&
		    !word_at(l, k, "on") && !word_at(l, k, "join") && !word_at(l, k, "left") &&
		    !word_at(l, k, "inner") && !word_at(l, k, "order") && !word_at(l, k, "group")) {
			k += strcspn(l + k, " \t\n,()");
			k += strspn(l + k, " \t\n");
		}
		if (l[k] == ',')
			ok = false;
	}
	free(l);
	return ok;
}

static void
rc_put(struct rc_entry *e, const void *p, size_t n)
{
	if (e->len + n > e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 1024;
		char *d;

		while (cap < e->len + n)
			cap *= 2;
		if ((d = realloc(e->data, cap)) == NULL)
			die("out of memory");
		e->data = d;
		e->cap = cap;
	}
	memcpy(e->data + e->len, p, n);
	e->len += n;
}

/* The key of one execution: the parameters as bytes, and the date when
 * the statement reads it. */
static char *
rc_key(struct db_stmt *st, const struct db_param *p, int n, size_t *len, uint64_t *hash)
{
	struct rc_entry k = { 0 };
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)st;

	for (int i = 0; i < n; i++) {
		uint32_t sl;

		rc_put(&k, &p[i].type, 1);
		rc_put(&k, &p[i].null, 1);
		switch (p[i].type) {
		case 'd':
			rc_put(&k, &p[i].d, sizeof(p[i].d));
			break;
		case 's':
			sl = p[i].s ? (uint32_t)strlen(p[i].s) : 0;
			rc_put(&k, &sl, sizeof(sl));
			if (sl)
				rc_put(&k, p[i].s, sl);
			break;
		default:
			rc_put(&k, &p[i].i, sizeof(p[i].i));
		}
	}
	if (st->by_date) {
		int64_t day = cfg_local_day((long)time(NULL));

		rc_put(&k, &day, sizeof(day));
	}
	for (size_t i = 0; i < k.len; i++) {
		h ^= (unsigned char)k.data[i];
		h *= 1099511628211ULL;
	}
	*len = k.len;
	*hash = h;
	if (k.data == NULL)
		rc_put(&k, "", 1);
	return k.data;
}

static struct rc_entry *
rc_find(struct db_stmt *st, const char *key, size_t len, uint64_t hash)
{
	for (int i = 0; i < rc_n; i++)
		if (rc_tab[i]->hash == hash && rc_tab[i]->st == st && rc_tab[i]->keylen == len &&
		    memcmp(rc_tab[i]->key, key, len) == 0)
			return rc_tab[i];
	return NULL;
}

void
db_rc_capture_row(struct db_stmt *st)
{
	struct rc_entry *e = st->capture;

	for (int c = 0; c < st->ncols; c++) {
		char nul = st->nulls[c] ? 1 : 0;

		rc_put(e, &nul, 1);
		if (nul)
			continue;
		switch (st->ctypes[c]) {
		case 'i':
			rc_put(e, &st->nums[c].i, sizeof(int32_t));
			break;
		case 'l':
			rc_put(e, &st->nums[c].l, sizeof(int64_t));
			break;
		case 'd':
			rc_put(e, &st->nums[c].d, sizeof(double));
			break;
		case 's': {
			uint32_t sl = (uint32_t)st->lens[c];

			rc_put(e, &sl, sizeof(sl));
			rc_put(e, st->bufs[c], sl);
			if (sl > e->maxlen[c])
				e->maxlen[c] = sl;
			break;
		}
		}
	}
	e->nrows++;
	if (e->len > RC_ENTRY_MAX) {
		db_rc_free(e);
		st->capture = NULL;
	}
}

void
db_rc_store(struct db_stmt *st)
{
	struct rc_entry *e = st->capture;

	st->capture = NULL;
	if (req_gen < 0 || req_gen != rc_gen || db_link.tx_depth > 0) {
		db_rc_free(e);
		return;
	}
	if (rc_n == RC_MAX || rc_bytes + e->len > RC_BUDGET)
		db_rc_drop_all();
	rc_tab[rc_n++] = e;
	rc_bytes += e->len + e->keylen + sizeof(*e);
}

/* Open a cursor over a cached entry. */
static void
rc_replay(struct db_stmt *st, struct rc_entry *e)
{
	for (int c = 0; c < st->ncols; c++) {
		size_t need = e->maxlen[c] + 1;

		if (st->ctypes[c] != 's')
			continue;
		if (need < 64)
			need = 64;
		if (st->bufcap[c] < need) {
			free(st->bufs[c]);
			if ((st->bufs[c] = malloc(need)) == NULL)
				die("out of memory");
			st->bufcap[c] = need;
		}
	}
	st->replay = e;
	st->replay_off = 0;
	st->replay_row = 0;
}

bool
db_rc_next(struct db_stmt *st)
{
	struct rc_entry *e = st->replay;
	const char *d;

	if (st->replay_row >= e->nrows)
		return false;
	d = e->data + st->replay_off;
	for (int c = 0; c < st->ncols; c++) {
		st->nulls[c] = *d++ != 0;
		if (st->nulls[c])
			continue;
		switch (st->ctypes[c]) {
		case 'i':
			memcpy(&st->nums[c].i, d, sizeof(int32_t));
			d += sizeof(int32_t);
			break;
		case 'l':
			memcpy(&st->nums[c].l, d, sizeof(int64_t));
			d += sizeof(int64_t);
			break;
		case 'd':
			memcpy(&st->nums[c].d, d, sizeof(double));
			d += sizeof(double);
			break;
		case 's': {
			uint32_t sl;

			memcpy(&sl, d, sizeof(sl));
			d += sizeof(sl);
			memcpy(st->bufs[c], d, sl);
			st->bufs[c][sl] = '\0';
			st->lens[c] = sl;
			d += sl;
			break;
		}
		}
	}
	st->replay_off = (size_t)(d - e->data);
	st->replay_row++;
	return true;
}

int
db_rc_begin(struct db_stmt *st, const struct db_param *p, int n, struct rc_entry **capture)
{
	bool use = st->cacheable && req_gen >= 0 && req_gen == rc_gen && db_link.tx_depth == 0;
	struct rc_entry *hit, *cap;
	size_t klen;
	uint64_t h;
	char *key;

	*capture = NULL;
	if (!use)
		req_pure = false;
	if (st->ncols == 0) {
		req_gen = -1;	/* a write: what this request reads next is not cached */
		return 0;
	}
	if (!use)
		return 0;
	if (st->busy)
		die("statement reused while its cursor is open: %s", st->sql);
	if (n != st->nparams)
		die("%d parameters given, %d expected: %s", n, st->nparams, st->sql);
	key = rc_key(st, p, n, &klen, &h);
	if ((hit = rc_find(st, key, klen, h)) != NULL) {
		free(key);
		rc_replay(st, hit);
		return 1;
	}
	if ((cap = calloc(1, sizeof(*cap))) == NULL)
		die("out of memory");
	cap->st = st;
	cap->key = key;
	cap->keylen = klen;
	cap->hash = h;
	*capture = cap;
	return 0;
}
