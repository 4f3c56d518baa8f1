/* Unit tests of cgi/core/sheet.c: CSV quoting and line ends, encodings,
 * XLSX written by libxlsxwriter and read back, the sniffing of other
 * files, row limits, the bounds on cells, text and parts (issue 9: a 5 KB
 * workbook whose one 32 KB shared string fills every cell), and Excel
 * serial dates. */
#include "core/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "core/arena.h"
#include "tap.h"

static struct arena a;

/* What the import asks for (cgi/asset/import_rows.c): 20,000 rows and a
 * header of a station's 19 columns, cells of at most 500 characters. */
static const struct sheet_limits import_lim = { 20001, 19, 2000, 10u << 20 };

static enum sheet_err
rd_lim(const char *s, size_t n, int max_rows, struct sheet *sh)
{
	const struct sheet_limits lim = { max_rows, 19, 2000, 10u << 20 };

	return sheet_read(&a, s, n, &lim, sh);
}

static enum sheet_err
rd(const char *s, size_t n, struct sheet *sh)
{
	return rd_lim(s, n, 100, sh);
}

/* A workbook made of these parts (sharedStrings may be NULL), zipped with
 * libzip as any writer would; malloc'd, *len bytes. */
/* The bytes of the file at path (malloc'd, *len of them); the file goes. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n);
	*len = fread(data, 1, (size_t)n, f);
	fclose(f);
	unlink(path);
	return data;
}

static char *
xlsx_parts(const char *strings, const char *sheet, size_t *len)
{
	static const char wb[] =
	    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
	    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	    "<sheets><sheet name=\"s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
	static const char rels[] =
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
	    "2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
	char path[] = "/tmp/ca-test-parts-XXXXXX";
	int fd = mkstemp(path);
	zip_t *z;

	close(fd);
	z = zip_open(path, ZIP_TRUNCATE, NULL);
	zip_file_add(z, "xl/workbook.xml", zip_source_buffer(z, wb, strlen(wb), 0), 0);
	zip_file_add(z, "xl/_rels/workbook.xml.rels", zip_source_buffer(z, rels, strlen(rels), 0), 0);
	if (strings)
		zip_file_add(z, "xl/sharedStrings.xml",
		    zip_source_buffer(z, strings, strlen(strings), 0), 0);
	zip_file_add(z, "xl/worksheets/sheet1.xml", zip_source_buffer(z, sheet, strlen(sheet), 0), 0);
	if (zip_close(z) != 0)
		return NULL;
	return slurp(path, len);
}

#define SST "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
#define WS "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define WS_END "</sheetData></worksheet>"

/* The shared strings "编码", "名称" and then one string of len x's. */
static char *
strings_with(size_t len)
{
	const char *head = SST "<si><t>编码</t></si><si><t>名称</t></si><si><t>";
	const char *tail = "</t></si></sst>";

	char *p = malloc(strlen(head) + len + strlen(tail) + 1);

	memcpy(p, head, strlen(head));
	memset(p + strlen(head), 'x', len);
	memcpy(p + strlen(head) + len, tail, strlen(tail) + 1);
	return p;
}

/* A header row of strings 0 and 1, then rows rows whose cells A and B
 * both use string 2. */
static char *
rows_using(int rows)
{
	size_t cap = 256 + (size_t)rows * 96, n = 0;
	char *s = malloc(cap);

	n += (size_t)snprintf(s + n, cap - n, "%s<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
	    "<c r=\"B1\" t=\"s\"><v>1</v></c></row>", WS);
	for (int i = 2; i <= rows + 1; i++)
		n += (size_t)snprintf(s + n, cap - n, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>2</v></c>"
		    "<c r=\"B%d\" t=\"s\"><v>2</v></c></row>", i, i, i);
	snprintf(s + n, cap - n, "%s", WS_END);
	return s;
}

