/*
 * sheet.c — CSV and XLSX readers for uploads (see sheet.h).
 *
 * CSV follows RFC 4180 (quoted fields may hold commas, quotes doubled,
 * line breaks); a UTF-8 BOM is dropped.  Text that is not valid UTF-8 is
 * taken for GB18030 (a superset of GBK, what Excel writes for "CSV" on a
 * Chinese Windows) and converted with iconv; if that fails too, it is an
 * encoding error.
 *
 * XLSX is opened from memory with libzip; the first sheet is found the way
 * Excel does (xl/workbook.xml → its relationship in
 * xl/_rels/workbook.xml.rels), and xl/sharedStrings.xml and the sheet are
 * parsed with expat, namespace-aware (prefixes vary between writers).  A
 * DOCTYPE stops the parser: a workbook has none, and so no entity tricks.
 *
 * Memory is bounded by the caller's limits, not by the file: every part is
 * streamed from the zip into expat in small pieces and refused once it
 * unpacks to more than its bound (zip bombs); a cell longer than max_cell
 * is refused before it is copied (a shared string that long is kept only
 * as a mark, so a cell using it is refused wherever it is); and the text of
 * all cells, a shared string counted at every use, stays within max_text.
 * That last one matters because a 5 KB workbook can point 19,000 cells at
 * one 32 KB string, and the caller copies every cell it goes through.
 */
#include "core/sheet.h"

#include <errno.h>
#include <expat.h>
#include <iconv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/text.h"

#define META_MAX (1u << 20)	/* workbook.xml and its relationships, unpacked */
#define ROW_XML 128		/* a <row r=".." spans=".." …> besides its cells */
#define CELL_XML 64		/* a <c r="XFD1048576" s=".." t="s"><v>..</v></c> besides its text */
#define SI_XML 64		/* an <si><t xml:space="preserve">..</t></si> besides its text */
#define PART_SLACK (1u << 20)	/* column widths, views, validations, other sheets' strings */
#define CHUNK (16u << 10)	/* bytes unpacked and parsed at a time */

const char *const sheet_err_keys[SHEET_ERR__MAX] = {
	[SHEET_OK] = "sheet.ok",
	[SHEET_EMPTY] = "sheet.empty",
	[SHEET_BINARY] = "sheet.binary",
	[SHEET_XLS] = "sheet.xls",
	[SHEET_ZIP_NOT_XLSX] = "sheet.zip",
	[SHEET_BAD_XLSX] = "sheet.bad_xlsx",
	[SHEET_ENCODING] = "sheet.encoding",
	[SHEET_BAD_CSV] = "sheet.bad_csv",
	[SHEET_TOO_MANY_ROWS] = "sheet.too_many_rows",
	[SHEET_TOO_BIG] = "sheet.too_big",
	[SHEET_CELL_TOO_LONG] = "sheet.cell_too_long",
	[SHEET_TOO_MUCH_TEXT] = "sheet.too_much_text",
};

/* A shared string longer than max_cell: kept as this mark, never as text. */
static const char overlong[] = "";

size_t
sheet_part_max(const struct sheet_limits *lim, enum sheet_part part)
{
	size_t rows = lim->max_rows > 0 ? (size_t)lim->max_rows : 0;
	size_t cols = lim->max_cols > 0 ? (size_t)lim->max_cols : 0;

	if (part == SHEET_PART_STRINGS)
		return 2 * lim->max_text + rows * cols * SI_XML + PART_SLACK;
	return 2 * lim->max_text + rows * (ROW_XML + cols * CELL_XML) + PART_SLACK;
}

/* Rows being collected: grown by doubling in the arena. */
struct rows {
	struct arena *a;
	const struct sheet_limits *lim;
	struct sheet_row *v;
	int n, cap;
	const char *cells[SHEET_MAX_COLS];
	int ncells;
	size_t text;		/* bytes of all cells so far */
	int err_line, err_col;	/* SHEET_CELL_TOO_LONG */
};

