/*
 * db.c — MariaDB Connector/C prepared statements with typed binding.
 *
 * One connection per process (workers are single-threaded).  Statements are
 * cached in a small open-addressing table keyed by SQL text and dropped all
 * together when the connection is re-established.  Result sets are buffered
 * on the client (mysql_stmt_store_result) with max_length updated, so every
 * string column gets a buffer of exactly the longest value and can never be
 * truncated; MYSQL_DATA_TRUNCATED is still treated as fatal.
 *
 * This is the only file that may call mysql_query (for transaction control).
 */
#include "core/db.h"

#include <ctype.h>
#include <errno.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ClearSilver.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"

#define MAX_PARAMS 64
#define MAX_COLS 64
/* Prepared statements per connection: a hash table of CACHE_SLOTS slots
 * (open addressing, linear probing) holding at most cache_max statements.
 * A list page composes its statement from the filters and sort in use, so
 * the set a process meets is unbounded: when the table holds cache_max,
 * the statement used longest ago (and not open) is closed to make room.
 * DB.statement_cache sets cache_max (tests make it small). */
#define CACHE_SLOTS 1024
#define CACHE_MAX_DEFAULT 512

struct db_stmt {
	char *sql;
	char *letters;			/* params "|" cols: part of the cache key */
	uint64_t hash;
	MYSQL_STMT *stmt;
	char ptypes[MAX_PARAMS];	/* parsed parameter letters */
	bool pnull[MAX_PARAMS];		/* nullable? */
	int nparams;
	char ctypes[MAX_COLS];
	int ncols;
	bool busy;
	uint64_t used;			/* use clock: the least recent is evicted */
	bool cacheable;			/* see rc_cacheable() */
	bool by_date;			/* ... with today's date (China) in the key */
	/* Result cache: the entry replayed by the open cursor, or the rows
	 * captured while a cacheable result is fetched from the server. */
	struct rc_entry *replay;
	size_t replay_off;
	int replay_row;
	struct rc_entry *capture;
	/* Result binding of the open cursor. */
	MYSQL_BIND res[MAX_COLS];
	unsigned long lens[MAX_COLS];
	my_bool nulls[MAX_COLS];
	my_bool errs[MAX_COLS];
	char *bufs[MAX_COLS];
	size_t bufcap[MAX_COLS];
	union { int32_t i; int64_t l; double d; } nums[MAX_COLS];
};

struct rc_entry;
static void rc_drop_all(void);
static bool rc_cacheable(const char *sql, bool *by_date);
static void rc_drop_stmt(const struct db_stmt *st);
static void session_tz(void);

static MYSQL *conn;
static HDF *db_config;
static struct db_stmt *cache[CACHE_SLOTS];
static int cache_n, cache_max = CACHE_MAX_DEFAULT;
static uint64_t cache_clock;
static unsigned long cache_evictions;
static int tx_depth;
/* A transaction that met a deadlock or lock-wait timeout (DB_RETRY) or an
 * unexpected error (DB_ERROR) is doomed: InnoDB may already have rolled it
 * back, so nothing more runs in it (a later statement would otherwise run
 * outside any transaction), db_commit() refuses, and the dispatcher runs
 * the handler again (DB_RETRY) or answers 500.  Cleared by begin/rollback. */
static int tx_doomed;
static bool req_failed;		/* a read outside a transaction failed */
static char last_error[512];

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

