/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IPC namespaces: the one a command acts in (--ipc-ns) and every one that
 * the processes on the host are in (shmtool namespaces). The parsing and
 * the counting are pure; entering and the /proc scan are the system
 * layer. */
#ifndef SHMTOOL_IPCNS_H
#define SHMTOOL_IPCNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/segment.h"

/* What --ipc-ns names: "1234" is a process (its /proc/1234/ns/ipc),
 * anything else a namespace file. Returns 1 and *pid for a process, 0 for
 * a path, -EINVAL for an empty argument, pid 0 or one out of range. */
int ipcns_parse_target(const char *arg, pid_t *pid);

/* Move this process into the IPC namespace of the namespace file at
 * path. The file is looked at before it is opened for real: anything but
 * an nsfs file (a fifo, a device, a regular file) is refused unopened.
 * Returns 0 or -errno: -ENOENT (no such file), -EACCES, -EINVAL (not an
 * IPC namespace file), -EPERM (no CAP_SYS_ADMIN over it). */
int ipcns_enter_file(const char *path);

/* The process whose namespaces a command acts in (--ipc-ns PID), once
 * entered: its mount namespace holds the POSIX objects of --posix, and
 * its /proc directory stays open in procfd, so that what is read of it
 * later (its root, its credentials) is read of this process, not of a
 * later one that reuses the pid. Without one (no --ipc-ns, or a
 * namespace file, which names no mount namespace): IPCNS_TARGET_INIT,
 * pid 0 and procfd -1. */
struct ipcns_target {
	pid_t pid;
	int procfd;
	int foreign;            /* as-target.c's: whether it sees other files
				 * than ours; -1 until asked */
};

#define IPCNS_TARGET_INIT { .pid = 0, .procfd = -1, .foreign = -1 }

/* Move this process into the IPC namespace of process pid, and fill t
 * (its procfd open). Returns 0 or -errno as ipcns_enter_file(), -ENOENT
 * for no such process. */
int ipcns_enter_process(pid_t pid, struct ipcns_target *t);

/* The same with a namespace file already open. */
int ipcns_enter_fd(int fd);

/* One IPC namespace and what is in it. */
struct ipcns_info {
	uint64_t inode;         /* the namespace's inode, ipc:[inode] */
	pid_t pid;              /* its oldest process */
	uint64_t start;         /* when that one started, ticks since boot */
	size_t nprocs;          /* processes found in it */
	int fd;                 /* its namespace file, open; -1 once closed */
	bool current;           /* the caller's own */
	bool entered;           /* ipcns_load() moved the caller into it */
	/* from its segments, once counted */
	bool counted;
	int error;              /* -errno when it could not be entered */
	uint64_t segments, bytes, orphans, orphan_bytes;
};

struct ipcns_vec {
	struct ipcns_info *v;
	size_t n, cap;
	unsigned long denied;   /* processes whose namespace could not be read */
};

/* Count process pid, started at `start`, in the namespace `inode`: a new
 * entry (returns 1), or one more process of a known one (returns 0; the
 * entry's process becomes the oldest, the lower pid of two as old), or
 * -ENOMEM. The entry's fd is -1 until the caller sets it. Pure. */
int ipcns_vec_add(struct ipcns_vec *vec, uint64_t inode, pid_t pid, uint64_t start);

/* Close the namespace files and free the vector. */
void ipcns_vec_free(struct ipcns_vec *vec);

/* Pure: segments, bytes and orphans (nattch 0, not removed) of segs. */
void ipcns_count(struct ipcns_info *ns, const struct shm_segment *segs, size_t n);

/* Scan /proc: every IPC namespace a process is in, by inode, with its
 * oldest process and an open namespace file. Processes that exit meanwhile
 * are skipped; those that cannot be read are counted in vec->denied.
 * Returns 0 or -errno (no /proc). */
int ipcns_scan(struct ipcns_vec *vec);

/* Read the segments of the namespace this process is in now (ns, once
 * entered) and count them. Returns 0, or -errno and ns->error. */
int ipcns_load(struct ipcns_info *ns);

#endif
