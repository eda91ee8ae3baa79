/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "format.h"
#include "posix-shm.h"
#include "segment.h"

size_t fmt_u64(char *buf, uint64_t v)
{
	char tmp[21];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

/* Copy len bytes of s and a NUL into buf of sz bytes, cut like snprintf.
 * The formatters below build their text by hand: they run for every
 * cell of a table, and snprintf costs more than the rest of the cell. */
static void put(char *buf, size_t sz, const char *s, size_t len)
{
	if (!sz)
		return;
	if (len >= sz)
		len = sz - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
}

void fmt_size_human(char *buf, size_t sz, uint64_t bytes)
{
	static const char units[] = "BKMGTPE";
	unsigned exp = 0;
	unsigned __int128 tenths = bytes;
	char tmp[32];
	size_t n;

	while (exp < sizeof(units) - 2 && bytes >> (10 * (exp + 1)))
		exp++;
	/* the exact value in tenths of the unit, rounded half up; what
	 * rounds to 1024 of a unit is 1 of the next */
	for (; exp; exp++) {
		unsigned __int128 unit = (unsigned __int128)1 << (10 * exp);

		tenths = ((unsigned __int128)bytes * 10 + unit / 2) / unit;
		if (tenths < 10240 || exp == sizeof(units) - 2)
			break;
	}
	if (exp == 0) {
		n = fmt_u64(tmp, bytes);
		tmp[n++] = 'B';
		put(buf, sz, tmp, n);
		return;
	}
	n = fmt_u64(tmp, (uint64_t)(tenths / 10));
	if (tenths % 10) {
		tmp[n++] = '.';
		tmp[n++] = (char)('0' + (unsigned)(tenths % 10));
	}
	tmp[n++] = units[exp];
	put(buf, sz, tmp, n);
}

void fmt_duration(char *buf, size_t sz, int64_t secs)
{
	static const struct { char unit; int64_t secs; } units[] = {
		{ 'd', 86400 }, { 'h', 3600 }, { 'm', 60 },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (secs >= units[i].secs) {
			snprintf(buf, sz, "%lld%c", (long long)(secs / units[i].secs), units[i].unit);
			return;
		}
	}
	snprintf(buf, sz, "%llds", (long long)secs);
}

void fmt_key(char *buf, size_t sz, int32_t key)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[10] = { '0', 'x' };
	uint32_t k = (uint32_t)key;

	for (int i = 9; i >= 2; i--, k >>= 4)
		tmp[i] = hex[k & 0xf];
	put(buf, sz, tmp, sizeof(tmp));
}

void fmt_perms(char *buf, size_t sz, unsigned int mode, int numeric)
{
	static const char rwx[] = "rwxrwxrwx";

	if (numeric) {
		snprintf(buf, sz, "%04o", mode & 0777);
		return;
	}
	if (sz < 10) {
		if (sz)
			buf[0] = '\0';
		return;
	}
	for (int i = 0; i < 9; i++)
		buf[i] = (mode & (0400u >> i)) ? rwx[i] : '-';
	buf[9] = '\0';
}

void fmt_status(char *buf, size_t sz, unsigned int mode)
{
	static const char *const text[4] = { "", "dest", "locked", "dest,locked" };
	const char *t = text[(mode & SEG_MODE_DEST ? 1 : 0) | (mode & SEG_MODE_LOCKED ? 2 : 0)];

	put(buf, sz, t, strlen(t));
}

/* Like strftime: text that does not fit in sz bytes is a failure. */
static const char *put_whole(char *buf, size_t sz, const char *text)
{
	size_t len = strlen(text);

	if (len >= sz)
		return NULL;
	memcpy(buf, text, len + 1);
	return buf;
}

/* Append the offset from UTC as RFC 3339 writes it: "Z" for UTC itself
 * (what jq's fromdateiso8601 reads), else "+01:00" (strftime's %z has no
 * colon, which RFC 3339 parsers refuse). */
