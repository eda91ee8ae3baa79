/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/out/format.c: numbers, sizes, keys, permissions,
 * times; and for src/lib/text.c, which format.h includes: the sanitising
 * of text that reaches a terminal, and the forms of text for each output
 * (exact, sanitised, UTF-8 repaired, JSON). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "out/format.h"
#include "core/posix-shm.h"
#include "core/segment.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* 2023-11-14T22:13:20Z, a Tuesday */
#define T0 ((int64_t)1700000000)

/* ---- fmt_u64 ---- */

static void test_u64(void **state)
{
	char buf[21];

	(void)state;
	assert_int_equal(fmt_u64(buf, 0), 1);
	assert_string_equal(buf, "0");
	assert_int_equal(fmt_u64(buf, 7), 1);
	assert_string_equal(buf, "7");
	assert_int_equal(fmt_u64(buf, 1000), 4);
	assert_string_equal(buf, "1000");
	assert_int_equal(fmt_u64(buf, UINT64_MAX), 20);
	assert_string_equal(buf, "18446744073709551615");
}

/* ---- fmt_size_human ---- */

static const struct {
	uint64_t bytes;
	const char *want;
} human_cases[] = {
	{ 0,                  "0B" },
	{ 1,                  "1B" },
	{ 1023,               "1023B" },
	{ 1024,               "1K" },
	{ 1536,               "1.5K" },
	{ 1075,               "1K" },         /* 1.0498K */
	{ 1076,               "1.1K" },       /* 1.0508K */
	{ 10239,              "10K" },        /* 9.999K rounds up within the unit */
	{ 1000000,            "976.6K" },
	{ 4096,               "4K" },
	{ 1048576,            "1M" },
	{ 1572864,            "1.5M" },
	{ 1ULL << 30,         "1G" },
	{ 3ULL << 39,         "1.5T" },
	{ 1ULL << 50,         "1P" },
	{ 1ULL << 60,         "1E" },
	{ UINT64_MAX,         "16E" },
	/* the exact value rounded, not the last remainder alone */
	{ 48601747,           "46.4M" },      /* 46.3503M */
	{ 598684569,          "571M" },       /* 570.9500M */
	{ 1073741823,         "1G" },
	{ 1181116006,         "1.1G" },       /* 1.09999999963G */
	{ 1127428915,         "1G" },         /* 1.04999999981G */
	{ 1127428916,         "1.1G" },       /* 1.05000000074G */
};

static void test_size_human(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(human_cases); i++) {
		char buf[16];

		memset(buf, 'X', sizeof(buf));
		fmt_size_human(buf, sizeof(buf), human_cases[i].bytes);
		if (strcmp(buf, human_cases[i].want) != 0)
			fail_msg("%llu bytes: got \"%s\", expected \"%s\"",
				 (unsigned long long)human_cases[i].bytes, buf, human_cases[i].want);
	}
}

/* Rounding up to 1024 of a unit must carry into the next unit: a human
 * size never shows 1024K (1048575 bytes is 1023.999K, i.e. 1.0M). */
