/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Test helper: makes and inspects segments with the raw system calls, so
 * the CLI tests compare shmtool with the kernel, not with itself.
 *
 *   shm-helper create KEY SIZE MODE     print the new id (KEY 0 = private)
 *   shm-helper stat ID                  IPC_STAT fields, "name value" lines
 *   shm-helper hold [-r] ID...          attach each (read-only with -r),
 *                                       print "ready", wait for a signal
 *   shm-helper own KEY SIZE MODE        create, print the id, stay alive
 *                                       (a creator that still runs)
 *   shm-helper touch ID                 attach and detach, print "ready",
 *                                       stay alive (a last user that runs)
 *   shm-helper rmid ID                  IPC_RMID
 *   shm-helper lock ID                  SHM_LOCK
 *   shm-helper many N SIZE              create N private segments
 *   shm-helper rmids FILE               IPC_RMID of each id in FILE (one a
 *                                       line): the kernel's own cost, for
 *                                       bench/gc.sh
 *   shm-helper spawn CMD [ARG...]       run CMD (posix_spawnp, stdout to
 *                                       /dev/null), wait for it and print
 *                                       "WALL USER SYS MAXRSS": seconds
 *                                       and KB of CMD alone, for bench/
 *                                       (exit 1 if CMD did not exit 0)
 *   shm-helper flap N ID...             attach and detach each ID, N rounds;
 *                                       print how many were gone
 *   shm-helper fork ID...               attach each, fork a child that
 *                                       inherits them, print "ready CHILD",
 *                                       wait (SIGTERM ends both)
 *   shm-helper split ID                 attach (at least 3 pages), make the
 *                                       middle page read-only so the mapping
 *                                       splits in 3, print "ready", wait
 *   shm-helper ownhold KEY SIZE MODE    create, attach, print the id, wait
 *   shm-helper posixmap PATH            map a file shared, close it, print
 *                                       "ready", wait (mapped, not open)
 *   shm-helper fakesysv DIR INO [keep]  a mapping that looks like System V:
 *                                       as root of its own user and mount
 *                                       namespaces (unshare -Urm), mount a
 *                                       tmpfs on DIR and make it the root,
 *                                       create files /SYSV%08x until one
 *                                       has inode INO, map it shared, unlink
 *                                       it (unless keep: no " (deleted)"),
 *                                       print "ready", wait; "skip WHY"
 *                                       when INO cannot be had
 *   shm-helper zombie KEY SIZE MODE     a child creates the segment and
 *                                       exits; print "ID CHILD" and wait
 *                                       without reaping it (a zombie
 *                                       creator)
 *   shm-helper ownthread KEY SIZE MODE  create, start a thread and end
 *                                       the main one; the thread prints the
 *                                       id once the leader is a zombie, and
 *                                       the process runs on (SIGTERM ends
 *                                       it)
 *   shm-helper holdthread ID            attach ID, then as ownthread: print
 *                                       "ready" once the main thread ended
 *   shm-helper chown ID UID             IPC_SET of the owner (moves ctime)
 *   shm-helper opath PATH               open PATH with O_PATH (no call on
 *                                       its file system), print "ready",
 *                                       wait
 *   shm-helper posixfill DIR N          make N files obj.0... of 4 KiB
 *                                       (sparse) in DIR, for bench/posix.sh
 *   shm-helper posixmaps PATH M         map the first page of PATH M times
 *                                       (M mappings: never merged), print
 *                                       "ready", wait
 *   shm-helper posixleader PATH         open and map PATH, then as
 *                                       ownthread: print "ready" once the
 *                                       main thread ended; the process
 *                                       still maps and holds PATH
 *   shm-helper posixfdthread PATH       a thread with a descriptor table
 *                                       of its own (unshare CLONE_FILES)
 *                                       holds PATH open, not mapped; print
 *                                       "ready", wait
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "shm-helper: %s: %s\n", what, strerror(errno));
	return 1;
}

