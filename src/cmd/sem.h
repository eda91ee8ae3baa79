/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --sem, --sem-ftok, --sem-num and --wait of cat and attach-write: the
 * System V semaphore the programs sharing a segment take around each
 * read or write, held for as long as the copy takes. */
#ifndef SHMTOOL_CMD_SEM_H
#define SHMTOOL_CMD_SEM_H

#include <stdbool.h>

#include "core/io.h"
#include "core/sem.h"

#define SEM_OPTION_FIRST 0x300
#define SEM_LONGOPTS \
	{ "sem",      required_argument, NULL, SEM_OPTION_FIRST }, \
	{ "sem-ftok", required_argument, NULL, SEM_OPTION_FIRST + 1 }, \
	{ "sem-num",  required_argument, NULL, SEM_OPTION_FIRST + 2 }, \
	{ "wait",     required_argument, NULL, SEM_OPTION_FIRST + 3 }

#define SEM_HELP \
	"      --sem KEY           hold the System V semaphore of the set KEY while\n" \
	"                          copying (-1 with SEM_UNDO before, +1 after)\n" \
	"      --sem-ftok PATH[:PROJ]  the set by the key ftok(3) gives\n" \
	"      --sem-num N         the semaphore N of the set (default 0)\n" \
	"      --wait TIME         wait at most TIME for it (0.2, 5s, 500ms, 1m;\n" \
	"                          0: try once; default: as long as it takes)\n"

struct sem_opts {
	bool on;                /* --sem or --sem-ftok given */
	struct sem_guard g;
	const char *wait_text;  /* --wait as given, for messages */
	bool has_num, has_wait;
};

/* Handle one of the options above; returns 1 if c was one. Exits with
 * status 2 on a bad value, and (sem_opts_finish_or_err) on --sem-num or
 * --wait without --sem. */
int sem_handle_option(struct sem_opts *s, int c, const char *arg, const char *cmd);
void sem_opts_finish_or_err(const struct sem_opts *s, const char *cmd);

/* fn(m, arg) with the semaphore held when one was asked for: found, then
 * taken (each failure said on stderr, exit status 1, fn not called),
 * given back after. */
int sem_run(struct sem_opts *s, io_mapped_fn *fn, const struct io_mapped *m, void *arg);

#endif
