/*
 * app.c — the FastCGI worker: prefork supervisor, request loop, policy
 * enforcement and the one place where responses are rendered and sent.
 *
 * The parent opens the unix socket, forks Worker.<name>.procs children
 * and replaces any child that dies, so one crashing request never takes a
 * module down.  Each child is single-threaded, holds one MariaDB
 * connection and serves requests with FCGX_Accept_r; SIGTERM makes it
 * finish the current request and exit.
 */
#include "core/app.h"

#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ClearSilver.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/config.h"
#include "core/db.h"
#include "core/json.h"
#include "core/log.h"
#include "core/phone.h"
#include "core/req.h"
#include "core/route.h"
#include "core/tpl.h"

#define MAX_PROCS 64

const char *app_login_path = "/base/login";

static volatile sig_atomic_t stopping;
static pid_t children[MAX_PROCS];
static time_t started[MAX_PROCS];

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "Error";
	}
}

/* Request data every template sees. */
static void
set_common(struct req *r)
{
	tpl_set(r, "Req.path", r->path ? r->path : "");
	tpl_set(r, "Req.query", r->query_string ? r->query_string : "");
	tpl_set(r, "Req.id", r->id);
	if (r->user) {
		tpl_set_int(r, "User.id", r->user->id);
		tpl_set(r, "User.username", r->user->username);
		tpl_set(r, "User.name", r->user->name);
		tpl_set(r, "User.role", r->user->role);
		tpl_set(r, "User.role_name", strcmp(r->lang, "en") == 0 ?
		    r->user->role_name_en : r->user->role_name);
		tpl_set(r, "User.company_name", r->user->company_name);
		if (r->user->unread_notices > 0)
			tpl_set_int(r, "User.unread_notices", r->user->unread_notices);
		for (int p = 1; p < PERM__MAX; p++)
			if (r->user->perms & (1ULL << p))
				tpl_setf(r, "1", "Perm.%s", perm_name(p));
	}
	if (r->csrf)
		tpl_set(r, "Csrf", r->csrf);
}

/* Message for an error status when the handler gave none. */
static void
default_error(struct req *r, int status)
{
	char key[32];

	if (tpl_get(r, "Page.error"))
		return;
	snprintf(key, sizeof(key), "http.%d", status);
	tpl_set(r, "Page.error", tpl_lang(r, key));
}

/* ---- response cache ---------------------------------------------------
 *
 * A GET answered 200 by a handler that called app_cacheable(), whose reads
 * were all answered by the result cache's rules (db_request_pure()), is
 * kept with a key of everything it may depend on: the path and query, JSON
 * or not, the language, the user as the session query read it this time
 * (id, names, role, permissions, scope, CSRF token), today's date and the
 * data generation.  The same request again is answered with the stored
 * body and headers under a new request id, without the handler.  No answer
 * that sets a cookie or contains its own request id is kept.
 */
#define RESP_SLOTS 16
#define RESP_BUDGET (3u << 20)
#define RESP_MAX (1536u << 10)

struct resp {
	uint64_t hash;
	char *key;
	size_t keylen;
	char *type;
	char *hdrs;
	size_t hlen;
	char *body;
	size_t blen;
	bool raw;
};
static struct resp resps[RESP_SLOTS];
static int resp_next;
static size_t resp_bytes;
static int64_t resp_gen = -1;
static bool resp_allowed;

void
app_cacheable(void)
{
	resp_allowed = true;
}

static void
resp_drop(struct resp *e)
{
	resp_bytes -= e->keylen + e->hlen + e->blen;
	free(e->key);
	free(e->hdrs);
	free(e->body);
	free(e->type);
	memset(e, 0, sizeof(*e));
}

static void
key_str(struct buf *k, const char *s)
{
	buf_puts(k, s ? s : "");
	buf_putc(k, '\0');
}

/* The key of this request, or NULL when it cannot be answered from the cache. */
static struct buf *
resp_key(struct req *r, uint64_t *hash)
{
	struct buf *k;
	const struct user *u = r->user;
	int64_t gen = db_generation();
	uint64_t h = 1469598103934665603ULL;

	if (r->method != M_GET || u == NULL || gen < 0 || !cfg_int("Config.ResponseCache", 1))
		return NULL;
	if (gen != resp_gen) {
		for (int i = 0; i < RESP_SLOTS; i++)
			if (resps[i].key)
				resp_drop(&resps[i]);
		resp_gen = gen;
	}
	k = arena_alloc(r->arena, sizeof(*k));
	buf_init(k, r->arena, 512);
	key_str(k, r->path);
	key_str(k, r->query_string);
	key_str(k, r->want_json ? "json" : "html");
	key_str(k, r->lang);
	buf_printf(k, "%lld|%llu|%d|%lld|%lld|%d|%lld|", (long long)u->id,
	    (unsigned long long)u->perms, u->scope_all, (long long)u->company_id,
	    (long long)u->supplier_id, u->must_change_pw,
	    (long long)cfg_local_day((long)time(NULL)));
	key_str(k, u->username);
	key_str(k, u->name);
	key_str(k, u->role);
	key_str(k, u->role_name);
	key_str(k, u->role_name_en);
	key_str(k, u->company_name);
	key_str(k, u->lang);
	key_str(k, r->csrf);
	for (size_t i = 0; i < k->len; i++) {
		h ^= (unsigned char)k->data[i];
		h *= 1099511628211ULL;
	}
	*hash = h;
	return k;
}

