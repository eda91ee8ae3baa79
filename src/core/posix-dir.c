/* SPDX-License-Identifier: GPL-2.0-or-later */
/* POSIX objects, the system layer: the directory of the objects opened
 * and checked, its listing, and each object looked at, opened, mapped or
 * unlinked relative to it. */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "core/as-target.h"
#include "core/ipcns.h"
#include "core/mountinfo.h"
#include "core/posix-shm.h"
#include "core/proc-walk.h"
#include "lib/text.h"
#include "lib/util.h"

void posix_shm_dir(const struct ipcns_target *ns, char *buf, size_t sz)
{
	if (ns->pid)
		snprintf(buf, sz, "/proc/%d/root" POSIX_SHM_DIR, (int)ns->pid);
	else
		snprintf(buf, sz, "%s", POSIX_SHM_DIR);
}

/* dev/shm below rootfd without openat2: each component opened alone,
 * none of them may be a symlink. */
static int open_below_nofollow(int rootfd)
{
	int dev = openat(rootfd, "dev", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), fd;

	if (dev < 0)
		return -errno;
	fd = openat(dev, "shm", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	fd = fd < 0 ? -errno : fd;
	close(dev);
	return fd;
}

/* dev/shm below rootfd (the --ipc-ns process's root), as the process
 * sees it and with no symlink on the way, not even one that stays inside
 * its root. */
static int open_in_root(int rootfd)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd = sys_openat2(rootfd, POSIX_SHM_DIR + 1, &how);

	/* no openat2: ENOSYS before Linux 5.6, EPERM from container seccomp
	 * profiles older than it (a real denial fails the fallback too) */
	if (fd < 0)
		fd = errno == ENOSYS || errno == EPERM ? open_below_nofollow(rootfd) : -errno;
	return fd;
}

#ifndef STATX_MNT_ID
# define STATX_MNT_ID 0x1000U
#endif

/* Whether the mount mnt_id shows its file system from the top ("/" in
 * the mountinfo of procfd's process), not a directory below. */
static int shows_fs_root(int procfd, uint64_t mnt_id)
{
	struct mountinfo_line ml;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n = proc_read_all(procfd, "mountinfo", &buf, &cap);
	int rc;

	if (n < 0)
		return (int)n;
	rc = mnt_id > INT_MAX ? -ENOENT : mountinfo_find(buf, (size_t)n, (int)mnt_id, &ml);
	if (!rc && (ml.root_len != 1 || ml.root[0] != '/'))
		rc = -EXDEV;
	free(buf);
	return rc;
}

/* 0 when fd is the root of a tmpfs mount that shows the whole file
 * system (its line in the mountinfo of procfd, a /proc/PID directory,
 * has the root "/"; procfd -1: not asked); -EMEDIUMTYPE (another file
 * system), -EXDEV (a directory below a mount's root, or a bind mount of
 * one) or another -errno. */
