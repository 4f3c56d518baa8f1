/*
 * pile_card.c — the pile card's read model (see pile_card.h): one SELECT
 * of a pile's facts with the names a person knows, one of its last ledger
 * events, and which of them each card (web, phone) shows.
 *
 * Both cards used to read the pile with their own statements; now there is
 * one of each, and a view only chooses what it puts into the page (a table
 * below), so a fact added to the pile is read in one place.  The facts read
 * only the tables of the result cache (core/db.c) and today's date, so the
 * JSON lookup built on them stays cacheable; the events are not (they read
 * asset_events and users).
 */
#include "model/pile_card.h"

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"
#include "model/fieldtext.h"

const char *const pile_card_names[PCF__MAX] = {
	[PCF_CODE] = "code", [PCF_SERIAL_NO] = "serial_no", [PCF_STATE] = "state",
	[PCF_PLACE] = "place", [PCF_STATION_ID] = "station_id", [PCF_STATION] = "station",
	[PCF_WAREHOUSE] = "warehouse", [PCF_PARTY] = "party", [PCF_COMPANY] = "company",
	[PCF_MANUFACTURER] = "manufacturer", [PCF_MODEL] = "model", [PCF_PRODUCT] = "product",
	[PCF_RATED_POWER_KW] = "rated_power_kw", [PCF_CURRENT_TYPE] = "current_type",
	[PCF_CONNECTORS] = "connectors", [PCF_SW_VERSION] = "sw_version",
	[PCF_HW_VERSION] = "hw_version", [PCF_COMM_METHOD] = "comm_method",
	[PCF_CHARGING_MODE] = "charging_mode", [PCF_TARIFF] = "tariff",
	[PCF_COMMISSIONED_ON] = "commissioned_on", [PCF_WARRANTY_END] = "warranty_end",
	[PCF_WARRANTY] = "warranty", [PCF_OWNER] = "owner", [PCF_OPERATOR] = "operator",
	[PCF_LEASED_FROM] = "leased_from", [PCF_VERSION] = "version", [PCF_SUPPLIER] = "supplier",
	[PCF_STATION_ADDRESS] = "station_address",
};

#define W (1u << PCV_WEB)
#define P (1u << PCV_PHONE)
/* The web card is the office's whole record (ownership, lease, the
 * version it edits); the phone card what a technician at the pile needs
 * (the supplier to call, the station's address). */
static const unsigned shows[PCF__MAX] = {
	[PCF_CODE] = W | P, [PCF_SERIAL_NO] = W | P, [PCF_STATE] = W | P, [PCF_PLACE] = W,
	[PCF_STATION_ID] = W, [PCF_STATION] = W | P, [PCF_WAREHOUSE] = W | P, [PCF_PARTY] = W | P,
	[PCF_COMPANY] = W | P, [PCF_MANUFACTURER] = W | P, [PCF_MODEL] = W | P,
	[PCF_PRODUCT] = W | P, [PCF_RATED_POWER_KW] = W | P, [PCF_CURRENT_TYPE] = W | P,
	[PCF_CONNECTORS] = W, [PCF_SW_VERSION] = W | P, [PCF_HW_VERSION] = W | P,
	[PCF_COMM_METHOD] = W | P, [PCF_CHARGING_MODE] = W | P, [PCF_TARIFF] = W | P,
	[PCF_COMMISSIONED_ON] = W | P, [PCF_WARRANTY_END] = W | P, [PCF_WARRANTY] = W | P,
	[PCF_OWNER] = W, [PCF_OPERATOR] = W, [PCF_LEASED_FROM] = W, [PCF_VERSION] = W,
	[PCF_SUPPLIER] = P, [PCF_STATION_ADDRESS] = P,
};
static const int event_limit[PCV__MAX] = { [PCV_WEB] = 50, [PCV_PHONE] = 8 };

bool
pile_card_shows(enum pile_card_view view, enum pile_card_field f)
{
	return view < PCV__MAX && f < PCF__MAX && (shows[f] & (1u << view)) != 0;
}

int
pile_card_event_limit(enum pile_card_view view)
{
	return view < PCV__MAX ? event_limit[view] : 0;
}

/*
 * Params (l id, i scope_all, l company_id, l supplier, l supplier): a staff
 * user's company matches, a supplier user's company_id is 0 and its
 * supplier_id matches p.supplier_id or the product's manufacturer; with
 * PSC_COMPANY the two supplier params are 0, which no row has.
 */
