/*
 * notice.h — scheduled reminders written to the notices table, which the
 * web UI shows and WeChat delivery reads.  Each scan is idempotent: a
 * notice exists once per (kind, subject, due date).
 */
#ifndef CA_MODEL_NOTICE_H
#define CA_MODEL_NOTICE_H

#include <stdint.h>

/* Site leases (F4.22): one notice for every station, not closed, whose
 * lease ends within lead_days from today (China time) or has ended.
 * Returns the number of new notices, or -1 on a database error. */
int64_t notice_scan_leases(int lead_days);

#endif
