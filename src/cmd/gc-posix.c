/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gc --posix, the backend of POSIX objects: those of /dev/shm that no
 * process maps or holds open (list --posix's scan), removed with
 * unlinkat on the directory after a second look at each: the same file
 * (lstat: dev, inode, size, mtime), still a regular file, and still
 * unused (a fresh /proc scan). While the scan cannot see every process
 * (denied, or hidden by /proc), nothing is removed without --force: any
 * object may be in use. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/gc.h"
#include "core/as-target.h"
#include "core/posix-shm.h"
#include "core/procfs.h"
#include "core/userns.h"
#include "lib/text.h"
#include "lib/util.h"
#include "out/format.h"

#define CAP_FOWNER_BIT 3

struct posix_gc {
	struct posix_dir dir;
	struct stat dir_st;
	bool dir_writable, cap_fowner;
	struct posix_vec objs;          /* the candidates, the table's rows */
	unsigned int *uses;             /* per candidate: its use in the fresh scan */
};

/* Scan /proc again for the objects [0, n) of cands (their scanned
 * dev:inode): uses[i] gets whether one is mapped or open now. */
static int rescan(const struct posix_obj *cands, size_t n, unsigned int *uses,
		  bool *incomplete)
{
	struct posix_vec v = { 0 };
	int rc = 0;

	for (size_t i = 0; !rc && i < n; i++)
		rc = posix_vec_add(&v, cands[i].name, &cands[i]);
	if (!rc)
		rc = posix_scan_use(&v);
	if (!rc)
		*incomplete = posix_scan_incomplete(&v);
	for (size_t i = 0; !rc && i < n; i++)
		uses[i] = v.v[i].use;
	posix_vec_free(&v);
	return rc;
}

static void describe_object(const struct gc_run *run, const void *cand, char *name,
			    char *detail)
{
	const struct posix_obj *o = cand;
	char safe[4 * 63 + 1];
	size_t len = strlen(o->name);

	(void)run;
	sanitize(o->name, len < 63 ? len : 63, safe, false);
	snprintf(name, GC_NAME_SIZE, "POSIX object %s", safe);
	fmt_size_human(detail, GC_DETAIL_SIZE, o->size);
}

static bool may_remove_object(struct gc_run *run, const void *cand)
{
	const struct posix_gc *g = run->priv;
	const struct posix_obj *o = cand;

	return gc_posix_may_unlink(o, g->dir_st.st_uid, g->dir_st.st_mode, g->dir_writable,
				   run->euid, g->cap_fowner &&
				   userns_file_ids_mapped(o->uid, o->gid));
}

/* Unlink a candidate if the name is still that file and unused in the
 * fresh scan: after a question, one of this object alone, made now. */
static int remove_object(struct gc_run *run, const void *cand, enum gc_reason *why)
{
	struct posix_gc *g = run->priv;
	const struct posix_obj *o = cand;
	unsigned int *use = &g->uses[o - g->objs.v];
	bool incomplete = false;
	struct posix_obj now;
	struct stat st;
	int rc;

	if (run->interactive) {
		rc = rescan(o, 1, use, &incomplete);
		if (rc)
			return rc;
		if (incomplete && !run->force) {
			run->hold = GC_WHY_USE_UNKNOWN;
			*why = run->hold;
			return GC_OUT_SKIPPED;
		}
	}
	rc = posix_obj_stat(&g->dir, o->name, &st);
	if (rc && rc != -ENOENT && rc != -EINVAL) {
		*why = rc == -EACCES ? GC_WHY_PERMISSION : GC_WHY_ERROR;
		return GC_OUT_FAILED;
	}
	if (rc != -ENOENT) {
		posix_obj_from_stat(&now, &st);
		now.name = o->name;
		now.use = *use;
	}
	switch (gc_posix_recheck(o, rc == -ENOENT ? NULL : &now, rc == 0)) {
	case GC_PX_GONE:
		*why = GC_WHY_GONE;
		return GC_OUT_SKIPPED;
	case GC_PX_NOT_REGULAR:
		*why = GC_WHY_NOT_REGULAR;
		return GC_OUT_SKIPPED;
	case GC_PX_REPLACED:
		*why = GC_WHY_REPLACED;
		return GC_OUT_SKIPPED;
	case GC_PX_IN_USE:
		*why = GC_WHY_IN_USE;
		return GC_OUT_SKIPPED;
	case GC_PX_OK:
		break;
	}
	rc = as_target_unlinkat(g->dir.ns, g->dir.fd, o->name);
	if (rc == -ENOENT) {
		*why = GC_WHY_GONE;
		return GC_OUT_SKIPPED;
	}
	if (rc) {
		*why = rc == -EPERM || rc == -EACCES ? GC_WHY_PERMISSION : GC_WHY_ERROR;
		return GC_OUT_FAILED;
	}
	return GC_OUT_REMOVED;
}

/* Keep the candidates of objs (the others are counted and dropped). */
static void select_candidates(struct gc_run *run, struct posix_vec *objs)
{
	time_t now = time(NULL);
	size_t kept = 0;

	for (size_t i = 0; i < objs->n; i++) {
		struct posix_obj *o = &objs->v[i];

		if (gc_select(run, gc_classify_posix(o, &run->filter, now)))
			objs->v[kept++] = *o;
		else
			free(o->name);
	}
	objs->n = kept;
	qsort(objs->v, objs->n, sizeof(objs->v[0]), posix_obj_cmp_name);
}

/* The objects, their users, and the run's rights in the directory:
 * 0, or -1 (reported). */
static int load(struct gc_run *run, struct posix_gc *g)
{
	int rc;

	if (posix_dir_open_or_warn(&g->dir, run->ns))
		return -1;
	if (fstat(g->dir.fd, &g->dir_st)) {
		warnx("cannot open %s: %s", g->dir.path, posix_shm_dir_problem(-errno));
		return -1;
	}
	g->dir_writable = as_target_faccessat(run->ns, g->dir.fd, ".", W_OK | X_OK,
					      AT_EACCESS) == 0;
	g->cap_fowner = procfs_self_has_cap(CAP_FOWNER_BIT);
	/* in another process's namespace it is that process's right that
	 * counts (as-target.h) */
	rc = as_target_identity(run->ns, &run->euid, &g->cap_fowner);
	if (rc < 0) {
		warnx("cannot act as the --ipc-ns process: %s", strerror(-rc));
		return -1;
	}
	rc = posix_load(run->ns, g->dir.fd, &g->objs);
	if (rc) {
		warnx("cannot read %s: %s", g->dir.path, strerror(-rc));
		return -1;
	}
	rc = posix_scan_use(&g->objs);
	if (rc) {
		/* without the scan every object would look unused */
		warnx("cannot scan /proc for the processes using them: %s", strerror(-rc));
		return -1;
	}
	/* cannot see is not gone: a process not seen may use any object */
	if (posix_scan_incomplete(&g->objs) && !run->force)
		run->hold = GC_WHY_USE_UNKNOWN;
	posix_warn_incomplete(&g->objs, run->hold ?
			      "nothing is removed, as any object may be in use (--force removes anyway)" :
			      "an object they use may be removed");
	return 0;
}

static int print_objects(const struct gc_run *run, const void *rows, size_t n,
			 const struct render_opts *ro)
{
	return output_posix(run->oo, &run->cols, rows, n, ro);
}

static int run_posix(struct gc_run *run)
{
	struct posix_gc g = { .dir.fd = -1 };
	bool incomplete = false;
	int rc = 0, status = EXIT_OK;

	run->priv = &g;
	if (load(run, &g)) {
		status = EXIT_FAIL;
		goto out;
	}
	select_candidates(run, &g.objs);
	g.uses = calloc(g.objs.n ? g.objs.n : 1, sizeof(*g.uses));
	if (!g.uses)
		err(EXIT_FAIL, "cannot allocate memory");
	/* without questions: one fresh scan for all, just before the
	 * removals; one that misses processes now holds back as the first */
	if (!run->dry_run && !run->interactive && !run->hold)
		rc = rescan(g.objs.v, g.objs.n, g.uses, &incomplete);
	if (incomplete && !run->force) {
		warnx("the scan before removal could not see every process: nothing removed "
		      "(--force removes all the same)");
		run->hold = GC_WHY_USE_UNKNOWN;
	}
	for (size_t i = 0; !rc && i < g.objs.n; i++)
		rc = gc_take(run, &g.objs.v[i], g.objs.v[i].size, GC_CANDIDATE);
	if (rc) {
		warnx("cannot scan /proc again before removal: %s", strerror(-rc));
		status = EXIT_FAIL;
	}
	if (gc_report(run, g.objs.v, g.objs.n, print_objects))
		status = EXIT_FAIL;
out:
	free(g.uses);
	posix_vec_free(&g.objs);
	posix_dir_close(&g.dir);
	return status;
}

static const struct column_list default_columns = {
	.ids = { COL_PX_NAME, COL_PX_SIZE, COL_PX_OWNER, COL_PX_MTIME, COL_PX_USE,
		 COL_ACTION, COL_REASON },
	.n = 7,
};

const struct gc_backend gc_posix_backend = {
	.what = "object",
	.scope = SCOPE_GC_POSIX,
	.columns = &default_columns,
	.words = {
		.in_use_text = "in use since scan",
		.young_before = "changed less than", .young_after = " ago",
		.exclude_option = "--exclude",
	},
	.run = run_posix,
	.describe = describe_object,
	.may_remove = may_remove_object,
	.remove = remove_object,
};
