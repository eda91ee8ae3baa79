/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer targets: each file defines LLVMFuzzerTestOneInput. Built with
 * clang -fsanitize=fuzzer by 'make fuzz', and with replay.c as main by
 * 'make check', which runs the seed corpus through them. A check that
 * fails calls fuzz_fail(), which aborts: the fuzzer reports it as a
 * crash. */
#ifndef SHMTOOL_FUZZ_H
#define SHMTOOL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_assert(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/* The input as a NUL-terminated string in a buffer of exactly its size,
 * so that a read past the end is caught. NULL when it holds a NUL (the
 * command line cannot) or memory runs out. */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
	char *s;

	if (memchr(data, '\0', size))
		return NULL;
	s = malloc(size + 1);
	if (!s)
		return NULL;
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
