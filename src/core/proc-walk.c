/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "core/proc-walk.h"
#include "core/procfs.h"
#include "lib/array.h"

#define CAP_SYS_PTRACE_BIT 19

/* The first read of a maps file fits most processes: one allocation. */
#define WALK_BUF_START (256 * 1024)

/* A process's entry: digits without a leading 0, within a pid_t. */
static pid_t pid_of(const char *name)
{
	long v = 0;

	if (*name < '1' || *name > '9')
		return 0;
	for (; *name; name++) {
		if (*name < '0' || *name > '9')
			return 0;
		v = v * 10 + (*name - '0');
		if (v > INT_MAX)
			return 0;
	}
	return (pid_t)v;
}

/* Whether the caller is in group gid, effective or supplementary. */
static bool in_group(gid_t gid)
{
	gid_t *groups;
	int n = getgroups(0, NULL);
	bool found = getegid() == gid;

	if (found || n <= 0)
		return found;
	groups = calloc((size_t)n, sizeof(*groups));
	if (!groups)
		return false;
	n = getgroups(n, groups);
	for (int i = 0; i < n && !found; i++)
		found = groups[i] == gid;
	free(groups);
	return found;
}

/* Whether the caller is in a PID namespace other than the initial one,
 * asked through the walked /proc's "self" (procfs_pidns_hides()): what
 * cannot be read, or is not a namespace file, counts as one. */
static bool pidns_hides(struct proc_walk *w)
{
	struct statfs sfs;
	struct stat st;
	int fd = openat(w->procfd, "self/ns/pid", O_RDONLY | O_CLOEXEC);
	bool known;

	if (fd < 0)
		return procfs_pidns_hides(false, 0);
	known = !fstatfs(fd, &sfs) && sfs.f_type == NSFS_MAGIC && !fstat(fd, &st);
	close(fd);
	return procfs_pidns_hides(known, known ? (uint64_t)st.st_ino : 0);
}

/* Whether the /proc of w->procfd lists fewer processes than there are
 * to the caller, and why (PROC_HIDDEN_* bits): its mount's hidepid= and
 * gid= (the super block options of its mountinfo line, found by the
 * mount id of the descriptor's fdinfo), no "self" in it (a /proc of
 * another PID namespace), or the caller's PID namespace is not the
 * initial one. A /proc whose "self" is the caller shows the caller's PID
 * namespace or an ancestor, so in the initial namespace it shows all.
 * What cannot be read counts as hiding. Only procfs is asked: a
 * directory of a test's hides nothing. */
static unsigned int walk_hides(struct proc_walk *w)
{
	struct statfs sfs;
	struct procfs_fdinfo fi;
	struct procfs_proc_opts po;
	char path[64];
	unsigned int hidden;
	ssize_t n;

	if (fstatfs(w->procfd, &sfs) || sfs.f_type != PROC_SUPER_MAGIC)
		return 0;
	hidden = pidns_hides(w) ? PROC_HIDDEN_PIDNS : 0;
	snprintf(path, sizeof(path), "self/fdinfo/%d", w->procfd);
	n = proc_read_all(w->procfd, path, &w->buf, &w->cap);
	if (n < 0 || procfs_parse_fdinfo(w->buf, (size_t)n, &fi) || !fi.has_mnt_id)
		return hidden | PROC_HIDDEN_PROC;
	n = proc_read_all(w->procfd, "self/mountinfo", &w->buf, &w->cap);
	if (n < 0 || procfs_proc_mount_opts(w->buf, (size_t)n, fi.mnt_id, &po))
		return hidden | PROC_HIDDEN_PROC;
	if (procfs_proc_hides(&po, procfs_self_has_cap(CAP_SYS_PTRACE_BIT), in_group(po.gid)))
		hidden |= PROC_HIDDEN_PROC;
	return hidden;
}

int proc_walk_dir(int dirfd, proc_walk_fn *fn, void *ctx, struct proc_walk_stats *st)
{
	struct proc_walk w = { .procfd = dirfd };
	struct dirent *de;
	DIR *d = fdopendir(dirfd);
	int rc = 0;

	if (!d) {
		rc = -errno;
		close(dirfd);
		return rc;
	}
	w.st.hidden = walk_hides(&w);
	while (!rc && (de = readdir(d))) {
		w.pid = pid_of(de->d_name);
		if (!w.pid)
			continue;
		w.threads = 0;
		w.st.pids++;
		rc = fn(&w, ctx);
	}
	closedir(d);
	free(w.buf);
	if (st)
		*st = w.st;
	return rc;
}

