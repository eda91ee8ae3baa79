/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool chown: change the owner and group of segments (IPC_SET) or of
 * POSIX objects (fchown on the object's inode, never through a symlink). */
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
#include "core/names.h"
#include "core/posix-shm.h"
#include "core/segment.h"
#include "core/sysv.h"
#include "core/target.h"
#include "lib/text.h"
#include "lib/util.h"

static noreturn void usage(void)
{
	fputs("Usage: shmtool chown [options] USER[:GROUP] ID...\n"
	      "       shmtool chown [options] :GROUP ID...\n"
	      "       shmtool chown [options] OWNER -k KEY... | --ftok PATH[:PROJ]...\n"
	      "       shmtool chown [options] OWNER --posix NAME...\n"
	      "\n"
	      "Change the owner (and group) of segments (IPC_SET); USER: sets the\n"
	      "user's login group. Users and groups by name or number. The creator\n"
	      "(CUID, CGID) stays; the kernel sets the change time (CTIME) too.\n"
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

struct chown_ctx {
	bool set_uid, set_gid;
	uid_t uid;
	gid_t gid;
	bool verbose;
	struct name_cache *names;
};

/* USER, USER:GROUP, USER: (the login group) or :GROUP, or a usage error. */
static void parse_owner_or_err(const char *arg, struct chown_ctx *c)
{
	const char *colon = strchr(arg, ':');
	char user[256];
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);

	if (len >= sizeof(user))
		usage_errx("chown", "invalid owner: the user name is too long");
	memcpy(user, arg, len);
	user[len] = '\0';
	if (len) {
		if (names_parse_user(user, &c->uid))
			usage_errx("chown", "unknown user '%s'", user);
		c->set_uid = true;
	}
	if (colon && colon[1]) {
		if (names_parse_group(colon + 1, &c->gid))
			usage_errx("chown", "unknown group '%s'", colon + 1);
		c->set_gid = true;
	} else if (colon && len) {
		if (names_login_group(c->uid, &c->gid))
			usage_errx("chown", "user '%s' has no login group: give USER:GROUP", user);
		c->set_gid = true;
	}
	if (!c->set_uid && !c->set_gid)
		usage_errx("chown", "invalid owner '%s' (USER, USER:GROUP, USER: or :GROUP)", arg);
}

/* "0:0 (root:root)", the names made safe for a terminal. */
static void describe(const struct chown_ctx *c, uid_t uid, gid_t gid, char *buf, size_t sz)
{
	char u[128], g[128];

	snprintf(buf, sz, "%u:%u (%s:%s)", (unsigned)uid, (unsigned)gid,
		 text_shown(TEXT_TERMINAL, names_user(c->names, uid), u, sizeof(u)),
		 text_shown(TEXT_TERMINAL, names_group(c->names, gid), g, sizeof(g)));
}

static int chown_one(int id, void *arg)
{
	const struct chown_ctx *c = arg;
	struct shm_segment seg;
	char was[300], now[300];
	uid_t uid;
	gid_t gid;
	int rc = sysv_stat(id, &seg);

	if (rc) {
		segment_warn(id, "read the owner of", rc);
		return EXIT_FAIL;
	}
	uid = c->set_uid ? c->uid : seg.uid;
	gid = c->set_gid ? c->gid : seg.gid;
	if (c->verbose) {
		describe(c, seg.uid, seg.gid, was, sizeof(was));
		describe(c, uid, gid, now, sizeof(now));
	}
	if (uid == seg.uid && gid == seg.gid) {
		if (c->verbose)
			fprintf(stderr, "segment %d: owner %s kept\n", id, was);
		return EXIT_OK;
	}
	rc = sysv_set(id, uid, gid, seg.mode & 0777);
	if (rc == -EPERM) {
		warnx("cannot change the owner of segment %d: permission denied (only its "
		      "owner, its creator or a privileged user may)", id);
		return EXIT_FAIL;
	}
	if (rc) {
		segment_warn(id, "change the owner of", rc);
		return EXIT_FAIL;
	}
	if (c->verbose)
		fprintf(stderr, "segment %d: owner %s -> %s\n", id, was, now);
	return EXIT_OK;
}

/* chown --posix: one object, opened by its inode (posix_obj_open_inode),
 * changed through that descriptor while its name still leads to it. */
static int chown_posix_one(const struct posix_dir *d, const char *name,
			   const struct chown_ctx *c)
{
	struct stat st;
	char was[300], now[300], safe[POSIX_SAFE_NAME_SIZE];
	uid_t uid;
	gid_t gid;
	int fd = posix_obj_open_inode(d, name, &st), rc;

	if (fd < 0) {
		posix_obj_warn(name, "change the owner of", fd);
		return EXIT_FAIL;
	}
	uid = c->set_uid ? c->uid : st.st_uid;
	gid = c->set_gid ? c->gid : st.st_gid;
	if (c->verbose) {
		describe(c, st.st_uid, st.st_gid, was, sizeof(was));
		describe(c, uid, gid, now, sizeof(now));
	}
	if (uid == st.st_uid && gid == st.st_gid) {
		if (c->verbose)
			fprintf(stderr, "POSIX object %s: owner %s kept\n",
				posix_safe_name(name, safe), was);
		close(fd);
		return EXIT_OK;
	}
	rc = posix_obj_still(d, name, &st);
	if (!rc)
		rc = as_target_fchown(d->ns, fd, uid, gid);
	close(fd);
	if (rc == -EPERM) {
		warnx_safe("cannot change the owner of POSIX object %s: permission denied (only "
			   "a privileged user may give it away; its owner may change its group "
			   "to one of the owner's groups)", name);
		return EXIT_FAIL;
	}
	if (rc) {
		posix_obj_warn(name, "change the owner of", rc);
		return EXIT_FAIL;
	}
	if (c->verbose)
		fprintf(stderr, "POSIX object %s: owner %s -> %s\n", posix_safe_name(name, safe),
			was, now);
	return EXIT_OK;
}

static int chown_posix(struct ipcns_target *ns, const char *const *names, size_t n,
		       const struct chown_ctx *c)
{
	struct posix_dir d;
	int status = EXIT_OK;

	if (posix_dir_open_or_warn(&d, ns))
		return EXIT_FAIL;
	for (size_t i = 0; i < n; i++)
		if (chown_posix_one(&d, names[i], c))
			status = EXIT_FAIL;
	posix_dir_close(&d);
	return status;
}

static int run_chown(int argc, char **argv, struct shm_ctx *ctx)
{
	struct target_args t = { 0 };
	struct chown_ctx c = { 0 };
	int opt, status;

	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (target_handle_option(&t, opt, optarg, "chown"))
			continue;
		switch (opt) {
		case 'v':
			c.verbose = true;
			break;
		case 'h':
			usage();
		default:
			usage_hint_option("chown", argv, longopts);
		}
	}
	if (optind >= argc)
		usage_errx("chown", "no owner given");
	parse_owner_or_err(argv[optind++], &c);
	target_args_finish_or_err(&t, argc - optind, argv + optind, TARGETS_SOME, "chown");
	shm_ctx_enter_or_err(ctx, "chown", t.posix);
	c.names = alloc_or_err(names_new());
	if (t.posix)
		status = chown_posix(&ctx->ns, t.names, t.nnames, &c);
	else
		status = target_each(&t.list, chown_one, &c);
	names_free(c.names);
	target_args_free(&t);
	return status;
}

const struct command cmd_chown = {
	.name = "chown",
	.run = run_chown,
	.summary = "change the owner and group of segments or POSIX objects",
};
