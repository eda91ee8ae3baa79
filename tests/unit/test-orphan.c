/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The gc policy: which segments are candidates, and the re-check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/orphan.h"

#define NOW 1800000000

static struct shm_segment orphan(void)
{
	return (struct shm_segment){
		.key = 0x1234, .id = 7, .mode = 0600, .size = 4096, .cpid = 100,
		.uid = 1000, .cuid = 1000, .gid = 1000, .cgid = 1000,
		.ctime = NOW - 3600, .atime = 0, .dtime = 0,
	};
}

static void test_idle_seconds(void **state)
{
	struct shm_segment s = orphan();
	(void)state;

	assert_int_equal(seg_idle_seconds(&s, NOW), 3600);    /* never attached: ctime */
	s.atime = NOW - 100;
	s.dtime = NOW - 60;
	assert_int_equal(seg_idle_seconds(&s, NOW), 60);      /* since the last detach */
	s.dtime = NOW + 50;                                   /* clock went back */
	assert_int_equal(seg_idle_seconds(&s, NOW), 0);
}

static void test_classify_orphan_state(void **state)
{
	struct gc_filter f = { .older_than = GC_DEFAULT_GRACE };
	struct shm_segment s = orphan();
	(void)state;

	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_CANDIDATE);
	s.nattch = 1;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_NOT_ORPHAN);
	s.nattch = 0;
	s.mode |= SEG_MODE_DEST;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_NOT_ORPHAN);
	s.mode = 0600 | SEG_MODE_LOCKED;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_CANDIDATE);
}

static void test_classify_grace(void **state)
{
	struct gc_filter f = { .older_than = GC_DEFAULT_GRACE };
	struct shm_segment s = orphan();
	(void)state;

	s.ctime = NOW - GC_DEFAULT_GRACE + 1;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_YOUNG);
	s.ctime = NOW - GC_DEFAULT_GRACE;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_CANDIDATE);
	s.ctime = NOW;
	f.older_than = 0;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_CANDIDATE);
	/* a recent detach makes an old segment young again */
	s.ctime = NOW - 86400;
	s.atime = NOW - 20;
	s.dtime = NOW - 10;
	f.older_than = 15;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_YOUNG);
}

static void test_classify_filters(void **state)
{
	struct gc_filter f = { 0 };
	struct shm_segment s = orphan();
	int32_t excl[] = { 0x9999, 0x1234 };
	(void)state;

	f.by_user = true;
	f.uid = 1000;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_CANDIDATE);
	f.uid = 0;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_FILTERED);
	f.by_user = false;

	f.keys = GC_KEYS_PRIVATE;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_FILTERED);
	f.keys = GC_KEYS_KEYED;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_CANDIDATE);
	s.key = 0;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_FILTERED);
	f.keys = GC_KEYS_PRIVATE;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_CANDIDATE);
	f.keys = GC_KEYS_ANY;
	s.key = 0x1234;

	f.by_key = true;
	f.key = 0x1235;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_FILTERED);
	f.key = 0x1234;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_CANDIDATE);
	f.by_key = false;

	f.min_size = 4097;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_FILTERED);
	f.min_size = 4096;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_CANDIDATE);

	f.creator_gone = true;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_SAME), GC_FILTERED);
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_CANDIDATE);
	/* "cannot see" is never "gone" */
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_UNKNOWN), GC_CREATOR_UNKNOWN);
	f.creator_gone = false;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_UNKNOWN), GC_CANDIDATE);
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_SAME), GC_CANDIDATE);

	f.exclude = excl;
	f.nexclude = 2;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_EXCLUDED);
	f.nexclude = 1;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_CANDIDATE);
}

/* An unknown creator is reported only for what would otherwise go: the
 * other filters, the exclusions and the grace period come first. */
static void test_classify_creator_unknown(void **state)
{
	struct gc_filter f = { .older_than = GC_DEFAULT_GRACE, .creator_gone = true };
	struct shm_segment s = orphan();
	int32_t excl[] = { 0x1234 };
	(void)state;

	s.nattch = 1;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_UNKNOWN), GC_NOT_ORPHAN);
	s.nattch = 0;
	f.min_size = 8192;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_UNKNOWN), GC_FILTERED);
	f.min_size = 0;
	f.exclude = excl;
	f.nexclude = 1;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_UNKNOWN), GC_EXCLUDED);
	f.nexclude = 0;
	s.ctime = NOW - 10;
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_UNKNOWN), GC_YOUNG);
	assert_int_equal(gc_classify(&s, &f, NOW, PROC_GONE), GC_YOUNG);
}