static const struct resp *
resp_find(const struct buf *k, uint64_t hash)
{
	for (int i = 0; i < RESP_SLOTS; i++)
		if (resps[i].key && resps[i].hash == hash && resps[i].keylen == k->len &&
		    memcmp(resps[i].key, k->data, k->len) == 0)
			return &resps[i];
	return NULL;
}

static void
resp_keep(struct req *r, const struct buf *k, uint64_t hash, const char *type,
    const struct buf *body)
{
	struct resp *e;
	size_t need = k->len + r->headers.len + body->len;

	if (need > RESP_MAX || memmem(r->headers.data, r->headers.len, "Set-Cookie", 10) ||
	    memmem(body->data, body->len, r->id, strlen(r->id)))
		return;
	while (resp_bytes + need > RESP_BUDGET)
		for (int i = 0; i < RESP_SLOTS; i++)
			if (resps[i].key)
				resp_drop(&resps[i]);
	e = &resps[resp_next];
	resp_next = (resp_next + 1) % RESP_SLOTS;
	if (e->key)
		resp_drop(e);
	e->key = malloc(k->len);
	e->hdrs = malloc(r->headers.len + 1);
	e->body = malloc(body->len + 1);
	e->type = strdup(type);
	if (e->key == NULL || e->hdrs == NULL || e->body == NULL || e->type == NULL) {
		free(e->key);
		free(e->hdrs);
		free(e->body);
		free(e->type);
		memset(e, 0, sizeof(*e));
		return;
	}
	memcpy(e->key, k->data, k->len);
	memcpy(e->hdrs, r->headers.data, r->headers.len);
	memcpy(e->body, body->data, body->len);
	e->keylen = k->len;
	e->hlen = r->headers.len;
	e->blen = body->len;
	e->hash = hash;
	e->raw = r->raw;
	resp_bytes += need;
}

/* For the benchmarks' hit rate: "X-Cache: hit" on an answer of the
 * response cache, "miss" on a cacheable GET it could not answer. */
static const char *x_cache;

/* Status line, headers and body to nginx. */
static void
write_out(struct req *r, int status, const char *type, bool raw, const char *hdrs,
    size_t hlen, const char *body, size_t blen)
{
	struct buf out;

	buf_init(&out, r->arena, 512 + hlen);
	buf_printf(&out, "Status: %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nX-Request-Id: %s\r\n",
	    status, reason(status), type, blen, r->id);
	if (!raw)
		buf_puts(&out, "Cache-Control: no-store\r\n");
	if (x_cache)
		buf_printf(&out, "X-Cache: %s\r\n", x_cache);
	buf_append(&out, hdrs, hlen);
	buf_puts(&out, "\r\n");
	FCGX_PutStr(out.data, (int)out.len, r->fcgi->out);
	if (r->method != M_HEAD && blen > 0)
		FCGX_PutStr(body, (int)blen, r->fcgi->out);
	r->status = status;
}

