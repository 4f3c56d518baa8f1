/*
 * pile.h — what happens to a charging pile, written once for every path
 * (web forms, WeChat pages, imports, documents).  The model is in files by
 * what they do:
 *   pile_state.c   states, the state machine, the edit and bind rules (pure)
 *   pile_ledger.c  the ledger postings of each change
 *   pile_place.c   binding to / unbinding from a station, following the
 *                  station's company, the update records of such moves
 *   pile_code.c    piles and their generated QR codes
 *   pile_update.c  the update path of a pile's fields (pile_update.h)
 *   pile_card.c    the pile card's read model (pile_card.h)
 */
#ifndef CA_MODEL_PILE_H
#define CA_MODEL_PILE_H

#include <stdbool.h>
#include <stddef.h>
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
/* The moves an edit (the web form, the phone's maintenance) may make:
 * staying in any state, or between installed, operating and repair along
 * the machine.  Every other move is an action of its own (bind, unbind,
 * documents). */
bool pile_edit_state_ok(enum pile_state from, enum pile_state to);
/* A new pile is in stock; it reaches a station by binding. */
#define PILE_NEW_STATE PS_IN_STOCK
/* May a pile (with a product or not, at station at_station or 0, in
 * state) be bound to station to_station (0: to any station)?  NULL, or the
 * language key of why not.  What pile_bind() refuses before it looks at
 * the station, and what the phone shows before anyone tries. */
const char *pile_bind_blocked(bool has_product, int64_t at_station, enum pile_state state,
    int64_t to_station);

/* ---- ledger postings (pile_ledger.c): same transaction as the change; a
 * failed posting dooms it. */
/* One asset_events row of kind (pile_bind, pile_unbind, …); station and
 * the other values may be 0 / NULL. */
void pile_post_event(struct req *r, const char *kind, int64_t station, int64_t pile,
    const char *from, const char *to, const char *from_place, const char *to_place,
    const char *detail);
/* A posting that names codes (pile_create with its code, code_replace). */
void pile_post_code(struct req *r, const char *kind, int64_t pile, const char *to_state,
    const char *to_place, const char *detail, const char *from_code, const char *to_code);
void pile_post_create(struct req *r, int64_t pile_id, enum pile_state state, const char *place);
void pile_post_state(struct req *r, int64_t pile_id, enum pile_state from, enum pile_state to);
/* One field change (pile_change): the text "what: from -> to" and the field
 * with its two values as the pile's column holds them ("" or a reference's
 * 0: none). */
void pile_post_change(struct req *r, int64_t pile_id, const char *what, const char *from,
    const char *to);

/* The fields whose changes the ledger records besides state and place, the
 * same on every path (the web form, the phone's maintenance page). */
enum pile_ledger_field { PL_SW, PL_HW, PL_PRODUCT, PL_TARIFF, PL__MAX };
extern const char *const pile_ledger_names[PL__MAX];	/* the piles columns */
/* One pile_change per field whose value differs between before and after
 * (as the form writes them: "" for none, a product as its id or 0, a
 * tariff as any decimal text, compared and posted with 4 decimals).  A
 * NULL on either side: the change did not touch that field. */
void pile_post_changes(struct req *r, int64_t pile_id, const char *const before[PL__MAX],
    const char *const after[PL__MAX]);
/* A tariff as the column holds and the form compares it: 4 decimals (r's
 * arena); text that is not a decimal as it is, NULL as "". */
const char *pile_tariff_canon(struct req *r, const char *s);

/* ---- where a pile is (pile_place.c) ----
 * Bind a pile to a station / take it off.  Return 0, or a language key
 * explaining the refusal (nothing changed).  The caller has checked that
 * both are in the user's scope; these lock the rows they change. */
const char *pile_bind(struct req *r, int64_t pile_id, int64_t station_id);
const char *pile_unbind(struct req *r, int64_t pile_id, int64_t warehouse_id);

/* ---- piles and generated QR codes (F3, pile_code.c) ----
 * A generated code (qr_codes) is carried by at most one pile; the pile's
 * code is piles.code.  Codes typed in or imported that were never
 * generated have no qr_codes row and keep working as plain codes. */

/* The pile_create posting of a pile registered with its code (to_code), so
 * ./chargeasset verify can check the pile still carries it. */
void pile_post_create_code(struct req *r, int64_t pile_id, enum pile_state state,
    const char *place, const char *code);

/* May a new pile carry `code`?  Locks the code's qr_codes row.  NULL when
 * it may, with *code_id the generated code to bind (0: not a generated
 * code) and canon (>= 33 bytes) the code as stored; else a language key:
 * the code is void or was replaced, bound to another pile, or generated
 * for a company outside the user's scope. */
const char *pile_code_usable(struct req *r, const char *code, int64_t *code_id, char *canon,
    size_t canon_len);
/* Bind generated code code_id to the new pile (in the caller's transaction). */
void pile_link_code(struct req *r, int64_t pile_id, int64_t code_id);
/* After a pile was deleted: its generated code is free again. */
void pile_free_codes(struct req *r);

/* Register one pile per still-unused code of a batch (登记充电桩): in
 * stock, in `warehouse_id` (0: no place), with its pile_create posting,
 * update record and the code bound to it, all set-based in the caller's
 * transaction.  The caller has checked scope and that the warehouse
 * belongs to the company. */
struct pile_from_codes {
	int64_t batch_id, product_id, company_id, warehouse_id;
	int64_t from_serial;	/* first serial to use (0: from the start) */
	int64_t count;		/* how many (0: every free code from from_serial) */
	const char *form_key;	/* NULL or the form's key (unique) */
};
/* The run id (> 0) and *created; or 0 with *refused a language key
 * (nothing written: no free code, a code already used by a pile), or
 * -2 when form_key was used already (the caller looks the run up). */
int64_t pile_create_from_codes(struct req *r, const struct pile_from_codes *in, int64_t *created,
    const char **refused);

/* Replace a pile's code (二维码重生): void the old code (reason lost,
 * damaged or other), draw a new one from rule_id (0: the rule of the old
 * code), relink the pile, post code_replace with both codes, write the
 * update record.  expect_code is the code the user saw (a stale form is
 * refused).  NULL with new_code (>= 33 bytes) filled, or a language key
 * with *field the form field it concerns (NULL: the whole form). */
struct pile_code_replace {
	int64_t pile_id;
	const char *expect_code;
	int64_t rule_id;
	const char *reason;
	const char *note;	/* NULL or up to 200 characters */
	const char *form_key;	/* NULL or the form's key (unique) */
};
const char *pile_replace_code(struct req *r, const struct pile_code_replace *in, char *new_code,
    size_t new_len, const char **field);
/* ---- pile_place.c ----
 * Update records of a change made outside the generic edit form: take a
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
