#include <errno.h>
#include <limits.h>
#include <string.h>

#include "mountinfo.h"

/* The next field of [*p, end), blank-separated; -EINVAL at the end. */
static int field(const char **p, const char *end, struct mountinfo_text *t)
{
	const char *s = *p;

	while (s < end && *s == ' ')
		s++;
	if (s == end)
		return -EINVAL;
	t->p = s;
	while (s < end && *s != ' ')
		s++;
	t->len = (size_t)(s - t->p);
	*p = s;
	return 0;
}

/* A number in `base` that fills the whole field. */
static int number(const struct mountinfo_text *t, int base, uint64_t max, uint64_t *v)
{
	uint64_t n = 0;

	if (!t->len)
		return -EINVAL;
	for (size_t i = 0; i < t->len; i++) {
		char c = t->p[i];
		unsigned int d = c >= '0' && c <= '9' ? (unsigned int)(c - '0') : 99;

		if (d >= (unsigned int)base || n > (max - d) / (uint64_t)base)
			return -EINVAL;
		n = n * (uint64_t)base + d;
	}
	*v = n;
	return 0;
}

int mountinfo_text_is(const struct mountinfo_text *t, const char *s)
{
	return strlen(s) == t->len && memcmp(t->p, s, t->len) == 0;
}

int mountinfo_parse_line(const char *line, size_t len, struct mountinfo_entry *e)
{
	const char *p = line, *end = line + len;
	struct mountinfo_text id, parent, dev, opt, minor = { 0 };
	uint64_t major_v, minor_v;
	const char *colon;

	if (len && end[-1] == '\n')
		end--;
	/* 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue */
	if (field(&p, end, &id) || field(&p, end, &parent) || field(&p, end, &dev) ||
	    field(&p, end, &e->root) || field(&p, end, &e->mount_point) ||
	    field(&p, end, &opt))
		return -EINVAL;
	/* optional fields, up to the lone "-" */
	do {
		if (field(&p, end, &opt))
			return -EINVAL;
	} while (!mountinfo_text_is(&opt, "-"));
	if (field(&p, end, &e->fstype) || field(&p, end, &e->source) ||
	    field(&p, end, &e->super_options))
		return -EINVAL;
	colon = memchr(dev.p, ':', dev.len);
	if (!colon)
		return -EINVAL;
	minor.p = colon + 1;
	minor.len = dev.len - (size_t)(minor.p - dev.p);
	dev.len = (size_t)(colon - dev.p);
	if (number(&id, 10, UINT64_MAX, &e->mnt_id) ||
	    number(&parent, 10, UINT64_MAX, &e->parent_id) ||
	    number(&dev, 10, UINT_MAX, &major_v) || number(&minor, 10, UINT_MAX, &minor_v))
		return -EINVAL;
	e->major = (unsigned int)major_v;
	e->minor = (unsigned int)minor_v;
	return 0;
}

int mountinfo_find(const char *text, size_t len, uint64_t mnt_id, struct mountinfo_entry *e)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (mountinfo_parse_line(p, n, e) == 0 && e->mnt_id == mnt_id)
			return 0;
		p += nl ? n + 1 : n;
	}
	return -ENOENT;
}
