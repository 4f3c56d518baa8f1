/*
 * import.c — bulk import (批量导入, issue 3 item 10) of stations, piles and
 * sub-assets from CSV or XLSX.
 *
 * Validation is the forms' own: every row becomes the parameters a person
 * would have typed (names of references resolved to ids first), and runs
 * through form_read() with the resource's field descriptors and then its
 * check() hook — the same code as the web form — whose per-field messages
 * are collected as (row, column, message).  A write goes through
 * crud_insert(), the form's insert with its update record and after_save
 * hook (ledger postings, anomaly checks); a pile placed at a station is
 * then bound with pile_bind() like the bind button does.
 *
 * Lookups are batched: each reference list (companies, cities, products,
 * warehouses, stations, dictionaries) is read once per request into a hash
 * map, filtered by the user's data scope, and the codes of the file are
 * checked against the database in one statement.  Per-row statements are
 * the prepared, cached ones of the form.
 *
 *   upload (POST /asset/import)  sniff, read, check headers, make the job
 *                                (a repeated submit with the same form_key
 *                                lands on it), dry run: nothing is written
 *                                but the job and its errors.
 *   commit (POST …/:id/commit)   one transaction: lock the job, read the
 *                                kept file again, validate and write every
 *                                row; any error rolls everything back.
 * Progress of both goes to import_progress, a non-transactional table whose
 * rows other connections see at once, which the page polls (import.js).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <yajl/yajl_gen.h>

#include <ClearSilver.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/export.h"
#include "core/form.h"
#include "core/log.h"
#include "core/req.h"
#include "core/sheet.h"
#include "core/text.h"
#include "core/tpl.h"
#include "model/pile.h"

#include "asset/asset.h"

#define MAX_ROWS 20000		/* data rows of one file */
#define MAX_ERRORS 2000		/* errors kept and shown (all are counted) */
#define PROGRESS_EVERY 250	/* rows between progress updates */
#define ERRORS_PER_PAGE 100
#define MAX_FILE (10u << 20)	/* bytes of an uploaded file */

enum kind { IK_STATION, IK_PILE, IK_SUBASSET, IK__MAX };
static const char *const kind_names[IK__MAX + 1] = { "station", "pile", "subasset", NULL };

/* ---------------------------------------------------------------- reference maps */

enum map_id { M_NONE, M_COMPANIES, M_ALL_COMPANIES, M_LESSORS, M_CITIES, M_PRODUCTS,
	M_WAREHOUSES, M_STATIONS, M_DICT, M__MAX };

struct hit {
	int64_t id;
	int64_t company;	/* the row's company (warehouses, stations) */
	const char *code;	/* dictionaries: the code a name stands for */
	bool in_scope, ambiguous, closed;
};

/* Open addressing over lower-cased keys; arena memory, never shrinks. */
struct map {
	size_t cap, n;
	const char **keys;
	struct hit *hits;
	bool loaded;
};

/* Columns: id, three keys a cell may give (code, name, another), in scope,
 * company, closed.  Params (i scope_all, l company) for every one. */
static const struct query q_maps[M__MAX] = {
	[M_COMPANIES] = { "SELECT id, code, name, '', (? OR id = ?), id, 0 FROM companies"
	    " WHERE kind IN ('city', 'head')", "il", "lsssili" },
	[M_ALL_COMPANIES] = { "SELECT id, code, name, '', 1 + 0 * ? + 0 * ?, id, 0 FROM companies",
	    "il", "lsssili" },
	[M_LESSORS] = { "SELECT id, code, name, '', 1 + 0 * ? + 0 * ?, id, 0 FROM companies"
	    " WHERE is_lessor = 1", "il", "lsssili" },
	[M_CITIES] = { "SELECT id, code, name, CONCAT(province, name), 1 + 0 * ? + 0 * ?,"
	    " COALESCE(company_id, 0), 0 FROM cities", "il", "lsssili" },
	[M_PRODUCTS] = { "SELECT p.id, p.model, p.name, CONCAT(m.name, ' ', p.model), 1 + 0 * ? + 0 * ?,"
	    " 0, 0 FROM products p JOIN companies m ON m.id = p.manufacturer_id", "il", "lsssili" },
	[M_WAREHOUSES] = { "SELECT id, code, name, '', (? OR company_id = ?), company_id, 0"
	    " FROM warehouses", "il", "lsssili" },
	[M_STATIONS] = { "SELECT id, code, name, '', (? OR company_id = ?), company_id,"
	    " state = 'closed' FROM stations", "il", "lsssili" },
};
static const struct query q_dicts = {
	"SELECT dict, code, name, COALESCE(name_en, '') FROM dict_items"
	" WHERE dict IN ('asset_nature', 'comm_method', 'charging_mode')", "", "ssss"
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 1099511628211ull;
	}
	return h;
}

