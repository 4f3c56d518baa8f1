/*
 * Unit tests of the form checks (cgi/core/form.c): what each field type
 * accepts and how it is typed, the message each refusal leaves under
 * Page.errors (with the field's limit put into "{n}"), the input kept for
 * the page shown again (never a password), and the parameter and
 * canonical text a value is written and compared with.  FT_REF without a
 * query: no database.
 */
#include "core/form.h"

#include <ClearSilver.h>
#include <math.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/req.h"

#include "tap.h"

enum { F_CODE, F_NAME, F_NOTE, F_COUNT, F_PRICE, F_ON, F_KIND, F_REF, F_DAY, F_PHONE, F_EMAIL,
	F_PW, F__MAX };

static const char *const kinds[] = { "ac", "dc", NULL };

static const struct field fields[F__MAX] = {
	[F_CODE] = { "code", FT_CODE, F_REQ, 8, 0, 0, 0, NULL, NULL, NULL, NULL },
	[F_NAME] = { "name", FT_TEXT, 0, 5, 0, 0, 0, NULL, NULL, NULL, NULL },
	[F_NOTE] = { "note", FT_TEXTAREA, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[F_COUNT] = { "count", FT_INT, 0, 0, 1, 100, 0, NULL, NULL, NULL, NULL },
	[F_PRICE] = { "price", FT_DECIMAL, 0, 0, 0, 1000, 2, NULL, NULL, NULL, NULL },
	[F_ON] = { "on", FT_BOOL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[F_KIND] = { "kind", FT_CHOICE, 0, 0, 0, 0, 0, kinds, "kind", NULL, NULL },
	[F_REF] = { "ref", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[F_DAY] = { "day", FT_DATE, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[F_PHONE] = { "phone", FT_PHONE, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[F_EMAIL] = { "email", FT_EMAIL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[F_PW] = { "pw", FT_PASSWORD, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static struct arena arena;
static struct req req;
static struct fval v[F__MAX];

/* A fresh request whose query string is qs (and body, urlencoded, when
 * given), with two messages that carry a limit; form_read over it.
 * Returns the number of bad fields. */
static int
read_form(const char *qs, const char *body)
{
	if (req.hdf)
		hdf_destroy(&req.hdf);
	arena_reset(&arena);
	memset(&req, 0, sizeof(req));
	req.arena = &arena;
	if (hdf_init(&req.hdf) != STATUS_OK)
		die("hdf_init");
	hdf_set_value(req.hdf, "Lang.err.too_long", "at most {n} characters");
	hdf_set_value(req.hdf, "Lang.err.decimal", "at most {n} decimals");
	if (req_parse_query(&req, qs) != 0)
		die("bad test query: %s", qs);
	if (body) {
		req.content_type = "application/x-www-form-urlencoded";
		if (req_parse_body(&req, body, strlen(body)) != 0)
			die("bad test body: %s", body);
	}
	return form_read(&req, fields, F__MAX, v);
}

static const char *
err(const char *name)
{
	char key[64];

	snprintf(key, sizeof(key), "Page.errors.%s", name);
	return hdf_get_value(req.hdf, key, NULL);
}

static const char *
kept(const char *name)
{
	char key[64];

	snprintf(key, sizeof(key), "Page.form.%s", name);
	return hdf_get_value(req.hdf, key, NULL);
}

/* One field's value refused with message want (a language key, or the
 * message of one with a limit); the other fields are fine. */
static void
refused(const char *qs, const char *name, const char *want)
{
	int bad = read_form(qs, NULL);
	const char *got = err(name);

	ok(bad == 1 && got && strcmp(got, want) == 0, "%s: %s", qs, want);
	if (!(bad == 1 && got && strcmp(got, want) == 0))
		printf("#   %d bad, got \"%s\"\n", bad, got ? got : "(null)");
}

/* One field's value accepted. */
static void
accepted(const char *qs, const char *name)
{
	int bad = read_form(qs, NULL);

	ok(bad == 0 && err(name) == NULL, "%s: accepted", qs);
}

int
main(void)
{
	struct db_param p;

	arena_init(&arena, 64 << 10);

	/* Everything valid: trimmed, typed, kept for the page. */
	ok(read_form("code=%20%20AB-1.x_%20&name=%E5%85%85%E7%94%B5%E7%AB%99%E6%A1%A9%E5%AD%90"
	    "&note=l1%0Al2&count=42&price=12.5&on=on&kind=dc&ref=7&day=2024-02-29"
	    "&phone=%2B86%20(512)%206666-8888&email=a.b%40example.cn&pw=%20secret%20", NULL) == 0,
	    "a valid form has no bad field");
	ok(hdf_get_value(req.hdf, "Page.errors", NULL) == NULL && hdf_get_value(req.hdf, "Page.error", NULL) == NULL,
	    "no messages for a valid form");
	is_str(v[F_CODE].s, "AB-1.x_", "text is trimmed");
	is_str(kept("code"), "AB-1.x_", "the trimmed input is kept for the page");
	is_str(v[F_NAME].s, "充电站桩子", "five characters of UTF-8 fit a limit of five");
	is_str(v[F_NOTE].s, "l1\nl2", "a textarea keeps its lines");
	ok(v[F_COUNT].i == 42 && !v[F_COUNT].null, "an integer is typed");
	ok(fabs(v[F_PRICE].d - 12.5) < 1e-9, "a decimal is typed");
	ok(v[F_ON].i == 1 && strcmp(v[F_ON].s, "1") == 0, "a checked box (\"on\") is 1");
	ok(v[F_REF].i == 7, "a reference is typed");
	is_str(v[F_PW].s, " secret ", "a password is not trimmed");
	ok(kept("pw") == NULL, "a password is never kept for the page");

	/* Empty fields. */
	ok(read_form("code=x", NULL) == 0, "optional fields may be empty");
	ok(v[F_NAME].null && v[F_COUNT].null && v[F_REF].null && *v[F_NAME].s == '\0',
	    "an empty optional field is NULL");
	ok(v[F_ON].i == 0 && !v[F_ON].null, "an absent checkbox is 0, not NULL");
	ok(read_form("code=%20%20&name=x", NULL) == 1 && strcmp(err("code"), "err.required") == 0,
	    "a required field of spaces is empty");
	is_str(hdf_get_value(req.hdf, "Page.error", NULL), "err.form", "the form's own message");
	is_str(kept("name"), "x", "the other input is kept when the form is refused");

	/* Refusals, one field at a time. */
	refused("code=a%0Ab", "code", "err.one_line");
	refused("code=x&name=a%0Db", "name", "err.one_line");
	refused("code=x&name=%E5%85%85%E7%94%B5%E7%AB%99%E6%A1%A9%E5%AD%90%E4%BA%86", "name",
	    "at most 5 characters");
	refused("code=ABCDEFGHI", "code", "at most 8 characters");
	refused("code=AB%20C", "code", "err.code");
	refused("code=%E5%85%85", "code", "err.code");
	refused("code=a%2Fb", "code", "err.code");
	refused("code=x&count=3x", "count", "err.int");
	refused("code=x&count=%2B3", "count", "err.int");
	refused("code=x&count=0", "count", "err.too_small");
	refused("code=x&count=101", "count", "err.too_big");
	accepted("code=x&count=1", "count");
	accepted("code=x&count=100", "count");
	refused("code=x&price=1.234", "price", "at most 2 decimals");
	refused("code=x&price=abc", "price", "at most 2 decimals");
	refused("code=x&price=-0.01", "price", "err.too_small");
	refused("code=x&price=1000.01", "price", "err.too_big");
	accepted("code=x&price=1000", "price");
	refused("code=x&on=yes", "on", "err.bool");
	ok(read_form("code=x&on=0", NULL) == 0 && v[F_ON].i == 0 && strcmp(v[F_ON].s, "0") == 0,
	    "an unchecked box sent as 0 is 0");
	refused("code=x&kind=AC", "kind", "err.choice");
	accepted("code=x&kind=ac", "kind");
	refused("code=x&ref=0", "ref", "err.ref");
	refused("code=x&ref=-3", "ref", "err.ref");
	refused("code=x&ref=abc", "ref", "err.ref");
	refused("code=x&day=2023-02-29", "day", "err.date");
	refused("code=x&day=2024-2-1", "day", "err.date");
	refused("code=x&phone=1234", "phone", "err.phone");
	refused("code=x&phone=123456789012345678901", "phone", "err.phone");
	refused("code=x&phone=tel12345", "phone", "err.phone");
	accepted("code=x&phone=12345", "phone");
	refused("code=x&email=a%40b", "email", "err.email");
	refused("code=x&email=%40b.cn", "email", "err.email");
	refused("code=x&email=a%40b%40c.cn", "email", "err.email");
	refused("code=x&email=a%20b%40c.cn", "email", "err.email");
	refused("code=x&email=%3Cx%3E%40c.cn", "email", "err.email");
	ok(read_form("code=a%20b&count=0&email=x", NULL) == 3 && err("code") && err("count") &&
	    err("email") && !err("name"), "every bad field is counted and has its message");

	/* A body parameter wins over the query string's. */
	ok(read_form("code=fromquery", "code=frombody") == 0 && strcmp(v[F_CODE].s, "frombody") == 0,
	    "the body's value is read before the query string's");

	/* form_error: a check's own message on a field. */
	read_form("code=x", NULL);
	hdf_set_value(req.hdf, "Lang.err.dup", "already taken");
	form_error(&req, "code", "err.dup");
	is_str(err("code"), "already taken", "form_error sets the field's message");
	is_str(hdf_get_value(req.hdf, "Page.error", NULL), "err.form", "form_error marks the form");

	/* form_param: typed for the column. */
	read_form("code=x&count=5&on=1&price=3.10", NULL);
	form_param(&fields[F_COUNT], &v[F_COUNT], &p);
	ok(p.type == 'l' && p.i == 5 && !p.null, "an integer binds as l");
	form_param(&fields[F_ON], &v[F_ON], &p);
	ok(p.type == 'i' && p.i == 1, "a checkbox binds as i");
	form_param(&fields[F_PRICE], &v[F_PRICE], &p);
	ok(p.type == 's' && strcmp(p.s, "3.10") == 0, "a decimal binds as its text (no rounding)");
	form_param(&fields[F_REF], &v[F_REF], &p);
	ok(p.type == 'l' && p.null, "an empty reference binds as NULL");
	form_param(&fields[F_NAME], &v[F_NAME], &p);
	ok(p.type == 's' && p.null, "an empty text binds as NULL");

	/* form_canon: the stored text, for comparing old and new values. */
	is_str(form_canon(&req, &fields[F_PRICE], "12.5"), "12.50", "a decimal at its scale");
	is_str(form_canon(&req, &fields[F_COUNT], "02"), "2", "an integer without leading zeros");
	is_str(form_canon(&req, &fields[F_REF], "007"), "7", "a reference without leading zeros");
	is_str(form_canon(&req, &fields[F_NAME], "02"), "02", "text as it is");
	is_str(form_canon(&req, &fields[F_COUNT], "x"), "x", "a value that is no number as it is");
	is_str(form_canon(&req, &fields[F_NAME], NULL), "", "NULL is the empty text");

	hdf_destroy(&req.hdf);
	arena_free(&arena);
	return done();
}
