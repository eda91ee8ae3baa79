/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target: sanitize(), which stands between whatever a process put in
 * its command line and the terminal. Its output holds no control
 * character, and in UTF-8 mode is valid UTF-8. And the forms of JSON:
 * utf8_repair() writes valid UTF-8 with no C1 control, that is the input
 * when the input is valid and holds none, json_escape() the inside of a
 * valid JSON string. */
#include <stdbool.h>

#include "out/format.h"
#include "fuzz.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void check(const char *in, size_t len, bool utf8)
{
	char *out = malloc(4 * len + 1);
	const unsigned char *o;
	size_t n;

	if (!out)
		return;
	n = sanitize(in, len, out, utf8);
	fuzz_assert(n <= 4 * len);
	fuzz_assert(out[n] == '\0' && strlen(out) == n);
	o = (const unsigned char *)out;
	for (size_t i = 0; i < n;) {
		size_t l = utf8_len(o + i, n - i);

		fuzz_assert(o[i] >= 0x20 && o[i] != 0x7f);
		fuzz_assert(utf8 ? l > 0 : o[i] < 0x80);
		/* no C1 control (U+0080..U+009F) either */
		fuzz_assert(!(l == 2 && o[i] == 0xc2 && o[i + 1] < 0xa0));
		i += l ? l : 1;
	}
	(void)display_width(out);
	free(out);
}

static void check_json(const char *in, size_t len)
{
	char *rep = malloc(3 * len + 1), *js = malloc(6 * len + 1);
	const unsigned char *o;
	size_t n, valid = 0;

	if (!rep || !js)
		goto out;
	n = utf8_repair(in, len, rep);
	fuzz_assert(n <= 3 * len && rep[n] == '\0');
	for (size_t i = 0; i < n;) {
		size_t l = utf8_len((const unsigned char *)rep + i, n - i);

		fuzz_assert(l > 0);
		fuzz_assert(!(l == 2 && (unsigned char)rep[i] == 0xc2 &&
			      (unsigned char)rep[i + 1] < 0xa0));
		i += l;
	}
	for (size_t i = 0; i < len && utf8_len((const unsigned char *)in + i, len - i);) {
		size_t l = utf8_len((const unsigned char *)in + i, len - i);

		if (l == 2 && (unsigned char)in[i] == 0xc2 && (unsigned char)in[i + 1] < 0xa0)
			break;          /* a C1 control: replaced */
		valid = i += l;
	}
	if (valid == len)
		fuzz_assert(n == len && memcmp(rep, in, len) == 0);
	n = json_escape(in, len, js);
	fuzz_assert(n <= 6 * len && js[n] == '\0');
	o = (const unsigned char *)js;
	for (size_t i = 0; i < n;) {
		size_t l = utf8_len(o + i, n - i);

		fuzz_assert(l > 0 && o[i] >= 0x20 && o[i] != 0x7f && o[i] != '"');
		fuzz_assert(!(l == 2 && o[i] == 0xc2 && o[i + 1] < 0xa0));
		if (o[i] == '\\') {
			/* an escape: \" \\ or \u00XX, never a lone backslash */
			fuzz_assert(i + 1 < n && strchr("\"\\u", o[i + 1]));
			l = o[i + 1] == 'u' ? 6 : 2;
			fuzz_assert(i + l <= n);
		}
		i += l;
	}
out:
	free(rep);
	free(js);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size ? size : 1);

	if (!in)
		return 0;
	memcpy(in, data, size);
	check(in, size, true);
	check(in, size, false);
	check_json(in, size);
	free(in);
	return 0;
}