/* ---- the creator's identity: seg_creator_by, proc_started_by ---- */

#define SEC 1000000000LL
#define TICK (SEC / 100)

static void test_creator_by(void **state)
{
	struct shm_segment s = orphan();        /* never attached */
	(void)state;

	assert_int_equal(seg_creator_by(&s), NOW - 3600);
	/* attached and detached later: ctime is still the earliest */
	s.atime = NOW - 100;
	s.dtime = NOW - 50;
	assert_int_equal(seg_creator_by(&s), NOW - 3600);
	/* an IPC_SET moved ctime past them: the attach tells */
	s.ctime = NOW - 10;
	assert_int_equal(seg_creator_by(&s), NOW - 100);
	/* attached (by a fork, say) after the detach: the detach tells */
	s.atime = NOW - 20;
	assert_int_equal(seg_creator_by(&s), NOW - 50);
	/* an attach without detach yet */
	s.dtime = 0;
	assert_int_equal(seg_creator_by(&s), NOW - 20);
}

static void test_started_by(void **state)
{
	static const struct {
		const char *name;
		int64_t start_ns;
		bool want;
	} cases[] = {
		{ "started an hour before",            (NOW - 3600) * SEC, true },
		{ "started the second before",         (NOW - 1) * SEC + SEC / 2, true },
		{ "started at the second",             NOW * SEC, true },
		/* the segment's second is truncated: the creator may have
		 * started in it, after the whole second shown; a process that
		 * reused the pid within that second cannot be told apart */
		{ "started 0.5 s after, same second",  NOW * SEC + SEC / 2, true },
		{ "started at the end of the second",  (NOW + 1) * SEC, true },
		{ "within a tick of slack",            (NOW + 1) * SEC + TICK, true },
		{ "past the tick of slack",            (NOW + 1) * SEC + TICK + 1, false },
		{ "started 1.5 s after",               (NOW + 1) * SEC + SEC / 2, false },
		{ "started a day after",               (NOW + 86400) * SEC, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (proc_started_by(cases[i].start_ns, NOW, TICK) != cases[i].want)
			fail_msg("%s: got %d", cases[i].name, !cases[i].want);
	/* no bound: any running process */
	assert_true(proc_started_by((NOW + 86400) * SEC, INT64_MAX, TICK));
	assert_true(proc_started_by(INT64_MAX, INT64_MAX, TICK));
}

/* A running process that started after the segment: the pid reused, or
 * the creator itself seen through a forward step of the wall clock: only
 * a day past is it surely another process. */
static void test_creator_match(void **state)
{
	const int64_t day = CREATOR_REUSE_MARGIN;

	(void)state;
	assert_int_equal(proc_creator_match((NOW - 5) * SEC, NOW, TICK), PROC_SAME);
	assert_int_equal(proc_creator_match(NOW * SEC + SEC / 2, NOW, TICK), PROC_SAME);
	/* 2 s after, or 2 minutes (a clock stepped by 2 minutes looks so) */
	assert_int_equal(proc_creator_match((NOW + 2) * SEC, NOW, TICK), PROC_LATER);
	assert_int_equal(proc_creator_match((NOW + 120) * SEC, NOW, TICK), PROC_LATER);
	assert_int_equal(proc_creator_match((NOW + day) * SEC, NOW, TICK), PROC_LATER);
	assert_int_equal(proc_creator_match((NOW + day + 1) * SEC, NOW, TICK), PROC_LATER);
	assert_int_equal(proc_creator_match((NOW + day + 2) * SEC, NOW, TICK), PROC_GONE);
	assert_int_equal(proc_creator_match((NOW + 30 * day) * SEC, NOW, TICK), PROC_GONE);
	/* no bound */
	assert_int_equal(proc_creator_match(INT64_MAX, INT64_MAX, TICK), PROC_SAME);
}

/* The whole rule, as COMMAND and gc --creator-gone apply it. */
static void test_creator_rule(void **state)
{
	struct shm_segment s = orphan();
	int64_t created = s.ctime;
	(void)state;

	/* a process that reuses the pid 2 s after creation is not the creator */
	assert_false(proc_started_by((created + 2) * SEC, seg_creator_by(&s), TICK));
	assert_true(proc_started_by((created - 5) * SEC, seg_creator_by(&s), TICK));
	/* IPC_SET moves ctime past the reuser's start; the attach and
	 * detach recorded before still tell */
	s.atime = created;
	s.dtime = created + 1;
	s.ctime = created + 600;
	assert_false(proc_started_by((created + 300) * SEC, seg_creator_by(&s), TICK));
	assert_true(proc_started_by((created - 5) * SEC, seg_creator_by(&s), TICK));
	/* never attached, then IPC_SET: only ctime is left, and it moved;
	 * a process that reused the pid before the IPC_SET cannot be told
	 * from the creator (the man page says so) */
	s.atime = s.dtime = 0;
	assert_true(proc_started_by((created + 300) * SEC, seg_creator_by(&s), TICK));
	/* one that started after the IPC_SET still can */
	assert_false(proc_started_by((created + 602) * SEC, seg_creator_by(&s), TICK));
}

static void test_recheck(void **state)
{
	struct shm_segment scanned = orphan(), now = orphan();
	(void)state;

	assert_int_equal(gc_recheck(&scanned, &now), GC_RECHECK_OK);
	now.nattch = 1;
	assert_int_equal(gc_recheck(&scanned, &now), GC_RECHECK_ATTACHED);
	now = orphan();
	now.ctime++;
	assert_int_equal(gc_recheck(&scanned, &now), GC_RECHECK_REPLACED);
	now = orphan();
	now.size *= 2;
	assert_int_equal(gc_recheck(&scanned, &now), GC_RECHECK_REPLACED);
	now = orphan();
	now.cuid = 0;
	assert_int_equal(gc_recheck(&scanned, &now), GC_RECHECK_REPLACED);
	now = orphan();
	now.key = 0x4321;
	assert_int_equal(gc_recheck(&scanned, &now), GC_RECHECK_REPLACED);
	/* IPC_RMID by someone else resets the key: dest, not replaced */
	now = orphan();
	now.key = 0;
	now.nattch = 1;
	now.mode |= SEG_MODE_DEST;
	assert_int_equal(gc_recheck(&scanned, &now), GC_RECHECK_DEST);
}

static void test_may_remove(void **state)
{
	struct shm_segment s = orphan();
	(void)state;

	assert_true(gc_may_remove(&s, 1000, false));    /* owner */
	s.uid = 2000;
	assert_true(gc_may_remove(&s, 1000, false));    /* creator */
	s.cuid = 2000;
	assert_false(gc_may_remove(&s, 1000, false));
	assert_true(gc_may_remove(&s, 1000, true));     /* CAP_SYS_ADMIN */
}

static struct posix_obj pobj(void)
{
	return (struct posix_obj){
		.name = "obj", .size = 4096, .uid = 1000, .gid = 1000, .mode = 0600,
		.mtime = NOW - 3600, .mtime_nsec = 5, .dev_major = 0, .dev_minor = 25,
		.ino = 42,
	};
}

static void test_posix_classify(void **state)
{
	static const char *const names[] = { "keep", "obj" };
	struct gc_filter f = { .older_than = GC_DEFAULT_GRACE };
	struct posix_obj o = pobj();
	(void)state;

	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_CANDIDATE);
	o.use = POSIX_OPEN;
	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_NOT_ORPHAN);
	o.use = POSIX_MAPPED;
	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_NOT_ORPHAN);
	o.use = 0;
	/* the age is the mtime's */
	o.mtime = NOW - GC_DEFAULT_GRACE + 1;
	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_YOUNG);
	o.mtime = NOW - GC_DEFAULT_GRACE;
	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_CANDIDATE);
	o.mtime = NOW + 100;    /* in the future: age 0 */
	assert_int_equal(posix_age_seconds(&o, NOW), 0);
	f.older_than = 0;
	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_CANDIDATE);
	/* filters */
	f.by_user = true;
	f.uid = 1001;
	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_FILTERED);
	f.uid = 1000;
	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_CANDIDATE);
	f.min_size = 4097;
	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_FILTERED);
	f.min_size = 4096;
	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_CANDIDATE);
	/* --exclude: by exact name; a filtered object is not counted excluded */
	f.exclude_names = names;
	f.nexclude_names = 1;
	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_CANDIDATE);
	f.nexclude_names = 2;
	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_EXCLUDED);
	f.uid = 1;
	assert_int_equal(gc_classify_posix(&o, &f, NOW), GC_FILTERED);
}

