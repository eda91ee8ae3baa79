/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "Name: value" records (stat): a two-column libsmartcols table with no
 * headings, one line per field. Allocation failures exit. */
#ifndef SHMTOOL_RECORD_H
#define SHMTOOL_RECORD_H

#include <libsmartcols.h>
#include <stdint.h>
#include <time.h>

#include "columns.h"
#include "parse.h"

/* A table for a terminal whose cells are set by record_set(), which
 * makes them safe (TEXT_TERMINAL, format.c): libsmartcols is told not to
 * escape them again, which would show each backslash of an escape as
 * \x5c. */
struct libscols_table *record_table_new(void);

/* Cell `col` of a line: text read from the system, or any text, made
 * safe for a terminal. */
void record_set(struct libscols_line *ln, size_t col, const char *text);

struct libscols_table *record_new(void);
/* A "Name: value" line, the value made safe by record_set(). */
void record_add(struct libscols_table *tb, const char *name, const char *value);
void record_addf(struct libscols_table *tb, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "4096 (4K)" */
void record_add_size(struct libscols_table *tb, const char *name, uint64_t bytes);

/* A time as fmt_time gives it, "never" for 0. */
void record_add_time(struct libscols_table *tb, const char *name, int64_t t,
		     enum time_format f, time_t now);

/* Members of the JSON documents of stat, written as records are: "key":
 * the exact text escaped for JSON (json_escape), or null; then sep. */
void record_json_string(const char *key, const char *value, const char *sep);

/* "key": the text of a cell as its column's kind says in JSON: a
 * number (number, size, seconds) as it is, a boolean ("yes", "no") as
 * true or false, any other as a string; null when value is NULL or
 * empty, as libsmartcols writes an empty cell. */
void record_json_cell(const char *key, const char *value, enum column_kind kind,
		      const char *sep);

#endif
