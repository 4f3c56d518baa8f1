/*
 * role.c — the roles and what each may do (read-only: roles are defined
 * with the permissions the code checks, db/migrations/0002).
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/auth.h"
#include "core/buf.h"
#include "core/db.h"
#include "core/req.h"
#include "core/tpl.h"

#include "base/base.h"

static const struct query q_roles = {
	"SELECT ro.id, ro.code, ro.name, ro.name_en, ro.perms, ro.scope_all,"
	" (SELECT COUNT(*) FROM users u WHERE u.role_id = ro.id)"
	" FROM roles ro ORDER BY ro.sort", "", "lssssil"
};

int
role_list(struct req *r)
{
	struct db_cur c;
	int n = 0;

	if (db_open(&c, &q_roles) < 0)
		return 500;
	while (db_next(&c)) {
		uint64_t perms = perm_parse(db_str(&c, 4));
		struct buf b;

		buf_init(&b, r->arena, 256);
		for (int p = 1; p < PERM__MAX; p++)
			if (perms & (1ULL << p)) {
				char key[64];

				snprintf(key, sizeof(key), "perm.%s", perm_name(p));
				if (b.len)
					buf_puts(&b, tpl_lang(r, "list_sep"));
				buf_puts(&b, tpl_lang(r, key));
			}
		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 0)),
		    "Page.rows.%d.id", n);
		tpl_setf(r, db_str(&c, 1), "Page.rows.%d.code", n);
		tpl_setf(r, strcmp(r->lang, "en") == 0 ? db_str(&c, 3) : db_str(&c, 2),
		    "Page.rows.%d.name", n);
		tpl_setf(r, b.data, "Page.rows.%d.perms", n);
		tpl_setf(r, tpl_lang(r, db_int(&c, 5) ? "scope.all" : "scope.own"),
		    "Page.rows.%d.scope", n);
		tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(&c, 6)),
		    "Page.rows.%d.users", n);
		n++;
	}
	db_close(&c);
	tpl_set(r, "Page.menu", "base.role");
	tpl_set(r, "Page.title", tpl_lang(r, "res.role"));
	tpl_set(r, "Page.view", "base/role_list.cs");
	return 200;
}
