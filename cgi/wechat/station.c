/*
 * station.c — binding a pile to a station from the phone, nearest first.
 *
 * The page asks the phone for its position as WGS-84 (wx.getLocation with
 * type 'wgs84' inside WeChat, navigator.geolocation elsewhere: both give
 * WGS-84) and reloads itself with ?lat=&lng=; stations are stored in WGS-84,
 * so no datum crosses here.  A search box (?q=) finds a station by code,
 * name or address, ordered by distance when the position is known.
 *
 * Nearest stations at national scale: a bounding box on (lat, lng)
 * (index ix_stations_position) around the phone, widened step by step,
 * then the haversine distance in SQL (R = 6 371 000 m, as model/geo.c) to
 * order what is inside.  A box of half-size d degrees of latitude holds
 * every station within d * 111 km, so once the LIMIT-th row is nearer than
 * that the list is exactly the nearest ones; otherwise the box grows.
 * Everything is in the user's scope and leaves closed stations out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/form.h"
#include "core/idem.h"
#include "core/phone.h"
#include "core/req.h"
#include "core/scope.h"
#include "core/text.h"
#include "core/tpl.h"
#include "model/pile.h"

#include "wechat/wx.h"

#define NEAR_LIMIT 12

#define HAVERSINE_SQL                                                                  \
	"12742000 * ASIN(SQRT(LEAST(1, POW(SIN(RADIANS(s.lat - ?) / 2), 2)"             \
	" + COS(RADIANS(?)) * COS(RADIANS(s.lat)) * POW(SIN(RADIANS(s.lng - ?) / 2), 2))))"

static const struct query q_near = {
	"SELECT s.id, s.code, s.name, COALESCE(s.address, ''), s.state, " HAVERSINE_SQL " AS d"
	" FROM stations s WHERE s.lat BETWEEN ? AND ? AND s.lng BETWEEN ? AND ?"
	" AND s.state <> 'closed'" SCOPE_COMPANY("s.company_id")
	" ORDER BY d, s.code LIMIT 12",
	"ddd" "dddd" "il", "lssssd"
};
static const struct query q_near_all = {
	"SELECT s.id, s.code, s.name, COALESCE(s.address, ''), s.state, " HAVERSINE_SQL " AS d"
	" FROM stations s WHERE s.lat IS NOT NULL"
	" AND s.state <> 'closed'" SCOPE_COMPANY("s.company_id")
	" ORDER BY d, s.code LIMIT 12",
	"ddd" "il", "lssssd"
};
static const struct query q_search_near = {
	"SELECT s.id, s.code, s.name, COALESCE(s.address, ''), s.state,"
	" IF(s.lat IS NULL, NULL, " HAVERSINE_SQL ") AS d"
	" FROM stations s WHERE (s.code LIKE ? OR s.name LIKE ? OR s.address LIKE ?)"
	" AND s.state <> 'closed'" SCOPE_COMPANY("s.company_id")
	" ORDER BY d IS NULL, d, s.code LIMIT 12",
	"ddd" "sss" "il", "lssssd"
};
static const struct query q_search = {
	"SELECT s.id, s.code, s.name, COALESCE(s.address, ''), s.state, NULL"
	" FROM stations s WHERE (s.code LIKE ? OR s.name LIKE ? OR s.address LIKE ?)"
	" AND s.state <> 'closed'" SCOPE_COMPANY("s.company_id")
	" ORDER BY s.code LIMIT 12",
	"sss" "il", "lssssd"
};

/* One row of a station list into Page.stations.N; returns its distance. */
static double
station_row(struct req *r, struct db_cur *c, int n)
{
	double d = db_null(c, 5) ? -1 : db_dbl(c, 5);

	tpl_setf(r, arena_printf(r->arena, "%lld", (long long)db_i64(c, 0)), "Page.stations.%d.id", n);
	tpl_setf(r, db_str(c, 1), "Page.stations.%d.code", n);
	tpl_setf(r, db_str(c, 2), "Page.stations.%d.name", n);
	tpl_setf(r, db_str(c, 3), "Page.stations.%d.address", n);
	tpl_setf(r, tpl_lang(r, arena_printf(r->arena, "enum.station_state.%s", db_str(c, 4))),
	    "Page.stations.%d.state", n);
	if (d >= 0) {
		tpl_setf(r, arena_printf(r->arena, "%.0f", d), "Page.stations.%d.distance_m", n);
		tpl_setf(r, d < 1000 ? arena_printf(r->arena, "%.0f m", d) :
		    arena_printf(r->arena, "%.1f km", d / 1000), "Page.stations.%d.distance", n);
	}
	return d;
}

/* A coordinate parameter: 0 ok, -1 absent, -2 malformed or out of range. */
static int
coord(struct req *r, const char *name, double lim, double *out)
{
	const char *s = req_query(r, name);
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return -1;
	if (strlen(s) > 20)
		return -2;
	v = strtod(s, &end);
	if (*end != '\0' || !isfinite(v) || v < -lim || v > lim)
		return -2;
	*out = v;
	return 0;
}

