/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/sysv.c and segments_load() in src/segment.c.
 * Linked with -Wl,--wrap=shmctl -Wl,--wrap=shmget -Wl,--wrap=open
 * -Wl,--wrap=pthread_create: the system calls are cmocka mocks, each call
 * checked against the calls the test expects, in order. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <cmocka.h>

#include "proc-shm.h"
#include "segment.h"
#include "sysv.h"

#ifndef SHM_STAT_ANY
# define SHM_STAT_ANY 15
#endif

/* ---- the mocks ---- */

int __wrap_shmctl(int shmid, int cmd, struct shmid_ds *buf);
int __wrap_shmget(key_t key, size_t size, int shmflg);
int __wrap_open(const char *path, int flags, ...);
int __real_open(const char *path, int flags, ...);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __real_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);

/* shmctl: the queued return value; on -1 the queued errno; for the
 * stat commands the queued struct shmid_ds is copied to buf. */
int __wrap_shmctl(int shmid, int cmd, struct shmid_ds *buf)
{
	int rc;

	check_expected(shmid);
	check_expected(cmd);
	rc = mock_type(int);
	if (rc < 0) {
		errno = mock_type(int);
		return -1;
	}
	if (cmd == IPC_STAT || cmd == SHM_STAT || cmd == SHM_STAT_ANY) {
		assert_non_null(buf);
		memcpy(buf, mock_ptr_type(const struct shmid_ds *), sizeof(*buf));
	} else if (cmd == SHM_INFO) {
		memset(buf, 0, sizeof(struct shm_info));
	} else if (cmd == IPC_INFO) {
		memset(buf, 0, sizeof(struct shminfo));
	}
	return rc;
}

int __wrap_shmget(key_t key, size_t size, int shmflg)
{
	int rc;

	check_expected(key);
	check_expected(size);
	check_expected(shmflg);
	rc = mock_type(int);
	if (rc < 0) {
		errno = mock_type(int);
		return -1;
	}
	return rc;
}

/* /proc/sysvipc/shm: the queued errno (the open fails), or 0 and then
 * the file's text, in a memory file. Any other path is opened for real. */
