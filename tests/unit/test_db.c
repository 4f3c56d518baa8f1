/*
 * Unit tests of cgi/core/db.c, without a database: what happens to the
 * connection when it cannot be used any more (lost, or a result that
 * failed half-way).  Without an open cursor it is closed at once with its
 * statements; with one (its rows are on the client and stay readable) it
 * is marked broken instead — nothing more runs on it, a transaction is
 * doomed, a request outside one fails — and closed once no cursor needs
 * it, at the latest by db_request_end().  Before, a result failing while
 * another cursor was open killed the worker.
 *
 * The connection state and the statement table are static, so this file
 * includes db.c and db_stmt.c (its own copies, linked instead of
 * libcore's).  There is no MYSQL connection at all (db_link.conn stays
 * NULL, and no configuration is set): a test that made the code connect
 * would crash instead of passing.  Cursors are opened by hand over
 * statements that replay (st->replay), which db_close() ends without the
 * client library.
 */
#include "core/db.c"
#include "core/db_stmt.c"

#include "tap.h"

static const struct query q_one = { "SELECT 1", "", "i" };

/* A cached statement of this text, idle. */
static struct db_stmt *
add(const char *sql)
{
	struct query q = { sql, "", "i" };
	struct db_stmt *st = stmt_new(&q, stmt_hash(&q));

	cache_add(st);
	return st;
}

/* A cursor open over st, as db_openv() leaves one that replays. */
static void
open_over(struct db_cur *c, struct db_stmt *st)
{
	static struct rc_entry *const fake = (struct rc_entry *)&fake;	/* only tested for NULL */

	st->busy = true;
	st->replay = fake;
	c->st = st;
	c->open = true;
	c->incomplete = false;
}

static void
test_idle(void)
{
	add("SELECT 'a'");
	add("SELECT 'b'");
	ok(db_stmt_count() == 2, "two statements cached (set up)");
	db_link_drop();
	ok(db_stmt_count() == 0 && !db_link.broken && db_link.conn == NULL,
	    "no cursor open: the connection and its statements are closed at once");
	ok(db_link_check() == 0, "the next statement may connect again");
}

static void
test_open_cursor(void)
{
	struct db_cur c, d;
	struct db_stmt *a;

	a = add("SELECT 'open'");
	add("SELECT 'idle'");
	open_over(&c, a);
	(void)db_request_failed();
	db_link_drop();
	ok(db_link.broken, "a cursor open: the connection is marked broken");
	ok(db_stmt_count() == 2 && db_stmt_busy() == a, "nothing is closed under the open cursor");

	ok(db_open(&d, &q_one) == DB_ERROR && !d.open,
	    "a statement outside a transaction is refused without touching the connection");
	ok(db_request_failed(), "... and the request fails");
	ok(strstr(db_last_error(), "closed") != NULL, "the reason is the last error (%s)", db_last_error());
	ok(db_scalar(-7, &q_one) == -7 && db_request_failed(), "db_scalar answers its default, the request fails");

	/* In a transaction (as the dispatcher opens one; no server here). */
	db_link.tx_depth = 1;
	db_link.tx_doomed = 0;
	ok(db_open(&d, &q_one) == DB_ERROR && db_tx_doomed() == DB_ERROR,
	    "in a transaction the statement is refused and the transaction doomed");
	ok(db_commit() == DB_ERROR && db_tx_depth() == 0, "its commit refuses (and rolls back)");
	ok(db_link.broken && db_stmt_count() == 2, "the rollback does not close the connection under the cursor");

	db_close(&c);
	ok(!a->busy && db_stmt_busy() == NULL, "the cursor closes normally");
	ok(db_link.broken, "still marked until the next use");
	ok(db_link_check() == 0 && !db_link.broken && db_stmt_count() == 0,
	    "the next statement closes the connection first, then may connect again");
}

static void
test_request_end(void)
{
	struct db_cur c;

	open_over(&c, add("SELECT 'leaked'"));
	db_link_drop();
	ok(db_link.broken, "broken under a cursor never closed (set up)");
	db_request_end();
	ok(!db_link.broken && db_stmt_count() == 0,
	    "db_request_end closes it whatever is open: the next request starts afresh");
	db_request_end();
	ok(!db_link.broken && db_link.conn == NULL, "and does nothing to a healthy state");
}

static void
test_lost_in_transaction(void)
{
	struct db_cur d;

	add("SELECT 'x'");
	db_link.tx_depth = 1;
	db_link.tx_doomed = 0;
	db_link_drop();
	ok(db_tx_doomed() == DB_ERROR, "a connection lost in a transaction dooms it");
	ok(db_open(&d, &q_one) == DB_ERROR && db_link.conn == NULL,
	    "no statement reconnects to run outside the transaction");
	db_rollback();
	ok(db_tx_depth() == 0 && db_tx_doomed() == 0, "the rollback ends it");
	(void)db_request_failed();
}

int
main(void)
{
	test_idle();
	test_open_cursor();
	test_request_end();
	test_lost_in_transaction();
	return done();
}