/* The reader's bounds: cells, text, parts. */
static void
test_bounds(void)
{
	struct sheet sh;
	char *strings, *sheet, *x, *big;
	size_t len, used;

	/* Issue 9's file: one 32 KB shared string, 1,000 rows using it. */
	strings = strings_with(32 << 10);
	sheet = rows_using(1000);
	x = xlsx_parts(strings, sheet, &len);
	ok(x != NULL && len < 16 << 10, "the amplification workbook is small (%zu bytes)", len);
	arena_reset(&a);
	ok(sheet_read(&a, x, len, &import_lim, &sh) == SHEET_CELL_TOO_LONG,
	    "a cell using a shared string longer than any field is refused");
	ok(sh.err_line == 2 && sh.err_col == 1, "at its first use: row 2, column A (%d, %d)",
	    sh.err_line, sh.err_col);
	used = a.used_total;
	ok(used < (1u << 20), "reading it took %zu bytes of the arena, not 32 KB per cell", used);
	free(x);
	free(sheet);

	/* The same long string used by no cell is harmless (another sheet's). */
	sheet = rows_using(0);
	x = xlsx_parts(strings, sheet, &len);
	ok(sheet_read(&a, x, len, &import_lim, &sh) == SHEET_OK && sh.nrows == 1,
	    "an unused overlong shared string is no error");
	free(x);
	free(sheet);
	free(strings);

	/* Each cell within its bound, but all of them together over the text budget. */
	{
		const struct sheet_limits lim = { 20001, 19, 2000, 100000 };

		strings = strings_with(1000);
		sheet = rows_using(60);		/* 120 cells × 1,000 bytes */
		x = xlsx_parts(strings, sheet, &len);
		ok(sheet_read(&a, x, len, &lim, &sh) == SHEET_TOO_MUCH_TEXT,
		    "a shared string counted at every use against the text budget");
		ok(sheet_read(&a, x, len, &import_lim, &sh) == SHEET_OK && sh.nrows == 61,
		    "the same file within a larger budget is read");
		ok(sh.rows[60].cells[1][0] == 'x', "cells point at the string");
		ok(strlen(sh.rows[60].cells[1]) == 1000, "a 1,000-byte cell read whole");
		free(x);
		free(sheet);
		free(strings);
	}

	/* Part bounds follow the limits: a sheet part of 2 MB of blank rows is
	 * too big for 10 rows of 2 columns, and fine for the import's. */
	{
		const struct sheet_limits small = { 10, 2, 100, 1000 };
		size_t n = 0, cap = 2u << 20;

		ok(sheet_part_max(&small, SHEET_PART_SHEET) < cap &&
		    sheet_part_max(&import_lim, SHEET_PART_SHEET) > cap,
		    "the sheet bound is derived from rows, columns and text (%zu, %zu)",
		    sheet_part_max(&small, SHEET_PART_SHEET), sheet_part_max(&import_lim, SHEET_PART_SHEET));
		ok(sheet_part_max(&import_lim, SHEET_PART_SHEET) < (64u << 20) &&
		    sheet_part_max(&import_lim, SHEET_PART_STRINGS) < (64u << 20),
		    "and below the old 64 MiB for the import (sheet %zu, strings %zu)",
		    sheet_part_max(&import_lim, SHEET_PART_SHEET),
		    sheet_part_max(&import_lim, SHEET_PART_STRINGS));
		big = malloc(cap + 256);
		n += (size_t)snprintf(big + n, cap - n, "%s<row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
		    "<is><t>a</t></is></c></row>", WS);
		for (int r = 2; n < cap - 64; r++)
			n += (size_t)snprintf(big + n, cap - n, "<row r=\"%d\"/>", r % 1000000 + 2);
		snprintf(big + n, cap + 256 - n, "%s", WS_END);
		x = xlsx_parts(NULL, big, &len);
		arena_reset(&a);
		ok(sheet_read(&a, x, len, &small, &sh) == SHEET_TOO_BIG,
		    "a sheet part over its bound is refused (%zu bytes zipped)", len);
		arena_reset(&a);
		ok(sheet_read(&a, x, len, &import_lim, &sh) == SHEET_OK && sh.nrows == 1,
		    "the same part within the import's bound is read");
		ok(a.used_total < (1u << 20), "streamed: 2 MB of XML took %zu bytes of the arena",
		    a.used_total);
		free(x);
		free(big);
	}

	/* CSV: a cell longer than the limit, refused with its place. */
	{
		const struct sheet_limits lim = { 100, 19, 10, 1000 };
		const char csv[] = "a,b\nshort,01234567890\n";

		ok(sheet_read(&a, csv, sizeof(csv) - 1, &lim, &sh) == SHEET_CELL_TOO_LONG &&
		    sh.err_line == 2 && sh.err_col == 2, "CSV: an 11-byte cell over 10 at row 2, column B");
		ok(sheet_read(&a, csv, sizeof(csv) - 1, &import_lim, &sh) == SHEET_OK,
		    "CSV: within the import's limits");
	}
	ok(strcmp(sheet_err_keys[SHEET_CELL_TOO_LONG], "sheet.cell_too_long") == 0 &&
	    strcmp(sheet_err_keys[SHEET_TOO_MUCH_TEXT], "sheet.too_much_text") == 0,
	    "language keys for the new refusals");
}

#define RD(lit, sh) rd(lit, sizeof(lit) - 1, sh)

static char *
xlsx_file(size_t *len)
{
	char path[] = "/tmp/ca-test-sheet-XXXXXX";
	int fd = mkstemp(path);
	lxw_workbook *wb;
	lxw_worksheet *ws;

	close(fd);
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, "数据");
	worksheet_write_string(ws, 0, 0, "编码", NULL);
	worksheet_write_string(ws, 0, 1, "名称", NULL);
	worksheet_write_string(ws, 0, 3, "投运日期", NULL);
	worksheet_write_string(ws, 1, 0, "0101", NULL);
	worksheet_write_string(ws, 1, 1, "充电站 \"甲\"", NULL);
	worksheet_write_number(ws, 1, 2, 0.1 + 0.2, NULL);
	worksheet_write_number(ws, 1, 3, 45292, NULL);
	worksheet_write_number(ws, 3, 0, 12, NULL);	/* row 3 empty, row 4 */
	workbook_close(wb);
	return slurp(path, len);
}

