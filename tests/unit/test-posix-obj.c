/* SPDX-License-Identifier: GPL-2.0-or-later */
/* POSIX objects through the system layer, with the faults the kernel
 * cannot be made to produce on demand: fchmod or ftruncate failing right
 * after create --posix made its object, and another process giving that
 * name to a file of its own meanwhile; a kernel without openat2, where
 * the directory of the objects is opened a path part at a time; a
 * directory that is not the root of a tmpfs mount. Linked with
 * -Wl,--wrap= for fchmod, ftruncate, sys_openat2, fstatfs and statx;
 * every other call is real.
 *
 * The objects live in a directory of the test's, ROOT/dev/shm, which
 * fstatfs and statx call the root of a tmpfs mount. create --posix and
 * posix_shm_dir_open open the directory themselves: they run as under
 * --ipc-ns PID, PID being a child chrooted in ROOT (root only; skipped
 * otherwise). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "capture.h"
#include "core/ipcns.h"
#include "cmd/commands.h"
#include "core/posix-shm.h"
#include "lib/util.h"

/* ---- the mocks ---- */

int __real_fchmod(int fd, mode_t mode);
int __wrap_fchmod(int fd, mode_t mode);
int __real_ftruncate(int fd, off_t len);
int __wrap_ftruncate(int fd, off_t len);
int __real_sys_openat2(int dirfd, const char *path, const struct open_how *how);
int __wrap_sys_openat2(int dirfd, const char *path, const struct open_how *how);

/* The next fchmod or ftruncate fails with its errno here (0: the real
 * call). With replace, the object is first unlinked and a new file made
 * under its name, as another process could: its inode in replaced_ino. */
static struct {
	int fchmod_err, ftruncate_err;
	bool replace;
	int dirfd;
	const char *name;
	unsigned long calls;
	ino_t replaced_ino;
} fault;

static int inject(int err)
{
	fault.calls++;
	if (fault.replace) {
		struct stat st;
		int fd;

		assert_int_equal(unlinkat(fault.dirfd, fault.name, 0), 0);
		fd = openat(fault.dirfd, fault.name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		assert_true(fd >= 0);
		assert_int_equal(fstat(fd, &st), 0);
		fault.replaced_ino = st.st_ino;
		close(fd);
	}
	errno = err;
	return -1;
}

int __wrap_fchmod(int fd, mode_t mode)
{
	int err = fault.fchmod_err;

	if (!err)
		return __real_fchmod(fd, mode);
	fault.fchmod_err = 0;
	return inject(err);
}

int __wrap_ftruncate(int fd, off_t len)
{
	int err = fault.ftruncate_err;

	if (!err)
		return __real_ftruncate(fd, len);
	fault.ftruncate_err = 0;
	return inject(err);
}

/* openat2: counted, and with no_openat2 missing: ENOSYS before Linux
 * 5.6, or missing_errno (EPERM from a seccomp filter that predates it) */
static bool no_openat2;
static int missing_errno = ENOSYS;
static unsigned long openat2_calls;

int __wrap_sys_openat2(int dirfd, const char *path, const struct open_how *how)
{
	openat2_calls++;
	if (no_openat2) {
		errno = missing_errno;
		return -1;
	}
	return __real_sys_openat2(dirfd, path, how);
}

/* What fstatfs and statx say of every directory: by default what
 * ROOT/dev/shm stands for, the root of a tmpfs mount. */
#ifndef STATX_MNT_ID
# define STATX_MNT_ID 0x1000U
#endif
static long fs_type = TMPFS_MAGIC;
static bool mount_root = true;

int __real_fstatfs(int fd, struct statfs *sf);
int __wrap_fstatfs(int fd, struct statfs *sf);
int __real_statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *sx);
int __wrap_statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *sx);

int __wrap_fstatfs(int fd, struct statfs *sf)
{
	int rc = __real_fstatfs(fd, sf);

	if (rc == 0)
		sf->f_type = fs_type;
	return rc;
}

int __wrap_statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *sx)
{
	int rc = __real_statx(dirfd, path, flags, mask, sx);

	if (rc == 0) {
		/* no mount id: ROOT/dev/shm is no mount in any mountinfo
		 * (tests/cli/posix-trust.sh has the real ones) */
		sx->stx_mask &= ~(unsigned int)STATX_MNT_ID;
		sx->stx_attributes_mask |= STATX_ATTR_MOUNT_ROOT;
		sx->stx_attributes &= ~(uint64_t)STATX_ATTR_MOUNT_ROOT;
		if (mount_root)
			sx->stx_attributes |= STATX_ATTR_MOUNT_ROOT;
	}
	return rc;
}

