/*
 * pile_update.c — the update path of a pile's fields (see pile_update.h):
 * which edit may set which field, the edit-state rule, the locked read,
 * the row with its version check and update records, and what follows a
 * change (warranty, commissioning date, ledger postings).
 *
 * The rule and the tables are pure and come first; everything after them
 * talks to the database in the caller's transaction.  Values travel as the
 * form writes them (text, "" for none), so the web form (whose values come
 * from form_read) and the phone (whose values come from its own form)
 * compare, record and post them alike.
 */
#include "model/pile_update.h"

#include <string.h>

#include "core/arena.h"
#include "core/audit.h"
#include "core/db.h"
#include "core/req.h"
#include "core/text.h"
#include "model/model.h"

const char *const pile_field_names[PF__MAX] = {
	[PF_STATE] = "state",
	[PF_CHARGING_MODE] = "charging_mode",
	[PF_COMM_METHOD] = "comm_method",
	[PF_SW] = "sw_version",
	[PF_HW] = "hw_version",
	[PF_TARIFF] = "tariff",
	[PF_PRODUCT] = "product_id",
	[PF_COMPANY] = "company_id",
	[PF_COMMISSIONED] = "commissioned_on",
};

#define F(f) (1u << (f))
/* What each edit may set.  The phone's maintenance page is the service
 * part of the form; binding a product is one field. */
static const unsigned edit_fields[PE__MAX] = {
	[PE_FORM] = F(PF_STATE) | F(PF_CHARGING_MODE) | F(PF_COMM_METHOD) | F(PF_SW) | F(PF_HW) |
	    F(PF_TARIFF) | F(PF_PRODUCT) | F(PF_COMPANY) | F(PF_COMMISSIONED),
	[PE_MAINTAIN] = F(PF_STATE) | F(PF_CHARGING_MODE) | F(PF_COMM_METHOD) | F(PF_SW) |
	    F(PF_HW) | F(PF_TARIFF),
	[PE_PRODUCT] = F(PF_PRODUCT),
};

bool
pile_edit_sets(enum pile_edit e, enum pile_field f)
{
	return e < PE__MAX && f < PF__MAX && (edit_fields[e] & F(f)) != 0;
}

const char *
pile_change_refused(const struct pile_now *now, const struct pile_change *c, const char **field)
{
	*field = NULL;
	if (c->v[PF_COMPANY] && now->placed) {
		int64_t to;

		/* The company follows the place: move the pile, not the label. */
		if (text_int64(c->v[PF_COMPANY], &to) != 0 || to != now->company_id) {
			*field = "company_id";
			return "err.pile_company_place";
		}
	}
	if (c->v[PF_STATE] && !pile_edit_state_ok(now->state, pile_state_parse(c->v[PF_STATE]))) {
		*field = "state";
		return "err.pile_state_edit";
	}
	if (c->edit == PE_PRODUCT && c->v[PF_PRODUCT]) {
		if (strcmp(now->v[PF_PRODUCT], c->v[PF_PRODUCT]) == 0) {
			*field = "product_id";
			return "err.pile_product_same";
		}
		if (now->product_id != 0) {
			*field = "product_id";
			return "err.pile_has_product";
		}
	}
	return NULL;
}

/* ---------------------------------------------------------------- database */

#define NOW_SQL                                                                          \
	"SELECT version, state, place IN ('station', 'warehouse'), COALESCE(product_id, 0),"  \
	" company_id, COALESCE(charging_mode, ''), COALESCE(comm_method, ''),"               \
	" COALESCE(sw_version, ''), COALESCE(hw_version, ''), COALESCE(tariff, ''),"          \
	" COALESCE(DATE_FORMAT(commissioned_on, '%Y-%m-%d'), '') FROM piles WHERE id = ?"
static const struct query q_now = { NOW_SQL, "l", "isillssssss" };
static const struct query q_now_lock = { NOW_SQL " FOR UPDATE", "l", "isillssssss" };

