/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool metrics: the segments and the limits as Prometheus metrics,
 * for node_exporter's textfile collector. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "core/names.h"
#include "core/posix-shm.h"
#include "core/segment.h"
#include "core/sysv.h"
#include "lib/array.h"
#include "lib/util.h"
#include "out/columns.h"
#include "out/metrics-text.h"

static noreturn void usage(void)
{
	fputs("Usage: shmtool metrics [options]\n"
	      "\n"
	      "Print the segments of this IPC namespace and the kernel's limits as\n"
	      "Prometheus metrics (text format), for node_exporter's textfile collector:\n"
	      "segments and bytes in total, orphaned and per owner; shmmax, shmall and\n"
	      "shmmni and how much of each is used.\n"
	      "\n"
	      "Options:\n"
	      "  -A, --all-namespaces    every IPC namespace that a process on the host is\n"
	      "                          in: each series labelled ipc_namespace (and\n"
	      "                          container_id, pod_uid, unit of its oldest process)\n"
	      "      --posix             the POSIX shared memory objects (/dev/shm) too:\n"
	      "                          objects and bytes in total, orphaned (neither\n"
	      "                          mapped nor open) and per owner; the file system's\n"
	      "                          size and use\n"
	      "      --textfile FILE     write to FILE, atomically (a temporary file in\n"
	      "                          the same directory, then renamed), not to stdout\n"
	      "      --output FILE       the old name of --textfile, for a while\n"
	      "  -h, --help              show this help and exit\n"
	      "\n"
	      "Example: shmtool metrics --textfile /var/lib/prometheus/node-exporter/shmtool.prom\n",
	      stdout);
	exit_help();
}

enum { OPT_TEXTFILE = 0x100, OPT_OUTPUT, OPT_POSIX };

static const char shortopts[] = "Ah";

/* options that may not be given together */
static const struct excl_group excl[] = {
	{ { OPT_POSIX, 'A' } },
};

