/*
 * Unit tests of cgi/core/db_cur.c, without a database: how the variadic
 * calls (db_exec, db_open, db_scalar) read their arguments from the
 * query's letters (collect: widths, '?' nullable parameters) and what the
 * column accessors give for each column letter and for NULL.
 *
 * collect() is static, so this file includes db_cur.c itself (its own
 * copy, linked instead of libcore's db_cur.o).  The cursor is made by
 * hand over a statement whose row is written straight into its binding.
 */
#include "core/db_cur.c"

#include "tap.h"

/* collect() behind a variadic door, as db_exec has it. */
static int
args(const struct query *q, struct db_param *p, ...)
{
	va_list ap;
	int n;

	va_start(ap, p);
	n = collect(q, ap, p);
	va_end(ap);
	return n;
}

static void
test_collect(void)
{
	static const struct query q = { "…", "ild?s?l", "" };
	static const struct query none = { "…", "", "" };
	struct db_param p[MAX_PARAMS];
	int64_t v = -(INT64_C(1) << 40);
	int n;

	n = args(&q, p, (int)-7, (int64_t)(INT64_C(1) << 40), 2.5, "x", &v);
	ok(n == 5, "five parameters for five letters");
	ok(p[0].type == 'i' && p[0].i == -7 && !p[0].null, "i: an int");
	ok(p[1].type == 'l' && p[1].i == INT64_C(1) << 40, "l: an int64_t, all 64 bits");
	ok(p[2].type == 'd' && p[2].d == 2.5, "d: a double");
	ok(p[3].type == 's' && strcmp(p[3].s, "x") == 0 && !p[3].null, "?s given a string");
	ok(p[4].type == 'l' && p[4].i == v && !p[4].null, "?l given a pointer: its value");

	n = args(&q, p, 1, (int64_t)2, 0.0, (const char *)NULL, (const int64_t *)NULL);
	ok(n == 5 && p[3].null && p[4].null && p[4].i == 0, "?s and ?l given NULL: NULL parameters");
	ok(args(&none, p) == 0, "no letters: no parameters");
}

static void
test_columns(void)
{
	struct db_stmt st = { 0 };
	struct db_cur c = { &st, true, false };
	char text[] = "12345", empty[] = "";

	st.sql = (char *)"SELECT i, l, d, s, s2";
	st.ncols = 5;
	memcpy(st.ctypes, "ildss", 5);
	st.nums[0].i = -42;
	st.nums[1].l = INT64_C(9007199254740993);
	st.nums[2].d = 0.25;
	st.bufs[3] = text;
	st.lens[3] = 5;
	st.bufs[4] = empty;
	st.nulls[4] = true;

	ok(db_int(&c, 0) == -42 && db_i64(&c, 0) == -42, "i: db_int, and widened by db_i64");
	ok(db_i64(&c, 1) == INT64_C(9007199254740993), "l: every bit of an int64_t");
	ok(db_dbl(&c, 2) == 0.25, "d: db_dbl");
	ok(strcmp(db_str(&c, 3), "12345") == 0 && db_len(&c, 3) == 5 && db_i64(&c, 3) == 12345,
	    "s: db_str, db_len, and db_i64 of its digits");
	ok(db_null(&c, 4) && strcmp(db_str(&c, 4), "") == 0 && db_len(&c, 4) == 0 && db_i64(&c, 4) == 0,
	    "a NULL string: db_null, \"\" and length 0");
	st.nulls[0] = true;
	st.nulls[1] = true;
	ok(db_int(&c, 0) == 0 && db_i64(&c, 1) == 0 && !db_null(&c, 2), "NULL numbers read as 0");
}

int
main(void)
{
	test_collect();
	test_columns();
	return done();
}
