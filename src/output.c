/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <libsmartcols.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "membuf.h"
#include "output.h"
#include "sysv.h"
#include "util.h"

int output_handle_option(struct output_opts *o, int c, const char *arg, const char *cmd)
{
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

void output_columns_or_err(const struct output_opts *o, const struct column_list *defaults,
			   enum column_scope scope, struct column_list *cols, const char *cmd)
{
	if (o->all_columns && o->columns)
		usage_errx(cmd, "--output and --output-all are mutually exclusive");
	if ((o->json + o->raw + o->export) > 1)
		usage_errx(cmd, "--json, --raw and --export are mutually exclusive");
	if (o->all_columns)
		output_all_columns(cols, scope);
	else if (o->columns)
		output_parse_columns_or_err(o->columns, defaults, scope, cols, cmd);
	else
		*cols = *defaults;
}

void output_parse_columns_or_err(const char *spec, const struct column_list *defaults,
				 enum column_scope scope, struct column_list *out,
				 const char *cmd)
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

static bool in_scope(int col, enum column_scope scope)
{
	return column_in_scope(col, scope);
}

void output_all_columns(struct column_list *out, enum column_scope scope)
{
	out->n = 0;
	for (int i = 0; i < COL_COUNT; i++)
		if (in_scope(i, scope))
			out->ids[out->n++] = i;
}

/* Only an aligned table needs the widths of the cells. */
static bool aligned(const struct output_opts *o)
{
	return !o->json && !o->raw && !o->export;
}

/* The cells of an aligned table are made safe when rendered
 * (TEXT_TERMINAL, format.c), so it is printed as it is: libsmartcols
 * would escape the backslash of each escape again (\x1b shown as
 * \x5cx1b). Raw, export and JSON cells hold the exact text, which
 * libsmartcols encodes by its own rules whatever this setting says. */
static struct libscols_table *new_table(const struct output_opts *o, const char *name)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	scols_table_set_name(tb, name);
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_export(tb, o->export);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_noencoding(tb, aligned(o));
	return tb;
}

static int json_type(enum column_kind kind)
{
	if (kind == KIND_BOOL)
		return SCOLS_JSON_BOOLEAN;
	return kind == KIND_NUMBER || kind == KIND_SIZE || kind == KIND_SECONDS ?
		SCOLS_JSON_NUMBER : SCOLS_JSON_STRING;
}

/* Cells are rendered once into one arena; a table of offsets finds them. */
#define CELL_NULL UINT32_MAX
#define CHUNK_ROWS 1024

struct cells {
	char *text;
	size_t len, cap;
	uint32_t *off;          /* rows * ncols offsets, CELL_NULL for none */
};

static int cells_add(struct cells *c, const char *s, uint32_t *off)
{
	size_t len;

	if (!s) {
		*off = CELL_NULL;
		return 0;
	}
	len = strlen(s) + 1;
	if (c->len + len > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 65536;
		char *t;

		while (cap < c->len + len)
			cap *= 2;
		if (cap >= CELL_NULL || !(t = realloc(c->text, cap)))
			return -ENOMEM;
		c->text = t;
		c->cap = cap;
	}
	memcpy(c->text + c->len, s, len);
	*off = (uint32_t)c->len;
	c->len += len;
	return 0;
}

/* The width of each cell is known: for an aligned table libsmartcols is
 * told so, instead of decoding every character again to measure it. The
 * "chunk" callbacks of a wrapping column give the width of a cell and
 * never split it. */
static size_t cell_width(const struct libscols_column *cl, const char *data, void *u)
{
	(void)cl;
	(void)u;
	return display_width(data);
}

static char *no_next_chunk(const struct libscols_column *cl, char *data, void *u)
{
	(void)cl;
	(void)data;
	(void)u;
	return NULL;
}

static int add_columns(struct libscols_table *tb, const struct output_opts *o,
		       const struct column_list *cols, const size_t *widths, bool fixed)
{
	for (size_t i = 0; i < cols->n; i++) {
		const struct column_info *ci = &column_table[cols->ids[i]];
		struct libscols_column *cl;
		double whint = ci->whint;

		/* Tables printed in pieces must lay out alike: each column gets
		 * its width over all rows as a fixed hint. */
		if (fixed)
			whint = (double)widths[i];
		cl = scols_table_new_column(tb, ci->name, whint,
					    fixed ? ci->flags | SCOLS_FL_WRAP : ci->flags);
		if (!cl)
			return -ENOMEM;
		if (fixed)
			scols_column_set_wrapfunc(cl, cell_width, no_next_chunk, NULL);
		if (o->json)
			scols_column_set_json_type(cl, json_type(ci->kind));
	}
	return 0;
}

