/*
 * idem.h — idempotent submissions, for any worker (db/migrations/0013,
 * 0033: table wx_submissions).
 *
 * A form that must apply once however often it is sent (a double tap, a
 * retry after a lost answer, a draft the phone kept offline and sends when
 * the signal returns) carries a key made for it: a UUID.  The first request
 * with the key stores (user, key, action, ref_id) in the same transaction
 * as the change it makes, and its answer (where it sent the browser) when
 * it succeeds; any later request with that key changes nothing and gets the
 * same answer.  A refused submission rolls back with its key, so a corrected
 * or retried one is judged again: nothing of it was applied.
 *
 * How a worker's handler uses it (ca-wechat's cgi/wechat/station.c is one):
 *
 *   the form's GET:   idem_fresh(r);  (Page.idem; the template carries
 *                     <input type="hidden" name="idem" value="<?cs var:Page.idem ?>">,
 *                     and assets/js/wx-app.js puts its own key per form shown)
 *   the POST route:   RP_TX in routes.c (the key row and the change commit together),
 *                     then, once it knows what the submission acts on:
 *       if ((rc = idem_begin(r, req_param(r, IDEM_PARAM), "inspect.record", plan_id)) != 0)
 *               return rc;           (303: the first answer again; 422/409: Page.error says why)
 *       ... validate, refuse with a status (rolled back), or change ...
 *       return idem_done(r, location);   (303 to location; JSON {location, ok} for Accept: json)
 *
 * An action is a short name unique across workers (at most IDEM_ACTION_MAX
 * bytes; ca-wechat's are "product", "station", "maintain", other workers
 * prefix theirs: "inspect.record"); ref_id is the id of the record it acts
 * on (0 for none).  A key used once with another action or record is
 * refused (409).  Keys are kept 30 days, far longer than any draft waits.
 */
#ifndef CA_IDEM_H
#define CA_IDEM_H

#include <stdbool.h>
#include <stdint.h>

struct req;

#define IDEM_PARAM "idem"	/* the form field of the key */
#define IDEM_KEY_LEN 36		/* 8-4-4-4-12 hex digits */
#define IDEM_ACTION_MAX 32	/* wx_submissions.action */

/* A UUID (any version, any case) as lower-case 8-4-4-4-12 into out;
 * false (out undefined) for anything else, NULL included. */
bool idem_key_norm(const char *s, char out[IDEM_KEY_LEN + 1]);
/* A fresh random UUID v4 (RFC 4122 variant), lower-case, into out. */
void idem_key_new(char out[IDEM_KEY_LEN + 1]);
/* Put a fresh key in Page.idem, for the form of the page. */
void idem_fresh(struct req *r);

/* Call first in a submission's transaction (a signed-in user, RP_TX).
 * Returns 0 when this is the key's first use: go on, then idem_done().
 * Otherwise the status to answer as it stands: 303 with r->location the
 * first answer's (replayed, Page.replayed set; nothing is changed),
 * 422 (no or malformed key) or 409 (the key was used for another action or
 * record), with Page.error set; APP_RETRY or 500 when the database failed. */
int idem_begin(struct req *r, const char *key, const char *action, int64_t ref_id);
/* Record the answer of a successful submission (idem_begin() returned 0)
 * and redirect there: 303, or APP_RETRY / 500 when the database failed. */
int idem_done(struct req *r, const char *location);

#endif
