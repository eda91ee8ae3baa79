/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool rm: remove segments by id or key. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/args.h"
#include "cmd/commands.h"
#include "core/as-target.h"
#include "core/attach.h"
#include "core/posix-shm.h"
#include "core/segment.h"
#include "core/sem.h"
#include "core/sysv.h"
#include "core/target.h"
#include "lib/util.h"
#include "out/output.h"

static noreturn void usage(void)
{
	fputs("Usage: shmtool rm [options] ID...\n"
	      "       shmtool rm [options] -k KEY... | --ftok PATH[:PROJ]...\n"
	      "       shmtool rm [options] --posix NAME...\n"
	      "\n"
	      "Remove segments (IPC_RMID). A segment still attached is destroyed when\n"
	      "its last attachment goes; until then it shows the 'dest' status.\n"
	      "\n"
	      "Options:\n"
	      "      --posix             unlink POSIX shared memory objects (/dev/shm) by\n"
	      "                          NAME or /NAME instead; one still mapped or open\n"
	      "                          loses its name, its memory stays until the last\n"
	      "                          process lets go (the processes are named)\n"
	      "  -k, --key KEY           a segment by key (repeatable)\n"
	      "      --ftok PATH[:PROJ]  a segment by the key ftok(3) gives (repeatable)\n"
	      "      --sem               also remove the semaphore set of the segment's key\n"
	      "  -v, --verbose           name each segment removed\n"
	      "  -h, --help              show this help and exit\n"
	      "\n"
	      "To remove every unattached segment, see 'shmtool gc'.\n", stdout);
	exit_help();
}

static const char shortopts[] = "k:vh";

static const struct option longopts[] = {
	TARGET_LONGOPTS,
	{ "verbose", no_argument, NULL, 'v' },
	{ "sem",     no_argument, NULL, 0x300 },
	{ "help",    no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* " by processes 12, 345 (and 1 mapping not found)": who holds the
 * segment id that still has nattch mappings, from a scan of /proc (empty
 * when the scan failed: it said why). */
static void holders_of(int id, uint64_t nattch, char *buf, size_t sz)
{
	struct attach_table t = { 0 };
	const struct attach_seg *s;
	uint64_t found;
	size_t len = 0;

	buf[0] = '\0';
	if (attach_scan_or_warn(&t))
		return;
	s = attach_find(&t, id);
	found = s ? s->mappings : 0;
	for (size_t i = 0; s && i < s->nprocs && i < 8 && len < sz; i++)
		len += (size_t)snprintf(buf + len, sz - len, "%s%d",
					i ? ", " : s->nprocs == 1 ? " by process " : " by processes ",
					(int)s->procs[i].pid);
	if (s && s->nprocs > 8 && len < sz)
		len += (size_t)snprintf(buf + len, sz - len, ", ...");
	if (found < nattch && len < sz)
		snprintf(buf + len, sz - len, "%s%llu mapping%s in processes not visible here",
			 found ? " and " : " by ", (unsigned long long)(nattch - found),
			 plural_s(nattch - found));
	attach_table_free(&t);
}

struct rm_opts {
	bool verbose;
	bool sem;               /* the semaphore set of the same key too */
};

/* rm --sem: the set with the segment's key, once the segment is gone. */
static int remove_set(const struct shm_segment *s, bool verbose)
{
	uid_t owner = 0;
	int rc;

	if (!s->key) {
		warnx("segment %d has no key: no semaphore set of the same key to remove", s->id);
		return EXIT_FAIL;
	}
	rc = sem_set_remove(s->key, s->uid, s->cuid, &owner);
	if (rc == -ENOENT)
		warnx("no semaphore set with key 0x%08x", seg_key_u32(s));
	else if (rc == -EXDEV)
		warnx("the semaphore set of key 0x%08x is of uid %u, not of the segment's owner "
		      "or creator: not removed", seg_key_u32(s), (unsigned)owner);
	else if (rc)
		warnx("cannot remove the semaphore set of key 0x%08x: %s", seg_key_u32(s),
		      errno_text(-rc));
	else if (verbose)
		fprintf(stderr, "removed the semaphore set of key 0x%08x\n", seg_key_u32(s));
	return rc ? EXIT_FAIL : EXIT_OK;
}

static int remove_one(int id, void *arg)
{
	const struct rm_opts *o = arg;
	bool verbose = o->verbose;
	struct shm_segment seg;
	int rc = sysv_stat(id, &seg);

	if (rc) {
		segment_warn(id, "remove", rc);
		return EXIT_FAIL;
	}
	if (seg_is_dest(&seg) && seg.nattch == 1) {
		warnx("segment %d is already removed (destroyed when its last attachment goes)",
		      id);
		return EXIT_FAIL;
	}
	if (seg_is_dest(&seg)) {
		warnx("segment %d is already removed (destroyed when its %llu attachments go)",
		      id, (unsigned long long)seg.nattch);
		return EXIT_FAIL;
	}
	rc = sysv_remove(id);
	if (rc) {
		segment_warn(id, "remove", rc);
		return EXIT_FAIL;
	}
	if (seg.nattch > 0) {
		char who[256];

		holders_of(id, seg.nattch, who, sizeof(who));
		warnx("segment %d removed: still attached %llu time%s%s; it is destroyed "
		      "at the last detach", id, (unsigned long long)seg.nattch,
		      plural_s(seg.nattch), who);
	} else if (verbose) {
		fprintf(stderr, "removed segment %d (key 0x%08x, %llu byte%s)\n", id,
			seg_key_u32(&seg), (unsigned long long)seg.size, plural_s(seg.size));
	}
	return o->sem ? remove_set(&seg, verbose) : EXIT_OK;
}

/* "12, 345 and 6789" of the holders, at most the first 8 */
static void holder_pids(const struct posix_obj *o, char *buf, size_t sz)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < o->nholders && i < 8 && len < sz; i++)
		len += (size_t)snprintf(buf + len, sz - len, "%s%d", i ? ", " : "",
					(int)o->holders[i].pid);
	if (o->nholders > 8 && len < sz)
		snprintf(buf + len, sz - len, ", ...");
}