static const char *add_utc_offset(char *buf, size_t sz, long gmtoff)
{
	size_t len = strlen(buf);
	long off = gmtoff < 0 ? -gmtoff : gmtoff;

	if (gmtoff == 0)
		return put_whole(buf + len, sz - len, "Z") ? buf : NULL;
	if (sz - len < 7)
		return NULL;
	snprintf(buf + len, sz - len, "%c%02ld:%02ld", gmtoff < 0 ? '-' : '+',
		 off / 3600 % 100, off / 60 % 60);
	return buf;
}

const char *fmt_time(char *buf, size_t sz, int64_t t, enum time_format f, time_t now)
{
	time_t tt = (time_t)t;
	struct tm tm, tmnow;
	const char *pattern;

	if (t == 0 || !localtime_r(&tt, &tm))
		return NULL;
	switch (f) {
	case TIME_ISO:
		pattern = "%Y-%m-%dT%H:%M:%S";
		break;
	case TIME_FULL:
		pattern = "%a %b %e %H:%M:%S %Y";
		break;
	case TIME_SHORT:
	default:
		localtime_r(&now, &tmnow);
		if (tm.tm_year == tmnow.tm_year && tm.tm_yday == tmnow.tm_yday)
			pattern = "%H:%M";
		else if (tm.tm_year == tmnow.tm_year)
			pattern = "%b%d";
		else
			pattern = "%Y-%m-%d";
		break;
	}
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	/* the patterns are the literals above */
	if (strftime(buf, sz, pattern, &tm) == 0)
		return NULL;
#pragma GCC diagnostic pop
	return f == TIME_ISO ? add_utc_offset(buf, sz, tm.tm_gmtoff) : buf;
}


const char *fmt_time_cached(struct time_cache *c, char *buf, size_t sz, int64_t t,
			    enum time_format f, time_t now)
{
	struct time_cache_entry *e;

	for (size_t i = 0; i < TIME_CACHE_SIZE; i++) {
		e = &c->e[i];
		if (e->valid && e->t == t && e->now == now && e->f == f)
			return put_whole(buf, sz, e->text);
	}
	e = &c->e[c->next];
	e->valid = false;
	if (!fmt_time(e->text, sizeof(e->text), t, f, now))
		return NULL;
	e->t = t;
	e->now = now;
	e->f = f;
	e->valid = true;
	c->next = (c->next + 1) % TIME_CACHE_SIZE;
	return put_whole(buf, sz, e->text);
}

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

const char *fmt_posix_use(unsigned int use)
{
	static const char *const text[4] = {
		[0] = "unused", [POSIX_MAPPED] = "mapped", [POSIX_OPEN] = "open",
		[POSIX_MAPPED | POSIX_OPEN] = "mapped,open",
	};

	return text[use & 3];
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
		if (n == 2 && (unsigned char)in[i] == 0xc2 && (unsigned char)in[i + 1] < 0xa0) {
			memcpy(out + o, replacement, sizeof(replacement));
			o += sizeof(replacement);
			i += n;
		} else if (n) {
			memcpy(out + o, in + i, n);
			o += n;
			i += n;
		} else {
			memcpy(out + o, replacement, sizeof(replacement));
			o += sizeof(replacement);
			i++;
		}
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

		if (!n) {
			memcpy(out + o, replacement, sizeof(replacement));
			o += sizeof(replacement);
			i++;
		} else if (cp == '"' || cp == '\\') {
			out[o++] = '\\';
			out[o++] = (char)cp;
			i++;
		} else if (cp >= 0x80 && cp <= 0x9f) {
			/* a C1 control: as utf8_repair(), for one text in
			 * every JSON document */
			memcpy(out + o, replacement, sizeof(replacement));
			o += sizeof(replacement);
			i += n;
		} else if (cp < 0x20 || cp == 0x7f) {
			memcpy(out + o, "\\u00", 4);
			out[o + 4] = hex[cp >> 4];
			out[o + 5] = hex[cp & 15];
			o += 6;
			i += n;
		} else {
			memcpy(out + o, in + i, n);
			o += n;
			i += n;
		}
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
