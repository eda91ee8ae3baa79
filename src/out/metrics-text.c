/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/array.h"
#include "out/format.h"
#include "out/metrics-text.h"

static int cmp_owner(const void *a, const void *b)
{
	const struct metrics_owner *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

static struct metrics_owner *owner_of(struct metrics_totals *t, uid_t uid, size_t *cap)
{
	for (size_t i = 0; i < t->nowners; i++)
		if (t->owners[i].uid == uid)
			return &t->owners[i];
	if (ARRAY_PUSH(t->owners, t->nowners, *cap, (struct metrics_owner){ .uid = uid }))
		return NULL;
	return &t->owners[t->nowners - 1];
}

/* One segment or object of `bytes`, owned by uid, counted in the totals
 * and for its owner; *cap is the room in t->owners. 0 or -ENOMEM. */
static int count_one(struct metrics_totals *t, size_t *cap, uid_t uid, uint64_t bytes,
		     bool orphan)
{
	struct metrics_owner *o = owner_of(t, uid, cap);

	if (!o)
		return -ENOMEM;
	o->segments++;
	o->bytes += bytes;
	t->count++;
	t->bytes += bytes;
	if (bytes > t->largest)
		t->largest = bytes;
	if (orphan) {
		o->orphans++;
		o->orphan_bytes += bytes;
		t->orphans++;
		t->orphan_bytes += bytes;
	}
	return 0;
}

static void sort_owners(struct metrics_totals *t)
{
	if (t->nowners)
		qsort(t->owners, t->nowners, sizeof(t->owners[0]), cmp_owner);
}

int metrics_collect(struct metrics *m, const struct shm_segment *segs, size_t n)
{
	size_t cap = 0;

	for (size_t i = 0; i < n; i++) {
		if (count_one(&m->segs, &cap, segs[i].uid, segs[i].size, seg_is_orphaned(&segs[i])))
			return -ENOMEM;
		if (seg_is_dest(&segs[i]))
			m->removed++;
	}
	sort_owners(&m->segs);
	return 0;
}

int metrics_collect_posix(struct metrics *m, const struct posix_obj *objs, size_t n)
{
	size_t cap = 0;

	m->posix.present = true;
	for (size_t i = 0; i < n; i++)
		if (count_one(&m->posix.objs, &cap, objs[i].uid, objs[i].size, !objs[i].use))
			return -ENOMEM;
	sort_owners(&m->posix.objs);
	return 0;
}

void metrics_free(struct metrics *m)
{
	free(m->posix.objs.owners);
	free(m->segs.owners);
	*m = (struct metrics){ 0 };
}

void metrics_put_label_value(FILE *f, const char *s)
{
	size_t left = strlen(s);

	while (left) {
		size_t n = utf8_char_len(s, left);

		if (!n)
			fputs("\xef\xbf\xbd", f);    /* U+FFFD: the format is UTF-8 */
		else if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fwrite(s, 1, n, f);
		n = n ? n : 1;
		s += n;
		left -= n;
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

/* The four series per owner of a kind (segments or POSIX objects):
 * count, bytes, orphans, orphaned bytes. */
struct series {
	const char *name, *help;
};

static const struct series sysv_owner[4] = {
	{ "shmtool_owner_segments", "Segments per owner." },
	{ "shmtool_owner_bytes", "Bytes in the segments per owner." },
	{ "shmtool_owner_orphaned_segments", "Orphaned segments per owner." },
	{ "shmtool_owner_orphaned_bytes", "Bytes in orphaned segments per owner." },
}, posix_owner[4] = {
	{ "shmtool_posix_owner_objects", "POSIX objects per owner." },
	{ "shmtool_posix_owner_bytes", "Bytes in the POSIX objects per owner." },
	{ "shmtool_posix_owner_orphaned_objects", "Orphaned POSIX objects per owner." },
	{ "shmtool_posix_owner_orphaned_bytes", "Bytes in orphaned POSIX objects per owner." },
};

static void per_owner(FILE *f, const struct metrics_totals *t, const struct series s[4])
{
	for (int k = 0; k < 4; k++) {
		family(f, s[k].name, s[k].help);
		for (size_t i = 0; i < t->nowners; i++) {
			const struct metrics_owner *o = &t->owners[i];
			const uint64_t v[4] = { o->segments, o->bytes, o->orphans, o->orphan_bytes };

			fprintf(f, "%s{uid=\"%u\",user=\"", s[k].name, (unsigned int)o->uid);
			if (o->user)
				metrics_put_label_value(f, o->user);
			else
				fprintf(f, "%u", (unsigned int)o->uid);
			fprintf(f, "\"} %" PRIu64 "\n", v[k]);
		}
	}
}

static void write_posix(FILE *f, const struct metrics_posix *p)
{
	gauge(f, "shmtool_posix_objects", "POSIX shared memory objects (/dev/shm).", p->objs.count);
	gauge(f, "shmtool_posix_object_bytes", "Bytes in all POSIX objects.", p->objs.bytes);
	gauge(f, "shmtool_posix_orphaned_objects",
	      "POSIX objects no process maps or holds open.", p->objs.orphans);
	gauge(f, "shmtool_posix_orphaned_bytes", "Bytes in orphaned POSIX objects.",
	      p->objs.orphan_bytes);
	gauge(f, "shmtool_posix_largest_object_bytes", "Bytes of the largest POSIX object.",
	      p->objs.largest);
	/* hidden ones are at least one more, of a number not known */
	gauge(f, "shmtool_posix_uninspected_processes",
	      "Processes that could not be read, at least (1 for those not in /proc): "
	      "an object counted orphaned may be in use.",
	      p->uninspected + (p->hidden ? 1 : 0));
	gauge(f, "shmtool_posix_scan_complete",
	      "1 if every process could be inspected, 0 if some could not or are not "
	      "in /proc (hidepid, or a PID namespace other than the initial one).",
	      !p->uninspected && !p->hidden);
	per_owner(f, &p->objs, posix_owner);
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
	gauge(f, "shmtool_segments", "System V shared memory segments.", m->segs.count);
	gauge(f, "shmtool_segment_bytes", "Bytes in all segments.", m->segs.bytes);
	gauge(f, "shmtool_orphaned_segments",
	      "Segments nobody is attached to and not removed.", m->segs.orphans);
	gauge(f, "shmtool_orphaned_bytes", "Bytes in orphaned segments.", m->segs.orphan_bytes);
	gauge(f, "shmtool_removed_segments",
	      "Segments removed while attached, destroyed at their last detach.", m->removed);
	gauge(f, "shmtool_largest_segment_bytes", "Bytes of the largest segment.", m->segs.largest);
	per_owner(f, &m->segs, sysv_owner);
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
		      "The largest segment over kernel.shmmax.", m->segs.largest, l->shmmax);
		if (m->has_pages)
			ratio(f, "shmtool_limit_shmall_used_ratio",
			      "Pages in use over kernel.shmall.", m->pages, l->shmall);
		ratio(f, "shmtool_limit_shmmni_used_ratio",
		      "Segments over kernel.shmmni.", m->segs.count, l->shmmni);
	}
	if (m->posix.present)
		write_posix(f, &m->posix);
	return ferror(f) ? -EIO : 0;
}
