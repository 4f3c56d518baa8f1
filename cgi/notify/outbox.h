/*
 * outbox.h — delivery of the notice outbox (see outbox.c for the claim
 * protocol and what "exactly once" means per channel).
 */
#ifndef CA_NOTIFY_OUTBOX_H
#define CA_NOTIFY_OUTBOX_H

#include <signal.h>
#include <stdint.h>

/* Feed the outbox from open notices, then deliver every row due now, in
 * claimed batches, until none is left or *stopping.  Returns the rows
 * attempted, or -1 on a database error. */
int64_t outbox_run(volatile sig_atomic_t *stopping);

#endif
