// SPDX-License-Identifier: GPL-2.0-or-later
/* The owners of a cgroup path: see cgroup.h. Anyone with a delegated
 * subtree (a user's user@UID.service, a container that may write its own
 * cgroup) can name cgroups as they like, below the point they were given.
 * So a path is read from its start, and the outermost owner wins: the one
 * that root (systemd, the runtime) made; a container is recognised only
 * where its runtime puts it, and nothing below user@UID.service is. */
#include <string.h>

#include "core/cgroup.h"

/* One component of a path: n bytes at s. */
struct comp {
	const char *s;
	size_t n;
};

/* The component after *c (the first one when c->s is NULL); false at the
 * end of the path. */
static bool next_comp(const char *path, struct comp *c)
{
	const char *p = c->s ? c->s + c->n : path;

	while (*p == '/')
		p++;
	if (!*p)
		return false;
	c->s = p;
	c->n = strcspn(p, "/");
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

/* A user's delegated subtree: user@UID.service. */
static bool is_user_manager(const struct comp *c)
{
	struct comp mid;

	return comp_strip(c, "user@", ".service", &mid) && mid.n > 0;
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

/* Whether c is a pod's cgroup, under kubepods: "kubepods[-QOS]-pod<UID>.slice"
 * (systemd) or "pod<UID>" (cgroupfs). */
static bool pod_comp(const struct comp *c, char *uid)
{
	struct comp mid;
	const char *at;

	if (comp_strip(c, "kubepods-", ".slice", &mid) && (at = memmem(mid.s, mid.n, "pod", 3)) &&
	    (at == mid.s || at[-1] == '-')) {
		mid = (struct comp){ at + 3, (size_t)(mid.s + mid.n - at - 3) };
		return pod_uid(&mid, '_', uid);
	}
	return comp_strip(c, "pod", "", &mid) && pod_uid(&mid, '-', uid);
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

	while (next_comp(path, &c)) {
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

/* Where each runtime puts its containers: the component's shape, and the
 * top-level cgroup it must be under ("kubepods": kubepods or
 * kubepods.slice, at any depth below it). */
static const struct {
	const char *prefix, *suffix, *top, *runtime;
	bool direct;            /* a child of top itself */
} shapes[] = {
	{ "docker-", ".scope", "system.slice", "docker", true },        /* systemd driver */
	{ "", "", "docker", "docker", true },                           /* cgroupfs driver */
	{ "libpod-", ".scope", "machine.slice", "podman", true },
	{ "libpod-", "", "libpod_parent", "podman", true },             /* cgroupfs */
	{ "docker-", ".scope", "kubepods", "docker", false },
	{ "cri-containerd-", ".scope", "kubepods", "containerd", false },
	{ "crio-", ".scope", "kubepods", "cri-o", false },
	{ "crio-", "", "kubepods", "cri-o", false },                     /* cgroupfs */
};

static bool is_top(const struct comp *first, const char *top)
{
	if (strcmp(top, "kubepods") == 0)
		return comp_is(first, "kubepods") || comp_is(first, "kubepods.slice");
	return comp_is(first, top);
}

bool cgroup_container(const char *path, struct cgroup_container *ct)
{
	struct comp first = { 0 }, c, prev, mid;
	char uid[CGROUP_POD_LEN + 1];
	size_t depth = 1;

	if (!next_comp(path, &first))
		return false;
	for (c = first, prev = first; next_comp(path, &c); prev = c, depth++) {
		const char *runtime = NULL;

		if (is_user_manager(&prev))
			return false;   /* the user names what is below */
		for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]) && !runtime; i++)
			if (is_top(&first, shapes[i].top) && (!shapes[i].direct || depth == 1) &&
			    comp_strip(&c, shapes[i].prefix, shapes[i].suffix, &mid) && is_id(&mid))
				runtime = shapes[i].runtime;
		/* a bare id in a pod's cgroup: a container whose runtime the
		 * path does not tell (cgroupfs driver) */
		if (!runtime && is_top(&first, "kubepods") && is_id(&c) && pod_comp(&prev, uid)) {
			mid = c;
			runtime = "";
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
	struct comp first = { 0 }, c;

	if (!next_comp(path, &first) || !is_top(&first, "kubepods"))
		return false;
	for (c = first; next_comp(path, &c);)
		if (pod_comp(&c, pod))
			return true;
	return false;
}
