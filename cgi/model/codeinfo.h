/*
 * codeinfo.h — what a scanned code is when no pile the user can see
 * carries it: an unused label of one of the user's batches, a code typed
 * with a wrong check character, a plain code nobody uses, a voided code…,
 * and what the user can do about it (register a pile with it, or whom to
 * ask).  Written once for the phone card (ca-wechat /wx/p/<code>) and the
 * web lookup (ca-asset /asset/piles/lookup).
 */
#ifndef CA_MODEL_CODEINFO_H
#define CA_MODEL_CODEINFO_H

struct req;

enum codeinfo_kind {
	CI_NONE,	/* nothing to tell: out of scope, or a supplier user */
	CI_LABEL,	/* an unused label of a batch in the user's scope */
	CI_ELSEWHERE,	/* a label in scope, bound to a pile the user cannot see */
	CI_TYPO,	/* the shape of a rule in scope, but a wrong check character */
	CI_PLAIN,	/* not generated here, and no pile in scope carries it */
	CI_VOID,	/* voided at regeneration (or a replaced plain code) */
	CI__MAX
};

extern const char *const codeinfo_kind_names[CI__MAX + 1];	/* NULL-terminated */

/* How many people "whom to ask" names at most. */
#define CODEINFO_ASK 3

/*
 * Explain `code` (normalised, see code_scan), which the caller looked up
 * in the user's scope and found on no pile.  Fills Page.unknown.*: code,
 * kind (codeinfo_kind_names), what (one sentence), for a label batch_id
 * and batch_url (PERM_QR); register, the pile form pre-filled with the
 * code, when the user may register a pile with it (PERM_ASSET_EDIT, a
 * label or plain code); otherwise ask.N.name / ask.N.role, the enabled
 * staff who may (the code's company first, then head office), or
 * ask_operator for a supplier user; replaced_by (+ replaced_pile) for a
 * voided code whose pile is in scope.  Sets Page.error to the short
 * headline (for JSON: headline and sentence).  Nothing outside the user's
 * scope is told apart from "not found".  Strings live in r's arena; a
 * database error logs and answers CI_NONE.
 */
enum codeinfo_kind codeinfo_explain(struct req *r, const char *code);

#endif
