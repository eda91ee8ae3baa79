/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool list: a table of every segment. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "core/attach.h"
#include "core/ipcns.h"
#include "core/names.h"
#include "core/posix-shm.h"
#include "core/segment.h"
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
	      "Filters:\n"
	      "      --orphaned          only segments nobody is attached to (and not removed)\n"
	      "  -u, --user USER         only segments owned by USER (name or uid)\n"
	      "      --key KEY           only the segment with KEY (hex 0x..., octal or decimal)\n"
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
};

static const char shortopts[] = OUTPUT_SHORTOPTS COLUMN_SHORTOPTS "u:h";

static const struct option longopts[] = {
	OUTPUT_LONGOPTS,
	COLUMN_LONGOPTS,
	{ "sort",         required_argument, NULL, OPT_SORT },
	{ "reverse",      no_argument,       NULL, OPT_REVERSE },
	{ "orphaned",     no_argument,       NULL, OPT_ORPHANED },
	{ "user",         required_argument, NULL, 'u' },
	{ "key",          required_argument, NULL, OPT_KEY },
	{ "posix",        no_argument,       NULL, OPT_POSIX },
	{ "help",         no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* options that may not be given together */
static const struct excl_group excl[] = {
	{ { OPT_POSIX, OPT_KEY } },
	{ { OPT_POSIX, OPT_SORT } },
	{ { OPT_POSIX, OPT_REVERSE } },
};

struct filter {
	bool orphaned;
	bool by_user;
	uid_t uid;
	bool by_key;
	int32_t key;
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

/* The selected segments as they are read: rendered into the table at
 * once, or kept in an array when --sort or the /proc scan needs them all
 * first (table NULL). */
struct take_ctx {
	const struct filter *flt;
	struct seg_table *table;
	struct shm_vec *segs;
	bool render_failed;     /* the error came from the table, not the read */
};

static int take_selected(const struct shm_segment *s, void *arg)
{
	struct take_ctx *tc = arg;
	int rc;

	if (!selected(tc->flt, s))
		return 0;
	if (!tc->table)
		return shm_vec_push(tc->segs, s);
	rc = seg_table_add(tc->table, s);
	tc->render_failed = rc != 0;
	return rc;
}

struct sort_ctx {
	int col;
	bool descending;
	struct render_opts ro;
};

/* By the column, then by id; descending turns the whole order round. */
static int sort_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *sc = arg;
	int r = column_compare(sc->col, a, b, &sc->ro);

	if (!r)
		r = column_compare(COL_ID, a, b, &sc->ro);
	return sc->descending ? -r : r;
}

static const struct column_list posix_columns = {
	.ids = { COL_PX_NAME, COL_PX_SIZE, COL_PX_OWNER, COL_PX_PERMS, COL_PX_MTIME,
		 COL_PX_USE, COL_PX_NPROCS },
	.n = 7,
};

/* list --posix: the objects of /dev/shm, or of the mount namespace of the
 * process --ipc-ns named. */
static int list_posix(struct ipcns_target *ns, const struct output_opts *oo,
		      const struct column_list *cols, const struct filter *flt)
{
	struct posix_vec objs = { 0 };
	struct name_cache *names;
	struct render_opts ro;
	char dir[64];
	int dfd, rc, status = EXIT_OK;
	size_t kept = 0;

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
	/* the names, sizes and owners are in the directory: /proc is
	 * scanned only for what shows or filters by use */
	rc = flt->orphaned || columns_need_posix_use(cols) ? posix_scan_use(&objs) : 0;
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
	qsort(objs.v, objs.n, sizeof(objs.v[0]), posix_obj_cmp_name);
	names = names_new();
	if (!names)
		err(EXIT_FAIL, "cannot allocate memory");
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
	bool need_all, need;
	struct seg_table *table = NULL;
	struct take_ctx tc;
	struct name_cache *names;
	struct render_opts ro;
	bool posix = false, reverse = false, descending = false;
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
		case OPT_ORPHANED:
			flt.orphaned = true;
			break;
		case 'u':
			if (names_parse_user(optarg, &flt.uid))
				usage_errx("list", "unknown user '%s'", optarg);
			flt.by_user = true;
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
	shm_ctx_enter_or_err(ctx, "list", posix);
	if (posix) {
		if (oo.list_columns)
			return output_list_columns(&oo, SCOPE_POSIX) ? EXIT_FAIL : EXIT_OK;
		output_columns_or_err(&oo, &posix_columns, SCOPE_POSIX, &cols, "list");
		return list_posix(&ctx->ns, &oo, &cols, &flt);
	}
	if (oo.list_columns)
		return output_list_columns(&oo, SCOPE_ALL) ? EXIT_FAIL : EXIT_OK;
	output_columns_or_err(&oo, &default_columns, SCOPE_ALL, &cols, "list");
	/* JSON keeps NPROCS a number: a separate field says it is partial */
	if (oo.json && columns_need_attach(&cols) && !columns_have(&cols, COL_PARTIAL)) {
		if (cols.n == MAX_COLUMNS)
			usage_errx("list", "too many columns (at most %d)", MAX_COLUMNS - 1);
		cols.ids[cols.n++] = COL_PARTIAL;
	}

	names = names_new();
	if (!names)
		err(EXIT_FAIL, "cannot allocate memory");
	output_render_opts(&oo, names, &ro);
	/* without --sort or the /proc scan each row is rendered as it is
	 * read, while the kernel writes the next ones; with them the rows
	 * are kept, and rendered once all are in */
	need_all = sort_col >= 0 || columns_need_attach(&cols);
	if (!need_all && !(table = seg_table_new(&oo, &cols, &ro)))
		err(EXIT_FAIL, "cannot allocate memory");
	tc = (struct take_ctx){ .flt = &flt, .table = table, .segs = &segs };
	/* rss and swap: only /proc/sysvipc/shm has them, at a cost */
	need = columns_need_memory(&cols) || (sort_col >= 0 && column_needs_memory(sort_col));
	rc = segments_each(need ? SEG_NEED_MEMORY : 0, take_selected, &tc);
	if (rc && !tc.render_failed) {
		warnx("cannot read the segment list: %s", strerror(-rc));
		status = EXIT_FAIL;
		goto out;
	}
	if (need_all) {
		if (columns_need_attach(&cols) || (sort_col >= 0 && column_needs_attach(sort_col))) {
			ro.attach = attach_scan_segments(&attach, segs.v, segs.n);
			if (!ro.attach)
				status = EXIT_FAIL;
		}
		if (sort_col >= 0) {
			struct sort_ctx sc = {
				.col = sort_col, .descending = descending != reverse, .ro = ro,
			};

			qsort_r(segs.v, segs.n, sizeof(segs.v[0]), sort_cmp, &sc);
		}
		if (!(table = seg_table_new(&oo, &cols, &ro)))
			err(EXIT_FAIL, "cannot allocate memory");
		for (size_t i = 0; i < segs.n && !rc; i++)
			rc = seg_table_add(table, &segs.v[i]);
	}
	if (!rc)
		rc = seg_table_print(table);
	if (rc) {
		warnx("cannot print the table: %s", strerror(-rc));
		status = EXIT_FAIL;
	}
out:
	seg_table_free(table);
	names_free(names);
	attach_table_free(&attach);
	shm_vec_free(&segs);
	return status;
}

const struct command cmd_list = {
	.name = "list",
	.run = run_list,
	.summary = "list the segments in a table",
};
