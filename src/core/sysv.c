/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include "core/sysv.h"
#include "lib/array.h"

#ifndef SHM_STAT_ANY
# define SHM_STAT_ANY 15
#endif

static void from_shmid_ds(int id, const struct shmid_ds *ds, struct shm_segment *seg)
{
	memset(seg, 0, sizeof(*seg));
	seg->key = (int32_t)ds->shm_perm.__key;
	seg->id = id;
	seg->mode = ds->shm_perm.mode & 07777;
	seg->size = ds->shm_segsz;
	seg->cpid = ds->shm_cpid;
	seg->lpid = ds->shm_lpid;
	seg->nattch = ds->shm_nattch;
	seg->uid = ds->shm_perm.uid;
	seg->gid = ds->shm_perm.gid;
	seg->cuid = ds->shm_perm.cuid;
	seg->cgid = ds->shm_perm.cgid;
	seg->atime = ds->shm_atime;
	seg->dtime = ds->shm_dtime;
	seg->ctime = ds->shm_ctime;
}

/* One index by SHM_STAT_ANY: the id, or -errno. */
static int stat_any(int idx, struct shmid_ds *ds)
{
	int id;

	/* the kernel fills all of it; valgrind (3.19) does not know that
	 * SHM_STAT_ANY writes ds and would report every field as unset */
	memset(ds, 0, sizeof(*ds));
	id = shmctl(idx, SHM_STAT_ANY, ds);
	return id < 0 ? -errno : id;
}

/* The kernel's index is the low bits of the id: 15 of them by default,
 * 24 with the ipcmni_extend boot option. */
static int stat_by_index(int id, struct shmid_ds *ds)
{
	static const int masks[] = { 0x7fff, 0xffffff };

	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		int got = stat_any(id & masks[i], ds);

		if (got == id)
			return 0;
		if (got < 0 && got != -EINVAL)
			return got;
	}
	return -EINVAL;
}

int sysv_stat(int id, struct shm_segment *seg)
{
	struct shmid_ds ds;

	if (id < 0)
		return -EINVAL;
	if (shmctl(id, IPC_STAT, &ds) < 0) {
		int rc = -errno;

		if (rc != -EACCES)
			return rc == -EIDRM ? -EINVAL : rc;
		rc = stat_by_index(id, &ds);
		if (rc)
			return rc == -EINVAL ? -EACCES : rc;
	}
	from_shmid_ds(id, &ds, seg);
	return 0;
}

int sysv_id_of_key(int32_t key)
{
	int id = shmget((key_t)key, 0, 0);

	return id < 0 ? -errno : id;
}

enum probe { PROBE_EMPTY, PROBE_READ, PROBE_UNKNOWN };

/* SHM_STAT_ANY said EINVAL at idx before it ever answered otherwise: an
 * empty index, or a kernel older than 4.17 that does not know the
 * command. SHM_STAT tells: it finds a segment there (EACCES too means one
 * is there). SHM_STAT_ANY is then asked again, so that a segment created
 * in between is not taken for an old kernel. Returns PROBE_EMPTY,
 * PROBE_READ (*id: what SHM_STAT_ANY answered now), PROBE_UNKNOWN or a
 * negative errno. */
static int probe_index(int idx, struct shmid_ds *ds, int *id)
{
	int rc;

	memset(ds, 0, sizeof(*ds));
	rc = shmctl(idx, SHM_STAT, ds) < 0 ? -errno : 0;
	if (rc == -EINVAL || rc == -EIDRM)
		return PROBE_EMPTY;
	if (rc < 0 && rc != -EACCES)
		return rc;
	*id = stat_any(idx, ds);
	return *id == -EINVAL ? PROBE_UNKNOWN : PROBE_READ;
}

