/* SPDX-License-Identifier: GPL-2.0-or-later */
/* list -A --posix: the /dev/shm of every mount namespace that a process
 * is in, each file system once. The namespaces come from a /proc walk
 * (ns/mnt of each process, its lowest pid kept); each one's /dev/shm is
 * opened and checked as for --ipc-ns PID (posix_shm_dir_open), and read
 * with that process's credentials. Two namespaces that show the same
 * tmpfs (a copy of the mount table, a bind mount) give its objects once,
 * under the first. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ipcns.h"
#include "core/posix-shm.h"
#include "core/proc-walk.h"
#include "lib/array.h"

static int add_ns(struct proc_walk *w, void *arg)
{
	struct posix_mntns_vec *v = arg;
	struct stat st;
	int rc = proc_walk_stat_live(w, "ns/mnt", &st);

	if (rc)
		return rc == -ENOMEM ? rc : 0;
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].inode == (uint64_t)st.st_ino)
			return 0;
	if (ARRAY_PUSH(v->v, v->n, v->cap,
		       ((struct posix_mntns){ .inode = (uint64_t)st.st_ino, .pid = w->pid })))
		return -ENOMEM;
	return 0;
}

static int cmp_inode(const void *a, const void *b)
{
	const struct posix_mntns *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

int posix_mntns_scan(struct posix_mntns_vec *v)
{
	struct proc_walk_stats st;
	int rc = proc_walk(add_ns, v, &st);

	v->denied += st.denied;
	v->hidden |= st.hidden;
	if (!rc)
		qsort(v->v, v->n, sizeof(v->v[0]), cmp_inode);
	return rc;
}

int posix_mntns_load(struct posix_mntns *m, struct posix_vec *objs, dev_t *seen, size_t nseen)
{
	struct ipcns_target t = IPCNS_TARGET_INIT;
	char path[32];
	struct stat st;
	size_t first = objs->n;
	int fd, rc;

	snprintf(path, sizeof(path), "/proc/%d", (int)m->pid);
	t.pid = m->pid;
	t.procfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t.procfd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	fd = posix_shm_dir_open(&t);
	rc = fd < 0 ? fd : 0;
	if (!rc && fstat(fd, &st))
		rc = -errno;
	if (!rc) {
		m->dev = st.st_dev;
		for (size_t i = 0; i < nseen; i++)
			if (seen[i] == st.st_dev)
				m->shared = true;
	}
	if (!rc && !m->shared)
		rc = posix_load(&t, fd, objs);
	for (size_t i = first; i < objs->n; i++) {
		objs->v[i].mntns = m->inode;
		objs->v[i].dir_pid = m->pid;
	}
	if (fd >= 0)
		close(fd);
	close(t.procfd);
	return rc;
}

void posix_mntns_vec_free(struct posix_mntns_vec *v)
{
	free(v->v);
	*v = (struct posix_mntns_vec){ 0 };
}
