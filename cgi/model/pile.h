/*
 * pile.h — what happens to a charging pile, written once for every path
 * (web forms, WeChat pages, imports, documents): its state machine, binding
 * to and unbinding from a station, and the ledger postings of each change.
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

/* Ledger postings (same transaction as the change; die on DB error). */
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

/* A pile that has just become operating (from != operating, to ==
 * operating) without a commissioning date (投运日期) was commissioned today,
 * the site's date: set commissioned_on, write its update record (old "")
 * and a pile_change posting, and recompute the warranty end, which runs
 * from that date.  Called by every path that changes a pile's state (the
 * web edit form, the phone's maintenance) after the state was written, in
 * the same transaction.  A date the user gave is kept.  Returns true when
 * it set the date; on a database error the transaction is doomed. */
bool pile_commission(struct req *r, int64_t pile_id, enum pile_state from, enum pile_state to);

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

/* ---- piles and generated QR codes (F3) ----
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
