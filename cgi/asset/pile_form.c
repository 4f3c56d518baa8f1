/*
 * pile_form.c — the ways into and out of the pile form (create and edit);
 * the fields, checks and hooks are pile.c's descriptor, the engine is
 * core/crud.c.
 *
 * In: /asset/piles/new?code=… is what a scan of an unregistered label
 * offers (model/codeinfo.c): the code is filled in, and so is the company
 * of the label's rule.  The code field takes a scanner's value as well
 * (the label URL, WeChat's QR_CODE,…).
 *
 * Out (issue 10: saving used to land on the unfiltered list): a saved pile
 * goes to its card with the flash message.  Two origins go back instead:
 *   - an edit opened from the pile list returns to that list, its filters,
 *     sort and page kept (the list shows the flash);
 *   - a pile registered from the phone (the scan of an unregistered label
 *     on /wx/p/<code>) returns to its phone card.
 * The origin is the Referer of the GET (same host only, Referrer-Policy
 * same-origin sends it), kept in the form as `back` and checked again on
 * the POST: only those two shapes are accepted, rebuilt from checked
 * characters, so `back` can never send the browser anywhere else.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/form.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"
#include "model/code.h"

#include "asset/asset.h"

#define LIST_PATH "/asset/piles"
#define WX_CARD "/wx/p/"
#define BACK_MAX 512

enum back_kind { BACK_NONE, BACK_LIST, BACK_WX };

/* A query string of the list, without its flash: only the characters a
 * browser's encoded query holds; NULL when anything else is in it. */
