/*
 * page.h — the idioms every page handler repeats, in one place: the flash
 * message after a redirect, language messages with "{n}", a page filled
 * from a row, and the field errors of a short text.
 */
#ifndef CA_PAGE_H
#define CA_PAGE_H

#include <stdint.h>

struct req;
struct db_cur;
struct query;

/* After "…?flash=<key>": when key is one of keys (NULL-terminated), set
 * Page.flash to Lang.<prefix><key> ("flash." → Lang.flash.created) and
 * Page.flash_kind "success" (views/macros.cs flash()).  An unknown key is
 * ignored: the query string never chooses the text.  True if one was set. */
int page_flash(struct req *r, const char *prefix, const char *const *keys);

/* Lang.<key> with every "{n}" replaced by n (arena copy). */
const char *page_msg(struct req *r, const char *key, int64_t n);
/* Lang.<key> with every mark ("{q}", or "{n}" as "10000+") replaced by text. */
const char *page_msg_with(struct req *r, const char *key, const char *mark, const char *text);
/* The same on a text m already in the user's language. */
const char *page_subst(struct req *r, const char *m, const char *mark, const char *text);

/* Copy the current row of c into Page.<prefix>.<names[i]>: column i as
 * the query's column letter says (l, i as decimal, s as is); a NULL name
 * skips the column.  q is the query c was opened with. */
void page_fill(struct req *r, const char *prefix, struct db_cur *c,
    const struct query *q, const char *const *names, int n);

/* A text field of a form, trimmed (arena copy, "" when absent) into
 * Page.form.<name>.  Longer than max characters: Page.errors.<name>
 * "at most {n} characters", Page.error err.form, and NULL. */
const char *page_text_field(struct req *r, const char *name, int max);

#endif
