/* shmtool ftok: the key ftok(3) gives for a path. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "parse.h"
#include "sysv.h"
#include "util.h"

static noreturn void usage(void)
{
	fputs("Usage: shmtool ftok [options] PATH [PROJ]\n"
	      "\n"
	      "Print the key that ftok(3) gives for PATH and PROJ (one character or\n"
	      "1-255, default 'R'), as 0x%08x: the key a program using ftok will use.\n"
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

const struct command_options cmd_ftok_options = { shortopts, longopts };

int cmd_ftok(int argc, char **argv)
{
	int c, rc, proj = FTOK_DEFAULT_PROJ;
	int32_t key;

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage();
		default:
			usage_hint("ftok");
		}
	}
	if (optind >= argc)
		usage_errx("ftok", "no path given");
	if (argc - optind > 2)
		usage_errx("ftok", "unexpected argument '%s'", argv[optind + 2]);
	if (argc - optind == 2) {
		rc = parse_ftok_proj(argv[optind + 1], &proj);
		if (rc)
			usage_errx("ftok", "invalid project: '%s' (one character or 1-255)",
				   argv[optind + 1]);
	}
	rc = sysv_ftok(argv[optind], proj, &key);
	if (rc) {
		warnx_safe("cannot use '%s' for ftok: %s", argv[optind], strerror(-rc));
		return EXIT_FAIL;
	}
	printf("0x%08x\n", (uint32_t)key);
	return EXIT_OK;
}
