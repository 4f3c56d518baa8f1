/*
 * text.h — small string checks and conversions shared by the parsers and
 * the form validators.  Pure functions, unit tested in tests/unit/.
 */
#ifndef CA_TEXT_H
#define CA_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool utf8_valid(const char *s, size_t len);
/* Number of code points in valid UTF-8. */
size_t utf8_chars(const char *s, size_t len);
/* Strict decimal integer: optional '-', digits, no spaces; 0 or -1. */
int text_int64(const char *s, int64_t *out);
/* Decimal number with at most `scale` fraction digits: 0 or -1. */
int text_decimal(const char *s, int scale, double *out);
/* YYYY-MM-DD that is a real calendar date: 0 or -1. */
int text_date(const char *s);
/* Copy without leading/trailing ASCII whitespace (arena-free: in place). */
char *text_trim(char *s);
/* Constant-time comparison of two NUL-terminated strings. */
bool text_equal_ct(const char *a, const char *b);

#endif
