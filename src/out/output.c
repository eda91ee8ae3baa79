/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <errno.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "lib/util.h"
#include "out/format.h"
#include "out/output.h"

/* Named for the messages about options that do not go together. */
static const struct option output_longopts[] = { OUTPUT_LONGOPTS, COLUMN_LONGOPTS, { 0 } };

static const struct excl_group output_excl[OUTPUT_EXCL_GROUPS] = {
	{ { 'o', OPT_OUTPUT_ALL } },
	{ { 'J', 'r', 'e' } },
};

int output_handle_option(struct output_opts *o, int c, const char *arg, const char *cmd)
{
	excl_check_or_err(cmd, output_longopts, output_excl, OUTPUT_EXCL_GROUPS, o->excl_seen, c);
	switch (c) {
	case 'J':
		o->json = true;
		return 1;
	case 'r':
		o->raw = true;
		return 1;
	case 'e':
		o->export = true;
		return 1;
	case 'n':
		o->noheadings = true;
		return 1;
	case 'b':
		o->bytes = true;
		return 1;
	case OPT_NUMERIC_PERMS:
		o->numeric_perms = true;
		return 1;
	case 'o':
		o->columns = arg;
		return 1;
	case OPT_OUTPUT_ALL:
		o->all_columns = true;
		return 1;
	case 'H':
		o->list_columns = true;
		return 1;
	case OPT_NOTRUNCATE:
		o->notruncate = true;
		return 1;
	case OPT_TIME_FORMAT:
		if (parse_time_format(arg, &o->tfmt))
			usage_errx(cmd, "invalid time format '%s' (use short, full or iso)", arg);
		o->tfmt_set = true;
		return 1;
	}
	return 0;
}

void output_render_opts(const struct output_opts *o, struct name_cache *names,
			struct render_opts *ro)
{
	memset(ro, 0, sizeof(*ro));
	ro->bytes = o->bytes;
	ro->numeric_perms = o->numeric_perms;
	ro->json = o->json;
	/* JSON is read by programs: exact times unless asked otherwise */
	ro->tfmt = o->tfmt_set ? o->tfmt : (o->json ? TIME_ISO : TIME_SHORT);
	ro->now = time(NULL);
	ro->names = names;
	ro->text = text_form_for(o->json, o->raw || o->export, MB_CUR_MAX > 1);
}

static void parse_columns_or_err(const char *spec, const struct column_list *defaults,
				 enum column_scope scope, struct column_list *out, const char *cmd)
{
	const char *bad = NULL;
	size_t badlen = 0;
	int rc = columns_parse(spec, defaults, scope, out, &bad, &badlen);

	if (rc == -E2BIG)
		usage_errx(cmd, "too many columns in '%s' (at most %d)", spec, MAX_COLUMNS);
	if (rc)
		usage_errx(cmd, "unknown column '%.*s' (see '%s --list-columns')",
			   (int)badlen, bad, cmd);
}

void output_columns_or_err(const struct output_opts *o, const struct column_list *defaults,
			   enum column_scope scope, struct column_list *cols, const char *cmd)
{
	if (o->all_columns)
		output_all_columns(cols, scope);
	else if (o->columns)
		parse_columns_or_err(o->columns, defaults, scope, cols, cmd);
	else
		*cols = *defaults;
}

void output_add_column_or_err(struct column_list *cols, int col, const char *cmd)
{
	if (columns_have(cols, col))
		return;
	if (cols->n == MAX_COLUMNS)
		usage_errx(cmd, "too many columns (at most %d)", MAX_COLUMNS - 1);
	cols->ids[cols->n++] = col;
}

void output_all_columns(struct column_list *out, enum column_scope scope)
{
	out->n = 0;
	for (int i = 0; i < COL_COUNT; i++)
		if (column_in_scope(i, scope))
			out->ids[out->n++] = i;
}

/* The cells of an aligned table are made safe when rendered
 * (TEXT_TERMINAL, lib/text.c), so it is printed as it is: libsmartcols
 * would escape the backslash of each escape again (\x1b shown as
 * \x5cx1b). Raw, export and JSON cells hold the exact text, which
 * libsmartcols encodes by its own rules whatever this setting says. */
struct libscols_table *output_new_table(const struct output_opts *o, const char *name)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	scols_table_set_name(tb, name);
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_export(tb, o->export);
	/* NAME="value" pairs a shell can read: USE% as USE_PCT, LIMIT-BYTES as LIMIT_BYTES */
	scols_table_enable_shellvar(tb, o->export);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_noencoding(tb, !o->json && !o->raw && !o->export);
	return tb;
}

