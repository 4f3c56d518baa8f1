/*
 * auth.h — passwords, sessions, permissions, CSRF.
 *
 * Passwords are hashed with argon2id (libsodium, OWASP parameters: 19 MiB,
 * t=2).  A session cookie is 32 random bytes; only its SHA-256 is stored,
 * so a database leak does not leak live sessions.  A fresh session (and a
 * fresh CSRF token) is created at every sign-in, and the old one deleted.
 */
#ifndef CA_AUTH_H
#define CA_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct req;

/* Permissions.  Roles hold them as a comma-separated list of names in
 * roles.perms; the names are the table in auth.c. */
enum perm {
	PERM_NONE = 0,		/* signed in, nothing more */
	PERM_BASE_VIEW,		/* read base information */
	PERM_BASE_ADMIN,	/* companies, cities, products, warehouses, dictionaries */
	PERM_USER_ADMIN,	/* users and roles */
	PERM_AUDIT_VIEW,	/* update records */
	PERM_ASSET_VIEW,
	PERM_ASSET_EDIT,
	PERM_STOCK,		/* inbound, outbound, stocktake */
	PERM_PURCHASE,
	PERM_FINANCE,
	PERM_QR,
	PERM_INSPECT,		/* do inspections */
	PERM_INSPECT_ADMIN,	/* plans, check items */
	PERM_DEFECT,
	PERM_STATS,
	PERM_SUPPLIER,		/* supplier portal */
	PERM_WECHAT_ADMIN,
	PERM__MAX
};

const char *perm_name(enum perm p);
/* Parse "a,b,c" into a bit set; unknown names are ignored (and logged). */
uint64_t perm_parse(const char *list);
bool user_can(const struct req *r, enum perm p);

/* Hash a password into out (crypto_pwhash_STRBYTES); 0 or -1. */
int password_hash(const char *pw, char *out, size_t outlen);
bool password_verify(const char *hash, const char *pw);
/* Password policy: at least 8 characters with letters and digits, at most
 * 128 bytes, and nothing libpwquality refuses (dictionary words, the user
 * name in any form, long repeats or sequences).  NULL if fine, else a
 * language key (err.pw_*).  username may be NULL. */
const char *password_policy(const char *pw, const char *username);

/* Load the session named by the cookie into r->user/r->csrf.  A session
 * lives Session.idle_hours after its last use and never more than
 * Session.max_hours after sign-in. */
void auth_load_session(struct req *r);
/* Create a session for user_id (rotating any existing one) and set the cookie. */
int auth_start_session(struct req *r, int64_t user_id);
/* After a password change: every session of r->user ends (this one too)
 * and a new one with a new cookie and CSRF token replaces this one.
 * 0 or -1 (database error). */
int auth_rotate_session(struct req *r);
void auth_end_session(struct req *r);

/* The sign-in form's check, shared by every login page: reads username
 * and password, refuses empty or over-long values (422, field errors),
 * throttled names (429) and wrong passwords or disabled users (401, same
 * cost whether the user exists), each with Page.error set for the form;
 * 0 with *user_id on success (failures cleared).  *username is the trimmed
 * name (also in Page.form.username). */
int auth_check_login(struct req *r, const char **username, int64_t *user_id);
/* Throttling by (username, client address) and by address: the seconds
 * this request must still wait, 0 when it may try a password.  Failures
 * are recorded per pair, and a success clears only its own pair, so one
 * address's failures never lock the account for another address. */
int64_t auth_throttle_wait(struct req *r, const char *username);
/* Page.error: "try again in N minutes" for a wait in seconds. */
void auth_throttle_message(struct req *r, int64_t wait);
void auth_note_failure(struct req *r, const char *username);
void auth_clear_failures(struct req *r, const char *username);

/* CSRF: does the request carry the right token? */
bool csrf_ok(struct req *r, bool anonymous);
/* The anonymous double-submit token (sets the cookie when missing). */
const char *csrf_anon_token(struct req *r);

/* Random URL-safe token of 32 bytes (43 chars) from the arena. */
char *auth_random_token(struct req *r);
/* A form's once-only key (parameter `name`), made with auth_random_token
 * and sent back with the form so a repeated submit is recognised; NULL
 * unless it has that shape (16–64 of [A-Za-z0-9_-]). */
const char *auth_form_key(struct req *r, const char *name);

#endif
