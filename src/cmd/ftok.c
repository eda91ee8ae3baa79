/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool ftok: the key ftok(3) gives for a path. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "core/sysv.h"
#include "lib/parse.h"
#include "lib/util.h"

static noreturn void usage(void)
{
	fputs("Usage: shmtool ftok [options] PATH[:PROJ]\n"
	      "       shmtool ftok [options] PATH PROJ\n"
	      "\n"
	      "Print the key that ftok(3) gives for PATH and PROJ, as 0x%08x: the key a\n"
	      "program using ftok will use. PROJ is one character, taken as C takes\n"
	      "ftok(path, 'R') ('1' is 0x31), or a number of two digits or more, or 0x and\n"
	      "hex digits, from 1 to 255; the default is 'R'. With PATH:PROJ a path that\n"
	      "holds ':' needs an explicit PROJ; PATH PROJ takes the path as it is.\n"
	      "\n"
	      "Options:\n"
	      "  -h, --help              show this help and exit\n", stdout);
	exit_help();
}

static const char shortopts[] = "h";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int run_ftok(int argc, char **argv, struct shm_ctx *ctx)
{
	int c, rc, proj = FTOK_DEFAULT_PROJ;
	char spec[PATH_MAX];
	const char *path;
	int32_t key;

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage();
		default:
			usage_hint_option("ftok", argv, longopts);
		}
	}
	if (optind >= argc)
		usage_errx("ftok", "no path given");
	if (argc - optind > 2)
		usage_errx("ftok", "unexpected argument '%s'", argv[optind + 2]);
	if (argc - optind == 2) {
		path = argv[optind];
		rc = parse_ftok_proj(argv[optind + 1], &proj);
		if (rc)
			usage_errx("ftok", "invalid project '%s': %s", argv[optind + 1],
				   FTOK_PROJ_RULE);
	} else {
		rc = parse_ftok_spec(argv[optind], spec, sizeof(spec), &proj);
		if (rc == -ENAMETOOLONG)
			usage_errx("ftok", "path too long: '%.64s...'", argv[optind]);
		if (rc)
			usage_errx("ftok", "invalid PATH[:PROJ] '%s': the project is %s",
				   argv[optind], FTOK_PROJ_RULE);
		path = spec;
	}
	shm_ctx_enter_or_err(ctx, "ftok", false);
	rc = sysv_ftok(path, proj, &key);
	if (rc) {
		warnx_safe("cannot use '%s' for ftok: %s", path, strerror(-rc));
		return EXIT_FAIL;
	}
	printf("0x%08x\n", (uint32_t)key);
	return EXIT_OK;
}

const struct command cmd_ftok = {
	.name = "ftok",
	.run = run_ftok,
	.summary = "print the key ftok(3) gives for a path",
};
