/*
 * wxlink.h — a user's WeChat link (wx_links: one openid per user, one user
 * per openid).  ca-wechat links an openid after the first password sign-in
 * in WeChat; ca-base unlinks (the user on /base/password, an administrator
 * on the user's edit page).  Linking and unlinking write their update
 * record (entity "user", field "wechat_openid", the openid masked as
 * "••••" + its last 4 characters) in the caller's transaction.
 */
#ifndef CA_MODEL_WXLINK_H
#define CA_MODEL_WXLINK_H

#include <stddef.h>
#include <stdint.h>

struct req;

#define WXLINK_OPENID_MAX 64

enum wxlink_rc {
	WXLINK_OK = 0,
	WXLINK_NONE = 1,	/* the user has no link (unlink, get) */
	WXLINK_TAKEN = 2,	/* the openid is linked to another user */
	WXLINK_HAS = 3,		/* the user is linked to another openid */
	WXLINK_ERR = -1,	/* database error (logged) */
};

/* The user's link: WXLINK_OK with the masked openid (masked, >= 24 bytes)
 * and the link time in China time "YYYY-MM-DD HH:MM" (at, >= 20 bytes),
 * or WXLINK_NONE. */
int wxlink_get(int64_t user_id, char *masked, size_t mn, char *at, size_t an);

/* The user linked to openid (0: none); *enabled says whether that user may
 * sign in.  A malformed openid (empty, > 64 bytes) is never linked. */
int64_t wxlink_user(const char *openid, int *enabled);

/* Link openid to user_id, audited with r's user as author (NULL: the
 * system).  WXLINK_OK (also when exactly this link exists), WXLINK_TAKEN,
 * WXLINK_HAS or WXLINK_ERR; nothing is written unless WXLINK_OK. */
int wxlink_add(struct req *r, int64_t user_id, const char *openid);

/* Remove the user's link, audited.  WXLINK_OK, WXLINK_NONE or WXLINK_ERR. */
int wxlink_remove(struct req *r, int64_t user_id);

#endif