static void
cache_drop_all(void)
{
	rc_drop_all();	/* its entries point at these statements */
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
	rc_drop_stmt(cache[victim]);
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

int
db_connect(HDF *config)
{
	const char *sock, *host, *user, *pass, *name;
	int port;
	unsigned int timeout = 10;
	my_bool reconnect = 0;

	db_config = config;
	cache_max = hdf_get_int_value(config, "DB.statement_cache", CACHE_MAX_DEFAULT);
	if (cache_max < 8)
		cache_max = 8;
	if (cache_max > CACHE_SLOTS * 3 / 4)
		cache_max = CACHE_SLOTS * 3 / 4;
	sock = hdf_get_value(config, "DB.socket", "");
	host = hdf_get_value(config, "DB.host", "");
	port = hdf_get_int_value(config, "DB.port", 3306);
	user = hdf_get_value(config, "DB.user", "chargeasset");
	pass = hdf_get_value(config, "DB.password", "");
	name = hdf_get_value(config, "DB.name", "chargeasset");

	if (conn != NULL)
		db_disconnect();
	conn = mysql_init(NULL);
	if (conn == NULL)
		die("mysql_init failed");
	mysql_optionsv(conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_optionsv(conn, MYSQL_OPT_RECONNECT, &reconnect);
	mysql_optionsv(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_optionsv(conn, MYSQL_INIT_COMMAND,
	    "SET time_zone='+00:00', sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'");
	if (mysql_real_connect(conn, *sock ? NULL : (*host ? host : "localhost"),
	    user, pass, name, (unsigned)port, *sock ? sock : NULL,
	    CLIENT_FOUND_ROWS) == NULL) {
		log_err("database connect failed: %s", mysql_error(conn));
		mysql_close(conn);
		conn = NULL;
		return -1;
	}
	tx_depth = 0;
	session_tz();
	return 0;
}

/* One statement on the fresh connection, outside the statement cache:
 * "SET @ca_tz = ?" with the zone (see SQL_TODAY in db.h).  A server without
 * time zone tables (mariadb-tzinfo-to-sql) knows no names: then the zone's
 * offset now, as "+08:00", which is exact for zones without daylight saving. */
static void
session_tz(void)
{
	static const char check[] = "SELECT CONVERT_TZ('2000-01-01 00:00:00', '+00:00', ?) IS NOT NULL";
	static const char set[] = "SET " SQL_TZ_VAR " = ?";
	const char *tz = cfg_tz();
	char offset[48];
	long off;
	int known = 0;
	MYSQL_STMT *st;
	MYSQL_BIND b, out;
	unsigned long len;
	int32_t v = 0;

	for (int step = 0; step < 2; step++) {
		if ((st = mysql_stmt_init(conn)) == NULL) {
			log_err("time zone setup: mysql_stmt_init failed");
			return;
		}
		memset(&b, 0, sizeof(b));
		len = strlen(tz);
		b.buffer_type = MYSQL_TYPE_STRING;
		b.buffer = (void *)tz;
		b.buffer_length = len;
		b.length = &len;
		if (mysql_stmt_prepare(st, step ? set : check, strlen(step ? set : check)) != 0 ||
		    mysql_stmt_bind_param(st, &b) != 0 || mysql_stmt_execute(st) != 0) {
			log_err("time zone setup: %s", mysql_stmt_error(st));
			mysql_stmt_close(st);
			return;
		}
		if (step == 0) {
			memset(&out, 0, sizeof(out));
			out.buffer_type = MYSQL_TYPE_LONG;
			out.buffer = &v;
			if (mysql_stmt_bind_result(st, &out) == 0 && mysql_stmt_fetch(st) == 0)
				known = v != 0;
			mysql_stmt_free_result(st);
		}
		mysql_stmt_close(st);
		if (step == 0 && !known) {
			off = cfg_utc_offset((long)time(NULL));
			snprintf(offset, sizeof(offset), "%c%02ld:%02ld", off < 0 ? '-' : '+',
			    labs(off) / 3600, labs(off) % 3600 / 60);
			log_warn("the database has no time zone tables: %s is taken as %s", tz, offset);
			tz = offset;
		}
	}
}

void
db_disconnect(void)
{
	cache_drop_all();
	if (conn)
		mysql_close(conn);
	conn = NULL;
}

static void
ensure_connected(void)
{
	for (int i = 0; conn == NULL; i++) {
		if (db_connect(db_config) == 0)
			return;
		if (i == 20)
			die("database unreachable");
		usleep(250000);
	}
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

static struct db_stmt *
stmt_get(const struct query *q)
{
	/* The key is the SQL text and its type letters: the same text may be
	 * bound with other letters elsewhere. */
	uint64_t h = hash_str(q->sql) ^ (hash_str(q->params) * 31) ^ (hash_str(q->cols) * 131);
	unsigned slot = (unsigned)(h % CACHE_SLOTS);
	size_t lp = strlen(q->params), lc = strlen(q->cols);
	struct db_stmt *st;

	ensure_connected();
	for (int probe = 0; probe < CACHE_SLOTS; probe++) {
		st = cache[slot];
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
	if (cache_n >= cache_max) {
		/* Full: make room, then find the free slot again (eviction may
		 * have moved entries).  Only statements with an open cursor can
		 * stop an eviction, and a handler nests a few of those, not the
		 * CACHE_SLOTS - cache_max (>= 256) it would take to fill the
		 * table: a free slot is always there. */
		cache_evict();
		for (slot = (unsigned)(h % CACHE_SLOTS); cache[slot] != NULL;)
			slot = (slot + 1) % CACHE_SLOTS;
	}

	st = calloc(1, sizeof(*st));
	if (st == NULL || (st->sql = strdup(q->sql)) == NULL ||
	    (st->letters = malloc(lp + lc + 2)) == NULL)
		die("out of memory");
	memcpy(st->letters, q->params, lp);
	st->letters[lp] = '|';
	memcpy(st->letters + lp + 1, q->cols, lc + 1);
	st->hash = h;
	st->nparams = parse_letters(q->params, st->ptypes, st->pnull, MAX_PARAMS, q->sql);
	st->ncols = parse_letters(q->cols, st->ctypes, NULL, MAX_COLS, q->sql);
	st->stmt = mysql_stmt_init(conn);
	if (st->stmt == NULL)
		die("mysql_stmt_init: out of memory");
	if (mysql_stmt_prepare(st->stmt, q->sql, strlen(q->sql)) != 0) {
		unsigned err = mysql_stmt_errno(st->stmt);

		if (err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST) {
			mysql_stmt_close(st->stmt);
			free(st->sql);
			free(st->letters);
			free(st);
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
		st->cacheable = rc_cacheable(q->sql, &st->by_date);
	}
	st->used = ++cache_clock;
	cache[slot] = st;
	cache_n++;
	return st;
}

static enum db_err
classify(unsigned err)
{
	switch (err) {
	case ER_DUP_ENTRY:
	case ER_DUP_ENTRY_WITH_KEY_NAME:
		return DB_DUP;
	case ER_ROW_IS_REFERENCED:
	case ER_ROW_IS_REFERENCED_2:
	case ER_NO_REFERENCED_ROW:
	case ER_NO_REFERENCED_ROW_2:
		return DB_FK;
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
		return DB_RETRY;
	case ER_DATA_TOO_LONG:
		return DB_TOOLONG;
	default:
		return DB_ERROR;
	}
}

/* Bind parameters and execute.  Returns 0, a negative db_err, or 1 when
 * the connection was lost outside a transaction (caller retries once). */
static int
stmt_run(struct db_stmt *st, const struct db_param *p, int n, const char *sql)
{
	MYSQL_BIND b[MAX_PARAMS];
	unsigned long lens[MAX_PARAMS];
	my_bool nulls[MAX_PARAMS];
	int32_t i32[MAX_PARAMS];

	if (st->busy)
		die("statement reused while its cursor is open: %s", sql);
	if (n != st->nparams)
		die("%d parameters given, %d expected: %s", n, st->nparams, sql);
	memset(b, 0, sizeof(b[0]) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		if (p[i].type != st->ptypes[i])
			die("parameter %d is '%c', letters say '%c': %s", i,
			    p[i].type, st->ptypes[i], sql);
		nulls[i] = p[i].null;
		b[i].is_null = &nulls[i];
		switch (p[i].type) {
		case 'i':
			if (p[i].i < INT32_MIN || p[i].i > INT32_MAX)
				die("parameter %d out of int32 range: %s", i, sql);
			i32[i] = (int32_t)p[i].i;
			b[i].buffer_type = MYSQL_TYPE_LONG;
			b[i].buffer = &i32[i];
			break;
		case 'l':
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)&p[i].i;
			break;
		case 'd':
			b[i].buffer_type = MYSQL_TYPE_DOUBLE;
			b[i].buffer = (void *)&p[i].d;
			break;
		case 's':
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)(p[i].s ? p[i].s : "");
			lens[i] = p[i].s ? (unsigned long)strlen(p[i].s) : 0;
			b[i].length = &lens[i];
			b[i].buffer_length = lens[i];
			break;
		}
	}
	if (n > 0 && mysql_stmt_bind_param(st->stmt, b) != 0)
		die("bind_param: %s: %s", mysql_stmt_error(st->stmt), sql);
	if (mysql_stmt_execute(st->stmt) != 0) {
		unsigned err = mysql_stmt_errno(st->stmt);

		snprintf(last_error, sizeof(last_error), "%u %s", err,
		    mysql_stmt_error(st->stmt));
		if ((err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST) &&
		    tx_depth == 0)
			return 1;
		if (classify(err) == DB_ERROR)
			log_err("execute failed (%s): %s", last_error, sql);
		if (tx_depth > 0 && tx_doomed == 0 &&
		    (classify(err) == DB_RETRY || classify(err) == DB_ERROR))
			tx_doomed = classify(err);
		return classify(err);
	}
	return 0;
}

/*
 * After a result that failed half-way (an error packet among the rows),
 * the client library still waits for the rest of it: the next statement
 * on the connection would block for ever reading rows the server never
 * sends.  So the connection goes: its socket shut first (every read of
 * the closing then fails at once instead of waiting), every statement
 * with it; the next statement connects again.  No other cursor may be
 * open then (its statement would be gone).
 */
static void
result_failed(void)
{
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (cache[i] && cache[i]->busy)
			die("a result failed while another cursor was open: %s", cache[i]->sql);
	if (conn && mysql_get_socket(conn) >= 0)
		shutdown(mysql_get_socket(conn), SHUT_RDWR);
	db_disconnect();
}

/* The result to the client and its columns bound.  0, or the server's
 * error number when the result could not be read (the statement ran into
 * its rows-examined bound inside a sort, was killed, the link broke). */
static unsigned
bind_results(struct db_stmt *st, const char *sql)
{
	MYSQL_RES *meta;
	MYSQL_FIELD *fields;

	if (mysql_stmt_store_result(st->stmt) != 0) {
		unsigned err = mysql_stmt_errno(st->stmt);

		snprintf(last_error, sizeof(last_error), "%u %s", err, mysql_stmt_error(st->stmt));
		mysql_stmt_free_result(st->stmt);
		return err != 0 ? err : CR_UNKNOWN_ERROR;
	}
	meta = mysql_stmt_result_metadata(st->stmt);
	if (meta == NULL)
		die("no result metadata: %s", sql);
	fields = mysql_fetch_fields(meta);
	memset(st->res, 0, sizeof(st->res[0]) * (size_t)st->ncols);
	for (int c = 0; c < st->ncols; c++) {
		MYSQL_BIND *rb = &st->res[c];

		rb->is_null = &st->nulls[c];
		rb->length = &st->lens[c];
		rb->error = &st->errs[c];
		switch (st->ctypes[c]) {
		case 'i':
			rb->buffer_type = MYSQL_TYPE_LONG;
			rb->buffer = &st->nums[c].i;
			break;
		case 'l':
			rb->buffer_type = MYSQL_TYPE_LONGLONG;
			rb->buffer = &st->nums[c].l;
			break;
		case 'd':
			rb->buffer_type = MYSQL_TYPE_DOUBLE;
			rb->buffer = &st->nums[c].d;
			break;
		case 's': {
			/* max_length is the longest value in this result;
			 * numeric columns rendered as text need room too. */
			size_t need = fields[c].max_length + 1;

			if (need < 64)
				need = 64;
			if (st->bufcap[c] < need) {
				free(st->bufs[c]);
				st->bufs[c] = malloc(need);
				if (st->bufs[c] == NULL)
					die("out of memory");
				st->bufcap[c] = need;
			}
			rb->buffer_type = MYSQL_TYPE_STRING;
			rb->buffer = st->bufs[c];
			rb->buffer_length = st->bufcap[c] - 1;
			break;
		}
		}
	}
	mysql_free_result(meta);
	if (mysql_stmt_bind_result(st->stmt, st->res) != 0)
		die("bind_result: %s: %s", mysql_stmt_error(st->stmt), sql);
	return 0;
}

/* ---- result cache ----------------------------------------------------
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
 */
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

static void
rc_free(struct rc_entry *e)
{
	if (e == NULL)
		return;
	free(e->key);
	free(e->data);
	free(e);
}

static void
rc_drop_all(void)
{
	for (int i = 0; i < rc_n; i++)
		rc_free(rc_tab[i]);
	rc_n = 0;
	rc_bytes = 0;
}

/* Forget the entries of one statement (it is being closed). */
static void
rc_drop_stmt(const struct db_stmt *st)
{
	int k = 0;

	for (int i = 0; i < rc_n; i++) {
		if (rc_tab[i]->st == st) {
			rc_bytes -= rc_tab[i]->len + rc_tab[i]->keylen + sizeof(*rc_tab[i]);
			rc_free(rc_tab[i]);
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
		rc_drop_all();
		rc_gen = gen;
	}
}

int64_t
db_generation(void)
{
	return tx_depth > 0 ? -1 : req_gen;
}

bool
db_request_pure(void)
{
	return req_pure && req_gen >= 0 && req_gen == rc_gen && tx_depth == 0;
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

static bool
rc_cacheable(const char *sql, bool *by_date)
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

/* Append the fetched row to the capture; drop the capture when too big. */
static void
rc_capture_row(struct db_stmt *st)
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
		rc_free(e);
		st->capture = NULL;
	}
}

/* The whole result was captured: keep it. */
static void
rc_store(struct db_stmt *st)
{
	struct rc_entry *e = st->capture;

	st->capture = NULL;
	if (req_gen < 0 || req_gen != rc_gen || tx_depth > 0) {
		rc_free(e);
		return;
	}
	if (rc_n == RC_MAX || rc_bytes + e->len > RC_BUDGET)
		rc_drop_all();
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

static bool
rc_next(struct db_stmt *st)
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
db_openv(struct db_cur *c, const struct query *q, const struct db_param *p, int n)
{
	c->open = false;
	if (tx_doomed && tx_depth > 0)
		return tx_doomed;
	for (int attempt = 0; attempt < 2; attempt++) {
		struct db_stmt *st = stmt_get(q);
		struct rc_entry *hit = NULL, *cap = NULL;
		int rc;

		if (st == NULL) {
			db_disconnect();
			continue;
		}
		bool use = st->cacheable && req_gen >= 0 && req_gen == rc_gen && tx_depth == 0;

		if (!use)
			req_pure = false;
		if (st->ncols == 0)
			req_gen = -1;	/* a write: what this request reads next is not cached */
		else if (use) {
			size_t klen;
			uint64_t h;
			char *key;

			if (st->busy)
				die("statement reused while its cursor is open: %s", q->sql);
			if (n != st->nparams)
				die("%d parameters given, %d expected: %s", n, st->nparams, q->sql);
			key = rc_key(st, p, n, &klen, &h);
			if ((hit = rc_find(st, key, klen, h)) != NULL) {
				free(key);
				rc_replay(st, hit);
				st->busy = true;
				c->st = st;
				c->open = true;
				c->incomplete = false;
				return 0;
			}
			if ((cap = calloc(1, sizeof(*cap))) == NULL)
				die("out of memory");
			cap->st = st;
			cap->key = key;
			cap->keylen = klen;
			cap->hash = h;
		}
		rc = stmt_run(st, p, n, q->sql);
		if (rc != 0)
			rc_free(cap);
		if (rc == 1) {
			log_warn("database connection lost; reconnecting");
			db_disconnect();
			continue;
		}
		if (rc < 0)
			return rc;
		c->st = st;
		c->open = true;
		c->incomplete = false;
		if (st->ncols > 0) {
			unsigned err = bind_results(st, q->sql);

			if (err) {
				bool bound = strstr(q->sql, "ROWS EXAMINED") != NULL;

				rc_free(cap);
				c->open = false;
				if (!bound)
					log_err("reading the result failed (%s): %s", last_error, q->sql);
				result_failed();
				/* The bound reached inside a sort (1028 "Sort aborted"):
				 * as incomplete as warning 1931, with no rows at all. */
				if (bound && tx_depth == 0) {
					c->incomplete = true;
					return 0;
				}
				if (tx_depth > 0 && tx_doomed == 0)
					tx_doomed = DB_ERROR;
				return DB_ERROR;
			}
			st->busy = true;
			st->capture = cap;
			/* Warning 1931: the rows-examined bound was reached (the
			 * whole result is on the client now, so is its count). */
			if (mysql_warning_count(conn) > 0 && strstr(q->sql, "ROWS EXAMINED")) {
				c->incomplete = true;
				rc_free(cap);
				st->capture = NULL;
			}
		}
		return 0;
	}
	die("database unreachable after reconnect");
}

/* Collect varargs into a db_param array according to the letters. */
static int
collect(const struct query *q, va_list ap, struct db_param *p)
{
	int n = 0;

	for (const char *l = q->params; *l; l++) {
		bool nul = false;

		if (*l == '?') {
			nul = true;
			l++;
		}
		if (n == MAX_PARAMS)
			die("too many parameters: %s", q->sql);
		memset(&p[n], 0, sizeof(p[n]));
		p[n].type = *l;
		switch (*l) {
		case 'i':
			p[n].i = va_arg(ap, int);
			break;
		case 'l':
			if (nul) {
				const int64_t *v = va_arg(ap, const int64_t *);

				p[n].null = v == NULL;
				p[n].i = v ? *v : 0;
			} else
				p[n].i = va_arg(ap, int64_t);
			break;
		case 'd':
			p[n].d = va_arg(ap, double);
			break;
		case 's':
			p[n].s = va_arg(ap, const char *);
			if (p[n].s == NULL) {
				if (!nul)
					die("NULL for non-nullable parameter %d: %s", n, q->sql);
				p[n].null = true;
			}
			break;
		default:
			die("bad parameter letter in: %s", q->sql);
		}
		n++;
	}
	return n;
}

int
db_open(struct db_cur *c, const struct query *q, ...)
{
	struct db_param p[MAX_PARAMS];
	va_list ap;
	int n;

	va_start(ap, q);
	n = collect(q, ap, p);
	va_end(ap);
	return db_openv(c, q, p, n);
}

int64_t
db_execv(const struct query *q, const struct db_param *p, int n)
{
	struct db_cur c;
	int rc = db_openv(&c, q, p, n);
	int64_t rows;

	if (rc < 0)
		return rc;
	rows = (int64_t)mysql_stmt_affected_rows(c.st->stmt);
	db_close(&c);
	return rows < 0 ? 0 : rows;
}

int64_t
db_exec(const struct query *q, ...)
{
	struct db_param p[MAX_PARAMS];
	va_list ap;
	int n;

	va_start(ap, q);
	n = collect(q, ap, p);
	va_end(ap);
	return db_execv(q, p, n);
}

bool
db_next(struct db_cur *c)
{
	int rc;

	if (!c->open || c->st->ncols == 0)
		return false;
	if (c->st->replay)
		return rc_next(c->st);
	rc = mysql_stmt_fetch(c->st->stmt);
	if (rc == 0) {
		for (int i = 0; i < c->st->ncols; i++)
			if (c->st->ctypes[i] == 's' && !c->st->nulls[i])
				c->st->bufs[i][c->st->lens[i]] = '\0';
		if (c->st->capture)
			rc_capture_row(c->st);
		return true;
	}
	if (rc == MYSQL_NO_DATA) {
		if (c->st->capture)
			rc_store(c->st);
		return false;
	}
	if (rc == MYSQL_DATA_TRUNCATED)
		die("result truncated: %s", c->st->sql);
	die("fetch failed (%s): %s", mysql_stmt_error(c->st->stmt), c->st->sql);
}

void
db_close(struct db_cur *c)
{
	if (!c->open)
		return;
	/* Closed before the last row (db_scalar, a count): the rest is in
	 * client memory already, so the capture can still be completed. */
	while (c->st->capture) {
		int rc = mysql_stmt_fetch(c->st->stmt);

		if (rc == MYSQL_NO_DATA)
			rc_store(c->st);
		else if (rc == 0) {
			for (int i = 0; i < c->st->ncols; i++)
				if (c->st->ctypes[i] == 's' && !c->st->nulls[i])
					c->st->bufs[i][c->st->lens[i]] = '\0';
			rc_capture_row(c->st);
		} else {
			rc_free(c->st->capture);
			c->st->capture = NULL;
		}
	}
	if (c->st->replay)
		c->st->replay = NULL;
	else
		mysql_stmt_free_result(c->st->stmt);
	c->st->busy = false;
	c->open = false;
}

static void
check_col(struct db_cur *c, int col, char want)
{
	if (col < 0 || col >= c->st->ncols)
		die("column %d out of range: %s", col, c->st->sql);
	if (want && c->st->ctypes[col] != want)
		die("column %d is '%c', read as '%c': %s", col,
		    c->st->ctypes[col], want, c->st->sql);
}

bool
db_null(struct db_cur *c, int col)
{
	check_col(c, col, 0);
	return c->st->nulls[col];
}

int32_t
db_int(struct db_cur *c, int col)
{
	check_col(c, col, 'i');
	return c->st->nulls[col] ? 0 : c->st->nums[col].i;
}

int64_t
db_i64(struct db_cur *c, int col)
{
	check_col(c, col, 0);
	if (c->st->nulls[col])
		return 0;
	switch (c->st->ctypes[col]) {
	case 'i':
		return c->st->nums[col].i;
	case 'l':
		return c->st->nums[col].l;
	case 's':
		return strtoll(c->st->bufs[col], NULL, 10);
	default:
		die("column %d is not an integer: %s", col, c->st->sql);
	}
}

double
db_dbl(struct db_cur *c, int col)
{
	check_col(c, col, 'd');
	return c->st->nulls[col] ? 0 : c->st->nums[col].d;
}

const char *
db_str(struct db_cur *c, int col)
{
	check_col(c, col, 's');
	return c->st->nulls[col] ? "" : c->st->bufs[col];
}

size_t
db_len(struct db_cur *c, int col)
{
	check_col(c, col, 's');
	return c->st->nulls[col] ? 0 : c->st->lens[col];
}

int64_t
db_scalar(int64_t dflt, const struct query *q, ...)
{
	struct db_param p[MAX_PARAMS];
	struct db_cur c;
	va_list ap;
	int n;
	int64_t v = dflt;

	va_start(ap, q);
	n = collect(q, ap, p);
	va_end(ap);
	if (db_openv(&c, q, p, n) < 0) {
		/* Inside a transaction the failure dooms it (see tx_doomed); a
		 * read outside one answers the default, and the request fails. */
		log_err("scalar query failed (%s): %s", last_error, q->sql);
		if (tx_depth == 0)
			req_failed = true;
		return dflt;
	}
	if (db_next(&c) && !db_null(&c, 0))
		v = db_i64(&c, 0);
	db_close(&c);
	return v;
}

int64_t
db_insert_id(void)
{
	return (int64_t)mysql_insert_id(conn);
}

static int
tx_query(const char *sql)
{
	ensure_connected();
	if (mysql_query(conn, sql) != 0) {
		unsigned err = mysql_errno(conn);

		snprintf(last_error, sizeof(last_error), "%u %s", err, mysql_error(conn));
		log_err("%s failed: %s", sql, last_error);
		if (err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST)
			db_disconnect();
		return classify(err) == DB_RETRY ? DB_RETRY : DB_ERROR;
	}
	return 0;
}

int
db_begin(void)
{
	if (tx_depth++ > 0)
		return 0;
	tx_doomed = 0;
	if (tx_query("START TRANSACTION") != 0) {
		tx_depth = 0;
		return DB_ERROR;
	}
	return 0;
}

int
db_commit(void)
{
	if (tx_depth == 0)
		die("commit without transaction");
	if (--tx_depth > 0)
		return 0;
	if (tx_doomed) {
		int rc = tx_doomed;

		tx_query("ROLLBACK");
		tx_doomed = 0;
		return rc;
	}
	return tx_query("COMMIT");
}

void
db_rollback(void)
{
	if (tx_depth == 0)
		return;
	tx_depth = 0;
	tx_doomed = 0;
	if (conn)
		tx_query("ROLLBACK");
}

int
db_tx_fail(const char *what)
{
	log_err("%s (%s)", what, last_error);
	if (tx_depth == 0) {
		req_failed = true;
		return DB_ERROR;
	}
	if (tx_doomed == 0)
		tx_doomed = DB_ERROR;
	return tx_doomed;
}

int
db_tx_doomed(void)
{
	return tx_depth > 0 ? tx_doomed : 0;
}

void
db_pause_retry(int attempt)
{
	unsigned base = 10000u * (unsigned)(attempt < 0 ? 1 : attempt + 1);

	usleep(base + (unsigned)getpid() * 7919u % base);
}

bool
db_request_failed(void)
{
	bool f = req_failed;

	req_failed = false;
	return f;
}

int
db_tx_depth(void)
{
	return tx_depth;
}

const char *
db_last_error(void)
{
	return last_error;
}