static struct hit *
map_find(struct map *m, const char *key, bool add, struct arena *a)
{
	size_t i;

	if (add && (m->n + 1) * 2 > m->cap) {
		struct map big = { m->cap ? m->cap * 2 : 1024, 0, NULL, NULL, m->loaded };

		big.keys = arena_calloc(a, big.cap, sizeof(*big.keys));
		big.hits = arena_calloc(a, big.cap, sizeof(*big.hits));
		for (size_t k = 0; k < m->cap; k++)
			if (m->keys[k]) {
				*map_find(&big, m->keys[k], true, a) = m->hits[k];
			}
		*m = big;
	}
	if (m->cap == 0)
		return NULL;
	for (i = hash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (strcasecmp(m->keys[i], key) == 0)
			return &m->hits[i];
	if (!add)
		return NULL;
	m->keys[i] = arena_strdup(a, key);
	m->n++;
	memset(&m->hits[i], 0, sizeof(m->hits[i]));
	m->hits[i].id = -1;
	return &m->hits[i];
}

/* Add key → hit; a key naming two different records becomes ambiguous. */
static void
map_put(struct map *m, struct arena *a, const char *key, const struct hit *h)
{
	struct hit *e;

	if (key == NULL || *key == '\0')
		return;
	e = map_find(m, key, true, a);
	if (e->id == -1 && !e->ambiguous)
		*e = *h;
	else if (e->id != h->id || (e->code && h->code && strcmp(e->code, h->code) != 0))
		e->ambiguous = true;
}

/* ---------------------------------------------------------------- kinds and columns */

struct colspec {
	const char *field;	/* the form's field; "station" for a pile's place */
	enum map_id map;
	const char *dict;	/* M_DICT: which dictionary */
	const char *example;	/* NULL: from the database (references) */
};

static const struct colspec station_cols[] = {
	{ "code", M_NONE, NULL, "ST-IMP-0001" },
	{ "name", M_NONE, NULL, "示例充电站" },
	{ "company_id", M_COMPANIES, NULL, NULL },
	{ "city_id", M_CITIES, NULL, NULL },
	{ "address", M_NONE, NULL, "示例路 1 号" },
	{ "lat", M_NONE, NULL, "" },
	{ "lng", M_NONE, NULL, "" },
	{ "state", M_NONE, NULL, "@station_state.approved" },
	{ "asset_nature", M_DICT, "asset_nature", NULL },
	{ "owner_company_id", M_ALL_COMPANIES, NULL, "" },
	{ "operator_company_id", M_ALL_COMPANIES, NULL, "" },
	{ "expected_piles", M_NONE, NULL, "4" },
	{ "commissioned_on", M_NONE, NULL, "2025-01-15" },
	{ "lessor_id", M_LESSORS, NULL, "" },
	{ "lease_start", M_NONE, NULL, "2025-01-01" },
	{ "lease_end", M_NONE, NULL, "2034-12-31" },
	{ "staff", M_NONE, NULL, "张工" },
	{ "staff_phone", M_NONE, NULL, "13800000000" },
	{ "note", M_NONE, NULL, "" },
};
static const struct colspec pile_cols[] = {
	{ "code", M_NONE, NULL, "CP-IMP-000001" },
	{ "serial_no", M_NONE, NULL, "SN-0001" },
	{ "product_id", M_PRODUCTS, NULL, NULL },
	{ "company_id", M_COMPANIES, NULL, NULL },
	{ "warehouse_id", M_WAREHOUSES, NULL, NULL },
	{ "station", M_STATIONS, NULL, "" },
	{ "owner_company_id", M_ALL_COMPANIES, NULL, "" },
	{ "operator_company_id", M_ALL_COMPANIES, NULL, "" },
	{ "leased_from_id", M_LESSORS, NULL, "" },
	{ "sw_version", M_NONE, NULL, "V1.0.0" },
	{ "hw_version", M_NONE, NULL, "H1.0" },
	{ "comm_method", M_DICT, "comm_method", NULL },
	{ "charging_mode", M_DICT, "charging_mode", NULL },
	{ "tariff", M_NONE, NULL, "1.2" },
	{ "commissioned_on", M_NONE, NULL, "" },
};
static const struct colspec subasset_cols[] = {
	{ "station_id", M_STATIONS, NULL, NULL },
	{ "kind", M_NONE, NULL, "@subasset_kind.cable" },
	{ "name", M_NONE, NULL, "进线电缆" },
	{ "model", M_NONE, NULL, "YJV22-3×95" },
	{ "length_m", M_NONE, NULL, "120" },
	{ "area_m2", M_NONE, NULL, "" },
	{ "capacity_kva", M_NONE, NULL, "" },
	{ "contractor", M_NONE, NULL, "" },
	{ "cost", M_NONE, NULL, "" },
	{ "completed_on", M_NONE, NULL, "" },
	{ "note", M_NONE, NULL, "" },
};

/* Codes of the file that the database already holds (a JSON array in). */
static const struct query q_dup_station = {
	"SELECT code FROM stations WHERE code IN"
	" (SELECT c FROM JSON_TABLE(?, '$[*]' COLUMNS (c VARCHAR(64) PATH '$')) AS j)", "s", "s"
};
static const struct query q_dup_pile = {
	"SELECT code FROM piles WHERE code IN"
	" (SELECT c FROM JSON_TABLE(?, '$[*]' COLUMNS (c VARCHAR(64) PATH '$')) AS j)", "s", "s"
};

struct kind_desc {
	const struct resource *(*res)(void);
	const struct colspec *cols;
	int ncols;
	const struct query *dup;	/* NULL: no code to keep unique */
};
static const struct kind_desc kinds[IK__MAX] = {
	[IK_STATION] = { station_resource, station_cols, 19, &q_dup_station },
	[IK_PILE] = { pile_resource, pile_cols, 15, &q_dup_pile },
	[IK_SUBASSET] = { subasset_resource, subasset_cols, 11, NULL },
};

/* ---------------------------------------------------------------- a run over a file */

struct ierr {
	int line;
	const char *col, *msg, *value;
};

struct run {
	struct req *r;
	enum kind kind;
	const struct kind_desc *kd;
	const struct resource *res;
	struct field *fields;	/* the form's fields, references already resolved */
	const struct sheet *sh;
	int *file_col;		/* per kind column: its column in the file, or -1 */
	const char **header;	/* per kind column: the header as the file has it */
	int *col_of_field;	/* per form field: kind column, or -1 */
	struct map maps[M__MAX];
	struct map seen;	/* codes met so far in the file (hit.id = line) */
	struct map taken;	/* codes the database already has */
	int station_col;	/* pile: the "station" column, or -1 */
	struct ierr *errs;
	int nerrs, nstored, rows, created;
	const char *progress_key;
};

static const char *
lang_f(struct req *r, const char *field)
{
	char key[96];

	snprintf(key, sizeof(key), "f.%s", field);
	return tpl_lang(r, key);
}

/* A message with "{n}" replaced by n. */
static const char *
msg_n(struct req *r, const char *key, long n)
{
	const char *m = tpl_lang(r, key), *at = strstr(m, "{n}");

	return at ? arena_printf(r->arena, "%.*s%ld%s", (int)(at - m), m, n, at + 3) : m;
}

static void
add_err(struct run *u, int line, int col, const char *msg, const char *value)
{
	u->nerrs++;
	if (u->nstored == MAX_ERRORS)
		return;
	if (u->errs == NULL)
		u->errs = arena_alloc(u->r->arena, sizeof(*u->errs) * MAX_ERRORS);
	u->errs[u->nstored++] = (struct ierr){ line,
		col >= 0 ? (u->header[col] ? u->header[col] : lang_f(u->r, u->kd->cols[col].field)) : "",
		msg, value && *value ? value : NULL };
}

static void
load_map(struct run *u, enum map_id id)
{
	struct map *m = &u->maps[id];
	struct db_cur c;

	if (m->loaded)
		return;
	m->loaded = true;
	if (id == M_DICT) {
		if (db_open(&c, &q_dicts) < 0)
			die("import: dictionary map failed");
		while (db_next(&c)) {
			/* "dict:key": one map for the three dictionaries. */
			struct hit h = { 0, 0, arena_strdup(u->r->arena, db_str(&c, 1)), true, false, false };

			for (int k = 1; k <= 3; k++)
				map_put(m, u->r->arena, arena_printf(u->r->arena, "%s:%s", db_str(&c, 0),
				    db_str(&c, k)), &h);
		}
		db_close(&c);
		return;
	}
	if (db_open(&c, &q_maps[id], (int)u->r->user->scope_all, u->r->user->company_id) < 0)
		die("import: reference map failed");
	while (db_next(&c)) {
		struct hit h = { db_i64(&c, 0), db_i64(&c, 5), NULL, db_int(&c, 4) != 0, false,
			db_int(&c, 6) != 0 };

		for (int k = 1; k <= 3; k++)
			map_put(m, u->r->arena, db_str(&c, k), &h);
	}
	db_close(&c);
}

/* "Lang.f.x", "x", or the English label, with or without a trailing '*'. */
static bool
header_is(struct req *r, const char *cell, const char *field)
{
	char key[96], *h = text_trim(arena_strdup(r->arena, cell));
	size_t n = strlen(h);
	const char *l;

	while (n > 0 && (h[n - 1] == '*' || h[n - 1] == ' '))
		h[--n] = '\0';
	if (n >= 3 && strcmp(h + n - 3, "＊") == 0)
		h[n - 3] = '\0';
	if (strcasecmp(h, field) == 0)
		return true;
	snprintf(key, sizeof(key), "f.%s", field);
	for (int i = 0; (l = tpl_lang_pack(i, key)) || i < 2; i++)
		if (l && strcasecmp(h, l) == 0)
			return true;
	return false;
}

/* A required field the form fills in by itself (its defaults): the
 * column may be left out or empty. */
static bool
has_default(struct req *r, const char *field)
{
	return strcmp(field, "state") == 0 || strcmp(field, "expected_piles") == 0 ||
	    (strcmp(field, "company_id") == 0 && !r->user->scope_all);
}

/* Map the header row onto the kind's columns; 0, or a message (set on the
 * page) about unknown or missing columns. */
static const char *
read_header(struct run *u)
{
	struct req *r = u->r;
	const struct sheet_row *h = &u->sh->rows[0];
	struct buf unknown, missing;

	buf_init(&unknown, r->arena, 128);
	buf_init(&missing, r->arena, 128);
	u->file_col = arena_alloc(r->arena, sizeof(int) * (size_t)u->kd->ncols);
	u->header = arena_calloc(r->arena, (size_t)u->kd->ncols, sizeof(char *));
	u->station_col = -1;
	for (int k = 0; k < u->kd->ncols; k++)
		u->file_col[k] = -1;
	for (int i = 0; i < h->ncells; i++) {
		bool found = false;

		if (*h->cells[i] == '\0')
			continue;
		for (int k = 0; k < u->kd->ncols && !found; k++)
			if (u->file_col[k] < 0 && header_is(r, h->cells[i], u->kd->cols[k].field)) {
				u->file_col[k] = i;
				u->header[k] = text_trim(arena_strdup(r->arena, h->cells[i]));
				found = true;
			}
		if (!found) {
			if (unknown.len)
				buf_puts(&unknown, tpl_lang(r, "list_sep"));
			buf_puts(&unknown, h->cells[i]);
		}
	}
	u->col_of_field = arena_alloc(r->arena, sizeof(int) * (size_t)u->res->nfields);
	for (int f = 0; f < u->res->nfields; f++) {
		u->col_of_field[f] = -1;
		for (int k = 0; k < u->kd->ncols; k++)
			if (strcmp(u->kd->cols[k].field, u->res->fields[f].name) == 0)
				u->col_of_field[f] = k;
		if ((u->res->fields[f].flags & F_REQ) && u->col_of_field[f] >= 0 &&
		    u->file_col[u->col_of_field[f]] < 0 &&
		    !has_default(r, u->res->fields[f].name)) {
			if (missing.len)
				buf_puts(&missing, tpl_lang(r, "list_sep"));
			buf_puts(&missing, lang_f(r, u->res->fields[f].name));
		}
	}
	for (int k = 0; k < u->kd->ncols; k++)
		if (strcmp(u->kd->cols[k].field, "station") == 0)
			u->station_col = k;
	if (unknown.len || missing.len) {
		struct buf m;

		buf_init(&m, r->arena, 256);
		buf_puts(&m, tpl_lang(r, "import.bad_header"));
		if (missing.len)
			buf_printf(&m, " %s%s", tpl_lang(r, "import.missing_cols"), missing.data);
		if (unknown.len)
			buf_printf(&m, " %s%s", tpl_lang(r, "import.unknown_cols"), unknown.data);
		return m.data;
	}
	return NULL;
}

/* The form's fields with FT_REF lookups dropped: the maps resolved them
 * within the user's scope already. */
static void
prepare(struct run *u)
{
	u->fields = arena_alloc(u->r->arena, sizeof(*u->fields) * (size_t)u->res->nfields);
	memcpy(u->fields, u->res->fields, sizeof(*u->fields) * (size_t)u->res->nfields);
	for (int f = 0; f < u->res->nfields; f++)
		u->fields[f].ref = NULL;
	for (int k = 0; k < u->kd->ncols; k++)
		if (u->file_col[k] >= 0 && u->kd->cols[k].map != M_NONE)
			load_map(u, u->kd->cols[k].map);
}

static bool
comment_row(const struct sheet_row *row)
{
	return row->ncells > 0 && row->cells[0][0] == '#';
}

/* The codes of the file that are taken in the database, in one statement. */
static void
load_taken(struct run *u)
{
	int code_col = -1;
	yajl_gen g;
	const unsigned char *json;
	size_t jlen;
	struct db_cur c;

	if (u->kd->dup == NULL)
		return;
	for (int k = 0; k < u->kd->ncols; k++)
		if (strcmp(u->kd->cols[k].field, "code") == 0)
			code_col = u->file_col[k];
	if (code_col < 0)
		return;
	g = yajl_gen_alloc(NULL);
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	yajl_gen_array_open(g);
	for (int i = 1; i < u->sh->nrows; i++) {
		const struct sheet_row *row = &u->sh->rows[i];
		const char *v = code_col < row->ncells ? row->cells[code_col] : "";

		if (*v && strlen(v) <= 64 && !comment_row(row))
			yajl_gen_string(g, (const unsigned char *)v, strlen(v));
	}
	yajl_gen_array_close(g);
	yajl_gen_get_buf(g, &json, &jlen);
	if (db_open(&c, u->kd->dup, arena_strndup(u->r->arena, (const char *)json, jlen)) < 0)
		die("import: code check failed");
	while (db_next(&c)) {
		struct hit h = { 1, 0, NULL, true, false, false };

		map_put(&u->taken, u->r->arena, db_str(&c, 0), &h);
	}
	db_close(&c);
	yajl_gen_free(g);
}

/* A label of Lang.enum.<set> (either language) or the code itself → code. */
static const char *
choice_code(struct req *r, const struct field *f, const char *s)
{
	for (int i = 0; f->choices && f->choices[i]; i++) {
		char key[96];
		const char *l;

		if (strcasecmp(s, f->choices[i]) == 0)
			return f->choices[i];
		snprintf(key, sizeof(key), "enum.%s.%s", f->enum_set, f->choices[i]);
		for (int p = 0; (l = tpl_lang_pack(p, key)) || p < 2; p++)
			if (l && strcasecmp(s, l) == 0)
				return f->choices[i];
	}
	(void)r;
	return s;
}

/* 2025/1/5 or an Excel serial → 2025-01-05; anything else unchanged. */
static const char *
date_text(struct req *r, const char *s)
{
	char iso[11];
	int y, m, d, n = 0;

	if (sheet_serial_date(s, iso) == 0)
		return arena_strdup(r->arena, iso);
	if (sscanf(s, "%4d/%2d/%2d%n", &y, &m, &d, &n) == 3 && s[n] == '\0' &&
	    y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
		return arena_printf(r->arena, "%04d-%02d-%02d", y, m, d);
	return s;
}

static void
progress(struct run *u, const char *phase, int done, int total);

struct rowval {
	struct fval *v;
	int64_t station;	/* pile: where to bind it, 0 for none */
};

/*
 * Validate one data row as the form would; its errors go to u.  Fills
 * out->v for a write.  Returns the number of errors of the row.
 */
static int
check_row(struct run *u, const struct sheet_row *row, struct rowval *out)
{
	struct req *r = u->r;
	const struct resource *res = u->res;
	struct param *saved = r->form, *list = NULL;
	bool *conv_bad = arena_calloc(r->arena, (size_t)res->nfields, sizeof(bool));
	const char **vals = arena_calloc(r->arena, (size_t)res->nfields, sizeof(char *));
	const struct hit *station = NULL;
	int before = u->nerrs, bad;
	HDF *errs;

	out->v = arena_calloc(r->arena, (size_t)res->nfields, sizeof(*out->v));
	out->station = 0;
	for (int k = 0; k < u->kd->ncols; k++) {
		const struct colspec *cs = &u->kd->cols[k];
		int fc = u->file_col[k], f = -1;
		const char *s;

		if (fc < 0)
			continue;
		s = fc < row->ncells ? text_trim(arena_strdup(r->arena, row->cells[fc])) : "";
		for (int i = 0; i < res->nfields; i++)
			if (strcmp(res->fields[i].name, cs->field) == 0)
				f = i;
		if (*s && cs->map != M_NONE && cs->map != M_DICT) {
			const struct hit *h = map_find(&u->maps[cs->map], s, false, r->arena);
			const char *why = h == NULL ? "err.import_unknown" : h->ambiguous ?
			    "err.import_ambiguous" : !h->in_scope ? "err.import_scope" : NULL;

			if (why) {
				add_err(u, row->line, k, tpl_lang(r, why), s);
				if (f >= 0)
					conv_bad[f] = true;
				continue;
			}
			if (f < 0) {	/* the pile's station */
				station = h;
				continue;
			}
			s = arena_printf(r->arena, "%lld", (long long)h->id);
		} else if (*s && cs->map == M_DICT) {
			const struct hit *h = map_find(&u->maps[M_DICT],
			    arena_printf(r->arena, "%s:%s", cs->dict, s), false, r->arena);

			if (h && !h->ambiguous)
				s = h->code;
		} else if (*s && f >= 0 && res->fields[f].type == FT_CHOICE)
			s = choice_code(r, &res->fields[f], s);
		else if (*s && f >= 0 && res->fields[f].type == FT_DATE)
			s = date_text(r, s);
		if (f >= 0)
			vals[f] = s;
	}
	/* The form's defaults: a new station is approved, a new pile in stock
	 * (it moves to a station by binding), a city user's records are its company's. */
	for (int f = 0; f < res->nfields; f++) {
		const char *name = res->fields[f].name;

		if (strcmp(name, "state") == 0 && (vals[f] == NULL || *vals[f] == '\0' ||
		    u->kind == IK_PILE))
			vals[f] = u->kind == IK_PILE ? "in_stock" : "approved";
		if (strcmp(name, "expected_piles") == 0 && (vals[f] == NULL || *vals[f] == '\0'))
			vals[f] = "0";
		if (strcmp(name, "company_id") == 0 && (vals[f] == NULL || *vals[f] == '\0') &&
		    !conv_bad[f] && !r->user->scope_all)
			vals[f] = arena_printf(r->arena, "%lld", (long long)r->user->company_id);
		if (vals[f]) {
			struct param *p = arena_alloc(r->arena, sizeof(*p));

			*p = (struct param){ name, vals[f], strlen(vals[f]), list };
			list = p;
		}
	}

	r->form = list;
	bad = form_read(r, u->fields, res->nfields, out->v);
	if (bad == 0 && res->check)
		bad = res->check(r, out->v, 0);
	r->form = saved;
	errs = hdf_get_obj(r->hdf, "Page.errors");
	for (HDF *e = errs ? hdf_obj_child(errs) : NULL; e; e = hdf_obj_next(e)) {
		const char *name = hdf_obj_name(e);
		int f = -1;

		for (int i = 0; i < res->nfields; i++)
			if (strcmp(res->fields[i].name, name) == 0)
				f = i;
		if (f >= 0 && conv_bad[f])
			continue;	/* already said: unknown name */
		/* The message lives in the tree removed below: keep a copy. */
		add_err(u, row->line, f >= 0 ? u->col_of_field[f] : -1,
		    arena_strdup(r->arena, hdf_obj_value(e)),
		    f >= 0 ? vals[f] : NULL);
	}
	hdf_remove_tree(r->hdf, "Page.errors");
	hdf_remove_tree(r->hdf, "Page.error");
	hdf_remove_tree(r->hdf, "Page.form");

	/* A pile at a station: the rules pile_bind() will apply, told early. */
	if (u->kind == IK_PILE && station) {
		int fw = -1, fp = -1, fco = -1;

		for (int i = 0; i < res->nfields; i++) {
			if (strcmp(res->fields[i].name, "warehouse_id") == 0)
				fw = i;
			if (strcmp(res->fields[i].name, "product_id") == 0)
				fp = i;
			if (strcmp(res->fields[i].name, "company_id") == 0)
				fco = i;
		}
		if (station->closed)
			add_err(u, row->line, u->station_col, tpl_lang(r, "err.station_closed"), NULL);
		else if (fw >= 0 && vals[fw] && *vals[fw])
			add_err(u, row->line, u->station_col, tpl_lang(r, "err.import_place_both"), NULL);
		else if (fp >= 0 && (vals[fp] == NULL || *vals[fp] == '\0') && !conv_bad[fp])
			add_err(u, row->line, u->col_of_field[fp], tpl_lang(r, "err.pile_no_product"), NULL);
		else if (fco >= 0 && out->v[fco].i != station->company && bad == 0)
			add_err(u, row->line, u->col_of_field[fco],
			    tpl_lang(r, "err.import_station_company"), vals[fco]);
		out->station = station->id;
	}

	/* Codes: unique within the file and against the database. */
	for (int f = 0; f < res->nfields; f++)
		if (strcmp(res->fields[f].name, "code") == 0 && u->kd->dup && vals[f] && *vals[f]) {
			struct hit *seen = map_find(&u->seen, vals[f], false, r->arena);

			if (seen)
				add_err(u, row->line, u->col_of_field[f],
				    msg_n(r, "err.import_dup_file", (long)seen->id), vals[f]);
			else {
				struct hit h = { row->line, 0, NULL, true, false, false };

				map_put(&u->seen, r->arena, vals[f], &h);
				if (map_find(&u->taken, vals[f], false, r->arena))
					add_err(u, row->line, u->col_of_field[f],
					    tpl_lang(r, "err.import_dup_db"), vals[f]);
			}
		}
	return u->nerrs - before;
}

static const struct query q_progress = {
	"INSERT INTO import_progress (user_id, form_key, phase, done_rows, total_rows, updated_at)"
	" VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP()) ON DUPLICATE KEY UPDATE phase = VALUES(phase),"
	" done_rows = VALUES(done_rows), total_rows = VALUES(total_rows),"
	" updated_at = VALUES(updated_at)", "lssii", ""
};

static void
progress(struct run *u, const char *phase, int done, int total)
{
	if (u->progress_key)
		db_exec(&q_progress, u->r->user->id, u->progress_key, phase, done, total);
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * Every data row: validated, and when write is set written too (the
 * caller's transaction; it rolls back when errors were found).  Returns 0,
 * or -1 on a database failure that is no row's fault.
 */
static int
run_rows(struct run *u, bool write)
{
	struct req *r = u->r;
	int total = u->sh->nrows - 1, done = 0;

	for (int i = 1; i < u->sh->nrows; i++) {
		const struct sheet_row *row = &u->sh->rows[i];
		struct rowval rv;

		if (++done % PROGRESS_EVERY == 0)
			progress(u, write ? "commit" : "check", done, total);
		if (comment_row(row))
			continue;
		u->rows++;
		if (check_row(u, row, &rv) > 0 || !write || u->nerrs > 0)
			continue;
		{
			int64_t id = crud_insert(r, u->res, rv.v);

			if (id == DB_DUP) {
				add_err(u, row->line, 0, tpl_lang(r, "err.import_dup_db"), NULL);
				continue;
			}
			if (id < 0)
				return -1;
			if (rv.station) {
				const char *refused = pile_bind(r, id, rv.station);

				if (refused) {
					add_err(u, row->line, u->station_col, tpl_lang(r, refused), NULL);
					continue;
				}
				/* As the bind button records it: none → the station. */
				audit_write(r, "pile", id, AUDIT_UPDATE, "station_id", NULL,
				    arena_printf(r->arena, "%lld", (long long)rv.station));
			}
			u->created++;
		}
	}
	progress(u, write ? "commit" : "check", total, total);
	return 0;
}

/* ---------------------------------------------------------------- jobs */

static const struct query q_job_by_key = {
	"SELECT id FROM import_jobs WHERE user_id = ? AND form_key = ?", "ls", "l"
};
static const struct query q_job_insert = {
	"INSERT INTO import_jobs (form_key, kind, filename, fmt, converted, rows_total, state,"
	" user_id, company_id) VALUES (?, ?, ?, ?, ?, 0, 'invalid', ?, ?)", "ssssill", ""
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

/* A form key is ours when it looks like auth_random_token's output. */
static const char *
form_key(struct req *r, const char *name)
{
	const char *k = req_param(r, name);
	size_t n;

	if (k == NULL)
		return NULL;
	n = strlen(k);
	if (n < 16 || n > 64 || strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") != n)
		return NULL;
	return k;
}

static int
kind_parse(const char *s)
{
	for (int i = 0; s && i < IK__MAX; i++)
		if (strcmp(kind_names[i], s) == 0)
			return i;
	return -1;
}

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

static char *
load_file(struct req *r, const char *path, size_t *len)
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
		char val[301];

		/* value is 300 characters at most; cut whole characters only. */
		snprintf(val, sizeof(val), "%s", e->value ? e->value : "");
		for (size_t n = strlen(val); n > 0 && !utf8_valid(val, n); n--)
			val[n - 1] = '\0';
		if (db_exec(&q_error_insert, job, e->line, e->col, e->msg, e->value ? val : NULL) < 0)
			die("import: error rows failed");
	}
}

/* ---------------------------------------------------------------- pages */

static void
page_kinds(struct req *r, int kind)
{
	for (int i = 0; i < IK__MAX; i++) {
		char key[64];

		tpl_setf(r, kind_names[i], "Page.kinds.%d.id", i);
		snprintf(key, sizeof(key), "import.kind.%s", kind_names[i]);
		tpl_setf(r, tpl_lang(r, key), "Page.kinds.%d.label", i);
		if (i == kind)
			tpl_setf(r, "1", "Page.kinds.%d.cur", i);
	}
	tpl_set(r, "Page.kind", kind_names[kind]);
	{
		char key[64];

		snprintf(key, sizeof(key), "import.kind.%s", kind_names[kind]);
		tpl_set(r, "Page.kind_label", tpl_lang(r, key));
	}
}

/* The column list of a kind, for the page and the template: header,
 * required, and what to write. */
static const char *
col_hint(struct req *r, const struct resource *res, const struct colspec *cs)
{
	const struct field *f = NULL;

	for (int i = 0; i < res->nfields; i++)
		if (strcmp(res->fields[i].name, cs->field) == 0)
			f = &res->fields[i];
	if (f == NULL)
		return tpl_lang(r, "import.hint.station_pile");
	if (cs->map != M_NONE && cs->map != M_DICT)
		return tpl_lang(r, "import.hint.ref");
	if (cs->map == M_DICT)
		return tpl_lang(r, "import.hint.dict");
	if (f->type == FT_CHOICE) {
		struct buf b;

		buf_init(&b, r->arena, 128);
		buf_puts(&b, tpl_lang(r, "import.hint.choice"));
		for (int c = 0; f->choices[c]; c++) {
			char key[96];

			snprintf(key, sizeof(key), "enum.%s.%s", f->enum_set, f->choices[c]);
			if (c)
				buf_puts(&b, tpl_lang(r, "list_sep"));
			buf_puts(&b, tpl_lang(r, key));
		}
		return b.data;
	}
	if (f->type == FT_DATE)
		return tpl_lang(r, "import.hint.date");
	if (f->type == FT_INT || f->type == FT_DECIMAL)
		return tpl_lang(r, "import.hint.number");
	if (f->type == FT_CODE)
		return msg_n(r, "import.hint.code", f->maxlen);
	if (f->maxlen)
		return msg_n(r, "import.hint.text", f->maxlen);
	return "";
}

static bool
col_required(struct req *r, const struct resource *res, const struct colspec *cs)
{
	for (int i = 0; i < res->nfields; i++)
		if (strcmp(res->fields[i].name, cs->field) == 0)
			return (res->fields[i].flags & F_REQ) && !has_default(r, cs->field);
	return false;
}

static void
page_columns(struct req *r, int kind)
{
	const struct kind_desc *kd = &kinds[kind];
	const struct resource *res = kd->res();

	for (int k = 0; k < kd->ncols; k++) {
		tpl_setf(r, lang_f(r, kd->cols[k].field), "Page.columns.%d.label", k);
		tpl_setf(r, col_hint(r, res, &kd->cols[k]), "Page.columns.%d.hint", k);
		if (col_required(r, res, &kd->cols[k]))
			tpl_setf(r, "1", "Page.columns.%d.required", k);
	}
}

static int
show_page(struct req *r, int kind, const char *key, int status)
{
	page_kinds(r, kind);
	page_columns(r, kind);
	tpl_set(r, "Page.form_key", key);
	tpl_set(r, "Page.menu", "asset.import");
	tpl_set(r, "Page.title", tpl_lang(r, "import.title"));
	tpl_set(r, "Page.view", "asset/import_page.cs");
	return status;
}

int
import_page(struct req *r)
{
	int kind = kind_parse(req_query(r, "kind"));

	return show_page(r, kind < 0 ? IK_PILE : kind, auth_random_token(r), 200);
}

/* Examples for reference columns: records the user may use, that fit together. */
static const struct query q_ex_company = {
	"SELECT id, name FROM companies WHERE kind IN ('city', 'head') AND (? OR id = ?)"
	" ORDER BY kind = 'head', id LIMIT 1", "il", "ls"
};
static const struct query q_ex_city = {
	"SELECT name FROM cities WHERE company_id = ? ORDER BY id LIMIT 1", "l", "s"
};
static const struct query q_ex_product = {
	"SELECT model FROM products ORDER BY id LIMIT 1", "", "s"
};
static const struct query q_ex_warehouse = {
	"SELECT code FROM warehouses WHERE company_id = ? ORDER BY id LIMIT 1", "l", "s"
};
static const struct query q_ex_station = {
	"SELECT code FROM stations WHERE (? OR company_id = ?) AND state <> 'closed'"
	" ORDER BY id LIMIT 1", "il", "s"
};
static const struct query q_ex_dict = {
	"SELECT name FROM dict_items WHERE dict = ? AND enabled = 1 ORDER BY sort LIMIT 1", "s", "s"
};

static const char *
first_str(struct req *r, struct db_cur *c)
{
	const char *s = "";

	if (db_next(c))
		s = arena_strdup(r->arena, db_str(c, 0));
	db_close(c);
	return s;
}

static const char *
example(struct req *r, const struct colspec *cs, int64_t company, const char *company_name)
{
	struct db_cur c;

	if (cs->example && cs->example[0] == '@') {
		char key[96];

		snprintf(key, sizeof(key), "enum.%s", cs->example + 1);
		return tpl_lang(r, key);
	}
	if (cs->example)
		return cs->example;
	switch (cs->map) {
	case M_COMPANIES:
		return company_name;
	case M_CITIES:
		return db_open(&c, &q_ex_city, company) == 0 ? first_str(r, &c) : "";
	case M_PRODUCTS:
		return db_open(&c, &q_ex_product) == 0 ? first_str(r, &c) : "";
	case M_WAREHOUSES:
		return db_open(&c, &q_ex_warehouse, company) == 0 ? first_str(r, &c) : "";
	case M_STATIONS:
		return db_open(&c, &q_ex_station, (int)r->user->scope_all, r->user->company_id) == 0 ?
		    first_str(r, &c) : "";
	case M_DICT:
		return db_open(&c, &q_ex_dict, cs->dict) == 0 ? first_str(r, &c) : "";
	default:
		return "";
	}
}

int
import_template(struct req *r)
{
	int kind = kind_parse(req_query(r, "kind"));
	const char *fmt = req_query(r, "fmt");
	const struct kind_desc *kd;
	const struct resource *res;
	const char **head, **ex;
	int64_t company = 0;
	const char *company_name = "", *name;
	struct db_cur c;
	bool xlsx = fmt && strcmp(fmt, "xlsx") == 0;
	char key[64];

	if (kind < 0 || (fmt && !xlsx && strcmp(fmt, "csv") != 0))
		return 404;
	kd = &kinds[kind];
	res = kd->res();
	if (db_open(&c, &q_ex_company, (int)r->user->scope_all, r->user->company_id) == 0) {
		if (db_next(&c)) {
			company = db_i64(&c, 0);
			company_name = arena_strdup(r->arena, db_str(&c, 1));
		}
		db_close(&c);
	}
	head = arena_calloc(r->arena, (size_t)kd->ncols, sizeof(char *));
	ex = arena_calloc(r->arena, (size_t)kd->ncols, sizeof(char *));
	for (int k = 0; k < kd->ncols; k++) {
		head[k] = arena_printf(r->arena, "%s%s", lang_f(r, kd->cols[k].field),
		    col_required(r, res, &kd->cols[k]) ? "*" : "");
		ex[k] = example(r, &kd->cols[k], company, company_name);
	}
	/* A pile example goes to a warehouse; naming a station instead binds it. */
	snprintf(key, sizeof(key), "import.kind.%s", kind_names[kind]);
	name = arena_printf(r->arena, "%s%s", tpl_lang(r, "import.template_name"), tpl_lang(r, key));
	buf_init(&r->body, r->arena, 4096);
	if (!xlsx) {
		buf_puts(&r->body, "\xEF\xBB\xBF");
		for (int k = 0; k < kd->ncols; k++) {
			if (k)
				buf_putc(&r->body, ',');
			csv_cell(&r->body, head[k]);
		}
		buf_puts(&r->body, "\r\n");
		/* The instructions as a comment row: rows whose first cell starts
		 * with '#' are skipped by the import. */
		csv_cell(&r->body, tpl_lang(r, "import.csv_note"));
		buf_puts(&r->body, "\r\n");
		for (int k = 0; k < kd->ncols; k++) {
			if (k)
				buf_putc(&r->body, ',');
			csv_cell(&r->body, ex[k]);
		}
		buf_puts(&r->body, "\r\n");
		r->raw_type = "text/csv; charset=utf-8";
	} else {
		lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
		char path[64];
		lxw_workbook *wb;
		lxw_worksheet *ws, *help;
		lxw_format *bold, *text, *req;
		size_t len;
		char *data;
		int fd;

		snprintf(path, sizeof(path), "/tmp/ca-import-XXXXXX");
		if ((fd = mkstemp(path)) < 0)
			return 500;
		close(fd);
		wb = workbook_new_opt(path, &opt);
		if (wb == NULL) {
			unlink(path);
			return 500;
		}
		ws = workbook_add_worksheet(wb, tpl_lang(r, "import.sheet_data"));
		help = workbook_add_worksheet(wb, tpl_lang(r, "import.sheet_help"));
		bold = workbook_add_format(wb);
		format_set_bold(bold);
		format_set_bg_color(bold, 0xE8EEF7);
		req = workbook_add_format(wb);
		format_set_bold(req);
		format_set_bg_color(req, 0xFCE4D6);
		text = workbook_add_format(wb);
		format_set_num_format(text, "@");	/* codes keep their zeros */
		for (int k = 0; k < kd->ncols; k++) {
			bool must = col_required(r, res, &kd->cols[k]);

			worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, 16, text);
			worksheet_write_string(ws, 0, (lxw_col_t)k, head[k], must ? req : bold);
			if (*ex[k])
				worksheet_write_string(ws, 1, (lxw_col_t)k, ex[k], text);
		}
		worksheet_freeze_panes(ws, 1, 0);
		worksheet_set_column(help, 0, 0, 20, NULL);
		worksheet_set_column(help, 1, 1, 8, NULL);
		worksheet_set_column(help, 2, 2, 70, NULL);
		worksheet_write_string(help, 0, 0, tpl_lang(r, "import.col_header"), bold);
		worksheet_write_string(help, 0, 1, tpl_lang(r, "import.col_required"), bold);
		worksheet_write_string(help, 0, 2, tpl_lang(r, "import.col_hint"), bold);
		for (int k = 0; k < kd->ncols; k++) {
			worksheet_write_string(help, (lxw_row_t)(k + 1), 0, lang_f(r, kd->cols[k].field), NULL);
			worksheet_write_string(help, (lxw_row_t)(k + 1), 1,
			    tpl_lang(r, col_required(r, res, &kd->cols[k]) ? "yes" : "no"), NULL);
			worksheet_write_string(help, (lxw_row_t)(k + 1), 2,
			    col_hint(r, res, &kd->cols[k]), NULL);
		}
		worksheet_write_string(help, (lxw_row_t)(kd->ncols + 2), 0,
		    tpl_lang(r, "import.help_rules"), NULL);
		if (workbook_close(wb) != LXW_NO_ERROR) {
			unlink(path);
			return 500;
		}
		data = load_file(r, path, &len);
		unlink(path);
		if (data == NULL)
			return 500;
		buf_append(&r->body, data, len);
		r->raw_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	}
	r->raw = true;
	{
		struct buf cd;

		buf_init(&cd, r->arena, 128);
		buf_printf(&cd, "attachment; filename=\"import-%s.%s\"; filename*=UTF-8''",
		    kind_names[kind], xlsx ? "xlsx" : "csv");
		url_encode(&cd, name);
		buf_puts(&cd, xlsx ? ".xlsx" : ".csv");
		req_header(r, "Content-Disposition", cd.data);
		req_header(r, "Cache-Control", "no-store");
	}
	return 200;
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

/* Read an upload or a kept file and its header; 0 or a message for the page. */
static const char *
open_file(struct run *u, const char *data, size_t len, struct sheet *sh)
{
	enum sheet_err e = sheet_read(u->r->arena, data, len, MAX_ROWS + 1, sh);

	if (e == SHEET_TOO_MANY_ROWS)
		return msg_n(u->r, "sheet.too_many_rows", MAX_ROWS);
	if (e != SHEET_OK)
		return tpl_lang(u->r, sheet_err_keys[e]);
	u->sh = sh;
	return read_header(u);
}

static void
run_init(struct run *u, struct req *r, int kind)
{
	memset(u, 0, sizeof(*u));
	u->r = r;
	u->kind = kind;
	u->kd = &kinds[kind];
	u->res = u->kd->res();
}

int
import_upload(struct req *r)
{
	int kind = kind_parse(req_param(r, "kind"));
	const char *key = form_key(r, "form_key"), *msg;
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
		tpl_set(r, "Page.error", msg_n(r, "sheet.too_large", (long)(MAX_FILE >> 20)));
		return show_page(r, kind, key, 413);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_init(&u, r, kind);
	if ((msg = open_file(&u, up->data, up->len, &sh)) != NULL) {
		tpl_set(r, "Page.error", msg);
		return show_page(r, kind, key, 422);
	}
	if (sh.nrows < 2) {
		tpl_set(r, "Page.error", tpl_lang(r, "sheet.no_rows"));
		return show_page(r, kind, key, 422);
	}

	/* The job first (its own short transaction), so a second submit of
	 * this form finds it while this one is still checking. */
	rc = db_exec(&q_job_insert, key, kind_names[kind], file_label(r, up->filename),
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
	progress(&u, "check", 0, sh.nrows - 1);
	prepare(&u);
	load_taken(&u);
	run_rows(&u, false);
	if (db_begin() != 0)
		return 500;
	store_errors(&u, id);
	db_exec(&q_job_result, u.rows, u.nerrs, u.nerrs ? "invalid" : "ready", (int)ms_since(&t0), id);
	if (db_commit() != 0) {
		db_rollback();
		return 500;
	}
	progress(&u, "done", sh.nrows - 1, sh.nrows - 1);
	return redirect_job(r, id, u.nerrs ? "invalid" : "ready");
}

static const struct query q_job_show = {
	"SELECT j.id, j.kind, j.filename, j.fmt, j.converted, j.rows_total, j.error_count,"
	" j.created_count, j.state, j.check_ms, j.commit_ms,"
	" DATE_FORMAT(j.created_at + INTERVAL 8 HOUR, '%Y-%m-%d %H:%i:%s'),"
	" DATE_FORMAT(j.committed_at + INTERVAL 8 HOUR, '%Y-%m-%d %H:%i:%s'),"
	" u.name, j.form_key, j.user_id"
	" FROM import_jobs j JOIN users u ON u.id = j.user_id"
	" WHERE j.id = ? AND (? OR j.company_id = ?)",
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
		"committed", NULL };
	const char *flash = req_query(r, "flash");
	struct db_cur c;
	int64_t page = 1, stored, pages, owner = 0;
	int n = 0, kind = 0;
	bool found = false;

	if (db_open(&c, &q_job_show, id, (int)r->user->scope_all, r->user->company_id) < 0)
		return 500;
	if (db_next(&c)) {
		found = true;
		for (int i = 1; i < (int)(sizeof(show_names) / sizeof(show_names[0])); i++)
			tpl_setf(r, db_str(&c, i), "Page.job.%s", show_names[i]);
		kind = kind_parse(db_str(&c, 1));
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
		tpl_set(r, "Page.errors_capped", msg_n(r, "import.errors_capped", MAX_ERRORS));
	for (int i = 0; flash && flashes[i]; i++)
		if (strcmp(flash, flashes[i]) == 0) {
			char key[64];

			snprintf(key, sizeof(key), "import.flash.%s", flashes[i]);
			tpl_set(r, "Page.flash", tpl_lang(r, key));
			tpl_set(r, "Page.flash_kind", strcmp(flash, "invalid") == 0 ||
			    strcmp(flash, "failed") == 0 ? "warning" : "success");
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
	if (!found || owner != r->user->id || (kind = kind_parse(kind_s)) < 0) {
		db_rollback();
		return 404;
	}
	if (strcmp(state, "ready") != 0) {
		db_rollback();
		return redirect_job(r, id, strcmp(state, "done") == 0 ? "committed" : "invalid");
	}
	data = load_file(r, job_path(r, id, fmt), &len);
	if (data == NULL) {
		db_rollback();
		log_err("import: the file of job %lld is gone", (long long)id);
		return 500;
	}
	run_init(&u, r, kind);
	if ((msg = open_file(&u, data, len, &sh)) != NULL) {
		db_rollback();
		return 500;	/* it was read before; a changed file is not ours */
	}
	r->audit_source = arena_printf(r->arena, "%s %s (#%lld)", tpl_lang(r, "import.source"),
	    filename, (long long)id);
	u.progress_key = key;
	progress(&u, "commit", 0, sh.nrows - 1);
	prepare(&u);
	load_taken(&u);
	rc = run_rows(&u, true);
	r->audit_source = NULL;
	if (rc == 0 && u.nerrs == 0) {
		db_exec(&q_job_done, u.rows, u.created, (int)ms_since(&t0), id);
		if (db_commit() == 0) {
			progress(&u, "done", sh.nrows - 1, sh.nrows - 1);
			log_info("import %lld: %d %s rows in %ld ms", (long long)id, u.created,
			    kind_names[kind], ms_since(&t0));
			return redirect_job(r, id, "done");
		}
	}
	db_rollback();
	progress(&u, "done", sh.nrows - 1, sh.nrows - 1);
	if (rc != 0 || u.nerrs == 0)
		return 500;
	/* What changed since the dry run: the job goes back to invalid. */
	if (db_begin() != 0)
		return 500;
	store_errors(&u, id);
	db_exec(&q_job_result, u.rows, u.nerrs, "invalid", (int)ms_since(&t0), id);
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
	const char *key = form_key(r, "key");
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

static const char *const job_states[] = { "invalid", "ready", "done", NULL };

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
	{ "import_kind", " AND j.kind = ?", 's', NULL, "import_kind", kind_names },
	{ "import_state", " AND j.state = ?", 's', NULL, "import_state", job_states },
	{ "q", " AND j.filename LIKE ?", 'q', NULL, NULL, NULL },
	{ "from", " AND j.created_at >= ? - INTERVAL 8 HOUR", 'd', NULL, NULL, NULL },
	{ "to", " AND j.created_at < ? - INTERVAL 8 HOUR + INTERVAL 1 DAY", 'd', NULL, NULL, NULL },
};
static const struct list_sort hist_sorts[] = {
	{ "job_no", "j.id" },
	{ "user", "u.name, j.id" },
	{ "filename", "j.filename, j.id" },
	{ "rows_total", "j.rows_total, j.id" },
};

static const struct resource history_res = {
	.name = "import", .module = "asset", .base = "/asset/import/history", .menu = "asset.import",
	.view_perm = PERM_ASSET_EDIT, .edit_perm = PERM__MAX,
	.list_sql = "SELECT j.id, j.id, DATE_FORMAT(j.created_at + INTERVAL 8 HOUR, '%Y-%m-%d %H:%i'),"
	    " u.name, j.kind, j.filename, j.rows_total, j.error_count, j.created_count, j.state"
	    " FROM import_jobs j JOIN users u ON u.id = j.user_id WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM import_jobs j WHERE 1=1",
	.scope_sql = " AND (? OR j.company_id = ?)",
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
