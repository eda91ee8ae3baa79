/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool limits: the kernel's limits on segments beside what is used of
 * them (lsipc -g, ipcs -l), the usage figures (ipcs -u), or the file
 * system of /dev/shm. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "core/limits.h"
#include "core/posix-shm.h"
#include "core/procfs.h"
#include "core/segment.h"
#include "core/sysv.h"
#include "lib/util.h"
#include "out/output.h"

static const struct column_list default_columns = {
	.ids = { COL_LIM_RESOURCE, COL_LIM_DESCRIPTION, COL_LIM_LIMIT, COL_LIM_USED, COL_LIM_USE },
	.n = 5,
};

static const struct column_list usage_columns = {
	.ids = { COL_LIM_RESOURCE, COL_LIM_DESCRIPTION, COL_LIM_USED, COL_LIM_UNIT },
	.n = 4,
};

static noreturn void usage(void)
{
	fputs("Usage: shmtool limits [options]\n"
	      "\n"
	      "Show the kernel's limits on System V shared memory in this IPC namespace,\n"
	      "each beside what is used of it: SHMMNI (segments), SHMALL (pages),\n"
	      "SHMMAX (bytes, against the largest segment) and SHMMIN.\n"
	      "\n"
	      "Options:\n"
	      "      --usage             what is used instead (ipcs -u): segments and pages\n"
	      "                          allocated, pages resident and swapped, and the\n"
	      "                          sysctls kernel.shm_rmid_forced and shm_next_id\n"
	      "      --posix             the file system of /dev/shm instead: its size\n"
	      "                          and files, and how much of each is used\n"
	      COLUMN_HELP
	      "  -J, --json              JSON output (numbers as numbers, unknown as null)\n"
	      OUTPUT_STYLE_HELP
	      "  -h, --help              show this help and exit\n"
	      "\n"
	      "Default columns: RESOURCE,DESCRIPTION,LIMIT,USED,USE%\n"
	      "With --usage: RESOURCE,DESCRIPTION,USED,UNIT\n", stdout);
	exit_help();
}

enum { OPT_POSIX = OPT_OUTPUT_FIRST_FREE, OPT_USAGE };

static const char shortopts[] = COLUMN_SHORTOPTS "Jrenbh";

static const struct option longopts[] = {
	{ "usage",        no_argument,       NULL, OPT_USAGE },
	{ "posix",        no_argument,       NULL, OPT_POSIX },
	COLUMN_LONGOPTS,
	{ "json",         no_argument,       NULL, 'J' },
	{ "raw",          no_argument,       NULL, 'r' },
	{ "export",       no_argument,       NULL, 'e' },
	{ "noheadings",   no_argument,       NULL, 'n' },
	{ "bytes",        no_argument,       NULL, 'b' },
	{ "help",         no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* options that may not be given together */
static const struct excl_group excl[] = {
	{ { OPT_USAGE, OPT_POSIX } },
};

/* The largest segment of this namespace, for SHMMAX; false when the
 * segments cannot be read. */
static bool largest_segment(uint64_t *largest)
{
	struct shm_vec segs = { 0 };

	*largest = 0;
	if (segments_load(0, &segs))
		return false;
	for (size_t i = 0; i < segs.n; i++)
		if (segs.v[i].size > *largest)
			*largest = segs.v[i].size;
	shm_vec_free(&segs);
	return true;
}

/* A sysctl of this IPC namespace, or -1 when it cannot be read. */
static int64_t sysctl_value(const char *name)
{
	char path[64], buf[32], *end;
	long long v;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	if (procfs_read_text(path, buf, sizeof(buf)) <= 0)
		return -1;
	errno = 0;
	v = strtoll(buf, &end, 10);
	return errno || end == buf || (*end && *end != '\n') ? -1 : (int64_t)v;
}

/* The rows of the view asked for. Returns how many, or -1 (said). */
static int rows_of(bool use, bool posix, struct ipcns_target *ns, struct limit_row *rows)
{
	uint64_t page_size = (uint64_t)sysconf(_SC_PAGESIZE), largest;
	struct sysv_limits lim;
	struct sysv_usage u;
	bool has_largest;
	int rc;

	if (posix) {
		struct statvfs st;
		char dir[64];
		int dfd = posix_shm_dir_open(ns);

		posix_shm_dir(ns, dir, sizeof(dir));
		if (dfd < 0) {
			warnx("cannot open %s: %s", dir, posix_shm_dir_problem(dfd));
			return -1;
		}
		rc = fstatvfs(dfd, &st) ? -errno : 0;
		close(dfd);
		if (rc) {
			warnx("cannot read the file system of %s: %s", dir, strerror(-rc));
			return -1;
		}
		return (int)limits_fs_rows(&(struct limits_fs){
			.blocks = st.f_blocks, .bfree = st.f_bfree, .frsize = st.f_frsize,
			.files = st.f_files, .ffree = st.f_ffree }, rows);
	}
	rc = sysv_usage(&u);
	if (use) {
		struct limits_sysctls s = {
			.rmid_forced = sysctl_value("shm_rmid_forced"),
			.next_id = sysctl_value("shm_next_id"),
		};

		if (rc) {
			warnx("cannot read the usage of shared memory: %s", strerror(-rc));
			return -1;
		}
		return (int)limits_usage_rows(&u, &s, page_size, rows);
	}
	if (rc)
		warnx("cannot read the usage of shared memory: %s", strerror(-rc));
	if (sysv_limits(&lim)) {
		warnx("cannot read the limits of shared memory: %s", strerror(errno));
		return -1;
	}
	has_largest = largest_segment(&largest);
	return (int)limits_sysv_rows(&lim, rc ? NULL : &u, has_largest, largest, page_size, rows);
}

static int run_limits(int argc, char **argv, struct shm_ctx *ctx)
{
	struct output_opts oo = { 0 };
	struct column_list cols;
	struct limit_row rows[LIMITS_MAX_ROWS];
	struct render_opts ro;
	bool use = false, posix = false;
	int c, n, rc, excl_seen[EXCL_COUNT(excl)] = { 0 };

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		excl_check_or_err("limits", longopts, excl, EXCL_COUNT(excl), excl_seen, c);
		if (output_handle_option(&oo, c, optarg, "limits"))
			continue;
		switch (c) {
		case OPT_USAGE:
			use = true;
			break;
		case OPT_POSIX:
			posix = true;
			break;
		case 'h':
			usage();
		default:
			usage_hint_option("limits", argv, longopts);
		}
	}
	if (optind < argc)
		usage_errx("limits", "unexpected argument '%s'", argv[optind]);
	shm_ctx_enter_or_err(ctx, "limits", posix);
	if (oo.list_columns)
		return output_list_columns(&oo, SCOPE_LIMITS) ? EXIT_FAIL : EXIT_OK;
	output_columns_or_err(&oo, use ? &usage_columns : &default_columns, SCOPE_LIMITS, &cols,
			      "limits");
	n = rows_of(use, posix, &ctx->ns, rows);
	if (n < 0)
		return EXIT_FAIL;
	output_render_opts(&oo, NULL, &ro);
	rc = output_limits(&oo, use ? "usage" : "limits", &cols, rows, (size_t)n, &ro);
	if (rc) {
		warnx("cannot print the table: %s", strerror(-rc));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

const struct command cmd_limits = {
	.name = "limits",
	.run = run_limits,
	.summary = "show the kernel's limits and what is used of them",
};
