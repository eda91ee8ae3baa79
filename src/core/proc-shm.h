/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/sysvipc/shm: pure, reads from a FILE * or a line. */
#ifndef SHMTOOL_PROC_SHM_H
#define SHMTOOL_PROC_SHM_H

#include <stdio.h>

#include "core/segment.h"

#define PROC_SYSVIPC_SHM "/proc/sysvipc/shm"

/* Parse one line (14 or 16 fields). Returns 0, or -EINVAL for a header
 * or malformed line. */
int proc_shm_parse_line(const char *line, struct shm_segment *seg);

/* Call fn for every well-formed line of f, in order, until it returns
 * non-zero (a negative errno, returned). Otherwise returns the number of
 * lines skipped as malformed (the header included), or a negative errno
 * when f cannot be read. */
int proc_shm_each(FILE *f, shm_visit_fn *fn, void *ctx);

#endif
