/*
 * pile.h — what happens to a charging pile, written once for every path
 * (web forms, WeChat pages, imports, documents): its state machine, binding
 * to and unbinding from a station, and the ledger postings of each change.
 */
#ifndef CA_MODEL_PILE_H
#define CA_MODEL_PILE_H

#include <stdbool.h>
#include <stdint.h>

struct req;

enum pile_state {
	PS_IN_STOCK,
	PS_INSTALLED,
	PS_OPERATING,
	PS_REPAIR,
	PS_AT_SUPPLIER,
	PS_LEASED_OUT,
	PS_LENT,
	PS_SOLD,
	PS_SCRAPPED,
	PS_LEASE_ENDED,
	PS__MAX
};

extern const char *const pile_state_names[PS__MAX + 1];	/* NULL-terminated */

enum pile_state pile_state_parse(const char *s);
/* One step of the state machine (staying is allowed). */
bool pile_transition_ok(enum pile_state from, enum pile_state to);

/* Ledger postings (same transaction as the change; die on DB error). */
void pile_post_create(struct req *r, int64_t pile_id, enum pile_state state, const char *place);
void pile_post_state(struct req *r, int64_t pile_id, enum pile_state from, enum pile_state to);
void pile_post_change(struct req *r, int64_t pile_id, const char *what, const char *from,
    const char *to);

/* Bind a pile to a station / take it off.  Return 0, or a language key
 * explaining the refusal (nothing changed).  The caller has checked that
 * both are in the user's scope; these lock the rows they change. */
const char *pile_bind(struct req *r, int64_t pile_id, int64_t station_id);
const char *pile_unbind(struct req *r, int64_t pile_id, int64_t warehouse_id);

/* ---- changes made from the phone pages (ca-wechat), written exactly as the
 * web pile form writes them: the row (version + 1), one update record per
 * changed field (entity "pile", old/new as the form stores them) and the
 * same ledger postings (state, sw_version, hw_version, product_id).  Each
 * locks the pile; the caller has checked scope and permission.  They
 * return NULL, or a language key explaining the refusal (nothing changed). */

/* The states a pile in service may be moved between by editing it (the web
 * form's rule too): installed, operating and repair, along the machine. */
bool pile_edit_state_ok(enum pile_state from, enum pile_state to);

/* Give a pile that has no product yet its product; the warranty end follows. */
const char *pile_set_product(struct req *r, int64_t pile_id, int64_t product_id);

/* Maintenance: every member is the new value ("" to clear; validated by the
 * caller); version is the one the form was shown with ("err.stale" if the
 * pile changed since). */
struct pile_maint {
	int32_t version;
	const char *state;
	const char *charging_mode;
	const char *comm_method;
	const char *sw_version;
	const char *hw_version;
	const char *tariff;	/* decimal text, scale <= 4 */
};
const char *pile_maintain(struct req *r, int64_t pile_id, const struct pile_maint *m);

#endif
