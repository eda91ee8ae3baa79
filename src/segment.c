#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "proc-shm.h"
#include "sysv.h"

#include "segment.h"

int shm_vec_push(struct shm_vec *vec, const struct shm_segment *seg)
{
	if (vec->n == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 256;
		struct shm_segment *v = reallocarray(vec->v, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		vec->v = v;
		vec->cap = cap;
	}
	vec->v[vec->n++] = *seg;
	return 0;
}

void shm_vec_free(struct shm_vec *vec)
{
	free(vec->v);
	vec->v = NULL;
	vec->n = vec->cap = 0;
}

/* Room for the segments there are now, so that the array is not copied
 * while it grows (a hint: the count may change before the read). */
static void reserve(struct shm_vec *vec)
{
	int maxidx = sysv_max_index();
	size_t n = maxidx < 0 ? 0 : (size_t)maxidx + 1;     /* at most that many */

	if (n > vec->cap && n < (1u << 20)) {
		struct shm_segment *v = reallocarray(vec->v, n + 64, sizeof(*v));

		if (v) {
			vec->v = v;
			vec->cap = n + 64;
		}
	}
}

int segments_load(struct shm_vec *vec)
{
	FILE *f = fopen(PROC_SYSVIPC_SHM, "re");
	int rc;

	if (!f)
		return sysv_read_all(vec);
	/* one read(2) for many lines: the file is generated per read */
	setvbuf(f, NULL, _IOFBF, 1 << 17);
	reserve(vec);
	rc = proc_shm_read(f, vec);
	fclose(f);
	return rc < 0 ? rc : 0;
}
