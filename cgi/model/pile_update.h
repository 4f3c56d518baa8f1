/*
 * pile_update.h — the one update path of an existing pile's fields
 * (model/pile_update.c), whoever edits it: the web pile form, the phone's
 * maintenance page, the phone's product binding.
 *
 * A change is: read the pile under lock (pile_now_read), refuse it by the
 * edit-state rule (pile_change_refused: pure, so tests/unit/test_pile_
 * update.c checks it), write the row with the version check and one update
 * record per changed field, then what follows from it (pile_changed: the
 * warranty end, the state posting, the commissioning date, the ledger's
 * field postings).  pile_apply_change() is all of it, for the phone.  The web
 * form's row and update records are written by core/crud.c, the engine of
 * every form; its check hook calls pile_now_read() and
 * pile_change_refused(), its after_save hook pile_changed(), so the web
 * form takes the same steps with the same rule.
 *
 * Moves (bind, unbind, documents) are not changes of fields: pile.h.
 */
#ifndef CA_MODEL_PILE_UPDATE_H
#define CA_MODEL_PILE_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/pile.h"

struct req;

/* How a pile is being edited; each may set its own fields (pile_edit_sets). */
enum pile_edit {
	PE_FORM,	/* the web pile form: every field below */
	PE_MAINTAIN,	/* the phone's maintenance: state, mode, communication, versions, tariff */
	PE_PRODUCT,	/* the phone's product binding: a pile without a product gets one */
	PE__MAX
};

/* The fields of a change (the piles columns of pile_field_names). */
enum pile_field {
	PF_STATE, PF_CHARGING_MODE, PF_COMM_METHOD, PF_SW, PF_HW, PF_TARIFF, PF_PRODUCT,
	PF_COMPANY, PF_COMMISSIONED, PF__MAX
};
extern const char *const pile_field_names[PF__MAX];

/* May edit e set field f? */
bool pile_edit_sets(enum pile_edit e, enum pile_field f);

/* A pile as a change finds it.  v[] is each field as text the way the
 * form writes it: "" for none, a state by name, a tariff with 4 decimals,
 * a product or company as its id ("" for no product).  Strings live in
 * r's arena. */
struct pile_now {
	int32_t version;
	enum pile_state state;
	bool placed;		/* at a station or in a warehouse */
	int64_t product_id;	/* 0: none */
	int64_t company_id;
	const char *v[PF__MAX];
};

/* One change: v[f] the new value ("" to clear), NULL for a field the
 * change leaves alone; values validated by the caller (form_read). */
struct pile_change {
	enum pile_edit edit;
	int32_t version;	/* the version the form was shown with; 0: the
				 * current one (a one-field action on the locked row) */
	const char *v[PF__MAX];
};

/* Read pile id into *now, locked FOR UPDATE when lock (inside the
 * caller's transaction).  False when there is no such pile, or when the
 * read failed (then logged, and the transaction or request fails). */
bool pile_now_read(struct req *r, int64_t id, bool lock, struct pile_now *now);

/*
 * The edit-state rule: NULL when change c may be made to a pile that is
 * now, else the language key of why not, with *field the form field it
 * concerns.  In order:
 *   - a pile at a station or in a warehouse keeps that place's company
 *     ("err.pile_company_place": move the pile, not the label);
 *   - the state moves only as pile_edit_state_ok() allows
 *     ("err.pile_state_edit");
 *   - the product binding gives a product only to a pile without one
 *     ("err.pile_product_same", "err.pile_has_product").
 * Fields the edit may not set are the caller's mistake, not a refusal
 * (pile_apply_change() fails on them).  No database; pure.
 */
const char *pile_change_refused(const struct pile_now *now, const struct pile_change *c,
    const char **field);

/* What follows a change that has been written (same transaction): the
 * warranty end again when the product or the commissioning date may have
 * changed, the state posting, the commissioning date of a pile that has
 * just become operating without one (its update record, posting and
 * warranty), and the ledger postings of the fields of pile_ledger_names.
 * now is the pile before the change.  A database error dooms the
 * transaction. */
void pile_changed(struct req *r, int64_t id, const struct pile_now *now,
    const struct pile_change *c);

/*
 * The whole change of the phone's edits (PE_MAINTAIN, PE_PRODUCT; the web
 * form's row is core/crud.c's): lock, version check ("err.stale"),
 * pile_change_refused(), the row (the edit's columns, version + 1), one
 * update record per changed field (entity "pile", old and new as the form
 * stores them) and pile_changed().  NULL, or a language key with *field
 * the form field it concerns (NULL: the whole form); nothing is written
 * then.  MODEL_FAILED on a database error, or for a change its edit may
 * not make (a caller's mistake, logged).
 */
const char *pile_apply_change(struct req *r, int64_t id, const struct pile_change *c,
    const char **field);

/* The warranty end of pile id again: its commissioning day (or, before
 * that, the day it was registered) plus its product's warranty months;
 * none without a product.  Every path that sets either calls it. */
void pile_warranty(struct req *r, int64_t id);

#endif
