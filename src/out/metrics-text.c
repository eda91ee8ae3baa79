/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
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

void metrics_posix_scan(struct metrics *m, unsigned long denied, bool hidden)
{
	/* hidden ones are at least one more, of a number not known */
	m->posix.uninspected_min = denied + (hidden ? 1 : 0);
	m->posix.complete = !denied && !hidden;
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

/* A series' labels: the namespace's, then extra (pre-escaped), in braces;
 * nothing when there are none. */
static void labels(FILE *f, const struct metrics *m, const char *extra)
{
	const char *ns = m->labels ? m->labels : "";

	if (!*ns && !*extra)
		return;
	fprintf(f, "{%s%s%s}", ns, *ns && *extra ? "," : "", extra);
}

/* When a metric is written: the figures it needs were read. */
enum when { ALWAYS, PAGES, LIMITS, LIMITS_PAGES, POSIX, POSIX_FS };

static bool has(const struct metrics *m, enum when w)
{
	switch (w) {
	case ALWAYS:       return true;
	case PAGES:        return m->has_pages;
	case LIMITS:       return m->has_limits;
	case LIMITS_PAGES: return m->has_limits && m->has_pages;
	case POSIX:        return m->posix.present;
	case POSIX_FS:     return m->posix.present && m->posix.has_fs;
	}
	return false;
}

/* One family: a gauge of a field of struct metrics (at), or the ratio of
 * two (at over per), or (owners) the four series per owner of the totals
 * at `at`. */
struct family_def {
	const char *name, *help;
	enum when when;
	size_t at, per;
	bool owners;
};

#define AT(field) offsetof(struct metrics, field)

static uint64_t field(const struct metrics *m, size_t at)
{
	return *(const uint64_t *)(const void *)((const char *)m + at);
}

/* The owner series of a kind: count, bytes, orphans, orphaned bytes. */
static const struct {
	const char *name, *help;
} sysv_owner[4] = {
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

#define GAUGE(name, help, when, at) { name, help, when, AT(at), 0, false }
#define RATIO(name, help, when, at, per) { name, help, when, AT(at), AT(per), false }
#define OWNERS(when, at) { NULL, NULL, when, AT(at), 0, true }

static const struct family_def families[] = {
	GAUGE("shmtool_segments", "System V shared memory segments.", ALWAYS, segs.count),
	GAUGE("shmtool_segment_bytes", "Bytes in all segments.", ALWAYS, segs.bytes),
	GAUGE("shmtool_orphaned_segments", "Segments nobody is attached to and not removed.",
	  ALWAYS, segs.orphans),
	GAUGE("shmtool_orphaned_bytes", "Bytes in orphaned segments.", ALWAYS, segs.orphan_bytes),
	GAUGE("shmtool_removed_segments",
	  "Segments removed while attached, destroyed at their last detach.", ALWAYS, removed),
	GAUGE("shmtool_largest_segment_bytes",
	  "Bytes of the largest segment.", ALWAYS, segs.largest),
	OWNERS(ALWAYS, segs),
	GAUGE("shmtool_segment_pages",
	  "Pages in all segments, counted against shmall.", PAGES, pages),
	GAUGE("shmtool_limit_shmmax_bytes",
	  "Largest segment allowed (kernel.shmmax).", LIMITS, limits.shmmax),
	GAUGE("shmtool_limit_shmall_pages",
	  "Pages allowed in all segments (kernel.shmall).", LIMITS, limits.shmall),
	GAUGE("shmtool_limit_shmmni_segments",
	  "Segments allowed (kernel.shmmni).", LIMITS, limits.shmmni),
	RATIO("shmtool_limit_shmmax_used_ratio",
	  "The largest segment over kernel.shmmax.", LIMITS, segs.largest, limits.shmmax),
	RATIO("shmtool_limit_shmall_used_ratio",
	  "Pages in use over kernel.shmall.", LIMITS_PAGES, pages, limits.shmall),
	RATIO("shmtool_limit_shmmni_used_ratio",
	  "Segments over kernel.shmmni.", LIMITS, segs.count, limits.shmmni),
	GAUGE("shmtool_posix_objects",
	  "POSIX shared memory objects (/dev/shm).", POSIX, posix.objs.count),
	GAUGE("shmtool_posix_object_bytes", "Bytes in all POSIX objects.", POSIX, posix.objs.bytes),
	GAUGE("shmtool_posix_orphaned_objects",
	  "POSIX objects no process maps or holds open.", POSIX, posix.objs.orphans),
	GAUGE("shmtool_posix_orphaned_bytes",
	  "Bytes in orphaned POSIX objects.", POSIX, posix.objs.orphan_bytes),
	GAUGE("shmtool_posix_largest_object_bytes",
	  "Bytes of the largest POSIX object.", POSIX, posix.objs.largest),
	GAUGE("shmtool_posix_uninspected_processes",
	  "Processes that could not be read, at least (1 for those not in /proc): "
	  "an object counted orphaned may be in use.", POSIX, posix.uninspected_min),
	GAUGE("shmtool_posix_scan_complete",
	  "1 if every process could be inspected, 0 if some could not or are not "
	  "in /proc (hidepid, or a PID namespace other than the initial one).",
	  POSIX, posix.complete),
	OWNERS(POSIX, posix.objs),
	GAUGE("shmtool_posix_fs_size_bytes",
	  "Size of the file system of /dev/shm (its tmpfs size= limit).", POSIX_FS, posix.fs_size),
	GAUGE("shmtool_posix_fs_used_bytes",
	  "Bytes used in the file system of /dev/shm.", POSIX_FS, posix.fs_used),
	RATIO("shmtool_posix_fs_used_ratio",
	  "Bytes used over the size of the file system of /dev/shm.", 
	  POSIX_FS, posix.fs_used, posix.fs_size),
};

/* The four owner families of the totals at `at`, each over every m. */
static void per_owner(FILE *f, const struct metrics *ms, size_t n, const struct family_def *d)
{
	bool posix = d->at == AT(posix.objs);

	for (int k = 0; k < 4; k++) {
		const char *name = posix ? posix_owner[k].name : sysv_owner[k].name;

		family(f, name, posix ? posix_owner[k].help : sysv_owner[k].help);
		for (size_t j = 0; j < n; j++) {
			const struct metrics_totals *t =
				(const void *)((const char *)&ms[j] + d->at);

			if (!has(&ms[j], d->when))
				continue;
			for (size_t i = 0; i < t->nowners; i++) {
				const struct metrics_owner *o = &t->owners[i];
				const uint64_t v[4] = { o->segments, o->bytes, o->orphans,
							o->orphan_bytes };

				fprintf(f, "%s{", name);
				if (ms[j].labels)
					fprintf(f, "%s,", ms[j].labels);
				fprintf(f, "uid=\"%u\",user=\"", (unsigned int)o->uid);
				if (o->user)
					metrics_put_label_value(f, o->user);
				else
					fprintf(f, "%u", (unsigned int)o->uid);
				fprintf(f, "\"} %" PRIu64 "\n", v[k]);
			}
		}
	}
}

int metrics_write(FILE *f, const struct metrics *ms, size_t n)
{
	for (size_t k = 0; k < sizeof(families) / sizeof(families[0]); k++) {
		const struct family_def *d = &families[k];
		bool any = false;

		for (size_t j = 0; j < n && !any; j++)
			any = has(&ms[j], d->when);
		if (!any)
			continue;
		if (d->owners) {
			per_owner(f, ms, n, d);
			continue;
		}
		family(f, d->name, d->help);
		for (size_t j = 0; j < n; j++) {
			const struct metrics *m = &ms[j];
			uint64_t v = field(m, d->at);

			if (!has(m, d->when))
				continue;
			fputs(d->name, f);
			labels(f, m, "");
			if (d->per)
				fprintf(f, " %.6g\n", field(m, d->per) ?
					(double)v / (double)field(m, d->per) : 0.0);
			else
				fprintf(f, " %" PRIu64 "\n", v);
		}
	}
	return ferror(f) ? -EIO : 0;
}
