/*
 * auth.c — passwords (argon2id, libpwquality policy), DB-backed sessions,
 * permissions, login throttling and CSRF tokens.
 *
 * Throttling counts failures per (username, address) pair, not per
 * username: five wrong passwords for "admin" from one address make that
 * address wait (15 minutes, doubling per further failure, at most 4 hours),
 * while the right password from anywhere else still signs in, so nobody
 * can lock an account out from afar.  An address that fails often for any
 * names waits as a whole.  The address is nginx's REMOTE_ADDR, never a
 * client header.
 */
#include "core/auth.h"

#include <pwquality.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "core/form.h"
#include "core/log.h"
#include "core/req.h"
#include "core/text.h"
#include "core/tpl.h"

#define SESSION_COOKIE "ca_sid"
#define PRE_COOKIE "ca_pre"
#define SESSION_IDLE_HOURS 12	/* Session.idle_hours: sliding expiry */
#define SESSION_MAX_HOURS 24	/* Session.max_hours: absolute lifetime */
#define THROTTLE_PAIR 5		/* Security.login_pair_limit: failures of a name from an address */
#define THROTTLE_DELAY 15	/* Security.login_delay_minutes: the first wait, doubling */
#define THROTTLE_DELAY_MAX 240	/* Security.login_delay_max_minutes */
#define THROTTLE_MEMORY 24	/* Security.login_memory_hours: failures older are forgotten */
#define THROTTLE_ADDR 30	/* Security.login_addr_limit: failures per address, any name */
#define THROTTLE_ADDR_MINUTES 15	/* … within this window */

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

/* libpwquality for what our own rules cannot see: dictionary words
 * (cracklib), the user name in any form, repeats and sequences.  Settings
 * are fixed here rather than read from /etc/security/pwquality.conf, so the
 * policy is the same on every host.  Process lifetime. */
static pwquality_settings_t *
pwq_settings(void)
{
	static pwquality_settings_t *pwq;
	static const struct {
		int setting, value;
	} set[] = {
		{ PWQ_SETTING_MIN_LENGTH, 8 },
		{ PWQ_SETTING_DIG_CREDIT, 0 },
		{ PWQ_SETTING_UP_CREDIT, 0 },
		{ PWQ_SETTING_LOW_CREDIT, 0 },
		{ PWQ_SETTING_OTH_CREDIT, 0 },
		{ PWQ_SETTING_MAX_REPEAT, 3 },
		{ PWQ_SETTING_MAX_SEQUENCE, 4 },
		{ PWQ_SETTING_DICT_CHECK, 1 },
		{ PWQ_SETTING_USER_CHECK, 1 },
		{ PWQ_SETTING_GECOS_CHECK, 0 },
	};

	if (pwq == NULL) {
		if ((pwq = pwquality_default_settings()) == NULL)
			abort();
		for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
			if (pwquality_set_int_value(pwq, set[i].setting, set[i].value) != 0)
				log_err("pwquality setting %d refused", set[i].setting);
	}
	return pwq;
}

const char *
password_policy(const char *pw, const char *username)
{
	size_t len = strlen(pw);
	int letters = 0, digits = 0, rc;
	void *aux = NULL;

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
	if (!letters || !digits)
		return "err.pw_weak";
	rc = pwquality_check(pwq_settings(), pw, NULL,
	    username && *username ? username : NULL, &aux);
	if (rc >= 0)
		return NULL;
	switch (rc) {
	case PWQ_ERROR_MEM_ALLOC:
		abort();
	case PWQ_ERROR_CRACKLIB_CHECK:
		/* cracklib's reason says nothing of the password itself; a
		 * missing dictionary shows up here too. */
		log_info("password refused by cracklib: %s", aux ? (const char *)aux : "?");
		return "err.pw_common";
	case PWQ_ERROR_USER_CHECK:
	case PWQ_ERROR_GECOS_CHECK:
		return "err.pw_user";
	case PWQ_ERROR_MIN_LENGTH:
		return "err.pw_short";
	case PWQ_ERROR_MAX_CONSECUTIVE:
	case PWQ_ERROR_MAX_CLASS_REPEAT:
	case PWQ_ERROR_MAX_SEQUENCE:
	case PWQ_ERROR_PALINDROME:
		return "err.pw_pattern";
	default:
		log_info("password refused by pwquality: %d", rc);
		return "err.pw_common";
	}
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
	" u.must_change_pw, ro.name_en, (SELECT CAST(COALESCE(SUM(g.n), 0) AS SIGNED) FROM data_gen g),"
	/* The unread open reminders the user sees (the top bar's count). */
	" (SELECT COUNT(*) FROM notices n LEFT JOIN notice_reads nr ON nr.notice_id = n.id"
	"  AND nr.user_id = u.id WHERE FIND_IN_SET('asset_view', ro.perms) > 0"
	"  AND (ro.scope_all OR n.company_id = u.company_id) AND n.acked_at IS NULL"
	"  AND nr.read_at IS NULL)"
	" FROM sessions s JOIN users u ON u.id = s.user_id"
	" JOIN roles ro ON ro.id = u.role_id"
	" LEFT JOIN companies c ON c.id = COALESCE(u.supplier_id, u.company_id)"
	" WHERE s.id = ? AND s.expires_at > ? AND s.created_at > ? - INTERVAL ? HOUR"
	" AND u.enabled = 1",
	"ssssi", "slsssssilslsiisll"
};

