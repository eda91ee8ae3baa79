/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/lib/parse.c: command-line value parsers. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "lib/parse.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Assertions that name the table row that failed. */
#define CHECK_RC(got, want, in) do { \
	int got_ = (got), want_ = (want); \
	if (got_ != want_) \
		fail_msg("input \"%s\": returned %d, expected %d", in, got_, want_); \
} while (0)
#define CHECK_VAL(got, want, in) do { \
	long long got_ = (long long)(got), want_ = (long long)(want); \
	if (got_ != want_) \
		fail_msg("input \"%s\": value %lld (%#llx), expected %lld (%#llx)", in, \
			 got_, (unsigned long long)got_, want_, (unsigned long long)want_); \
} while (0)

/* The output must stay untouched on error: start it at a sentinel. */
#define SENTINEL_U64 0x5a5a5a5a5a5a5a5aULL

struct u64_case {
	const char *in;
	int rc;
	uint64_t want;
};

static void check_u64_cases(int (*fn)(const char *, uint64_t *),
			    const struct u64_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t v = SENTINEL_U64;
		int rc = fn(c[i].in, &v);

		CHECK_RC(rc, c[i].rc, c[i].in);
		CHECK_VAL(v, rc == 0 ? c[i].want : SENTINEL_U64, c[i].in);
	}
}

/* ---- parse_size ---- */

static void test_size_plain_and_binary_suffixes(void **state)
{
	static const struct u64_case cases[] = {
		{ "0",      0, 0 },
		{ "1",      0, 1 },
		{ "4096",   0, 4096 },
		{ "100B",   0, 100 },
		{ "1K",     0, 1024 },
		{ "1k",     0, 1024 },
		{ "4K",     0, 4096 },
		{ "2M",     0, 2ULL << 20 },
		{ "2m",     0, 2ULL << 20 },
		{ "3G",     0, 3ULL << 30 },
		{ "5T",     0, 5ULL << 40 },
		{ "1KiB",   0, 1024 },
		{ "1MiB",   0, 1ULL << 20 },
		{ "1GiB",   0, 1ULL << 30 },
		{ "1TiB",   0, 1ULL << 40 },
		{ "18446744073709551615", 0, UINT64_MAX },
		/* hex, as offsets are often written, with the same suffixes */
		{ "0x10",   0, 16 },
		{ "0X1f",   0, 31 },
		{ "0x10K",  0, 16 << 10 },
		{ "0xffffffffffffffff", 0, UINT64_MAX },
	};
	(void)state;
	check_u64_cases(parse_size, cases, ARRAY_LEN(cases));
}

static void test_size_decimal_suffixes(void **state)
{
	static const struct u64_case cases[] = {
		{ "1KB", 0, 1000 },
		{ "2MB", 0, 2000000 },
		{ "3GB", 0, 3000000000ULL },
		{ "4TB", 0, 4000000000000ULL },
	};
	(void)state;
	check_u64_cases(parse_size, cases, ARRAY_LEN(cases));
}

static void test_size_overflow(void **state)
{
	static const struct u64_case cases[] = {
		{ "99999999999999999999", -ERANGE, 0 },
		{ "18446744073709551616", -ERANGE, 0 },
		/* 2^24 T = 2^64 bytes: one more than fits */
		{ "16777216T",            -ERANGE, 0 },
		{ "16777215T",            0, 16777215ULL << 40 },
		{ "18446744073709552KB",  -ERANGE, 0 },
	};
	(void)state;
	check_u64_cases(parse_size, cases, ARRAY_LEN(cases));
}

static void test_size_invalid(void **state)
{
	static const struct u64_case cases[] = {
		{ "",     -EINVAL, 0 },
		{ "12Q",  -EINVAL, 0 },
		{ "-1",   -EINVAL, 0 },
		{ "+1",   -EINVAL, 0 },
		{ " 1",   -EINVAL, 0 },
		{ "1 ",   -EINVAL, 0 },
		{ "K",    -EINVAL, 0 },
		{ "1KK",  -EINVAL, 0 },
		{ "1kb",  -EINVAL, 0 },
		{ "1.5K", -EINVAL, 0 },
		{ "0x",   -EINVAL, 0 },
		{ "0xg",  -EINVAL, 0 },
		{ "0x-1", -EINVAL, 0 },
		{ "0x0x1", -EINVAL, 0 },
		{ "a",    -EINVAL, 0 },
		/* E (exbi) is not among the documented suffixes K M G T */
		{ "16E",  -EINVAL, 0 },
	};
	(void)state;
	check_u64_cases(parse_size, cases, ARRAY_LEN(cases));
}

