/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/posix-shm.h"
#include "core/segment.h"
#include "out/format.h"

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

const char *fmt_posix_use(unsigned int use)
{
	static const char *const text[4] = {
		[0] = "unused", [POSIX_MAPPED] = "mapped", [POSIX_OPEN] = "open",
		[POSIX_MAPPED | POSIX_OPEN] = "mapped,open",
	};

	return text[use & 3];
}
