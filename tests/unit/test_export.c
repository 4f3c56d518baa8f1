/* Unit tests of CSV cell quoting: formula injection is neutralised. */
#include "core/arena.h"
#include "core/buf.h"
#include "core/export.h"

#include "tap.h"

static const char *
cell(struct arena *a, const char *s)
{
	struct buf b;

	buf_init(&b, a, 16);
	csv_cell(&b, s);
	return b.data;
}

int
main(void)
{
	struct arena a;

	arena_init(&a, 4096);
	is_str(cell(&a, "plain"), "\"plain\"", "plain cell quoted");
	is_str(cell(&a, "say \"hi\""), "\"say \"\"hi\"\"\"", "quotes doubled");
	is_str(cell(&a, "=1+1"), "\"'=1+1\"", "= neutralised");
	is_str(cell(&a, "+86 138"), "\"'+86 138\"", "+ neutralised");
	is_str(cell(&a, "-5"), "\"'-5\"", "- neutralised");
	is_str(cell(&a, "@SUM(A1)"), "\"'@SUM(A1)\"", "@ neutralised");
	is_str(cell(&a, "\tx"), "\"'\tx\"", "tab neutralised");
	is_str(cell(&a, "a,b\nc"), "\"a,b\nc\"", "comma and newline kept inside quotes");
	is_str(cell(&a, "充电站"), "\"充电站\"", "utf-8 kept");
	is_str(cell(&a, ""), "\"\"", "empty cell");
	arena_free(&a);
	return done();
}
