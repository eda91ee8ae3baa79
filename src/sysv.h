/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Thin system layer over shmget/shmat/shmctl. Tests replace the syscalls
 * with -Wl,--wrap=shmctl and friends. */
#ifndef SHMTOOL_SYSV_H
#define SHMTOOL_SYSV_H

#include "segment.h"

/* Read segment `id` directly: IPC_STAT, or SHM_STAT_ANY by index when the
 * caller lacks read permission. Returns 0 or a negative errno
 * (-EINVAL: no such segment, -EACCES: not readable). */
int sysv_stat(int id, struct shm_segment *seg);

/* Find the id of the segment with `key`. Returns the id or -errno. */
int sysv_id_of_key(int32_t key);

/* Every segment, through shmctl(SHM_INFO) and SHM_STAT_ANY (SHM_STAT
 * before Linux 4.17): the fallback when /proc is not mounted. rss/swap
 * are unknown there. Returns 0 or a negative errno. */
int sysv_read_all(struct shm_vec *vec);

/* The same walk, calling fn for each segment right after reading it, so
 * that fn acts on the state of that moment; a nonzero return stops the
 * walk and is returned. Returns 0 or a negative errno. */
int sysv_walk(shm_visit_fn *fn, void *ctx);

/* shmget(key, size, IPC_CREAT | flags | mode). Returns the id or -errno. */
int sysv_create(int32_t key, uint64_t size, int flags, unsigned int mode);

/* shmat: read-only or read-write. Returns 0 or -errno. */
int sysv_attach(int id, bool readonly, void **addr);
int sysv_detach(const void *addr);

/* IPC_RMID. Returns 0 or -errno. */
int sysv_remove(int id);

/* SHM_LOCK. Returns 0 or -errno. */
int sysv_lock(int id);

/* ftok(3). Returns 0 or -errno (the path's stat failing). */
int sysv_ftok(const char *path, int proj, int32_t *key);

/* The highest index in use in the kernel's array of segments (0 when
 * there is none), or -errno. Walks go from 0 to it. */
int sysv_max_index(void);

/* Segments in use now (SHM_INFO). */
int sysv_used_ids(uint64_t *n);

/* Pages in all segments now (SHM_INFO shm_tot), what shmall limits. */
int sysv_used_pages(uint64_t *pages);

/* The kernel's limits for shared memory. */
struct sysv_limits {
	uint64_t shmmax;        /* bytes per segment */
	uint64_t shmall;        /* pages in total */
	uint64_t shmmni;        /* segments */
	uint64_t shmmin;        /* bytes, always 1 */
};
int sysv_limits(struct sysv_limits *lim);

#endif