int proc_walk(proc_walk_fn *fn, void *ctx, struct proc_walk_stats *st)
{
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (procfd < 0)
		return -errno;
	return proc_walk_dir(procfd, fn, ctx, st);
}

/* "PID/file" of the visited process, relative to w->procfd (in w->path,
 * valid until the next call). */
static const char *proc_walk_path(struct proc_walk *w, const char *file)
{
	snprintf(w->path, sizeof(w->path), "%d/%s", (int)w->pid, file);
	return w->path;
}

const char *proc_walk_task_path(struct proc_walk *w, pid_t tid, const char *file)
{
	if (tid == w->pid)
		return proc_walk_path(w, file);
	snprintf(w->path, sizeof(w->path), "%d/task/%d/%s", (int)w->pid, (int)tid, file);
	return w->path;
}

/* The link count of a /proc/PID/task directory: 2 + the threads. */
#define TASK_DIR_LINKS 2

long proc_walk_threads(struct proc_walk *w)
{
	struct stat st;

	if (w->threads)
		return w->threads < 0 ? 0 : w->threads;
	if (fstatat(w->procfd, proc_walk_path(w, "task"), &st, 0))
		w->threads = proc_walk_gone(errno) ? 1 : -1;
	else if (st.st_nlink > TASK_DIR_LINKS && st.st_nlink - TASK_DIR_LINKS <= LONG_MAX)
		w->threads = (long)(st.st_nlink - TASK_DIR_LINKS);
	else
		w->threads = -1;
	return w->threads < 0 ? 0 : w->threads;
}

bool proc_walk_may_outlive_leader(struct proc_walk *w)
{
	return proc_walk_threads(w) != 1;
}

