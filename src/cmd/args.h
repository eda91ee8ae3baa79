/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The arguments that several commands take: what names a segment (-k,
 * --ftok, ids) or a POSIX object (--posix NAME), checked as the options
 * are parsed. A bad one is a usage error of the command (exit status 2). */
#ifndef SHMTOOL_ARGS_H
#define SHMTOOL_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/target.h"

/* The name of arg (NAME or /NAME, as shm_open(3) takes it) without the
 * slash; a bad one is a usage error of cmd (exit status 2). */
const char *posix_name_or_err(const char *arg, const char *cmd);

/* An option of System V segments given with --posix: a usage error of
 * cmd naming it ("--key does not apply to POSIX objects"). */
void posix_refuse_or_err(const char *cmd, const char *option);

struct target_list {
	struct target *v;
	size_t n, cap;
};

/* What the command line of a command that names segments gives: -k KEY
 * and --ftok PATH[:PROJ] (each a target), --posix (POSIX objects by name
 * instead), then the ids, or with --posix the names. */
struct target_args {
	struct target_list list;        /* -k and --ftok in order, then the ids */
	bool posix;                     /* --posix */
	const char *sysv_only;          /* the last option given that --posix
					 * refuses, without "--": "key" */
	const char **names;             /* --posix: the names given, checked */
	size_t nnames;
};

/* The options every command that names segments takes: "k:" and, in
 * longopts[], TARGET_LONGOPTS. */
#define TARGET_FTOK_OPTION 0x200
#define TARGET_POSIX_OPTION 0x201
#define TARGET_LONGOPTS \
	{ "key",   required_argument, NULL, 'k' }, \
	{ "ftok",  required_argument, NULL, TARGET_FTOK_OPTION }, \
	{ "posix", no_argument,       NULL, TARGET_POSIX_OPTION }

/* Handle -k, --ftok and --posix; returns 1 if c was one of them. Exits
 * with status 2 on a bad key or ftok path. */
int target_handle_option(struct target_args *a, int c, const char *arg, const char *cmd);

/* How many targets a command acts on. */
enum target_count { TARGETS_ONE, TARGETS_SOME };

/* The usage error of n targets for a command that wants `count` of them,
 * segments or POSIX objects: "no segment given"... or NULL when n is
 * right. Pure. */
const char *target_count_error(size_t n, bool posix, enum target_count count);

/* After the options, the n arguments left (args): with --posix the
 * names of POSIX objects, checked, into a->names; else ids, appended to
 * a->list. A usage error exits with status 2: with --posix an option it
 * refuses, then the count, then each name; else each id, then the count
 * (keys included). */
void target_args_finish_or_err(struct target_args *a, int n, char **args,
			       enum target_count count, const char *cmd);

void target_args_free(struct target_args *a);

/* fn(id, arg) for each target of l in turn, whatever became of the ones
 * before (a target that names no segment is said on stderr). fn returns
 * an exit status and says what went wrong itself. Returns EXIT_OK, or
 * EXIT_FAIL when one failed. */
int target_each(struct target_list *l, int (*fn)(int id, void *arg), void *arg);

#endif
