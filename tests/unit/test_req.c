/* Unit tests of URL coding, the arena and buffers. */
#include <stdlib.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/req.h"

#include "tap.h"

static long
dec(char *s)
{
	return url_decode(s, strlen(s));
}

int
main(void)
{
	struct arena a;
	struct buf b;
	char s1[] = "a+b%20c", s2[] = "%E5%85%85", s3[] = "bad%2", s4[] = "bad%zz",
	     s5[] = "%", s6[] = "x%41";
	char *big;

	ok(dec(s1) == 5 && strcmp(s1, "a b c") == 0, "plus and %%20 decode to spaces");
	ok(dec(s2) == 3 && strcmp(s2, "充") == 0, "utf-8 escapes decode");
	ok(dec(s3) < 0, "truncated escape refused");
	ok(dec(s4) < 0, "non-hex escape refused");
	ok(dec(s5) < 0, "lone percent refused");
	ok(dec(s6) == 2 && strcmp(s6, "xA") == 0, "escape at the end decodes");

	arena_init(&a, 1024);
	buf_init(&b, &a, 4);
	url_encode(&b, "a b/充&=");
	is_str(b.data, "a%20b%2F%E5%85%85%26%3D", "encode reserved and utf-8");
	buf_clear(&b);
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	ok(b.len == 3890, "buffer grows across many appends (%zu)", b.len);
	big = arena_alloc(&a, 1 << 20);
	big[(1 << 20) - 1] = 'x';
	ok(big != NULL, "oversized arena allocation");
	arena_reset(&a);
	ok(a.used_total == 0, "reset forgets allocations");
	is_str(arena_printf(&a, "%s-%d", "id", 7), "id-7", "arena_printf");
	ok(arena_strdup(&a, NULL) == NULL, "strdup(NULL) is NULL");
	arena_free(&a);
	return done();
}
