/*
 * import.c — bulk import (批量导入, issue 3 item 10) of stations, piles and
 * sub-assets from CSV or XLSX: the pages, the jobs, the commit.
 *
 *   upload (POST /asset/import)  sniff and read the file (core/sheet.c),
 *                                check its header, make the job (a repeated
 *                                submit with the same form_key lands on it)
 *                                and keep the file; dry run of every row
 *                                (import_rows.c): nothing is written but the
 *                                job and its errors.
 *   commit (POST …/:id/commit)   one transaction: lock the job, read the
 *                                kept file again, validate and write every
 *                                row; any error rolls everything back.
 * Progress of both goes to import_progress, a non-transactional table whose
 * rows other connections see at once, which the page polls (import.js).
 * The history is a read-only list of the jobs in the user's scope.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/log.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/sheet.h"
#include "core/text.h"
#include "core/tpl.h"

#include "asset/asset.h"
#include "asset/import.h"

#define ERRORS_PER_PAGE 100

/* ---------------------------------------------------------------- jobs */

static const struct query q_job_by_key = {
	"SELECT id FROM import_jobs WHERE user_id = ? AND form_key = ?", "ls", "l"
};
static const struct query q_job_insert = {
	"INSERT INTO import_jobs (form_key, kind, filename, fmt, converted, rows_total, state,"
	" user_id, company_id) VALUES (?, ?, ?, ?, ?, 0, 'checking', ?, ?)", "ssssill", ""
};
static const struct query q_job_result = {
	"UPDATE import_jobs SET rows_total = ?, error_count = ?, state = ?, check_ms = ?"
	" WHERE id = ?", "iisil", ""
};
static const struct query q_job_done = {
	"UPDATE import_jobs SET rows_total = ?, error_count = 0, created_count = ?, state = 'done',"
	" commit_ms = ?, committed_at = UTC_TIMESTAMP() WHERE id = ?", "iiil", ""
};
static const struct query q_errors_clear = {
	"DELETE FROM import_errors WHERE job_id = ?", "l", ""
};
static const struct query q_error_insert = {
	"INSERT INTO import_errors (job_id, row_no, col, message, value) VALUES (?, ?, ?, ?, ?)",
	"liss?s", ""
};
static const struct query q_job_lock = {
	"SELECT kind, filename, fmt, state, form_key, user_id FROM import_jobs"
	" WHERE id = ? FOR UPDATE", "l", "sssssl"
};

/* Progress rows are worth nothing once their page has moved on. */
static const struct query q_progress_purge = {
	"DELETE FROM import_progress WHERE updated_at < UTC_TIMESTAMP() - INTERVAL 1 DAY", "", ""
};

static const char *
upload_dir(struct req *r)
{
	return arena_printf(r->arena, "%s/import", cfg_str("Paths.upload", "var/upload"));
}

static const char *
job_path(struct req *r, int64_t id, const char *fmt)
{
	return arena_printf(r->arena, "%s/%lld.%s", upload_dir(r), (long long)id, fmt);
}

static int
save_file(struct req *r, const char *path, const char *data, size_t len)
{
	const char *dir = upload_dir(r);
	FILE *f;

	mkdir(cfg_str("Paths.upload", "var/upload"), 0750);
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return -1;
	f = fopen(path, "wb");
	if (f == NULL)
		return -1;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		unlink(path);
		return -1;
	}
	return fclose(f);
}

char *
import_load_file(struct req *r, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *data;

	if (f == NULL || fstat(fileno(f), &st) != 0) {
		if (f)
			fclose(f);
		return NULL;
	}
	data = arena_alloc(r->arena, (size_t)st.st_size + 1);
	*len = fread(data, 1, (size_t)st.st_size, f);
	fclose(f);
	return data;
}

static void
store_errors(struct run *u, int64_t job)
{
	db_exec(&q_errors_clear, job);
	for (int i = 0; i < u->nstored; i++) {
		const struct ierr *e = &u->errs[i];

		if (db_exec(&q_error_insert, job, e->line, e->col, e->msg,
		    e->has_value ? e->value : NULL) < 0)
			return;	/* logged; the transaction is doomed */
	}
}

/* ---------------------------------------------------------------- pages */

