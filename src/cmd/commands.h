/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The subcommands: one file each, src/cmd/<name>.c, which defines its
 * descriptor. A new command: write src/cmd/<name>.c with usage(), its
 * longopts[] and shortopts, its run function and `const struct command
 * cmd_<name>`; declare it here; list it in src/shmtool.c's table; add
 * it to Makefile.am, man/shmtool-<name>.1 and the three completions
 * (tests/cli/man.sh and the completion tests check those). Its run
 * function parses its options, then calls shm_ctx_enter_or_err() before
 * it reads or changes anything (tests/cli/ipcns.sh checks that every
 * command does). */
#ifndef SHMTOOL_COMMANDS_H
#define SHMTOOL_COMMANDS_H

#include "cmd/ctx.h"

struct command {
	const char *name;
	/* returns the exit status; argv[0] is "shmtool NAME" */
	int (*run)(int argc, char **argv, struct shm_ctx *ctx);
	const char *summary;    /* its line in shmtool --help */
};

extern const struct command cmd_create;
extern const struct command cmd_attach_write;
extern const struct command cmd_cat;
extern const struct command cmd_list;
extern const struct command cmd_stat;
extern const struct command cmd_rm;
extern const struct command cmd_gc;
extern const struct command cmd_chmod;
extern const struct command cmd_chown;
extern const struct command cmd_lock;
extern const struct command cmd_unlock;
extern const struct command cmd_ftok;
extern const struct command cmd_namespaces;
extern const struct command cmd_limits;
extern const struct command cmd_metrics;

#endif
