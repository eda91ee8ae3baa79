/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/core/sysv.c and segments_load() in src/core/segment.c.
 * Linked with -Wl,--wrap=shmctl -Wl,--wrap=shmget -Wl,--wrap=open: the
 * system calls are cmocka mocks, each call checked against the calls the
 * test expects, in order. */
#include <errno.h>
#include <fcntl.h>
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

#include "core/proc-shm.h"
#include "core/segment.h"
#include "core/sysv.h"

#ifndef SHM_STAT_ANY
# define SHM_STAT_ANY 15
#endif

/* ---- the mocks ---- */

int __wrap_shmctl(int shmid, int cmd, struct shmid_ds *buf);
int __wrap_shmget(key_t key, size_t size, int shmflg);
int __wrap_open(const char *path, int flags, ...);
int __real_open(const char *path, int flags, ...);

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

/* ---- sysv_walk_any: SHM_STAT_ANY by index ---- */

/* What a walk visited. */
static int keep(const struct shm_segment *seg, void *vec)
{
	return shm_vec_push(vec, seg);
}

/* Linux >= 4.17: SHM_STAT_ANY throughout; empty indexes say EINVAL and
 * are skipped, and once SHM_STAT_ANY read a segment they need no SHM_STAT
 * probe. Each id is what SHM_STAT_ANY returned for its index. */
static void test_walk_any(void **state)
{
	struct shmid_ds a = ds_a(), b = ds_b();
	struct sysv_walk_info info;
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 4, NULL);
	expect_shmctl(0, SHM_STAT_ANY, 0, &b);                 /* shmid 0 */
	expect_shmctl_fail(1, SHM_STAT_ANY, EINVAL);            /* freed */
	expect_shmctl_fail(2, SHM_STAT_ANY, EIDRM);             /* going */
	expect_shmctl(3, SHM_STAT_ANY, ((2 << 15) | 3), &a);
	expect_shmctl_fail(4, SHM_STAT_ANY, EINVAL);
	assert_int_equal(sysv_walk_any(keep, &vec, &info), 0);
	assert_false(info.unsupported);
	assert_int_equal(info.ndenied, 0);
	assert_int_equal(vec.n, 2);
	assert_int_equal(vec.v[0].id, 0);
	assert_int_equal(vec.v[0].key, 0x1234);
	assert_int_equal(vec.v[0].mode, 02600);
	assert_int_equal(vec.v[0].uid, 2001);
	assert_int_equal(vec.v[0].cgid, 2004);
	assert_false(vec.v[0].has_memory);
	assert_seg_a(&vec.v[1], ((2 << 15) | 3));
	sysv_walk_info_free(&info);
	shm_vec_free(&vec);
}

/* Freed indexes before the first segment: SHM_STAT says EINVAL too, so
 * they are empty, not an old kernel. */
static void test_walk_any_leading_holes(void **state)
{
	struct shmid_ds a = ds_a();
	struct sysv_walk_info info;
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 3, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl_fail(0, SHM_STAT, EINVAL);
	expect_shmctl_fail(1, SHM_STAT_ANY, EINVAL);
	expect_shmctl_fail(1, SHM_STAT, EIDRM);
	expect_shmctl(2, SHM_STAT_ANY, ID_A, &a);
	expect_shmctl_fail(3, SHM_STAT_ANY, EINVAL);            /* no probe now */
	assert_int_equal(sysv_walk_any(keep, &vec, &info), 0);
	assert_false(info.unsupported);
	assert_int_equal(vec.n, 1);
	assert_seg_a(&vec.v[0], ID_A);
	sysv_walk_info_free(&info);
	shm_vec_free(&vec);
}

/* Before 4.17 SHM_STAT_ANY is EINVAL everywhere: at the first index
 * SHM_STAT finds taken (readable or not), the walk says so and stops,
 * nothing visited. */
