/*
 * audit.h — update records (更新记录): who changed which field of which
 * record, when, from what to what.  Written in the caller's transaction,
 * so a change and its record commit or roll back together.
 */
#ifndef CA_AUDIT_H
#define CA_AUDIT_H

#include <stdint.h>

struct req;

enum audit_action { AUDIT_CREATE, AUDIT_UPDATE, AUDIT_DELETE, AUDIT_ACTION__MAX };

/* One record; field/old/new may be NULL.  r->audit_source, when set, says
 * where the change came from (an import).  A database error dooms the
 * transaction (core/db.c): the change it records is rolled back with it. */
void audit_write(struct req *r, const char *entity, int64_t entity_id,
    enum audit_action action, const char *field, const char *old_value,
    const char *new_value);

extern const char *const audit_action_names[AUDIT_ACTION__MAX];

#endif
