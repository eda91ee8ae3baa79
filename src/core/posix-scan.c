/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Who uses the POSIX objects: the /proc scan behind posix_scan_use().
 * What a process maps comes from its maps text; what it holds open from
 * /proc/PID/fd and /proc/PID/fdinfo, with no system call on the file a
 * descriptor leads to: a stat of a file on FUSE or NFS can block for
 * good (and SIGTERM does not end it). The link text tells a file with
 * a path from a socket or a pipe, fdinfo gives the inode (Linux 5.14)
 * and the mount, and the mount's device comes from mountinfo. Only when
 * fdinfo has no inode (older kernels) is the file stat'ed, with
 * AT_STATX_DONT_SYNC, and only when its mount is on the objects' own
 * file system (tmpfs). Matching is pure (posix-shm.c).
 *
 * A process is all its threads. Its leader's maps and fd directory show
 * most: threads share the memory, and mostly the descriptor table. But
 * a leader that ended (pthread_exit: a zombie while the others run on)
 * shows neither, and a thread may have a descriptor table of its own
 * (unshare(CLONE_FILES)), which only /proc/PID/task/TID/fd lists. So a
 * process with more than one thread has its other threads looked at:
 * its maps from one of them when the leader's read empty, and the
 * descriptors of each thread whose table is not one already scanned
 * (kcmp(2) KCMP_FILES tells, one call a thread in the common case). A
 * single-threaded process costs one fstatat more (its task directory's
 * link count). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kcmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mountinfo.h"
#include "core/posix-shm.h"
#include "core/proc-walk.h"
#include "core/procfs.h"
#include "lib/array.h"
#include "lib/util.h"

/* The descriptor tables of one process remembered as scanned, by a task
 * that has each. In a process with more (a table per thread), each
 * thread past them is scanned: the count stays right, only the cost
 * grows. */
#define SCAN_MAX_TABLES 16

/* What the scan keeps from process to process. */
struct scan {
	struct posix_vec *v;
	struct mount_devs mounts;       /* mount id -> device, as met */
	bool self_mounts;               /* this mount namespace's are in */
	uint64_t *mnt_read;             /* the mount namespaces (nsfs inodes)
					 * whose mountinfo is in mounts */
	size_t nmnt_read, capmnt_read;
	pid_t pid;                      /* the process whose maps are read */
	size_t unverified;              /* its threads scanned without kcmp */
	pid_t tables[SCAN_MAX_TABLES];  /* the visited process's tables scanned */
	size_t ntables;
	char link[PATH_MAX + 16];       /* the link of the descriptor looked at */
	char last_name[PATH_MAX + 16];  /* link_names_object()'s last question */
	size_t last_len;
	bool last_named;                /* and its answer */
};

/* Errors that leave a descriptor uninspected count its process as not
 * inspected, as a refused read does (not as gone). */
#define FD_UNKNOWN EIO

/* Note the mount namespace of task tid as read: 1 when it was not yet
 * (its mountinfo is to be read: once per namespace, however many
 * processes are in it), 0 when it was or cannot be told apart (no
 * ns/mnt: then read nothing), or -ENOMEM. */
static int note_mount_ns(struct scan *s, struct proc_walk *w, pid_t tid)
{
	struct stat st;

	if (fstatat(w->procfd, proc_walk_task_path(w, tid, "ns/mnt"), &st, 0))
		return 0;
	for (size_t i = 0; i < s->nmnt_read; i++)
		if (s->mnt_read[i] == (uint64_t)st.st_ino)
			return 0;
	if (ARRAY_PUSH(s->mnt_read, s->nmnt_read, s->capmnt_read, (uint64_t)st.st_ino))
		return -ENOMEM;
	return 1;
}

/* The device of mount `id` as task tid of the visited process sees it:
 * from this mount namespace's mountinfo, else from the task's own (it
 * is in another mount namespace). Mount ids are unique in the system,
 * so one table serves all. Returns 1 and *md, 0 when no mountinfo lists it (a
 * detached mount, a kernel-internal one), or -ENOMEM. */
