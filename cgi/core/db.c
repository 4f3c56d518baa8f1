/*
 * db.c — the connection to MariaDB and its transactions.
 *
 * One connection per process (workers are single-threaded), made from
 * DB.* of the configuration with the session's time zone variable set
 * (SQL_TODAY in db.h), and made again by the next statement after it was
 * lost.  Its statements are cached (db_stmt.c), run and read by db_cur.c,
 * and reference-data reads replayed by the result cache (db_rc.c); the
 * shared state is struct db_link (db_int.h).
 *
 * A connection that cannot be used any more (lost, or a result that failed
 * half-way, after which the client library would wait for ever for rows
 * the server never sends) has its socket shut at once, so no read on it
 * can wait, and is closed with all its statements — but not under an open
 * cursor: a cursor's rows are on the client (db_cur.c) and stay readable,
 * and closing the connection would free them under the caller.  Then the
 * connection is marked broken, nothing more runs on it (the transaction
 * is doomed, a request outside one fails), and it is closed as soon as no
 * cursor needs it, at the latest at the end of the request
 * (db_request_end).
 *
 * Transactions nest with a counter; a failed statement dooms the open one
 * (struct db_link) and the dispatcher (core/app.c) rolls back and runs the
 * handler again or answers 500.  This is the only file that may call
 * mysql_query (for transaction control).
 */
#include "core/db_int.h"

#include <errmsg.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ClearSilver.h>

#include "core/config.h"
#include "core/arena.h"
#include "core/log.h"

struct db_link db_link;

static void session_tz(void);

int
db_connect(HDF *config)
{
	const char *sock, *host, *user, *pass, *name;
	int port;
	unsigned int timeout = 10;
	my_bool reconnect = 0;

	db_link.config = config;
	db_stmt_configure(config);
	sock = hdf_get_value(config, "DB.socket", "");
	host = hdf_get_value(config, "DB.host", "");
	port = hdf_get_int_value(config, "DB.port", 3306);
	user = hdf_get_value(config, "DB.user", "chargeasset");
	pass = hdf_get_value(config, "DB.password", "");
	name = hdf_get_value(config, "DB.name", "chargeasset");

	if (db_link.conn != NULL)
		db_disconnect();
	db_link.conn = mysql_init(NULL);
	if (db_link.conn == NULL)
		die("mysql_init failed");
	mysql_optionsv(db_link.conn, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_optionsv(db_link.conn, MYSQL_OPT_RECONNECT, &reconnect);
	mysql_optionsv(db_link.conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_optionsv(db_link.conn, MYSQL_INIT_COMMAND,
	    "SET time_zone='+00:00', sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'");
	if (mysql_real_connect(db_link.conn, *sock ? NULL : (*host ? host : "localhost"),
	    user, pass, name, (unsigned)port, *sock ? sock : NULL,
	    CLIENT_FOUND_ROWS) == NULL) {
		log_err("database connect failed: %s", mysql_error(db_link.conn));
		mysql_close(db_link.conn);
		db_link.conn = NULL;
		return -1;
	}
	db_link.tx_depth = 0;
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
		if ((st = mysql_stmt_init(db_link.conn)) == NULL) {
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
	db_stmt_drop_all();
	if (db_link.conn)
		mysql_close(db_link.conn);
	db_link.conn = NULL;
	db_link.broken = false;
}

void
db_ensure_connected(void)
{
	for (int i = 0; db_link.conn == NULL; i++) {
		if (db_connect(db_link.config) == 0)
			return;
		if (i == 20)
			die("database unreachable");
		usleep(250000);
	}
}

enum db_err
db_classify(unsigned err)
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

void
db_link_drop(void)
{
	const struct db_stmt *open;

	/* The transaction went with the connection: nothing of it may go on
	 * (on a new connection it would run outside any transaction). */
	if (db_link.tx_depth > 0 && db_link.tx_doomed == 0)
		db_link.tx_doomed = DB_ERROR;
	if (db_link.conn && mysql_get_socket(db_link.conn) >= 0)
		shutdown(mysql_get_socket(db_link.conn), SHUT_RDWR);
	if ((open = db_stmt_busy()) == NULL) {
		db_disconnect();
		return;
	}
	if (!db_link.broken)
		log_warn("database connection unusable while a cursor is open (%s):"
		    " closed once no cursor needs it", open->sql);
	db_link.broken = true;
}

int
db_link_check(void)
{
	if (!db_link.broken)
		return 0;
	if (db_stmt_busy() == NULL) {
		db_disconnect();	/* the next statement connects again */
		return 0;
	}
	snprintf(db_link.last_error, sizeof(db_link.last_error),
	    "the connection is being closed after a failed result");
	if (db_link.tx_depth > 0) {
		if (db_link.tx_doomed == 0)
			db_link.tx_doomed = DB_ERROR;
	} else
		db_link.req_failed = true;
	return DB_ERROR;
}

void
db_request_end(void)
{
	/* The handler has returned: no cursor of it is still in use. */
	if (db_link.broken)
		db_disconnect();
}

int64_t
db_insert_id(void)
{
	return (int64_t)mysql_insert_id(db_link.conn);
}

static int
tx_query(const char *sql)
{
	int rc;

	if ((rc = db_link_check()) != 0)
		return rc;
	db_ensure_connected();
	if (mysql_query(db_link.conn, sql) != 0) {
		unsigned err = mysql_errno(db_link.conn);

		snprintf(db_link.last_error, sizeof(db_link.last_error), "%u %s", err, mysql_error(db_link.conn));
		log_err("%s failed: %s", sql, db_link.last_error);
		if (err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST)
			db_link_drop();
		return db_classify(err) == DB_RETRY ? DB_RETRY : DB_ERROR;
	}
	return 0;
}

/* End the server's transaction.  A broken connection is only closed
 * (once no cursor needs it): closing it rolls back. */
static void
rollback_now(void)
{
	if (db_link.broken) {
		if (db_stmt_busy() == NULL)
			db_disconnect();
	} else if (db_link.conn)
		tx_query("ROLLBACK");
}

int
db_begin(void)
{
	if (db_link.tx_depth++ > 0)
		return 0;
	db_link.tx_doomed = 0;
	if (tx_query("START TRANSACTION") != 0) {
		db_link.tx_depth = 0;
		return DB_ERROR;
	}
	return 0;
}

int
db_commit(void)
{
	if (db_link.tx_depth == 0)
		die("commit without transaction");
	if (--db_link.tx_depth > 0)
		return 0;
	if (db_link.tx_doomed) {
		int rc = db_link.tx_doomed;

		rollback_now();
		db_link.tx_doomed = 0;
		return rc;
	}
	return tx_query("COMMIT");
}

void
db_rollback(void)
{
	if (db_link.tx_depth == 0)
		return;
	db_link.tx_depth = 0;
	db_link.tx_doomed = 0;
	rollback_now();
}

int
db_tx_fail(const char *what)
{
	log_err("%s (%s)", what, db_link.last_error);
	if (db_link.tx_depth == 0) {
		db_link.req_failed = true;
		return DB_ERROR;
	}
	if (db_link.tx_doomed == 0)
		db_link.tx_doomed = DB_ERROR;
	return db_link.tx_doomed;
}

int
db_tx_doomed(void)
{
	return db_link.tx_depth > 0 ? db_link.tx_doomed : 0;
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
	bool f = db_link.req_failed;

	db_link.req_failed = false;
	return f;
}

int
db_tx_depth(void)
{
	return db_link.tx_depth;
}

const char *
db_last_error(void)
{
	return db_link.last_error;
}