static void test_size_null(void **state)
{
	uint64_t v = SENTINEL_U64;

	(void)state;
	assert_int_equal(parse_size(NULL, &v), -EINVAL);
	assert_true(v == SENTINEL_U64);
}

/* ---- parse_key ---- */

struct key_case {
	const char *in;
	int rc;
	int32_t want;
};

static void check_key_cases(const struct key_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int32_t v = 0x5a5a5a5a;
		int rc = parse_key(c[i].in, &v);

		CHECK_RC(rc, c[i].rc, c[i].in);
		CHECK_VAL(v, rc == 0 ? c[i].want : 0x5a5a5a5a, c[i].in);
	}
}

static void test_key_valid(void **state)
{
	static const struct key_case cases[] = {
		{ "0",           0, 0 },
		{ "42",          0, 42 },
		{ "0x1234",      0, 0x1234 },
		{ "0X1234",      0, 0x1234 },
		{ "0xDEADbeef",  0, (int32_t)0xdeadbeefu },
		{ "0xffffffff",  0, -1 },
		{ "4294967295",  0, -1 },
		{ "0777",        0, 0777 },
		{ "010",         0, 8 },
		{ "-559038737",  0, (int32_t)0xdeadbeefu },
		{ "-1",          0, -1 },
		{ "-2147483648", 0, INT32_MIN },
		{ "2147483647",  0, INT32_MAX },
	};
	(void)state;
	check_key_cases(cases, ARRAY_LEN(cases));
}