/* Fill the table with rows [start, end): the lines of the previous chunk
 * are kept and their cells overwritten; lines are added, or removed at
 * the end (a last, shorter chunk), to match the count. */
static int set_rows(struct libscols_table *tb, const struct column_list *cols,
		    const struct cells *c, size_t start, size_t end)
{
	size_t want = end - start, have = scols_table_get_nlines(tb), k = 0;
	struct libscols_iter *itr = scols_new_iter(SCOLS_ITER_FORWARD);
	struct libscols_line *ln;
	int rc = 0;

	if (!itr)
		return -ENOMEM;
	for (size_t r = start; r < end && !rc; r++, k++) {
		if (k >= have || scols_table_next_line(tb, itr, &ln) != 0)
			ln = scols_table_new_line(tb, NULL);
		if (!ln) {
			rc = -ENOMEM;
			break;
		}
		for (size_t i = 0; i < cols->n && !rc; i++) {
			uint32_t off = c->off[r * cols->n + i];

			if (scols_line_set_data(ln, i, off == CELL_NULL ? NULL : c->text + off))
				rc = -ENOMEM;
		}
	}
	/* the lines past the last row (the iterator has moved past each line
	 * it returns, so removing that line is safe) */
	while (!rc && have > want && scols_table_next_line(tb, itr, &ln) == 0) {
		scols_table_remove_line(tb, ln);
		have--;
	}
	scols_free_iter(itr);
	return rc;
}

/* JSON in pieces: each chunk is printed by libsmartcols as a document of
 * its own, {"shm": [ ... ]}, into `piece`; the objects between its
 * brackets are copied out, so that the pieces join into one array. */
static int emit_json_piece(struct libscols_table *tb, FILE *pf, struct membuf *piece,
			   FILE *out, bool *first)
{
	const char *open, *close;

	int rc;

	membuf_reset(piece);
	scols_table_set_stream(tb, pf);
	/* a failed print may still close its brackets: never use it */
	rc = scols_print_table(tb);
	if (rc)
		return rc;
	if (fflush(pf) != 0 || piece->failed)
		return -ENOMEM;
	open = memchr(piece->data, '[', piece->len);
	close = memrchr(piece->data, ']', piece->len);
	if (!open || !close || close < open)
		return -EPROTO; /* not the document libsmartcols always prints */
	/* the objects, without the blanks around them */
	open++;
	while (open < close && (*open == ' ' || *open == '\n'))
		open++;
	while (close > open && (close[-1] == ' ' || close[-1] == '\n'))
		close--;
	if (close > open) {
		fputs(*first ? "\n      " : ",", out);
		fwrite(open, 1, (size_t)(close - open), out);
		*first = false;
	}
	return 0;
}

/* Rows [start, end) of the table, printed to `out` a chunk at a time so
 * that memory stays small whatever the number of rows. With JSON, only
 * the objects of the array are printed. */
struct rows_job {
	const struct output_opts *o;
	const struct column_list *cols;
	const struct cells *c;
	const size_t *widths;
	size_t start, end;
	bool headings;          /* text: print the header line */
	bool first;             /* JSON: no object printed before these */
	FILE *out;
	int rc;
};

