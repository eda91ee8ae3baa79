/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/core/posix-shm.c: which /dev/shm entries are objects,
 * and matching maps lines and open files to objects by dev:inode. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "core/posix-shm.h"

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

/* A maps line names a file as the mapping process's root sees it: an
 * object mapped from a root where it is /SYSV... (a pivot_root into a
 * mount of /dev/shm) is still matched by dev:inode, not taken for a
 * System V segment and skipped. */
static void test_maps_named_like_sysv(void **state)
{
	static const char maps[] =
		"7f0000000000-7f0000001000 rw-s 00000000 00:1a 9 /SYSV00000009 (deleted)\n"
		"7f0000001000-7f0000002000 rw-s 00000000 00:1a 7 /SYSV00000000\n";
	struct posix_vec v = { 0 };

	(void)state;
	two(&v);
	assert_int_equal(posix_mark_maps(&v, 100, maps, strlen(maps)), 2);
	assert_int_equal(v.v[0].use, POSIX_MAPPED);
	assert_int_equal(v.v[1].use, POSIX_MAPPED);
	posix_vec_free(&v);
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

static void test_check_name(void **state)
{
	char longest[NAME_MAX + 2], too_long[NAME_MAX + 3];
	const char *n = NULL;

	(void)state;
	assert_int_equal(posix_check_name("pg_shm.1", &n), POSIX_NAME_OK);
	assert_string_equal(n, "pg_shm.1");
	assert_int_equal(posix_check_name("/pg_shm.1", &n), POSIX_NAME_OK);
	assert_string_equal(n, "pg_shm.1");             /* shm_open style */
	assert_int_equal(posix_check_name(".hidden", &n), POSIX_NAME_OK);
	assert_int_equal(posix_check_name("semaphore", &n), POSIX_NAME_OK);
	assert_int_equal(posix_check_name("esc\033[31m", &n), POSIX_NAME_OK);
	n = NULL;
	assert_int_equal(posix_check_name("", &n), POSIX_NAME_EMPTY);
	assert_int_equal(posix_check_name("/", &n), POSIX_NAME_EMPTY);
	assert_int_equal(posix_check_name("//x", &n), POSIX_NAME_SLASH);
	assert_int_equal(posix_check_name("a/b", &n), POSIX_NAME_SLASH);
	assert_int_equal(posix_check_name("/a/", &n), POSIX_NAME_SLASH);
	assert_int_equal(posix_check_name("../x", &n), POSIX_NAME_SLASH);
	assert_int_equal(posix_check_name(".", &n), POSIX_NAME_DOT);
	assert_int_equal(posix_check_name("/..", &n), POSIX_NAME_DOT);
	assert_int_equal(posix_check_name("sem.lock", &n), POSIX_NAME_SEMAPHORE);
	assert_int_equal(posix_check_name("/sem.", &n), POSIX_NAME_SEMAPHORE);
	assert_null(n);                                 /* untouched on error */

	/* NAME_MAX bytes, with or without the slash, and one more */
	memset(longest, 'a', sizeof(longest));
	longest[0] = '/';
	longest[NAME_MAX + 1] = '\0';
	assert_int_equal(posix_check_name(longest, &n), POSIX_NAME_OK);
	assert_int_equal(strlen(n), NAME_MAX);
	assert_int_equal(posix_check_name(longest + 1, &n), POSIX_NAME_OK);
	memset(too_long, 'a', sizeof(too_long));
	too_long[0] = '/';
	too_long[NAME_MAX + 2] = '\0';
	assert_int_equal(posix_check_name(too_long, &n), POSIX_NAME_TOO_LONG);
	assert_int_equal(posix_check_name(too_long + 1, &n), POSIX_NAME_TOO_LONG);

	assert_string_equal(posix_name_problem(POSIX_NAME_TOO_LONG), "longer than 255 bytes");
	assert_string_equal(posix_name_problem(POSIX_NAME_EMPTY), "empty");
	assert_non_null(strstr(posix_name_problem(POSIX_NAME_SEMAPHORE), "semaphore"));
}

/* With want_holders: each process once, its use the union of what it does. */
static void test_holders(void **state)
{
	struct posix_vec v = { .want_holders = true };
	static const char maps[] = "7f00-7f01 rw-s 00000000 00:1a 7 /dev/shm/a\n"
				   "7f01-7f02 rw-s 00000000 00:1a 7 /dev/shm/a\n";

	(void)state;
	two(&v);
	assert_int_equal(posix_mark_maps(&v, 100, maps, strlen(maps)), 2);
	assert_true(posix_mark_open(&v, 100, 0, 0x1a, 7));      /* the same process */
	assert_true(posix_mark_open(&v, 200, 0, 0x1a, 7));
	assert_true(posix_mark_open(&v, 200, 0, 0x1a, 9));
	assert_int_equal(v.v[0].nprocs, 2);
	assert_int_equal(v.v[0].nholders, 2);
	assert_int_equal(v.v[0].holders[0].pid, 100);
	assert_int_equal(v.v[0].holders[0].use, POSIX_MAPPED | POSIX_OPEN);
	assert_int_equal(v.v[0].holders[1].pid, 200);
	assert_int_equal(v.v[0].holders[1].use, POSIX_OPEN);
	assert_int_equal(v.v[1].nholders, 1);
	assert_int_equal(v.v[1].holders[0].pid, 200);
	assert_false(v.nomem);
	posix_vec_free(&v);

	/* without it: counts only */
	two(&v);
	assert_true(posix_mark_open(&v, 300, 0, 0x1a, 7));
	assert_int_equal(v.v[0].nprocs, 1);
	assert_null(v.v[0].holders);
	posix_vec_free(&v);
}

/* An object of one scan added to another vector (gc's second scan)
 * takes its file, not its use: each vector frees only its own holders. */
static void test_add_scanned(void **state)
{
	struct posix_vec v = { .want_holders = true }, again = { 0 };

	(void)state;
	two(&v);
	assert_true(posix_mark_open(&v, 100, 0, 0x1a, 7));
	assert_non_null(v.v[0].holders);
	assert_int_equal(posix_vec_add(&again, v.v[0].name, &v.v[0]), 0);
	assert_int_equal(again.v[0].ino, 7);
	assert_int_equal(again.v[0].use, 0);
	assert_int_equal(again.v[0].nprocs, 0);
	assert_int_equal(again.v[0].last_pid, 0);
	assert_null(again.v[0].holders);
	assert_int_equal(again.v[0].nholders, 0);
	posix_vec_free(&again);
	assert_int_equal(v.v[0].holders[0].pid, 100);
	posix_vec_free(&v);
}

/* Two names linked to one file: both are in use. */
static void test_links(void **state)
{
	struct posix_vec v = { 0 };
	struct posix_obj o = { .dev_major = 0, .dev_minor = 0x1a, .ino = 7 };

	(void)state;
	assert_int_equal(posix_vec_add(&v, "a", &o), 0);
	assert_int_equal(posix_vec_add(&v, "a-link", &o), 0);
	assert_true(posix_mark_open(&v, 100, 0, 0x1a, 7));
	assert_int_equal(v.v[0].use, POSIX_OPEN);
	assert_int_equal(v.v[1].use, POSIX_OPEN);
	assert_int_equal(v.v[1].nprocs, 1);
	posix_vec_free(&v);
}

/* The same inode number on two devices: only the object of the
 * device given is marked. */
static void test_same_inode_two_devices(void **state)
{
	struct posix_vec v = { 0 };
	struct posix_obj o = { .dev_major = 0, .dev_minor = 0x1a, .ino = 7 };

	(void)state;
	assert_int_equal(posix_vec_add(&v, "a", &o), 0);
	o.dev_minor = 0x2b;
	assert_int_equal(posix_vec_add(&v, "b", &o), 0);
	assert_true(posix_mark_open(&v, 100, 0, 0x2b, 7));
	assert_int_equal(v.v[0].use, 0);
	assert_int_equal(v.v[1].use, POSIX_OPEN);
	assert_false(posix_mark_open(&v, 100, 0, 0x3c, 7));
	posix_vec_free(&v);
}

/* An object added after a mark is found by the next one: the index is
 * made again. */
static void test_add_after_mark(void **state)
{
	struct posix_vec v = { 0 };

	(void)state;
	two(&v);
	assert_false(posix_mark_open(&v, 100, 0, 0x1a, 11));
	{
		struct posix_obj o = { .dev_major = 0, .dev_minor = 0x1a, .ino = 11 };

		assert_int_equal(posix_vec_add(&v, "c", &o), 0);
	}
	assert_true(posix_mark_open(&v, 100, 0, 0x1a, 11));
	assert_int_equal(v.v[2].use, POSIX_OPEN);
	posix_index_drop(&v);
	assert_null(v.index);
	posix_vec_free(&v);
}

/* Many objects (some linked to one file), one process with many
 * mappings: each object is marked as a scan of every object per line
 * would, but the work grows with objects + lines, not their product. */
static void test_many(void **state)
{
	enum { NOBJ = 20000, NLINES = 20000 };
	struct posix_vec v = { 0 };
	char *maps = malloc((size_t)NLINES * 80), *p = maps;
	size_t want = 0;

	(void)state;
	assert_non_null(maps);
	for (unsigned int i = 0; i < NOBJ; i++) {
		/* inodes 1000, 1003, ...; every 100th has a second name */
		struct posix_obj o = { .dev_major = 0, .dev_minor = 0x1a, .ino = 1000 + 3 * i };
		char name[32];

		snprintf(name, sizeof(name), "o%u", i);
		assert_int_equal(posix_vec_add(&v, name, &o), 0);
		if (i % 100 == 0) {
			snprintf(name, sizeof(name), "link%u", i);
			assert_int_equal(posix_vec_add(&v, name, &o), 0);
		}
	}
	for (unsigned int i = 0; i < NLINES; i++) {
		/* every 10th line maps object i (and, for i % 100 == 0, its
		 * second name); the others map files of another device with
		 * the objects' inode numbers, or inodes no object has */
		unsigned int dev = i % 10 ? 0x1b : 0x1a;
		unsigned long long ino = i % 20 == 1 ? 1001 + 3ULL * i : 1000 + 3ULL * i;

		p += sprintf(p, "7f%08x000-7f%08x000 rw-s 00000000 00:%02x %llu /dev/shm/o%u\n",
			     i, i + 1, dev, ino, i);
		if (dev == 0x1a)
			want++;
	}
	assert_int_equal(posix_mark_maps(&v, 100, maps, (size_t)(p - maps)), want);
	for (size_t i = 0; i < v.n; i++) {
		unsigned long long k = (v.v[i].ino - 1000) / 3;
		bool mapped = k < NLINES && k % 10 == 0;

		if ((v.v[i].use == POSIX_MAPPED) != mapped)
			fail_msg("object %s: use %u", v.v[i].name, v.v[i].use);
	}
	if (v.compared > 8ULL * (NOBJ + NLINES))
		fail_msg("%llu objects looked at for %d objects and %d lines", v.compared,
			 NOBJ, NLINES);
	free(maps);
	posix_vec_free(&v);
}

/* The last name of a descriptor's link, and marking by inode and name
 * whatever the device. */
static void test_link_name(void **state)
{
	static const struct {
		const char *link, *name;
	} cases[] = {
		{ "/dev/shm/pg_shm.1", "pg_shm.1" },
		{ "/dev/shm/old (deleted)", "old" },
		{ "/x", "x" },
		{ "/dev/shm/a (deleted) (deleted)", "a (deleted)" },
		{ "/", "" },
		{ "socket:[42]", "" },
		{ " (deleted)", "" },
	};
	struct posix_vec v = { 0 };
	size_t len;
	const char *n;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = posix_link_name(cases[i].link, strlen(cases[i].link), &len);
		if (len != strlen(cases[i].name) || memcmp(n, cases[i].name, len))
			fail_msg("case %zu: '%.*s'", i, (int)len, n);
	}
	two(&v);
	assert_false(posix_mark_open_named(&v, 100, 7, "b", 1));        /* b's name, a's inode */
	assert_false(posix_mark_open_named(&v, 100, 7, "aa", 2));
	assert_false(posix_mark_open_named(&v, 100, 8, "a", 1));
	assert_int_equal(v.v[0].use, 0);
	assert_true(posix_mark_open_named(&v, 100, 7, "a", 1));
	assert_int_equal(v.v[0].use, POSIX_OPEN);
	assert_int_equal(v.v[0].nprocs, 1);
	assert_int_equal(v.v[1].use, 0);
	posix_vec_free(&v);
}

