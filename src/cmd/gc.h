/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gc: one driver (gc.c) and a backend for each kind of shared memory,
 * System V segments (gc.c) and POSIX objects (gc-posix.c). The driver
 * parses the options, decides the fate of each candidate (--dry-run, the
 * question of --interactive, the removal), counts it, keeps its row and
 * prints the table and the summary; the backend finds the candidates,
 * describes one, and tells whether and how it may be removed. */
#ifndef SHMTOOL_GC_H
#define SHMTOOL_GC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/ipcns.h"
#include "core/names.h"
#include "core/orphan.h"
#include "out/gc-report.h"
#include "out/output.h"

#define GC_NAME_SIZE 300        /* "segment 42", "POSIX object NAME" */
#define GC_DETAIL_SIZE 64       /* "key 0x0000002a, 4K" */

struct gc_run;

struct gc_backend {
	const char *what;               /* the summary's noun: "segment" */
	enum column_scope scope;
	const struct column_list *columns;      /* the default ones */
	struct gc_tally words;          /* the summary's words for this kind */
	/* find the candidates, gc_take() each, gc_report(); the exit status */
	int (*run)(struct gc_run *run);
	/* "segment 42" (of which namespace, with -A), "key 0x..., 4K" */
	void (*describe)(const struct gc_run *run, const void *cand, char *name, char *detail);
	bool (*may_remove)(struct gc_run *run, const void *cand);      /* --dry-run */
	/* once decided (and the answer yes): a gc_outcome and *why, or a
	 * negative errno that ends the run */
	int (*remove)(struct gc_run *run, const void *cand, enum gc_reason *why);
};

struct gc_run {
	const struct gc_backend *be;
	void *priv;                     /* the backend's */
	struct ipcns_target *ns;        /* whose shared memory (--ipc-ns), whose right */
	struct gc_filter filter;
	bool dry_run, interactive, quiet, force;
	bool all_ns;                    /* System V: -A, in every IPC namespace */
	const char *unit, *container;   /* System V: by owner (NULL: any) */
	uid_t euid;
	enum gc_reason hold;            /* set: every candidate left is skipped for it */
	struct gc_tally tally;
	bool failed;                    /* exit status 1 */
	struct name_cache *names;
	const struct output_opts *oo;
	struct column_list cols;
	const char **action, **reason;  /* per row of the table */
	size_t nrows, action_cap, reason_cap;
};

extern const struct gc_backend gc_posix_backend;

/* Count a verdict that keeps the object (young, excluded); whether it
 * makes a candidate. */
bool gc_select(struct gc_run *run, enum gc_verdict verdict);

/* Decide a candidate's fate (and act), count it, keep its row unless
 * --quiet. 0 or a negative errno that ends the run. */
int gc_take(struct gc_run *run, const void *cand, uint64_t size, enum gc_verdict verdict);

/* Unless --quiet: the n rows (those not decided without action), then
 * the summary. 0 or -1 (reported). */
int gc_report(struct gc_run *run, const void *rows, size_t n,
	      int (*print_rows)(const struct gc_run *run, const void *rows, size_t n,
				const struct render_opts *ro));

#endif
