/* The gc policy: which segments are candidates, and the re-check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "orphan.h"

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

	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_CANDIDATE);
	s.nattch = 1;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_NOT_ORPHAN);
	s.nattch = 0;
	s.mode |= SEG_MODE_DEST;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_NOT_ORPHAN);
	s.mode = 0600 | SEG_MODE_LOCKED;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_CANDIDATE);
}

static void test_classify_grace(void **state)
{
	struct gc_filter f = { .older_than = GC_DEFAULT_GRACE };
	struct shm_segment s = orphan();
	(void)state;

	s.ctime = NOW - GC_DEFAULT_GRACE + 1;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_YOUNG);
	s.ctime = NOW - GC_DEFAULT_GRACE;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_CANDIDATE);
	s.ctime = NOW;
	f.older_than = 0;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_CANDIDATE);
	/* a recent detach makes an old segment young again */
	s.ctime = NOW - 86400;
	s.atime = NOW - 20;
	s.dtime = NOW - 10;
	f.older_than = 15;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_YOUNG);
}

static void test_classify_filters(void **state)
{
	struct gc_filter f = { 0 };
	struct shm_segment s = orphan();
	int32_t excl[] = { 0x9999, 0x1234 };
	(void)state;

	f.by_user = true;
	f.uid = 1000;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_CANDIDATE);
	f.uid = 0;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_FILTERED);
	f.by_user = false;

	f.keys = GC_KEYS_PRIVATE;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_FILTERED);
	f.keys = GC_KEYS_KEYED;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_CANDIDATE);
	s.key = 0;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_FILTERED);
	f.keys = GC_KEYS_PRIVATE;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_CANDIDATE);
	f.keys = GC_KEYS_ANY;
	s.key = 0x1234;

	f.by_key = true;
	f.key = 0x1235;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_FILTERED);
	f.key = 0x1234;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_CANDIDATE);
	f.by_key = false;

	f.min_size = 4097;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_FILTERED);
	f.min_size = 4096;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_CANDIDATE);

	f.creator_gone = true;
	assert_int_equal(gc_classify(&s, &f, NOW, true), GC_FILTERED);
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_CANDIDATE);
	f.creator_gone = false;

	f.exclude = excl;
	f.nexclude = 2;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_EXCLUDED);
	f.nexclude = 1;
	assert_int_equal(gc_classify(&s, &f, NOW, false), GC_CANDIDATE);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_seconds),
		cmocka_unit_test(test_classify_orphan_state),
		cmocka_unit_test(test_classify_grace),
		cmocka_unit_test(test_classify_filters),
		cmocka_unit_test(test_recheck),
		cmocka_unit_test(test_may_remove),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
