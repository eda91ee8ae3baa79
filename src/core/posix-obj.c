/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/as-target.h"
#include "core/ipcns.h"
#include "core/posix-obj.h"
#include "core/proc-walk.h"
#include "lib/text.h"
#include "lib/util.h"

const char *posix_name_or_err(const char *arg, const char *cmd)
{
	const char *name = NULL;
	enum posix_name_check c = posix_check_name(arg, &name);

	if (c == POSIX_NAME_TOO_LONG)   /* not the whole name again */
		usage_errx(cmd, "invalid POSIX object name '%.32s...': %s", arg,
			   posix_name_problem(c));
	if (c != POSIX_NAME_OK)
		usage_errx(cmd, "invalid POSIX object name '%s': %s", arg, posix_name_problem(c));
	return name;
}

void posix_refuse_or_err(const char *cmd, const char *option)
{
	usage_errx(cmd, "--%s does not apply to POSIX objects", option);
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

int posix_obj_map(int fd, uint64_t size, bool write, void **addr)
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

void posix_obj_unmap(void *addr, uint64_t size)
{
	if (addr)
		munmap(addr, (size_t)size);
}

void posix_obj_warn(const char *name, const char *action, int rc)
{
	if (rc == -ENOENT)
		warnx_safe("no POSIX object named %s", name);
	else if (rc == -EINVAL)
		warnx_safe("cannot %s POSIX object %s: not a regular file", action, name);
	else if (rc == -EEXIST)
		warnx_safe("cannot %s POSIX object %s: it already exists", action, name);
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

bool posix_scan_incomplete(const struct posix_vec *objs)
{
	return objs->denied || objs->hidden;
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

void posix_obj_device(const struct posix_obj *o, char *buf, size_t sz)
{
	snprintf(buf, sz, "%u:%u", o->dev_major, o->dev_minor);
}

const char *posix_safe_name(const char *name, char *buf)
{
	size_t len = strnlen(name, (POSIX_SAFE_NAME_SIZE - 1) / 4);

	sanitize(name, len, buf, false);
	return buf;
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
	rc = call.status == EXIT_OK ? posix_obj_map(m.fd, m.size, write, &m.addr) : 0;
	if (rc) {
		posix_obj_warn(name, "map", rc);
		call.status = EXIT_FAIL;
	} else if (call.status == EXIT_OK) {
		if (run_guarded(call_mapped, &call) == -EFAULT) {
			/* SIGBUS: the object shrank, or (writing a sparse
			 * object) its file system has no room for a page */
			if (fstat(m.fd, &st) == 0 && (uint64_t)st.st_size < m.size)
				warnx("%s shrank while it was %s: the %s is incomplete", what,
				      write ? "written" : "read", write ? "write" : "output");
			else
				warnx("%s: no memory or space for its pages (SIGBUS): the %s is "
				      "incomplete", what, write ? "write" : "output");
		}
		posix_obj_unmap(m.addr, m.size);
	}
	close(m.fd);
	return call.status;
}
