/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Presentation: libsmartcols tables of segments, fed by plain structs. */
#ifndef SHMTOOL_OUTPUT_H
#define SHMTOOL_OUTPUT_H

#include <getopt.h>
#include <libsmartcols.h>
#include <stdbool.h>

#include "core/ipcns.h"
#include "core/posix-shm.h"
#include "out/columns.h"

/* -o and --output-all; -J, -r and -e: at most one of each */
#define OUTPUT_EXCL_GROUPS 2

struct output_opts {
	bool json, raw, export, noheadings;
	bool bytes, numeric_perms;
	enum time_format tfmt;
	bool tfmt_set;
	const char *columns;    /* -o/--output */
	bool all_columns;       /* --output-all */
	bool list_columns;      /* -H/--list-columns */
	bool notruncate;        /* --notruncate: no cell cut to fit */
	int excl_seen[OUTPUT_EXCL_GROUPS];      /* for excl_check_or_err() */
};

/* Option codes shared by the commands that print tables. */
enum {
	OPT_NUMERIC_PERMS = 0x100,
	OPT_TIME_FORMAT,
	OPT_OUTPUT_ALL,
	OPT_NOTRUNCATE,
	OPT_OUTPUT_FIRST_FREE,  /* commands number their own options from here */
};

#define OUTPUT_SHORTOPTS "Jrenb"
#define OUTPUT_LONGOPTS \
	{ "json",         no_argument,       NULL, 'J' }, \
	{ "raw",          no_argument,       NULL, 'r' }, \
	{ "export",       no_argument,       NULL, 'e' }, \
	{ "noheadings",   no_argument,       NULL, 'n' }, \
	{ "bytes",        no_argument,       NULL, 'b' }, \
	{ "numeric-perms", no_argument,      NULL, OPT_NUMERIC_PERMS }, \
	{ "time-format",  required_argument, NULL, OPT_TIME_FORMAT }

/* The options that choose columns, shared by the commands that print
 * tables of their own columns. */
#define COLUMN_SHORTOPTS "o:H"
#define COLUMN_LONGOPTS \
	{ "output",       required_argument, NULL, 'o' }, \
	{ "output-all",   no_argument,       NULL, OPT_OUTPUT_ALL }, \
	{ "list-columns", no_argument,       NULL, 'H' }, \
	{ "notruncate",   no_argument,       NULL, OPT_NOTRUNCATE }

/* Their lines in a command's --help. -J is left to each command, which
 * says what its JSON holds; OUTPUT_STYLE_HELP is -r, -e, -n and -b
 * alone. */
#define COLUMN_HELP \
	"  -o, --output LIST       columns to show; +LIST appends to the default\n" \
	"      --output-all        show every column\n" \
	"  -H, --list-columns      list the columns and exit\n" \
	"      --notruncate        never cut a cell to fit the terminal\n"
#define OUTPUT_STYLE_HELP \
	"  -r, --raw               raw output (no alignment)\n" \
	"  -e, --export            NAME=\"value\" pairs\n" \
	"  -n, --noheadings        no header line\n" \
	"  -b, --bytes             exact sizes in bytes\n"
#define OUTPUT_HELP OUTPUT_STYLE_HELP \
	"      --numeric-perms     permissions in octal\n" \
	"      --time-format FMT   short, full or iso\n"

/* Handle one of the shared options. Returns 1 if it was one, 0 if not;
 * exits with status 2 on a bad value, or on one that does not go with
 * one given before (so give it every option). */
int output_handle_option(struct output_opts *o, int c, const char *arg, const char *cmd);

/* Fill the render options from the output options. */
void output_render_opts(const struct output_opts *o, struct name_cache *names,
			struct render_opts *ro);

/* A libsmartcols table named `name` (the member of its JSON document),
 * set up for the output options; NULL without memory. */
struct libscols_table *output_new_table(const struct output_opts *o, const char *name);

/* Print tb to stdout; a table without rows still prints its header (but
 * nothing with -n or -e, and an empty array with JSON). Returns 0 or
 * -errno. */
int output_print(const struct output_opts *o, struct libscols_table *tb);

/* Print segs as a table "shm" of the columns in `cols`, cells rendered
 * with `ro` (ro->attach: the scan of attached processes, NULL when none
 * of the columns needs it). Returns 0 or -errno. */
int output_segments(const struct output_opts *o, const struct column_list *cols,
		    const struct shm_segment *segs, size_t n, const struct render_opts *ro);

/* The same table built a row at a time, each row rendered when added
 * (rows straight from segments_each need no array of their own). new
 * copies cols and ro; o must outlive the table. add returns 0 or -errno;
 * print prints the table as output_segments does. */
struct seg_table;
struct seg_table *seg_table_new(const struct output_opts *o, const struct column_list *cols,
				const struct render_opts *ro);
int seg_table_add(struct seg_table *t, const struct shm_segment *seg);
int seg_table_print(struct seg_table *t);
void seg_table_free(struct seg_table *t);

/* Print the namespaces as a table "namespaces" of the COL_NS_* columns
 * in `cols`. Returns 0 or -errno. */
int output_namespaces(const struct output_opts *o, const struct column_list *cols,
		      const struct ipcns_info *ns, size_t n, const struct render_opts *ro);

/* Print POSIX shared memory objects as a table "posix" of the COL_PX_*
 * columns in `cols` (and gc's ACTION and REASON, from ro). Returns 0 or
 * -errno. */
int output_posix(const struct output_opts *o, const struct column_list *cols,
		 const struct posix_obj *objs, size_t n, const struct render_opts *ro);

/* Print --list-columns: name, type and help of the columns of `scope`.
 * Returns 0, or -errno after a message (with JSON, nothing printed). */
struct limit_row;

/* The rows of limits, as the table (JSON member) `name`. Returns 0 or
 * -errno. */
int output_limits(const struct output_opts *o, const char *name, const struct column_list *cols,
		  const struct limit_row *rows, size_t n, const struct render_opts *ro);

int output_list_columns(const struct output_opts *o, enum column_scope scope);

/* After the options: set cols from -o/--output-all (exit status 2 on an
 * unknown column), or to `defaults`. */
void output_columns_or_err(const struct output_opts *o, const struct column_list *defaults,
			   enum column_scope scope, struct column_list *cols, const char *cmd);

/* Add col to cols unless they have it (a usage error of cmd when they
 * are full). */
void output_add_column_or_err(struct column_list *cols, int col, const char *cmd);

/* Every column of `scope`, in table order. */
void output_all_columns(struct column_list *out, enum column_scope scope);

#endif
