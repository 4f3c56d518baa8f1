/*
 * Fuzz target for the request parsers of untrusted input: urlencoded
 * bodies and query strings, multipart/form-data and JSON bodies.  The
 * first byte of an input picks the parser; the rest is the body.
 *
 * With clang: make fuzz-req (libFuzzer).  Without: replay.c runs the kept
 * corpus (tests/fuzz/corpus/req) in `make check` under the sanitizers.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = {
		"application/x-www-form-urlencoded",
		"multipart/form-data; boundary=XyZ",
		"application/json",
		"multipart/form-data; boundary=\"a b\"",
	};
	static struct arena arena;
	static int ready;
	struct req r;

	if (size < 1)
		return 0;
	if (!ready) {
		arena_init(&arena, 64 << 10);
		ready = 1;
	}
	arena_reset(&arena);
	memset(&r, 0, sizeof(r));
	r.arena = &arena;
	if ((data[0] & 7) == 4) {
		char *qs = arena_strndup(&arena, (const char *)data + 1, size - 1);

		(void)req_parse_query(&r, qs);
	} else {
		r.content_type = types[data[0] & 3];
		(void)req_parse_body(&r, (const char *)data + 1, size - 1);
	}
	/* Everything parsed must be readable. */
	for (struct param *p = r.form; p; p = p->next)
		(void)strlen(p->name), (void)strlen(p->value);
	for (struct upload *u = r.uploads; u; u = u->next)
		if (u->len)
			(void)u->data[u->len - 1];
	return 0;
}
