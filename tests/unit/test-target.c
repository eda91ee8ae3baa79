/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/core/target.c: what -k, --ftok, --posix and the
 * arguments after them make of a command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cmd/args.h"
#include "core/target.h"

static void test_count_error(void **state)
{
	(void)state;
	assert_string_equal(target_count_error(0, false, TARGETS_ONE), "no segment given");
	assert_string_equal(target_count_error(0, false, TARGETS_SOME), "no segment given");
	assert_string_equal(target_count_error(0, true, TARGETS_ONE), "no POSIX object given");
	assert_string_equal(target_count_error(0, true, TARGETS_SOME), "no POSIX object given");
	assert_null(target_count_error(1, false, TARGETS_ONE));
	assert_null(target_count_error(1, true, TARGETS_ONE));
	assert_string_equal(target_count_error(2, false, TARGETS_ONE), "give one segment only");
	assert_string_equal(target_count_error(2, true, TARGETS_ONE), "give one POSIX object only");
	assert_null(target_count_error(2, false, TARGETS_SOME));
	assert_null(target_count_error(7, true, TARGETS_SOME));
}

/* -k and --ftok add a target each and are remembered as what --posix
 * refuses (the last one); --posix only sets the flag */
static void test_handle_option(void **state)
{
	struct target_args a = { 0 };

	(void)state;
	assert_int_equal(target_handle_option(&a, 'k', "0x10", "cmd"), 1);
	assert_string_equal(a.sysv_only, "key");
	assert_int_equal(target_handle_option(&a, TARGET_FTOK_OPTION, "/tmp:07", "cmd"), 1);
	assert_string_equal(a.sysv_only, "ftok");
	assert_false(a.posix);
	assert_int_equal(target_handle_option(&a, TARGET_POSIX_OPTION, NULL, "cmd"), 1);
	assert_true(a.posix);
	assert_string_equal(a.sysv_only, "ftok");

	assert_int_equal(a.list.n, 2);
	assert_int_equal(a.list.v[0].kind, TARGET_KEY);
	assert_int_equal(a.list.v[0].key, 0x10);
	assert_int_equal(a.list.v[1].kind, TARGET_FTOK);
	assert_string_equal(a.list.v[1].path, "/tmp");
	assert_int_equal(a.list.v[1].proj, 7);

	/* not one of them: nothing changes */
	assert_int_equal(target_handle_option(&a, 'v', NULL, "cmd"), 0);
	assert_int_equal(target_handle_option(&a, 'h', NULL, "cmd"), 0);
	assert_int_equal(a.list.n, 2);
	target_args_free(&a);
	assert_null(a.list.v);
	assert_int_equal(a.list.n, 0);
}

/* the ids come after the keys, in the order given */
static void test_finish_ids(void **state)
{
	struct target_args a = { 0 };
	char *args[] = { (char *)"5", (char *)"12" };

	(void)state;
	target_handle_option(&a, 'k', "42", "cmd");
	target_args_finish_or_err(&a, 2, args, TARGETS_SOME, "cmd");
	assert_int_equal(a.list.n, 3);
	assert_int_equal(a.list.v[0].kind, TARGET_KEY);
	assert_int_equal(a.list.v[1].kind, TARGET_ID);
	assert_int_equal(a.list.v[1].id, 5);
	assert_int_equal(a.list.v[2].id, 12);
	assert_null(a.names);
	assert_int_equal(a.nnames, 0);
	target_args_free(&a);
}

/* with --posix the arguments are names, the slash taken off; no id */
static void test_finish_names(void **state)
{
	struct target_args a = { 0 };
	char *args[] = { (char *)"/one", (char *)"two" };

	(void)state;
	target_handle_option(&a, TARGET_POSIX_OPTION, NULL, "cmd");
	target_args_finish_or_err(&a, 2, args, TARGETS_SOME, "cmd");
	assert_int_equal(a.nnames, 2);
	assert_string_equal(a.names[0], "one");
	assert_string_equal(a.names[1], "two");
	assert_int_equal(a.list.n, 0);
	target_args_free(&a);
	assert_null(a.names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count_error),
		cmocka_unit_test(test_handle_option),
		cmocka_unit_test(test_finish_ids),
		cmocka_unit_test(test_finish_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
