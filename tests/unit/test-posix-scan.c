/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The /proc scan of src/core/posix-scan.c over the real /proc, with fstatat,
 * statx and openat wrapped (-Wl,--wrap=): a stat through a
 * /proc/PID/fd/N link reaches the file itself, and on FUSE or NFS it can
 * block for good, so the scan must find the files that processes hold
 * open without one. On a kernel whose fdinfo has no inode (before 5.14,
 * played here by taking the ino line out of what openat gives for
 * fdinfo), a stat is allowed on the objects' own file system only.
 *
 * The objects live on a tmpfs of the test's, mounted in a mount
 * namespace of its own (root only; skipped otherwise); this process
 * holds one open, maps another, and holds open files of other file
 * systems (procfs, the test binary's).
 *
 * Threads: one with a descriptor table of its own holds an object open
 * that no other table has; kcmp (wrapped: real, failing, or claiming
 * every table shared) tells which threads' tables are scanned. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/ipcns.h"
#include "core/posix-shm.h"

/* ---- the mocks ---- */

int __real_fstatat(int dirfd, const char *path, struct stat *st, int flags);
int __wrap_fstatat(int dirfd, const char *path, struct stat *st, int flags);
int __real_statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *stx);
int __wrap_statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *stx);
int __real_openat(int dirfd, const char *path, int flags, ...);
int __wrap_openat(int dirfd, const char *path, int flags, ...);
int __real_sys_kcmp(pid_t pid1, pid_t pid2, int type, unsigned long idx1, unsigned long idx2);
int __wrap_sys_kcmp(pid_t pid1, pid_t pid2, int type, unsigned long idx1, unsigned long idx2);

enum kcmp_mode { KCMP_REAL, KCMP_FAILS, KCMP_ALL_SHARED };

static struct {
	dev_t objects_dev;
	bool no_ino;                    /* fdinfo as before Linux 5.14 */
	unsigned long fstatat_links;    /* fstatat calls through an fd link */
	unsigned long statx_links;      /* statx calls through an fd link */
	unsigned long statx_foreign;    /* ... on a file of another device */
	unsigned long statx_sync;       /* ... without AT_STATX_DONT_SYNC */
	enum kcmp_mode kcmp;
	unsigned long kcmp_calls;       /* about this process's threads */
	unsigned long thread_fd_dirs;   /* this process's task/TID/fd opened */
} mock;

int __wrap_sys_kcmp(pid_t pid1, pid_t pid2, int type, unsigned long idx1, unsigned long idx2)
{
	if (pid1 == getpid())
		mock.kcmp_calls++;
	if (mock.kcmp == KCMP_FAILS) {
		errno = ENOSYS;
		return -1;
	}
	if (mock.kcmp == KCMP_ALL_SHARED)
		return 0;
	return __real_sys_kcmp(pid1, pid2, type, idx1, idx2);
}

/* Whether dirfd is a /proc/PID/fd directory. */
static bool is_fd_dir(int dirfd)
{
	char self[64], target[64];
	ssize_t n;
	int pid, len = 0;

	if (dirfd < 0)
		return false;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", dirfd);
	n = readlink(self, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return sscanf(target, "/proc/%d/fd%n", &pid, &len) == 1 && (size_t)len == (size_t)n;
}

int __wrap_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	if (is_fd_dir(dirfd))
		mock.fstatat_links++;
	return __real_fstatat(dirfd, path, st, flags);
}

int __wrap_statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *stx)
{
	int rc = __real_statx(dirfd, path, flags, mask, stx);

	if (is_fd_dir(dirfd)) {
		mock.statx_links++;
		if (!(flags & AT_STATX_DONT_SYNC))
			mock.statx_sync++;
		if (rc == 0 && makedev(stx->stx_dev_major, stx->stx_dev_minor) != mock.objects_dev)
			mock.statx_foreign++;
	}
	return rc;
}

/* fdinfo text without its ino line, in a memfd, as an old kernel has it. */
static int without_ino(int fd)
{
	char in[4096], out[4096];
	ssize_t n = read(fd, in, sizeof(in) - 1);
	size_t len = 0;
	int mfd;

	close(fd);
	if (n < 0)
		return -1;
	in[n] = '\0';
	for (char *line = strtok(in, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, "ino:", 4) != 0)
			len += (size_t)snprintf(out + len, sizeof(out) - len, "%s\n", line);
	mfd = memfd_create("fdinfo", MFD_CLOEXEC);
	if (mfd < 0 || write(mfd, out, len) != (ssize_t)len || lseek(mfd, 0, SEEK_SET) != 0)
		return -1;
	return mfd;
}

