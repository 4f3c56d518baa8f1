/*
 * buf.h — growable byte buffer backed by an arena.  Pointer and length
 * always travel together; the content is kept NUL-terminated for
 * convenience but may itself contain NUL bytes.
 */
#ifndef CA_BUF_H
#define CA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct buf {
	struct arena *arena;
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b, struct arena *a, size_t cap);
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void buf_clear(struct buf *b);

#endif
