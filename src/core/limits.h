/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rows of `shmtool limits`: each kernel limit beside what is used of
 * it, the usage figures of `ipcs -u`, and the file system of /dev/shm.
 * Pure: built from figures the caller read (core/sysv.c, statvfs). */
#ifndef SHMTOOL_LIMITS_H
#define SHMTOOL_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sysv.h"

/* What a row counts: its LIMIT and USED are in these units. */
enum limit_unit {
	LIMIT_SEGMENTS,
	LIMIT_PAGES,
	LIMIT_BYTES,
	LIMIT_FILES,
	LIMIT_FLAG,     /* a sysctl that is 0 or 1 */
	LIMIT_ID,       /* a segment id */
};

struct limit_row {
	const char *resource;           /* lsipc's name: SHMMNI, ... */
	const char *description;
	enum limit_unit unit;
	bool has_limit, has_used;
	uint64_t limit, used;
	uint64_t page_size;             /* bytes per unit for LIMIT_PAGES */
};

/* At most this many rows in any view. */
#define LIMITS_MAX_ROWS 8

/* SHMMNI, SHMALL, SHMMAX and SHMMIN, each beside what is used of it (the
 * largest segment for SHMMAX, of `largest` bytes, when has_largest).
 * Returns the number of rows written to rows. */
size_t limits_sysv_rows(const struct sysv_limits *l, const struct sysv_usage *u,
			bool has_largest, uint64_t largest, uint64_t page_size,
			struct limit_row *rows);

/* The sysctls that change how segments behave (-1 for a value that
 * could not be read: the row has none). */
struct limits_sysctls {
	int64_t rmid_forced;    /* kernel.shm_rmid_forced */
	int64_t next_id;        /* kernel.shm_next_id; -1 also means unset */
};

/* The usage view (`ipcs -u`): segments and pages allocated, pages
 * resident and swapped, and the sysctls. */
size_t limits_usage_rows(const struct sysv_usage *u, const struct limits_sysctls *s,
			 uint64_t page_size, struct limit_row *rows);

/* What statvfs(3) says of the file system of the POSIX objects. */
struct limits_fs {
	uint64_t blocks, bfree, frsize; /* f_blocks, f_bfree, f_frsize */
	uint64_t files, ffree;          /* f_files, f_ffree */
};

/* Its size and its files (tmpfs size= and nr_inodes=; a tmpfs without a
 * file limit has none). */
size_t limits_fs_rows(const struct limits_fs *fs, struct limit_row *rows);

/* USED over LIMIT in percent; false when the row has not both, or the
 * limit is 0. */
bool limit_use_percent(const struct limit_row *r, double *percent);

#endif
