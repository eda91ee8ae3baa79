/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: the /proc/sysvipc/shm parser, line by line and as a file. */
#include <limits.h>

#include "fuzz.h"
#include "core/proc-shm.h"

static void check_segment(const struct shm_segment *s)
{
	fuzz_assert(s->id >= 0);
	fuzz_assert(s->mode <= 07777);
	fuzz_assert(s->cpid >= 0 && s->lpid >= 0);
	fuzz_assert(s->atime >= 0 && s->dtime >= 0 && s->ctime >= 0);
	fuzz_assert(s->has_memory || (s->rss == 0 && s->swap == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_cstring(data, size);
	struct shm_vec vec = { 0 };
	struct shm_segment seg;
	FILE *f;
	int rc;

	if (line) {
		rc = proc_shm_parse_line(line, &seg);
		fuzz_assert(rc == 0 || rc == -22);
		if (rc == 0)
			check_segment(&seg);
		free(line);
	}
	if (size == 0)
		return 0;
	/* as a whole file: every line, NULs and a missing newline included */
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	rc = proc_shm_each(f, shm_vec_append, &vec);
	fclose(f);
	fuzz_assert(rc >= 0);
	fuzz_assert(vec.n <= size / 28 + 1);      /* 14 fields need 27 separators */
	for (size_t i = 0; i < vec.n; i++)
		check_segment(&vec.v[i]);
	shm_vec_free(&vec);
	return 0;
}
