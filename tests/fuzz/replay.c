/* SPDX-License-Identifier: GPL-2.0-or-later */
/* main() for a fuzz target outside libFuzzer: run every file of the
 * target's seed corpus (CORPUS, or the files and directories given)
 * through LLVMFuzzerTestOneInput and print TAP. 'make check' runs it in
 * the normal and the sanitizer builds, so the seeds and every crash the
 * fuzzer ever found (kept in the corpus) stay tested. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int count;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f) {
		printf("not ok %d - %s: %s\n", ++count, path, strerror(errno));
		return 1;
	}
	for (;;) {
		size_t n;

		if (len == cap) {
			unsigned char *p = realloc(buf, cap = cap ? cap * 2 : 4096);

			if (!p) {
				fclose(f);
				free(buf);
				printf("not ok %d - %s: out of memory\n", ++count, path);
				return 1;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	/* an exact-size copy, so that reading past the end is caught */
	{
		unsigned char *exact = malloc(len ? len : 1);

		if (exact) {
			memcpy(exact, buf, len);
			LLVMFuzzerTestOneInput(exact, len);
			free(exact);
		}
	}
	free(buf);
	printf("ok %d - %s\n", ++count, path);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int failed = 0;
	DIR *d;

	if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode))
		return run_file(path);
	d = opendir(path);
	if (!d) {
		printf("not ok %d - %s: %s\n", ++count, path, strerror(errno));
		return 1;
	}
	while ((de = readdir(d))) {
		char **v;

		if (de->d_name[0] == '.')
			continue;
		v = realloc(names, (n + 1) * sizeof(*names));
		if (!v)
			break;
		names = v;
		if (asprintf(&names[n], "%s/%s", path, de->d_name) > 0)
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		failed |= run_file(names[i]);
		free(names[i]);
	}
	free(names);
	if (n == 0) {
		printf("not ok %d - %s: an empty corpus\n", ++count, path);
		failed = 1;
	}
	return failed;
}

int main(int argc, char **argv)
{
	int failed = 0;

	if (argc < 2)
		failed = run_path(CORPUS);
	for (int i = 1; i < argc; i++)
		failed |= run_path(argv[i]);
	printf("1..%d\n", count);
	return failed;
}
