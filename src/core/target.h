/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a command names a segment by: an id, a key or an ftok(3) path,
 * resolved to an id by one piece of code for every command. */
#ifndef SHMTOOL_TARGET_H
#define SHMTOOL_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/io.h"

enum target_kind { TARGET_ID, TARGET_KEY, TARGET_FTOK };

struct target {
	enum target_kind kind;
	int id;
	int32_t key;            /* TARGET_KEY; TARGET_FTOK once resolved */
	char *path;             /* TARGET_FTOK */
	int proj;               /* TARGET_FTOK */
	bool key_known;         /* TARGET_FTOK: ftok succeeded */
	const char *text;       /* as the user wrote it */
};

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

/* The id a target names now. Returns 0, or a negative errno after the
 * reason on stderr ("no segment with key ...", "cannot use 'PATH' for
 * ftok: ..."); -ENOENT for a key no segment has. */
int target_resolve_or_warn(struct target *t, int *id);

/* Report a failed operation on segment id: "no segment with id 5" when it
 * is gone (EINVAL, EIDRM), else "cannot ACTION segment 5: REASON". */
void segment_warn(int id, const char *action, int rc);

/* fn(id, arg) for each target of l in turn, whatever became of the ones
 * before (a target that names no segment is said on stderr). fn returns
 * an exit status and says what went wrong itself. Returns EXIT_OK, or
 * EXIT_FAIL when one failed. */
int target_each(struct target_list *l, int (*fn)(int id, void *arg), void *arg);

/* Read segment id's size, return check(size, "segment ID", arg) if it
 * refuses (check may be NULL), else attach the segment (read-only unless
 * write), open its own file (io_segment_file; m->fd, -1 when the caller
 * may not) and return fn(m, arg), an exit status. Failures are reported
 * on stderr and give EXIT_FAIL. */
int segment_run_attached(int id, bool write, io_size_check_fn *check, io_mapped_fn *fn,
			 void *arg);

#endif
