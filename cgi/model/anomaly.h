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

/* A person's part, the postings of the anomaly page's actions (cgi/asset/
 * anomaly.c, a document of core/doc.h, which has locked the anomaly, checked
 * its state and version, moved its status and written that update record):
 * acknowledge it (note optional, NULL keeps the one there), or record who
 * handled it with the note of what was done.  0 or DB_ERROR. */
int anomaly_ack(struct req *r, int64_t id, const char *note);
int anomaly_handle(struct req *r, int64_t id, const char *note);

#endif
