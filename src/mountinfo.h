/* The lines of /proc/PID/mountinfo (proc(5)): one mount each, with its
 * id, its device, the directory of its file system that it shows (its
 * root: "/" unless it is a bind mount of a directory below), where it
 * is mounted, and its file system type and options. Pure. */
#ifndef SHMTOOL_MOUNTINFO_H
#define SHMTOOL_MOUNTINFO_H

#include <stddef.h>
#include <stdint.h>

/* A field of a line: len bytes at p, as the kernel escapes them (a blank
 * is \040), not NUL-terminated. */
struct mountinfo_text {
	const char *p;
	size_t len;
};

struct mountinfo_entry {
	uint64_t mnt_id, parent_id;
	unsigned int major, minor;
	struct mountinfo_text root, mount_point, fstype, source, super_options;
};

/* Parse one line (len bytes, a trailing newline allowed). Returns 0 or
 * -EINVAL for a malformed one. */
int mountinfo_parse_line(const char *line, size_t len, struct mountinfo_entry *e);

/* The line of the mount mnt_id in mountinfo text: 0 and *e, or -ENOENT. */
int mountinfo_find(const char *text, size_t len, uint64_t mnt_id, struct mountinfo_entry *e);

/* Whether a field is exactly the text s. */
int mountinfo_text_is(const struct mountinfo_text *t, const char *s);

#endif
