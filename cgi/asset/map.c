/*
 * map.c — the station map (地图展示, F4.2): a page with the filters, a
 * legend and an empty map element, and the JSON its script loads.
 *
 * The data endpoint is built for national scale (100 000 stations): one
 * query per request, picked from eight literal variants by which filters
 * are in use (so each one is a plain index range, never "? IS NULL OR"),
 * the bound-pile count by a correlated COUNT over ix_piles_station, and
 * the JSON streamed by yajl straight into the raw response body instead of
 * going through the HDF tree.  A user limited to one city company always
 * queries with a company filter (their own unless they chose one; another
 * company's id then finds nothing through the scope term), so
 * ix_stations_company serves every scoped request.
 *
 * Positions are stored in WGS-84; when the configured tiles are GCJ-02
 * (Map.crs = gcj02, Chinese map providers) each position is converted here
 * so markers sit on the right street.  Stations without a position are
 * left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "core/app.h"
#include "core/config.h"
#include "core/crud.h"
#include "core/db.h"
#include "core/log.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/tpl.h"
#include "model/options.h"
#include "model/geo.h"
#include "model/station_state.h"

#include "asset/asset.h"

/* Filter bits: index into q_data. */
enum { MF_COMPANY = 1, MF_CITY = 2, MF_STATE = 4, MF__ALL = 8 };

#define MAP_SELECT                                                              \
	"SELECT s.id, s.code, s.name, s.state, s.lat, s.lng, s.expected_piles,"  \
	" (SELECT COUNT(*) FROM piles p WHERE p.station_id = s.id)"             \
	" FROM stations s"                                                      \
	" WHERE s.lat IS NOT NULL AND s.lng IS NOT NULL" SCOPE_COMPANY("s.company_id")
#define MAP_COLS "lsssssil"

static const struct query q_data[MF__ALL] = {
	[0] = { MAP_SELECT, "il", MAP_COLS },
	[MF_COMPANY] = { MAP_SELECT " AND s.company_id = ?", "ill", MAP_COLS },
	[MF_CITY] = { MAP_SELECT " AND s.city_id = ?", "ill", MAP_COLS },
	[MF_COMPANY | MF_CITY] = {
		MAP_SELECT " AND s.company_id = ? AND s.city_id = ?", "illl", MAP_COLS
	},
	[MF_STATE] = { MAP_SELECT " AND s.state = ?", "ils", MAP_COLS },
	[MF_COMPANY | MF_STATE] = {
		MAP_SELECT " AND s.company_id = ? AND s.state = ?", "ills", MAP_COLS
	},
	[MF_CITY | MF_STATE] = {
		MAP_SELECT " AND s.city_id = ? AND s.state = ?", "ills", MAP_COLS
	},
	[MF_COMPANY | MF_CITY | MF_STATE] = {
		MAP_SELECT " AND s.company_id = ? AND s.city_id = ? AND s.state = ?",
		"illls", MAP_COLS
	},
};

struct map_filter {
	int64_t company_id;	/* 0: any (within scope) */
	int64_t city_id;
	const char *state;	/* NULL: any */
};

/* Read and check the filters; 0, or 400 for a malformed id or an unknown
 * state (an absent or empty one means "any"). */
static int
read_filter(struct req *r, struct map_filter *f)
{
	const char *state = req_query(r, "state");
	int rc;

	memset(f, 0, sizeof(*f));
	if ((rc = req_int64(r, "company_id", &f->company_id)) == -2 ||
	    (rc == 0 && f->company_id <= 0))
		return 400;
	if ((rc = req_int64(r, "city_id", &f->city_id)) == -2 || (rc == 0 && f->city_id <= 0))
		return 400;
	if (state && *state) {
		if (station_state_parse(state) == ST__MAX)
			return 400;
		f->state = state;
	}
	return 0;
}

/* The tiles' datum from the config; an unknown value is logged and read as
 * WGS-84 (the datum positions are stored in). */
static enum geo_crs
map_crs(void)
{
	const char *s = cfg_str("Map.crs", "wgs84");
	enum geo_crs crs = geo_crs_parse(*s ? s : "wgs84");

	if (crs == GEO__MAX) {
		log_warn("Map.crs \"%s\" unknown: using wgs84", s);
		crs = GEO_WGS84;
	}
	return crs;
}

int
map_show(struct req *r)
{
	struct map_filter f;
	int status = read_filter(r, &f);

	if (status != 0)
		return status;
	options_companies(r);
	options_cities(r);
	if (f.company_id)
		tpl_set_int(r, "Page.filter.company_id", f.company_id);
	if (f.city_id)
		tpl_set_int(r, "Page.filter.city_id", f.city_id);
	if (f.state)
		tpl_set(r, "Page.filter.state", f.state);
	tpl_set(r, "Page.map.data_url", "/asset/map/data");
	tpl_set(r, "Page.map.tile_url", cfg_str("Map.tile_url", ""));
	tpl_set(r, "Page.map.crs", geo_crs_names[map_crs()]);
	tpl_set(r, "Page.map.attribution", cfg_str("Map.attribution", ""));
	tpl_set(r, "Page.menu", "asset.map");
	tpl_set(r, "Page.title", tpl_lang(r, "mappage.title"));
	tpl_set(r, "Page.view", "asset/map.cs");
	return 200;
}

