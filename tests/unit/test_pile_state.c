/*
 * Unit tests of cgi/model/pile_state.c: the pile's state machine, the
 * moves an edit may make (the web form and the phone's maintenance share
 * that rule) and when a pile may be bound.  The machine and the edit rule
 * are checked whole, as matrices: any change of a rule fails here and has
 * to be made in both places on purpose.
 */
#include <string.h>

#include "model/pile.h"

#include "tap.h"

/* Row from, column to, in enum order: in_stock installed operating repair
 * at_supplier leased_out lent sold scrapped lease_ended.  Staying counts. */
static const char *const machine[PS__MAX] = {
	[PS_IN_STOCK]    = "1100111111",
	[PS_INSTALLED]   = "1111000001",
	[PS_OPERATING]   = "1011100001",
	[PS_REPAIR]      = "1011100010",
	[PS_AT_SUPPLIER] = "1000100000",
	[PS_LEASED_OUT]  = "1000010000",
	[PS_LENT]        = "1000001000",
	[PS_SOLD]        = "0000000100",
	[PS_SCRAPPED]    = "0000000010",
	[PS_LEASE_ENDED] = "0000000001",
};
/* An edit stays, or moves between installed, operating and repair along
 * the machine: installed → operating/repair, operating ⇄ repair. */
static const char *const edit[PS__MAX] = {
	[PS_IN_STOCK]    = "1000000000",
	[PS_INSTALLED]   = "0111000000",
	[PS_OPERATING]   = "0011000000",
	[PS_REPAIR]      = "0011000000",
	[PS_AT_SUPPLIER] = "0000100000",
	[PS_LEASED_OUT]  = "0000010000",
	[PS_LENT]        = "0000001000",
	[PS_SOLD]        = "0000000100",
	[PS_SCRAPPED]    = "0000000010",
	[PS_LEASE_ENDED] = "0000000001",
};

static void
matrix(const char *what, const char *const want[PS__MAX],
    bool (*rule)(enum pile_state, enum pile_state))
{
	for (int f = 0; f < PS__MAX; f++)
		for (int t = 0; t < PS__MAX; t++) {
			bool w = want[f][t] == '1';

			ok(rule((enum pile_state)f, (enum pile_state)t) == w, "%s: %s %s %s", what,
			    pile_state_names[f], w ? "→" : "↛", pile_state_names[t]);
		}
	for (int s = 0; s < PS__MAX; s++) {
		ok(!rule(PS__MAX, (enum pile_state)s), "%s: unknown → %s refused", what,
		    pile_state_names[s]);
		ok(!rule((enum pile_state)s, PS__MAX), "%s: %s → unknown refused", what,
		    pile_state_names[s]);
	}
	ok(!rule(PS__MAX, PS__MAX), "%s: unknown staying unknown refused", what);
}

int
main(void)
{
	static const char *const names[PS__MAX] = { "in_stock", "installed", "operating",
		"repair", "at_supplier", "leased_out", "lent", "sold", "scrapped", "lease_ended" };

	/* Names: the database's enum values, round trip. */
	for (int s = 0; s < PS__MAX; s++) {
		is_str(pile_state_names[s], names[s], names[s]);
		ok((int)pile_state_parse(names[s]) == s, "parse %s", names[s]);
	}
	ok(pile_state_names[PS__MAX] == NULL, "names are NULL-terminated");
	ok(pile_state_parse("bogus") == PS__MAX, "unknown state");
	ok(pile_state_parse("") == PS__MAX, "empty state");
	ok(pile_state_parse(NULL) == PS__MAX, "NULL state");
	ok(PILE_NEW_STATE == PS_IN_STOCK, "a new pile is in stock");

	matrix("machine", machine, pile_transition_ok);
	matrix("edit", edit, pile_edit_state_ok);
	/* The edit rule never allows what the machine does not. */
	for (int f = 0; f < PS__MAX; f++)
		for (int t = 0; t < PS__MAX; t++)
			if (pile_edit_state_ok((enum pile_state)f, (enum pile_state)t))
				ok(pile_transition_ok((enum pile_state)f, (enum pile_state)t),
				    "edit %s → %s is in the machine", names[f], names[t]);

	/* Binding: a product first, not at a station, in stock; in that order. */
	ok(pile_bind_blocked(true, 0, PS_IN_STOCK, 12) == NULL, "bind: in stock with a product");
	ok(pile_bind_blocked(true, 0, PS_IN_STOCK, 0) == NULL, "bind: to any station");
	is_str(pile_bind_blocked(false, 0, PS_IN_STOCK, 12), "err.pile_no_product",
	    "bind: no product");
	is_str(pile_bind_blocked(false, 12, PS_OPERATING, 12), "err.pile_no_product",
	    "bind: no product comes first");
	is_str(pile_bind_blocked(true, 12, PS_INSTALLED, 12), "err.pile_already_here",
	    "bind: already at this station");
	is_str(pile_bind_blocked(true, 12, PS_INSTALLED, 13), "err.pile_bound_elsewhere",
	    "bind: at another station");
	is_str(pile_bind_blocked(true, 12, PS_INSTALLED, 0), "err.pile_bound_elsewhere",
	    "bind: at a station, any station asked");
	for (int s = 0; s < PS__MAX; s++)
		if (s != PS_IN_STOCK)
			is_str(pile_bind_blocked(true, 0, (enum pile_state)s, 12),
			    "err.pile_not_in_stock", names[s]);
	return done();
}
