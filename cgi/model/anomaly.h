/*
 * anomaly.h — anomalies recorded automatically (异常资产, F4.20).
 */
#ifndef CA_MODEL_ANOMALY_H
#define CA_MODEL_ANOMALY_H

#include <stdint.h>

struct req;

/* Quantity: compare a station's bound piles with the count it should have
 * (应有桩数) while it is operating or suspended.  Opens one anomaly when they differ, keeps its figures current
 * while they still differ, closes it when they agree.  Call in the
 * transaction that changed the binding or the expected count. */
void anomaly_check_quantity(struct req *r, int64_t station_id);

/* A person's part, in the request's transaction, with update records:
 * acknowledge an open anomaly (note optional, NULL keeps the one there) or
 * handle it — closed, with the note of what was done (required).  0;
 * ANOMALY_STALE when it is not open at that version any more (closed, or
 * acknowledged or changed since the page was read: nothing written); -1 on
 * a database error.  The caller checks the user's scope. */
#define ANOMALY_STALE 1
int anomaly_ack(struct req *r, int64_t id, int version, const char *note);
int anomaly_handle(struct req *r, int64_t id, int version, const char *note);

#endif
