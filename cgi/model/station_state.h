/*
 * station_state.h — the life of a station: 立项 approved → 施工 building →
 * 运营 operating ⇄ 停运 suspended → 撤站 closed.  Shared by every worker that
 * changes a station (web forms, import, WeChat pages), with the ledger
 * posting that records each change.
 */
#ifndef CA_MODEL_STATION_STATE_H
#define CA_MODEL_STATION_STATE_H

#include <stdbool.h>
#include <stdint.h>

struct req;

enum station_state {
	ST_APPROVED,
	ST_BUILDING,
	ST_OPERATING,
	ST_SUSPENDED,
	ST_CLOSED,
	ST__MAX
};

extern const char *const station_state_names[ST__MAX + 1];	/* NULL-terminated */

/* The state named s, or ST__MAX when unknown. */
enum station_state station_state_parse(const char *s);
/* May a station go from one state to the other?  Staying is allowed. */
bool station_transition_ok(enum station_state from, enum station_state to);

/* Record a station's create / state change / delete in the ledger and, for
 * a state it enters, the date it entered it (China time).  Call inside the
 * transaction that changed the station; dies on database error. */
void station_post_create(struct req *r, int64_t station_id, enum station_state to);
void station_post_state(struct req *r, int64_t station_id, enum station_state from,
    enum station_state to);
void station_post_delete(struct req *r, int64_t station_id, enum station_state from);

#endif