static void test_size_human_carry(void **state)
{
	static const struct {
		uint64_t bytes;
		const char *want;
	} cases[] = {
		{ 1048575,              "1M" },
		{ 1048535,              "1M" },       /* 1023.96K */
		{ (1ULL << 30) - 1,     "1G" },
		{ (1ULL << 40) - 1,     "1T" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char buf[16];

		fmt_size_human(buf, sizeof(buf), cases[i].bytes);
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("%llu bytes: got \"%s\", expected \"%s\"",
				 (unsigned long long)cases[i].bytes, buf, cases[i].want);
	}
}

/* ---- fmt_key ---- */

static void test_key(void **state)
{
	char buf[11];

	(void)state;
	fmt_key(buf, sizeof(buf), -559038737);
	assert_string_equal(buf, "0xdeadbeef");
	fmt_key(buf, sizeof(buf), 0);
	assert_string_equal(buf, "0x00000000");
	fmt_key(buf, sizeof(buf), -1);
	assert_string_equal(buf, "0xffffffff");
	fmt_key(buf, sizeof(buf), INT32_MIN);
	assert_string_equal(buf, "0x80000000");
	fmt_key(buf, sizeof(buf), 0x1234);
	assert_string_equal(buf, "0x00001234");
}

/* ---- fmt_perms ---- */

static void test_perms(void **state)
{
	static const struct {
		unsigned int mode;
		const char *symbolic, *numeric;
	} cases[] = {
		{ 0,     "---------", "0000" },
		{ 0600,  "rw-------", "0600" },
		{ 0640,  "rw-r-----", "0640" },
		{ 0644,  "rw-r--r--", "0644" },
		{ 0777,  "rwxrwxrwx", "0777" },
		{ 0421,  "r---w---x", "0421" },
		{ 0124,  "--x-w-r--", "0124" },
		/* the kernel's extra bits never show up in the permissions */
		{ SEG_MODE_DEST | 0600,                   "rw-------", "0600" },
		{ SEG_MODE_DEST | SEG_MODE_LOCKED | 0640, "rw-r-----", "0640" },
		{ 07777, "rwxrwxrwx", "0777" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char buf[10];

		/* four digits, as stat(1) and lsipc -P print them */
		fmt_perms(buf, sizeof(buf), cases[i].mode, 0);
		assert_string_equal(buf, cases[i].symbolic);
		assert_int_equal(strlen(buf), 9);
		fmt_perms(buf, sizeof(buf), cases[i].mode, 1);
		assert_string_equal(buf, cases[i].numeric);
	}
}

static void test_perms_small_buffer(void **state)
{
	char buf[9];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	fmt_perms(buf, sizeof(buf), 0600, 0);
	assert_string_equal(buf, "");
}

/* Small buffers: cut and terminated, as snprintf did. */
static void test_small_buffers(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	fmt_key(buf, 5, 0x1234);
	assert_string_equal(buf, "0x00");
	assert_int_equal(buf[5], 'X');
	fmt_status(buf, 5, SEG_MODE_DEST | SEG_MODE_LOCKED);
	assert_string_equal(buf, "dest");
	fmt_size_human(buf, 3, 1536);
	assert_string_equal(buf, "1.");
	fmt_size_human(buf, 4, 999);
	assert_string_equal(buf, "999");
	buf[0] = 'X';
	fmt_key(buf, 0, 1);
	assert_int_equal(buf[0], 'X');
}

/* ---- fmt_status ---- */

static void test_status(void **state)
{
	static const struct {
		unsigned int mode;
		const char *want;
	} cases[] = {
		{ 0600,                                   "" },
		{ 0,                                      "" },
		{ SEG_MODE_DEST | 0600,                   "dest" },
		{ SEG_MODE_LOCKED | 0600,                 "locked" },
		{ SEG_MODE_DEST | SEG_MODE_LOCKED | 0600, "dest,locked" },
		{ 03777,                                  "dest,locked" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char buf[12];

		memset(buf, 'X', sizeof(buf));
		fmt_status(buf, sizeof(buf), cases[i].mode);
		assert_string_equal(buf, cases[i].want);
	}
}

/* ---- fmt_time (TZ=UTC from the group setup) ---- */

static int setup_utc(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static void test_time_never(void **state)
{
	char buf[64];

	(void)state;
	assert_null(fmt_time(buf, sizeof(buf), 0, TIME_ISO, (time_t)T0));
	assert_null(fmt_time(buf, sizeof(buf), 0, TIME_FULL, (time_t)T0));
	assert_null(fmt_time(buf, sizeof(buf), 0, TIME_SHORT, (time_t)T0));
}

static void test_time_iso(void **state)
{
	char buf[64];
	const char *s;

	(void)state;
	s = fmt_time(buf, sizeof(buf), T0, TIME_ISO, (time_t)T0);
	assert_ptr_equal(s, buf);
	assert_string_equal(s, "2023-11-14T22:13:20Z");
	s = fmt_time(buf, sizeof(buf), 1, TIME_ISO, (time_t)T0);
	assert_non_null(s);
	assert_string_equal(s, "1970-01-01T00:00:01Z");
}

static void test_time_iso_local_zone(void **state)
{
	char buf[64];
	const char *s;

	(void)state;
	/* POSIX TZ: 5 hours west of UTC, no DST */
	setenv("TZ", "EST5", 1);
	tzset();
	s = fmt_time(buf, sizeof(buf), T0, TIME_ISO, (time_t)T0);
	setup_utc(NULL);
	assert_non_null(s);
	assert_string_equal(s, "2023-11-14T17:13:20-05:00");
	/* half-hour zones keep their minutes: 5:30 east */
	setenv("TZ", "IST-5:30", 1);
	tzset();
	s = fmt_time(buf, sizeof(buf), T0, TIME_ISO, (time_t)T0);
	setup_utc(NULL);
	assert_non_null(s);
	assert_string_equal(s, "2023-11-15T03:43:20+05:30");
	/* too small a buffer for the offset: a failure, not a cut time */
	assert_null(fmt_time(buf, 20, T0, TIME_ISO, (time_t)T0));
}

static void test_time_full(void **state)
{
	char buf[64];
	const char *s;

	(void)state;
	s = fmt_time(buf, sizeof(buf), T0, TIME_FULL, (time_t)T0);
	assert_non_null(s);
	assert_string_equal(s, "Tue Nov 14 22:13:20 2023");
	s = fmt_time(buf, sizeof(buf), T0 - 13 * 86400, TIME_FULL, (time_t)T0);
	assert_non_null(s);
	assert_string_equal(s, "Wed Nov  1 22:13:20 2023");
}

static void test_time_short(void **state)
{
	char buf[64];
	const char *s;

	(void)state;
	/* same day: time of day */
	s = fmt_time(buf, sizeof(buf), T0 - 3 * 3600, TIME_SHORT, (time_t)T0);
	assert_non_null(s);
	assert_string_equal(s, "19:13");
	/* earlier the same year: month and day */
	s = fmt_time(buf, sizeof(buf), T0 - 13 * 86400, TIME_SHORT, (time_t)T0);
	assert_non_null(s);
	assert_string_equal(s, "Nov01");
	/* yesterday, even at a later hour than now: not the same day */
	s = fmt_time(buf, sizeof(buf), T0 - 86400 + 60, TIME_SHORT, (time_t)T0);
	assert_non_null(s);
	assert_string_equal(s, "Nov13");
	/* another year, on the same day of the year: not "today" */
	s = fmt_time(buf, sizeof(buf), T0 - 365 * 86400, TIME_SHORT, (time_t)T0);
	assert_non_null(s);
	assert_string_equal(s, "2022-11-14");
}

/* The cache answers as fmt_time does, whatever the order of the calls:
 * the same time in two formats, the same time against two "now", more
 * distinct times than it holds, and "never". */
static void test_time_cached_matches(void **state)
{
	static const struct { int64_t t; enum time_format f; int64_t now; } calls[] = {
		{ T0, TIME_SHORT, T0 }, { T0, TIME_ISO, T0 }, { T0, TIME_SHORT, T0 },
		{ T0 - 3600, TIME_SHORT, T0 }, { T0, TIME_SHORT, T0 + 86400 },
		{ T0 - 1, TIME_FULL, T0 }, { T0 - 2, TIME_FULL, T0 }, { T0 - 3, TIME_FULL, T0 },
		{ T0 - 4, TIME_FULL, T0 }, { T0 - 5, TIME_FULL, T0 }, { T0, TIME_ISO, T0 },
		{ 0, TIME_ISO, T0 }, { T0 - 1, TIME_FULL, T0 }, { T0, TIME_SHORT, T0 },
	};
	struct time_cache cache = { 0 };
	char want[64], got[64];

	(void)state;
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const char *w = fmt_time(want, sizeof(want), calls[i].t, calls[i].f,
					 (time_t)calls[i].now);
		const char *g = fmt_time_cached(&cache, got, sizeof(got), calls[i].t,
						calls[i].f, (time_t)calls[i].now);

		if (!w) {
			assert_null(g);
			continue;
		}
		assert_ptr_equal(g, got);
		assert_string_equal(g, w);
	}
	/* text that does not fit fails, as strftime does, cached or not */
	assert_null(fmt_time(want, 3, T0, TIME_SHORT, (time_t)T0));
	assert_null(fmt_time_cached(&cache, got, 3, T0, TIME_SHORT, (time_t)T0));
	assert_non_null(fmt_time_cached(&cache, got, 6, T0, TIME_SHORT, (time_t)T0));
	assert_string_equal(got, "22:13");
}

/* ---- sanitize ---- */

struct san_case {
	const char *name;
	const char *in;
	size_t len;
	bool utf8;
	const char *want;
};

#define S(name, lit, utf8, want) { name, lit, sizeof(lit) - 1, utf8, want }

static const struct san_case san_cases[] = {
	S("plain ascii",        "hello world", true,  "hello world"),
	S("plain, no utf8",     "hello world", false, "hello world"),
	S("empty",              "",            true,  ""),
	S("escape sequence",    "\x1b[31mred\x1b[0m", true, "\\x1b[31mred\\x1b[0m"),
	S("backslash doubled",  "a\\b",        true,  "a\\\\b"),
	S("backslash x",        "\\x1b",       true,  "\\\\x1b"),
	S("tab and newline",    "a\tb\n",      true,  "a\\x09b\\x0a"),
	S("carriage return",    "ok\rEVIL",    true,  "ok\\x0dEVIL"),
	S("DEL",                "\x7f",        true,  "\\x7f"),
	S("embedded NUL",       "a\0b",        true,  "a\\x00b"),
	S("utf8 kept",          "caf\xc3\xa9", true,  "caf\xc3\xa9"),
	S("utf8 escaped",       "caf\xc3\xa9", false, "caf\\xc3\\xa9"),
	S("3-byte utf8",        "\xe6\x97\xa5", true, "\xe6\x97\xa5"),
	S("4-byte utf8",        "\xf0\x9f\x98\x80", true, "\xf0\x9f\x98\x80"),
	S("invalid byte ff",    "a\xff" "b",   true,  "a\\xffb"),
	S("overlong slash",     "\xc0\xaf",    true,  "\\xc0\\xaf"),
	S("overlong 3-byte",    "\xe0\x80\xaf", true, "\\xe0\\x80\\xaf"),
	S("surrogate",          "\xed\xa0\x80", true, "\\xed\\xa0\\x80"),
	S("above U+10FFFF",     "\xf4\x90\x80\x80", true, "\\xf4\\x90\\x80\\x80"),
	S("C1 NEL U+0085",      "\xc2\x85",    true,  "\\xc2\\x85"),
	S("C1 CSI U+009B",      "\xc2\x9b" "31m", true, "\\xc2\\x9b31m"),
	S("U+00A0 is not C1",   "\xc2\xa0",    true,  "\xc2\xa0"),
	S("RLO U+202E",         "a\xe2\x80\xae" "cba", true, "a\\xe2\\x80\\xaecba"),
	S("LRI U+2066",         "\xe2\x81\xa6", true, "\\xe2\\x81\\xa6"),
	S("PDI U+2069",         "\xe2\x81\xa9", true, "\\xe2\\x81\\xa9"),
	S("RLM U+200F",         "\xe2\x80\x8f", true, "\\xe2\\x80\\x8f"),
	S("ALM U+061C",         "\xd8\x9c",    true,  "\\xd8\\x9c"),
	S("U+2030 is not bidi", "\xe2\x80\xb0", true, "\xe2\x80\xb0"),
	S("U+2065 is not bidi", "\xe2\x81\xa5", true, "\xe2\x81\xa5"),
	S("lone continuation",  "\x80",        true,  "\\x80"),
	S("truncated at end",   "x\xe2\x82",   true,  "x\\xe2\\x82"),
	S("bad continuation",   "\xe2\x28\xa1", true, "\\xe2(\\xa1"),
	S("all bytes escaped",  "\xff\xff",    false, "\\xff\\xff"),
};

static void test_sanitize_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(san_cases); i++) {
		const struct san_case *c = &san_cases[i];
		char out[4 * 16 + 1];
		size_t n;

		assert_true(c->len <= 16);
		memset(out, 'X', sizeof(out));
		n = sanitize(c->in, c->len, out, c->utf8);
		if (strcmp(out, c->want) != 0)
			fail_msg("%s: got \"%s\", expected \"%s\"", c->name, out, c->want);
		if (n != strlen(c->want))
			fail_msg("%s: returned %zu, expected %zu", c->name, n, strlen(c->want));
	}
}

/* Nothing below 0x20, no DEL and no C1 control survives, whatever the
 * input: every byte value, alone and as the second byte after 0xc2. */
static void test_sanitize_no_control_survives(void **state)
{
	(void)state;
	for (int b = 0; b < 256; b++) {
		char in[2] = { (char)0xc2, (char)b };
		char out[4 * 2 + 1];

		for (int utf8 = 0; utf8 < 2; utf8++) {
			sanitize(in + 1, 1, out, utf8);
			for (const unsigned char *p = (const unsigned char *)out; *p; p++)
				assert_true(*p >= 0x20 && *p != 0x7f && (utf8 || *p < 0x80));
			sanitize(in, 2, out, utf8);
			for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
				assert_true(*p >= 0x20 && *p != 0x7f);
				if (*p == 0xc2)
					assert_true(p[1] >= 0xa0 && p[1] <= 0xbf);
			}
		}
	}
}

