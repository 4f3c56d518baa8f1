/*
 * base.h — handlers of the ca-base worker (F1 base information, F4.21
 * update records, sign-in).  One file per resource; routes.c lists them.
 */
#ifndef CA_BASE_H
#define CA_BASE_H

#include <stdint.h>

#include "core/crud.h"

struct req;

/* session.c */
int login_form(struct req *r);
int login_submit(struct req *r);
int logout(struct req *r);
int home(struct req *r);
int password_form(struct req *r);
int password_submit(struct req *r);
int lang_switch(struct req *r);

CRUD_HANDLERS(company)
CRUD_HANDLERS(city)
CRUD_HANDLERS(product)
CRUD_HANDLERS(cable)
CRUD_HANDLERS(warehouse)
CRUD_HANDLERS(user)
CRUD_HANDLERS(dict)

/* user.c */
int user_reset_form(struct req *r);
int user_reset_password(struct req *r);
/* WeChat link (model/wxlink.c): Page.wxlink.{masked,at} of a user, for the
 * password page and the user edit page; unlinking one's own
 * (POST /base/wxlink/unlink) and, for user admins, anyone's
 * (POST /base/users/:id/wxlink/unlink). */
void user_wxlink_page(struct req *r, int64_t user_id);
int wxlink_unlink_own(struct req *r);
int user_wxlink_unlink(struct req *r);
/* role.c */
int role_list(struct req *r);
/* notice.c */
void notices_fill(struct req *r);
int notice_ack(struct req *r);
int notice_list(struct req *r);
int notice_read(struct req *r);
/* wechat.c */
int wechat_form(struct req *r);
int wechat_save(struct req *r);
int wechat_test_send(struct req *r);
int wechat_outbox(struct req *r);
int wechat_outbox_retry(struct req *r);
/* record.c */
int record_list(struct req *r);
int record_export(struct req *r);
/* The name of the record an update record is about, as SQL over the
 * entity and id expressions: a pile's code, a station's or warehouse's
 * code and name, a product's maker and model, a user's name and account …;
 * NULL when the record is gone or its kind has no name. */
#define RECORD_NAME_SQL(e, id)                                                            \
	"CASE " e                                                                          \
	" WHEN 'pile' THEN (SELECT code FROM piles WHERE id = " id ")"                     \
	" WHEN 'station' THEN (SELECT CONCAT(code, ' ', name) FROM stations WHERE id = " id ")" \
	" WHEN 'subasset' THEN (SELECT name FROM sub_assets WHERE id = " id ")"            \
	" WHEN 'company' THEN (SELECT name FROM companies WHERE id = " id ")"              \
	" WHEN 'city' THEN (SELECT name FROM cities WHERE id = " id ")"                    \
	" WHEN 'warehouse' THEN (SELECT CONCAT(code, ' ', name) FROM warehouses WHERE id = " id ")" \
	" WHEN 'cable' THEN (SELECT model FROM cable_products WHERE id = " id ")"          \
	" WHEN 'dict' THEN (SELECT name FROM dict_items WHERE id = " id ")"                \
	" WHEN 'user' THEN (SELECT CONCAT(name, ' (', username, ')') FROM users WHERE id = " id ")" \
	" WHEN 'code_rule' THEN (SELECT name FROM code_rules WHERE id = " id ")"           \
	" WHEN 'qr_batch' THEN (SELECT CONCAT('#', id) FROM qr_batches WHERE id = " id ")" \
	" WHEN 'product' THEN (SELECT CONCAT(m.name, ' ', p.model) FROM products p"        \
	"  JOIN companies m ON m.id = p.manufacturer_id WHERE p.id = " id ")"              \
	" WHEN 'product_version' THEN (SELECT CONCAT(m.name, ' ', p.model) FROM products p" \
	"  JOIN companies m ON m.id = p.manufacturer_id WHERE p.id = " id ")"              \
	" ELSE NULL END"
/* The page of record <entity> <id> for this user (arena string), or NULL:
 * the kind has no page of its own, or the user may not open it. */
const char *record_href(struct req *r, const char *entity, int64_t id);
/* What names a record: name (the RECORD_NAME_SQL column, "" for NULL),
 * else "#id" (a record gone since), else "" (no id). */
const char *record_name(struct req *r, const char *name, int64_t id);

#endif
