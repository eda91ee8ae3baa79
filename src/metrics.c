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

static struct metrics_owner *owner_of(struct metrics_owner **owners, size_t *n, uid_t uid,
				      size_t *cap)
{
	for (size_t i = 0; i < *n; i++)
		if ((*owners)[i].uid == uid)
			return &(*owners)[i];
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct metrics_owner *v = reallocarray(*owners, ncap, sizeof(*v));

		if (!v)
			return NULL;
		*owners = v;
		*cap = ncap;
	}
	(*owners)[*n] = (struct metrics_owner){ .uid = uid };
	return &(*owners)[(*n)++];
}

/* One object or segment of `bytes` counted for its owner. */
static void owner_add(struct metrics_owner *o, uint64_t bytes, bool orphan)
{
	o->segments++;
	o->bytes += bytes;
	if (orphan) {
		o->orphans++;
		o->orphan_bytes += bytes;
	}
}

int metrics_collect(struct metrics *m, const struct shm_segment *segs, size_t n)
{
	size_t cap = 0;

	for (size_t i = 0; i < n; i++) {
		const struct shm_segment *s = &segs[i];
		struct metrics_owner *o = owner_of(&m->owners, &m->nowners, s->uid, &cap);

		if (!o)
			return -ENOMEM;
		m->segments++;
		m->bytes += s->size;
		owner_add(o, s->size, seg_is_orphaned(s));
		if (s->size > m->largest)
			m->largest = s->size;
		if (seg_is_orphaned(s)) {
			m->orphans++;
			m->orphan_bytes += s->size;
		}
		if (seg_is_dest(s))
			m->removed++;
	}
	if (m->nowners)
		qsort(m->owners, m->nowners, sizeof(m->owners[0]), cmp_owner);
	return 0;
}

int metrics_collect_posix(struct metrics *m, const struct posix_obj *objs, size_t n)
{
	struct metrics_posix *p = &m->posix;
	size_t cap = 0;

	p->present = true;
	for (size_t i = 0; i < n; i++) {
		const struct posix_obj *x = &objs[i];
		struct metrics_owner *o = owner_of(&p->owners, &p->nowners, x->uid, &cap);

		if (!o)
			return -ENOMEM;
		p->objects++;
		p->bytes += x->size;
		owner_add(o, x->size, !x->use);
		if (x->size > p->largest)
			p->largest = x->size;
		if (!x->use) {
			p->orphans++;
			p->orphan_bytes += x->size;
		}
	}
	if (p->nowners)
		qsort(p->owners, p->nowners, sizeof(p->owners[0]), cmp_owner);
	return 0;
}

void metrics_free(struct metrics *m)
{
	free(m->posix.owners);
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

static void per_owner(FILE *f, const struct metrics_owner *owners, size_t nowners,
		      const char *name, const char *help, enum owner_field field)
{
	family(f, name, help);
	for (size_t i = 0; i < nowners; i++) {
		const struct metrics_owner *o = &owners[i];
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

static void write_posix(FILE *f, const struct metrics_posix *p)
{
	gauge(f, "shmtool_posix_objects", "POSIX shared memory objects (/dev/shm).", p->objects);
	gauge(f, "shmtool_posix_object_bytes", "Bytes in all POSIX objects.", p->bytes);
	gauge(f, "shmtool_posix_orphaned_objects",
	      "POSIX objects no process maps or holds open.", p->orphans);
	gauge(f, "shmtool_posix_orphaned_bytes", "Bytes in orphaned POSIX objects.",
	      p->orphan_bytes);
	gauge(f, "shmtool_posix_largest_object_bytes", "Bytes of the largest POSIX object.",
	      p->largest);
	gauge(f, "shmtool_posix_uninspected_processes",
	      "Processes that could not be read: an object counted orphaned may be in use.",
	      p->uninspected);
	per_owner(f, p->owners, p->nowners, "shmtool_posix_owner_objects",
		  "POSIX objects per owner.", OWNER_SEGMENTS);
	per_owner(f, p->owners, p->nowners, "shmtool_posix_owner_bytes",
		  "Bytes in the POSIX objects per owner.", OWNER_BYTES);
	per_owner(f, p->owners, p->nowners, "shmtool_posix_owner_orphaned_objects",
		  "Orphaned POSIX objects per owner.", OWNER_ORPHANS);
	per_owner(f, p->owners, p->nowners, "shmtool_posix_owner_orphaned_bytes",
		  "Bytes in orphaned POSIX objects per owner.", OWNER_ORPHAN_BYTES);
	if (p->has_fs) {
		gauge(f, "shmtool_posix_fs_size_bytes",
		      "Size of the file system of /dev/shm (its tmpfs size= limit).", p->fs_size);
		gauge(f, "shmtool_posix_fs_used_bytes",
		      "Bytes used in the file system of /dev/shm.", p->fs_used);
		ratio(f, "shmtool_posix_fs_used_ratio",
		      "Bytes used over the size of the file system of /dev/shm.",
		      p->fs_used, p->fs_size);
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
	per_owner(f, m->owners, m->nowners, "shmtool_owner_segments",
		  "Segments per owner.", OWNER_SEGMENTS);
	per_owner(f, m->owners, m->nowners, "shmtool_owner_bytes",
		  "Bytes in the segments per owner.", OWNER_BYTES);
	per_owner(f, m->owners, m->nowners, "shmtool_owner_orphaned_segments",
		  "Orphaned segments per owner.", OWNER_ORPHANS);
	per_owner(f, m->owners, m->nowners, "shmtool_owner_orphaned_bytes",
		  "Bytes in orphaned segments per owner.", OWNER_ORPHAN_BYTES);
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
	if (m->posix.present)
		write_posix(f, &m->posix);
	return ferror(f) ? -EIO : 0;
}