/* A table without rows still shows what it would list: libsmartcols
 * prints nothing for it, so the header line is written here, the names
 * apart by one blank as libsmartcols sets them. */
static int print_header_only(struct libscols_table *tb)
{
	size_t n = scols_table_get_ncols(tb);

	for (size_t i = 0; i < n; i++) {
		struct libscols_cell *h = scols_column_get_header(scols_table_get_column(tb, i));

		printf("%s%s", i ? " " : "", h ? scols_cell_get_data(h) : "");
	}
	putchar('\n');
	return 0;
}

int output_print(const struct output_opts *o, struct libscols_table *tb)
{
	if (!scols_table_get_nlines(tb) && !o->json) {
		if (o->noheadings || o->export)
			return 0;
		return print_header_only(tb);
	}
	return scols_print_table(tb);
}

static int json_type(enum column_kind kind)
{
	switch (kind) {
	case KIND_BOOL:
		return SCOLS_JSON_BOOLEAN;
	case KIND_NUMBER:
	case KIND_SIZE:
	case KIND_SECONDS:
	case KIND_PERCENT:
		return SCOLS_JSON_NUMBER;
	case KIND_NUMBERS:
		return SCOLS_JSON_ARRAY_NUMBER;
	case KIND_STRINGS:
		return SCOLS_JSON_ARRAY_STRING;
	default:
		return SCOLS_JSON_STRING;
	}
}

/* The columns of `cols`, with their flags and JSON types. */
static int add_columns(const struct output_opts *o, struct libscols_table *tb,
		       const struct column_list *cols)
{
	for (size_t i = 0; i < cols->n; i++) {
		const struct column_info *ci = &column_table[cols->ids[i]];
		bool list = ci->kind == KIND_NUMBERS || ci->kind == KIND_STRINGS;
		int flags = ci->flags;
		struct libscols_column *cl;

		if (o->notruncate)
			flags &= ~SCOLS_FL_TRUNC;
		/* a JSON array: the cell holds one item a line */
		if (o->json && list)
			flags |= SCOLS_FL_WRAP;
		cl = scols_table_new_column(tb, ci->name, ci->whint, flags);
		if (!cl)
			return -ENOMEM;
		if (!o->json)
			continue;
		scols_column_set_json_type(cl, json_type(ci->kind));
		if (list)
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize, scols_wrapnl_nextchunk,
						  NULL);
	}
	return 0;
}

/* A table of rows whose cells render(col, row) gives, one line added a
 * row at a time. */
struct seg_table {
	const struct output_opts *o;
	struct libscols_table *tb;
	struct column_list cols;
	struct render_opts ro;
	struct attach_buf scratch;      /* for long cells: command lines */
	struct time_cache times;
	size_t n;
};

static struct seg_table *table_new(const struct output_opts *o, const char *name,
				   const struct column_list *cols, const struct render_opts *ro)
{
	struct seg_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->o = o;
	t->cols = *cols;
	t->ro = *ro;
	t->ro.scratch = &t->scratch;
	t->ro.times = &t->times;
	t->ro.list_sep = o->json ? '\n' : ',';
	t->tb = output_new_table(o, name);
	if (!t->tb || add_columns(o, t->tb, cols)) {
		seg_table_free(t);
		return NULL;
	}
	return t;
}

typedef const char *render_fn(int col, size_t row, const void *item,
			      const struct render_opts *ro, char *buf, size_t sz);

static int table_add(struct seg_table *t, render_fn *render, const void *item)
{
	struct libscols_line *ln = scols_table_new_line(t->tb, NULL);
	char buf[1024];

	if (!ln)
		return -ENOMEM;
	for (size_t i = 0; i < t->cols.n; i++) {
		const char *s = render(t->cols.ids[i], t->n, item, &t->ro, buf, sizeof(buf));

		if (s && scols_line_set_data(ln, i, s))
			return -ENOMEM;
	}
	t->n++;
	return 0;
}

static const char *render_seg(int col, size_t row, const void *item,
			      const struct render_opts *ro, char *buf, size_t sz)
{
	return column_render(col, item, row, ro, buf, sz);
}

struct seg_table *seg_table_new(const struct output_opts *o, const struct column_list *cols,
				const struct render_opts *ro)
{
	return table_new(o, "shm", cols, ro);
}

int seg_table_add(struct seg_table *t, const struct shm_segment *seg)
{
	return table_add(t, render_seg, seg);
}

