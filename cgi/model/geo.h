/*
 * geo.h — map datums and distance (WECHAT.md §7).  Stations are stored in
 * WGS-84; maps of mainland China (Tencent, AMap) and WeChat's gcj02 fixes
 * use GCJ-02, offset by 300–700 m, so every position crosses a datum here
 * before it is shown or compared.  BD-09 (Baidu) is GCJ-02 plus one more
 * offset.  Pure functions of doubles: no state, no allocation, no errors.
 */
#ifndef CA_MODEL_GEO_H
#define CA_MODEL_GEO_H

#include <stdbool.h>

/* The coordinate system of a map's tiles (config Map.crs). */
enum geo_crs {
	GEO_WGS84,
	GEO_GCJ02,
	GEO__MAX
};

extern const char *const geo_crs_names[GEO__MAX + 1];	/* NULL-terminated */

/* The system named s ("wgs84", "gcj02"), or GEO__MAX when unknown. */
enum geo_crs geo_crs_parse(const char *s);

/* Outside the box where the GCJ-02 offset applies (eviltransform's box:
 * lng 72.004–137.8347, lat 0.8293–55.8271)?  Points there are never moved. */
bool geo_out_of_china(double lat, double lng);

/* WGS-84 → GCJ-02, exact to double precision (the offset is defined this way). */
void geo_wgs84_to_gcj02(double lat, double lng, double *out_lat, double *out_lng);
/* GCJ-02 → WGS-84 in one step (the offset evaluated at the GCJ point):
 * within a few metres. */
void geo_gcj02_to_wgs84_approx(double lat, double lng, double *out_lat, double *out_lng);
/* GCJ-02 → WGS-84 by fixed-point iteration until the step is below 1e-12°
 * (at most 10 rounds): well under a millimetre. */
void geo_gcj02_to_wgs84(double lat, double lng, double *out_lat, double *out_lng);
/* GCJ-02 ⇄ BD-09 (Baidu). */
void geo_gcj02_to_bd09(double lat, double lng, double *out_lat, double *out_lng);
void geo_bd09_to_gcj02(double lat, double lng, double *out_lat, double *out_lng);

/* Great-circle distance in metres on a sphere of radius 6 371 000 m. */
double geo_haversine_m(double lat1, double lng1, double lat2, double lng2);

#endif
