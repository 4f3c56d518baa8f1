/*
 * code.h — asset codes (F3): building a code from a rule and a serial,
 * its check character, reading a scanned value back into a code, and the
 * printable label as SVG.  Pure functions (no database), unit tested in
 * tests/unit/test_code.c; ca-qrcode and ca-wechat share them.
 *
 * A code is  PREFIX SEGMENT YEAR SERIAL [CHECK], all in [0-9A-Z]:
 *   PREFIX  1-4 capital letters
 *   SEGMENT 0-6 digits or capitals (company or city code)
 *   YEAR    nothing, or the last 2, or all 4 digits of the batch's year
 *   SERIAL  the serial number, zero-padded to the rule's width (4-10)
 *   CHECK   optional: one ISO/IEC 7064 MOD 37,36 check character computed
 *           over everything before it (see code.c)
 * so e.g. prefix CA, segment HZ, year 2025 (2 digits), serial 42 of width 6
 * with a check character gives "CAHZ25000042" + check.
 */
#ifndef CA_MODEL_CODE_H
#define CA_MODEL_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define CODE_MAX 32		/* longest code, as stored (VARCHAR(32)) */

struct code_rule {
	const char *prefix;	/* [A-Z]{1,4} */
	const char *segment;	/* [0-9A-Z]{0,6}, "" for none */
	int year_digits;	/* 0, 2 or 4 */
	int serial_width;	/* 4..10 */
	bool check;		/* append the check character */
};

enum code_err {
	CODE_OK = 0,
	CODE_EMPTY = -1,	/* nothing scanned */
	CODE_CHARS = -2,	/* characters outside [0-9A-Za-z] */
	CODE_LENGTH = -3,	/* too short or longer than CODE_MAX */
	CODE_HOST = -4,		/* a URL, but not ours (<base>/wx/p/<code>) */
	CODE_CHECK = -5,	/* the check character does not match */
	CODE_RULE = -6,		/* the rule itself is invalid */
	CODE_RANGE = -7,	/* serial does not fit the width, or year out of range */
};

/* Is the rule well formed?  CODE_OK or CODE_RULE. */
int code_rule_valid(const struct code_rule *rule);
/* Largest serial the rule can give (10^width - 1). */
int64_t code_rule_max_serial(const struct code_rule *rule);
/* Write the code for (rule, year, serial) into out (>= CODE_MAX + 1 bytes).
 * CODE_OK, CODE_RULE or CODE_RANGE (out then holds ""). */
int code_build(const struct code_rule *rule, int year, int64_t serial,
    char *out, size_t outlen);

/* The ISO/IEC 7064 MOD 37,36 check character of s[0..len), which must be
 * [0-9A-Z]; '\0' when it holds anything else. */
char code_check_char(const char *s, size_t len);
/* Does the last character of code check the ones before it? */
bool code_check_ok(const char *code);

/* Read a scanned or typed value into a normalised code (capitals, no
 * surrounding blanks).  Accepted forms:
 *   CAHZ25000042K                       the bare code (any case)
 *   <base_url>/wx/p/CAHZ25000042K       the label's URL (scheme and host
 *                                       compared without case; a trailing
 *                                       '/' or '?…' after the code ignored)
 *   QR_CODE,<either of the above>       WeChat scanQRCode's needResult form
 * base_url may end in '/'.  With `check`, the last character must be the
 * code's check character.  Returns CODE_OK with the code in out (>=
 * CODE_MAX + 1 bytes), or a negative enum code_err (out = ""). */
int code_scan(const char *value, const char *base_url, bool check,
    char *out, size_t outlen);

/* The label's QR payload: <base_url>/wx/p/<code> (no doubled '/'). */
void code_payload(struct buf *out, const char *base_url, const char *code);

/* Append a 50 mm x 30 mm label as a standalone SVG document: the QR code of
 * `payload` (libqrencode, level M, 4-module quiet zone, all dark modules in
 * one <path>), the code in text under it and the company name beside it
 * (XML-escaped, wrapped on up to three lines).  0, or -1 when the payload
 * cannot be encoded (nothing appended). */
int code_label_svg(struct buf *out, const char *payload, const char *code,
    const char *company);

#endif