/* yajl's output goes straight into the response body. */
static void
to_body(void *ctx, const char *s, size_t len)
{
	buf_append(ctx, s, len);
}

/* A string; one that is not UTF-8 (cannot come from a utf8mb4 column,
 * but yajl refuses it and would leave the map key without a value) is
 * written as "". */
static void
gen_str(yajl_gen g, const char *s, size_t len)
{
	if (yajl_gen_string(g, (const unsigned char *)s, len) != yajl_gen_status_ok)
		yajl_gen_string(g, (const unsigned char *)"", 0);
}

#define GEN_KEY(g, lit) gen_str(g, lit, sizeof(lit) - 1)

/* A position column pair (DECIMAL(9,6) as text) as two JSON numbers, lat
 * then lng, moved to GCJ-02 when the tiles need it. */
static void
gen_position(yajl_gen g, struct db_cur *c, enum geo_crs crs)
{
	char lat[32], lng[32];
	int nlat, nlng;

	if (crs == GEO_WGS84) {
		yajl_gen_number(g, db_str(c, 4), db_len(c, 4));
		yajl_gen_number(g, db_str(c, 5), db_len(c, 5));
		return;
	}
	{
		double glat, glng;

		geo_wgs84_to_gcj02(strtod(db_str(c, 4), NULL), strtod(db_str(c, 5), NULL),
		    &glat, &glng);
		/* Six places, like the stored column: about 0.1 m. */
		nlat = snprintf(lat, sizeof(lat), "%.6f", glat);
		nlng = snprintf(lng, sizeof(lng), "%.6f", glng);
	}
	yajl_gen_number(g, lat, (size_t)nlat);
	yajl_gen_number(g, lng, (size_t)nlng);
}

/* The members of each station's array in the map data, in order. */
static const char *const map_fields[] = {
	"id", "code", "name", "state", "lat", "lng", "piles", "expected",
};

int
map_data(struct req *r)
{
	struct map_filter f;
	struct db_param p[5];
	struct db_cur c;
	enum geo_crs crs = map_crs();
	int status = read_filter(r, &f), n = 0, mask = 0;
	int64_t count = 0;
	yajl_gen g;

	if (status != 0)
		return status;
	/* A scoped user always filters by a company: their own by default. */
	if (!r->user->scope_all && f.company_id == 0)
		f.company_id = r->user->company_id;
	memset(p, 0, sizeof(p));
	p[n].type = 'i';
	p[n++].i = r->user->scope_all ? 1 : 0;
	p[n].type = 'l';
	p[n++].i = r->user->company_id;
	if (f.company_id) {
		mask |= MF_COMPANY;
		p[n].type = 'l';
		p[n++].i = f.company_id;
	}
	if (f.city_id) {
		mask |= MF_CITY;
		p[n].type = 'l';
		p[n++].i = f.city_id;
	}
	if (f.state) {
		mask |= MF_STATE;
		p[n].type = 's';
		p[n++].s = f.state;
	}
	if (db_openv(&c, &q_data[mask], p, n) < 0)
		return 500;

	buf_init(&r->body, r->arena, 64u << 10);
	g = yajl_gen_alloc(NULL);
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	yajl_gen_config(g, yajl_gen_escape_solidus, 1);
	yajl_gen_config(g, yajl_gen_print_callback, to_body, &r->body);
	yajl_gen_map_open(g);
	GEN_KEY(g, "crs");
	gen_str(g, geo_crs_names[crs], strlen(geo_crs_names[crs]));
	/* One array per station in the order of "fields": a company's 10,000
	 * stations are half the bytes they would be as objects. */
	GEN_KEY(g, "fields");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < sizeof(map_fields) / sizeof(map_fields[0]); i++)
		gen_str(g, map_fields[i], strlen(map_fields[i]));
	yajl_gen_array_close(g);
	GEN_KEY(g, "stations");
	yajl_gen_array_open(g);
	while (db_next(&c)) {
		yajl_gen_array_open(g);
		yajl_gen_integer(g, db_i64(&c, 0));
		gen_str(g, db_str(&c, 1), db_len(&c, 1));
		gen_str(g, db_str(&c, 2), db_len(&c, 2));
		gen_str(g, db_str(&c, 3), db_len(&c, 3));
		gen_position(g, &c, crs);
		yajl_gen_integer(g, db_i64(&c, 7));
		yajl_gen_integer(g, db_int(&c, 6));
		yajl_gen_array_close(g);
		count++;
	}
	db_close(&c);
	yajl_gen_array_close(g);
	GEN_KEY(g, "count");
	yajl_gen_integer(g, count);
	yajl_gen_map_close(g);
	yajl_gen_free(g);

	r->raw = true;
	r->raw_type = "application/json";
	req_header(r, "Cache-Control", "no-store");
	app_cacheable();	/* filters, user and data decide the answer */
	return 200;
}
