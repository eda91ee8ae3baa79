#include <stdio.h>
#include <stdlib.h>

#include "format.h"
#include "gc-report.h"

void gc_tally_add(struct gc_tally *t, uint64_t bytes, bool done, int reason)
{
	t->selected++;
	t->selected_bytes += bytes;
	if (done) {
		t->done++;
		t->done_bytes += bytes;
	} else if (reason > 0 && (size_t)reason < t->nreasons) {
		t->by_reason[reason]++;
	}
}

void gc_tally_print(const struct gc_tally *t, const char *what)
{
	char human[32];
	size_t skipped = 0;
	const char *sep = ": ";

	fmt_size_human(human, sizeof(human), t->done_bytes);
	fprintf(stderr, "%s %zu %s%s (%s)", t->dry_run ? "would remove" : "removed",
		t->done, what, t->done == 1 ? "" : "s", human);
	for (size_t r = 1; r < t->nreasons; r++)
		skipped += t->by_reason[r];
	if (skipped) {
		fprintf(stderr, "; skipped %zu", skipped);
		for (size_t r = 1; r < t->nreasons; r++) {
			if (t->by_reason[r]) {
				fprintf(stderr, "%s%zu %s", sep, t->by_reason[r], t->reason_text[r]);
				sep = ", ";
			}
		}
	}
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

char *gc_tally_json(const struct gc_tally *t)
{
	char *s = NULL, *reasons = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&reasons, &len);
	const char *sep = "";

	if (!f)
		return NULL;
	for (size_t r = 1; r < t->nreasons; r++) {
		if (t->by_reason[r]) {
			fprintf(f, "%s\"%s\": %zu", sep, t->reason_text[r], t->by_reason[r]);
			sep = ", ";
		}
	}
	if (fclose(f) != 0)
		return NULL;
	if (asprintf(&s, "\"summary\": {\"dry_run\": %s, \"selected\": %zu, "
		     "\"selected_bytes\": %llu, \"removed\": %zu, \"removed_bytes\": %llu, "
		     "\"skipped\": {%s}, \"kept_young\": %zu, \"excluded\": %zu, "
		     "\"older_than\": %lld}",
		     t->dry_run ? "true" : "false", t->selected,
		     (unsigned long long)t->selected_bytes,
		     t->dry_run ? 0 : t->done,
		     (unsigned long long)(t->dry_run ? 0 : t->done_bytes),
		     reasons ? reasons : "", t->kept_young, t->excluded,
		     (long long)t->older_than) < 0)
		s = NULL;
	free(reasons);
	return s;
}
