/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>

#include "format.h"
#include "gc-report.h"

const char *gc_outcome_text(enum gc_outcome out)
{
	static const char *const text[] = {
		[GC_OUT_REMOVED] = "removed",
		[GC_OUT_WOULD_REMOVE] = "would remove",
		[GC_OUT_SKIPPED] = "skipped",
		[GC_OUT_FAILED] = "failed",
	};

	return text[out];
}

const char *gc_reason_text(const struct gc_tally *t, enum gc_reason why)
{
	static const char *const text[GC_WHY_COUNT] = {
		[GC_WHY_NONE] = NULL,
		[GC_WHY_REPLACED] = "replaced",
		[GC_WHY_GONE] = "gone",
		[GC_WHY_REMOVED_ELSEWHERE] = "removed since scan",
		[GC_WHY_NOT_REGULAR] = "not a regular file",
		[GC_WHY_CREATOR_UNKNOWN] = "creator unknown",
		[GC_WHY_USE_UNKNOWN] = "use unknown",
		[GC_WHY_DECLINED] = "declined",
		[GC_WHY_PERMISSION] = "permission denied",
		[GC_WHY_ERROR] = "error",
	};

	return why == GC_WHY_IN_USE ? t->in_use_text : text[why];
}

void gc_tally_add(struct gc_tally *t, uint64_t bytes, enum gc_outcome out,
		  enum gc_reason why)
{
	t->selected++;
	t->selected_bytes += bytes;
	if (out == GC_OUT_REMOVED || out == GC_OUT_WOULD_REMOVE) {
		t->done++;
		t->done_bytes += bytes;
	} else if (why > GC_WHY_NONE && why < GC_WHY_COUNT) {
		(out == GC_OUT_FAILED ? t->failed : t->skipped)[why]++;
	}
}

/* "; failed 2: 1 permission denied, 1 error" for the counts by reason */
static void print_by_reason(const struct gc_tally *t, const char *word,
			    const size_t by[GC_WHY_COUNT])
{
	size_t n = 0;
	const char *sep = ": ";

	for (int r = GC_WHY_NONE + 1; r < GC_WHY_COUNT; r++)
		n += by[r];
	if (!n)
		return;
	fprintf(stderr, "; %s %zu", word, n);
	for (int r = GC_WHY_NONE + 1; r < GC_WHY_COUNT; r++) {
		if (by[r]) {
			fprintf(stderr, "%s%zu %s", sep, by[r], gc_reason_text(t, (enum gc_reason)r));
			sep = ", ";
		}
	}
}

void gc_tally_print(const struct gc_tally *t, const char *what)
{
	char human[32];

	fmt_size_human(human, sizeof(human), t->done_bytes);
	fprintf(stderr, "%s %zu %s%s (%s)", t->dry_run ? "would remove" : "removed",
		t->done, what, t->done == 1 ? "" : "s", human);
	print_by_reason(t, gc_outcome_text(GC_OUT_FAILED), t->failed);
	print_by_reason(t, gc_outcome_text(GC_OUT_SKIPPED), t->skipped);
	if (t->kept_young) {
		char dur[32];

		fmt_duration(dur, sizeof(dur), t->older_than);
		fprintf(stderr, "; kept %zu %s %s%s", t->kept_young, t->young_before, dur,
			t->young_after);
	}
	if (t->excluded)
		fprintf(stderr, "; kept %zu by %s", t->excluded, t->exclude_option);
	fputc('\n', stderr);
}

/* "\"gone\": 1, \"error\": 2" of the counts by reason; NULL without
 * memory. */
static char *json_by_reason(const struct gc_tally *t, const size_t by[GC_WHY_COUNT])
{
	char *reasons = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&reasons, &len);
	const char *sep = "";

	if (!f)
		return NULL;
	for (int r = GC_WHY_NONE + 1; r < GC_WHY_COUNT; r++) {
		if (by[r]) {
			fprintf(f, "%s\"%s\": %zu", sep, gc_reason_text(t, (enum gc_reason)r),
				by[r]);
			sep = ", ";
		}
	}
	if (fclose(f) != 0) {
		free(reasons);
		return NULL;
	}
	return reasons;
}

char *gc_tally_json(const struct gc_tally *t)
{
	char *s = NULL, *reasons = json_by_reason(t, t->skipped);
	char *failures = json_by_reason(t, t->failed);

	if (!reasons || !failures) {
		free(reasons);
		free(failures);
		return NULL;
	}
	if (asprintf(&s, "\"summary\": {\"dry_run\": %s, \"selected\": %zu, "
		     "\"selected_bytes\": %llu, \"removed\": %zu, \"removed_bytes\": %llu, "
		     "\"failed\": {%s}, \"skipped\": {%s}, \"kept_young\": %zu, "
		     "\"excluded\": %zu, \"older_than\": %lld}",
		     t->dry_run ? "true" : "false", t->selected,
		     (unsigned long long)t->selected_bytes,
		     t->dry_run ? 0 : t->done,
		     (unsigned long long)(t->dry_run ? 0 : t->done_bytes),
		     failures, reasons, t->kept_young, t->excluded,
		     (long long)t->older_than) < 0)
		s = NULL;
	free(reasons);
	free(failures);
	return s;
}
