/*
 * model.h — what every model function does when the database fails under
 * it.  It never dies (a user's request reached it): it calls db_tx_fail(),
 * which dooms the transaction, and returns.  Functions that answer with a
 * refusal key return MODEL_FAILED; the dispatcher (core/app.c) then rolls
 * back and runs the handler again after a deadlock or lock-wait timeout
 * (DB_RETRY), or answers 500, whatever the handler made of the key.
 */
#ifndef CA_MODEL_MODEL_H
#define CA_MODEL_MODEL_H

#include "core/db.h"

#define MODEL_FAILED "err.retry"

/* Log what failed, doom the transaction, and return MODEL_FAILED. */
static inline const char *
model_failed(const char *what)
{
	(void)db_tx_fail(what);
	return MODEL_FAILED;
}

#endif
