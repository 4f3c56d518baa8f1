/*
 * db_int.h — what the four files of the database layer share, and nobody
 * else: core/db.h is the one public header.
 *
 *   db.c       the connection (connect, time zone, reconnect, a connection
 *              whose result failed half-way) and transactions (nesting,
 *              doomed, retry pause)
 *   db_stmt.c  the prepared-statement cache: one table per connection,
 *              keyed by SQL text and type letters, least recently used
 *              statement closed when full (DB.statement_cache)
 *   db_cur.c   running a statement: parameter binding, result binding,
 *              cursors and column accessors, db_exec/db_scalar
 *   db_rc.c    the result cache: rows of reference-data SELECTs replayed
 *              while the data generation is unchanged
 *
 * Workers are single-threaded, so the shared state is plain process
 * globals (struct db_link); only these files touch it.
 */
#ifndef CA_DB_INT_H
#define CA_DB_INT_H

#include <mysql.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/db.h"

#define MAX_PARAMS 64
#define MAX_COLS 64

struct rc_entry;

/* One prepared statement of the cache, with the result binding of its
 * open cursor (a statement has at most one cursor at a time: busy). */
struct db_stmt {
	char *sql;
	char *letters;			/* params "|" cols: part of the cache key */
	uint64_t hash;
	MYSQL_STMT *stmt;		/* NULL only for statements made by tests */
	char ptypes[MAX_PARAMS];	/* parsed parameter letters */
	bool pnull[MAX_PARAMS];		/* nullable? */
	int nparams;
	char ctypes[MAX_COLS];
	int ncols;
	bool busy;
	uint64_t used;			/* use clock: the least recent is evicted */
	bool cacheable;			/* see db_rc_cacheable() */
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

/* The connection and the transaction state (db.c owns it). */
struct db_link {
	MYSQL *conn;			/* NULL: connect at the next statement */
	HDF *config;
	int tx_depth;
	/* A transaction that met a deadlock or lock-wait timeout (DB_RETRY)
	 * or an unexpected error (DB_ERROR) is doomed: InnoDB may already
	 * have rolled it back, so nothing more runs in it (a later statement
	 * would otherwise run outside any transaction), db_commit() refuses,
	 * and the dispatcher runs the handler again (DB_RETRY) or answers
	 * 500.  Cleared by begin/rollback. */
	int tx_doomed;
	bool req_failed;		/* a read outside a transaction failed */
	/* The connection became unusable while a cursor was open
	 * (db_link_drop): the socket is shut, nothing more runs on it, and
	 * it is closed once no cursor needs it. */
	bool broken;
	char last_error[512];
};
extern struct db_link db_link;

/* ---- db.c ---- */
/* Connect if there is no connection (waits up to ~5 s, then dies: a
 * worker without its database cannot answer anything). */
void db_ensure_connected(void);
/* A server error number as the db_err callers see. */
enum db_err db_classify(unsigned err);
/* The connection cannot be used any more (lost, or a result failed
 * half-way): its socket is shut and it is closed now, or, while a cursor
 * is open, marked broken and closed once none is (see db.c).  An open
 * transaction is doomed. */
void db_link_drop(void);
/* 0 when statements may run on the connection (a broken one no cursor
 * needs any more is closed first, to be made again); DB_ERROR while a
 * broken connection still has an open cursor (the transaction is doomed,
 * a request outside one fails). */
int db_link_check(void);

/* ---- db_stmt.c ---- */
/* DB.statement_cache: how many statements the cache keeps. */
void db_stmt_configure(HDF *config);
/* The prepared statement for q, from the cache or prepared now (and
 * cached).  NULL when the connection was lost while preparing (the caller
 * reconnects and asks again); a prepare error or letters that do not match
 * the statement are fatal, with the SQL logged.  The cache owns it. */
struct db_stmt *db_stmt_get(const struct query *q);
/* Close every statement (the connection goes). */
void db_stmt_drop_all(void);
/* A statement with an open cursor, or NULL. */
const struct db_stmt *db_stmt_busy(void);
/* How many statements the cache holds. */
int db_stmt_count(void);

/* ---- db_rc.c ---- */
bool db_rc_cacheable(const char *sql, bool *by_date);
/* Before st runs with p: 1 when a cached result answers (the statement
 * now replays it: the caller opens the cursor without the server), else 0
 * with *capture the entry to fill while the result is fetched (NULL when
 * it is not to be kept).  Notes writes and uncacheable reads for
 * db_request_pure(). */
int db_rc_begin(struct db_stmt *st, const struct db_param *p, int n, struct rc_entry **capture);
void db_rc_free(struct rc_entry *e);
/* Append the row just fetched to st->capture (dropped when too big). */
void db_rc_capture_row(struct db_stmt *st);
/* The whole result was fetched: keep st->capture (if still allowed). */
void db_rc_store(struct db_stmt *st);
/* The next row of the entry st replays into its binding; false at the end. */
bool db_rc_next(struct db_stmt *st);
void db_rc_drop_all(void);
/* Forget the entries of one statement (it is being closed). */
void db_rc_drop_stmt(const struct db_stmt *st);

#endif