/* Sliding expiry, never past the absolute lifetime. */
static const struct query q_session_touch = {
	"UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(),"
	" expires_at = LEAST(UTC_TIMESTAMP() + INTERVAL ? HOUR, created_at + INTERVAL ? HOUR)"
	" WHERE id = ?", "iis", ""
};

static int
session_idle_hours(void)
{
	int h = cfg_int("Session.idle_hours", SESSION_IDLE_HOURS);

	return h > 0 ? h : SESSION_IDLE_HOURS;
}

static int
session_max_hours(void)
{
	int h = cfg_int("Session.max_hours", SESSION_MAX_HOURS);

	return h > 0 ? h : SESSION_MAX_HOURS;
}

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
	if (db_open(&c, &q_session, now, hash, now, now, session_max_hours()) < 0)
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
		u->unread_notices = db_i64(&c, 16);
		r->user = u;
		r->session_hash = hash;
	}
	db_close(&c);
	/* Sliding expiry, written at most every five minutes per session. */
	if (touch)
		db_exec(&q_session_touch, session_idle_hours(), session_max_hours(), hash);
	/* After the touch: a write of the sessions table changes no cached data. */
	db_set_generation(gen);
}

static const struct query q_session_insert = {
	"INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at,"
	" expires_at, ip, user_agent) VALUES (?, ?, ?, UTC_TIMESTAMP(),"
	" UTC_TIMESTAMP(), UTC_TIMESTAMP() + INTERVAL LEAST(?, ?) HOUR, ?, ?)",
	"slsiiss", ""
};
static const struct query q_session_delete = {
	"DELETE FROM sessions WHERE id = ?", "s", ""
};
static const struct query q_session_delete_user = {
	"DELETE FROM sessions WHERE user_id = ?", "l", ""
};
static const struct query q_session_gc = {
	"DELETE FROM sessions WHERE expires_at < UTC_TIMESTAMP() - INTERVAL 1 DAY LIMIT 100",
	"", ""
};
static const struct query q_fail_gc = {
	"DELETE FROM login_failures WHERE at < UTC_TIMESTAMP() - INTERVAL ? HOUR LIMIT 100",
	"i", ""
};
static const struct query q_user_login = {
	"UPDATE users SET last_login_at = UTC_TIMESTAMP() WHERE id = ?", "l", ""
};

/* A new session row for user_id with a fresh cookie and CSRF token. */
static int
session_issue(struct req *r, int64_t user_id)
{
	char *token = auth_random_token(r);
	char *csrf = auth_random_token(r);
	char *hash = token_hash(r, token);
	char ua[256];

	snprintf(ua, sizeof(ua), "%s", r->user_agent ? r->user_agent : "");
	/* Cut at a UTF-8 boundary. */
	for (size_t n = strlen(ua); n > 0 && !utf8_valid(ua, n); n--)
		ua[n - 1] = '\0';
	if (db_exec(&q_session_insert, hash, user_id, csrf,
	    session_idle_hours(), session_max_hours(),
	    r->remote_addr ? r->remote_addr : "", ua) < 0)
		return -1;
	req_set_cookie(r, SESSION_COOKIE, token, -1, true);
	r->csrf = csrf;
	r->session_hash = hash;
	return 0;
}

int
auth_start_session(struct req *r, int64_t user_id)
{
	/* Rotate: the pre-login session (if any) dies, a new id is issued. */
	if (r->session_hash)
		db_exec(&q_session_delete, r->session_hash);
	if (session_issue(r, user_id) != 0)
		return -1;
	db_exec(&q_user_login, user_id);
	db_exec(&q_session_gc);
	db_exec(&q_fail_gc, cfg_int("Security.login_memory_hours", THROTTLE_MEMORY));
	return 0;
}

