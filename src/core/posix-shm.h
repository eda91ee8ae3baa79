/* SPDX-License-Identifier: GPL-2.0-or-later */
/* POSIX shared memory objects: the files of /dev/shm (shm_open(3)), and
 * which processes use them, mapped (a /proc/PID/maps line with the
 * file's dev:inode) or open (a /proc/PID/fd link to it). Names, the
 * vector and the matching are pure (posix-shm.c); the directory, opened
 * once without following a symlink, and each object looked at or opened
 * relative to it are the system layer (posix-dir.c), as is the /proc
 * scan (posix-scan.c). */
#ifndef SHMTOOL_POSIX_SHM_H
#define SHMTOOL_POSIX_SHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "core/io.h"

#define POSIX_SHM_DIR "/dev/shm"

#define POSIX_MAPPED 1u
#define POSIX_OPEN   2u

struct ipcns_target;

/* A process that maps an object or holds it open. */
struct posix_holder {
	pid_t pid;
	unsigned int use;       /* POSIX_* bits */
};

struct posix_obj {
	char *name;
	uint64_t size;
	uid_t uid;
	gid_t gid;
	unsigned int mode;      /* permission bits */
	int64_t mtime;
	long mtime_nsec;
	unsigned int dev_major, dev_minor;
	uint64_t ino;
	unsigned int use;       /* POSIX_* bits */
	uint32_t nprocs;        /* processes that map it or hold it open */
	pid_t last_pid;         /* the last one counted */
	struct posix_holder *holders;   /* with want_holders: each process */
	size_t nholders, capholders;
	/* list -A --posix: the mount namespace whose /dev/shm holds it, and
	 * its lowest pid (0: this process's own, not asked) */
	uint64_t mntns;
	pid_t dir_pid;
};

struct posix_index;

struct posix_vec {
	struct posix_obj *v;
	size_t n, cap;
	unsigned long denied;   /* processes that could not be inspected */
	unsigned int hidden;    /* and /proc hid some: PROC_HIDDEN_* bits */
	bool want_holders;      /* record each process, not only the count */
	bool nomem;             /* a holder could not be recorded */
	/* the objects by inode, for the marks: built by the first mark
	 * after the last posix_vec_add(), dropped at the end of a scan */
	struct posix_index *index;
	unsigned long long compared;    /* objects looked at by the marks */
};

/* What is wrong with a name given on the command line (shm_open style). */
enum posix_name_check {
	POSIX_NAME_OK,
	POSIX_NAME_EMPTY,
	POSIX_NAME_SLASH,       /* a '/' after the optional leading one */
	POSIX_NAME_DOT,         /* "." or ".." */
	POSIX_NAME_TOO_LONG,    /* more than NAME_MAX bytes */
	POSIX_NAME_SEMAPHORE,   /* "sem.*": a POSIX semaphore */
};

/* Check a NAME or /NAME given for an object: POSIX_NAME_OK and *name
 * pointing into arg past the leading '/', or what is wrong. */
enum posix_name_check posix_check_name(const char *arg, const char **name);

/* Why a name was refused, for "invalid POSIX object name 'X': WHY". */
const char *posix_name_problem(enum posix_name_check c);

/* The fields of an object from its stat (name and use left empty). */
void posix_obj_from_stat(struct posix_obj *o, const struct stat *st);

/* Whether a /dev/shm entry name is a shared memory object: not ".", ".."
 * nor a POSIX semaphore ("sem.NAME"). */
bool posix_is_object_name(const char *name);

/* Append the file of an object (name copied; use, nprocs and holders
 * left empty, for a scan of v). Returns 0 or -ENOMEM. */
int posix_vec_add(struct posix_vec *v, const char *name, const struct posix_obj *o);
void posix_vec_free(struct posix_vec *v);

/* qsort(3) order of objects by name. */
int posix_obj_cmp_name(const void *a, const void *b);

/* Mark the objects that the maps text of pid maps. Returns how many
 * mappings matched. Each line costs one look-up in v's index (built on
 * the first mark: no memory for it sets v->nomem), whatever the number
 * of objects. */
size_t posix_mark_maps(struct posix_vec *v, pid_t pid, const char *buf, size_t len);

/* Mark the object with this device and inode as open in pid. Returns
 * whether one matched. */
