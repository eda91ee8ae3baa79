/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool stat: everything known about some segments. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/args.h"
#include "cmd/commands.h"
#include "core/attach.h"
#include "core/names.h"
#include "core/posix-shm.h"
#include "core/proc-shm.h"
#include "core/procfs.h"
#include "core/segment.h"
#include "core/sem.h"
#include "core/sysv.h"
#include "core/target.h"
#include "lib/util.h"
#include "out/format.h"
#include "out/output.h"
#include "out/record.h"

/* The exact path of an object: each output puts it in its form. */
static char *path_of(const struct posix_dir *d, const char *name)
{
	char *path;

	if (asprintf(&path, "%s/%s", d->path, name) < 0)
		err(EXIT_FAIL, "cannot allocate memory");
	return path;
}

static const char *use_text(const struct posix_obj *o, bool scanned)
{
	if (!scanned)
		return NULL;
	return fmt_posix_use(o->use);
}

static int cmp_holder(const void *a, const void *b)
{
	pid_t x = ((const struct posix_holder *)a)->pid, y = ((const struct posix_holder *)b)->pid;

	return (x > y) - (x < y);
}

/* The user and command of a holder; NULL when it has exited since. */
static void identify(const struct posix_holder *h, const struct render_opts *ro,
		     const char **user, const char **cmd)
{
	struct proc_ident pi;

	*user = *cmd = NULL;
	if (procfs_identify(h->pid, &pi) == 0) {
		*user = names_user(ro->names, pi.uid);
		*cmd = names_command(ro->names, h->pid, pi.start);
	}
}

/* The processes that use POSIX objects: text under each record (no
 * NAME), or with JSON a document of its own, NAME saying whose. */
