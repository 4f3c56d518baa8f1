/*
 * arena.c — chunked bump allocator.  A chunk larger than the ordinary size
 * is allocated for a single oversized request, so big bodies or exports do
 * not waste a whole ordinary chunk.  Reset keeps the first ordinary chunk
 * so a steady stream of small requests never touches malloc.
 */
#include "core/arena.h"
#include "core/log.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t used;
	max_align_t data[];
};

#define ALIGN (sizeof(max_align_t))

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fatal: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

static struct arena_chunk *
chunk_new(size_t size)
{
	struct arena_chunk *c = malloc(sizeof(*c) + size);

	if (c == NULL)
		die("out of memory (%zu bytes)", size);
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

void
arena_init(struct arena *a, size_t chunk_size)
{
	a->chunk_size = chunk_size;
	a->head = chunk_new(chunk_size);
	a->used_total = 0;
}

void
arena_reset(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	/* The last chunk in the list is the first ever allocated: keep it. */
	while (c != NULL && c->next != NULL) {
		next = c->next;
		free(c);
		c = next;
	}
	if (c != NULL && c->size != a->chunk_size) {
		free(c);
		c = chunk_new(a->chunk_size);
	}
	a->head = c;
	a->head->used = 0;
	a->used_total = 0;
}

struct arena_mark
arena_mark(const struct arena *a)
{
	struct arena_mark m = { a->head, a->head ? a->head->next : NULL,
		a->head ? a->head->used : 0, a->used_total };

	return m;
}

/*
 * Chunks made after the mark are in two places: ordinary ones in front of
 * the marked chunk (each became the head), oversized ones right behind
 * whichever chunk was the head then — in front of it, or between it and
 * its old successor.  Both runs are freed; the marked chunk is refilled
 * from where it stood.
 */
void
arena_rewind(struct arena *a, const struct arena_mark *m)
{
	struct arena_chunk *c, *next;

	/* A mark taken on an empty arena: every chunk came after it. */
	if (m->chunk == NULL) {
		for (c = a->head; c != NULL; c = next) {
			next = c->next;
			free(c);
		}
		a->head = NULL;
		a->used_total = 0;
		return;
	}
	/* A void mark (see arena.h) frees nothing: the request's reset will. */
	for (c = a->head; c != NULL && c != m->chunk; c = c->next)
		;
	if (c == NULL) {
		log_err("arena_rewind: the mark is not in this arena");
		return;
	}
	for (c = a->head; c != m->chunk; c = next) {
		next = c->next;
		free(c);
	}
	for (c = m->chunk->next; c != NULL && c != m->next; c = next) {
		next = c->next;
		free(c);
	}
	m->chunk->next = m->next;
	m->chunk->used = m->used;
	a->head = m->chunk;
	a->used_total = m->used_total;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	for (; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
	void *p;

	if (need < n)
		die("arena_alloc overflow");
	if (c == NULL || c->size - c->used < need) {
		c = chunk_new(need > a->chunk_size ? need : a->chunk_size);
		if (need > a->chunk_size && a->head != NULL) {
			/* Oversized: slot in behind the current chunk so the
			 * current one keeps filling. */
			c->next = a->head->next;
			a->head->next = c;
			c->used = need;
			a->used_total += need;
			return c->data;
		}
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	a->used_total += need;
	return p;
}

void *
arena_calloc(struct arena *a, size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		die("arena_calloc overflow");
	p = arena_alloc(a, n * size);
	memset(p, 0, n * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *p;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		die("arena_vprintf: bad format");
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
