/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/text.h"
#include "lib/util.h"

/* Edits between a and b (optimal string alignment), capped at 3. */
static unsigned int edits(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned int d[32][32];

	if (la > 30 || lb > 30)
		return 3;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb] < 3 ? d[la][lb] : 3;
}

const char *nearest_name(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t len = strlen(word);
	/* a short word is near too many names: 1 edit for 2 or 3 letters */
	unsigned int best_edits = len < 2 ? 0 : len < 4 ? 2 : 3;

	for (size_t i = 0; i < n; i++) {
		unsigned int e = len >= 2 && !strncmp(names[i], word, len) ? 1 : edits(word, names[i]);

		if (e < best_edits) {
			best = names[i];
			best_edits = e;
		}
	}
	return best;
}

/* Print the --help hint for `cmd` and exit with EXIT_USAGE; for getopt's
 * own messages, which it already printed. */
static noreturn void usage_hint(const char *cmd)
{
	if (cmd)
		fprintf(stderr, "Try 'shmtool %s --help' for more information.\n", cmd);
	else
		fprintf(stderr, "Try 'shmtool --help' for more information.\n");
	exit(EXIT_USAGE);
}

void usage_hint_option(const char *cmd, char *const argv[], const struct option *longopts)
{
	const char *arg = optind > 0 ? argv[optind - 1] : NULL, *names[128], *near;
	char word[64];
	size_t n = 0, len;

	if (!arg || strncmp(arg, "--", 2) || !arg[2])
		usage_hint(cmd);
	len = strcspn(arg + 2, "=");
	if (len >= sizeof(word))
		usage_hint(cmd);
	memcpy(word, arg + 2, len);
	word[len] = '\0';
	for (const struct option *o = longopts; o->name && n < 128; o++) {
		if (!strncmp(o->name, word, len))
			usage_hint(cmd);        /* known, or a prefix getopt explained */
		names[n++] = o->name;
	}
	near = nearest_name(word, names, n);
	if (near)
		fprintf(stderr, "Did you mean '--%s'?\n", near);
	usage_hint(cmd);
}

static bool excl_has(const struct excl_group *g, int c)
{
	for (const int *o = g->opts; *o; o++)
		if (*o == c)
			return true;
	return false;
}

int excl_conflict(const struct excl_group *groups, size_t n, int *seen, int c)
{
	for (size_t i = 0; i < n; i++) {
		if (!excl_has(&groups[i], c))
			continue;
		if (seen[i] && seen[i] != c)
			return seen[i];
		seen[i] = c;
	}
	return 0;
}

/* "--name" of option c in longopts, or "-c". */
static void option_name(const struct option *longopts, int c, char *buf, size_t sz)
{
	for (const struct option *o = longopts; o->name; o++) {
		if (o->val == c) {
			snprintf(buf, sz, "--%s", o->name);
			return;
		}
	}
	snprintf(buf, sz, "-%c", c);
}

void excl_check_or_err(const char *cmd, const struct option *longopts,
		       const struct excl_group *groups, size_t n, int *seen, int c)
{
	char first[64], then[64];
	int other = excl_conflict(groups, n, seen, c);

	if (!other)
		return;
	option_name(longopts, other, first, sizeof(first));
	option_name(longopts, c, then, sizeof(then));
	usage_errx(cmd, "%s and %s are mutually exclusive", first, then);
}

void vwarnx_safe(const char *fmt, va_list ap)
{
	char *msg = NULL, *safe;
	int len = vasprintf(&msg, fmt, ap);

	if (len < 0) {
		warnx("cannot allocate memory");
		return;
	}
	safe = malloc(4 * (size_t)len + 1);
	if (safe) {
		sanitize(msg, (size_t)len, safe, MB_CUR_MAX > 1);
		warnx("%s", safe);
	} else {
		warnx("cannot allocate memory");
	}
	free(safe);
	free(msg);
}

void warnx_safe(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx_safe(fmt, ap);
	va_end(ap);
}

void errx_safe(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx_safe(fmt, ap);
	va_end(ap);
	exit(status);
}

void usage_errx(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx_safe(fmt, ap);
	va_end(ap);
	usage_hint(cmd);
}

void *alloc_or_err(void *p)
{
	if (!p)
		err(EXIT_FAIL, "cannot allocate memory");
	return p;
}

int close_stdout_status(int status)
{
	int rc = 0;

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = errno ? errno : EIO;
	if (rc && rc != EPIPE) {
		warnx("write error: %s", strerror(rc));
		return EXIT_FAIL;
	}
	return status;
}

void exit_help(void)
{
	exit(close_stdout_status(EXIT_OK));
}

const char *errno_text(int err)
{
	switch (err) {
	case EACCES:
	case EPERM:
		return "permission denied";
	case EINVAL:
	case EIDRM:
		return "no such segment";
	default:
		return strerror(err);
	}
}

void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int sys_openat2(int dirfd, const char *path, const struct open_how *how)
{
	return (int)syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
}

#ifndef SYS_fchmodat2
# define SYS_fchmodat2 452      /* the same number on every architecture */
#endif

int sys_fchmodat2(int dirfd, const char *path, unsigned int mode, int flags)
{
	return (int)syscall(SYS_fchmodat2, dirfd, path, mode, flags);
}

int sys_kcmp(pid_t pid1, pid_t pid2, int type, unsigned long idx1, unsigned long idx2)
{
#ifdef SYS_kcmp
	return (int)syscall(SYS_kcmp, pid1, pid2, type, idx1, idx2);
#else
	(void)pid1, (void)pid2, (void)type, (void)idx1, (void)idx2;
	errno = ENOSYS;
	return -1;
#endif
}

int std_fds_open(void)
{
	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		/* the lowest free number: fd, the ones below are open */
		got = open("/dev/null", O_RDWR | O_NOCTTY);
		if (got < 0)
			return -errno;
		if (got != fd) {
			close(got);
			return -EBADF;
		}
	}
	return 0;
}