bool posix_mark_open(struct posix_vec *v, pid_t pid, unsigned int dev_major,
		     unsigned int dev_minor, uint64_t ino);

/* The last component of a /proc/PID/fd link text of len bytes, without
 * the " (deleted)" of an unlinked file: a pointer into link and
 * *name_len (0 when there is no '/'). */
const char *posix_link_name(const char *link, size_t len, size_t *name_len);

/* For an open file whose device is not known (its mount is listed in no
 * mountinfo that can be read: opened before its process changed mount
 * namespace, or detached since): mark as open in pid the objects of
 * inode ino on any device whose name is `name` (name_len bytes), the
 * last component of the descriptor's link. Returns whether one matched. */
bool posix_mark_open_named(struct posix_vec *v, pid_t pid, uint64_t ino, const char *name,
			   size_t name_len);

/* Whether an object has inode ino (on any device), or is on this
 * device; from the index, built as by the marks. */
bool posix_has_inode(struct posix_vec *v, uint64_t ino);
bool posix_has_device(struct posix_vec *v, unsigned int dev_major, unsigned int dev_minor);

/* Build v's index now (the marks would on their first call). Returns 0
 * or -ENOMEM. */
int posix_index_build(struct posix_vec *v);
void posix_index_drop(struct posix_vec *v);

/* The name of the directory of the objects, for messages: /dev/shm, or
 * /proc/PID/root/dev/shm for ns, the --ipc-ns process PID (its mount
 * namespace). */
void posix_shm_dir(const struct ipcns_target *ns, char *buf, size_t sz);

/* Open that directory (O_RDONLY, close-on-exec) and check it is what it
 * claims to be: the root of a tmpfs mount that shows the whole file
 * system. For the --ipc-ns process ns its path is resolved inside the
 * process's root with no symlink followed at all, and opened with its
 * credentials (as-target.h). Returns the descriptor or -errno
 * (posix_shm_dir_problem() words it). */
int posix_shm_dir_open(struct ipcns_target *ns);

/* Why posix_shm_dir_open() failed, for "cannot open DIR: WHY". */
const char *posix_shm_dir_problem(int rc);

/* Read the objects of the directory dfd (regular files, not semaphores;
 * dfd stays open), with the credentials of ns as posix_shm_dir_open()
 * opened it. Returns 0 or -errno. */
int posix_load(struct ipcns_target *ns, int dfd, struct posix_vec *v);

/* Scan /proc for the processes that map or hold open each object
 * (posix-scan.c). Returns 0 or -errno (no /proc). */
int posix_scan_use(struct posix_vec *v);

/* ---- objects by name, relative to their directory ---- */

struct posix_dir {
	int fd;                 /* O_DIRECTORY | O_NOFOLLOW */
	char path[64];          /* /dev/shm or /proc/PID/root/dev/shm */
	struct ipcns_target *ns;        /* whose it is, whose right counts */
};

/* Open the directory of the objects: /dev/shm, or that of ns, the
 * --ipc-ns process (posix_shm_dir). 0, or a warning and -1. */
int posix_dir_open_or_warn(struct posix_dir *d, struct ipcns_target *ns);
void posix_dir_close(struct posix_dir *d);

/* lstat the object: 0, -ENOENT (no such name), -EINVAL (the name is
 * not a regular file: a directory, a symlink...) or -errno. */
int posix_obj_stat(const struct posix_dir *d, const char *name, struct stat *st);

/* Open the object, flags O_RDONLY or O_RDWR, or with O_CREAT | O_EXCL
 * make it with exactly `mode` (whatever the umask): never following a
 * symlink, never blocking on a fifo, a regular file only. Returns the
 * descriptor and *st, or -ENOENT, -EEXIST, -EINVAL (not a regular
 * file), -EACCES or another -errno. */
int posix_obj_open(const struct posix_dir *d, const char *name, int flags,
		   unsigned int mode, struct stat *st);

/* Open the object to change its mode or owner (fchmod/fchown through
 * as_target_*): O_PATH, so no right to read it is needed and nothing but
 * the inode is opened; never through a symlink, a regular file only.
 * Returns the descriptor and *st, or -ENOENT, -EINVAL (not a regular
 * file) or another -errno. */