static void test_posix_recheck(void **state)
{
	struct posix_obj scanned = pobj(), now = pobj();
	(void)state;

	assert_int_equal(gc_posix_recheck(&scanned, &now, true), GC_PX_OK);
	assert_int_equal(gc_posix_recheck(&scanned, NULL, true), GC_PX_GONE);
	assert_int_equal(gc_posix_recheck(&scanned, &now, false), GC_PX_NOT_REGULAR);
	now.use = POSIX_MAPPED;
	assert_int_equal(gc_posix_recheck(&scanned, &now, true), GC_PX_IN_USE);
	now.use = POSIX_OPEN;
	assert_int_equal(gc_posix_recheck(&scanned, &now, true), GC_PX_IN_USE);
	/* another file, or this one changed: replaced, whatever its use */
	now = pobj();
	now.ino = 43;
	assert_int_equal(gc_posix_recheck(&scanned, &now, true), GC_PX_REPLACED);
	now = pobj();
	now.dev_minor = 26;
	assert_int_equal(gc_posix_recheck(&scanned, &now, true), GC_PX_REPLACED);
	now = pobj();
	now.dev_major = 1;
	assert_int_equal(gc_posix_recheck(&scanned, &now, true), GC_PX_REPLACED);
	now = pobj();
	now.size = 8192;
	now.use = POSIX_OPEN;
	assert_int_equal(gc_posix_recheck(&scanned, &now, true), GC_PX_REPLACED);
	now = pobj();
	now.mtime++;
	assert_int_equal(gc_posix_recheck(&scanned, &now, true), GC_PX_REPLACED);
	now = pobj();
	now.mtime_nsec++;
	assert_int_equal(gc_posix_recheck(&scanned, &now, true), GC_PX_REPLACED);
	/* owner and mode are not the identity: a chmod is no replacement */
	now = pobj();
	now.mode = 0644;
	now.uid = 0;
	assert_int_equal(gc_posix_recheck(&scanned, &now, true), GC_PX_OK);
}

