/* Unit tests of cgi/core/arena.c: the mark and rewind an import uses per
 * row — what came before the mark stays, what came after (ordinary and
 * oversized chunks, in front of the marked chunk or behind it) is given
 * back, and a loop of marks and rewinds does not grow the arena. */
#include "core/arena.h"

#include <string.h>

#include "tap.h"

int
main(void)
{
	struct arena a;
	struct arena_mark m;
	char *keep, *p, *q, *first = NULL;
	size_t before;

	arena_init(&a, 4096);
	keep = arena_strdup(&a, "kept");
	m = arena_mark(&a);
	before = a.used_total;
	q = arena_alloc(&a, 100);
	memset(q, 'x', 100);
	arena_rewind(&a, &m);
	ok(a.used_total == before && strcmp(keep, "kept") == 0, "a small allocation given back");
	p = arena_alloc(&a, 100);
	ok(p == q, "the marked chunk is refilled from the mark");

	/* Oversized while the marked chunk is the head, then new ordinary
	 * chunks in front, then oversized behind those. */
	m = arena_mark(&a);
	for (int i = 0; i < 3; i++)
		memset(arena_alloc(&a, 64 << 10), 'y', 64 << 10);
	for (int i = 0; i < 20; i++)
		memset(arena_alloc(&a, 1000), 'z', 1000);
	memset(arena_alloc(&a, 32 << 10), 'w', 32 << 10);
	ok(a.used_total > before + (192 << 10), "a row's worth allocated");
	arena_rewind(&a, &m);
	ok(a.used_total == m.used_total && strcmp(keep, "kept") == 0,
	    "all of it given back, the earlier allocation intact");

	/* A thousand rows of 40 KB each (chunks of their own): every row gets
	 * the same memory again. */
	for (int row = 0; row < 1000; row++) {
		m = arena_mark(&a);
		p = arena_alloc(&a, 100);
		if (first == NULL)
			first = p;
		else if (p != first)
			break;
		for (int c = 0; c < 10; c++)
			memset(arena_alloc(&a, 4000), 'r', 4000);
		arena_rewind(&a, &m);
	}
	ok(p == first && a.used_total == m.used_total, "1,000 marked rows reuse the same memory");
	arena_reset(&a);
	ok(a.used_total == 0, "reset after rewinds");
	arena_free(&a);

	/* A mark on an arena that has nothing yet: everything after it goes. */
	arena_init(&a, 4096);
	m = arena_mark(&a);
	memset(arena_alloc(&a, 64 << 10), 'e', 64 << 10);
	memset(arena_alloc(&a, 100), 'e', 100);
	arena_rewind(&a, &m);
	ok(a.used_total == 0, "a mark on an empty arena gives everything back");
	p = arena_strdup(&a, "again");
	ok(p != NULL && strcmp(p, "again") == 0, "and the arena works after it");
	arena_free(&a);
	return done();
}
