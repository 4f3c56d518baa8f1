/*
 * import_rows.c — the rows of an import file, validated as the forms
 * validate them and written through the forms' code (see import.c for the
 * whole flow).
 *
 * Every row becomes the parameters a person would have typed (names of
 * references resolved to ids first) and runs through form_read() with the
 * resource's field descriptors and then its check() hook; the per-field
 * messages they leave in Page.errors become (row, column, message).  A
 * write is crud_insert(), the form's insert with its update record and
 * after_save hook (ledger postings, anomaly checks); a pile that names a
 * station is then bound with pile_bind() as the bind button does.
 *
 * Lookups are batched: each reference list (companies, cities, products,
 * warehouses, stations, dictionaries) is read once per request into a hash
 * map, filtered by the user's data scope, and the file's codes are checked
 * against the database in one statement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <yajl/yajl_gen.h>

#include <ClearSilver.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/sheet.h"
#include "core/text.h"
#include "core/tpl.h"
#include "model/pile.h"

#include "asset/asset.h"
#include "asset/import.h"

#define PROGRESS_EVERY 250	/* rows between progress updates */

/* ---------------------------------------------------------------- reference maps */

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

const char *const import_kind_names[IK__MAX + 1] = { "station", "pile", "subasset", NULL };

const struct kind_desc import_kinds[IK__MAX] = {
	[IK_STATION] = { station_resource, station_cols, 19, &q_dup_station },
	[IK_PILE] = { pile_resource, pile_cols, 15, &q_dup_pile },
	[IK_SUBASSET] = { subasset_resource, subasset_cols, 11, NULL },
};

/* ---------------------------------------------------------------- a run over a file */

const char *
import_lang_f(struct req *r, const char *field)
{
	char key[96];

	snprintf(key, sizeof(key), "f.%s", field);
	return tpl_lang(r, key);
}

/* A message with "{n}" replaced by n. */
const char *
import_msg_n(struct req *r, const char *key, long n)
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
		col >= 0 ? (u->header[col] ? u->header[col] : import_lang_f(u->r, u->kd->cols[col].field)) : "",
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
bool
import_has_default(struct req *r, const char *field)
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
		    !import_has_default(r, u->res->fields[f].name)) {
			if (missing.len)
				buf_puts(&missing, tpl_lang(r, "list_sep"));
			buf_puts(&missing, import_lang_f(r, u->res->fields[f].name));
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

/* The form's fields with FT_REF lookups dropped: the maps resolved them
 * within the user's scope already. */
void
import_prepare(struct run *u)
{
	u->fields = arena_alloc(u->r->arena, sizeof(*u->fields) * (size_t)u->res->nfields);
	memcpy(u->fields, u->res->fields, sizeof(*u->fields) * (size_t)u->res->nfields);
	for (int f = 0; f < u->res->nfields; f++)
		u->fields[f].ref = NULL;
	for (int k = 0; k < u->kd->ncols; k++)
		if (u->file_col[k] >= 0 && u->kd->cols[k].map != M_NONE)
			load_map(u, u->kd->cols[k].map);
	load_taken(u);
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
				    import_msg_n(r, "err.import_dup_file", (long)seen->id), vals[f]);
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

void
import_note_progress(struct run *u, const char *phase, int done, int total)
{
	if (u->progress_key)
		db_exec(&q_progress, u->r->user->id, u->progress_key, phase, done, total);
}

long
import_ms_since(const struct timespec *t0)
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
int
import_run_rows(struct run *u, bool write)
{
	struct req *r = u->r;
	int total = u->sh->nrows - 1, done = 0;

	for (int i = 1; i < u->sh->nrows; i++) {
		const struct sheet_row *row = &u->sh->rows[i];
		struct rowval rv;

		if (++done % PROGRESS_EVERY == 0)
			import_note_progress(u, write ? "commit" : "check", done, total);
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
				/* pile_bind() writes the update records, as for the bind button. */
			}
			u->created++;
		}
	}
	import_note_progress(u, write ? "commit" : "check", total, total);
	return 0;
}

int
import_kind_parse(const char *s)
{
	for (int i = 0; s && i < IK__MAX; i++)
		if (strcmp(import_kind_names[i], s) == 0)
			return i;
	return -1;
}

/* Read an upload or a kept file and its header; 0 or a message for the page. */
const char *
import_open(struct run *u, const char *data, size_t len, struct sheet *sh)
{
	enum sheet_err e = sheet_read(u->r->arena, data, len, MAX_ROWS + 1, sh);

	if (e == SHEET_TOO_MANY_ROWS)
		return import_msg_n(u->r, "sheet.too_many_rows", MAX_ROWS);
	if (e != SHEET_OK)
		return tpl_lang(u->r, sheet_err_keys[e]);
	u->sh = sh;
	return read_header(u);
}

void
import_run_init(struct run *u, struct req *r, int kind)
{
	memset(u, 0, sizeof(*u));
	u->r = r;
	u->kind = kind;
	u->kd = &import_kinds[kind];
	u->res = u->kd->res();
}
