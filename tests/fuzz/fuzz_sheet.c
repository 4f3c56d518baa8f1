/*
 * Fuzz target for the upload reader (cgi/core/sheet.c): any bytes as a
 * CSV (UTF-8 or GBK) or an XLSX workbook.  Every cell read back must be a
 * readable string.
 *
 * With clang: make fuzz-sheet (libFuzzer).  Without: replay.c runs the kept
 * corpus (tests/fuzz/corpus/sheet) in `make check` under the sanitizers.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena arena;
	static int ready;
	/* What the import asks for, with fewer rows. */
	static const struct sheet_limits lim = { 1000, 19, 2000, 10u << 20 };
	struct sheet sh;
	char iso[11];

	if (!ready) {
		arena_init(&arena, 64 << 10);
		ready = 1;
	}
	arena_reset(&arena);
	if (sheet_read(&arena, (const char *)data, size, &lim, &sh) == SHEET_OK)
		for (int i = 0; i < sh.nrows; i++)
			for (int c = 0; c < sh.rows[i].ncells; c++)
				(void)sheet_serial_date(sh.rows[i].cells[c], iso),
				(void)strlen(sh.rows[i].cells[c]);
	return 0;
}
