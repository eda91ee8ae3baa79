/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the pure parts of src/core/attach.c: the /proc/PID/maps line
 * parser, the table of who is attached, and its formatters. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/attach.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- attach_parse_maps_line ---- */

/* The devices of segments in these tests: the shm mount, and a hugetlbfs
 * mount at 00:10. */
static const struct attach_devs shm_devs = {
	.n = 2, .v = { { 0, 1 }, { 0, 0x10 } },
};

static int parse(const char *line, struct maps_line *ml)
{
	return attach_parse_maps_line(line, strlen(line), &shm_devs, ml);
}

static void test_line_sysv(void **state)
{
	struct maps_line ml;

	(void)state;
	/* the kernel's layout: the name padded to a column */
	assert_int_equal(parse("7f3de6d00000-7f3de6d01000 rw-s 00000000 00:01 42768"
			       "                      /SYSV1234abcd (deleted)\n", &ml), 1);
	assert_true(ml.start == 0x7f3de6d00000ULL);
	assert_true(ml.end == 0x7f3de6d01000ULL);
	assert_string_equal(ml.perms, "rw-s");
	assert_int_equal(ml.offset, 0);
	assert_int_equal(ml.dev_major, 0);
	assert_int_equal(ml.dev_minor, 1);
	assert_int_equal(ml.inode, 42768);
	assert_int_equal(ml.namelen, strlen("/SYSV1234abcd (deleted)"));
	assert_memory_equal(ml.name, "/SYSV1234abcd (deleted)", ml.namelen);
	assert_true(ml.deleted);
}

