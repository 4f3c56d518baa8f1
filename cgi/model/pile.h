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

/* Update records of a change made outside the generic edit form: take a
 * snapshot of the pile's important fields (code, state, place, company,
 * product, ownership, operator, versions) before, then write one record
 * per field that differs (user, time, old and new value).  Values live in
 * r's arena.  Die on database error. */
#define PILE_SNAP_FIELDS 11
struct pile_snapshot {
	bool found;
	const char *v[PILE_SNAP_FIELDS];
};
void pile_snapshot(struct req *r, int64_t pile_id, struct pile_snapshot *s);
void pile_audit_changes(struct req *r, int64_t pile_id, const struct pile_snapshot *before);

/* A station's piles answer to the station's company: after the station
 * moved to company_id, move them too (ledger and update records).
 * Returns how many piles moved. */
int pile_follow_station(struct req *r, int64_t station_id, int64_t company_id);

#endif
