/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/core/io.c: the name of a mapping's own file, which
 * inputs have a length by stat, reading input of unknown length into a
 * bounded buffer, and hex dumps made a step at a time. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/magic.h>
#include <cmocka.h>

#include "core/io.h"

/* the kernel names a mapping by whole pages: shmat of 100 bytes maps one */
static void test_map_files_path(void **state)
{
	char buf[96];

	(void)state;
	io_map_files_path(buf, sizeof(buf), 0x7f0000000000, 4096, 4096);
	assert_string_equal(buf, "/proc/self/map_files/7f0000000000-7f0000001000");
	io_map_files_path(buf, sizeof(buf), 0x7f0000000000, 100, 4096);
	assert_string_equal(buf, "/proc/self/map_files/7f0000000000-7f0000001000");
	io_map_files_path(buf, sizeof(buf), 0x7f0000000000, 4097, 4096);
	assert_string_equal(buf, "/proc/self/map_files/7f0000000000-7f0000002000");
	io_map_files_path(buf, sizeof(buf), 0x7f0000000000, ((size_t)1 << 30) + 1, 4096);
	assert_string_equal(buf, "/proc/self/map_files/7f0000000000-7f0040001000");
	io_map_files_path(buf, sizeof(buf), 0x7f0000000000, 1, 65536);
	assert_string_equal(buf, "/proc/self/map_files/7f0000000000-7f0000010000");
}

/* the name that io_segment_file opens is the mapping's, for a size that
 * is not a whole number of pages too */
static void test_map_files_path_real(void **state)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *a = mmap(NULL, 3 * page, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char buf[96];
	struct stat st;

	(void)state;
	assert_true(a != MAP_FAILED);
	io_map_files_path(buf, sizeof(buf), (uintptr_t)a, 2 * page + 1, page);
	/* root may stat it; anyone else gets EPERM, but not ENOENT */
	assert_true(lstat(buf, &st) == 0 || errno != ENOENT);
	munmap(a, 3 * page);
}

static void test_size_is_length(void **state)
{
	struct stat st = { .st_mode = S_IFREG | 0644, .st_size = 10 };

	(void)state;
	assert_true(io_size_is_length(&st, TMPFS_MAGIC));
	assert_true(io_size_is_length(&st, EXT4_SUPER_MAGIC));
	/* /proc and /sys: 0 or a page, whatever the file holds */
	assert_false(io_size_is_length(&st, PROC_SUPER_MAGIC));
	assert_false(io_size_is_length(&st, SYSFS_MAGIC));
	assert_false(io_size_is_length(&st, DEBUGFS_MAGIC));
	assert_false(io_size_is_length(&st, CGROUP2_SUPER_MAGIC));
	st.st_size = 0;
	assert_false(io_size_is_length(&st, TMPFS_MAGIC));
	st.st_size = 10;
	st.st_mode = S_IFIFO | 0600;
	assert_false(io_size_is_length(&st, PIPEFS_MAGIC));
	st.st_mode = S_IFCHR | 0666;
	assert_false(io_size_is_length(&st, TMPFS_MAGIC));
}

/* a file holding n bytes of a pattern, at its start */
static int input_of(size_t n)
{
	FILE *f = tmpfile();
	int fd;

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fputc('a' + (int)(i % 26), f);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static void check_pattern(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != 'a' + (int)(i % 26))
			fail_msg("byte %zu is '%c'", i, buf[i]);
}

/* read_bounded(n, limit): len, and whether more */
static void read_bounded(size_t n, size_t limit, size_t want_len, bool want_more)
{
	int fd = input_of(n);
	char *buf = (char *)1;
	size_t len = 99;
	bool more = !want_more;

	assert_int_equal(io_read_bounded(fd, limit, &buf, &len, &more), 0);
	assert_int_equal(len, want_len);
	assert_int_equal(more, want_more);
	if (len)
		check_pattern(buf, len);
	free(buf);
	close(fd);
}

static void test_read_bounded(void **state)
{
	(void)state;
	read_bounded(0, 100, 0, false);
	read_bounded(10, 100, 10, false);
	read_bounded(100, 100, 100, false);     /* exactly the room */
	read_bounded(101, 100, 100, true);      /* one byte more */
	read_bounded(5, 0, 0, true);            /* no room */
	read_bounded(0, 0, 0, false);
	/* past the first buffer, grown as the data comes */
	read_bounded(300000, 1 << 20, 300000, false);
	read_bounded(300000, 200000, 200000, true);
}

/* the buffer grows with the data: a room of many TiB costs nothing */
static void test_read_bounded_lazy(void **state)
{
	int fd = input_of(10);
	char *buf = NULL;
	size_t len = 0;
	bool more = true;

	(void)state;
	assert_int_equal(io_read_bounded(fd, SIZE_MAX / 2, &buf, &len, &more), 0);
	assert_int_equal(len, 10);
	assert_false(more);
	check_pattern(buf, 10);
	free(buf);
	close(fd);
}

static void test_read_bounded_error(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	bool more;

	(void)state;
	assert_int_equal(io_read_bounded(-1, 100, &buf, &len, &more), -EBADF);
	assert_null(buf);
}

/* io_read_into: exactly len bytes, fewer at the end of input, across steps */
static void test_read_into(void **state)
{
	size_t n = IO_STEP + 1000;
	int fd = input_of(n);
	char *dst = malloc(n + 10);

	(void)state;
	assert_non_null(dst);
	memset(dst, 'Z', n + 10);
	assert_int_equal(io_read_into(fd, dst, n - 1), (ssize_t)(n - 1));
	check_pattern(dst, n - 1);
	assert_int_equal(dst[n - 1], 'Z');
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(io_read_into(fd, dst, n + 10), (ssize_t)n);
	free(dst);
	close(fd);
}

/* the text a hexdump call or two writes */
static char *dump(const unsigned char *buf, size_t len, size_t split, uint64_t base)
{
	static char out[4096];
	FILE *f = tmpfile();
	size_t n;

	assert_non_null(f);
	assert_int_equal(io_hexdump(fileno(f), buf, split, base, base + len), 0);
	assert_int_equal(io_hexdump(fileno(f), buf + split, len - split, base + split,
				    base + len), 0);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

/* a dump made of two calls is the dump of one, its width from the end */
static void test_hexdump_steps(void **state)
{
	const unsigned char data[20] = "Hello, hex dump!\0\1\2\3";
	const char *one =
		"00000010  48 65 6c 6c 6f 2c 20 68  65 78 20 64 75 6d 70 21  |Hello, hex dump!|\n"
		"00000020  00 01 02 03                                       |....|\n";
	const char *wide =
		"00000000fffffff0  48 65 6c 6c 6f 2c 20 68  65 78 20 64 75 6d 70 21  |Hello, hex dump!|\n"
		"0000000100000000  00 01 02 03                                       |....|\n";

	(void)state;
	assert_string_equal(dump(data, 20, 20, 16), one);
	assert_string_equal(dump(data, 20, 16, 16), one);
	/* the end past 4 GiB: 16 digits on every row, the first one too */
	assert_string_equal(dump(data, 20, 16, 0xfffffff0), wide);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_files_path),
		cmocka_unit_test(test_map_files_path_real),
		cmocka_unit_test(test_size_is_length),
		cmocka_unit_test(test_read_bounded),
		cmocka_unit_test(test_read_bounded_lazy),
		cmocka_unit_test(test_read_bounded_error),
		cmocka_unit_test(test_read_into),
		cmocka_unit_test(test_hexdump_steps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
