/* Unit tests of the station and pile state machines (cgi/model). */
#include "model/pile.h"
#include "model/station_state.h"

#include "tap.h"

int
main(void)
{
	/* Stations: approved → building → operating ⇄ suspended → closed. */
	ok(station_state_parse("operating") == ST_OPERATING, "parse a station state");
	ok(station_state_parse("bogus") == ST__MAX, "unknown station state");
	ok(station_state_parse(NULL) == ST__MAX, "NULL station state");
	ok(station_transition_ok(ST_APPROVED, ST_BUILDING), "approved → building");
	ok(station_transition_ok(ST_BUILDING, ST_OPERATING), "building → operating");
	ok(station_transition_ok(ST_OPERATING, ST_SUSPENDED), "operating → suspended");
	ok(station_transition_ok(ST_SUSPENDED, ST_OPERATING), "suspended → operating");
	ok(station_transition_ok(ST_SUSPENDED, ST_CLOSED), "suspended → closed");
	ok(station_transition_ok(ST_OPERATING, ST_OPERATING), "staying is allowed");
	ok(!station_transition_ok(ST_APPROVED, ST_OPERATING), "approved ↛ operating (skips building)");
	ok(!station_transition_ok(ST_OPERATING, ST_CLOSED), "operating ↛ closed (suspend first)");
	ok(!station_transition_ok(ST_CLOSED, ST_OPERATING), "closed is final");
	ok(!station_transition_ok(ST_BUILDING, ST_APPROVED), "no way back to approved");
	ok(!station_transition_ok(ST__MAX, ST_APPROVED), "unknown from-state refused");

	/* Piles. */
	for (int s = 0; s < PS__MAX; s++)
		ok((int)pile_state_parse(pile_state_names[s]) == s, "round trip %s", pile_state_names[s]);
	ok(pile_state_names[PS__MAX] == NULL, "names are NULL-terminated");
	ok(pile_transition_ok(PS_IN_STOCK, PS_INSTALLED), "in stock → installed (bind)");
	ok(pile_transition_ok(PS_INSTALLED, PS_OPERATING), "installed → operating");
	ok(pile_transition_ok(PS_OPERATING, PS_REPAIR), "operating → repair");
	ok(pile_transition_ok(PS_REPAIR, PS_OPERATING), "repair → operating");
	ok(pile_transition_ok(PS_OPERATING, PS_IN_STOCK), "operating → in stock (unbind)");
	ok(pile_transition_ok(PS_AT_SUPPLIER, PS_IN_STOCK), "back from the supplier");
	ok(pile_transition_ok(PS_IN_STOCK, PS_SCRAPPED), "in stock → scrapped");
	ok(!pile_transition_ok(PS_SCRAPPED, PS_IN_STOCK), "scrapped is final");
	ok(!pile_transition_ok(PS_SOLD, PS_IN_STOCK), "sold is final");
	ok(!pile_transition_ok(PS_LEASE_ENDED, PS_OPERATING), "lease ended is final");
	ok(!pile_transition_ok(PS_IN_STOCK, PS_OPERATING), "in stock ↛ operating (bind first)");
	ok(!pile_transition_ok(PS_LENT, PS_OPERATING), "lent ↛ operating");
	ok(!pile_transition_ok(PS_AT_SUPPLIER, PS_OPERATING), "at supplier ↛ operating");
	ok(!pile_transition_ok(PS__MAX, PS_IN_STOCK), "unknown from-state refused");
	/* Edits (web form and phone maintenance): only within installed/operating/repair. */
	ok(pile_edit_state_ok(PS_INSTALLED, PS_OPERATING), "edit: installed → operating");
	ok(pile_edit_state_ok(PS_OPERATING, PS_REPAIR), "edit: operating → repair");
	ok(pile_edit_state_ok(PS_IN_STOCK, PS_IN_STOCK), "edit: staying in stock");
	ok(!pile_edit_state_ok(PS_OPERATING, PS_IN_STOCK), "edit: no unbinding by editing");
	ok(!pile_edit_state_ok(PS_IN_STOCK, PS_INSTALLED), "edit: no binding by editing");
	ok(!pile_edit_state_ok(PS_REPAIR, PS_SCRAPPED), "edit: scrapping is a document");
	ok(!pile_edit_state_ok(PS_REPAIR, PS_INSTALLED), "edit: repair ↛ installed (not in the machine)");
	ok(!pile_edit_state_ok(PS__MAX, PS__MAX), "edit: unknown state refused");
	return done();
}