static void test_key_range(void **state)
{
	static const struct key_case cases[] = {
		{ "0x100000000",          -ERANGE, 0 },
		{ "4294967296",           -ERANGE, 0 },
		{ "-2147483649",          -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
	};
	(void)state;
	check_key_cases(cases, ARRAY_LEN(cases));
}

static void test_key_garbage(void **state)
{
	static const struct key_case cases[] = {
		{ "",        -EINVAL, 0 },
		{ "-",       -EINVAL, 0 },
		{ "0x",      -EINVAL, 0 },
		{ "0xg1",    -EINVAL, 0 },
		{ "12abc",   -EINVAL, 0 },
		{ "08",      -EINVAL, 0 },   /* not octal */
		{ "-0x10",   -EINVAL, 0 },
		{ "--1",     -EINVAL, 0 },
		{ " 1",      -EINVAL, 0 },
		{ "1 ",      -EINVAL, 0 },
		{ "+1",      -EINVAL, 0 },
		{ "key",     -EINVAL, 0 },
		{ "0x-1",    -EINVAL, 0 },
	};
	(void)state;
	check_key_cases(cases, ARRAY_LEN(cases));
	assert_int_equal(parse_key(NULL, &(int32_t){ 0 }), -EINVAL);
}

/* strtoull(base 16) accepts its own optional "0x", so a doubled prefix
 * must be refused by parse_key itself. */
static void test_key_double_hex_prefix(void **state)
{
	static const struct key_case cases[] = {
		{ "0x0x10", -EINVAL, 0 },
		{ "0X0X10", -EINVAL, 0 },
	};
	(void)state;
	check_key_cases(cases, ARRAY_LEN(cases));
}

/* ---- parse_id ---- */

static void test_id(void **state)
{
	static const struct {
		const char *in;
		int rc;
		int want;
	} cases[] = {
		{ "0",          0, 0 },
		{ "1",          0, 1 },
		{ "32769",      0, 32769 },
		{ "2147483647", 0, INT_MAX },
		{ "2147483648", -ERANGE, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
		{ "-1",         -EINVAL, 0 },
		{ "0x10",       -EINVAL, 0 },
		{ "ff",         -EINVAL, 0 },
		{ "",           -EINVAL, 0 },
		{ " 1",         -EINVAL, 0 },
		{ "1 ",         -EINVAL, 0 },
		{ "12a",        -EINVAL, 0 },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int v = -42;
		int rc = parse_id(cases[i].in, &v);

		CHECK_RC(rc, cases[i].rc, cases[i].in);
		CHECK_VAL(v, rc == 0 ? cases[i].want : -42, cases[i].in);
	}
	assert_int_equal(parse_id(NULL, &(int){ 0 }), -EINVAL);
}

/* ---- parse_mode ---- */

static void test_mode(void **state)
{
	static const struct {
		const char *in;
		int rc;
		unsigned int want;
	} cases[] = {
		{ "0",     0, 0 },
		{ "600",   0, 0600 },
		{ "0644",  0, 0644 },
		{ "777",   0, 0777 },
		{ "0000",  0, 0 },
		{ "999",   -EINVAL, 0 },
		{ "78",    -EINVAL, 0 },
		{ "1000",  -ERANGE, 0 },
		{ "7777",  -ERANGE, 0 },
		{ "",      -EINVAL, 0 },
		{ "-600",  -EINVAL, 0 },
		{ "rw",    -EINVAL, 0 },
		{ "600 ",  -EINVAL, 0 },
		{ "0o644", -EINVAL, 0 },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		unsigned int v = 0xdead;
		int rc = parse_mode(cases[i].in, &v);

		CHECK_RC(rc, cases[i].rc, cases[i].in);
		CHECK_VAL(v, rc == 0 ? cases[i].want : 0xdead, cases[i].in);
	}
}

/* ---- parse_duration ---- */

/* chmod(1)'s modes: octal, or symbolic clauses applied to the mode now. */
static void test_mode_change(void **state)
{
	static const struct {
		const char *spec;
		unsigned int from, to;
	} ok[] = {
		{ "640", 0600, 0640 }, { "0640", 0777, 0640 }, { "0", 0644, 0 },
		{ "g+r", 0600, 0640 }, { "o=", 0666, 0660 }, { "u=rw,go=r", 0, 0644 },
		{ "a-w", 0666, 0444 }, { "+r", 0200, 0644 }, { "-rwx", 0777, 0 },
		{ "ug+rw", 0, 0660 }, { "go-rwx", 0777, 0700 }, { "g=u", 0640, 0660 },
		{ "o=g", 0750, 0755 }, { "u+x-w", 0600, 0500 }, { "u+", 0600, 0600 },
		{ "a=", 0777, 0 }, { "u=r,g=w,o=x", 0, 0421 }, { "uu+r", 0, 0400 },
		{ "u=rw", 04600, 0600 },        /* bits above the nine are dropped */
		{ "-", 0640, 0640 }, { "=", 0640, 0 },  /* as chmod(1): no bits named */
		{ "u=rwxr", 0, 0700 }, { "u=r=", 0700, 0 },
	};
	static const char *const bad[] = {
		"", "u", "x+r", "u+s", "u+t", "u+X", "u+r,", ",u+r", "u+r,,g+r", "g+rz",
		"640x", "8", "u-r w", "a+rwq", "ug",
	};
	unsigned int m;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		print_message("%s\n", ok[i].spec);
		assert_int_equal(parse_mode_change(ok[i].spec, ok[i].from, &m), 0);
		assert_int_equal(m, ok[i].to);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = 0123;
		print_message("bad: '%s'\n", bad[i]);
		assert_int_equal(parse_mode_change(bad[i], 0640, &m), -EINVAL);
		assert_int_equal(m, 0123);      /* untouched */
	}
	assert_int_equal(parse_mode_change("1777", 0, &m), -ERANGE);
	assert_int_equal(parse_mode_change(NULL, 0, &m), -EINVAL);
}

/* --wait: seconds with a fraction or a unit, in nanoseconds. */
static void test_wait(void **state)
{
	static const struct {
		const char *s;
		int64_t ns;
	} ok[] = {
		{ "0", 0 }, { "0.2", 200000000 }, { "5", 5000000000 }, { "2s", 2000000000 },
		{ "500ms", 500000000 }, { "1.5m", 90000000000 }, { "1h", 3600000000000 },
		{ "0.0000000019", 1 }, { "0.25ms", 250000 },
	};
	static const char *const bad[] = { "", "s", ".5", "1.", "-1", "1x", "1 s", "1.5.5", "ms" };
	int64_t ns;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		print_message("%s\n", ok[i].s);
		assert_int_equal(parse_wait(ok[i].s, &ns), 0);
		assert_int_equal(ns, ok[i].ns);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_wait(bad[i], &ns), -EINVAL);
	assert_int_equal(parse_wait("9999999999h", &ns), -ERANGE);
	assert_int_equal(parse_wait(NULL, &ns), -EINVAL);
}

