/* shmtool rm: remove segments by id or key. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "segment.h"
#include "sysv.h"
#include "target.h"
#include "util.h"

static noreturn void usage(void)
{
	fputs("Usage: shmtool rm [options] ID...\n"
	      "       shmtool rm [options] -k KEY... | --ftok PATH[:PROJ]...\n"
	      "\n"
	      "Remove segments (IPC_RMID). A segment still attached is destroyed when\n"
	      "its last attachment goes; until then it shows the 'dest' status.\n"
	      "\n"
	      "Options:\n"
	      "  -k, --key KEY           a segment by key (repeatable)\n"
	      "      --ftok PATH[:PROJ]  a segment by the key ftok(3) gives (repeatable)\n"
	      "  -v, --verbose           name each segment removed\n"
	      "  -h, --help              show this help and exit\n"
	      "\n"
	      "To remove every unattached segment, see 'shmtool gc'.\n", stdout);
	exit_help();
}

static const struct option longopts[] = {
	TARGET_LONGOPTS,
	{ "verbose", no_argument, NULL, 'v' },
	{ "help",    no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int remove_one(int id, bool verbose)
{
	struct shm_segment seg;
	int rc = sysv_stat(id, &seg);

	if (rc) {
		segment_warn(id, "remove", rc);
		return EXIT_FAIL;
	}
	if (seg_is_dest(&seg)) {
		warnx("segment %d is already removed (destroyed when its %llu "
		      "attachment%s go)", id, (unsigned long long)seg.nattch,
		      seg.nattch == 1 ? "" : "s");
		return EXIT_FAIL;
	}
	rc = sysv_remove(id);
	if (rc) {
		segment_warn(id, "remove", rc);
		return EXIT_FAIL;
	}
	if (seg.nattch > 0)
		warnx("segment %d removed: still attached %llu time%s, it is destroyed "
		      "at the last detach", id, (unsigned long long)seg.nattch,
		      seg.nattch == 1 ? "" : "s");
	else if (verbose)
		fprintf(stderr, "removed segment %d (key 0x%08x, %llu bytes)\n", id,
			seg_key_u32(&seg), (unsigned long long)seg.size);
	return EXIT_OK;
}

int cmd_rm(int argc, char **argv)
{
	struct target_list targets = { 0 };
	bool verbose = false;
	int c, status = EXIT_OK;

	while ((c = getopt_long(argc, argv, "k:vh", longopts, NULL)) != -1) {
		if (target_handle_option(&targets, c, optarg, "rm"))
			continue;
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage();
		default:
			usage_hint("rm");
		}
	}
	for (int i = optind; i < argc; i++)
		target_add_id_or_err(&targets, argv[i], "rm");
	if (targets.n == 0)
		usage_errx("rm", "no segment given");

	for (size_t i = 0; i < targets.n; i++) {
		int id;

		if (target_resolve_or_warn(&targets.v[i], &id) || remove_one(id, verbose))
			status = EXIT_FAIL;
	}
	target_list_free(&targets);
	return status;
}
