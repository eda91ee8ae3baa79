/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small readers of /proc/PID files. */
#ifndef SHMTOOL_PROCFS_H
#define SHMTOOL_PROCFS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* A small text file (at most sz - 1 bytes of it), NUL-terminated.
 * Returns the length or -errno. */
ssize_t procfs_read_text(const char *path, char *buf, size_t sz);

/* Command line with NULs turned into spaces (trailing ones dropped);
 * a kernel thread's empty one gives 0. Returns the length or -errno. */
ssize_t procfs_read_cmdline(pid_t pid, char *buf, size_t sz);

/* When the process started, in clock ticks since boot (finer than
 * seconds, to tell which of two processes is older). */
int procfs_start_ticks(pid_t pid, uint64_t *ticks);

/* What /proc/PID/stat tells of a process. */
struct proc_stat {
	char state;             /* R, S, D, T, Z, X... */
	long threads;           /* threads in its group */
	uint64_t start;         /* start time, clock ticks since boot */
};

/* /proc/PID/stat: 0 and *ps, -ENOENT when /proc has no such entry (which
 * proves nothing: see procfs_pid_exists), or another -errno. */
int procfs_read_stat(pid_t pid, struct proc_stat *ps);

/* Pure: state, thread count and start time of a /proc/PID/stat line. */
int procfs_parse_stat(const char *line, struct proc_stat *ps);

/* Pure: whether a process in this state has exited: a zombie (Z, or X
 * while it is being reaped) without other threads. A thread group leader
 * that called pthread_exit shows Z while its other threads still run. */
bool procfs_exited(const struct proc_stat *ps);

/* Whether pid exists in this process's PID namespace, by kill(pid, 0):
 * 1 (also when signalling it is not permitted), 0 (ESRCH), or -errno.
 * Unlike /proc, whose entries hidepid= hides and which may show another
 * PID namespace, this asks the kernel in the namespace that gave us pid. */
int procfs_pid_exists(pid_t pid);

/* Whether /proc shows this process's own PID namespace (/proc/self is
 * our pid): pids the kernel gives us (cpid, lpid) are ours, and they
 * name other processes in another namespace's /proc. Read once. */
bool procfs_is_own_pidns(void);

/* The wall-clock time of boot in nanoseconds since the epoch:
 * CLOCK_REALTIME minus CLOCK_BOOTTIME (to the nanosecond, where
 * /proc/stat's btime is whole seconds), read once; -1 on error. */
int64_t procfs_boot_ns(void);

/* Nanoseconds per clock tick, the precision of a start time. */
int64_t procfs_tick_ns(void);

/* Pure: a start time in ticks since boot as nanoseconds since the epoch. */
int64_t procfs_ticks_to_ns(uint64_t ticks, int64_t boot_ns, long hz);

/* When the process of this /proc/PID/stat started, in nanoseconds since
 * the epoch, to a clock tick (truncated). Returns 0 or -EIO. */
int procfs_stat_start_ns(const struct proc_stat *ps, int64_t *ns);

/* The command name (comm, at most 15 bytes) without its newline.
 * Returns the length or -errno. */
ssize_t procfs_read_comm(pid_t pid, char *buf, size_t sz);

/* What a process is, to tell whether a pid still names the process seen
 * earlier (the gc asks this of attached and creator pids). */
struct proc_ident {
	pid_t pid;
	uid_t uid;              /* effective user */
	char state;             /* R, S, D, T, Z... as in /proc/PID/status */
	int64_t start;          /* start time, seconds since the epoch */
	char comm[64];          /* command name, as the kernel escapes it */
};

/* Whether pid runs now: 0 and *pi filled, -ESRCH when it does not (a
 * zombie does not run), another -errno when it cannot be read. */
int procfs_identify(pid_t pid, struct proc_ident *pi);

/* Pure: Name, State and the effective Uid of /proc/PID/status text. */
int procfs_parse_status(const char *text, struct proc_ident *pi);

/* Pure: the effective capabilities of a /proc/PID/status text. */
int procfs_parse_capeff(const char *status, uint64_t *caps);

/* Pure: the value of the line "Key:\t..." of status text, past its
 * blanks, or NULL. */
const char *procfs_status_field(const char *text, const char *key);

/* What /proc/PID/fdinfo/N tells of the file behind a descriptor. */
struct procfs_fdinfo {
	bool has_mnt_id, has_ino;       /* mnt_id: Linux >= 3.15, ino: >= 5.14 */
	int mnt_id;
	uint64_t ino;
};

/* Pure: the mnt_id and ino lines of fdinfo text of len bytes. Returns 0
 * (either may be missing) or -EINVAL for a malformed value. */
int procfs_parse_fdinfo(const char *text, size_t len, struct procfs_fdinfo *fi);

/* The hidepid= and gid= options of a proc mount. */
enum procfs_hidepid {
	PROCFS_HIDEPID_OFF,             /* 0, off */
	PROCFS_HIDEPID_NOACCESS,        /* 1, noaccess: listed, not readable */
	PROCFS_HIDEPID_INVISIBLE,       /* 2, invisible: not listed */
	PROCFS_HIDEPID_PTRACEABLE = 4,  /* 4, ptraceable: only those */
};

struct procfs_proc_opts {
	enum procfs_hidepid hidepid;
	gid_t gid;      /* its members see every process (invisible); 0 unless set */
};

/* Pure: the options of a proc mount ("rw,hidepid=invisible,gid=27", the
 * super block options of its mountinfo line) of len bytes. Returns 0, or
 * -EINVAL for a hidepid= value it does not know. */
int procfs_parse_proc_opts(const char *opts, size_t len, struct procfs_proc_opts *po);

/* Pure: the options of the proc mount `mnt_id` from mountinfo text of
 * len bytes. Returns 0, -ENOENT (no such mount) or -EINVAL (a hidepid=
 * value not known). */
int procfs_proc_mount_opts(const char *mountinfo, size_t len, int mnt_id,
			   struct procfs_proc_opts *po);

/* Pure: whether a caller walking that /proc misses processes: with
 * hidepid=invisible unless it is in the gid= group (in_gid) or may ptrace
 * every process (CAP_SYS_PTRACE); with hidepid=ptraceable unless it has
 * CAP_SYS_PTRACE. (noaccess lists every process; reading one is denied,
 * as without hidepid.) */
bool procfs_proc_hides(const struct procfs_proc_opts *po, bool cap_sys_ptrace, bool in_gid);

/* The inode of the initial PID namespace's file (/proc/PID/ns/pid, on
 * nsfs): the kernel's PROC_PID_INIT_INO. It is a constant of the kernel
 * (include/linux/proc_ns.h, the same since Linux 3.8 gave namespaces
 * their files), and no other namespace can have it: the kernel numbers
 * every other one from 0xF0000000 up (proc_alloc_inum(),
 * PROC_DYNAMIC_FIRST). */
#define PROCFS_PID_INIT_INO UINT64_C(0xEFFFFFFC)

/* Pure: whether a caller in the PID namespace of nsfs inode ino (known:
 * false when it could not be read) misses processes in every /proc: a
 * namespace other than the initial one has ancestors, and their
 * processes (the host's, for a container) are in none it can see. */
bool procfs_pidns_hides(bool known, uint64_t ino);

/* Whether this process has capability `cap` (e.g. 21, CAP_SYS_ADMIN). */
bool procfs_self_has_cap(int cap);

#endif
