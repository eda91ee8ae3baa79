/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "out/format.h"
#include "out/output.h"
#include "out/record.h"

/* A table for a terminal whose cells are set by record_set(), which
 * makes them safe (TEXT_TERMINAL, lib/text.c): libsmartcols is told not to
 * escape them again, which would show each backslash of an escape as
 * \x5c. */
static struct libscols_table *record_table_new(void)
{
	struct libscols_table *tb = alloc_or_err(scols_new_table());

	scols_table_enable_noencoding(tb, 1);
	return tb;
}

struct libscols_table *record_new(void)
{
	struct libscols_table *tb = record_table_new();

	if (!scols_table_new_column(tb, "FIELD", 0, 0) ||
	    !scols_table_new_column(tb, "VALUE", 0, 0))
		err(EXIT_FAIL, "cannot allocate memory");
	scols_table_enable_noheadings(tb, 1);
	return tb;
}

void record_set_form(struct libscols_line *ln, size_t col, const char *text,
		     enum text_form f)
{
	size_t len;
	char *safe;

	if (!text || text_form_keeps(f, text, len = strlen(text))) {
		scols_line_set_data(ln, col, text);
		return;
	}
	safe = alloc_or_err(malloc(text_form_size(f, len)));
	text_form(f, text, len, safe);
	scols_line_set_data(ln, col, safe);
	free(safe);
}

/* Cell `col` of a line: text read from the system, or any text, made
 * safe for a terminal. */
static void record_set(struct libscols_line *ln, size_t col, const char *text)
{
	record_set_form(ln, col, text, text_form_for(false, false, MB_CUR_MAX > 1));
}

void record_add(struct libscols_table *tb, const char *name, const char *value)
{
	struct libscols_line *ln = alloc_or_err(scols_table_new_line(tb, NULL));

	scols_line_set_data(ln, 0, name);
	record_set(ln, 1, value);
}

void record_addf(struct libscols_table *tb, const char *name, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		err(EXIT_FAIL, "cannot allocate memory");
	record_add(tb, name, s);
	free(s);
}

void record_add_size(struct libscols_table *tb, const char *name, uint64_t bytes)
{
	char human[32];

	fmt_size_human(human, sizeof(human), bytes);
	record_addf(tb, name, "%llu (%s)", (unsigned long long)bytes, human);
}

void record_add_time(struct libscols_table *tb, const char *name, int64_t t,
		     enum time_format f, time_t now)
{
	char buf[64];
	const char *s = fmt_time(buf, sizeof(buf), t, f, now);

	record_add(tb, name, s ? s : "never");
}

struct libscols_table *record_fields_table(const struct output_opts *o, const char *name,
					  const struct record_field *f, size_t n)
{
	struct libscols_table *tb = alloc_or_err(output_new_table(o, name));

	for (size_t i = 0; i < n; i++) {
		struct libscols_column *cl = scols_table_new_column(tb, f[i].name, f[i].whint,
								    f[i].flags);

		if (!cl || (o->json && scols_column_set_json_type(cl, f[i].json)))
			err(EXIT_FAIL, "cannot allocate memory");
	}
	return tb;
}

void record_set_number(struct libscols_line *ln, size_t col, unsigned long long v)
{
	char num[32];

	snprintf(num, sizeof(num), "%llu", v);
	if (scols_line_set_data(ln, col, num))
		err(EXIT_FAIL, "cannot allocate memory");
}
