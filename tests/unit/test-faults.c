/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Faults the kernel cannot be made to produce on demand, through whole
 * commands: a segment removed between two steps of stat, cat and rm,
 * shmat failing with ENOMEM, processes that exit while /proc is
 * scanned, and memfd_create and shared mappings refused (the devices of
 * segments unknown), and gc's JSON of nothing. Linked with
 * -Wl,--wrap= for shmat, shmdt, shmctl, shmget, openat, memfd_create,
 * and mmap; every other call is real. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/attach.h"
#include "cmd/commands.h"

/* ---- the mocks ---- */

void *__wrap_shmat(int shmid, const void *addr, int flags);
int __wrap_shmdt(const void *addr);
int __wrap_shmctl(int shmid, int cmd, struct shmid_ds *buf);
int __wrap_shmget(key_t key, size_t size, int flags);
int __wrap_openat(int dirfd, const char *path, int flags, ...);
int __real_openat(int dirfd, const char *path, int flags, ...);
int __wrap_memfd_create(const char *name, unsigned int flags);
int __real_memfd_create(const char *name, unsigned int flags);
void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
void *__real_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);

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

/* the attachments IPC_STAT reports */
static unsigned long mock_nattch;

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
		buf->shm_nattch = mock_nattch;
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

/* memfd_create and mmap fail with these errnos when not 0 */
static int memfd_errno, mmap_errno;
static unsigned long memfd_calls, mmap_calls;

int __wrap_memfd_create(const char *name, unsigned int flags)
{
	memfd_calls++;
	if (memfd_errno) {
		errno = memfd_errno;
		return -1;
	}
	return __real_memfd_create(name, flags);
}

void *__wrap_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	mmap_calls++;
	if (mmap_errno) {
		errno = mmap_errno;
		return MAP_FAILED;
	}
	return __real_mmap(addr, len, prot, flags, fd, off);
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
static int run(const struct command *cmd, const char *name, ...)
{
	char *argv[16];
	int argc = 0, status, so = dup(STDOUT_FILENO), se = dup(STDERR_FILENO);
	FILE *fo = tmpfile(), *fe = tmpfile();
	struct shm_ctx ctx = SHM_CTX_INIT;     /* no --ipc-ns */
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
	status = cmd->run(argc, argv, &ctx);
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
	assert_int_equal(run(&cmd_stat, "stat", "-k", "0x4242", NULL), 1);
	assert_string_equal(out, "");
	assert_non_null(strstr(errtext, "no segment with id 5"));
}

/* cat: removed and gone before its size is read: the size comes first,
 * so nothing is attached (an error path changes nothing) */
static void test_cat_removed_before_stat(void **state)
{
	(void)state;
	expect_shmctl(5, IPC_STAT, EINVAL);
	assert_int_equal(run(&cmd_cat, "cat", "5", NULL), 1);
	assert_string_equal(out, "");
	assert_non_null(strstr(errtext, "no segment with id 5"));
}

/* cat -k: the key found, its size read, the segment removed before shmat */
static void test_cat_removed_before_attach(void **state)
{
	(void)state;
	expect_shmctl(5, IPC_STAT, 0);
	expect_shmat(5, EIDRM);
	assert_int_equal(run(&cmd_cat, "cat", "-k", "0x4242", NULL), 1);
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
	assert_int_equal(run(&cmd_rm, "rm", "5", "6", NULL), 1);
	assert_non_null(strstr(errtext, "no segment with id 5"));
	assert_null(strstr(errtext, "segment 6"));     /* went on with the rest */
}

/* ---- shmat failing with ENOMEM ---- */

static void test_cat_enomem(void **state)
{
	(void)state;
	expect_shmctl(5, IPC_STAT, 0);
	expect_shmat(5, ENOMEM);
	assert_int_equal(run(&cmd_cat, "cat", "5", NULL), 1);
	assert_string_equal(out, "");
	assert_non_null(strstr(errtext, "cannot attach segment 5: Cannot allocate memory"));
}

static void test_attach_write_enomem(void **state)
{
	(void)state;
	expect_shmctl(5, IPC_STAT, 0);
	expect_shmat(5, ENOMEM);
	assert_int_equal(run(&cmd_attach_write, "attach-write", "5", "--string", "x", NULL), 1);
	assert_non_null(strstr(errtext, "cannot attach segment 5: Cannot allocate memory"));
	assert_string_equal(segment_bytes, "hello");
}

