/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <sys/stat.h>

#include "core/orphan.h"

int64_t seg_idle_seconds(const struct shm_segment *s, time_t now)
{
	int64_t since = s->dtime ? s->dtime : s->ctime;

	return (int64_t)now > since ? (int64_t)now - since : 0;
}

static bool excluded(const struct shm_segment *s, const struct gc_filter *f)
{
	for (size_t i = 0; i < f->nexclude; i++)
		if (f->exclude[i] == s->key)
			return true;
	return false;
}

int64_t seg_creator_by(const struct shm_segment *s)
{
	int64_t by = s->ctime;

	if (s->atime && s->atime < by)
		by = s->atime;
	if (s->dtime && s->dtime < by)
		by = s->dtime;
	return by;
}

bool proc_started_by(int64_t start_ns, int64_t by, int64_t slack_ns)
{
	const int64_t sec = 1000000000;

	if (by >= INT64_MAX / sec - 1 || slack_ns < 0 || slack_ns > sec)
		return true;            /* no bound worth the name */
	if (by < INT64_MIN / sec + 1)
		return false;
	return start_ns <= (by + 1) * sec + slack_ns;
}

enum proc_match proc_creator_match(int64_t start_ns, int64_t by, int64_t slack_ns)
{
	const int64_t sec = 1000000000;

	if (proc_started_by(start_ns, by, slack_ns))
		return PROC_SAME;
	if (by >= INT64_MAX / sec - CREATOR_REUSE_MARGIN - 1)
		return PROC_LATER;
	return start_ns > (by + CREATOR_REUSE_MARGIN + 1) * sec ? PROC_GONE : PROC_LATER;
}

enum gc_verdict gc_classify(const struct shm_segment *s, const struct gc_filter *f,
			    time_t now, enum proc_match creator)
{
	if (!seg_is_orphaned(s))
		return GC_NOT_ORPHAN;
	if ((f->by_user && s->uid != f->uid) ||
	    (f->keys == GC_KEYS_PRIVATE && s->key != 0) ||
	    (f->keys == GC_KEYS_KEYED && s->key == 0) ||
	    (f->by_key && s->key != f->key) ||
	    s->size < f->min_size ||
	    (f->creator_gone && creator == PROC_SAME))
		return GC_FILTERED;
	if (s->key != 0 && excluded(s, f))
		return GC_EXCLUDED;
	if (seg_idle_seconds(s, now) < f->older_than)
		return GC_YOUNG;
	if (f->creator_gone && creator != PROC_GONE)
		return GC_CREATOR_UNKNOWN;
	return GC_CANDIDATE;
}

enum gc_recheck gc_recheck(const struct shm_segment *scanned, const struct shm_segment *now)
{
	/* first: IPC_RMID resets the key, so a removed segment would
	 * otherwise look replaced */
	if (seg_is_dest(now))
		return GC_RECHECK_DEST;
	if (!seg_same(scanned, now))
		return GC_RECHECK_REPLACED;
	if (now->nattch != 0)
		return GC_RECHECK_ATTACHED;
	return GC_RECHECK_OK;
}

bool gc_may_remove(const struct shm_segment *s, uid_t euid, bool privileged)
{
	return privileged || euid == s->uid || euid == s->cuid;
}

int64_t posix_age_seconds(const struct posix_obj *o, time_t now)
{
	return (int64_t)now > o->mtime ? (int64_t)now - o->mtime : 0;
}

static bool name_excluded(const struct posix_obj *o, const struct gc_filter *f)
{
	for (size_t i = 0; i < f->nexclude_names; i++)
		if (strcmp(f->exclude_names[i], o->name) == 0)
			return true;
	return false;
}

enum gc_verdict gc_classify_posix(const struct posix_obj *o, const struct gc_filter *f,
				  time_t now)
{
	if (o->use)
		return GC_NOT_ORPHAN;
	if ((f->by_user && o->uid != f->uid) || o->size < f->min_size)
		return GC_FILTERED;
	if (name_excluded(o, f))
		return GC_EXCLUDED;
	if (posix_age_seconds(o, now) < f->older_than)
		return GC_YOUNG;
	return GC_CANDIDATE;
}

enum gc_posix_recheck gc_posix_recheck(const struct posix_obj *scanned,
				       const struct posix_obj *now, bool regular)
{
	if (!now)
		return GC_PX_GONE;
	if (!regular)
		return GC_PX_NOT_REGULAR;
	if (now->dev_major != scanned->dev_major || now->dev_minor != scanned->dev_minor ||
	    now->ino != scanned->ino || now->size != scanned->size ||
	    now->mtime != scanned->mtime || now->mtime_nsec != scanned->mtime_nsec)
		return GC_PX_REPLACED;
	if (now->use)
		return GC_PX_IN_USE;
	return GC_PX_OK;
}

bool gc_posix_may_unlink(const struct posix_obj *o, uid_t dir_uid, unsigned int dir_mode,
			 bool dir_writable, uid_t euid, bool cap_fowner)
{
	if (!dir_writable)
		return false;
	if (!(dir_mode & S_ISVTX))
		return true;
	return cap_fowner || euid == o->uid || euid == dir_uid;
}