static void
send_response(struct req *r, int status, const struct buf *key, uint64_t hash)
{
	struct buf body;
	const char *type = "text/html; charset=utf-8";
	const struct buf *b = &body;

	buf_init(&body, r->arena, 16384);
	if (r->raw) {
		b = &r->body;
		type = r->raw_type ? r->raw_type : "application/octet-stream";
	} else if (r->location && status >= 300 && status < 400) {
		if (r->want_json) {
			/* API clients get the outcome, not a redirect. */
			tpl_set(r, "Page.location", r->location);
			tpl_set(r, "Page.ok", "1");
			json_from_hdf(r, "Page", &body);
			type = "application/json";
			status = 200;
		} else
			req_header(r, "Location", r->location);
	} else if (r->want_json) {
		type = "application/json";
		if (status >= 400) {
			default_error(r, status);
			json_error(r, status, &body);
		} else
			json_from_hdf(r, "Page", &body);
	} else {
		const char *view = tpl_get(r, "Page.view");

		if (status >= 400) {
			default_error(r, status);
			/* A phone route's error is a phone page (views/error.cs). */
			if (r->route && (r->route->policy & RP_PHONE)) {
				tpl_set(r, "Page.bare", "1");
				tpl_set(r, "Page.phone", "1");
			}
			if (view == NULL || status >= 500 || status == 404 ||
			    status == 403 || status == 405 || status == 413 ||
			    status == 400 || status == 415 ||
			    (status == 429 && view == NULL))
				view = "error.cs";
			tpl_set_int(r, "Page.status", status);
		}
		if (view == NULL) {
			log_err("handler for %s set no view", r->path);
			status = 500;
			default_error(r, status);
			view = "error.cs";
		}
		set_common(r);
		if (tpl_render(r, "layout.cs", view, &body) != 0) {
			/* Never leak template internals: a fixed page. */
			status = 500;
			buf_clear(&body);
			buf_printf(&body, "<!doctype html><meta charset=utf-8><title>500</title>"
			    "<p>Internal error. Reference: %s</p>", r->id);
		}
	}

	if (key && resp_allowed && status == 200 && r->location == NULL && db_request_pure())
		resp_keep(r, key, hash, type, b);
	write_out(r, status, type, r->raw, r->headers.data, r->headers.len, b->data, b->len);
}

/* Run the handler under the route's policy; returns the HTTP status. */
static int
dispatch(const struct app *app, struct req *r)
{
	const struct route *rt;
	int status = 0;

	rt = route_match(app->routes, r, &status);
	if (rt == NULL)
		return status;
	r->route = rt;
	if (!(rt->policy & RP_PUBLIC) && r->user == NULL) {
		if (r->want_json || r->method != M_GET)
			return 401;
		{
			struct buf next;

			buf_init(&next, r->arena, 128);
			buf_puts(&next, rt->policy & RP_PHONE ? PHONE_LOGIN : app_login_path);
			buf_puts(&next, "?next=");
			url_encode(&next, r->path);
			return req_redirect(r, next.data);
		}
	}
	if (r->user && r->user->must_change_pw && !(rt->policy & (RP_PWCHANGE | RP_PUBLIC))) {
		if (r->want_json || r->method != M_GET) {
			tpl_set(r, "Page.error", tpl_lang(r, "pw.must_change"));
			return 403;
		}
		return req_redirect(r, "/base/password");
	}
	if (rt->perm != PERM_NONE && !user_can(r, rt->perm))
		return 403;
	if (r->method == M_POST &&
	    !csrf_ok(r, (rt->policy & RP_PRECSRF) && r->user == NULL)) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.csrf"));
		return 403;
	}
	if (!(rt->policy & RP_TX)) {
		status = rt->fn(r);
		return db_request_failed() && status < 500 ? 500 : status;
	}

	for (int attempt = 0; attempt < 3; attempt++) {
		int doomed;

		if (db_begin() != 0)
			return 503;
		status = rt->fn(r);
		if ((doomed = db_tx_doomed()) != 0) {
			/* A statement failed under the handler: whatever it then
			 * answered, nothing of this attempt may be committed. */
			db_rollback();
			if (doomed != DB_RETRY) {
				hdf_remove_tree(r->hdf, "Page");
				return 500;
			}
			status = APP_RETRY;
		} else if (status >= 200 && status < 400) {
			int rc = db_commit();

			if (rc == 0)
				return status;
			db_rollback();
			if (rc != DB_RETRY)
				return 500;
		} else {
			db_rollback();
			if (status != APP_RETRY)
				return status;
		}
		/* Deadlock: forget what the attempt produced and run again. */
		hdf_remove_tree(r->hdf, "Page");
		buf_clear(&r->headers);
		r->location = NULL;
		r->raw = false;
		log_warn("deadlock on %s, retry %d", r->path, attempt + 1);
		db_pause_retry(attempt);
	}
	return 503;
}

static void
serve(const struct app *app, FCGX_Request *fr, struct arena *arena)
{
	static unsigned long counter;
	struct req req;
	struct req *r = &req;
	struct timespec t0, t1;
	struct buf *key = NULL;
	const struct resp *hit = NULL;
	uint64_t hash = 0;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	arena_reset(arena);
	memset(r, 0, sizeof(*r));
	r->fcgi = fr;
	r->arena = arena;
	r->config = cfg_root();
	snprintf(r->id, sizeof(r->id), "%x-%lx", (unsigned)getpid(), ++counter);
	log_set_request_id(r->id);
	buf_init(&r->headers, arena, 512);
	buf_init(&r->body, arena, 64);

	db_set_generation(-1);	/* the session lookup reads it */
	(void)db_request_failed();
	status = req_parse(r);
	if (status == 0)
		auth_load_session(r);
	tpl_begin(r);
	resp_allowed = false;
	x_cache = NULL;
	if (status == 0 && (key = resp_key(r, &hash)) != NULL)
		x_cache = (hit = resp_find(key, hash)) != NULL ? "hit" : "miss";
	if (hit)
		write_out(r, 200, hit->type, hit->raw, hit->hdrs, hit->hlen, hit->body, hit->blen);
	else {
		if (status == 0)
			status = dispatch(app, r);
		if (db_tx_depth() > 0) {
			log_err("handler left a transaction open: %s", r->path);
			db_rollback();
		}
		db_request_end();
		send_response(r, status, key, hash);
	}
	tpl_end(r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (r->status >= 500)
		log_err("%s %s -> %d", req_env(r, "REQUEST_METHOD"), r->path ? r->path : "?", r->status);
	else if ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 > 500)
		log_warn("slow: %s %s %ld ms", req_env(r, "REQUEST_METHOD"), r->path,
		    (long)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000));
	log_set_request_id(NULL);
}