static int
rows_push(struct rows *rs, int line)
{
	struct sheet_row *row;
	int last = rs->ncells;

	/* Trailing empty cells do not make a row longer; an empty row is kept
	 * out altogether (Excel leaves formatted blank rows behind). */
	while (last > 0 && (rs->cells[last - 1] == NULL || *rs->cells[last - 1] == '\0'))
		last--;
	rs->ncells = 0;
	if (last == 0)
		return 0;
	if (rs->n == rs->lim->max_rows)
		return -1;
	if (rs->n == rs->cap) {
		int cap = rs->cap ? rs->cap * 2 : 256;
		struct sheet_row *v = arena_alloc(rs->a, sizeof(*v) * (size_t)cap);

		if (rs->n)
			memcpy(v, rs->v, sizeof(*v) * (size_t)rs->n);
		rs->v = v;
		rs->cap = cap;
	}
	row = &rs->v[rs->n++];
	row->line = line;
	row->ncells = last;
	row->cells = arena_alloc(rs->a, sizeof(*row->cells) * (size_t)last);
	for (int i = 0; i < last; i++)
		row->cells[i] = rs->cells[i] ? rs->cells[i] : "";
	return 0;
}

/* Column col (0-based) of the row being collected is text (len bytes);
 * SHEET_OK, or why it is refused. */
static enum sheet_err
rows_cell(struct rows *rs, int line, int col, const char *text, size_t len)
{
	if (col < 0 || col >= SHEET_MAX_COLS)
		return SHEET_OK;	/* far-right columns are no part of a template */
	if (text == overlong || len > rs->lim->max_cell) {
		rs->err_line = line;
		rs->err_col = col + 1;
		return SHEET_CELL_TOO_LONG;
	}
	if (len > rs->lim->max_text - rs->text)
		return SHEET_TOO_MUCH_TEXT;
	rs->text += len;
	while (rs->ncells <= col)
		rs->cells[rs->ncells++] = NULL;
	rs->cells[col] = text;
	return SHEET_OK;
}

/* ---------------------------------------------------------------- CSV */

static enum sheet_err
to_utf8(struct arena *a, const char **data, size_t *len, bool *converted)
{
	iconv_t cd;
	char *in, *out, *outp;
	size_t inleft = *len, outleft = *len * 2 + 4;

	if (utf8_valid(*data, *len))
		return SHEET_OK;
	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return SHEET_ENCODING;
	in = (char *)*data;
	out = outp = arena_alloc(a, outleft + 1);
	if (iconv(cd, &in, &inleft, &outp, &outleft) == (size_t)-1) {
		iconv_close(cd);
		return SHEET_ENCODING;
	}
	iconv_close(cd);
	*outp = '\0';
	*data = out;
	*len = (size_t)(outp - out);
	*converted = true;
	return utf8_valid(*data, *len) ? SHEET_OK : SHEET_ENCODING;
}

static enum sheet_err
read_csv(struct rows *rs, const char *s, size_t len)
{
	const char *end = s + len;
	struct buf cell;
	enum sheet_err rc;
	int line = 1, col = 0;
	bool any = false;

	buf_init(&cell, rs->a, 256);
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	while (s < end) {
		buf_clear(&cell);
		if (*s == '"') {
			s++;
			for (;;) {
				if (s >= end)
					return SHEET_BAD_CSV;
				if (*s == '"') {
					if (s + 1 < end && s[1] == '"') {
						buf_putc(&cell, '"');
						s += 2;
						continue;
					}
					s++;
					break;
				}
				buf_putc(&cell, *s++);
			}
			/* Anything between the closing quote and the separator is kept. */
			while (s < end && *s != ',' && *s != '\n' && *s != '\r')
				buf_putc(&cell, *s++);
		} else
			while (s < end && *s != ',' && *s != '\n' && *s != '\r')
				buf_putc(&cell, *s++);
		if (cell.len > rs->lim->max_cell)	/* refused before it is copied */
			return rows_cell(rs, line, col, cell.data, cell.len);
		if ((rc = rows_cell(rs, line, col, arena_strndup(rs->a, cell.data, cell.len),
		    cell.len)) != SHEET_OK)
			return rc;
		col++;
		any = true;
		if (s < end && *s == ',') {
			s++;
			if (s == end)
				rows_cell(rs, line, col++, "", 0);
			continue;
		}
		/* End of record: CRLF, LF or a lone CR. */
		if (s < end && *s == '\r')
			s++;
		if (s < end && *s == '\n')
			s++;
		if (rows_push(rs, line++) != 0)
			return SHEET_TOO_MANY_ROWS;
		col = 0;
		any = false;
	}
	if (any && rows_push(rs, line) != 0)
		return SHEET_TOO_MANY_ROWS;
	return SHEET_OK;
}

/* ---------------------------------------------------------------- XLSX */

/* Local name of a namespace-qualified expat name ("uri|local"). */
static const char *
local(const char *name)
{
	const char *bar = strrchr(name, '|');

	return bar ? bar + 1 : name;
}

static const char *
attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

