#include "orphan.h"

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

enum gc_verdict gc_classify(const struct shm_segment *s, const struct gc_filter *f,
			    time_t now, bool creator_alive)
{
	if (!seg_is_orphaned(s))
		return GC_NOT_ORPHAN;
	if ((f->by_user && s->uid != f->uid) ||
	    (f->keys == GC_KEYS_PRIVATE && s->key != 0) ||
	    (f->keys == GC_KEYS_KEYED && s->key == 0) ||
	    (f->by_key && s->key != f->key) ||
	    s->size < f->min_size ||
	    (f->creator_gone && creator_alive))
		return GC_FILTERED;
	if (s->key != 0 && excluded(s, f))
		return GC_EXCLUDED;
	if (seg_idle_seconds(s, now) < f->older_than)
		return GC_YOUNG;
	return GC_CANDIDATE;
}

enum gc_recheck gc_recheck(const struct shm_segment *scanned, const struct shm_segment *now)
{
	/* first: IPC_RMID resets the key, so a removed segment would
	 * otherwise look replaced */
	if (seg_is_dest(now))
		return GC_RECHECK_DEST;
	if (now->key != scanned->key || now->size != scanned->size ||
	    now->cuid != scanned->cuid || now->ctime != scanned->ctime)
		return GC_RECHECK_REPLACED;
	if (now->nattch != 0)
		return GC_RECHECK_ATTACHED;
	return GC_RECHECK_OK;
}

bool gc_may_remove(const struct shm_segment *s, uid_t euid, bool privileged)
{
	return privileged || euid == s->uid || euid == s->cuid;
}
