/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool create: make a segment. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <unistd.h>

#include "cmd/args.h"
#include "cmd/commands.h"
#include "core/posix-shm.h"
#include "core/segment.h"
#include "core/sem.h"
#include "core/sysv.h"
#include "core/target.h"
#include "lib/parse.h"
#include "lib/util.h"
#include "out/format.h"

#ifndef SHM_NORESERVE
# define SHM_NORESERVE 010000
#endif

/* The JSON text of a name or path: the exact text, escaped for JSON. */
static char *json_text(const char *s)
{
	size_t len = strlen(s);
	char *out = alloc_or_err(malloc(6 * len + 1));

	json_escape(s, len, out);
	return out;
}

static void print_posix(const struct posix_dir *d, const char *name, uint64_t size, bool json)
{
	char safe[POSIX_SAFE_NAME_SIZE], *path, *jname, *jpath;

	if (!json) {
		printf("%s\n", posix_safe_name(name, safe));
		return;
	}
	if (asprintf(&path, "%s/%s", d->path, name) < 0)
		err(EXIT_FAIL, "cannot allocate memory");
	jname = json_text(name);
	jpath = json_text(path);
	printf("{\"name\": \"%s\", \"path\": \"%s\", \"size\": %llu}\n", jname, jpath,
	       (unsigned long long)size);
	free(jname);
	free(jpath);
	free(path);
}

/* --reuse: the existing object if it satisfies the request (its size at
 * least the one asked, its mode the one asked with -m: mode NULL
 * without), unchanged, and *size becomes its size; -EEXIST after saying
 * what differs otherwise. */
static int reuse_posix(const struct posix_dir *d, const char *name, uint64_t *size,
		       const unsigned int *mode)
{
	struct stat st;
	char why[96];
	int rc = posix_obj_stat(d, name, &st);

	if (rc) {
		posix_obj_warn(name, "reuse", rc);
		return rc;
	}
	if (reuse_mismatch((uint64_t)st.st_size, st.st_mode, *size, mode, why, sizeof(why))) {
		warnx_safe("cannot reuse POSIX object %s: %s", name, why);
		return -EEXIST;
	}
	*size = (uint64_t)st.st_size;
	return 0;
}

/* create --posix NAME (checked) in the /dev/shm of ns: made exclusively
 * (O_CREAT | O_EXCL) with exactly the mode asked for, then given its
 * size; a failure leaves nothing. */
static int posix_create(struct ipcns_target *ns, const char *name, uint64_t size,
			unsigned int mode, bool mode_given, bool reuse, bool json)
{
	struct posix_dir d;
	struct stat st;
	int fd, rc = 0;

	if (posix_dir_open_or_warn(&d, ns))
		return EXIT_FAIL;
	fd = posix_obj_open(&d, name, O_RDWR | O_CREAT | O_EXCL, mode, &st);
	if (fd == -EEXIST && reuse) {
		rc = reuse_posix(&d, name, &size, mode_given ? &mode : NULL);
	} else if (fd == -EEXIST) {
		warnx_safe("cannot create POSIX object %s: it already exists (use --reuse to "
			   "take it)", name);
		rc = fd;
	} else if (fd < 0) {
		posix_obj_warn(name, "create", fd);
		rc = fd;
	} else {
		if (size > (uint64_t)INT64_MAX)
			rc = -EFBIG;
		else if (ftruncate(fd, (off_t)size))
			rc = -errno;
		if (rc) {
			char human[32];
			int undone = posix_obj_unlink_made(&d, name, fd);

			fmt_size_human(human, sizeof(human), size);
			warnx_safe("cannot give POSIX object %s a size of %s: %s; %s", name, human,
				   strerror(-rc), undone == 0 ? "removed it again" :
				   undone == -ENOENT ? "it is gone already" :
				   undone == -ESTALE ? "not removed: another file has its name now" :
				   "cannot remove it again");
		}
		close(fd);
	}
	if (!rc)
		print_posix(&d, name, size, json);
	posix_dir_close(&d);
	return rc ? EXIT_FAIL : EXIT_OK;
}