int __wrap_open(const char *path, int flags, ...)
{
	const char *text;
	int err, fd;

	if (strcmp(path, PROC_SYSVIPC_SHM) != 0) {
		va_list ap;
		int mode;

		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
		return __real_open(path, flags, mode);
	}
	err = mock_type(int);
	if (err) {
		errno = err;
		return -1;
	}
	text = mock_ptr_type(const char *);
	fd = memfd_create("proc-sysvipc-shm", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* pthread_create fails with the errno set here (0: it works) */
static int thread_fails;

int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	return thread_fails ? thread_fails : __real_pthread_create(t, a, fn, arg);
}

static void expect_shmctl(int id, int cmd, int ret, const struct shmid_ds *ds)
{
	expect_value(__wrap_shmctl, shmid, id);
	expect_value(__wrap_shmctl, cmd, cmd);
	will_return(__wrap_shmctl, ret);
	if (cmd == IPC_STAT || cmd == SHM_STAT || cmd == SHM_STAT_ANY)
		will_return(__wrap_shmctl, ds);
}

static void expect_shmctl_fail(int id, int cmd, int err)
{
	expect_value(__wrap_shmctl, shmid, id);
	expect_value(__wrap_shmctl, cmd, cmd);
	will_return(__wrap_shmctl, -1);
	will_return(__wrap_shmctl, err);
}

/* ---- sample segments ---- */

/* id 98309 = sequence 3, index 5 */
#define ID_A   ((3 << 15) | 5)
#define IDX_A  5

/* Every field distinct: uid, gid, cuid and cgid above all, so that one
 * copied into another shows. */
static struct shmid_ds ds_a(void)
{
	struct shmid_ds ds;

	memset(&ds, 0, sizeof(ds));
	ds.shm_perm.__key = (key_t)0xdeadbeefu;
	ds.shm_perm.uid = 1001;
	ds.shm_perm.gid = 1002;
	ds.shm_perm.cuid = 1003;
	ds.shm_perm.cgid = 1004;
	ds.shm_perm.mode = SHM_DEST | 0640;
	ds.shm_segsz = 65536;
	ds.shm_atime = 1700000001;
	ds.shm_dtime = 1700000002;
	ds.shm_ctime = 1700000003;
	ds.shm_cpid = 4242;
	ds.shm_lpid = 4343;
	ds.shm_nattch = 3;
	return ds;
}

static void assert_seg_a(const struct shm_segment *s, int id)
{
	assert_int_equal(s->id, id);
	assert_int_equal(s->key, (int32_t)0xdeadbeefu);
	assert_int_equal(s->mode, 01640);
	assert_true(seg_is_dest(s));
	assert_false(seg_is_locked(s));
	assert_true(s->size == 65536);
	assert_int_equal(s->uid, 1001);
	assert_int_equal(s->gid, 1002);
	assert_int_equal(s->cuid, 1003);
	assert_int_equal(s->cgid, 1004);
	assert_true(s->atime == 1700000001);
	assert_true(s->dtime == 1700000002);
	assert_true(s->ctime == 1700000003);
	assert_int_equal(s->cpid, 4242);
	assert_int_equal(s->lpid, 4343);
	assert_true(s->nattch == 3);
	assert_false(s->has_memory);
}

static struct shmid_ds ds_b(void)
{
	struct shmid_ds ds;

	memset(&ds, 0, sizeof(ds));
	ds.shm_perm.__key = 0x1234;
	ds.shm_perm.uid = 2001;
	ds.shm_perm.gid = 2002;
	ds.shm_perm.cuid = 2003;
	ds.shm_perm.cgid = 2004;
	ds.shm_perm.mode = SHM_LOCKED | 0600;
	ds.shm_segsz = 4096;
	ds.shm_ctime = 1600000000;
	ds.shm_cpid = 77;
	return ds;
}

/* ---- sysv_stat ---- */

static void test_stat_ipc_stat(void **state)
{
	struct shmid_ds ds = ds_a();
	struct shm_segment s;

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	expect_shmctl(ID_A, IPC_STAT, 0, &ds);
	assert_int_equal(sysv_stat(ID_A, &s), 0);
	assert_seg_a(&s, ID_A);
	assert_true(s.rss == 0 && s.swap == 0);
}

static void test_stat_locked_and_id_zero(void **state)
{
	struct shmid_ds ds = ds_b();
	struct shm_segment s;

	(void)state;
	expect_shmctl(0, IPC_STAT, 0, &ds);
	assert_int_equal(sysv_stat(0, &s), 0);
	assert_int_equal(s.id, 0);
	assert_int_equal(s.key, 0x1234);
	assert_int_equal(s.mode, 02600);
	assert_true(seg_is_locked(&s));
	assert_false(seg_is_dest(&s));
	assert_int_equal(s.cuid, 2003);
	assert_int_equal(s.cgid, 2004);
}

/* Not readable: IPC_STAT says EACCES, SHM_STAT_ANY by index does not care. */
static void test_stat_eacces_then_stat_any(void **state)
{
	struct shmid_ds ds = ds_a();
	struct shm_segment s;

	(void)state;
	expect_shmctl_fail(ID_A, IPC_STAT, EACCES);
	expect_shmctl(IDX_A, SHM_STAT_ANY, ID_A, &ds);
	assert_int_equal(sysv_stat(ID_A, &s), 0);
	assert_seg_a(&s, ID_A);
}

/* With ipcmni_extend the index has 24 bits: the 15-bit index is empty,
 * the whole id is the index. */
static void test_stat_any_extended_index(void **state)
{
	struct shmid_ds ds = ds_a();
	struct shm_segment s;

	(void)state;
	expect_shmctl_fail(ID_A, IPC_STAT, EACCES);
	expect_shmctl_fail(IDX_A, SHM_STAT_ANY, EINVAL);
	expect_shmctl(ID_A, SHM_STAT_ANY, ID_A, &ds);
	assert_int_equal(sysv_stat(ID_A, &s), 0);
	assert_seg_a(&s, ID_A);
}

/* The index now holds another segment (the id's was removed and the
 * index reused): its data must not be taken for ours. */
static void test_stat_any_other_segment_at_index(void **state)
{
	struct shmid_ds other = ds_b();
	struct shm_segment s = { .key = 42 };

	(void)state;
	expect_shmctl_fail(ID_A, IPC_STAT, EACCES);
	expect_shmctl(IDX_A, SHM_STAT_ANY, ((4 << 15) | IDX_A), &other);
	expect_shmctl_fail(ID_A, SHM_STAT_ANY, EINVAL);
	assert_int_equal(sysv_stat(ID_A, &s), -EACCES);
	assert_int_equal(s.key, 42);
}

/* Before Linux 4.17 SHM_STAT_ANY is unknown (EINVAL): still "no access". */
static void test_stat_eacces_old_kernel(void **state)
{
	struct shm_segment s = { .key = 42 };

	(void)state;
	expect_shmctl_fail(ID_A, IPC_STAT, EACCES);
	expect_shmctl_fail(IDX_A, SHM_STAT_ANY, EINVAL);
	expect_shmctl_fail(ID_A, SHM_STAT_ANY, EINVAL);
	assert_int_equal(sysv_stat(ID_A, &s), -EACCES);
	assert_int_equal(s.key, 42);
}

static void test_stat_gone(void **state)
{
	struct shm_segment s = { .key = 42 };

	(void)state;
	expect_shmctl_fail(ID_A, IPC_STAT, EIDRM);
	assert_int_equal(sysv_stat(ID_A, &s), -EINVAL);
	expect_shmctl_fail(ID_A, IPC_STAT, EINVAL);
	assert_int_equal(sysv_stat(ID_A, &s), -EINVAL);
	expect_shmctl_fail(ID_A, IPC_STAT, EFAULT);
	assert_int_equal(sysv_stat(ID_A, &s), -EFAULT);
	assert_int_equal(s.key, 42);
}

static void test_stat_negative_id(void **state)
{
	struct shm_segment s;

	(void)state;
	/* no shmctl call expected */
	assert_int_equal(sysv_stat(-1, &s), -EINVAL);
	assert_int_equal(sysv_stat(INT32_MIN, &s), -EINVAL);
}

/* ---- sysv_id_of_key ---- */

static void expect_shmget(key_t key, int ret, int err)
{
	expect_value(__wrap_shmget, key, key);
	expect_value(__wrap_shmget, size, 0);
	expect_value(__wrap_shmget, shmflg, 0);    /* never IPC_CREAT */
	will_return(__wrap_shmget, ret);
	if (ret < 0)
		will_return(__wrap_shmget, err);
}

static void test_id_of_key(void **state)
{
	(void)state;
	expect_shmget((key_t)0xdeadbeefu, 98309, 0);
	assert_int_equal(sysv_id_of_key(-559038737), 98309);
	expect_shmget(0x1234, 0, 0);
	assert_int_equal(sysv_id_of_key(0x1234), 0);
	expect_shmget(0x1234, -1, ENOENT);
	assert_int_equal(sysv_id_of_key(0x1234), -ENOENT);
	expect_shmget(0x1234, -1, EACCES);
	assert_int_equal(sysv_id_of_key(0x1234), -EACCES);
}

/* ---- sysv_read_all: the fallback without /proc ---- */

/* Linux >= 4.17: SHM_STAT_ANY throughout; empty indexes say EINVAL to
 * both SHM_STAT_ANY and SHM_STAT and are skipped. */
static void test_read_all_stat_any(void **state)
{
	struct shmid_ds a = ds_a(), b = ds_b();
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 3, NULL);
	expect_shmctl(0, SHM_STAT_ANY, 0, &b);                 /* shmid 0 */
	/* SHM_STAT_ANY works: an empty slot needs no SHM_STAT probe */
	expect_shmctl_fail(1, SHM_STAT_ANY, EINVAL);
	expect_shmctl_fail(2, SHM_STAT_ANY, EINVAL);
	expect_shmctl(3, SHM_STAT_ANY, ((2 << 15) | 3), &a);
	assert_int_equal(sysv_read_all(&vec), 0);
	assert_int_equal(vec.n, 2);
	assert_int_equal(vec.v[0].id, 0);
	assert_int_equal(vec.v[0].key, 0x1234);
	assert_int_equal(vec.v[0].mode, 02600);
	assert_int_equal(vec.v[0].uid, 2001);
	assert_int_equal(vec.v[0].cgid, 2004);
	assert_seg_a(&vec.v[1], ((2 << 15) | 3));
	shm_vec_free(&vec);
}

