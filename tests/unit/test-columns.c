/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/out/columns.c: the column table, -o lists, cell rendering
 * and sorting. */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "out/columns.h"
#include "core/names.h"
#include "core/posix-shm.h"
#include "core/segment.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* 2023-11-14T22:13:20Z */
#define T0 ((int64_t)1700000000)

/* ids without a name in the passwd and group databases */
#define NONAME_UID  4000001
#define NONAME_GID  4000002
#define NONAME_CUID 4000003
#define NONAME_CGID 4000004

/* Every numeric field distinct, so a cell showing the wrong field shows. */
static const struct shm_segment seg_full = {
	.key = -559038737,
	.id = 32769,
	.mode = SEG_MODE_DEST | SEG_MODE_LOCKED | 0640,
	.size = 1536,
	.cpid = 4242,
	.lpid = 4343,
	.nattch = 3,
	.uid = NONAME_UID,
	.gid = NONAME_GID,
	.cuid = NONAME_CUID,
	.cgid = NONAME_CGID,
	.atime = 0,                     /* never attached */
	.dtime = T0 - 3600,
	.ctime = T0,
	.rss = 1048576,
	.swap = 2048,
	.has_memory = true,
};

static int group_setup(void **state)
{
	struct name_cache *nc;

	setenv("TZ", "UTC", 1);
	tzset();
	nc = names_new();
	if (!nc)
		return -1;
	*state = nc;
	return 0;
}

static int group_teardown(void **state)
{
	names_free(*state);
	return 0;
}

static struct render_opts opts(void **state)
{
	return (struct render_opts){
		.tfmt = TIME_ISO,
		.now = (time_t)T0,
		.names = *state,
	};
}

/* ---- the table ---- */

static void test_table_complete(void **state)
{
	(void)state;
	for (int i = 0; i < COL_COUNT; i++) {
		const struct column_info *c = &column_table[i];

		if (!c->name || !*c->name)
			fail_msg("column %d has no name", i);
		if (!c->help || !*c->help)
			fail_msg("column %s has no help", c->name);
		assert_true(c->whint > 0);
		/* upper case; a '-' between words and lsipc's USE% too */
		for (const char *p = c->name; *p; p++)
			if (!isupper((unsigned char)*p) && !strchr("-%", *p))
				fail_msg("column name %s is not upper case", c->name);
		/* unique among the columns one command shows */
		for (int j = 0; j < i; j++)
			for (int s = SCOPE_ALL; s <= SCOPE_POSIX; s++)
				if (column_in_scope(i, s) && column_in_scope(j, s) &&
				    strcasecmp(column_table[j].name, c->name) == 0)
					fail_msg("column name %s appears twice", c->name);
		/* every name finds its own column */
		assert_int_equal(column_by_name(c->name, strlen(c->name),
						c->scope == SCOPE_ALL ? SCOPE_GC : c->scope), i);
	}
}

/* ---- column_by_name ---- */