int
auth_rotate_session(struct req *r)
{
	if (r->user == NULL)
		return -1;
	if (db_exec(&q_session_delete_user, r->user->id) < 0)
		return -1;
	return session_issue(r, r->user->id);
}

void
auth_end_session(struct req *r)
{
	if (r->session_hash)
		db_exec(&q_session_delete, r->session_hash);
	req_set_cookie(r, SESSION_COOKIE, "", 0, true);
	r->user = NULL;
}

static const struct query q_fail_pair = {
	"SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(SECOND, MAX(at), UTC_TIMESTAMP()), 0)"
	" FROM login_failures WHERE username = ? AND ip = ? AND at > UTC_TIMESTAMP() - INTERVAL ? HOUR",
	"ssi", "ll"
};
static const struct query q_fail_addr = {
	"SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(SECOND, MIN(at), UTC_TIMESTAMP()), 0)"
	" FROM login_failures WHERE ip = ? AND at > UTC_TIMESTAMP() - INTERVAL ? MINUTE",
	"si", "ll"
};
static const struct query q_fail_insert = {
	"INSERT INTO login_failures (username, ip, at) VALUES (?, ?, UTC_TIMESTAMP())",
	"ss", ""
};
static const struct query q_fail_clear = {
	"DELETE FROM login_failures WHERE username = ? AND ip = ?", "ss", ""
};

static const char *
clip_username(struct req *r, const char *u)
{
	return arena_strndup(r->arena, u, strnlen(u, 64));
}

static const char *
client_addr(const struct req *r)
{
	return r->remote_addr ? r->remote_addr : "";
}

/* The wait after n failures of one pair: the first delay from the limit on,
 * doubling per further failure, capped; in seconds. */
static int64_t
pair_delay(int64_t n)
{
	int64_t limit = cfg_int("Security.login_pair_limit", THROTTLE_PAIR);
	int64_t d = cfg_int("Security.login_delay_minutes", THROTTLE_DELAY);
	int64_t cap = cfg_int("Security.login_delay_max_minutes", THROTTLE_DELAY_MAX);

	if (n < limit)
		return 0;
	for (int64_t i = limit; i < n && d < cap; i++)
		d *= 2;
	return (d < cap ? d : cap) * 60;
}

int64_t
auth_throttle_wait(struct req *r, const char *username)
{
	struct db_cur c;
	int64_t wait = 0, n, age;
	int window = cfg_int("Security.login_addr_minutes", THROTTLE_ADDR_MINUTES);

	if (db_open(&c, &q_fail_pair, clip_username(r, username), client_addr(r),
	    cfg_int("Security.login_memory_hours", THROTTLE_MEMORY)) < 0)
		return 60;
	if (db_next(&c)) {
		n = db_i64(&c, 0);
		age = db_i64(&c, 1);
		if (pair_delay(n) > age)
			wait = pair_delay(n) - age;
	}
	db_close(&c);
	if (db_open(&c, &q_fail_addr, client_addr(r), window) < 0)
		return 60;
	if (db_next(&c)) {
		n = db_i64(&c, 0);
		age = db_i64(&c, 1);
		/* Until the oldest counted failure leaves the window. */
		if (n >= cfg_int("Security.login_addr_limit", THROTTLE_ADDR) &&
		    (int64_t)window * 60 - age > wait)
			wait = (int64_t)window * 60 - age;
	}
	db_close(&c);
	return wait;
}

void
auth_throttle_message(struct req *r, int64_t wait)
{
	const char *msg = tpl_lang(r, "login.throttled"), *at = strstr(msg, "{n}");
	struct buf b;

	buf_init(&b, r->arena, 128);
	if (at) {
		buf_append(&b, msg, (size_t)(at - msg));
		buf_printf(&b, "%lld", (long long)((wait + 59) / 60));
		buf_puts(&b, at + 3);
	} else
		buf_puts(&b, msg);
	tpl_set(r, "Page.error", b.data);
}

void
auth_note_failure(struct req *r, const char *username)
{
	db_exec(&q_fail_insert, clip_username(r, username), client_addr(r));
}

void
auth_clear_failures(struct req *r, const char *username)
{
	db_exec(&q_fail_clear, clip_username(r, username), client_addr(r));
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
	/* From the body or the header only: a token in a URL leaks through
	 * logs, history and Referer. */
	const char *sent = req_form(r, "_csrf");
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
	int64_t wait;
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
	if ((wait = auth_throttle_wait(r, user)) > 0) {
		log_warn("login throttled for %.32s from %s", user, r->remote_addr ? r->remote_addr : "?");
		auth_throttle_message(r, wait);
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