static void test_walk_any_old_kernel(void **state)
{
	struct shmid_ds b = ds_b();
	struct sysv_walk_info info;
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 3, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl_fail(0, SHM_STAT, EINVAL);                /* empty */
	expect_shmctl_fail(1, SHM_STAT_ANY, EINVAL);
	expect_shmctl(1, SHM_STAT, ((1 << 15) | 1), &b);
	expect_shmctl_fail(1, SHM_STAT_ANY, EINVAL);            /* asked again */
	assert_int_equal(sysv_walk_any(keep, &vec, &info), 0);
	assert_true(info.unsupported);
	assert_int_equal(vec.n, 0);
	sysv_walk_info_free(&info);

	/* the first segment not readable: EACCES says it is there */
	expect_shmctl(0, IPC_INFO, 3, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl_fail(0, SHM_STAT, EACCES);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	assert_int_equal(sysv_walk_any(keep, &vec, &info), 0);
	assert_true(info.unsupported);
	assert_int_equal(vec.n, 0);
	sysv_walk_info_free(&info);
	shm_vec_free(&vec);
}

/* A segment created at an index between SHM_STAT_ANY's EINVAL and the
 * SHM_STAT probe: SHM_STAT_ANY, asked again, reads it. */
static void test_walk_any_created_during_probe(void **state)
{
	struct shmid_ds a = ds_a();
	struct sysv_walk_info info;
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 1, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl(0, SHM_STAT, ID_A & ~0x7fff, &a);
	expect_shmctl(0, SHM_STAT_ANY, ID_A & ~0x7fff, &a);
	expect_shmctl_fail(1, SHM_STAT_ANY, EINVAL);
	assert_int_equal(sysv_walk_any(keep, &vec, &info), 0);
	assert_false(info.unsupported);
	assert_int_equal(vec.n, 1);
	assert_seg_a(&vec.v[0], ID_A & ~0x7fff);
	sysv_walk_info_free(&info);
	shm_vec_free(&vec);
}

/* A security module refusing SHM_STAT_ANY for some segments: their
 * indexes are kept for the caller; the kernel knows the command. */
static void test_walk_any_denied(void **state)
{
	struct shmid_ds a = ds_a();
	struct sysv_walk_info info;
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 3, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EACCES);            /* no probe */
	expect_shmctl_fail(1, SHM_STAT_ANY, EINVAL);
	expect_shmctl(2, SHM_STAT_ANY, ID_A, &a);
	expect_shmctl_fail(3, SHM_STAT_ANY, EPERM);
	assert_int_equal(sysv_walk_any(keep, &vec, &info), 0);
	assert_false(info.unsupported);
	assert_int_equal(vec.n, 1);
	assert_int_equal(info.ndenied, 2);
	assert_int_equal(info.denied[0], 0);
	assert_int_equal(info.denied[1], 3);
	assert_true(sysv_walk_denied(&info, 0));
	assert_true(sysv_walk_denied(&info, (7 << 15) | 3));
	assert_false(sysv_walk_denied(&info, ID_A));
	assert_false(sysv_walk_denied(&info, (7 << 15) | 1));
	sysv_walk_info_free(&info);
	shm_vec_free(&vec);
}

/* With ipcmni_extend an index has 24 bits, and indexes above 0x7fff
 * exist only there: the highest index says which. */
static void test_walk_denied_extended(void **state)
{
	int denied[] = { 3, 0x8003 };
	struct sysv_walk_info info = { .denied = denied, .ndenied = 2, .max_index = 0x8003 };
	struct sysv_walk_info narrow = { .denied = denied, .ndenied = 1, .max_index = 0x7fff };

	(void)state;
	assert_true(sysv_walk_denied(&info, (5 << 24) | 0x8003));
	assert_true(sysv_walk_denied(&info, (5 << 24) | 3));
	assert_false(sysv_walk_denied(&info, (5 << 24) | 0x10003));
	/* 15 bits: the sequence number above them is not the index */
	assert_true(sysv_walk_denied(&narrow, (5 << 15) | 3));
	assert_false(sysv_walk_denied(&narrow, (5 << 15) | 4));
}