/* Before 4.17: SHM_STAT_ANY is EINVAL everywhere; the first index that
 * SHM_STAT reads shows it, and SHM_STAT is used from then on. */
static void test_read_all_switches_to_shm_stat(void **state)
{
	struct shmid_ds a = ds_a(), b = ds_b();
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 3, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl_fail(0, SHM_STAT, EINVAL);                /* empty */
	expect_shmctl_fail(1, SHM_STAT_ANY, EINVAL);
	expect_shmctl(1, SHM_STAT, ((1 << 15) | 1), &b);           /* switch */
	expect_shmctl_fail(2, SHM_STAT, EINVAL);                /* empty */
	expect_shmctl(3, SHM_STAT, ((ID_A & ~0x7fff) | 3), &a);
	assert_int_equal(sysv_read_all(&vec), 0);
	assert_int_equal(vec.n, 2);
	assert_int_equal(vec.v[0].id, ((1 << 15) | 1));
	assert_int_equal(vec.v[0].key, 0x1234);
	assert_int_equal(vec.v[0].cuid, 2003);
	assert_seg_a(&vec.v[1], ((ID_A & ~0x7fff) | 3));
	shm_vec_free(&vec);
}

/* SHM_STAT needs read permission: an unreadable segment is skipped. */
static void test_read_all_old_kernel_unreadable(void **state)
{
	struct shmid_ds a = ds_a();
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 2, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl(0, SHM_STAT, 0, &a);
	expect_shmctl_fail(1, SHM_STAT, EACCES);
	expect_shmctl_fail(2, SHM_STAT, EIDRM);
	assert_int_equal(sysv_read_all(&vec), 0);
	assert_int_equal(vec.n, 1);
	assert_seg_a(&vec.v[0], 0);
	shm_vec_free(&vec);
}