static const char *
list_query(struct req *r, const char *q)
{
	struct buf out;

	if (strlen(q) > BACK_MAX || q[strspn(q, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789%&=+._~-")] != '\0')
		return NULL;
	buf_init(&out, r->arena, strlen(q) + 1);
	while (*q) {
		size_t n = strcspn(q, "&");

		if (n > 0 && !(n >= 5 && strncmp(q, "flash", 5) == 0 && (n == 5 || q[5] == '='))) {
			if (out.len)
				buf_putc(&out, '&');
			buf_append(&out, q, n);
		}
		q += n;
		if (*q == '&')
			q++;
	}
	return out.len ? out.data : "";
}

/*
 * Where a form opened from `from` (a Referer URL or the form's `back`)
 * returns: *back is the rebuilt path ("/asset/piles?…" or "/wx/p/<code>",
 * arena) for BACK_LIST / BACK_WX, NULL for BACK_NONE (the card).
 */
static enum back_kind
back_of(struct req *r, const char *from, const char **back)
{
	const char *path = from, *host = req_env(r, "HTTP_HOST");

	*back = NULL;
	if (from == NULL || strlen(from) > BACK_MAX + 256)
		return BACK_NONE;
	if (strncasecmp(from, "http://", 7) == 0 || strncasecmp(from, "https://", 8) == 0) {
		const char *auth = strstr(from, "://") + 3;
		size_t n = strcspn(auth, "/?#");

		if (host == NULL || strlen(host) != n || strncasecmp(auth, host, n) != 0)
			return BACK_NONE;
		path = auth + n;
	}
	if (strncmp(path, LIST_PATH, strlen(LIST_PATH)) == 0 &&
	    (path[strlen(LIST_PATH)] == '\0' || path[strlen(LIST_PATH)] == '?')) {
		const char *q = path[strlen(LIST_PATH)] == '?' ? path + strlen(LIST_PATH) + 1 : "";

		if ((q = list_query(r, q)) == NULL)
			return BACK_NONE;
		*back = *q ? arena_printf(r->arena, "%s?%s", LIST_PATH, q) : LIST_PATH;
		return BACK_LIST;
	}
	if (strncmp(path, WX_CARD, strlen(WX_CARD)) == 0) {
		char code[CODE_MAX + 1];

		if (code_scan(path + strlen(WX_CARD), NULL, false, code, sizeof(code)) != CODE_OK)
			return BACK_NONE;
		*back = arena_printf(r->arena, "%s%s", WX_CARD, code);
		return BACK_WX;
	}
	return BACK_NONE;
}

const char *
pile_list_back(struct req *r, const char *from)
{
	const char *back;

	return back_of(r, from, &back) == BACK_LIST ? back : NULL;
}

/* The company of an unused label's rule, when the user may register piles
 * for it (params: s code, i scope_all, l company). */
static const struct query q_label_company = {
	"SELECT ru.company_id FROM qr_codes c JOIN qr_batches b ON b.id = c.batch_id"
	" JOIN code_rules ru ON ru.id = b.rule_id JOIN companies co ON co.id = ru.company_id"
	" WHERE c.code = ? AND c.state = 'unused' AND co.kind IN ('city', 'head')"
	SCOPE_COMPANY("ru.company_id"),
	"sil", "l"
};

int
pile_new(struct req *r)
{
	const char *value = req_query(r, "code"), *back;
	char code[CODE_MAX + 1];
	int status = crud_new(r, pile_resource());

	if (status != 200)
		return status;
	if (back_of(r, req_env(r, "HTTP_REFERER"), &back) == BACK_WX)
		tpl_set(r, "Page.back", back);
	if (value && code_scan(value, cfg_str("Site.base_url", "http://127.0.0.1:8080"), false, code,
	    sizeof(code)) == CODE_OK) {
		int64_t company = db_scalar(0, &q_label_company, code, SCOPE_ARGS(r));

		tpl_set(r, "Page.form.code", code);
		if (company > 0)
			tpl_set_int(r, "Page.form.company_id", company);
		tpl_set(r, "Page.flash", arena_printf(r->arena, "%s %s", tpl_lang(r,
		    "unknown.form_code"), code));
	}
	return status;
}

static const struct query q_code_of = { "SELECT code FROM piles WHERE id = ?", "l", "s" };

/* The code field takes what a scanner gives: the label URL or WeChat's
 * QR_CODE,… result becomes the bare code before the form is read; a URL
 * that is not one of our labels is refused as such. */
int
pile_create(struct req *r)
{
	const char *back;
	enum back_kind kind = back_of(r, req_form(r, "back"), &back);
	bool foreign = false;
	int64_t id;
	int status;

	for (struct param *p = r->form; p; p = p->next) {
		char code[CODE_MAX + 1];
		int rc;

		if (strcmp(p->name, "code") != 0)
			continue;
		rc = code_scan(p->value, cfg_str("Site.base_url", "http://127.0.0.1:8080"), false,
		    code, sizeof(code));
		if (rc == CODE_OK && strcmp(code, p->value) != 0 &&
		    strcasecmp(code, p->value) != 0) {
			p->value = arena_strdup(r->arena, code);
			p->len = strlen(code);
		} else if (rc == CODE_HOST)
			foreign = true;
		break;
	}
	status = crud_create(r, pile_resource());
	if (status != 303) {
		if (foreign && status == 422)
			form_error(r, "code", "err.qr_host");
		if (kind == BACK_WX)
			tpl_set(r, "Page.back", back);
		return status;
	}
	if (text_int64(tpl_get(r, "Page.id"), &id) != 0 || id <= 0)
		return status;	/* crud's own redirect: the list */
	if (kind == BACK_WX) {
		struct db_cur c;
		const char *code = NULL;

		if (db_open(&c, &q_code_of, id) < 0)
			return 500;
		if (db_next(&c))
			code = arena_strdup(r->arena, db_str(&c, 0));
		db_close(&c);
		if (code)
			return req_redirect(r, arena_printf(r->arena, "%s%s?done=created", WX_CARD,
			    code));
	}
	return req_redirect(r, arena_printf(r->arena, "%s/%lld?flash=created", LIST_PATH,
	    (long long)id));
}

int
pile_edit(struct req *r)
{
	const char *back;
	int status = crud_edit(r, pile_resource());

	if (status == 200 && back_of(r, req_env(r, "HTTP_REFERER"), &back) == BACK_LIST)
		tpl_set(r, "Page.back", back);
	return status;
}

int
pile_update(struct req *r)
{
	const char *back;
	enum back_kind kind = back_of(r, req_form(r, "back"), &back);
	int64_t id;
	int status = crud_update(r, pile_resource());

	if (status != 303) {
		if (kind == BACK_LIST)
			tpl_set(r, "Page.back", back);
		return status;
	}
	if (req_arg_id(r, 0, &id) != 0)
		return status;
	if (kind == BACK_LIST)
		return req_redirect(r, arena_printf(r->arena, "%s%cflash=updated", back,
		    strchr(back, '?') ? '&' : '?'));
	return req_redirect(r, arena_printf(r->arena, "%s/%lld?flash=updated", LIST_PATH,
	    (long long)id));
}
