/* Unit tests of cgi/core/sheet.c: CSV quoting and line ends, encodings,
 * XLSX written by libxlsxwriter and read back, the sniffing of other
 * files, row limits, and Excel serial dates. */
#include "core/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/arena.h"
#include "tap.h"

static struct arena a;

static enum sheet_err
rd(const char *s, size_t n, struct sheet *sh)
{
	return sheet_read(&a, s, n, 100, sh);
}

#define RD(lit, sh) rd(lit, sizeof(lit) - 1, sh)

static char *
xlsx_file(size_t *len)
{
	char path[] = "/tmp/ca-test-sheet-XXXXXX";
	int fd = mkstemp(path);
	lxw_workbook *wb;
	lxw_worksheet *ws;
	FILE *f;
	char *data;
	long n;

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
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n);
	*len = fread(data, 1, (size_t)n, f);
	fclose(f);
	unlink(path);
	return data;
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
	ok(sheet_read(&a, x, len, 100, &sh) == SHEET_OK && sh.fmt == SHEET_XLSX, "xlsx read");
	ok(sh.nrows == 3, "three rows with text (the empty one skipped)");
	is_str(sh.rows[0].cells[1], "名称", "shared string");
	ok(sh.rows[0].ncells == 4 && *sh.rows[0].cells[2] == '\0', "a gap in the header stays a gap");
	is_str(sh.rows[1].cells[0], "0101", "text keeps its zeros");
	is_str(sh.rows[1].cells[1], "充电站 \"甲\"", "text with quotes");
	is_str(sh.rows[1].cells[2], "0.3", "0.1 + 0.2 reads as 0.3");
	is_str(sh.rows[1].cells[3], "45292", "a number");
	ok(sh.rows[2].line == 4, "row numbers from the sheet");
	ok(sheet_read(&a, x, len, 2, &sh) == SHEET_TOO_MANY_ROWS, "xlsx row limit");
	free(x);

	ok(sheet_serial_date("45292", iso) == 0 && strcmp(iso, "2024-01-01") == 0, "serial 45292 is 2024-01-01");
	ok(sheet_serial_date("61", iso) == 0 && strcmp(iso, "1900-03-01") == 0, "serial 61 is 1900-03-01");
	ok(sheet_serial_date("45351.75", iso) == 0 && strcmp(iso, "2024-02-29") == 0, "fraction of a day ignored; leap day");
	ok(sheet_serial_date("2024-01-01", iso) != 0, "a date text is no serial");
	ok(sheet_serial_date("12", iso) != 0 && sheet_serial_date("", iso) != 0, "too small or empty");
	arena_free(&a);
	return done();
}