static void test_posix_may_unlink(void **state)
{
	struct posix_obj o = pobj();    /* uid 1000 */
	(void)state;

	/* no write permission on the directory: never */
	assert_false(gc_posix_may_unlink(&o, 0, 01777, false, 1000, true));
	/* not sticky: anyone who may write the directory */
	assert_true(gc_posix_may_unlink(&o, 0, 0777, true, 2000, false));
	/* sticky: the file's owner, the directory's owner, or CAP_FOWNER */
	assert_true(gc_posix_may_unlink(&o, 0, 01777, true, 1000, false));
	assert_false(gc_posix_may_unlink(&o, 0, 01777, true, 2000, false));
	assert_true(gc_posix_may_unlink(&o, 2000, 01777, true, 2000, false));
	assert_true(gc_posix_may_unlink(&o, 0, 01777, true, 2000, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_seconds),
		cmocka_unit_test(test_classify_orphan_state),
		cmocka_unit_test(test_classify_grace),
		cmocka_unit_test(test_classify_filters),
		cmocka_unit_test(test_classify_creator_unknown),
		cmocka_unit_test(test_creator_by),
		cmocka_unit_test(test_started_by),
		cmocka_unit_test(test_creator_match),
		cmocka_unit_test(test_creator_rule),
		cmocka_unit_test(test_recheck),
		cmocka_unit_test(test_may_remove),
		cmocka_unit_test(test_posix_classify),
		cmocka_unit_test(test_posix_recheck),
		cmocka_unit_test(test_posix_may_unlink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