/* fn's non-zero value stops the walk and is returned. */
static int stop_at_first(const struct shm_segment *seg, void *ctx)
{
	(void)seg;
	(*(int *)ctx)++;
	return -ECANCELED;
}

static void test_walk_any_stops(void **state)
{
	struct shmid_ds a = ds_a();
	struct sysv_walk_info info;
	int calls = 0;

	(void)state;
	expect_shmctl(0, IPC_INFO, 5, NULL);
	expect_shmctl(0, SHM_STAT_ANY, 0, &a);
	assert_int_equal(sysv_walk_any(stop_at_first, &calls, &info), -ECANCELED);
	assert_int_equal(calls, 1);
	sysv_walk_info_free(&info);
}

static void test_walk_any_errors(void **state)
{
	struct sysv_walk_info info;
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl_fail(0, IPC_INFO, ENOSYS);
	assert_int_equal(sysv_walk_any(keep, &vec, &info), -ENOSYS);
	sysv_walk_info_free(&info);

	expect_shmctl(0, IPC_INFO, 1, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EFAULT);
	assert_int_equal(sysv_walk_any(keep, &vec, &info), -EFAULT);
	sysv_walk_info_free(&info);

	/* the probe failing */
	expect_shmctl(0, IPC_INFO, 1, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl_fail(0, SHM_STAT, EFAULT);
	assert_int_equal(sysv_walk_any(keep, &vec, &info), -EFAULT);
	sysv_walk_info_free(&info);
	assert_int_equal(vec.n, 0);
	shm_vec_free(&vec);
}

/* No segment at all: IPC_INFO's highest index is 0 and index 0 empty. */
static void test_walk_any_empty(void **state)
{
	struct sysv_walk_info info;
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 0, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl_fail(0, SHM_STAT, EINVAL);
	assert_int_equal(sysv_walk_any(keep, &vec, &info), 0);
	assert_false(info.unsupported);
	assert_int_equal(vec.n, 0);
	sysv_walk_info_free(&info);
	shm_vec_free(&vec);
}

/* ---- sysv_walk_stat and sysv_walk (gc's) ---- */

/* SHM_STAT needs read permission: an unreadable segment is counted. */
static void test_walk_stat_refused(void **state)
{
	struct shmid_ds a = ds_a();
	struct shm_vec vec = { 0 };
	size_t refused = 42;

	(void)state;
	expect_shmctl(0, IPC_INFO, 3, NULL);
	expect_shmctl(0, SHM_STAT, 0, &a);
	expect_shmctl_fail(1, SHM_STAT, EACCES);
	expect_shmctl_fail(2, SHM_STAT, EIDRM);
	expect_shmctl_fail(3, SHM_STAT, EINVAL);
	assert_int_equal(sysv_walk_stat(keep, &vec, &refused), 0);
	assert_int_equal(refused, 1);
	assert_int_equal(vec.n, 1);
	assert_seg_a(&vec.v[0], 0);
	shm_vec_free(&vec);

	expect_shmctl(0, IPC_INFO, 1, NULL);
	expect_shmctl_fail(0, SHM_STAT, ENOMEM);
	assert_int_equal(sysv_walk_stat(keep, &vec, &refused), -ENOMEM);
}

/* gc's walk on a kernel before 4.17: SHM_STAT from index 0 again. */
static void test_walk_old_kernel_shm_stat(void **state)
{
	struct shmid_ds a = ds_a(), b = ds_b();
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 2, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl(0, SHM_STAT, 0, &b);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl(0, IPC_INFO, 2, NULL);
	expect_shmctl(0, SHM_STAT, 0, &b);
	expect_shmctl_fail(1, SHM_STAT, EACCES);
	expect_shmctl(2, SHM_STAT, ((ID_A & ~0x7fff) | 2), &a);
	assert_int_equal(sysv_walk(keep, &vec), 0);
	assert_int_equal(vec.n, 2);
	assert_int_equal(vec.v[0].id, 0);
	assert_int_equal(vec.v[0].key, 0x1234);
	assert_int_equal(vec.v[0].cuid, 2003);
	assert_seg_a(&vec.v[1], ((ID_A & ~0x7fff) | 2));
	shm_vec_free(&vec);
}

/* ---- segments_load ---- */

static const char proc_text[] =
	"       key      shmid perms                  size  cpid  lpid nattch"
	"   uid   gid  cuid  cgid      atime      dtime      ctime                   rss"
	"                  swap\n"
	"-559038737      98309  1640                 65536  4242  4343      3"
	"  1001  1002  1003  1004 1700000001 1700000002 1700000003                  8192"
	"                  4096\n";

static void assert_proc_a(const struct shm_segment *s)
{
	assert_int_equal(s->id, ID_A);
	assert_int_equal(s->key, (int32_t)0xdeadbeefu);
	assert_int_equal(s->mode, 01640);
	assert_int_equal(s->cuid, 1003);
	assert_int_equal(s->cgid, 1004);
	assert_true(s->has_memory);
	assert_true(s->rss == 8192);
	assert_true(s->swap == 4096);
}

static void expect_proc(const char *text)
{
	will_return(__wrap_open, 0);
	will_return(__wrap_open, text);
}

/* By default: SHM_STAT_ANY, and /proc is not opened (the open mock
 * fails the test if it is). */
static void test_load_binary(void **state)
{
	struct shmid_ds a = ds_a(), b = ds_b();
	struct shm_vec vec = { 0 };

	(void)state;
	/* IPC_INFO sizes the array, then bounds the walk */
	expect_shmctl(0, IPC_INFO, 1, NULL);
	expect_shmctl(0, IPC_INFO, 1, NULL);
	expect_shmctl(0, SHM_STAT_ANY, ID_A & ~0x7fff, &a);
	expect_shmctl(1, SHM_STAT_ANY, (9 << 15) | 1, &b);
	assert_int_equal(segments_load(0, &vec), 0);
	assert_int_equal(vec.n, 2);
	assert_seg_a(&vec.v[0], ID_A & ~0x7fff);
	assert_int_equal(vec.v[1].id, (9 << 15) | 1);
	shm_vec_free(&vec);
}

/* rss and swap wanted: /proc alone, no SHM_STAT_ANY. */
static void test_load_memory_from_proc(void **state)
{
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 0, NULL);
	expect_proc(proc_text);
	assert_int_equal(segments_load(SEG_NEED_MEMORY, &vec), 0);
	assert_int_equal(vec.n, 1);
	assert_proc_a(&vec.v[0]);
	shm_vec_free(&vec);
}

