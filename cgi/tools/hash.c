/*
 * ca-hash — read a password on stdin, print its argon2id hash.  Used by
 * the demo loader and by operators creating the first administrator.
 *
 * `ca-hash --check USER` first applies the password policy of every other
 * place a password is set (core/auth.c password_policy, with USER as the
 * account's name) and prints the refusal's reason instead of a hash (exit
 * 2).  The demo loader hashes the fixed demo password without the check.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/auth.h"

/* English reasons of the policy's language keys (no language pack here). */
static const char *
reason(const char *key)
{
	static const struct {
		const char *key, *text;
	} msgs[] = {
		{ "err.pw_short", "at least 8 characters" },
		{ "err.pw_long", "at most 128 bytes" },
		{ "err.pw_weak", "letters and digits both needed" },
		{ "err.pw_common", "too common: a dictionary word or a simple pattern" },
		{ "err.pw_user", "contains the user name" },
		{ "err.pw_pattern", "too many repeated or sequential characters" },
	};

	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (strcmp(msgs[i].key, key) == 0)
			return msgs[i].text;
	return key;
}

int
main(int argc, char **argv)
{
	char pw[256], hash[crypto_pwhash_STRBYTES];
	const char *user = NULL, *policy;
	size_t n;

	if (argc == 3 && strcmp(argv[1], "--check") == 0)
		user = argv[2];
	else if (argc != 1) {
		fprintf(stderr, "usage: ca-hash [--check USER] < password\n");
		return 64;
	}
	if (sodium_init() < 0)
		return 1;
	n = fread(pw, 1, sizeof(pw) - 1, stdin);
	pw[n] = '\0';
	pw[strcspn(pw, "\r\n")] = '\0';
	if (user && (policy = password_policy(pw, user)) != NULL) {
		fprintf(stderr, "ca-hash: password refused: %s\n", reason(policy));
		sodium_memzero(pw, sizeof(pw));
		return 2;
	}
	if (*pw == '\0' || password_hash(pw, hash, sizeof(hash)) != 0) {
		fprintf(stderr, "ca-hash: empty password or hashing failed\n");
		return 1;
	}
	puts(hash);
	sodium_memzero(pw, sizeof(pw));
	return 0;
}
