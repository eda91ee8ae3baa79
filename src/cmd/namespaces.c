/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool namespaces: every IPC namespace that holds segments, found from
 * the processes in it. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "core/ipcns.h"
#include "core/names.h"
#include "lib/util.h"
#include "out/output.h"

static const struct column_list default_columns = {
	.ids = { COL_NS_NS, COL_NS_SEGMENTS, COL_NS_SIZE, COL_NS_ORPHANS,
		 COL_NS_ORPHANSIZE, COL_NS_NPROCS, COL_NS_PID, COL_NS_COMMAND },
	.n = 8,
};

static noreturn void usage(void)
{
	fputs("Usage: shmtool namespaces [options]\n"
	      "\n"
	      "List the IPC namespaces that hold System V shared memory segments: every\n"
	      "namespace a process is in, entered in turn to count its segments.\n"
	      "\n"
	      "Options:\n"
	      "  -a, --all               also the namespaces without segments\n"
	      COLUMN_HELP
	      "  -J, --json              JSON output (numbers as numbers, unknown as null)\n"
	      OUTPUT_STYLE_HELP
	      "  -h, --help              show this help and exit\n"
	      "\n"
	      "Default columns: NS,SEGMENTS,SIZE,ORPHANS,ORPHANSIZE,NPROCS,PID,COMMAND\n"
	      "Give a PID to 'shmtool --ipc-ns PID <command>' to act in its namespace.\n", stdout);
	exit_help();
}

static const char shortopts[] = "a" COLUMN_SHORTOPTS "Jrenbh";

static const struct option longopts[] = {
	{ "all",          no_argument,       NULL, 'a' },
	COLUMN_LONGOPTS,
	{ "json",         no_argument,       NULL, 'J' },
	{ "raw",          no_argument,       NULL, 'r' },
	{ "export",       no_argument,       NULL, 'e' },
	{ "noheadings",   no_argument,       NULL, 'n' },
	{ "bytes",        no_argument,       NULL, 'b' },
	{ "help",         no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* In each namespace: its segments, counted. */
static int count_one(struct ipcns_info *ns, void *arg)
{
	int rc = ipcns_load(ns);

	(void)arg;
	if (rc)
		warnx("cannot read the segments of the IPC namespace of process %d: %s",
		      (int)ns->pid, errno_text(-rc));
	return rc;
}

static int run_namespaces(int argc, char **argv, struct shm_ctx *ctx)
{
	struct output_opts oo = { 0 };
	struct column_list cols;
	struct ipcns_vec nsv = { 0 };
	struct name_cache *names;
	struct render_opts ro;
	bool all = false;
	int c, rc, status = EXIT_OK;
	size_t kept = 0;

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (output_handle_option(&oo, c, optarg, "namespaces"))
			continue;
		switch (c) {
		case 'a':
			all = true;
			break;
		case 'h':
			usage();
		default:
			usage_hint_option("namespaces", argv, longopts);
		}
	}
	if (optind < argc)
		usage_errx("namespaces", "unexpected argument '%s'", argv[optind]);
	shm_ctx_enter_or_err(ctx, "namespaces", false);
	if (oo.list_columns)
		return output_list_columns(&oo, SCOPE_NS) ? EXIT_FAIL : EXIT_OK;
	output_columns_or_err(&oo, &default_columns, SCOPE_NS, &cols, "namespaces");

	if (shm_ctx_each_ns_or_err(&nsv, count_one, NULL))
		status = EXIT_FAIL;

	/* the empty ones only with --all; those not entered are not known empty */
	for (size_t i = 0; i < nsv.n; i++)
		if (all || !nsv.v[i].counted || nsv.v[i].segments)
			nsv.v[kept++] = nsv.v[i];
	nsv.n = kept;

	names = alloc_or_err(names_new());
	output_render_opts(&oo, names, &ro);
	rc = output_namespaces(&oo, &cols, nsv.v, nsv.n, &ro);
	if (rc) {
		warnx("cannot print the table: %s", strerror(-rc));
		status = EXIT_FAIL;
	}
	names_free(names);
	ipcns_vec_free(&nsv);
	return status;
}

const struct command cmd_namespaces = {
	.name = "namespaces",
	.run = run_namespaces,
	.summary = "list the IPC namespaces that hold segments",
};
