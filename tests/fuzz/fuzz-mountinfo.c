/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: the mountinfo line parser and the mount table built from
 * a whole text, the fdinfo parser, and the options of a proc mount. */
#include <limits.h>

#include "fuzz.h"
#include "core/mountinfo.h"
#include "core/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exactly the input's bytes, no terminator: the parsers take a length */
	char *buf = malloc(size ? size : 1);
	struct mount_devs t = { 0 };
	struct mountinfo_line ml;
	struct procfs_fdinfo fi;
	struct procfs_proc_opts po;
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = mountinfo_parse_line(buf, size, &ml);
	fuzz_assert(rc == 0 || rc == -22);
	if (rc == 0) {
		fuzz_assert(ml.id >= 0);
		fuzz_assert(ml.fstype >= buf && ml.fstype + ml.fstype_len <= buf + size);
		fuzz_assert(ml.super >= buf && ml.super + ml.super_len <= buf + size);
		fuzz_assert(ml.fstype_len > 0);
	}
	fuzz_assert(mount_devs_add_text(&t, buf, size) == 0);
	for (size_t i = 0; i < t.n; i++) {
		fuzz_assert(i == 0 || t.v[i - 1].id <= t.v[i].id);
		fuzz_assert(mount_devs_find(&t, t.v[i].id)->id == t.v[i].id);
	}
	mount_devs_free(&t);

	rc = procfs_parse_fdinfo(buf, size, &fi);
	fuzz_assert(rc == 0 || rc == -22);
	if (rc == 0 && fi.has_mnt_id)
		fuzz_assert(fi.mnt_id >= 0);
	rc = procfs_parse_proc_opts(buf, size, &po);
	fuzz_assert(rc == 0 || rc == -22);
	rc = procfs_proc_mount_opts(buf, size, 60, &po);
	fuzz_assert(rc == 0 || rc == -22 || rc == -2);
	free(buf);
	return 0;
}
