/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool gc: the driver of both kinds of gc, and the backend of System
 * V segments, which are removed as the walk meets them (gc.h). */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "cmd/args.h"
#include "cmd/commands.h"
#include "cmd/gc.h"
#include "core/ipcns.h"
#include "core/names.h"
#include "core/orphan.h"
#include "core/segment.h"
#include "core/sysv.h"
#include "core/userns.h"
#include "lib/array.h"
#include "lib/parse.h"
#include "lib/util.h"
#include "out/format.h"
#include "out/gc-report.h"
#include "out/output.h"

#define CAP_SYS_ADMIN_BIT 21

static noreturn void usage(void)
{
	fputs("Usage: shmtool gc [options]\n"
	      "\n"
	      "Remove orphaned segments: nobody attached (nattch 0), not already removed,\n"
	      "and idle for longer than the grace period. Each one is removed right\n"
	      "after the kernel reported it unattached; with --interactive it is read\n"
	      "again after the answer and kept if it changed or got attached.\n"
	      "\n"
	      "Selection:\n"
	      "      --older-than DUR    idle for longer than DUR: 90s, 15m, 2h, 7d, or\n"
	      "                          seconds (default 5m; 0 turns the grace off)\n"
	      "  -u, --user USER         only segments owned by USER (name or uid)\n"
	      "      --creator-gone      only segments whose creator no longer runs\n"
	      "      --key KEY           only the segment with KEY\n"
	      "      --private           only private segments (key 0)\n"
	      "      --keyed             only segments with a key\n"
	      "      --min-size SIZE     only segments of SIZE or more\n"
	      "      --exclude-key KEY   never remove the segment with KEY (repeatable)\n"
	      "      --unit UNIT         only segments whose running creator is in the\n"
	      "                          systemd unit UNIT (see shmtool-list --unit)\n"
	      "      --container ID      only segments whose running creator is in a\n"
	      "                          container whose id begins with ID (or RUNTIME://ID)\n"
	      "  -A, --all-namespaces    in every IPC namespace that a process on the host\n"
	      "                          is in, NS first\n"
	      "      --posix             POSIX shared memory objects (/dev/shm) instead:\n"
	      "                          those neither mapped nor open, by age of mtime\n"
	      "      --exclude NAME      with --posix: never remove NAME or /NAME (repeatable)\n"
	      "\n"
	      "Action:\n"
	      "      --dry-run           remove nothing; show what would go\n"
	      "  -i, --interactive       ask before each removal (answers on stdin)\n"
	      "      --force             with --posix: remove even while some processes\n"
	      "                          cannot be inspected (one of them may use the object)\n"
	      "\n"
	      "Output:\n"
	      "  -q, --quiet             print nothing but errors\n"
	      COLUMN_HELP
	      "  -J, --json              JSON output, with a summary\n"
	      OUTPUT_HELP
	      "  -h, --help              show this help and exit\n"
	      "\n"
	      "Default columns: ID,KEY,OWNER,SIZE,AGE,CPID,COMMAND,LPID,LCOMMAND,ACTION,REASON\n"
	      "With -A: NS first\n"
	      "With --posix: NAME,SIZE,OWNER,MTIME,USE,ACTION,REASON\n", stdout);
	exit_help();
}

enum {
	OPT_OLDER_THAN = OPT_OUTPUT_FIRST_FREE,
	/* from here to OPT_EXCLUDE_KEY: for segments only, not with --posix */
	OPT_CREATOR_GONE,
	OPT_KEY,
	OPT_PRIVATE,
	OPT_KEYED,
	OPT_UNIT,
	OPT_CONTAINER,
	OPT_EXCLUDE_KEY,
	OPT_MIN_SIZE,
	OPT_DRY_RUN,
	OPT_POSIX,
	OPT_EXCLUDE,
	OPT_FORCE,
};

static const char shortopts[] = OUTPUT_SHORTOPTS COLUMN_SHORTOPTS "Au:iqh";

