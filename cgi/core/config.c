/*
 * config.c — HDF configuration.  Values are never written after load, so
 * every process of every worker sees the same settings.
 */
#include "core/config.h"

#include <stdio.h>
#include <stdlib.h>

#include <ClearSilver.h>

#include "core/tpl.h"

static HDF *root;

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
	return root;
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
