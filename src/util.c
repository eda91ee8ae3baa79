#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void usage_hint(const char *cmd)
{
	if (cmd)
		fprintf(stderr, "Try 'shmtool %s --help' for more information.\n", cmd);
	else
		fprintf(stderr, "Try 'shmtool --help' for more information.\n");
	exit(EXIT_USAGE);
}

void usage_errx(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	usage_hint(cmd);
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