/* Unlink one object, if it is still the file that was scanned. */
static int unlink_posix(const struct posix_dir *d, const struct posix_obj *o, bool scanned,
			bool verbose)
{
	struct stat st;
	struct posix_obj now;
	char pids[128], safe[POSIX_SAFE_NAME_SIZE];
	int rc = posix_obj_stat(d, o->name, &st);

	if (rc) {
		posix_obj_warn(o->name, "remove", rc);
		return EXIT_FAIL;
	}
	posix_obj_from_stat(&now, &st);
	if (now.ino != o->ino || now.dev_major != o->dev_major || now.dev_minor != o->dev_minor) {
		warnx_safe("cannot remove POSIX object %s: replaced by another file while "
			   "being removed", o->name);
		return EXIT_FAIL;
	}
	rc = as_target_unlinkat(d->ns, d->fd, o->name);
	if (rc) {
		posix_obj_warn(o->name, "remove", rc);
		return EXIT_FAIL;
	}
	holder_pids(o, pids, sizeof(pids));
	if (o->use)
		warnx_safe("POSIX object %s removed: still %s by %u process%s (%s); its memory "
			   "stays until they let go", o->name,
			   o->use == POSIX_OPEN ? "open" : o->use == POSIX_MAPPED ? "mapped" :
			   "mapped or open", (unsigned)o->nprocs, o->nprocs == 1 ? "" : "es", pids);
	else if (!scanned)
		warnx_safe("POSIX object %s removed, but whether a process still maps it or "
			   "holds it open is unknown", o->name);
	else if (verbose)
		fprintf(stderr, "removed POSIX object %s (%llu byte%s)\n",
			posix_safe_name(o->name, safe), (unsigned long long)o->size,
			plural_s(o->size));
	return EXIT_OK;
}

/* rm --posix NAME...: look at every object and scan /proc once, then
 * unlink each on the directory's descriptor (never through a symlink).
 * Without the scan the objects are still removed, but the exit status is
 * 1, as with stat --posix: who still uses them is unknown. */
static int rm_posix(struct ipcns_target *ns, const char *const *names, size_t n, bool verbose)
{
	struct posix_dir d;
	struct posix_vec objs = { 0 };
	bool failed = false, scanned;

	if (posix_dir_open_or_warn(&d, ns))
		return EXIT_FAIL;
	scanned = posix_collect(&d, names, n, "remove", &objs, &failed) == 0;
	for (size_t i = 0; i < objs.n; i++)
		if (unlink_posix(&d, &objs.v[i], scanned, verbose))
			failed = true;
	posix_vec_free(&objs);
	posix_dir_close(&d);
	return failed || !scanned ? EXIT_FAIL : EXIT_OK;
}

static int run_rm(int argc, char **argv, struct shm_ctx *ctx)
{
	struct target_args t = { 0 };
	struct rm_opts o = { 0 };
	int c, status;

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (target_handle_option(&t, c, optarg, "rm"))
			continue;
		switch (c) {
		case 'v':
			o.verbose = true;
			break;
		case 0x300:
			o.sem = true;
			t.sysv_only = "sem";
			break;
		case 'h':
			usage();
		default:
			usage_hint_option("rm", argv, longopts);
		}
	}
	target_args_finish_or_err(&t, argc - optind, argv + optind, TARGETS_SOME, "rm");
	shm_ctx_enter_or_err(ctx, "rm", t.posix);

	if (t.posix)
		status = rm_posix(&ctx->ns, t.names, t.nnames, o.verbose);
	else
		status = target_each(&t.list, remove_one, &o);
	target_args_free(&t);
	return status;
}

const struct command cmd_rm = {
	.name = "rm",
	.run = run_rm,
	.summary = "remove segments",
};
