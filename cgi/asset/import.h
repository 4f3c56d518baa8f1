/*
 * import.h — the bulk import's parts inside ca-asset (not a public API):
 * import_rows.c reads a file's rows the way the forms validate them and
 * writes them through the forms' code; import_template.c makes the
 * templates; import.c holds the pages, the jobs and the commit.
 */
#ifndef CA_ASSET_IMPORT_H
#define CA_ASSET_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct req;
struct query;
struct resource;
struct field;
struct sheet;
struct sheet_row;

#define MAX_ROWS 20000		/* data rows of one file */
#define MAX_ERRORS 2000		/* errors kept and shown (all are counted) */
#define MAX_FILE (10u << 20)	/* bytes of an uploaded file */
/* Bytes of text all cells of a file may hold together, a shared string of
 * an XLSX counted at every cell that uses it: no more than the largest CSV
 * we take, so a small workbook cannot make a job a CSV could not be. */
#define MAX_TEXT MAX_FILE
/* Characters of a cell that names a reference, a dictionary item, a choice
 * or a date: the longest name a lookup can match (a product as
 * "manufacturer model", 100 + 1 + 64). */
#define NAME_MAX_CHARS 200

enum kind { IK_STATION, IK_PILE, IK_SUBASSET, IK__MAX };
extern const char *const import_kind_names[IK__MAX + 1];	/* NULL-terminated */

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

struct colspec {
	const char *field;	/* the form's field; "station" for a pile's place */
	enum map_id map;
	const char *dict;	/* M_DICT: which dictionary */
	const char *example;	/* NULL: from the database (references) */
};

/* What a kind of row is: the form it goes through and its columns. */
struct kind_desc {
	const struct resource *(*res)(void);
	const struct colspec *cols;
	int ncols;
	const struct query *dup;	/* NULL: no code to keep unique */
};

/* One bad cell: file row, the column's header as the file has it, message,
 * value.  Copies (cut to what import_errors keeps), because a row's memory
 * is given back once the row is done. */
struct ierr {
	int line;
	char col[401], msg[301], value[301];
	bool has_value;
};

/* One pass over a file (the dry run, or the commit) for one user. */
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
	int nerrs, nstored, caperrs, rows, created;
	const char *progress_key;
};
extern const struct kind_desc import_kinds[IK__MAX];

/* The user's language: Lang.f.<field>; a message with "{n}" replaced by n. */
const char *import_lang_f(struct req *r, const char *field);
const char *import_msg_n(struct req *r, const char *key, long n);
/* "station" → IK_STATION …, -1 when unknown. */
int import_kind_parse(const char *s);
/* A required field the form fills in itself, so its column may be missing. */
bool import_has_default(struct req *r, const char *field);

/* Characters a cell of kind column cs may have for field f (NULL: the
 * pile's station): the field's own limit, or NAME_MAX_CHARS for a name
 * that is looked up. */
int import_cell_max(const struct colspec *cs, const struct field *f);

/* A run over one file for r's user: init, open (sniff, read, map the
 * header; NULL or the message for the page), prepare (reference maps,
 * codes taken), then rows (validate; write too when write is set, in the
 * caller's transaction).  Errors collect in u->errs; rows returns 0, or -1
 * on a database failure that is no row's fault. */
void import_run_init(struct run *u, struct req *r, int kind);
const char *import_open(struct run *u, const char *data, size_t len, struct sheet *sh);
void import_prepare(struct run *u);
int import_run_rows(struct run *u, bool write);
/* Progress of the run under u->progress_key (import_progress, seen by other
 * connections at once); elapsed milliseconds. */
void import_note_progress(struct run *u, const char *phase, int done, int total);
long import_ms_since(const struct timespec *t0);

/* import_template.c: what a column holds and whether it must be filled. */
const char *import_col_hint(struct req *r, const struct resource *res, const struct colspec *cs);
bool import_col_required(struct req *r, const struct resource *res, const struct colspec *cs);
/* import.c: a whole file into the arena; NULL when unreadable. */
char *import_load_file(struct req *r, const char *path, size_t *len);

#endif
