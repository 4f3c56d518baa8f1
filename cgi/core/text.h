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
/* A decimal number ("-1234567.5") as money is read: the integer digits
 * grouped by thousands with ',' ("-1,234,567.5"), the fraction as given.
 * 0 with out filled; -1 (out untouched) when s is not such a number or
 * out (size bytes) cannot hold the result. */
int text_money(const char *s, char *out, size_t size);
/* Copy without leading/trailing ASCII whitespace (arena-free: in place). */
char *text_trim(char *s);
/* Constant-time comparison of two NUL-terminated strings. */
bool text_equal_ct(const char *a, const char *b);

#endif
