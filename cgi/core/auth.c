/*
 * auth.c — passwords (argon2id), DB-backed sessions, permissions, login
 * throttling and CSRF tokens.
 */
#include "core/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/form.h"
#include "core/log.h"
#include "core/req.h"
#include "core/text.h"
#include "core/tpl.h"

#define SESSION_COOKIE "ca_sid"
#define PRE_COOKIE "ca_pre"
#define SESSION_TTL_HOURS 12
#define THROTTLE_MINUTES 15
#define THROTTLE_USER 5		/* failures per username per window */
#define THROTTLE_ADDR 30	/* failures per address per window */

static const char *const perm_names[PERM__MAX] = {
	[PERM_NONE] = "none",
	[PERM_BASE_VIEW] = "base_view",
	[PERM_BASE_ADMIN] = "base_admin",
	[PERM_USER_ADMIN] = "user_admin",
	[PERM_AUDIT_VIEW] = "audit_view",
	[PERM_ASSET_VIEW] = "asset_view",
	[PERM_ASSET_EDIT] = "asset_edit",
	[PERM_STOCK] = "stock",
	[PERM_PURCHASE] = "purchase",
	[PERM_FINANCE] = "finance",
	[PERM_QR] = "qr",
	[PERM_INSPECT] = "inspect",
	[PERM_INSPECT_ADMIN] = "inspect_admin",
	[PERM_DEFECT] = "defect",
	[PERM_STATS] = "stats",
	[PERM_SUPPLIER] = "supplier",
	[PERM_WECHAT_ADMIN] = "wechat_admin",
};

const char *
perm_name(enum perm p)
{
	return p < PERM__MAX ? perm_names[p] : "?";
}

uint64_t
perm_parse(const char *list)
{
	uint64_t bits = 0;

	while (list && *list) {
		size_t len = strcspn(list, ",");
		int found = 0;

		for (int p = 1; p < PERM__MAX; p++)
			if (strlen(perm_names[p]) == len &&
			    strncmp(perm_names[p], list, len) == 0) {
				bits |= 1ULL << p;
				found = 1;
			}
		if (!found && len > 0)
			log_warn("unknown permission in role: %.*s", (int)len, list);
		list += len;
		if (*list == ',')
			list++;
	}
	return bits;
}

bool
user_can(const struct req *r, enum perm p)
{
	if (r->user == NULL)
		return false;
	return p == PERM_NONE || (r->user->perms & (1ULL << p)) != 0;
}

int
password_hash(const char *pw, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES)
		return -1;
	/* OWASP: argon2id with m = 19 MiB, t = 2, p = 1. */
	return crypto_pwhash_str(out, pw, strlen(pw), 2, 19u << 20) == 0 ? 0 : -1;
}

