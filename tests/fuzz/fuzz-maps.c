/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: the /proc/PID/maps line parser and the attach table built
 * from a whole maps text, with its formatters. */
#include <limits.h>

#include "core/attach.h"
#include "fuzz.h"

static const char *name_of(void *ctx, pid_t pid)
{
	(void)ctx;
	return pid % 2 ? "odd" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exactly the input's bytes, no terminator: the parser takes a length */
	char *buf = malloc(size ? size : 1);
	struct attach_table t = { 0 };
	struct attach_buf b = { 0 };
	struct maps_line ml;
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	t.devs = (struct attach_devs){ .n = 2, .v = { { 0, 1 }, { 0, 0x11 } } };
	rc = attach_parse_maps_line(buf, size, &t.devs, &ml);
	fuzz_assert(rc == 1 || rc == 0 || rc == -22 || rc == -34);
	if (rc >= 0 || rc == -34) {
		fuzz_assert(ml.name >= buf && ml.name + ml.namelen <= buf + size);
		fuzz_assert(ml.end >= ml.start);
		fuzz_assert(strchr("rwxsp-", ml.perms[0]) && ml.perms[0] != '\0');
	}
	if (rc == 1) {
		fuzz_assert(ml.inode <= INT_MAX && ml.deleted);
		fuzz_assert(attach_devs_has(&t.devs, ml.dev_major, ml.dev_minor));
		fuzz_assert(ml.namelen == strlen("/SYSV00000000 (deleted)"));
	}
	/* no device: no segment */
	fuzz_assert(attach_parse_maps_line(buf, size, NULL, &ml) != 1);

	/* the same bytes as the maps of two processes */
	rc = attach_add_maps(&t, 100, buf, size);
	fuzz_assert(rc >= 0);
	rc = attach_add_maps(&t, 7, buf, size / 2);
	fuzz_assert(rc >= 0);
	fuzz_assert(attach_table_index(&t) == 0);
	for (size_t i = 0; i < t.nsegs; i++) {
		const struct attach_seg *s = &t.segs[i];
		uint64_t maps = 0;

		fuzz_assert(attach_find(&t, s->shmid) == s);
		fuzz_assert(s->nprocs >= 1 && s->nprocs <= 2);
		for (size_t j = 0; j < s->nprocs; j++) {
			/* each process once, in pid order */
			fuzz_assert(j == 0 || s->procs[j].pid > s->procs[j - 1].pid);
			fuzz_assert(attach_format_ranges(&s->procs[j], &b) == 0);
			fuzz_assert(strlen(b.p) == b.len);
			fuzz_assert(attach_access_text(s->procs[j].access)[0] != '\0');
			maps += s->procs[j].nmaps;
		}
		fuzz_assert(maps == s->mappings);
		fuzz_assert(!attach_is_partial(s, s->mappings));
		fuzz_assert(attach_format_attached(s, i % 2, ',', NULL, NULL, &b) == 0);
		fuzz_assert(attach_format_attached(s, true, ',', name_of, NULL, &b) == 0);
		fuzz_assert(b.len >= 4 && memcmp(b.p + b.len - 4, ",...", 4) == 0);
	}
	attach_buf_free(&b);
	attach_table_free(&t);
	free(buf);
	return 0;
}
