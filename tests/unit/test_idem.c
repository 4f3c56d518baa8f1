/*
 * Unit tests of the pure part of cgi/core/idem.c: which keys a submission
 * may carry and how they are spelt in the store (idem_key_norm: a UUID of
 * any version and case, lower-cased; anything else refused, so a key can
 * never be a prefix or a variant of another), and the keys idem_fresh()
 * puts in a form (idem_key_new: random version-4 UUIDs that the check
 * accepts unchanged).  What the store does with them (first use, replay,
 * a concurrent twin, a reused key) runs against the database in
 * tests/http/wx_pages.test.mjs.
 */
#include <sodium.h>
#include <string.h>

#include "core/idem.h"

#include "tap.h"

static void
test_norm(void)
{
	static const struct { const char *in, *out; } good[] = {
		{ "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "3f2504e0-4f89-41d3-9a0c-0305e82c3301" },
		{ "3F2504E0-4F89-41D3-9A0C-0305E82C3301", "3f2504e0-4f89-41d3-9a0c-0305e82c3301" },
		{ "3f2504E0-4f89-41D3-9a0C-0305e82C3301", "3f2504e0-4f89-41d3-9a0c-0305e82c3301" },
		{ "00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000" },
		/* any version: the page's own crypto, or another client's */
		{ "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "6ba7b810-9dad-11d1-80b4-00c04fd430c8" },
	};
	static const char *const bad[] = {
		"", "not-a-uuid", "3f2504e0-4f89-41d3-9a0c-0305e82c330",	/* 35 */
		"3f2504e0-4f89-41d3-9a0c-0305e82c33011",			/* 37 */
		"3f2504e04f8941d39a0c0305e82c3301",				/* no hyphens */
		"{3f2504e0-4f89-41d3-9a0c-0305e82c3301}",
		"3f2504e0-4f89-41d3-9a0c_0305e82c3301",				/* _ for - */
		"3f2504e0-4f8941d3-9a0c-0305e-82c3301",				/* hyphen moved */
		"3g2504e0-4f89-41d3-9a0c-0305e82c3301",				/* g */
		" 3f2504e0-4f89-41d3-9a0c-0305e82c330",				/* space */
		"3f2504e0-4f89-41d3-9a0c-0305e82c330\n",
		"３f2504e0-4f89-41d3-9a0c-0305e82c33",				/* a full-width digit */
	};
	char out[IDEM_KEY_LEN + 1];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(out, 'x', sizeof(out));
		ok(idem_key_norm(good[i].in, out) && strcmp(out, good[i].out) == 0,
		    "accepted as %s: %s", good[i].out, good[i].in);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!idem_key_norm(bad[i], out), "refused: \"%s\"", bad[i]);
	ok(!idem_key_norm(NULL, out), "refused: no key at all");
}

static void
test_new(void)
{
	char a[IDEM_KEY_LEN + 1], b[IDEM_KEY_LEN + 1], n[IDEM_KEY_LEN + 1];
	bool all = true;

	idem_key_new(a);
	idem_key_new(b);
	ok(strlen(a) == IDEM_KEY_LEN && idem_key_norm(a, n) && strcmp(a, n) == 0,
	    "a new key is a well-formed lower-case UUID, unchanged by the check (%s)", a);
	ok(a[14] == '4' && strchr("89ab", a[19]) != NULL, "version 4, RFC 4122 variant");
	ok(strcmp(a, b) != 0, "two new keys differ");
	for (int i = 0; i < 1000 && all; i++) {
		idem_key_new(a);
		all = idem_key_norm(a, n) && strcmp(a, n) == 0 && a[14] == '4' &&
		    strchr("89ab", a[19]) != NULL;
	}
	ok(all, "a thousand new keys: all well-formed version 4");
}

int
main(void)
{
	if (sodium_init() < 0)
		return 99;
	test_norm();
	test_new();
	return done();
}
