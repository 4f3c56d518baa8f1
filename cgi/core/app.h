/*
 * app.h — a worker program: its name, route table and optional setup.
 * main.c of each worker is one line: return app_run(&base_app, argc, argv).
 */
#ifndef CA_APP_H
#define CA_APP_H

struct route;

/* What a handler (or model code it calls) returns when the transaction met
 * a deadlock or lock-wait timeout (DB_RETRY): the dispatcher rolls back and
 * runs the handler again, up to three times.  A transaction the database
 * layer saw fail (db_tx_doomed) is retried the same way whatever the
 * handler returned. */
#define APP_RETRY (-1000)

struct app {
	const char *name;		/* "base": socket ca-base.sock, Worker.base.* */
	const struct route *routes;
	int (*init)(void);		/* per child, after the DB connection; may be NULL */
};

int app_run(const struct app *app, int argc, char **argv);

/* Where a signed-out GET is sent to sign in ("/base/login"); a worker whose
 * pages all have another sign-in may set it from its init.  A phone page's
 * route says RP_PHONE instead (core/phone.h: PHONE_LOGIN). */
extern const char *app_login_path;

/* A GET handler calls this when its answer depends only on the URL, the
 * signed-in user (and session) and data the result cache covers (core/db.h,
 * db_request_pure()).  A 200 answer of such a request is then kept by the
 * process and sent again for the same URL, user and data generation
 * without running the handler.  Lists (crud_list) and the map data do. */
void app_cacheable(void);

#endif
