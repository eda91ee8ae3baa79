/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gc --posix: remove the POSIX shared memory objects (/dev/shm) that no
 * process maps or holds open, re-checking each right before unlink.
 * While the scan cannot see every process (denied, or hidden by /proc),
 * nothing is removed without --force: any object may be in use. */
#ifndef SHMTOOL_GC_POSIX_H
#define SHMTOOL_GC_POSIX_H

#include <stdbool.h>

#include "core/ipcns.h"
#include "core/orphan.h"
#include "out/output.h"

struct gc_posix_args {
	struct ipcns_target *ns;        /* whose /dev/shm (--ipc-ns), whose right */
	struct gc_filter filter;        /* older_than, -u, --min-size, --exclude */
	bool dry_run, interactive, quiet;
	bool force;                     /* remove even when the scan missed processes */
	struct output_opts oo;          /* with the column options */
};

/* Run gc --posix; returns the exit status (usage errors exit with 2). */
int gc_posix(const struct gc_posix_args *a);

#endif
