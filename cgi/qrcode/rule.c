/*
 * rule.c — code rules (编码规则, F3): how the codes of a batch are made
 * (prefix, company/city segment, year digits, serial width, check
 * character; see model/code.h) and which company's name the labels carry.
 * Declared for the crud engine.  A rule's format is fixed once a batch used
 * it — later codes must keep the shape of the printed ones — and a rule
 * with batches cannot be deleted (disable it instead).  next_serial is only
 * ever raised by batch.c, never through this form.  Users of a city company
 * see and edit the rules of their own company.
 */
#include <string.h>

#include "core/arena.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/tpl.h"
#include "model/code.h"

#include "qrcode/qrcode.h"

enum {
	R_NAME, R_PREFIX, R_COMPANY, R_SEGMENT, R_YEAR, R_WIDTH, R_CHECK, R_ENABLED,
	R_NOTE, R__MAX
};

static const char *const year_choices[] = { "0", "2", "4", NULL };

static const struct query q_ref_company = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND kind IN ('city', 'head') AND (? OR id = ?)",
	"lil", "l"
};

static const struct field fields[R__MAX] = {
	[R_NAME] = { "name", FT_TEXT, F_REQ, 50, 0, 0, 0, NULL, NULL, NULL, NULL },
	[R_PREFIX] = { "prefix", FT_CODE, F_REQ, 4, 0, 0, 0, NULL, NULL, NULL, NULL },
	[R_COMPANY] = { "company_id", FT_REF, F_REQ, 0, 0, 0, 0, NULL, NULL, &q_ref_company, "companies" },
	[R_SEGMENT] = { "segment", FT_CODE, 0, 6, 0, 0, 0, NULL, NULL, NULL, NULL },
	[R_YEAR] = { "year_digits", FT_CHOICE, F_REQ, 0, 0, 0, 0, year_choices, "qr_year", NULL, NULL },
	[R_WIDTH] = { "serial_width", FT_INT, F_REQ, 2, 4, 10, 0, NULL, NULL, NULL, NULL },
	[R_CHECK] = { "check_char", FT_BOOL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[R_ENABLED] = { "enabled", FT_BOOL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[R_NOTE] = { "note", FT_TEXTAREA, 0, 500, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const struct list_col cols[] = {
	{ "name", 'k', NULL },
	{ "prefix", 't', NULL },
	{ "segment", 't', NULL },
	{ "company", 't', NULL },
	{ "year_digits", 'e', "qr_year" },
	{ "serial_width", 'n', NULL },
	{ "check_char", 'b', NULL },
	{ "next_serial", 'n', NULL },
	{ "batches", 'n', NULL },
	{ "enabled", 'b', NULL },
};

static const struct list_filter filters[] = {
	{ "q", " AND (r.name LIKE ? OR r.prefix LIKE ? OR r.segment LIKE ?)", 'q', NULL, NULL, NULL },
	{ "company_id", " AND r.company_id = ?", 'l', "companies", NULL, NULL },
	{ "enabled", " AND r.enabled = ?", 'i', NULL, NULL, NULL },
};

static const struct list_sort sorts[] = {
	{ "name", "r.name", NULL },
	{ "prefix", "r.prefix, r.segment", NULL },
	{ "company", "co.name, r.name", NULL },
	{ "next_serial", "r.next_serial", NULL },
};

static const struct query q_get = {
	"SELECT id, version, name, prefix, company_id, segment, year_digits, serial_width,"
	" check_char, enabled, note FROM code_rules WHERE id = ? AND (? OR company_id = ?)",
	"lil", "lisssssssss"
};
static const struct query q_insert = {
	"INSERT INTO code_rules (name, prefix, company_id, segment, year_digits, serial_width,"
	" check_char, enabled, note) VALUES (?, ?, ?, COALESCE(?, ''), ?, ?, ?, ?, ?)",
	"ssl?sslii?s", ""
};
static const struct query q_update = {
	"UPDATE code_rules SET name = ?, prefix = ?, company_id = ?, segment = COALESCE(?, ''),"
	" year_digits = ?, serial_width = ?, check_char = ?, enabled = ?, note = ?,"
	" version = version + 1 WHERE id = ? AND version = ?",
	"ssl?sslii?sli", ""
};
static const struct query q_delete = { "DELETE FROM code_rules WHERE id = ?", "l", "" };
static const struct query q_ref_batches = {
	"SELECT COUNT(*) FROM qr_batches WHERE rule_id = ?", "l", "l"
};
static const struct ref_check refs[] = {
	{ &q_ref_batches, "ref.rule_batches" },
};
static const struct query q_format = {
	"SELECT f.prefix, f.segment, f.year_digits, f.serial_width, f.check_char"
	" FROM code_rules f WHERE f.id = ?",
	"l", "sssss"
};
/* Another rule whose codes start the same way: both would make the same codes. */
static const struct query q_overlap = {
	"SELECT COUNT(*) FROM code_rules WHERE CONCAT(prefix, segment) = CONCAT(?, ?) AND id <> ?",
	"ssl", "l"
};
static const struct query q_opt_companies = {
	"SELECT id, name FROM companies WHERE kind IN ('city', 'head') AND (? OR id = ?)"
	" ORDER BY kind DESC, name", "il", "ls"
};

static void
options(struct req *r)
{
	crud_options_scoped(r, "companies", &q_opt_companies);
}

/* Letters (and digits when allowed) only, any case; returns the capitals
 * in a new arena string, or NULL. */
static const char *
upper_code(struct req *r, const char *s, bool digits)
{
	char *u = arena_strdup(r->arena, s);

	for (char *p = u; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
		else if (!((*p >= 'A' && *p <= 'Z') || (digits && *p >= '0' && *p <= '9')))
			return NULL;
	}
	return u;
}

/* Prefix and segment in capitals; the format is frozen once batches exist. */
static int
check(struct req *r, struct fval *v, int64_t id)
{
	const char *prefix = upper_code(r, v[R_PREFIX].s, false);
	const char *segment = v[R_SEGMENT].null ? "" : upper_code(r, v[R_SEGMENT].s, true);
	int bad = 0;

	if (prefix == NULL) {
		form_error(r, "prefix", "err.qr_prefix");
		bad++;
	} else
		v[R_PREFIX].s = prefix;
	if (segment == NULL) {
		form_error(r, "segment", "err.qr_segment");
		bad++;
	} else if (!v[R_SEGMENT].null)
		v[R_SEGMENT].s = segment;
	if (bad == 0 && db_scalar(0, &q_overlap, prefix, segment, id) > 0) {
		form_error(r, "prefix", "err.qr_rule_overlap");
		bad++;
	}
	if (bad == 0 && id > 0 && db_scalar(0, &q_ref_batches, id) > 0) {
		struct db_cur c;
		const char *now[5] = { prefix, segment, v[R_YEAR].s,
			arena_printf(r->arena, "%lld", (long long)v[R_WIDTH].i),
			v[R_CHECK].i ? "1" : "0" };
		static const char *const names[5] = {
			"prefix", "segment", "year_digits", "serial_width", "check_char"
		};

		if (db_open(&c, &q_format, id) == 0) {
			if (db_next(&c))
				for (int i = 0; i < 5; i++)
					if (strcmp(db_str(&c, i), now[i]) != 0) {
						form_error(r, names[i], "err.qr_rule_fixed");
						bad++;
					}
			db_close(&c);
		}
	}
	return bad;
}

static void
defaults(struct req *r)
{
	tpl_set(r, "Page.form.year_digits", "2");
	tpl_set(r, "Page.form.serial_width", "6");
	tpl_set(r, "Page.form.check_char", "1");
	tpl_set(r, "Page.form.enabled", "1");
	if (!r->user->scope_all)
		tpl_set_int(r, "Page.form.company_id", r->user->company_id);
}

static const struct resource rule_res = {
	.name = "code_rule", .module = "qrcode", .base = "/qr/rules", .menu = "qr.rule",
	.view_perm = PERM_QR, .edit_perm = PERM_QR,
	.fields = fields, .nfields = R__MAX, .title_field = "name",
	.list_sql = "SELECT r.id, r.name, r.prefix, r.segment, co.name, r.year_digits,"
	    " r.serial_width, r.check_char, r.next_serial,"
	    " (SELECT COUNT(*) FROM qr_batches b WHERE b.rule_id = r.id), r.enabled"
	    " FROM code_rules r JOIN companies co ON co.id = r.company_id WHERE 1=1",
	.count_sql = "SELECT COUNT(*) FROM code_rules r WHERE 1=1",
	.scope_sql = SCOPE_COMPANY("r.company_id"),
	.cols = cols, .ncols = 10,
	.filters = filters, .nfilters = 3,
	.sorts = sorts, .nsorts = 4,
	.get = &q_get, .insert = &q_insert, .update = &q_update, .del = &q_delete,
	.refs = refs, .nrefs = 1,
	.options = options, .check = check, .defaults = defaults,
};

int rule_list(struct req *r) { return crud_list(r, &rule_res); }
int rule_export(struct req *r) { return crud_export(r, &rule_res); }
int rule_new(struct req *r) { return crud_new(r, &rule_res); }
int rule_create(struct req *r) { return crud_create(r, &rule_res); }
int rule_edit(struct req *r) { return crud_edit(r, &rule_res); }
int rule_update(struct req *r) { return crud_update(r, &rule_res); }
int rule_delete(struct req *r) { return crud_delete(r, &rule_res); }