static noreturn void usage(void)
{
	fputs("Usage: shmtool create -s SIZE [options]\n"
	      "       shmtool create -s SIZE [options] --posix NAME\n"
	      "\n"
	      "Create a segment and print its id. Without -k or --ftok the segment is\n"
	      "private (IPC_PRIVATE): only its id names it.\n"
	      "\n"
	      "Options:\n"
	      "      --posix             create the POSIX shared memory object NAME or\n"
	      "                          /NAME (/dev/shm) instead and print its name;\n"
	      "                          with -s, -m, --reuse and -J only\n"
	      "  -s, --size SIZE         size in bytes (decimal or 0x hex), or with K, M,\n"
	      "                          G, T (KiB...) or KB, MB, GB, TB suffixes\n"
	      "  -k, --key KEY           the segment's key (hex 0x..., octal 0... or decimal)\n"
	      "      --ftok PATH[:PROJ]  the key that ftok(3) gives for PATH (PROJ: one\n"
	      "                          character, or 1-255 with 2+ digits or 0x..;\n"
	      "                          default 'R')\n"
	      "  -m, --mode MODE         octal permissions (default 0600)\n"
	      "      --reuse             if the key exists, print that segment's id\n"
	      "                          instead of failing, when it is at least SIZE\n"
	      "                          (and of MODE with -m)\n"
	      "      --hugetlb           use huge pages (SHM_HUGETLB)\n"
	      "      --noreserve         reserve no swap space (SHM_NORESERVE)\n"
	      "      --lock              lock the segment in memory (SHM_LOCK)\n"
	      "      --sem[=KEY]         make the semaphore set beside it too, of the\n"
	      "                          segment's key (or KEY) and mode: one semaphore,\n"
	      "                          free (1), for cat and attach-write --sem\n"
	      "  -J, --json              print {\"id\": ..., \"key\": ..., \"size\": ...}\n"
	      "  -h, --help              show this help and exit\n", stdout);
	exit_help();
}

enum {
	OPT_REUSE = 0x100,
	OPT_HUGETLB,
	OPT_NORESERVE,
	OPT_LOCK,
	OPT_SEM,
};

static const char shortopts[] = "s:k:m:Jh";