static void
page_kinds(struct req *r, int kind)
{
	for (int i = 0; i < IK__MAX; i++) {
		char key[64];

		tpl_setf(r, import_kind_names[i], "Page.kinds.%d.id", i);
		snprintf(key, sizeof(key), "import.kind.%s", import_kind_names[i]);
		tpl_setf(r, tpl_lang(r, key), "Page.kinds.%d.label", i);
		if (i == kind)
			tpl_setf(r, "1", "Page.kinds.%d.cur", i);
	}
	tpl_set(r, "Page.kind", import_kind_names[kind]);
	{
		char key[64];

		snprintf(key, sizeof(key), "import.kind.%s", import_kind_names[kind]);
		tpl_set(r, "Page.kind_label", tpl_lang(r, key));
	}
}

static void
page_columns(struct req *r, int kind)
{
	const struct kind_desc *kd = &import_kinds[kind];
	const struct resource *res = kd->res();

	for (int k = 0; k < kd->ncols; k++) {
		tpl_setf(r, import_lang_f(r, kd->cols[k].field), "Page.columns.%d.label", k);
		tpl_setf(r, import_col_hint(r, res, &kd->cols[k]), "Page.columns.%d.hint", k);
		if (import_col_required(r, res, &kd->cols[k]))
			tpl_setf(r, "1", "Page.columns.%d.required", k);
	}
}

static int
show_page(struct req *r, int kind, const char *key, int status)
{
	page_kinds(r, kind);
	page_columns(r, kind);
	{
		char rk[64];

		snprintf(rk, sizeof(rk), "import.kind_rule.%s", import_kind_names[kind]);
		tpl_set(r, "Page.kind_rule", tpl_lang(r, rk));
	}
	tpl_set(r, "Page.form_key", key);
	tpl_set(r, "Page.menu", "asset.import");
	tpl_set(r, "Page.title", tpl_lang(r, "import.title"));
	tpl_set(r, "Page.view", "asset/import_page.cs");
	return status;
}

int
import_page(struct req *r)
{
	int kind = import_kind_parse(req_query(r, "kind"));

	return show_page(r, kind < 0 ? IK_PILE : kind, auth_random_token(r), 200);
}

/* The name the user gave the file, cut to whole characters. */
static const char *
file_label(struct req *r, const char *name)
{
	const char *base = strrchr(name, '/'), *bs = strrchr(name, '\\');
	char *s;
	size_t n;

	if (bs > base)
		base = bs;
	s = arena_strdup(r->arena, base ? base + 1 : name);
	n = strlen(s);
	if (n > 190)
		s[n = 190] = '\0';
	while (n > 0 && !utf8_valid(s, n))
		s[--n] = '\0';
	return *s ? s : "upload";
}

static int
redirect_job(struct req *r, int64_t id, const char *flash)
{
	return req_redirect(r, arena_printf(r->arena, "/asset/import/%lld%s%s", (long long)id,
	    flash ? "?flash=" : "", flash ? flash : ""));
}

