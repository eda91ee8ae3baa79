/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool stat: everything known about some segments. */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "commands.h"
#include "format.h"
#include "names.h"
#include "output.h"
#include "posix-cmds.h"
#include "procfs.h"
#include "record.h"
#include "segment.h"
#include "sysv.h"
#include "target.h"
#include "util.h"

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

const struct command_options cmd_stat_options = { shortopts, longopts };

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

/* The attached processes, one line each. */
static int print_attached(const struct attach_seg *as, const struct render_opts *ro)
{
	static const struct { const char *name; double whint; int flags; } cols[] = {
		{ "PID", 6, SCOLS_FL_RIGHT }, { "USER", 8, 0 }, { "COMMAND", 0.3, SCOLS_FL_TRUNC },
		{ "MAPPINGS", 3, SCOLS_FL_RIGHT }, { "ACCESS", 5, 0 }, { "RANGES", 0.3, SCOLS_FL_WRAP },
	};
	struct libscols_table *tb = record_table_new();
	struct attach_buf ranges = { 0 };
	int rc = 0;

	if (!tb)
		return -ENOMEM;
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if (!scols_table_new_column(tb, cols[i].name, cols[i].whint, cols[i].flags))
			rc = -ENOMEM;
	for (size_t i = 0; !rc && i < as->nprocs; i++) {
		const struct attach_proc *p = &as->procs[i];
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		struct proc_ident pi;
		char num[32];

		if (!ln || attach_format_ranges(p, &ranges)) {
			rc = -ENOMEM;
			break;
		}
		snprintf(num, sizeof(num), "%d", (int)p->pid);
		scols_line_set_data(ln, 0, num);
		if (procfs_identify(p->pid, &pi) == 0) {
			record_set(ln, 1, names_user(ro->names, pi.uid));
			record_set(ln, 2, names_command(ro->names, p->pid, pi.start));
		}
		snprintf(num, sizeof(num), "%zu", p->nmaps);
		scols_line_set_data(ln, 3, num);
		scols_line_set_data(ln, 4, attach_access_text(p->access));
		scols_line_set_data(ln, 5, ranges.p);
	}
	if (!rc) {
		putchar('\n');
		scols_print_table(tb);
	}
	attach_buf_free(&ranges);
	scols_unref_table(tb);
	return rc;
}

/* "processes": the attached processes as objects, as stat --posix -J
 * has them; null when they could not be looked for. */
static void print_json_processes(const struct attach_seg *as, const struct render_opts *ro)
{
	struct attach_buf ranges = { 0 };

	if (!ro->attach) {
		fputs("\"processes\": null", stdout);
		return;
	}
	fputs("\"processes\": [", stdout);
	for (size_t i = 0; as && i < as->nprocs; i++) {
		const struct attach_proc *p = &as->procs[i];
		struct proc_ident pi;
		bool known = procfs_identify(p->pid, &pi) == 0;

		if (attach_format_ranges(p, &ranges))
			err(EXIT_FAIL, "cannot allocate memory");
		printf("%s\n            {\"pid\": %d, ", i ? "," : "", (int)p->pid);
		record_json_string("user", known ? names_user(ro->names, pi.uid) : NULL, ", ");
		record_json_string("command", known ? names_command(ro->names, p->pid, pi.start) :
				   NULL, ", ");
		printf("\"mappings\": %zu, ", p->nmaps);
		record_json_string("access", attach_access_text(p->access), ", ");
		record_json_string("ranges", ranges.p, "}");
	}
	fputs(as && as->nprocs ? "\n         ]" : "]", stdout);
	attach_buf_free(&ranges);
}

/* One segment as a JSON object: every column of list --output-all, each
 * with its JSON type, then its processes. */
static void print_json_segment(const struct shm_segment *s, const struct render_opts *ro,
			       bool first)
{
	struct column_list cols;
	struct attach_buf scratch = { 0 };
	struct render_opts r = *ro;
	char buf[512], key[32];

	r.scratch = &scratch;
	output_all_columns(&cols, SCOPE_ALL);
	printf("%s\n      {\n         ", first ? "" : ",");
	for (size_t i = 0; i < cols.n; i++) {
		const struct column_info *ci = &column_table[cols.ids[i]];
		size_t k;

		for (k = 0; ci->name[k] && k < sizeof(key) - 1; k++)
			key[k] = (char)tolower((unsigned char)ci->name[k]);
		key[k] = '\0';
		record_json_cell(key, column_render(cols.ids[i], s, 0, &r, buf, sizeof(buf)),
				 ci->kind, i % 4 == 3 ? ",\n         " : ", ");
	}
	if (cols.n % 4)
		fputs("\n         ", stdout);
	print_json_processes(ro->attach ? attach_find(ro->attach, s->id) : NULL, ro);
	fputs("\n      }", stdout);
	attach_buf_free(&scratch);
}

static int print_record(const struct shm_segment *s, const struct render_opts *ro)
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
	scols_print_table(tb);
	scols_unref_table(tb);
	rc = as ? print_attached(as, ro) : 0;
	return rc;
}

/* rss and swap exist only in /proc/sysvipc/shm. */
static void add_memory(struct shm_segment *segs, size_t n)
{
	struct shm_vec all = { 0 };

	if (segments_load(&all)) {
		warnx("cannot read resident and swapped sizes");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < all.n; j++) {
			if (all.v[j].id == segs[i].id && all.v[j].has_memory) {
				segs[i].rss = all.v[j].rss;
				segs[i].swap = all.v[j].swap;
				segs[i].has_memory = true;
				break;
			}
		}
	}
	shm_vec_free(&all);
}

static bool any_attached(const struct shm_segment *segs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (segs[i].nattch)
			return true;
	return false;
}

int cmd_stat(int argc, char **argv)
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
	if (t.posix) {
		status = posix_stat(t.names, t.nnames, &oo);
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

	names = names_new();
	if (!names)
		err(EXIT_FAIL, "cannot allocate memory");
	output_render_opts(&oo, names, &ro);
	if (found.n && !any_attached(found.v, found.n)) {
		ro.attach = &attach;    /* nattch 0: no process maps them, no scan */
	} else if (found.n) {
		ro.attach = output_attach_segments(&attach, found.v, found.n);
		if (!ro.attach)
			status = EXIT_FAIL;
	}
	if (oo.json) {
		fputs("{\n   \"shm\": [", stdout);
		for (size_t i = 0; i < found.n; i++)
			print_json_segment(&found.v[i], &ro, i == 0);
		fputs(found.n ? "\n   ]\n}\n" : "]\n}\n", stdout);
	} else {
		for (size_t i = 0; i < found.n; i++) {
			if (i)
				putchar('\n');
			if (print_record(&found.v[i], &ro))
				status = EXIT_FAIL;
		}
	}
	names_free(names);
	attach_table_free(&attach);
	shm_vec_free(&found);
	target_args_free(&t);
	return status;
}
