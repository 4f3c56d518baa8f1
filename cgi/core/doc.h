/*
 * doc.h — documents (单据), declared like the base resources.
 *
 * Purchase orders, shipments, receipts, transfers, leases, scrapping,
 * repairs, stocktakes, defects and inspection records are documents: a
 * header, its lines, a state machine whose moves post to the ledger,
 * update records and notices.  The list of a document's headers (filters,
 * sorts, pages, export) and its header form are a crud resource
 * (core/crud.h); a struct document adds the rest:
 *
 *   states      Lang.enum.<state_set>.<state>; editable: the states in
 *               which the header and its lines may still change
 *   transitions the table: action word (path and Lang.<name>act.<action>),
 *               the states it leaves, the state it enters (or NULL: it
 *               stays, as an acknowledgement does), the permission, a
 *               note (none, optional, required), the posting run in the
 *               same transaction (ledger postings, lines, notices)
 *   show        one header in the user's data scope (core/scope.h) for
 *               its page and its print view, with its lines
 *
 * Handlers (DOC_DEFINE / DOC_ROUTES): the page of one document with the
 * actions the user may take now and its history (the update records),
 * the print view, and POST <base>/:id/<action>.
 *
 * The stale-edit protocol.  Every form and action of a document's page
 * carries the header's version.  A transition locks the header (FOR
 * UPDATE) and refuses a version other than the page's — someone changed
 * it since — showing the page again with the current values and why; it
 * refuses a state it does not leave, naming the state and the action;
 * then it moves the state and bumps the version in one statement, writes
 * the update record and runs the posting.  Nothing is written by a
 * refused action: the dispatcher rolls the transaction back on any 4xx.
 * A change of a line goes through doc_editable() with the header's version
 * and bumps it too (doc_touch), so an action on a page read before the
 * change is refused as stale.
 */
#ifndef CA_DOC_H
#define CA_DOC_H

#include <stdint.h>

#include "core/auth.h"

struct req;
struct query;
struct list_col;
struct document;

/* A posting's answer besides 0 (done) and a negative enum db_err: refused,
 * with Page.error saying why in the user's words (all rolls back). */
#define DOC_REFUSED 1
/* The longest note an action takes (characters). */
#define DOC_NOTE_MAX 500

typedef int (*doc_post_fn)(struct req *r, const struct document *d, int64_t id,
    const char *note);

struct doc_transition {
	const char *action;	/* "issue": POST <base>/:id/issue */
	const char *from;	/* the states it leaves: "draft,returned" */
	const char *to;		/* the state it enters; NULL: stays */
	enum perm perm;
	char note;		/* 0 none, 'o' optional, 'r' required */
	/* NULL, or a field of Page.doc: while it is set (not "" or "0") the
	 * action is not offered and is refused ("acked_at": acknowledged once). */
	const char *unless;
	doc_post_fn post;	/* NULL, or run after the move */
	int danger;		/* cancels or scraps: a red button that asks first */
};

/* The lines of one header, shown on its page and its print view. */
struct doc_lines {
	const char *title_key;	/* Lang key of the section */
	/* Params "l" (the header's id): id (l), then one 's' per column. */
	const struct query *list;
	const struct list_col *cols;	/* kinds t, e, n, y, a (core/crud.h) */
	int ncols;
};

struct document {
	const char *name;	/* "anomaly": Lang.res.<name>, entity of the update records */
	const char *base;	/* "/asset/anomalies" */
	const char *menu;
	enum perm view_perm;
	const char *state_field;	/* column name in the update records: "status" */
	const char *state_set;	/* Lang.enum.<state_set>.<state> */
	const char *editable;	/* states whose header and lines may change, or NULL */

	/* One header for the page: params "l" (id) and then its scope
	 * fragment's (SCOPE_COMPANY or SCOPE_PARTY of core/scope.h); columns
	 * state (s), version (i), then the others, into Page.doc.<names[i]>. */
	const struct query *show;
	const char *const *names;
	int nnames;
	const char *title_field;	/* the Page.doc field naming it in the title */
	/* "SELECT state, version FROM t WHERE id = ? FOR UPDATE" (params "l"). */
	const struct query *lock;
	/* "UPDATE t SET state = ?, version = version + 1 WHERE id = ? AND
	 * version = ?" (params "sli"). */
	const struct query *move;

	const struct doc_transition *transitions;
	int ntransitions;
	const struct doc_lines *lines;	/* or NULL */

	const char *view;	/* the facts of the page: a template under views/ */
	/* NULL, or more of the page (Page.*) after the header was read;
	 * 0 or -1 (a database error). */
	int (*fill)(struct req *r, int64_t id);
};

/* GET <base>/:id, GET <base>/:id/print, POST <base>/:id/:action. */
int doc_show(struct req *r, const struct document *d);
int doc_print(struct req *r, const struct document *d);
int doc_act(struct req *r, const struct document *d);

/* Before a change of the header's fields or lines, in its transaction:
 * lock the header and check that it is at version and in an editable
 * state.  0; 404 (not there); 409 with Page.error (stale, or a state that
 * allows no change). */
int doc_editable(struct req *r, const struct document *d, int64_t id, int version);
/* After such a change: bump the header's version.  0 or a negative db_err. */
int doc_touch(struct req *r, const struct document *d, int64_t id);

/* Is state one of the comma-separated list? */
int doc_state_in(const char *list, const char *state);
/* The transition for action, or NULL. */
const struct doc_transition *doc_transition_of(const struct document *d, const char *action);

#define DOC_HANDLERS(fn)                   \
	int fn##_show(struct req *r);      \
	int fn##_print(struct req *r);     \
	int fn##_act(struct req *r);

#define DOC_DEFINE(fn, doc)                                               \
	int fn##_show(struct req *r) { return doc_show(r, &doc); }        \
	int fn##_print(struct req *r) { return doc_print(r, &doc); }      \
	int fn##_act(struct req *r) { return doc_act(r, &doc); }

/* Their routes (after the resource's own "/:id/…" routes, which match
 * first).  An action's own permission is checked by doc_act; a GET of
 * "/:id/<word>" other than print is not found (404, not 405). */
#define DOC_ROUTES(path, fn, view)                                        \
	ROUTE(M_GET, path "/:id", fn##_show, view, 0),                    \
	ROUTE(M_GET, path "/:id/:view", fn##_print, view, 0),             \
	ROUTE(M_POST, path "/:id/:action", fn##_act, view, RP_TX)

#endif
