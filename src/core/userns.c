/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/procfs.h"
#include "core/userns.h"

/* the kernel allows this many lines in an id map */
#define MAP_MAX 340

/* ---- pure ---- */

static bool same_ns(const struct userns_link *a, const struct userns_link *b)
{
	return a->dev == b->dev && a->ino == b->ino;
}

bool userns_chain_capable(const struct userns_link *chain, size_t n,
			  const struct userns_link *self, uid_t euid, bool cap)
{
	for (size_t i = 0; i < n; i++) {
		if (same_ns(&chain[i], self))
			return cap;
		/* the owner of a child of the caller's namespace holds every
		 * capability in it and below it */
		if (i + 1 < n && same_ns(&chain[i + 1], self) && chain[i].owner == euid)
			return true;
	}
	return false;
}

int userns_parse_map(const char *text, struct userns_range *r, size_t max, size_t *n)
{
	const char *p = text;

	*n = 0;
	while (*p) {
		unsigned long v[3];
		char *end;

		for (int i = 0; i < 3; i++) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p < '0' || *p > '9')
				return -EINVAL;
			errno = 0;
			v[i] = strtoul(p, &end, 10);
			if (errno || v[i] > UINT32_MAX)
				return -EINVAL;
			p = end;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p && *p != '\n')
			return -EINVAL;
		if (*p)
			p++;
		if (*n == max)
			return -EINVAL;
		r[(*n)++] = (struct userns_range){ (uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2] };
	}
	return 0;
}

bool userns_id_mapped(const struct userns_range *r, size_t n, uint32_t id, uint32_t overflow)
{
	if (id != overflow)
		return true;
	for (size_t i = 0; i < n; i++)
		if (id >= r[i].inside && id - r[i].inside < r[i].count)
			return true;
	return false;
}

/* ---- system ---- */

static int link_of(int fd, struct userns_link *l)
{
	struct stat st;

	l->owner = (uid_t)-1;   /* written by the kernel (valgrind cannot tell) */
	if (fstat(fd, &st) || ioctl(fd, NS_GET_OWNER_UID, &l->owner))
		return -errno;
	l->dev = (uint64_t)st.st_dev;
	l->ino = (uint64_t)st.st_ino;
	return 0;
}

/* The user namespace that owns this process's IPC namespace, then its
 * parents up to this process's own namespace, into chain[0..*n). The
 * kernel shows only namespaces at or below the caller's: an owner above
 * it or beside it gives n 0. Returns 0 or -errno (-ENOTTY: no nsfs
 * ioctls). */
static int ipc_owner_chain(struct userns_link *chain, size_t *n, struct userns_link *self)
{
	struct stat st;
	int ipc, fd, rc = 0;

	*n = 0;
	if (stat("/proc/self/ns/user", &st))
		return -errno;
	self->dev = (uint64_t)st.st_dev;
	self->ino = (uint64_t)st.st_ino;
	ipc = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
	if (ipc < 0)
		return -errno;
	fd = ioctl(ipc, NS_GET_USERNS);
	rc = fd < 0 ? -errno : 0;
	close(ipc);
	if (rc)
		return rc == -EPERM ? 0 : rc;
	while (*n < USERNS_MAX_DEPTH) {
		int parent;

		rc = link_of(fd, &chain[*n]);
		if (rc || same_ns(&chain[(*n)++], self))
			break;
		parent = ioctl(fd, NS_GET_PARENT);
		if (parent < 0) {
			rc = errno == EPERM ? 0 : -errno;
			break;
		}
		close(fd);
		fd = parent;
	}
	close(fd);
	return rc;
}

bool userns_ipc_capable(int cap)
{
	struct userns_link chain[USERNS_MAX_DEPTH], self;
	bool own = procfs_self_has_cap(cap);
	size_t n;

	if (ipc_owner_chain(chain, &n, &self))
		return own;
	return userns_chain_capable(chain, n, &self, geteuid(), own);
}

struct id_map {
	bool loaded, readable;
	struct userns_range r[MAP_MAX];
	size_t n;
	uint32_t overflow;
};

static void load_map(struct id_map *m, const char *map, const char *overflow)
{
	char buf[16384];

	m->loaded = true;
	m->overflow = 65534;
	if (procfs_read_text(overflow, buf, sizeof(buf)) > 0)
		m->overflow = (uint32_t)strtoul(buf, NULL, 10);
	m->readable = procfs_read_text(map, buf, sizeof(buf)) >= 0 &&
		      userns_parse_map(buf, m->r, MAP_MAX, &m->n) == 0;
}

bool userns_file_ids_mapped(uid_t uid, gid_t gid)
{
	static struct id_map uids, gids;

	if (!uids.loaded) {
		load_map(&uids, "/proc/self/uid_map", "/proc/sys/kernel/overflowuid");
		load_map(&gids, "/proc/self/gid_map", "/proc/sys/kernel/overflowgid");
	}
	return (!uids.readable || userns_id_mapped(uids.r, uids.n, uid, uids.overflow)) &&
	       (!gids.readable || userns_id_mapped(gids.r, gids.n, gid, gids.overflow));
}
