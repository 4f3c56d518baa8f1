/*
 * audit.c — update records, written in the caller's transaction.
 */
#include "core/audit.h"

#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"
#include "core/req.h"

const char *const audit_action_names[AUDIT_ACTION__MAX] = {
	[AUDIT_CREATE] = "create",
	[AUDIT_UPDATE] = "update",
	[AUDIT_DELETE] = "delete",
};

static const struct query q_audit = {
	"INSERT INTO audit_log (at, user_id, entity, entity_id, action, field,"
	" old_value, new_value, source, request_id, ip)"
	" VALUES (UTC_TIMESTAMP(6), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	"?lsls?s?s?s?sss", ""
};

void
audit_write(struct req *r, const char *entity, int64_t entity_id,
    enum audit_action action, const char *field, const char *old_value,
    const char *new_value)
{
	int64_t uid = r->user ? r->user->id : 0;

	if (db_exec(&q_audit, r->user ? &uid : NULL, entity, entity_id,
	    audit_action_names[action], field, old_value, new_value, r->audit_source, r->id,
	    r->remote_addr ? r->remote_addr : "") < 0)
		log_err("update record of %s %lld not written: the transaction is doomed", entity,
		    (long long)entity_id);
}
