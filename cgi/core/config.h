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

#endif
