/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool unlock: unlock segments (SHM_UNLOCK); the code is lock.c's. */
#include <stdbool.h>

#include "cmd/commands.h"
#include "cmd/lock.h"

static const struct option longopts[] = {
	LOCK_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static int run_unlock(int argc, char **argv, struct shm_ctx *ctx)
{
	return run_lock_change(argc, argv, ctx, false, longopts);
}

const struct command cmd_unlock = {
	.name = "unlock",
	.run = run_unlock,
	.summary = "unlock segments",
};
