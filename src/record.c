/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "record.h"
#include "util.h"

struct libscols_table *record_table_new(void)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		err(EXIT_FAIL, "cannot allocate memory");
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

void record_set(struct libscols_line *ln, size_t col, const char *text)
{
	enum text_form f = text_form_for(false, false, MB_CUR_MAX > 1);
	size_t len;
	char *safe;

	if (!text || text_form_keeps(f, text, len = strlen(text))) {
		scols_line_set_data(ln, col, text);
		return;
	}
	safe = malloc(text_form_size(f, len));
	if (!safe)
		err(EXIT_FAIL, "cannot allocate memory");
	text_form(f, text, len, safe);
	scols_line_set_data(ln, col, safe);
	free(safe);
}

void record_add(struct libscols_table *tb, const char *name, const char *value)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);

	if (!ln)
		err(EXIT_FAIL, "cannot allocate memory");
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

void record_json_string(const char *key, const char *value, const char *sep)
{
	char *esc;

	if (!value) {
		printf("\"%s\": null%s", key, sep);
		return;
	}
	esc = malloc(6 * strlen(value) + 1);
	if (!esc)
		err(EXIT_FAIL, "cannot allocate memory");
	json_escape(value, strlen(value), esc);
	printf("\"%s\": \"%s\"%s", key, esc, sep);
	free(esc);
}

void record_json_cell(const char *key, const char *value, enum column_kind kind,
		      const char *sep)
{
	if (value && (kind == KIND_NUMBER || kind == KIND_SIZE || kind == KIND_SECONDS))
		printf("\"%s\": %s%s", key, value, sep);
	else if (value && kind == KIND_BOOL)
		printf("\"%s\": %s%s", key, strcmp(value, "yes") ? "false" : "true", sep);
	else    /* an empty cell is null, as in the tables' JSON */
		record_json_string(key, value && *value ? value : NULL, sep);
}
