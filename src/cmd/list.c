/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool list: a table of every segment. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "core/attach.h"
#include "core/ipcns.h"
#include "core/names.h"
#include "core/posix-shm.h"
#include "core/segment.h"
#include "lib/array.h"
#include "lib/parse.h"
#include "lib/util.h"
#include "out/output.h"

static const struct column_list default_columns = {
	.ids = { COL_KEY, COL_ID, COL_OWNER, COL_PERMS, COL_SIZE, COL_NATTCH,
		 COL_STATUS, COL_CTIME, COL_CPID, COL_LPID, COL_COMMAND },
	.n = 11,
};

static noreturn void usage(void)
{
	fputs("Usage: shmtool list [options]\n"
	      "\n"
	      "List the System V shared memory segments of this IPC namespace.\n"
	      "\n"
	      "  -A, --all-namespaces    the segments of every IPC namespace that a\n"
	      "                          process on the host is in, NS first; with\n"
	      "                          --posix the objects of the /dev/shm of every\n"
	      "                          mount namespace, each file system once\n"
	      "\n"
	      "Filters:\n"
	      "      --orphaned          only segments nobody is attached to (and not removed)\n"
	      "  -u, --user USER         only segments owned by USER (name or uid)\n"
	      "      --key KEY           only the segment with KEY (hex 0x..., octal or decimal)\n"
	      "      --unit UNIT         only segments of the systemd unit UNIT (see UNIT)\n"
	      "      --container ID      only segments of containers whose id begins with ID\n"
	      "                          (or RUNTIME://ID; see CONTAINER)\n"
	      "      --posix             POSIX shared memory objects (/dev/shm) instead;\n"
	      "                          --orphaned: neither mapped nor open\n"
	      "\n"
	      "Output:\n"
	      COLUMN_HELP
	      "      --sort [-]COLUMN    sort by COLUMN (-COLUMN: largest first)\n"
	      "      --reverse           sort the other way round\n"
	      "  -J, --json              JSON output (numbers as numbers, unknown as null)\n"
	      OUTPUT_HELP
	      "  -h, --help              show this help and exit\n"
	      "\n"
	      "Default columns: KEY,ID,OWNER,PERMS,SIZE,NATTCH,STATUS,CTIME,CPID,LPID,COMMAND\n"
	      "With --posix: NAME,SIZE,OWNER,PERMS,MTIME,USE,NPROCS\n"
	      "See shmtool(1) for the column list.\n", stdout);
	exit_help();
}

enum {
	OPT_ORPHANED = OPT_OUTPUT_FIRST_FREE,
	OPT_KEY,
	OPT_SORT,
	OPT_REVERSE,
	OPT_POSIX,
	OPT_UNIT,
	OPT_CONTAINER,
};

/* -A: the default columns with the namespace first */
static const struct column_list all_ns_columns = {
	.ids = { COL_IPCNS, COL_KEY, COL_ID, COL_OWNER, COL_PERMS, COL_SIZE, COL_NATTCH,
		 COL_STATUS, COL_CTIME, COL_CPID, COL_LPID, COL_COMMAND },
	.n = 12,
};

static const char shortopts[] = OUTPUT_SHORTOPTS COLUMN_SHORTOPTS "Au:h";