static void test_from_stat(void **state)
{
	struct stat st = { 0 };
	struct posix_obj o;

	(void)state;
	st.st_size = 12345;
	st.st_uid = 1000;
	st.st_gid = 100;
	st.st_mode = S_IFREG | 01640;
	st.st_mtim.tv_sec = 1700000000;
	st.st_mtim.tv_nsec = 42;
	st.st_dev = makedev(0, 0x1a);
	st.st_ino = 77;
	posix_obj_from_stat(&o, &st);
	assert_int_equal(o.size, 12345);
	assert_int_equal(o.uid, 1000);
	assert_int_equal(o.gid, 100);           /* not the uid */
	assert_int_equal(o.mode, 01640);        /* no file type bits */
	assert_int_equal(o.mtime, 1700000000);
	assert_int_equal(o.mtime_nsec, 42);
	assert_int_equal(o.dev_major, 0);
	assert_int_equal(o.dev_minor, 0x1a);
	assert_int_equal(o.ino, 77);
	assert_null(o.name);
	assert_int_equal(o.use, 0);
	assert_null(o.holders);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_maps_named_like_sysv),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_check_name),
		cmocka_unit_test(test_holders),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_same_inode_two_devices),
		cmocka_unit_test(test_add_after_mark),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_link_name),
		cmocka_unit_test(test_add_scanned),
		cmocka_unit_test(test_from_stat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
