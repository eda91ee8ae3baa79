/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One System V shared memory segment, as plain data. */
#ifndef SHMTOOL_SEGMENT_H
#define SHMTOOL_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Mode bits the kernel keeps beside the permissions (linux/shm.h). */
#define SEG_MODE_DEST   01000   /* removed, destroyed at the last detach */
#define SEG_MODE_LOCKED 02000   /* SHM_LOCKed in memory */

struct shm_segment {
	int32_t key;            /* key_t as the kernel prints it (signed) */
	int id;                 /* shmid */
	unsigned int mode;      /* permissions plus SEG_MODE_* bits */
	uint64_t size;          /* bytes */
	pid_t cpid;             /* creator, 0 if not visible */
	pid_t lpid;             /* last shmat/shmdt, 0 if none */
	uint64_t nattch;        /* mappings, not processes */
	uid_t uid, cuid;
	gid_t gid, cgid;
	int64_t atime, dtime, ctime;    /* 0 = never */
	uint64_t rss, swap;     /* bytes; valid only if has_memory */
	bool has_memory;        /* rss/swap known (16-field proc line) */
};

/* A growable array of segments. */
struct shm_vec {
	struct shm_segment *v;
	size_t n, cap;
};

/* Append one segment; returns 0 or -ENOMEM. */
int shm_vec_push(struct shm_vec *vec, const struct shm_segment *seg);
void shm_vec_free(struct shm_vec *vec);

static inline uint32_t seg_key_u32(const struct shm_segment *s)
{
	return (uint32_t)s->key;
}

/* Whether two reads of one id show the same segment: an id is given to
 * another segment once its sequence number wraps, and IPC_SET (a new
 * ctime) or IPC_RMID (the key reset) tell that it changed. */
static inline bool seg_same(const struct shm_segment *a, const struct shm_segment *b)
{
	return a->key == b->key && a->size == b->size && a->cuid == b->cuid &&
	       a->ctime == b->ctime;
}

static inline bool seg_is_dest(const struct shm_segment *s)
{
	return s->mode & SEG_MODE_DEST;
}

static inline bool seg_is_locked(const struct shm_segment *s)
{
	return s->mode & SEG_MODE_LOCKED;
}

/* Orphaned: nobody attached and not already removed. */
static inline bool seg_is_orphaned(const struct shm_segment *s)
{
	return s->nattch == 0 && !seg_is_dest(s);
}

/* Called for each segment of a walk; non-zero (a negative errno) stops it. */
typedef int shm_visit_fn(const struct shm_segment *seg, void *ctx);

/* A shm_visit_fn that appends seg to the shm_vec ctx. */
int shm_vec_append(const struct shm_segment *seg, void *vec);

/* Call fn for every segment of the current IPC namespace, as it is read:
 * /proc/sysvipc/shm, or the shmctl fallback when it cannot be opened.
 * Returns 0, fn's non-zero value, or -errno. */
int segments_each(shm_visit_fn *fn, void *ctx);

/* Load every segment of the current IPC namespace: /proc/sysvipc/shm, or
 * the shmctl fallback when it cannot be opened. Returns 0 or -errno. */
int segments_load(struct shm_vec *vec);

#endif
