/* Faults the kernel cannot be made to produce on demand, through whole
 * commands: a segment removed between two steps of stat, cat and rm,
 * shmat failing with ENOMEM, and processes that exit while /proc is
 * scanned. Linked with -Wl,--wrap= for shmat, shmdt, shmctl, shmget and
 * openat; every other call is real. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>
#include <cmocka.h>

#include "attach.h"
#include "commands.h"

/* ---- the mocks ---- */

void *__wrap_shmat(int shmid, const void *addr, int flags);
int __wrap_shmdt(const void *addr);
int __wrap_shmctl(int shmid, int cmd, struct shmid_ds *buf);
int __wrap_shmget(key_t key, size_t size, int flags);
int __wrap_openat(int dirfd, const char *path, int flags, ...);
int __real_openat(int dirfd, const char *path, int flags, ...);

static char segment_bytes[4096] = "hello";

/* shmat: the queued errno, or 0 for success (the fake segment) */
void *__wrap_shmat(int shmid, const void *addr, int flags)
{
	int err;

	(void)addr;
	(void)flags;
	check_expected(shmid);
	err = mock_type(int);
	if (err) {
		errno = err;
		return (void *)-1;
	}
	return segment_bytes;
}

int __wrap_shmdt(const void *addr)
{
	assert_ptr_equal(addr, segment_bytes);
	function_called();
	return 0;
}

/* shmctl: the queued errno, or 0 and a 4096-byte segment owned by us */
int __wrap_shmctl(int shmid, int cmd, struct shmid_ds *buf)
{
	int err;

	check_expected(shmid);
	check_expected(cmd);
	err = mock_type(int);
	if (err) {
		errno = err;
		return -1;
	}
	if (cmd == IPC_STAT) {
		memset(buf, 0, sizeof(*buf));
		buf->shm_perm.__key = 0x4242;
		buf->shm_perm.mode = 0600;
		buf->shm_perm.uid = buf->shm_perm.cuid = getuid();
		buf->shm_segsz = sizeof(segment_bytes);
		buf->shm_ctime = 1700000000;
	}
	return 0;
}

/* shmget: the key 0x4242 is segment 5 */
int __wrap_shmget(key_t key, size_t size, int flags)
{
	(void)size;
	(void)flags;
	if (key == 0x4242)
		return 5;
	errno = ENOENT;
	return -1;
}

/* openat: /proc's PID/maps of every other process fails with the errno
 * in maps_errno (0: real); anything else is opened for real. */
static int maps_errno;
static unsigned long maps_failed;

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	char self[32];

	va_start(ap, flags);
	mode = va_arg(ap, mode_t);
	va_end(ap);
	snprintf(self, sizeof(self), "%d/maps", (int)getpid());
	if (maps_errno && strstr(path, "/maps") && strcmp(path, self) != 0) {
		maps_failed++;
		errno = maps_errno;
		return -1;
	}
	return __real_openat(dirfd, path, flags, mode);
}

static void expect_shmat(int id, int err)
{
	expect_value(__wrap_shmat, shmid, id);
	will_return(__wrap_shmat, err);
}

static void expect_shmctl(int id, int cmd, int err)
{
	expect_value(__wrap_shmctl, shmid, id);
	expect_value(__wrap_shmctl, cmd, cmd);
	will_return(__wrap_shmctl, err);
}

/* ---- running a command ---- */

static char out[8192], errtext[8192];

static void slurp(FILE *f, char *buf, size_t sz)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, sz - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Run cmd with argv (NULL-terminated) and return its exit status, with
 * its stdout and stderr in out and errtext. */
static int run(int (*cmd)(int, char **), const char *name, ...)
{
	char *argv[16];
	int argc = 0, status, so = dup(STDOUT_FILENO), se = dup(STDERR_FILENO);
	FILE *fo = tmpfile(), *fe = tmpfile();
	va_list ap;

	argv[argc++] = (char *)name;
	va_start(ap, name);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(fo), STDOUT_FILENO);
	dup2(fileno(fe), STDERR_FILENO);
	optind = 0;
	status = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, STDOUT_FILENO);
	dup2(se, STDERR_FILENO);
	close(so);
	close(se);
	slurp(fo, out, sizeof(out));
	slurp(fe, errtext, sizeof(errtext));
	return status;
}

/* ---- the segment removed between two steps ---- */

/* stat -k: the key names segment 5, which is removed before IPC_STAT */
static void test_stat_removed_after_lookup(void **state)
{
	(void)state;
	expect_shmctl(5, IPC_STAT, EIDRM);
	assert_int_equal(run(cmd_stat, "stat", "-k", "0x4242", NULL), 1);
	assert_string_equal(out, "");
	assert_non_null(strstr(errtext, "no segment with id 5"));
}

