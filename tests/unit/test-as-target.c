/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/core/as-target.c: the credentials of the --ipc-ns
 * process read from its status, the capabilities kept while acting as
 * it, and the mode change of an O_PATH descriptor with and without
 * fchmodat2. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/capability.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/as-target.h"
#include "lib/util.h"

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

/* fchmodat2 as the kernel gives it, or failing with this errno */
static int fchmodat2_errno;
static int fchmodat2_calls;

int __real_sys_fchmodat2(int dirfd, const char *path, unsigned int mode, int flags);
int __wrap_sys_fchmodat2(int dirfd, const char *path, unsigned int mode, int flags);
int __wrap_sys_fchmodat2(int dirfd, const char *path, unsigned int mode, int flags)
{
	fchmodat2_calls++;
	if (!fchmodat2_errno)
		return __real_sys_fchmodat2(dirfd, path, mode, flags);
	errno = fchmodat2_errno;
	return -1;
}

/* A file and an O_PATH descriptor of it: as posix_obj_open_inode opens
 * an object. */
static int path_fd(char *name)
{
	int fd = mkstemp(name);

	assert_true(fd >= 0);
	close(fd);
	fd = open(name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static unsigned int mode_of(const char *name)
{
	struct stat st;

	assert_int_equal(stat(name, &st), 0);
	return st.st_mode & 07777;
}

static void test_fchmod(void **state)
{
	struct ipcns_target self = IPCNS_TARGET_INIT;
	char name[] = "/tmp/test-as-target.XXXXXX";
	int fd = path_fd(name);
	/* no fchmodat2 (before 6.6), a seccomp filter older than it, no
	 * AT_EMPTY_PATH there: the /proc/self/fd link of the descriptor */
	static const int fallbacks[] = { ENOSYS, EPERM, EINVAL };
	unsigned int mode = 0600;

	(void)state;
	fchmodat2_errno = 0;
	fchmodat2_calls = 0;
	if (as_target_fchmod(&self, fd, 0640) == 0) {
		assert_int_equal(mode_of(name), 0640);
		mode = 0640;
	} else {
		/* a kernel without it: the fallback is what runs there */
		assert_int_equal(mode_of(name), 0600);
	}
	assert_int_equal(fchmodat2_calls, 1);
	for (size_t i = 0; i < sizeof(fallbacks) / sizeof(fallbacks[0]); i++) {
		mode ^= 0004;
		fchmodat2_errno = fallbacks[i];
		assert_int_equal(as_target_fchmod(&self, fd, mode), 0);
		assert_int_equal(mode_of(name), mode);
	}
	/* another failure is the answer: no second try */
	fchmodat2_errno = EROFS;
	assert_int_equal(as_target_fchmod(&self, fd, 0), -EROFS);
	assert_int_equal(mode_of(name), mode);
	fchmodat2_errno = 0;
	close(fd);
	unlink(name);
}

static void test_fchown(void **state)
{
	struct ipcns_target self = IPCNS_TARGET_INIT;
	char name[] = "/tmp/test-as-target.XXXXXX";
	int fd = path_fd(name);
	struct stat st;

	(void)state;
	/* to the owner it has: allowed to anyone, through an O_PATH descriptor */
	assert_int_equal(stat(name, &st), 0);
	assert_int_equal(as_target_fchown(&self, fd, st.st_uid, st.st_gid), 0);
	assert_int_equal(as_target_fchown(&self, -1, st.st_uid, st.st_gid), -EBADF);
	close(fd);
	unlink(name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_no_groups),
		cmocka_unit_test(test_parse_many_groups),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_effective),
		cmocka_unit_test(test_fchmod),
		cmocka_unit_test(test_fchown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