static int cmd_create(char **argv)
{
	key_t key = (key_t)strtoll(argv[0], NULL, 0);
	size_t size = strtoull(argv[1], NULL, 0);
	int mode = (int)strtol(argv[2], NULL, 8);
	int id = shmget(key, size, IPC_CREAT | IPC_EXCL | mode);

	if (id < 0)
		return die("shmget");
	printf("%d\n", id);
	return 0;
}

static int cmd_stat(char **argv)
{
	int id = atoi(argv[0]);
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds) < 0)
		return die("IPC_STAT");
	printf("key %d\nid %d\nmode %o\nsize %zu\ncpid %d\nlpid %d\nnattch %lu\n"
	       "uid %u\ngid %u\ncuid %u\ncgid %u\natime %lld\ndtime %lld\nctime %lld\n",
	       (int)ds.shm_perm.__key, id, ds.shm_perm.mode & 07777, ds.shm_segsz,
	       (int)ds.shm_cpid, (int)ds.shm_lpid, (unsigned long)ds.shm_nattch,
	       ds.shm_perm.uid, ds.shm_perm.gid, ds.shm_perm.cuid, ds.shm_perm.cgid,
	       (long long)ds.shm_atime, (long long)ds.shm_dtime, (long long)ds.shm_ctime);
	return 0;
}

static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

