/*
 * arena.h — bump allocator for per-request and per-process memory.
 *
 * Every request gets one arena that is reset when the next request starts;
 * nothing allocated from it is ever freed one by one.  Allocation failure
 * aborts: the prefork parent restarts the child (see app.c), which is simpler
 * and safer than checking for NULL at every call site.
 */
#ifndef CA_ARENA_H
#define CA_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;	/* chunk being filled */
	size_t chunk_size;		/* size of ordinary chunks */
	size_t used_total;		/* bytes handed out since the last reset */
};

/* Set up an arena whose ordinary chunks hold chunk_size bytes. */
void arena_init(struct arena *a, size_t chunk_size);
/* Forget every allocation but keep the first chunk for reuse. */
void arena_reset(struct arena *a);
/* Release all memory. */
void arena_free(struct arena *a);

/* A point in an arena to come back to: everything allocated after
 * arena_mark() is released by arena_rewind(), what came before stays.
 * Used for work whose memory is worth nothing after one step of a loop
 * (an import's row).  A mark is void after arena_reset() or an earlier
 * mark's rewind. */
struct arena_mark {
	struct arena_chunk *chunk;	/* head when marked */
	struct arena_chunk *next;	/* its successor then */
	size_t used, used_total;
};
struct arena_mark arena_mark(const struct arena *a);
void arena_rewind(struct arena *a, const struct arena_mark *m);

/* n bytes aligned for any type; never NULL. */
void *arena_alloc(struct arena *a, size_t n);
/* Zeroed n * size bytes; aborts on overflow. */
void *arena_calloc(struct arena *a, size_t n, size_t size);
/* Copies; s == NULL gives NULL. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Abort with a message; used for allocation failure and broken invariants. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
