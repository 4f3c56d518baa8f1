/*
 * Unit tests of cgi/core/doc.c without a database: the state lists of a
 * transition table (doc_state_in), finding an action (doc_transition_of),
 * and which actions a page offers a user in a state (offer_actions: the
 * states an action leaves, its permission, its "unless" field, the note
 * it asks for).  The moves themselves, their locks, versions and postings
 * are the HTTP layer's (tests/http/asset_anomaly_handling.test.mjs).
 *
 * offer_actions is static, so this file includes doc.c itself.
 */
#include "core/doc.c"

#include "tap.h"

static struct arena arena;
static struct req req;
static struct user user;

static struct req *
request(uint64_t perms)
{
	if (req.hdf)
		hdf_destroy(&req.hdf);
	arena_reset(&arena);
	memset(&req, 0, sizeof(req));
	req.arena = &arena;
	if (hdf_init(&req.hdf) != STATUS_OK)
		die("hdf_init");
	memset(&user, 0, sizeof(user));
	user.perms = perms;
	user.company_id = 3;
	req.user = &user;
	return &req;
}

#define BIT(p) ((uint64_t)1 << (p))

/* A purchase-order-like table. */
static const struct doc_transition po_moves[] = {
	{ .action = "issue", .from = "draft", .to = "issued", .perm = PERM_PURCHASE },
	{ .action = "close", .from = "issued,partly_shipped,shipped", .to = "closed", .perm = PERM_PURCHASE,
	  .note = 'o' },
	{ .action = "cancel", .from = "draft,issued", .to = "cancelled", .perm = PERM_PURCHASE, .note = 'r',
	  .danger = 1 },
	{ .action = "ack", .from = "issued", .perm = PERM_SUPPLIER, .unless = "acked_at" },
};
static const struct document po = {
	.name = "po", .base = "/supplier/pos", .state_field = "state", .state_set = "po_state",
	.editable = "draft", .transitions = po_moves, .ntransitions = 4,
};

/* The offered actions as "a,b,c". */
static const char *
offered(struct req *r, const char *state)
{
	struct buf b;

	hdf_remove_tree(r->hdf, "Page");
	tpl_set(r, "Page.doc.state", state);
	offer_actions(r, &po);
	buf_init(&b, r->arena, 64);
	for (int i = 0; tpl_get(r, arena_printf(r->arena, "Page.actions.%d.action", i)); i++)
		buf_printf(&b, "%s%s", i ? "," : "", tpl_get(r, arena_printf(r->arena, "Page.actions.%d.action", i)));
	return b.data;
}

static void
test_states(void)
{
	ok(doc_state_in("draft,issued", "draft") && doc_state_in("draft,issued", "issued"),
	    "a state in the list is found, first or last");
	ok(!doc_state_in("draft,issued", "issue") && !doc_state_in("draft,issued", "draft,"),
	    "a prefix of an item is not the item");
	ok(!doc_state_in("partly_shipped", "shipped") && doc_state_in("partly_shipped,shipped", "shipped"),
	    "a suffix is not the item either");
	ok(!doc_state_in(NULL, "draft") && !doc_state_in("draft", "") && !doc_state_in("", "draft"),
	    "no list, no state: not in");
	ok(doc_transition_of(&po, "cancel") == &po_moves[2] && doc_transition_of(&po, "cancelled") == NULL &&
	    doc_transition_of(&po, NULL) == NULL, "actions are found by their exact word");
}

static void
test_offer(void)
{
	struct req *r = request(BIT(PERM_PURCHASE));

	is_str(offered(r, "draft"), "issue,cancel", "a draft: issue or cancel");
	ok(tpl_get(r, "Page.doc_editable") != NULL, "a draft may still change");
	ok(tpl_get(r, "Page.actions_note") != NULL, "cancel asks for a note: the page shows the box");
	is_str(tpl_get(r, "Page.actions.1.note"), "r", "a required note is marked");
	is_str(tpl_get(r, "Page.actions.1.danger"), "1", "cancelling asks first");
	is_str(offered(r, "issued"), "close,cancel", "issued: close or cancel, not issue again");
	ok(tpl_get(r, "Page.doc_editable") == NULL, "an issued order no longer changes");
	is_str(offered(r, "closed"), "", "closed: nothing");
	ok(tpl_get(r, "Page.actions_note") == NULL, "no action, no note box");

	r = request(BIT(PERM_SUPPLIER));
	is_str(offered(r, "draft"), "", "a supplier has none of the buyer's actions");
	is_str(offered(r, "issued"), "ack", "a supplier acknowledges an issued order");
	tpl_set(r, "Page.doc.acked_at", "2026-12-01 10:00");
	hdf_remove_tree(r->hdf, "Page.actions");
	offer_actions(r, &po);
	ok(tpl_get(r, "Page.actions.0.action") == NULL, "not once it is acknowledged (its unless field set)");
	hdf_remove_tree(r->hdf, "Page");
	tpl_set(r, "Page.doc.state", "issued");
	tpl_set(r, "Page.doc.acked_at", "0");
	offer_actions(r, &po);
	is_str(tpl_get(r, "Page.actions.0.action"), "ack", "an unless field of \"0\" is not set");

	r = request(0);
	is_str(offered(r, "draft"), "", "a reader gets no action at all");
}

int
main(void)
{
	arena_init(&arena, 64 << 10);
	test_states();
	test_offer();
	hdf_destroy(&req.hdf);
	arena_free(&arena);
	return done();
}