/* cat: attached, then removed and gone before its size is read */
static void test_cat_removed_after_attach(void **state)
{
	(void)state;
	expect_shmat(5, 0);
	expect_shmctl(5, IPC_STAT, EINVAL);
	expect_function_call(__wrap_shmdt);     /* detached all the same */
	assert_int_equal(run(cmd_cat, "cat", "5", NULL), 1);
	assert_string_equal(out, "");
	assert_non_null(strstr(errtext, "no segment with id 5"));
}

/* cat -k: the key found, the segment removed before shmat */
static void test_cat_removed_before_attach(void **state)
{
	(void)state;
	expect_shmat(5, EIDRM);
	assert_int_equal(run(cmd_cat, "cat", "-k", "0x4242", NULL), 1);
	assert_non_null(strstr(errtext, "no segment with id 5"));
}

/* rm: read, then removed by someone else before IPC_RMID: EINVAL */
static void test_rm_removed_before_rmid(void **state)
{
	(void)state;
	expect_shmctl(5, IPC_STAT, 0);
	expect_shmctl(5, IPC_RMID, EINVAL);
	expect_shmctl(6, IPC_STAT, 0);
	expect_shmctl(6, IPC_RMID, 0);
	assert_int_equal(run(cmd_rm, "rm", "5", "6", NULL), 1);
	assert_non_null(strstr(errtext, "no segment with id 5"));
	assert_null(strstr(errtext, "segment 6"));     /* went on with the rest */
}

/* ---- shmat failing with ENOMEM ---- */

static void test_cat_enomem(void **state)
{
	(void)state;
	expect_shmat(5, ENOMEM);
	assert_int_equal(run(cmd_cat, "cat", "5", NULL), 1);
	assert_string_equal(out, "");
	assert_non_null(strstr(errtext, "cannot attach segment 5: Cannot allocate memory"));
}

static void test_attach_write_enomem(void **state)
{
	(void)state;
	expect_shmat(5, ENOMEM);
	assert_int_equal(run(cmd_attach_write, "attach-write", "5", "--string", "x", NULL), 1);
	assert_non_null(strstr(errtext, "cannot attach segment 5: Cannot allocate memory"));
	assert_string_equal(segment_bytes, "hello");
}

/* the working path, so that the mocks above are known to be the ones used */
static void test_cat_works(void **state)
{
	(void)state;
	expect_shmat(5, 0);
	expect_shmctl(5, IPC_STAT, 0);
	expect_function_call(__wrap_shmdt);
	assert_int_equal(run(cmd_cat, "cat", "5", "--string", NULL), 0);
	assert_string_equal(out, "hello");
	assert_string_equal(errtext, "");
}

/* ---- processes that exit during the /proc scan ---- */

/* Processes this machine does not let us inspect at all (their ns/ipc
 * link), found by a scan without faults. */
static unsigned long denied_anyway(void)
{
	struct attach_table t = { 0 };
	unsigned long n;

	maps_errno = 0;
	assert_int_equal(attach_scan(&t), 0);
	n = t.denied;
	attach_table_free(&t);
	return n;
}

/* Every other process exits between readdir and opening its maps
 * (ENOENT), or is a zombie by then (ESRCH): skipped, not "denied". */
static void test_scan_processes_exit(void **state)
{
	static const int errs[] = { ENOENT, ESRCH };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		unsigned long base = denied_anyway();
		struct attach_table t = { 0 };

		maps_errno = errs[i];
		maps_failed = 0;
		assert_int_equal(attach_scan(&t), 0);
		assert_true(maps_failed > 0);
		assert_int_equal(t.denied, base);
		assert_int_equal(t.scanned, 1);         /* ourselves */
		attach_table_free(&t);
	}
	maps_errno = 0;
}

/* The same with EACCES: counted, so that the figures are marked partial. */
static void test_scan_denied(void **state)
{
	unsigned long base = denied_anyway();
	struct attach_table t = { 0 };

	(void)state;
	maps_errno = EACCES;
	maps_failed = 0;
	assert_int_equal(attach_scan(&t), 0);
	assert_true(maps_failed > 0);
	assert_int_equal(t.denied, base + maps_failed);
	assert_int_equal(t.scanned, 1);
	attach_table_free(&t);
	maps_errno = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cat_works),
		cmocka_unit_test(test_stat_removed_after_lookup),
		cmocka_unit_test(test_cat_removed_after_attach),
		cmocka_unit_test(test_cat_removed_before_attach),
		cmocka_unit_test(test_rm_removed_before_rmid),
		cmocka_unit_test(test_cat_enomem),
		cmocka_unit_test(test_attach_write_enomem),
		cmocka_unit_test(test_scan_processes_exit),
		cmocka_unit_test(test_scan_denied),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
