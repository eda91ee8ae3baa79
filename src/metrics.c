#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"

static int cmp_owner(const void *a, const void *b)
{
	const struct metrics_owner *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

static struct metrics_owner *owner_of(struct metrics *m, uid_t uid, size_t *cap)
{
	for (size_t i = 0; i < m->nowners; i++)
		if (m->owners[i].uid == uid)
			return &m->owners[i];
	if (m->nowners == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct metrics_owner *v = reallocarray(m->owners, ncap, sizeof(*v));

		if (!v)
			return NULL;
		m->owners = v;
		*cap = ncap;
	}
	m->owners[m->nowners] = (struct metrics_owner){ .uid = uid };
	return &m->owners[m->nowners++];
}

int metrics_collect(struct metrics *m, const struct shm_segment *segs, size_t n)
{
	size_t cap = 0;

	for (size_t i = 0; i < n; i++) {
		const struct shm_segment *s = &segs[i];
		struct metrics_owner *o = owner_of(m, s->uid, &cap);

		if (!o)
			return -ENOMEM;
		m->segments++;
		m->bytes += s->size;
		o->segments++;
		o->bytes += s->size;
		if (s->size > m->largest)
			m->largest = s->size;
		if (seg_is_orphaned(s)) {
			m->orphans++;
			m->orphan_bytes += s->size;
			o->orphans++;
			o->orphan_bytes += s->size;
		}
		if (seg_is_dest(s))
			m->removed++;
	}
	if (m->nowners)
		qsort(m->owners, m->nowners, sizeof(m->owners[0]), cmp_owner);
	return 0;
}

void metrics_free(struct metrics *m)
{
	free(m->owners);
	*m = (struct metrics){ 0 };
}

void metrics_put_label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void gauge(FILE *f, const char *name, const char *help, uint64_t v)
{
	family(f, name, help);
	fprintf(f, "%s %" PRIu64 "\n", name, v);
}

static void ratio(FILE *f, const char *name, const char *help, uint64_t used, uint64_t limit)
{
	family(f, name, help);
	fprintf(f, "%s %.6g\n", name, limit ? (double)used / (double)limit : 0.0);
}

enum owner_field { OWNER_SEGMENTS, OWNER_BYTES, OWNER_ORPHANS, OWNER_ORPHAN_BYTES };

static void per_owner(FILE *f, const struct metrics *m, const char *name, const char *help,
		      enum owner_field field)
{
	family(f, name, help);
	for (size_t i = 0; i < m->nowners; i++) {
		const struct metrics_owner *o = &m->owners[i];
		uint64_t v = field == OWNER_SEGMENTS ? o->segments :
			     field == OWNER_BYTES ? o->bytes :
			     field == OWNER_ORPHANS ? o->orphans : o->orphan_bytes;

		fprintf(f, "%s{uid=\"%u\",user=\"", name, (unsigned int)o->uid);
		if (o->user)
			metrics_put_label_value(f, o->user);
		else
			fprintf(f, "%u", (unsigned int)o->uid);
		fprintf(f, "\"} %" PRIu64 "\n", v);
	}
}

int metrics_write(FILE *f, const struct metrics *m)
{
	gauge(f, "shmtool_segments", "System V shared memory segments.", m->segments);
	gauge(f, "shmtool_segment_bytes", "Bytes in all segments.", m->bytes);
	gauge(f, "shmtool_orphaned_segments",
	      "Segments nobody is attached to and not removed.", m->orphans);
	gauge(f, "shmtool_orphaned_bytes", "Bytes in orphaned segments.", m->orphan_bytes);
	gauge(f, "shmtool_removed_segments",
	      "Segments removed while attached, destroyed at their last detach.", m->removed);
	gauge(f, "shmtool_largest_segment_bytes", "Bytes of the largest segment.", m->largest);
	per_owner(f, m, "shmtool_owner_segments", "Segments per owner.", OWNER_SEGMENTS);
	per_owner(f, m, "shmtool_owner_bytes", "Bytes in the segments per owner.", OWNER_BYTES);
	per_owner(f, m, "shmtool_owner_orphaned_segments", "Orphaned segments per owner.",
		  OWNER_ORPHANS);
	per_owner(f, m, "shmtool_owner_orphaned_bytes", "Bytes in orphaned segments per owner.",
		  OWNER_ORPHAN_BYTES);
	if (m->has_pages)
		gauge(f, "shmtool_segment_pages",
		      "Pages in all segments, counted against shmall.", m->pages);
	if (m->has_limits) {
		const struct sysv_limits *l = &m->limits;

		gauge(f, "shmtool_limit_shmmax_bytes",
		      "Largest segment allowed (kernel.shmmax).", l->shmmax);
		gauge(f, "shmtool_limit_shmall_pages",
		      "Pages allowed in all segments (kernel.shmall).", l->shmall);
		gauge(f, "shmtool_limit_shmmni_segments",
		      "Segments allowed (kernel.shmmni).", l->shmmni);
		ratio(f, "shmtool_limit_shmmax_used_ratio",
		      "The largest segment over kernel.shmmax.", m->largest, l->shmmax);
		if (m->has_pages)
			ratio(f, "shmtool_limit_shmall_used_ratio",
			      "Pages in use over kernel.shmall.", m->pages, l->shmall);
		ratio(f, "shmtool_limit_shmmni_used_ratio",
		      "Segments over kernel.shmmni.", m->segments, l->shmmni);
	}
	return ferror(f) ? -EIO : 0;
}
