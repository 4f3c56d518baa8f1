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
 * after_save hook (ledger postings, anomaly checks: the model's, as for the
 * web form); a pile that names a station is then bound with pile_bind()
 * (model/pile_place.c) as the bind button does.
 *
 * Lookups are batched: each reference list (companies, cities, products,
 * warehouses, stations, dictionaries) is read once per request into a hash
 * map, filtered by the user's data scope, and the file's codes are checked
 * against the database in one statement.
 *
 * Memory: a run keeps the file's rows, the maps and the errors (copies of
 * bounded size); everything a row needs besides (its cells trimmed, the
 * form's values, messages) is given back when the row is done (an arena
 * mark per row), and a cell longer than its field is refused before it is
 * copied at all.  So a file costs what its rows hold, not rows × columns ×
 * the longest cell (issue 9: 1,000 rows pointing at one 32 KB string took
 * a process from 28 MB to 867 MB).
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

/* s into dst (size bytes), at most max_chars characters, cut between
 * whole characters; s may be longer than dst (it is never read past). */
static void
copy_cut(char *dst, size_t size, const char *s, size_t max_chars)
{
	size_t n = strnlen(s, size - 1);

	memcpy(dst, s, n);
	dst[n] = '\0';
	while (n > 0 && (!utf8_valid(dst, n) || utf8_chars(dst, n) > max_chars))
		dst[--n] = '\0';
}

/* Room for the errors one row can have (a mapping and a form error per
 * column, the place rules, a duplicate code, a refused write), made before
 * the row's memory is marked so that add_err() never allocates in it. */
static void
reserve_errors(struct run *u)
{
	int need = u->nstored + 2 * u->kd->ncols + 8, cap;
	struct ierr *v;

	if (need > MAX_ERRORS)
		need = MAX_ERRORS;
	if (need <= u->caperrs)
		return;
	cap = u->caperrs ? u->caperrs * 2 : 64;
	if (cap < need)
		cap = need;
	if (cap > MAX_ERRORS)
		cap = MAX_ERRORS;
	v = arena_alloc(u->r->arena, sizeof(*v) * (size_t)cap);
	if (u->nstored)
		memcpy(v, u->errs, sizeof(*v) * (size_t)u->nstored);
	u->errs = v;
	u->caperrs = cap;
}

/* Count an error and keep a copy of it while there is room. */
static void
add_err(struct run *u, int line, int col, const char *msg, const char *value)
{
	struct ierr *e;

	u->nerrs++;
	if (u->nstored == u->caperrs)
		return;		/* counted; MAX_ERRORS are kept */
	e = &u->errs[u->nstored++];
	e->line = line;
	copy_cut(e->col, sizeof(e->col), col < 0 ? "" : u->header[col] ? u->header[col] :
	    import_lang_f(u->r, u->kd->cols[col].field), 100);
	copy_cut(e->msg, sizeof(e->msg), msg, 300);
	e->has_value = value && *value;
	copy_cut(e->value, sizeof(e->value), e->has_value ? value : "", 300);
}

int
import_cell_max(const struct colspec *cs, const struct field *f)
{
	if (f == NULL || cs->map != M_NONE || f->maxlen <= 0 || f->type == FT_CHOICE ||
	    f->type == FT_DATE)
		return f && f->maxlen > NAME_MAX_CHARS ? f->maxlen : NAME_MAX_CHARS;
	return f->maxlen;
}

/* The field of a kind column (NULL: the pile's station). */
static const struct field *
col_field(const struct resource *res, const struct colspec *cs)
{
	for (int i = 0; i < res->nfields; i++)
		if (strcmp(res->fields[i].name, cs->field) == 0)
			return &res->fields[i];
	return NULL;
}

/* Bytes of the longest cell any kind accepts (4 per character in UTF-8):
 * the reader refuses a longer one before anything is copied. */
static size_t
longest_cell(void)
{
	int most = 0;

	for (int k = 0; k < IK__MAX; k++) {
		const struct resource *res = import_kinds[k].res();

		for (int c = 0; c < import_kinds[k].ncols; c++) {
			const struct colspec *cs = &import_kinds[k].cols[c];
			int n = import_cell_max(cs, col_field(res, cs));

			if (n > most)
				most = n;
		}
	}
	return 4 * (size_t)most;
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

/* A cell without the blanks form_read() trims: *len bytes from the result. */
static const char *
trimmed(const char *s, size_t *len)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	*len = n;
	return s;
}

