/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The summary of a gc run, System V or POSIX: what was removed (or would
 * be), what was skipped and why, what the grace period and the exclusions
 * kept; on stderr, or as a JSON document of its own. */
#ifndef SHMTOOL_GC_REPORT_H
#define SHMTOOL_GC_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What happened to one candidate (the ACTION column). */
enum gc_outcome {
	GC_OUT_REMOVED,
	GC_OUT_WOULD_REMOVE,
	GC_OUT_SKIPPED,         /* not an error: not an orphan any more */
	GC_OUT_FAILED,          /* an error: exit status 1 */
};

/* Why a candidate was skipped or failed (the REASON column), counted for
 * the summary, which lists them in this order. Each kind of gc meets
 * some of them only. */
enum gc_reason {
	GC_WHY_NONE,
	GC_WHY_IN_USE,          /* attached, or mapped or open, since the scan */
	GC_WHY_REPLACED,
	GC_WHY_GONE,
	GC_WHY_REMOVED_ELSEWHERE,       /* a segment: removed (dest) since the scan */
	GC_WHY_NOT_REGULAR,     /* a POSIX name: no regular file any more */
	GC_WHY_CREATOR_UNKNOWN, /* --creator-gone cannot tell whether the
				 * creator runs */
	GC_WHY_USE_UNKNOWN,     /* a POSIX object: some processes could not be
				 * inspected, one of them may use it */
	GC_WHY_DECLINED,
	GC_WHY_PERMISSION,
	GC_WHY_ERROR,
	GC_WHY_COUNT
};

struct gc_tally {
	bool dry_run;
	int64_t older_than;             /* seconds */
	size_t selected, done, kept_young, excluded;
	uint64_t selected_bytes, done_bytes;
	/* the ones not removed, by outcome and reason ([GC_WHY_NONE] not
	 * counted): the words of the ACTION column, also in the summary */
	size_t skipped[GC_WHY_COUNT], failed[GC_WHY_COUNT];
	uint64_t skipped_bytes[GC_WHY_COUNT], failed_bytes[GC_WHY_COUNT];
	/* how this kind of gc words things */
	const char *in_use_text;                /* "attached since scan" */
	const char *young_before, *young_after; /* "idle for less than" 5m "" */
	const char *exclude_option;             /* "--exclude-key" */
};

/* "removed", "would remove", "skipped", "failed" */
const char *gc_outcome_text(enum gc_outcome out);

/* The words for a reason in this kind of gc; NULL for GC_WHY_NONE. */
const char *gc_reason_text(const struct gc_tally *t, enum gc_reason why);

/* Count one selected object: its outcome and, when it was not removed,
 * why. */
void gc_tally_add(struct gc_tally *t, uint64_t bytes, enum gc_outcome out,
		  enum gc_reason why);

/* "removed 3 segments (12K); failed 1: 1 permission denied; skipped 1:
 * 1 gone; kept 2 ..." on stderr, with the words of the ACTION column;
 * `what` names the objects ("segment", "object"). */
void gc_tally_print(const struct gc_tally *t, const char *what);

struct output_opts;

/* The summary as a table "summary" (with JSON, a document of its own
 * after the rows'): a row for what was removed (or would be), one for
 * each reason of the failed and the skipped ones, and the ones kept as
 * young or excluded; columns ACTION, REASON, COUNT, BYTES (null for the
 * kept ones). Returns 0 or -errno. */
int gc_tally_print_table(const struct gc_tally *t, const struct output_opts *o);

#endif
