/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>

#include "out/format.h"
#include "out/gc-report.h"
#include "out/output.h"

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
		(out == GC_OUT_FAILED ? t->failed_bytes : t->skipped_bytes)[why] += bytes;
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

/* One row of the summary table: count and bytes are printed when known
 * (bytes NULL: unknown). */
static int add_row(struct libscols_table *tb, const char *action, const char *reason,
		   size_t count, const uint64_t *bytes)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char n[32], b[32];

	if (!ln)
		return -ENOMEM;
	snprintf(n, sizeof(n), "%zu", count);
	if (bytes)
		snprintf(b, sizeof(b), "%llu", (unsigned long long)*bytes);
	if (scols_line_set_data(ln, 0, action) || (reason && scols_line_set_data(ln, 1, reason)) ||
	    scols_line_set_data(ln, 2, n) || (bytes && scols_line_set_data(ln, 3, b)))
		return -ENOMEM;
	return 0;
}

static int add_by_reason(struct libscols_table *tb, const struct gc_tally *t,
			 enum gc_outcome out, const size_t by[GC_WHY_COUNT],
			 const uint64_t bytes[GC_WHY_COUNT])
{
	int rc = 0;

	for (int r = GC_WHY_NONE + 1; r < GC_WHY_COUNT && !rc; r++)
		if (by[r])
			rc = add_row(tb, gc_outcome_text(out), gc_reason_text(t, (enum gc_reason)r),
				     by[r], &bytes[r]);
	return rc;
}

int gc_tally_print_table(const struct gc_tally *t, const struct output_opts *o)
{
	static const struct { const char *name; int flags, json; } cols[] = {
		{ "ACTION", 0, SCOLS_JSON_STRING }, { "REASON", 0, SCOLS_JSON_STRING },
		{ "COUNT", SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
		{ "BYTES", SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	};
	struct libscols_table *tb = output_new_table(o, "summary");
	int rc = tb ? 0 : -ENOMEM;

	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]) && !rc; i++) {
		struct libscols_column *cl = scols_table_new_column(tb, cols[i].name, 0,
								    cols[i].flags);

		if (!cl || scols_column_set_json_type(cl, cols[i].json))
			rc = -ENOMEM;
	}
	if (!rc)
		rc = add_row(tb, gc_outcome_text(t->dry_run ? GC_OUT_WOULD_REMOVE : GC_OUT_REMOVED),
			     NULL, t->done, &t->done_bytes);
	if (!rc)
		rc = add_by_reason(tb, t, GC_OUT_FAILED, t->failed, t->failed_bytes);
	if (!rc)
		rc = add_by_reason(tb, t, GC_OUT_SKIPPED, t->skipped, t->skipped_bytes);
	if (!rc && t->kept_young)
		rc = add_row(tb, "kept", "young", t->kept_young, NULL);
	if (!rc && t->excluded)
		rc = add_row(tb, "kept", "excluded", t->excluded, NULL);
	if (!rc)
		rc = output_print(o, tb);
	scols_unref_table(tb);
	return rc;
}
