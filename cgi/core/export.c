/*
 * export.c — CSV and XLSX exports into the response body.
 *
 * XLSX: libxlsxwriter in constant-memory mode writes to a private temp
 * file (it has no in-memory output in Debian's 1.1.4), which is read back
 * into the response and removed at once.
 */
#include "core/export.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/req.h"

struct export {
	struct req *r;
	enum export_fmt fmt;
	int ncols;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	char path[64];
	lxw_row_t row;
};

void
csv_cell(struct buf *b, const char *s)
{
	/* A leading = + - @ TAB or CR makes spreadsheets evaluate the cell. */
	bool neutralise = s[0] == '=' || s[0] == '+' || s[0] == '-' ||
	    s[0] == '@' || s[0] == '\t' || s[0] == '\r';

	buf_putc(b, '"');
	if (neutralise)
		buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

static void
csv_row(struct export *e, const char *const *cells)
{
	for (int i = 0; i < e->ncols; i++) {
		if (i)
			buf_putc(&e->r->body, ',');
		csv_cell(&e->r->body, cells[i] ? cells[i] : "");
	}
	buf_puts(&e->r->body, "\r\n");
}

struct export *
export_begin(struct req *r, enum export_fmt fmt, const char *title,
    const char *const *labels, int ncols)
{
	struct export *e = arena_calloc(r->arena, 1, sizeof(*e));

	e->r = r;
	e->fmt = fmt;
	e->ncols = ncols;
	buf_init(&r->body, r->arena, 64 << 10);
	if (fmt == EXPORT_CSV) {
		buf_puts(&r->body, "\xEF\xBB\xBF");
		csv_row(e, labels);
		return e;
	}
	{
		lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
		int fd;

		snprintf(e->path, sizeof(e->path), "/tmp/ca-export-XXXXXX");
		fd = mkstemp(e->path);
		if (fd < 0) {
			log_err("mkstemp failed");
			return NULL;
		}
		close(fd);
		e->wb = workbook_new_opt(e->path, &opt);
		if (e->wb == NULL) {
			unlink(e->path);
			return NULL;
		}
		e->ws = workbook_add_worksheet(e->wb, NULL);
		e->bold = workbook_add_format(e->wb);
		format_set_bold(e->bold);
		(void)title;
		for (int i = 0; i < ncols; i++) {
			worksheet_write_string(e->ws, 0, (lxw_col_t)i, labels[i], e->bold);
			worksheet_set_column(e->ws, (lxw_col_t)i, (lxw_col_t)i, 18, NULL);
		}
		e->row = 1;
	}
	return e;
}

void
export_row(struct export *e, const char *const *cells)
{
	if (e->fmt == EXPORT_CSV) {
		csv_row(e, cells);
		return;
	}
	for (int i = 0; i < e->ncols; i++)
		if (cells[i] && *cells[i])
			/* Written as strings: xlsx cells are not formulas, so no
			 * injection, and codes like 0101 keep their zeros. */
			worksheet_write_string(e->ws, e->row, (lxw_col_t)i, cells[i], NULL);
	e->row++;
}

int
export_end(struct export *e, const char *filename)
{
	struct req *r = e->r;
	struct buf cd;

	if (e->fmt == EXPORT_XLSX) {
		struct stat st;
		FILE *f;

		if (workbook_close(e->wb) != LXW_NO_ERROR) {
			unlink(e->path);
			return 500;
		}
		f = fopen(e->path, "rb");
		unlink(e->path);
		if (f == NULL || fstat(fileno(f), &st) != 0) {
			if (f)
				fclose(f);
			return 500;
		}
		buf_init(&r->body, r->arena, (size_t)st.st_size + 1);
		r->body.len = fread(r->body.data, 1, (size_t)st.st_size, f);
		fclose(f);
		r->raw_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	} else
		r->raw_type = "text/csv; charset=utf-8";
	r->raw = true;
	buf_init(&cd, r->arena, 128);
	buf_printf(&cd, "attachment; filename=\"%s.%s\"; filename*=UTF-8''", "export",
	    e->fmt == EXPORT_CSV ? "csv" : "xlsx");
	url_encode(&cd, filename);
	buf_puts(&cd, e->fmt == EXPORT_CSV ? ".csv" : ".xlsx");
	req_header(r, "Content-Disposition", cd.data);
	req_header(r, "Cache-Control", "no-store");
	return 200;
}
