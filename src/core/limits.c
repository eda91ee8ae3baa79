// SPDX-License-Identifier: GPL-2.0-or-later
/* The rows of shmtool limits: see limits.h. */
#include "core/limits.h"

/* A row; limit and used are left out (has_ false) when known is false. */
static struct limit_row row(const char *resource, const char *description,
			    enum limit_unit unit, bool has_limit, uint64_t limit,
			    bool has_used, uint64_t used, uint64_t page_size)
{
	return (struct limit_row){
		.resource = resource, .description = description, .unit = unit,
		.has_limit = has_limit, .limit = has_limit ? limit : 0,
		.has_used = has_used, .used = has_used ? used : 0,
		.page_size = page_size,
	};
}

size_t limits_sysv_rows(const struct sysv_limits *l, const struct sysv_usage *u,
			bool has_largest, uint64_t largest, uint64_t page_size,
			struct limit_row *rows)
{
	rows[0] = row("SHMMNI", "Shared memory segments", LIMIT_SEGMENTS,
		      true, l->shmmni, u != NULL, u ? u->segments : 0, 0);
	rows[1] = row("SHMALL", "Shared memory pages", LIMIT_PAGES,
		      true, l->shmall, u != NULL, u ? u->pages : 0, page_size);
	rows[2] = row("SHMMAX", "Max size of shared memory segment (bytes)", LIMIT_BYTES,
		      true, l->shmmax, has_largest, largest, 0);
	rows[3] = row("SHMMIN", "Min size of shared memory segment (bytes)", LIMIT_BYTES,
		      true, l->shmmin, false, 0, 0);
	return 4;
}

size_t limits_usage_rows(const struct sysv_usage *u, const struct limits_sysctls *s,
			 uint64_t page_size, struct limit_row *rows)
{
	rows[0] = row("SEGMENTS", "Segments allocated", LIMIT_SEGMENTS,
		      false, 0, true, u->segments, 0);
	rows[1] = row("PAGES", "Pages allocated", LIMIT_PAGES,
		      false, 0, true, u->pages, page_size);
	rows[2] = row("RESIDENT", "Pages resident", LIMIT_PAGES,
		      false, 0, true, u->resident, page_size);
	rows[3] = row("SWAPPED", "Pages swapped", LIMIT_PAGES,
		      false, 0, true, u->swapped, page_size);
	rows[4] = row("RMID_FORCED", "Segments removed when their last user goes "
		      "(kernel.shm_rmid_forced)", LIMIT_FLAG,
		      false, 0, s->rmid_forced >= 0, (uint64_t)s->rmid_forced, 0);
	rows[5] = row("NEXT_ID", "Id of the next segment, if set (kernel.shm_next_id)",
		      LIMIT_ID, false, 0, s->next_id >= 0, (uint64_t)s->next_id, 0);
	return 6;
}

size_t limits_fs_rows(const struct limits_fs *fs, struct limit_row *rows)
{
	uint64_t bfree = fs->bfree < fs->blocks ? fs->bfree : fs->blocks;
	uint64_t ffree = fs->ffree < fs->files ? fs->ffree : fs->files;

	rows[0] = row("SIZE", "Bytes of /dev/shm (tmpfs size=)", LIMIT_BYTES,
		      true, fs->blocks * fs->frsize, true, (fs->blocks - bfree) * fs->frsize, 0);
	/* a tmpfs without nr_inodes= says 0 files of 0 free */
	rows[1] = row("INODES", "Files in /dev/shm (tmpfs nr_inodes=)", LIMIT_FILES,
		      fs->files != 0, fs->files, fs->files != 0, fs->files - ffree, 0);
	return 2;
}

bool limit_use_percent(const struct limit_row *r, double *percent)
{
	if (!r->has_limit || !r->has_used || !r->limit)
		return false;
	*percent = (double)r->used * 100.0 / (double)r->limit;
	return true;
}
