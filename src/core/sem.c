// SPDX-License-Identifier: GPL-2.0-or-later
/* The semaphore that guards a segment: see sem.h. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <time.h>

#include "core/sem.h"

/* The argument of semctl(2), which callers define. */
union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static int set_stat(int id, struct semid_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	return semctl(id, 0, IPC_STAT, (union semun){ .buf = ds }) < 0 ? -errno : 0;
}

int sem_set_create(int32_t key, unsigned int mode)
{
	struct sembuf op = { .sem_num = 0, .sem_op = 1, .sem_flg = 0 };
	int id = semget((key_t)key, 1, IPC_CREAT | IPC_EXCL | (int)(mode & 0777));
	int rc;

	if (id < 0)
		return -errno;
	if (semop(id, &op, 1) == 0)
		return id;
	rc = -errno;
	semctl(id, 0, IPC_RMID);
	return rc;
}

int sem_set_remove(int32_t key, uid_t uid, uid_t cuid, uid_t *owner)
{
	struct semid_ds ds;
	int id = semget((key_t)key, 0, 0), rc;

	if (id < 0)
		return -errno;
	rc = set_stat(id, &ds);
	if (rc)
		return rc;
	*owner = ds.sem_perm.uid;
	/* a set of the same key but of other users is not the segment's */
	if (ds.sem_perm.uid != uid && ds.sem_perm.uid != cuid && ds.sem_perm.cuid != uid &&
	    ds.sem_perm.cuid != cuid)
		return -EXDEV;
	return semctl(id, 0, IPC_RMID) < 0 ? -errno : 0;
}

int sem_set_state(int32_t key, int *id, struct sem_state *st, size_t max, size_t *n)
{
	struct semid_ds ds;
	int rc;

	*id = semget((key_t)key, 0, 0);
	if (*id < 0)
		return -errno;
	rc = set_stat(*id, &ds);
	if (rc)
		return rc;
	*n = ds.sem_nsems;
	for (size_t i = 0; i < *n && i < max; i++) {
		int v[4] = {
			semctl(*id, (int)i, GETVAL), semctl(*id, (int)i, GETPID),
			semctl(*id, (int)i, GETNCNT), semctl(*id, (int)i, GETZCNT),
		};

		for (int k = 0; k < 4; k++)
			if (v[k] < 0)
				return -errno;
		st[i] = (struct sem_state){ (unsigned int)v[0], v[1], (unsigned int)v[2],
					    (unsigned int)v[3] };
	}
	return 0;
}

int sem_guard_find(struct sem_guard *g)
{
	struct semid_ds ds;
	int rc;

	g->id = semget((key_t)g->key, 0, 0);
	if (g->id < 0)
		return -errno;
	rc = set_stat(g->id, &ds);
	if (rc)
		return rc;
	g->nsems = ds.sem_nsems;
	return g->num < g->nsems ? 0 : -ERANGE;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Whether the set is ready: its semaphore can be taken (a value above 0,
 * as SETVAL leaves it), or it was operated on (sem_otime, which the
 * classic recipe's first semop sets). A set just made has neither: its
 * creator has not set it up yet (the race the recipe warns about). */
static int wait_initialised(const struct sem_guard *g, int64_t deadline)
{
	for (;;) {
		struct semid_ds ds;
		int rc = set_stat(g->id, &ds), val;

		if (rc)
			return rc == -EINVAL ? -EIDRM : rc;
		if (ds.sem_otime)
			return 0;
		val = semctl(g->id, (int)g->num, GETVAL);
		if (val < 0)
			return errno == EINVAL ? -EIDRM : -errno;
		if (val > 0)
			return 0;
		if (deadline >= 0 && now_ns() >= deadline)
			return -ENODATA;
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	}
}

int sem_guard_take(struct sem_guard *g)
{
	struct sembuf op = { .sem_num = (unsigned short)g->num, .sem_op = -1, .sem_flg = SEM_UNDO };
	int64_t now = now_ns(), deadline;
	int rc;

	/* a wait too long to add to the clock is a wait for ever */
	deadline = g->wait_ns < 0 || g->wait_ns > INT64_MAX - now ? -1 : now + g->wait_ns;
	rc = wait_initialised(g, deadline);
	if (rc)
		return rc;
	/* a stop and a continue (^Z, fg, strace -p) end the call with EINTR,
	 * a signal that kills ends the program: call it again */
	do {
		int64_t left = deadline < 0 ? 0 : deadline - now_ns();

		op.sem_flg = SEM_UNDO | (deadline >= 0 && left <= 0 ? IPC_NOWAIT : 0);
		if (deadline < 0 || left <= 0)
			rc = semop(g->id, &op, 1);
		else
			rc = semtimedop(g->id, &op, 1, &(struct timespec){
				.tv_sec = left / 1000000000, .tv_nsec = left % 1000000000 });
	} while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return errno == EINVAL ? -EIDRM : -errno;
	g->held = true;
	return 0;
}

int sem_guard_give(struct sem_guard *g)
{
	struct sembuf op = { .sem_num = (unsigned short)g->num, .sem_op = 1, .sem_flg = SEM_UNDO };

	if (!g->held)
		return 0;
	g->held = false;
	return semop(g->id, &op, 1) < 0 ? -errno : 0;
}