static const struct record_field holder_fields[] = {
	{ "NAME", 0, 0, SCOLS_JSON_STRING },
	{ "PID", 6, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	{ "USER", 6, 0, SCOLS_JSON_STRING },
	{ "COMMAND", 0.5, SCOLS_FL_TRUNC, SCOLS_JSON_STRING },
	{ "USE", 6, 0, SCOLS_JSON_STRING },
};

static void add_posix_holders(struct libscols_table *tb, const struct posix_obj *o, bool json,
			      const struct render_opts *ro)
{
	size_t c = json ? 0 : 1;        /* the first field of holder_fields shown */

	for (size_t i = 0; i < o->nholders; i++) {
		struct libscols_line *ln = alloc_or_err(scols_table_new_line(tb, NULL));
		const char *user, *cmd;

		identify(&o->holders[i], ro, &user, &cmd);
		if (json)
			record_set_form(ln, 0, o->name, ro->text);
		record_set_number(ln, 1 - c, (unsigned long long)o->holders[i].pid);
		record_set_form(ln, 2 - c, user, ro->text);
		record_set_form(ln, 3 - c, cmd, ro->text);
		scols_line_set_data(ln, 4 - c, fmt_posix_use(o->holders[i].use));
	}
}

static void print_posix_holders(const struct posix_obj *o, const struct output_opts *oo,
				const struct render_opts *ro)
{
	struct libscols_table *tb = record_fields_table(oo, "processes", holder_fields + 1,
							ARRAY_SIZE(holder_fields) - 1);

	add_posix_holders(tb, o, false, ro);
	putchar('\n');
	scols_print_table(tb);
	scols_unref_table(tb);
}

static void print_posix_record(const struct posix_dir *d, const struct posix_obj *o, bool scanned,
			       const struct output_opts *oo, const struct render_opts *ro)
{
	struct libscols_table *tb = record_new();
	char *path = path_of(d, o->name);
	const char *use = use_text(o, scanned);
	char buf[64];

	record_add(tb, "Name:", o->name);
	record_add(tb, "Path:", path);
	record_add_size(tb, "Size:", o->size);
	record_addf(tb, "Owner:", "%s (uid %u)", names_user(ro->names, o->uid), (unsigned)o->uid);
	record_addf(tb, "Group:", "%s (gid %u)", names_group(ro->names, o->gid), (unsigned)o->gid);
	fmt_perms(buf, sizeof(buf), o->mode & 0777, 0);
	record_addf(tb, "Mode:", "%04o (%s)", o->mode, buf);
	record_add_time(tb, "Modified:", o->mtime, ro->tfmt, ro->now);
	posix_obj_device(o, buf, sizeof(buf));
	record_add(tb, "Device:", buf);
	record_addf(tb, "Inode:", "%llu", (unsigned long long)o->ino);
	record_add(tb, "Use:", use ? use : "unknown");
	if (scanned)
		record_addf(tb, "Processes:", "%u", (unsigned)o->nprocs);
	else
		record_add(tb, "Processes:", "unknown");
	scols_print_table(tb);
	scols_unref_table(tb);
	if (o->nholders)
		print_posix_holders(o, oo, ro);
	free(path);
}

/* stat --posix -J: a document "posix" of the objects' fields, then one
 * "processes" of the processes that use them. */
static const struct record_field posix_fields[] = {
	{ "NAME", 0, 0, SCOLS_JSON_STRING }, { "PATH", 0, 0, SCOLS_JSON_STRING },
	{ "SIZE", 0, 0, SCOLS_JSON_NUMBER }, { "OWNER", 0, 0, SCOLS_JSON_STRING },
	{ "UID", 0, 0, SCOLS_JSON_NUMBER }, { "GROUP", 0, 0, SCOLS_JSON_STRING },
	{ "GID", 0, 0, SCOLS_JSON_NUMBER }, { "MODE", 0, 0, SCOLS_JSON_STRING },
	{ "PERMS", 0, 0, SCOLS_JSON_STRING }, { "MTIME", 0, 0, SCOLS_JSON_STRING },
	{ "DEVICE", 0, 0, SCOLS_JSON_STRING }, { "INODE", 0, 0, SCOLS_JSON_NUMBER },
	{ "USE", 0, 0, SCOLS_JSON_STRING }, { "NPROCS", 0, 0, SCOLS_JSON_NUMBER },
};

static void add_posix_fields(struct libscols_table *tb, const struct posix_dir *d,
			     const struct posix_obj *o, bool scanned, const struct render_opts *ro)
{
	struct libscols_line *ln = alloc_or_err(scols_table_new_line(tb, NULL));
	char buf[64], *path = path_of(d, o->name);

	record_set_form(ln, 0, o->name, ro->text);
	record_set_form(ln, 1, path, ro->text);
	record_set_number(ln, 2, o->size);
	record_set_form(ln, 3, names_user(ro->names, o->uid), ro->text);
	record_set_number(ln, 4, o->uid);
	record_set_form(ln, 5, names_group(ro->names, o->gid), ro->text);
	record_set_number(ln, 6, o->gid);
	snprintf(buf, sizeof(buf), "%04o", o->mode);
	scols_line_set_data(ln, 7, buf);
	fmt_perms(buf, sizeof(buf), o->mode & 0777, 0);
	scols_line_set_data(ln, 8, buf);
	scols_line_set_data(ln, 9, fmt_time(buf, sizeof(buf), o->mtime, ro->tfmt, ro->now));
	posix_obj_device(o, buf, sizeof(buf));
	scols_line_set_data(ln, 10, buf);
	record_set_number(ln, 11, o->ino);
	scols_line_set_data(ln, 12, use_text(o, scanned));
	if (scanned)
		record_set_number(ln, 13, o->nprocs);
	free(path);
}

static int print_posix_json(const struct posix_dir *d, const struct posix_vec *objs,
			    bool scanned, const struct output_opts *oo,
			    const struct render_opts *ro)
{
	struct libscols_table *tb = record_fields_table(oo, "posix", posix_fields,
							ARRAY_SIZE(posix_fields));
	struct libscols_table *ptb = record_fields_table(oo, "processes", holder_fields,
							 ARRAY_SIZE(holder_fields));
	int rc;

	for (size_t i = 0; i < objs->n; i++) {
		add_posix_fields(tb, d, &objs->v[i], scanned, ro);
		add_posix_holders(ptb, &objs->v[i], true, ro);
	}
	rc = output_print(oo, tb);
	if (!rc)
		rc = output_print(oo, ptb);
	scols_unref_table(tb);
	scols_unref_table(ptb);
	return rc;
}

static int posix_stat(struct ipcns_target *ns, const char *const *names, size_t n,
		      const struct output_opts *oo)
{
	struct posix_dir d;
	struct posix_vec objs = { 0 };
	struct name_cache *nc;
	struct render_opts ro;
	bool failed = false, scanned;

	if (posix_dir_open_or_warn(&d, ns))
		return EXIT_FAIL;
	scanned = posix_collect(&d, names, n, "read", &objs, &failed) == 0;
	nc = alloc_or_err(names_new());
	output_render_opts(oo, nc, &ro);
	for (size_t i = 0; i < objs.n; i++) {
		struct posix_obj *o = &objs.v[i];

		if (o->nholders > 1)
			qsort(o->holders, o->nholders, sizeof(o->holders[0]), cmp_holder);
		if (oo->json)
			continue;
		if (i)
			putchar('\n');
		print_posix_record(&d, o, scanned, oo, &ro);
	}
	if (oo->json && print_posix_json(&d, &objs, scanned, oo, &ro)) {
		warnx("cannot print the table: %s", strerror(ENOMEM));
		failed = true;
	}
	names_free(nc);
	posix_vec_free(&objs);
	posix_dir_close(&d);
	return failed || !scanned ? EXIT_FAIL : EXIT_OK;
}

static noreturn void usage(void)
{
	fputs("Usage: shmtool stat [options] ID...\n"
	      "       shmtool stat [options] -k KEY...\n"
	      "       shmtool stat [options] --posix NAME...\n"
	      "\n"
	      "Show everything known about segments, named by id or by key, and the\n"
	      "processes attached to them: their mappings, access and address ranges.\n"
	      "\n"
	      "Options:\n"
	      "      --posix             POSIX shared memory objects (/dev/shm) by NAME\n"
	      "                          or /NAME instead, and who maps or holds them open\n"
	      "  -k, --key KEY           a segment by key (repeatable)\n"
	      "      --ftok PATH[:PROJ]  a segment by the key ftok(3) gives (PROJ: one\n"
	      "                          character, or 1-255 with 2+ digits or 0x..;\n"
	      "                          default 'R'; repeatable)\n"
	      "  -M, --memory            also resident and swapped bytes (reads the whole\n"
	      "                          segment list)\n"
	      "  -J, --json              JSON output (the columns of 'list --output-all')\n"
	      "      --time-format FMT   short, full (default) or iso\n"
	      "  -h, --help              show this help and exit\n", stdout);
	exit_help();
}

/* -M: -m is --mode in create, one letter for one meaning */
static const char shortopts[] = "k:MJh";

static const struct option longopts[] = {
	TARGET_LONGOPTS,
	{ "memory",      no_argument,       NULL, 'M' },
	{ "json",        no_argument,       NULL, 'J' },
	{ "time-format", required_argument, NULL, OPT_TIME_FORMAT },
	{ "help",        no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* pid and, if it still names the process of the second `by`, its
 * command; "not running" only when the kernel says so. pid 0 is "none"
 * unless the event happened: then a process in a PID namespace this one
 * does not see. */
static void add_pid(struct libscols_table *tb, const char *name, pid_t pid, bool happened,
		    int64_t by, const struct render_opts *ro)
{
	enum proc_match m = pid > 0 ? names_process(ro->names, pid, by) : PROC_UNKNOWN;
	const char *cmd = m == PROC_SAME ? names_command(ro->names, pid, by) : NULL;

	if (pid <= 0 && !happened)
		record_add(tb, name, "none");
	else if (pid <= 0)
		record_add(tb, name, "unknown (in a PID namespace not visible here)");
	else if (cmd)
		record_addf(tb, name, "%d (%s)", (int)pid, cmd);
	else if (m == PROC_SAME)
		record_addf(tb, name, "%d", (int)pid);
	else if (m == PROC_GONE)
		record_addf(tb, name, "%d (not running)", (int)pid);
	else if (m == PROC_LATER)
		record_addf(tb, name, "%d (unknown: the pid runs a process started after the "
			    "segment)", (int)pid);
	else
		record_addf(tb, name, "%d (unknown: not visible here)", (int)pid);
}

static void add_processes(struct libscols_table *tb, const struct shm_segment *s,
			  const struct attach_seg *as, const struct render_opts *ro)
{
	size_t n = as ? as->nprocs : 0;
	uint64_t maps = as ? as->mappings : 0;

	if (!ro->attach)
		record_add(tb, "Processes:", "unknown");
	else if (attach_is_partial(as, s->nattch))
		record_addf(tb, "Processes:", "%zu+ (partial: %llu of %llu mappings found)", n,
			   (unsigned long long)maps, (unsigned long long)s->nattch);
	else
		record_addf(tb, "Processes:", "%zu", n);
}

/* The attached processes: text under each record (no ID), or with JSON
 * a document of its own, ID saying whose. */
static const struct record_field proc_fields[] = {
	{ "ID", 0, 0, SCOLS_JSON_NUMBER },
	{ "PID", 6, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	{ "USER", 8, 0, SCOLS_JSON_STRING },
	{ "COMMAND", 0.3, SCOLS_FL_TRUNC, SCOLS_JSON_STRING },
	{ "MAPPINGS", 3, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	{ "ACCESS", 5, 0, SCOLS_JSON_STRING },
	{ "RANGES", 0.3, SCOLS_FL_WRAP, SCOLS_JSON_STRING },
};

static void add_procs(struct libscols_table *tb, int shmid, const struct attach_seg *as,
		      bool json, const struct render_opts *ro)
{
	struct attach_buf ranges = { 0 };
	size_t c = json ? 0 : 1;        /* the first field of proc_fields shown */

	for (size_t i = 0; as && i < as->nprocs; i++) {
		const struct attach_proc *p = &as->procs[i];
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		struct proc_ident pi;

		if (!ln || attach_format_ranges(p, &ranges))
			err(EXIT_FAIL, "cannot allocate memory");
		if (json)
			record_set_number(ln, 0, (unsigned long long)shmid);
		record_set_number(ln, 1 - c, (unsigned long long)p->pid);
		if (procfs_identify(p->pid, &pi) == 0) {
			record_set_form(ln, 2 - c, names_user(ro->names, pi.uid), ro->text);
			record_set_form(ln, 3 - c, names_command(ro->names, p->pid, pi.start),
					ro->text);
		}
		record_set_number(ln, 4 - c, p->nmaps);
		scols_line_set_data(ln, 5 - c, attach_access_text(p->access));
		scols_line_set_data(ln, 6 - c, ranges.p);
	}
	attach_buf_free(&ranges);
}

static int print_attached(const struct attach_seg *as, const struct output_opts *oo,
			  const struct render_opts *ro)
{
	struct libscols_table *tb = record_fields_table(oo, "processes", proc_fields + 1,
							ARRAY_SIZE(proc_fields) - 1);
	int rc;

	add_procs(tb, as->shmid, as, false, ro);
	putchar('\n');
	rc = scols_print_table(tb);
	scols_unref_table(tb);
	return rc;
}

/* stat -J: a document "shm" of the segments, every column of list
 * --output-all, then one "processes" of the processes attached. */
static int print_json(const struct shm_segment *segs, size_t n, const struct output_opts *oo,
		      const struct render_opts *ro)
{
	struct libscols_table *ptb = record_fields_table(oo, "processes", proc_fields,
							 ARRAY_SIZE(proc_fields));
	struct column_list cols;
	int rc;

	output_all_columns(&cols, SCOPE_ALL);
	for (size_t i = 0; ro->attach && i < n; i++)
		add_procs(ptb, segs[i].id, attach_find(ro->attach, segs[i].id), true, ro);
	rc = output_segments(oo, &cols, segs, n, ro);
	if (!rc)
		rc = output_print(oo, ptb);
	scols_unref_table(ptb);
	return rc;
}

/* The semaphore set of the same key, if there is one: the lock the
 * programs sharing the segment take (cat and attach-write --sem), whether
 * it is held, by whom last, and who waits. */
static void add_semaphores(struct libscols_table *tb, const struct shm_segment *s)
{
	struct sem_state st[8];
	size_t n = 0;
	int id, rc = s->key ? sem_set_state(s->key, &id, st, 8, &n) : -ENOENT;

	if (rc == -ENOENT)
		return;
	if (rc) {
		record_addf(tb, "Semaphores:", "a set of the same key, unreadable: %s",
			    errno_text(-rc));
		return;
	}
	record_addf(tb, "Semaphores:", "set %d of the same key, %zu semaphore%s", id, n,
		    n == 1 ? "" : "s");
	for (size_t i = 0; i < n && i < 8; i++) {
		char name[32];

		snprintf(name, sizeof(name), "Semaphore %zu:", i);
		record_addf(tb, name, "value %u, last pid %d, %u waiting%s", st[i].value, st[i].pid,
			    st[i].ncount, st[i].zcount ? " (and some for zero)" : "");
	}
	if (n > 8)
		record_addf(tb, "Semaphore ...:", "%zu more", n - 8);
}

static int print_record(const struct shm_segment *s, const struct output_opts *oo,
			const struct render_opts *ro)
{
	const struct attach_seg *as = ro->attach ? attach_find(ro->attach, s->id) : NULL;
	int rc;

	struct libscols_table *tb = record_new();
	char buf[64];

	record_addf(tb, "Id:", "%d", s->id);
	fmt_key(buf, sizeof(buf), s->key);
	record_addf(tb, "Key:", "%s%s", buf,
		   s->key == 0 ? (seg_is_dest(s) ? " (removed)" : " (private)") : "");
	fmt_perms(buf, sizeof(buf), s->mode, 0);
	/* the permission bits: the kernel's SHM_DEST and SHM_LOCKED bits
	 * would read as sticky and setgid here; Status: tells them */
	record_addf(tb, "Mode:", "%04o (%s)", s->mode & 0777, buf);
	fmt_status(buf, sizeof(buf), s->mode);
	record_add(tb, "Status:", *buf ? buf : "none");
	record_add_size(tb, "Size:", s->size);
	if (s->has_memory) {
		record_add_size(tb, "Resident:", s->rss);
		record_add_size(tb, "Swapped:", s->swap);
	}
	record_addf(tb, "Attachments:", "%llu", (unsigned long long)s->nattch);
	add_processes(tb, s, as, ro);
	record_addf(tb, "Owner:", "%s (uid %u)", names_user(ro->names, s->uid), (unsigned)s->uid);
	record_addf(tb, "Group:", "%s (gid %u)", names_group(ro->names, s->gid), (unsigned)s->gid);
	record_addf(tb, "Creator:", "%s (uid %u)", names_user(ro->names, s->cuid), (unsigned)s->cuid);
	record_addf(tb, "Creator group:", "%s (gid %u)", names_group(ro->names, s->cgid),
		   (unsigned)s->cgid);
	add_pid(tb, "Creator pid:", s->cpid, true, seg_creator_by(s), ro);
	add_pid(tb, "Last pid:", s->lpid, s->atime || s->dtime,
		s->atime > s->dtime ? s->atime : s->dtime, ro);
	record_add_time(tb, "Changed:", s->ctime, ro->tfmt, ro->now);
	record_add_time(tb, "Attached:", s->atime, ro->tfmt, ro->now);
	record_add_time(tb, "Detached:", s->dtime, ro->tfmt, ro->now);
	add_semaphores(tb, s);
	scols_print_table(tb);
	scols_unref_table(tb);
	rc = as ? print_attached(as, oo, ro) : 0;
	return rc;
}

/* rss and swap exist only in /proc/sysvipc/shm: without it (missing,
 * unreadable) the segments are read by shmctl, with neither. */
static void add_memory(struct shm_segment *segs, size_t n)
{
	struct shm_vec all = { 0 };
	bool unknown = false;
	int rc = segments_load(SEG_NEED_MEMORY, &all);

	if (rc) {
		warnx("cannot read resident and swapped sizes: %s", errno_text(-rc));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < all.n; j++) {
			if (all.v[j].id != segs[i].id)
				continue;
			unknown |= !all.v[j].has_memory;
			segs[i].rss = all.v[j].rss;
			segs[i].swap = all.v[j].swap;
			segs[i].has_memory = all.v[j].has_memory;
			break;
		}
	}
	if (unknown)
		warnx("cannot read %s: resident and swapped sizes unknown", PROC_SYSVIPC_SHM);
	shm_vec_free(&all);
}

static bool any_attached(const struct shm_segment *segs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (segs[i].nattch)
			return true;
	return false;
}

static int run_stat(int argc, char **argv, struct shm_ctx *ctx)
{
	struct output_opts oo = { .tfmt = TIME_FULL, .tfmt_set = true };
	struct target_args t = { 0 };
	struct shm_vec found = { 0 };
	struct attach_table attach = { 0 };
	struct name_cache *names;
	struct render_opts ro;
	bool memory = false, json_time_default = true;
	int c, status = EXIT_OK;

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (target_handle_option(&t, c, optarg, "stat"))
			continue;
		switch (c) {
		case 'M':
			memory = true;
			t.sysv_only = "memory";
			break;
		case 'J':
			oo.json = true;
			break;
		case OPT_TIME_FORMAT:
			output_handle_option(&oo, c, optarg, "stat");
			json_time_default = false;
			break;
		case 'h':
			usage();
		default:
			usage_hint_option("stat", argv, longopts);
		}
	}
	if (oo.json && json_time_default)
		oo.tfmt = TIME_ISO;
	target_args_finish_or_err(&t, argc - optind, argv + optind, TARGETS_SOME, "stat");
	shm_ctx_enter_or_err(ctx, "stat", t.posix);
	if (t.posix) {
		status = posix_stat(&ctx->ns, t.names, t.nnames, &oo);
		target_args_free(&t);
		return status;
	}

	for (size_t i = 0; i < t.list.n; i++) {
		struct shm_segment seg;
		int id, rc;

		if (target_resolve_or_warn(&t.list.v[i], &id)) {
			status = EXIT_FAIL;
			continue;
		}
		rc = sysv_stat(id, &seg);
		if (rc) {
			segment_warn(id, "read", rc);
			status = EXIT_FAIL;
		} else if (shm_vec_push(&found, &seg)) {
			err(EXIT_FAIL, "cannot allocate memory");
		}
	}
	if (memory && found.n)
		add_memory(found.v, found.n);

	names = alloc_or_err(names_new());
	output_render_opts(&oo, names, &ro);
	if (found.n && !any_attached(found.v, found.n)) {
		ro.attach = &attach;    /* nattch 0: no process maps them, no scan */
	} else if (found.n) {
		ro.attach = attach_scan_segments(&attach, found.v, found.n);
		if (!ro.attach)
			status = EXIT_FAIL;
	}
	if (oo.json) {
		if (print_json(found.v, found.n, &oo, &ro)) {
			warnx("cannot print the table: %s", strerror(ENOMEM));
			status = EXIT_FAIL;
		}
	} else {
		for (size_t i = 0; i < found.n; i++) {
			if (i)
				putchar('\n');
			if (print_record(&found.v[i], &oo, &ro))
				status = EXIT_FAIL;
		}
	}
	names_free(names);
	attach_table_free(&attach);
	shm_vec_free(&found);
	target_args_free(&t);
	return status;
}

const struct command cmd_stat = {
	.name = "stat",
	.run = run_stat,
	.summary = "show everything about some segments",
};
