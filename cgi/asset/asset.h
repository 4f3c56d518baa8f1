/*
 * asset.h — handlers of the ca-asset worker (F4): stations and their
 * sub-assets so far.  One file per resource; routes.c lists them.
 */
#ifndef CA_ASSET_H
#define CA_ASSET_H

struct req;

#define CRUD_HANDLERS(res)                               \
	int res##_list(struct req *r);                   \
	int res##_export(struct req *r);                 \
	int res##_new(struct req *r);                    \
	int res##_create(struct req *r);                 \
	int res##_edit(struct req *r);                   \
	int res##_update(struct req *r);                 \
	int res##_delete(struct req *r);

CRUD_HANDLERS(station)
CRUD_HANDLERS(subasset)
CRUD_HANDLERS(pile)

/* pile.c: the pile card and its binding */
int pile_show(struct req *r);
int pile_bind_station(struct req *r);
int pile_unbind_station(struct req *r);
/* anomaly.c */
int anomaly_list(struct req *r);
int anomaly_export(struct req *r);
/* map.c: the station map and its JSON */
int map_show(struct req *r);
int map_data(struct req *r);

#define CRUD_DEFINE(res, desc)                                                  \
	int res##_list(struct req *r) { return crud_list(r, &desc); }           \
	int res##_export(struct req *r) { return crud_export(r, &desc); }       \
	int res##_new(struct req *r) { return crud_new(r, &desc); }             \
	int res##_create(struct req *r) { return crud_create(r, &desc); }       \
	int res##_edit(struct req *r) { return crud_edit(r, &desc); }           \
	int res##_update(struct req *r) { return crud_update(r, &desc); }       \
	int res##_delete(struct req *r) { return crud_delete(r, &desc); }

#endif
