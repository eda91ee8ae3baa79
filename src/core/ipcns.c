/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "core/ipcns.h"
#include "core/proc-walk.h"
#include "core/procfs.h"
#include "lib/array.h"

/* ---- pure ---- */

int ipcns_parse_target(const char *arg, pid_t *pid)
{
	unsigned long v = 0;

	if (!arg || !*arg)
		return -EINVAL;
	if (arg[strspn(arg, "0123456789")])
		return 0;               /* not all digits: a path */
	for (const char *p = arg; *p; p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > INT_MAX)
			return -EINVAL;
	}
	if (v == 0)
		return -EINVAL;
	*pid = (pid_t)v;
	return 1;
}

int ipcns_vec_add(struct ipcns_vec *vec, uint64_t inode, pid_t pid, uint64_t start)
{
	for (size_t i = 0; i < vec->n; i++) {
		struct ipcns_info *ns = &vec->v[i];

		if (ns->inode == inode) {
			ns->nprocs++;
			/* the oldest, not the lowest pid: pids wrap around */
			if (start < ns->start || (start == ns->start && pid < ns->pid)) {
				ns->pid = pid;
				ns->start = start;
			}
			return 0;
		}
	}
	if (ARRAY_PUSH(vec->v, vec->n, vec->cap, (struct ipcns_info){
			.inode = inode, .pid = pid, .start = start, .nprocs = 1, .fd = -1,
		}))
		return -ENOMEM;
	return 1;
}

void ipcns_vec_free(struct ipcns_vec *vec)
{
	for (size_t i = 0; i < vec->n; i++)
		if (vec->v[i].fd >= 0)
			close(vec->v[i].fd);
	free(vec->v);
	*vec = (struct ipcns_vec){ 0 };
}

void ipcns_count(struct ipcns_info *ns, const struct shm_segment *segs, size_t n)
{
	ns->segments = n;
	ns->bytes = ns->orphans = ns->orphan_bytes = 0;
	for (size_t i = 0; i < n; i++) {
		ns->bytes += segs[i].size;
		if (seg_is_orphaned(&segs[i])) {
			ns->orphans++;
			ns->orphan_bytes += segs[i].size;
		}
	}
	ns->counted = true;
	ns->error = 0;
}

/* ---- system layer ---- */

int ipcns_enter_fd(int fd)
{
	return setns(fd, CLONE_NEWIPC) ? -errno : 0;
}

/* Enter the namespace of fd, an open nsfs file: an IPC namespace only. */
static int enter_checked(int fd)
{
	struct statfs sf;
	int type;

	if (fstatfs(fd, &sf))
		return -errno;
	if (sf.f_type != NSFS_MAGIC)
		return -EINVAL;
	/* before Linux 4.11 no NS_GET_NSTYPE: setns(2) tells */
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type >= 0 && type != CLONE_NEWIPC)
		return -EINVAL;
	return ipcns_enter_fd(fd);
}

int ipcns_enter_file(const char *path)
{
	/* O_PATH opens nothing: a fifo cannot block, a device sees no open */
	int pfd = open(path, O_PATH | O_CLOEXEC), fd, rc;
	struct statfs sf;
	char again[64];

	if (pfd < 0)
		return -errno;
	if (fstatfs(pfd, &sf) || sf.f_type != NSFS_MAGIC) {
		close(pfd);
		return -EINVAL;
	}
	/* setns(2) needs a real open file: this very one, opened again */
	snprintf(again, sizeof(again), "/proc/self/fd/%d", pfd);
	fd = open(again, O_RDONLY | O_CLOEXEC);
	rc = fd < 0 ? -errno : enter_checked(fd);
	if (fd >= 0)
		close(fd);
	close(pfd);
	return rc;
}

int ipcns_enter_process(pid_t pid, struct ipcns_target *t)
{
	char path[32];
	int dfd, fd, rc;

	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	fd = openat(dfd, "ns/ipc", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = errno == ESRCH ? -ENOENT : -errno;
		close(dfd);
		return rc;
	}
	rc = enter_checked(fd);
	close(fd);
	if (rc) {
		close(dfd);
		return rc;
	}
	*t = (struct ipcns_target){ .pid = pid, .procfd = dfd, .foreign = -1 };
	return 0;
}

/* What the walk needs besides the list. */
struct scan_ctx {
	struct ipcns_vec *vec;
	struct stat self;
};

/* Open the namespace just added for w's process: 0 (kept or dropped
 * again), or -EMFILE/-ENFILE. */
static int hold_new(struct proc_walk *w, struct scan_ctx *c, const char *path)
{
	struct ipcns_info *ns = &c->vec->v[c->vec->n - 1];
	struct stat st;
	int fd = openat(w->procfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
		/* not a namespace to skip quietly: the list would miss it */
		c->vec->n--;
		return -errno;
	}
	if (fd < 0 || fstat(fd, &st) || (uint64_t)st.st_ino != ns->inode) {
		/* exited, or the pid was reused meanwhile: try the next one */
		if (fd >= 0)
			close(fd);
		else
			proc_walk_failed(w, errno);
		c->vec->n--;
		return 0;
	}
	ns->fd = fd;
	ns->current = st.st_ino == c->self.st_ino && st.st_dev == c->self.st_dev;
	return 0;
}

static int scan_pid(struct proc_walk *w, void *arg)
{
	struct scan_ctx *c = arg;
	const char *path;
	uint64_t start = UINT64_MAX;
	struct stat st;
	int rc;

	/* the namespace file is opened only for a namespace not seen yet;
	 * a process whose leader ended has it in its other threads */
	rc = proc_walk_stat_live(w, "ns/ipc", &st);
	if (rc)
		return rc == -ENOMEM ? rc : 0;
	path = w->path;
	/* gone meanwhile: counted as the youngest, soon replaced */
	(void)procfs_start_ticks(w->pid, &start);
	rc = ipcns_vec_add(c->vec, (uint64_t)st.st_ino, w->pid, start);
	if (rc != 1)
		return rc;
	return hold_new(w, c, path);
}

int ipcns_scan(struct ipcns_vec *vec)
{
	struct scan_ctx c = { .vec = vec };
	struct proc_walk_stats st;
	int rc;

	if (stat("/proc/self/ns/ipc", &c.self))
		return -errno;
	rc = proc_walk(scan_pid, &c, &st);
	vec->denied += st.denied;
	return rc;
}

int ipcns_load(struct ipcns_info *ns)
{
	struct shm_vec segs = { 0 };
	int rc = segments_load(0, &segs);

	if (rc) {
		ns->error = rc;
		return rc;
	}
	ipcns_count(ns, segs.v, segs.n);
	shm_vec_free(&segs);
	return 0;
}
