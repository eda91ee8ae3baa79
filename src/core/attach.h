/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Who is attached: one pass over /proc/PID/maps finds every System V
 * mapping of the processes in the caller's IPC namespace. The line parser,
 * the table and the formatters are pure; attach_scan() is the system
 * layer. */
#ifndef SHMTOOL_ATTACH_H
#define SHMTOOL_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/segment.h"

/* One line of /proc/PID/maps. name points into the line (namelen bytes,
 * no newline); an anonymous mapping has namelen 0. */
struct maps_line {
	uint64_t start, end, offset, inode;
	char perms[5];
	unsigned int dev_major, dev_minor;
	const char *name;
	size_t namelen;
	bool deleted;           /* name ends in " (deleted)" */
};

/* A device, as a maps line shows it. */
struct attach_dev {
	unsigned int major, minor;
};

/* The devices a System V mapping can be on: the kernel's internal shm
 * mount (where memfd_create(2) files live too) and its internal
 * hugetlbfs mount of each huge page size. Anyone can map a file of
 * another file system that they named /SYSV..., with any inode: the
 * device tells the kernel's segments from those. */
#define ATTACH_MAX_DEVS 16

struct attach_devs {
	size_t n;
	struct attach_dev v[ATTACH_MAX_DEVS];
};

/* Add a device (once). Returns 0 or -ENOSPC when the set is full. */
int attach_devs_add(struct attach_devs *d, unsigned int major, unsigned int minor);

/* Whether the device is in d (NULL: an empty set). */
bool attach_devs_has(const struct attach_devs *d, unsigned int major, unsigned int minor);

/* Parse one line of len bytes (a trailing newline is allowed). Returns 1
 * for a System V mapping: on one of the devices in devs (NULL: none),
 * named as the kernel names a segment, "/SYSV" and the key in 8 hex
 * digits, and " (deleted)"; the inode is the shmid. 0 for any other
 * well-formed line, -EINVAL for a malformed one and -ERANGE for a System
 * V line whose inode is not a valid shmid. */
int attach_parse_maps_line(const char *line, size_t len, const struct attach_devs *devs,
			   struct maps_line *ml);

/* The line of maps text at *p (before end), parsed as by
 * attach_parse_maps_line(), which it returns; *p moves to the next line.
 * For a loop "while (p < end)" over a whole maps text. */
int attach_next_line(const char **p, const char *end, const struct attach_devs *devs,
		     struct maps_line *ml);

/* attach_next_line() with no device: 0 for every well-formed line, for
 * readers of the file mappings of any file system (POSIX objects). */
int attach_next_maps_line(const char **p, const char *end, struct maps_line *ml);

/* "hugepages-2048kB", a directory of /sys/kernel/mm/hugepages: the log2
 * of the page size in bytes (21), or -EINVAL. */
int attach_huge_shift(const char *name);

/* Access of one mapping, as bits so a process can show a mix. */
#define ATTACH_RW   1u
#define ATTACH_RO   2u
#define ATTACH_NONE 4u          /* mprotect(PROT_NONE) */

/* One mapping (VMA) of a segment in a process. */
struct attach_map {
	int shmid;
	pid_t pid;
	uint64_t start, end, offset;
	unsigned int access;
};

/* One process attached to a segment: its mappings, by address. */
struct attach_proc {
	pid_t pid;
	unsigned int access;    /* ATTACH_* bits of all its mappings */
	size_t nmaps;
	const struct attach_map *maps;
};

/* One segment and the processes attached to it, by pid. */
struct attach_seg {
	int shmid;
	uint64_t mappings;      /* VMAs found, comparable with nattch */
	size_t nprocs;
	const struct attach_proc *procs;
};

struct attach_table {
	struct attach_devs devs;        /* where a mapping counts: set first */
	struct attach_map *maps;
	size_t nmaps, capmaps;
	struct attach_proc *procs;
	size_t nprocs;
	struct attach_seg *segs;        /* by shmid, after attach_table_index */
	size_t nsegs;
	unsigned long scanned;          /* processes whose maps were read */
	unsigned long denied;           /* processes that could not be inspected */
	uint64_t ns;                    /* the IPC namespace scanned for (inode) */
};