/* ---- the directory of the objects, and a process chrooted above it ---- */

static char root[64], shm[96];
static pid_t chrooted = -1;

/* The --ipc-ns process to act as: none, or the chrooted child. */
static struct ipcns_target target = IPCNS_TARGET_INIT;

/* Act as under --ipc-ns pid (0: without --ipc-ns), as entering its
 * namespace would leave the target (ipcns_enter_process). */
static void use_target(pid_t pid)
{
	char path[32];

	if (target.procfd >= 0)
		close(target.procfd);
	target = (struct ipcns_target)IPCNS_TARGET_INIT;
	if (!pid)
		return;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	target.pid = pid;
	target.procfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(target.procfd >= 0);
}

/* A child that lives chrooted in root until killed; -1 if it cannot. */
static pid_t spawn_chrooted(void)
{
	int p[2];
	char c = 'n';
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		c = chroot(root) == 0 && chdir("/") == 0 ? 'y' : 'n';
		if (write(p[1], &c, 1) != 1 || c != 'y')
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid > 0 && (read(p[0], &c, 1) != 1 || c != 'y')) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(p[0]);
	return pid;
}

static int setup(void **state)
{
	char dev[80];

	(void)state;
	snprintf(root, sizeof(root), "%s/shmtool-unit-posix-obj.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root))
		return -1;
	snprintf(dev, sizeof(dev), "%s/dev", root);
	snprintf(shm, sizeof(shm), "%s/dev/shm", root);
	if (mkdir(dev, 0755) || mkdir(shm, 01777))
		return -1;
	chrooted = spawn_chrooted();
	umask(077);
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	if (chrooted > 0) {
		kill(chrooted, SIGKILL);
		waitpid(chrooted, NULL, 0);
	}
	return nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static struct posix_dir objects_dir(void)
{
	struct posix_dir d = { .fd = open(shm, O_RDONLY | O_DIRECTORY | O_CLOEXEC), .ns = &target };

	assert_true(d.fd >= 0);
	(void)unlinkat(d.fd, "obj", 0);         /* left by a failed test */
	snprintf(d.path, sizeof(d.path), "%s", "(test)");
	memset(&fault, 0, sizeof(fault));
	fault.dirfd = d.fd;
	fault.name = "obj";
	return d;
}

/* The inode of the object `name`, 0 when there is none. */
static ino_t inode_of(const struct posix_dir *d, const char *name)
{
	struct stat st;

	if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW))
		return 0;
	return st.st_ino;
}

/* After a create that failed half-way: no object, or with replace the
 * other process's file (removed then, for the next test). */
static void assert_left(const struct posix_dir *d, bool replace)
{
	assert_int_equal(fault.calls, 1);
	if (!replace) {
		assert_int_equal(inode_of(d, "obj"), 0);
		return;
	}
	assert_int_not_equal(fault.replaced_ino, 0);
	assert_int_equal(inode_of(d, "obj"), fault.replaced_ino);
	assert_int_equal(unlinkat(d->fd, "obj", 0), 0);
}

/* posix_obj_open(O_CREAT | O_EXCL, mode 0644) with fchmod failing */
static void open_mode_fails(bool replace)
{
	struct posix_dir d = objects_dir();
	struct stat st;

	fault.fchmod_err = EPERM;
	fault.replace = replace;
	assert_int_equal(posix_obj_open(&d, "obj", O_RDWR | O_CREAT | O_EXCL, 0644, &st), -EPERM);
	assert_left(&d, replace);
	posix_dir_close(&d);
}

/* create --posix obj -s 4K with `mode`, the next call of the function
 * whose fault.*_err is `fail` failing with err: its stderr in errtext */
static char errtext[1024];

/* shmtool create --posix -s 4K -m MODE obj, as the command line says
 * it, acting as the target (its namespace as good as entered) */
