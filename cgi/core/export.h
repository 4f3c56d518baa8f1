/*
 * export.h — table exports.  CSV is UTF-8 with a BOM (Excel opens it as
 * UTF-8) and neutralises formula injection: a cell starting with = + - @
 * TAB or CR gets a leading apostrophe.  XLSX is written by libxlsxwriter.
 */
#ifndef CA_EXPORT_H
#define CA_EXPORT_H

#include <stddef.h>

struct req;
struct export;

enum export_fmt { EXPORT_CSV, EXPORT_XLSX };

/* Start an export with a header row of ncols labels; NULL on failure. */
struct export *export_begin(struct req *r, enum export_fmt fmt, const char *title,
    const char *const *labels, int ncols);
void export_row(struct export *e, const char *const *cells);
/* Finish and make it the response (raw body, Content-Disposition). */
int export_end(struct export *e, const char *filename);

/* CSV cell quoting (exposed for the unit tests). */
struct buf;
void csv_cell(struct buf *b, const char *s);

#endif
