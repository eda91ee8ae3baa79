/* Unit tests for src/posix-shm.c: which /dev/shm entries are objects,
 * and matching maps lines and open files to objects by dev:inode. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "posix-shm.h"

static void test_names(void **state)
{
	(void)state;
	assert_true(posix_is_object_name("pg_shm.1"));
	assert_true(posix_is_object_name("semaphore"));         /* not "sem." */
	assert_true(posix_is_object_name(".hidden"));
	assert_false(posix_is_object_name("sem.lock"));
	assert_false(posix_is_object_name("sem."));
	assert_false(posix_is_object_name("."));
	assert_false(posix_is_object_name(".."));
}

/* Two objects on tmpfs 00:1a: inodes 7 and 9. */
static void two(struct posix_vec *v)
{
	struct posix_obj o = { .dev_major = 0, .dev_minor = 0x1a, .ino = 7, .size = 4096 };

	assert_int_equal(posix_vec_add(v, "a", &o), 0);
	o.ino = 9;
	assert_int_equal(posix_vec_add(v, "b", &o), 0);
}

static void test_maps(void **state)
{
	static const char maps[] =
		"55d0c0a00000-55d0c0a21000 r-xp 00000000 08:01 7 /usr/bin/a\n"         /* other device */
		"7f0000000000-7f0000001000 rw-s 00000000 00:1a 7 /dev/shm/a\n"
		"7f0000001000-7f0000002000 rw-s 00000000 00:1a 7 /dev/shm/a\n"         /* a second mapping */
		"7f0000002000-7f0000003000 rw-s 00000000 00:1a 8 /dev/shm/c (deleted)\n"
		"7f0000003000-7f0000004000 rw-s 00000000 00:01 9 /SYSV00000009 (deleted)\n"
		"7f0000004000-7f0000005000 rw-p 00000000 00:00 0 \n"
		"garbage\n"
		"7f0000005000-7f0000006000 r--s 00001000 00:1a 9 /old/name/of/b (deleted)";
	struct posix_vec v = { 0 };

	(void)state;
	two(&v);
	assert_int_equal(posix_mark_maps(&v, 100, maps, strlen(maps)), 3);
	assert_int_equal(v.v[0].use, POSIX_MAPPED);
	assert_int_equal(v.v[0].nprocs, 1);     /* one process, two mappings */
	assert_int_equal(v.v[1].use, POSIX_MAPPED);
	/* another process maps a too */
	{
		static const char other[] = "7f00-7f01 rw-s 00000000 00:1a 7 /dev/shm/a\n";

		assert_int_equal(posix_mark_maps(&v, 200, other, strlen(other)), 1);
	}
	assert_int_equal(v.v[0].nprocs, 2);
	assert_int_equal(v.v[1].nprocs, 1);
	assert_int_equal(v.v[1].last_pid, 100);
	posix_vec_free(&v);
	assert_null(v.v);
}

static void test_open(void **state)
{
	struct posix_vec v = { 0 };

	(void)state;
	two(&v);
	assert_false(posix_mark_open(&v, 100, 0, 0x1b, 7));     /* other device */
	assert_false(posix_mark_open(&v, 100, 0, 0x1a, 8));     /* other inode */
	assert_int_equal(v.v[0].use, 0);
	assert_true(posix_mark_open(&v, 100, 0, 0x1a, 7));
	assert_int_equal(v.v[0].use, POSIX_OPEN);
	assert_int_equal(v.v[0].nprocs, 1);
	/* mapped and open by the same process: one process */
	assert_int_equal(posix_mark_maps(&v, 100, "7f00-7f01 rw-s 00000000 00:1a 7 /dev/shm/a\n", 44), 1);
	assert_int_equal(v.v[0].use, POSIX_MAPPED | POSIX_OPEN);
	assert_int_equal(v.v[0].nprocs, 1);
	assert_int_equal(v.v[1].use, 0);
	assert_int_equal(v.v[1].nprocs, 0);
	posix_vec_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