static int print_rows(struct rows_job *j)
{
	struct libscols_table *tb = new_table(j->o, "shm");
	struct membuf piece = { 0 };
	FILE *pf = NULL;
	int rc;

	if (!tb)
		return -ENOMEM;
	scols_table_set_stream(tb, j->out);
	/* each stream is written by one thread at a time */
	__fsetlocking(j->out, FSETLOCKING_BYCALLER);
	scols_table_enable_noheadings(tb, j->o->noheadings || !j->headings);
	if (j->o->json && !(pf = membuf_open(&piece))) {
		scols_unref_table(tb);
		return -ENOMEM;
	}
	rc = add_columns(tb, j->o, j->cols, j->widths, aligned(j->o));
	for (size_t start = j->start; !rc && start < j->end; start += CHUNK_ROWS) {
		size_t end = start + CHUNK_ROWS < j->end ? start + CHUNK_ROWS : j->end;

		rc = set_rows(tb, j->cols, j->c, start, end);
		if (rc)
			break;
		if (j->o->json)
			rc = emit_json_piece(tb, pf, &piece, j->out, &j->first);
		else
			rc = scols_print_table(tb);
		scols_table_enable_noheadings(tb, 1);
		if (ferror(j->out))
			break;
	}
	scols_unref_table(tb);
	if (pf)
		fclose(pf);
	membuf_free(&piece);
	return rc;
}

static void *print_rows_thread(void *arg)
{
	struct rows_job *j = arg;

	j->rc = print_rows(j);
	return NULL;
}

/* Tables of many rows are printed by two threads: the second half into
 * memory while the first goes to stdout. libsmartcols measures and
 * escapes every cell character by character, and that is most of the
 * cost of a list. */
#define PARALLEL_ROWS 4096