int
import_upload(struct req *r)
{
	int kind = import_kind_parse(req_param(r, "kind"));
	const char *key = auth_form_key(r, "form_key"), *msg;
	const struct upload *up = NULL;
	struct timespec t0;
	struct sheet sh;
	struct run u;
	int64_t id, rc;

	if (kind < 0)
		return 400;
	if (key == NULL)
		key = auth_random_token(r);
	else if ((id = db_scalar(0, &q_job_by_key, r->user->id, key)) > 0)
		return redirect_job(r, id, "exists");
	for (const struct upload *p = r->uploads; p; p = p->next)
		if (strcmp(p->field, "file") == 0)
			up = p;
	if (up == NULL || up->len == 0) {
		tpl_set(r, "Page.error", tpl_lang(r, up ? "sheet.empty" : "import.no_file"));
		return show_page(r, kind, key, 422);
	}
	if (up->len > MAX_FILE) {
		tpl_set(r, "Page.error", import_msg_n(r, "sheet.too_large", (long)(MAX_FILE >> 20)));
		return show_page(r, kind, key, 413);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	import_run_init(&u, r, kind);
	if ((msg = import_open(&u, up->data, up->len, &sh)) != NULL) {
		tpl_set(r, "Page.error", msg);
		return show_page(r, kind, key, 422);
	}
	if (sh.nrows < 2) {
		tpl_set(r, "Page.error", tpl_lang(r, "sheet.no_rows"));
		return show_page(r, kind, key, 422);
	}

	/* The job first (its own short transaction), so a second submit of
	 * this form finds it while this one is still checking. */
	rc = db_exec(&q_job_insert, key, import_kind_names[kind], file_label(r, up->filename),
	    sh.fmt == SHEET_XLSX ? "xlsx" : "csv", (int)sh.converted, r->user->id,
	    r->user->company_id);
	if (rc == DB_DUP && (id = db_scalar(0, &q_job_by_key, r->user->id, key)) > 0)
		return redirect_job(r, id, "exists");
	if (rc < 0)
		return 500;
	id = db_insert_id();
	if (save_file(r, job_path(r, id, sh.fmt == SHEET_XLSX ? "xlsx" : "csv"), up->data, up->len) != 0) {
		log_err("import: cannot keep the file of job %lld", (long long)id);
		return 500;
	}
	u.progress_key = key;
	db_exec(&q_progress_purge);
	import_note_progress(&u, "check", 0, sh.nrows - 1);
	import_prepare(&u);
	import_run_rows(&u, false);
	if (db_begin() != 0)
		return 500;
	store_errors(&u, id);
	db_exec(&q_job_result, u.rows, u.nerrs, u.nerrs ? "invalid" : "ready", (int)import_ms_since(&t0), id);
	if (db_commit() != 0) {
		db_rollback();
		return 500;
	}
	import_note_progress(&u, "done", sh.nrows - 1, sh.nrows - 1);
	return redirect_job(r, id, u.nerrs ? "invalid" : "ready");
}

static const struct query q_job_show = {
	"SELECT j.id, j.kind, j.filename, j.fmt, j.converted, j.rows_total, j.error_count,"
	" j.created_count, j.state, j.check_ms, j.commit_ms,"
	" DATE_FORMAT(" SQL_LOCAL("j.created_at") ", '%Y-%m-%d %H:%i:%s'),"
	" DATE_FORMAT(" SQL_LOCAL("j.committed_at") ", '%Y-%m-%d %H:%i:%s'),"
	" u.name, j.form_key, j.user_id"
	" FROM import_jobs j JOIN users u ON u.id = j.user_id"
	" WHERE j.id = ?" SCOPE_COMPANY("j.company_id"),
	"lil", "lssssssssssssssl"
};
static const char *const show_names[] = {
	NULL, "kind", "filename", "fmt", "converted", "rows_total", "error_count",
	"created_count", "state", "check_ms", "commit_ms", "created_at", "committed_at",
	"user", "form_key",
};
static const struct query q_errors_page = {
	"SELECT row_no, col, message, COALESCE(value, '') FROM import_errors WHERE job_id = ?"
	" ORDER BY row_no, id LIMIT ? OFFSET ?", "lll", "isss"
};
static const struct query q_errors_count = {
	"SELECT COUNT(*) FROM import_errors WHERE job_id = ?", "l", "l"
};

static int
show_job(struct req *r, int64_t id, int status)
{
	static const char *const flashes[] = { "exists", "invalid", "ready", "done", "failed",
		"committed", "checking", NULL };
	const char *flash = req_query(r, "flash");
	struct db_cur c;
	int64_t page = 1, stored, pages, owner = 0;
	int n = 0, kind = 0;
	bool found = false;

	if (db_open(&c, &q_job_show, id, SCOPE_ARGS(r)) < 0)
		return 500;
	if (db_next(&c)) {
		found = true;
		for (int i = 1; i < (int)(sizeof(show_names) / sizeof(show_names[0])); i++)
			tpl_setf(r, db_str(&c, i), "Page.job.%s", show_names[i]);
		kind = import_kind_parse(db_str(&c, 1));
		owner = db_i64(&c, 15);
	}
	db_close(&c);
	if (!found || kind < 0)
		return 404;
	tpl_set_int(r, "Page.id", id);
	if (owner == r->user->id)
		tpl_set(r, "Page.mine", "1");
	page_kinds(r, kind);
	{
		char key[64];

		snprintf(key, sizeof(key), "import.state.%s", tpl_get(r, "Page.job.state"));
		tpl_set(r, "Page.job.state_label", tpl_lang(r, key));
	}
	stored = db_scalar(0, &q_errors_count, id);
	if (req_int64(r, "page", &page) != 0 || page < 1)
		page = 1;
	pages = stored == 0 ? 1 : (stored + ERRORS_PER_PAGE - 1) / ERRORS_PER_PAGE;
	if (page > pages)
		page = pages;
	if (db_open(&c, &q_errors_page, id, (int64_t)ERRORS_PER_PAGE,
	    (page - 1) * ERRORS_PER_PAGE) < 0)
		return 500;
	while (db_next(&c)) {
		HDF *node = tpl_node(r, "Page.errors_list.%d", n++);

		tpl_node_set(node, "row", arena_printf(r->arena, "%d", db_int(&c, 0)));
		tpl_node_set(node, "col", db_str(&c, 1));
		tpl_node_set(node, "message", db_str(&c, 2));
		tpl_node_set(node, "value", db_str(&c, 3));
	}
	db_close(&c);
	tpl_set_int(r, "Page.errors_stored", stored);
	tpl_set_int(r, "Page.page", page);
	tpl_set_int(r, "Page.pages", pages);
	if (page > 1)
		tpl_set_int(r, "Page.prev_page", page - 1);
	if (page < pages)
		tpl_set_int(r, "Page.next_page", page + 1);
	if (atoi(tpl_get(r, "Page.job.error_count")) > MAX_ERRORS)
		tpl_set(r, "Page.errors_capped", import_msg_n(r, "import.errors_capped", MAX_ERRORS));
	for (int i = 0; flash && flashes[i]; i++)
		if (strcmp(flash, flashes[i]) == 0) {
			char key[64];

			snprintf(key, sizeof(key), "import.flash.%s", flashes[i]);
			tpl_set(r, "Page.flash", tpl_lang(r, key));
			tpl_set(r, "Page.flash_kind", strcmp(flash, "invalid") == 0 ||
			    strcmp(flash, "failed") == 0 || strcmp(flash, "checking") == 0 ? "warning" :
			    "success");
		}
	tpl_set(r, "Page.menu", "asset.import");
	tpl_set(r, "Page.title", arena_printf(r->arena, "%s #%lld", tpl_lang(r, "import.job"),
	    (long long)id));
	tpl_set(r, "Page.view", "asset/import_show.cs");
	return status;
}

int
import_show(struct req *r)
{
	int64_t id;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	return show_job(r, id, 200);
}

/*
 * The commit: one transaction that locks the job (a second submit waits
 * here, then finds it done), reads the kept file again, validates every
 * row against the database as it is now and writes it; errors roll it all
 * back and become the job's errors.
 */
int
import_commit(struct req *r)
{
	struct timespec t0;
	struct db_cur c;
	struct sheet sh;
	struct run u;
	int64_t id, owner = 0;
	char kind_s[16] = "", fmt[8] = "", state[12] = "", key[65] = "";
	char *filename = NULL, *data;
	const char *msg;
	size_t len;
	int kind, rc;
	bool found = false;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (db_begin() != 0)
		return 500;
	if (db_open(&c, &q_job_lock, id) < 0) {
		db_rollback();
		return 500;
	}
	if (db_next(&c)) {
		found = true;
		snprintf(kind_s, sizeof(kind_s), "%s", db_str(&c, 0));
		filename = arena_strdup(r->arena, db_str(&c, 1));
		snprintf(fmt, sizeof(fmt), "%s", db_str(&c, 2));
		snprintf(state, sizeof(state), "%s", db_str(&c, 3));
		snprintf(key, sizeof(key), "%s", db_str(&c, 4));
		owner = db_i64(&c, 5);
	}
	db_close(&c);
	/* Only whoever uploaded it commits a job, with that user's data scope. */
	if (!found || owner != r->user->id || (kind = import_kind_parse(kind_s)) < 0) {
		db_rollback();
		return 404;
	}
	if (strcmp(state, "ready") != 0) {
		db_rollback();
		return redirect_job(r, id, strcmp(state, "done") == 0 ? "committed" :
		    strcmp(state, "checking") == 0 ? "checking" : "invalid");
	}
	data = import_load_file(r, job_path(r, id, fmt), &len);
	if (data == NULL) {
		db_rollback();
		log_err("import: the file of job %lld is gone", (long long)id);
		return 500;
	}
	import_run_init(&u, r, kind);
	if ((msg = import_open(&u, data, len, &sh)) != NULL) {
		/* It was read before, so the kept file changed (or the limits
		 * did): refused as the upload would be, nothing written. */
		db_rollback();
		log_err("import %lld: the kept file is refused now", (long long)id);
		tpl_set(r, "Page.error", msg);
		return show_job(r, id, 422);
	}
	r->audit_source = arena_printf(r->arena, "%s %s (#%lld)", tpl_lang(r, "import.source"),
	    filename, (long long)id);
	u.progress_key = key;
	import_note_progress(&u, "commit", 0, sh.nrows - 1);
	import_prepare(&u);
	rc = import_run_rows(&u, true);
	r->audit_source = NULL;
	if (rc == 0 && u.nerrs == 0) {
		db_exec(&q_job_done, u.rows, u.created, (int)import_ms_since(&t0), id);
		if (db_commit() == 0) {
			import_note_progress(&u, "done", sh.nrows - 1, sh.nrows - 1);
			log_info("import %lld: %d %s rows in %ld ms", (long long)id, u.created,
			    import_kind_names[kind], import_ms_since(&t0));
			return redirect_job(r, id, "done");
		}
	}
	db_rollback();
	import_note_progress(&u, "done", sh.nrows - 1, sh.nrows - 1);
	if (rc != 0 || u.nerrs == 0)
		return 500;
	/* What changed since the dry run: the job goes back to invalid. */
	if (db_begin() != 0)
		return 500;
	store_errors(&u, id);
	db_exec(&q_job_result, u.rows, u.nerrs, "invalid", (int)import_ms_since(&t0), id);
	if (db_commit() != 0) {
		db_rollback();
		return 500;
	}
	return redirect_job(r, id, "failed");
}

static const struct query q_progress_get = {
	"SELECT phase, done_rows, total_rows FROM import_progress WHERE user_id = ? AND form_key = ?",
	"ls", "sii"
};

/* JSON for import.js: {"phase": "check", "done": "250", "total": "10000"}. */
int
import_progress(struct req *r)
{
	const char *key = auth_form_key(r, "key");
	struct db_cur c;

	r->want_json = true;
	tpl_set(r, "Page.phase", "none");
	tpl_set(r, "Page.done", "0");
	tpl_set(r, "Page.total", "0");
	if (key == NULL)
		return 200;
	if (db_open(&c, &q_progress_get, r->user->id, key) < 0)
		return 500;
	if (db_next(&c)) {
		tpl_set(r, "Page.phase", db_str(&c, 0));
		tpl_set_int(r, "Page.done", db_int(&c, 1));
		tpl_set_int(r, "Page.total", db_int(&c, 2));
	}
	db_close(&c);
	return 200;
}

/* ---------------------------------------------------------------- history */

static const char *const job_states[] = { "checking", "invalid", "ready", "done", NULL };

static const struct list_col hist_cols[] = {
	{ "job_no", 'k', NULL },
	{ "created_at", 't', NULL },
	{ "user", 't', NULL },
	{ "import_kind", 'e', "import_kind" },
	{ "filename", 't', NULL },
	{ "rows_total", 'n', NULL },
	{ "error_count", 'n', NULL },
	{ "created_count", 'n', NULL },
	{ "import_state", 'e', "import_state" },
};
static const struct list_filter hist_filters[] = {
	{ "import_kind", " AND j.kind = ?", 's', NULL, "import_kind", import_kind_names },
	{ "import_state", " AND j.state = ?", 's', NULL, "import_state", job_states },
	{ "q", " AND j.filename LIKE ?", 'q', NULL, NULL, NULL },
	{ "from", " AND j.created_at >= " SQL_UTC("?"), 'd', NULL, NULL, NULL },
	{ "to", " AND j.created_at < " SQL_UTC("? + INTERVAL 1 DAY"), 'd', NULL, NULL, NULL },
};
static const struct list_sort hist_sorts[] = {
	{ "job_no", "j.id", NULL },
	{ "user", "u.name, j.id", NULL },
	{ "filename", "j.filename, j.id", NULL },
	{ "rows_total", "j.rows_total, j.id", NULL },
};

static const struct resource history_res = {
	.name = "import", .module = "asset", .base = "/asset/import/history", .menu = "asset.import",
	.view_perm = PERM_ASSET_EDIT, .edit_perm = PERM__MAX,
	.list_sql = "SELECT j.id, j.id, DATE_FORMAT(" SQL_LOCAL("j.created_at") ", '%Y-%m-%d %H:%i'),"
	    " u.name, j.kind, j.filename, j.rows_total, j.error_count, j.created_count, j.state"
	    " FROM import_jobs j JOIN users u ON u.id = j.user_id WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM import_jobs j WHERE 1=1",
	.scope_sql = SCOPE_COMPANY("j.company_id"),
	.cols = hist_cols, .ncols = 9,
	.filters = hist_filters, .nfilters = 5,
	.sorts = hist_sorts, .nsorts = 4, .desc_default = 1, .has_show = 1,
};

int
import_history(struct req *r)
{
	return crud_list(r, &history_res);
}

int
import_history_export(struct req *r)
{
	return crud_export(r, &history_res);
}
