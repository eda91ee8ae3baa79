/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gc --posix: the objects of /dev/shm that no process maps or holds open
 * (list --posix's scan), removed with unlinkat on the directory after a
 * second look at each: the same file (lstat: dev, inode, size, mtime),
 * still a regular file, and still unused (a fresh /proc scan). */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/gc-posix.h"
#include "core/as-target.h"
#include "core/names.h"
#include "core/posix-shm.h"
#include "core/procfs.h"
#include "core/userns.h"
#include "lib/util.h"
#include "out/format.h"
#include "out/gc-report.h"

#define CAP_FOWNER_BIT 3

static const struct column_list default_columns = {
	.ids = { COL_PX_NAME, COL_PX_SIZE, COL_PX_OWNER, COL_PX_MTIME, COL_PX_USE,
		 COL_ACTION, COL_REASON },
	.n = 7,
};

struct run {
	const struct gc_posix_args *a;
	int dfd;                        /* the directory, O_NOFOLLOW */
	struct stat dir;
	bool dir_writable, cap_fowner;
	bool use_unknown;               /* the scan missed processes, no --force */
	uid_t euid;
	struct gc_tally tally;          /* for the summary */
	bool failed;
};

/* The name lstat'ed again, relative to the directory: 0 and *now, or
 * -errno. */
static int restat(const struct run *r, const char *name, struct posix_obj *now, bool *regular)
{
	struct stat st;
	int rc = as_target_fstatat(r->a->ns, r->dfd, name, &st, AT_SYMLINK_NOFOLLOW);

	if (rc)
		return rc;
	posix_obj_from_stat(now, &st);
	now->name = (char *)name;
	*regular = S_ISREG(st.st_mode);
	return 0;
}

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

static bool ask(const struct posix_obj *o)
{
	char human[32], name[256], line[64];
	size_t len = strlen(o->name);

	fmt_size_human(human, sizeof(human), o->size);
	sanitize(o->name, len < 63 ? len : 63, name, false);
	fprintf(stderr, "remove POSIX object %s (%s)? [y/N] ", name, human);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

/* Remove one candidate, `use` being its use from the fresh scan. */
static enum gc_outcome remove_one(struct run *r, const struct posix_obj *o, unsigned int use,
				  enum gc_reason *why)
{
	struct posix_obj now;
	bool regular = false;
	int rc = restat(r, o->name, &now, &regular);

	if (rc && rc != -ENOENT) {
		*why = rc == -EACCES ? GC_WHY_PERMISSION : GC_WHY_ERROR;
		return GC_OUT_FAILED;
	}
	now.use = use;
	switch (gc_posix_recheck(o, rc ? NULL : &now, regular)) {
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
	rc = as_target_unlinkat(r->a->ns, r->dfd, o->name);
	if (rc) {
		if (rc == -ENOENT) {
			*why = GC_WHY_GONE;
			return GC_OUT_SKIPPED;
		}
		*why = rc == -EPERM || rc == -EACCES ? GC_WHY_PERMISSION : GC_WHY_ERROR;
		return GC_OUT_FAILED;
	}
	*why = GC_WHY_NONE;
	return GC_OUT_REMOVED;
}

static void count(struct run *r, const struct posix_obj *o, enum gc_outcome out,
		  enum gc_reason why)
{
	gc_tally_add(&r->tally, o->size, out,
		     why);
	if (out == GC_OUT_FAILED || (why == GC_WHY_USE_UNKNOWN && !r->a->dry_run))
		r->failed = true;
	if (out == GC_OUT_FAILED && r->a->quiet) {
		char name[256];
		size_t len = strlen(o->name);

		sanitize(o->name, len < 63 ? len : 63, name, false);
		warnx("cannot remove POSIX object %s: %s", name, gc_reason_text(&r->tally, why));
	}
}

/* Decide (and with no --dry-run, do) each candidate's removal. */
static int act(struct run *r, const struct posix_vec *c, const char **action,
	       const char **reason)
{
	unsigned int *uses = calloc(c->n ? c->n : 1, sizeof(*uses));
	int rc = 0;

	if (!uses)
		return -ENOMEM;
	bool incomplete = false;

	/* without questions: one fresh scan for all, just before the
	 * removals; one that misses processes now holds back as the first */
	if (!r->a->dry_run && !r->a->interactive && !r->use_unknown)
		rc = rescan(c->v, c->n, uses, &incomplete);
	if (incomplete && !r->a->force)
		warnx("the scan before removal could not see every process: nothing removed "
		      "(--force removes all the same)");
	for (size_t i = 0; !rc && i < c->n; i++) {
		const struct posix_obj *o = &c->v[i];
		enum gc_outcome out = GC_OUT_WOULD_REMOVE;
		enum gc_reason why = GC_WHY_NONE;

		if (r->use_unknown || (incomplete && !r->a->force)) {
			out = GC_OUT_SKIPPED;
			why = GC_WHY_USE_UNKNOWN;
		} else if (r->a->dry_run) {
			if (!gc_posix_may_unlink(o, r->dir.st_uid, r->dir.st_mode, r->dir_writable,
						 r->euid, r->cap_fowner &&
						 userns_file_ids_mapped(o->uid, o->gid))) {
				out = GC_OUT_SKIPPED;
				why = GC_WHY_PERMISSION;
			}
		} else if (r->a->interactive && !ask(o)) {
			out = GC_OUT_SKIPPED;
			why = GC_WHY_DECLINED;
		} else if (r->a->interactive && (rc = rescan(o, 1, &uses[i], &incomplete))) {
			break;
		} else if (incomplete && !r->a->force) {
			out = GC_OUT_SKIPPED;
			why = GC_WHY_USE_UNKNOWN;
		} else {
			out = remove_one(r, o, uses[i], &why);
		}
		action[i] = gc_outcome_text(out);
		reason[i] = gc_reason_text(&r->tally, why);
		count(r, o, out, why);
	}
	free(uses);
	return rc;
}

/* Keep the candidates of objs (the others are counted and dropped). */
static void select_candidates(struct run *r, struct posix_vec *objs)
{
	time_t now = time(NULL);
	size_t kept = 0;

	for (size_t i = 0; i < objs->n; i++) {
		struct posix_obj *o = &objs->v[i];

		switch (gc_classify_posix(o, &r->a->filter, now)) {
		case GC_CANDIDATE:
			objs->v[kept++] = *o;
			continue;
		case GC_YOUNG:
			r->tally.kept_young++;
			break;
		case GC_EXCLUDED:
			r->tally.excluded++;
			break;
		case GC_NOT_ORPHAN:
		case GC_FILTERED:
		case GC_CREATOR_UNKNOWN:        /* System V only */
			break;
		}
		free(o->name);
	}
	objs->n = kept;
	qsort(objs->v, objs->n, sizeof(objs->v[0]), posix_obj_cmp_name);
}

static int print_table(struct run *r, const struct column_list *cols,
		       const struct posix_vec *c, const char **action, const char **reason)
{
	const struct output_opts *oo = &r->a->oo;
	struct name_cache *names = names_new();
	struct render_opts ro;
	int rc = 0;

	if (!names)
		err(EXIT_FAIL, "cannot allocate memory");
	output_render_opts(oo, names, &ro);
	ro.action = action;
	ro.reason = reason;
	if (c->n || oo->json)
		rc = output_posix(oo, cols, c->v, c->n, &ro);
	/* JSON: the summary is a second document */
	if (!rc && oo->json)
		rc = gc_tally_print_table(&r->tally, oo);
	if (rc)
		warnx("cannot print the table: %s", strerror(-rc));
	if (!oo->json)
		gc_tally_print(&r->tally, "object");
	names_free(names);
	return rc;
}

int gc_posix(const struct gc_posix_args *a)
{
	struct column_list cols = default_columns;
	struct run r = {
		.a = a, .dfd = -1,
		.tally = {
			.dry_run = a->dry_run, .older_than = a->filter.older_than,
			.in_use_text = "in use since scan",
			.young_before = "changed less than", .young_after = " ago",
			.exclude_option = "--exclude",
		},
	};
	struct posix_vec objs = { 0 };
	const char **action = NULL, **reason = NULL;
	char dir[64];
	int rc, status = EXIT_OK;

	if (a->oo.list_columns)
		return output_list_columns(&a->oo, SCOPE_GC_POSIX) ? EXIT_FAIL : EXIT_OK;
	output_columns_or_err(&a->oo, &default_columns, SCOPE_GC_POSIX, &cols, "gc");

	posix_shm_dir(a->ns, dir, sizeof(dir));
	r.dfd = posix_shm_dir_open(a->ns);
	if (r.dfd < 0 || fstat(r.dfd, &r.dir)) {
		warnx("cannot open %s: %s", dir, posix_shm_dir_problem(r.dfd < 0 ? r.dfd : -errno));
		if (r.dfd >= 0)
			close(r.dfd);
		return EXIT_FAIL;
	}
	r.dir_writable = as_target_faccessat(a->ns, r.dfd, ".", W_OK | X_OK, AT_EACCESS) == 0;
	r.euid = geteuid();
	r.cap_fowner = procfs_self_has_cap(CAP_FOWNER_BIT);
	/* in another process's namespace it is that process's right that
	 * counts (as-target.h) */
	rc = as_target_identity(a->ns, &r.euid, &r.cap_fowner);
	if (rc < 0) {
		warnx("cannot act as the --ipc-ns process: %s", strerror(-rc));
		close(r.dfd);
		return EXIT_FAIL;
	}

	rc = posix_load(a->ns, r.dfd, &objs);
	if (rc) {
		warnx("cannot read %s: %s", dir, strerror(-rc));
		goto out_fail;
	}
	rc = posix_scan_use(&objs);
	if (rc) {
		/* without the scan every object would look unused */
		warnx("cannot scan /proc for the processes using them: %s", strerror(-rc));
		goto out_fail;
	}
	/* cannot see is not gone: a process not seen may use any object */
	r.use_unknown = posix_scan_incomplete(&objs) && !a->force;
	posix_warn_incomplete(&objs, r.use_unknown ?
			      "nothing is removed, as any object may be in use (--force removes anyway)" :
			      "an object they use may be removed");
	select_candidates(&r, &objs);
	action = calloc(objs.n ? objs.n : 1, sizeof(*action));
	reason = calloc(objs.n ? objs.n : 1, sizeof(*reason));
	if (!action || !reason)
		err(EXIT_FAIL, "cannot allocate memory");
	rc = act(&r, &objs, action, reason);
	if (rc) {
		warnx("cannot scan /proc again before removal: %s", strerror(-rc));
		status = EXIT_FAIL;
	}
	if (!a->quiet && print_table(&r, &cols, &objs, action, reason))
		status = EXIT_FAIL;
	if (r.failed)
		status = EXIT_FAIL;
	free(action);
	free(reason);
	posix_vec_free(&objs);
	close(r.dfd);
	return status;
out_fail:
	posix_vec_free(&objs);
	close(r.dfd);
	return EXIT_FAIL;
}
