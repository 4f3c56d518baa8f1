/*
 * Unit tests of the pure part of cgi/model/pile_update.c: which edit may
 * set which field, and the edit-state rule (pile_change_refused) every
 * path shares — the web form's check hook, the phone's maintenance and
 * product binding.  The database part is the HTTP tests'.
 */
#include <string.h>

#include "model/pile_update.h"

#include "tap.h"

/* A pile as a change finds it. */
static struct pile_now
pile(enum pile_state state, bool placed, int64_t company, int64_t product, const char *ptext)
{
	struct pile_now n = { .version = 3, .state = state, .placed = placed,
		.product_id = product, .company_id = company };

	for (int f = 0; f < PF__MAX; f++)
		n.v[f] = "";
	n.v[PF_STATE] = pile_state_names[state];
	n.v[PF_COMPANY] = company == 7 ? "7" : "8";
	n.v[PF_PRODUCT] = ptext;
	return n;
}

/* The rule's answer to one change, checked with its field. */
static void
refused(const struct pile_now *now, const struct pile_change *c, const char *key,
    const char *field, const char *what)
{
	const char *f = "unset";
	const char *got = pile_change_refused(now, c, &f);

	if (key == NULL) {
		ok(got == NULL && f == NULL, "%s: allowed", what);
		if (got)
			printf("#   got %s (%s)\n", got, f ? f : "no field");
		return;
	}
	is_str(got, key, what);
	is_str(f, field, what);
}

int
main(void)
{
	/* Columns of piles, in enum order. */
	static const char *const cols[PF__MAX] = { "state", "charging_mode", "comm_method",
		"sw_version", "hw_version", "tariff", "product_id", "company_id", "commissioned_on" };
	/* Which fields each edit sets, in that order. */
	static const char *const sets[PE__MAX] = {
		[PE_FORM] = "111111111",
		[PE_MAINTAIN] = "111111000",
		[PE_PRODUCT] = "000000100",
	};
	struct pile_now now;
	struct pile_change c;

	for (int f = 0; f < PF__MAX; f++)
		is_str(pile_field_names[f], cols[f], cols[f]);
	for (int e = 0; e < PE__MAX; e++)
		for (int f = 0; f < PF__MAX; f++)
			ok(pile_edit_sets((enum pile_edit)e, (enum pile_field)f) == (sets[e][f] == '1'),
			    "edit %d %s %s", e, sets[e][f] == '1' ? "sets" : "does not set", cols[f]);
	ok(!pile_edit_sets(PE__MAX, PF_STATE), "unknown edit sets nothing");
	ok(!pile_edit_sets(PE_FORM, PF__MAX), "unknown field is never set");

	/* The web form: a pile at a station keeps the station's company. */
	now = pile(PS_INSTALLED, true, 7, 0, "");
	c = (struct pile_change){ .edit = PE_FORM };
	c.v[PF_STATE] = "operating";
	c.v[PF_COMPANY] = "7";
	refused(&now, &c, NULL, NULL, "form: installed → operating, same company");
	c.v[PF_COMPANY] = "8";
	refused(&now, &c, "err.pile_company_place", "company_id", "form: placed pile, other company");
	c.v[PF_STATE] = "in_stock";
	refused(&now, &c, "err.pile_company_place", "company_id",
	    "form: the company is said before the state");
	c.v[PF_COMPANY] = "x";
	c.v[PF_STATE] = "installed";
	refused(&now, &c, "err.pile_company_place", "company_id", "form: a malformed company");
	now.placed = false;
	c.v[PF_COMPANY] = "8";
	refused(&now, &c, NULL, NULL, "form: a pile nowhere changes company");
	c.v[PF_STATE] = "in_stock";
	refused(&now, &c, "err.pile_state_edit", "state", "form: no unbinding by editing");
	c.v[PF_STATE] = "bogus";
	refused(&now, &c, "err.pile_state_edit", "state", "form: an unknown state");
	/* The form may change a product that is there (the phone may not). */
	now = pile(PS_OPERATING, false, 7, 5, "5");
	c = (struct pile_change){ .edit = PE_FORM };
	c.v[PF_STATE] = "operating";
	c.v[PF_PRODUCT] = "6";
	refused(&now, &c, NULL, NULL, "form: another product");
	c.v[PF_PRODUCT] = "";
	refused(&now, &c, NULL, NULL, "form: no product");

	/* The phone's maintenance: states along the edit rule; other fields in any state. */
	now = pile(PS_OPERATING, true, 7, 5, "5");
	c = (struct pile_change){ .edit = PE_MAINTAIN, .version = 3 };
	c.v[PF_STATE] = "repair";
	c.v[PF_SW] = "V2";
	refused(&now, &c, NULL, NULL, "maintain: operating → repair");
	c.v[PF_STATE] = "installed";
	refused(&now, &c, "err.pile_state_edit", "state", "maintain: operating ↛ installed");
	c.v[PF_STATE] = "at_supplier";
	refused(&now, &c, "err.pile_state_edit", "state", "maintain: a document's move");
	now = pile(PS_SCRAPPED, false, 7, 5, "5");
	c.v[PF_STATE] = "scrapped";
	refused(&now, &c, NULL, NULL, "maintain: a scrapped pile's versions");
	c.v[PF_STATE] = NULL;
	now = pile(PS__MAX, false, 7, 5, "5");
	refused(&now, &c, NULL, NULL, "maintain: no state in the change, none checked");
	c.v[PF_STATE] = "scrapped";
	refused(&now, &c, "err.pile_state_edit", "state", "maintain: a pile without a state");

	/* The phone's product binding: only a pile without one. */
	now = pile(PS_IN_STOCK, true, 7, 0, "");
	c = (struct pile_change){ .edit = PE_PRODUCT };
	c.v[PF_PRODUCT] = "5";
	refused(&now, &c, NULL, NULL, "product: a pile without one");
	now = pile(PS_IN_STOCK, true, 7, 5, "5");
	refused(&now, &c, "err.pile_product_same", "product_id", "product: the same again");
	c.v[PF_PRODUCT] = "6";
	refused(&now, &c, "err.pile_has_product", "product_id", "product: another one");
	return done();
}
