/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Thin system layer over shmget/shmat/shmctl. Tests replace the syscalls
 * with -Wl,--wrap=shmctl and friends. */
#ifndef SHMTOOL_SYSV_H
#define SHMTOOL_SYSV_H

#include "core/segment.h"

/* Read segment `id` directly: IPC_STAT, or SHM_STAT_ANY by index when the
 * caller lacks read permission. Returns 0 or a negative errno
 * (-EINVAL: no such segment, -EACCES: not readable). */
int sysv_stat(int id, struct shm_segment *seg);

/* Find the id of the segment with `key`. Returns the id or -errno. */
int sysv_id_of_key(int32_t key);

/* What an SHM_STAT_ANY walk could not read. */
struct sysv_walk_info {
	bool unsupported;       /* the kernel does not know SHM_STAT_ANY (Linux
				 * before 4.17): the walk stopped before any
				 * segment was visited */
	int *denied;            /* indexes a security module refused (EACCES,
				 * EPERM), ascending */
	size_t ndenied, cap;
	int max_index;          /* the highest index walked */
};

/* Every segment by shmctl(SHM_STAT_ANY), from index 0 to the highest in
 * use (IPC_INFO), calling fn for each right after reading it, so that fn
 * acts on the state of that moment; a nonzero return stops the walk and
 * is returned. Empty indexes (EINVAL) are skipped; so are segments
 * removed meanwhile (EIDRM). The rest, which a security module may
 * refuse while /proc/sysvipc/shm shows them, is left in info for the
 * caller. Returns 0 or a negative errno; free info with
 * sysv_walk_info_free() either way. rss/swap are unknown here. */
int sysv_walk_any(shm_visit_fn *fn, void *ctx, struct sysv_walk_info *info);
void sysv_walk_info_free(struct sysv_walk_info *info);

/* Whether the segment `id` sits at an index the walk found refused. */
bool sysv_walk_denied(const struct sysv_walk_info *info, int id);

/* The same walk by SHM_STAT, which kernels before 4.17 have: it needs
 * read permission; *refused counts the segments that were there but not
 * readable. Returns 0, fn's nonzero value or a negative errno. */
int sysv_walk_stat(shm_visit_fn *fn, void *ctx, size_t *refused);

/* SHM_STAT_ANY, or SHM_STAT on a kernel without it: every segment that
 * can be read, and only those. For gc, which acts on what it read. */
int sysv_walk(shm_visit_fn *fn, void *ctx);

/* shmget(key, size, IPC_CREAT | flags | mode). Returns the id or -errno. */
int sysv_create(int32_t key, uint64_t size, int flags, unsigned int mode);

/* shmat: read-only or read-write. Returns 0 or -errno. */
int sysv_attach(int id, bool readonly, void **addr);
int sysv_detach(const void *addr);

/* IPC_RMID. Returns 0 or -errno. */
int sysv_remove(int id);

/* SHM_LOCK, SHM_UNLOCK. Returns 0 or -errno. */
int sysv_lock(int id);
int sysv_unlock(int id);

/* IPC_SET: the owner, group and the nine permission bits all at once
 * (the kernel moves the ctime). Returns 0 or -errno. */
int sysv_set(int id, uid_t uid, gid_t gid, unsigned int mode);

/* ftok(3). Returns 0 or -errno (the path's stat failing). */
int sysv_ftok(const char *path, int proj, int32_t *key);

/* The highest index in use in the kernel's array of segments (0 when
 * there is none), or -errno. Walks go from 0 to it. */
int sysv_max_index(void);

/* What SHM_INFO tells of the segments of this namespace. */
struct sysv_usage {
	uint64_t segments;      /* in use */
	uint64_t pages;         /* allocated, counted against shmall */
	uint64_t resident, swapped;     /* pages */
};

/* SHM_INFO. Returns 0 or -errno. */
int sysv_usage(struct sysv_usage *u);

/* The kernel's limits for shared memory. */
struct sysv_limits {
	uint64_t shmmax;        /* bytes per segment */
	uint64_t shmall;        /* pages in total */
	uint64_t shmmni;        /* segments */
	uint64_t shmmin;        /* bytes, always 1 */
};
int sysv_limits(struct sysv_limits *lim);

#endif