bool
pile_now_read(struct req *r, int64_t id, bool lock, struct pile_now *now)
{
	static const enum pile_field text[] = { PF_CHARGING_MODE, PF_COMM_METHOD, PF_SW, PF_HW,
		PF_TARIFF, PF_COMMISSIONED };
	struct db_cur c;
	bool found = false;

	memset(now, 0, sizeof(*now));
	now->state = PS__MAX;
	if (db_open(&c, lock ? &q_now_lock : &q_now, id) < 0) {
		(void)db_tx_fail("pile read failed");
		return false;
	}
	if (db_next(&c)) {
		found = true;
		now->version = db_int(&c, 0);
		now->v[PF_STATE] = arena_strdup(r->arena, db_str(&c, 1));
		now->state = pile_state_parse(now->v[PF_STATE]);
		now->placed = db_int(&c, 2) != 0;
		now->product_id = db_i64(&c, 3);
		now->company_id = db_i64(&c, 4);
		for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
			now->v[text[i]] = arena_strdup(r->arena, db_str(&c, 5 + (int)i));
	}
	db_close(&c);
	if (!found)
		return false;
	now->v[PF_TARIFF] = pile_tariff_canon(r, now->v[PF_TARIFF]);
	now->v[PF_PRODUCT] = now->product_id ? arena_printf(r->arena, "%lld",
	    (long long)now->product_id) : "";
	now->v[PF_COMPANY] = arena_printf(r->arena, "%lld", (long long)now->company_id);
	return true;
}

/* The pile form's warranty rule: commissioning (or registration) day plus
 * the product's warranty months. */
static const struct query q_warranty = {
	"UPDATE piles p LEFT JOIN products pr ON pr.id = p.product_id"
	" SET p.warranty_end = IF(pr.id IS NULL, NULL,"
	"  COALESCE(p.commissioned_on, DATE(" SQL_LOCAL("p.created_at") "))"
	"  + INTERVAL pr.warranty_months MONTH)"
	" WHERE p.id = ?", "l", ""
};

void
pile_warranty(struct req *r, int64_t id)
{
	(void)r;
	if (db_exec(&q_warranty, id) < 0)
		(void)db_tx_fail("warranty end failed");
}

/* Only a row still operating and undated is touched, so a date typed in
 * the same save (or by someone else first) is never overwritten. */
static const struct query q_commission = {
	"UPDATE piles SET commissioned_on = " SQL_TODAY
	" WHERE id = ? AND state = 'operating' AND commissioned_on IS NULL", "l", ""
};
static const struct query q_commissioned = {
	"SELECT DATE_FORMAT(commissioned_on, '%Y-%m-%d') FROM piles WHERE id = ?", "l", "s"
};

/*
 * A pile that has just become operating (from != operating, to ==
 * operating) without a commissioning date (投运日期) was commissioned today,
 * the site's date: set commissioned_on, write its update record (old "")
 * and a pile_change posting, and recompute the warranty end, which runs
 * from that date.  A date the user gave is kept.  True when it set the
 * date; on a database error the transaction is doomed.
 */
static bool
commission(struct req *r, int64_t pile_id, enum pile_state from, enum pile_state to)
{
	struct db_cur c;
	char *day = NULL;
	int64_t n;

	if (to != PS_OPERATING || from == PS_OPERATING)
		return false;
	n = db_exec(&q_commission, pile_id);
	if (n < 0) {
		(void)db_tx_fail("commissioning date failed");
		return false;
	}
	if (n == 0)
		return false;
	if (db_open(&c, &q_commissioned, pile_id) < 0) {
		(void)db_tx_fail("commissioning date read failed");
		return false;
	}
	if (db_next(&c))
		day = arena_strdup(r->arena, db_str(&c, 0));
	db_close(&c);
	if (day == NULL || db_exec(&q_warranty, pile_id) < 0) {
		(void)db_tx_fail("commissioning warranty failed");
		return false;
	}
	/* As the edit form records a date typed into an empty field. */
	audit_write(r, "pile", pile_id, AUDIT_UPDATE, "commissioned_on", "", day);
	pile_post_change(r, pile_id, "commissioned_on", "", day);
	return true;
}

