/*
 * buf.c — growable arena buffer.  Growth doubles and copies; the old block
 * stays in the arena until the request ends, which is the price of never
 * calling free() per allocation.
 */
#include "core/buf.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"

void
buf_init(struct buf *b, struct arena *a, size_t cap)
{
	b->arena = a;
	b->cap = cap < 16 ? 16 : cap;
	b->data = arena_alloc(a, b->cap);
	b->len = 0;
	b->data[0] = '\0';
}

void
buf_reserve(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1, ncap = b->cap;
	char *p;

	if (need < extra)
		die("buf overflow");
	if (need <= b->cap)
		return;
	while (ncap < need)
		ncap *= 2;
	p = arena_alloc(b->arena, ncap);
	memcpy(p, b->data, b->len + 1);
	b->data = p;
	b->cap = ncap;
}

void
buf_append(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, aq);
	va_end(aq);
	if (n < 0)
		die("buf_vprintf: bad format");
	if ((size_t)n >= b->cap - b->len) {
		buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_clear(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}
