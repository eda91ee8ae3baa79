/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Acting in the mount namespace of the --ipc-ns process with no more
 * right than that process has. Its /dev/shm is whatever it made it (a
 * bind mount of a directory of root's, say): so while shmtool lists,
 * opens, reads, writes or unlinks the objects there, the calling thread
 * takes that process's file system credentials (fsuid, fsgid,
 * supplementary groups) and keeps only the file capabilities that the
 * process itself holds in shmtool's user namespace. The /proc scans in
 * between run with shmtool's own credentials. Without --ipc-ns, or with
 * a process that shares shmtool's mount namespace and root, nothing
 * changes. */
#ifndef SHMTOOL_AS_TARGET_H
#define SHMTOOL_AS_TARGET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/ipcns.h"

struct stat;

/* The credentials of a process, from its /proc/PID/status. */
struct proc_creds {
	uid_t fsuid;
	gid_t fsgid;
	gid_t groups[64];       /* its supplementary groups */
	int ngroups;            /* -1: more than fit in groups[] */
	uint64_t capeff;
};

/* Pure: the Uid, Gid, Groups and CapEff lines of status text. Returns 0
 * or -EINVAL. */
int as_target_parse_status(const char *text, struct proc_creds *c);

/* Pure: the effective capabilities to keep while acting as the target:
 * the file capabilities (CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
 * CAP_FOWNER, CAP_FSETID, CAP_LINUX_IMMUTABLE, CAP_MKNOD,
 * CAP_MAC_OVERRIDE) only where the target has them too, and only when it
 * is in our user namespace (a capability in a namespace of its own means
 * nothing over our files); the others as they are. */
uint64_t as_target_effective(uint64_t ours, uint64_t target, bool same_userns);

/* What as_target_begin() changed, to put back. */
struct as_target {
	bool active;
	uid_t fsuid;
	gid_t fsgid;
	int ngroups;
	gid_t *groups;
	uint64_t effective;
};

/* Take the credentials of ns, the --ipc-ns process, when there is one to
 * act as (ns->procfd >= 0, in another mount namespace or root than
 * ours). Returns 0 (t->active tells whether anything changed), or -errno
 * when they cannot be taken: then nothing changed and nothing may be
 * done in that namespace. */
int as_target_begin(struct ipcns_target *ns, struct as_target *t);

/* Put back what as_target_begin() changed (nothing if it failed). A
 * failure to put them back ends the program. */
void as_target_end(struct as_target *t);

/* Who acts while acting as the target: its fsuid and whether it keeps
 * CAP_FOWNER, for a dry run to predict what the real one may do. Returns
 * 1 and both, 0 when there is no target to act as (nothing set), or
 * -errno. */
int as_target_identity(struct ipcns_target *ns, uid_t *fsuid, bool *cap_fowner);

/* The calls made in the target's /dev/shm (dirfd), each between
 * as_target_begin() and as_target_end(): as the C library's, but they
 * return the result or -errno, and -errno also when the target's
 * credentials cannot be taken. */
int as_target_fstatat(struct ipcns_target *ns, int dirfd, const char *name, struct stat *st,
		      int flags);
int as_target_openat(struct ipcns_target *ns, int dirfd, const char *name, int flags,
		     mode_t mode);
int as_target_unlinkat(struct ipcns_target *ns, int dirfd, const char *name);
int as_target_faccessat(struct ipcns_target *ns, int dirfd, const char *name, int mode,
			int flags);

/* Change the mode or the owner of the file of fd, which may be an O_PATH
 * descriptor (posix_obj_open_inode), as the target: 0 or -errno. */
int as_target_fchmod(struct ipcns_target *ns, int fd, mode_t mode);
int as_target_fchown(struct ipcns_target *ns, int fd, uid_t uid, gid_t gid);

#endif
