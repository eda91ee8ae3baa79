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

/* Whether this process has capability `cap` (e.g. 21, CAP_SYS_ADMIN). */
bool procfs_self_has_cap(int cap);

#endif
