/*
 * pile_card.h — the pile card's read model (model/pile_card.c): one pile's
 * facts as a person reads them (names, not ids) and its last ledger events,
 * read once for the web card (/asset/piles/<id>, its JSON lookup) and the
 * phone card (/wx/p/<code>), each of which shows its own part of them.
 *
 * Data scope is in the SQL, as on every page that reads piles:
 *   PSC_COMPANY   the user's company (every company with scope_all);
 *   PSC_SUPPLIER  the same, and for a supplier user the piles of its own
 *                 supplier (piles.supplier_id) and those of the products
 *                 its company makes (the phone pages).
 * Outside the scope a pile is not found.
 */
#ifndef CA_MODEL_PILE_CARD_H
#define CA_MODEL_PILE_CARD_H

#include <stdbool.h>
#include <stdint.h>

#include "model/pile.h"

struct req;

/* A pile's warranty status against today's date in China, as SQL over p. */
#define PILE_WARRANTY_SQL                                                     \
	"CASE WHEN p.warranty_end IS NULL THEN 'unknown'"                     \
	" WHEN p.warranty_end >= " SQL_TODAY " THEN 'in' ELSE 'out' END"

/* The card's facts; pile_card_names are their HDF names (Page.pile.<name>). */
enum pile_card_field {
	PCF_CODE, PCF_SERIAL_NO, PCF_STATE, PCF_PLACE, PCF_STATION_ID, PCF_STATION,
	PCF_WAREHOUSE, PCF_PARTY, PCF_COMPANY, PCF_MANUFACTURER, PCF_MODEL, PCF_PRODUCT,
	PCF_RATED_POWER_KW, PCF_CURRENT_TYPE, PCF_CONNECTORS, PCF_SW_VERSION, PCF_HW_VERSION,
	PCF_COMM_METHOD, PCF_CHARGING_MODE, PCF_TARIFF, PCF_COMMISSIONED_ON, PCF_WARRANTY_END,
	PCF_WARRANTY, PCF_OWNER, PCF_OPERATOR, PCF_LEASED_FROM, PCF_VERSION, PCF_SUPPLIER,
	PCF_STATION_ADDRESS, PCF__MAX
};
extern const char *const pile_card_names[PCF__MAX];

/* The two cards; each shows its own facts and events (pile_card_shows). */
enum pile_card_view { PCV_WEB, PCV_PHONE, PCV__MAX };

enum pile_scope { PSC_COMPANY, PSC_SUPPLIER, PSC__MAX };

/* One pile's card.  v[] is the text shown ("" for none: a station name, a
 * dictionary item's name, a date as YYYY-MM-DD…), in r's arena. */
struct pile_card {
	int64_t id, station_id, product_id, supplier_id;	/* 0: none */
	int32_t version;
	enum pile_state state;
	const char *v[PCF__MAX];
};

/* Does view show fact f? */
bool pile_card_shows(enum pile_card_view view, enum pile_card_field f);
/* How many ledger events (newest first) view shows. */
int pile_card_event_limit(enum pile_card_view view);

enum { PILE_CARD_OK = 0, PILE_CARD_NONE = -1, PILE_CARD_FAILED = -2 };

/* Read pile id, as the user of r may see it under scope, into *card.
 * PILE_CARD_OK, PILE_CARD_NONE (no such pile in the scope), or
 * PILE_CARD_FAILED (a database error, logged; the request fails). */
int pile_card_load(struct req *r, int64_t id, enum pile_scope scope, struct pile_card *card);

/* The facts view shows into <prefix>.<name> (prefix a literal such as
 * "Page.pile"), with <prefix>.state_label and .warranty_label from the
 * language pack. */
void pile_card_hdf(struct req *r, const struct pile_card *card, enum pile_card_view view,
    const char *prefix);

/* Pile id's last ledger events into <prefix>.N.* as view shows them (the
 * web: at, kind, from, to, from_place, to_place, detail, user and a field
 * change's field, from_value, to_value; the phone: a shorter at, kind, to,
 * place, detail, user), labels from the language pack.  The number of
 * events, or -1 on a database error (logged).  The caller has checked the
 * scope (pile_card_load). */
int pile_card_events(struct req *r, int64_t id, enum pile_card_view view, const char *prefix);

#endif
