/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "Name: value" records (stat): a two-column libsmartcols table with no
 * headings, one line per field. Allocation failures exit. */
#ifndef SHMTOOL_RECORD_H
#define SHMTOOL_RECORD_H

#include <libsmartcols.h>
#include <stdint.h>
#include <time.h>

#include "lib/parse.h"
#include "out/columns.h"

/* A table of "Name: value" lines, for a terminal. */
struct libscols_table *record_new(void);
/* A "Name: value" line, the value made safe for a terminal. */
void record_add(struct libscols_table *tb, const char *name, const char *value);
void record_addf(struct libscols_table *tb, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "4096 (4K)" */
void record_add_size(struct libscols_table *tb, const char *name, uint64_t bytes);

/* A time as fmt_time gives it, "never" for 0. */
void record_add_time(struct libscols_table *tb, const char *name, int64_t t,
		     enum time_format f, time_t now);

/* Cell `col` of a line: text read from the system, or any text, in form
 * f (a terminal's: TEXT_TERMINAL, safe; a JSON cell: TEXT_UTF8). */
void record_set_form(struct libscols_line *ln, size_t col, const char *text,
		     enum text_form f);

/* A cell of digits. */
void record_set_number(struct libscols_line *ln, size_t col, unsigned long long v);

/* The columns of a table of fixed fields (stat's processes, stat
 * --posix -J), not chosen with -o. */
struct record_field {
	const char *name;
	double whint;
	int flags;              /* SCOLS_FL_* */
	int json;               /* SCOLS_JSON_* */
};

struct output_opts;

/* A table `name` of the fields f for the output options o (with JSON,
 * its member name and the fields' types). Allocation failures exit. */
struct libscols_table *record_fields_table(const struct output_opts *o, const char *name,
					  const struct record_field *f, size_t n);

#endif
