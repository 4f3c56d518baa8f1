/*
 * outbox.h — delivery of the notice outbox (see outbox.c for the claim
 * protocol and what "exactly once" means per channel).
 */
#ifndef CA_NOTIFY_OUTBOX_H
#define CA_NOTIFY_OUTBOX_H

#include <signal.h>
#include <stdint.h>

/* Runs more of a statement that deadlocked with another instance's (its
 * loser was rolled back: it may run again), each after db_pause_retry(). */
#define NOTIFY_RETRIES 5

/* Feed the outbox from open notices, then deliver every row due now, in
 * claimed batches, until none is left or *stopping.  Returns the rows
 * attempted, or -1 on a database error. */
int64_t outbox_run(volatile sig_atomic_t *stopping);

#endif