static int create_posix_obj(unsigned int mode)
{
	char m[16], *argv[] = { (char *)"shmtool create", (char *)"--posix", (char *)"-s",
				(char *)"4096", (char *)"-m", m, (char *)"obj", NULL };
	struct shm_ctx ctx = { .ipc_ns = NULL, .ns = target };

	snprintf(m, sizeof(m), "%o", mode);
	optind = 0;
	return cmd_create.run(7, argv, &ctx);
}

static void create_fails(int *fail, int err, unsigned int mode, bool replace)
{
	struct posix_dir d;
	struct capture c;
	int status;

	if (chrooted <= 0)
		skip();
	d = objects_dir();
	*fail = err;
	fault.replace = replace;
	capture_start(&c, STDERR_FILENO);
	use_target(chrooted);
	status = create_posix_obj(mode);
	use_target(0);
	capture_end(&c, errtext, sizeof(errtext));
	assert_int_equal(status, EXIT_FAIL);
	assert_left(&d, replace);
	posix_dir_close(&d);
}

/* ---- the mode of a new object ---- */

/* The umask (077) takes bits of 0644 away: fchmod gives them back. */
static void test_open_excl_sets_mode(void **state)
{
	struct posix_dir d = objects_dir();
	struct stat st;
	int fd;

	(void)state;
	fd = posix_obj_open(&d, "obj", O_RDWR | O_CREAT | O_EXCL, 0644, &st);
	assert_true(fd >= 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	close(fd);
	assert_int_equal(unlinkat(d.fd, "obj", 0), 0);
	posix_dir_close(&d);
}

/* fchmod fails: the object made is removed again, nothing is left */
static void test_open_excl_mode_fails(void **state)
{
	(void)state;
	open_mode_fails(false);
}

/* fchmod fails after another process put its own file under the name:
 * that file is not ours to remove */
static void test_open_excl_mode_fails_replaced(void **state)
{
	(void)state;
	open_mode_fails(true);
}

/* ---- the size of a new object (create --posix) ---- */

static void test_create_size_fails(void **state)
{
	(void)state;
	create_fails(&fault.ftruncate_err, EFBIG, 0600, false);
	assert_non_null(strstr(errtext, "cannot give POSIX object obj a size of 4K: "));
	assert_non_null(strstr(errtext, "; removed it again"));
}

static void test_create_size_fails_replaced(void **state)
{
	(void)state;
	create_fails(&fault.ftruncate_err, EFBIG, 0600, true);
	assert_non_null(strstr(errtext, "; not removed: another file has its name now"));
}

/* and the mode, through the whole command */
static void test_create_mode_fails_replaced(void **state)
{
	(void)state;
	create_fails(&fault.fchmod_err, EPERM, 0644, true);
	assert_non_null(strstr(errtext, "cannot create POSIX object obj: permission denied"));
}

/* ---- the directory of the objects without openat2 ---- */

/* ROOT/dev or ROOT/dev/shm replaced by a symlink to the real directory,
 * moved to ROOT/devreal or ROOT/dev/shmreal; put back by the teardown. */
static char dev[80], devreal[88], shmreal[104];

static int layout_setup(void **state)
{
	(void)state;
	snprintf(dev, sizeof(dev), "%s/dev", root);
	snprintf(devreal, sizeof(devreal), "%s/devreal", root);
	snprintf(shmreal, sizeof(shmreal), "%s/dev/shmreal", root);
	no_openat2 = false;
	missing_errno = ENOSYS;
	openat2_calls = 0;
	return 0;
}

static int layout_teardown(void **state)
{
	struct stat st;

	(void)state;
	no_openat2 = false;
	fs_type = TMPFS_MAGIC;
	mount_root = true;
	use_target(0);
	if (lstat(dev, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (unlink(dev) || rename(devreal, dev)))
		return -1;
	if (lstat(shm, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (unlink(shm) || rename(shmreal, shm)))
		return -1;
	return 0;
}

/* posix_shm_dir_open under --ipc-ns of the chrooted child, and whether
 * it opened the directory at `path`: 1 yes, 0 another one, or -errno. */
static int open_shm_dir(const char *path)
{
	struct stat want, got;
	int fd;

	use_target(chrooted);
	fd = posix_shm_dir_open(&target);
	use_target(0);
	if (fd < 0)
		return fd;
	assert_int_equal(fstat(fd, &got), 0);
	close(fd);
	assert_int_equal(stat(path, &want), 0);
	return got.st_dev == want.st_dev && got.st_ino == want.st_ino;
}

static bool kernel_has_openat2(void)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC };
	int fd = __real_sys_openat2(AT_FDCWD, "/", &how);

	if (fd >= 0)
		close(fd);
	return fd >= 0 || errno != ENOSYS;
}

static void test_dir_openat2(void **state)
{
	(void)state;
	if (chrooted <= 0 || !kernel_has_openat2())
		skip();
	assert_int_equal(open_shm_dir(shm), 1);
	assert_int_equal(openat2_calls, 1);
}

static void test_dir_without_openat2(void **state)
{
	(void)state;
	if (chrooted <= 0)
		skip();
	no_openat2 = true;
	assert_int_equal(open_shm_dir(shm), 1);
	assert_int_equal(openat2_calls, 1);
}

/* Container runtimes whose seccomp profile predates openat2 answer EPERM
 * instead of ENOSYS: the fallback works there too. */
static void test_dir_openat2_denied_by_seccomp(void **state)
{
	(void)state;
	if (chrooted <= 0)
		skip();
	no_openat2 = true;
	missing_errno = EPERM;
	assert_int_equal(open_shm_dir(shm), 1);
	assert_int_equal(openat2_calls, 1);
}

/* The path part `part` made a symlink to `real`, where it is moved:
 * neither openat2 nor the fallback follows it, not even inside the
 * root. */
static void symlinked_part(const char *part, const char *real)
{
	const char *base = strrchr(real, '/') + 1;
	int rc;

	if (chrooted <= 0)
		skip();
	assert_int_equal(rename(part, real), 0);
	assert_int_equal(symlink(base, part), 0);
	no_openat2 = true;
	rc = open_shm_dir(shm);
	assert_true(rc == -ENOTDIR || rc == -ELOOP);
	if (kernel_has_openat2()) {
		no_openat2 = false;
		assert_int_equal(open_shm_dir(shm), -ELOOP);
	}
}

/* dev -> devreal */
static void test_dir_without_openat2_dev_symlink(void **state)
{
	(void)state;
	symlinked_part(dev, devreal);
}

/* dev/shm -> shmreal */
static void test_dir_without_openat2_shm_symlink(void **state)
{
	(void)state;
	symlinked_part(shm, shmreal);
}

/* ---- what the directory must be ---- */

/* Another file system (a directory of a disk's bind-mounted there) */
static void test_dir_not_tmpfs(void **state)
{
	(void)state;
	if (chrooted <= 0)
		skip();
	fs_type = EXT4_SUPER_MAGIC;
	assert_int_equal(open_shm_dir(shm), -EMEDIUMTYPE);
	assert_string_equal(posix_shm_dir_problem(-EMEDIUMTYPE), "not a tmpfs file system");
}

/* A directory below a tmpfs mount's root (a bind mount of one) */
static void test_dir_not_mount_root(void **state)
{
	(void)state;
	if (chrooted <= 0)
		skip();
	mount_root = false;
	assert_int_equal(open_shm_dir(shm), -EXDEV);
	assert_string_equal(posix_shm_dir_problem(-EXDEV), "not the root of a tmpfs mount");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_excl_sets_mode),
		cmocka_unit_test(test_open_excl_mode_fails),
		cmocka_unit_test(test_open_excl_mode_fails_replaced),
		cmocka_unit_test(test_create_size_fails),
		cmocka_unit_test(test_create_size_fails_replaced),
		cmocka_unit_test(test_create_mode_fails_replaced),
		cmocka_unit_test_setup_teardown(test_dir_openat2, layout_setup, layout_teardown),
		cmocka_unit_test_setup_teardown(test_dir_without_openat2, layout_setup,
						layout_teardown),
		cmocka_unit_test_setup_teardown(test_dir_openat2_denied_by_seccomp, layout_setup,
						layout_teardown),
		cmocka_unit_test_setup_teardown(test_dir_without_openat2_dev_symlink, layout_setup,
						layout_teardown),
		cmocka_unit_test_setup_teardown(test_dir_without_openat2_shm_symlink, layout_setup,
						layout_teardown),
		cmocka_unit_test_setup_teardown(test_dir_not_tmpfs, layout_setup, layout_teardown),
		cmocka_unit_test_setup_teardown(test_dir_not_mount_root, layout_setup,
						layout_teardown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