static void
child_main(const struct app *app, int sock)
{
	FCGX_Request fr;
	struct arena arena;
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;	/* no SA_RESTART: accept() must return */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);

	if (db_connect(cfg_root()) != 0) {
		sleep(1);	/* the parent restarts us; do not spin */
		_exit(2);
	}
	if (app->init && app->init() != 0)
		_exit(2);
	arena_init(&arena, 64 << 10);
	FCGX_InitRequest(&fr, sock, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!stopping && FCGX_Accept_r(&fr) >= 0) {
		serve(app, &fr, &arena);
		FCGX_Finish_r(&fr);
	}
	db_disconnect();
	arena_free(&arena);
	_exit(0);
}

static pid_t
spawn(const struct app *app, int sock)
{
	pid_t pid = fork();

	if (pid < 0) {
		log_err("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child_main(app, sock);
	return pid;
}

static void
usage(const char *name)
{
	fprintf(stderr, "usage: ca-%s --config FILE | --routes\n", name);
	exit(64);
}

int
app_run(const struct app *app, int argc, char **argv)
{
	const char *conf = NULL;
	char path[1024], key[64];
	int sock, procs;
	struct sigaction sa;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--routes") == 0) {
			route_print(app->routes);
			return 0;
		}
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			conf = argv[++i];
		else
			usage(app->name);
	}
	if (conf == NULL)
		usage(app->name);
	log_set_name(app->name);
	cfg_load(conf);
	tpl_init(cfg_str("Paths.views", "views"));
	snprintf(key, sizeof(key), "Worker.%s.procs", app->name);
	procs = cfg_int(key, 2);
	if (procs < 1 || procs > MAX_PROCS)
		procs = 2;

	snprintf(path, sizeof(path), "%s/ca-%s.sock", cfg_str("Paths.run", "var/run"), app->name);
	unlink(path);
	/* libfcgi closes each connection "lingering": shutdown, then wait up to
	 * 2 s for the peer to close first, a guard against TCP resets losing the
	 * answer.  nginx reaches us over a unix socket, where a close never
	 * discards what was sent, and the wait left a process idle between
	 * requests for as long as nginx took to get round to closing (under load
	 * the process spent more time there than serving).  0: drain what is
	 * already there and close.  An operator's own setting is kept. */
	setenv("LIBFCGI_OS_CLOSE_POLL_TIMEOUT", "0", 0);
	if (FCGX_Init() != 0)
		die("FCGX_Init failed");
	sock = FCGX_OpenSocket(path, 256);
	if (sock < 0)
		die("cannot listen on %s", path);
	chmod(path, 0666);	/* nginx may run as another user; the directory guards it */
	log_info("listening on %s with %d processes", path, procs);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (int i = 0; i < procs; i++) {
		children[i] = spawn(app, sock);
		started[i] = time(NULL);
	}
	while (!stopping) {
		int st;
		pid_t pid = waitpid(-1, &st, 0);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			sleep(1);
			continue;
		}
		for (int i = 0; i < procs; i++) {
			if (children[i] != pid)
				continue;
			if (WIFSIGNALED(st))
				log_err("child %d killed by signal %d; restarting", (int)pid, WTERMSIG(st));
			else
				log_warn("child %d exited with %d; restarting", (int)pid, WEXITSTATUS(st));
			if (stopping)
				break;
			if (time(NULL) - started[i] < 1)
				sleep(1);	/* crashing at start: do not fork-storm */
			children[i] = spawn(app, sock);
			started[i] = time(NULL);
		}
	}
	for (int i = 0; i < procs; i++)
		if (children[i] > 0)
			kill(children[i], SIGTERM);
	for (int i = 0; i < procs; i++)
		if (children[i] > 0)
			waitpid(children[i], NULL, 0);
	unlink(path);
	log_info("stopped");
	return 0;
}
