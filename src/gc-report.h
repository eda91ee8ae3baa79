/* The summary of a gc run, System V or POSIX: what was removed (or would
 * be), what was skipped and why, what the grace period and the exclusions
 * kept; on stderr, or as a member of the JSON document. */
#ifndef SHMTOOL_GC_REPORT_H
#define SHMTOOL_GC_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GC_REASONS_MAX 16

struct gc_tally {
	bool dry_run;
	int64_t older_than;             /* seconds */
	size_t selected, done, kept_young, excluded;
	uint64_t selected_bytes, done_bytes;
	size_t by_reason[GC_REASONS_MAX];       /* [0]: no reason, not counted */
	/* how this kind of gc words things */
	const char *const *reason_text;         /* per reason, [0] unused */
	size_t nreasons;
	const char *young_before, *young_after; /* "idle for less than" 5m "" */
	const char *exclude_option;             /* "--exclude-key" */
};

/* Count one selected object: done (removed or would be) or skipped with
 * `reason` (1 .. nreasons - 1). */
void gc_tally_add(struct gc_tally *t, uint64_t bytes, bool done, int reason);

/* "removed 3 segments (12K); skipped 1: 1 gone; kept 2 ..." on stderr;
 * `what` names the objects ("segment", "object"). */
void gc_tally_print(const struct gc_tally *t, const char *what);

/* "\"summary\": {...}" for the JSON document; NULL without memory. */
char *gc_tally_json(const struct gc_tally *t);

#endif