/* What the parsers below collect, one struct for all three parts. */
struct xp {
	XML_Parser p;
	struct arena *a;
	struct rows *rs;
	int depth_rph;		/* inside <rPh> (phonetic guide): not text */
	bool in_text;		/* collecting character data */
	bool overlong;		/* the text being collected passed max_cell */
	enum sheet_err err;	/* why a handler stopped the parser */
	struct buf text;

	/* workbook.xml / rels */
	const char *sheet_rid;
	const char *target;

	/* sharedStrings.xml */
	const char **strings;
	int nstrings, capstrings;
	size_t strings_text;	/* bytes kept of them */

	/* the sheet */
	int row_line, next_row, col, next_col;
	char type[12];
	bool have_value;
};

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct xp *x = ud;

	if (!x->in_text || x->depth_rph || x->overlong)
		return;
	/* Never collected past the limit: the cell (or string) is only marked. */
	if ((size_t)len > x->rs->lim->max_cell - x->text.len) {
		x->overlong = true;
		return;
	}
	buf_append(&x->text, s, (size_t)len);
}

static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub, int internal)
{
	struct xp *x = ud;

	(void)name, (void)sys, (void)pub, (void)internal;
	XML_StopParser(x->p, XML_FALSE);
}

/* A handler refuses the file: remember why and stop. */
static void
fail(struct xp *x, enum sheet_err e)
{
	if (x->err == SHEET_OK)
		x->err = e;
	XML_StopParser(x->p, XML_FALSE);
}

/*
 * Stream the part name of z through expat with these handlers, CHUNK bytes
 * at a time: nothing of the part is kept but what the handlers keep.
 * Refused (SHEET_TOO_BIG) when the directory says it unpacks to more than
 * max; the bytes are counted as they come too, as the directory is the
 * sender's word.  *found tells whether the part exists (SHEET_OK if not).
 */
static enum sheet_err
parse_part(struct xp *x, zip_t *z, const char *name, size_t max, bool *found,
    XML_StartElementHandler start, XML_EndElementHandler end)
{
	static char chunk[CHUNK];
	enum XML_Status st = XML_STATUS_OK;
	enum sheet_err rc = SHEET_OK;
	zip_stat_t zs;
	zip_file_t *f;
	zip_int64_t got;
	size_t total = 0;

	*found = false;
	zip_stat_init(&zs);
	if (zip_stat(z, name, 0, &zs) != 0)
		return SHEET_OK;
	*found = true;
	if (!(zs.valid & ZIP_STAT_SIZE) || zs.size > max)
		return SHEET_TOO_BIG;
	f = zip_fopen(z, name, 0);
	if (f == NULL)
		return SHEET_BAD_XLSX;
	x->p = XML_ParserCreateNS("UTF-8", '|');
	if (x->p == NULL)
		abort();
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, start, end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	while ((got = zip_fread(f, chunk, sizeof(chunk))) > 0) {
		total += (size_t)got;
		if (total > zs.size) {
			rc = SHEET_BAD_XLSX;	/* more than the directory said */
			break;
		}
		if ((st = XML_Parse(x->p, chunk, (int)got, XML_FALSE)) != XML_STATUS_OK)
			break;
	}
	if (rc == SHEET_OK && st == XML_STATUS_OK) {
		if (got < 0 || total != zs.size)
			rc = SHEET_BAD_XLSX;
		else
			st = XML_Parse(x->p, "", 0, XML_TRUE);
	}
	zip_fclose(f);
	XML_ParserFree(x->p);
	x->p = NULL;
	if (x->err != SHEET_OK)
		return x->err;
	if (rc != SHEET_OK)
		return rc;
	return st == XML_STATUS_OK ? SHEET_OK : SHEET_BAD_XLSX;
}

static void XMLCALL
wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xp *x = ud;

	if (x->sheet_rid == NULL && strcmp(local(name), "sheet") == 0) {
		const char *id = attr(atts, "id");

		if (id)
			x->sheet_rid = arena_strdup(x->a, id);
	}
}

static void XMLCALL
rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xp *x = ud;
	const char *id, *target;

	if (x->target || strcmp(local(name), "Relationship") != 0)
		return;
	id = attr(atts, "Id");
	target = attr(atts, "Target");
	if (id && target && x->sheet_rid && strcmp(id, x->sheet_rid) == 0)
		x->target = arena_strdup(x->a, target);
}

static void XMLCALL
no_end(void *ud, const XML_Char *name)
{
	(void)ud, (void)name;
}

