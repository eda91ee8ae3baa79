/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The semaphore options of cat and attach-write: see sem.h. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/sem.h"
#include "core/sysv.h"
#include "lib/parse.h"
#include "lib/util.h"

int sem_handle_option(struct sem_opts *s, int c, const char *arg, const char *cmd)
{
	char path[4096];
	uint64_t num;
	int proj, rc;

	if ((c == SEM_OPTION_FIRST || c == SEM_OPTION_FIRST + 1) && s->on)
		usage_errx(cmd, "give one of --sem and --sem-ftok, once");
	switch (c) {
	case SEM_OPTION_FIRST:
		if (parse_key(arg, &s->g.key) || s->g.key == 0)
			usage_errx(cmd, "invalid semaphore key: '%s' (0x..., octal or decimal; "
				   "not 0, which names no set)", arg);
		break;
	case SEM_OPTION_FIRST + 1:
		if (parse_ftok_spec(arg, path, sizeof(path), &proj))
			usage_errx(cmd, "invalid --sem-ftok: '%s' (PATH[:PROJ])", arg);
		rc = sysv_ftok(path, proj, &s->g.key);
		if (rc)
			errx_safe(EXIT_FAIL, "cannot use '%s' for ftok: %s", path, errno_text(-rc));
		break;
	case SEM_OPTION_FIRST + 2:
		if (parse_u64(arg, &num) || num > 65535)
			usage_errx(cmd, "invalid semaphore number: '%s' (0 to 65535)", arg);
		s->g.num = (unsigned int)num;
		s->has_num = true;
		return 1;
	case SEM_OPTION_FIRST + 3:
		rc = parse_wait(arg, &s->g.wait_ns);
		if (rc == -ERANGE)
			usage_errx(cmd, "wait out of range: '%s'", arg);
		if (rc)
			usage_errx(cmd, "invalid wait: '%s' (seconds: 0.2, 5, or 500ms, 2s, 1m, 1h)",
				   arg);
		s->wait_text = arg;
		s->has_wait = true;
		return 1;
	default:
		return 0;
	}
	s->on = true;
	return 1;
}

void sem_opts_finish_or_err(const struct sem_opts *s, const char *cmd)
{
	if (!s->on && (s->has_num || s->has_wait))
		usage_errx(cmd, "--%s goes with --sem or --sem-ftok", s->has_num ? "sem-num" : "wait");
}

static void sem_warn(const struct sem_opts *s, int rc)
{
	uint32_t key = (uint32_t)s->g.key;

	switch (rc) {
	case -ENOENT:
		warnx("no semaphore set with key 0x%08x", key);
		break;
	case -EACCES:
		warnx("cannot use semaphore set 0x%08x: permission denied", key);
		break;
	case -ERANGE:
		warnx("semaphore set 0x%08x has %lu semaphore%s: no number %u", key, s->g.nsems,
		      s->g.nsems == 1 ? "" : "s", s->g.num);
		break;
	case -ENODATA:
		warnx("semaphore set 0x%08x is not initialised after %s (value 0 and no semop "
		      "since it was made): its creator has not set it up yet", key, s->wait_text);
		break;
	case -EAGAIN:
		warnx("semaphore 0x%08x number %u still held after %s", key, s->g.num,
		      s->wait_text);
		break;
	case -EIDRM:
		warnx("semaphore set 0x%08x was removed while waiting for it", key);
		break;
	default:
		warnx("cannot take semaphore 0x%08x number %u: %s", key, s->g.num,
		      errno_text(-rc));
	}
}

int sem_run(struct sem_opts *s, io_mapped_fn *fn, const struct io_mapped *m, void *arg)
{
	int rc, status;

	if (!s->on)
		return fn(m, arg);
	if (!s->has_wait)
		s->g.wait_ns = -1;
	rc = sem_guard_find(&s->g);
	if (!rc)
		rc = sem_guard_take(&s->g);
	if (rc) {
		sem_warn(s, rc);
		return EXIT_FAIL;
	}
	status = fn(m, arg);
	rc = sem_guard_give(&s->g);
	if (rc) {
		warnx("cannot give back semaphore 0x%08x number %u: %s", (uint32_t)s->g.key,
		      s->g.num, errno_text(-rc));
		status = EXIT_FAIL;
	}
	return status;
}