/* Whether path is "PID/task/TID/fd" of this process (the scan looks at
 * every process; only this one's threads are the test's). */
static bool is_own_thread_fd_dir(const char *path)
{
	char own[32];
	size_t len = strlen(path);

	snprintf(own, sizeof(own), "%d/task/", (int)getpid());
	return !strncmp(path, own, strlen(own)) && len > 3 && !strcmp(path + len - 3, "/fd");
}

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;
	int fd;

	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = va_arg(ap, mode_t);
	va_end(ap);
	if (is_own_thread_fd_dir(path))
		mock.thread_fd_dirs++;
	fd = __real_openat(dirfd, path, flags, mode);
	if (fd >= 0 && mock.no_ino && strstr(path, "/fdinfo/"))
		return without_ino(fd);
	return fd;
}

/* ---- the objects ---- */

static char dir[64];
static int dirfd_ = -1, held = -1, foreign[2] = { -1, -1 };
static struct ipcns_target no_target = IPCNS_TARGET_INIT;       /* no --ipc-ns */
static void *mapped;

static int make(const char *name, off_t size)
{
	int fd = openat(dirfd_, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd >= 0 && ftruncate(fd, size) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Returns 0, or skips every test (not root, no mount namespace). */
static int setup(void **state)
{
	struct stat st;
	int fd;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/scan-test-XXXXXX", P_tmpdir);
	if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    !mkdtemp(dir))
		return 0;
	if (mount("tmpfs", dir, "tmpfs", 0, "size=1m")) {
		rmdir(dir);
		return 0;
	}
	dirfd_ = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	held = make("open", 4096);
	fd = make("mapped", 4096);
	if (dirfd_ < 0 || held < 0 || fd < 0)
		return -1;
	mapped = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	fd = make("unused", 100);
	if (mapped == MAP_FAILED || fd < 0 || fstat(fd, &st))
		return -1;
	close(fd);
	mock.objects_dev = st.st_dev;
	/* files of other file systems, open in this process too */
	foreign[0] = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	foreign[1] = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (dirfd_ < 0)
		return 0;
	munmap(mapped, 4096);
	for (int i = 0; i < 2; i++)
		if (foreign[i] >= 0)
			close(foreign[i]);
	close(held);
	close(dirfd_);
	umount(dir);
	rmdir(dir);
	return 0;
}

static bool fdinfo_has_ino(void)
{
	char buf[512];
	int fd = open("/proc/self/fdinfo/0", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, "\nino:") != NULL;
}

static void reset_counts(void)
{
	mock.fstatat_links = mock.statx_links = mock.statx_foreign = mock.statx_sync = 0;
}

/* Scan, and check what this process does with the three objects. */
static void scan_and_check(void)
{
	struct posix_vec v = { .want_holders = true };
	const struct posix_obj *o[3];

	assert_int_equal(posix_load(&no_target, dirfd_, &v), 0);
	assert_int_equal(v.n, 3);
	for (size_t i = 0; i < v.n; i++)
		o[!strcmp(v.v[i].name, "mapped") ? 0 : !strcmp(v.v[i].name, "open") ? 1 : 2] = &v.v[i];
	assert_int_equal(posix_scan_use(&v), 0);
	assert_int_equal(o[0]->use, POSIX_MAPPED);
	assert_int_equal(o[1]->use, POSIX_OPEN);
	assert_int_equal(o[1]->nholders, 1);
	assert_int_equal(o[1]->holders[0].pid, getpid());
	assert_int_equal(o[2]->use, 0);
	posix_vec_free(&v);
}

/* fdinfo with the inode: not one stat through a descriptor link. */
static void test_no_stat_on_fd_links(void **state)
{
	(void)state;
	if (dirfd_ < 0 || !fdinfo_has_ino())
		skip();
	reset_counts();
	scan_and_check();
	assert_int_equal(mock.fstatat_links, 0);
	assert_int_equal(mock.statx_links, 0);
}

/* fdinfo without the inode: statx with AT_STATX_DONT_SYNC, on files of
 * the objects' file system only; this process's other files (procfs,
 * the binary's) are never stat'ed. */
static void test_old_kernel_stats_our_fs_only(void **state)
{
	(void)state;
	if (dirfd_ < 0)
		skip();
	reset_counts();
	mock.no_ino = true;
	scan_and_check();
	mock.no_ino = false;
	assert_int_equal(mock.fstatat_links, 0);
	assert_true(mock.statx_links >= 1);             /* the open object */
	assert_int_equal(mock.statx_foreign, 0);
	assert_int_equal(mock.statx_sync, 0);
}

/* The use of object `name` after a scan (the three objects as made). */
static unsigned int use_of(const char *name, pid_t *holder)
{
	struct posix_vec v = { .want_holders = true };
	unsigned int use = 0;

	assert_int_equal(posix_load(&no_target, dirfd_, &v), 0);
	assert_int_equal(posix_scan_use(&v), 0);
	for (size_t i = 0; i < v.n; i++) {
		if (strcmp(v.v[i].name, name) == 0) {
			use = v.v[i].use;
			if (holder)
				*holder = v.v[i].nholders ? v.v[i].holders[0].pid : 0;
		}
	}
	posix_vec_free(&v);
	return use;
}

/* Open `name` in a fresh mount, detached at once: the descriptor's
 * mount is then in no mountinfo. With source, a bind mount of it, and
 * name is opened there; without, a new tmpfs, where files NAME0,
 * NAME1... are made until one gets the inode `ino`: that one is kept
 * open (-1 if none does). */
static int open_detached(const char *source, const char *name, ino_t ino)
{
	char where[64], path[128];
	struct stat st;
	int fd = -1;

	snprintf(where, sizeof(where), "%s/detach-XXXXXX", P_tmpdir);
	assert_non_null(mkdtemp(where));
	if (source)
		assert_int_equal(mount(source, where, NULL, MS_BIND, NULL), 0);
	else
		assert_int_equal(mount("tmpfs", where, "tmpfs", 0, "size=64k"), 0);
	for (int i = 0; !source && i < 100; i++) {
		snprintf(path, sizeof(path), "%s/%s%d", where, name, i);
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		assert_true(fd >= 0);
		assert_int_equal(fstat(fd, &st), 0);
		if (st.st_ino == ino)
			break;
		close(fd);
		fd = -1;
	}
	if (source) {
		snprintf(path, sizeof(path), "%s/%s", where, name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	assert_int_equal(umount2(where, MNT_DETACH), 0);
	rmdir(where);
	return fd;
}

/* A descriptor whose mount is in no mountinfo: a file of another tmpfs
 * with the inode number of an object is not that object; the object
 * itself, open through a bind mount detached since, is in use. */
static void test_unknown_mount(void **state)
{
	struct stat st;
	pid_t holder = 0;
	int fd;

	(void)state;
	if (dirfd_ < 0 || !fdinfo_has_ino())
		skip();
	assert_int_equal(fstatat(dirfd_, "unused", &st, 0), 0);
	fd = open_detached(NULL, "decoy", st.st_ino);
	if (fd < 0)
		skip();         /* no inode number in common */
	assert_int_equal(use_of("unused", NULL), 0);
	close(fd);
	fd = open_detached(dir, "unused", 0);
	assert_true(fd >= 0);
	assert_int_equal(use_of("unused", &holder), POSIX_OPEN);
	assert_int_equal(holder, getpid());
	close(fd);
	assert_int_equal(use_of("unused", NULL), 0);
}

/* A thread that holds `name` open, in a descriptor table of its own
 * (own) or in the process's, until told to end. */
struct holder_thread {
	pthread_t t;
	const char *name;
	bool own;
	int ready[2], end[2];
};

static void *hold_in_thread(void *arg)
{
	struct holder_thread *h = arg;
	char c = 'n';
	int fd;

	if (!h->own || unshare(CLONE_FILES) == 0) {
		fd = openat(dirfd_, h->name, O_RDONLY | O_CLOEXEC);
		c = fd >= 0 ? 'y' : 'n';
	}
	if (write(h->ready[1], &c, 1) != 1 || read(h->end[0], &c, 1) < 0)
		return NULL;
	return NULL;    /* its own table goes with it */
}

static void thread_start(struct holder_thread *h, const char *name, bool own)
{
	char c = 0;

	h->name = name;
	h->own = own;
	assert_int_equal(pipe(h->ready), 0);
	assert_int_equal(pipe(h->end), 0);
	assert_int_equal(pthread_create(&h->t, NULL, hold_in_thread, h), 0);
	assert_int_equal(read(h->ready[0], &c, 1), 1);
	assert_int_equal(c, 'y');
}

/* Threads of this process that /proc still lists. */
static int task_entries(void)
{
	struct stat st;

	assert_int_equal(stat("/proc/self/task", &st), 0);
	return (int)st.st_nlink - 2;
}

/* End the thread and wait until /proc no longer lists it: pthread_join
 * returns when the thread has cleared its tid, a little before the
 * kernel has released it (its task/TID entry still there). */
static void thread_end(struct holder_thread *h)
{
	int before = task_entries();

	assert_int_equal(write(h->end[1], "x", 1), 1);
	assert_int_equal(pthread_join(h->t, NULL), 0);
	for (int i = 0; i < 2; i++) {
		close(h->ready[i]);
		close(h->end[i]);
	}
	while (task_entries() >= before)
		sched_yield();
}

/* The use of "unused" and its holders with kcmp in mode m. */
static unsigned long last_denied;      /* use_with_kcmp's scan */

static unsigned int use_with_kcmp(enum kcmp_mode m, size_t *nholders)
{
	struct posix_vec v = { .want_holders = true };
	unsigned int use = 0;

	mock.kcmp = m;
	mock.kcmp_calls = mock.thread_fd_dirs = 0;
	assert_int_equal(posix_load(&no_target, dirfd_, &v), 0);
	assert_int_equal(posix_scan_use(&v), 0);
	last_denied = v.denied;
	mock.kcmp = KCMP_REAL;
	for (size_t i = 0; i < v.n; i++) {
		if (strcmp(v.v[i].name, "unused") == 0) {
			use = v.v[i].use;
			*nholders = v.v[i].nholders;
			if (v.v[i].nholders)
				assert_int_equal(v.v[i].holders[0].pid, getpid());
		}
	}
	posix_vec_free(&v);
	return use;
}

/* An object open only in a thread's own descriptor table is in use, by
 * this process (once); a thread that shares the table is not scanned
 * again, one kcmp tells; when kcmp fails, every thread is scanned, and
 * the process still counts once. */
static void test_thread_own_table(void **state)
{
	struct holder_thread own, shared;
	size_t n = 0;

	(void)state;
	if (dirfd_ < 0)
		skip();
	thread_start(&own, "unused", true);
	thread_start(&shared, "mapped", false);
	assert_int_equal(use_with_kcmp(KCMP_REAL, &n), POSIX_OPEN);
	assert_int_equal(n, 1);
	assert_int_equal(mock.thread_fd_dirs, 1);      /* the thread with its own */
	assert_true(mock.kcmp_calls >= 2 && mock.kcmp_calls <= 3);
	assert_int_equal(use_with_kcmp(KCMP_FAILS, &n), POSIX_OPEN);
	assert_int_equal(n, 1);
	assert_int_equal(mock.thread_fd_dirs, 2);      /* both threads */
	/* proof that kcmp decides: told every table is shared, the thread's
	 * own is not looked at */
	assert_int_equal(use_with_kcmp(KCMP_ALL_SHARED, &n), 0);
	assert_int_equal(mock.thread_fd_dirs, 0);
	thread_end(&shared);
	thread_end(&own);
	assert_int_equal(use_with_kcmp(KCMP_REAL, &n), 0);
	assert_int_equal(mock.kcmp_calls, 0);          /* one thread: no kcmp */
}

/* kcmp refused and a process of many threads: at most SCAN_MAX_TABLES
 * (16) of their tables are read, not thousands of times the same one;
 * the process then counts as not inspected, so that gc holds back. */
static void test_many_threads_without_kcmp(void **state)
{
	struct holder_thread h[20];
	unsigned long others;
	size_t n = 0;

	(void)state;
	if (dirfd_ < 0)
		skip();
	for (size_t i = 0; i < 20; i++)
		thread_start(&h[i], "mapped", false);
	/* with kcmp, one table: none read twice; what else the machine has
	 * that cannot be inspected is counted in others */
	use_with_kcmp(KCMP_REAL, &n);
	assert_int_equal(mock.thread_fd_dirs, 0);
	others = last_denied;
	use_with_kcmp(KCMP_FAILS, &n);
	assert_int_equal(mock.thread_fd_dirs, 16);
	assert_int_equal(last_denied, others + 1);
	for (size_t i = 0; i < 20; i++)
		thread_end(&h[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_stat_on_fd_links),
		cmocka_unit_test(test_old_kernel_stats_our_fs_only),
		cmocka_unit_test(test_unknown_mount),
		cmocka_unit_test(test_thread_own_table),
		cmocka_unit_test(test_many_threads_without_kcmp),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
