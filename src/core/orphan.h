/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The gc policy, pure: which segments are orphans worth removing, and
 * whether a segment re-read just before removal is still the one chosen. */
#ifndef SHMTOOL_ORPHAN_H
#define SHMTOOL_ORPHAN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/posix-shm.h"
#include "core/segment.h"

/* Segments younger than this are kept unless --older-than says otherwise:
 * a program calls shmget, then shmat; in between its segment is an
 * orphan by every measure. */
#define GC_DEFAULT_GRACE 300    /* seconds */

enum gc_keys { GC_KEYS_ANY, GC_KEYS_PRIVATE, GC_KEYS_KEYED };

struct gc_filter {
	int64_t older_than;             /* seconds */
	bool by_user;
	uid_t uid;
	bool creator_gone;
	enum gc_keys keys;
	bool by_key;
	int32_t key;
	uint64_t min_size;
	const int32_t *exclude;         /* --exclude-key */
	size_t nexclude;
	const char *const *exclude_names;       /* --exclude, POSIX objects */
	size_t nexclude_names;
};

/* Why a segment is or is not a candidate. */
enum gc_verdict {
	GC_CANDIDATE,
	GC_NOT_ORPHAN,          /* attached, or already dest */
	GC_FILTERED,            /* a filter leaves it out */
	GC_EXCLUDED,            /* --exclude-key protects it */
	GC_YOUNG,               /* within the grace period */
	GC_CREATOR_UNKNOWN,     /* a candidate but for --creator-gone, which
				 * cannot tell whether its creator runs */
};

/* Whether a pid still names the process that held it at an earlier time
 * (the creator of a segment, its last attacher). */
enum proc_match {
	PROC_GONE,              /* no such process, a zombie, or one that
				 * started later and only reuses the pid */
	PROC_SAME,              /* a process that started by then: taken
				 * for the one */
	PROC_LATER,             /* a process that runs but started after the
				 * segment, not long enough after to be
				 * surely another (CREATOR_REUSE_MARGIN):
				 * as PROC_UNKNOWN, said otherwise */
	PROC_UNKNOWN,           /* it cannot be told: pid 0 (a process in a
				 * PID namespace this one does not see), or
				 * a process that exists but that /proc
				 * hides (hidepid=) or cannot show */
};

/* The last second (whole seconds since the epoch) in which the creator
 * of s surely existed: creation happened at or before each time the
 * kernel records for the segment, ctime (creation, or the last IPC_SET),
 * atime and dtime when set (0: never), so at or before the earliest; the
 * kernel truncates them to the second. */
int64_t seg_creator_by(const struct shm_segment *s);

/* Whether a process that started at start_ns (nanoseconds since the
 * epoch) may be the one that existed during the second `by` (whole
 * seconds, as the kernel records the times of a segment): it started
 * before that second ended, within slack_ns (the start time's precision:
 * a clock tick). One that started later only reuses its pid. A process
 * that started during that second cannot be told from the one that
 * existed then, and is taken for it. */
bool proc_started_by(int64_t start_ns, int64_t by, int64_t slack_ns);

/* How long after the segment's second a running process with the
 * creator's pid must have started to be taken for another one. Start
 * times come from the boot clock, a segment's times from the wall clock:
 * a forward step of the wall clock since the creator started (an NTP
 * step, a virtual machine restored from a snapshot) makes the creator
 * itself look started after its segment, by as much as the step. */
#define CREATOR_REUSE_MARGIN (24 * 3600)

/* The whole rule for a running process with the creator's pid: started
 * by `by` (proc_started_by): PROC_SAME; more than CREATOR_REUSE_MARGIN
 * seconds after: PROC_GONE (the pid was reused); in between: PROC_LATER
 * (PROC_LATER: a reused pid, or the creator seen through a step of the
 * wall clock). */
enum proc_match proc_creator_match(int64_t start_ns, int64_t by, int64_t slack_ns);

/* now - last detach, or now - creation if never detached; 0 if in the
 * future (clock changes). */
int64_t seg_idle_seconds(const struct shm_segment *s, time_t now);

/* creator: whether the creator pid still names the creator (only
 * consulted with creator_gone, which selects PROC_GONE only: PROC_SAME
 * is GC_FILTERED, PROC_UNKNOWN GC_CREATOR_UNKNOWN where the segment
 * would otherwise be a candidate). */
enum gc_verdict gc_classify(const struct shm_segment *s, const struct gc_filter *f,
			    time_t now, enum proc_match creator);

/* What the re-read before removal found. */
enum gc_recheck {
	GC_RECHECK_OK,          /* same segment, still unattached */
	GC_RECHECK_ATTACHED,    /* attached since the scan */
	GC_RECHECK_REPLACED,    /* the id now names another segment */
	GC_RECHECK_DEST,        /* removed by someone else since the scan */
};

/* Whether a caller with effective uid `euid` may remove s (IPC_RMID
 * needs the owner, the creator, or CAP_SYS_ADMIN in the user namespace
 * that owns the IPC namespace: privileged, see userns_ipc_capable). */
bool gc_may_remove(const struct shm_segment *s, uid_t euid, bool privileged);

enum gc_recheck gc_recheck(const struct shm_segment *scanned, const struct shm_segment *now);

/* POSIX objects (gc --posix). Their age is the time since their mtime
 * (0 if in the future). */
int64_t posix_age_seconds(const struct posix_obj *o, time_t now);

/* Mapped or open: GC_NOT_ORPHAN; -u and --min-size: GC_FILTERED;
 * --exclude: GC_EXCLUDED; changed within --older-than: GC_YOUNG. The
 * System V only fields of f (keys, creator_gone) are not consulted. */
enum gc_verdict gc_classify_posix(const struct posix_obj *o, const struct gc_filter *f,
				  time_t now);

/* What the look just before unlink found. */
enum gc_posix_recheck {
	GC_PX_OK,               /* the same file, still unused */
	GC_PX_GONE,             /* no such name any more */
	GC_PX_NOT_REGULAR,      /* the name is now a symlink, a directory... */
	GC_PX_REPLACED,         /* another file, or changed: dev, inode, size, mtime */
	GC_PX_IN_USE,           /* mapped or opened since the scan */
};

/* now: the name lstat'ed again (NULL when it is gone), with `use` from a
 * fresh /proc scan for the scanned dev:inode; regular: whether now is a
 * regular file. */
enum gc_posix_recheck gc_posix_recheck(const struct posix_obj *scanned,
				       const struct posix_obj *now, bool regular);

/* Whether unlink(2) of o may succeed in a directory owned by dir_uid
 * with mode dir_mode that the caller may write to: with the sticky bit
 * only the file's owner, the directory's owner or CAP_FOWNER over the
 * file (cap_fowner: in the caller's own user namespace, with the file's
 * uid and gid mapped there, see userns_file_ids_mapped). */
bool gc_posix_may_unlink(const struct posix_obj *o, uid_t dir_uid, unsigned int dir_mode,
			 bool dir_writable, uid_t euid, bool cap_fowner);

#endif
