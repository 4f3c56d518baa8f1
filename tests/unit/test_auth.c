/* Unit tests of the password policy of cgi/core/auth.c (libpwquality with
 * cracklib's dictionary, issue 9): common and user-derived passwords are
 * refused with their reason, strong ones pass. */
#include "core/auth.h"

#include "tap.h"

static void
refused(const char *pw, const char *user, const char *key)
{
	const char *got = password_policy(pw, user);

	ok(got && strcmp(got, key) == 0, "%s refused as %s (got %s)", pw, key, got ? got : "NULL");
}

int
main(void)
{
	refused("Ab1", NULL, "err.pw_short");
	refused("abcdefgh", NULL, "err.pw_weak");
	refused("password1", NULL, "err.pw_common");
	refused("demo1234", NULL, "err.pw_common");
	refused("aaaaaaa1", NULL, "err.pw_pattern");
	refused("Abcdefg1", NULL, "err.pw_pattern");
	refused("admin2024", "admin", "err.pw_user");
	refused("2024ADMIN", "admin", "err.pw_user");
	refused("nimda2024", "admin", "err.pw_user");
	refused("zhang.wei88", "zhang.wei", "err.pw_user");
	ok(password_policy("Qz8w-Lantu-2026", "admin") == NULL, "a strong password passes");
	ok(password_policy("Newpass2024x", NULL) == NULL, "a strong password passes without a user");
	ok(password_policy("Tr4ck-Pile-2026", "") == NULL, "an empty user name is no user");
	return done();
}
