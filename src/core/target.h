/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a command names a segment by: an id, a key or an ftok(3) path,
 * resolved to an id by one piece of code for every command. */
#ifndef SHMTOOL_TARGET_H
#define SHMTOOL_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/io.h"

enum target_kind { TARGET_ID, TARGET_KEY, TARGET_FTOK };

struct target {
	enum target_kind kind;
	int id;
	int32_t key;            /* TARGET_KEY; TARGET_FTOK once resolved */
	char *path;             /* TARGET_FTOK */
	int proj;               /* TARGET_FTOK */
	bool key_known;         /* TARGET_FTOK: ftok succeeded */
	const char *text;       /* as the user wrote it */
};

/* The id a target names now. Returns 0, or a negative errno after the
 * reason on stderr ("no segment with key ...", "cannot use 'PATH' for
 * ftok: ..."); -ENOENT for a key no segment has. */
int target_resolve_or_warn(struct target *t, int *id);

/* Report a failed operation on segment id: "no segment with id 5" when it
 * is gone (EINVAL, EIDRM), else "cannot ACTION segment 5: REASON". */
void segment_warn(int id, const char *action, int rc);

/* Read segment id's size, return check(size, "segment ID", arg) if it
 * refuses (check may be NULL), else attach the segment (read-only unless
 * write), open its own file (io_segment_file; m->fd, -1 when the caller
 * may not) and return fn(m, arg), an exit status. Failures are reported
 * on stderr and give EXIT_FAIL. */
int segment_run_attached(int id, bool write, io_size_check_fn *check, io_mapped_fn *fn,
			 void *arg);

#endif
