/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/PID/mountinfo: the line parser (pure), and a table of mount id
 * -> device (major:minor) filled from such texts, for the POSIX scan to
 * learn the device of a file that a process holds open from the mnt_id
 * of its fdinfo, without a system call on the file itself; and the root
 * of a mount, to tell a whole tmpfs from a bind mount of a directory of
 * one. */
#ifndef SHMTOOL_MOUNTINFO_H
#define SHMTOOL_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>

/* The fields of one line that shmtool uses:
 * "ID PARENT MAJ:MIN ROOT POINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPER" */
struct mountinfo_line {
	int id;
	unsigned int dev_major, dev_minor;
	const char *root;       /* the directory of the file system shown
				 * there ("/": all of it), escaped as the
				 * kernel writes it, root_len bytes */
	size_t root_len;
	const char *fstype;     /* not NUL-terminated: fstype_len bytes */
	size_t fstype_len;
	const char *super;      /* the super block's options */
	size_t super_len;
};

/* Parse one line of len bytes (a trailing newline is allowed). Returns 0
 * or -EINVAL for a malformed line. */
int mountinfo_parse_line(const char *line, size_t len, struct mountinfo_line *ml);

/* The line at *p (before end), parsed as by mountinfo_parse_line(),
 * which it returns; *p moves to the next line. */
int mountinfo_next_line(const char **p, const char *end, struct mountinfo_line *ml);

/* The line of mount id in a mountinfo text: 0 and *ml, or -ENOENT. */
int mountinfo_find(const char *text, size_t len, int id, struct mountinfo_line *ml);

/* Mount ids are unique in the whole system, whatever the mount
 * namespace: one table serves the texts of several namespaces. */
struct mount_dev {
	int id;
	unsigned int dev_major, dev_minor;
};

struct mount_devs {
	struct mount_dev *v;    /* sorted by id */
	size_t n, cap;
};

/* Add the mounts of a mountinfo text (malformed lines skipped). Returns
 * 0 or -ENOMEM. */
int mount_devs_add_text(struct mount_devs *t, const char *text, size_t len);

/* The mount with this id, or NULL. */
const struct mount_dev *mount_devs_find(const struct mount_devs *t, int id);

void mount_devs_free(struct mount_devs *t);

#endif
