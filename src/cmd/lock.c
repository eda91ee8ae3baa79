/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool lock: lock segments in memory (SHM_LOCK); unlock.c undoes it
 * with the same code. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "cmd/args.h"
#include "cmd/commands.h"
#include "cmd/lock.h"
#include "core/segment.h"
#include "core/sysv.h"
#include "core/target.h"
#include "lib/util.h"
#include "out/format.h"

static noreturn void usage(bool lock)
{
	if (lock)
		fputs("Usage: shmtool lock [options] ID...\n"
		      "       shmtool lock [options] -k KEY... | --ftok PATH[:PROJ]...\n"
		      "\n"
		      "Lock segments in memory (SHM_LOCK): their pages are not swapped out.\n"
		      "Their owner or creator may, within the locked-memory limit\n"
		      "(RLIMIT_MEMLOCK, ulimit -l); a process with CAP_IPC_LOCK always may.\n",
		      stdout);
	else
		fputs("Usage: shmtool unlock [options] ID...\n"
		      "       shmtool unlock [options] -k KEY... | --ftok PATH[:PROJ]...\n"
		      "\n"
		      "Unlock segments (SHM_UNLOCK): their pages may be swapped out again.\n"
		      "Their owner or creator may, or a process with CAP_IPC_LOCK.\n", stdout);
	fputs("\n"
	      "Options:\n"
	      "  -k, --key KEY           a segment by key (repeatable)\n"
	      "      --ftok PATH[:PROJ]  a segment by the key ftok(3) gives (repeatable)\n"
	      "  -v, --verbose           say what changed\n"
	      "  -h, --help              show this help and exit\n", stdout);
	exit_help();
}

static const struct option longopts[] = {
	LOCK_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

struct lock_ctx {
	bool lock;
	bool verbose;
};

/* Why SHM_LOCK or SHM_UNLOCK was refused, with what would allow it. */
static void lock_warn(int id, const struct shm_segment *s, bool lock, int rc)
{
	struct rlimit rl;
	char size[32], limit[32];

	if (rc == -ENOMEM && lock && getrlimit(RLIMIT_MEMLOCK, &rl) == 0) {
		fmt_size_human(size, sizeof(size), s->size);
		if (rl.rlim_cur == RLIM_INFINITY)
			snprintf(limit, sizeof(limit), "unlimited");
		else
			fmt_size_human(limit, sizeof(limit), rl.rlim_cur);
		warnx("cannot lock segment %d: its %s would pass the locked-memory limit "
		      "(RLIMIT_MEMLOCK, ulimit -l: %s here, for all that this user has locked): "
		      "raise it, or lock with CAP_IPC_LOCK", id, size, limit);
	} else if (rc == -EPERM && lock) {
		warnx("cannot lock segment %d: permission denied (only its owner or creator, "
		      "within RLIMIT_MEMLOCK, or a process with CAP_IPC_LOCK may)", id);
	} else if (rc == -EPERM) {
		warnx("cannot unlock segment %d: permission denied (only its owner or creator, "
		      "or a process with CAP_IPC_LOCK may)", id);
	} else {
		segment_warn(id, lock ? "lock" : "unlock", rc);
	}
}

static int lock_one(int id, void *arg)
{
	const struct lock_ctx *c = arg;
	struct shm_segment seg;
	int rc = sysv_stat(id, &seg);

	if (rc) {
		segment_warn(id, c->lock ? "lock" : "unlock", rc);
		return EXIT_FAIL;
	}
	rc = c->lock ? sysv_lock(id) : sysv_unlock(id);
	if (rc) {
		lock_warn(id, &seg, c->lock, rc);
		return EXIT_FAIL;
	}
	if (c->verbose && seg_is_locked(&seg) == c->lock)
		fprintf(stderr, "segment %d: %s\n", id, c->lock ? "already locked" : "was not locked");
	else if (c->verbose)
		fprintf(stderr, "segment %d: %s\n", id, c->lock ? "locked" : "unlocked");
	return EXIT_OK;
}

int run_lock_change(int argc, char **argv, struct shm_ctx *ctx, bool lock,
		    const struct option *opts)
{
	const char *cmd = lock ? "lock" : "unlock";
	struct target_args t = { 0 };
	struct lock_ctx c = { .lock = lock };
	int opt, status;

	while ((opt = getopt_long(argc, argv, "k:vh", opts, NULL)) != -1) {
		if (target_handle_option(&t, opt, optarg, cmd))
			continue;
		switch (opt) {
		case 'v':
			c.verbose = true;
			break;
		case 'h':
			usage(lock);
		default:
			usage_hint_option(cmd, argv, opts);
		}
	}
	target_args_finish_or_err(&t, argc - optind, argv + optind, TARGETS_SOME, cmd);
	shm_ctx_enter_or_err(ctx, cmd, false);
	status = target_each(&t.list, lock_one, &c);
	target_args_free(&t);
	return status;
}

static int run_lock(int argc, char **argv, struct shm_ctx *ctx)
{
	return run_lock_change(argc, argv, ctx, true, longopts);
}

const struct command cmd_lock = {
	.name = "lock",
	.run = run_lock,
	.summary = "lock segments in memory",
};
