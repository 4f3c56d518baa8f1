/* Unit tests of cgi/model/code.c: the MOD 37,36 check character against
 * published vectors, building codes from rules, reading scanned values
 * (bare, URL, QR_CODE, case, wrong host, wrong check) and the label SVG. */
#include "model/code.h"

#include <stdlib.h>

#include "core/arena.h"
#include "core/buf.h"

#include "tap.h"

#define BASE "http://127.0.0.1:8080"

/*
 * A small well-formedness check for the XML subset the label uses: an
 * optional <?xml …?> declaration, elements with double-quoted attributes,
 * self-closing or properly nested tags, text with only the five predefined
 * entities or numeric references, one root.  Returns 0 when well formed.
 */
static int
xml_check(const char *s, char *root, size_t rootlen)
{
	const char *stack[64];
	size_t lens[64];
	int depth = 0, roots = 0;

	if (strncmp(s, "<?xml ", 6) == 0) {
		if ((s = strstr(s, "?>")) == NULL)
			return -1;
		s += 2;
	}
	while (*s) {
		if (*s == '<') {
			bool closing = s[1] == '/';
			const char *name = s + 1 + closing;
			size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ:-");

			if (n == 0)
				return -1;
			s = name + n;
			if (closing) {
				if (*s != '>' || depth == 0 || lens[depth - 1] != n ||
				    strncmp(stack[depth - 1], name, n) != 0)
					return -1;
				depth--;
				s++;
				continue;
			}
			if (depth == 0 && roots++ == 0)
				snprintf(root, rootlen, "%.*s", (int)n, name);
			for (;;) {
				size_t an;

				s += strspn(s, " \n\t");
				if (*s == '>' || (s[0] == '/' && s[1] == '>'))
					break;
				an = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ:-");
				if (an == 0 || s[an] != '=' || s[an + 1] != '"')
					return -1;
				s += an + 2;
				while (*s && *s != '"') {
					if (*s == '<')
						return -1;
					s++;
				}
				if (*s++ != '"')
					return -1;
			}
			if (*s == '/') {
				s += 2;
				continue;
			}
			if (depth == 64)
				return -1;
			stack[depth] = name;
			lens[depth++] = n;
			s++;
		} else if (*s == '&') {
			static const char *const ents[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", NULL };
			bool known = false;

			for (int i = 0; ents[i]; i++)
				if (strncmp(s, ents[i], strlen(ents[i])) == 0) {
					s += strlen(ents[i]);
					known = true;
					break;
				}
			if (!known) {
				if (s[1] != '#' || s[2] < '0' || s[2] > '9')
					return -1;
				s += 2;
				while (*s >= '0' && *s <= '9')
					s++;
				if (*s++ != ';')
					return -1;
			}
		} else {
			if (depth == 0 && *s != ' ' && *s != '\n')
				return -1;
			s++;
		}
	}
	return depth == 0 && roots == 1 ? 0 : -1;
}

static int
scan(const char *value, bool check, char *out)
{
	return code_scan(value, BASE, check, out, CODE_MAX + 1);
}

int
main(void)
{
	struct arena a;
	struct buf b;
	char out[CODE_MAX + 1];
	struct code_rule rule = { "CA", "HZ", 2, 6, true };
	struct code_rule bad = rule;
	int rc;

	arena_init(&a, 1 << 16);

	/* ISO/IEC 7064 MOD 37,36: the GRid example and further published vectors. */
	ok(code_check_char("A12425GABC1234002", 17) == 'M', "GRid example A12425GABC1234002 -> M");
	ok(code_check_char("B159D8FA01240000", 16) == 'K', "B159D8FA01240000 -> K");
	ok(code_check_char("188166C734200000", 16) == '3', "188166C734200000 -> 3");
	ok(code_check_ok("A12425GABC1234002M"), "GRid with its check character verifies");
	ok(!code_check_ok("A12425GABC1234002N"), "a wrong check character fails");
	ok(!code_check_ok("A12425GABC1243002M"), "an adjacent transposition fails");
	ok(!code_check_ok("A12425GABC1234003M"), "a single substitution fails");
	ok(code_check_char("ab", 2) == '\0', "lowercase input has no check character");

	/* Building. */
	ok(code_build(&rule, 2025, 42, out, sizeof(out)) == CODE_OK, "rule builds");
	ok(strncmp(out, "CAHZ25000042", 12) == 0 && strlen(out) == 13, "layout prefix+segment+yy+serial+check: %s", out);
	ok(code_check_ok(out), "built code verifies");
	rule.year_digits = 4;
	rule.check = false;
	code_build(&rule, 2025, 7, out, sizeof(out));
	is_str(out, "CAHZ2025000007", "four-digit year, no check character");
	rule.year_digits = 0;
	rule.segment = "";
	rule.serial_width = 4;
	code_build(&rule, 2025, 9999, out, sizeof(out));
	is_str(out, "CA9999", "no year, no segment, width 4");
	ok(code_build(&rule, 2025, 10000, out, sizeof(out)) == CODE_RANGE && out[0] == '\0',
	    "a serial wider than the width is refused");
	ok(code_build(&rule, 2025, 0, out, sizeof(out)) == CODE_RANGE, "serial 0 refused");
	ok(code_rule_max_serial(&rule) == 9999, "max serial of width 4");
	bad.prefix = "ca";
	ok(code_rule_valid(&bad) == CODE_RULE, "lowercase prefix refused");
	bad.prefix = "ABCDE";
	ok(code_rule_valid(&bad) == CODE_RULE, "five-letter prefix refused");
	bad.prefix = "A1";
	ok(code_rule_valid(&bad) == CODE_RULE, "digit in prefix refused");
	bad.prefix = "CA";
	bad.segment = "HZ-1";
	ok(code_rule_valid(&bad) == CODE_RULE, "'-' in segment refused");
	bad.segment = "HZ";
	bad.year_digits = 3;
	ok(code_rule_valid(&bad) == CODE_RULE, "three year digits refused");
	bad.year_digits = 2;
	bad.serial_width = 11;
	ok(code_rule_valid(&bad) == CODE_RULE, "serial width 11 refused");
	{
		struct code_rule longest = { "ABCD", "ABCDEF", 4, 10, true };

		ok(code_build(&longest, 2025, 9999999999LL, out, sizeof(out)) == CODE_OK &&
		    strlen(out) == 25, "the longest code has 25 characters");
		ok(code_build(&longest, 2025, 1, out, 10) == CODE_RANGE, "a short buffer is refused");
	}

	/* Scanning. */
	ok(scan("A12425GABC1234002M", true, out) == CODE_OK, "bare code");
	is_str(out, "A12425GABC1234002M", "bare code normalised");
	ok(scan("  a12425gabc1234002m\n", true, out) == CODE_OK, "lowercase with blanks");
	is_str(out, "A12425GABC1234002M", "lowercase normalised to capitals");
	ok(scan(BASE "/wx/p/A12425GABC1234002M", true, out) == CODE_OK, "label URL");
	is_str(out, "A12425GABC1234002M", "code taken from the URL");
	ok(scan("HTTP://127.0.0.1:8080/wx/p/a12425gabc1234002m/", true, out) == CODE_OK,
	    "URL with capital scheme, trailing slash, lowercase code");
	ok(scan(BASE "/wx/p/A12425GABC1234002M?from=wx", true, out) == CODE_OK, "URL with a query");
	ok(scan("QR_CODE," BASE "/wx/p/A12425GABC1234002M", true, out) == CODE_OK,
	    "WeChat QR_CODE, prefix with URL");
	is_str(out, "A12425GABC1234002M", "code taken from QR_CODE,URL");
	ok(scan("qr_code,A12425GABC1234002M", true, out) == CODE_OK, "QR_CODE, prefix with bare code");
	ok(code_scan(BASE "/wx/p/A12425GABC1234002M", BASE "/", true, out, sizeof(out)) == CODE_OK,
	    "base URL with a trailing slash");
	ok(scan("A12425GABC1234002N", true, out) == CODE_CHECK && out[0] == '\0', "wrong check character");
	ok(scan("A12425GABC1234002N", false, out) == CODE_OK, "no check asked: accepted");
	ok(scan("http://evil.example/wx/p/A12425GABC1234002M", true, out) == CODE_HOST, "other host refused");
	ok(scan("http://127.0.0.1:80800/wx/p/A12425GABC1234002M", true, out) == CODE_HOST,
	    "host that only starts like ours refused");
	ok(scan(BASE "/asset/p/A12425GABC1234002M", true, out) == CODE_HOST, "other path refused");
	ok(scan(BASE "/wx/p/A12425GABC1234002M/x", true, out) == CODE_HOST, "extra segment refused");
	ok(code_scan(BASE "/wx/p/A12425GABC1234002M", "", true, out, sizeof(out)) == CODE_HOST,
	    "URL without a configured base refused");
	ok(scan("", true, out) == CODE_EMPTY, "empty");
	ok(scan("QR_CODE,  ", true, out) == CODE_EMPTY, "QR_CODE, with nothing");
	ok(scan("CA-HZ-25", true, out) == CODE_CHARS, "'-' refused");
	ok(scan("CAHZ25<script>", true, out) == CODE_CHARS, "markup refused");
	ok(scan("充电桩12345", true, out) == CODE_CHARS, "non-ASCII refused");
	ok(scan("CA1", true, out) == CODE_LENGTH, "too short");
	ok(scan("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", false, out) == CODE_LENGTH, "33 characters too long");

	/* Label SVG: well-formed XML, the code and the escaped company in it. */
	buf_init(&b, &a, 1024);
	{
		struct buf pl;

		buf_init(&pl, &a, 64);
		code_payload(&pl, BASE "/", "CAHZ25000042X");
		is_str(pl.data, BASE "/wx/p/CAHZ25000042X", "payload URL");
		rc = code_label_svg(&b, pl.data, "CAHZ25000042X", "蓝途充电（杭州）有限公司 <R&D> \"A\"");
	}
	ok(rc == 0, "label renders");
	{
		char root[16] = "";

		ok(xml_check(b.data, root, sizeof(root)) == 0, "label is well-formed XML");
		is_str(root, "svg", "root is <svg>");
		ok(xml_check("<svg><text>a & b</text></svg>", root, sizeof(root)) != 0,
		    "the checker refuses a raw '&'");
		ok(xml_check("<svg><text>a</svg>", root, sizeof(root)) != 0,
		    "the checker refuses unbalanced tags");
	}
	ok(strstr(b.data, ">CAHZ25000042X</text>") != NULL, "code text on the label");
	ok(strstr(b.data, "&lt;R&amp;D&gt;") != NULL, "company name escaped");
	ok(strstr(b.data, "<R&D>") == NULL, "no raw markup from the company name");
	ok(strstr(b.data, "蓝途充电") != NULL, "company name on the label");
	{
		int paths = 0;

		for (const char *p = b.data; (p = strstr(p, "<path")) != NULL; p++)
			paths++;
		ok(paths == 1, "all modules in one path (%d)", paths);
	}
	buf_clear(&b);
	ok(code_label_svg(&b, "x", "X1234", NULL) == 0 && strstr(b.data, "X1234") != NULL,
	    "label without a company");

	arena_free(&a);
	return done();
}
