/* SPDX-License-Identifier: GPL-2.0-or-later */
/* POSIX shared memory objects named on the command line (stat, rm,
 * create, cat and attach-write with --posix): the name checked, the
 * directory of the objects opened once without following a symlink,
 * each object looked at or opened relative to it, and the messages.
 * The thin system layer under the commands; the pure checks are in
 * posix-shm.c. */
#ifndef SHMTOOL_POSIX_OBJ_H
#define SHMTOOL_POSIX_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "core/io.h"
#include "core/ipcns.h"
#include "core/posix-shm.h"

/* The name of arg (NAME or /NAME, as shm_open(3) takes it) without the
 * slash; a bad one is a usage error of cmd (exit status 2). */
const char *posix_name_or_err(const char *arg, const char *cmd);

/* An option of System V segments given with --posix: a usage error of
 * cmd naming it ("--key does not apply to POSIX objects"). */
void posix_refuse_or_err(const char *cmd, const char *option);

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

/* Unlink the object `name` that was made through fd (O_CREAT | O_EXCL),
 * to undo a create that failed half-way: only if the name still leads
 * to that file (the same st_dev and st_ino as fd's), never to one that
 * another process put in its place meanwhile. Returns 0, -ESTALE (the
 * name is another file's), -ENOENT (gone already) or another -errno. */
int posix_obj_unlink_made(const struct posix_dir *d, const char *name, int fd);

/* Map an open object's `size` bytes shared, for writing or reading:
 * *addr, NULL for size 0. Returns 0 or -errno. */
int posix_obj_map(int fd, uint64_t size, bool write, void **addr);
void posix_obj_unmap(void *addr, uint64_t size);

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
 * -ENOENT, else "cannot ACTION POSIX object NAME: REASON". The name is
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

/* A checked name made safe to print (control characters escaped) into
 * buf of POSIX_SAFE_NAME_SIZE bytes. */
#define POSIX_SAFE_NAME_SIZE (4 * 255 + 1)
const char *posix_safe_name(const char *name, char *buf);

/* "0:26" */
void posix_obj_device(const struct posix_obj *o, char *buf, size_t sz);

#endif
