#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipcns.h"
#include "procfs.h"

pid_t ipcns_target_pid;

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
	if (vec->n == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 16;
		struct ipcns_info *v = reallocarray(vec->v, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		vec->v = v;
		vec->cap = cap;
	}
	vec->v[vec->n++] = (struct ipcns_info){
		.inode = inode, .pid = pid, .start = start, .nprocs = 1, .fd = -1,
	};
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

int ipcns_enter(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return errno == ESRCH ? -ENOENT : -errno;
	rc = ipcns_enter_fd(fd);
	close(fd);
	return rc;
}

static bool gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

int ipcns_scan(struct ipcns_vec *vec)
{
	struct stat self;
	int procfd, rc = 0;
	DIR *d;
	struct dirent *de;

	if (stat("/proc/self/ns/ipc", &self))
		return -errno;
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -errno;
	d = fdopendir(procfd);
	if (!d) {
		rc = -errno;
		close(procfd);
		return rc;
	}
	while (rc >= 0 && (de = readdir(d))) {
		char path[64];
		struct stat st;
		uint64_t start = UINT64_MAX;
		pid_t pid;
		int fd;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    de->d_name[strspn(de->d_name, "0123456789")])
			continue;
		pid = (pid_t)atoi(de->d_name);
		snprintf(path, sizeof(path), "%d/ns/ipc", (int)pid);
		/* the namespace file is opened only for a namespace not seen yet */
		if (fstatat(procfd, path, &st, 0)) {
			if (!gone(errno))
				vec->denied++;
			continue;
		}
		/* gone meanwhile: counted as the youngest, soon replaced */
		(void)procfs_start_ticks(pid, &start);
		rc = ipcns_vec_add(vec, (uint64_t)st.st_ino, pid, start);
		if (rc != 1)
			continue;
		fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
			/* not a namespace to skip quietly: the list would miss it */
			rc = -errno;
			vec->n--;
			break;
		}
		if (fd < 0 || fstat(fd, &st) || (uint64_t)st.st_ino != vec->v[vec->n - 1].inode) {
			/* exited, or the pid was reused meanwhile: try the next one */
			if (fd >= 0)
				close(fd);
			else if (!gone(errno))
				vec->denied++;
			vec->n--;
			continue;
		}
		vec->v[vec->n - 1].fd = fd;
		vec->v[vec->n - 1].current = st.st_ino == self.st_ino && st.st_dev == self.st_dev;
	}
	closedir(d);
	return rc < 0 ? rc : 0;
}

int ipcns_load(struct ipcns_info *ns)
{
	struct shm_vec segs = { 0 };
	int rc = 0;

	if (!ns->current)
		rc = ipcns_enter_fd(ns->fd);
	if (!rc)
		rc = segments_load(&segs);
	if (rc) {
		ns->error = rc;
		return rc;
	}
	ipcns_count(ns, segs.v, segs.n);
	shm_vec_free(&segs);
	return 0;
}
