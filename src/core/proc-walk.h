/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One walk over the processes in /proc, for the scans that ask every
 * process something (who maps a segment, who holds an object open, which
 * IPC namespace it is in). The walker opens /proc once, calls back per
 * process and owns a buffer reused from process to process; what a
 * failed /proc/PID access means is decided in one place,
 * proc_walk_failed(). This is the system layer: the callbacks hand the
 * text they read to pure parsers. */
#ifndef SHMTOOL_PROC_WALK_H
#define SHMTOOL_PROC_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct stat;

/* Why /proc does not list every process to the caller (bits of
 * proc_walk_stats.hidden): an unknown number were never visited. */
#define PROC_HIDDEN_PROC  1u    /* hidepid=invisible or ptraceable without
				 * CAP_SYS_PTRACE, a /proc of another PID
				 * namespace, or options that could not be read */
#define PROC_HIDDEN_PIDNS 2u    /* the caller is in a PID namespace other than
				 * the initial one (a container): the processes
				 * of the namespaces above it are in no /proc it
				 * can walk */

struct proc_walk_stats {
	unsigned long pids;     /* processes visited */
	unsigned long denied;   /* failed /proc/PID accesses, not by exiting */
	unsigned int hidden;    /* PROC_HIDDEN_* bits; 0: every process listed */
};

/* The process being visited, as the callback sees it. */
struct proc_walk {
	int procfd;             /* the /proc directory walked */
	pid_t pid;
	char path[64];          /* "PID/file", "PID/task/TID/file" */
	char *buf;              /* proc_walk_read()'s text, reused */
	size_t cap;
	long threads;           /* proc_walk_threads()'s answer; 0: not asked */
	struct proc_walk_stats st;
};

/* Called once per process; returns 0 to go on or a negative errno to
 * stop the walk, which then returns it. */
typedef int proc_walk_fn(struct proc_walk *w, void *ctx);

/* Call fn for every process in /proc (its numeric entries). The counts
 * go to *st (may be NULL), also when fn stops the walk. Returns 0, what
 * fn stopped with, or -errno when /proc cannot be read. */
int proc_walk(proc_walk_fn *fn, void *ctx, struct proc_walk_stats *st);

/* The same over the directory dirfd (taken over: closed at the end),
 * for tests with a directory of their own; only a proc file system is
 * looked at for hidden processes. */
int proc_walk_dir(int dirfd, proc_walk_fn *fn, void *ctx, struct proc_walk_stats *st);

/* "PID/task/TID/file": the file of one thread of the visited process
 * ("PID/file" for tid == pid), relative to w->procfd (in w->path, valid
 * until the next call). */
const char *proc_walk_task_path(struct proc_walk *w, pid_t tid, const char *file);

/* How many threads the visited process has, from the link count of its
 * task directory (2 + threads: one fstatat, nothing read; asked once a
 * process). 1 also when it is gone; 0 when not known (another error, a
 * count the kernel does not give): the caller then looks in task/. */
long proc_walk_threads(struct proc_walk *w);

/* Called for a thread of the visited process; returns 0 to go on, 1 to
 * stop, or a negative errno to stop with it. */
typedef int proc_walk_thread_fn(struct proc_walk *w, pid_t tid, void *ctx);

/* Call fn for each thread of the visited process but its leader (the
 * pid itself), from /proc/PID/task. Returns 0 (also when fn stopped with
 * 1), what fn stopped with, or 0 when task/ cannot be read (accounted
 * for with proc_walk_failed()). */
int proc_walk_each_thread(struct proc_walk *w, proc_walk_thread_fn *fn, void *ctx);

/* Whether the visited process may run on in threads other than its
 * leader, which ended (a zombie leader: its maps and fd directory read
 * empty, its ns/ links and mountinfo fail): more than one thread, or a
 * count not known. */
bool proc_walk_may_outlive_leader(struct proc_walk *w);

/* fstatat (following links, as to a namespace) of the visited process's
 * file, e.g. "ns/ipc", in its leader or, when the leader ended (a zombie
 * has no namespaces any more) while the process runs on, in one of its
 * other threads; w->path is left naming the file that answered. Returns
 * 0, or a negative errno, accounted for with proc_walk_failed() (except
 * -ENOMEM). */
int proc_walk_stat_live(struct proc_walk *w, const char *file, struct stat *st);

/* Whether an errno from a /proc/PID file means the process is gone: it
 * exited meanwhile (ENOENT) or is a zombie (ESRCH). */
bool proc_walk_gone(int err);

/* Account for a failed access to a file of the visited process (err: a
 * positive errno): a process that is gone is skipped quietly, any other
 * failure is counted in w->st.denied. Returns 0, for the callback to
 * return. */
int proc_walk_failed(struct proc_walk *w, int err);

/* Read all of the visited process's file (e.g. "maps") into w->buf,
 * grown as needed. Returns the length, or a negative errno: -ENOMEM is
 * left to the caller, any other failure is already accounted for with
 * proc_walk_failed(). */
ssize_t proc_walk_read(struct proc_walk *w, const char *file);

/* Called with whole lines of a file (len bytes, ending in a newline but
 * maybe the last); returns 0, or a negative errno that stops the read. */
typedef int proc_walk_lines_fn(const char *buf, size_t len, void *ctx);

/* The visited process's maps, a chunk of whole lines at a time to fn:
 * the memory held stays one buffer however large the file (a process
 * may have 65,000 mappings of long names). When they read empty and the
 * process has other threads, its leader ended (a zombie) while they run
 * on: the maps of one of them, the same memory (threads share it).
 * Empty only for a process with no memory (a kernel thread) or one that
 * is ending. Returns the bytes read, or a negative errno: -ENOMEM is
 * left to the caller, any other failure is accounted for as by
 * proc_walk_read(). */
ssize_t proc_walk_maps(struct proc_walk *w, proc_walk_lines_fn *fn, void *ctx);

/* Read all of the file at path below dirfd into *buf (of *cap bytes,
 * grown as needed; free it). Returns the length or -errno. */
ssize_t proc_read_all(int dirfd, const char *path, char **buf, size_t *cap);

/* The same for a path relative to the walked /proc (e.g.
 * "self/mountinfo"), with no failure accounted for. */
ssize_t proc_walk_read_path(struct proc_walk *w, const char *path);

/* Read the start of the visited process's file (e.g. "fdinfo/3") into
 * buf of sz bytes, NUL-terminated. Returns the length or a negative
 * errno, accounted for as by proc_walk_read(). */
ssize_t proc_walk_read_small(struct proc_walk *w, const char *file, char *buf, size_t sz);

#endif