static int mount_of(struct scan *s, struct proc_walk *w, pid_t tid, int id,
		    const struct mount_dev **md)
{
	ssize_t n;

	*md = mount_devs_find(&s->mounts, id);
	if (!*md && !s->self_mounts) {
		s->self_mounts = true;
		n = proc_walk_read_path(w, "self/mountinfo");
		if (n == -ENOMEM || (n > 0 && mount_devs_add_text(&s->mounts, w->buf, (size_t)n)))
			return -ENOMEM;
		*md = mount_devs_find(&s->mounts, id);
	}
	if (!*md) {
		int rc = note_mount_ns(s, w, tid);

		if (rc <= 0)
			return rc;      /* read already, or -ENOMEM */
		n = proc_walk_read_path(w, proc_walk_task_path(w, tid, "mountinfo"));
		if (n == -ENOMEM || (n > 0 && mount_devs_add_text(&s->mounts, w->buf, (size_t)n)))
			return -ENOMEM;
		*md = mount_devs_find(&s->mounts, id);
	}
	return *md != NULL;
}

/* Before Linux 5.14 (no inode in fdinfo): stat the descriptor's file,
 * but only when its mount md is on a device of the objects, and without
 * asking a remote file system for fresh attributes. */
static void stat_on_our_fs(struct scan *s, struct proc_walk *w, int fdd, const char *name,
			   const struct mount_dev *md)
{
	struct statx stx;

	if (!posix_has_device(s->v, md->dev_major, md->dev_minor))
		return;
	if (statx(fdd, name, AT_STATX_DONT_SYNC, STATX_TYPE | STATX_INO, &stx)) {
		proc_walk_failed(w, errno);
		return;
	}
	if (S_ISREG(stx.stx_mode) && stx.stx_dev_major == md->dev_major &&
	    stx.stx_dev_minor == md->dev_minor)
		posix_mark_open(s->v, w->pid, md->dev_major, md->dev_minor, stx.stx_ino);
}

/* A descriptor whose mount no mountinfo lists (it was opened before its
 * process changed mount namespace, or the mount is detached) has no
 * known device, and its inode alone would match any file of that
 * number (a /dev/null opened in another namespace...): the last name of
 * its link must be the object's too. Whether an object has that name,
 * for the old kernels' path, where the inode is not known either; the
 * answer for the last name is kept (the same /dev/null comes again). */
static bool link_names_object(struct scan *s)
{
	size_t len;
	const char *name = posix_link_name(s->link, strlen(s->link), &len);

	if (len != s->last_len || memcmp(name, s->last_name, len)) {
		s->last_named = false;
		for (size_t i = 0; i < s->v->n && !s->last_named; i++)
			s->last_named = strlen(s->v->v[i].name) == len &&
					!memcmp(s->v->v[i].name, name, len);
		memcpy(s->last_name, name, len);
		s->last_len = len;
	}
	return s->last_named;
}

/* The path of task tid's file below the visited process's directory:
 * "file", or "task/TID/file" for a thread other than the leader. */
static const char *task_file(struct proc_walk *w, pid_t tid, const char *file, char *buf,
			     size_t sz)
{
	if (tid == w->pid)
		snprintf(buf, sz, "%s", file);
	else
		snprintf(buf, sz, "task/%d/%s", (int)tid, file);
	return buf;
}

/* One descriptor `name` of task tid of the visited process (fdd: its fd
 * directory). Returns 0 or -ENOMEM. */
static int scan_fd(struct scan *s, struct proc_walk *w, pid_t tid, int fdd, const char *name)
{
	char text[512], file[32], path[64];
	struct procfs_fdinfo fi;
	const struct mount_dev *md = NULL;
	ssize_t n = readlinkat(fdd, name, s->link, sizeof(s->link) - 1);
	int rc;

	if (n < 0)
		return proc_walk_failed(w, errno);
	/* "socket:[...]", "pipe:[...]", "anon_inode:...": no file of ours */
	if (n == 0 || s->link[0] != '/')
		return 0;
	s->link[n] = '\0';
	snprintf(file, sizeof(file), "fdinfo/%s", name);
	n = proc_walk_read_small(w, task_file(w, tid, file, path, sizeof(path)), text,
				 sizeof(text));
	if (n < 0)
		return 0;       /* accounted for */
	if (procfs_parse_fdinfo(text, (size_t)n, &fi) || (!fi.has_ino && !fi.has_mnt_id))
		return proc_walk_failed(w, FD_UNKNOWN);
	/* the inode first: the mount is looked up only for a candidate */
	if (fi.has_ino && !posix_has_inode(s->v, fi.ino))
		return 0;
	rc = fi.has_mnt_id ? mount_of(s, w, tid, fi.mnt_id, &md) : 0;
	if (rc < 0)
		return rc;
	if (fi.has_ino) {
		size_t len;
		const char *last = posix_link_name(s->link, strlen(s->link), &len);

		if (md)
			posix_mark_open(s->v, w->pid, md->dev_major, md->dev_minor, fi.ino);
		else
			posix_mark_open_named(s->v, w->pid, fi.ino, last, len);
		return 0;
	}
	/* before Linux 5.14: a stat, on the objects' file system only; with
	 * the mount unknown, not even there */
	if (md)
		stat_on_our_fs(s, w, fdd, name, md);
	else if (link_names_object(s))
		proc_walk_failed(w, FD_UNKNOWN);
	return 0;
}