/* the working path, so that the mocks above are known to be the ones used */
static void test_cat_works(void **state)
{
	(void)state;
	expect_shmat(5, 0);
	expect_shmctl(5, IPC_STAT, 0);
	expect_shmctl(5, IPC_STAT, 0);  /* again once attached: still the one */
	expect_function_call(__wrap_shmdt);
	assert_int_equal(run(&cmd_cat, "cat", "5", "--string", NULL), 0);
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

/* ---- the devices of segments ---- */

/* From memfd_create, or from shared mappings when it is refused: the
 * same devices, the shm mount's first. */
static void test_devs_without_memfd(void **state)
{
	struct attach_devs viamemfd = { 0 }, viamap = { 0 };
	struct attach_dev shm;

	(void)state;
	memfd_calls = mmap_calls = 0;
	assert_int_equal(attach_learn_devs(&viamemfd), 0);
	assert_true(viamemfd.n >= 1);
	assert_true(memfd_calls >= 1);
	assert_int_equal(mmap_calls, 0);
	shm = viamemfd.v[0];

	memfd_errno = ENOSYS;
	mmap_calls = 0;
	assert_int_equal(attach_learn_devs(&viamap), 0);
	memfd_errno = 0;
	assert_true(mmap_calls >= 1);
	assert_int_equal(viamap.n, viamemfd.n);
	assert_memory_equal(viamap.v, viamemfd.v, viamap.n * sizeof(viamap.v[0]));
	assert_true(attach_devs_has(&viamap, shm.major, shm.minor));
}

/* Neither: no device, and the error of memfd_create. */
static void test_devs_unknown(void **state)
{
	struct attach_devs d = { .n = 3 };

	(void)state;
	memfd_errno = EPERM;
	mmap_errno = ENOMEM;
	assert_int_equal(attach_learn_devs(&d), -EPERM);
	memfd_errno = mmap_errno = 0;
	assert_int_equal(d.n, 0);
}

/* A command then does not guess: the processes are unknown, said once,
 * and the exit status is 1 (as when /proc cannot be read). */
static void test_stat_devs_unknown(void **state)
{
	(void)state;
	mock_nattch = 2;
	expect_shmctl(5, IPC_STAT, 0);
	memfd_errno = EPERM;
	mmap_errno = EPERM;
	assert_int_equal(run(&cmd_stat, "stat", "5", NULL), 1);
	memfd_errno = mmap_errno = 0;
	mock_nattch = 0;
	assert_non_null(strstr(out, "\nAttachments:   2\n"));
	assert_non_null(strstr(out, "\nProcesses:     unknown\n"));
	assert_null(strstr(out, "MAPPINGS"));
	assert_string_equal(errtext, "test-faults: cannot find the device of System V shared memory: "
			    "Operation not permitted\n");
}

/* ---- gc's JSON ---- */

/* gc --json with nothing to remove: the rows, none, then the summary,
 * each a document libsmartcols prints. The namespace here has no
 * segment: index 0 is empty. */
static void test_gc_json_empty(void **state)
{
	(void)state;
	expect_shmctl(0, IPC_INFO, 0);
	expect_shmctl(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl(0, SHM_STAT, EINVAL);
	assert_int_equal(run(&cmd_gc, "gc", "--dry-run", "--json", NULL), 0);
	assert_non_null(strstr(out, "{\n   \"shm\": [\n"));
	assert_non_null(strstr(out, "]\n}\n{\n   \"summary\": [\n"));
	assert_non_null(strstr(out, "\"action\": \"would remove\""));
	assert_non_null(strstr(out, "\"count\": 0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cat_works),
		cmocka_unit_test(test_stat_removed_after_lookup),
		cmocka_unit_test(test_cat_removed_before_stat),
		cmocka_unit_test(test_cat_removed_before_attach),
		cmocka_unit_test(test_rm_removed_before_rmid),
		cmocka_unit_test(test_cat_enomem),
		cmocka_unit_test(test_attach_write_enomem),
		cmocka_unit_test(test_scan_processes_exit),
		cmocka_unit_test(test_scan_denied),
		cmocka_unit_test(test_devs_without_memfd),
		cmocka_unit_test(test_devs_unknown),
		cmocka_unit_test(test_stat_devs_unknown),
		cmocka_unit_test(test_gc_json_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