static int print_table(const struct output_opts *o, const struct column_list *cols,
		       const struct cells *c, const size_t *widths, size_t n)
{
	struct rows_job first = {
		.o = o, .cols = cols, .c = c, .widths = widths,
		.start = 0, .end = n, .headings = true, .first = true, .out = stdout,
	};
	struct rows_job second = first;
	struct membuf buf = { 0 };
	pthread_t th;
	int rc;

	if (n < PARALLEL_ROWS || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return print_rows(&first);
	second.out = membuf_open(&buf);
	if (!second.out)
		return print_rows(&first);
	first.end = second.start = n / 2;
	second.headings = false;
	second.first = false;   /* the first half printed objects already */
	if (pthread_create(&th, NULL, print_rows_thread, &second) != 0) {
		/* no second thread: this one prints every row */
		fclose(second.out);
		membuf_free(&buf);
		first.end = n;
		return print_rows(&first);
	}
	rc = print_rows(&first);
	pthread_join(th, NULL);
	if ((fclose(second.out) != 0 || buf.failed) && !second.rc)
		second.rc = -ENOMEM;
	if (!rc)
		rc = second.rc;
	if (!rc && !ferror(stdout))
		fwrite(buf.data, 1, buf.len, stdout);
	membuf_free(&buf);
	return rc;
}

/* A table of segments, each row rendered as it is added: the cells in
 * one arena, the widths of an aligned table measured on the way. */
struct seg_table {
	const struct output_opts *o;
	struct column_list cols;
	struct render_opts ro;
	struct attach_buf scratch;
	struct time_cache times;
	struct cells c;
	size_t n, rows_cap;
	size_t widths[MAX_COLUMNS];
};

struct seg_table *seg_table_new(const struct output_opts *o, const struct column_list *cols,
				const struct render_opts *ro)
{
	struct seg_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->o = o;
	t->cols = *cols;
	t->ro = *ro;
	t->ro.scratch = &t->scratch;
	t->ro.times = &t->times;
	for (size_t i = 0; i < cols->n; i++)
		t->widths[i] = strlen(column_table[cols->ids[i]].name);
	return t;
}

int seg_table_add(struct seg_table *t, const struct shm_segment *seg)
{
	size_t ncols = t->cols.n;
	uint32_t *off;
	char buf[256];

	if (t->n == t->rows_cap) {
		size_t cap = t->rows_cap ? t->rows_cap * 2 : 1024;

		off = reallocarray(t->c.off, cap * (ncols ? ncols : 1), sizeof(*off));
		if (!off)
			return -ENOMEM;
		t->c.off = off;
		t->rows_cap = cap;
	}
	off = &t->c.off[t->n * ncols];
	for (size_t i = 0; i < ncols; i++) {
		const char *s = column_render(t->cols.ids[i], seg, t->n, &t->ro, buf, sizeof(buf));
		size_t w;

		if (cells_add(&t->c, s, &off[i]))
			return -ENOMEM;
		if (aligned(t->o) && s && (w = display_width(s)) > t->widths[i])
			t->widths[i] = w;
	}
	t->n++;
	return 0;
}

int seg_table_print(struct seg_table *t, const char *json_extra)
{
	const struct output_opts *o = t->o;
	int rc = 0;

	if (o->json)
		fputs("{\n   \"shm\": [", stdout);
	if (t->n)
		rc = print_table(o, &t->cols, &t->c, t->widths, t->n);
	/* A table cut short keeps its document open: it must not parse as
	 * a whole one with rows missing. */
	if (o->json && !rc)
		printf("\n   ]%s%s\n}\n", json_extra ? ",\n   " : "", json_extra ? json_extra : "");
	return rc;
}

void seg_table_free(struct seg_table *t)
{
	if (!t)
		return;
	attach_buf_free(&t->scratch);
	free(t->c.text);
	free(t->c.off);
	free(t);
}

int output_segments(const struct output_opts *o, const struct column_list *cols,
		    const struct shm_segment *segs, size_t n, const struct render_opts *ro,
		    const char *json_extra)
{
	struct seg_table *t = seg_table_new(o, cols, ro);
	int rc = t ? 0 : -ENOMEM;

	for (size_t r = 0; r < n && !rc; r++)
		rc = seg_table_add(t, &segs[r]);
	if (!rc)
		rc = seg_table_print(t, json_extra);
	seg_table_free(t);
	return rc;
}

/* A small table as JSON, json_extra (if not NULL) added as more members
 * after its array: the document libsmartcols prints goes to memory
 * first, and to stdout only whole. */
static int print_json(struct libscols_table *tb, const char *name, size_t n,
		      const char *json_extra)
{
	struct membuf doc = { 0 };
	const char *end = NULL;
	FILE *mem;
	int rc;

	if (!n) {
		printf("{\n   \"%s\": []%s%s\n}\n", name, json_extra ? ",\n   " : "",
		       json_extra ? json_extra : "");
		return 0;
	}
	mem = membuf_open(&doc);
	if (!mem)
		return -ENOMEM;
	scols_table_set_stream(tb, mem);
	rc = scols_print_table(tb);
	if ((fclose(mem) != 0 || doc.failed) && !rc)
		rc = -ENOMEM;
	if (!rc && json_extra) {
		end = memrchr(doc.data, '}', doc.len);
		if (!end || !(end = memrchr(doc.data, ']', (size_t)(end - doc.data))))
			rc = -EPROTO;
	}
	if (!rc && end) {
		fwrite(doc.data, 1, (size_t)(end - doc.data) + 1, stdout);
		printf(",\n   %s\n}\n", json_extra);
	} else if (!rc) {
		fwrite(doc.data, 1, doc.len, stdout);
	}
	membuf_free(&doc);
	return rc;
}

/* Print a small table that is complete: JSON whole or not at all. */
static int print_small_table(const struct output_opts *o, struct libscols_table *tb,
			     const char *name, size_t n, const char *json_extra)
{
	if (o->json)
		return print_json(tb, name, n, json_extra);
	if (!n && o->noheadings)
		return 0;
	return scols_print_table(tb);
}

/* A small table (no chunks) of n rows whose cells render(col, row) gives. */
static int output_rows(const struct output_opts *o, const char *name,
		       const struct column_list *cols, size_t n,
		       const char *(*render)(int col, size_t row, const void *rows,
					     const struct render_opts *ro, char *buf, size_t sz),
		       const void *rows, const struct render_opts *ro, const char *json_extra)
{
	struct libscols_table *tb = new_table(o, name);
	struct attach_buf scratch = { 0 };
	struct render_opts r = *ro;
	char buf[1024];
	int rc;

	r.scratch = &scratch;   /* for long cells: command lines */
	rc = tb ? add_columns(tb, o, cols, NULL, false) : -ENOMEM;
	for (size_t row = 0; !rc && row < n; row++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);

		if (!ln)
			rc = -ENOMEM;
		for (size_t i = 0; !rc && i < cols->n; i++) {
			const char *s = render(cols->ids[i], row, rows, &r, buf, sizeof(buf));

			if (s && scols_line_set_data(ln, i, s))
				rc = -ENOMEM;
		}
	}
	if (!rc)
		rc = print_small_table(o, tb, name, n, json_extra);
	scols_unref_table(tb);
	attach_buf_free(&scratch);
	return rc;
}

