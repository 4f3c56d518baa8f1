/*
 * user.c — users, their role and data scope (F1.4).  Staff belong to the
 * head office or a city company; supplier users to one supplier.  The
 * create form has a password (hashed before it is stored); an edit never
 * sees or changes it — an administrator resets it on its own page, which
 * also ends the user's sessions.  Users with history are disabled, not
 * deleted, so the update records keep their author.
 */
#include <sodium.h>
#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/tpl.h"
#include "model/wxlink.h"

#include "base/base.h"

static const char *const langs[] = { "zh-CN", "en", NULL };

static const struct query q_ref_role = { "SELECT COUNT(*) FROM roles WHERE id = ?", "l", "l" };
static const struct query q_ref_company = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND kind IN ('head', 'city')", "l", "l"
};
static const struct query q_ref_supplier = {
	"SELECT COUNT(*) FROM companies WHERE id = ? AND is_supplier = 1", "l", "l"
};
static const struct query q_role_is_supplier = {
	"SELECT is_supplier FROM roles WHERE id = ?", "l", "l"
};

enum { U_USERNAME, U_NAME, U_ROLE, U_COMPANY, U_SUPPLIER, U_PHONE, U_EMAIL, U_LANG,
	U_ENABLED, U_PASSWORD, U__MAX };

