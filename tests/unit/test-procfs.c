/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/core/procfs.c: the pure parsers of /proc/PID/stat,
 * status and fdinfo, and the system layer on this process and a child. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/procfs.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A real line (bash), starttime 48158 is field 22. */
#define STAT_TAIL(start) " 5297 5297 4786 0 -1 4194304 103 0 0 0 0 0 0 0 20 0 1 0 " \
	start " 2998272 394 18446744073709551615 93967991697408 93967991721513" \
	" 140737407002176 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 93967991737360" \
	" 93967991738976 93968304545792 140737407007165 140737407007193" \
	" 140737407007193 140737407008746 0\n"

/* ---- procfs_parse_stat: the start time ---- */

static int parse_start(const char *line, uint64_t *ticks)
{
	struct proc_stat ps;
	int rc = procfs_parse_stat(line, &ps);

	if (!rc)
		*ticks = ps.start;
	return rc;
}

static void test_starttime(void **state)
{
	static const struct {
		const char *name, *line;
		uint64_t want;
	} cases[] = {
		{ "plain",          "5304 (bash) R" STAT_TAIL("48158"), 48158 },
		{ "comm with space", "5304 (tmux: server) S" STAT_TAIL("123456"), 123456 },
		{ "comm with ')'",  "123 (a) b) S" STAT_TAIL("777"), 777 },
		{ "comm ') S 1 2'", "123 () S 1 2 3) S" STAT_TAIL("4242"), 4242 },
		{ "empty comm",     "9 () Z" STAT_TAIL("1"), 1 },
		{ "large",          "1 (init) S" STAT_TAIL("18446744073709551615"),
		  UINT64_MAX },
		{ "ends at field 22", "1 (x) S 0 1 1 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 31337", 31337 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		uint64_t ticks = 0xdead;
		int rc = parse_start(cases[i].line, &ticks);

		if (rc != 0)
			fail_msg("%s: returned %d", cases[i].name, rc);
		if (ticks != cases[i].want)
			fail_msg("%s: got %llu, expected %llu", cases[i].name,
				 (unsigned long long)ticks, (unsigned long long)cases[i].want);
	}
}

static void test_starttime_malformed(void **state)
{
	static const struct {
		const char *name, *line;
	} cases[] = {
		{ "empty",             "" },
		{ "no parenthesis",    "5304 bash R 5297 5297 4786 0 -1 4194304 103 0 0 0 0 0 0 0 20 0 1 0 48158" },
		{ "truncated at 21",   "5304 (bash) R 5297 5297 4786 0 -1 4194304 103 0 0 0 0 0 0 0 20 0 1 0" },
		{ "truncated + blank", "5304 (bash) R 5297 5297 4786 0 -1 4194304 103 0 0 0 0 0 0 0 20 0 1 0 " },
		{ "truncated early",   "5304 (bash) R 5297" },
		{ "only comm",         "5304 (bash)" },
		{ "field 22 not a number", "1 (x) S 0 1 1 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 abc 5" },
		{ "field 22 negative", "1 (x) S 0 1 1 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 -5 5" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		uint64_t ticks = 0xdead;
		int rc = parse_start(cases[i].line, &ticks);

		if (rc != -EINVAL)
			fail_msg("%s: returned %d, expected %d", cases[i].name, rc, -EINVAL);
		if (ticks != 0xdead)
			fail_msg("%s: output written on error", cases[i].name);
	}
}

/* ---- procfs_parse_stat, procfs_exited ---- */

static void test_parse_stat(void **state)
{
	static const struct {
		const char *name, *line;
		char st;
		long threads;
		uint64_t start;
	} cases[] = {
		{ "sleeping",        "5304 (bash) S" STAT_TAIL("48158"), 'S', 1, 48158 },
		{ "zombie",          "9 (x) Z" STAT_TAIL("7"), 'Z', 1, 7 },
		{ "tracing stop",    "9 (x y) t" STAT_TAIL("7"), 't', 1, 7 },
		{ "threads",         "1 (x) Z 0 1 1 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 12 0 31337\n",
		  'Z', 12, 31337 },
		{ "comm ') Z 1 2'",  "123 () Z 1 2 3) R" STAT_TAIL("4242"), 'R', 1, 4242 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct proc_stat ps = { 0 };
		int rc = procfs_parse_stat(cases[i].line, &ps);

		if (rc != 0)
			fail_msg("%s: returned %d", cases[i].name, rc);
		if (ps.state != cases[i].st || ps.threads != cases[i].threads ||
		    ps.start != cases[i].start)
			fail_msg("%s: got %c %ld %llu", cases[i].name, ps.state, ps.threads,
				 (unsigned long long)ps.start);
	}
	{
		struct proc_stat ps = { .state = '?' };

		assert_int_equal(procfs_parse_stat("5304 (bash) R 5297", &ps), -EINVAL);
		assert_int_equal(procfs_parse_stat("5304 (bash)", &ps), -EINVAL);
		assert_int_equal(ps.state, '?');
	}
}

/* A zombie has exited unless other threads of its group still run: a
 * leader that called pthread_exit shows Z with them. */
static void test_exited(void **state)
{
	static const struct {
		char st;
		long threads;
		bool want;
	} cases[] = {
		{ 'Z', 1, true }, { 'X', 1, true }, { 'Z', 0, true },
		{ 'Z', 2, false }, { 'S', 1, false }, { 'R', 4, false }, { 'D', 1, false },
		{ 'T', 1, false }, { 't', 1, false }, { 'I', 1, false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct proc_stat ps = { .state = cases[i].st, .threads = cases[i].threads };

		if (procfs_exited(&ps) != cases[i].want)
			fail_msg("%c with %ld threads: got %d", cases[i].st, cases[i].threads,
				 !cases[i].want);
	}
}

/* ---- procfs_ticks_to_ns ---- */

static void test_ticks_to_ns(void **state)
{
	const int64_t boot = 1795897178LL * 1000000000 + 987654321;     /* not whole */
	(void)state;

	assert_true(procfs_ticks_to_ns(0, boot, 100) == boot);
	assert_true(procfs_ticks_to_ns(1, boot, 100) == boot + 10000000);
	assert_true(procfs_ticks_to_ns(48158, boot, 100) == boot + 481580000000LL);
	assert_true(procfs_ticks_to_ns(333, boot, 1000) == boot + 333000000);
	assert_true(procfs_ticks_to_ns(UINT64_MAX, boot, 100) == INT64_MAX);
}

/* ---- the system layer, on this process ---- */

static void test_boot_ns(void **state)
{
	struct timespec real;
	int64_t start, boot = procfs_boot_ns();
	struct proc_stat ps;
	(void)state;

	assert_int_equal(clock_gettime(CLOCK_REALTIME, &real), 0);
	assert_true(boot > 0);
	assert_true(boot < (int64_t)real.tv_sec * 1000000000);
	/* this process started before now and after boot */
	assert_int_equal(procfs_read_stat(getpid(), &ps), 0);
	assert_int_equal(procfs_stat_start_ns(&ps, &start), 0);
	assert_true(start >= boot);
	assert_true(start <= (int64_t)real.tv_sec * 1000000000 + real.tv_nsec +
		    procfs_tick_ns());
	assert_true(procfs_tick_ns() > 0);
}

/* kill(pid, 0) tells a process that exists from one that does not. */
static void test_pid_exists(void **state)
{
	pid_t child;
	(void)state;

	assert_int_equal(procfs_pid_exists(getpid()), 1);
	assert_int_equal(procfs_pid_exists(0), -EINVAL);
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	/* a zombie exists for kill(), but has exited */
	{
		siginfo_t si;
		struct proc_stat ps;

		assert_int_equal(waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT), 0);
		assert_int_equal(procfs_pid_exists(child), 1);
		assert_int_equal(procfs_read_stat(child, &ps), 0);
		assert_true(procfs_exited(&ps));
	}
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_int_equal(procfs_pid_exists(child), 0);
	assert_true(procfs_is_own_pidns());
}

static void test_capeff(void **state)
{
	uint64_t caps = 0;
	(void)state;

	assert_int_equal(procfs_parse_capeff("Name:\tx\nCapInh:\t0000000000000000\n"
					     "CapEff:\t000001ffffffffff\nCapBnd:\t0\n", &caps), 0);
	assert_true(caps == 0x000001ffffffffffULL);
	assert_int_equal(procfs_parse_capeff("Name:\tx\nCapEff:\t0000000000200000\n", &caps), 0);
	assert_true((caps >> 21) & 1);
	assert_int_equal(procfs_parse_capeff("Name:\tx\nCapInh:\t0\n", &caps), -EINVAL);
	assert_int_equal(procfs_parse_capeff("Name:\tx\nCapEff:\tzz\n", &caps), -EINVAL);
}

/* ---- procfs_parse_status ---- */

#define STATUS_HEAD "Name:\tpostgres\nUmask:\t0077\nState:\tS (sleeping)\nTgid:\t42\n"

static void test_status(void **state)
{
	static const struct {
		const char *name, *text;
		const char *comm;
		char st;
		uid_t uid;
	} cases[] = {
		{ "effective uid is the second",
		  STATUS_HEAD "Uid:\t1000\t1001\t1000\t1000\nGid:\t5\t5\t5\t5\n",
		  "postgres", 'S', 1001 },
		{ "zombie", "Name:\tx\nState:\tZ (zombie)\nUid:\t0\t0\t0\t0\n", "x", 'Z', 0 },
		{ "name with spaces", "Name:\ttmux: server\nState:\tR (running)\n"
		  "Uid:\t4294967294\t4294967294\t0\t0", "tmux: server", 'R', 4294967294u },
		{ "Umask is not Uid", "Name:\ta\nUmask:\t0022\nState:\tS\nUid:\t7\t8\t7\t7\n",
		  "a", 'S', 8 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct proc_ident pi = { 0 };
		int rc = procfs_parse_status(cases[i].text, &pi);

		if (rc != 0)
			fail_msg("%s: returned %d", cases[i].name, rc);
		if (strcmp(pi.comm, cases[i].comm) || pi.state != cases[i].st || pi.uid != cases[i].uid)
			fail_msg("%s: got '%s' %c %u", cases[i].name, pi.comm, pi.state, (unsigned)pi.uid);
	}
}

static void test_status_malformed(void **state)
{
	static const char *const cases[] = {
		"",
		"Name:\tx\nState:\tS\n",                       /* no Uid */
		"Name:\tx\nUid:\t0\t0\t0\t0\n",             /* no State */
		"State:\tS\nUid:\t0\t0\t0\t0\n",            /* no Name */
		"Name:\tx\nState:\tS\nUid:\t0\n",            /* one uid only */
		"Name:\tx\nState:\tS\nUid:\tabc\t0\n",
		"Name:\tx\nState:\ts\nUid:\t0\t0\n",        /* state not a letter we know */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct proc_ident pi = { .state = '?' };

		if (procfs_parse_status(cases[i], &pi) != -EINVAL)
			fail_msg("case %zu: not rejected", i);
		if (pi.state != '?')
			fail_msg("case %zu: output written on error", i);
	}
}

/* The running test process identifies itself; pid 0 never runs. */
static void test_identify_self(void **state)
{
	struct proc_ident pi;

	(void)state;
	assert_int_equal(procfs_identify(getpid(), &pi), 0);
	assert_int_equal(pi.pid, getpid());
	assert_int_equal(pi.uid, geteuid());
	assert_string_equal(pi.comm, "test-procfs");
	assert_true(pi.start > 1000000000);
	assert_int_equal(procfs_identify(0, &pi), -ESRCH);
}

/* ---- procfs_parse_fdinfo ---- */

/* A file on Linux 6.x, one on 5.10 (no ino), and one with locks after
 * the fields; the order of the lines does not matter. */
static void test_fdinfo(void **state)
{
	static const char now[] = "pos:\t0\nflags:\t0100002\nmnt_id:\t31\nino:\t1234567890123\n";
	static const char old[] = "pos:\t4096\nflags:\t02\nmnt_id:\t26\n";
	static const char locks[] = "pos:\t0\nflags:\t02\nmnt_id:\t7\nino:\t9\n"
				    "lock:\t1: POSIX  ADVISORY  WRITE 42 00:1a:9 0 EOF\n";
	static const char swapped[] = "ino:\t5\nmnt_id:\t6";      /* no final newline */
	struct procfs_fdinfo fi;

	(void)state;
	assert_int_equal(procfs_parse_fdinfo(now, strlen(now), &fi), 0);
	assert_true(fi.has_mnt_id);
	assert_int_equal(fi.mnt_id, 31);
	assert_true(fi.has_ino);
	assert_int_equal(fi.ino, 1234567890123ULL);
	assert_int_equal(procfs_parse_fdinfo(old, strlen(old), &fi), 0);
	assert_true(fi.has_mnt_id);
	assert_int_equal(fi.mnt_id, 26);
	assert_false(fi.has_ino);
	assert_int_equal(procfs_parse_fdinfo(locks, strlen(locks), &fi), 0);
	assert_int_equal(fi.ino, 9);
	assert_int_equal(fi.mnt_id, 7);
	assert_int_equal(procfs_parse_fdinfo(swapped, strlen(swapped), &fi), 0);
	assert_int_equal(fi.ino, 5);
	assert_int_equal(fi.mnt_id, 6);
	/* nothing of either: both missing, not an error */
	assert_int_equal(procfs_parse_fdinfo("pos:\t0\n", 7, &fi), 0);
	assert_false(fi.has_ino || fi.has_mnt_id);
	/* only len bytes are read */
	assert_int_equal(procfs_parse_fdinfo(now, 20, &fi), 0);
	assert_false(fi.has_ino || fi.has_mnt_id);
}

static void test_fdinfo_malformed(void **state)
{
	static const char *const bad[] = {
		"mnt_id:\t\n",
		"mnt_id:\tx1\n",
		"mnt_id:\t12x\n",
		"mnt_id:\t2147483648\n",             /* above INT_MAX */
		"ino:\t-1\n",
		"ino:\t18446744073709551616\n",      /* above UINT64_MAX */
		"ino:\t\n",
	};
	struct procfs_fdinfo fi;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (procfs_parse_fdinfo(bad[i], strlen(bad[i]), &fi) != -EINVAL)
			fail_msg("case %zu: not rejected", i);
	assert_int_equal(procfs_parse_fdinfo("ino:\t18446744073709551615\n", 25, &fi), 0);
	assert_int_equal(fi.ino, UINT64_MAX);
}

/* ---- the options of a proc mount, and who misses processes ---- */

static void test_proc_opts(void **state)
{
	static const struct {
		const char *opts;
		enum procfs_hidepid hidepid;
		gid_t gid;
	} cases[] = {
		{ "rw", PROCFS_HIDEPID_OFF, 0 },
		{ "rw,hidepid=invisible", PROCFS_HIDEPID_INVISIBLE, 0 },
		{ "rw,hidepid=2", PROCFS_HIDEPID_INVISIBLE, 0 },        /* before 5.8 */
		{ "rw,gid=27,hidepid=invisible", PROCFS_HIDEPID_INVISIBLE, 27 },
		{ "rw,hidepid=ptraceable,subset=pid", PROCFS_HIDEPID_PTRACEABLE, 0 },
		{ "rw,hidepid=4", PROCFS_HIDEPID_PTRACEABLE, 0 },
		{ "rw,hidepid=noaccess", PROCFS_HIDEPID_NOACCESS, 0 },
		{ "rw,hidepid=1", PROCFS_HIDEPID_NOACCESS, 0 },
		{ "rw,hidepid=off", PROCFS_HIDEPID_OFF, 0 },
		{ "hidepid=0", PROCFS_HIDEPID_OFF, 0 },
		{ "", PROCFS_HIDEPID_OFF, 0 },
	};
	struct procfs_proc_opts po;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		if (procfs_parse_proc_opts(cases[i].opts, strlen(cases[i].opts), &po) ||
		    po.hidepid != cases[i].hidepid || po.gid != cases[i].gid)
			fail_msg("case %zu: %s", i, cases[i].opts);
	}
	/* only len bytes: the rest of the mountinfo line is not read */
	assert_int_equal(procfs_parse_proc_opts("rw,hidepid=2", 2, &po), 0);
	assert_int_equal(po.hidepid, PROCFS_HIDEPID_OFF);
	/* a level not known: an error, for the caller to assume the worst */
	assert_int_equal(procfs_parse_proc_opts("rw,hidepid=3", 12, &po), -EINVAL);
	assert_int_equal(procfs_parse_proc_opts("rw,hidepid=", 11, &po), -EINVAL);
	assert_int_equal(procfs_parse_proc_opts("hidepid=invisiblex", 18, &po), -EINVAL);
}

static void test_proc_mount_opts(void **state)
{
	static const char text[] =
		"22 28 0:21 / /sys rw,nosuid shared:7 - sysfs sysfs rw\n"
		"60 28 0:23 / /proc rw,relatime - proc proc rw,hidepid=invisible,gid=27\n"
		"61 28 0:24 / /other/proc rw - proc proc rw\n";
	struct procfs_proc_opts po;

	(void)state;
	assert_int_equal(procfs_proc_mount_opts(text, strlen(text), 60, &po), 0);
	assert_int_equal(po.hidepid, PROCFS_HIDEPID_INVISIBLE);
	assert_int_equal(po.gid, 27);
	assert_int_equal(procfs_proc_mount_opts(text, strlen(text), 61, &po), 0);
	assert_int_equal(po.hidepid, PROCFS_HIDEPID_OFF);
	assert_int_equal(procfs_proc_mount_opts(text, strlen(text), 62, &po), -ENOENT);
	assert_int_equal(procfs_proc_mount_opts("", 0, 60, &po), -ENOENT);
}

/* As the kernel decides it (fs/proc/base.c, has_pid_permissions). */
static void test_proc_hides(void **state)
{
	struct procfs_proc_opts po = { .hidepid = PROCFS_HIDEPID_OFF };

	(void)state;
	assert_false(procfs_proc_hides(&po, false, false));
	po.hidepid = PROCFS_HIDEPID_NOACCESS;           /* listed, reads denied */
	assert_false(procfs_proc_hides(&po, false, false));
	po.hidepid = PROCFS_HIDEPID_INVISIBLE;
	assert_true(procfs_proc_hides(&po, false, false));
	assert_false(procfs_proc_hides(&po, true, false));     /* CAP_SYS_PTRACE */
	assert_false(procfs_proc_hides(&po, false, true));     /* the gid= group */
	po.hidepid = PROCFS_HIDEPID_PTRACEABLE;
	assert_true(procfs_proc_hides(&po, false, false));
	assert_true(procfs_proc_hides(&po, false, true));      /* gid= does not apply */
	assert_false(procfs_proc_hides(&po, true, false));
	po.hidepid = (enum procfs_hidepid)3;
	assert_true(procfs_proc_hides(&po, true, true));       /* not known: the worst */
}

/* Only the initial PID namespace sees every process; one that cannot be
 * read counts as another. */
static void test_pidns_hides(void **state)
{
	(void)state;
	assert_false(procfs_pidns_hides(true, 4026531836u));
	assert_true(procfs_pidns_hides(true, 4026532000u));   /* unshare --pid */
	assert_true(procfs_pidns_hides(true, 0xF0000000u));   /* the first dynamic one */
	assert_true(procfs_pidns_hides(false, PROCFS_PID_INIT_INO));
	assert_true(procfs_pidns_hides(false, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capeff),
		cmocka_unit_test(test_starttime),
		cmocka_unit_test(test_starttime_malformed),
		cmocka_unit_test(test_parse_stat),
		cmocka_unit_test(test_exited),
		cmocka_unit_test(test_ticks_to_ns),
		cmocka_unit_test(test_boot_ns),
		cmocka_unit_test(test_pid_exists),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_malformed),
		cmocka_unit_test(test_identify_self),
		cmocka_unit_test(test_fdinfo),
		cmocka_unit_test(test_fdinfo_malformed),
		cmocka_unit_test(test_proc_opts),
		cmocka_unit_test(test_proc_mount_opts),
		cmocka_unit_test(test_proc_hides),
		cmocka_unit_test(test_pidns_hides),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
