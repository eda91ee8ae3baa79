/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/proc-shm.h"
#include "core/segment.h"
#include "core/sysv.h"
#include "lib/array.h"

int shm_vec_push(struct shm_vec *vec, const struct shm_segment *seg)
{
	return ARRAY_PUSH(vec->v, vec->n, vec->cap, *seg);
}

int shm_vec_append(const struct shm_segment *seg, void *vec)
{
	return shm_vec_push(vec, seg);
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

	if (n > vec->cap && n < (1u << 20))
		(void)ARRAY_RESERVE(vec->v, vec->cap, n + 64);
}

/* /proc/sysvipc/shm as a stdio stream, with a buffer of a useful size
 * (procfs says 1 KiB): the kernel writes the file as it is read. */
static FILE *open_proc_shm(char **iobuf)
{
	enum { IOBUF = 1 << 16 };
	int fd = open(PROC_SYSVIPC_SHM, O_RDONLY | O_CLOEXEC);
	FILE *f;

	*iobuf = NULL;
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return NULL;
	}
	*iobuf = malloc(IOBUF);
	if (*iobuf)
		setvbuf(f, *iobuf, _IOFBF, IOBUF);
	return f;
}

/* Only the segments an SHM_STAT_ANY walk was refused. */
struct denied_ctx {
	const struct sysv_walk_info *info;
	shm_visit_fn *fn;
	void *ctx;
};

static int visit_denied(const struct shm_segment *seg, void *arg)
{
	struct denied_ctx *dc = arg;

	return sysv_walk_denied(dc->info, seg->id) ? dc->fn(seg, dc->ctx) : 0;
}

/* Every segment from the open proc file f, or only those at the indexes
 * `denied` names (NULL: all). Closes f. */
static int proc_walk_file(FILE *f, char *iobuf, const struct sysv_walk_info *denied,
			  shm_visit_fn *fn, void *ctx)
{
	struct denied_ctx dc = { .info = denied, .fn = fn, .ctx = ctx };
	int rc = denied ? proc_shm_each(f, visit_denied, &dc) : proc_shm_each(f, fn, ctx);

	fclose(f);
	free(iobuf);
	return rc < 0 ? rc : 0;
}

/* The shmctl walks alone: SHM_STAT_ANY, or SHM_STAT before Linux 4.17.
 * Segments there that neither may read make it fail at its end. */
static int shmctl_walk(shm_visit_fn *fn, void *ctx, bool any_unknown)
{
	struct sysv_walk_info info = { 0 };
	size_t refused = 0;
	int rc = any_unknown ? 0 : sysv_walk_any(fn, ctx, &info);

	if (!rc && (any_unknown || info.unsupported))
		rc = sysv_walk_stat(fn, ctx, &refused);
	if (!rc && (info.ndenied || refused))
		rc = -EACCES;
	sysv_walk_info_free(&info);
	return rc;
}

int segments_each(unsigned flags, shm_visit_fn *fn, void *ctx)
{
	struct sysv_walk_info info = { 0 };
	char *iobuf;
	FILE *f;
	int rc = 0;

	if (!(flags & SEG_NEED_MEMORY)) {
		rc = sysv_walk_any(fn, ctx, &info);
		if (rc || !(info.unsupported || info.ndenied))
			goto out;
	}
	f = open_proc_shm(&iobuf);
	if (f)
		rc = proc_walk_file(f, iobuf, info.ndenied ? &info : NULL, fn, ctx);
	else if (info.ndenied)
		rc = -EACCES;
	else
		rc = shmctl_walk(fn, ctx, info.unsupported);
out:
	sysv_walk_info_free(&info);
	return rc;
}

int segments_load(unsigned flags, struct shm_vec *vec)
{
	reserve(vec);
	return segments_each(flags, shm_vec_append, vec);
}
