/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool chmod: change the permission bits of segments (IPC_SET) or of
 * POSIX objects (fchmod on the object's inode, never through a symlink). */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/args.h"
#include "cmd/commands.h"
#include "core/as-target.h"
#include "core/posix-shm.h"
#include "core/segment.h"
#include "core/sysv.h"
#include "core/target.h"
#include "lib/parse.h"
#include "lib/util.h"
#include "out/format.h"

static noreturn void usage(void)
{
	fputs("Usage: shmtool chmod [options] MODE ID...\n"
	      "       shmtool chmod [options] MODE -k KEY... | --ftok PATH[:PROJ]...\n"
	      "       shmtool chmod [options] MODE --posix NAME...\n"
	      "\n"
	      "Change the permission bits of segments (IPC_SET). MODE is octal (640,\n"
	      "0640) or symbolic as chmod(1) takes it (g+r, o=, u=rw,go=r, g=u), applied\n"
	      "to each segment's mode of now. The kernel sets the segment's change time\n"
	      "(CTIME) too; a mode that stays the same is not set again.\n"
	      "\n"
	      "Options:\n"
	      "      --posix             change POSIX shared memory objects (/dev/shm) by\n"
	      "                          NAME or /NAME instead (regular files only, never\n"
	      "                          through a symbolic link)\n"
	      "  -k, --key KEY           a segment by key (repeatable)\n"
	      "      --ftok PATH[:PROJ]  a segment by the key ftok(3) gives (repeatable)\n"
	      "  -v, --verbose           say what changed (old -> new)\n"
	      "  -h, --help              show this help and exit\n", stdout);
	exit_help();
}

static const char shortopts[] = "k:vh";

static const struct option longopts[] = {
	TARGET_LONGOPTS,
	{ "verbose", no_argument,       NULL, 'v' },
	{ "help",    no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

struct chmod_ctx {
	const char *mode;
	bool verbose;
};

static int chmod_one(int id, void *arg)
{
	const struct chmod_ctx *c = arg;
	struct shm_segment seg;
	unsigned int old, mode;
	char was[16], now[16];
	int rc = sysv_stat(id, &seg);

	if (rc) {
		segment_warn(id, "read the mode of", rc);
		return EXIT_FAIL;
	}
	old = seg.mode & 0777;
	if (parse_mode_change(c->mode, old, &mode))
		return EXIT_FAIL;       /* checked before: cannot happen */
	fmt_perms(was, sizeof(was), old, 0);
	fmt_perms(now, sizeof(now), mode, 0);
	if (mode == old) {
		if (c->verbose)
			fprintf(stderr, "segment %d: mode %04o (%s) kept\n", id, old, was);
		return EXIT_OK;
	}
	rc = sysv_set(id, seg.uid, seg.gid, mode);
	if (rc == -EPERM) {
		warnx("cannot change the mode of segment %d: permission denied (only its "
		      "owner, its creator or a privileged user may)", id);
		return EXIT_FAIL;
	}
	if (rc) {
		segment_warn(id, "change the mode of", rc);
		return EXIT_FAIL;
	}
	if (c->verbose)
		fprintf(stderr, "segment %d: mode %04o (%s) -> %04o (%s)\n", id, old, was, mode,
			now);
	return EXIT_OK;
}

/* chmod --posix: one object, opened by its inode (posix_obj_open_inode),
 * changed through that descriptor while its name still leads to it. */
static int chmod_posix_one(const struct posix_dir *d, const char *name,
			   const struct chmod_ctx *c)
{
	struct stat st;
	unsigned int old, mode;
	char was[16], now[16], safe[POSIX_SAFE_NAME_SIZE];
	int fd = posix_obj_open_inode(d, name, &st), rc;

	if (fd < 0) {
		posix_obj_warn(name, "change the mode of", fd);
		return EXIT_FAIL;
	}
	old = st.st_mode & 0777;
	if (parse_mode_change(c->mode, old, &mode)) {
		close(fd);
		return EXIT_FAIL;       /* checked before: cannot happen */
	}
	fmt_perms(was, sizeof(was), old, 0);
	fmt_perms(now, sizeof(now), mode, 0);
	if (mode == old) {
		if (c->verbose)
			fprintf(stderr, "POSIX object %s: mode %04o (%s) kept\n",
				posix_safe_name(name, safe), old, was);
		close(fd);
		return EXIT_OK;
	}
	rc = posix_obj_still(d, name, &st);
	if (!rc)
		rc = as_target_fchmod(d->ns, fd, (mode_t)mode);
	close(fd);
	if (rc == -EPERM) {
		warnx_safe("cannot change the mode of POSIX object %s: permission denied (only "
			   "its owner or a privileged user may)", name);
		return EXIT_FAIL;
	}
	if (rc) {
		posix_obj_warn(name, "change the mode of", rc);
		return EXIT_FAIL;
	}
	if (c->verbose)
		fprintf(stderr, "POSIX object %s: mode %04o (%s) -> %04o (%s)\n",
			posix_safe_name(name, safe), old, was, mode, now);
	return EXIT_OK;
}

static int chmod_posix(struct ipcns_target *ns, const char *const *names, size_t n,
		       const struct chmod_ctx *c)
{
	struct posix_dir d;
	int status = EXIT_OK;

	if (posix_dir_open_or_warn(&d, ns))
		return EXIT_FAIL;
	for (size_t i = 0; i < n; i++)
		if (chmod_posix_one(&d, names[i], c))
			status = EXIT_FAIL;
	posix_dir_close(&d);
	return status;
}

/* MODE may look like an option ("-w", "-rwx"): the first argument that is
 * a valid MODE and no option of ours is taken out before getopt sees it. */
static const char *take_mode(int *argc, char **argv)
{
	for (int i = 1; i < *argc && strcmp(argv[i], "--"); i++) {
		const char *mode = argv[i];
		unsigned int m;

		if (mode[0] != '-' || strchr("hvk-", mode[1]) || parse_mode_change(mode, 0, &m))
			continue;
		memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof(*argv));
		(*argc)--;
		return mode;
	}
	return NULL;
}

static int run_chmod(int argc, char **argv, struct shm_ctx *ctx)
{
	struct target_args t = { 0 };
	struct chmod_ctx c = { .mode = take_mode(&argc, argv) };
	unsigned int m;
	int opt, rc, status;

	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (target_handle_option(&t, opt, optarg, "chmod"))
			continue;
		switch (opt) {
		case 'v':
			c.verbose = true;
			break;
		case 'h':
			usage();
		default:
			usage_hint_option("chmod", argv, longopts);
		}
	}
	if (!c.mode && optind < argc)
		c.mode = argv[optind++];
	if (!c.mode)
		usage_errx("chmod", "no mode given");
	rc = parse_mode_change(c.mode, 0, &m);
	if (rc == -ERANGE)
		usage_errx("chmod", "invalid mode '%s': %s has only the nine permission "
			   "bits (at most 0777)", c.mode, t.posix ? "an object" : "a segment");
	if (rc)
		usage_errx("chmod", "invalid mode '%s' (octal such as 640, or symbolic such as "
			   "g+r or u=rw,go=)", c.mode);
	target_args_finish_or_err(&t, argc - optind, argv + optind, TARGETS_SOME, "chmod");
	shm_ctx_enter_or_err(ctx, "chmod", t.posix);
	if (t.posix)
		status = chmod_posix(&ctx->ns, t.names, t.nnames, &c);
	else
		status = target_each(&t.list, chmod_one, &c);
	target_args_free(&t);
	return status;
}

const struct command cmd_chmod = {
	.name = "chmod",
	.run = run_chmod,
	.summary = "change the permissions of segments or POSIX objects",
};
