/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/lib/util.c: messages that quote what the user gave. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "capture.h"
#include "lib/util.h"

/* What warnx_safe writes to stderr. */
static char *stderr_of(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *stderr_of(const char *fmt, ...)
{
	static char buf[4096];
	struct capture c;
	va_list ap;

	capture_start(&c, STDERR_FILENO);
	va_start(ap, fmt);
	vwarnx_safe(fmt, ap);
	va_end(ap);
	return capture_end(&c, buf, sizeof(buf));
}

static void test_plain(void **state)
{
	(void)state;
	assert_string_equal(stderr_of("invalid size: '%s'", "12Q"),
			    "test-util: invalid size: '12Q'\n");
}

/* a hostile argument cannot drive the terminal through an error message */
static void test_escapes(void **state)
{
	(void)state;
	assert_string_equal(stderr_of("invalid segment id: '%s'", "1\033[31mX\033]0;t\a"),
			    "test-util: invalid segment id: '1\\x1b[31mX\\x1b]0;t\\x07'\n");
	assert_string_equal(stderr_of("cannot open '%s'", "a\nb\rc\td"),
			    "test-util: cannot open 'a\\x0ab\\x0dc\\x09d'\n");
	/* C1 CSI and invalid UTF-8; a backslash is doubled so the text is unambiguous */
	assert_string_equal(stderr_of("'%s'", "\xc2\x9b" "2J\xff\\"),
			    "test-util: '\\xc2\\x9b2J\\xff\\\\'\n");
}

/* Options that may not go together: the first one given of a group
 * conflicts with any other of it, given later */
static void test_excl_conflict(void **state)
{
	static const struct excl_group groups[] = {
		{ { 'a', 'b' } },
		{ { 'q', 'J' } },
		{ { 'q', 'r' } },
		{ { 'x', 'y', 'z' } },
	};
	int seen[EXCL_COUNT(groups)] = { 0 };

	(void)state;
	assert_int_equal(excl_conflict(groups, EXCL_COUNT(groups), seen, 'a'), 0);
	assert_int_equal(excl_conflict(groups, EXCL_COUNT(groups), seen, 'a'), 0); /* again */
	assert_int_equal(excl_conflict(groups, EXCL_COUNT(groups), seen, 'J'), 0);
	assert_int_equal(excl_conflict(groups, EXCL_COUNT(groups), seen, 'r'), 0);
	assert_int_equal(excl_conflict(groups, EXCL_COUNT(groups), seen, 'c'), 0); /* in none */
	assert_int_equal(excl_conflict(groups, EXCL_COUNT(groups), seen, 'b'), 'a');
	/* in two groups: the first given of the first group it conflicts in */
	assert_int_equal(excl_conflict(groups, EXCL_COUNT(groups), seen, 'q'), 'J');
	assert_int_equal(excl_conflict(groups, EXCL_COUNT(groups), seen, 'z'), 0);
	assert_int_equal(excl_conflict(groups, EXCL_COUNT(groups), seen, 'x'), 'z');
	assert_int_equal(excl_conflict(groups, EXCL_COUNT(groups), seen, 'y'), 'z');
	/* none at all */
	assert_int_equal(excl_conflict(NULL, 0, NULL, 'a'), 0);
}

/* "did you mean": a name the word starts, or one at most 2 edits away */
static void test_nearest_name(void **state)
{
	static const char *const names[] = {
		"create", "attach-write", "cat", "list", "stat", "rm", "gc", "ftok",
		"namespaces", "metrics", "help",
	};
	const size_t n = sizeof(names) / sizeof(names[0]);

	(void)state;
	assert_string_equal(nearest_name("creat", names, n), "create");
	assert_string_equal(nearest_name("lst", names, n), "list");
	assert_string_equal(nearest_name("lsit", names, n), "list");          /* swapped */
	assert_string_equal(nearest_name("namespace", names, n), "namespaces");
	assert_string_equal(nearest_name("attach", names, n), "attach-write"); /* a prefix */
	assert_string_equal(nearest_name("metric", names, n), "metrics");
	assert_string_equal(nearest_name("sat", names, n), "cat");            /* one edit: first found */
	assert_null(nearest_name("xyzzy", names, n));
	assert_null(nearest_name("l", names, n));       /* 2 edits from rm, gc: too short */
	assert_null(nearest_name("xy", names, n));
	assert_null(nearest_name("removeall", names, n));
	assert_null(nearest_name("", names, 0));
	/* a very long word is no match, and no overflow */
	assert_null(nearest_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", names, n));
}

/* Whether fd is open read-write on /dev/null. */
static bool is_dev_null(int fd)
{
	struct stat null, st;

	return stat("/dev/null", &null) == 0 && fstat(fd, &st) == 0 &&
	       S_ISCHR(st.st_mode) && st.st_rdev == null.st_rdev &&
	       (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR;
}

/* In a child, so that the test's own descriptors are left alone: the
 * exit status says which check failed (0: none). */
static int closed_std_fds_child(void)
{
	struct stat in_before, in_after;
	int fd;

	/* stdout and stderr closed, stdin open: only the two are made */
	if (fstat(STDIN_FILENO, &in_before) != 0)
		return 10;
	close(STDOUT_FILENO);
	close(STDERR_FILENO);
	if (std_fds_open() != 0)
		return 11;
	if (!is_dev_null(STDOUT_FILENO) || !is_dev_null(STDERR_FILENO))
		return 12;
	if (fstat(STDIN_FILENO, &in_after) != 0 || in_after.st_ino != in_before.st_ino ||
	    in_after.st_dev != in_before.st_dev)
		return 13;
	/* all three closed */
	close(STDIN_FILENO);
	close(STDOUT_FILENO);
	close(STDERR_FILENO);
	if (std_fds_open() != 0)
		return 14;
	for (fd = 0; fd <= 2; fd++)
		if (!is_dev_null(fd))
			return 15;
	/* the next file opened is not one of them */
	fd = open("/dev/null", O_RDONLY);
	if (fd <= STDERR_FILENO)
		return 16;
	close(fd);
	/* all open: nothing changes, nothing is left open */
	if (std_fds_open() != 0 || (fd = open("/dev/null", O_RDONLY)) != 3)
		return 17;
	return 0;
}

static void test_std_fds_open(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* a descriptor 3 of the parent's would hide a leak */
		for (int fd = 3; fd < 64; fd++)
			close(fd);
		_exit(closed_std_fds_child());
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_excl_conflict),
		cmocka_unit_test(test_nearest_name),
		cmocka_unit_test(test_std_fds_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
