/*
 * code.c — asset codes: build, check character, scanned-value parsing and
 * the SVG label.  See code.h for the code's layout.
 *
 * The check character is ISO/IEC 7064:2003, hybrid system MOD 37,36: the
 * standard's system for alphanumeric strings with one alphanumeric check
 * character, the one GRid (Global Release Identifier) uses.  Characters
 * count 0-9 → 0..9 and A-Z → 10..35; with M = 36,
 *     p = M;  for each character a:  s = (p + a) mod M, s = M if s is 0,
 *                                     p = 2s mod (M + 1)
 * and the check character c makes (p + c) mod M == 1, i.e.
 * c = (M + 1 - p) mod M.  It detects every single substitution and nearly
 * every transposition of adjacent characters — the typing mistakes a person
 * makes copying a code off a weathered label.  Published vectors:
 * "A12425GABC1234002" → M (the GRid example), "B159D8FA01240000" → K.
 *
 * The label is one SVG document per code: the QR's dark modules are one
 * <path> of horizontal runs ("M x y h n v1 h -n z"), not one element per
 * module, so a page of 100 labels stays small and renders fast.
 */
#include "model/code.h"

#include <string.h>
#include <strings.h>

#include <qrencode.h>

#include "core/buf.h"

#define M 36

static int
char_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

char
code_check_char(const char *s, size_t len)
{
	int p = M;

	for (size_t i = 0; i < len; i++) {
		int a = char_value(s[i]), t;

		if (a < 0)
			return '\0';
		t = (p + a) % M;
		if (t == 0)
			t = M;
		p = (2 * t) % (M + 1);
	}
	return alphabet[(M + 1 - p) % M];
}

bool
code_check_ok(const char *code)
{
	size_t len = strlen(code);

	return len >= 2 && code_check_char(code, len - 1) == code[len - 1];
}

static bool
all_in(const char *s, size_t min, size_t max, bool digits)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (digits && *s >= '0' && *s <= '9')))
			return false;
	return true;
}

int
code_rule_valid(const struct code_rule *rule)
{
	if (rule->prefix == NULL || !all_in(rule->prefix, 1, 4, false))
		return CODE_RULE;
	if (rule->segment && !all_in(rule->segment, 0, 6, true))
		return CODE_RULE;
	if (rule->year_digits != 0 && rule->year_digits != 2 && rule->year_digits != 4)
		return CODE_RULE;
	if (rule->serial_width < 4 || rule->serial_width > 10)
		return CODE_RULE;
	return CODE_OK;
}

int64_t
code_rule_max_serial(const struct code_rule *rule)
{
	int64_t max = 1;

	for (int i = 0; i < rule->serial_width && i < 18; i++)
		max *= 10;
	return max - 1;
}

int
code_build(const struct code_rule *rule, int year, int64_t serial, char *out, size_t outlen)
{
	struct {
		char s[CODE_MAX + 8];
		size_t n;
	} b = { .n = 0 };
	char digits[24];
	int nd = 0;

	if (outlen > 0)
		out[0] = '\0';
	if (code_rule_valid(rule) != CODE_OK)
		return CODE_RULE;
	if (serial < 1 || serial > code_rule_max_serial(rule) ||
	    (rule->year_digits && (year < 1000 || year > 9999)))
		return CODE_RANGE;
	/* prefix (<= 4) + segment (<= 6) + year (<= 4) + serial (<= 10) + 1 = 25 */
	for (const char *p = rule->prefix; *p; p++)
		b.s[b.n++] = *p;
	for (const char *p = rule->segment ? rule->segment : ""; *p; p++)
		b.s[b.n++] = *p;
	if (rule->year_digits == 4) {
		b.s[b.n++] = (char)('0' + year / 1000);
		b.s[b.n++] = (char)('0' + year / 100 % 10);
	}
	if (rule->year_digits) {
		b.s[b.n++] = (char)('0' + year / 10 % 10);
		b.s[b.n++] = (char)('0' + year % 10);
	}
	for (int64_t v = serial; v > 0; v /= 10)
		digits[nd++] = (char)('0' + v % 10);
	for (int i = nd; i < rule->serial_width; i++)
		b.s[b.n++] = '0';
	while (nd > 0)
		b.s[b.n++] = digits[--nd];
	if (rule->check) {
		b.s[b.n] = code_check_char(b.s, b.n);
		b.n++;
	}
	if (b.n > CODE_MAX || b.n + 1 > outlen)
		return CODE_RANGE;
	memcpy(out, b.s, b.n);
	out[b.n] = '\0';
	return CODE_OK;
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
code_scan(const char *value, const char *base_url, bool check, char *out, size_t outlen)
{
	const char *s = value, *end;
	size_t n;

	if (outlen > 0)
		out[0] = '\0';
	if (value == NULL)
		return CODE_EMPTY;
	while (blank(*s))
		s++;
	if (strncasecmp(s, "QR_CODE,", 8) == 0)
		s += 8;
	while (blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && blank(end[-1]))
		end--;
	if (end == s)
		return CODE_EMPTY;

	if (strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0) {
		size_t blen = base_url ? strlen(base_url) : 0;
		const char *c;

		while (blen > 0 && base_url[blen - 1] == '/')
			blen--;
		if (blen == 0 || (size_t)(end - s) < blen + 6 ||
		    strncasecmp(s, base_url, blen) != 0 || strncmp(s + blen, "/wx/p/", 6) != 0)
			return CODE_HOST;
		s += blen + 6;
		/* The code ends at '/', '?' or '#'; only a lone trailing '/' or a
		 * query/fragment may follow it. */
		for (c = s; c < end && *c != '/' && *c != '?' && *c != '#'; c++)
			;
		if (c < end && *c == '/' && c + 1 < end && c[1] != '?' && c[1] != '#')
			return CODE_HOST;
		end = c;
	}
	n = (size_t)(end - s);
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')))
			return CODE_CHARS;
	}
	if (n < 5 || n > CODE_MAX || n + 1 > outlen)
		return CODE_LENGTH;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
	out[n] = '\0';
	if (check && !code_check_ok(out)) {
		out[0] = '\0';
		return CODE_CHECK;
	}
	return CODE_OK;
}

