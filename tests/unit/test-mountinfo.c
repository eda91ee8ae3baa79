/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/core/mountinfo.c: the fields of mountinfo lines, and the
 * table of mount id -> device filled from several texts. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/mountinfo.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Lines as the kernel writes them: no optional field, several, an
 * escaped space in the mount point, a proc with hidepid. */
static const char text[] =
	"22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
	"28 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro\n"
	"31 25 0:26 / /dev/shm rw,nosuid,nodev shared:4 master:2 - tmpfs tmpfs rw,inode64\n"
	"47 28 0:41 / /mnt/my\\040dir rw,relatime - fuse.sshfs host:/x rw,user_id=0,group_id=0\n"
	"60 28 0:23 / /proc rw,relatime - proc proc rw,hidepid=invisible,gid=27\n";

static void test_parse_line(void **state)
{
	const char *p = text, *end = text + strlen(text);
	struct mountinfo_line ml;

	(void)state;
	assert_int_equal(mountinfo_next_line(&p, end, &ml), 0);
	assert_int_equal(ml.id, 22);
	assert_int_equal(ml.dev_major, 0);
	assert_int_equal(ml.dev_minor, 21);
	assert_int_equal(ml.fstype_len, 5);
	assert_memory_equal(ml.fstype, "sysfs", 5);
	assert_int_equal(ml.super_len, 2);
	assert_int_equal(mountinfo_next_line(&p, end, &ml), 0);
	assert_int_equal(ml.id, 28);
	assert_int_equal(ml.dev_major, 8);
	assert_int_equal(ml.dev_minor, 2);
	assert_int_equal(ml.super_len, strlen("rw,errors=remount-ro"));
	assert_int_equal(mountinfo_next_line(&p, end, &ml), 0);
	assert_int_equal(ml.id, 31);        /* two optional fields */
	assert_memory_equal(ml.fstype, "tmpfs", 5);
	assert_memory_equal(ml.super, "rw,inode64", ml.super_len);
	assert_int_equal(mountinfo_next_line(&p, end, &ml), 0);
	assert_int_equal(ml.id, 47);
	assert_int_equal(ml.dev_minor, 41);
	assert_memory_equal(ml.fstype, "fuse.sshfs", ml.fstype_len);
	assert_int_equal(mountinfo_next_line(&p, end, &ml), 0);
	assert_int_equal(ml.id, 60);
	assert_int_equal(ml.super_len, strlen("rw,hidepid=invisible,gid=27"));
	assert_memory_equal(ml.super, "rw,hidepid=invisible,gid=27", ml.super_len);
	assert_true(p == end);
}

static void test_parse_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"x 28 8:2 / / rw - ext4 /dev/sda2 rw\n",
		"28 1 8 / / rw - ext4 /dev/sda2 rw\n",            /* no colon */
		"28 1 8:x / / rw - ext4 /dev/sda2 rw\n",
		"28 1 :2 / / rw - ext4 /dev/sda2 rw\n",
		"28 1 8:2 / / rw shared:1 ext4 /dev/sda2 rw\n",   /* no separator */
		"28 1 8:2 / / rw -\n",                            /* no fstype */
		"28 1 8:2 / / rw - ext4\n",                       /* no source */
		"2147483648 1 8:2 / / rw - ext4 /dev/sda2 rw\n",  /* id above INT_MAX */
		"28 1 4294967296:2 / / rw - ext4 /dev/sda2 rw\n",
	};
	struct mountinfo_line ml;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (mountinfo_parse_line(bad[i], strlen(bad[i]), &ml) != -EINVAL)
			fail_msg("case %zu: not rejected", i);
	/* a line cut after the source (no options): still the device */
	assert_int_equal(mountinfo_parse_line("5 1 0:9 / /x rw - tmpfs t", 25, &ml), 0);
	assert_int_equal(ml.dev_minor, 9);
	assert_int_equal(ml.super_len, 0);
}

/* This namespace's text, then another's with a malformed line: one
 * table, found by id. */
static void test_table(void **state)
{
	static const char other[] =
		"900 899 0:77 / / rw - overlay overlay rw\n"
		"garbage\n"
		"905 900 0:26 / /dev/shm rw - tmpfs tmpfs rw\n";
	struct mount_devs t = { 0 };
	const struct mount_dev *md;

	(void)state;
	assert_null(mount_devs_find(&t, 31));
	assert_int_equal(mount_devs_add_text(&t, text, strlen(text)), 0);
	assert_int_equal(t.n, 5);
	md = mount_devs_find(&t, 31);
	assert_non_null(md);
	assert_int_equal(md->dev_major, 0);
	assert_int_equal(md->dev_minor, 26);
	assert_null(mount_devs_find(&t, 905));
	assert_int_equal(mount_devs_add_text(&t, other, strlen(other)), 0);
	assert_int_equal(t.n, 7);
	/* the same text again (another process of that namespace): no
	 * mount twice */
	assert_int_equal(mount_devs_add_text(&t, other, strlen(other)), 0);
	assert_int_equal(t.n, 7);
	md = mount_devs_find(&t, 905);
	assert_non_null(md);
	assert_int_equal(md->dev_minor, 26);    /* a bind of the same tmpfs */
	assert_int_equal(mount_devs_find(&t, 22)->dev_minor, 21);
	assert_int_equal(mount_devs_find(&t, 60)->dev_minor, 23);
	assert_null(mount_devs_find(&t, 901));
	mount_devs_free(&t);
	assert_null(t.v);
	assert_int_equal(t.n, 0);
}

/* The mount's root: "/" for a whole file system, the directory for a
 * bind mount of one below its top (what a /dev/shm must not be) */
static void test_find_root(void **state)
{
	static const char binds[] =
		"25 22 0:21 / /dev/shm rw - tmpfs tmpfs rw\n"
		"631 25 0:21 /sub /srv/with\\040blank rw - tmpfs tmpfs rw\n"
		"700 22 0:60 / /noopt rw - tmpfs none rw";
	struct mountinfo_line ml;

	(void)state;
	assert_int_equal(mountinfo_find(binds, strlen(binds), 25, &ml), 0);
	assert_int_equal(ml.root_len, 1);
	assert_memory_equal(ml.root, "/", 1);
	assert_int_equal(mountinfo_find(binds, strlen(binds), 631, &ml), 0);
	assert_int_equal(ml.root_len, 4);
	assert_memory_equal(ml.root, "/sub", 4);
	/* the last line without its newline */
	assert_int_equal(mountinfo_find(binds, strlen(binds), 700, &ml), 0);
	assert_int_equal(ml.dev_minor, 60);
	assert_int_equal(mountinfo_find(binds, strlen(binds), 26, &ml), -ENOENT);
	assert_int_equal(mountinfo_find("", 0, 25, &ml), -ENOENT);
	assert_int_equal(mountinfo_find("garbage\n7 1 0:3 / /x rw - tmpfs t rw\n", 37, 7, &ml), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_find_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