static void test_by_name(void **state)
{
	static const struct {
		const char *name;
		int want;
	} cases[] = {
		{ "KEY",     COL_KEY },
		{ "key",     COL_KEY },
		{ "Key",     COL_KEY },
		{ "id",      COL_ID },
		{ "nAtTcH",  COL_NATTCH },
		{ "cgroup",  COL_CGROUP },
		{ "RSS",     COL_RSS },
		{ "",        -1 },
		{ "KE",      -1 },      /* a prefix is not accepted */
		{ "C",       -1 },
		{ "KEYS",    -1 },
		{ "BOGUS",   -1 },
		{ "KEY ",    -1 },
		{ " KEY",    -1 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int got = column_by_name(cases[i].name, strlen(cases[i].name), SCOPE_ALL);

		if (got != cases[i].want)
			fail_msg("\"%s\": got %d, expected %d", cases[i].name, got, cases[i].want);
	}
	/* only len bytes count */
	assert_int_equal(column_by_name("KEY,ID", 3, SCOPE_ALL), COL_KEY);
	assert_int_equal(column_by_name("IDX", 2, SCOPE_ALL), COL_ID);
	assert_int_equal(column_by_name("CUIDS", 4, SCOPE_ALL), COL_CUID);
	/* gc's outcome columns exist only for gc */
	assert_int_equal(column_by_name("ACTION", 6, SCOPE_ALL), -1);
	assert_int_equal(column_by_name("ACTION", 6, SCOPE_GC), COL_ACTION);
	assert_int_equal(column_by_name("REASON", 6, SCOPE_GC), COL_REASON);
	assert_int_equal(column_by_name("AGE", 3, SCOPE_ALL), COL_AGE);
	/* the namespaces table: its own columns, and only those */
	assert_int_equal(column_by_name("SIZE", 4, SCOPE_NS), COL_NS_SIZE);
	assert_int_equal(column_by_name("SIZE", 4, SCOPE_ALL), COL_SIZE);
	assert_int_equal(column_by_name("SIZE", 4, SCOPE_GC), COL_SIZE);
	assert_int_equal(column_by_name("COMMAND", 7, SCOPE_NS), COL_NS_COMMAND);
	assert_int_equal(column_by_name("KEY", 3, SCOPE_NS), -1);
	assert_int_equal(column_by_name("ORPHANS", 7, SCOPE_ALL), -1);
	assert_int_equal(column_by_name("ORPHANS", 7, SCOPE_GC), -1);
	/* list --posix: its own columns */
	assert_int_equal(column_by_name("NAME", 4, SCOPE_POSIX), COL_PX_NAME);
	assert_int_equal(column_by_name("SIZE", 4, SCOPE_POSIX), COL_PX_SIZE);
	assert_int_equal(column_by_name("NAME", 4, SCOPE_ALL), -1);
	assert_int_equal(column_by_name("KEY", 3, SCOPE_POSIX), -1);
	assert_int_equal(column_by_name("SEGMENTS", 8, SCOPE_POSIX), -1);
}

/* ---- columns_parse ---- */

static const struct column_list defaults = {
	.ids = { COL_KEY, COL_ID, COL_OWNER, COL_PERMS, COL_SIZE, COL_NATTCH, COL_STATUS },
	.n = 7,
};

static void assert_list(const struct column_list *l, const int *want, size_t n)
{
	assert_int_equal(l->n, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(l->ids[i], want[i]);
}

static void test_parse_list(void **state)
{
	struct column_list out;
	const char *bad = NULL;
	size_t badlen = 99;

	(void)state;
	assert_int_equal(columns_parse("KEY,ID", &defaults, SCOPE_ALL, &out, &bad, &badlen), 0);
	assert_list(&out, (const int[]){ COL_KEY, COL_ID }, 2);

	assert_int_equal(columns_parse("size,Key,cpid", &defaults, SCOPE_ALL, &out, &bad, &badlen), 0);
	assert_list(&out, (const int[]){ COL_SIZE, COL_KEY, COL_CPID }, 3);

	assert_int_equal(columns_parse("RSS", &defaults, SCOPE_ALL, &out, &bad, &badlen), 0);
	assert_list(&out, (const int[]){ COL_RSS }, 1);
	assert_null(bad);
}

static void test_parse_append(void **state)
{
	struct column_list out;
	const char *bad = NULL;
	size_t badlen = 0;

	(void)state;
	assert_int_equal(columns_parse("+RSS", &defaults, SCOPE_ALL, &out, &bad, &badlen), 0);
	assert_int_equal(out.n, defaults.n + 1);
	assert_memory_equal(out.ids, defaults.ids, defaults.n * sizeof(int));
	assert_int_equal(out.ids[defaults.n], COL_RSS);

	assert_int_equal(columns_parse("+rss,swap", &defaults, SCOPE_ALL, &out, &bad, &badlen), 0);
	assert_int_equal(out.n, defaults.n + 2);
	assert_int_equal(out.ids[defaults.n], COL_RSS);
	assert_int_equal(out.ids[defaults.n + 1], COL_SWAP);
	/* the defaults themselves are not changed */
	assert_int_equal(defaults.n, 7);
}

static void test_parse_unknown(void **state)
{
	static const struct {
		const char *spec;
		size_t bad_off, badlen;
	} cases[] = {
		{ "KEY,BOGUS,ID", 4, 5 },
		{ "BOGUS",        0, 5 },
		{ "KEY,ID,NOPE",  7, 4 },
		{ "KE,ID",        0, 2 },
		{ "+RSS,XX",      5, 2 },
		{ "",             0, 0 },
		{ "KEY,",         4, 0 },
		{ ",KEY",         0, 0 },
		{ "KEY,,ID",      4, 0 },
		{ "+",            1, 0 },
		{ "KEY ID",       0, 6 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct column_list out;
		const char *bad = NULL;
		size_t badlen = 999;
		int rc = columns_parse(cases[i].spec, &defaults, SCOPE_ALL, &out, &bad, &badlen);

		if (rc != -EINVAL)
			fail_msg("\"%s\": returned %d, expected %d", cases[i].spec, rc, -EINVAL);
		if (bad != cases[i].spec + cases[i].bad_off || badlen != cases[i].badlen)
			fail_msg("\"%s\": bad at offset %td len %zu, expected %zu len %zu",
				 cases[i].spec, bad ? bad - cases[i].spec : -1, badlen,
				 cases[i].bad_off, cases[i].badlen);
	}
}

static void test_parse_too_many(void **state)
{
	char spec[MAX_COLUMNS * 8];
	char *p = spec;
	struct column_list out;
	const char *bad;
	size_t badlen;

	(void)state;
	/* exactly MAX_COLUMNS: fine */
	for (int i = 0; i < MAX_COLUMNS; i++)
		p += sprintf(p, "%sID", i ? "," : "");
	assert_int_equal(columns_parse(spec, &defaults, SCOPE_ALL, &out, &bad, &badlen), 0);
	assert_int_equal(out.n, MAX_COLUMNS);
	/* one more */
	strcpy(p, ",ID");
	assert_int_equal(columns_parse(spec, &defaults, SCOPE_ALL, &out, &bad, &badlen), -E2BIG);

	/* appended to the defaults: MAX_COLUMNS - 7 fit, one more does not */
	p = spec;
	*p++ = '+';
	for (size_t i = 0; i < MAX_COLUMNS - defaults.n; i++)
		p += sprintf(p, "%sKEY", i ? "," : "");
	assert_int_equal(columns_parse(spec, &defaults, SCOPE_ALL, &out, &bad, &badlen), 0);
	assert_int_equal(out.n, MAX_COLUMNS);
	strcpy(p, ",KEY");
	assert_int_equal(columns_parse(spec, &defaults, SCOPE_ALL, &out, &bad, &badlen), -E2BIG);
}

/* ---- column_render ---- */

struct render_case {
	int col;
	const char *want;       /* NULL: no value */
};

static void check_render(const struct render_case *c, size_t n,
			 const struct shm_segment *s, const struct render_opts *ro,
			 const char *what)
{
	for (size_t i = 0; i < n; i++) {
		char buf[128];
		const char *got;

		memset(buf, 'X', sizeof(buf));
		buf[sizeof(buf) - 1] = '\0';
		got = column_render(c[i].col, s, 0, ro, buf, sizeof(buf));
		if (!c[i].want && got)
			fail_msg("%s %s: got \"%s\", expected NULL", what,
				 column_table[c[i].col].name, got);
		if (c[i].want && (!got || strcmp(got, c[i].want) != 0))
			fail_msg("%s %s: got \"%s\", expected \"%s\"", what,
				 column_table[c[i].col].name, got ? got : "(null)", c[i].want);
	}
}

static void test_render_text(void **state)
{
	static const struct render_case cases[] = {
		{ COL_KEY,    "0xdeadbeef" },
		{ COL_ID,     "32769" },
		{ COL_OWNER,  "4000001" },
		{ COL_USER,   "4000001" },
		{ COL_PERMS,  "rw-r-----" },
		{ COL_SIZE,   "1.5K" },
		{ COL_NATTCH, "3" },
		{ COL_STATUS, "dest,locked" },
		{ COL_CTIME,  "2023-11-14T22:13:20Z" },
		{ COL_ATIME,  NULL },
		{ COL_DTIME,  "2023-11-14T21:13:20Z" },
		{ COL_CPID,   "4242" },
		{ COL_LPID,   "4343" },
		{ COL_UID,    "4000001" },
		{ COL_GID,    "4000002" },
		{ COL_GROUP,  "4000002" },
		{ COL_CUID,   "4000003" },
		{ COL_CUSER,  "4000003" },
		{ COL_CGID,   "4000004" },
		{ COL_CGROUP, "4000004" },
		{ COL_RSS,    "1M" },
		{ COL_SWAP,   "2K" },
	};
	struct render_opts ro = opts(state);

	check_render(cases, ARRAY_LEN(cases), &seg_full, &ro, "human");
}

static void test_render_bytes_and_numeric(void **state)
{
	static const struct render_case cases[] = {
		{ COL_SIZE,  "1536" },
		{ COL_RSS,   "1048576" },
		{ COL_SWAP,  "2048" },
		{ COL_PERMS, "0640" },
		{ COL_ID,    "32769" },
	};
	struct render_opts ro = opts(state);

	ro.bytes = true;
	ro.numeric_perms = true;
	check_render(cases, ARRAY_LEN(cases), &seg_full, &ro, "bytes");
}

static void test_render_json(void **state)
{
	static const struct render_case cases[] = {
		{ COL_SIZE,   "1536" },           /* a number, even without --bytes */
		{ COL_RSS,    "1048576" },
		{ COL_SWAP,   "2048" },
		{ COL_ATIME,  NULL },             /* null */
		{ COL_NATTCH, "3" },
		{ COL_KEY,    "0xdeadbeef" },
	};
	struct render_opts ro = opts(state);

	ro.json = true;
	check_render(cases, ARRAY_LEN(cases), &seg_full, &ro, "json");
}

static void test_render_no_memory(void **state)
{
	static const struct render_case cases[] = {
		{ COL_RSS,  NULL },
		{ COL_SWAP, NULL },
		{ COL_SIZE, "1.5K" },
	};
	struct shm_segment s = seg_full;
	struct render_opts ro = opts(state);

	s.has_memory = false;
	check_render(cases, ARRAY_LEN(cases), &s, &ro, "no memory");
	ro.bytes = true;
	check_render(cases, 2, &s, &ro, "no memory, bytes");
	ro.json = true;
	check_render(cases, 2, &s, &ro, "no memory, json");
}

static void test_render_plain_segment(void **state)
{
	static const struct render_case cases[] = {
		{ COL_KEY,     "0x00000000" },
		{ COL_ID,      "0" },             /* shmid 0 is valid */
		{ COL_USER,    "root" },
		{ COL_GROUP,   "root" },
		{ COL_CUSER,   "root" },
		{ COL_PERMS,   "rw-------" },
		{ COL_STATUS,  "" },
		{ COL_SIZE,    "0B" },
		{ COL_CTIME,   NULL },
		{ COL_DTIME,   NULL },
		{ COL_CPID,    "0" },
		{ COL_COMMAND, NULL },            /* no creator pid */
		{ COL_RSS,     "0B" },
	};
	struct shm_segment s = { .mode = 0600, .has_memory = true };
	struct render_opts ro = opts(state);

	check_render(cases, ARRAY_LEN(cases), &s, &ro, "plain");
}

static void test_render_out_of_range(void **state)
{
	struct render_opts ro = opts(state);
	char buf[128];

	assert_null(column_render(COL_COUNT, &seg_full, 0, &ro, buf, sizeof(buf)));
	assert_null(column_render(-1, &seg_full, 0, &ro, buf, sizeof(buf)));
}

/* The creator's command line, only while the creator is the process that
 * existed when the segment was created. */
static void test_render_command(void **state)
{
	struct render_opts ro = opts(state);
	struct shm_segment s = seg_full;
	char buf[128];
	const char *got;

	s.cpid = getpid();
	s.ctime = (int64_t)time(NULL);
	s.atime = s.dtime = 0;
	got = column_render(COL_COMMAND, &s, 0, &ro, buf, sizeof(buf));
	assert_non_null(got);
	assert_non_null(strstr(got, "test-columns"));
	/* a segment created before this process started: the pid was reused */
	s.ctime = 1000;
	assert_null(column_render(COL_COMMAND, &s, 0, &ro, buf, sizeof(buf)));
	/* the same after an IPC_SET moved ctime: the detach tells */
	s.ctime = (int64_t)time(NULL);
	s.dtime = 1000;
	assert_null(column_render(COL_COMMAND, &s, 0, &ro, buf, sizeof(buf)));
	/* pid 0: a creator in a PID namespace this one does not see */
	s.cpid = 0;
	s.dtime = 0;
	assert_null(column_render(COL_COMMAND, &s, 0, &ro, buf, sizeof(buf)));
}

/* ---- column_compare ---- */

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void test_compare_order(void **state)
{
	static const struct {
		int col;
		struct shm_segment a, b;        /* a sorts before b */
	} cases[] = {
		{ COL_KEY,    { .key = 1 },          { .key = -1 } },       /* 0xffffffff */
		{ COL_KEY,    { .key = INT32_MAX },  { .key = INT32_MIN } },
		{ COL_ID,     { .id = 5 },           { .id = 32768 } },
		{ COL_SIZE,   { .size = 4096 },      { .size = UINT64_MAX } },
		{ COL_NATTCH, { .nattch = 0 },       { .nattch = 1 } },
		{ COL_PERMS,  { .mode = SEG_MODE_DEST | 0600 }, { .mode = 0644 } },
		{ COL_STATUS, { .mode = 0777 },      { .mode = SEG_MODE_DEST } },
		{ COL_STATUS, { .mode = SEG_MODE_DEST }, { .mode = SEG_MODE_LOCKED } },
		{ COL_CTIME,  { .ctime = 1 },        { .ctime = T0 } },
		{ COL_ATIME,  { .atime = 0 },        { .atime = 1 } },
		{ COL_DTIME,  { .dtime = T0 },       { .dtime = T0 + 1 } },
		{ COL_CPID,   { .cpid = 9 },         { .cpid = 10 } },
		{ COL_LPID,   { .lpid = 0 },         { .lpid = 1 } },
		{ COL_UID,    { .uid = 2 },          { .uid = 10 } },
		{ COL_GID,    { .gid = 2 },          { .gid = 10 } },
		{ COL_CUID,   { .cuid = 2, .uid = 9 }, { .cuid = 10, .uid = 1 } },
		{ COL_CGID,   { .cgid = 2, .gid = 9 }, { .cgid = 10, .gid = 1 } },
		{ COL_RSS,    { .rss = 1 },          { .rss = 2 } },
		{ COL_SWAP,   { .swap = 1, .rss = 2 }, { .swap = 2, .rss = 1 } },
		/* names compare as text: "4000001" < "root" */
		{ COL_USER,   { .uid = NONAME_UID },  { .uid = 0 } },
		{ COL_OWNER,  { .uid = NONAME_UID },  { .uid = 0 } },
		{ COL_CUSER,  { .cuid = NONAME_UID, .uid = 0 }, { .cuid = 0, .uid = NONAME_UID } },
		{ COL_GROUP,  { .gid = NONAME_GID },  { .gid = 0 } },
		{ COL_CGROUP, { .cgid = NONAME_GID, .gid = 0 }, { .cgid = 0, .gid = NONAME_GID } },
	};
	struct render_opts ro = opts(state);

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		int ab = column_compare(cases[i].col, &cases[i].a, &cases[i].b, &ro);
		int ba = column_compare(cases[i].col, &cases[i].b, &cases[i].a, &ro);

		if (sign(ab) != -1 || sign(ba) != 1)
			fail_msg("case %zu (%s): compare(a,b) = %d, compare(b,a) = %d",
				 i, column_table[cases[i].col].name, ab, ba);
	}
}

static void test_compare_equal(void **state)
{
	struct render_opts ro = opts(state);
	struct shm_segment copy = seg_full;

	for (int col = 0; col < COL_COUNT; col++) {
		if (column_compare(col, &seg_full, &seg_full, &ro) != 0)
			fail_msg("%s: a segment differs from itself", column_table[col].name);
		if (column_compare(col, &seg_full, &copy, &ro) != 0)
			fail_msg("%s: a segment differs from its copy", column_table[col].name);
	}
}

/* The attach columns read the scan's table: partial when fewer mappings
 * were found than nattch; nothing at all without a scan. */
static void test_render_attach(void **state)
{
	struct attach_table t = { 0 };
	struct attach_buf b = { 0 };
	const char maps[] = "7f00-7f01 rw-s 00000000 00:01 32769 /SYSV00000000 (deleted)\n";
	struct render_opts ro = opts(state);
	struct shm_segment s = seg_full, other = seg_full;
	char buf[128], want[64];
	pid_t self = getpid();

	assert_int_equal(attach_devs_add(&t.devs, 0, 1), 0);
	assert_int_equal(attach_add_maps(&t, INT32_MAX, maps, strlen(maps)), 1);
	assert_int_equal(attach_add_maps(&t, self, maps, strlen(maps)), 1);
	assert_int_equal(attach_table_index(&t), 0);
	ro.scratch = &b;

	for (int col = COL_PIDS; col <= COL_PARTIAL; col++)
		assert_null(column_render(col, &s, 0, &ro, buf, sizeof(buf)));

	ro.attach = &t;
	s.nattch = 3;                           /* two of three found */
	snprintf(want, sizeof(want), "%d,%d,...", (int)self, INT32_MAX);
	assert_string_equal(column_render(COL_PIDS, &s, 0, &ro, buf, sizeof(buf)), want);
	assert_string_equal(column_render(COL_NPROCS, &s, 0, &ro, buf, sizeof(buf)), "2+");
	assert_string_equal(column_render(COL_PARTIAL, &s, 0, &ro, buf, sizeof(buf)), "yes");
	snprintf(want, sizeof(want), "%d(test-columns),%d,...", (int)self, INT32_MAX);
	assert_string_equal(column_render(COL_ATTACHED, &s, 0, &ro, buf, sizeof(buf)), want);

	s.nattch = 2;                           /* all found */
	snprintf(want, sizeof(want), "%d,%d", (int)self, INT32_MAX);
	assert_string_equal(column_render(COL_PIDS, &s, 0, &ro, buf, sizeof(buf)), want);
	assert_string_equal(column_render(COL_NPROCS, &s, 0, &ro, buf, sizeof(buf)), "2");
	assert_string_equal(column_render(COL_PARTIAL, &s, 0, &ro, buf, sizeof(buf)), "no");

	ro.json = true;                         /* a number, even when partial */
	s.nattch = 3;
	assert_string_equal(column_render(COL_NPROCS, &s, 0, &ro, buf, sizeof(buf)), "2");

	other.id = 5;                           /* nobody found, nattch 3 */
	/* JSON: PARTIAL says it, the array holds pids alone */
	assert_string_equal(column_render(COL_PIDS, &other, 0, &ro, buf, sizeof(buf)), "");
	assert_string_equal(column_render(COL_NPROCS, &other, 0, &ro, buf, sizeof(buf)), "0");
	assert_true(column_compare(COL_NPROCS, &other, &s, &ro) < 0);
	assert_true(column_compare(COL_PIDS, &other, &s, &ro) < 0);
	assert_true(column_compare(COL_PARTIAL, &other, &s, &ro) == 0);
	other.nattch = 0;
	assert_true(column_compare(COL_PARTIAL, &other, &s, &ro) < 0);
	assert_true(columns_any(column_needs_attach, &(struct column_list){ .ids = { COL_ID, COL_NPROCS }, .n = 2 }));
	assert_false(columns_any(column_needs_attach, &(struct column_list){ .ids = { COL_ID, COL_COMMAND }, .n = 2 }));

	attach_buf_free(&b);
	attach_table_free(&t);
}

/* Text read from the system is rendered in the form of the output, once:
 * escaped for an aligned table, exact for raw and export (libsmartcols
 * escapes it), UTF-8 repaired for JSON. */
static void test_render_text_forms(void **state)
{
	static const struct {
		enum text_form f;
		const char *name, *comm;
	} cases[] = {
		{ TEXT_TERMINAL, "p q\\x0ar\\\\s\\x1b[1m\\xff", "c\\\\d\\x1b" },
		{ TEXT_TERMINAL_UTF8, "p q\\x0ar\\\\s\\x1b[1m\\xff", "c\\\\d\\x1b" },
		{ TEXT_EXACT, "p q\nr\\s\x1b[1m\xff", "c\\d\x1b" },
		{ TEXT_UTF8, "p q\nr\\s\x1b[1m\xef\xbf\xbd", "c\\d\x1b" },
	};
	struct posix_obj o = { .name = (char *)"p q\nr\\s\x1b[1m\xff" };
	struct attach_table t = { 0 };
	struct attach_buf b = { 0 };
	const char maps[] = "7f00-7f01 rw-s 00000000 00:01 32769 /SYSV00000000 (deleted)\n";
	struct name_cache *nc = names_new();
	struct render_opts ro = { .names = nc, .scratch = &b, .attach = &t };
	struct shm_segment s = seg_full;
	char old_comm[17] = "", buf[128], want[64], longname[101];
	pid_t self = getpid();

	(void)state;
	assert_non_null(nc);
	assert_int_equal(attach_devs_add(&t.devs, 0, 1), 0);
	assert_int_equal(attach_add_maps(&t, self, maps, strlen(maps)), 1);
	assert_int_equal(attach_table_index(&t), 0);
	s.nattch = 1;
	prctl(PR_GET_NAME, old_comm);
	assert_int_equal(prctl(PR_SET_NAME, "c\\d\x1b"), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ro.text = cases[i].f;
		assert_string_equal(column_render_posix(COL_PX_NAME, &o, &ro, buf, sizeof(buf)),
				    cases[i].name);
		snprintf(want, sizeof(want), "%d(%s)", (int)self, cases[i].comm);
		assert_string_equal(column_render(COL_ATTACHED, &s, 0, &ro, buf, sizeof(buf)), want);
	}
	prctl(PR_SET_NAME, old_comm);

	/* longer than buf once escaped: whole, in the scratch buffer */
	memset(longname, '\x1b', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	o.name = longname;
	ro.text = TEXT_TERMINAL;
	assert_int_equal(strlen(column_render_posix(COL_PX_NAME, &o, &ro, buf, sizeof(buf))), 400);
	/* without a scratch buffer: cut to fit buf */
	ro.scratch = NULL;
	assert_true(strlen(column_render_posix(COL_PX_NAME, &o, &ro, buf, sizeof(buf))) < sizeof(buf));
	attach_buf_free(&b);
	attach_table_free(&t);
	names_free(nc);
}

/* The owner columns of an object come from its holders, each value
 * once; NS and PID from the mount namespace of list -A, empty without. */
static void test_posix_owner_ns(void **state)
{
	struct name_cache *nc = names_new();
	struct attach_buf b = { 0 };
	struct render_opts ro = { .names = nc, .scratch = &b };
	struct posix_holder two[] = { { .pid = getpid() }, { .pid = getpid() } };
	struct posix_obj o = { .name = "x" };
	const char *path;
	char buf[128];

	(void)state;
	assert_non_null(nc);
	assert_null(column_render_posix(COL_PX_CGPATH, &o, &ro, buf, sizeof(buf)));
	assert_null(column_render_posix(COL_PX_NS, &o, &ro, buf, sizeof(buf)));
	assert_null(column_render_posix(COL_PX_PID, &o, &ro, buf, sizeof(buf)));
	o.holders = two;
	o.nholders = 2;
	path = names_cgroup(nc, getpid());
	/* the process twice: its path once */
	if (path)
		assert_string_equal(column_render_posix(COL_PX_CGPATH, &o, &ro, buf, sizeof(buf)),
				    path);
	o.mntns = 4026531841u;
	o.dir_pid = 7;
	assert_string_equal(column_render_posix(COL_PX_NS, &o, &ro, buf, sizeof(buf)), "4026531841");
	assert_string_equal(column_render_posix(COL_PX_PID, &o, &ro, buf, sizeof(buf)), "7");
	attach_buf_free(&b);
	names_free(nc);
}

/* list --posix scans /proc only for the columns of use and of owners */
static void test_posix_use_columns(void **state)
{
	(void)state;
	assert_true(column_needs_posix_use(COL_PX_USE));
	assert_true(column_needs_posix_use(COL_PX_NPROCS));
	for (int c = 0; c < COL_COUNT; c++) {
		bool owner = c == COL_PX_CGPATH || c == COL_PX_UNIT || c == COL_PX_CONTAINER ||
			     c == COL_PX_POD;

		assert_int_equal(column_is_posix_owner(c), owner);
		if (c != COL_PX_USE && c != COL_PX_NPROCS && !owner)
			assert_false(column_needs_posix_use(c));
		else
			assert_true(column_needs_posix_use(c));
		/* list --posix only: gc --posix keeps no process per object */
		if (owner) {
			assert_true(column_in_scope(c, SCOPE_POSIX));
			assert_false(column_in_scope(c, SCOPE_GC_POSIX));
			assert_false(column_in_scope(c, SCOPE_ALL));
			assert_false(column_is_owner(c));
			assert_false(column_needs_attach(c));
		}
	}
	assert_false(columns_any(column_needs_posix_use, &(struct column_list){
		.ids = { COL_PX_NAME, COL_PX_SIZE, COL_PX_OWNER, COL_PX_PERMS, COL_PX_MTIME }, .n = 5 }));
	assert_true(columns_any(column_needs_posix_use, &(struct column_list){
		.ids = { COL_PX_NAME, COL_PX_NPROCS }, .n = 2 }));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_by_name),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_parse_append),
		cmocka_unit_test(test_parse_unknown),
		cmocka_unit_test(test_parse_too_many),
		cmocka_unit_test(test_render_text),
		cmocka_unit_test(test_render_bytes_and_numeric),
		cmocka_unit_test(test_render_json),
		cmocka_unit_test(test_render_no_memory),
		cmocka_unit_test(test_render_plain_segment),
		cmocka_unit_test(test_render_out_of_range),
		cmocka_unit_test(test_render_command),
		cmocka_unit_test(test_render_attach),
		cmocka_unit_test(test_render_text_forms),
		cmocka_unit_test(test_compare_order),
		cmocka_unit_test(test_compare_equal),
		cmocka_unit_test(test_posix_use_columns),
		cmocka_unit_test(test_posix_owner_ns),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