static int dir_check(int fd, int procfd)
{
	struct statfs sf;
	struct statx sx;

	if (fstatfs(fd, &sf))
		return -errno;
	if (sf.f_type != TMPFS_MAGIC)
		return -EMEDIUMTYPE;
	/* STATX_ATTR_MOUNT_ROOT and STATX_MNT_ID: Linux 5.8; older kernels
	 * are not asked */
	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_TYPE | STATX_MNT_ID, &sx))
		return -errno;
	if ((sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	    !(sx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
		return -EXDEV;
	/* a bind mount of a directory has that directory as its mount
	 * root: only mountinfo tells it from the file system's top */
	if (!(sx.stx_mask & STATX_MNT_ID) || procfd < 0)
		return 0;
	return shows_fs_root(procfd, sx.stx_mnt_id);
}

const char *posix_shm_dir_problem(int rc)
{
	switch (rc) {
	case -ELOOP:
		return "a symbolic link is on the way (not followed)";
	case -EMEDIUMTYPE:
		return "not a tmpfs file system";
	case -EXDEV:
		return "not the root of a tmpfs mount";
	case -ESRCH:
		return "the --ipc-ns process is gone";
	default:
		return errno_text(-rc);
	}
}

int posix_shm_dir_open(struct ipcns_target *ns)
{
	struct as_target t;
	int rootfd, fd, rc, procfd = ns->procfd;

	if (ns->procfd < 0) {
		fd = open(POSIX_SHM_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
	} else {
		rootfd = openat(ns->procfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0)
			return errno == ENOENT ? -ESRCH : -errno;
		rc = as_target_begin(ns, &t);
		fd = rc ? rc : open_in_root(rootfd);
		as_target_end(&t);
		close(rootfd);
		if (fd < 0)
			return fd;
	}
	/* the caller's own /dev/shm is the caller's to trust: without a
	 * readable /proc it is not asked whether it is a bind mount */
	if (procfd < 0)
		procfd = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = dir_check(fd, procfd);
	if (procfd >= 0 && procfd != ns->procfd)
		close(procfd);
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

int posix_load(struct ipcns_target *ns, int dirfd, struct posix_vec *v)
{
	int dfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0), rc = 0;
	struct as_target t;
	DIR *d;
	struct dirent *de;

	if (dfd < 0)
		return -errno;
	/* the listing too is read with the right of the --ipc-ns process */
	rc = as_target_begin(ns, &t);
	if (rc) {
		close(dfd);
		return rc;
	}
	d = fdopendir(dfd);
	if (!d) {
		rc = -errno;
		close(dfd);
		as_target_end(&t);
		return rc;
	}
	rewinddir(d);
	while (!rc && (de = readdir(d))) {
		struct stat st;
		struct posix_obj o;

		if (!posix_is_object_name(de->d_name) ||
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		posix_obj_from_stat(&o, &st);
		rc = posix_vec_add(v, de->d_name, &o);
	}
	closedir(d);
	as_target_end(&t);
	return rc;
}

int posix_dir_open_or_warn(struct posix_dir *d, struct ipcns_target *ns)
{
	d->ns = ns;
	posix_shm_dir(ns, d->path, sizeof(d->path));
	d->fd = posix_shm_dir_open(ns);
	if (d->fd < 0) {
		warnx("cannot open %s: %s", d->path, posix_shm_dir_problem(d->fd));
		return -1;
	}
	return 0;
}

void posix_dir_close(struct posix_dir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

int posix_obj_stat(const struct posix_dir *d, const char *name, struct stat *st)
{
	int rc = as_target_fstatat(d->ns, d->fd, name, st, AT_SYMLINK_NOFOLLOW);

	if (rc)
		return rc;
	return S_ISREG(st->st_mode) ? 0 : -EINVAL;
}

int posix_obj_unlink_made(const struct posix_dir *d, const char *name, int fd)
{
	struct stat ours, now;
	int rc;

	if (fstat(fd, &ours))
		return -errno;
	rc = as_target_fstatat(d->ns, d->fd, name, &now, AT_SYMLINK_NOFOLLOW);
	if (rc)
		return rc;
	if (now.st_dev != ours.st_dev || now.st_ino != ours.st_ino)
		return -ESTALE;
	return as_target_unlinkat(d->ns, d->fd, name);
}

int posix_obj_open(const struct posix_dir *d, const char *name, int flags,
		   unsigned int mode, struct stat *st)
{
	/* O_NONBLOCK: a fifo in its place must not hang us */
	int fd = as_target_openat(d->ns, d->fd, name, flags | O_NOFOLLOW | O_NONBLOCK |
				  O_NOCTTY | O_CLOEXEC, (mode_t)mode);
	bool made = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
	int rc;

	if (fd < 0) {
		rc = fd;
		/* a symlink (ELOOP), a directory (EISDIR), a socket (ENXIO) */
		if ((rc == -ELOOP || rc == -EISDIR || rc == -ENXIO) &&
		    posix_obj_stat(d, name, st) == -EINVAL)
			return -EINVAL;
		return rc;
	}
	if (fstat(fd, st)) {
		rc = -errno;
		goto fail;
	}
	if (!S_ISREG(st->st_mode)) {
		rc = -EINVAL;
		goto fail;
	}
	/* a new object gets exactly the mode asked for, as shmget does */
	if ((flags & O_CREAT) && (st->st_mode & 07777) != mode) {
		if (fchmod(fd, (mode_t)mode) || fstat(fd, st)) {
			rc = -errno;
			goto fail;
		}
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)) {
		rc = -errno;
		goto fail;
	}
	return fd;
fail:
	/* a file made here goes again, unless its name is another's now */
	if (made)
		(void)posix_obj_unlink_made(d, name, fd);
	close(fd);
	return rc;
}

int posix_obj_open_inode(const struct posix_dir *d, const char *name, struct stat *st)
{
	/* O_PATH: nothing is opened but the inode (a fifo does not block,
	 * a device is not opened), and with O_NOFOLLOW a symlink is itself */
	int fd = as_target_openat(d->ns, d->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);

	int rc = 0;

	if (fd < 0)
		return fd;
	if (fstat(fd, st))
		rc = -errno;
	else if (!S_ISREG(st->st_mode))
		rc = -EINVAL;
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

int posix_obj_still(const struct posix_dir *d, const char *name, const struct stat *st)
{
	struct stat now;
	int rc = as_target_fstatat(d->ns, d->fd, name, &now, AT_SYMLINK_NOFOLLOW);

	if (rc)
		return rc;
	return now.st_dev == st->st_dev && now.st_ino == st->st_ino ? 0 : -ESTALE;
}

/* Map an open object's `size` bytes shared, for writing or reading:
 * *addr, NULL for size 0. Returns 0 or -errno. */
static int map_object(int fd, uint64_t size, bool write, void **addr)
{
	void *a;

	*addr = NULL;
	if (size == 0)
		return 0;
	if (size > SIZE_MAX)
		return -EFBIG;
	a = mmap(NULL, (size_t)size, write ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED,
		 fd, 0);
	if (a == MAP_FAILED)
		return -errno;
	*addr = a;
	return 0;
}

void posix_obj_warn(const char *name, const char *action, int rc)
{
	if (rc == -ENOENT)
		warnx_safe("no POSIX object named %s", name);
	else if (rc == -EINVAL)
		warnx_safe("cannot %s POSIX object %s: not a regular file", action, name);
	else if (rc == -EEXIST)
		warnx_safe("cannot %s POSIX object %s: it already exists", action, name);
	else if (rc == -ESTALE)
		warnx_safe("cannot %s POSIX object %s: replaced by another file meanwhile",
			   action, name);
	else
		warnx_safe("cannot %s POSIX object %s: %s", action, name,
			   rc == -EACCES || rc == -EPERM ? "permission denied" : strerror(-rc));
}

int posix_collect(const struct posix_dir *d, const char *const *names, size_t n,
		  const char *action, struct posix_vec *objs, bool *failed)
{
	int rc;

	objs->want_holders = true;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		struct posix_obj o;

		rc = posix_obj_stat(d, names[i], &st);
		if (rc) {
			posix_obj_warn(names[i], action, rc);
			*failed = true;
			continue;
		}
		posix_obj_from_stat(&o, &st);
		if (posix_vec_add(objs, names[i], &o))
			err(EXIT_FAIL, "cannot allocate memory");
	}
	rc = posix_scan_use(objs);
	if (rc) {
		warnx("cannot scan /proc for the processes using them: %s", strerror(-rc));
		return rc;
	}
	posix_warn_incomplete(objs, "some that use an object may be missing");
	return 0;
}

void posix_warn_incomplete(const struct posix_vec *objs, const char *then)
{
	if (objs->denied)
		warnx("cannot inspect %lu process%s (permission denied): %s", objs->denied,
		      objs->denied == 1 ? "" : "es", then);
	if (objs->hidden & PROC_HIDDEN_PIDNS)
		warnx("cannot see every process (processes outside this PID namespace cannot "
		      "be seen): %s", then);
	if (objs->hidden & PROC_HIDDEN_PROC)
		warnx("cannot see every process (/proc hides some: hidepid, or another PID "
		      "namespace): %s", then);
}

/* Where run_guarded() returns to on SIGBUS; NULL outside it. */
static sigjmp_buf *volatile bus_return;

static void on_sigbus(int sig)
{
	if (bus_return)
		siglongjmp(*bus_return, 1);
	/* not from a guarded mapping: die of it, as without the handler */
	signal(sig, SIG_DFL);
	raise(sig);
}

/* fn(arg) with SIGBUS turned into -EFAULT. Not reentrant. */
static int run_guarded(int (*fn)(void *arg), void *arg)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	sigjmp_buf env;
	int rc;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &old) != 0)
		return fn(arg);
	if (sigsetjmp(env, 1) != 0) {
		rc = -EFAULT;
	} else {
		bus_return = &env;
		rc = fn(arg);
	}
	bus_return = NULL;
	sigaction(SIGBUS, &old, NULL);
	return rc;
}

struct mapped_call {
	const struct io_mapped *m;
	io_mapped_fn *fn;
	void *arg;
	int status;
};

static int call_mapped(void *arg)
{
	struct mapped_call *c = arg;

	c->status = c->fn(c->m, c->arg);
	return 0;
}

int posix_obj_run_mapped(struct ipcns_target *ns, const char *name, bool write,
			 io_size_check_fn *check, io_mapped_fn *fn, void *arg)
{
	char safe[POSIX_SAFE_NAME_SIZE], what[POSIX_SAFE_NAME_SIZE + 16];
	struct io_mapped m = { .what = what };
	struct mapped_call call = { .m = &m, .fn = fn, .arg = arg, .status = EXIT_FAIL };
	struct posix_dir d;
	struct stat st;
	int rc;

	if (posix_dir_open_or_warn(&d, ns))
		return EXIT_FAIL;
	m.fd = posix_obj_open(&d, name, write ? O_RDWR : O_RDONLY, 0, &st);
	posix_dir_close(&d);
	if (m.fd < 0) {
		posix_obj_warn(name, write ? "write to" : "read", m.fd);
		return EXIT_FAIL;
	}
	m.size = (uint64_t)st.st_size;
	snprintf(what, sizeof(what), "POSIX object %s", posix_safe_name(name, safe));
	call.status = check ? check(m.size, what, arg) : EXIT_OK;
	rc = call.status == EXIT_OK ? map_object(m.fd, m.size, write, &m.addr) : 0;
	if (rc) {
		posix_obj_warn(name, "map", rc);
		call.status = EXIT_FAIL;
	} else if (call.status == EXIT_OK) {
		if (run_guarded(call_mapped, &call) == -EFAULT) {
			/* SIGBUS: the object shrank, or (writing a sparse
			 * object) its file system has no room for a page; fn
			 * never returned its status */
			call.status = EXIT_FAIL;
			if (fstat(m.fd, &st) == 0 && (uint64_t)st.st_size < m.size)
				warnx("%s shrank while it was %s: the %s is incomplete", what,
				      write ? "written" : "read", write ? "write" : "output");
			else
				warnx("%s: no memory or space for its pages (SIGBUS): the %s is "
				      "incomplete", what, write ? "write" : "output");
		}
		if (m.addr)
			munmap(m.addr, (size_t)m.size);
	}
	close(m.fd);
	return call.status;
}
