/*
 * asset.h — handlers of the ca-asset worker (F4): stations and their
 * sub-assets, piles, anomalies and the map.  One file per resource; routes.c lists them.
 */
#ifndef CA_ASSET_H
#define CA_ASSET_H

#include <stdint.h>

#include "core/crud.h"
#include "core/doc.h"

struct req;

CRUD_HANDLERS(station)
CRUD_HANDLERS(subasset)
CRUD_HANDLERS(pile)	/* new, create, edit, update: pile_form.c; the rest pile.c */

/* The descriptors of the forms, which the bulk import validates rows with. */
const struct resource *station_resource(void);
const struct resource *pile_resource(void);
const struct resource *subasset_resource(void);
/* pile.c: the pile lists' name sorts as integer ranks and the models one
 * manufacturer leaves the model sort (resource.ranks, .ranges; the
 * version list's piles share them). */
#define PILE_NRANKS 3
#define PILE_NRANGES 1
#define VERSION_NRANGES 2
extern const struct sort_rank pile_ranks[PILE_NRANKS];
extern const struct sort_range pile_ranges[PILE_NRANGES];
extern const struct query pile_maker_models;	/* the models of a manufacturer (id) */
/* import.c: bulk import of stations, piles and sub-assets (CSV, XLSX) */
int import_page(struct req *r);
int import_template(struct req *r);
int import_upload(struct req *r);
int import_show(struct req *r);
int import_commit(struct req *r);
int import_progress(struct req *r);
int import_history(struct req *r);
int import_history_export(struct req *r);
/* pile_form.c: from (a URL or path of this site) as the pile list it
 * shows, "/asset/piles?…" rebuilt from checked characters without its
 * flash (arena); NULL when it is not the pile list. */
const char *pile_list_back(struct req *r, const char *from);
/* pile_batch.c: the rows ticked on the pile list (issue 10 §2) */
int pile_batch_labels(struct req *r);
int pile_batch_export(struct req *r);
int pile_batch_state(struct req *r);
int pile_batch_show(struct req *r);
/* station_pick.c: choosing a station by its code or name (issue 10 §2) */
int station_pick(struct req *r);	/* GET /asset/stations/pick: JSON */
/* The station of the user's scope whose code is text (or text's first
 * word: "code name" as a picker shows it), any state; 0 when none. */
int64_t station_by_code(struct req *r, const char *text);
/* "code name" of a station of the user's scope (arena), *code its code
 * when code is given; NULL when none. */
const char *station_label(struct req *r, int64_t id, const char **code);
/* The station a form names: the picker's hidden id_name when given, else
 * the code typed into text_name (body only).  0 with *id set; -1 neither
 * given; -2 the id is malformed or no station of the user's scope; -3 the
 * code is no station of the user's scope ("err.station_unknown"). */
int station_from_form(struct req *r, const char *id_name, const char *text_name, int64_t *id);
/* Set parameter name of a parameter list (r->form, r->query) to value,
 * adding it in front when absent: how a handler hands the engine a value
 * it resolved (arena). */
struct param;
void param_put(struct req *r, struct param **list, const char *name, const char *value);
/* search.c: the top bar's search */
int asset_search(struct req *r);
/* station_show.c: the station page */
int station_show(struct req *r);
/* A money amount as pages show it (1,234,567.00; text_money), v itself
 * when it is no number (arena). */
const char *asset_money(struct req *r, const char *v);
/* pile.c: the pile card and its binding */
int pile_show(struct req *r);
int pile_lookup(struct req *r);
int pile_bind_station(struct req *r);
int pile_unbind_station(struct req *r);
/* anomaly.c */
int anomaly_list(struct req *r);
int anomaly_export(struct req *r);
DOC_HANDLERS(anomaly)
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
