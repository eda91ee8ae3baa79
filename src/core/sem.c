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