/* rss and swap wanted but no /proc: the segments without them. */
static void test_load_memory_without_proc(void **state)
{
	struct shmid_ds a = ds_a();
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 0, NULL);
	will_return(__wrap_open, ENOENT);
	expect_shmctl(0, IPC_INFO, 0, NULL);
	expect_shmctl(0, SHM_STAT_ANY, 0, &a);
	assert_int_equal(segments_load(SEG_NEED_MEMORY, &vec), 0);
	assert_int_equal(vec.n, 1);
	assert_seg_a(&vec.v[0], 0);
	shm_vec_free(&vec);
}

/* A kernel before 4.17 (SHM_STAT_ANY unknown): /proc/sysvipc/shm. */
static void test_load_old_kernel_from_proc(void **state)
{
	struct shmid_ds a = ds_a();
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 5, NULL);
	expect_shmctl(0, IPC_INFO, 5, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl(0, SHM_STAT, ID_A, &a);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_proc(proc_text);
	assert_int_equal(segments_load(0, &vec), 0);
	assert_int_equal(vec.n, 1);
	assert_proc_a(&vec.v[0]);
	shm_vec_free(&vec);
}

/* Before 4.17 and no /proc: SHM_STAT, which cannot read every segment;
 * the others are loaded and the walk fails: never a short list as if
 * complete. */
