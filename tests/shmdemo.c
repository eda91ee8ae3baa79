/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The classic System V shared memory example, as programs written from
 * tutorials do it: ftok(file, 'R'), shmget(key, 1024, 0644 | IPC_CREAT),
 * then write the text given or print what the segment holds.
 *
 *   shmdemo FILE TEXT   write TEXT (strncpy) into the segment
 *   shmdemo FILE        print: segment contains: "TEXT"
 */
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#define SHM_SIZE 1024

int main(int argc, char **argv)
{
	key_t key;
	int id;
	char *data;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: shmdemo FILE [TEXT]\n");
		return 2;
	}
	key = ftok(argv[1], 'R');
	if (key == -1) {
		perror("ftok");
		return 1;
	}
	id = shmget(key, SHM_SIZE, 0644 | IPC_CREAT);
	if (id == -1) {
		perror("shmget");
		return 1;
	}
	data = shmat(id, NULL, 0);
	if (data == (char *)-1) {
		perror("shmat");
		return 1;
	}
	if (argc == 3) {
		strncpy(data, argv[2], SHM_SIZE - 1);
		data[SHM_SIZE - 1] = '\0';
	} else {
		printf("segment contains: \"%s\"\n", data);
	}
	shmdt(data);
	return 0;
}
