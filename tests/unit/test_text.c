/* Unit tests of cgi/core/text.c: UTF-8, numbers, dates, trimming. */
#include "core/text.h"

#include "tap.h"

int
main(void)
{
	int64_t i;
	double d;
	char sp[] = "  a b \t\n";

	ok(utf8_valid("abc", 3), "ascii is valid");
	ok(utf8_valid("充电桩", strlen("充电桩")), "chinese is valid");
	ok(!utf8_valid("\xC0\xAF", 2), "overlong slash is invalid");
	ok(!utf8_valid("\xED\xA0\x80", 3), "surrogate is invalid");
	ok(!utf8_valid("\xE5\x85", 2), "truncated sequence is invalid");
	ok(!utf8_valid("\xF5\x80\x80\x80", 4), "above U+10FFFF is invalid");
	ok(utf8_valid("\xF0\x9F\x94\x8C", 4), "4-byte emoji is valid");
	ok(utf8_chars("充电桩ab", strlen("充电桩ab")) == 5, "code points counted");

	ok(text_int64("42", &i) == 0 && i == 42, "integer parses");
	ok(text_int64("-7", &i) == 0 && i == -7, "negative integer parses");
	ok(text_int64("4 2", &i) != 0, "space refused");
	ok(text_int64("", &i) != 0, "empty refused");
	ok(text_int64("0x10", &i) != 0, "hex refused");
	ok(text_int64("99999999999999999999", &i) != 0, "overflow refused");
	ok(text_int64(" 1", &i) != 0, "leading space refused");

	ok(text_decimal("7.5", 2, &d) == 0 && d == 7.5, "decimal parses");
	ok(text_decimal("120", 2, &d) == 0 && d == 120, "integer as decimal");
	ok(text_decimal("7.555", 2, &d) != 0, "too many fraction digits refused");
	ok(text_decimal("7.", 2, &d) != 0, "dangling point refused");
	ok(text_decimal("abc", 2, &d) != 0, "letters refused");
	ok(text_decimal("1e5", 2, &d) != 0, "exponent refused");
	ok(text_decimal("", 2, &d) != 0, "empty refused");

	{
		char m[32];

		ok(text_money("1234567.00", m, sizeof(m)) == 0 && strcmp(m, "1,234,567.00") == 0,
		    "money: 1,234,567.00");
		ok(text_money("999.5", m, sizeof(m)) == 0 && strcmp(m, "999.5") == 0,
		    "money: three digits, no separator");
		ok(text_money("1000", m, sizeof(m)) == 0 && strcmp(m, "1,000") == 0, "money: 1,000");
		ok(text_money("-12345678.0000", m, sizeof(m)) == 0 &&
		    strcmp(m, "-12,345,678.0000") == 0, "money: negative, four fraction digits");
		ok(text_money("0.8500", m, sizeof(m)) == 0 && strcmp(m, "0.8500") == 0,
		    "money: a tariff below one");
		ok(text_money("100000000000.00", m, sizeof(m)) == 0 &&
		    strcmp(m, "100,000,000,000.00") == 0, "money: 1e11");
		memcpy(m, "kept", 5);
		ok(text_money("", m, sizeof(m)) != 0 && strcmp(m, "kept") == 0, "money: empty refused");
		ok(text_money("12a", m, sizeof(m)) != 0, "money: letters refused");
		ok(text_money("1.", m, sizeof(m)) != 0, "money: dangling point refused");
		ok(text_money(".5", m, sizeof(m)) != 0, "money: no integer digit refused");
		ok(text_money("1.2.3", m, sizeof(m)) != 0, "money: two points refused");
		ok(text_money("-", m, sizeof(m)) != 0, "money: a sign alone refused");
		ok(text_money("1234567", m, 9) != 0, "money: too small a buffer refused");
		ok(text_money("1234567", m, 10) == 0 && strcmp(m, "1,234,567") == 0,
		    "money: exactly the buffer it needs");
	}

	ok(text_date("2024-02-29") == 0, "leap day valid");
	ok(text_date("2023-02-29") != 0, "non-leap Feb 29 refused");
	ok(text_date("2024-13-01") != 0, "month 13 refused");
	ok(text_date("2024-1-1") != 0, "short form refused");
	ok(text_date("2100-02-29") != 0, "2100 is not leap");

	is_str(text_trim(sp), "a b", "trim both ends");
	ok(text_equal_ct("abc", "abc"), "equal strings");
	ok(!text_equal_ct("abc", "abd"), "different strings");
	ok(!text_equal_ct("abc", "abcd"), "different lengths");
	return done();
}