static void test_read_all_errors(void **state)
{
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl_fail(0, IPC_INFO, ENOSYS);
	assert_int_equal(sysv_read_all(&vec), -ENOSYS);
	assert_int_equal(vec.n, 0);

	expect_shmctl(0, IPC_INFO, 1, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EFAULT);
	assert_int_equal(sysv_read_all(&vec), -EFAULT);
	shm_vec_free(&vec);
}

/* No segment at all: IPC_INFO's highest index is 0 and index 0 empty. */
static void test_read_all_empty(void **state)
{
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 0, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl_fail(0, SHM_STAT, EINVAL);
	assert_int_equal(sysv_read_all(&vec), 0);
	assert_int_equal(vec.n, 0);
	shm_vec_free(&vec);
}

/* ---- segments_load ---- */

static void test_load_without_proc_falls_back(void **state)
{
	struct shmid_ds a = ds_a();
	struct shm_vec vec = { 0 };

	(void)state;
	/* IPC_INFO sizes the array, then bounds the walk */
	expect_shmctl(0, IPC_INFO, 0, NULL);
	will_return(__wrap_open, ENOENT);
	expect_shmctl(0, IPC_INFO, 0, NULL);
	expect_shmctl(0, SHM_STAT_ANY, 0, &a);
	assert_int_equal(segments_load(&vec), 0);
	assert_int_equal(vec.n, 1);
	assert_seg_a(&vec.v[0], 0);
	shm_vec_free(&vec);
}

static const char proc_text[] =
	"       key      shmid perms                  size  cpid  lpid nattch"
	"   uid   gid  cuid  cgid      atime      dtime      ctime                   rss"
	"                  swap\n"
	"-559038737      98309  1640                 65536  4242  4343      3"
	"  1001  1002  1003  1004 1700000001 1700000002 1700000003                  8192"
	"                  4096\n";

static void load_from_proc(void)
{
	struct shm_vec vec = { 0 };

	/* one IPC_INFO to size the array (highest index 0 here), no
	 * SHM_STAT: /proc is enough */
	will_return(__wrap_open, 0);
	will_return(__wrap_open, proc_text);
	expect_shmctl(0, IPC_INFO, 0, NULL);
	assert_int_equal(segments_load(&vec), 0);
	assert_int_equal(vec.n, 1);
	assert_int_equal(vec.v[0].id, ID_A);
	assert_int_equal(vec.v[0].key, (int32_t)0xdeadbeefu);
	assert_int_equal(vec.v[0].mode, 01640);
	assert_int_equal(vec.v[0].cuid, 1003);
	assert_int_equal(vec.v[0].cgid, 1004);
	assert_true(vec.v[0].has_memory);
	assert_true(vec.v[0].rss == 8192);
	assert_true(vec.v[0].swap == 4096);
	shm_vec_free(&vec);
}

/* read ahead by a thread */
static void test_load_from_proc(void **state)
{
	(void)state;
	load_from_proc();
}

/* no thread can start: stdio reads the file itself, the same */
static void test_load_from_proc_without_thread(void **state)
{
	(void)state;
	thread_fails = EAGAIN;
	load_from_proc();
	thread_fails = 0;
}

/* The wrapper opens every other file for real. */
static void test_open_passthrough(void **state)
{
	int fd;

	(void)state;
	fd = open(FIXTURES "/proc-shm-16.txt", O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
	errno = 0;
	assert_int_equal(open(FIXTURES "/no-such-file", O_RDONLY), -1);
	assert_int_equal(errno, ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_ipc_stat),
		cmocka_unit_test(test_stat_locked_and_id_zero),
		cmocka_unit_test(test_stat_eacces_then_stat_any),
		cmocka_unit_test(test_stat_any_extended_index),
		cmocka_unit_test(test_stat_any_other_segment_at_index),
		cmocka_unit_test(test_stat_eacces_old_kernel),
		cmocka_unit_test(test_stat_gone),
		cmocka_unit_test(test_stat_negative_id),
		cmocka_unit_test(test_id_of_key),
		cmocka_unit_test(test_read_all_stat_any),
		cmocka_unit_test(test_read_all_switches_to_shm_stat),
		cmocka_unit_test(test_read_all_old_kernel_unreadable),
		cmocka_unit_test(test_read_all_errors),
		cmocka_unit_test(test_read_all_empty),
		cmocka_unit_test(test_load_without_proc_falls_back),
		cmocka_unit_test(test_load_from_proc),
		cmocka_unit_test(test_load_from_proc_without_thread),
		cmocka_unit_test(test_open_passthrough),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