static const struct option longopts[] = {
	OUTPUT_LONGOPTS,
	{ "older-than",   required_argument, NULL, OPT_OLDER_THAN },
	{ "user",         required_argument, NULL, 'u' },
	{ "creator-gone", no_argument,       NULL, OPT_CREATOR_GONE },
	{ "key",          required_argument, NULL, OPT_KEY },
	{ "private",      no_argument,       NULL, OPT_PRIVATE },
	{ "keyed",        no_argument,       NULL, OPT_KEYED },
	{ "min-size",     required_argument, NULL, OPT_MIN_SIZE },
	{ "exclude-key",  required_argument, NULL, OPT_EXCLUDE_KEY },
	{ "unit",         required_argument, NULL, OPT_UNIT },
	{ "container",    required_argument, NULL, OPT_CONTAINER },
	{ "all-namespaces", no_argument,     NULL, 'A' },
	{ "dry-run",      no_argument,       NULL, OPT_DRY_RUN },
	{ "posix",        no_argument,       NULL, OPT_POSIX },
	{ "exclude",      required_argument, NULL, OPT_EXCLUDE },
	{ "force",        no_argument,       NULL, OPT_FORCE },
	{ "interactive",  no_argument,       NULL, 'i' },
	{ "quiet",        no_argument,       NULL, 'q' },
	COLUMN_LONGOPTS,
	{ "help",         no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* options that may not be given together: --quiet prints no table */
static const struct excl_group excl[] = {
	{ { OPT_DRY_RUN, 'i' } },
	{ { OPT_PRIVATE, OPT_KEYED } },
	/* the owner is told by the running creator only */
	{ { OPT_CREATOR_GONE, OPT_UNIT } },
	{ { OPT_CREATOR_GONE, OPT_CONTAINER } },
	{ { 'q', 'J' } },
	{ { 'q', 'r' } },
	{ { 'q', 'e' } },
	{ { 'q', 'o' } },
	{ { 'q', OPT_OUTPUT_ALL } },
};

/* ---- the driver ---- */

static bool ask(const struct gc_run *run, const void *cand)
{
	char name[GC_NAME_SIZE], detail[GC_DETAIL_SIZE], line[64];

	run->be->describe(run, cand, name, detail);
	fprintf(stderr, "remove %s (%s)? [y/N] ", name, detail);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

/* What becomes of a candidate: a gc_outcome, or a negative errno. */
static int decide(struct gc_run *run, const void *cand, enum gc_reason *why)
{
	*why = run->hold;
	if (run->hold != GC_WHY_NONE)
		return GC_OUT_SKIPPED;
	if (run->dry_run) {
		if (run->be->may_remove(run, cand))
			return GC_OUT_WOULD_REMOVE;
		*why = GC_WHY_PERMISSION;
		return GC_OUT_SKIPPED;
	}
	if (run->interactive && !ask(run, cand)) {
		*why = GC_WHY_DECLINED;
		return GC_OUT_SKIPPED;
	}
	return run->be->remove(run, cand, why);
}

bool gc_select(struct gc_run *run, enum gc_verdict verdict)
{
	run->tally.kept_young += verdict == GC_YOUNG;
	run->tally.excluded += verdict == GC_EXCLUDED;
	return verdict == GC_CANDIDATE || verdict == GC_CREATOR_UNKNOWN;
}

int gc_take(struct gc_run *run, const void *cand, uint64_t size, enum gc_verdict verdict)
{
	enum gc_reason why = GC_WHY_CREATOR_UNKNOWN;
	int out = GC_OUT_SKIPPED;

	if (verdict == GC_CANDIDATE)
		out = decide(run, cand, &why);
	if (out < 0)
		return out;
	gc_tally_add(&run->tally, size, out, why);
	/* what cannot be seen may be in use: not removing it is a failure */
	if (out == GC_OUT_FAILED || (why == GC_WHY_USE_UNKNOWN && !run->dry_run))
		run->failed = true;
	if (out == GC_OUT_FAILED && run->quiet) {
		char name[GC_NAME_SIZE], detail[GC_DETAIL_SIZE];

		run->be->describe(run, cand, name, detail);
		warnx("cannot remove %s: %s", name, gc_reason_text(&run->tally, why));
	}
	if (run->quiet)
		return 0;       /* no table: the rows are not kept */
	if (ARRAY_RESERVE(run->action, run->action_cap, run->nrows + 1) ||
	    ARRAY_RESERVE(run->reason, run->reason_cap, run->nrows + 1))
		return -ENOMEM;
	run->action[run->nrows] = gc_outcome_text(out);
	run->reason[run->nrows++] = gc_reason_text(&run->tally, why);
	return 0;
}

int gc_report(struct gc_run *run, const void *rows, size_t n,
	      int (*print_rows)(const struct gc_run *run, const void *rows, size_t n,
				const struct render_opts *ro))
{
	const struct output_opts *oo = run->oo;
	struct render_opts ro;
	int rc = 0;

	if (run->quiet)
		return 0;
	if (ARRAY_RESERVE(run->action, run->action_cap, n) ||
	    ARRAY_RESERVE(run->reason, run->reason_cap, n))
		err(EXIT_FAIL, "cannot allocate memory");
	for (; run->nrows < n; run->nrows++)
		run->action[run->nrows] = run->reason[run->nrows] = NULL;
	output_render_opts(oo, run->names, &ro);
	ro.action = run->action;
	ro.reason = run->reason;
	if (n || oo->json)
		rc = print_rows(run, rows, n, &ro);
	/* JSON: the summary is a second document */
	if (!rc && oo->json)
		rc = gc_tally_print_table(&run->tally, oo);
	if (rc)
		warnx("cannot print the table: %s", strerror(-rc));
	if (!oo->json)
		gc_tally_print(&run->tally, run->be->what);
	return rc ? -1 : 0;
}

/* ---- System V segments ---- */

struct sysv_gc {
	bool privileged;                /* CAP_SYS_ADMIN over the namespace */
	time_t now;
	struct shm_vec segs;            /* the table's rows */
	uint64_t ipcns;                 /* the namespace being read: NS column */
	struct render_opts ro;          /* the owner filters' view of processes */
	size_t untold;                  /* candidates of no owner that can be told */
};

static void describe_segment(const struct gc_run *run, const void *cand, char *name,
			     char *detail)
{
	const struct shm_segment *s = cand;
	char human[32];

	fmt_size_human(human, sizeof(human), s->size);
	/* with -A the same id is in many namespaces */
	if (run->all_ns)
		snprintf(name, GC_NAME_SIZE, "segment %d of IPC namespace %llu", s->id,
			 (unsigned long long)s->ipcns);
	else
		snprintf(name, GC_NAME_SIZE, "segment %d", s->id);
	snprintf(detail, GC_DETAIL_SIZE, "key 0x%08x, %s", seg_key_u32(s), human);
}
static bool may_remove_segment(struct gc_run *run, const void *cand)
{
	const struct sysv_gc *g = run->priv;

	return gc_may_remove(cand, run->euid, g->privileged);
}

/* Remove a candidate that was read a moment ago by the walk. After a
 * question (--interactive) time has passed: read it again by id first and
 * remove it only if it is still the orphan that was seen. */
static int remove_segment(struct gc_run *run, const void *cand, enum gc_reason *why)
{
	const struct shm_segment *s = cand;
	struct shm_segment now;
	int rc;

	if (!run->interactive)
		goto remove;
	rc = sysv_stat(s->id, &now);
	if (rc == -EINVAL || rc == -EIDRM) {
		*why = GC_WHY_GONE;
		return GC_OUT_SKIPPED;
	}
	if (rc) {
		*why = rc == -EACCES ? GC_WHY_PERMISSION : GC_WHY_ERROR;
		return GC_OUT_FAILED;
	}
	switch (gc_recheck(s, &now)) {
	case GC_RECHECK_ATTACHED:
		*why = GC_WHY_IN_USE;
		return GC_OUT_SKIPPED;
	case GC_RECHECK_REPLACED:
		*why = GC_WHY_REPLACED;
		return GC_OUT_SKIPPED;
	case GC_RECHECK_DEST:
		*why = GC_WHY_REMOVED_ELSEWHERE;
		return GC_OUT_SKIPPED;
	case GC_RECHECK_OK:
		break;
	}
remove:
	rc = sysv_remove(s->id);
	if (rc == -EINVAL || rc == -EIDRM) {
		*why = GC_WHY_GONE;
		return GC_OUT_SKIPPED;
	}
	if (rc) {
		*why = rc == -EPERM || rc == -EACCES ? GC_WHY_PERMISSION : GC_WHY_ERROR;
		return GC_OUT_FAILED;
	}
	return GC_OUT_REMOVED;
}

/* Whether s passes --unit and --container: by the cgroup of its creator
 * while it runs, as nobody is attached to an orphan. One whose owner
 * cannot be told is left out, and counted when it would otherwise be
 * removed. */
static bool owned(struct gc_run *run, const struct shm_segment *s, enum gc_verdict verdict)
{
	struct sysv_gc *g = run->priv;
	bool told_unit = true, told_ct = true;
	bool ok = (!run->unit || column_owner_matches(COL_UNIT, s, &g->ro, run->unit,
						      &told_unit)) &&
		  (!run->container || column_owner_matches(COL_CONTAINER, s, &g->ro,
							   run->container, &told_ct));

	if ((!told_unit || !told_ct) && verdict == GC_CANDIDATE)
		g->untold++;
	return ok;
}

/* One pass over the segments: each is classified, and a candidate
 * removed, right after the kernel reported it. */
static int visit(const struct shm_segment *s, void *arg)
{
	struct gc_run *run = arg;
	struct sysv_gc *g = run->priv;
	enum proc_match creator = run->filter.creator_gone ?
		names_process(run->names, s->cpid, seg_creator_by(s)) : PROC_SAME;
	enum gc_verdict verdict = gc_classify(s, &run->filter, g->now, creator);
	struct shm_segment row = *s;
	int rc;

	if (verdict == GC_NOT_ORPHAN || verdict == GC_FILTERED)
		return 0;
	if ((run->unit || run->container) && !owned(run, s, verdict))
		return 0;
	if (!gc_select(run, verdict))
		return 0;
	row.ipcns = g->ipcns;
	rc = gc_take(run, &row, row.size, verdict);
	if (rc || run->quiet)
		return rc;
	return shm_vec_push(&g->segs, &row) ? -ENOMEM : 0;
}

static int print_segments(const struct gc_run *run, const void *rows, size_t n,
			  const struct render_opts *ro)
{
	return output_segments(run->oo, &run->cols, rows, n, ro);
}

/* The gc of the namespace this process is in (ns: the one of -A, else
 * NULL); 0, or -1 when its segments could not be read (said). */
static int gc_here(struct gc_run *run, const struct ipcns_info *ns)
{
	struct sysv_gc *g = run->priv;
	int rc;

	/* in this namespace, whose user namespace may be another */
	g->privileged = userns_ipc_capable(CAP_SYS_ADMIN_BIT);
	/* rss and swap: only /proc/sysvipc/shm has them, at a cost */
	rc = segments_each(columns_any(column_needs_memory, &run->cols) ? SEG_NEED_MEMORY : 0, visit,
			   run);
	if (!rc)
		return 0;
	if (ns)
		warnx("cannot read the segments of the IPC namespace of process %d: %s",
		      (int)ns->pid, strerror(-rc));
	else
		warnx("cannot read the segment list: %s", strerror(-rc));
	return -1;
}

/* -A: the whole gc of a namespace, its removals included, while inside it */
static int gc_ns(struct ipcns_info *ns, void *arg)
{
	struct gc_run *run = arg;
	struct sysv_gc *g = run->priv;

	g->ipcns = ns->inode;
	return gc_here(run, ns);
}

static int run_sysv(struct gc_run *run)
{
	struct sysv_gc g = { .now = time(NULL) };
	struct ipcns_vec nsv = { 0 };
	struct stat self_ns;
	int status = EXIT_OK;

	output_render_opts(run->oo, run->names, &g.ro);
	run->priv = &g;
	if (run->all_ns) {
		if (shm_ctx_each_ns_or_err(&nsv, gc_ns, run))
			status = EXIT_FAIL;
		ipcns_vec_free(&nsv);
	} else {
		g.ipcns = stat("/proc/self/ns/ipc", &self_ns) ? 0 : self_ns.st_ino;
		if (gc_here(run, NULL))
			status = EXIT_FAIL;
	}
	if (g.untold && !run->quiet)
		warnx("%zu orphan%s left out: no running creator tells %s owner", g.untold,
		      g.untold == 1 ? "" : "s", g.untold == 1 ? "its" : "their");
	if (gc_report(run, g.segs.v, g.segs.n, print_segments))
		status = EXIT_FAIL;
	shm_vec_free(&g.segs);
	return status;
}

static const struct column_list default_columns = {
	.ids = { COL_ID, COL_KEY, COL_OWNER, COL_SIZE, COL_AGE, COL_CPID, COL_COMMAND,
		 COL_LPID, COL_LCOMMAND, COL_ACTION, COL_REASON },
	.n = 11,
};

/* -A: the default columns with the namespace first */
static const struct column_list all_ns_columns = {
	.ids = { COL_IPCNS, COL_ID, COL_KEY, COL_OWNER, COL_SIZE, COL_AGE, COL_CPID, COL_COMMAND,
		 COL_LPID, COL_LCOMMAND, COL_ACTION, COL_REASON },
	.n = 12,
};

static const struct gc_backend sysv_backend = {
	.what = "segment",
	.scope = SCOPE_GC,
	.columns = &default_columns,
	.words = {
		.in_use_text = "attached since scan",
		.young_before = "idle for less than", .young_after = "",
		.exclude_option = "--exclude-key",
	},
	.run = run_sysv,
	.describe = describe_segment,
	.may_remove = may_remove_segment,
	.remove = remove_segment,
};

/* ---- the command ---- */

static void parse_key_or_err(const char *arg, int32_t *key)
{
	if (parse_key(arg, key))
		usage_errx("gc", "invalid key: '%s'", arg);
}

static int run_gc(int argc, char **argv, struct shm_ctx *ctx)
{
	struct output_opts oo = { 0 };
	struct gc_run run = { .filter.older_than = GC_DEFAULT_GRACE };
	int32_t *exclude = NULL;
	size_t nexclude = 0, exclude_cap = 0;
	bool posix = false;
	const char *sysv_only = NULL;   /* an option that --posix refuses */
	const char **exclude_names = NULL;
	size_t nexclude_names = 0, exclude_names_cap = 0;
	int c, li, status, excl_seen[EXCL_COUNT(excl)] = { 0 };

	while ((c = getopt_long(argc, argv, shortopts, longopts, &li)) != -1) {
		excl_check_or_err("gc", longopts, excl, EXCL_COUNT(excl), excl_seen, c);
		if (output_handle_option(&oo, c, optarg, "gc"))
			continue;
		/* long options only: li names the one given */
		if (c >= OPT_CREATOR_GONE && c <= OPT_EXCLUDE_KEY)
			sysv_only = longopts[li].name;
		if (c == 'A')
			sysv_only = "all-namespaces";
		switch (c) {
		case OPT_OLDER_THAN:
			if (parse_duration(optarg, &run.filter.older_than))
				usage_errx("gc", "invalid duration: '%s' (e.g. 90s, 15m, 2h, 7d)", optarg);
			break;
		case 'u':
			if (names_parse_user(optarg, &run.filter.uid))
				usage_errx("gc", "unknown user '%s'", optarg);
			run.filter.by_user = true;
			break;
		case OPT_CREATOR_GONE:
			run.filter.creator_gone = true;
			break;
		case OPT_KEY:
			parse_key_or_err(optarg, &run.filter.key);
			run.filter.by_key = true;
			break;
		case OPT_PRIVATE:
		case OPT_KEYED:
			run.filter.keys = c == OPT_PRIVATE ? GC_KEYS_PRIVATE : GC_KEYS_KEYED;
			break;
		case OPT_UNIT:
		case OPT_CONTAINER:
			if (!*optarg)
				usage_errx("gc", "an empty --%s names nothing", longopts[li].name);
			*(c == OPT_UNIT ? &run.unit : &run.container) = optarg;
			break;
		case 'A':
			run.all_ns = true;
			break;
		case OPT_MIN_SIZE:
			if (parse_size(optarg, &run.filter.min_size))
				usage_errx("gc", "invalid size: '%s'", optarg);
			break;
		case OPT_EXCLUDE_KEY:
			if (ARRAY_RESERVE(exclude, exclude_cap, nexclude + 1))
				err(EXIT_FAIL, "cannot allocate memory");
			parse_key_or_err(optarg, &exclude[nexclude++]);
			break;
		case OPT_POSIX:
			posix = true;
			break;
		case OPT_EXCLUDE:
			if (ARRAY_PUSH(exclude_names, nexclude_names, exclude_names_cap, optarg))
				err(EXIT_FAIL, "cannot allocate memory");
			break;
		case OPT_DRY_RUN:
			run.dry_run = true;
			break;
		case 'i':
			run.interactive = true;
			break;
		case OPT_FORCE:
			run.force = true;
			break;
		case 'q':
			run.quiet = true;
			break;
		case 'h':
			usage();
		default:
			usage_hint_option("gc", argv, longopts);
		}
	}
	if (optind < argc)
		usage_errx("gc", "unexpected argument '%s'", argv[optind]);
	if (nexclude_names && !posix)
		usage_errx("gc", "--exclude goes with --posix (segments: --exclude-key)");
	/* the kernel's nattch says who is attached to a segment: nothing to force */
	if (run.force && !posix)
		usage_errx("gc", "--force goes with --posix");
	if (posix && sysv_only)
		posix_refuse_or_err("gc", sysv_only);
	/* checked as every POSIX name is, kept without the leading slash */
	for (size_t i = 0; i < nexclude_names; i++)
		exclude_names[i] = posix_name_or_err(exclude_names[i], "gc");
	shm_ctx_refuse_all_or_err(ctx, "gc", run.all_ns);
	shm_ctx_enter_or_err(ctx, "gc", posix);
	run.be = posix ? &gc_posix_backend : &sysv_backend;
	if (oo.list_columns)
		return output_list_columns(&oo, run.be->scope) ? EXIT_FAIL : EXIT_OK;
	output_columns_or_err(&oo, run.all_ns ? &all_ns_columns : run.be->columns, run.be->scope,
			      &run.cols, "gc");
	/* JSON: with -A each row says its namespace */
	if (oo.json && run.all_ns)
		output_add_column_or_err(&run.cols, COL_IPCNS, "gc");
	run.ns = &ctx->ns;
	run.oo = &oo;
	run.filter.exclude = exclude;
	run.filter.nexclude = nexclude;
	run.filter.exclude_names = exclude_names;
	run.filter.nexclude_names = nexclude_names;
	run.tally = run.be->words;
	run.tally.dry_run = run.dry_run;
	run.tally.older_than = run.filter.older_than;
	run.euid = geteuid();
	run.names = names_new();
	if (!run.names)
		err(EXIT_FAIL, "cannot allocate memory");
	status = run.be->run(&run);
	if (run.failed)
		status = EXIT_FAIL;
	free(run.action);
	free(run.reason);
	free(exclude);
	free(exclude_names);
	names_free(run.names);
	return status;
}

const struct command cmd_gc = {
	.name = "gc",
	.run = run_gc,
	.summary = "remove orphaned segments, safely",
};
