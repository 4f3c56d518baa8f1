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
	SHEET_CELL_TOO_LONG,	/* a cell longer than lim->max_cell (where: err_line, err_col) */
	SHEET_TOO_MUCH_TEXT,	/* more text in all cells than lim->max_text */
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
	int err_line, err_col;	/* SHEET_CELL_TOO_LONG: the cell's row and column (1 = A) */
};

#define SHEET_MAX_COLS 64

/*
 * What a caller accepts.  The reader's memory is bounded by them: a cell
 * is refused before it is copied anywhere, and the text of all cells
 * together (a shared string counted at every cell that uses it, as that is
 * what the caller will go through) by max_text.  An XLSX part is streamed
 * through the parser, never unpacked whole, and refused once it unpacks to
 * more than sheet_part_max() — so a small zip cannot make a large job.
 */
struct sheet_limits {
	int max_rows;		/* rows with text, the header included */
	int max_cols;		/* columns a row is meant to have (the part bounds count them) */
	size_t max_cell;	/* bytes of one cell */
	size_t max_text;	/* bytes of all cells' text */
};

enum sheet_part { SHEET_PART_SHEET, SHEET_PART_STRINGS };

/* Unpacked bytes an XLSX sheet or sharedStrings part may have under lim:
 * twice max_text (escapes, rich-text runs) plus the XML of max_rows rows of
 * max_cols cells (or strings) plus 1 MiB of other matter (column widths,
 * views, validations, other sheets' strings). */
size_t sheet_part_max(const struct sheet_limits *lim, enum sheet_part part);

/* Read data (len bytes) into out, all memory from arena a, within lim. */
enum sheet_err sheet_read(struct arena *a, const char *data, size_t len,
    const struct sheet_limits *lim, struct sheet *out);

/* An Excel serial day number ("45292", "45292.5") as YYYY-MM-DD into out
 * (11 bytes); 0, or -1 when s is not such a number (1900-03-01 .. 9999). */
int sheet_serial_date(const char *s, char out[11]);

/* Language key of an error: "sheet.<name>". */
extern const char *const sheet_err_keys[SHEET_ERR__MAX];

#endif
