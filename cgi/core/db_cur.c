/*
 * db_cur.c — running a statement and reading its rows.
 *
 * Parameters are bound from the query's letters with exact C widths (an
 * 'i' outside int32_t is fatal, not truncated); a wrong count or type is
 * fatal and logs the SQL.  Result sets are buffered on the client
 * (mysql_stmt_store_result) with max_length updated, so every string
 * column gets a buffer of exactly the longest value and can never be
 * truncated; MYSQL_DATA_TRUNCATED is still treated as fatal.  Because the
 * whole result is on the client before the cursor opens, an open cursor
 * needs nothing more from the server: several cursors nest freely, and
 * one stays readable after the connection under it failed (db.c).
 *
 * Errors of execution come back as negative db_err values; in a
 * transaction a deadlock or an unexpected error also dooms it (db.c).  A
 * connection lost outside a transaction is made again and the statement
 * run once more.  Reads of reference data go through the result cache
 * (db_rc.c) first.
 */
#include "core/db_int.h"

#include <errmsg.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/log.h"

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

		snprintf(db_link.last_error, sizeof(db_link.last_error), "%u %s", err,
		    mysql_stmt_error(st->stmt));
		if ((err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST) &&
		    db_link.tx_depth == 0)
			return 1;
		if (db_classify(err) == DB_ERROR)
			log_err("execute failed (%s): %s", db_link.last_error, sql);
		if (db_link.tx_depth > 0 && db_link.tx_doomed == 0 &&
		    (db_classify(err) == DB_RETRY || db_classify(err) == DB_ERROR))
			db_link.tx_doomed = db_classify(err);
		return db_classify(err);
	}
	return 0;
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

		snprintf(db_link.last_error, sizeof(db_link.last_error), "%u %s", err, mysql_stmt_error(st->stmt));
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

int
db_openv(struct db_cur *c, const struct query *q, const struct db_param *p, int n)
{
	int rc;

	c->open = false;
	for (int attempt = 0; attempt < 2; attempt++) {
		struct db_stmt *st;
		struct rc_entry *cap;

		/* Checked on every attempt: a connection lost in a transaction
		 * dooms it, and nothing may reconnect to run outside it. */
		if (db_link.tx_doomed && db_link.tx_depth > 0)
			return db_link.tx_doomed;
		if ((rc = db_link_check()) != 0)
			return rc;
		if ((st = db_stmt_get(q)) == NULL) {
			db_link_drop();		/* lost while preparing */
			continue;
		}
		if (db_rc_begin(st, p, n, &cap) == 1) {
			st->busy = true;
			c->st = st;
			c->open = true;
			c->incomplete = false;
			return 0;
		}
		rc = stmt_run(st, p, n, q->sql);
		if (rc != 0)
			db_rc_free(cap);
		if (rc == 1) {
			log_warn("database connection lost; reconnecting");
			db_link_drop();
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

				db_rc_free(cap);
				c->open = false;
				if (!bound)
					log_err("reading the result failed (%s): %s", db_link.last_error, q->sql);
				/* The client library would wait for ever for the
				 * rest of a result that failed half-way: the
				 * connection cannot be used again. */
				db_link_drop();
				/* The bound reached inside a sort (1028 "Sort aborted"):
				 * as incomplete as warning 1931, with no rows at all. */
				if (bound && db_link.tx_depth == 0) {
					c->incomplete = true;
					return 0;
				}
				if (db_link.tx_depth > 0 && db_link.tx_doomed == 0)
					db_link.tx_doomed = DB_ERROR;
				return DB_ERROR;
			}
			st->busy = true;
			st->capture = cap;
			/* Warning 1931: the rows-examined bound was reached (the
			 * whole result is on the client now, so is its count). */
			if (mysql_warning_count(db_link.conn) > 0 && strstr(q->sql, "ROWS EXAMINED")) {
				c->incomplete = true;
				db_rc_free(cap);
				st->capture = NULL;
			}
		}
		return 0;
	}
	if (db_link.tx_doomed && db_link.tx_depth > 0)
		return db_link.tx_doomed;
	if ((rc = db_link_check()) != 0)
		return rc;
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
		return db_rc_next(c->st);
	rc = mysql_stmt_fetch(c->st->stmt);
	if (rc == 0) {
		for (int i = 0; i < c->st->ncols; i++)
			if (c->st->ctypes[i] == 's' && !c->st->nulls[i])
				c->st->bufs[i][c->st->lens[i]] = '\0';
		if (c->st->capture)
			db_rc_capture_row(c->st);
		return true;
	}
	if (rc == MYSQL_NO_DATA) {
		if (c->st->capture)
			db_rc_store(c->st);
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
			db_rc_store(c->st);
		else if (rc == 0) {
			for (int i = 0; i < c->st->ncols; i++)
				if (c->st->ctypes[i] == 's' && !c->st->nulls[i])
					c->st->bufs[i][c->st->lens[i]] = '\0';
			db_rc_capture_row(c->st);
		} else {
			db_rc_free(c->st->capture);
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
		/* Inside a transaction the failure dooms it (see db_link.tx_doomed); a
		 * read outside one answers the default, and the request fails. */
		log_err("scalar query failed (%s): %s", db_link.last_error, q->sql);
		if (db_link.tx_depth == 0)
			db_link.req_failed = true;
		return dflt;
	}
	if (db_next(&c) && !db_null(&c, 0))
		v = db_i64(&c, 0);
	db_close(&c);
	return v;
}
