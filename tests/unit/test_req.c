/* Unit tests of URL coding, the `next` check, the arena and buffers. */
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
	size_t used;

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
	/* An allocation larger than a chunk gets a chunk of its own: every
	 * byte of it is usable and what came before stays intact.  Asserted
	 * before it is written to, so a NULL fails instead of crashing. */
	used = a.used_total;
	big = arena_alloc(&a, 1 << 20);
	ok(big != NULL, "oversized arena allocation");
	if (big != NULL)
		memset(big, 'x', 1 << 20);
	ok(big != NULL && big[0] == 'x' && big[(1 << 20) - 1] == 'x',
	    "oversized allocation usable to its end");
	ok(a.used_total == used + (1 << 20), "oversized allocation counted (%zu)", a.used_total - used);
	ok(b.len == 3890 && strncmp(b.data, "0,1,2,", 6) == 0 &&
	    strcmp(b.data + b.len - 4, "999,") == 0, "earlier buffer intact after it");
	arena_reset(&a);
	ok(a.used_total == 0, "reset forgets allocations");
	is_str(arena_printf(&a, "%s-%d", "id", 7), "id-7", "arena_printf");
	ok(arena_strdup(&a, NULL) == NULL, "strdup(NULL) is NULL");
	arena_free(&a);

	/* req_safe_next: only a path of this site is followed (issue 9). */
	{
		static const char *const good[] = { "/", "/base/", "/base/cities?page=2",
			"/base/x#y", "/base/%2F%2Fevil", "/base/a/b//c", "/base/q=充电" };
		static const char *const bad[] = { "//evil.example/", "/\t/evil.example/",
			"/\t\\evil.example", "/\\evil.example", "\\/evil.example", "/\n/evil",
			"/\r/evil", "/ /evil", " /base/", "/base/ x", "/base\x7f", "/base\x01",
			"/x\\y", "http://evil.example/", "https://evil.example/",
			"javascript:alert(1)", "", "base/", "evil.example" };
		char lng[400];

		for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
			is_str(req_safe_next(good[i], "/", "D"), good[i], good[i]);
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			ok(strcmp(req_safe_next(bad[i], "/", "D"), "D") == 0,
			    "refused: bad[%zu]", i);
		is_str(req_safe_next(NULL, "/", "D"), "D", "NULL refused");
		memset(lng, 'a', sizeof(lng) - 1);
		lng[0] = '/';
		lng[sizeof(lng) - 1] = '\0';
		is_str(req_safe_next(lng, "/", "D"), "D", "over 300 bytes refused");
		lng[300] = '\0';
		is_str(req_safe_next(lng, "/", "D"), lng, "300 bytes accepted");
		/* The phone's variant: a /wx/ page only. */
		is_str(req_safe_next("/wx/p/AB12", "/wx/", "W"), "/wx/p/AB12", "phone page accepted");
		is_str(req_safe_next("/base/", "/wx/", "W"), "W", "web page refused for the phone");
		is_str(req_safe_next("/wx", "/wx/", "W"), "W", "/wx without slash refused");
		is_str(req_safe_next("/wx/\t/evil", "/wx/", "W"), "W", "tab in a phone path refused");
		is_str(req_safe_next("/wx/\\evil", "/wx/", "W"), "W", "backslash in a phone path refused");
	}
	return done();
}
