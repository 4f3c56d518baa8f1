/*
 * base.h — handlers of the ca-base worker (F1 base information, F4.21
 * update records, sign-in).  One file per resource; routes.c lists them.
 */
#ifndef CA_BASE_H
#define CA_BASE_H

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

#endif