static const struct option longopts[] = {
	OUTPUT_LONGOPTS,
	COLUMN_LONGOPTS,
	{ "sort",         required_argument, NULL, OPT_SORT },
	{ "reverse",      no_argument,       NULL, OPT_REVERSE },
	{ "orphaned",     no_argument,       NULL, OPT_ORPHANED },
	{ "user",         required_argument, NULL, 'u' },
	{ "key",          required_argument, NULL, OPT_KEY },
	{ "posix",        no_argument,       NULL, OPT_POSIX },
	{ "all-namespaces", no_argument,     NULL, 'A' },
	{ "unit",         required_argument, NULL, OPT_UNIT },
	{ "container",    required_argument, NULL, OPT_CONTAINER },
	{ "help",         no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* options that may not be given together */
static const struct excl_group excl[] = {
	{ { OPT_POSIX, OPT_KEY } },
	{ { OPT_POSIX, OPT_SORT } },
	{ { OPT_POSIX, OPT_REVERSE } },
	{ { OPT_POSIX, OPT_UNIT } },
	{ { OPT_POSIX, OPT_CONTAINER } },
};

struct filter {
	bool orphaned;
	bool by_user;
	uid_t uid;
	bool by_key;
	int32_t key;
	const char *unit;       /* by owner: after the /proc scan */
	const char *container;
};

static bool selected(const struct filter *f, const struct shm_segment *s)
{
	if (f->orphaned && !seg_is_orphaned(s))
		return false;
	if (f->by_user && s->uid != f->uid)
		return false;
	if (f->by_key && s->key != f->key)
		return false;
	return true;
}

/* The owner filters, once the attached processes are known: the rows
 * of segs that pass, kept in order. Says how many could not be told
 * (no running creator, nobody attached). */
static void select_owned(const struct filter *f, struct shm_vec *segs,
			 const struct render_opts *ro)
{
	size_t kept = 0, untold = 0;

	for (size_t i = 0; i < segs->n; i++) {
		bool told_unit = true, told_ct = true;
		bool ok = (!f->unit || column_owner_matches(COL_UNIT, &segs->v[i], ro, f->unit,
							      &told_unit)) &&
			  (!f->container || column_owner_matches(COL_CONTAINER, &segs->v[i], ro,
								   f->container, &told_ct));

		if (!told_unit || !told_ct)
			untold++;
		if (ok)
			segs->v[kept++] = segs->v[i];
	}
	segs->n = kept;
	if (untold)
		warnx("%zu segment%s left out: no running creator nor attached process "
		      "tells %s owner", untold, untold == 1 ? "" : "s", untold == 1 ? "its" : "their");
}

/* The selected segments as they are read: rendered into the table at
 * once, or kept in an array when --sort or the /proc scan needs them all
 * first (table NULL). */
struct take_ctx {
	const struct filter *flt;
	struct seg_table *table;
	struct shm_vec *segs;
	uint64_t ipcns;         /* the namespace being read */
	bool render_failed;     /* the error came from the table, not the read */
};

static int take_selected(const struct shm_segment *s, void *arg)
{
	struct take_ctx *tc = arg;
	struct shm_segment row = *s;
	int rc;

	if (!selected(tc->flt, s))
		return 0;
	row.ipcns = tc->ipcns;
	if (!tc->table)
		return shm_vec_push(tc->segs, &row);
	rc = seg_table_add(tc->table, &row);
	tc->render_failed = rc != 0;
	return rc;
}

/* How the rows are read: in this namespace, or (-A) in each. */
struct read_ctx {
	struct take_ctx *tc;
	unsigned int flags;             /* for segments_each */
	bool attach;                    /* the /proc scan of each namespace */
	bool attach_failed;             /* one could not be done (said) */
	struct attach_table *tables;    /* -A: one scan per namespace */
	size_t ntables, captables;
};

/* The selected segments of the namespace this process is in (ns: the
 * one of -A, else NULL), with its scan of attached processes if asked. */
static int read_here(struct read_ctx *rc, const struct ipcns_info *ns,
		     struct attach_table *attach)
{
	struct shm_vec *segs = rc->tc->segs;
	size_t first = segs->n;
	int read = segments_each(rc->flags, take_selected, rc->tc);

	if (read && !rc->tc->render_failed) {
		if (ns)
			warnx("cannot read the segments of the IPC namespace of process %d: %s",
			      (int)ns->pid, strerror(-read));
		else
			warnx("cannot read the segment list: %s", strerror(-read));
	}
	/* no segment selected here: no /proc walk for it */
	if (!read && rc->attach && segs->n > first &&
	    !attach_scan_segments(attach, segs->v + first, segs->n - first))
		rc->attach_failed = true;
	return read;
}

static int read_ns(struct ipcns_info *ns, void *arg)
{
	struct read_ctx *rc = arg;
	struct attach_table t = { 0 };
	int read;

	if (rc->tc->render_failed)
		return -EIO;            /* said once the table is done */
	rc->tc->ipcns = ns->inode;
	read = read_here(rc, ns, &t);
	if (t.ns && ARRAY_PUSH(rc->tables, rc->ntables, rc->captables, t))
		err(EXIT_FAIL, "cannot allocate memory");
	return read;
}

struct sort_ctx {
	int col;
	bool descending;
	struct render_opts ro;
};

/* By the column, then by namespace and id; descending turns the whole
 * order round. */
static int sort_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *sc = arg;
	int r = column_compare(sc->col, a, b, &sc->ro);

	if (!r)
		r = column_compare(COL_IPCNS, a, b, &sc->ro);
	if (!r)
		r = column_compare(COL_ID, a, b, &sc->ro);
	return sc->descending ? -r : r;
}

static const struct column_list posix_columns = {
	.ids = { COL_PX_NAME, COL_PX_SIZE, COL_PX_OWNER, COL_PX_PERMS, COL_PX_MTIME,
		 COL_PX_USE, COL_PX_NPROCS },
	.n = 7,
};

/* -A --posix: the namespace first */
static const struct column_list posix_all_columns = {
	.ids = { COL_PX_NS, COL_PX_NAME, COL_PX_SIZE, COL_PX_OWNER, COL_PX_PERMS, COL_PX_MTIME,
		 COL_PX_USE, COL_PX_NPROCS },
	.n = 8,
};

/* The objects of the /dev/shm of every mount namespace, each file system
 * once: 0, or -1 when one could not be read (said). */
static int load_posix_all(struct posix_vec *objs)
{
	struct posix_mntns_vec mv = { 0 };
	dev_t *seen;
	size_t nseen = 0;
	int rc = posix_mntns_scan(&mv), failed = 0;

	if (rc)
		errx(EXIT_FAIL, "cannot scan /proc for mount namespaces: %s", strerror(-rc));
	if (mv.denied)
		warnx("cannot inspect %lu process%s (permission denied): some mount namespaces "
		      "may be missing", mv.denied, mv.denied == 1 ? "" : "es");
	seen = alloc_or_err(calloc(mv.n ? mv.n : 1, sizeof(*seen)));
	for (size_t i = 0; i < mv.n; i++) {
		struct posix_mntns *m = &mv.v[i];
		char dir[64];

		rc = posix_mntns_load(m, objs, seen, nseen);
		/* gone meanwhile, or no /dev/shm there: nothing to list */
		if (rc == -ESRCH || rc == -ENOENT)
			continue;
		if (rc == -ENOMEM)
			err(EXIT_FAIL, "cannot allocate memory");
		if (rc) {
			snprintf(dir, sizeof(dir), "/proc/%d/root" POSIX_SHM_DIR, (int)m->pid);
			warnx("cannot read %s (mount namespace %llu): %s", dir,
			      (unsigned long long)m->inode, posix_shm_dir_problem(rc));
			failed = -1;
		} else if (!m->shared) {
			seen[nseen++] = m->dev;
		}
	}
	free(seen);
	posix_mntns_vec_free(&mv);
	return failed;
}

/* By namespace, then by name. */
static int cmp_ns_name(const void *a, const void *b)
{
	const struct posix_obj *x = a, *y = b;

	if (x->mntns != y->mntns)
		return x->mntns < y->mntns ? -1 : 1;
	return posix_obj_cmp_name(a, b);
}

/* list --posix: the objects of /dev/shm, or of the mount namespace of the
 * process --ipc-ns named, or (-A) of every mount namespace. */
static int list_posix(struct ipcns_target *ns, const struct output_opts *oo,
		      const struct column_list *cols, const struct filter *flt, bool all)
{
	struct posix_vec objs = { 0 };
	struct name_cache *names;
	struct render_opts ro;
	char dir[64];
	int dfd, rc, status = EXIT_OK;
	size_t kept = 0;

	if (all) {
		if (load_posix_all(&objs))
			status = EXIT_FAIL;
	} else {
		posix_shm_dir(ns, dir, sizeof(dir));
		dfd = posix_shm_dir_open(ns);
		rc = dfd < 0 ? dfd : posix_load(ns, dfd, &objs);
		if (dfd >= 0)
			close(dfd);
		if (rc) {
			warnx("cannot read %s: %s", dir, posix_shm_dir_problem(rc));
			posix_vec_free(&objs);
			return EXIT_FAIL;
		}
	}
	/* the names, sizes and owners are in the directory: /proc is
	 * scanned only for what shows or filters by use; each process that
	 * uses an object is kept only for the owner columns */
	objs.want_holders = columns_any(column_is_posix_owner, cols);
	rc = flt->orphaned || columns_any(column_needs_posix_use, cols) ? posix_scan_use(&objs) : 0;
	if (rc) {
		warnx("cannot scan /proc for the processes using them: %s", strerror(-rc));
		status = EXIT_FAIL;
	} else {
		posix_warn_incomplete(&objs, "an object shown unused may be in use");
	}
	for (size_t i = 0; i < objs.n; i++) {
		struct posix_obj *o = &objs.v[i];

		if ((flt->orphaned && o->use) || (flt->by_user && o->uid != flt->uid)) {
			free(o->name);
			continue;
		}
		objs.v[kept++] = *o;
	}
	objs.n = kept;
	qsort(objs.v, objs.n, sizeof(objs.v[0]), all ? cmp_ns_name : posix_obj_cmp_name);
	names = alloc_or_err(names_new());
	output_render_opts(oo, names, &ro);
	rc = output_posix(oo, cols, objs.v, objs.n, &ro);
	if (rc) {
		warnx("cannot print the table: %s", strerror(-rc));
		status = EXIT_FAIL;
	}
	names_free(names);
	posix_vec_free(&objs);
	return status;
}

static int run_list(int argc, char **argv, struct shm_ctx *ctx)
{
	struct output_opts oo = { 0 };
	struct column_list cols;
	struct filter flt = { 0 };
	struct shm_vec segs = { 0 };
	struct attach_table attach = { 0 };
	bool scan, memory, owned;
	struct seg_table *table = NULL;
	struct take_ctx tc;
	struct read_ctx rd;
	struct ipcns_vec nsv = { 0 };
	struct stat self_ns;
	struct name_cache *names;
	struct render_opts ro;
	bool posix = false, reverse = false, descending = false, all = false;
	const char *sort_name = NULL;
	int sort_col = -1;
	int c, rc, status = EXIT_OK, excl_seen[EXCL_COUNT(excl)] = { 0 };

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		excl_check_or_err("list", longopts, excl, EXCL_COUNT(excl), excl_seen, c);
		if (output_handle_option(&oo, c, optarg, "list"))
			continue;
		switch (c) {
		case OPT_SORT:
			sort_name = optarg;
			break;
		case OPT_REVERSE:
			reverse = true;
			break;
		case OPT_POSIX:
			posix = true;
			break;
		case 'A':
			all = true;
			break;
		case OPT_ORPHANED:
			flt.orphaned = true;
			break;
		case 'u':
			if (names_parse_user(optarg, &flt.uid))
				usage_errx("list", "unknown user '%s'", optarg);
			flt.by_user = true;
			break;
		case OPT_UNIT:
		case OPT_CONTAINER:
			if (!*optarg)
				usage_errx("list", "an empty --%s names nothing",
					   c == OPT_UNIT ? "unit" : "container");
			*(c == OPT_UNIT ? &flt.unit : &flt.container) = optarg;
			break;
		case OPT_KEY:
			rc = parse_key(optarg, &flt.key);
			if (rc)
				usage_errx("list", "invalid key: '%s'", optarg);
			flt.by_key = true;
			break;
		case 'h':
			usage();
		default:
			usage_hint_option("list", argv, longopts);
		}
	}
	if (optind < argc)
		usage_errx("list", "unexpected argument '%s'", argv[optind]);
	if (reverse && !sort_name)
		usage_errx("list", "--reverse goes with --sort");
	if (sort_name && sort_name[0] == '-') {
		descending = true;
		sort_name++;
	}
	if (sort_name) {
		sort_col = column_by_name(sort_name, strlen(sort_name), SCOPE_ALL);
		if (sort_col < 0)
			usage_errx("list", "unknown column '%s' (see 'list --list-columns')", sort_name);
	}
	shm_ctx_refuse_all_or_err(ctx, "list", all);
	shm_ctx_enter_or_err(ctx, "list", posix);
	if (posix) {
		if (oo.list_columns)
			return output_list_columns(&oo, SCOPE_POSIX) ? EXIT_FAIL : EXIT_OK;
		output_columns_or_err(&oo, all ? &posix_all_columns : &posix_columns, SCOPE_POSIX,
				      &cols, "list");
		/* JSON: each row says its namespace */
		if (oo.json && all)
			output_add_column_or_err(&cols, COL_PX_NS, "list");
		return list_posix(&ctx->ns, &oo, &cols, &flt, all);
	}
	if (oo.list_columns)
		return output_list_columns(&oo, SCOPE_ALL) ? EXIT_FAIL : EXIT_OK;
	output_columns_or_err(&oo, all ? &all_ns_columns : &default_columns, SCOPE_ALL, &cols,
			      "list");
	/* JSON keeps NPROCS a number: a separate field says it is partial;
	 * and with -A each row says its namespace */
	owned = flt.unit || flt.container;
	scan = columns_any(column_needs_attach, &cols) || owned ||
	       (sort_col >= 0 && column_needs_attach(sort_col));
	if (oo.json && columns_any(column_needs_attach, &cols))
		output_add_column_or_err(&cols, COL_PARTIAL, "list");
	if (oo.json && all)
		output_add_column_or_err(&cols, COL_IPCNS, "list");

	names = alloc_or_err(names_new());
	output_render_opts(&oo, names, &ro);
	/* without --sort or the /proc scan each row is rendered as it is
	 * read; with them the rows are kept, and rendered once all are in */
	if (sort_col < 0 && !scan)
		table = alloc_or_err(seg_table_new(&oo, &cols, &ro));
	tc = (struct take_ctx){ .flt = &flt, .table = table, .segs = &segs };
	/* rss and swap: only /proc/sysvipc/shm has them, at a cost */
	memory = columns_any(column_needs_memory, &cols) ||
		(sort_col >= 0 && column_needs_memory(sort_col));
	rd = (struct read_ctx){ .tc = &tc, .flags = memory ? SEG_NEED_MEMORY : 0, .attach = scan };
	if (all) {
		if (shm_ctx_each_ns_or_err(&nsv, read_ns, &rd))
			status = EXIT_FAIL;
		ro.attach_ns = rd.tables;
		ro.nattach_ns = rd.ntables;
		rc = tc.render_failed ? -EIO : 0;
	} else {
		tc.ipcns = stat("/proc/self/ns/ipc", &self_ns) ? 0 : self_ns.st_ino;
		rc = read_here(&rd, NULL, &attach);
		if (rc && !tc.render_failed) {
			status = EXIT_FAIL;
			goto out;
		}
		ro.attach = scan && !rd.attach_failed ? &attach : NULL;
	}
	if (rd.attach_failed)
		status = EXIT_FAIL;
	if (!table && !rc) {
		if (owned)
			select_owned(&flt, &segs, &ro);
		if (sort_col >= 0) {
			struct sort_ctx sc = {
				.col = sort_col, .descending = descending != reverse, .ro = ro,
			};

			qsort_r(segs.v, segs.n, sizeof(segs.v[0]), sort_cmp, &sc);
		}
		rc = output_segments(&oo, &cols, segs.v, segs.n, &ro);
	} else if (!rc) {
		rc = seg_table_print(table);
	}
	if (rc) {
		warnx("cannot print the table: %s", strerror(-rc));
		status = EXIT_FAIL;
	}
out:
	seg_table_free(table);
	names_free(names);
	attach_table_free(&attach);
	for (size_t i = 0; i < rd.ntables; i++)
		attach_table_free(&rd.tables[i]);
	free(rd.tables);
	ipcns_vec_free(&nsv);
	shm_vec_free(&segs);
	return status;
}

const struct command cmd_list = {
	.name = "list",
	.run = run_list,
	.summary = "list the segments in a table",
};