static void test_load_old_kernel_without_proc(void **state)
{
	struct shmid_ds a = ds_a();
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 1, NULL);
	expect_shmctl(0, IPC_INFO, 1, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl_fail(0, SHM_STAT, EACCES);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	will_return(__wrap_open, ENOENT);
	expect_shmctl(0, IPC_INFO, 1, NULL);
	expect_shmctl_fail(0, SHM_STAT, EACCES);
	expect_shmctl(1, SHM_STAT, ID_A, &a);
	assert_int_equal(segments_load(0, &vec), -EACCES);
	assert_int_equal(vec.n, 1);
	assert_seg_a(&vec.v[0], ID_A);
	shm_vec_free(&vec);

	/* all readable: no error */
	expect_shmctl(0, IPC_INFO, 0, NULL);
	expect_shmctl(0, IPC_INFO, 0, NULL);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	expect_shmctl(0, SHM_STAT, ID_A & ~0x7fff, &a);
	expect_shmctl_fail(0, SHM_STAT_ANY, EINVAL);
	will_return(__wrap_open, ENOENT);
	expect_shmctl(0, IPC_INFO, 0, NULL);
	expect_shmctl(0, SHM_STAT, ID_A & ~0x7fff, &a);
	assert_int_equal(segments_load(0, &vec), 0);
	assert_int_equal(vec.n, 1);
	shm_vec_free(&vec);
}

/* Three segments in /proc; the one at index 5 refused to SHM_STAT_ANY by
 * a security module. */
static const char proc_three[] =
	"       key      shmid perms                  size  cpid  lpid nattch"
	"   uid   gid  cuid  cgid      atime      dtime      ctime                   rss"
	"                  swap\n"
	"      4660          0   600                  4096    77     0      0"
	"  2001  2002  2003  2004          0          0 1600000000                     0"
	"                     0\n"
	"-559038737      98309  1640                 65536  4242  4343      3"
	"  1001  1002  1003  1004 1700000001 1700000002 1700000003                  8192"
	"                  4096\n"
	"         7     229382   600                  4096    77     0      0"
	"  2001  2002  2003  2004          0          0 1600000000                     0"
	"                     0\n";

/* What SHM_STAT_ANY was refused comes from /proc (which lists every
 * segment), after the rest, each segment once. */
static void test_load_denied_from_proc(void **state)
{
	struct shmid_ds b = ds_b(), c = ds_b();
	struct shm_vec vec = { 0 };

	(void)state;
	c.shm_perm.__key = 7;
	expect_shmctl(0, IPC_INFO, 6, NULL);
	expect_shmctl(0, IPC_INFO, 6, NULL);
	expect_shmctl(0, SHM_STAT_ANY, 0, &b);
	for (int i = 1; i < 5; i++)
		expect_shmctl_fail(i, SHM_STAT_ANY, EINVAL);
	expect_shmctl_fail(5, SHM_STAT_ANY, EACCES);
	expect_shmctl(6, SHM_STAT_ANY, 229382, &c);
	expect_proc(proc_three);
	assert_int_equal(segments_load(0, &vec), 0);
	assert_int_equal(vec.n, 3);
	assert_int_equal(vec.v[0].id, 0);
	assert_int_equal(vec.v[1].id, 229382);
	assert_false(vec.v[1].has_memory);
	assert_proc_a(&vec.v[2]);
	shm_vec_free(&vec);
}

/* Refused, and no /proc to read it from: the rest, and an error. */
static void test_load_denied_without_proc(void **state)
{
	struct shmid_ds b = ds_b();
	struct shm_vec vec = { 0 };

	(void)state;
	expect_shmctl(0, IPC_INFO, 1, NULL);
	expect_shmctl(0, IPC_INFO, 1, NULL);
	expect_shmctl(0, SHM_STAT_ANY, 0, &b);
	expect_shmctl_fail(1, SHM_STAT_ANY, EPERM);
	will_return(__wrap_open, EACCES);
	assert_int_equal(segments_load(0, &vec), -EACCES);
	assert_int_equal(vec.n, 1);
	shm_vec_free(&vec);
}