static void test_duration(void **state)
{
	static const struct {
		const char *in;
		int rc;
		int64_t want;
	} cases[] = {
		{ "90s", 0, 90 },
		{ "15m", 0, 900 },
		{ "2h",  0, 7200 },
		{ "7d",  0, 604800 },
		{ "1w",  0, 604800 },
		{ "30",  0, 30 },
		{ "0",   0, 0 },
		{ "0w",  0, 0 },
		{ "9223372036854775807", 0, INT64_MAX },
		{ "15250284452471w", 0, 15250284452471LL * 604800 },
		{ "9223372036854775808", -ERANGE, 0 },
		{ "15250284452472w",     -ERANGE, 0 },
		{ "106751991167301d",    -ERANGE, 0 },
		{ "99999999999999999999s", -ERANGE, 0 },
		{ "5x",  -EINVAL, 0 },
		{ "5ms", -EINVAL, 0 },
		{ "5S",  -EINVAL, 0 },
		{ "5 s", -EINVAL, 0 },
		{ "",    -EINVAL, 0 },
		{ "s",   -EINVAL, 0 },
		{ "-5",  -EINVAL, 0 },
		{ "1.5h", -EINVAL, 0 },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int64_t v = -42;
		int rc = parse_duration(cases[i].in, &v);

		CHECK_RC(rc, cases[i].rc, cases[i].in);
		CHECK_VAL(v, rc == 0 ? cases[i].want : -42, cases[i].in);
	}
}

/* ---- parse_u64 ---- */

static void test_u64(void **state)
{
	static const struct u64_case cases[] = {
		{ "0",                    0, 0 },
		{ "123",                  0, 123 },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "",                     -EINVAL, 0 },
		{ "-1",                   -EINVAL, 0 },
		{ "+1",                   -EINVAL, 0 },
		{ " 1",                   -EINVAL, 0 },
		{ "1 ",                   -EINVAL, 0 },
		{ "1K",                   -EINVAL, 0 },
		{ "a",                    -EINVAL, 0 },
		{ "0x10",                 -EINVAL, 0 },
	};
	(void)state;
	check_u64_cases(parse_u64, cases, ARRAY_LEN(cases));
}

/* ---- parse_time_format ---- */

static void test_time_format(void **state)
{
	static const struct {
		const char *in;
		int rc;
		enum time_format want;
	} cases[] = {
		{ "short", 0, TIME_SHORT },
		{ "full",  0, TIME_FULL },
		{ "iso",   0, TIME_ISO },
		{ "ISO",   -EINVAL, 0 },
		{ "",      -EINVAL, 0 },
		{ "isox",  -EINVAL, 0 },
		{ "sho",   -EINVAL, 0 },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		enum time_format f = (enum time_format)99;
		int rc = parse_time_format(cases[i].in, &f);

		CHECK_RC(rc, cases[i].rc, cases[i].in);
		CHECK_VAL(f, rc == 0 ? cases[i].want : (enum time_format)99, cases[i].in);
	}
	assert_int_equal(parse_time_format(NULL, &(enum time_format){ TIME_SHORT }), -EINVAL);
}

