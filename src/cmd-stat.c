/* shmtool stat: everything known about some segments. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "format.h"
#include "names.h"
#include "output.h"
#include "segment.h"
#include "sysv.h"
#include "target.h"
#include "util.h"

static noreturn void usage(void)
{
	fputs("Usage: shmtool stat [options] ID...\n"
	      "       shmtool stat [options] -k KEY...\n"
	      "\n"
	      "Show everything known about segments, named by id or by key.\n"
	      "\n"
	      "Options:\n"
	      "  -k, --key KEY           a segment by key (repeatable)\n"
	      "      --ftok PATH[:PROJ]  a segment by the key ftok(3) gives (PROJ: one\n"
	      "                          character or 1-255, default 'R'; repeatable)\n"
	      "  -m, --memory            also resident and swapped bytes (reads the whole\n"
	      "                          segment list)\n"
	      "  -J, --json              JSON output (the columns of 'list --output-all')\n"
	      "      --time-format FMT   short, full (default) or iso\n"
	      "  -h, --help              show this help and exit\n", stdout);
	exit_help();
}

static const struct option longopts[] = {
	TARGET_LONGOPTS,
	{ "memory",      no_argument,       NULL, 'm' },
	{ "json",        no_argument,       NULL, 'J' },
	{ "time-format", required_argument, NULL, OPT_TIME_FORMAT },
	{ "help",        no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void add_field(struct libscols_table *tb, const char *name, const char *value)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);

	if (!ln)
		err(EXIT_FAIL, "cannot allocate memory");
	scols_line_set_data(ln, 0, name);
	scols_line_set_data(ln, 1, value);
}

static void add_fieldf(struct libscols_table *tb, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_fieldf(struct libscols_table *tb, const char *name, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		err(EXIT_FAIL, "cannot allocate memory");
	add_field(tb, name, s);
	free(s);
}

static void add_size(struct libscols_table *tb, const char *name, uint64_t bytes)
{
	char human[32];

	fmt_size_human(human, sizeof(human), bytes);
	add_fieldf(tb, name, "%llu (%s)", (unsigned long long)bytes, human);
}

static void add_time(struct libscols_table *tb, const char *name, int64_t t,
		     const struct render_opts *ro)
{
	char buf[64];
	const char *s = fmt_time(buf, sizeof(buf), t, ro->tfmt, ro->now);

	add_field(tb, name, s ? s : "never");
}

static void add_pid(struct libscols_table *tb, const char *name, pid_t pid, int64_t since,
		    const struct render_opts *ro)
{
	const char *cmd = pid > 0 ? names_command(ro->names, pid, since) : NULL;

	if (pid <= 0)
		add_field(tb, name, "none");
	else if (cmd)
		add_fieldf(tb, name, "%d (%s)", (int)pid, cmd);
	else
		add_fieldf(tb, name, "%d (not running)", (int)pid);
}

static int print_record(const struct shm_segment *s, const struct render_opts *ro)
{
	struct libscols_table *tb = scols_new_table();
	char buf[64];

	if (!tb)
		return -ENOMEM;
	scols_table_enable_noheadings(tb, 1);
	scols_table_new_column(tb, "FIELD", 0, 0);
	scols_table_new_column(tb, "VALUE", 0, 0);

	add_fieldf(tb, "Id:", "%d", s->id);
	fmt_key(buf, sizeof(buf), s->key);
	add_fieldf(tb, "Key:", "%s%s", buf,
		   s->key == 0 ? (seg_is_dest(s) ? " (removed)" : " (private)") : "");
	fmt_perms(buf, sizeof(buf), s->mode, 0);
	add_fieldf(tb, "Mode:", "%04o (%s)", s->mode, buf);
	fmt_status(buf, sizeof(buf), s->mode);
	add_field(tb, "Status:", *buf ? buf : "none");
	add_size(tb, "Size:", s->size);
	if (s->has_memory) {
		add_size(tb, "Resident:", s->rss);
		add_size(tb, "Swapped:", s->swap);
	}
	add_fieldf(tb, "Attachments:", "%llu", (unsigned long long)s->nattch);
	add_fieldf(tb, "Owner:", "%s (uid %u)", names_user(ro->names, s->uid), (unsigned)s->uid);
	add_fieldf(tb, "Group:", "%s (gid %u)", names_group(ro->names, s->gid), (unsigned)s->gid);
	add_fieldf(tb, "Creator:", "%s (uid %u)", names_user(ro->names, s->cuid), (unsigned)s->cuid);
	add_fieldf(tb, "Creator group:", "%s (gid %u)", names_group(ro->names, s->cgid),
		   (unsigned)s->cgid);
	add_pid(tb, "Creator pid:", s->cpid, s->ctime, ro);
	add_pid(tb, "Last pid:", s->lpid, INT64_MAX, ro);
	add_time(tb, "Changed:", s->ctime, ro);
	add_time(tb, "Attached:", s->atime, ro);
	add_time(tb, "Detached:", s->dtime, ro);
	scols_print_table(tb);
	scols_unref_table(tb);
	return 0;
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

int cmd_stat(int argc, char **argv)
{
	struct output_opts oo = { .tfmt = TIME_FULL, .tfmt_set = true };
	struct target_list targets = { 0 };
	struct shm_vec found = { 0 };
	struct name_cache *names;
	struct render_opts ro;
	bool memory = false, json_time_default = true;
	int c, status = EXIT_OK;

	while ((c = getopt_long(argc, argv, "k:mJh", longopts, NULL)) != -1) {
		if (target_handle_option(&targets, c, optarg, "stat"))
			continue;
		switch (c) {
		case 'm':
			memory = true;
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
			usage_hint("stat");
		}
	}
	for (int i = optind; i < argc; i++)
		target_add_id_or_err(&targets, argv[i], "stat");
	if (targets.n == 0)
		usage_errx("stat", "no segment given");
	if (oo.json && json_time_default)
		oo.tfmt = TIME_ISO;

	for (size_t i = 0; i < targets.n; i++) {
		struct shm_segment seg;
		int id, rc;

		if (target_resolve_or_warn(&targets.v[i], &id)) {
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
	if (oo.json) {
		struct column_list cols;

		output_all_columns(&cols, SCOPE_ALL);
		if (output_segments(&oo, &cols, found.v, found.n, &ro, NULL))
			status = EXIT_FAIL;
	} else {
		for (size_t i = 0; i < found.n; i++) {
			if (i)
				putchar('\n');
			if (print_record(&found.v[i], &ro))
				status = EXIT_FAIL;
		}
	}
	names_free(names);
	shm_vec_free(&found);
	target_list_free(&targets);
	return status;
}
