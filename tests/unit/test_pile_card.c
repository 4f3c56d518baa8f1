/*
 * Unit tests of the pure part of cgi/model/pile_card.c: the facts' names
 * (the HDF names the templates and the JSON lookup read) and which card
 * shows which fact and how many events.  The reads are the HTTP tests'.
 */
#include <string.h>

#include "model/pile_card.h"

#include "tap.h"

int
main(void)
{
	/* Name, shown on the web card, shown on the phone card. */
	static const struct { const char *name; bool web, phone; } want[PCF__MAX] = {
		[PCF_CODE] = { "code", true, true },
		[PCF_SERIAL_NO] = { "serial_no", true, true },
		[PCF_STATE] = { "state", true, true },
		[PCF_PLACE] = { "place", true, false },
		[PCF_STATION_ID] = { "station_id", true, false },
		[PCF_STATION] = { "station", true, true },
		[PCF_WAREHOUSE] = { "warehouse", true, true },
		[PCF_PARTY] = { "party", true, true },
		[PCF_COMPANY] = { "company", true, true },
		[PCF_MANUFACTURER] = { "manufacturer", true, true },
		[PCF_MODEL] = { "model", true, true },
		[PCF_PRODUCT] = { "product", true, true },
		[PCF_RATED_POWER_KW] = { "rated_power_kw", true, true },
		[PCF_CURRENT_TYPE] = { "current_type", true, true },
		[PCF_CONNECTORS] = { "connectors", true, false },
		[PCF_SW_VERSION] = { "sw_version", true, true },
		[PCF_HW_VERSION] = { "hw_version", true, true },
		[PCF_COMM_METHOD] = { "comm_method", true, true },
		[PCF_CHARGING_MODE] = { "charging_mode", true, true },
		[PCF_TARIFF] = { "tariff", true, true },
		[PCF_COMMISSIONED_ON] = { "commissioned_on", true, true },
		[PCF_WARRANTY_END] = { "warranty_end", true, true },
		[PCF_WARRANTY] = { "warranty", true, true },
		[PCF_OWNER] = { "owner", true, false },
		[PCF_OPERATOR] = { "operator", true, false },
		[PCF_LEASED_FROM] = { "leased_from", true, false },
		[PCF_VERSION] = { "version", true, false },
		[PCF_SUPPLIER] = { "supplier", false, true },
		[PCF_STATION_ADDRESS] = { "station_address", false, true },
	};

	for (int f = 0; f < PCF__MAX; f++) {
		is_str(pile_card_names[f], want[f].name, want[f].name);
		ok(pile_card_shows(PCV_WEB, (enum pile_card_field)f) == want[f].web, "web card %s %s",
		    want[f].web ? "shows" : "leaves out", want[f].name);
		ok(pile_card_shows(PCV_PHONE, (enum pile_card_field)f) == want[f].phone,
		    "phone card %s %s", want[f].phone ? "shows" : "leaves out", want[f].name);
		for (int g = 0; g < f; g++)
			if (strcmp(pile_card_names[f], pile_card_names[g]) == 0)
				ok(0, "name %s twice", pile_card_names[f]);
	}
	ok(!pile_card_shows(PCV__MAX, PCF_CODE), "an unknown card shows nothing");
	ok(!pile_card_shows(PCV_WEB, PCF__MAX), "an unknown fact is not shown");
	ok(pile_card_event_limit(PCV_WEB) == 50, "web card: the last 50 events");
	ok(pile_card_event_limit(PCV_PHONE) == 8, "phone card: the last 8 events");
	ok(pile_card_event_limit(PCV__MAX) == 0, "an unknown card: no events");
	return done();
}
