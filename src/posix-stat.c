/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stat --posix: everything known about some POSIX shared memory
 * objects, as "Name: value" records or JSON, with the processes that
 * map them or hold them open. */
#include <err.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "names.h"
#include "posix-obj.h"
#include "posix-cmds.h"
#include "procfs.h"
#include "record.h"
#include "util.h"

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

static void print_holders(const struct posix_obj *o, const struct render_opts *ro)
{
	struct libscols_table *tb = record_table_new();
	static const char *const heads[] = { "PID", "USER", "COMMAND", "USE" };

	if (!tb)
		err(EXIT_FAIL, "cannot allocate memory");
	for (size_t i = 0; i < 4; i++)
		if (!scols_table_new_column(tb, heads[i], i == 2 ? 0.5 : 6,
					    i == 0 ? SCOLS_FL_RIGHT : i == 2 ? SCOLS_FL_TRUNC : 0))
			err(EXIT_FAIL, "cannot allocate memory");
	for (size_t i = 0; i < o->nholders; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		const char *user, *cmd;
		char pid[16];

		if (!ln)
			err(EXIT_FAIL, "cannot allocate memory");
		identify(&o->holders[i], ro, &user, &cmd);
		snprintf(pid, sizeof(pid), "%d", (int)o->holders[i].pid);
		scols_line_set_data(ln, 0, pid);
		record_set(ln, 1, user);
		record_set(ln, 2, cmd);
		scols_line_set_data(ln, 3, fmt_posix_use(o->holders[i].use));
	}
	putchar('\n');
	scols_print_table(tb);
	scols_unref_table(tb);
}

static void print_record(const struct posix_dir *d, const struct posix_obj *o, bool scanned,
			 const struct render_opts *ro)
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
		print_holders(o, ro);
	free(path);
}

static void print_json_holders(const struct posix_obj *o, bool scanned,
			       const struct render_opts *ro)
{
	if (!scanned) {
		fputs("\"processes\": null", stdout);
		return;
	}
	fputs("\"processes\": [", stdout);
	for (size_t i = 0; i < o->nholders; i++) {
		const char *user, *cmd;

		identify(&o->holders[i], ro, &user, &cmd);
		printf("%s\n            {\"pid\": %d, ", i ? "," : "", (int)o->holders[i].pid);
		record_json_string("user", user, ", ");
		record_json_string("command", cmd, ", ");
		record_json_string("use", fmt_posix_use(o->holders[i].use), "}");
	}
	fputs(o->nholders ? "\n         ]" : "]", stdout);
}

#define NEXT_LINE ",\n         "

static void print_json(const struct posix_dir *d, const struct posix_obj *o, bool scanned,
		       const struct render_opts *ro)
{
	char buf[64], *path = path_of(d, o->name);

	fputs("      {\n         ", stdout);
	record_json_string("name", o->name, ", ");
	record_json_string("path", path, ", ");
	printf("\"size\": %llu" NEXT_LINE, (unsigned long long)o->size);
	record_json_string("owner", names_user(ro->names, o->uid), ", ");
	printf("\"uid\": %u, ", (unsigned)o->uid);
	record_json_string("group", names_group(ro->names, o->gid), ", ");
	printf("\"gid\": %u" NEXT_LINE "\"mode\": \"%04o\", ", (unsigned)o->gid, o->mode);
	fmt_perms(buf, sizeof(buf), o->mode & 0777, 0);
	record_json_string("perms", buf, ", ");
	record_json_string("mtime", fmt_time(buf, sizeof(buf), o->mtime, ro->tfmt, ro->now), NEXT_LINE);
	posix_obj_device(o, buf, sizeof(buf));
	printf("\"device\": \"%s\", \"inode\": %llu" NEXT_LINE, buf, (unsigned long long)o->ino);
	record_json_string("use", use_text(o, scanned), ", ");
	if (scanned)
		printf("\"nprocs\": %u" NEXT_LINE, (unsigned)o->nprocs);
	else
		fputs("\"nprocs\": null" NEXT_LINE, stdout);
	print_json_holders(o, scanned, ro);
	fputs("\n      }", stdout);
	free(path);
}

int posix_stat(const char *const *names, size_t n, const struct output_opts *oo)
{
	struct posix_dir d;
	struct posix_vec objs = { 0 };
	struct name_cache *nc;
	struct render_opts ro;
	bool failed = false, scanned;

	if (posix_dir_open_or_warn(&d))
		return EXIT_FAIL;
	scanned = posix_collect(&d, names, n, "read", &objs, &failed) == 0;
	nc = names_new();
	if (!nc)
		err(EXIT_FAIL, "cannot allocate memory");
	output_render_opts(oo, nc, &ro);
	if (oo->json)
		fputs("{\n   \"posix\": [", stdout);
	for (size_t i = 0; i < objs.n; i++) {
		struct posix_obj *o = &objs.v[i];

		if (o->nholders > 1)
			qsort(o->holders, o->nholders, sizeof(o->holders[0]), cmp_holder);
		if (oo->json) {
			fputs(i ? ",\n" : "\n", stdout);
			print_json(&d, o, scanned, &ro);
		} else {
			if (i)
				putchar('\n');
			print_record(&d, o, scanned, &ro);
		}
	}
	if (oo->json)
		fputs(objs.n ? "\n   ]\n}\n" : "]\n}\n", stdout);
	names_free(nc);
	posix_vec_free(&objs);
	posix_dir_close(&d);
	return failed || !scanned ? EXIT_FAIL : EXIT_OK;
}