bool
password_verify(const char *hash, const char *pw)
{
	if (hash == NULL || strncmp(hash, "$argon2id$", 10) != 0)
		return false;
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

const char *
password_policy(const char *pw)
{
	size_t len = strlen(pw);
	int letters = 0, digits = 0;

	if (utf8_chars(pw, len) < 8)
		return "err.pw_short";
	if (len > 128)
		return "err.pw_long";
	for (const char *p = pw; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			letters = 1;
		else if (*p >= '0' && *p <= '9')
			digits = 1;
	}
	return letters && digits ? NULL : "err.pw_weak";
}

char *
auth_random_token(struct req *r)
{
	unsigned char raw[32];
	char *out = arena_alloc(r->arena, 48);

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, 48, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/* Hex SHA-256 of the cookie value: what the sessions table stores. */
static char *
token_hash(struct req *r, const char *token)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char *hex = arena_alloc(r->arena, sizeof(h) * 2 + 1);

	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
	return hex;
}

/* The session query runs on every signed-in request.  The time comes in as a
 * parameter (UTC, to the second) instead of UTC_TIMESTAMP(), so the
 * statement is deterministic and SQL_CACHE lets MariaDB's query cache
 * (query_cache_type = DEMAND on the private server) answer repeats without
 * executing it.  The cache is exact: any committed write to sessions,
 * users, roles, companies or data_gen (raised by every data change) drops
 * the entries; without a query cache SQL_CACHE does nothing. */
static const struct query q_session = {
	"SELECT SQL_CACHE s.csrf_token, u.id, u.username, u.name, ro.code, ro.name, ro.perms,"
	" ro.scope_all, COALESCE(u.company_id, 0), COALESCE(c.name, ''),"
	" COALESCE(u.supplier_id, 0), u.lang, s.last_seen_at < ? - INTERVAL 5 MINUTE,"
	" u.must_change_pw, ro.name_en, (SELECT CAST(COALESCE(SUM(g.n), 0) AS SIGNED) FROM data_gen g)"
	" FROM sessions s JOIN users u ON u.id = s.user_id"
	" JOIN roles ro ON ro.id = u.role_id"
	" LEFT JOIN companies c ON c.id = COALESCE(u.supplier_id, u.company_id)"
	" WHERE s.id = ? AND s.expires_at > ? AND u.enabled = 1",
	"sss", "slsssssilslsiisl"
};

static const struct query q_session_touch = {
	"UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(),"
	" expires_at = UTC_TIMESTAMP() + INTERVAL 12 HOUR WHERE id = ?", "s", ""
};

void
auth_load_session(struct req *r)
{
	const char *token = req_cookie(r, SESSION_COOKIE);
	struct db_cur c;
	char *hash;
	bool touch = false;
	int64_t gen = -1;
	char now[32];

	if (token == NULL || strlen(token) != 43)
		return;
	hash = token_hash(r, token);
	{
		time_t t = time(NULL);
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(now, sizeof(now), "%Y-%m-%d %H:%M:%S", &tm);
	}
	if (db_open(&c, &q_session, now, hash, now) < 0)
		return;
	if (db_next(&c)) {
		struct user *u = arena_calloc(r->arena, 1, sizeof(*u));

		r->csrf = arena_strdup(r->arena, db_str(&c, 0));
		u->id = db_i64(&c, 1);
		u->username = arena_strdup(r->arena, db_str(&c, 2));
		u->name = arena_strdup(r->arena, db_str(&c, 3));
		u->role = arena_strdup(r->arena, db_str(&c, 4));
		u->role_name = arena_strdup(r->arena, db_str(&c, 5));
		u->perms = perm_parse(db_str(&c, 6));
		u->scope_all = db_int(&c, 7) != 0;
		u->company_id = db_i64(&c, 8);
		u->company_name = arena_strdup(r->arena, db_str(&c, 9));
		u->supplier_id = db_i64(&c, 10);
		u->lang = arena_strdup(r->arena, db_str(&c, 11));
		touch = db_int(&c, 12) != 0;
		u->must_change_pw = db_int(&c, 13) != 0;
		u->role_name_en = arena_strdup(r->arena, db_str(&c, 14));
		gen = db_i64(&c, 15);
		r->user = u;
		r->session_hash = hash;
	}
	db_close(&c);
	/* Sliding expiry, written at most every five minutes per session. */
	if (touch)
		db_exec(&q_session_touch, hash);
	/* After the touch: a write of the sessions table changes no cached data. */
	db_set_generation(gen);
}

static const struct query q_session_insert = {
	"INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at,"
	" expires_at, ip, user_agent) VALUES (?, ?, ?, UTC_TIMESTAMP(),"
	" UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL 12 HOUR, ?, ?)",
	"slsss", ""
};
static const struct query q_session_delete = {
	"DELETE FROM sessions WHERE id = ?", "s", ""
};
static const struct query q_session_gc = {
	"DELETE FROM sessions WHERE expires_at < UTC_TIMESTAMP() - INTERVAL 1 DAY LIMIT 100",
	"", ""
};
static const struct query q_user_login = {
	"UPDATE users SET last_login_at = UTC_TIMESTAMP() WHERE id = ?", "l", ""
};

int
auth_start_session(struct req *r, int64_t user_id)
{
	char *token = auth_random_token(r);
	char *csrf = auth_random_token(r);
	char ua[256];

	/* Rotate: the pre-login session (if any) dies, a new id is issued. */
	if (r->session_hash)
		db_exec(&q_session_delete, r->session_hash);
	snprintf(ua, sizeof(ua), "%s", r->user_agent ? r->user_agent : "");
	/* Cut at a UTF-8 boundary. */
	for (size_t n = strlen(ua); n > 0 && !utf8_valid(ua, n); n--)
		ua[n - 1] = '\0';
	if (db_exec(&q_session_insert, token_hash(r, token), user_id, csrf,
	    r->remote_addr ? r->remote_addr : "", ua) < 0)
		return -1;
	db_exec(&q_user_login, user_id);
	db_exec(&q_session_gc);
	req_set_cookie(r, SESSION_COOKIE, token, -1, true);
	r->csrf = csrf;
	return 0;
}

void
auth_end_session(struct req *r)
{
	if (r->session_hash)
		db_exec(&q_session_delete, r->session_hash);
	req_set_cookie(r, SESSION_COOKIE, "", 0, true);
	r->user = NULL;
}

static const struct query q_fail_count = {
	"SELECT (SELECT COUNT(*) FROM login_failures WHERE username = ?"
	"  AND at > UTC_TIMESTAMP() - INTERVAL 15 MINUTE),"
	" (SELECT COUNT(*) FROM login_failures WHERE ip = ?"
	"  AND at > UTC_TIMESTAMP() - INTERVAL 15 MINUTE)",
	"ss", "ll"
};
static const struct query q_fail_insert = {
	"INSERT INTO login_failures (username, ip, at) VALUES (?, ?, UTC_TIMESTAMP())",
	"ss", ""
};
static const struct query q_fail_clear = {
	"DELETE FROM login_failures WHERE username = ?", "s", ""
};

static const char *
clip_username(struct req *r, const char *u)
{
	return arena_strndup(r->arena, u, strnlen(u, 64));
}

bool
auth_throttled(struct req *r, const char *username)
{
	struct db_cur c;
	bool limited = false;

	if (db_open(&c, &q_fail_count, clip_username(r, username),
	    r->remote_addr ? r->remote_addr : "") < 0)
		return true;
	if (db_next(&c))
		limited = db_i64(&c, 0) >= cfg_int("Security.login_user_limit", THROTTLE_USER) ||
		    db_i64(&c, 1) >= cfg_int("Security.login_addr_limit", THROTTLE_ADDR);
	db_close(&c);
	return limited;
}

void
auth_note_failure(struct req *r, const char *username)
{
	db_exec(&q_fail_insert, clip_username(r, username),
	    r->remote_addr ? r->remote_addr : "");
}

void
auth_clear_failures(struct req *r, const char *username)
{
	db_exec(&q_fail_clear, clip_username(r, username));
}

const char *
csrf_anon_token(struct req *r)
{
	const char *t = req_cookie(r, PRE_COOKIE);

	if (t == NULL || strlen(t) != 43) {
		t = auth_random_token(r);
		req_set_cookie(r, PRE_COOKIE, t, -1, true);
	}
	return t;
}

bool
csrf_ok(struct req *r, bool anonymous)
{
	const char *sent = req_param(r, "_csrf");
	const char *want;

	if (sent == NULL)
		sent = req_env(r, "HTTP_X_CSRF_TOKEN");
	if (anonymous)
		want = req_cookie(r, PRE_COOKIE);
	else
		want = r->csrf;
	if (sent == NULL || want == NULL || strlen(want) != 43)
		return false;
	return text_equal_ct(sent, want);
}

static const struct query q_user_by_name = {
	"SELECT id, password_hash, enabled FROM users WHERE username = ?", "s", "lsi"
};

int
auth_check_login(struct req *r, const char **username, int64_t *user_id)
{
	const char *user = req_param(r, "username"), *pw = req_param(r, "password");
	char hash[160] = "";
	int64_t id = 0;
	int enabled = 0;
	bool good;
	struct db_cur c;

	user = user ? text_trim(arena_strdup(r->arena, user)) : "";
	*username = user;
	tpl_set(r, "Page.form.username", user);
	if (*user == '\0' || pw == NULL || *pw == '\0' || strlen(user) > 32 || strlen(pw) > 128) {
		if (*user == '\0')
			form_error(r, "username", "err.required");
		if (pw == NULL || *pw == '\0')
			form_error(r, "password", "err.required");
		if (strlen(user) > 32 || (pw && strlen(pw) > 128))
			tpl_set(r, "Page.error", tpl_lang(r, "login.failed"));
		return 422;
	}
	if (auth_throttled(r, user)) {
		log_warn("login throttled for %.32s from %s", user, r->remote_addr ? r->remote_addr : "?");
		tpl_set(r, "Page.error", tpl_lang(r, "login.throttled"));
		return 429;
	}
	if (db_open(&c, &q_user_by_name, user) < 0)
		return 500;
	if (db_next(&c)) {
		id = db_i64(&c, 0);
		snprintf(hash, sizeof(hash), "%s", db_str(&c, 1));
		enabled = db_int(&c, 2);
	}
	db_close(&c);
	if (id == 0) {
		/* Same cost as a real check, so timing does not tell who exists. */
		static char dummy[crypto_pwhash_STRBYTES];

		if (dummy[0] == '\0')
			password_hash("not-a-real-password-1", dummy, sizeof(dummy));
		(void)password_verify(dummy, pw);
	}
	good = id != 0 && password_verify(hash, pw);
	if (!good || !enabled) {
		auth_note_failure(r, user);
		log_info("login failed for %.32s", user);
		tpl_set(r, "Page.error", tpl_lang(r, good ? "login.disabled" : "login.failed"));
		return 401;
	}
	auth_clear_failures(r, user);
	*user_id = id;
	return 0;
}

const char *
auth_form_key(struct req *r, const char *name)
{
	const char *k = req_param(r, name);
	size_t n;

	if (k == NULL)
		return NULL;
	n = strlen(k);
	if (n < 16 || n > 64 || strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") != n)
		return NULL;
	return k;
}
