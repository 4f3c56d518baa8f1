/*
 * maintain.c — maintaining a pile from the phone: state (only the moves
 * the pile form allows: installed, operating and repair along the state
 * machine, pile_edit_state_ok() in model/pile_state.c), charging mode,
 * communication method, software and hardware versions, tariff.
 *
 * Fields are validated with the pile form's own limits; the change itself
 * is pile_apply_change() (model/pile_update.c), the web form's update path: the
 * edit-state rule, one update, the update records of the changed fields
 * and the ledger postings the web form writes.  The form carries the
 * pile's version: a draft sent after someone else changed the pile is
 * refused as stale (409) with the current values shown.
 */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/form.h"
#include "core/idem.h"
#include "core/phone.h"
#include "core/req.h"
#include "core/tpl.h"
#include "model/options.h"
#include "model/pile.h"
#include "model/pile_update.h"

#include "wechat/wx.h"

enum { M_STATE, M_MODE, M_COMM, M_SW, M_HW, M_TARIFF, M__MAX };

static const struct field fields[M__MAX] = {
	[M_STATE] = { "state", FT_CHOICE, F_REQ, 0, 0, 0, 0, pile_state_names, "pile_state", NULL, NULL },
	[M_MODE] = { "charging_mode", FT_TEXT, 0, 32, 0, 0, 0, NULL, NULL, NULL, "modes" },
	[M_COMM] = { "comm_method", FT_TEXT, 0, 32, 0, 0, 0, NULL, NULL, NULL, "comm_methods" },
	[M_SW] = { "sw_version", FT_TEXT, 0, 32, 0, 0, 0, NULL, NULL, NULL, NULL },
	[M_HW] = { "hw_version", FT_TEXT, 0, 32, 0, 0, 0, NULL, NULL, NULL, NULL },
	[M_TARIFF] = { "tariff", FT_DECIMAL, 0, 10, 0, 100, 4, NULL, NULL, NULL, NULL },
};

/* The model's field of each form field. */
static const enum pile_field pf[M__MAX] = {
	[M_STATE] = PF_STATE, [M_MODE] = PF_CHARGING_MODE, [M_COMM] = PF_COMM_METHOD,
	[M_SW] = PF_SW, [M_HW] = PF_HW, [M_TARIFF] = PF_TARIFF,
};
static const struct query q_dict_ok = {
	"SELECT COUNT(*) FROM dict_items WHERE dict = ? AND code = ? AND enabled = 1", "ss", "l"
};

/* The current values (model/pile_update.c, as the change reads them)
 * into prefix.<field> and out[] ("" each when the pile is gone); returns
 * the version (0 then, or when the read failed: the request fails). */
static int32_t
current(struct req *r, int64_t id, const char *prefix, const char **out)
{
	struct pile_now now;
	bool found = pile_now_read(r, id, false, &now);

	for (int i = 0; i < M__MAX; i++) {
		const char *v = found ? now.v[pf[i]] : "";

		if (prefix && found)
			tpl_setf(r, v, "%s.%s", prefix, fields[i].name);
		if (out)
			out[i] = v;
	}
	return found ? now.version : 0;
}

static int
form_page(struct req *r, const struct wx_pile *p, int status)
{
	int ns = 0;
	enum pile_state from = pile_state_parse(p->state);

	options_pile_dicts(r);
	/* The states this pile may be moved to here (its own first). */
	for (int s = 0; s < PS__MAX; s++)
		if (pile_edit_state_ok(from, (enum pile_state)s)) {
			tpl_setf(r, pile_state_names[s], "Page.opts.states.%d.id", ns);
			tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "enum.pile_state.%s",
			    pile_state_names[s])), "Page.opts.states.%d.label", ns);
			ns++;
		}
	tpl_set(r, "Page.code", p->code);
	tpl_set(r, "Page.pile.code", p->code);
	tpl_set(r, "Page.pile.state_label", tpl_lang(r, arena_printf(r->arena,
	    "enum.pile_state.%s", p->state)));
	idem_fresh(r);
	phone_page(r, tpl_lang(r, "wx.maintain_title"), "wechat/maintain.cs", NULL);
	return status;
}

int
wx_maintain_form(struct req *r)
{
	struct wx_pile p;
	int rc = wx_pile_find(r, &p);

	if (rc != 0) {
		phone_page(r, tpl_lang(r, "wx.scan_title"), "wechat/missing.cs", NULL);
		return rc;
	}
	tpl_set_int(r, "Page.version", current(r, p.id, "Page.form", NULL));
	return form_page(r, &p, 200);
}

int
wx_maintain_submit(struct req *r)
{
	struct fval v[M__MAX];
	struct wx_pile p;
	struct pile_change c;
	const char *refused, *field, *old[M__MAX];
	int64_t version;
	int rc = wx_pile_find(r, &p), bad;

	if (rc != 0) {
		phone_page(r, tpl_lang(r, "wx.scan_title"), "wechat/missing.cs", NULL);
		return rc;
	}
	if ((rc = idem_begin(r, req_param(r, IDEM_PARAM), "maintain", p.id)) != 0) {
		if (rc == 422 || rc == 409) {
			const char *msg = tpl_get(r, "Page.error");

			tpl_set_int(r, "Page.version", current(r, p.id, "Page.form", NULL));
			rc = form_page(r, &p, rc);
			tpl_set(r, "Page.error", msg);
		}
		return rc;
	}
	bad = form_read(r, fields, M__MAX, v);
	if (!v[M_MODE].null && db_scalar(0, &q_dict_ok, "charging_mode", v[M_MODE].s) == 0) {
		form_error(r, "charging_mode", "err.choice");
		bad++;
	}
	if (!v[M_COMM].null && db_scalar(0, &q_dict_ok, "comm_method", v[M_COMM].s) == 0) {
		form_error(r, "comm_method", "err.choice");
		bad++;
	}
	if (req_int64(r, "version", &version) != 0 || version <= 0 || version > INT32_MAX) {
		tpl_set(r, "Page.error", tpl_lang(r, "err.version"));
		tpl_set_int(r, "Page.version", current(r, p.id, NULL, NULL));
		return form_page(r, &p, 400);
	}
	tpl_set_int(r, "Page.version", version);
	if (bad > 0)
		return form_page(r, &p, 422);
	c = (struct pile_change){ .edit = PE_MAINTAIN, .version = (int32_t)version };
	for (int i = 0; i < M__MAX; i++)
		c.v[pf[i]] = v[i].s;
	if ((refused = pile_apply_change(r, p.id, &c, &field)) != NULL) {
		if (strcmp(refused, "err.stale") == 0) {
			/* Show what is stored now, and what this user typed beside it. */
			tpl_set_int(r, "Page.version", current(r, p.id, "Page.form", old));
			for (int i = 0; i < M__MAX; i++)
				if (strcmp(old[i], v[i].s) != 0)
					tpl_setf(r, v[i].s, "Page.mine.%s", fields[i].name);
			rc = form_page(r, &p, 409);
			tpl_set(r, "Page.stale", "1");
		} else {
			rc = form_page(r, &p, 409);
			form_error(r, field ? field : "state", refused);
		}
		tpl_set(r, "Page.error", tpl_lang(r, refused));
		return rc;
	}
	return idem_done(r, arena_printf(r->arena, "/wx/p/%s?done=maintain", p.code));
}
