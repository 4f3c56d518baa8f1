/*
 * Replays every file of a fuzz corpus through a fuzz target (TAP): keeps
 * the inputs that once crashed or were interesting as regression tests,
 * and runs them under ASan/UBSan in `make check`.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Which corpus a replay binary runs by default (tests/fuzz/corpus/<name>). */
#ifndef CA_CORPUS
#define CA_CORPUS "req"
#endif

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : CA_SRCDIR "/tests/fuzz/corpus/" CA_CORPUS;
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), count = 0;

	if (n < 0) {
		printf("Bail out! cannot read %s\n", dir);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		FILE *f;
		uint8_t *buf;
		long len;

		if (names[i]->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		f = fopen(path, "rb");
		if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0) {
			printf("not ok %d - %s unreadable\n", ++count, names[i]->d_name);
			continue;
		}
		rewind(f);
		buf = malloc((size_t)len + 1);
		if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len)
			return 1;
		fclose(f);
		LLVMFuzzerTestOneInput(buf, (size_t)len);
		free(buf);
		printf("ok %d - %s\n", ++count, names[i]->d_name);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	printf("1..%d\n", count);
	return count == 0;
}
