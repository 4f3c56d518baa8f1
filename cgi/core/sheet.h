/*
 * sheet.h — reading an uploaded table: CSV (UTF-8, or GB18030/GBK as Excel
 * saves it in China, converted with iconv) or XLSX (libzip + expat: the
 * workbook's first sheet, shared and inline strings, numbers).
 *
 * The kind of file is sniffed from its content, never from its name or
 * the browser's Content-Type.  Knows nothing of what the columns mean:
 * every cell comes back as UTF-8 text ("" when empty); numbers of an XLSX
 * as the shortest decimal that round-trips ("12.5", "45292"), so a caller
 * that expects a date may read a number as an Excel serial (sheet_serial_date).
 */
#ifndef CA_SHEET_H
#define CA_SHEET_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

enum sheet_fmt { SHEET_CSV, SHEET_XLSX };

enum sheet_err {
	SHEET_OK,
	SHEET_EMPTY,		/* no bytes, or no row with any text */
	SHEET_BINARY,		/* neither CSV text nor an XLSX workbook */
	SHEET_XLS,		/* an old binary .xls (OLE2) workbook */
	SHEET_ZIP_NOT_XLSX,	/* a zip without xl/workbook.xml (.docx, .zip …) */
	SHEET_BAD_XLSX,		/* a damaged workbook or XML */
	SHEET_ENCODING,		/* text that is neither UTF-8 nor GB18030 (UTF-16 …) */
	SHEET_BAD_CSV,		/* an unterminated quoted field */
	SHEET_TOO_MANY_ROWS,	/* more rows than the caller allows */
	SHEET_TOO_BIG,		/* a part of the workbook too large once unpacked */
	SHEET_ERR__MAX
};

struct sheet_row {
	int line;		/* row number as a person sees it (1 = first) */
	int ncells;
	const char **cells;
};

struct sheet {
	enum sheet_fmt fmt;
	bool converted;		/* CSV converted from GB18030 */
	int nrows;
	struct sheet_row *rows;
};

#define SHEET_MAX_COLS 64

/* Read data (len bytes) into out, all memory from arena a.  At most
 * max_rows rows (header included) are accepted. */
enum sheet_err sheet_read(struct arena *a, const char *data, size_t len, int max_rows,
    struct sheet *out);

/* An Excel serial day number ("45292", "45292.5") as YYYY-MM-DD into out
 * (11 bytes); 0, or -1 when s is not such a number (1900-03-01 .. 9999). */
int sheet_serial_date(const char *s, char out[11]);

/* Language key of an error: "sheet.<name>". */
extern const char *const sheet_err_keys[SHEET_ERR__MAX];

#endif
