/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/core/as-target.c: the credentials of the --ipc-ns
 * process read from its status, and the capabilities kept while acting
 * as it. */
#include <errno.h>
#include <linux/capability.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/as-target.h"

static const char status[] =
	"Name:\tsleep\n"
	"Umask:\t0022\n"
	"State:\tS (sleeping)\n"
	"Uid:\t1000\t1001\t1002\t1003\n"
	"Gid:\t2000\t2001\t2002\t2003\n"
	"FDSize:\t64\n"
	"Groups:\t4 24 27 \n"
	"NStgid:\t42\n"
	"CapInh:\t0000000000000000\n"
	"CapPrm:\t0000000000000000\n"
	"CapEff:\t000001ffffffffff\n";

static void test_parse(void **state)
{
	struct proc_creds c;

	(void)state;
	assert_int_equal(as_target_parse_status(status, &c), 0);
	/* the file system ids (fourth), not the real or effective ones */
	assert_int_equal(c.fsuid, 1003);
	assert_int_equal(c.fsgid, 2003);
	assert_int_equal(c.ngroups, 3);
	assert_int_equal(c.groups[0], 4);
	assert_int_equal(c.groups[2], 27);
	assert_int_equal(c.capeff, 0x1ffffffffffULL);
}

static void test_parse_no_groups(void **state)
{
	const char *text = "Uid:\t0\t0\t0\t65534\nGid:\t0\t0\t0\t65534\nGroups:\t\nCapEff:\t0\n";
	struct proc_creds c;

	(void)state;
	assert_int_equal(as_target_parse_status(text, &c), 0);
	assert_int_equal(c.fsuid, 65534);
	assert_int_equal(c.ngroups, 0);
	assert_int_equal(c.capeff, 0);
}

/* more groups than fit: told, not cut short (that would be other rights) */
static void test_parse_many_groups(void **state)
{
	char text[2048] = "Uid:\t1\t1\t1\t1\nGid:\t1\t1\t1\t1\nGroups:\t";
	struct proc_creds c;

	(void)state;
	for (int g = 0; g < 100; g++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%d ", g);
	strcat(text, "\nCapEff:\t0\n");
	assert_int_equal(as_target_parse_status(text, &c), 0);
	assert_int_equal(c.ngroups, -1);
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"",
		"Uid:\t1\t1\t1\nGid:\t1\t1\t1\t1\nGroups:\t\nCapEff:\t0\n",     /* three uids */
		"Uid:\t1\t1\t1\t1\nGroups:\t\nCapEff:\t0\n",                    /* no Gid */
		"Uid:\t1\t1\t1\t1\nGid:\t1\t1\t1\t1\nCapEff:\t0\n",             /* no Groups */
		"Uid:\t1\t1\t1\t1\nGid:\t1\t1\t1\t1\nGroups:\t\n",              /* no CapEff */
		"Uid:\t1\t1\t1\tx\nGid:\t1\t1\t1\t1\nGroups:\t\nCapEff:\t0\n",
		"Uid:\t1\t1\t1\t1\nGid:\t1\t1\t1\t1\nGroups:\t1 x\nCapEff:\t0\n",
		"Uid:\t1\t1\t1\t4294967295\nGid:\t1\t1\t1\t1\nGroups:\t\nCapEff:\t0\n",
		"Uid:\t1\t1\t1\t1\nGid:\t1\t1\t1\t1\nGroups:\t\nCapEff:\tzz\n",
	};
	struct proc_creds c;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(as_target_parse_status(bad[i], &c), -EINVAL);
}

#define BIT(n) (UINT64_C(1) << (n))

static void test_effective(void **state)
{
	uint64_t all = 0x1ffffffffffULL;
	uint64_t file = BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_DAC_READ_SEARCH) |
			BIT(CAP_FOWNER) | BIT(CAP_FSETID) | BIT(CAP_LINUX_IMMUTABLE) |
			BIT(CAP_MKNOD) | BIT(CAP_MAC_OVERRIDE);

	(void)state;
	/* a target of our user namespace with every capability: all kept */
	assert_int_equal(as_target_effective(all, all, true), all);
	/* one without any: no file capability, the others kept (CAP_SETGID
	 * is what puts the groups back) */
	assert_int_equal(as_target_effective(all, 0, true), all & ~file);
	assert_true(as_target_effective(all, 0, true) & BIT(CAP_SETGID));
	/* full capabilities in a user namespace of its own count for nothing */
	assert_int_equal(as_target_effective(all, all, false), all & ~file);
	/* only what both have */
	assert_int_equal(as_target_effective(all, BIT(CAP_DAC_OVERRIDE), true),
			 (all & ~file) | BIT(CAP_DAC_OVERRIDE));
	assert_int_equal(as_target_effective(BIT(CAP_SETGID), BIT(CAP_FOWNER), true),
			 BIT(CAP_SETGID));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_no_groups),
		cmocka_unit_test(test_parse_many_groups),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_effective),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