/* Fill Page.stations from the position and/or the search text. */
static int
stations_fill(struct req *r, bool have_pos, double lat, double lng, const char *q)
{
	int sa = (int)r->user->scope_all, n = 0;
	int64_t co = r->user->company_id;
	struct db_cur c;

	if (q && *q) {
		char *like = arena_printf(r->arena, "%%%s%%", q);

		if (have_pos ? db_open(&c, &q_search_near, lat, lat, lng, like, like, like, sa, co) :
		    db_open(&c, &q_search, like, like, like, sa, co))
			return -1;
		while (db_next(&c))
			station_row(r, &c, n++);
		db_close(&c);
		return n;
	}
	if (!have_pos)
		return 0;
	/* Boxes of ±0.05°, ±0.3°, ±2° of latitude (about 5.5, 33, 220 km), then all. */
	static const double steps[] = { 0.05, 0.3, 2.0 };
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		double dl = steps[i], cosl = cos(lat * M_PI / 180.0);
		double dg = cosl > 0.01 ? dl / cosl : 180.0, last = -1;

		hdf_remove_tree(r->hdf, "Page.stations");
		n = 0;
		if (db_open(&c, &q_near, lat, lat, lng, lat - dl, lat + dl, lng - dg, lng + dg, sa, co))
			return -1;
		while (db_next(&c))
			last = station_row(r, &c, n++);
		db_close(&c);
		/* Exact when the farthest listed is inside the circle the box holds. */
		if (n == NEAR_LIMIT && last <= dl * 111195.0)
			return n;
	}
	hdf_remove_tree(r->hdf, "Page.stations");
	n = 0;
	if (db_open(&c, &q_near_all, lat, lat, lng, sa, co))
		return -1;
	while (db_next(&c))
		station_row(r, &c, n++);
	db_close(&c);
	return n;
}

/* The station page: the list for the query's position/search, the form. */
static int
station_page(struct req *r, const struct wx_pile *p, int status)
{
	double lat = 0, lng = 0;
	int la = coord(r, "lat", 90, &lat), lo = coord(r, "lng", 180, &lng);
	const char *q = req_query(r, "q"), *blocked;
	bool have_pos = la == 0 && lo == 0;
	int n;

	if (la == -2 || lo == -2 || (la == 0) != (lo == 0)) {
		tpl_set(r, "Page.error", tpl_lang(r, "wx.err.position"));
		have_pos = false;
		if (status == 200)
			status = 422;
	}
	if (q) {
		q = text_trim(arena_strdup(r->arena, q));
		if (utf8_chars(q, strlen(q)) > 50) {
			tpl_set(r, "Page.error", tpl_lang(r, "wx.err.search"));
			q = NULL;
			if (status == 200)
				status = 422;
		} else
			tpl_set(r, "Page.q", q);
	}
	if (have_pos) {
		tpl_set(r, "Page.lat", arena_printf(r->arena, "%.6f", lat));
		tpl_set(r, "Page.lng", arena_printf(r->arena, "%.6f", lng));
	}
	if ((n = stations_fill(r, have_pos, lat, lng, q)) < 0)
		return 500;
	tpl_set_int(r, "Page.count", n);
	tpl_set(r, "Page.code", p->code);
	tpl_set(r, "Page.pile.code", p->code);
	tpl_set(r, "Page.pile.state_label", tpl_lang(r, arena_printf(r->arena,
	    "enum.pile_state.%s", p->state)));
	/* What pile_bind() would refuse whatever station is chosen (model/pile_state.c). */
	if ((blocked = pile_bind_blocked(p->product_id != 0, p->station_id,
	    pile_state_parse(p->state), 0)) != NULL)
		tpl_set(r, "Page.blocked", tpl_lang(r, blocked));
	idem_fresh(r);
	phone_page(r, tpl_lang(r, "wx.station_title"), "wechat/station.cs", NULL);
	return status;
}

int
wx_station_form(struct req *r)
{
	struct wx_pile p;
	int rc = wx_pile_find(r, &p);

	if (rc != 0) {
		phone_page(r, tpl_lang(r, "wx.scan_title"), "wechat/missing.cs", NULL);
		return rc;
	}
	return station_page(r, &p, 200);
}

static const struct query q_station_in_scope = {
	"SELECT COUNT(*) FROM stations WHERE id = ? AND (? OR company_id = ?)", "lil", "l"
};

int
wx_station_bind(struct req *r)
{
	struct wx_pile p;
	int64_t station;
	int rc = wx_pile_find(r, &p);
	const char *refused;

	if (rc != 0) {
		phone_page(r, tpl_lang(r, "wx.scan_title"), "wechat/missing.cs", NULL);
		return rc;
	}
	if ((rc = idem_begin(r, req_param(r, IDEM_PARAM), "station", p.id)) != 0) {
		if (rc == 422 || rc == 409) {
			const char *msg = tpl_get(r, "Page.error");

			rc = station_page(r, &p, rc);
			tpl_set(r, "Page.error", msg);
		}
		return rc;
	}
	rc = req_int64(r, "station_id", &station);
	if (rc != 0 || station <= 0 ||
	    db_scalar(0, &q_station_in_scope, station, SCOPE_ARGS(r)) == 0) {
		int status = station_page(r, &p, 422);

		tpl_set(r, "Page.error", tpl_lang(r, rc == -1 ? "wx.err.choose_station" :
		    "err.bind_station"));
		form_error(r, "station_id", rc == -1 ? "err.required" : "err.ref");
		return status;
	}
	if ((refused = pile_bind(r, p.id, station)) != NULL) {
		int status = station_page(r, &p, 409);

		tpl_set(r, "Page.error", tpl_lang(r, refused));
		return status;
	}
	/* pile_bind() wrote the update records, exactly as for the web form. */
	return idem_done(r, arena_printf(r->arena, "/wx/p/%s?done=station", p.code));
}
