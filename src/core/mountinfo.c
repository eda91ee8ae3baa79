/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/mountinfo.h"
#include "lib/array.h"

/* The next field of [*p, end) separated by spaces: its start and length;
 * false at the end of the line. */
static bool next_field(const char **p, const char *end, const char **f, size_t *flen)
{
	const char *s = *p, *e;

	while (s < end && *s == ' ')
		s++;
	if (s == end)
		return false;
	e = memchr(s, ' ', (size_t)(end - s));
	if (!e)
		e = end;
	*f = s;
	*flen = (size_t)(e - s);
	*p = e;
	return true;
}

/* A decimal number of exactly [s, s + len), at most max. */
static bool parse_uint(const char *s, size_t len, unsigned long max, unsigned long *v)
{
	unsigned long x = 0;

	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (unsigned long)(s[i] - '0');
		if (x > max)
			return false;
	}
	*v = x;
	return true;
}

static bool parse_dev(const char *s, size_t len, struct mountinfo_line *ml)
{
	const char *colon = memchr(s, ':', len);
	unsigned long maj, min;

	if (!colon || !parse_uint(s, (size_t)(colon - s), UINT_MAX, &maj) ||
	    !parse_uint(colon + 1, len - (size_t)(colon + 1 - s), UINT_MAX, &min))
		return false;
	ml->dev_major = (unsigned int)maj;
	ml->dev_minor = (unsigned int)min;
	return true;
}

int mountinfo_parse_line(const char *line, size_t len, struct mountinfo_line *ml)
{
	const char *p = line, *end = line + len, *f;
	size_t flen;
	unsigned long id;
	int i;

	if (len && end[-1] == '\n')
		end--;
	/* id, parent, major:minor, root, mount point, options */
	if (!next_field(&p, end, &f, &flen) || !parse_uint(f, flen, INT_MAX, &id))
		return -EINVAL;
	ml->id = (int)id;
	if (!next_field(&p, end, &f, &flen) || !next_field(&p, end, &f, &flen) ||
	    !parse_dev(f, flen, ml))
		return -EINVAL;
	if (!next_field(&p, end, &ml->root, &ml->root_len))
		return -EINVAL;
	for (i = 0; i < 2; i++)
		if (!next_field(&p, end, &f, &flen))
			return -EINVAL;
	/* optional fields ("shared:1"...) up to the lone "-" */
	do {
		if (!next_field(&p, end, &f, &flen))
			return -EINVAL;
	} while (flen != 1 || *f != '-');
	if (!next_field(&p, end, &ml->fstype, &ml->fstype_len) ||
	    !next_field(&p, end, &f, &flen))
		return -EINVAL;
	/* the options may be missing when the source is empty text */
	if (!next_field(&p, end, &ml->super, &ml->super_len)) {
		ml->super = end;
		ml->super_len = 0;
	}
	return 0;
}

int mountinfo_next_line(const char **p, const char *end, struct mountinfo_line *ml)
{
	const char *line = *p, *nl = memchr(line, '\n', (size_t)(end - line));
	const char *stop = nl ? nl + 1 : end;

	*p = stop;
	return mountinfo_parse_line(line, (size_t)(stop - line), ml);
}

int mountinfo_find(const char *text, size_t len, int id, struct mountinfo_line *ml)
{
	const char *p = text, *end = text + len;

	while (p < end)
		if (mountinfo_next_line(&p, end, ml) == 0 && ml->id == id)
			return 0;
	return -ENOENT;
}

static int cmp_id(const void *a, const void *b)
{
	const struct mount_dev *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int mount_devs_add_text(struct mount_devs *t, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		struct mountinfo_line ml;

		if (mountinfo_next_line(&p, end, &ml))
			continue;
		if (ARRAY_PUSH(t->v, t->n, t->cap, (struct mount_dev){
				.id = ml.id, .dev_major = ml.dev_major, .dev_minor = ml.dev_minor,
			}))
			return -ENOMEM;
	}
	if (t->n)
		qsort(t->v, t->n, sizeof(t->v[0]), cmp_id);
	/* a mount seen in two texts (two namespaces share it) is kept once */
	size_t kept = 0;

	for (size_t i = 0; i < t->n; i++)
		if (!kept || t->v[i].id != t->v[kept - 1].id)
			t->v[kept++] = t->v[i];
	t->n = kept;
	return 0;
}

const struct mount_dev *mount_devs_find(const struct mount_devs *t, int id)
{
	struct mount_dev key = { .id = id };

	if (!t->n)
		return NULL;
	return bsearch(&key, t->v, t->n, sizeof(t->v[0]), cmp_id);
}

void mount_devs_free(struct mount_devs *t)
{
	free(t->v);
	*t = (struct mount_devs){ 0 };
}
