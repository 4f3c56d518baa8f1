/*
 * config.c — HDF configuration.  Values are never written after load, so
 * every process of every worker sees the same settings.
 */
#include "core/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ClearSilver.h>

#include "core/tpl.h"

static HDF *root;
static char tz_name[64] = "Asia/Shanghai";

HDF *
cfg_load(const char *path)
{
	NEOERR *err;

	if (hdf_init(&root) != STATUS_OK)
		abort();
	err = hdf_read_file(root, path);
	if (err != STATUS_OK) {
		fprintf(stderr, "cannot read config %s\n", path);
		tpl_log_neoerr(err);
		exit(1);
	}
	if (!cfg_set_tz(hdf_get_value(root, "Site.tz", "Asia/Shanghai"))) {
		fprintf(stderr, "config %s: Site.tz is not a time zone name\n", path);
		exit(1);
	}
	return root;
}

int
cfg_set_tz(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	/* "Area/City", "UTC", "+08:00": letters, digits and _ / + - : only (the
	 * name also reaches the database as a parameter, never as SQL text). */
	if (n == 0 || n >= sizeof(tz_name) || name[0] == '/' || strstr(name, ".."))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || strchr("_/+-:", name[i])))
			return 0;
	memcpy(tz_name, name, n + 1);
	setenv("TZ", tz_name, 1);
	tzset();
	return 1;
}

const char *
cfg_tz(void)
{
	return tz_name;
}

long
cfg_utc_offset(long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return tm.tm_gmtoff;
}

long
cfg_local_day(long t)
{
	long s = t + cfg_utc_offset(t);

	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

HDF *
cfg_root(void)
{
	return root;
}

const char *
cfg_str(const char *name, const char *dflt)
{
	return root ? hdf_get_value(root, name, dflt) : dflt;
}

int
cfg_int(const char *name, int dflt)
{
	return root ? hdf_get_int_value(root, name, dflt) : dflt;
}
