/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: -o/--output column lists, for list and for gc. */
#include "out/columns.h"
#include "fuzz.h"

static void check(const char *spec, enum column_scope scope)
{
	struct column_list defaults = { .ids = { COL_KEY, COL_ID, COL_SIZE }, .n = 3 };
	struct column_list out;
	const char *bad = NULL;
	size_t badlen = 0;
	int rc = columns_parse(spec, &defaults, scope, &out, &bad, &badlen);

	fuzz_assert(rc == 0 || rc == -22 || rc == -7);
	if (rc == -22) {
		/* the unknown name lies inside the spec */
		fuzz_assert(bad >= spec && bad + badlen <= spec + strlen(spec));
		fuzz_assert(column_by_name(bad, badlen, scope) < 0);
	}
	if (rc == 0) {
		fuzz_assert(out.n >= 1 && out.n <= MAX_COLUMNS);
		for (size_t i = 0; i < out.n; i++) {
			int c = out.ids[i];

			fuzz_assert(c >= 0 && c < COL_COUNT);
			fuzz_assert(scope == SCOPE_GC || column_table[c].scope == SCOPE_ALL);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = fuzz_cstring(data, size);

	if (!spec)
		return 0;
	check(spec, SCOPE_ALL);
	check(spec, SCOPE_GC);
	free(spec);
	return 0;
}