int proc_walk_each_thread(struct proc_walk *w, proc_walk_thread_fn *fn, void *ctx)
{
	int fd = openat(w->procfd, proc_walk_path(w, "task"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (fd < 0)
		return proc_walk_failed(w, errno);
	d = fdopendir(fd);
	if (!d) {
		rc = errno;
		close(fd);
		return rc == ENOMEM ? -ENOMEM : proc_walk_failed(w, rc);
	}
	while (!rc && (de = readdir(d))) {
		pid_t tid = pid_of(de->d_name);

		if (tid && tid != w->pid)
			rc = fn(w, tid, ctx);
	}
	closedir(d);
	return rc > 0 ? 0 : rc;
}

/* What proc_walk_stat_live() asks each thread. */
struct stat_live {
	const char *file;
	struct stat *st;
	int err;
};

static int thread_stat(struct proc_walk *w, pid_t tid, void *ctx)
{
	struct stat_live *l = ctx;

	l->err = fstatat(w->procfd, proc_walk_task_path(w, tid, l->file), l->st, 0) ? errno : 0;
	return l->err && proc_walk_gone(l->err) ? 0 : 1;
}

int proc_walk_stat_live(struct proc_walk *w, const char *file, struct stat *st)
{
	struct stat_live l = { .file = file, .st = st };
	int rc;

	l.err = fstatat(w->procfd, proc_walk_path(w, file), st, 0) ? errno : 0;
	/* a leader that ended has no namespaces any more; its threads do */
	if (l.err && proc_walk_gone(l.err) && proc_walk_may_outlive_leader(w)) {
		rc = proc_walk_each_thread(w, thread_stat, &l);
		if (rc)
			return rc;
	}
	if (l.err) {
		proc_walk_failed(w, l.err);
		return -l.err;
	}
	return 0;
}

bool proc_walk_gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

int proc_walk_failed(struct proc_walk *w, int err)
{
	if (!proc_walk_gone(err))
		w->st.denied++;
	return 0;
}

/* Make room for more than len bytes in *buf. */
static int grow(char **buf, size_t *cap, size_t len)
{
	return ARRAY_RESERVE(*buf, *cap, len < WALK_BUF_START ? WALK_BUF_START : len + 1);
}

ssize_t proc_read_all(int dirfd, const char *path, char **buf, size_t *cap)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n = 0;

	if (fd < 0)
		return -errno;
	do {
		len += (size_t)n;
		if (grow(buf, cap, len)) {
			close(fd);
			return -ENOMEM;
		}
		do
			n = read(fd, *buf + len, *cap - len);
		while (n < 0 && errno == EINTR);
	} while (n > 0);
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? n : (ssize_t)len;
}

ssize_t proc_walk_read(struct proc_walk *w, const char *file)
{
	ssize_t n = proc_read_all(w->procfd, proc_walk_path(w, file), &w->buf, &w->cap);

	if (n < 0 && n != -ENOMEM)
		proc_walk_failed(w, (int)-n);
	return n;
}

/* Read the file at path below w->procfd in chunks of whole lines, each
 * given to fn: w->buf holds one chunk at a time (WALK_BUF_START bytes,
 * far more than a line of maps), never the whole file. Returns the bytes
 * read (0: empty), or -errno (-ENOMEM also when fn says so). */
static ssize_t read_lines(struct proc_walk *w, const char *path, proc_walk_lines_fn *fn,
			  void *ctx)
{
	int fd = openat(w->procfd, path, O_RDONLY | O_CLOEXEC);
	size_t have = 0, total = 0;
	ssize_t n;
	int rc = 0;

	if (fd < 0)
		return -errno;
	while (!rc) {
		const char *nl;

		if (grow(&w->buf, &w->cap, have)) {
			rc = -ENOMEM;
			break;
		}
		do
			n = read(fd, w->buf + have, w->cap - have);
		while (n < 0 && errno == EINTR);
		if (n <= 0) {
			rc = n < 0 ? -errno : have ? fn(w->buf, have, ctx) : 0;
			break;
		}
		have += (size_t)n;
		total += (size_t)n;
		/* a line longer than the buffer grows it (grow() above) */
		nl = memrchr(w->buf, '\n', have);
		if (nl) {
			size_t len = (size_t)(nl - w->buf) + 1;

			rc = fn(w->buf, len, ctx);
			memmove(w->buf, w->buf + len, have - len);
			have -= len;
		}
	}
	close(fd);
	return rc < 0 ? rc : (ssize_t)total;
}

struct lines_call {
	proc_walk_lines_fn *fn;
	void *ctx;
	ssize_t n;
};

/* One thread's maps: stop at the first that reads; one that is ending
 * reads empty or is gone. */
static int thread_maps(struct proc_walk *w, pid_t tid, void *ctx)
{
	struct lines_call *c = ctx;

	c->n = read_lines(w, proc_walk_task_path(w, tid, "maps"), c->fn, c->ctx);
	if (c->n > 0 || c->n == -ENOMEM)
		return c->n > 0 ? 1 : -ENOMEM;
	if (c->n < 0 && !proc_walk_gone((int)-c->n)) {
		proc_walk_failed(w, (int)-c->n);
		return 1;
	}
	c->n = 0;
	return 0;
}

ssize_t proc_walk_maps(struct proc_walk *w, proc_walk_lines_fn *fn, void *ctx)
{
	struct lines_call c = { .fn = fn, .ctx = ctx };
	int rc;

	c.n = read_lines(w, proc_walk_path(w, "maps"), fn, ctx);
	if (c.n < 0 && c.n != -ENOMEM)
		proc_walk_failed(w, (int)-c.n);
	/* empty: a kernel thread, or a leader that ended while the process
	 * runs on in other threads; only the second has more than one */
	if (c.n != 0 || !proc_walk_may_outlive_leader(w))
		return c.n;
	rc = proc_walk_each_thread(w, thread_maps, &c);
	return rc ? rc : c.n;
}

ssize_t proc_walk_read_path(struct proc_walk *w, const char *path)
{
	return proc_read_all(w->procfd, path, &w->buf, &w->cap);
}

ssize_t proc_walk_read_small(struct proc_walk *w, const char *file, char *buf, size_t sz)
{
	int fd = openat(w->procfd, proc_walk_path(w, file), O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		n = -errno;
		proc_walk_failed(w, (int)-n);
		return n;
	}
	do
		n = read(fd, buf, sz - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		n = -errno;
		proc_walk_failed(w, (int)-n);
	} else {
		buf[n] = '\0';
	}
	close(fd);
	return n;
}