static void test_line_variants(void **state)
{
	static const struct {
		const char *name, *line;
		int rc;
		uint64_t inode, offset;
		const char *mapname;
		int deleted;
	} cases[] = {
		{ "one space before the name",
		  "7f00-7f01 r--s 00000000 00:01 5 /SYSV00000000 (deleted)", 1, 5, 0,
		  "/SYSV00000000 (deleted)", 1 },
		{ "tabs and runs of spaces between fields",
		  "7f00-7f01  r--s\t00000000   00:01  5\t\t/SYSV00000000 (deleted)", 1, 5, 0,
		  "/SYSV00000000 (deleted)", 1 },
		{ "no (deleted) suffix: a file someone named so",
		  "7f00-7f01 rw-s 00000000 00:01 7 /SYSV0000002a", 0, 7, 0, "/SYSV0000002a", 0 },
		{ "another device: a tmpfs someone mounted",
		  "7f00-7f01 rw-s 00000000 00:2b 5 /SYSV00000002 (deleted)", 0, 5, 0,
		  "/SYSV00000002 (deleted)", 1 },
		{ "another device, not deleted",
		  "7f00-7f01 rw-s 00000000 00:2b 5 /SYSV00000002", 0, 5, 0, "/SYSV00000002", 0 },
		{ "a disk file named so",
		  "7f00-7f01 rw-s 00000000 08:01 5 /SYSV00000002 (deleted)", 0, 5, 0,
		  "/SYSV00000002 (deleted)", 1 },
		{ "a key of 7 digits",
		  "7f00-7f01 rw-s 00000000 00:01 5 /SYSV0000002 (deleted)", 0, 5, 0,
		  "/SYSV0000002 (deleted)", 1 },
		{ "a key of 9 digits",
		  "7f00-7f01 rw-s 00000000 00:01 5 /SYSV000000002 (deleted)", 0, 5, 0,
		  "/SYSV000000002 (deleted)", 1 },
		{ "an upper-case key (the kernel writes lower case)",
		  "7f00-7f01 rw-s 00000000 00:01 5 /SYSV0000002A (deleted)", 0, 5, 0,
		  "/SYSV0000002A (deleted)", 1 },
		{ "a key that is not hex",
		  "7f00-7f01 rw-s 00000000 00:01 5 /SYSV0000002g (deleted)", 0, 5, 0,
		  "/SYSV0000002g (deleted)", 1 },
		{ "deleted twice",
		  "7f00-7f01 rw-s 00000000 00:01 5 /SYSV00000002 (deleted) (deleted)", 0, 5, 0,
		  "/SYSV00000002 (deleted) (deleted)", 1 },
		{ "a directory /SYSV00000002 (deleted)",
		  "7f00-7f01 rw-s 00000000 00:01 5 /SYSV00000002 (deleted)/x (deleted)", 0, 5, 0,
		  "/SYSV00000002 (deleted)/x (deleted)", 1 },
		{ "a negative key",
		  "7f00-7f01 rw-s 00000000 00:01 9 /SYSVdeadbeef (deleted)", 1, 9, 0,
		  "/SYSVdeadbeef (deleted)", 1 },
		{ "offset of a split mapping",
		  "7f01-7f02 r--s 00001000 00:01 32768 /SYSV00000000 (deleted)", 1, 32768, 0x1000,
		  "/SYSV00000000 (deleted)", 1 },
		{ "hugetlb: another device",
		  "7f00-7f01 rw-s 00000000 00:10 3 /SYSV00000000 (deleted)", 1, 3, 0,
		  "/SYSV00000000 (deleted)", 1 },
		{ "shmid 0", "7f00-7f01 rw-s 00000000 00:01 0 /SYSV00000000 (deleted)", 1, 0, 0,
		  "/SYSV00000000 (deleted)", 1 },
		{ "largest shmid", "7f00-7f01 rw-s 00000000 00:01 2147483647 /SYSV00000000 (deleted)",
		  1, 2147483647, 0, "/SYSV00000000 (deleted)", 1 },
		{ "memfd on 00:01 is not SysV",
		  "7f00-7f01 rw-s 00000000 00:01 5 /memfd:pool (deleted)", 0, 5, 0,
		  "/memfd:pool (deleted)", 1 },
		{ "memfd named like SysV is not SysV",
		  "7f00-7f01 rw-s 00000000 00:01 6 /memfd:/SYSV00000000 (deleted)", 0, 6, 0,
		  "/memfd:/SYSV00000000 (deleted)", 1 },
		{ "a file with SYSV inside its path",
		  "7f00-7f01 rw-s 00000000 08:01 1234 /tmp/SYSV1", 0, 1234, 0, "/tmp/SYSV1", 0 },
		{ "a name with spaces",
		  "7f00-7f01 r-xp 00002000 08:01 99 /opt/my app/lib x.so", 0, 99, 0x2000,
		  "/opt/my app/lib x.so", 0 },
		{ "a deleted file with spaces",
		  "7f00-7f01 rw-s 00000000 08:01 99 /tmp/a b (deleted)\n", 0, 99, 0,
		  "/tmp/a b (deleted)", 1 },
		{ "anonymous, no name", "7ffc0000-7ffd0000 rw-p 00000000 00:00 0", 0, 0, 0, "", 0 },
		{ "anonymous, newline", "7ffc0000-7ffd0000 rw-p 00000000 00:00 0\n", 0, 0, 0, "", 0 },
		{ "[heap]", "55d0-55e0 rw-p 00000000 00:00 0          [heap]", 0, 0, 0, "[heap]", 0 },
		{ "/SYSV alone", "7f00-7f01 rw-s 00000000 00:01 8 /SYSV", 0, 8, 0, "/SYSV", 0 },
		{ "/SYSV deleted alone", "7f00-7f01 rw-s 00000000 00:01 8 /SYSV (deleted)", 0, 8, 0,
		  "/SYSV (deleted)", 1 },
		{ "upper-case hex", "7F00-7F01 rw-s 0000000A 00:01 8 /SYSV0000abcd (deleted)", 1, 8,
		  10, "/SYSV0000abcd (deleted)", 1 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct maps_line ml;
		int rc = parse(cases[i].line, &ml);

		if (rc != cases[i].rc)
			fail_msg("%s: returned %d, expected %d", cases[i].name, rc, cases[i].rc);
		if (ml.inode != cases[i].inode || ml.offset != cases[i].offset)
			fail_msg("%s: inode %llu offset %llu", cases[i].name,
				 (unsigned long long)ml.inode, (unsigned long long)ml.offset);
		if (ml.namelen != strlen(cases[i].mapname) ||
		    memcmp(ml.name, cases[i].mapname, ml.namelen) != 0)
			fail_msg("%s: name '%.*s', expected '%s'", cases[i].name,
				 (int)ml.namelen, ml.name, cases[i].mapname);
		if (ml.deleted != cases[i].deleted)
			fail_msg("%s: deleted %d", cases[i].name, ml.deleted);
	}
}

static void test_line_malformed(void **state)
{
	static const struct {
		const char *name, *line;
		int rc;
	} cases[] = {
		{ "empty", "", -EINVAL },
		{ "newline only", "\n", -EINVAL },
		{ "garbage", "hello world", -EINVAL },
		{ "no end address", "7f00- rw-s 00000000 00:01 5 /SYSV0", -EINVAL },
		{ "end before start", "7f01-7f00 rw-s 00000000 00:01 5 /SYSV0", -EINVAL },
		{ "bad perms", "7f00-7f01 rwzs 00000000 00:01 5 /SYSV0", -EINVAL },
		{ "short perms", "7f00-7f01 rw 00000000 00:01 5 /SYSV0", -EINVAL },
		{ "no device colon", "7f00-7f01 rw-s 00000000 0001 5 /SYSV0", -EINVAL },
		{ "no inode", "7f00-7f01 rw-s 00000000 00:01", -EINVAL },
		{ "inode runs into text", "7f00-7f01 rw-s 00000000 00:01 12a /SYSV0", -EINVAL },
		{ "negative inode", "7f00-7f01 rw-s 00000000 00:01 -5 /SYSV0", -EINVAL },
		{ "address overflows", "1ffffffffffffffff-1ffffffffffffffff rw-s 0 00:01 5 /SYSV0",
		  -EINVAL },
		{ "SysV inode past INT_MAX",
		  "7f00-7f01 rw-s 00000000 00:01 2147483648 /SYSV00000000 (deleted)", -ERANGE },
		{ "truncated", "7f00-7f01 rw-s 000", -EINVAL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct maps_line ml;
		int rc = parse(cases[i].line, &ml);

		if (rc != cases[i].rc)
			fail_msg("%s: returned %d, expected %d", cases[i].name, rc, cases[i].rc);
	}
}

/* The length argument bounds the parse: a line need not be terminated. */
static void test_line_bounded(void **state)
{
	const char text[] = "7f00-7f01 rw-s 00000000 00:01 5 /SYSV00000000 (deleted)\n"
			    "7f01-7f02 rw-s 00000000 00:01 6 /memfd:x";
	struct maps_line ml;

	(void)state;
	assert_int_equal(attach_parse_maps_line(text, strchr(text, '\n') - text, &shm_devs, &ml), 1);
	assert_int_equal(ml.inode, 5);
	assert_true(ml.deleted);
	/* cut inside the inode: "00:01 " and no inode */
	assert_int_equal(attach_parse_maps_line(text, 30, &shm_devs, &ml), -EINVAL);
	/* cut inside " (deleted)": not a segment's name */
	assert_int_equal(attach_parse_maps_line(text, strchr(text, '\n') - text - 1, &shm_devs, &ml),
			 0);
}

/* A NUL byte in the permissions is not a permission (found by
 * fuzz-maps: strchr() finds the terminator of its set). */
static void test_line_nul_in_perms(void **state)
{
	static const char line[] = "7f00-7f01 r\0-s 00000000 00:01 5 /SYSV00000000 (deleted)";
	static const char nul4[] = "7f00-7f01 \0\0\0\0 00000000 00:01 5 /SYSV00000000 (deleted)";
	struct maps_line ml;

	(void)state;
	assert_int_equal(attach_parse_maps_line(line, sizeof(line) - 1, &shm_devs, &ml), -EINVAL);
	assert_int_equal(attach_parse_maps_line(nul4, sizeof(nul4) - 1, &shm_devs, &ml), -EINVAL);
}

/* Line by line through a maps text: an empty line and a malformed one
 * are lines too, the last may lack its newline, and the walk ends at
 * end, not at a NUL. */
static void test_next_line(void **state)
{
	static const char text[] =
		"7f00-7f01 rw-s 00000000 00:01 5 /SYSV00000000 (deleted)\n"
		"\n"
		"not a mapping\n"
		"55d0-55d1 r-xp 00000000 08:01 1311 /usr/bin/server";
	static const int expect[] = { 1, -EINVAL, -EINVAL, 0 };
	const char *p = text, *end = text + sizeof(text) - 1;
	struct maps_line ml;
	size_t n = 0;

	(void)state;
	while (p < end) {
		assert_true(n < sizeof(expect) / sizeof(expect[0]));
		assert_int_equal(attach_next_line(&p, end, &shm_devs, &ml), expect[n]);
		n++;
	}
	assert_int_equal(n, 4);
	assert_ptr_equal(p, end);
	assert_int_equal(ml.inode, 1311);
	assert_int_equal(ml.namelen, strlen("/usr/bin/server"));

	/* a text cut in the middle of a line: the piece is the last line */
	p = text;
	assert_int_equal(attach_next_line(&p, text + 10, &shm_devs, &ml), -EINVAL);
	assert_ptr_equal(p, text + 10);
}

/* Without devices no line is a segment's: every file mapping is 0, for
 * the readers of POSIX objects, and a line of a segment is one too. */
static void test_no_devices(void **state)
{
	static const char text[] =
		"7f00-7f01 rw-s 00000000 00:01 5 /SYSV00000000 (deleted)\n"
		"not a mapping\n"
		"7f01-7f02 rw-s 00000000 00:1b 77 /SYSV00000000\n";
	static const int expect[] = { 0, -EINVAL, 0 };
	const char *p = text, *end = text + sizeof(text) - 1;
	struct maps_line ml;
	size_t n = 0;

	(void)state;
	while (p < end) {
		assert_true(n < sizeof(expect) / sizeof(expect[0]));
		assert_int_equal(attach_next_maps_line(&p, end, &ml), expect[n]);
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(ml.inode, 77);
	assert_int_equal(ml.dev_minor, 0x1b);
	p = text;
	assert_int_equal(attach_next_line(&p, end, &(struct attach_devs){ 0 }, &ml), 0);
}

static void test_devs(void **state)
{
	struct attach_devs d = { 0 };

	(void)state;
	assert_false(attach_devs_has(&d, 0, 1));
	assert_false(attach_devs_has(NULL, 0, 1));
	assert_int_equal(attach_devs_add(&d, 0, 1), 0);
	assert_int_equal(attach_devs_add(&d, 0, 1), 0);
	assert_int_equal(d.n, 1);
	assert_true(attach_devs_has(&d, 0, 1));
	assert_false(attach_devs_has(&d, 1, 0));
	assert_false(attach_devs_has(&d, 0, 0x11));
	for (unsigned int i = 2; d.n < ATTACH_MAX_DEVS; i++)
		assert_int_equal(attach_devs_add(&d, 0, i), 0);
	assert_int_equal(attach_devs_add(&d, 0, 1000), -ENOSPC);
	assert_int_equal(attach_devs_add(&d, 0, 1), 0);         /* there already */
	assert_int_equal(d.n, ATTACH_MAX_DEVS);
}

static void test_huge_shift(void **state)
{
	static const struct { const char *name; int shift; } cases[] = {
		{ "hugepages-2048kB", 21 },
		{ "hugepages-1048576kB", 30 },
		{ "hugepages-64kB", 16 },
		{ "hugepages-16777216kB", 34 },
		{ "hugepages-1kB", 10 },
		{ "hugepages-3072kB", -EINVAL },        /* not a power of two */
		{ "hugepages-0kB", -EINVAL },
		{ "hugepages-kB", -EINVAL },
		{ "hugepages-2048", -EINVAL },
		{ "hugepages-2048KB", -EINVAL },
		{ "hugepages-2048kBx", -EINVAL },
		{ "hugepages--2048kB", -EINVAL },
		{ "hugepages-9007199254740992kB", 63 },
		{ "hugepages-18014398509481984kB", -EINVAL },   /* 2^64 bytes: past 6 bits */
		{ "hugepages-99999999999999999999999kB", -EINVAL },
		{ ".", -EINVAL },
		{ "..", -EINVAL },
		{ "", -EINVAL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		if (attach_huge_shift(cases[i].name) != cases[i].shift)
			fail_msg("%s: %d, expected %d", cases[i].name,
				 attach_huge_shift(cases[i].name), cases[i].shift);
}

/* ---- the table ---- */

#define SYSV(start, end, perms, off, id) \
	start "-" end " " perms " " off " 00:01 " id "                  /SYSV00000000 (deleted)\n"

/* pid 100: segment 5 attached twice (adjacent in memory, both at offset
 * 0: two attaches, not one split), segment 7 read-only; and files named
 * like segments 5 and 7 that are not theirs. */
static const char maps_100[] =
	"55d000000000-55d000001000 r-xp 00000000 08:01 1311 /usr/bin/server\n"
	SYSV("7f0000000000", "7f0000003000", "rw-s", "00000000", "5")
	SYSV("7f0000003000", "7f0000006000", "rw-s", "00000000", "5")
	"7f0000006000-7f0000007000 rw-s 00000000 00:01 5 /memfd:not-sysv (deleted)\n"
	"7f0000007000-7f0000008000 rw-s 00000000 00:2b 5 /SYSV00000000 (deleted)\n"
	"7f0000008000-7f0000009000 rw-s 00000000 00:01 7 /SYSV00000000\n"
	SYSV("7f1000000000", "7f1000001000", "r--s", "00000000", "7")
	"7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]\n";

/* pid 101: its fork child, the same mapping of 5 (a garbage line too). */
static const char maps_101[] =
	SYSV("7f0000000000", "7f0000003000", "rw-s", "00000000", "5")
	"this line is not a mapping\n"
	SYSV("7f1000000000", "7f1000001000", "r--s", "00000000", "7");

/* pid 102: segment 5 split in three by an mprotect of its middle page;
 * no final newline. */
static const char maps_102[] =
	SYSV("7f2000000000", "7f2000001000", "rw-s", "00000000", "5")
	SYSV("7f2000001000", "7f2000002000", "r--s", "00001000", "5")
	"7f2000002000-7f2000003000 rw-s 00002000 00:01 5 /SYSV00000000 (deleted)";

static void build(struct attach_table *t)
{
	t->devs = shm_devs;
	/* out of pid order: the index sorts */
	assert_int_equal(attach_add_maps(t, 102, maps_102, strlen(maps_102)), 3);
	assert_int_equal(attach_add_maps(t, 100, maps_100, strlen(maps_100)), 3);
	assert_int_equal(attach_add_maps(t, 101, maps_101, strlen(maps_101)), 2);
	assert_int_equal(attach_add_maps(t, 103, "", 0), 0);
	assert_int_equal(attach_table_index(t), 0);
}

static void test_table(void **state)
{
	struct attach_table t = { 0 };
	const struct attach_seg *s5, *s7;

	(void)state;
	build(&t);
	assert_int_equal(t.nsegs, 2);
	assert_int_equal(t.nmaps, 8);

	s5 = attach_find(&t, 5);
	assert_non_null(s5);
	assert_int_equal(s5->shmid, 5);
	assert_int_equal(s5->nprocs, 3);
	assert_int_equal(s5->mappings, 6);      /* 2 + 1 + 3 VMAs */
	assert_int_equal(s5->procs[0].pid, 100);
	assert_int_equal(s5->procs[1].pid, 101);
	assert_int_equal(s5->procs[2].pid, 102);
	assert_int_equal(s5->procs[0].nmaps, 2);
	assert_int_equal(s5->procs[1].nmaps, 1);
	assert_int_equal(s5->procs[2].nmaps, 3);
	assert_int_equal(s5->procs[0].access, ATTACH_RW);
	assert_int_equal(s5->procs[2].access, ATTACH_RW | ATTACH_RO);

	s7 = attach_find(&t, 7);
	assert_non_null(s7);
	assert_int_equal(s7->nprocs, 2);
	assert_int_equal(s7->mappings, 2);
	assert_int_equal(s7->procs[0].access, ATTACH_RO);
	assert_int_equal(s7->procs[0].pid, 100);
	assert_int_equal(s7->procs[1].pid, 101);

	assert_null(attach_find(&t, 6));
	assert_null(attach_find(&t, 0));
	assert_null(attach_find(&t, 1000));

	attach_table_free(&t);
	assert_null(t.maps);
}

/* No device known: nothing counts, and every segment that the kernel
 * says is attached is partial, shown as "..." and "0+". */
static void test_table_no_devices(void **state)
{
	struct attach_table t = { 0 };
	struct attach_buf b = { 0 };

	(void)state;
	assert_int_equal(attach_add_maps(&t, 100, maps_100, strlen(maps_100)), 0);
	assert_int_equal(attach_add_maps(&t, 102, maps_102, strlen(maps_102)), 0);
	assert_int_equal(attach_table_index(&t), 0);
	assert_int_equal(t.nsegs, 0);
	assert_null(attach_find(&t, 5));
	assert_true(attach_is_partial(attach_find(&t, 5), 6));
	assert_false(attach_is_partial(attach_find(&t, 5), 0));
	assert_int_equal(attach_format_attached(attach_find(&t, 5), true, ',', NULL, NULL, &b), 0);
	assert_string_equal(b.p, "...");
	attach_buf_free(&b);
	attach_table_free(&t);
}

/* A table whose capacity cannot double without wrapping round: the
 * mapping is refused (no memory), never written past a block that the
 * wrapped size made small. */
static void test_table_overflow(void **state)
{
	struct attach_table t = { .devs = shm_devs };
	size_t huge = SIZE_MAX / sizeof(struct attach_map) / 2 + 1;
	struct attach_map *maps = calloc(1, sizeof(*maps));

	(void)state;
	assert_non_null(maps);
	t.maps = maps;
	t.nmaps = t.capmaps = huge;     /* as if; only maps[0] exists */
	assert_int_equal(attach_add_maps(&t, 100, maps_100, strlen(maps_100)), -ENOMEM);
	assert_ptr_equal(t.maps, maps);
	assert_true(t.nmaps == huge && t.capmaps == huge);
	free(maps);
}

/* Room for more bytes than can be: refused, not looped on. */
static void test_buf_overflow(void **state)
{
	struct attach_buf b = { 0 };

	(void)state;
	assert_int_equal(attach_buf_reserve(&b, SIZE_MAX), -ENOMEM);
	assert_int_equal(attach_buf_reserve(&b, SIZE_MAX / 2 + 2), -ENOMEM);
	assert_int_equal(attach_buf_reserve(&b, 10), 0);
	assert_string_equal(b.p, "");
	attach_buf_free(&b);
}

static void test_table_empty(void **state)
{
	struct attach_table t = { 0 };

	(void)state;
	assert_int_equal(attach_table_index(&t), 0);
	assert_int_equal(t.nsegs, 0);
	assert_null(attach_find(&t, 0));
	attach_table_free(&t);
}

/* nattch counts mappings: the figure is complete when every one of them
 * was found. */
static void test_partial(void **state)
{
	struct attach_table t = { 0 };
	const struct attach_seg *s5;

	(void)state;
	build(&t);
	s5 = attach_find(&t, 5);
	assert_false(attach_is_partial(s5, 6));
	assert_true(attach_is_partial(s5, 7));
	assert_false(attach_is_partial(s5, 5));         /* found more: a race */
	assert_false(attach_is_partial(NULL, 0));
	assert_true(attach_is_partial(NULL, 1));
	attach_table_free(&t);
}

/* sysv_stat() replaced: what the kernel says now of any segment. */
static struct shm_segment kernel_now;
static int nstats;

int __wrap_sysv_stat(int id, struct shm_segment *seg);
int __wrap_sysv_stat(int id, struct shm_segment *seg)
{
	nstats++;
	*seg = kernel_now;
	seg->id = id;
	return 0;
}

/* A segment that looks partial after the scan: its nattch read again.
 * Fewer attached now: the count settles. The same process still there
 * and nothing moved: partial (a process the scan could not see). One
 * left and another came meanwhile (lpid or times moved): the caller
 * must scan again, with the kernel's figures of now. */
static void test_settle(void **state)
{
	struct attach_table t = { 0 };
	struct shm_segment segs[2] = {
		{ .id = 5, .nattch = 6, .lpid = 102 },  /* every mapping found */
		{ .id = 9, .nattch = 1, .lpid = 200, .atime = 1000 },
	};

	(void)state;
	build(&t);
	kernel_now = (struct shm_segment){ .nattch = 0, .lpid = 200, .atime = 1000, .dtime = 1001 };
	nstats = 0;
	assert_false(attach_settle_partial(&t, segs, 2));
	assert_int_equal(nstats, 1);            /* segment 5 is not read again */
	assert_int_equal(segs[0].nattch, 6);
	assert_int_equal(segs[1].nattch, 0);
	assert_false(attach_is_partial(attach_find(&t, 9), segs[1].nattch));

	segs[1] = (struct shm_segment){ .id = 9, .nattch = 1, .lpid = 200, .atime = 1000 };
	kernel_now = segs[1];
	assert_false(attach_settle_partial(&t, segs, 2));
	assert_int_equal(segs[1].nattch, 1);
	assert_true(attach_is_partial(attach_find(&t, 9), segs[1].nattch));

	kernel_now = (struct shm_segment){ .nattch = 1, .lpid = 201, .atime = 1000, .dtime = 1000 };
	assert_true(attach_settle_partial(&t, segs, 2));
	assert_int_equal(segs[1].lpid, 201);
	assert_int_equal(segs[1].dtime, 1000);
	assert_int_equal(segs[1].nattch, 1);
	assert_false(attach_settle_partial(&t, segs, 2));       /* now still */

	/* more attached now than before: the scan may have missed the new
	 * one, and the old one too */
	kernel_now = (struct shm_segment){ .nattch = 2, .lpid = 202, .atime = 1002, .dtime = 1000 };
	assert_true(attach_settle_partial(&t, segs, 2));
	assert_int_equal(segs[1].nattch, 2);
	attach_table_free(&t);
}

static const char *fake_name(void *ctx, pid_t pid)
{
	(void)ctx;
	return pid == 100 ? "server" : pid == 102 ? "a(b)" : NULL;
}

static void test_format(void **state)
{
	struct attach_table t = { 0 };
	struct attach_buf b = { 0 };
	const struct attach_seg *s5;

	(void)state;
	build(&t);
	s5 = attach_find(&t, 5);

	assert_int_equal(attach_format_attached(s5, false, ',', NULL, NULL, &b), 0);
	assert_string_equal(b.p, "100,101,102");
	assert_int_equal(attach_format_attached(s5, true, ',', NULL, NULL, &b), 0);
	assert_string_equal(b.p, "100,101,102,...");
	assert_int_equal(attach_format_attached(NULL, true, ',', NULL, NULL, &b), 0);
	assert_string_equal(b.p, "...");
	assert_int_equal(attach_format_attached(NULL, false, ',', NULL, NULL, &b), 0);
	assert_string_equal(b.p, "");
	/* a JSON array: one item a line */
	assert_int_equal(attach_format_attached(s5, false, '\n', NULL, NULL, &b), 0);
	assert_string_equal(b.p, "100\n101\n102");

	assert_int_equal(attach_format_attached(s5, false, ',', fake_name, NULL, &b), 0);
	assert_string_equal(b.p, "100(server),101,102(a(b))");
	assert_int_equal(attach_format_attached(attach_find(&t, 7), true, ',', fake_name, NULL, &b), 0);
	assert_string_equal(b.p, "100(server),101,...");

	/* two attaches side by side stay two ranges */
	assert_int_equal(attach_format_ranges(&s5->procs[0], &b), 0);
	assert_string_equal(b.p, "7f0000000000-7f0000003000,7f0000003000-7f0000006000");
	/* the three pieces of a split mapping are one range */
	assert_int_equal(attach_format_ranges(&s5->procs[2], &b), 0);
	assert_string_equal(b.p, "7f2000000000-7f2000003000");
	assert_int_equal(attach_format_ranges(&s5->procs[1], &b), 0);
	assert_string_equal(b.p, "7f0000000000-7f0000003000");

	attach_buf_free(&b);
	attach_table_free(&t);
}

/* Many processes: the text buffer grows. */
static void test_format_many(void **state)
{
	struct attach_table t = { 0 };
	struct attach_buf b = { 0 };
	const char *line = SYSV("7f0000000000", "7f0000001000", "rw-s", "00000000", "9");
	char want[16];

	(void)state;
	t.devs = shm_devs;
	for (pid_t pid = 100000; pid < 101000; pid++)
		assert_int_equal(attach_add_maps(&t, pid, line, strlen(line)), 1);
	assert_int_equal(attach_table_index(&t), 0);
	assert_int_equal(attach_find(&t, 9)->nprocs, 1000);
	assert_int_equal(attach_format_attached(attach_find(&t, 9), true, ',', NULL, NULL, &b), 0);
	assert_int_equal(strlen(b.p), 1000 * 7 - 1 + 4);
	assert_memory_equal(b.p, "100000,100001,", 14);
	snprintf(want, sizeof(want), ",%d,...", 100999);
	assert_string_equal(b.p + strlen(b.p) - strlen(want), want);
	attach_buf_free(&b);
	attach_table_free(&t);
}

static void test_access_text(void **state)
{
	(void)state;
	assert_string_equal(attach_access_text(ATTACH_RW), "rw");
	assert_string_equal(attach_access_text(ATTACH_RO), "ro");
	assert_string_equal(attach_access_text(ATTACH_NONE), "none");
	assert_string_equal(attach_access_text(ATTACH_RW | ATTACH_RO), "rw,ro");
	assert_string_equal(attach_access_text(ATTACH_RW | ATTACH_RO | ATTACH_NONE), "rw,ro,none");
}

/* The perms field decides the access: ---s after mprotect(PROT_NONE). */
static void test_access_from_perms(void **state)
{
	struct attach_table t = { 0 };
	const char text[] =
		SYSV("7f00", "7f01", "---s", "00000000", "3")
		SYSV("7f01", "7f02", "r--s", "00000001", "3")
		SYSV("7f02", "7f03", "rwxs", "00000002", "3");

	(void)state;
	t.devs = shm_devs;
	assert_int_equal(attach_add_maps(&t, 1, text, strlen(text)), 3);
	assert_int_equal(attach_table_index(&t), 0);
	assert_int_equal(attach_find(&t, 3)->procs[0].access, ATTACH_RW | ATTACH_RO | ATTACH_NONE);
	attach_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_sysv),
		cmocka_unit_test(test_line_variants),
		cmocka_unit_test(test_line_malformed),
		cmocka_unit_test(test_line_bounded),
		cmocka_unit_test(test_line_nul_in_perms),
		cmocka_unit_test(test_next_line),
		cmocka_unit_test(test_no_devices),
		cmocka_unit_test(test_devs),
		cmocka_unit_test(test_huge_shift),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_no_devices),
		cmocka_unit_test(test_table_empty),
		cmocka_unit_test(test_table_overflow),
		cmocka_unit_test(test_buf_overflow),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_settle),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_many),
		cmocka_unit_test(test_access_text),
		cmocka_unit_test(test_access_from_perms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