static void test_ftok_spec(void **state)
{
	static const struct {
		const char *in;
		int rc;
		const char *path;
		int proj;
	} cases[] = {
		{ "/tmp/f",        0,       "/tmp/f",   'R' },
		{ "/tmp/f:R",      0,       "/tmp/f",   'R' },
		{ "/tmp/f:x",      0,       "/tmp/f",   'x' },
		/* one digit is a character, as in C's ftok(path, '1') */
		{ "/tmp/f:1",      0,       "/tmp/f",   '1' },
		{ "/tmp/f:0",      0,       "/tmp/f",   '0' },
		{ "/a:b/f:7",      0,       "/a:b/f",   '7' },
		{ "/tmp/f:255",    0,       "/tmp/f",   255 },
		{ "/tmp/f:82",     0,       "/tmp/f",   'R' },
		{ "/tmp/f:01",     0,       "/tmp/f",   1 },
		{ "/tmp/f:0x52",   0,       "/tmp/f",   'R' },
		{ "/tmp/f:0XfF",   0,       "/tmp/f",   255 },
		{ "/tmp/f:00",     -ERANGE, NULL,       0 },
		{ "/tmp/f:0x0",    -ERANGE, NULL,       0 },
		{ "/tmp/f:0x100",  -ERANGE, NULL,       0 },
		{ "/tmp/f:0x",     -EINVAL, NULL,       0 },
		{ "/tmp/f:0xg",    -EINVAL, NULL,       0 },
		{ "/tmp/f:0x-1",   -EINVAL, NULL,       0 },
		{ "/tmp/f:256",    -ERANGE, NULL,       0 },
		{ "/tmp/f:ab",     -EINVAL, NULL,       0 },
		{ "/tmp/f:",       -EINVAL, NULL,       0 },
		{ ":R",            -EINVAL, NULL,       0 },
		{ "",              -EINVAL, NULL,       0 },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[64] = "";
		int proj = -1;
		int rc = parse_ftok_spec(cases[i].in, path, sizeof(path), &proj);

		CHECK_RC(rc, cases[i].rc, cases[i].in);
		if (rc == 0) {
			assert_string_equal(path, cases[i].path);
			CHECK_VAL(proj, cases[i].proj, cases[i].in);
		}
	}
	/* a path longer than the buffer */
	{
		char small[4];
		int proj;

		assert_int_equal(parse_ftok_spec("/tmp/long", small, sizeof(small), &proj),
				 -ENAMETOOLONG);
	}
}

/* create --reuse: what a segment or object must be to be taken */
static void test_reuse_mismatch(void **state)
{
	unsigned int m600 = 0600, m640 = 0640;
	char buf[96];

	(void)state;
	assert_null(reuse_mismatch(4096, 0600, 4096, NULL, buf, sizeof(buf)));
	assert_null(reuse_mismatch(8192, 0600, 4096, &m600, buf, sizeof(buf)));
	/* the kernel's status bits are no part of the mode */
	assert_null(reuse_mismatch(4096, 03600, 100, &m600, buf, sizeof(buf)));
	assert_string_equal(reuse_mismatch(4096, 0600, 8192, NULL, buf, sizeof(buf)),
			    "its size is 4096 bytes, less than the 8192 asked");
	assert_string_equal(reuse_mismatch(1, 0600, 2, NULL, buf, sizeof(buf)),
			    "its size is 1 byte, less than the 2 asked");
	assert_string_equal(reuse_mismatch(4096, 0600, 4096, &m640, buf, sizeof(buf)),
			    "its mode is 0600, not 0640");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_plain_and_binary_suffixes),
		cmocka_unit_test(test_size_decimal_suffixes),
		cmocka_unit_test(test_size_overflow),
		cmocka_unit_test(test_size_invalid),
		cmocka_unit_test(test_size_null),
		cmocka_unit_test(test_key_valid),
		cmocka_unit_test(test_key_range),
		cmocka_unit_test(test_key_garbage),
		cmocka_unit_test(test_key_double_hex_prefix),
		cmocka_unit_test(test_id),
		cmocka_unit_test(test_mode),
		cmocka_unit_test(test_mode_change),
		cmocka_unit_test(test_wait),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_ftok_spec),
		cmocka_unit_test(test_reuse_mismatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
