// SPDX-License-Identifier: GPL-2.0-or-later
/* The semaphore that guards a segment: see sem.h. */
#include <errno.h>
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

int sem_set_remove(int32_t key)
{
	int id = semget((key_t)key, 0, 0);

	if (id < 0 || semctl(id, 0, IPC_RMID) < 0)
		return -errno;
	return 0;
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

/* Whether the set was ever operated on: its creator's first semop sets
 * sem_otime (the race the classic recipe warns about). */
static int wait_initialised(const struct sem_guard *g, int64_t deadline)
{
	for (;;) {
		struct semid_ds ds;
		int rc = set_stat(g->id, &ds);

		if (rc)
			return rc == -EINVAL ? -EIDRM : rc;
		if (ds.sem_otime)
			return 0;
		if (deadline >= 0 && now_ns() >= deadline)
			return -ENODATA;
		nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
	}
}

int sem_guard_take(struct sem_guard *g)
{
	struct sembuf op = { .sem_num = (unsigned short)g->num, .sem_op = -1, .sem_flg = SEM_UNDO };
	int64_t deadline = g->wait_ns < 0 ? -1 : now_ns() + g->wait_ns;
	int rc = wait_initialised(g, deadline);

	if (rc)
		return rc;
	if (deadline < 0) {
		rc = semop(g->id, &op, 1);
	} else {
		int64_t left = deadline - now_ns();

		if (left <= 0)
			op.sem_flg |= IPC_NOWAIT;
		rc = left <= 0 ? semop(g->id, &op, 1) :
		     semtimedop(g->id, &op, 1, &(struct timespec){ .tv_sec = left / 1000000000,
							      .tv_nsec = left % 1000000000 });
	}
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