void
code_payload(struct buf *out, const char *base_url, const char *code)
{
	size_t blen = base_url ? strlen(base_url) : 0;

	while (blen > 0 && base_url[blen - 1] == '/')
		blen--;
	buf_append(out, base_url ? base_url : "", blen);
	buf_puts(out, "/wx/p/");
	buf_puts(out, code);
}

/* Append s XML-escaped (text and attribute safe). */
static void
xml_text(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default:
			/* Control characters are not allowed in XML 1.0. */
			if ((unsigned char)s[i] >= 0x20 || s[i] == '\t')
				buf_putc(b, s[i]);
		}
	}
}

/* Bytes of the UTF-8 sequence starting with c (1 for anything odd). */
static size_t
seq_len(unsigned char c)
{
	return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/*
 * Layout in tenths of a millimetre (viewBox 0 0 500 300):
 *   QR 230 x 230 at (15, 15); company name from x = 260, up to three lines
 *   of 26 (2.6 mm) type, 230 wide; the code under the QR, baseline 283,
 *   monospace, shrunk to fit 470.
 */
#define NAME_X 260
#define NAME_W 230
#define NAME_SIZE 26
#define NAME_LINES 3

int
code_label_svg(struct buf *out, const char *payload, const char *code, const char *company)
{
	QRcode *qr = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int w, q = 2, size, code_size;
	size_t clen = strlen(code);

	if (qr == NULL)
		return -1;
	w = qr->width;
	size = w + 2 * q;
	buf_reserve(out, 2048 + (size_t)w * (size_t)w);
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"50mm\" height=\"30mm\""
	    " viewBox=\"0 0 500 300\">\n"
	    "<rect width=\"500\" height=\"300\" fill=\"#fff\"/>\n");
	buf_printf(out, "<svg x=\"15\" y=\"15\" width=\"230\" height=\"230\" viewBox=\"0 0 %d %d\""
	    " shape-rendering=\"crispEdges\"><path fill=\"#000\" d=\"", size, size);
	for (int y = 0; y < w; y++) {
		const unsigned char *row = qr->data + (size_t)y * (size_t)w;

		for (int x = 0; x < w; x++) {
			int run = 0;

			while (x + run < w && (row[x + run] & 1))
				run++;
			if (run) {
				buf_printf(out, "M%d %dh%dv1h-%dz", x + q, y + q, run, run);
				x += run;
			}
		}
	}
	buf_puts(out, "\"/></svg>\n");
	QRcode_free(qr);

	/* The code: 3.2 mm monospace (0.6 em advance) unless too long. */
	code_size = clen > 0 && (int)clen * 19 > 470 ? (int)(470 * 10 / (6 * (int)clen)) : 32;
	buf_printf(out, "<text x=\"15\" y=\"283\" font-family=\"DejaVu Sans Mono, monospace\""
	    " font-weight=\"bold\" font-size=\"%d\">", code_size);
	xml_text(out, code, clen);
	buf_puts(out, "</text>\n");

	/* The company name, wrapped by estimated width: a CJK character is
	 * one em, anything else about 0.55 em. */
	if (company && *company) {
		const char *s = company;
		int line = 0;

		buf_printf(out, "<text font-family=\"Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif\""
		    " font-size=\"%d\" fill=\"#000\">", NAME_SIZE);
		while (*s && line < NAME_LINES) {
			const char *start = s;
			int width = 0;	/* hundredths of an em */

			while (*s) {
				size_t k = seq_len((unsigned char)*s);
				int cw = k >= 3 ? 100 : 55;

				if ((width + cw) * NAME_SIZE > NAME_W * 100)
					break;
				width += cw;
				for (size_t j = 0; j < k && *s; j++)
					s++;
			}
			if (s == start)
				break;
			buf_printf(out, "<tspan x=\"%d\" y=\"%d\">", NAME_X, 50 + line * 34);
			xml_text(out, start, (size_t)(s - start));
			if (*s && line == NAME_LINES - 1)
				buf_puts(out, "…");
			buf_puts(out, "</tspan>");
			line++;
		}
		buf_puts(out, "</text>\n");
	}
	buf_puts(out, "</svg>\n");
	return 0;
}
