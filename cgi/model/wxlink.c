/*
 * wxlink.c — linking a user to a WeChat openid and unlinking (wxlink.h).
 *
 * The row is read FOR UPDATE before it is written, so two sign-ins racing
 * for one openid see each other (the unique key on openid is the last word:
 * a duplicate there is WXLINK_TAKEN, never a second link).
 */
#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/db.h"
#include "core/log.h"
#include "core/wechat.h"

#include "model/wxlink.h"

static const struct query q_get = {
	"SELECT openid, DATE_FORMAT(" SQL_LOCAL("linked_at") ", '%Y-%m-%d %H:%i')"
	" FROM wx_links WHERE user_id = ?", "l", "ss"
};
static const struct query q_by_openid = {
	"SELECT u.id, u.enabled FROM wx_links l JOIN users u ON u.id = l.user_id"
	" WHERE l.openid = ?", "s", "li"
};
static const struct query q_lock_user = {
	"SELECT openid FROM wx_links WHERE user_id = ? FOR UPDATE", "l", "s"
};
static const struct query q_lock_openid = {
	"SELECT user_id FROM wx_links WHERE openid = ? FOR UPDATE", "s", "l"
};
static const struct query q_insert = {
	"INSERT INTO wx_links (user_id, openid, linked_at) VALUES (?, ?, UTC_TIMESTAMP())", "ls", ""
};
static const struct query q_delete = {
	"DELETE FROM wx_links WHERE user_id = ?", "l", ""
};

int
wxlink_get(int64_t user_id, char *masked, size_t mn, char *at, size_t an)
{
	struct db_cur c;
	int rc = WXLINK_NONE;

	if (db_open(&c, &q_get, user_id) < 0)
		return WXLINK_ERR;
	if (db_next(&c)) {
		wx_mask(db_str(&c, 0), masked, mn);
		snprintf(at, an, "%s", db_str(&c, 1));
		rc = WXLINK_OK;
	}
	db_close(&c);
	return rc;
}

int64_t
wxlink_user(const char *openid, int *enabled)
{
	struct db_cur c;
	int64_t id = 0;

	*enabled = 0;
	if (openid == NULL || *openid == '\0' || strlen(openid) > WXLINK_OPENID_MAX)
		return 0;
	if (db_open(&c, &q_by_openid, openid) < 0)
		return 0;
	if (db_next(&c)) {
		id = db_i64(&c, 0);
		*enabled = db_int(&c, 1);
	}
	db_close(&c);
	return id;
}

int
wxlink_add(struct req *r, int64_t user_id, const char *openid)
{
	struct db_cur c;
	char have[WXLINK_OPENID_MAX + 1] = "", masked[24];
	int64_t other = 0, rc;

	if (openid == NULL || *openid == '\0' || strlen(openid) > WXLINK_OPENID_MAX)
		return WXLINK_ERR;
	if (db_open(&c, &q_lock_user, user_id) < 0)
		return WXLINK_ERR;
	if (db_next(&c))
		snprintf(have, sizeof(have), "%s", db_str(&c, 0));
	db_close(&c);
	if (strcmp(have, openid) == 0)
		return WXLINK_OK;
	if (*have)
		return WXLINK_HAS;
	if (db_open(&c, &q_lock_openid, openid) < 0)
		return WXLINK_ERR;
	if (db_next(&c))
		other = db_i64(&c, 0);
	db_close(&c);
	if (other != 0)
		return WXLINK_TAKEN;
	rc = db_exec(&q_insert, user_id, openid);
	if (rc == DB_DUP)
		return WXLINK_TAKEN;
	if (rc < 0)
		return WXLINK_ERR;
	wx_mask(openid, masked, sizeof(masked));
	audit_write(r, "user", user_id, AUDIT_UPDATE, "wechat_openid", NULL, masked);
	return WXLINK_OK;
}

int
wxlink_remove(struct req *r, int64_t user_id)
{
	struct db_cur c;
	char have[WXLINK_OPENID_MAX + 1] = "", masked[24];

	if (db_open(&c, &q_lock_user, user_id) < 0)
		return WXLINK_ERR;
	if (db_next(&c))
		snprintf(have, sizeof(have), "%s", db_str(&c, 0));
	db_close(&c);
	if (*have == '\0')
		return WXLINK_NONE;
	if (db_exec(&q_delete, user_id) < 0)
		return WXLINK_ERR;
	wx_mask(have, masked, sizeof(masked));
	audit_write(r, "user", user_id, AUDIT_UPDATE, "wechat_openid", masked, NULL);
	log_info("wechat link of user %lld removed", (long long)user_id);
	return WXLINK_OK;
}
