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

#include <errno.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ClearSilver.h>

#include "core/arena.h"
#include "core/log.h"

#define MAX_PARAMS 64
#define MAX_COLS 64
#define CACHE_SLOTS 512

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
	/* Result binding of the open cursor. */
	MYSQL_BIND res[MAX_COLS];
	unsigned long lens[MAX_COLS];
	my_bool nulls[MAX_COLS];
	my_bool errs[MAX_COLS];
	char *bufs[MAX_COLS];
	size_t bufcap[MAX_COLS];
	union { int32_t i; int64_t l; double d; } nums[MAX_COLS];
};

static MYSQL *conn;
static HDF *db_config;
static struct db_stmt *cache[CACHE_SLOTS];
static int tx_depth;
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
cache_drop_all(void)
{
	for (int i = 0; i < CACHE_SLOTS; i++) {
		struct db_stmt *st = cache[i];

		if (st == NULL)
			continue;
		if (st->stmt)
			mysql_stmt_close(st->stmt);
		for (int c = 0; c < MAX_COLS; c++)
			free(st->bufs[c]);
		free(st->sql);
		free(st->letters);
		free(st);
		cache[i] = NULL;
	}
}

int
db_connect(HDF *config)
{
	const char *sock, *host, *user, *pass, *name;
	int port;
	unsigned int timeout = 10;
	my_bool reconnect = 0;

	db_config = config;
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
	return 0;
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
		    strcmp(st->letters + lp + 1, q->cols) == 0)
			return st;
		slot = (slot + 1) % CACHE_SLOTS;
	}
	if (cache[slot] != NULL)
		die("statement cache full");

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
	}
	cache[slot] = st;
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
		return classify(err);
	}
	return 0;
}

static void
bind_results(struct db_stmt *st, const char *sql)
{
	MYSQL_RES *meta;
	MYSQL_FIELD *fields;

	if (mysql_stmt_store_result(st->stmt) != 0)
		die("store_result: %s: %s", mysql_stmt_error(st->stmt), sql);
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
}

int
db_openv(struct db_cur *c, const struct query *q, const struct db_param *p, int n)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		struct db_stmt *st = stmt_get(q);
		int rc;

		if (st == NULL) {
			db_disconnect();
			continue;
		}
		rc = stmt_run(st, p, n, q->sql);
		if (rc == 1) {
			log_warn("database connection lost; reconnecting");
			db_disconnect();
			continue;
		}
		if (rc < 0)
			return rc;
		c->st = st;
		c->open = true;
		if (st->ncols > 0) {
			bind_results(st, q->sql);
			st->busy = true;
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
	rc = mysql_stmt_fetch(c->st->stmt);
	if (rc == 0) {
		for (int i = 0; i < c->st->ncols; i++)
			if (c->st->ctypes[i] == 's' && !c->st->nulls[i])
				c->st->bufs[i][c->st->lens[i]] = '\0';
		return true;
	}
	if (rc == MYSQL_NO_DATA)
		return false;
	if (rc == MYSQL_DATA_TRUNCATED)
		die("result truncated: %s", c->st->sql);
	die("fetch failed (%s): %s", mysql_stmt_error(c->st->stmt), c->st->sql);
}

void
db_close(struct db_cur *c)
{
	if (!c->open)
		return;
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
	if (db_openv(&c, q, p, n) < 0)
		die("scalar query failed (%s): %s", last_error, q->sql);
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
	return tx_query("COMMIT");
}

void
db_rollback(void)
{
	if (tx_depth == 0)
		return;
	tx_depth = 0;
	if (conn)
		tx_query("ROLLBACK");
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
