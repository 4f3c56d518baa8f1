/*
 * geo.c — WGS-84 / GCJ-02 / BD-09 conversions and haversine, written from
 * the public algorithm in WECHAT.md §7.1 (not copied from eviltransform,
 * whose stored C revision is broken).  The GCJ-02 offset is a closed form
 * of the WGS-84 position, so the forward direction is exact and the reverse
 * is a fixed-point iteration w ← g − δ(w), which converges in a few rounds
 * because δ varies slowly (metres per kilometre).
 */
#include "model/geo.h"

#include <math.h>
#include <string.h>

#define GEO_PI 3.1415926535897932384626
#define GEO_X_PI (GEO_PI * 3000.0 / 180.0)
#define GEO_A 6378245.0			/* Krasovsky 1940 semi-major axis */
#define GEO_EE 0.00669342162296594323	/* its eccentricity squared */
#define GEO_R 6371000.0			/* mean Earth radius, metres */

const char *const geo_crs_names[GEO__MAX + 1] = {
	[GEO_WGS84] = "wgs84",
	[GEO_GCJ02] = "gcj02",
	[GEO__MAX] = NULL,
};

enum geo_crs
geo_crs_parse(const char *s)
{
	for (int i = 0; s && i < GEO__MAX; i++)
		if (strcmp(geo_crs_names[i], s) == 0)
			return (enum geo_crs)i;
	return GEO__MAX;
}

bool
geo_out_of_china(double lat, double lng)
{
	return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

static double
transform_lat(double x, double y)
{
	double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));

	r += (20.0 * sin(6.0 * x * GEO_PI) + 20.0 * sin(2.0 * x * GEO_PI)) * 2.0 / 3.0;
	r += (20.0 * sin(y * GEO_PI) + 40.0 * sin(y / 3.0 * GEO_PI)) * 2.0 / 3.0;
	r += (160.0 * sin(y / 12.0 * GEO_PI) + 320.0 * sin(y * GEO_PI / 30.0)) * 2.0 / 3.0;
	return r;
}

static double
transform_lng(double x, double y)
{
	double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));

	r += (20.0 * sin(6.0 * x * GEO_PI) + 20.0 * sin(2.0 * x * GEO_PI)) * 2.0 / 3.0;
	r += (20.0 * sin(x * GEO_PI) + 40.0 * sin(x / 3.0 * GEO_PI)) * 2.0 / 3.0;
	r += (150.0 * sin(x / 12.0 * GEO_PI) + 300.0 * sin(x / 30.0 * GEO_PI)) * 2.0 / 3.0;
	return r;
}

/* The GCJ-02 offset (degrees) evaluated at (lat, lng). */
static void
delta(double lat, double lng, double *dlat, double *dlng)
{
	double a = transform_lat(lng - 105.0, lat - 35.0);
	double b = transform_lng(lng - 105.0, lat - 35.0);
	double rad = lat / 180.0 * GEO_PI;
	double magic = sin(rad);
	double sq;

	magic = 1 - GEO_EE * magic * magic;
	sq = sqrt(magic);
	*dlat = (a * 180.0) / ((GEO_A * (1 - GEO_EE)) / (magic * sq) * GEO_PI);
	*dlng = (b * 180.0) / (GEO_A / sq * cos(rad) * GEO_PI);
}

void
geo_wgs84_to_gcj02(double lat, double lng, double *out_lat, double *out_lng)
{
	double dlat, dlng;

	if (geo_out_of_china(lat, lng)) {
		*out_lat = lat;
		*out_lng = lng;
		return;
	}
	delta(lat, lng, &dlat, &dlng);
	*out_lat = lat + dlat;
	*out_lng = lng + dlng;
}

void
geo_gcj02_to_wgs84_approx(double lat, double lng, double *out_lat, double *out_lng)
{
	double dlat, dlng;

	if (geo_out_of_china(lat, lng)) {
		*out_lat = lat;
		*out_lng = lng;
		return;
	}
	delta(lat, lng, &dlat, &dlng);
	*out_lat = lat - dlat;
	*out_lng = lng - dlng;
}

void
geo_gcj02_to_wgs84(double lat, double lng, double *out_lat, double *out_lng)
{
	double wlat = lat, wlng = lng;

	if (!geo_out_of_china(lat, lng)) {
		for (int i = 0; i < 10; i++) {
			double dlat, dlng, nlat, nlng, step;

			delta(wlat, wlng, &dlat, &dlng);
			nlat = lat - dlat;
			nlng = lng - dlng;
			step = fabs(nlat - wlat) + fabs(nlng - wlng);
			wlat = nlat;
			wlng = nlng;
			if (step < 1e-12)
				break;
		}
	}
	*out_lat = wlat;
	*out_lng = wlng;
}

void
geo_gcj02_to_bd09(double lat, double lng, double *out_lat, double *out_lng)
{
	double z, t;

	if (geo_out_of_china(lat, lng)) {
		*out_lat = lat;
		*out_lng = lng;
		return;
	}
	z = sqrt(lng * lng + lat * lat) + 0.00002 * sin(lat * GEO_X_PI);
	t = atan2(lat, lng) + 0.000003 * cos(lng * GEO_X_PI);
	*out_lng = z * cos(t) + 0.0065;
	*out_lat = z * sin(t) + 0.006;
}

void
geo_bd09_to_gcj02(double lat, double lng, double *out_lat, double *out_lng)
{
	double x = lng - 0.0065, y = lat - 0.006, z, t;

	if (geo_out_of_china(lat, lng)) {
		*out_lat = lat;
		*out_lng = lng;
		return;
	}
	z = sqrt(x * x + y * y) - 0.00002 * sin(y * GEO_X_PI);
	t = atan2(y, x) - 0.000003 * cos(x * GEO_X_PI);
	*out_lng = z * cos(t);
	*out_lat = z * sin(t);
}

double
geo_haversine_m(double lat1, double lng1, double lat2, double lng2)
{
	double p1 = lat1 * GEO_PI / 180.0, p2 = lat2 * GEO_PI / 180.0;
	double dp = p2 - p1, dl = (lng2 - lng1) * GEO_PI / 180.0;
	double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);

	if (a < 0)
		a = 0;
	if (a > 1)
		a = 1;
	return 2 * GEO_R * asin(sqrt(a));
}
