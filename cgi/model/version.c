/*
 * version.c — version keys and comparison; the grammar and the key are
 * described in version.h.  Pure functions, no allocation.
 */
#include "model/version.h"

#include <string.h>

bool
version_key(const char *s, char key[VERSION_KEYLEN + 1])
{
	char parts[4][7];
	int np = 0, letters = 0;

	key[0] = '\0';
	if (s == NULL)
		return false;
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
		if (++letters > 4)
			return false;
		s++;
	}
	for (;;) {
		int n = 0;

		if (np == 4)
			return false;
		while (*s >= '0' && *s <= '9') {
			if (n == 6)
				return false;
			parts[np][n++] = *s++;
		}
		if (n == 0)
			return false;
		parts[np][n] = '\0';
		np++;
		if (*s == '\0')
			break;
		if (*s++ != '.')
			return false;
	}
	for (int i = 0; i < 4; i++) {
		const char *p = i < np ? parts[i] : "";
		size_t len = strlen(p);

		memset(key + i * 6, '0', 6 - len);
		memcpy(key + i * 6 + (6 - len), p, len);
	}
	key[VERSION_KEYLEN] = '\0';
	return true;
}

int
version_cmp(const char *a, const char *b, bool *known)
{
	char ka[VERSION_KEYLEN + 1], kb[VERSION_KEYLEN + 1];

	*known = version_key(a, ka) && version_key(b, kb);
	return *known ? strcmp(ka, kb) : 0;
}