/*
 * The codes of the file: where each first occurs (u->seen, hit.id = line),
 * read before the rows so that no row has to add to a map (a row's memory
 * is given back), and those the database holds already, in one statement.
 */
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
	/* Big enough for every code, so that lookups never grow it. */
	u->seen.cap = 1024;
	while (u->seen.cap < 2 * (size_t)u->sh->nrows)
		u->seen.cap *= 2;
	u->seen.keys = arena_calloc(u->r->arena, u->seen.cap, sizeof(*u->seen.keys));
	u->seen.hits = arena_calloc(u->r->arena, u->seen.cap, sizeof(*u->seen.hits));
	g = yajl_gen_alloc(NULL);
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	yajl_gen_array_open(g);
	for (int i = 1; i < u->sh->nrows; i++) {
		const struct sheet_row *row = &u->sh->rows[i];
		size_t n;
		const char *v = trimmed(code_col < row->ncells ? row->cells[code_col] : "", &n);
		struct hit *seen;

		if (n == 0 || n > 64 || comment_row(row))
			continue;
		v = arena_strndup(u->r->arena, v, n);
		seen = map_find(&u->seen, v, true, u->r->arena);
		if (seen->id == -1)
			seen->id = row->line;
		yajl_gen_string(g, (const unsigned char *)v, n);
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
		for (int i = 0; i < res->nfields; i++)
			if (strcmp(res->fields[i].name, cs->field) == 0)
				f = i;
		if (fc < row->ncells) {
			size_t n;
			const char *t = trimmed(row->cells[fc], &n);
			int most = import_cell_max(cs, f >= 0 ? &res->fields[f] : NULL);

			/* Longer than the field takes: said here, before any copy. */
			if (utf8_chars(t, n) > (size_t)most) {
				add_err(u, row->line, k, import_msg_n(r, "err.too_long", most), t);
				if (f >= 0)
					conv_bad[f] = true;
				continue;
			}
			s = arena_strndup(r->arena, t, n);
		} else
			s = "";
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
			vals[f] = u->kind == IK_PILE ? pile_state_names[PILE_NEW_STATE] : "approved";
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

			if (seen && seen->id != row->line)
				add_err(u, row->line, u->col_of_field[f],
				    import_msg_n(r, "err.import_dup_file", (long)seen->id), vals[f]);
			else if (map_find(&u->taken, vals[f], false, r->arena))
				add_err(u, row->line, u->col_of_field[f],
				    tpl_lang(r, "err.import_dup_db"), vals[f]);
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

/* Write a valid row (crud_insert, then the bind); 0, or -1 on a database
 * failure that is no row's fault.  A refusal is the row's error. */
static int
write_row(struct run *u, const struct sheet_row *row, const struct rowval *rv)
{
	struct req *r = u->r;
	int64_t id = crud_insert(r, u->res, rv->v);

	if (id == DB_DUP) {
		add_err(u, row->line, 0, tpl_lang(r, "err.import_dup_db"), NULL);
		return 0;
	}
	if (id < 0)
		return -1;
	if (rv->station) {
		const char *refused = pile_bind(r, id, rv->station);

		if (refused) {
			add_err(u, row->line, u->station_col, tpl_lang(r, refused), NULL);
			return 0;
		}
		/* pile_bind() writes the update records, as for the bind button. */
	}
	u->created++;
	return 0;
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
		struct arena_mark mark;
		struct rowval rv;
		int rc = 0;

		if (++done % PROGRESS_EVERY == 0)
			import_note_progress(u, write ? "commit" : "check", done, total);
		if (comment_row(row))
			continue;
		u->rows++;
		/* What the row needs lives until its end: room for its errors
		 * first, then the mark everything after is given back to. */
		reserve_errors(u);
		mark = arena_mark(r->arena);
		if (check_row(u, row, &rv) == 0 && write && u->nerrs == 0)
			rc = write_row(u, row, &rv);
		r->ctx = NULL;		/* the form's hooks kept row memory there */
		arena_rewind(r->arena, &mark);
		if (rc != 0)
			return -1;
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
/* "B", "AA": the column letters of column n (1 = A). */
static const char *
col_letters(struct req *r, int n)
{
	char s[8], *p = s + sizeof(s) - 1;

	*p = '\0';
	for (; n > 0 && p > s; n = (n - 1) / 26)
		*--p = (char)('A' + (n - 1) % 26);
	return arena_strdup(r->arena, p);
}

/* A message with {row}, {col} and {n} replaced. */
static const char *
msg_cell(struct req *r, const char *key, int line, const char *col, long n)
{
	const char *m = tpl_lang(r, key);
	struct buf b;

	buf_init(&b, r->arena, 128);
	while (*m) {
		if (strncmp(m, "{row}", 5) == 0) {
			buf_printf(&b, "%d", line);
			m += 5;
		} else if (strncmp(m, "{col}", 5) == 0) {
			buf_puts(&b, col);
			m += 5;
		} else if (strncmp(m, "{n}", 3) == 0) {
			buf_printf(&b, "%ld", n);
			m += 3;
		} else
			buf_putc(&b, *m++);
	}
	return b.data;
}

/*
 * Read an upload or a kept file and its header; 0 or a message for the
 * page.  The dry run and the commit both come here, so both read within
 * the same limits: MAX_ROWS rows of the kind's columns, no cell longer
 * than the longest field of any kind, MAX_TEXT of text in all.
 */
const char *
import_open(struct run *u, const char *data, size_t len, struct sheet *sh)
{
	const struct sheet_limits lim = {
		.max_rows = MAX_ROWS + 1, .max_cols = u->kd->ncols,
		.max_cell = longest_cell(), .max_text = MAX_TEXT,
	};
	enum sheet_err e = sheet_read(u->r->arena, data, len, &lim, sh);

	if (e == SHEET_TOO_MANY_ROWS)
		return import_msg_n(u->r, "sheet.too_many_rows", MAX_ROWS);
	if (e == SHEET_CELL_TOO_LONG)
		return msg_cell(u->r, "sheet.cell_too_long", sh->err_line,
		    col_letters(u->r, sh->err_col), (long)(lim.max_cell / 4));
	if (e == SHEET_TOO_MUCH_TEXT)
		return import_msg_n(u->r, "sheet.too_much_text", (long)(MAX_TEXT >> 20));
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
