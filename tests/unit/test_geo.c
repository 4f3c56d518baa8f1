/* Unit tests of cgi/model/geo.c with every vector of WECHAT.md §10.3
 * (coordinate conversion) and §10.4 (haversine), at the tolerances stated
 * there: 1e-9° for the published conversions, 5 m for the one-step reverse,
 * 1 mm for the iterative reverse, 1e-6 m for distances (given to 6 places). */
#include "model/geo.h"

#include <math.h>

#include "tap.h"

#define DEG_TOL 1e-9

static void
near_pt(double lat, double lng, double want_lat, double want_lng, double tol,
    const char *name)
{
	int good = fabs(lat - want_lat) <= tol && fabs(lng - want_lng) <= tol;

	ok(good, "%s", name);
	if (!good)
		printf("#   got (%.15f, %.15f), want (%.15f, %.15f)\n", lat, lng, want_lat, want_lng);
}

static void
near_m(double got, double want, double tol, const char *name)
{
	ok(fabs(got - want) <= tol, "%s", name);
	if (fabs(got - want) > tol)
		printf("#   got %.6f m, want %.6f m\n", got, want);
}

int
main(void)
{
	/* C-5..C-7: WGS input and its GCJ output (lat, lng). */
	static const double city[3][4] = {
		{ 31.1774276, 121.5272106, 31.17530398364597, 121.531541859215 },
		{ 22.543847, 113.912316, 22.540796131694766, 113.9171764808363 },
		{ 39.911954, 116.377817, 39.91334545536069, 116.38404722455657 },
	};
	static const char *const city_name[3] = { "Shanghai", "Shenzhen", "Beijing" };
	/* H-3..H-5 expected distances between the two. */
	static const double city_m[3] = { 474.923123, 603.533739, 553.438009 };
	char name[64];
	double lat, lng;

	geo_wgs84_to_gcj02(39.915, 116.404, &lat, &lng);
	near_pt(lat, lng, 39.91640428150164, 116.41024449916938, DEG_TOL, "C-1 wgs84→gcj02");
	geo_gcj02_to_wgs84_approx(39.915, 116.404, &lat, &lng);
	near_pt(lat, lng, 39.91359571849836, 116.39775550083061, DEG_TOL,
	    "C-2 gcj02→wgs84 one step");
	geo_gcj02_to_bd09(39.915, 116.404, &lat, &lng);
	near_pt(lat, lng, 39.92133699351021, 116.41036949371029, DEG_TOL, "C-3 gcj02→bd09");
	geo_bd09_to_gcj02(39.915, 116.404, &lat, &lng);
	near_pt(lat, lng, 39.90865673957631, 116.39762729119315, DEG_TOL, "C-4 bd09→gcj02");

	for (int i = 0; i < 3; i++) {
		geo_wgs84_to_gcj02(city[i][0], city[i][1], &lat, &lng);
		snprintf(name, sizeof(name), "C-%d wgs84→gcj02 (%s)", 5 + i, city_name[i]);
		near_pt(lat, lng, city[i][2], city[i][3], DEG_TOL, name);
	}
	for (int i = 0; i < 3; i++) {
		geo_gcj02_to_wgs84_approx(city[i][2], city[i][3], &lat, &lng);
		ok(geo_haversine_m(lat, lng, city[i][0], city[i][1]) < 5.0,
		    "C-8 one-step reverse of %s within 5 m (%.2f m)", city_name[i],
		    geo_haversine_m(lat, lng, city[i][0], city[i][1]));
	}
	geo_gcj02_to_wgs84(city[2][2], city[2][3], &lat, &lng);
	near_pt(lat, lng, city[2][0], city[2][1], 1e-8, "C-9 iterative reverse, degrees");
	ok(geo_haversine_m(lat, lng, city[2][0], city[2][1]) < 0.001,
	    "C-9 iterative reverse within 1 mm (%.2e m)",
	    geo_haversine_m(lat, lng, city[2][0], city[2][1]));
	for (int i = 0; i < 2; i++) {
		geo_gcj02_to_wgs84(city[i][2], city[i][3], &lat, &lng);
		ok(geo_haversine_m(lat, lng, city[i][0], city[i][1]) < 0.001,
		    "iterative reverse of %s within 1 mm", city_name[i]);
	}

	/* C-10: Paris is outside China and never moves. */
	ok(geo_out_of_china(48.85, 2.35), "C-10 Paris is out of China");
	ok(!geo_out_of_china(53.5, 122.3), "Mohe (53.5°N) is inside the box");
	geo_wgs84_to_gcj02(48.85, 2.35, &lat, &lng);
	ok(lat == 48.85 && lng == 2.35, "C-10 wgs84→gcj02 leaves Paris");
	geo_gcj02_to_wgs84_approx(48.85, 2.35, &lat, &lng);
	ok(lat == 48.85 && lng == 2.35, "C-10 gcj02→wgs84 (one step) leaves Paris");
	geo_gcj02_to_wgs84(48.85, 2.35, &lat, &lng);
	ok(lat == 48.85 && lng == 2.35, "C-10 gcj02→wgs84 (iterative) leaves Paris");
	geo_gcj02_to_bd09(48.85, 2.35, &lat, &lng);
	ok(lat == 48.85 && lng == 2.35, "C-10 gcj02→bd09 leaves Paris");
	geo_bd09_to_gcj02(48.85, 2.35, &lat, &lng);
	ok(lat == 48.85 && lng == 2.35, "C-10 bd09→gcj02 leaves Paris");

	near_m(geo_haversine_m(0, 0, 0, 1), 111194.926645, 1e-6, "H-1 (0,0)–(0,1)");
	near_m(geo_haversine_m(39.9042, 116.4074, 31.2304, 121.4737), 1067310.170927, 1e-6,
	    "H-2 Beijing–Shanghai");
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "H-%d WGS to its GCJ (%s)", 3 + i, city_name[i]);
		near_m(geo_haversine_m(city[i][0], city[i][1], city[i][2], city[i][3]), city_m[i],
		    1e-6, name);
	}
	near_m(geo_haversine_m(31.1774276, 121.5272106, 31.1774276, 121.5272106), 0, 0,
	    "H-6 a point to itself is 0");
	near_m(geo_haversine_m(-33.9, 151.2, -33.9, 151.2), 0, 0, "H-6 (southern point) is 0");

	ok(geo_crs_parse("gcj02") == GEO_GCJ02 && geo_crs_parse("wgs84") == GEO_WGS84,
	    "crs names parse");
	ok(geo_crs_parse("bd09") == GEO__MAX && geo_crs_parse(NULL) == GEO__MAX,
	    "unknown crs is refused");
	return done();
}
