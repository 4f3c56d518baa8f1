/*
 * tap.h — a tiny TAP producer for the unit tests (automake's tap-driver
 * reads it).  ok(cond, name) prints one line; done() prints the plan.
 */
#ifndef CA_TAP_H
#define CA_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) do {                                      \
	int ok_ = (cond) ? 1 : 0;                               \
	printf("%sok %d - ", ok_ ? "" : "not ", ++tap_n);       \
	printf(__VA_ARGS__);                                    \
	printf("\n");                                           \
	if (!ok_) {                                             \
		tap_failed++;                                   \
		printf("#   at %s:%d\n", __FILE__, __LINE__);      \
	}                                                       \
} while (0)

#define is_str(got, want, name) do {                            \
	const char *g_ = (got), *w_ = (want);                   \
	ok(g_ && strcmp(g_, w_) == 0, "%s", name);              \
	if (!(g_ && strcmp(g_, w_) == 0))                       \
		printf("#   got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)", w_); \
} while (0)

static inline int
done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
