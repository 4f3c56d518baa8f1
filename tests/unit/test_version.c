/* Unit tests of cgi/model/version.c: the version grammar, the key and the
 * part-by-part numeric comparison (F4.24). */
#include "model/version.h"

#include "tap.h"

static int
cmp(const char *a, const char *b)
{
	bool known;
	int c = version_cmp(a, b, &known);

	return !known ? 99 : c < 0 ? -1 : c > 0 ? 1 : 0;
}

int
main(void)
{
	char key[VERSION_KEYLEN + 1];
	static const char *const bad[] = {
		"", "V", "beta", "V2.1.3-rc1", "V2..1", "V2.1.", ".2.1", "1.2.3.4.5",
		"V1234567", "ABCDE1.0", "V 1.0", "V1.0 ", "V1,0", "1.2a", "Ⅴ1.0", "V１.0",
		"-1.0", "+1.0", "0x10",
	};

	ok(version_key("V1.10.2", key), "V1.10.2 is a version");
	is_str(key, "000001000010000002000000", "key of V1.10.2");
	ok(version_key("2.01", key), "2.01 is a version");
	is_str(key, "000002000001000000000000", "leading zeros and missing parts");
	ok(version_key("hw999999.0.0.1", key), "4 letters of prefix, 6 digits, 4 parts");
	is_str(key, "999999000000000000000001", "key of hw999999.0.0.1");
	ok(!version_key(NULL, key) && key[0] == '\0', "NULL is unknown, key empty");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!version_key(bad[i], key) && key[0] == '\0', "\"%s\" is not a version", bad[i]);

	ok(cmp("V1.10.2", "V1.9.9") == 1, "V1.10.2 > V1.9.9 (numbers, not text)");
	ok(cmp("V1.9.9", "V1.10.2") == -1, "V1.9.9 < V1.10.2");
	ok(cmp("V2.1", "V2.1.0") == 0, "missing parts are 0");
	ok(cmp("V2.01.0", "v2.1") == 0, "leading zeros and the prefix's case do not matter");
	ok(cmp("H2.0", "V2.0") == 0, "the prefix is ignored");
	ok(cmp("V3", "V2.99.99") == 1, "the first part decides");
	ok(cmp("V2.3.1", "V3.0.0") == -1, "V2.3.1 < V3.0.0");
	ok(cmp("V3.0.2", "V3.0.0") == 1, "V3.0.2 > V3.0.0");
	ok(cmp("1.0.0.1", "1.0.0") == 1, "a fourth part counts");
	ok(cmp("V2.1.3-rc1", "V2.1.3") == 99, "unrecognised: not comparable");
	ok(cmp("", "V1.0") == 99, "empty: not comparable");
	return done();
}