int
main(void)
{
	struct sheet sh;
	char iso[11];
	size_t len;
	char *x;

	arena_init(&a, 64 << 10);

	ok(RD("\xEF\xBB\xBF" "a,b\r\n1,2\r\n", &sh) == SHEET_OK && sh.nrows == 2 && sh.fmt == SHEET_CSV,
	    "CSV with BOM and CRLF: two rows");
	is_str(sh.rows[0].cells[0], "a", "BOM dropped from the first cell");
	ok(sh.rows[1].line == 2 && sh.rows[1].ncells == 2, "line numbers and cells");
	ok(RD("\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\nz", &sh) == SHEET_OK && sh.nrows == 2,
	    "quoted comma, doubled quote and a line break in a cell");
	is_str(sh.rows[0].cells[0], "x,y", "comma kept");
	is_str(sh.rows[0].cells[1], "say \"hi\"", "quotes undoubled");
	is_str(sh.rows[0].cells[2], "two\nlines", "line break kept");
	ok(sh.rows[1].line == 2, "a record across two lines counts once");
	ok(RD("a,b,\n\n,,\nc\n", &sh) == SHEET_OK && sh.nrows == 2 && sh.rows[0].ncells == 2 &&
	    sh.rows[1].line == 4, "trailing empty cells and empty rows dropped, lines kept");
	ok(RD("a\rb\r", &sh) == SHEET_OK && sh.nrows == 2, "old Mac line ends");
	ok(RD("\"open", &sh) == SHEET_BAD_CSV, "unterminated quote");
	ok(RD("", &sh) == SHEET_EMPTY && RD(",,\n\n", &sh) == SHEET_EMPTY, "nothing in it: empty");
	/* 编码,名称 in GB18030, as Excel on a Chinese Windows saves CSV. */
	ok(RD("\xB1\xE0\xC2\xEB,\xC3\xFB\xB3\xC6\n", &sh) == SHEET_OK && sh.converted, "GBK converted");
	is_str(sh.rows[0].cells[0], "编码", "GBK text as UTF-8");
	ok(RD("\xFF\xFE" "a\0b\0", &sh) == SHEET_ENCODING, "UTF-16 refused");
	ok(RD("\x89PNG\r\n\x1a\n\0\0", &sh) == SHEET_BINARY, "binary refused");
	ok(RD("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", &sh) == SHEET_XLS, "old .xls recognised");
	ok(RD("PK\x03\x04garbage", &sh) == SHEET_BAD_XLSX, "broken zip");
	{
		char many[202];

		for (int i = 0; i < 101; i++)
			memcpy(many + 2 * i, "r\n", 2);
		ok(rd(many, sizeof(many), &sh) == SHEET_TOO_MANY_ROWS, "row limit");
	}

	x = xlsx_file(&len);
	ok(rd_lim(x, len, 100, &sh) == SHEET_OK && sh.fmt == SHEET_XLSX, "xlsx read");
	ok(sh.nrows == 3, "three rows with text (the empty one skipped)");
	is_str(sh.rows[0].cells[1], "名称", "shared string");
	ok(sh.rows[0].ncells == 4 && *sh.rows[0].cells[2] == '\0', "a gap in the header stays a gap");
	is_str(sh.rows[1].cells[0], "0101", "text keeps its zeros");
	is_str(sh.rows[1].cells[1], "充电站 \"甲\"", "text with quotes");
	is_str(sh.rows[1].cells[2], "0.3", "0.1 + 0.2 reads as 0.3");
	is_str(sh.rows[1].cells[3], "45292", "a number");
	ok(sh.rows[2].line == 4, "row numbers from the sheet");
	ok(rd_lim(x, len, 2, &sh) == SHEET_TOO_MANY_ROWS, "xlsx row limit");
	free(x);

	test_bounds();

	ok(sheet_serial_date("45292", iso) == 0 && strcmp(iso, "2024-01-01") == 0, "serial 45292 is 2024-01-01");
	ok(sheet_serial_date("61", iso) == 0 && strcmp(iso, "1900-03-01") == 0, "serial 61 is 1900-03-01");
	ok(sheet_serial_date("45351.75", iso) == 0 && strcmp(iso, "2024-02-29") == 0, "fraction of a day ignored; leap day");
	ok(sheet_serial_date("2024-01-01", iso) != 0, "a date text is no serial");
	ok(sheet_serial_date("12", iso) != 0 && sheet_serial_date("", iso) != 0, "too small or empty");
	arena_free(&a);
	return done();
}
