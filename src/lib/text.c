/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lib/text.h"

/* Characters that reorder the text around them when shown: a command
 * line could hide what it is behind them ("Trojan Source"). */
static bool is_bidi_control(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The code point of the valid UTF-8 sequence at s (n > 0 bytes left) and
 * its length in *len; *len = 0 when s starts no valid sequence (a stray
 * or missing continuation byte, an overlong form, a surrogate, a value
 * above U+10FFFF). ASCII is a sequence of one byte. */
static uint32_t utf8_decode(const unsigned char *s, size_t n, size_t *len)
{
	uint32_t cp;

	*len = 0;
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		*len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		*len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		*len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < *len) {
		*len = 0;
		return 0;
	}
	for (size_t i = 1; i < *len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*len = 0;
			return 0;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((*len == 3 && cp < 0x800) || (*len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff)) {
		*len = 0;
		return 0;
	}
	return cp;
}

size_t utf8_char_len(const char *s, size_t n)
{
	size_t len;

	if (!n)
		return 0;
	utf8_decode((const unsigned char *)s, n, &len);
	return len;
}

/* Length of the valid UTF-8 sequence at s (n bytes left) above ASCII
 * that a terminal shows as it is: 0 if invalid, a C1 control character
 * or a bidirectional control. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp = utf8_decode(s, n, &len);

	if (len < 2 || (cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp))
		return 0;
	return len;
}

size_t sanitize(const char *in, size_t len, char *out, bool allow_utf8)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t seq;

		if (c >= 0x20 && c < 0x7f && c != '\\') {
			out[o++] = (char)c;
			i++;
		} else if (c == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
			i++;
		} else if (c >= 0x80 && allow_utf8 && (seq = utf8_seq(s + i, len - i)) > 0) {
			memcpy(out + o, s + i, seq);
			o += seq;
			i += seq;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
			i++;
		}
	}
	out[o] = '\0';
	return o;
}

/* U+FFFD REPLACEMENT CHARACTER, in place of a byte that is no UTF-8 */
static const char replacement[3] = { (char)0xef, (char)0xbf, (char)0xbd };

size_t utf8_repair(const char *in, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_char_len(in + i, len - i);

		/* a C1 control (U+0080..U+009F: CSI, OSC...) is valid UTF-8
		 * that a terminal acts on: replaced as an invalid byte is */
		if (!n || (n == 2 && (unsigned char)in[i] == 0xc2 && (unsigned char)in[i + 1] < 0xa0)) {
			memcpy(out + o, replacement, sizeof(replacement));
			o += sizeof(replacement);
		} else {
			memcpy(out + o, in + i, n);
			o += n;
		}
		i += n ? n : 1;
	}
	out[o] = '\0';
	return o;
}

size_t json_escape(const char *in, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		size_t n;
		uint32_t cp = utf8_decode(s + i, len - i, &n);

		if (!n || (cp >= 0x80 && cp <= 0x9f)) {
			/* no UTF-8, or a C1 control: as utf8_repair(), for one
			 * text in every JSON document */
			memcpy(out + o, replacement, sizeof(replacement));
			o += sizeof(replacement);
		} else if (cp == '"' || cp == '\\') {
			out[o++] = '\\';
			out[o++] = (char)cp;
		} else if (cp < 0x20 || cp == 0x7f) {
			memcpy(out + o, "\\u00", 4);
			out[o + 4] = hex[cp >> 4];
			out[o + 5] = hex[cp & 15];
			o += 6;
		} else {
			memcpy(out + o, in + i, n);
			o += n;
		}
		i += n ? n : 1;
	}
	out[o] = '\0';
	return o;
}

enum text_form text_form_for(bool json, bool encoded, bool utf8_locale)
{
	if (json)
		return TEXT_UTF8;
	if (encoded)
		return TEXT_EXACT;
	return utf8_locale ? TEXT_TERMINAL_UTF8 : TEXT_TERMINAL;
}

size_t text_form_size(enum text_form f, size_t len)
{
	switch (f) {
	case TEXT_EXACT:
		return len + 1;
	case TEXT_UTF8:
		return 3 * len + 1;
	case TEXT_TERMINAL:
	case TEXT_TERMINAL_UTF8:
	default:
		return 4 * len + 1;
	}
}

bool text_form_keeps(enum text_form f, const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;

	if (f == TEXT_EXACT)
		return true;
	for (size_t i = 0; i < len; i++) {
		if (s[i] >= 0x80)
			return false;
		if (f != TEXT_UTF8 && (s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\'))
			return false;
	}
	return true;
}

size_t text_form(enum text_form f, const char *in, size_t len, char *out)
{
	switch (f) {
	case TEXT_EXACT:
		memcpy(out, in, len);
		out[len] = '\0';
		return len;
	case TEXT_UTF8:
		return utf8_repair(in, len, out);
	case TEXT_TERMINAL_UTF8:
		return sanitize(in, len, out, true);
	case TEXT_TERMINAL:
	default:
		return sanitize(in, len, out, false);
	}
}

const char *text_shown(enum text_form f, const char *s, char *buf, size_t sz)
{
	size_t len = strlen(s), worst = text_form_size(f, 1) - 1;

	if (text_form_keeps(f, s, len))
		return s;
	if (!sz)
		return "";
	/* cut where even the worst case fits */
	if (text_form_size(f, len) > sz)
		len = (sz - 1) / worst;
	text_form(f, s, len, buf);
	return buf;
}

size_t display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	for (; *p; p++, n++)
		if (*p >= 0x80)
			goto wide;
	return n;
wide:;
	size_t w = n;
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	while (*p) {
		wchar_t wc;
		size_t len = mbrtowc(&wc, (const char *)p, MB_CUR_MAX, &st);
		int cw;

		if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
			/* not decodable in this locale: one cell per byte */
			memset(&st, 0, sizeof(st));
			w++;
			p++;
			continue;
		}
		cw = wcwidth(wc);
		w += cw > 0 ? (size_t)cw : 0;
		p += len;
	}
	return w;
}