static void XMLCALL
ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xp *x = ud;
	const char *l = local(name);

	(void)atts;
	if (strcmp(l, "si") == 0) {
		buf_clear(&x->text);
		x->overlong = false;
	}
	else if (strcmp(l, "rPh") == 0)
		x->depth_rph++;
	else if (strcmp(l, "t") == 0)
		x->in_text = true;
}

static void XMLCALL
ss_end(void *ud, const XML_Char *name)
{
	struct xp *x = ud;
	const char *l = local(name);

	if (strcmp(l, "t") == 0)
		x->in_text = false;
	else if (strcmp(l, "rPh") == 0)
		x->depth_rph--;
	else if (strcmp(l, "si") == 0) {
		if (x->nstrings == x->capstrings) {
			int cap = x->capstrings ? x->capstrings * 2 : 1024;
			const char **v = arena_alloc(x->a, sizeof(*v) * (size_t)cap);

			if (x->nstrings)
				memcpy(v, x->strings, sizeof(*v) * (size_t)x->nstrings);
			x->strings = v;
			x->capstrings = cap;
		}
		/* An overlong string costs nothing until a cell uses it, and then
		 * that cell is refused; unused ones (another sheet's) are harmless. */
		if (x->overlong)
			x->strings[x->nstrings++] = overlong;
		else if (x->text.len > x->rs->lim->max_text - x->strings_text)
			fail(x, SHEET_TOO_MUCH_TEXT);
		else {
			x->strings_text += x->text.len;
			x->strings[x->nstrings++] = arena_strndup(x->a, x->text.data, x->text.len);
		}
	}
}

/* "AB12" → column 27 (0-based), or -1. */
static int
ref_col(const char *r)
{
	int col = 0, n = 0;

	for (; *r >= 'A' && *r <= 'Z'; r++, n++)
		col = col * 26 + (*r - 'A' + 1);
	return n == 0 || n > 3 ? -1 : col - 1;
}

static void XMLCALL
sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xp *x = ud;
	const char *l = local(name);

	if (strcmp(l, "row") == 0) {
		const char *r = attr(atts, "r");
		long n = r ? strtol(r, NULL, 10) : 0;

		x->row_line = n > 0 && n <= 1048576 ? (int)n : x->next_row;
		x->next_row = x->row_line + 1;
		x->next_col = 0;
		x->rs->ncells = 0;
	} else if (strcmp(l, "c") == 0) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t");
		int c = r ? ref_col(r) : -1;

		x->col = c >= 0 ? c : x->next_col;
		x->next_col = x->col + 1;
		snprintf(x->type, sizeof(x->type), "%s", t ? t : "n");
		x->have_value = false;
		x->overlong = false;
		buf_clear(&x->text);
	} else if (strcmp(l, "v") == 0 || strcmp(l, "t") == 0) {
		x->in_text = true;
		x->have_value = true;
	} else if (strcmp(l, "rPh") == 0)
		x->depth_rph++;
}

/* The text a cell shows, by its type. */
static const char *
cell_value(struct xp *x)
{
	const char *v = arena_strndup(x->a, x->text.data, x->text.len);

	if (strcmp(x->type, "s") == 0) {
		char *end;
		long i = strtol(v, &end, 10);

		return *v && *end == '\0' && i >= 0 && i < x->nstrings ? x->strings[i] : "";
	}
	if (strcmp(x->type, "n") == 0 && *v) {
		char *end;
		double d = strtod(v, &end);

		/* 0.1 stored as 0.10000000000000001 reads back as 0.1. */
		if (*end == '\0' && isfinite(d))
			return arena_printf(x->a, "%.15g", d);
		return v;
	}
	if (strcmp(x->type, "d") == 0 && strlen(v) >= 10)
		return arena_strndup(x->a, v, 10);	/* ISO 8601 date cell */
	return v;		/* inlineStr, str (formula result), b (0/1), e */
}

static void XMLCALL
sh_end(void *ud, const XML_Char *name)
{
	struct xp *x = ud;
	const char *l = local(name);

	if (strcmp(l, "v") == 0 || strcmp(l, "t") == 0)
		x->in_text = false;
	else if (strcmp(l, "rPh") == 0)
		x->depth_rph--;
	else if (strcmp(l, "c") == 0) {
		enum sheet_err e;
		const char *v;

		if (!x->have_value)
			return;
		v = x->overlong ? overlong : cell_value(x);
		if ((e = rows_cell(x->rs, x->row_line, x->col, v, strlen(v))) != SHEET_OK)
			fail(x, e);
	} else if (strcmp(l, "row") == 0) {
		if (rows_push(x->rs, x->row_line) != 0)
			fail(x, SHEET_TOO_MANY_ROWS);
	}
}