/* The edit form is the first U_PASSWORD fields; create adds the password. */
static const struct field fields[U__MAX] = {
	[U_USERNAME] = { "username", FT_CODE, F_REQ | F_CREATE, 32, 0, 0, 0, NULL, NULL, NULL, NULL },
	[U_NAME] = { "name", FT_TEXT, F_REQ, 50, 0, 0, 0, NULL, NULL, NULL, NULL },
	[U_ROLE] = { "role_id", FT_REF, F_REQ, 0, 0, 0, 0, NULL, NULL, &q_ref_role, "roles" },
	[U_COMPANY] = { "company_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_company, "companies" },
	[U_SUPPLIER] = { "supplier_id", FT_REF, 0, 0, 0, 0, 0, NULL, NULL, &q_ref_supplier, "suppliers" },
	[U_PHONE] = { "phone", FT_PHONE, 0, 30, 0, 0, 0, NULL, NULL, NULL, NULL },
	[U_EMAIL] = { "email", FT_EMAIL, 0, 100, 0, 0, 0, NULL, NULL, NULL, NULL },
	[U_LANG] = { "lang", FT_CHOICE, F_REQ, 0, 0, 0, 0, langs, "lang", NULL, NULL },
	[U_ENABLED] = { "enabled", FT_BOOL, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL },
	[U_PASSWORD] = { "password", FT_PASSWORD, F_REQ, 128, 0, 0, 0, NULL, NULL, NULL, NULL },
};

static const struct list_col cols[] = {
	{ "username", 'k', NULL },
	{ "name", 't', NULL },
	{ "role", 't', NULL },
	{ "company", 't', NULL },
	{ "phone", 't', NULL },
	{ "enabled", 'b', NULL },
	{ "last_login_at", 't', NULL },
};

static const struct list_filter filters[] = {
	{ "q", " AND (u.username LIKE ? OR u.name LIKE ? OR u.phone LIKE ?)", 'q', NULL, NULL, NULL },
	{ "role_id", " AND u.role_id = ?", 'l', "roles", NULL, NULL },
	{ "company_id", " AND (u.company_id = ? OR u.supplier_id = ?)", 'l', "all_companies", NULL, NULL },
	{ "enabled", " AND u.enabled = ?", 'i', NULL, "yesno", (const char *const[]){ "1", "0", NULL } },
};

static const struct list_sort sorts[] = {
	{ "username", "u.username", NULL },
	{ "name", "u.name", NULL },
	{ "role", "ro.sort", NULL },
	{ "company", "co.name", NULL },
	{ "last_login_at", "u.last_login_at", NULL },
};

static const struct query q_get = {
	"SELECT id, version, username, name, role_id, company_id, supplier_id, phone, email,"
	" lang, enabled, '' FROM users WHERE id = ?",
	"l", "lissssssssss"
};
static const struct query q_insert = {
	"INSERT INTO users (username, name, role_id, company_id, supplier_id, phone, email, lang,"
	" enabled, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"ssl?l?l?s?ssis", ""
};
static const struct query q_update = {
	"UPDATE users SET username = ?, name = ?, role_id = ?, company_id = ?, supplier_id = ?,"
	" phone = ?, email = ?, lang = ?, enabled = ?, version = version + 1"
	" WHERE id = ? AND version = ?",
	"ssl?l?l?s?ssili", ""
};
static const struct query q_delete = { "DELETE FROM users WHERE id = ?", "l", "" };
static const struct query q_ref_history = {
	"SELECT COUNT(*) FROM audit_log WHERE user_id = ?", "l", "l"
};
static const struct ref_check refs[] = {
	{ &q_ref_history, "ref.user_history" },
};
static const struct query q_end_sessions = { "DELETE FROM sessions WHERE user_id = ?", "l", "" };

static const struct query q_opt_roles = {
	"SELECT id, name FROM roles ORDER BY sort", "", "ls"
};
static const struct query q_opt_companies = {
	"SELECT id, name FROM companies WHERE kind IN ('head', 'city') ORDER BY kind DESC, name", "", "ls"
};
static const struct query q_opt_suppliers = {
	"SELECT id, name FROM companies WHERE is_supplier = 1 ORDER BY name", "", "ls"
};
static const struct query q_opt_all = {
	"SELECT id, name FROM companies WHERE kind IN ('head', 'city') OR is_supplier = 1"
	" ORDER BY kind DESC, name", "", "ls"
};

static void
options(struct req *r)
{
	crud_options(r, "roles", &q_opt_roles);
	crud_options(r, "companies", &q_opt_companies);
	crud_options(r, "suppliers", &q_opt_suppliers);
	crud_options(r, "all_companies", &q_opt_all);
}

static int
check(struct req *r, struct fval *v, int64_t id)
{
	int bad = 0;
	bool supplier = db_scalar(0, &q_role_is_supplier, v[U_ROLE].i) != 0;

	/* Data scope follows the role: suppliers by supplier, staff by company. */
	if (supplier && v[U_SUPPLIER].null) {
		form_error(r, "supplier_id", "err.supplier_needed");
		bad++;
	}
	if (supplier && !v[U_COMPANY].null) {
		form_error(r, "company_id", "err.supplier_no_company");
		bad++;
	}
	if (!supplier && v[U_COMPANY].null) {
		form_error(r, "company_id", "err.company_needed");
		bad++;
	}
	if (!supplier && !v[U_SUPPLIER].null) {
		form_error(r, "supplier_id", "err.staff_no_supplier");
		bad++;
	}
	if (id != 0 && id == r->user->id && !v[U_ENABLED].i) {
		form_error(r, "enabled", "err.self_disable");
		bad++;
	}
	if (id == 0 && bad == 0) {
		const char *policy = password_policy(v[U_PASSWORD].s, v[U_USERNAME].s);
		char hash[crypto_pwhash_STRBYTES];

		if (policy) {
			form_error(r, "password", policy);
			return bad + 1;
		}
		if (password_hash(v[U_PASSWORD].s, hash, sizeof(hash)) != 0)
			die("password hashing failed");
		v[U_PASSWORD].s = arena_strdup(r->arena, hash);
	}
	return bad;
}

static void
after_save(struct req *r, struct fval *v, int64_t id, int created)
{
	(void)r;
	/* A disabled user is signed out everywhere at once. */
	if (!created && !v[U_ENABLED].i)
		db_exec(&q_end_sessions, id);
}

static void
defaults(struct req *r)
{
	tpl_set(r, "Page.form.enabled", "1");
	tpl_set(r, "Page.form.lang", "zh-CN");
}

#define USER_RES(nf, ins)                                                               \
	{                                                                               \
		.name = "user", .module = "base", .base = "/base/users", .menu = "base.user", \
		.view_perm = PERM_USER_ADMIN, .edit_perm = PERM_USER_ADMIN,             \
		.fields = fields, .nfields = nf, .title_field = "username",             \
		.list_sql = "SELECT u.id, u.username, u.name, ro.name, co.name, u.phone, u.enabled," \
		    " DATE_FORMAT(" SQL_LOCAL("u.last_login_at") ", '%Y-%m-%d %H:%i')"  \
		    " FROM users u JOIN roles ro ON ro.id = u.role_id"                   \
		    " LEFT JOIN companies co ON co.id = COALESCE(u.supplier_id, u.company_id) WHERE 1=1", \
		.count_sql = "SELECT COUNT(*) FROM users u WHERE 1=1",                 \
		.cols = cols, .ncols = 7, .filters = filters, .nfilters = 4,            \
		.sorts = sorts, .nsorts = 5, .get = &q_get, .insert = ins,               \
		.update = &q_update, .del = &q_delete, .refs = refs, .nrefs = 1,          \
		.options = options, .check = check, .after_save = after_save,          \
		.defaults = defaults,                                                  \
	}

static const struct resource user_res = USER_RES(U_PASSWORD, NULL);
static const struct resource user_new_res = USER_RES(U__MAX, &q_insert);

int user_list(struct req *r) { return crud_list(r, &user_res); }
int user_export(struct req *r) { return crud_export(r, &user_res); }
int user_new(struct req *r) { return crud_new(r, &user_new_res); }
int user_create(struct req *r) { return crud_create(r, &user_new_res); }
int
user_edit(struct req *r)
{
	int64_t id;
	int rc = crud_edit(r, &user_res);

	if (rc == 200 && req_arg_id(r, 0, &id) == 0) {
		user_wxlink_page(r, id);
		tpl_set(r, "Page.wxlink.action", arena_printf(r->arena, "/base/users/%lld/wxlink/unlink", (long long)id));
		if (req_query(r, "wx_unlinked")) {
			tpl_set(r, "Page.flash", tpl_lang(r, "wxlink.unlinked"));
			tpl_set(r, "Page.flash_kind", "success");
		}
	}
	return rc;
}
int user_update(struct req *r) { return crud_update(r, &user_res); }
int user_delete(struct req *r) { return crud_delete(r, &user_res); }

static const struct query q_user_exists = {
	"SELECT COUNT(*) FROM users WHERE id = ?", "l", "l"
};
static const struct query q_user_name = {
	"SELECT username, name FROM users WHERE id = ?", "l", "ss"
};
static const struct query q_reset = {
	"UPDATE users SET password_hash = ?, must_change_pw = 1, version = version + 1 WHERE id = ?",
	"sl", ""
};

static int
reset_page(struct req *r, int64_t id, int status)
{
	struct db_cur c;
	int found = 0;

	if (db_open(&c, &q_user_name, id) < 0)
		return 500;
	if (db_next(&c)) {
		tpl_set(r, "Page.username", db_str(&c, 0));
		tpl_set(r, "Page.name", db_str(&c, 1));
		found = 1;
	}
	db_close(&c);
	if (!found)
		return 404;
	tpl_set_int(r, "Page.id", id);
	tpl_set(r, "Page.menu", "base.user");
	tpl_set(r, "Page.title", tpl_lang(r, "pw.reset_title"));
	tpl_set(r, "Page.view", "base/user_password.cs");
	return status;
}

int
user_reset_form(struct req *r)
{
	int64_t id;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	return reset_page(r, id, 200);
}

int
user_reset_password(struct req *r)
{
	const char *pw = req_param(r, "password"), *policy;
	char hash[crypto_pwhash_STRBYTES];
	int64_t id;
	int rc;

	if (req_arg_id(r, 0, &id) != 0)
		return 404;
	if ((rc = reset_page(r, id, 200)) != 200)
		return rc;
	if (pw == NULL || *pw == '\0') {
		form_error(r, "password", "err.required");
		return 422;
	}
	if ((policy = password_policy(pw, tpl_get(r, "Page.username"))) != NULL) {
		form_error(r, "password", policy);
		return 422;
	}
	if (password_hash(pw, hash, sizeof(hash)) != 0)
		return 500;
	if (db_exec(&q_reset, hash, id) < 0 || db_exec(&q_end_sessions, id) < 0)
		return 500;
	audit_write(r, "user", id, AUDIT_UPDATE, "password", NULL, NULL);
	return req_redirect(r, "/base/users?flash=updated");
}

/* ---- WeChat link ---- */

void
user_wxlink_page(struct req *r, int64_t user_id)
{
	char masked[24], at[24];

	tpl_set(r, "Page.wxlink.shown", "1");
	if (r->user && r->user->id == user_id)
		tpl_set(r, "Page.wxlink.own", "1");
	tpl_set(r, "Page.wxlink.action", "/base/wxlink/unlink");
	if (wxlink_get(user_id, masked, sizeof(masked), at, sizeof(at)) == WXLINK_OK) {
		tpl_set(r, "Page.wxlink.masked", masked);
		tpl_set(r, "Page.wxlink.at", at);
	}
}

/* Unlink user_id; 0, or the status with Page.error set.  Nothing is
 * written when there is no link (a second submit of the same form). */
static int
unlink_user(struct req *r, int64_t user_id)
{
	int rc = wxlink_remove(r, user_id);

	if (rc == WXLINK_NONE) {
		tpl_set(r, "Page.error", tpl_lang(r, "wxlink.none"));
		return 409;
	}
	return rc == WXLINK_OK ? 0 : 500;
}

int
wxlink_unlink_own(struct req *r)
{
	int rc = unlink_user(r, r->user->id);

	if (rc != 0) {
		tpl_set(r, "Page.title", tpl_lang(r, "pw.title"));
		tpl_set(r, "Page.view", "base/password.cs");
		user_wxlink_page(r, r->user->id);
		return rc;
	}
	return req_redirect(r, "/base/password?wx_unlinked=1");
}

int
user_wxlink_unlink(struct req *r)
{
	int64_t id;
	int rc;

	if (req_arg_id(r, 0, &id) != 0 || db_scalar(0, &q_user_exists, id) == 0)
		return 404;
	if ((rc = unlink_user(r, id)) != 0)
		return rc;
	return req_redirect(r, arena_printf(r->arena, "/base/users/%lld/edit?wx_unlinked=1", (long long)id));
}