/* The documented worst case, 4 bytes out per byte in, is not exceeded. */
static void test_sanitize_worst_case_size(void **state)
{
	char in[64], out[4 * sizeof(in) + 1 + 8];

	(void)state;
	memset(in, 0x1b, sizeof(in));
	memset(out, 'Z', sizeof(out));
	assert_int_equal(sanitize(in, sizeof(in), out, true), 4 * sizeof(in));
	assert_int_equal(out[4 * sizeof(in)], '\0');
	assert_int_equal(out[4 * sizeof(in) + 1], 'Z');
}

/* ---- display_width ---- */

static void test_display_width_ascii(void **state)
{
	(void)state;
	assert_int_equal(display_width(""), 0);
	assert_int_equal(display_width("a"), 1);
	assert_int_equal(display_width("hello world"), 11);
	assert_int_equal(display_width("\\x1b[31m"), 8);
}

static void test_display_width_utf8(void **state)
{
	char *old = setlocale(LC_CTYPE, NULL);
	char saved[64];

	(void)state;
	snprintf(saved, sizeof(saved), "%s", old ? old : "C");
	if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "C.utf8"))
		skip();
	assert_int_equal(display_width("caf\xc3\xa9"), 4);
	assert_int_equal(display_width("h\xc3\xa9llo"), 5);
	assert_int_equal(display_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);     /* two wide */
	assert_int_equal(display_width("ab\xe6\x97\xa5"), 4);
	assert_int_equal(display_width("e\xcc\x81"), 1);                    /* combining */
	assert_int_equal(display_width("\xf0\x9f\x98\x80"), 2);             /* emoji */
	/* not decodable: one cell per byte */
	assert_int_equal(display_width("a\xff" "z"), 3);
	setlocale(LC_CTYPE, saved);
}

