/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text read from the system, made safe for a terminal, JSON or a
 * message: pure functions, no knowledge of shared memory. */
#ifndef SHMTOOL_TEXT_H
#define SHMTOOL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Copy `len` bytes of `in` to `out` so that nothing can drive a terminal:
 * control characters, DEL, C1 controls and invalid UTF-8 become \xNN,
 * a backslash becomes \\; without allow_utf8 (a locale that is not
 * UTF-8) every byte above 0x7f is escaped too. out needs 4 * len + 1
 * bytes. Returns the length written. */
size_t sanitize(const char *in, size_t len, char *out, bool allow_utf8);

/* Length of the valid UTF-8 sequence at s (n bytes left): 1 for an
 * ASCII byte, 2 to 4 for a character above it, 0 when s starts none (a
 * stray or missing continuation byte, an overlong form, a surrogate, a
 * value above U+10FFFF, n == 0). */
size_t utf8_char_len(const char *s, size_t n);

/* Copy `len` bytes of `in` to `out` with each byte that belongs to no
 * valid UTF-8 sequence, and each C1 control character (U+0080..U+009F,
 * which terminals act on), replaced by U+FFFD: the result is valid UTF-8
 * and otherwise the same text. out needs 3 * len + 1 bytes. Returns the
 * length written. */
size_t utf8_repair(const char *in, size_t len, char *out);

/* Copy `len` bytes of `in` to `out` as the inside of a JSON string of the
 * same text: '"' and '\\' get a backslash, control characters (C0 and
 * DEL) become \u00XX, and each byte that belongs to no valid UTF-8
 * sequence, and each C1 control, becomes U+FFFD (as utf8_repair). out needs 6 * len + 1 bytes.
 * Returns the length written. */
size_t json_escape(const char *in, size_t len, char *out);

/* How text read from the system (command lines, command names, user,
 * group and object names) is written. It is kept exact in memory and
 * put in its form once, here, for each output (OUTPUT ENCODING in
 * shmtool-list(1)):
 *   TEXT_TERMINAL       an aligned table, a stat record, a message:
 *                       sanitize(), every byte above 0x7f escaped too;
 *   TEXT_TERMINAL_UTF8  the same in a UTF-8 locale: valid UTF-8 kept
 *                       (but C1 and bidirectional controls escaped);
 *   TEXT_EXACT          raw and export output: the text as it is, which
 *                       libsmartcols escapes by its own rules (in any
 *                       locale, every control, blank or non-ASCII byte
 *                       as \xNN, as lsipc's);
 *   TEXT_UTF8           JSON and metrics: the text as it is, invalid
 *                       UTF-8 repaired (utf8_repair), for a writer that
 *                       escapes what its format needs.
 * TEXT_TERMINAL is 0: render options that say nothing are safe. */
enum text_form {
	TEXT_TERMINAL,
	TEXT_TERMINAL_UTF8,
	TEXT_EXACT,
	TEXT_UTF8,
};

/* The form of text for an output: JSON, raw or export (`encoded`:
 * libsmartcols escapes), else a table for a terminal, in a locale with
 * or without UTF-8. */
enum text_form text_form_for(bool json, bool encoded, bool utf8_locale);

/* The bytes text_form() may need for `len` bytes in, its NUL included. */
size_t text_form_size(enum text_form f, size_t len);

/* Whether text_form() surely leaves the `len` bytes of `in` as they are
 * (a quick look: false may still mean unchanged). */
bool text_form_keeps(enum text_form f, const char *in, size_t len);

/* Copy `len` bytes of `in` to `out` in form f; out holds
 * text_form_size(f, len) bytes. Returns the length written. */
size_t text_form(enum text_form f, const char *in, size_t len, char *out);

/* The string s in form f: s itself when text_form_keeps() says so, else
 * written to buf (sz bytes), a text too long for buf cut short first. */
const char *text_shown(enum text_form f, const char *s, char *buf, size_t sz);

/* Display width of a sanitised string (ASCII fast path). */
size_t display_width(const char *s);

#endif
