// SPDX-License-Identifier: GPL-2.0-or-later
/* The owners of a cgroup path: see cgroup.h. A path is read one
 * component at a time from its end, so the innermost owner wins. */
#include <string.h>

#include "core/cgroup.h"

/* One component of a path: n bytes at s. */
struct comp {
	const char *s;
	size_t n;
};

/* The component before *c (the last one when c->s is NULL); false at the
 * start of the path. */
static bool prev_comp(const char *path, struct comp *c)
{
	const char *end = c->s ? c->s : path + strlen(path);

	while (end > path && end[-1] == '/')
		end--;
	if (end == path)
		return false;
	c->s = end;
	while (c->s > path && c->s[-1] != '/')
		c->s--;
	c->n = (size_t)(end - c->s);
	return true;
}

static bool comp_is(const struct comp *c, const char *s)
{
	return c->n == strlen(s) && memcmp(c->s, s, c->n) == 0;
}

/* The middle of c between prefix and suffix, or false. */
static bool comp_strip(const struct comp *c, const char *prefix, const char *suffix,
		       struct comp *mid)
{
	size_t p = strlen(prefix), s = strlen(suffix);

	if (c->n < p + s || memcmp(c->s, prefix, p) || memcmp(c->s + c->n - s, suffix, s))
		return false;
	*mid = (struct comp){ c->s + p, c->n - p - s };
	return true;
}

static bool is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

static bool is_id(const struct comp *c)
{
	if (c->n != CGROUP_ID_LEN)
		return false;
	for (size_t i = 0; i < c->n; i++)
		if (!is_hex(c->s[i]))
			return false;
	return true;
}

/* A pod UID with dash (cgroupfs) or '_' (systemd slices) between its
 * 8-4-4-4-12 groups, copied with dashes. */
static bool pod_uid(const struct comp *c, char dash, char *out)
{
	if (c->n != CGROUP_POD_LEN)
		return false;
	for (size_t i = 0; i < c->n; i++) {
		bool sep = i == 8 || i == 13 || i == 18 || i == 23;

		if (sep ? c->s[i] != dash : !is_hex(c->s[i]))
			return false;
		out[i] = sep ? '-' : c->s[i];
	}
	out[c->n] = '\0';
	return true;
}

/* Whether c is a pod's cgroup: "pod<UID>" under kubepods (cgroupfs), or
 * "kubepods[-QOS]-pod<UID>.slice" (systemd). */
static bool pod_comp(const char *path, const struct comp *c, char *uid)
{
	const char *at = memmem(c->s, c->n, "-pod", 4);
	struct comp mid;

	if (comp_strip(c, "kubepods-", ".slice", &mid) && at) {
		mid = (struct comp){ at + 4, (size_t)(c->s + c->n - strlen(".slice") - at - 4) };
		return pod_uid(&mid, '_', uid);
	}
	/* cgroupfs: an ancestor is "kubepods" */
	if (!comp_strip(c, "pod", "", &mid) || !pod_uid(&mid, '-', uid))
		return false;
	for (struct comp a = *c; prev_comp(path, &a);)
		if (comp_is(&a, "kubepods"))
			return true;
	return false;
}

bool cgroup_v2_path(const char *buf, size_t len, const char **path, size_t *plen)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		if (eol - p >= 3 && memcmp(p, "0::", 3) == 0) {
			*path = p + 3;
			*plen = (size_t)(eol - p - 3);
			/* the kernel writes it last: text after it is the rest
			 * of a path that holds a newline */
			return !nl || nl + 1 == end;
		}
		p = eol + 1;
	}
	return false;
}

bool cgroup_unit(const char *path, char *unit, size_t sz)
{
	struct comp c = { 0 }, mid;

	while (prev_comp(path, &c)) {
		if ((comp_strip(&c, "", ".service", &mid) || comp_strip(&c, "", ".scope", &mid)) &&
		    mid.n > 0) {
			if (c.n >= sz)
				return false;
			memcpy(unit, c.s, c.n);
			unit[c.n] = '\0';
			return true;
		}
	}
	return false;
}

/* The runtimes' own names for a container's cgroup. */
static const struct {
	const char *prefix, *suffix, *runtime;
} shapes[] = {
	{ "docker-", ".scope", "docker" },              /* systemd driver */
	{ "libpod-", ".scope", "podman" },
	{ "libpod-", "", "podman" },                    /* cgroupfs: libpod_parent */
	{ "cri-containerd-", ".scope", "containerd" },
	{ "crio-", ".scope", "cri-o" },
	{ "crio-", "", "cri-o" },                       /* cgroupfs */
};

bool cgroup_container(const char *path, struct cgroup_container *ct)
{
	struct comp c = { 0 }, mid;
	char uid[CGROUP_POD_LEN + 1];

	while (prev_comp(path, &c)) {
		const char *runtime = NULL;

		for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]) && !runtime; i++)
			if (comp_strip(&c, shapes[i].prefix, shapes[i].suffix, &mid) && is_id(&mid))
				runtime = shapes[i].runtime;
		if (!runtime && is_id(&c)) {
			/* a bare id: docker's cgroupfs driver, or a pod's container */
			struct comp parent = c;

			mid = c;
			if (prev_comp(path, &parent)) {
				if (comp_is(&parent, "docker"))
					runtime = "docker";
				else if (pod_comp(path, &parent, uid))
					runtime = "";
			}
		}
		if (runtime) {
			ct->runtime = runtime;
			memcpy(ct->id, mid.s, CGROUP_ID_LEN);
			ct->id[CGROUP_ID_LEN] = '\0';
			return true;
		}
	}
	return false;
}

bool cgroup_pod(const char *path, char pod[static CGROUP_POD_LEN + 1])
{
	struct comp c = { 0 };

	while (prev_comp(path, &c))
		if (pod_comp(path, &c, pod))
			return true;
	return false;
}
