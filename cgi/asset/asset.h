/*
 * asset.h — handlers of the ca-asset worker (F4): stations and their
 * sub-assets, piles, anomalies and the map.  One file per resource; routes.c lists them.
 */
#ifndef CA_ASSET_H
#define CA_ASSET_H

#include <stdint.h>

#include "core/crud.h"

struct req;

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
/* version.c: target versions and the piles below them (F4.24) */
int version_index(struct req *r);
int version_piles(struct req *r);
int version_piles_export(struct req *r);
int version_edit(struct req *r);
int version_update(struct req *r);
/* The pile's target versions and how it stands against them (Page.pile.*). */
void version_card(struct req *r, int64_t pile_id);

#endif
