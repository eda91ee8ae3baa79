/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/as-target.h"
#include "core/ipcns.h"
#include "core/procfs.h"
#include "lib/util.h"

/* ---- pure ---- */

/* The n-th (from 0) of the decimal ids on a "Uid:" or "Gid:" line. */
static int nth_id(const char *p, int n, unsigned long *id)
{
	char *end;

	for (int i = 0; i <= n; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		errno = 0;
		*id = strtoul(p, &end, 10);
		if (errno || *id > UINT32_MAX - 1)
			return -EINVAL;
		p = end;
	}
	return 0;
}

static int parse_groups(const char *p, struct proc_creds *c)
{
	c->ngroups = 0;
	for (;;) {
		unsigned long g;
		char *end;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\n' || *p == '\0')
			return 0;
		errno = 0;
		g = strtoul(p, &end, 10);
		if (end == p || errno || g > UINT32_MAX - 1)
			return -EINVAL;
		if (c->ngroups == (int)(sizeof(c->groups) / sizeof(c->groups[0]))) {
			c->ngroups = -1;
			return 0;
		}
		c->groups[c->ngroups++] = (gid_t)g;
		p = end;
	}
}

int as_target_parse_status(const char *text, struct proc_creds *c)
{
	const char *uid = procfs_status_field(text, "Uid");
	const char *gid = procfs_status_field(text, "Gid");
	const char *groups = procfs_status_field(text, "Groups");
	unsigned long fsuid, fsgid;

	if (!uid || !gid || !groups)
		return -EINVAL;
	/* real, effective, saved, file system: the fourth decides access */
	if (nth_id(uid, 3, &fsuid) || nth_id(gid, 3, &fsgid) || parse_groups(groups, c) ||
	    procfs_parse_capeff(text, &c->capeff))
		return -EINVAL;
	c->fsuid = (uid_t)fsuid;
	c->fsgid = (gid_t)fsgid;
	return 0;
}

#define CAP_BIT(n) (UINT64_C(1) << (n))
#define FILE_CAPS (CAP_BIT(CAP_CHOWN) | CAP_BIT(CAP_DAC_OVERRIDE) | \
		   CAP_BIT(CAP_DAC_READ_SEARCH) | CAP_BIT(CAP_FOWNER) | CAP_BIT(CAP_FSETID) | \
		   CAP_BIT(CAP_LINUX_IMMUTABLE) | CAP_BIT(CAP_MKNOD) | CAP_BIT(CAP_MAC_OVERRIDE))

uint64_t as_target_effective(uint64_t ours, uint64_t target, bool same_userns)
{
	uint64_t keep = same_userns ? target & FILE_CAPS : 0;

	return (ours & ~FILE_CAPS) | (ours & keep);
}

/* ---- system layer ---- */

static int caps_get(uint64_t *eff)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	*eff = (uint64_t)d[1].effective << 32 | d[0].effective;
	return 0;
}

/* Set the effective set, the permitted and inheritable ones unchanged. */
static int caps_set_effective(uint64_t eff)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[0].effective = (uint32_t)eff;
	d[1].effective = (uint32_t)(eff >> 32);
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

/* Whether the file at path below dirfd (followed) is the file at mine. */
static bool same_file(int dirfd, const char *path, const char *mine)
{
	struct statx a, b;

	/* the target's root may be a FUSE file system whose server does
	 * not answer: its cached attributes are enough (device, inode) */
	return statx(dirfd, path, AT_STATX_DONT_SYNC, STATX_INO, &a) == 0 &&
	       statx(AT_FDCWD, mine, AT_STATX_DONT_SYNC, STATX_INO, &b) == 0 &&
	       a.stx_dev_major == b.stx_dev_major && a.stx_dev_minor == b.stx_dev_minor &&
	       a.stx_ino == b.stx_ino;
}

/* Whether the target sees the files that shmtool sees: the same mount
 * namespace and the same root. Asked once. */
static bool target_is_foreign(struct ipcns_target *ns)
{
	if (ns->foreign < 0)
		ns->foreign = !same_file(ns->procfd, "ns/mnt", "/proc/self/ns/mnt") ||
			      !same_file(ns->procfd, "root", "/");
	return ns->foreign;
}

