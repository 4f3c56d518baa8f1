/*
 * base.h — handlers of the ca-base worker (F1 base information, F4.21
 * update records, sign-in).  One file per resource; routes.c lists them.
 */
#ifndef CA_BASE_H
#define CA_BASE_H

struct req;

/* session.c */
int login_form(struct req *r);
int login_submit(struct req *r);
int logout(struct req *r);
int home(struct req *r);
int password_form(struct req *r);
int password_submit(struct req *r);
int lang_switch(struct req *r);

#define CRUD_HANDLERS(res)                               \
	int res##_list(struct req *r);                   \
	int res##_export(struct req *r);                 \
	int res##_new(struct req *r);                    \
	int res##_create(struct req *r);                 \
	int res##_edit(struct req *r);                   \
	int res##_update(struct req *r);                 \
	int res##_delete(struct req *r);

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
/* role.c */
int role_list(struct req *r);
/* notice.c */
void notices_fill(struct req *r);
int notice_ack(struct req *r);
/* record.c */
int record_list(struct req *r);
int record_export(struct req *r);

/* Define the seven CRUD handlers of a resource descriptor. */
#define CRUD_DEFINE(res, desc)                                                  \
	int res##_list(struct req *r) { return crud_list(r, &desc); }           \
	int res##_export(struct req *r) { return crud_export(r, &desc); }       \
	int res##_new(struct req *r) { return crud_new(r, &desc); }             \
	int res##_create(struct req *r) { return crud_create(r, &desc); }       \
	int res##_edit(struct req *r) { return crud_edit(r, &desc); }           \
	int res##_update(struct req *r) { return crud_update(r, &desc); }       \
	int res##_delete(struct req *r) { return crud_delete(r, &desc); }

#endif