/* Append the System V mappings of one process's maps text (buf, len
 * bytes): those on one of t->devs (none: no mapping counts); malformed
 * lines are skipped. Returns the number of mappings added or -ENOMEM. */
int attach_add_maps(struct attach_table *t, pid_t pid, const char *buf, size_t len);

/* Group the mappings by segment and process. Call once, after the last
 * attach_add_maps(). Returns 0 or -ENOMEM. */
int attach_table_index(struct attach_table *t);

void attach_table_free(struct attach_table *t);

/* The segment's entry, or NULL when no process was found attached. */
const struct attach_seg *attach_find(const struct attach_table *t, int shmid);

/* Whether the processes found may not be all: fewer mappings were found
 * than the kernel counts (some processes could not be inspected, or are
 * not visible in this PID namespace). s may be NULL (none found). */
bool attach_is_partial(const struct attach_seg *s, uint64_t nattch);

/* A growable text buffer for the formatters. */
struct attach_buf {
	char *p;
	size_t len, cap;
};

void attach_buf_free(struct attach_buf *b);

/* Empty b with room for `size` bytes. Returns 0 or -ENOMEM. */
int attach_buf_reserve(struct attach_buf *b, size_t size);

/* Append len bytes of s, and keep b->p NUL-terminated. Returns 0 or
 * -ENOMEM. */
int attach_buf_add(struct attach_buf *b, const char *s, size_t len);

/* "1234(postgres),5678(psql)", the items apart by sep: name(pid) gives a
 * process's name or NULL (then the pid alone; name NULL: pids alone).
 * When partial, "..." is a last item ("..." alone when none was found).
 * s may be NULL. Returns 0 or -ENOMEM; the text is in b->p. */
int attach_format_attached(const struct attach_seg *s, bool partial, char sep,
			   const char *(*name)(void *ctx, pid_t pid), void *ctx,
			   struct attach_buf *b);

/* The address ranges of a process's mappings, "7f00...000-7f00...000,...":
 * mappings that continue each other (adjacent in memory and in the
 * segment, as after an mprotect split) are shown as one range. */
int attach_format_ranges(const struct attach_proc *p, struct attach_buf *b);

/* "rw", "ro", "none" or a mix such as "rw,ro". */
const char *attach_access_text(unsigned int access);

/* The devices of System V segments, learned from memory files of the
 * same mounts: memfd_create(2), or where it fails a shared anonymous
 * mapping found in our own maps; for huge pages, one of each size in
 * /sys/kernel/mm/hugepages (none when the kernel has no hugetlbfs: then
 * it makes no such segment either). Nothing is created in any IPC
 * namespace and nothing attached. Returns 0, or -errno when not even the
 * shm mount's device can be learned (d is then empty). */
int attach_learn_devs(struct attach_devs *d);

/* Scan /proc: every process in the caller's IPC namespace, its System V
 * mappings on t->devs (attach_learn_devs()). Processes that exit
 * meanwhile are skipped; those that cannot be read are counted in
 * t->denied. Returns 0 or -errno (no /proc). */
int attach_scan(struct attach_table *t);

/* Scan the attached processes for the columns that need them: a table in
 * *t and 0, or a warning and -errno (the columns are then unknown): when
 * /proc cannot be read, or the devices of segments cannot be learned. */
int attach_scan_or_warn(struct attach_table *t);

/* A process that detaches or exits during the scan leaves nattch, read
 * before it, counting a mapping the scan could not find: for the segments
 * that look partial, read nattch again and keep the smaller count. Returns
 * whether one still partial was attached or detached meanwhile (its
 * nattch, lpid and times then updated): one that left before the walk
 * reached it while another attached behind the walk; a new scan tells. */
bool attach_settle_partial(const struct attach_table *t, struct shm_segment *segs, size_t n);

/* How many times attach_scan_segments() scans again while a partial
 * segment keeps moving; then it says what it has. */
#define ATTACH_RESCANS 3

/* The two above for a table or records of segs: the scan in *t, the
 * partial ones settled (scanned again while they move), then a warning
 * when some are partial. Returns t, for render_opts.attach, or NULL when
 * /proc could not be scanned (said on stderr). */
const struct attach_table *attach_scan_segments(struct attach_table *t,
						  struct shm_segment *segs, size_t n);

#endif
