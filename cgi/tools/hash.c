/*
 * ca-hash — read a password on stdin, print its argon2id hash.  Used by
 * the demo loader and by operators creating the first administrator.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/auth.h"

int
main(void)
{
	char pw[256], hash[crypto_pwhash_STRBYTES];
	size_t n;

	if (sodium_init() < 0)
		return 1;
	n = fread(pw, 1, sizeof(pw) - 1, stdin);
	pw[n] = '\0';
	pw[strcspn(pw, "\r\n")] = '\0';
	if (*pw == '\0' || password_hash(pw, hash, sizeof(hash)) != 0) {
		fprintf(stderr, "ca-hash: empty password or hashing failed\n");
		return 1;
	}
	puts(hash);
	sodium_memzero(pw, sizeof(pw));
	return 0;
}
