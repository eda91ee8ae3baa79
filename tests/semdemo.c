/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The classic semaphore-guarded segment, as programs written from
 * tutorials do it: a set of one semaphore by ftok(file, 'J'), created and
 * set to 1 by a first semop (so that sem_otime tells others it is ready),
 * a segment of 64 KiB by ftok(file, 'R'); lock is -1 with SEM_UNDO,
 * unlock +1 with SEM_UNDO.
 *
 *   semdemo FILE init           make both (the set initialised), "ready"
 *   semdemo FILE raw            make the set only, never initialised
 *   semdemo FILE setval         make the set, set to 1 by SETVAL alone (no
 *                               semop: sem_otime stays 0)
 *   semdemo FILE hold           lock, "held", and keep it until killed (the
 *                               kernel's undo gives it back)
 *   semdemo FILE write ROUNDS   ROUNDS records: lock, fill, unlock
 *   semdemo FILE check ROUNDS   ROUNDS reads under the lock; exit 1 and
 *                               "torn" if one held two different bytes
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

#define RECORD (64 * 1024)

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static int sem_change(int id, int op)
{
	struct sembuf b = { .sem_num = 0, .sem_op = (short)op, .sem_flg = SEM_UNDO };

	return semop(id, &b, 1);
}

static int set_of(const char *file, int flags)
{
	key_t key = ftok(file, 'J');

	return key == -1 ? -1 : semget(key, 1, flags);
}

static char *segment_of(const char *file)
{
	key_t key = ftok(file, 'R');
	int id = key == -1 ? -1 : shmget(key, RECORD, 0644 | IPC_CREAT);
	char *p = id < 0 ? (void *)-1 : shmat(id, NULL, 0);

	return p == (void *)-1 ? NULL : p;
}

int main(int argc, char **argv)
{
	const char *file = argc > 2 ? argv[1] : NULL;
	const char *what = argc > 2 ? argv[2] : "";
	long rounds = argc > 3 ? atol(argv[3]) : 0;
	int id;
	char *seg;

	if (!file) {
		fprintf(stderr, "usage: semdemo FILE init|raw|hold|write N|check N\n");
		return 2;
	}
	if (strcmp(what, "raw") == 0) {
		if (set_of(file, 0600 | IPC_CREAT | IPC_EXCL) < 0)
			return perror("semget"), 1;
		return puts("ready") == EOF;
	}
	if (strcmp(what, "setval") == 0) {
		id = set_of(file, 0666 | IPC_CREAT | IPC_EXCL);
		if (id < 0 || semctl(id, 0, SETVAL, (union semun){ .val = 1 }) < 0)
			return perror("setval"), 1;
		return puts("ready") == EOF;
	}
	if (strcmp(what, "init") == 0) {
		/* IPC_EXCL: the one who made it sets it to 1, with a semop */
		id = set_of(file, 0666 | IPC_CREAT | IPC_EXCL);
		if (id < 0 || sem_change(id, 1) < 0 || !segment_of(file))
			return perror("init"), 1;
		/* the +1 was made with SEM_UNDO: keep it when this exits */
		if (semctl(id, 0, SETVAL, (union semun){ .val = 1 }) < 0)
			return perror("semctl"), 1;
		return puts("ready") == EOF;
	}
	id = set_of(file, 0);
	seg = segment_of(file);
	if (id < 0 || !seg)
		return perror("open"), 1;
	if (strcmp(what, "hold") == 0) {
		if (sem_change(id, -1) < 0)
			return perror("lock"), 1;
		puts("held");
		fflush(stdout);
		for (;;)
			pause();
	}
	for (long i = 0; i < rounds; i++) {
		if (sem_change(id, -1) < 0)
			return perror("lock"), 1;
		if (strcmp(what, "write") == 0) {
			memset(seg, 'a' + (int)(i % 26), RECORD);
		} else {
			for (size_t j = 1; j < RECORD; j++)
				if (seg[j] != seg[0])
					return puts("torn"), 1;
		}
		if (sem_change(id, 1) < 0)
			return perror("unlock"), 1;
	}
	return puts("whole") == EOF;
}
