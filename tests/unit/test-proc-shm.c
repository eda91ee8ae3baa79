/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/core/proc-shm.c: the /proc/sysvipc/shm parser, on lines,
 * on fixture files (tests/fixtures) and on in-memory files (fmemopen). */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/proc-shm.h"
#include "core/segment.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* What the kernel prints (64-bit): the header and two segments. */
#define HEADER16 "       key      shmid perms                  size  cpid  lpid nattch" \
	"   uid   gid  cuid  cgid      atime      dtime      ctime                   rss" \
	"                  swap\n"
#define LINE_DEADBEEF "-559038737          0   600                  4096  1234  1235      2" \
	"  1000  1001  1002  1003 1700000000 1700000100 1699999000                  4096" \
	"                     0\n"
#define LINE_DEST_LOCKED "         0      32769  3600  18446744073709551615  4321     0      1" \
	"     0     0     0     0          0          0 1699999999                  8192" \
	"                 12288\n"
#define LINE_14 " 305419896      65538   640    1048576   500   501      3  1000   100" \
	"  1000   100 1690000000 1690000001 1680000000\n"

/* Every field of the first fixture segment, so that a field read into
 * the wrong member (uid for cuid...) shows. */
static void assert_deadbeef(const struct shm_segment *s)
{
	assert_int_equal(s->key, -559038737);
	assert_int_equal(seg_key_u32(s), 0xdeadbeefu);
	assert_int_equal(s->id, 0);
	assert_int_equal(s->mode, 0600);
	assert_true(s->size == 4096);
	assert_int_equal(s->cpid, 1234);
	assert_int_equal(s->lpid, 1235);
	assert_true(s->nattch == 2);
	assert_int_equal(s->uid, 1000);
	assert_int_equal(s->gid, 1001);
	assert_int_equal(s->cuid, 1002);
	assert_int_equal(s->cgid, 1003);
	assert_true(s->atime == 1700000000);
	assert_true(s->dtime == 1700000100);
	assert_true(s->ctime == 1699999000);
	assert_true(s->has_memory);
	assert_true(s->rss == 4096);
	assert_true(s->swap == 0);
	assert_false(seg_is_dest(s));
	assert_false(seg_is_locked(s));
}

static void assert_dest_locked(const struct shm_segment *s)
{
	assert_int_equal(s->key, 0);
	assert_int_equal(s->id, 32769);
	assert_int_equal(s->mode, 03600);
	assert_true(seg_is_dest(s));
	assert_true(seg_is_locked(s));
	assert_false(seg_is_orphaned(s));
	assert_true(s->size == UINT64_MAX);
	assert_int_equal(s->cpid, 4321);
	assert_int_equal(s->lpid, 0);
	assert_true(s->nattch == 1);
	assert_true(s->atime == 0);
	assert_true(s->dtime == 0);
	assert_true(s->ctime == 1699999999);
	assert_true(s->has_memory);
	assert_true(s->rss == 8192);
	assert_true(s->swap == 12288);
}

/* ---- proc_shm_parse_line ---- */

static void test_line_negative_key(void **state)
{
	struct shm_segment s;

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	assert_int_equal(proc_shm_parse_line(LINE_DEADBEEF, &s), 0);
	assert_deadbeef(&s);
}

static void test_line_dest_locked_max_size(void **state)
{
	struct shm_segment s;

	(void)state;
	assert_int_equal(proc_shm_parse_line(LINE_DEST_LOCKED, &s), 0);
	assert_dest_locked(&s);
}

static void test_line_14_fields(void **state)
{
	struct shm_segment s;

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	assert_int_equal(proc_shm_parse_line(LINE_14, &s), 0);
	assert_int_equal(s.key, 0x12345678);
	assert_int_equal(s.id, 65538);
	assert_int_equal(s.mode, 0640);
	assert_true(s.size == 1048576);
	assert_int_equal(s.cpid, 500);
	assert_int_equal(s.lpid, 501);
	assert_true(s.nattch == 3);
	assert_int_equal(s.uid, 1000);
	assert_int_equal(s.gid, 100);
	assert_true(s.atime == 1690000000);
	assert_true(s.dtime == 1690000001);
	assert_true(s.ctime == 1680000000);
	assert_false(s.has_memory);
	assert_true(s.rss == 0);
	assert_true(s.swap == 0);
}