int seg_table_print(struct seg_table *t)
{
	return output_print(t->o, t->tb);
}

void seg_table_free(struct seg_table *t)
{
	if (!t)
		return;
	scols_unref_table(t->tb);
	attach_buf_free(&t->scratch);
	free(t);
}

/* A whole table of n items, `size` bytes apart, printed at once. */
static int output_items(const struct output_opts *o, const char *name,
			const struct column_list *cols, const void *items, size_t size,
			size_t n, render_fn *render, const struct render_opts *ro)
{
	struct seg_table *t = table_new(o, name, cols, ro);
	int rc = t ? 0 : -ENOMEM;

	for (size_t i = 0; i < n && !rc; i++)
		rc = table_add(t, render, (const char *)items + i * size);
	if (!rc)
		rc = output_print(o, t->tb);
	seg_table_free(t);
	return rc;
}

int output_segments(const struct output_opts *o, const struct column_list *cols,
		    const struct shm_segment *segs, size_t n, const struct render_opts *ro)
{
	return output_items(o, "shm", cols, segs, sizeof(*segs), n, render_seg, ro);
}

static const char *render_ns(int col, size_t row, const void *item,
			     const struct render_opts *ro, char *buf, size_t sz)
{
	(void)row;
	return column_render_ns(col, item, ro, buf, sz);
}

int output_namespaces(const struct output_opts *o, const struct column_list *cols,
		      const struct ipcns_info *ns, size_t n, const struct render_opts *ro)
{
	return output_items(o, "namespaces", cols, ns, sizeof(*ns), n, render_ns, ro);
}

static const char *render_posix(int col, size_t row, const void *item,
				const struct render_opts *ro, char *buf, size_t sz)
{
	/* gc's columns: what happened to the row */
	if (col == COL_ACTION)
		return ro->action ? ro->action[row] : NULL;
	if (col == COL_REASON)
		return ro->reason ? ro->reason[row] : NULL;
	return column_render_posix(col, item, ro, buf, sz);
}

int output_posix(const struct output_opts *o, const struct column_list *cols,
		 const struct posix_obj *objs, size_t n, const struct render_opts *ro)
{
	return output_items(o, "posix", cols, objs, sizeof(*objs), n, render_posix, ro);
}

static const char *render_limit(int col, size_t row, const void *item,
				const struct render_opts *ro, char *buf, size_t sz)
{
	(void)row;
	return column_render_limit(col, item, ro, buf, sz);
}

int output_limits(const struct output_opts *o, const char *name, const struct column_list *cols,
		  const struct limit_row *rows, size_t n, const struct render_opts *ro)
{
	return output_items(o, name, cols, rows, sizeof(*rows), n, render_limit, ro);
}

int output_list_columns(const struct output_opts *o, enum column_scope scope)
{
	static const char *const kinds[] = {
		[KIND_STRING] = "string", [KIND_NUMBER] = "number",
		[KIND_SIZE] = "size", [KIND_TIME] = "time",
		[KIND_SECONDS] = "seconds",
		[KIND_BOOL] = "boolean",
		[KIND_NUMBERS] = "numbers", [KIND_STRINGS] = "strings",
		[KIND_PERCENT] = "percent",
	};
	struct libscols_table *tb = output_new_table(o, "columns");
	int rc = 0;

	if (!tb)
		return -ENOMEM;
	if (!scols_table_new_column(tb, "NAME", 0, 0) || !scols_table_new_column(tb, "TYPE", 0, 0) ||
	    !scols_table_new_column(tb, "DESCRIPTION", 0, SCOLS_FL_TRUNC))
		rc = -ENOMEM;
	for (int i = 0; !rc && i < COL_COUNT; i++) {
		const struct column_info *ci = &column_table[i];
		struct libscols_line *ln;
		char help[256];

		if (!column_in_scope(i, scope))
			continue;
		if (ci->alias)
			snprintf(help, sizeof(help), "%s (also %s, lsipc's name)", ci->help, ci->alias);
		ln = scols_table_new_line(tb, NULL);
		if (!ln || scols_line_set_data(ln, 0, ci->name) ||
		    scols_line_set_data(ln, 1, kinds[ci->kind]) ||
		    scols_line_set_data(ln, 2, ci->alias ? help : ci->help))
			rc = -ENOMEM;
	}
	if (!rc)
		rc = output_print(o, tb);
	if (rc)
		warnx("cannot list the columns: %s", strerror(-rc));
	scols_unref_table(tb);
	return rc;
}