int sysv_walk_any(shm_visit_fn *fn, void *ctx, struct sysv_walk_info *info)
{
	bool known = false;     /* SHM_STAT_ANY answered other than EINVAL */
	int maxidx = sysv_max_index();

	*info = (struct sysv_walk_info){ 0 };
	if (maxidx < 0)
		return maxidx;
	info->max_index = maxidx;
	for (int idx = 0; idx <= maxidx; idx++) {
		struct shmid_ds ds;
		struct shm_segment seg;
		int rc, id = stat_any(idx, &ds);

		if (id == -EINVAL && !known) {
			rc = probe_index(idx, &ds, &id);
			if (rc < 0)
				return rc;
			if (rc == PROBE_UNKNOWN) {
				info->unsupported = true;
				return 0;
			}
		}
		if (id == -EINVAL)
			continue;       /* an empty index */
		known = true;
		if (id == -EIDRM)
			continue;       /* removed meanwhile */
		if (id == -EACCES || id == -EPERM) {
			rc = ARRAY_PUSH(info->denied, info->ndenied, info->cap, idx);
			if (rc)
				return rc;
			continue;
		}
		if (id < 0)
			return id;
		from_shmid_ds(id, &ds, &seg);
		rc = fn(&seg, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

void sysv_walk_info_free(struct sysv_walk_info *info)
{
	free(info->denied);
	*info = (struct sysv_walk_info){ 0 };
}

bool sysv_walk_denied(const struct sysv_walk_info *info, int id)
{
	/* the index is the low 15 bits of an id, or 24 with ipcmni_extend,
	 * which alone makes indexes above 0x7fff */
	int idx = id & (info->max_index > 0x7fff ? 0xffffff : 0x7fff);
	size_t lo = 0, hi = info->ndenied;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (info->denied[mid] == idx)
			return true;
		if (info->denied[mid] < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

int sysv_walk_stat(shm_visit_fn *fn, void *ctx, size_t *refused)
{
	int maxidx = sysv_max_index();

	*refused = 0;
	if (maxidx < 0)
		return maxidx;
	for (int idx = 0; idx <= maxidx; idx++) {
		struct shmid_ds ds = { 0 };     /* see stat_by_index */
		struct shm_segment seg;
		int rc, id = shmctl(idx, SHM_STAT, &ds);

		if (id < 0) {
			if (errno == EINVAL || errno == EIDRM)
				continue;
			if (errno != EACCES && errno != EPERM)
				return -errno;
			(*refused)++;
			continue;
		}
		from_shmid_ds(id, &ds, &seg);
		rc = fn(&seg, ctx);
		if (rc)
			return rc;
	}
	return 0;
}

int sysv_walk(shm_visit_fn *fn, void *ctx)
{
	struct sysv_walk_info info;
	size_t refused;
	int rc = sysv_walk_any(fn, ctx, &info);

	if (!rc && info.unsupported)
		rc = sysv_walk_stat(fn, ctx, &refused);
	sysv_walk_info_free(&info);
	return rc;
}

int sysv_limits(struct sysv_limits *lim)
{
	struct shminfo info;

	if (shmctl(0, IPC_INFO, (struct shmid_ds *)&info) < 0)
		return -errno;
	lim->shmmax = info.shmmax;
	lim->shmall = info.shmall;
	lim->shmmni = info.shmmni;
	lim->shmmin = info.shmmin;
	return 0;
}

int sysv_create(int32_t key, uint64_t size, int flags, unsigned int mode)
{
	int id;

	if (size > SIZE_MAX)
		return -EINVAL;
	id = shmget((key_t)key, (size_t)size, IPC_CREAT | flags | (int)(mode & 0777));
	return id < 0 ? -errno : id;
}

int sysv_attach(int id, bool readonly, void **addr)
{
	void *a = shmat(id, NULL, readonly ? SHM_RDONLY : 0);

	if (a == (void *)-1)
		return -errno;
	*addr = a;
	return 0;
}

int sysv_detach(const void *addr)
{
	return shmdt(addr) < 0 ? -errno : 0;
}

int sysv_remove(int id)
{
	return shmctl(id, IPC_RMID, NULL) < 0 ? -errno : 0;
}

int sysv_lock(int id)
{
	return shmctl(id, SHM_LOCK, NULL) < 0 ? -errno : 0;
}

int sysv_unlock(int id)
{
	return shmctl(id, SHM_UNLOCK, NULL) < 0 ? -errno : 0;
}

int sysv_set(int id, uid_t uid, gid_t gid, unsigned int mode)
{
	struct shmid_ds ds;

	memset(&ds, 0, sizeof(ds));
	ds.shm_perm.uid = uid;
	ds.shm_perm.gid = gid;
	ds.shm_perm.mode = mode & 0777;
	return shmctl(id, IPC_SET, &ds) < 0 ? -errno : 0;
}

int sysv_ftok(const char *path, int proj, int32_t *key)
{
	key_t k;

	errno = 0;
	k = ftok(path, proj);
	if (k == (key_t)-1)
		return errno ? -errno : -EINVAL;
	*key = (int32_t)k;
	return 0;
}

/* IPC_INFO answers the highest index as SHM_INFO does, without
 * SHM_INFO's walk over every segment to sum their memory (4.6 ms at
 * 30,000 segments). */
int sysv_max_index(void)
{
	struct shminfo info;
	int maxidx = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);

	return maxidx < 0 ? -errno : maxidx;
}

int sysv_usage(struct sysv_usage *u)
{
	struct shm_info info;

	if (shmctl(0, SHM_INFO, (struct shmid_ds *)&info) < 0)
		return -errno;
	u->segments = (uint64_t)info.used_ids;
	u->pages = (uint64_t)info.shm_tot;
	u->resident = (uint64_t)info.shm_rss;
	u->swapped = (uint64_t)info.shm_swp;
	return 0;
}
