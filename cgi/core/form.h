/*
 * form.h — declarative form validation.
 *
 * A form is an array of struct field.  form_read() trims and checks every
 * field, keeps the user's input under Page.form.<name> so the page can be
 * shown again as typed, and puts one message per bad field under
 * Page.errors.<name>.  Nothing is written unless it returns 0.
 */
#ifndef CA_FORM_H
#define CA_FORM_H

#include <stdbool.h>
#include <stdint.h>

struct req;
struct query;
struct db_param;

enum ftype {
	FT_TEXT,	/* one line of text */
	FT_TEXTAREA,	/* several lines */
	FT_CODE,	/* letters, digits, '-', '_', '.' */
	FT_INT,
	FT_DECIMAL,	/* bound as text so no rounding happens */
	FT_BOOL,	/* checkbox: present and "1" or absent */
	FT_CHOICE,	/* one of choices[] */
	FT_REF,		/* id of a row that must exist (and be in scope) */
	FT_DATE,	/* YYYY-MM-DD */
	FT_PHONE,	/* digits, spaces, '+', '-' */
	FT_EMAIL,
	FT_PASSWORD,	/* never echoed back */
};

enum field_flags {
	F_REQ = 1 << 0,		/* must not be empty */
	F_AUDIT = 1 << 1,	/* changes go to the update records */
	F_CREATE = 1 << 2,	/* only on create; shown read-only on edit */
	F_HIDDEN = 1 << 3,	/* not shown in the generic form */
};

struct field {
	const char *name;	/* parameter, column and Lang.f.<name> */
	enum ftype type;
	unsigned flags;
	int maxlen;		/* characters (text) */
	double min, max;	/* numeric range (when min < max) */
	int scale;		/* fraction digits of FT_DECIMAL */
	const char *const *choices;	/* FT_CHOICE: NULL-terminated */
	const char *enum_set;	/* Lang.enum.<set>.<choice> gives labels */
	const struct query *ref;	/* FT_REF: COUNT(*) by id (params "l", or "l" and a scope fragment's: "lil", "lill") */
	const char *options;	/* FT_REF, or FT_TEXT shown as a select: Page.opts.<options> lists the choices */
};

struct fval {
	const char *s;		/* trimmed text ("" when empty) */
	int64_t i;		/* FT_INT, FT_REF, FT_BOOL */
	double d;		/* FT_DECIMAL */
	bool null;		/* empty and optional */
};

/* Read and validate; returns the number of bad fields. */
int form_read(struct req *r, const struct field *f, int n, struct fval *v);
/* Mark one field bad with a language key (e.g. from a uniqueness check). */
void form_error(struct req *r, const char *field, const char *lang_key);
/* Parameter for one field, typed for its column. */
void form_param(const struct field *f, const struct fval *v, struct db_param *p);
/* Canonical text of a value as stored (for audit comparison). */
const char *form_canon(struct req *r, const struct field *f, const char *s);

#endif
