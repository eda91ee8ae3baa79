/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lock and unlock: one command each (lock.c, unlock.c), one run. */
#ifndef SHMTOOL_LOCK_H
#define SHMTOOL_LOCK_H

#include <stdbool.h>

#include "cmd/ctx.h"

#include <getopt.h>

#include "cmd/args.h"

/* The options of both: "k:vh" and these. */
#define LOCK_LONGOPTS \
	{ "key",     required_argument, NULL, 'k' }, \
	{ "ftok",    required_argument, NULL, TARGET_FTOK_OPTION }, \
	{ "verbose", no_argument,       NULL, 'v' }, \
	{ "help",    no_argument,       NULL, 'h' }

/* shmtool lock (lock true) or unlock, whose options table is opts:
 * its options, then each segment. */
int run_lock_change(int argc, char **argv, struct shm_ctx *ctx, bool lock,
		    const struct option *opts);

#endif