static int cmd_hold(int argc, char **argv)
{
	int flags = 0, i = 0;

	if (argc > 0 && strcmp(argv[0], "-r") == 0) {
		flags = SHM_RDONLY;
		i++;
	}
	signal(SIGTERM, on_term);
	for (; i < argc; i++)
		if (shmat(atoi(argv[i]), NULL, flags) == (void *)-1)
			return die("shmat");
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static pid_t child;

static void on_term_both(int sig)
{
	(void)sig;
	if (child > 0)
		kill(child, SIGTERM);
	_exit(0);
}

static int cmd_fork(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (shmat(atoi(argv[i]), NULL, 0) == (void *)-1)
			return die("shmat");
	signal(SIGTERM, on_term);
	child = fork();
	if (child < 0)
		return die("fork");
	if (child == 0) {
		for (;;)
			pause();
	}
	signal(SIGTERM, on_term_both);
	printf("ready %d\n", (int)child);
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_split(char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = shmat(atoi(argv[0]), NULL, 0);

	if (p == (void *)-1)
		return die("shmat");
	if (mprotect(p + page, (size_t)page, PROT_READ) < 0)
		return die("mprotect");
	signal(SIGTERM, on_term);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_ownhold(char **argv)
{
	key_t key = (key_t)strtoll(argv[0], NULL, 0);
	size_t size = strtoull(argv[1], NULL, 0);
	int id = shmget(key, size, IPC_CREAT | IPC_EXCL | (int)strtol(argv[2], NULL, 8));

	if (id < 0)
		return die("shmget");
	if (shmat(id, NULL, 0) == (void *)-1)
		return die("shmat");
	signal(SIGTERM, on_term);
	printf("%d\n", id);
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_own(char **argv)
{
	int rc = cmd_create(argv);

	if (rc)
		return rc;
	fflush(stdout);
	signal(SIGTERM, on_term);
	for (;;)
		pause();
}

static int cmd_touch(char **argv)
{
	void *a = shmat(atoi(argv[0]), NULL, SHM_RDONLY);

	if (a == (void *)-1)
		return die("shmat");
	shmdt(a);
	printf("ready\n");
	fflush(stdout);
	signal(SIGTERM, on_term);
	for (;;)
		pause();
}

static int cmd_many(char **argv)
{
	long n = atol(argv[0]);
	size_t size = strtoull(argv[1], NULL, 0);

	for (long i = 0; i < n; i++)
		if (shmget(IPC_PRIVATE, size, IPC_CREAT | 0600) < 0)
			return die("shmget");
	return 0;
}

static int cmd_rmids(char **argv)
{
	FILE *f = fopen(argv[0], "r");
	int id;

	if (!f)
		return die(argv[0]);
	while (fscanf(f, "%d", &id) == 1)
		if (shmctl(id, IPC_RMID, NULL) < 0)
			return die("shmctl IPC_RMID");
	if (!feof(f)) {
		fprintf(stderr, "shm-helper: %s: not a list of ids\n", argv[0]);
		return 1;
	}
	fclose(f);
	return 0;
}

/* The helper is small: a posix_spawn child starts from its memory, and
 * the kernel counts the parent's peak RSS into the child's until exec. */
static int cmd_spawn(char **argv)
{
	extern char **environ;
	posix_spawn_file_actions_t fa;
	struct timespec t0, t1;
	struct rusage ru;
	pid_t pid;
	int rc, status;

	if (posix_spawn_file_actions_init(&fa) ||
	    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
					     O_WRONLY, 0))
		return die("posix_spawn_file_actions");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	if (rc) {
		errno = rc;
		return die(argv[0]);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return die("wait4");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	posix_spawn_file_actions_destroy(&fa);
	printf("%.6f %.6f %.6f %ld\n",
	       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

static int cmd_flap(int argc, char **argv)
{
	long rounds = atol(argv[0]);
	long gone = 0;

	for (long r = 0; r < rounds; r++) {
		for (int i = 1; i < argc; i++) {
			void *a = shmat(atoi(argv[i]), NULL, SHM_RDONLY);

			if (a == (void *)-1) {
				gone++;
				continue;
			}
			shmdt(a);
		}
	}
	printf("%ld\n", gone);
	return 0;
}

static int cmd_posixmap(char **argv)
{
	struct stat st;
	int fd = open(argv[0], O_RDWR);
	void *a;

	if (fd < 0 || fstat(fd, &st) < 0)
		return die("open");
	a = mmap(NULL, st.st_size ? (size_t)st.st_size : 1, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		return die("mmap");
	close(fd);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

/* A file /SYSV%08x of inode ino in the root directory, open, its name
 * in name; -1 when the inodes went past ino. The files before it are
 * removed. */
static int file_with_inode(unsigned long ino, char *name, size_t sz)
{
	for (unsigned int i = 0; i < 4096; i++) {
		struct stat st;
		int fd;

		snprintf(name, sz, "/SYSV%08x", i);
		fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || fstat(fd, &st) < 0)
			return -1;
		if (st.st_ino == ino)
			return fd;
		close(fd);
		unlink(name);
		if (st.st_ino > ino)
			return -1;
	}
	return -1;
}

static int cmd_fakesysv(int argc, char **argv)
{
	unsigned long ino = strtoul(argv[1], NULL, 10);
	char old[4096], name[32];
	void *a;
	int fd;

	snprintf(old, sizeof(old), "%s/old", argv[0]);
	if (mount("none", argv[0], "tmpfs", 0, "mode=0755") < 0 || mkdir(old, 0755) < 0 ||
	    syscall(SYS_pivot_root, argv[0], old) < 0 || chdir("/") < 0)
		return die("a tmpfs as the root");
	fd = file_with_inode(ino, name, sizeof(name));
	if (fd < 0) {
		printf("skip no file of inode %lu on a new tmpfs\n", ino);
		return 0;
	}
	if (ftruncate(fd, 4096) < 0)
		return die("ftruncate");
	a = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		return die("mmap");
	close(fd);
	if (!(argc > 2 && strcmp(argv[2], "keep") == 0) && unlink(name) < 0)
		return die("unlink");
	signal(SIGTERM, on_term);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_zombie(char **argv)
{
	int fds[2], id = -1;
	siginfo_t si;
	pid_t pid;

	if (pipe(fds) < 0)
		return die("pipe");
	pid = fork();
	if (pid < 0)
		return die("fork");
	if (pid == 0) {
		key_t key = (key_t)strtoll(argv[0], NULL, 0);

		id = shmget(key, strtoull(argv[1], NULL, 0),
			    IPC_CREAT | IPC_EXCL | (int)strtol(argv[2], NULL, 8));
		if (write(fds[1], &id, sizeof(id)) != sizeof(id))
			_exit(1);
		_exit(id < 0);
	}
	close(fds[1]);
	if (read(fds[0], &id, sizeof(id)) != sizeof(id) || id < 0)
		return die("shmget in the child");
	/* exited, and left unreaped */
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0)
		return die("waitid");
	signal(SIGTERM, on_term);
	printf("%d %d\n", id, (int)pid);
	fflush(stdout);
	for (;;)
		pause();
}

/* What the thread left by end_leader() prints. */
static char leader_line[64];

/* Whether the main thread has ended: the leader shows Z in the stat of
 * the process (the thread group's, whichever thread reads it). */
static int leader_ended(void)
{
	char buf[512], *p;
	FILE *f = fopen("/proc/self/stat", "re");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'Z';
}

/* Wait for the main thread to end, print leader_line, then wait for a
 * signal: the test sees the process only as a zombie leader and a
 * thread that runs on. */
static void *after_leader(void *arg)
{
	(void)arg;
	while (!leader_ended())
		usleep(1000);
	printf("%s\n", leader_line);
	fflush(stdout);
	for (;;)
		pause();
	return NULL;
}

/* Start the thread that prints line once the main thread has ended, and
 * end the main thread. */
static int end_leader(const char *line)
{
	pthread_t t;

	snprintf(leader_line, sizeof(leader_line), "%s", line);
	if (pthread_create(&t, NULL, after_leader, NULL)) {
		fprintf(stderr, "shm-helper: pthread_create failed\n");
		return 1;
	}
	pthread_exit(NULL);
}

static int cmd_ownthread(char **argv)
{
	key_t key = (key_t)strtoll(argv[0], NULL, 0);
	int id = shmget(key, strtoull(argv[1], NULL, 0),
			IPC_CREAT | IPC_EXCL | (int)strtol(argv[2], NULL, 8));
	char line[16];

	if (id < 0)
		return die("shmget");
	snprintf(line, sizeof(line), "%d", id);
	return end_leader(line);
}

static int cmd_holdthread(char **argv)
{
	if (shmat(atoi(argv[0]), NULL, 0) == (void *)-1)
		return die("shmat");
	return end_leader("ready");
}

static int cmd_chown(char **argv)
{
	struct shmid_ds ds;
	int id = atoi(argv[0]);

	if (shmctl(id, IPC_STAT, &ds) < 0)
		return die("IPC_STAT");
	ds.shm_perm.uid = (uid_t)strtoul(argv[1], NULL, 10);
	if (shmctl(id, IPC_SET, &ds) < 0)
		return die("IPC_SET");
	return 0;
}

static int cmd_opath(char **argv)
{
	if (open(argv[0], O_PATH) < 0)
		return die("open");
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_posixfill(char **argv)
{
	long n = strtol(argv[1], NULL, 10);
	int dfd = open(argv[0], O_RDONLY | O_DIRECTORY);
	char name[32];

	if (dfd < 0)
		return die("open");
	for (long i = 0; i < n; i++) {
		int fd;

		snprintf(name, sizeof(name), "obj.%ld", i);
		fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd < 0 || ftruncate(fd, 4096) < 0)
			return die(name);
		close(fd);
	}
	close(dfd);
	return 0;
}

static int cmd_posixmaps(char **argv)
{
	long m = strtol(argv[1], NULL, 10);
	int fd = open(argv[0], O_RDONLY);

	if (fd < 0)
		return die("open");
	for (long i = 0; i < m; i++)
		if (mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
			return die("mmap");
	close(fd);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_posixleader(char **argv)
{
	int fd = open(argv[0], O_RDWR);

	if (fd < 0)
		return die("open");
	if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED)
		return die("mmap");
	return end_leader("ready");
}

static const char *fdthread_path;
static int fdthread_pipe[2];

static void *fdthread(void *arg)
{
	char c = 'n';

	(void)arg;
	if (unshare(CLONE_FILES) == 0 && open(fdthread_path, O_RDWR) >= 0)
		c = 'y';
	if (write(fdthread_pipe[1], &c, 1) != 1)
		return NULL;
	for (;;)
		pause();
	return NULL;
}

static int cmd_posixfdthread(char **argv)
{
	pthread_t t;
	char c = 'n';

	fdthread_path = argv[0];
	if (pipe(fdthread_pipe) < 0)
		return die("pipe");
	if (pthread_create(&t, NULL, fdthread, NULL)) {
		fprintf(stderr, "shm-helper: pthread_create failed\n");
		return 1;
	}
	if (read(fdthread_pipe[0], &c, 1) != 1 || c != 'y')
		return die("open in the thread");
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc >= 5 && strcmp(argv[1], "create") == 0)
		return cmd_create(argv + 2);
	if (argc == 3 && strcmp(argv[1], "stat") == 0)
		return cmd_stat(argv + 2);
	if (argc >= 3 && strcmp(argv[1], "hold") == 0)
		return cmd_hold(argc - 2, argv + 2);
	if (argc == 5 && strcmp(argv[1], "own") == 0)
		return cmd_own(argv + 2);
	if (argc == 3 && strcmp(argv[1], "touch") == 0)
		return cmd_touch(argv + 2);
	if (argc == 3 && strcmp(argv[1], "rmid") == 0)
		return shmctl(atoi(argv[2]), IPC_RMID, NULL) < 0 ? die("IPC_RMID") : 0;
	if (argc == 3 && strcmp(argv[1], "lock") == 0)
		return shmctl(atoi(argv[2]), SHM_LOCK, NULL) < 0 ? die("SHM_LOCK") : 0;
	if (argc >= 4 && strcmp(argv[1], "flap") == 0)
		return cmd_flap(argc - 2, argv + 2);
	if (argc == 3 && strcmp(argv[1], "rmids") == 0)
		return cmd_rmids(argv + 2);
	if (argc >= 3 && strcmp(argv[1], "spawn") == 0)
		return cmd_spawn(argv + 2);
	if (argc == 4 && strcmp(argv[1], "many") == 0)
		return cmd_many(argv + 2);
	if (argc >= 3 && strcmp(argv[1], "fork") == 0)
		return cmd_fork(argc - 2, argv + 2);
	if (argc == 3 && strcmp(argv[1], "split") == 0)
		return cmd_split(argv + 2);
	if (argc == 5 && strcmp(argv[1], "ownhold") == 0)
		return cmd_ownhold(argv + 2);
	if (argc == 3 && strcmp(argv[1], "posixmap") == 0)
		return cmd_posixmap(argv + 2);
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "fakesysv") == 0)
		return cmd_fakesysv(argc - 2, argv + 2);
	if (argc == 5 && strcmp(argv[1], "zombie") == 0)
		return cmd_zombie(argv + 2);
	if (argc == 5 && strcmp(argv[1], "ownthread") == 0)
		return cmd_ownthread(argv + 2);
	if (argc == 4 && strcmp(argv[1], "chown") == 0)
		return cmd_chown(argv + 2);
	if (argc == 3 && strcmp(argv[1], "opath") == 0)
		return cmd_opath(argv + 2);
	if (argc == 4 && strcmp(argv[1], "posixfill") == 0)
		return cmd_posixfill(argv + 2);
	if (argc == 4 && strcmp(argv[1], "posixmaps") == 0)
		return cmd_posixmaps(argv + 2);
	if (argc == 3 && strcmp(argv[1], "holdthread") == 0)
		return cmd_holdthread(argv + 2);
	if (argc == 3 && strcmp(argv[1], "posixleader") == 0)
		return cmd_posixleader(argv + 2);
	if (argc == 3 && strcmp(argv[1], "posixfdthread") == 0)
		return cmd_posixfdthread(argv + 2);
	fprintf(stderr, "usage: shm-helper create|stat|hold|own|touch|rmid|rmids|spawn|lock|many|flap|fork|split|ownhold|posixmap|fakesysv|zombie|ownthread|holdthread|chown|opath|posixfill|posixmaps|posixleader|posixfdthread ...\n");
	return 2;
}
