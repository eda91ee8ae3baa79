/* POSIX shared memory objects: the files of /dev/shm (shm_open(3)), and
 * which processes use them, mapped (a /proc/PID/maps line with the
 * file's dev:inode) or open (a /proc/PID/fd link to it). Matching is
 * pure; reading the directory and /proc is the system layer. */
#ifndef SHMTOOL_POSIX_SHM_H
#define SHMTOOL_POSIX_SHM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define POSIX_SHM_DIR "/dev/shm"

#define POSIX_MAPPED 1u
#define POSIX_OPEN   2u

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
};

struct posix_vec {
	struct posix_obj *v;
	size_t n, cap;
	unsigned long denied;   /* processes that could not be inspected */
};

/* Whether a /dev/shm entry name is a shared memory object: not ".", ".."
 * nor a POSIX semaphore ("sem.NAME"). */
bool posix_is_object_name(const char *name);

/* Append an object (name copied). Returns 0 or -ENOMEM. */
int posix_vec_add(struct posix_vec *v, const char *name, const struct posix_obj *o);
void posix_vec_free(struct posix_vec *v);

/* Mark the objects that the maps text of pid maps. Returns how many
 * mappings matched. */
size_t posix_mark_maps(struct posix_vec *v, pid_t pid, const char *buf, size_t len);

/* Mark the object with this device and inode as open in pid. Returns
 * whether one matched. */
bool posix_mark_open(struct posix_vec *v, pid_t pid, unsigned int dev_major,
		     unsigned int dev_minor, uint64_t ino);

/* The directory of the objects: /dev/shm, or /proc/PID/root/dev/shm
 * under --ipc-ns PID (its mount namespace). */
void posix_shm_dir(char *buf, size_t sz);

/* Read the objects of dir (regular files, not semaphores). Returns 0 or
 * -errno. */
int posix_load(const char *dir, struct posix_vec *v);

/* Scan /proc for the processes that map or hold open each object.
 * Returns 0 or -errno (no /proc). */
int posix_scan_use(struct posix_vec *v);

#endif