static const char *render_ns(int col, size_t row, const void *rows,
			     const struct render_opts *ro, char *buf, size_t sz)
{
	return column_render_ns(col, (const struct ipcns_info *)rows + row, ro, buf, sz);
}

int output_namespaces(const struct output_opts *o, const struct column_list *cols,
		      const struct ipcns_info *ns, size_t n, const struct render_opts *ro)
{
	return output_rows(o, "namespaces", cols, n, render_ns, ns, ro, NULL);
}

static const char *render_posix(int col, size_t row, const void *rows,
				const struct render_opts *ro, char *buf, size_t sz)
{
	/* gc's columns: what happened to the row */
	if (col == COL_ACTION)
		return ro->action ? ro->action[row] : NULL;
	if (col == COL_REASON)
		return ro->reason ? ro->reason[row] : NULL;
	return column_render_posix(col, (const struct posix_obj *)rows + row, ro, buf, sz);
}

int output_posix(const struct output_opts *o, const struct column_list *cols,
		 const struct posix_obj *objs, size_t n, const struct render_opts *ro,
		 const char *json_extra)
{
	return output_rows(o, "posix", cols, n, render_posix, objs, ro, json_extra);
}

int output_list_columns(const struct output_opts *o, enum column_scope scope)
{
	static const char *const kinds[] = {
		[KIND_STRING] = "string", [KIND_NUMBER] = "number",
		[KIND_SIZE] = "size", [KIND_TIME] = "time",
		[KIND_SECONDS] = "seconds",
		[KIND_BOOL] = "boolean",
	};
	struct libscols_table *tb = new_table(o, "columns");
	size_t n = 0;
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

		if (!in_scope(i, scope))
			continue;
		if (ci->alias)
			snprintf(help, sizeof(help), "%s (also %s, lsipc's name)", ci->help, ci->alias);
		ln = scols_table_new_line(tb, NULL);
		if (!ln || scols_line_set_data(ln, 0, ci->name) ||
		    scols_line_set_data(ln, 1, kinds[ci->kind]) ||
		    scols_line_set_data(ln, 2, ci->alias ? help : ci->help))
			rc = -ENOMEM;
		n++;
	}
	if (!rc)
		rc = print_small_table(o, tb, "columns", n, NULL);
	if (rc)
		warnx("cannot list the columns: %s", strerror(-rc));
	scols_unref_table(tb);
	return rc;
}

int output_scan_attach(struct attach_table *t)
{
	int rc = attach_learn_devs(&t->devs);

	/* without the devices no mapping can be told from a fake one */
	if (rc) {
		warnx("cannot find the device of System V shared memory: %s", strerror(-rc));
		return rc;
	}
	rc = attach_scan(t);
	if (rc) {
		warnx("cannot scan /proc for attached processes: %s", strerror(-rc));
		attach_table_free(t);
	}
	return rc;
}

void output_settle_partial(const struct attach_table *t, struct shm_segment *segs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct shm_segment now;

		if (attach_is_partial(attach_find(t, segs[i].id), segs[i].nattch) &&
		    sysv_stat(segs[i].id, &now) == 0 && now.nattch < segs[i].nattch)
			segs[i].nattch = now.nattch;
	}
}

bool output_warn_partial(const struct attach_table *t, const struct shm_segment *segs,
			 size_t n)
{
	size_t partial = 0;

	for (size_t i = 0; i < n; i++)
		if (attach_is_partial(attach_find(t, segs[i].id), segs[i].nattch))
			partial++;
	if (!partial)
		return false;
	if (t->denied)
		warnx("cannot inspect %lu process%s (permission denied): "
		      "attached processes of %zu segment%s are partial",
		      t->denied, t->denied == 1 ? "" : "es", partial, partial == 1 ? "" : "s");
	else
		warnx("some attachments are in processes not visible here: "
		      "attached processes of %zu segment%s are partial",
		      partial, partial == 1 ? "" : "s");
	return true;
}

const struct attach_table *output_attach_segments(struct attach_table *t,
						  struct shm_segment *segs, size_t n)
{
	if (output_scan_attach(t))
		return NULL;
	output_settle_partial(t, segs, n);
	output_warn_partial(t, segs, n);
	return t;
}