void
pile_changed(struct req *r, int64_t id, const struct pile_now *now, const struct pile_change *c)
{
	static const enum pile_field ledger[PL__MAX] = {
		[PL_SW] = PF_SW, [PL_HW] = PF_HW, [PL_PRODUCT] = PF_PRODUCT, [PL_TARIFF] = PF_TARIFF,
	};
	const char *before[PL__MAX], *after[PL__MAX];

	if (c->v[PF_PRODUCT] || c->v[PF_COMMISSIONED])
		pile_warranty(r, id);
	if (c->v[PF_STATE]) {
		enum pile_state to = pile_state_parse(c->v[PF_STATE]);

		pile_post_state(r, id, now->state, to);
		(void)commission(r, id, now->state, to);
	}
	for (int i = 0; i < PL__MAX; i++) {
		after[i] = c->v[ledger[i]];
		before[i] = after[i] ? now->v[ledger[i]] : NULL;
	}
	/* The ledger writes "no product" as 0 (and the form as ""). */
	if (after[PL_PRODUCT])
		before[PL_PRODUCT] = arena_printf(r->arena, "%lld", (long long)now->product_id);
	pile_post_changes(r, id, before, after);
}

/* The row of each edit that writes its own (the web form's is core/crud.c's):
 * the columns it may set, version + 1, if the version is still the one read
 * under lock. */
static const struct query q_write_maintain = {
	"UPDATE piles SET state = ?, charging_mode = ?, comm_method = ?, sw_version = ?,"
	" hw_version = ?, tariff = ?, version = version + 1 WHERE id = ? AND version = ?",
	"s?s?s?s?s?sli", ""
};
static const struct query q_write_product = {
	"UPDATE piles SET product_id = ?, version = version + 1 WHERE id = ? AND version = ?",
	"lli", ""
};

static const char *
or_null(const char *s)
{
	return s && *s ? s : NULL;
}

const char *
pile_apply_change(struct req *r, int64_t id, const struct pile_change *c, const char **field)
{
	struct pile_now now;
	const char *val[PF__MAX], *refused;
	int64_t product = 0, rc;

	*field = NULL;
	if (c->edit != PE_MAINTAIN && c->edit != PE_PRODUCT)
		return model_failed("pile change of an edit whose row is written elsewhere");
	for (int f = 0; f < PF__MAX; f++)
		if (c->v[f] && !pile_edit_sets(c->edit, (enum pile_field)f))
			return model_failed("pile change of a field its edit does not set");
	if (!pile_now_read(r, id, true, &now))
		return db_tx_doomed() ? MODEL_FAILED : "err.not_found";
	if (c->version != 0 && c->version != now.version)
		return "err.stale";
	if ((refused = pile_change_refused(&now, c, field)) != NULL)
		return refused;
	/* The new row: the change's values over the current ones. */
	for (int f = 0; f < PF__MAX; f++)
		val[f] = c->v[f] == NULL ? now.v[f] : f == PF_TARIFF ? pile_tariff_canon(r, c->v[f]) :
		    c->v[f];
	if (c->edit == PE_PRODUCT) {
		if (text_int64(val[PF_PRODUCT], &product) != 0 || product <= 0)
			return model_failed("pile product binding without a product");
		rc = db_exec(&q_write_product, product, id, now.version);
	} else
		rc = db_exec(&q_write_maintain, val[PF_STATE], or_null(val[PF_CHARGING_MODE]),
		    or_null(val[PF_COMM_METHOD]), or_null(val[PF_SW]), or_null(val[PF_HW]),
		    or_null(val[PF_TARIFF]), id, now.version);
	if (rc < 0)
		return model_failed("pile update failed");
	if (rc != 1)
		return "err.stale";
	for (int f = 0; f < PF__MAX; f++)
		if (c->v[f] && strcmp(now.v[f], val[f]) != 0)
			audit_write(r, "pile", id, AUDIT_UPDATE, pile_field_names[f], now.v[f], val[f]);
	pile_changed(r, id, &now, c);
	return NULL;
}
