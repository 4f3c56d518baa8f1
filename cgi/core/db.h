/*
 * db.h — the only door to MariaDB: typed prepared statements.
 *
 * A query is a literal SQL string plus type letters for its parameters and
 * result columns, mapped to exact C widths:
 *   i  int32_t  (MYSQL_TYPE_LONG)        l  int64_t (MYSQL_TYPE_LONGLONG)
 *   d  double   (MYSQL_TYPE_DOUBLE)      s  string  (text, dates, decimals)
 * A '?' before a parameter letter makes it nullable: ?s takes a const char *
 * that may be NULL, ?l a const int64_t * that may be NULL.  Result columns
 * may always be NULL (see db_null()).  After prepare the counts of '?' marks
 * and result fields are checked against the letters; a mismatch is fatal
 * and logs the SQL.  Statements are prepared once per connection and cached
 * by their text.  A dynamic filter or ORDER BY is composed only from literal
 * fragments (see list.c), never from user data.
 *
 * Errors come back as negative enum db_err values so callers can answer a
 * duplicate key or a still-referenced row with a clear message.
 *
 * This is the one public header of four files (their shared internals are
 * db_int.h): db.c the connection and transactions, db_stmt.c the statement
 * cache, db_cur.c running statements and reading rows, db_rc.c the result
 * cache.
 */
#ifndef CA_DB_H
#define CA_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _hdf HDF;

struct query {
	const char *sql;
	const char *params;	/* parameter letters, "" for none */
	const char *cols;	/* column letters, "" for a statement without rows */
};

/*
 * Time in SQL.  Columns hold UTC (every session runs with time_zone
 * '+00:00'); the site's zone (Site.tz, core/config.h) is the session
 * variable @ca_tz, set when the connection is made.  Statements say:
 *   SQL_TODAY            today's date in the site's zone
 *   SQL_LOCAL("x.at")    a stored UTC time as the site's local time (display)
 *   SQL_UTC("?")         a local date or time people typed, as UTC (filters)
 * They expand to literal text, so statements stay literals.
 */
#define SQL_TZ_VAR "@ca_tz"
#define SQL_TODAY "DATE(CONVERT_TZ(UTC_TIMESTAMP(), '+00:00', " SQL_TZ_VAR "))"
#define SQL_LOCAL(x) "CONVERT_TZ(" x ", '+00:00', " SQL_TZ_VAR ")"
#define SQL_UTC(x) "CONVERT_TZ(" x ", " SQL_TZ_VAR ", '+00:00')"

enum db_err {
	DB_OK = 0,
	DB_ERROR = -1,		/* anything unexpected: logged */
	DB_DUP = -2,		/* duplicate key */
	DB_FK = -3,		/* foreign key: referenced or missing parent */
	DB_RETRY = -4,		/* deadlock or lock wait timeout: retry the transaction */
	DB_TOOLONG = -5,	/* value too long for its column */
};

/* One bound parameter for the array form (db_openv/db_execv). */
struct db_param {
	char type;		/* i l d s */
	bool null;
	int64_t i;
	double d;
	const char *s;
};

struct db_stmt;

/* A cursor over the rows of one executed statement. */
struct db_cur {
	struct db_stmt *st;
	bool open;
	/* The statement stopped at its "LIMIT ROWS EXAMINED n" bound: the
	 * rows read are a part of the answer (never kept by the result cache). */
	bool incomplete;
};

/* Connect using DB.* of the config; 0 or -1 (logged). */
int db_connect(HDF *config);
void db_disconnect(void);

/* Execute a statement without rows; returns affected (matched) rows >= 0
 * or a negative enum db_err. */
int64_t db_exec(const struct query *q, ...);
int64_t db_execv(const struct query *q, const struct db_param *p, int n);
/* Execute and open a cursor; 0 or negative enum db_err. */
int db_open(struct db_cur *c, const struct query *q, ...);
int db_openv(struct db_cur *c, const struct query *q, const struct db_param *p, int n);
/* Next row: true while there is one.  Truncation or a fetch error is fatal. */
bool db_next(struct db_cur *c);
void db_close(struct db_cur *c);

/* Column accessors of the current row.  Strings are valid until the next
 * db_next/db_close and are "" for NULL. */
bool db_null(struct db_cur *c, int col);
int32_t db_int(struct db_cur *c, int col);
int64_t db_i64(struct db_cur *c, int col);
double db_dbl(struct db_cur *c, int col);
const char *db_str(struct db_cur *c, int col);
size_t db_len(struct db_cur *c, int col);

/* Convenience: run a query whose first row's first column is an integer;
 * returns it, or dflt when there is no row.  On an error it returns dflt
 * too: inside a transaction the error dooms it (db_tx_doomed), outside one
 * db_request_failed() says so, and the dispatcher answers 503/500. */
int64_t db_scalar(int64_t dflt, const struct query *q, ...);

int64_t db_insert_id(void);

/* Transactions nest with a counter: only the outermost commit commits. */
int db_begin(void);
int db_commit(void);
void db_rollback(void);
int db_tx_depth(void);
/* DB_RETRY (deadlock, lock wait timeout) or DB_ERROR when a statement of the
 * open transaction failed so: every later statement of it returns that code
 * without running and db_commit() rolls back and returns it.  0 otherwise.
 * The dispatcher (core/app.c) runs a DB_RETRY transaction again, so model
 * code only has to stop and pass the status up (or return APP_RETRY). */
int db_tx_doomed(void);
/* Code that cannot go on after a failed statement (or a statement that did
 * not do what it must, such as an UPDATE of a locked row changing nothing)
 * calls this instead of dying: it logs what, dooms the transaction
 * (DB_ERROR unless it already is DB_RETRY) and returns db_tx_doomed(). */
int db_tx_fail(const char *what);
/* Before running a DB_RETRY transaction again: attempt + 1 times 10 ms, and
 * as much again at most, different in each process, so that two parties
 * that collided do not collide again in step. */
void db_pause_retry(int attempt);
/* Did a read outside a transaction fail since the last call?  (Clears it.) */
bool db_request_failed(void);
/* The end of a request (core/app.c, after the handler): a connection
 * marked unusable while a cursor was open (a result failed half-way) is
 * closed now, so the next request starts on a fresh one. */
void db_request_end(void);
/* Statements closed to make room in the statement cache (process total). */
unsigned long db_statement_evictions(void);

/* Data generation of this request (the sum of data_gen, read with the
 * session; migration 0008): while it is known (>= 0) and unchanged, SELECTs
 * over reference tables are answered from this process's result cache (see
 * db.c).  -1: unknown, nothing is cached (set at the start of every request).
 * db_generation() is -1 inside a transaction and after a write. */
void db_set_generation(int64_t gen);
int64_t db_generation(void);
/* True while every statement of this request since the generation was set
 * has been a cacheable read: what it produced depends only on its
 * parameters and the generation. */
bool db_request_pure(void);

/* Text of the last server error (for logs only, never for users). */
const char *db_last_error(void);

#endif
