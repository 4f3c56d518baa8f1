/*
 * version.h — software / hardware version strings of charging piles and
 * their comparison (F4.24).
 *
 * A version is an optional prefix of up to 4 letters (any case, ignored)
 * followed by 1 to 4 numeric parts of 1 to 6 digits separated by dots:
 * "V1.10.2", "H2.0", "3.0.0.17".  Parts compare as numbers, left to right,
 * missing trailing parts counting as 0, so "V1.10.2" > "V1.9.9",
 * "V2.1" == "V2.1.0" == "2.01.0" and "V3" > "V2.99".  Anything else
 * ("", "beta", "V2.1.3-rc1") is unrecognised: such a pile's version is
 * "unknown" and is listed apart, never counted as below or at target.
 *
 * The key is the four parts zero-padded to 6 digits each (24 digits), so
 * two keys compare as strings exactly as the versions compare.  The
 * database computes the same key in generated columns
 * (db/migrations/0011_versions.sql: piles.sw_key / hw_key,
 * product_versions.sw_key / hw_key), so lists filter and sort by it; this
 * file is the reference the unit tests pin down (tests/unit/test_version.c).
 */
#ifndef CA_MODEL_VERSION_H
#define CA_MODEL_VERSION_H

#include <stdbool.h>

#define VERSION_MAXLEN 32	/* characters, as piles.sw_version */
#define VERSION_KEYLEN 24

/* Fill key (VERSION_KEYLEN + 1 bytes) from s; true when s is a version,
 * false (key = "") when it is unrecognised or NULL. */
bool version_key(const char *s, char key[VERSION_KEYLEN + 1]);

/* Compare two versions: <0, 0, >0; *known is false (and 0 returned) when
 * either is unrecognised. */
int version_cmp(const char *a, const char *b, bool *known);

#endif
