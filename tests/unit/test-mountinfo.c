/* Unit tests for src/mountinfo.c: lines of /proc/PID/mountinfo. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mountinfo.h"

static const char text[] =
	"22 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
	"25 22 0:21 / /dev/shm rw,nosuid,nodev shared:4 - tmpfs tmpfs rw,size=65536k\n"
	"631 25 0:21 /sub /srv/with\\040blank rw - tmpfs tmpfs rw\n"
	"640 22 0:5 / /proc rw,nosuid master:12 propagate_from:2 - proc proc rw,hidepid=invisible\n"
	"700 22 0:60 / /noopt rw - tmpfs none rw";

static void test_find(void **state)
{
	struct mountinfo_entry e;

	(void)state;
	assert_int_equal(mountinfo_find(text, strlen(text), 25, &e), 0);
	assert_int_equal(e.parent_id, 22);
	assert_int_equal(e.major, 0);
	assert_int_equal(e.minor, 21);
	assert_true(mountinfo_text_is(&e.root, "/"));
	assert_true(mountinfo_text_is(&e.mount_point, "/dev/shm"));
	assert_true(mountinfo_text_is(&e.fstype, "tmpfs"));
	assert_true(mountinfo_text_is(&e.super_options, "rw,size=65536k"));
	/* a bind mount of a directory: its root is that directory */
	assert_int_equal(mountinfo_find(text, strlen(text), 631, &e), 0);
	assert_true(mountinfo_text_is(&e.root, "/sub"));
	assert_false(mountinfo_text_is(&e.root, "/"));
	assert_true(mountinfo_text_is(&e.mount_point, "/srv/with\\040blank"));
	/* several optional fields before the "-" */
	assert_int_equal(mountinfo_find(text, strlen(text), 640, &e), 0);
	assert_true(mountinfo_text_is(&e.fstype, "proc"));
	assert_true(mountinfo_text_is(&e.super_options, "rw,hidepid=invisible"));
	/* the last line without its newline */
	assert_int_equal(mountinfo_find(text, strlen(text), 700, &e), 0);
	assert_true(mountinfo_text_is(&e.source, "none"));
	assert_int_equal(mountinfo_find(text, strlen(text), 26, &e), -ENOENT);
	assert_int_equal(mountinfo_find("", 0, 25, &e), -ENOENT);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"25 22 0:21 / /dev/shm rw",                     /* no "-" */
		"25 22 0:21 / /dev/shm rw - tmpfs tmpfs",       /* no options */
		"25 22 021 / /dev/shm rw - tmpfs tmpfs rw",     /* no major:minor */
		"x5 22 0:21 / /dev/shm rw - tmpfs tmpfs rw",
		"25 22 0:4294967296 / /dev/shm rw - tmpfs tmpfs rw",
		"99999999999999999999 22 0:21 / / rw - tmpfs tmpfs rw",
	};
	struct mountinfo_entry e;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mountinfo_parse_line(bad[i], strlen(bad[i]), &e), -EINVAL);
	/* a malformed line is skipped, the next one found */
	assert_int_equal(mountinfo_find("garbage\n7 1 0:3 / /x rw - tmpfs t rw\n", 37, 7, &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