static enum sheet_err
read_xlsx(struct rows *rs, const char *data, size_t len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	struct xp x;
	const char *path;
	enum sheet_err rc;
	bool found;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src == NULL)
		return SHEET_BAD_XLSX;
	z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (z == NULL) {
		zip_source_free(src);
		zip_error_fini(&ze);
		return SHEET_BAD_XLSX;
	}
	memset(&x, 0, sizeof(x));
	x.a = rs->a;
	x.rs = rs;
	x.next_row = 1;
	buf_init(&x.text, rs->a, 256);

	if ((rc = parse_part(&x, z, "xl/workbook.xml", META_MAX, &found, wb_start,
	    no_end)) != SHEET_OK)
		goto out;
	if (!found) {
		rc = SHEET_ZIP_NOT_XLSX;
		goto out;
	}
	if ((rc = parse_part(&x, z, "xl/_rels/workbook.xml.rels", META_MAX, &found, rels_start,
	    no_end)) != SHEET_OK)
		goto out;
	/* Targets are relative to xl/, or absolute within the package. */
	if (x.target == NULL)
		path = "xl/worksheets/sheet1.xml";
	else if (x.target[0] == '/')
		path = x.target + 1;
	else
		path = arena_printf(rs->a, "xl/%s", x.target);
	if ((rc = parse_part(&x, z, "xl/sharedStrings.xml",
	    sheet_part_max(rs->lim, SHEET_PART_STRINGS), &found, ss_start, ss_end)) != SHEET_OK)
		goto out;
	if ((rc = parse_part(&x, z, path, sheet_part_max(rs->lim, SHEET_PART_SHEET), &found,
	    sh_start, sh_end)) != SHEET_OK)
		goto out;
	if (!found)
		rc = SHEET_BAD_XLSX;
out:
	zip_discard(z);		/* frees the source too */
	zip_error_fini(&ze);
	return rc;
}

/* ---------------------------------------------------------------- entry */

enum sheet_err
sheet_read(struct arena *a, const char *data, size_t len, const struct sheet_limits *lim,
    struct sheet *out)
{
	struct rows rs;
	enum sheet_err rc;

	memset(out, 0, sizeof(*out));
	memset(&rs, 0, sizeof(rs));
	rs.a = a;
	rs.lim = lim;
	if (len == 0)
		return SHEET_EMPTY;
	if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
		out->fmt = SHEET_XLSX;
		rc = read_xlsx(&rs, data, len);
	} else if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		return SHEET_XLS;
	} else if (len >= 2 && ((unsigned char)data[0] == 0xFF || (unsigned char)data[0] == 0xFE) &&
	    ((unsigned char)data[1] == 0xFE || (unsigned char)data[1] == 0xFF)) {
		return SHEET_ENCODING;	/* UTF-16 ("Unicode text") */
	} else if (memchr(data, '\0', len) != NULL) {
		return SHEET_BINARY;
	} else {
		out->fmt = SHEET_CSV;
		if ((rc = to_utf8(a, &data, &len, &out->converted)) != SHEET_OK)
			return rc;
		rc = read_csv(&rs, data, len);
	}
	if (rc == SHEET_CELL_TOO_LONG) {
		out->err_line = rs.err_line;
		out->err_col = rs.err_col;
	}
	if (rc != SHEET_OK)
		return rc;
	if (rs.n == 0)
		return SHEET_EMPTY;
	out->nrows = rs.n;
	out->rows = rs.v;
	return SHEET_OK;
}

int
sheet_serial_date(const char *s, char out[11])
{
	char *end;
	double d;
	long days;
	int y, m, dd;
	long z, era, doe, yoe, doy, mp;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	d = strtod(s, &end);
	if (*end != '\0' || errno || !(d >= 61 && d < 2958466))
		return -1;
	/* Serial 25569 is 1970-01-01 (Excel's 1900 system, after its phantom
	 * 1900-02-29, hence from serial 61 on). */
	days = (long)floor(d) - 25569;
	/* Civil date from days since the epoch (H. Hinnant's algorithm). */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	m = (int)(mp < 10 ? mp + 3 : mp - 9);
	y = (int)(yoe + era * 400 + (m <= 2));
	snprintf(out, 11, "%04d-%02d-%02d", y, m, dd);
	return 0;
}
