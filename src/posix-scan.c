/* Who uses the POSIX objects: the /proc scan behind posix_scan_use().
 * What a process maps comes from its maps text; what it holds open from
 * /proc/PID/fd and /proc/PID/fdinfo, with no system call on the file a
 * descriptor leads to: a stat of a file on FUSE or NFS can block for
 * good (and SIGTERM does not end it). The link text tells a file with
 * a path from a socket or a pipe, fdinfo gives the inode (Linux 5.14)
 * and the mount, and the mount's device comes from mountinfo. Only when
 * fdinfo has no inode (older kernels) is the file stat'ed, with
 * AT_STATX_DONT_SYNC, and only when its mount is on the objects' own
 * file system (tmpfs). Matching is pure (posix-shm.c). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mountinfo.h"
#include "posix-shm.h"
#include "proc-walk.h"
#include "procfs.h"

/* What the scan keeps from process to process. */
struct scan {
	struct posix_vec *v;
	struct mount_devs mounts;       /* mount id -> device, as met */
	bool self_mounts;               /* this mount namespace's are in */
	pid_t mounts_of;                /* the last process whose mounts were read */
	char link[PATH_MAX + 16];       /* the link of the descriptor looked at */
	char last_name[PATH_MAX + 16];  /* link_names_object()'s last question */
	size_t last_len;
	bool last_named;                /* and its answer */
};

/* Errors that leave a descriptor uninspected count its process as not
 * inspected, as a refused read does (not as gone). */
#define FD_UNKNOWN EIO

/* The device of mount `id` as the visited process sees it: from this
 * mount namespace's mountinfo, else from the process's own (it is in
 * another mount namespace). Mount ids are unique in the system, so one
 * table serves all. Returns 1 and *md, 0 when no mountinfo lists it (a
 * detached mount, a kernel-internal one), or -ENOMEM. */
static int mount_of(struct scan *s, struct proc_walk *w, int id, const struct mount_dev **md)
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
	if (!*md && s->mounts_of != w->pid) {
		s->mounts_of = w->pid;
		n = proc_walk_read_path(w, proc_walk_path(w, "mountinfo"));
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

/* One descriptor `name` of the visited process (fdd: its fd directory).
 * Returns 0 or -ENOMEM. */
static int scan_fd(struct scan *s, struct proc_walk *w, int fdd, const char *name)
{
	char text[512], file[32];
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
	n = proc_walk_read_small(w, file, text, sizeof(text));
	if (n < 0)
		return 0;       /* accounted for */
	if (procfs_parse_fdinfo(text, (size_t)n, &fi) || (!fi.has_ino && !fi.has_mnt_id))
		return proc_walk_failed(w, FD_UNKNOWN);
	/* the inode first: the mount is looked up only for a candidate */
	if (fi.has_ino && !posix_has_inode(s->v, fi.ino))
		return 0;
	rc = fi.has_mnt_id ? mount_of(s, w, fi.mnt_id, &md) : 0;
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

/* The open files of one process. Returns 0 or -ENOMEM. */
static int scan_fds(struct scan *s, struct proc_walk *w)
{
	int fdd = openat(w->procfd, proc_walk_path(w, "fd"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
			rc = scan_fd(s, w, fdd, de->d_name);
	}
	closedir(d);
	return rc;
}

/* One process: what it maps, then what it holds open. A process whose
 * maps and descriptors are both refused counts once as not inspected;
 * no memory stops the scan, as in the System V scan. */
static int scan_pid(struct proc_walk *w, void *arg)
{
	struct scan *s = arg;
	unsigned long denied = w->st.denied;
	ssize_t n = proc_walk_read(w, "maps");
	int rc;

	if (n == -ENOMEM)
		return -ENOMEM;
	if (n >= 0)
		posix_mark_maps(s->v, w->pid, w->buf, (size_t)n);
	rc = scan_fds(s, w);
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
	free(s);
	if (rc)
		return rc;
	v->denied += st.denied;
	v->hidden |= st.hidden;
	return v->nomem ? -ENOMEM : 0;
}