static void test_duration_text(void **state)
{
	static const struct { int64_t secs; const char *want; } cases[] = {
		{ 0, "0s" }, { 59, "59s" }, { 60, "1m" }, { 3599, "59m" },
		{ 3600, "1h" }, { 86399, "23h" }, { 86400, "1d" }, { 900000, "10d" },
	};
	char buf[32];
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fmt_duration(buf, sizeof(buf), cases[i].secs);
		assert_string_equal(buf, cases[i].want);
	}
}

static void test_posix_use(void **state)
{
	(void)state;
	assert_string_equal(fmt_posix_use(0), "unused");
	assert_string_equal(fmt_posix_use(POSIX_MAPPED), "mapped");
	assert_string_equal(fmt_posix_use(POSIX_OPEN), "open");
	assert_string_equal(fmt_posix_use(POSIX_MAPPED | POSIX_OPEN), "mapped,open");
}

static void test_json_escape(void **state)
{
	char out[6 * 16 + 1];

	(void)state;
	assert_int_equal(json_escape("plain", 5, out), 5);
	assert_string_equal(out, "plain");
	json_escape("a\"b\\c", 5, out);
	assert_string_equal(out, "a\\\"b\\\\c");
	json_escape("\x1b[31m\n\x7f", 7, out);
	assert_string_equal(out, "\\u001b[31m\\u000a\\u007f");
	/* a NUL inside the range, and the worst case: 6 bytes out per byte in */
	assert_int_equal(json_escape("\0\x01", 2, out), 12);
	assert_string_equal(out, "\\u0000\\u0001");
	json_escape("h\xc3\xa9", 3, out);       /* UTF-8 passes through */
	assert_string_equal(out, "h\xc3\xa9");
	/* a C1 control is U+FFFD, as in utf8_repair; so is a byte of no
	 * UTF-8 sequence */
	assert_int_equal(json_escape("\xc2\x9b" "1", 3, out), 4);
	assert_string_equal(out, "\xef\xbf\xbd" "1");
	json_escape("a\xff" "b\xe2\x82", 5, out);
	assert_string_equal(out, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd");
	/* the exact text: a newline and a backslash once escaped, as JSON does */
	json_escape("a b\nc\\d", 7, out);
	assert_string_equal(out, "a b\\u000ac\\\\d");
}

/* Whatever the input, json_escape writes valid UTF-8 with no control
 * character left raw, within 6 bytes per byte in: every byte value
 * alone and after each lead byte. */
static void test_json_escape_always_valid(void **state)
{
	(void)state;
	for (int lead = 0; lead < 256; lead++) {
		for (int b = 0; b < 256; b++) {
			char in[3] = { (char)lead, (char)b, 'x' }, out[6 * 3 + 1 + 1];
			size_t n;

			out[6 * 3 + 1] = 'Z';
			n = json_escape(in, 3, out);
			assert_true(n <= 6 * 3);
			assert_int_equal(out[6 * 3 + 1], 'Z');
			for (size_t i = 0; i < n;) {
				size_t len = utf8_char_len(out + i, n - i);

				if (len == 0)
					fail_msg("invalid UTF-8 out for %02x %02x", lead, b);
				assert_true((unsigned char)out[i] >= 0x20 && out[i] != 0x7f);
				if ((unsigned char)out[i] == 0xc2)
					assert_true((unsigned char)out[i + 1] >= 0xa0);
				i += len;
			}
		}
	}
}

/* ---- utf8_char_len, utf8_repair ---- */

static void test_utf8_char_len(void **state)
{
	(void)state;
	assert_int_equal(utf8_char_len("a", 1), 1);
	assert_int_equal(utf8_char_len("\x1b", 1), 1);        /* a control is ASCII */
	assert_int_equal(utf8_char_len("", 0), 0);
	assert_int_equal(utf8_char_len("\xc3\xa9", 2), 2);
	assert_int_equal(utf8_char_len("\xc2\x9b", 2), 2);    /* C1: valid UTF-8 */
	assert_int_equal(utf8_char_len("\xe2\x80\xae", 3), 3); /* bidi: valid too */
	assert_int_equal(utf8_char_len("\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(utf8_char_len("\xc3\xa9", 1), 0);    /* cut short */
	assert_int_equal(utf8_char_len("\x80", 1), 0);
	assert_int_equal(utf8_char_len("\xff", 1), 0);
	assert_int_equal(utf8_char_len("\xc0\xaf", 2), 0);    /* overlong */
	assert_int_equal(utf8_char_len("\xed\xa0\x80", 3), 0); /* surrogate */
	assert_int_equal(utf8_char_len("\xf4\x90\x80\x80", 4), 0);
}

static void test_utf8_repair(void **state)
{
	static const struct { const char *in; size_t len; const char *want; } cases[] = {
		{ "plain", 5, "plain" },
		{ "a b\nc\\d", 7, "a b\nc\\d" },                  /* controls stay */
		{ "caf\xc3\xa9", 5, "caf\xc3\xa9" },
		/* a C1 control, which terminals act on, is U+FFFD too; the
		 * first character past them stays */
		{ "\xc2\x9b" "1m", 4, "\xef\xbf\xbd" "1m" },
		{ "\xc2\x80\xc2\x9f\xc2\xa0", 6, "\xef\xbf\xbd\xef\xbf\xbd\xc2\xa0" },
		{ "a\xff" "b", 3, "a\xef\xbf\xbd" "b" },
		/* each byte of an invalid sequence is one U+FFFD */
		{ "\xe2\x82", 2, "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xe2\x28\xa1", 3, "\xef\xbf\xbd(\xef\xbf\xbd" },
	};
	char out[3 * 16 + 1];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t n = utf8_repair(cases[i].in, cases[i].len, out);

		if (strcmp(out, cases[i].want) != 0)
			fail_msg("case %zu: got \"%s\"", i, out);
		assert_int_equal(n, strlen(cases[i].want));
	}
	/* the worst case, 3 bytes out per byte in */
	memset(out, 'Z', sizeof(out));
	assert_int_equal(utf8_repair("\xff\xff\xff\xff", 4, out), 12);
	assert_int_equal(out[12], '\0');
	assert_int_equal(out[13], 'Z');
}

/* ---- the forms of text for each output ---- */

static void test_text_form_for(void **state)
{
	(void)state;
	assert_int_equal(text_form_for(true, false, true), TEXT_UTF8);
	assert_int_equal(text_form_for(true, false, false), TEXT_UTF8);
	assert_int_equal(text_form_for(false, true, true), TEXT_EXACT);
	assert_int_equal(text_form_for(false, true, false), TEXT_EXACT);
	assert_int_equal(text_form_for(false, false, true), TEXT_TERMINAL_UTF8);
	assert_int_equal(text_form_for(false, false, false), TEXT_TERMINAL);
	/* render options that say nothing are safe */
	assert_int_equal(TEXT_TERMINAL, 0);
}

/* One text in each form: exact, sanitised (with and without UTF-8),
 * UTF-8 repaired. */
static void test_text_forms(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want[4];    /* by enum text_form */
	} cases[] = {
		{ "a b\nc\\d", 7, {
			[TEXT_TERMINAL] = "a b\\x0ac\\\\d",
			[TEXT_TERMINAL_UTF8] = "a b\\x0ac\\\\d",
			[TEXT_EXACT] = "a b\nc\\d",
			[TEXT_UTF8] = "a b\nc\\d" } },
		{ "e\x1b[31m\xc2\x9b\xff", 9, {
			[TEXT_TERMINAL] = "e\\x1b[31m\\xc2\\x9b\\xff",
			[TEXT_TERMINAL_UTF8] = "e\\x1b[31m\\xc2\\x9b\\xff",
			[TEXT_EXACT] = "e\x1b[31m\xc2\x9b\xff",
			[TEXT_UTF8] = "e\x1b[31m\xef\xbf\xbd\xef\xbf\xbd" } },
		{ "caf\xc3\xa9 \xe2\x80\xae", 9, {
			[TEXT_TERMINAL] = "caf\\xc3\\xa9 \\xe2\\x80\\xae",
			[TEXT_TERMINAL_UTF8] = "caf\xc3\xa9 \\xe2\\x80\\xae",
			[TEXT_EXACT] = "caf\xc3\xa9 \xe2\x80\xae",
			[TEXT_UTF8] = "caf\xc3\xa9 \xe2\x80\xae" } },
		{ "root", 4, { "root", "root", "root", "root" } },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		for (int f = TEXT_TERMINAL; f <= TEXT_UTF8; f++) {
			char out[4 * 16 + 1];
			size_t n;

			assert_true(text_form_size(f, cases[i].len) <= sizeof(out));
			n = text_form(f, cases[i].in, cases[i].len, out);
			if (strcmp(out, cases[i].want[f]) != 0)
				fail_msg("case %zu, form %d: got \"%s\"", i, f, out);
			assert_int_equal(n, strlen(cases[i].want[f]));
		}
	}
}

/* text_form_keeps never claims a text unchanged that text_form changes,
 * and text_form stays within text_form_size: every pair of bytes. */
static void test_text_form_keeps_and_size(void **state)
{
	(void)state;
	for (int f = TEXT_TERMINAL; f <= TEXT_UTF8; f++) {
		for (int a = 1; a < 256; a++) {
			for (int b = 1; b < 256; b++) {
				char in[2] = { (char)a, (char)b }, out[4 * 2 + 1 + 1];
				size_t n;

				out[sizeof(out) - 1] = 'Z';
				n = text_form(f, in, 2, out);
				assert_true(n + 1 <= text_form_size(f, 2));
				assert_int_equal(out[sizeof(out) - 1], 'Z');
				if (text_form_keeps(f, in, 2) && (n != 2 || memcmp(out, in, 2) != 0))
					fail_msg("form %d: %02x %02x changed but said kept", f, a, b);
			}
		}
	}
	assert_true(text_form_keeps(TEXT_EXACT, "\x1b\xff", 2));
	assert_true(text_form_keeps(TEXT_UTF8, "a\nb\\", 4));
	assert_false(text_form_keeps(TEXT_TERMINAL, "a\\b", 3));
	assert_true(text_form_keeps(TEXT_TERMINAL_UTF8, "root", 4));
}

static void test_text_shown(void **state)
{
	const char *plain = "postgres", *odd = "a\x1b" "b";
	char buf[16];

	(void)state;
	/* unchanged: the string itself, whatever buf holds */
	assert_ptr_equal(text_shown(TEXT_TERMINAL, plain, buf, 2), plain);
	assert_ptr_equal(text_shown(TEXT_EXACT, odd, buf, sizeof(buf)), odd);
	/* changed: into buf */
	assert_ptr_equal(text_shown(TEXT_TERMINAL, odd, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "a\\x1bb");
	assert_string_equal(text_shown(TEXT_UTF8, "\xff", buf, sizeof(buf)), "\xef\xbf\xbd");
	/* too long for buf: cut first where the worst case fits (15 / 4
	 * bytes, 15 / 3), never written past its end */
	assert_string_equal(text_shown(TEXT_TERMINAL, "\x1b\x1b\x1b\x1b\x1b", buf, sizeof(buf)),
			    "\\x1b\\x1b\\x1b");
	assert_string_equal(text_shown(TEXT_UTF8, "\xff\xff\xff\xff\xff\xff", buf, sizeof(buf)),
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(text_shown(TEXT_TERMINAL, odd, buf, 0), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration_text),
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_size_human),
		cmocka_unit_test(test_size_human_carry),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_perms),
		cmocka_unit_test(test_perms_small_buffer),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_small_buffers),
		cmocka_unit_test(test_time_never),
		cmocka_unit_test(test_time_iso),
		cmocka_unit_test(test_time_iso_local_zone),
		cmocka_unit_test(test_time_full),
		cmocka_unit_test(test_time_short),
		cmocka_unit_test(test_time_cached_matches),
		cmocka_unit_test(test_sanitize_table),
		cmocka_unit_test(test_sanitize_no_control_survives),
		cmocka_unit_test(test_sanitize_worst_case_size),
		cmocka_unit_test(test_display_width_ascii),
		cmocka_unit_test(test_display_width_utf8),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_escape_always_valid),
		cmocka_unit_test(test_utf8_char_len),
		cmocka_unit_test(test_utf8_repair),
		cmocka_unit_test(test_text_form_for),
		cmocka_unit_test(test_text_forms),
		cmocka_unit_test(test_text_form_keeps_and_size),
		cmocka_unit_test(test_text_shown),
		cmocka_unit_test(test_posix_use),
	};

	return cmocka_run_group_tests(tests, setup_utc, NULL);
}
