/*
 * text.c — validation helpers.  These run on every parameter of every
 * request, so they are written as simple single passes.
 */
#include "core/text.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool
utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *e = s + len;

	while (s < e) {
		unsigned c = *s;
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			s++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else
			return false;
		if ((size_t)(e - s) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		s += n + 1;
	}
	return true;
}

size_t
utf8_chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

int
text_int64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

int
text_decimal(const char *s, int scale, double *out)
{
	const char *p = s;
	int frac = -1, digits = 0;

	if (s == NULL || *s == '\0')
		return -1;
	if (*p == '-')
		p++;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			digits++;
			if (frac >= 0)
				frac++;
		} else if (*p == '.' && frac < 0)
			frac = 0;
		else
			return -1;
	}
	if (digits == 0 || frac == 0 || frac > scale || digits > 15)
		return -1;
	*out = strtod(s, NULL);
	return isfinite(*out) ? 0 : -1;
}

int
text_money(const char *s, char *out, size_t size)
{
	const char *p = s, *dot;
	size_t lead, digits = 0, frac = 0, need, o = 0;

	if (s == NULL)
		return -1;
	lead = *p == '-' ? 1 : 0;
	p += lead;
	while (p[digits] >= '0' && p[digits] <= '9')
		digits++;
	dot = p + digits;
	if (*dot == '.')
		while (dot[1 + frac] >= '0' && dot[1 + frac] <= '9')
			frac++;
	/* Digits, then nothing or a point with digits: nothing else. */
	if (digits == 0 || (*dot != '\0' && (*dot != '.' || frac == 0 || dot[1 + frac] != '\0')))
		return -1;
	need = lead + digits + (digits - 1) / 3 + (frac ? frac + 1 : 0) + 1;
	if (need > size)
		return -1;
	if (lead)
		out[o++] = '-';
	for (size_t i = 0; i < digits; i++) {
		/* A separator before every group of three counted from the point. */
		if (i > 0 && (digits - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = p[i];
	}
	if (frac) {
		memcpy(out + o, dot, frac + 1);
		o += frac + 1;
	}
	out[o] = '\0';
	return 0;
}

int
text_date(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, dim;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
		return -1;
	dim = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	return d <= dim ? 0 : -1;
}

char *
text_trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
	    s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

bool
text_equal_ct(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;

	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}