int posix_obj_open_inode(const struct posix_dir *d, const char *name, struct stat *st);

/* Whether the name still leads to the file of st (its st_dev and st_ino,
 * not followed if a symlink): 0, -ESTALE (another file now), -ENOENT
 * (gone) or another -errno. */
int posix_obj_still(const struct posix_dir *d, const char *name, const struct stat *st);

/* Unlink the object `name` that was made through fd (O_CREAT | O_EXCL),
 * to undo a create that failed half-way: only if the name still leads
 * to that file (the same st_dev and st_ino as fd's), never to one that
 * another process put in its place meanwhile. Returns 0, -ESTALE (the
 * name is another file's), -ENOENT (gone already) or another -errno. */
int posix_obj_unlink_made(const struct posix_dir *d, const char *name, int fd);

/* Open the object NAME in the directory of ns (read-write if write, else
 * read-only), return
 * check(size, "POSIX object NAME", arg) if it refuses (check may be
 * NULL), else map it and return fn(m, arg), an exit status. A SIGBUS from the mapping
 * (another process shrank the object meanwhile) is reported instead of
 * killing shmtool. Every failure is reported on stderr and gives
 * EXIT_FAIL. */
int posix_obj_run_mapped(struct ipcns_target *ns, const char *name, bool write,
			 io_size_check_fn *check, io_mapped_fn *fn, void *arg);

/* Report a failure on object `name`: "no POSIX object named NAME" for
 * -ENOENT, else "cannot ACTION POSIX object NAME: REASON" (-EINVAL: not
 * a regular file; -ESTALE: replaced by another file). The name is
 * escaped. */
void posix_obj_warn(const char *name, const char *action, int rc);

/* The objects named by names[0..n) (each already checked) into *objs,
 * with the processes that map or hold each open (want_holders). A name
 * that is missing or not a regular file is reported (for `action`) and
 * sets *failed. Returns 0 or -errno when /proc could not be scanned
 * (reported; the objects are there, their use unknown). */
int posix_collect(const struct posix_dir *d, const char *const *names, size_t n,
		  const char *action, struct posix_vec *objs, bool *failed);

/* Whether the scan of objs missed processes: some could not be
 * inspected, /proc hides some, or this PID namespace is not the initial
 * one (proc-walk.h). */
bool posix_scan_incomplete(const struct posix_vec *objs);

/* Warn of what the scan of objs missed, each cause on a line of its own,
 * ending in `then`, what it means to the command ("an object shown
 * unused may be in use"). Nothing when the scan saw every process. */
void posix_warn_incomplete(const struct posix_vec *objs, const char *then);

/* ---- every mount namespace's /dev/shm (posix-mntns.c) ---- */

struct posix_mntns {
	uint64_t inode;         /* mnt:[inode] */
	pid_t pid;              /* its lowest pid */
	dev_t dev;              /* its /dev/shm's file system, once opened */
	bool shared;            /* that of a namespace before it: not read again */
};

struct posix_mntns_vec {
	struct posix_mntns *v;
	size_t n, cap;
	unsigned long denied;   /* processes whose namespace could not be read */
	unsigned int hidden;    /* PROC_HIDDEN_* bits */
};

/* The mount namespaces that the processes of /proc are in, by inode.
 * Returns 0 or -errno. */
int posix_mntns_scan(struct posix_mntns_vec *v);

/* Append to objs the objects of m's /dev/shm, opened and checked as for
 * --ipc-ns PID and read with that process's credentials, each marked
 * with m (mntns, dir_pid); unless its file system is one of seen[0..n)
 * (m->shared: nothing read). Sets m->dev. Returns 0 or -errno
 * (posix_shm_dir_problem() words it; -ESRCH: the process is gone). */
int posix_mntns_load(struct posix_mntns *m, struct posix_vec *objs, dev_t *seen, size_t nseen);

void posix_mntns_vec_free(struct posix_mntns_vec *v);

/* A checked name made safe to print (control characters escaped) into
 * buf of POSIX_SAFE_NAME_SIZE bytes. */
#define POSIX_SAFE_NAME_SIZE (4 * 255 + 1)
const char *posix_safe_name(const char *name, char *buf);

/* "0:26" */
void posix_obj_device(const struct posix_obj *o, char *buf, size_t sz);

#endif