static const struct option longopts[] = {
	{ "size",      required_argument, NULL, 's' },
	TARGET_LONGOPTS,
	{ "mode",      required_argument, NULL, 'm' },
	{ "reuse",     no_argument,       NULL, OPT_REUSE },
	{ "hugetlb",   no_argument,       NULL, OPT_HUGETLB },
	{ "noreserve", no_argument,       NULL, OPT_NORESERVE },
	{ "lock",      no_argument,       NULL, OPT_LOCK },
	{ "sem",       optional_argument, NULL, OPT_SEM },
	{ "json",      no_argument,       NULL, 'J' },
	{ "help",      no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* options that may not be given together */
static const struct excl_group excl[] = {
	{ { 'k', TARGET_FTOK_OPTION } },
};

/* HugePages_Free of /proc/meminfo, or -1. */
static long free_huge_pages(void)
{
	char line[128];
	long n = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "HugePages_Free: %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* shmget with SHM_HUGETLB failed for want of memory: the pool of huge
 * pages is what is short, and sysctl fills it. */
static void explain_hugetlb(const char *human)
{
	long n = free_huge_pages();

	if (n >= 0)
		warnx("cannot create segment of %s: not enough huge pages (%ld free in the "
		      "hugetlb pool; reserve more with sysctl vm.nr_hugepages)", human, n);
	else
		warnx("cannot create segment of %s: not enough huge pages (reserve them with "
		      "sysctl vm.nr_hugepages)", human);
}

/* Say why shmget failed, naming the limit involved. */
static void explain_failure(int rc, const struct target *t, uint64_t size, int32_t key,
			    int flags)
{
	struct sysv_limits lim = { 0 };
	struct sysv_usage used = { 0 };
	char human[32];

	fmt_size_human(human, sizeof(human), size);
	switch (-rc) {
	case EEXIST: {
		int id = sysv_id_of_key(key);

		if (id >= 0)
			warnx("cannot create segment: key 0x%08x already exists as segment %d "
			      "(use --reuse to take it)", (uint32_t)key, id);
		else
			warnx("cannot create segment: key 0x%08x already exists", (uint32_t)key);
		return;
	}
	case EINVAL:
		if (sysv_limits(&lim) == 0 && size > lim.shmmax) {
			warnx("cannot create segment: size %s (%llu bytes) is above "
			      "kernel.shmmax (%llu bytes)", human, (unsigned long long)size,
			      (unsigned long long)lim.shmmax);
			return;
		}
		if (t)
			warnx("cannot create segment: key 0x%08x exists with a smaller size",
			      (uint32_t)key);
		else
			warnx("cannot create segment of %s: invalid size", human);
		return;
	case ENOSPC:
		if (sysv_limits(&lim) == 0 && sysv_usage(&used) == 0 && used.segments >= lim.shmmni)
			warnx("cannot create segment: too many segments "
			      "(kernel.shmmni = %llu)", (unsigned long long)lim.shmmni);
		else
			warnx("cannot create segment of %s: it would exceed kernel.shmall "
			      "(%llu pages in all)", human, (unsigned long long)lim.shmall);
		return;
	case ENOMEM:
		if (flags & SHM_HUGETLB)
			explain_hugetlb(human);
		else
			warnx("cannot create segment of %s: not enough memory", human);
		return;
	case EACCES:
	case EPERM:
		if (flags & SHM_HUGETLB)
			warnx("cannot create segment: permission denied (huge pages need "
			      "CAP_IPC_LOCK or the group of vm.hugetlb_shm_group)");
		else
			warnx("cannot create segment: permission denied");
		return;
	default:
		warnx("cannot create segment: %s", strerror(-rc));
	}
}

/* --reuse: the existing segment if it satisfies the request (its size
 * at least the one asked, its mode the one asked with -m: mode NULL
 * without), and *size becomes its size; -EEXIST after saying what
 * differs otherwise. */
static int reuse_existing(int32_t key, uint64_t *size, const unsigned int *mode)
{
	struct shm_segment seg;
	char why[96];
	int id = sysv_id_of_key(key), rc;

	if (id < 0)
		return id;
	rc = sysv_stat(id, &seg);
	if (rc)
		return rc;
	if (reuse_mismatch(seg.size, seg.mode, *size, mode, why, sizeof(why))) {
		warnx("cannot reuse segment %d of key 0x%08x: %s", id, (uint32_t)key, why);
		return -EEXIST;
	}
	*size = seg.size;
	return id;
}

static int run_create(int argc, char **argv, struct shm_ctx *ctx)
{
	struct target_args t = { 0 };
	struct target_list *keys = &t.list;     /* -k or --ftok, at most one */
	uint64_t size = 0;
	unsigned int mode = 0600;
	bool have_size = false, have_mode = false, reuse = false, reused = false, lock = false;
	bool json = false, sem = false;
	int flags = IPC_EXCL, c, rc, id, excl_seen[EXCL_COUNT(excl)] = { 0 };
	int32_t key = 0, sem_key = 0;

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		excl_check_or_err("create", longopts, excl, EXCL_COUNT(excl), excl_seen, c);
		if (c == 'k' && parse_key(optarg, &key) == 0 && key == 0)
			usage_errx("create", "key 0 is IPC_PRIVATE, the key of no segment: a "
				   "private segment is made without -k");
		if (target_handle_option(&t, c, optarg, "create"))
			continue;
		switch (c) {
		case 's':
			rc = parse_size(optarg, &size);
			if (rc == -ERANGE)
				usage_errx("create", "size out of range: '%s'", optarg);
			if (rc)
				usage_errx("create", "invalid size: '%s'", optarg);
			if (size == 0)
				usage_errx("create", "invalid size: '%s' (at least 1 byte)", optarg);
			have_size = true;
			break;
		case 'm':
			rc = parse_mode(optarg, &mode);
			if (rc)
				usage_errx("create", "invalid mode: '%s' (octal, 0 to 0777)", optarg);
			have_mode = true;
			break;
		case OPT_REUSE:
			reuse = true;
			break;
		case OPT_HUGETLB:
			flags |= SHM_HUGETLB;
			t.sysv_only = "hugetlb";
			break;
		case OPT_NORESERVE:
			flags |= SHM_NORESERVE;
			t.sysv_only = "noreserve";
			break;
		case OPT_LOCK:
			lock = true;
			t.sysv_only = "lock";
			break;
		case OPT_SEM:
			if (optarg && (parse_key(optarg, &sem_key) || sem_key == 0))
				usage_errx("create", "invalid semaphore key: '%s' (not 0)", optarg);
			sem = true;
			t.sysv_only = "sem";
			break;
		case 'J':
			json = true;
			break;
		case 'h':
			usage();
		default:
			usage_hint_option("create", argv, longopts);
		}
	}
	if (t.posix && t.sysv_only)
		posix_refuse_or_err("create", t.sysv_only);
	if (t.posix && optind == argc)
		usage_errx("create", "no POSIX object name given");
	if (optind + (t.posix ? 1 : 0) < argc)
		usage_errx("create", "unexpected argument '%s'", argv[optind + (t.posix ? 1 : 0)]);
	if (!have_size)
		usage_errx("create", "no size given (-s SIZE)");
	if (t.posix) {
		const char *name = posix_name_or_err(argv[optind], "create");

		shm_ctx_enter_or_err(ctx, "create", true);
		return posix_create(&ctx->ns, name, size, mode, have_mode, reuse, json);
	}
	if (keys->n > 1)        /* one of them given twice */
		usage_errx("create", "give at most one of --key and --ftok");
	if (reuse && keys->n == 0)
		usage_errx("create", "--reuse needs --key or --ftok");
	if (sem && !sem_key && keys->n == 0)
		usage_errx("create", "--sem needs a key: --key, --ftok or --sem=KEY (a private "
			   "segment has none to share)");
	shm_ctx_enter_or_err(ctx, "create", false);

	if (keys->n == 1) {
		struct target *k = &keys->v[0];

		if (k->kind == TARGET_FTOK) {
			rc = sysv_ftok(k->path, k->proj, &k->key);
			if (rc) {
				warnx_safe("cannot use '%s' for ftok: %s", k->path, strerror(-rc));
				target_args_free(&t);
				return EXIT_FAIL;
			}
		}
		key = k->key;
	}

	id = sysv_create(key, size, flags, mode);
	if (id == -EEXIST && reuse) {
		id = reuse_existing(key, &size, have_mode ? &mode : NULL);
		reused = id >= 0;
		if (id == -EEXIST) {    /* said what differs */
			target_args_free(&t);
			return EXIT_FAIL;
		}
	}
	if (id < 0) {
		explain_failure(id, keys->n ? &keys->v[0] : NULL, size, key, flags);
		target_args_free(&t);
		return EXIT_FAIL;
	}
	target_args_free(&t);

	if (lock) {
		rc = sysv_lock(id);
		if (rc && reused) {
			warnx("cannot lock segment %d: %s", id, errno_text(-rc));
			return EXIT_FAIL;
		}
		if (rc) {
			/* a failed create leaves nothing behind */
			sysv_remove(id);
			warnx("cannot lock the new segment: %s; removed it again", errno_text(-rc));
			return EXIT_FAIL;
		}
	}
	if (sem) {
		rc = sem_set_create(sem_key ? sem_key : key, mode);
		if (rc == -EEXIST && reused) {
			/* the segment's own set, kept as it is */
		} else if (rc < 0) {
			if (!reused)
				sysv_remove(id);        /* a failed create leaves nothing */
			warnx("cannot make the semaphore set of key 0x%08x: %s%s",
			      (uint32_t)(sem_key ? sem_key : key),
			      rc == -EEXIST ? "the key has a set already" : errno_text(-rc),
			      reused ? "" : "; removed the new segment again");
			return EXIT_FAIL;
		}
	}
	if (json)
		printf("{\"id\": %d, \"key\": \"0x%08x\", \"size\": %llu}\n",
		       id, (uint32_t)key, (unsigned long long)size);
	else
		printf("%d\n", id);
	return EXIT_OK;
}

const struct command cmd_create = {
	.name = "create",
	.run = run_create,
	.summary = "make a segment",
};
