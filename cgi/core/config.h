/*
 * config.h — the process configuration (etc/chargeasset.hdf), loaded once
 * at start and read only afterwards.
 */
#ifndef CA_CONFIG_H
#define CA_CONFIG_H

typedef struct _hdf HDF;

/* Load the HDF file; exits with a message when it cannot be read. */
HDF *cfg_load(const char *path);
HDF *cfg_root(void);
const char *cfg_str(const char *name, const char *dflt);
int cfg_int(const char *name, int dflt);

/*
 * The site's time zone (Site.tz, an IANA name such as Asia/Shanghai; default
 * Asia/Shanghai).  Times are stored in UTC; "today", the dates people type
 * and the times they read are in this zone.  cfg_load() sets it as the
 * process's TZ, so localtime_r() agrees, and every database session runs
 * with it as time_zone (core/db.c), so SQL says CURDATE() and converts with
 * SQL_LOCAL()/SQL_UTC() of core/db.h — one definition, driven by the file.
 */
const char *cfg_tz(void);
/* Switch the process to zone name (what cfg_load does with Site.tz); false
 * when the name is not a plain zone name (the zone stays as it was). */
int cfg_set_tz(const char *name);
/* Seconds east of UTC of the site's zone at t. */
long cfg_utc_offset(long t);
/* Days since 1970-01-01 of the site's calendar date at t. */
long cfg_local_day(long t);

#endif