static const struct query q_card = {
	"SELECT p.id, p.version, COALESCE(p.station_id, 0), COALESCE(p.product_id, 0),"
	" COALESCE(p.supplier_id, 0),"
	" p.code, p.serial_no, p.state, p.place, CONCAT(st.code, ' ', st.name), w.name, pa.name,"
	" co.name, m.name, pr.model, pr.name, pr.rated_power_kw, pr.current_type, pr.connectors,"
	" p.sw_version, p.hw_version, cm.name, md.name, p.tariff, p.commissioned_on,"
	" p.warranty_end, " PILE_WARRANTY_SQL ", ow.name, op.name, lf.name, sp.name, st.address"
	" FROM piles p JOIN companies co ON co.id = p.company_id"
	" LEFT JOIN products pr ON pr.id = p.product_id"
	" LEFT JOIN companies m ON m.id = pr.manufacturer_id"
	" LEFT JOIN stations st ON st.id = p.station_id"
	" LEFT JOIN warehouses w ON w.id = p.warehouse_id"
	" LEFT JOIN companies pa ON pa.id = p.party_id"
	" LEFT JOIN companies ow ON ow.id = p.owner_company_id"
	" LEFT JOIN companies op ON op.id = p.operator_company_id"
	" LEFT JOIN companies lf ON lf.id = p.leased_from_id"
	" LEFT JOIN companies sp ON sp.id = p.supplier_id"
	" LEFT JOIN dict_items cm ON cm.dict = 'comm_method' AND cm.code = p.comm_method"
	" LEFT JOIN dict_items md ON md.dict = 'charging_mode' AND md.code = p.charging_mode"
	" WHERE p.id = ?"
	SCOPE_SUPPLIED("p.company_id", "p.supplier_id", "pr.manufacturer_id"),
	"lilll", "lilll" "sssssssss" "sssssssss" "sssssssss"
};
/* The text columns of q_card from column 5 on, in order. */
static const enum pile_card_field card_cols[] = {
	PCF_CODE, PCF_SERIAL_NO, PCF_STATE, PCF_PLACE, PCF_STATION, PCF_WAREHOUSE, PCF_PARTY,
	PCF_COMPANY, PCF_MANUFACTURER, PCF_MODEL, PCF_PRODUCT, PCF_RATED_POWER_KW,
	PCF_CURRENT_TYPE, PCF_CONNECTORS, PCF_SW_VERSION, PCF_HW_VERSION, PCF_COMM_METHOD,
	PCF_CHARGING_MODE, PCF_TARIFF, PCF_COMMISSIONED_ON, PCF_WARRANTY_END, PCF_WARRANTY,
	PCF_OWNER, PCF_OPERATOR, PCF_LEASED_FROM, PCF_SUPPLIER, PCF_STATION_ADDRESS,
};
#define CARD_FIRST_TEXT 5

int
pile_card_load(struct req *r, int64_t id, enum pile_scope scope, struct pile_card *card)
{
	int64_t supplier = scope == PSC_SUPPLIER ? r->user->supplier_id : 0;
	struct db_cur c;
	bool found = false;

	*card = (struct pile_card){ .state = PS__MAX };
	for (int i = 0; i < PCF__MAX; i++)
		card->v[i] = "";
	/* The web card sees by company only: supplier 0, which no row has. */
	if (db_open(&c, &q_card, id, SCOPE_ARGS(r), supplier, supplier) < 0)
		return PILE_CARD_FAILED;
	if (db_next(&c)) {
		found = true;
		card->id = db_i64(&c, 0);
		card->version = db_int(&c, 1);
		card->station_id = db_i64(&c, 2);
		card->product_id = db_i64(&c, 3);
		card->supplier_id = db_i64(&c, 4);
		for (size_t i = 0; i < sizeof(card_cols) / sizeof(card_cols[0]); i++)
			card->v[card_cols[i]] = arena_strdup(r->arena,
			    db_str(&c, CARD_FIRST_TEXT + (int)i));
	}
	db_close(&c);
	if (!found)
		return PILE_CARD_NONE;
	card->state = pile_state_parse(card->v[PCF_STATE]);
	card->v[PCF_STATION_ID] = arena_printf(r->arena, "%lld", (long long)card->station_id);
	card->v[PCF_VERSION] = arena_printf(r->arena, "%d", (int)card->version);
	return PILE_CARD_OK;
}