/* The two paths give the same struct but for rss and swap: the key above
 * 0x7fffffff (printed signed), a size above 4 GiB, ids and times above
 * 32 bits where they can be, both mode bits beside the permissions. */
static void test_paths_agree(void **state)
{
	static const char line[] =
		"-1 2147450880  3660 6442450944 2147483647 1 18446744073709551615"
		" 4294967294 4294967293 4294967292 4294967291 4102444800 4102444801 4102444802"
		" 12288 0\n";
	struct shmid_ds ds;
	struct shm_segment p, b;

	(void)state;
	memset(&ds, 0, sizeof(ds));
	ds.shm_perm.__key = (key_t)0xffffffffu;
	ds.shm_perm.mode = SHM_DEST | SHM_LOCKED | 0660;
	ds.shm_segsz = 6442450944u;
	ds.shm_cpid = 2147483647;
	ds.shm_lpid = 1;
	ds.shm_nattch = (shmatt_t)-1;
	ds.shm_perm.uid = 4294967294u;
	ds.shm_perm.gid = 4294967293u;
	ds.shm_perm.cuid = 4294967292u;
	ds.shm_perm.cgid = 4294967291u;
	ds.shm_atime = 4102444800;
	ds.shm_dtime = 4102444801;
	ds.shm_ctime = 4102444802;
	assert_int_equal(proc_shm_parse_line(line, &p), 0);
	expect_shmctl(0, IPC_INFO, 0, NULL);
	expect_shmctl(0, SHM_STAT_ANY, 2147450880, &ds);
	{
		struct sysv_walk_info info;
		struct shm_vec vec = { 0 };

		assert_int_equal(sysv_walk_any(keep, &vec, &info), 0);
		assert_int_equal(vec.n, 1);
		b = vec.v[0];
		sysv_walk_info_free(&info);
		shm_vec_free(&vec);
	}
	assert_true(p.has_memory && p.rss == 12288);
	assert_false(b.has_memory);
	assert_int_equal(b.key, p.key);
	assert_int_equal(b.key, -1);
	assert_int_equal(b.id, p.id);
	assert_int_equal(b.mode, p.mode);
	assert_int_equal(b.mode, 03660);
	assert_true(b.size == p.size);
	assert_int_equal(b.cpid, p.cpid);
	assert_int_equal(b.lpid, p.lpid);
	assert_true(b.nattch == p.nattch);
	assert_int_equal(b.uid, p.uid);
	assert_int_equal(b.gid, p.gid);
	assert_int_equal(b.cuid, p.cuid);
	assert_int_equal(b.cgid, p.cgid);
	assert_true(b.atime == p.atime);
	assert_true(b.dtime == p.dtime);
	assert_true(b.ctime == p.ctime);
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
		cmocka_unit_test(test_walk_any),
		cmocka_unit_test(test_walk_any_leading_holes),
		cmocka_unit_test(test_walk_any_old_kernel),
		cmocka_unit_test(test_walk_any_created_during_probe),
		cmocka_unit_test(test_walk_any_denied),
		cmocka_unit_test(test_walk_denied_extended),
		cmocka_unit_test(test_walk_any_stops),
		cmocka_unit_test(test_walk_any_errors),
		cmocka_unit_test(test_walk_any_empty),
		cmocka_unit_test(test_walk_stat_refused),
		cmocka_unit_test(test_walk_old_kernel_shm_stat),
		cmocka_unit_test(test_load_binary),
		cmocka_unit_test(test_load_memory_from_proc),
		cmocka_unit_test(test_load_memory_without_proc),
		cmocka_unit_test(test_load_old_kernel_from_proc),
		cmocka_unit_test(test_load_old_kernel_without_proc),
		cmocka_unit_test(test_load_denied_from_proc),
		cmocka_unit_test(test_load_denied_without_proc),
		cmocka_unit_test(test_paths_agree),
		cmocka_unit_test(test_open_passthrough),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
