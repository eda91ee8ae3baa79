/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: /proc/PID/cgroup text and the cgroup path parser (unit,
 * container, pod), whose names anyone given a cgroup subtree chooses. */
#include "fuzz.h"
#include "core/cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1), *path;
	char unit[64], pod[CGROUP_POD_LEN + 1];
	struct cgroup_container c;
	const char *p;
	size_t len;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (cgroup_v2_path(buf, size, &p, &len)) {
		fuzz_assert(p >= buf && p + len <= buf + size);
		fuzz_assert(!memchr(p, '\n', len));
	}
	/* the path: the whole input as a string */
	path = strndup((const char *)data, size);
	if (path) {
		if (cgroup_unit(path, unit, sizeof(unit)))
			fuzz_assert(strlen(unit) < sizeof(unit) && strstr(path, unit));
		if (cgroup_container(path, &c))
			fuzz_assert(strlen(c.id) == CGROUP_ID_LEN && strstr(path, c.id));
		if (cgroup_pod(path, pod))
			fuzz_assert(strlen(pod) == CGROUP_POD_LEN);
		free(path);
	}
	free(buf);
	return 0;
}