void
pile_card_hdf(struct req *r, const struct pile_card *card, enum pile_card_view view,
    const char *prefix)
{
	for (int i = 0; i < PCF__MAX; i++) {
		if (!pile_card_shows(view, (enum pile_card_field)i))
			continue;
		tpl_setf(r, card->v[i], "%s.%s", prefix, pile_card_names[i]);
		if (i == PCF_STATE || i == PCF_WARRANTY)
			tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "enum.%s.%s",
			    i == PCF_STATE ? "pile_state" : "warranty", card->v[i])), "%s.%s_label",
			    prefix, pile_card_names[i]);
	}
}

/* "station:12" / "warehouse:3" / "party:7" as the name a person knows. */
#define PLACE_NAME(col)                                                                 \
	"CASE WHEN " col " LIKE 'station:%' THEN (SELECT CONCAT(code, ' ', name) FROM stations" \
	"  WHERE id = SUBSTRING(" col ", 9))"                                            \
	" WHEN " col " LIKE 'warehouse:%' THEN (SELECT name FROM warehouses"              \
	"  WHERE id = SUBSTRING(" col ", 11))"                                           \
	" WHEN " col " LIKE 'party:%' THEN (SELECT name FROM companies WHERE id = SUBSTRING(" col ", 7))" \
	" WHEN " col " = 'none' THEN '—' ELSE " col " END"

/* Columns: at (web), at (phone), kind, from_state, to_state, from_place,
 * to_place, detail, user, field, from_value, to_value. */
static const struct query q_events = {
	"SELECT DATE_FORMAT(" SQL_LOCAL("e.at") ", '%Y-%m-%d %H:%i'),"
	" DATE_FORMAT(" SQL_LOCAL("e.at") ", '%m-%d %H:%i'), e.kind, e.from_state, e.to_state, "
	PLACE_NAME("e.from_place") ", " PLACE_NAME("e.to_place") ", e.detail, u.name, e.field, "
	FIELD_TEXT_SQL("e.field", "e.from_value") ", " FIELD_TEXT_SQL("e.field", "e.to_value")
	" FROM asset_events e LEFT JOIN users u ON u.id = e.user_id"
	" WHERE e.pile_id = ? ORDER BY e.id DESC LIMIT ?",
	"li", "ssssssssssss"
};

/* A label of the language pack: <set>.<code>. */
static const char *
label(struct req *r, const char *set, const char *code)
{
	return tpl_lang(r, arena_printf(r->arena, "%s.%s", set, code));
}

int
pile_card_events(struct req *r, int64_t id, enum pile_card_view view, const char *prefix)
{
	struct db_cur c;
	int n = 0;

	if (db_open(&c, &q_events, id, pile_card_event_limit(view)) < 0)
		return -1;
	while (db_next(&c)) {
		const char *from = db_str(&c, 3), *to = db_str(&c, 4);

		tpl_setf(r, db_str(&c, view == PCV_WEB ? 0 : 1), "%s.%d.at", prefix, n);
		tpl_setf(r, label(r, "event", db_str(&c, 2)), "%s.%d.kind", prefix, n);
		if (view == PCV_WEB && *from)
			tpl_setf(r, label(r, "enum.pile_state", from), "%s.%d.from", prefix, n);
		if (*to)
			tpl_setf(r, label(r, "enum.pile_state", to), "%s.%d.to", prefix, n);
		if (view == PCV_WEB) {
			tpl_setf(r, db_str(&c, 5), "%s.%d.from_place", prefix, n);
			tpl_setf(r, db_str(&c, 6), "%s.%d.to_place", prefix, n);
		} else
			tpl_setf(r, db_str(&c, 6), "%s.%d.place", prefix, n);
		tpl_setf(r, db_str(&c, 7), "%s.%d.detail", prefix, n);
		tpl_setf(r, db_str(&c, 8), "%s.%d.user", prefix, n);
		if (view == PCV_WEB && *db_str(&c, 9)) {
			/* A field change: its label and the values' names. */
			tpl_setf(r, label(r, "f", db_str(&c, 9)), "%s.%d.field", prefix, n);
			for (int k = 10; k <= 11; k++) {
				/* A tariff is money: grouped by thousands (core/text.h). */
				const char *v = db_str(&c, k);
				char m[64];

				if (strcmp(db_str(&c, 9), "tariff") == 0 && text_money(v, m, sizeof(m)) == 0)
					v = arena_strdup(r->arena, m);
				tpl_setf(r, v, k == 10 ? "%s.%d.from_value" : "%s.%d.to_value", prefix, n);
			}
		}
		n++;
	}
	db_close(&c);
	return n;
}
