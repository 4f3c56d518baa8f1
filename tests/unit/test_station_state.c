/* Unit tests of the station state machine (cgi/model/station_state.c); the
 * pile's are test_pile_state.c. */
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
	return done();
}
