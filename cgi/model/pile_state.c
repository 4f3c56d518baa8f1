/*
 * pile_state.c — the pile's states and the rules over them, as tables and
 * pure functions (no database, so tests/unit/test_pile_state.c checks them
 * whole): the state machine, which moves an edit may make, and when a pile
 * may be bound to a station.
 *
 *   in_stock ──bind──▶ installed ──▶ operating ⇄ repair
 *      ▲                  │ unbind       │ unbind    │
 *      └──────────────────┴──────────────┘           ▼
 *   in_stock ◀── at_supplier ◀── operating/repair/in_stock
 *   in_stock ⇄ leased_out, lent;  in_stock/repair → scrapped; in_stock → sold
 *   in_stock/installed/operating → lease_ended (a leased-in pile given back)
 * sold, scrapped and lease_ended are final.
 *
 * Editing a pile (the web form, the phone's maintenance page) moves it only
 * between the states of a pile in service, along the machine; every other
 * move is an action of its own (bind, unbind, documents), which knows what
 * else changes with it (place, company, ledger).
 */
#include "model/pile.h"

#include <string.h>

const char *const pile_state_names[PS__MAX + 1] = {
	[PS_IN_STOCK] = "in_stock",
	[PS_INSTALLED] = "installed",
	[PS_OPERATING] = "operating",
	[PS_REPAIR] = "repair",
	[PS_AT_SUPPLIER] = "at_supplier",
	[PS_LEASED_OUT] = "leased_out",
	[PS_LENT] = "lent",
	[PS_SOLD] = "sold",
	[PS_SCRAPPED] = "scrapped",
	[PS_LEASE_ENDED] = "lease_ended",
	[PS__MAX] = NULL,
};

#define B(s) (1u << (s))
static const unsigned allowed[PS__MAX] = {
	[PS_IN_STOCK] = B(PS_INSTALLED) | B(PS_AT_SUPPLIER) | B(PS_LEASED_OUT) | B(PS_LENT) |
	    B(PS_SOLD) | B(PS_SCRAPPED) | B(PS_LEASE_ENDED),
	[PS_INSTALLED] = B(PS_OPERATING) | B(PS_IN_STOCK) | B(PS_REPAIR) | B(PS_LEASE_ENDED),
	[PS_OPERATING] = B(PS_REPAIR) | B(PS_IN_STOCK) | B(PS_AT_SUPPLIER) | B(PS_LEASE_ENDED),
	[PS_REPAIR] = B(PS_OPERATING) | B(PS_AT_SUPPLIER) | B(PS_SCRAPPED) | B(PS_IN_STOCK),
	[PS_AT_SUPPLIER] = B(PS_IN_STOCK),
	[PS_LEASED_OUT] = B(PS_IN_STOCK),
	[PS_LENT] = B(PS_IN_STOCK),
	[PS_SOLD] = 0,
	[PS_SCRAPPED] = 0,
	[PS_LEASE_ENDED] = 0,
};

/* The states of a pile in service: the only ones an edit moves between. */
static const unsigned in_service = B(PS_INSTALLED) | B(PS_OPERATING) | B(PS_REPAIR);

enum pile_state
pile_state_parse(const char *s)
{
	for (int i = 0; s && i < PS__MAX; i++)
		if (strcmp(pile_state_names[i], s) == 0)
			return (enum pile_state)i;
	return PS__MAX;
}

bool
pile_transition_ok(enum pile_state from, enum pile_state to)
{
	if (from >= PS__MAX || to >= PS__MAX)
		return false;
	return from == to || (allowed[from] & B(to)) != 0;
}

bool
pile_edit_state_ok(enum pile_state from, enum pile_state to)
{
	if (from >= PS__MAX || to >= PS__MAX)
		return false;
	if (from == to)
		return true;
	return (in_service & B(from)) && (in_service & B(to)) && pile_transition_ok(from, to);
}

const char *
pile_bind_blocked(bool has_product, int64_t at_station, enum pile_state state, int64_t to_station)
{
	if (!has_product)
		return "err.pile_no_product";
	if (at_station != 0 && at_station == to_station)
		return "err.pile_already_here";
	if (at_station != 0)
		return "err.pile_bound_elsewhere";
	if (state != PS_IN_STOCK)
		return "err.pile_not_in_stock";
	return NULL;
}