/* The open files of task tid of the visited process, counted as the
 * process's. Returns 0 or -ENOMEM. */
static int scan_fds(struct scan *s, struct proc_walk *w, pid_t tid)
{
	int fdd = openat(w->procfd, proc_walk_task_path(w, tid, "fd"),
			 O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (fdd < 0)
		return proc_walk_failed(w, errno);
	d = fdopendir(fdd);
	if (!d) {
		close(fdd);
		return 0;
	}
	while (!rc && (de = readdir(d))) {
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			rc = scan_fd(s, w, tid, fdd, de->d_name);
	}
	closedir(d);
	return rc;
}

enum table { TABLE_SHARED, TABLE_OWN, TABLE_UNKNOWN };

/* Whether thread tid shares a descriptor table already scanned. kcmp
 * compares tasks by their pids in the caller's PID namespace: with a
 * /proc of another, or when kcmp fails (no ptrace access, a kernel
 * without it, a seccomp filter), it cannot be told. */
static enum table table_of(struct scan *s, pid_t tid)
{
	if (!procfs_is_own_pidns())
		return TABLE_UNKNOWN;
	for (size_t i = 0; i < s->ntables; i++) {
		int rc = sys_kcmp(s->tables[i], tid, KCMP_FILES, 0, 0);

		if (rc == 0)
			return TABLE_SHARED;
		if (rc < 0)
			return TABLE_UNKNOWN;
	}
	return TABLE_OWN;
}

/* One thread other than the leader: its descriptors, unless its table
 * was scanned. A thread whose table cannot be told from the others' is
 * scanned too, up to SCAN_MAX_TABLES of them: past that (a process of
 * thousands of threads where kcmp is refused) the rest are not read
 * (thousands of times the same table) and the process counts as not
 * inspected. Returns 0, 1 to stop, or -ENOMEM. */
static int scan_thread(struct proc_walk *w, pid_t tid, void *arg)
{
	struct scan *s = arg;
	enum table t = table_of(s, tid);

	if (t == TABLE_SHARED)
		return 0;
	if (t == TABLE_UNKNOWN && ++s->unverified > SCAN_MAX_TABLES) {
		proc_walk_failed(w, EACCES);
		return 1;
	}
	if (s->ntables < SCAN_MAX_TABLES)
		s->tables[s->ntables++] = tid;
	return scan_fds(s, w, tid);
}

/* One process: what it maps, then what it holds open, in its leader's
 * table and in those of its other threads. A process whose maps and
 * descriptors are refused counts once as not inspected (its threads are
 * not asked when its maps are refused: theirs would be too); no memory
 * stops the scan, as in the System V scan. */
static int mark_maps_lines(const char *buf, size_t len, void *arg)
{
	struct scan *s = arg;

	posix_mark_maps(s->v, s->pid, buf, len);
	return 0;
}

static int scan_pid(struct proc_walk *w, void *arg)
{
	struct scan *s = arg;
	unsigned long denied = w->st.denied;
	ssize_t n;
	int rc;

	s->pid = w->pid;
	s->unverified = 0;
	n = proc_walk_maps(w, mark_maps_lines, s);
	if (n == -ENOMEM)
		return -ENOMEM;
	rc = scan_fds(s, w, w->pid);
	s->tables[0] = w->pid;
	s->ntables = 1;
	if (!rc && n >= 0 && proc_walk_threads(w) != 1)
		rc = proc_walk_each_thread(w, scan_thread, s);
	if (w->st.denied > denied + 1)
		w->st.denied = denied + 1;
	return rc;
}

int posix_scan_use(struct posix_vec *v)
{
	struct scan *s;
	struct proc_walk_stats st;
	int rc;

	if (!v->n)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->v = v;
	s->last_len = SIZE_MAX;         /* no question yet */
	rc = posix_index_build(v);
	if (!rc)
		rc = proc_walk(scan_pid, s, &st);
	/* the caller may reorder or drop objects: no stale index left */
	posix_index_drop(v);
	mount_devs_free(&s->mounts);
	free(s->mnt_read);
	free(s);
	if (rc)
		return rc;
	v->denied += st.denied;
	v->hidden |= st.hidden;
	return v->nomem ? -ENOMEM : 0;
}
