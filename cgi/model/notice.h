/*
 * notice.h — scheduled reminders written to the notices table, which the
 * web UI shows, and the outbox that carries them to WeChat.  Each scan is
 * idempotent: a notice exists once per (kind, subject, due date), and an
 * outbox row once per (notice, recipient) — its client_msg_id.
 */
#ifndef CA_MODEL_NOTICE_H
#define CA_MODEL_NOTICE_H

#include <stdint.h>

/* The kinds of notice (notices.kind); each may have a WeChat template id
 * (setting template.<kind>).  NULL-terminated. */
extern const char *const notice_kinds[];

/* Site leases (F4.22): one notice for every station, not closed, whose
 * lease ends within lead_days from today (China time) or has ended.
 * Returns the number of new notices, or DB_RETRY (a deadlock, say with
 * another ca-notify) or DB_ERROR. */
int64_t notice_scan_leases(int lead_days);

/* Feed the outbox from the open (unacknowledged) notices: one template row
 * per enabled user with a linked openid whose role sees assets in the
 * notice's company (template_kinds: the kinds that have a template id, NULL-
 * terminated; NULL or empty: none), and one robot row per notice of a
 * company with a robot key.  Returns new rows, or DB_RETRY / DB_ERROR. */
int64_t notice_outbox_feed(const char *const *template_kinds);

#endif
