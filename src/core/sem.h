/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The System V semaphore that guards a segment, taken as the programs
 * that share the segment take it: -1 with SEM_UNDO before touching the
 * bytes, +1 after (the undo makes an exit while holding it give it
 * back). A set is never initialised here: one nobody has used yet
 * (sem_otime 0, its creator not done setting it up) is waited for. */
#ifndef SHMTOOL_SEM_H
#define SHMTOOL_SEM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct sem_guard {
	int32_t key;            /* the set's key */
	unsigned int num;       /* the semaphore in it */
	int64_t wait_ns;        /* how long to wait in all; -1: forever */
	int id;                 /* the set, once found */
	unsigned long nsems;    /* its semaphores */
	bool held;              /* taken, not given back yet */
};

/* Find the set of g->key and check g->num is in it. Returns 0, -ENOENT
 * (no set with that key), -EACCES, -ERANGE (num past the set's last
 * semaphore: g->nsems says how many) or another -errno. */
int sem_guard_find(struct sem_guard *g);

/* Take the semaphore: wait for the set's first semop if nobody made one
 * yet, then -1 with SEM_UNDO, within g->wait_ns in all. Returns 0,
 * -ENODATA (still not initialised when the time was up), -EAGAIN (still
 * held when the time was up), -EIDRM (the set was removed meanwhile),
 * -EINTR, or another -errno. */
int sem_guard_take(struct sem_guard *g);

/* Give it back (+1 with SEM_UNDO) if it is held. Returns 0 or -errno. */
int sem_guard_give(struct sem_guard *g);

/* Make the set of one semaphore with this key and mode, free (1): the
 * first semop, without undo, leaves it at 1 and sets sem_otime, which
 * tells the programs it is ready. Returns its id, or -EEXIST when the key
 * has a set, or another -errno (a set made but not set up is removed). */
int sem_set_create(int32_t key, unsigned int mode);

/* Remove the set with this key, if it is of the users given (its owner or
 * creator is uid or cuid: those of the segment it goes with). Returns 0,
 * -ENOENT (none), -EXDEV (another user's: *owner says whose), -EPERM... */
int sem_set_remove(int32_t key, uid_t uid, uid_t cuid, uid_t *owner);

/* One semaphore of a set, as stat shows it. */
struct sem_state {
	unsigned int value;
	int pid;                /* the last to operate on it */
	unsigned int ncount;    /* waiting for it to grow */
	unsigned int zcount;    /* waiting for it to be 0 */
};

/* The set with this key: its id, and up to max of its semaphores in st
 * (*n how many it has). Returns 0, -ENOENT, -EACCES or another -errno. */
int sem_set_state(int32_t key, int *id, struct sem_state *st, size_t max, size_t *n);

#endif