static void test_line_accepted_variants(void **state)
{
	static const struct {
		const char *name, *line;
		int32_t key;
		bool has_memory;
	} cases[] = {
		{ "no newline", "1 2 600 4096 1 1 0 0 0 0 0 0 0 1 4096 0", 1, true },
		{ "14, no newline", "1 2 600 4096 1 1 0 0 0 0 0 0 0 1", 1, false },
		{ "tabs", "1\t2\t600\t4096\t1\t1\t0\t0\t0\t0\t0\t0\t0\t1\t4096\t0\n", 1, true },
		{ "14 + trailing blanks", "1 2 600 4096 1 1 0 0 0 0 0 0 0 1   \n", 1, false },
		{ "16 + trailing blanks", "1 2 600 4096 1 1 0 0 0 0 0 0 0 1 0 0 \t \n", 1, true },
		{ "key as unsigned", "4294967295 2 600 4096 1 1 0 0 0 0 0 0 0 1\n", -1, false },
		{ "key INT32_MIN", "-2147483648 2 600 4096 1 1 0 0 0 0 0 0 0 1\n", INT32_MIN, false },
		{ "leading zeros", "007 2 0600 4096 1 1 0 0 0 0 0 0 0 1\n", 7, false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct shm_segment s;
		int rc = proc_shm_parse_line(cases[i].line, &s);

		if (rc != 0)
			fail_msg("%s: returned %d, expected 0", cases[i].name, rc);
		if (s.key != cases[i].key || s.has_memory != cases[i].has_memory)
			fail_msg("%s: key %d has_memory %d", cases[i].name, s.key, s.has_memory);
	}
}

static void test_line_rejected(void **state)
{
	static const struct {
		const char *name, *line;
	} cases[] = {
		{ "header", HEADER16 },
		{ "empty", "" },
		{ "blank", "   \n" },
		{ "garbage", "hello world\n" },
		{ "13 fields", "1 2 600 4096 1 1 0 0 0 0 0 0 0\n" },
		{ "15 fields", "1 2 600 4096 1 1 0 0 0 0 0 0 0 1 4096\n" },
		{ "17 fields", "1 2 600 4096 1 1 0 0 0 0 0 0 0 1 4096 0 7\n" },
		{ "key > UINT32_MAX", "4294967296 2 600 4096 1 1 0 0 0 0 0 0 0 1\n" },
		{ "key < INT32_MIN", "-2147483649 2 600 4096 1 1 0 0 0 0 0 0 0 1\n" },
		{ "id > INT_MAX", "1 2147483648 600 4096 1 1 0 0 0 0 0 0 0 1\n" },
		{ "negative id", "1 -2 600 4096 1 1 0 0 0 0 0 0 0 1\n" },
		{ "perms not octal", "1 2 680 4096 1 1 0 0 0 0 0 0 0 1\n" },
		{ "perms > 07777", "1 2 17777 4096 1 1 0 0 0 0 0 0 0 1\n" },
		{ "size overflow", "1 2 600 18446744073709551616 1 1 0 0 0 0 0 0 0 1\n" },
		{ "size huge", "1 2 600 99999999999999999999999 1 1 0 0 0 0 0 0 0 1\n" },
		{ "cpid > INT_MAX", "1 2 600 4096 2147483648 1 0 0 0 0 0 0 0 1\n" },
		{ "uid overflow", "1 2 600 4096 1 1 0 4294967296 0 0 0 0 0 1\n" },
		{ "cgid overflow", "1 2 600 4096 1 1 0 0 0 0 4294967296 0 0 1\n" },
		{ "atime > INT64_MAX", "1 2 600 4096 1 1 0 0 0 0 0 9223372036854775808 0 1\n" },
		{ "ctime overflow", "1 2 600 4096 1 1 0 0 0 0 0 0 0 18446744073709551616\n" },
		{ "rss overflow", "1 2 600 4096 1 1 0 0 0 0 0 0 0 1 18446744073709551616 0\n" },
		{ "negative size", "1 2 600 -4096 1 1 0 0 0 0 0 0 0 1\n" },
		{ "letter in a number", "1 2 600 40x6 1 1 0 0 0 0 0 0 0 1\n" },
		{ "hex key", "0x10 2 600 4096 1 1 0 0 0 0 0 0 0 1\n" },
		{ "comma separated", "1,2,600,4096,1,1,0,0,0,0,0,0,0,1\n" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct shm_segment s;
		int rc;

		memset(&s, 0xa5, sizeof(s));
		rc = proc_shm_parse_line(cases[i].line, &s);
		if (rc != -EINVAL)
			fail_msg("%s: returned %d, expected %d", cases[i].name, rc, -EINVAL);
		/* the output is left alone */
		for (size_t b = 0; b < sizeof(s); b++)
			if (((unsigned char *)&s)[b] != 0xa5)
				fail_msg("%s: output written on error", cases[i].name);
	}
}

/* A minus sign must be followed by the digits, as the kernel prints it:
 * "- 5" is two tokens, not the key -5, and the line has 15 fields. */
static void test_line_detached_minus_sign(void **state)
{
	struct shm_segment s = { .key = 42 };

	(void)state;
	assert_int_equal(proc_shm_parse_line("- 5 2 600 4096 1 1 0 0 0 0 0 0 0 1\n", &s), -EINVAL);
	assert_int_equal(s.key, 42);
}

/* ---- proc_shm_each into a vector, on fixture files ---- */

static int read_fixture(const char *name, struct shm_vec *vec)
{
	char path[4096];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	f = fopen(path, "re");
	if (!f)
		fail_msg("cannot open %s", path);
	rc = proc_shm_each(f, shm_vec_append, vec);
	fclose(f);
	return rc;
}

static void test_read_fixture_16(void **state)
{
	struct shm_vec vec = { 0 };

	(void)state;
	assert_int_equal(read_fixture("proc-shm-16.txt", &vec), 1);   /* the header */
	assert_int_equal(vec.n, 3);
	assert_deadbeef(&vec.v[0]);
	assert_dest_locked(&vec.v[1]);
	assert_int_equal(vec.v[2].key, INT32_MAX);
	assert_int_equal(vec.v[2].id, INT_MAX);
	assert_int_equal(vec.v[2].mode, 0644);
	assert_true(vec.v[2].size == 1);
	assert_int_equal(vec.v[2].uid, 65534);
	assert_true(vec.v[2].rss == 0);
	assert_true(vec.v[2].swap == 4096);
	assert_true(vec.v[2].has_memory);
	shm_vec_free(&vec);
}

static void test_read_fixture_14(void **state)
{
	struct shm_vec vec = { 0 };

	(void)state;
	assert_int_equal(read_fixture("proc-shm-14.txt", &vec), 1);
	assert_int_equal(vec.n, 2);
	assert_int_equal(vec.v[0].key, 0x12345678);
	assert_int_equal(vec.v[0].id, 65538);
	assert_int_equal(vec.v[0].mode, 0640);
	assert_true(vec.v[0].size == 1048576);
	assert_int_equal(vec.v[0].cuid, 1000);
	assert_int_equal(vec.v[0].cgid, 100);
	assert_false(vec.v[0].has_memory);
	assert_int_equal(vec.v[1].key, -1);
	assert_int_equal(vec.v[1].mode, 01666);
	assert_true(seg_is_dest(&vec.v[1]));
	assert_false(seg_is_locked(&vec.v[1]));
	assert_false(vec.v[1].has_memory);
	shm_vec_free(&vec);
}

static void test_read_fixture_garbage(void **state)
{
	struct shm_vec vec = { 0 };

	(void)state;
	/* header, text, blank, 15 fields, 17 fields, size overflow,
	 * perms not octal, 13 fields */
	assert_int_equal(read_fixture("proc-shm-garbage.txt", &vec), 8);
	assert_int_equal(vec.n, 2);
	assert_int_equal(vec.v[0].id, 10);
	assert_int_equal(vec.v[1].id, 16);
	assert_true(vec.v[1].size == 8192);
	assert_true(vec.v[1].ctime == 7);
	shm_vec_free(&vec);
}

static void test_read_fixture_no_newline(void **state)
{
	struct shm_vec vec = { 0 };

	(void)state;
	assert_int_equal(read_fixture("proc-shm-no-newline.txt", &vec), 1);
	assert_int_equal(vec.n, 2);
	assert_int_equal(vec.v[1].id, 101);
	assert_true(vec.v[1].size == 8192);
	assert_true(vec.v[1].has_memory);
	assert_true(vec.v[1].rss == 8192);
	assert_true(vec.v[1].swap == 0);
	shm_vec_free(&vec);
}

static void test_read_fixture_header_only_and_empty(void **state)
{
	struct shm_vec vec = { 0 };

	(void)state;
	assert_int_equal(read_fixture("proc-shm-header-only.txt", &vec), 1);
	assert_int_equal(vec.n, 0);
	assert_int_equal(read_fixture("proc-shm-empty.txt", &vec), 0);
	assert_int_equal(vec.n, 0);
	shm_vec_free(&vec);
}

/* Appending: a second read keeps the first one's segments. */
static void test_read_appends(void **state)
{
	struct shm_vec vec = { 0 };

	(void)state;
	assert_int_equal(read_fixture("proc-shm-16.txt", &vec), 1);
	assert_int_equal(read_fixture("proc-shm-14.txt", &vec), 1);
	assert_int_equal(vec.n, 5);
	assert_deadbeef(&vec.v[0]);
	assert_int_equal(vec.v[3].id, 65538);
	shm_vec_free(&vec);
	assert_null(vec.v);
	assert_int_equal(vec.n, 0);
}

/* ---- proc_shm_each into a vector, on in-memory files ---- */

static int read_text(const char *text, size_t len, struct shm_vec *vec)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int rc;

	assert_non_null(f);
	rc = proc_shm_each(f, shm_vec_append, vec);
	fclose(f);
	return rc;
}

static void test_read_mem_no_trailing_newline(void **state)
{
	static const char text[] = HEADER16 LINE_DEADBEEF
		"         5         77   600                  4096     1     1      0"
		"     0     0     0     0          0          0          1";
	struct shm_vec vec = { 0 };

	(void)state;
	assert_int_equal(read_text(text, sizeof(text) - 1, &vec), 1);
	assert_int_equal(vec.n, 2);
	assert_deadbeef(&vec.v[0]);
	assert_int_equal(vec.v[1].key, 5);
	assert_int_equal(vec.v[1].id, 77);
	assert_false(vec.v[1].has_memory);
	shm_vec_free(&vec);
}

static void test_read_mem_garbage_counted(void **state)
{
	static const char text[] =
		HEADER16
		"garbage\n"
		LINE_DEADBEEF
		"1 2 600 4096 1 1 0 0 0 0 0 0 0 1 4096\n"          /* 15 */
		"1 2 600 4096 1 1 0 0 0 0 0 0 0 1 4096 0 0\n"      /* 17 */
		"\n"
		LINE_DEST_LOCKED
		"partial line without newline 1 2 3";
	struct shm_vec vec = { 0 };

	(void)state;
	assert_int_equal(read_text(text, sizeof(text) - 1, &vec), 6);
	assert_int_equal(vec.n, 2);
	assert_deadbeef(&vec.v[0]);
	assert_dest_locked(&vec.v[1]);
	shm_vec_free(&vec);
}

static void test_read_mem_long_line(void **state)
{
	size_t len = 200000;
	char *text = malloc(len + sizeof(LINE_14));
	struct shm_vec vec = { 0 };

	(void)state;
	assert_non_null(text);
	memset(text, '7', len - 1);
	text[len - 1] = '\n';
	memcpy(text + len, LINE_14, sizeof(LINE_14));
	assert_int_equal(read_text(text, len + sizeof(LINE_14) - 1, &vec), 1);
	assert_int_equal(vec.n, 1);
	assert_int_equal(vec.v[0].id, 65538);
	shm_vec_free(&vec);
	free(text);
}

/* Many segments: the vector grows past its first allocation. */
static void test_read_mem_many(void **state)
{
	enum { N = 1000 };
	char *text = malloc(N * 64 + 1), *p = text;
	struct shm_vec vec = { 0 };

	(void)state;
	assert_non_null(text);
	for (int i = 0; i < N; i++)
		p += sprintf(p, "%d %d 600 %d 1 1 0 0 0 0 0 0 0 %d\n", i, i * 32768 + i, i + 1, i);
	assert_int_equal(read_text(text, (size_t)(p - text), &vec), 0);
	assert_int_equal(vec.n, N);
	for (int i = 0; i < N; i++) {
		assert_int_equal(vec.v[i].key, i);
		assert_int_equal(vec.v[i].id, i * 32768 + i);
		assert_true(vec.v[i].size == (uint64_t)i + 1);
	}
	shm_vec_free(&vec);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_negative_key),
		cmocka_unit_test(test_line_dest_locked_max_size),
		cmocka_unit_test(test_line_14_fields),
		cmocka_unit_test(test_line_accepted_variants),
		cmocka_unit_test(test_line_rejected),
		cmocka_unit_test(test_line_detached_minus_sign),
		cmocka_unit_test(test_read_fixture_16),
		cmocka_unit_test(test_read_fixture_14),
		cmocka_unit_test(test_read_fixture_garbage),
		cmocka_unit_test(test_read_fixture_no_newline),
		cmocka_unit_test(test_read_fixture_header_only_and_empty),
		cmocka_unit_test(test_read_appends),
		cmocka_unit_test(test_read_mem_no_trailing_newline),
		cmocka_unit_test(test_read_mem_garbage_counted),
		cmocka_unit_test(test_read_mem_long_line),
		cmocka_unit_test(test_read_mem_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
