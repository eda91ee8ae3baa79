/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/proc-shm.h"

/* Read one unsigned decimal (or octal) number; fails on overflow. */
static int next_u64(const char **p, unsigned base, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s >= (char)('0' + base))
		return -EINVAL;
	/* overflow checked without a division per digit */
	for (; *s >= '0' && *s < (char)('0' + base); s++)
		if (__builtin_mul_overflow(v, base, &v) ||
		    __builtin_add_overflow(v, (unsigned)(*s - '0'), &v))
			return -ERANGE;
	if (*s && *s != ' ' && *s != '\t' && *s != '\n')
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

static int next_i64(const char **p, int64_t min, int64_t max, int64_t *out)
{
	const char *s = *p;
	bool neg = false;
	uint64_t v;
	int rc;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-') {
		neg = true;
		s++;
		if (*s < '0' || *s > '9')
			return -EINVAL;
	}
	rc = next_u64(&s, 10, &v);
	if (rc)
		return rc;
	if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX)
		return -ERANGE;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	if (*out < min || *out > max)
		return -ERANGE;
	*p = s;
	return 0;
}

static int next_u32(const char **p, uint32_t *out)
{
	uint64_t v;
	int rc = next_u64(p, 10, &v);

	if (rc)
		return rc;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

int proc_shm_parse_line(const char *line, struct shm_segment *seg)
{
	struct shm_segment s = { 0 };
	const char *p = line;
	int64_t key, id;
	uint64_t mode, cpid, lpid, atime, dtime, ctime;
	uint32_t uid, gid, cuid, cgid;

	if (next_i64(&p, INT32_MIN, UINT32_MAX, &key) ||
	    next_i64(&p, 0, INT_MAX, &id) ||
	    next_u64(&p, 8, &mode) || mode > 07777 ||
	    next_u64(&p, 10, &s.size) ||
	    next_u64(&p, 10, &cpid) || cpid > INT_MAX ||
	    next_u64(&p, 10, &lpid) || lpid > INT_MAX ||
	    next_u64(&p, 10, &s.nattch) ||
	    next_u32(&p, &uid) || next_u32(&p, &gid) ||
	    next_u32(&p, &cuid) || next_u32(&p, &cgid) ||
	    next_u64(&p, 10, &atime) || atime > INT64_MAX ||
	    next_u64(&p, 10, &dtime) || dtime > INT64_MAX ||
	    next_u64(&p, 10, &ctime) || ctime > INT64_MAX)
		return -EINVAL;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p && *p != '\n') {
		if (next_u64(&p, 10, &s.rss) || next_u64(&p, 10, &s.swap))
			return -EINVAL;
		s.has_memory = true;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p && *p != '\n')
			return -EINVAL;
	}

	s.key = (int32_t)(uint32_t)(key & 0xffffffff);
	s.id = (int)id;
	s.mode = (unsigned)mode;
	s.cpid = (pid_t)cpid;
	s.lpid = (pid_t)lpid;
	s.uid = uid;
	s.gid = gid;
	s.cuid = cuid;
	s.cgid = cgid;
	s.atime = (int64_t)atime;
	s.dtime = (int64_t)dtime;
	s.ctime = (int64_t)ctime;
	*seg = s;
	return 0;
}

int proc_shm_each(FILE *f, shm_visit_fn *fn, void *ctx)
{
	char *line = NULL;
	size_t len = 0;
	int skipped = 0;
	int rc = 0;

	errno = 0;
	while (getline(&line, &len, f) != -1) {
		struct shm_segment seg;

		if (proc_shm_parse_line(line, &seg) != 0) {
			if (skipped < INT_MAX)
				skipped++;
			continue;
		}
		rc = fn(&seg, ctx);
		if (rc)
			break;
	}
	if (!rc && ferror(f))
		rc = errno ? -errno : -EIO;
	free(line);
	return rc ? rc : skipped;
}
