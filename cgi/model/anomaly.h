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

#endif
