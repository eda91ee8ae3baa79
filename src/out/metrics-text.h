/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Prometheus metrics of the segments, in the text format that
 * node_exporter's textfile collector reads. Counting and formatting are
 * pure: plain structs in, text to a FILE * out. */
#ifndef SHMTOOL_METRICS_H
#define SHMTOOL_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "core/posix-shm.h"
#include "core/segment.h"
#include "core/sysv.h"

/* The segments (or POSIX objects) of one owner (uid). */
struct metrics_owner {
	uid_t uid;
	const char *user;       /* name, set by the caller; NULL: the uid */
	uint64_t segments, bytes, orphans, orphan_bytes;
};

/* What is counted of the segments and of the POSIX objects alike. */
struct metrics_totals {
	uint64_t count, bytes, orphans, orphan_bytes;
	uint64_t largest;       /* bytes of the largest one */
	struct metrics_owner *owners;   /* by uid */
	size_t nowners;
};

/* The POSIX objects of /dev/shm (metrics --posix): orphaned ones are
 * neither mapped nor open. */
struct metrics_posix {
	bool present;           /* counted: print these metrics */
	struct metrics_totals objs;
	/* from metrics_posix_scan(): the processes that could not be read,
	 * at least (1 more when some are not in /proc), and 1 when none */
	uint64_t uninspected_min, complete;
	bool has_fs;
	uint64_t fs_size, fs_used;      /* the file system of the directory */
};

struct metrics {
	struct metrics_totals segs;
	uint64_t removed;       /* segments removed while attached (dest) */
	bool has_limits;
	struct sysv_limits limits;
	bool has_pages;
	uint64_t pages;         /* pages in use, counted against shmall */
	struct metrics_posix posix;
	/* the labels of every series, in the text format, escaped
	 * (ipc_namespace="4026531839",...); NULL: none. The caller's. */
	const char *labels;
};

/* Count the segments: totals, orphans (nattch 0, not removed), removed
 * (dest) and per owner. Returns 0 or -ENOMEM. */
int metrics_collect(struct metrics *m, const struct shm_segment *segs, size_t n);

/* Count the POSIX objects into m->posix (its fs, uninspected and hidden
 * fields are the caller's). Returns 0 or -ENOMEM. */
int metrics_collect_posix(struct metrics *m, const struct posix_obj *objs, size_t n);

void metrics_free(struct metrics *m);

/* A label value as the text format wants it: valid UTF-8 (each byte of
 * no valid sequence as U+FFFD, as utf8_repair), backslash, double quote
 * and newline escaped; the rest as it is. */
void metrics_put_label_value(FILE *f, const char *s);

/* What the /proc scan of metrics --posix could not see: denied
 * processes, and whether some were hidden from /proc. */
void metrics_posix_scan(struct metrics *m, unsigned long denied, bool hidden);

/* Every metric, with its HELP and TYPE lines once, and a series for each
 * of the n sets of figures (one per IPC namespace, told apart by their
 * labels). Returns 0 or -EIO. */
int metrics_write(FILE *f, const struct metrics *ms, size_t n);

#endif
