/* SPDX-License-Identifier: GPL-2.0-or-later */
/* User namespaces: whether the caller holds a capability where the
 * kernel will check it, so that a dry run predicts what the real run
 * does. The decisions are pure; the nsfs ioctls and the id maps of
 * /proc/self are the system layer. */
#ifndef SHMTOOL_USERNS_H
#define SHMTOOL_USERNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The deepest nesting of user namespaces (32) and the initial one. */
#define USERNS_MAX_DEPTH 33

/* One user namespace: its nsfs identity and the uid that created it, as
 * the caller's namespace sees that uid (NS_GET_OWNER_UID). */
struct userns_link {
	uint64_t dev, ino;
	uid_t owner;
};

/* Pure: whether a caller in user namespace `self`, with effective uid
 * euid and `cap` in its effective set, holds that capability in the
 * namespace chain[0]; chain[1..n) are its ancestors as far as the caller
 * may see them (the kernel's cap_capable): in its own namespace its
 * effective set decides; in a namespace below its own it holds every
 * capability when it owns the child of its own namespace on the way;
 * elsewhere (n == 0: an ancestor or an unrelated namespace) it holds
 * none. */
bool userns_chain_capable(const struct userns_link *chain, size_t n,
			  const struct userns_link *self, uid_t euid, bool cap);

/* Whether this process holds capability `cap` (e.g. 21, CAP_SYS_ADMIN)
 * over its IPC namespace: in the user namespace that owns it, as
 * shmctl(IPC_RMID) and the other checks of ipc/ need. Without the nsfs
 * ioctls (kernels before 4.9) the caller's own effective set. */
bool userns_ipc_capable(int cap);

/* One line of /proc/PID/uid_map or gid_map. */
struct userns_range {
	uint32_t inside, outside, count;
};

/* Pure: the lines of an id map, at most max of them. Returns 0 and *n,
 * or -EINVAL for a malformed line. */
int userns_parse_map(const char *text, struct userns_range *r, size_t max, size_t *n);

/* Pure: whether id, as stat(2) reports it in a namespace with this map,
 * may be mapped there. An id the namespace cannot map reads as the
 * overflow id (65534), so the overflow id outside every range is an
 * unmapped one; the overflow id inside a range may be either, and counts
 * as mapped. */
bool userns_id_mapped(const struct userns_range *r, size_t n, uint32_t id, uint32_t overflow);

/* Whether a file owned by uid:gid (as stat(2) gave them) has both ids
 * mapped in this process's user namespace: CAP_FOWNER and the other
 * capabilities over files count only then. True when the maps cannot be
 * read. */
bool userns_file_ids_mapped(uid_t uid, gid_t gid);

#endif
