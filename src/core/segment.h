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
	uint64_t ipcns;         /* its IPC namespace's inode, where the reader
				 * sets it (list); 0 unknown */
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

/* What a walk over the segments must give besides the kernel's struct
 * shmid64_ds fields. */
enum {
	SEG_NEED_MEMORY = 1u << 0,      /* rss and swap (has_memory) */
};

/* Call fn for every segment of the current IPC namespace, as it is read.
 * By default shmctl(SHM_STAT_ANY) reads them, by index; with
 * SEG_NEED_MEMORY, or when the kernel does not know SHM_STAT_ANY (before
 * Linux 4.17), /proc/sysvipc/shm, the one source of rss and swap (the
 * shmctl walk when it cannot be opened: rss/swap unknown). Both give the
 * same fields. A segment that a security module keeps from SHM_STAT_ANY
 * is taken from /proc/sysvipc/shm, which lists every segment, after the
 * others; when none of the sources can read it the walk returns -EACCES
 * after visiting the rest. Returns 0, fn's non-zero value, or -errno. */
int segments_each(unsigned flags, shm_visit_fn *fn, void *ctx);

/* Load every segment of the current IPC namespace, as segments_each()
 * reads them. Returns 0 or -errno. */
int segments_load(unsigned flags, struct shm_vec *vec);

#endif
