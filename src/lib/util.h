/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Exit statuses, usage errors and stdout checks shared by all commands. */
#ifndef SHMTOOL_UTIL_H
#define SHMTOOL_UTIL_H

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdnoreturn.h>
#include <sys/types.h>

enum {
	EXIT_OK = 0,            /* success */
	EXIT_FAIL = 1,          /* an operation failed */
	EXIT_USAGE = 2,         /* bad command line */
};

/* Print "shmtool: MSG" (escaped as by warnx_safe) and the --help hint for `cmd` (NULL: the program),
 * then exit with EXIT_USAGE. */
noreturn void usage_errx(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* warnx() for messages that quote what the user gave (arguments, paths):
 * control characters and invalid UTF-8 in the result are escaped
 * (\\x1b) so that no terminal escape sequence reaches stderr. */
void warnx_safe(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vwarnx_safe(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* warnx_safe(), then exit(status). */
noreturn void errx_safe(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print the --help hint and exit with EXIT_USAGE after getopt_long
 * refused argv[optind - 1] (and said so): for a long option that is no
 * prefix of any of longopts, first "Did you mean '--NEAREST'?" when one
 * is near (nearest_name). */
noreturn void usage_hint_option(const char *cmd, char *const argv[],
				const struct option *longopts);

/* Options that may not be given together, declared in one table per
 * command and checked in one place, its getopt loop. A group lists the
 * codes of options (as getopt_long() returns them) of which at most one
 * may be given, 0 after the last. */
#define EXCL_GROUP_MAX 4

struct excl_group {
	int opts[EXCL_GROUP_MAX + 1];
};

#define EXCL_COUNT(groups) (sizeof(groups) / sizeof((groups)[0]))

/* Note option c against groups[0..n); seen[0..n), zero at first, keeps
 * the option given of each group. Returns an option given before c in a
 * group of c, or 0 when c goes with those given so far (c given again
 * is no conflict). Pure. */
int excl_conflict(const struct excl_group *groups, size_t n, int *seen, int c);

/* For each option c the getopt loop of command cmd returns: when
 * excl_conflict() finds one, the usage error "--A and --C are mutually
 * exclusive", the one given first first, named by longopts. */
void excl_check_or_err(const char *cmd, const struct option *longopts,
		       const struct excl_group *groups, size_t n, int *seen, int c);

/* The one of names[0..n) nearest to word, for "did you mean": a name it
 * starts (at least 2 letters), or one at most 2 edits away (a letter
 * added, removed, changed or two swapped; 1 for a word of 2 or 3
 * letters, none for 1), the fewest edits first; NULL when none is that
 * near. Pure. */
const char *nearest_name(const char *word, const char *const *names, size_t n);

/* After --help: flush stdout and exit 0 (1 on a write error). */
noreturn void exit_help(void);

/* Flush stdout; a write error is a failure (EPIPE is not). Returns the
 * exit status to use given `status`. */
int close_stdout_status(int status);

/* Allocation failure ends the program with one message: p, or exit with
 * EXIT_FAIL after "cannot allocate memory" when p is NULL. */
void *alloc_or_err(void *p);

/* "s" for a count that is not 1: "%llu byte%s", n, plural_s(n). */
static inline const char *plural_s(unsigned long long n)
{
	return n == 1 ? "" : "s";
}

/* A text for -errno values that strerror words badly for our users. */
const char *errno_text(int err);

/* openat2(2), which the C library does not wrap: the descriptor, or -1
 * and errno (ENOSYS before Linux 5.6). A function of its own so that
 * tests can replace it (-Wl,--wrap=sys_openat2). */
struct open_how;
int sys_openat2(int dirfd, const char *path, const struct open_how *how);

/* fchmodat2(2) (Linux 6.6), which the C library does not wrap: with
 * AT_EMPTY_PATH it changes the mode of any descriptor's file, O_PATH
 * ones too. 0, or -1 and errno (ENOSYS before 6.6). Replaceable in
 * tests (-Wl,--wrap=sys_fchmodat2). */
int sys_fchmodat2(int dirfd, const char *path, unsigned int mode, int flags);

/* kcmp(2), which the C library does not wrap: 0 when the two tasks
 * share the resource of `type` (KCMP_FILES: one descriptor table), 1 or
 * 2 (an order) or 3 when they do not, -1 and errno otherwise (EPERM
 * without ptrace access to both, ESRCH, ENOSYS without CONFIG_KCMP).
 * The pids are the caller's PID namespace's. Replaceable in tests
 * (-Wl,--wrap=sys_kcmp). */
int sys_kcmp(pid_t pid1, pid_t pid2, int type, unsigned long idx1, unsigned long idx2);

/* Open each of descriptors 0, 1 and 2 that is closed on /dev/null, so
 * that no file opened later takes its number: messages or output meant
 * for a closed stderr or stdout would land in it, and a closed stdin
 * would read it as input. Call first, before anything opens a file.
 * Returns 0, or -errno when one could not be opened (then nothing can
 * be reported). */
int std_fds_open(void);

/* Raise the soft limit of open files to the hard one, for a command that
 * holds a descriptor per namespace. Best effort: nothing if it fails. */
void raise_fd_limit(void);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