static int read_status(const struct ipcns_target *ns, struct proc_creds *c)
{
	char buf[8192];
	ssize_t n;
	int fd = openat(ns->procfd, "status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -ESRCH;
	buf[n] = '\0';
	return as_target_parse_status(buf, c);
}

/* Take c: groups, then fsgid and fsuid (a non-zero fsuid drops the file
 * capabilities), then the effective set exactly as computed. */
static int take(const struct proc_creds *c, uint64_t effective)
{
	if (setgroups((size_t)c->ngroups, c->groups))
		return -errno;
	setfsgid(c->fsgid);
	setfsuid(c->fsuid);
	/* both return the old value whatever happens: read them back */
	if ((gid_t)setfsgid((gid_t)-1) != c->fsgid || (uid_t)setfsuid((uid_t)-1) != c->fsuid)
		return -EPERM;
	return caps_set_effective(effective);
}

int as_target_begin(struct ipcns_target *ns, struct as_target *t)
{
	struct proc_creds c;
	uint64_t ours = 0;
	int rc;

	*t = (struct as_target){ 0 };
	if (ns->procfd < 0 || !target_is_foreign(ns))
		return 0;
	rc = read_status(ns, &c);
	if (rc)
		return rc;
	if (c.ngroups < 0)
		return -E2BIG;
	rc = caps_get(&ours);
	if (rc)
		return rc;
	t->effective = ours;
	t->fsuid = (uid_t)setfsuid((uid_t)-1);
	t->fsgid = (gid_t)setfsgid((gid_t)-1);
	t->ngroups = getgroups(0, NULL);
	if (t->ngroups < 0)
		return -errno;
	t->groups = calloc((size_t)t->ngroups + 1, sizeof(*t->groups));
	if (!t->groups)
		return -ENOMEM;
	if (getgroups(t->ngroups, t->groups) != t->ngroups) {
		rc = -errno;
		free(t->groups);
		return rc;
	}
	t->active = true;
	rc = take(&c, as_target_effective(ours, c.capeff,
					  same_file(ns->procfd, "ns/user",
						    "/proc/self/ns/user")));
	if (rc) {
		as_target_end(t);
		return rc;
	}
	return 0;
}

void as_target_end(struct as_target *t)
{
	if (!t->active)
		return;
	/* the capabilities first: setgroups needs CAP_SETGID */
	if (caps_set_effective(t->effective))
		err(EXIT_FAIL, "cannot take back the capabilities of shmtool");
	setfsuid(t->fsuid);
	setfsgid(t->fsgid);
	if (setgroups((size_t)t->ngroups, t->groups) ||
	    (uid_t)setfsuid((uid_t)-1) != t->fsuid || (gid_t)setfsgid((gid_t)-1) != t->fsgid)
		errx(EXIT_FAIL, "cannot take back the credentials of shmtool");
	free(t->groups);
	*t = (struct as_target){ 0 };
}

int as_target_identity(struct ipcns_target *ns, uid_t *fsuid, bool *cap_fowner)
{
	struct as_target t;
	uint64_t eff = 0;
	int rc = as_target_begin(ns, &t);

	if (rc || !t.active)
		return rc;
	*fsuid = (uid_t)setfsuid((uid_t)-1);
	rc = caps_get(&eff);
	*cap_fowner = (eff >> CAP_FOWNER) & 1;
	as_target_end(&t);
	return rc ? rc : 1;
}

/* `call` made as the target ns: its result, or -errno. */
#define AS_TARGET(ns, call)                                     \
	do {                                                    \
		struct as_target t_;                            \
		int rc_ = as_target_begin(ns, &t_);             \
									\
		if (rc_)                                        \
			return rc_;                             \
		rc_ = (call);                                   \
		rc_ = rc_ < 0 ? -errno : rc_;                   \
		as_target_end(&t_);                             \
		return rc_;                                     \
	} while (0)

int as_target_fstatat(struct ipcns_target *ns, int dirfd, const char *name, struct stat *st,
		      int flags)
{
	AS_TARGET(ns, fstatat(dirfd, name, st, flags));
}

int as_target_openat(struct ipcns_target *ns, int dirfd, const char *name, int flags,
		     mode_t mode)
{
	AS_TARGET(ns, openat(dirfd, name, flags, mode));
}

int as_target_unlinkat(struct ipcns_target *ns, int dirfd, const char *name)
{
	AS_TARGET(ns, unlinkat(dirfd, name, 0));
}

int as_target_faccessat(struct ipcns_target *ns, int dirfd, const char *name, int mode,
			int flags)
{
	AS_TARGET(ns, faccessat(dirfd, name, mode, flags));
}

/* fchmod of any descriptor, O_PATH too: fchmodat2 (Linux 6.6) on the
 * descriptor itself, else chmod through its /proc/self/fd link, which
 * leads to that very file and to no other. */
static int chmod_fd(int fd, mode_t mode)
{
	char path[40];

	if (sys_fchmodat2(fd, "", mode, AT_EMPTY_PATH) == 0)
		return 0;
	/* ENOSYS before 6.6, EPERM from seccomp profiles older than it,
	 * EINVAL from a kernel without AT_EMPTY_PATH there */
	if (errno != ENOSYS && errno != EPERM && errno != EINVAL)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return chmod(path, mode);
}

int as_target_fchmod(struct ipcns_target *ns, int fd, mode_t mode)
{
	AS_TARGET(ns, chmod_fd(fd, mode));
}

int as_target_fchown(struct ipcns_target *ns, int fd, uid_t uid, gid_t gid)
{
	AS_TARGET(ns, fchownat(fd, "", uid, gid, AT_EMPTY_PATH));
}