static const struct option longopts[] = {
	{ "textfile", required_argument, NULL, OPT_TEXTFILE },
	/* the old name: -o/--output is COLUMNS in every other command */
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "posix",  no_argument,       NULL, OPT_POSIX },
	{ "all-namespaces", no_argument, NULL, 'A' },
	{ "help",   no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Write the metrics to a temporary file beside path, then rename it over
 * path: a reader sees the old file or the new one, never half of one.
 * Returns 0 or -errno. */
static int write_atomic(const char *path, const struct metrics *m, size_t n)
{
	char *copy1 = strdup(path), *copy2 = strdup(path), *tmp = NULL;
	FILE *f = NULL;
	int fd = -1, rc = 0;

	if (!copy1 || !copy2 ||
	    asprintf(&tmp, "%s/.%s.XXXXXX", dirname(copy1), basename(copy2)) < 0) {
		tmp = NULL;
		rc = -ENOMEM;
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		free(tmp);
		tmp = NULL;
		goto out;
	}
	/* node_exporter runs as another user: the file is for everyone to read */
	if (fchmod(fd, 0644) || !(f = fdopen(fd, "w"))) {
		rc = -errno;
		close(fd);
		goto out;
	}
	rc = metrics_write(f, m, n);
	if (!rc && (fflush(f) || fsync(fileno(f))))
		rc = -errno;
	if (fclose(f) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
out:
	if (rc && tmp)
		unlink(tmp);
	free(tmp);
	free(copy1);
	free(copy2);
	return rc;
}

/* metrics --posix: the objects of /dev/shm (of --ipc-ns PID's mount
 * namespace), which of them are used, and their file system. Returns 0,
 * or -errno when the directory or /proc cannot be read. */
static int collect_posix(struct ipcns_target *ns, struct metrics *m, struct name_cache *names)
{
	struct posix_vec objs = { 0 };
	struct statvfs fs;
	char dir[64];
	int dfd, rc;

	posix_shm_dir(ns, dir, sizeof(dir));
	dfd = posix_shm_dir_open(ns);
	rc = dfd < 0 ? dfd : posix_load(ns, dfd, &objs);
	if (rc) {
		warnx("cannot read %s: %s", dir, posix_shm_dir_problem(rc));
		goto out;
	}
	rc = posix_scan_use(&objs);
	if (rc) {
		/* unknown use: no object could honestly be called orphaned */
		warnx("cannot scan /proc for the processes using POSIX objects: %s",
		      strerror(-rc));
		goto out;
	}
	if (metrics_collect_posix(m, objs.v, objs.n))
		err(EXIT_FAIL, "cannot allocate memory");
	metrics_posix_scan(m, objs.denied, objs.hidden != 0);
	for (size_t i = 0; i < m->posix.objs.nowners; i++)
		m->posix.objs.owners[i].user = names_user(names, m->posix.objs.owners[i].uid);
	if (fstatvfs(dfd, &fs) == 0) {
		m->posix.has_fs = true;
		m->posix.fs_size = (uint64_t)fs.f_blocks * fs.f_frsize;
		m->posix.fs_used = (uint64_t)(fs.f_blocks - fs.f_bfree) * fs.f_frsize;
	}
out:
	if (dfd >= 0)
		close(dfd);
	posix_vec_free(&objs);
	return rc;
}

/* The segments and limits of the namespace this process is in now.
 * Returns EXIT_OK, EXIT_FAIL (the limits could not be read: the rest is
 * there), or -1 when the segments could not be read (said). */
static int collect_sysv(struct metrics *m, struct name_cache *names, struct shm_vec *segs)
{
	struct sysv_usage usage;
	int rc = segments_load(0, segs);

	if (rc) {
		warnx("cannot read the segment list: %s", strerror(-rc));
		return -1;
	}
	if (metrics_collect(m, segs->v, segs->n))
		err(EXIT_FAIL, "cannot allocate memory");
	for (size_t i = 0; i < m->segs.nowners; i++)
		m->segs.owners[i].user = names_user(names, m->segs.owners[i].uid);
	/* without the limits the segment metrics are still worth having */
	rc = sysv_limits(&m->limits);
	if (rc)
		warnx("cannot read the limits: %s", strerror(-rc));
	m->has_limits = rc == 0;
	m->has_pages = sysv_usage(&usage) == 0;
	m->pages = usage.pages;
	return rc ? EXIT_FAIL : EXIT_OK;
}

/* -A: the figures of each namespace, and the labels that tell them apart */
struct all_ctx {
	struct metrics *ms;
	size_t n, cap;
	struct name_cache *names;
	struct shm_vec segs;    /* each namespace's in turn */
};

/* The labels of a namespace: its inode, and who runs its oldest process
 * (container, pod, unit: those its cgroup path tells). */
static char *ns_labels(const struct ipcns_info *ns, struct name_cache *names)
{
	static const struct {
		const char *label;
		int col;
	} owners[] = {
		/* not container and pod, the labels a Kubernetes scrape gives
		 * the node exporter's own pod, which would rename these */
		{ "container_id", COL_CONTAINER }, { "pod_uid", COL_POD }, { "unit", COL_UNIT },
	};
	const char *path = names_cgroup(names, ns->pid);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		err(EXIT_FAIL, "cannot allocate memory");
	fprintf(f, "ipc_namespace=\"%llu\"", (unsigned long long)ns->inode);
	for (size_t i = 0; path && i < sizeof(owners) / sizeof(owners[0]); i++) {
		char value[512];
		const char *v = column_owner_value(owners[i].col, path, value, sizeof(value));

		if (!v)
			continue;
		fprintf(f, ",%s=\"", owners[i].label);
		metrics_put_label_value(f, v);
		fputc('"', f);
	}
	if (fclose(f))
		err(EXIT_FAIL, "cannot allocate memory");
	return text;
}

static int collect_ns(struct ipcns_info *ns, void *arg)
{
	struct all_ctx *a = arg;
	struct metrics m = { 0 };
	int rc;

	a->segs.n = 0;
	rc = collect_sysv(&m, a->names, &a->segs);
	if (rc < 0) {
		metrics_free(&m);
		return -1;
	}
	m.labels = ns_labels(ns, a->names);
	if (ARRAY_PUSH(a->ms, a->n, a->cap, m))
		err(EXIT_FAIL, "cannot allocate memory");
	return rc;
}

static int run_metrics(int argc, char **argv, struct shm_ctx *ctx)
{
	struct metrics m = { 0 };
	struct all_ctx all = { 0 };
	struct ipcns_vec nsv = { 0 };
	struct shm_vec segs = { 0 };
	struct name_cache *names;
	const char *output = NULL;
	bool posix = false, every = false;
	int c, rc, status = EXIT_OK, excl_seen[EXCL_COUNT(excl)] = { 0 };

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		excl_check_or_err("metrics", longopts, excl, EXCL_COUNT(excl), excl_seen, c);
		switch (c) {
		case OPT_OUTPUT:
			warnx("--output FILE is now --textfile FILE (--output is the columns "
			      "of a table in every other command)");
			/* fall through */
		case OPT_TEXTFILE:
			output = optarg;
			break;
		case OPT_POSIX:
			posix = true;
			break;
		case 'A':
			every = true;
			break;
		case 'h':
			usage();
		default:
			usage_hint_option("metrics", argv, longopts);
		}
	}
	if (optind < argc)
		usage_errx("metrics", "unexpected argument '%s'", argv[optind]);
	if (output && !*output)
		usage_errx("metrics", "--textfile needs a file name");
	shm_ctx_refuse_all_or_err(ctx, "metrics", every);
	shm_ctx_enter_or_err(ctx, "metrics", posix);
	names = alloc_or_err(names_new());

	if (every) {
		all.names = names;
		if (shm_ctx_each_ns_or_err(&nsv, collect_ns, &all))
			status = EXIT_FAIL;
	} else {
		rc = collect_sysv(&m, names, &segs);
		if (rc < 0) {
			names_free(names);
			metrics_free(&m);
			return EXIT_FAIL;
		}
		status = rc;
		/* without them the System V metrics are still written */
		if (posix && collect_posix(&ctx->ns, &m, names))
			status = EXIT_FAIL;
		all.ms = &m;
		all.n = 1;
	}

	if (output) {
		rc = write_atomic(output, all.ms, all.n);
		if (rc) {
			warnx("cannot write %s: %s", output, strerror(-rc));
			status = EXIT_FAIL;
		}
	} else {
		/* a write error shows in close_stdout_status(), | head is none */
		(void)metrics_write(stdout, all.ms, all.n);
	}
	if (every) {
		for (size_t i = 0; i < all.n; i++) {
			free((char *)all.ms[i].labels);
			metrics_free(&all.ms[i]);
		}
		free(all.ms);
	}
	names_free(names);
	metrics_free(&m);
	shm_vec_free(&segs);
	shm_vec_free(&all.segs);
	ipcns_vec_free(&nsv);
	return status;
}

const struct command cmd_metrics = {
	.name = "metrics",
	.run = run_metrics,
	.summary = "print Prometheus metrics of the segments and limits",
};
