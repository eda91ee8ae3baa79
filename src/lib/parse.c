/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/parse.h"

/* strtoull without its quirks: no sign, no leading space, full match of
 * the digits; *end points after them. */
static int read_u64(const char *s, int base, uint64_t *out, const char **end)
{
	char *e;
	unsigned long long v;

	if (!s || !isxdigit((unsigned char)*s))
		return -EINVAL;
	/* strtoull would take a second "0x" after the one already skipped */
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &e, base);
	if (e == s)
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	*out = v;
	*end = e;
	return 0;
}

int parse_u64(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;
	int rc = read_u64(s, 10, &v, &end);

	if (rc)
		return rc;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

static int suffix_factor(const char *suf, uint64_t *factor)
{
	static const struct { const char *name; uint64_t factor; } units[] = {
		{ "",    1 }, { "B", 1 },
		{ "K",   1ULL << 10 }, { "k", 1ULL << 10 }, { "KiB", 1ULL << 10 }, { "KB", 1000ULL },
		{ "M",   1ULL << 20 }, { "m", 1ULL << 20 }, { "MiB", 1ULL << 20 }, { "MB", 1000000ULL },
		{ "G",   1ULL << 30 }, { "g", 1ULL << 30 }, { "GiB", 1ULL << 30 }, { "GB", 1000000000ULL },
		{ "T",   1ULL << 40 }, { "t", 1ULL << 40 }, { "TiB", 1ULL << 40 }, { "TB", 1000000000000ULL },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(suf, units[i].name) == 0) {
			*factor = units[i].factor;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_size(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v, factor;
	int rc;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	/* 0x and hex digits, as offsets are often written */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		rc = isxdigit((unsigned char)s[2]) ? read_u64(s + 2, 16, &v, &end) : -EINVAL;
	else
		rc = read_u64(s, 10, &v, &end);
	if (rc)
		return rc;
	if (suffix_factor(end, &factor))
		return -EINVAL;
	if (v > UINT64_MAX / factor)
		return -ERANGE;
	*out = v * factor;
	return 0;
}

int parse_key(const char *s, int32_t *out)
{
	const char *end;
	uint64_t v;
	bool neg = false;
	int base = 10;
	int rc;

	if (!s)
		return -EINVAL;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (neg)
			return -EINVAL;
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
	}
	if (!isdigit((unsigned char)*s) && !(base == 16 && isxdigit((unsigned char)*s)))
		return -EINVAL;
	rc = read_u64(s, base, &v, &end);
	if (rc)
		return rc;
	if (*end)
		return -EINVAL;
	if (neg) {
		if (v > (uint64_t)INT32_MAX + 1)
			return -ERANGE;
		*out = (int32_t)(0 - (int64_t)v);
		return 0;
	}
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (int32_t)(uint32_t)v;
	return 0;
}

int parse_id(const char *s, int *out)
{
	uint64_t v;
	int rc;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	rc = parse_u64(s, &v);
	if (rc)
		return rc;
	if (v > INT_MAX)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

int parse_mode(const char *s, unsigned int *out)
{
	const char *end;
	uint64_t v;
	int rc;

	if (!s || *s < '0' || *s > '7')
		return -EINVAL;
	rc = read_u64(s, 8, &v, &end);
	if (rc)
		return rc;
	if (*end)
		return -EINVAL;
	if (v > 0777)
		return -ERANGE;
	*out = (unsigned int)v;
	return 0;
}

/* The bits of who (u, g, o; a or none: all three) in a 9-bit mode. */
static unsigned int who_mask(unsigned int who)
{
	return (who & 4 ? 0700u : 0) | (who & 2 ? 0070u : 0) | (who & 1 ? 0007u : 0);
}

/* rwx bits spread to every class: r -> 0444. */
static unsigned int spread(unsigned int rwx)
{
	return rwx * 0111u;
}

/* One clause of a symbolic mode, "[ugoa]*([-+=]([rwx]*|[ugo]))+", applied
 * to *mode; *s moves past it. */
static int mode_clause(const char **s, unsigned int *mode)
{
	const char *p = *s;
	unsigned int who = 0;

	for (; *p && strchr("ugoa", *p); p++)
		who |= *p == 'u' ? 4 : *p == 'g' ? 2 : *p == 'o' ? 1 : 7;
	if (!who)
		who = 7;
	if (!*p || !strchr("+-=", *p))
		return -EINVAL;
	while (*p && strchr("+-=", *p)) {
		char op = *p++;
		unsigned int rwx = 0;

		if (*p && strchr("ugo", *p)) {
			/* the bits another class has now: g=u */
			int shift = *p == 'u' ? 6 : *p == 'g' ? 3 : 0;

			rwx = (*mode >> shift) & 7;
			p++;
		} else {
			for (; *p && strchr("rwx", *p); p++)
				rwx |= *p == 'r' ? 4 : *p == 'w' ? 2 : 1;
		}
		if (op == '=')
			*mode &= ~who_mask(who);
		if (op == '-')
			*mode &= ~(spread(rwx) & who_mask(who));
		else
			*mode |= spread(rwx) & who_mask(who);
	}
	*s = p;
	return 0;
}

int parse_mode_change(const char *s, unsigned int mode, unsigned int *out)
{
	if (!s || !*s)
		return -EINVAL;
	if (*s >= '0' && *s <= '9')
		return parse_mode(s, out);
	mode &= 0777;
	for (;;) {
		int rc = mode_clause(&s, &mode);

		if (rc)
			return rc;
		if (!*s)
			break;
		if (*s++ != ',' || !*s)
			return -EINVAL;
	}
	*out = mode;
	return 0;
}

int parse_duration(const char *s, int64_t *seconds)
{
	static const struct { char unit; int64_t factor; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 },
	};
	const char *end;
	uint64_t v;
	int64_t factor = 1;
	int rc;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	rc = read_u64(s, 10, &v, &end);
	if (rc)
		return rc;
	if (*end) {
		size_t i;

		if (end[1])
			return -EINVAL;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (*end == units[i].unit)
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return -EINVAL;
		factor = units[i].factor;
	}
	if (v > (uint64_t)(INT64_MAX / factor))
		return -ERANGE;
	*seconds = (int64_t)v * factor;
	return 0;
}

int parse_wait(const char *s, int64_t *ns)
{
	static const struct { const char *unit; int64_t ns; } units[] = {
		{ "", 1000000000 }, { "s", 1000000000 }, { "ms", 1000000 },
		{ "m", 60000000000 }, { "h", 3600000000000 },
	};
	uint64_t whole, frac = 0, scale = 1;
	const char *end;
	int rc;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	rc = read_u64(s, 10, &whole, &end);
	if (rc)
		return rc;
	if (*end == '.') {
		if (!isdigit((unsigned char)*++end))
			return -EINVAL;
		for (; isdigit((unsigned char)*end); end++)
			if (scale < 1000000000) {
				frac = frac * 10 + (uint64_t)(*end - '0');
				scale *= 10;
			}
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (whole > (uint64_t)(INT64_MAX / units[i].ns) - 1)
			return -ERANGE;
		*ns = (int64_t)whole * units[i].ns +
		      (int64_t)((unsigned __int128)frac * (uint64_t)units[i].ns / scale);
		return 0;
	}
	return -EINVAL;
}

int parse_time_format(const char *s, enum time_format *out)
{
	if (!s)
		return -EINVAL;
	if (strcmp(s, "short") == 0)
		*out = TIME_SHORT;
	else if (strcmp(s, "full") == 0)
		*out = TIME_FULL;
	else if (strcmp(s, "iso") == 0)
		*out = TIME_ISO;
	else
		return -EINVAL;
	return 0;
}

const char *reuse_mismatch(uint64_t have_size, unsigned int have_mode, uint64_t want_size,
			   const unsigned int *want_mode, char *buf, size_t sz)
{
	if (have_size < want_size) {
		snprintf(buf, sz, "its size is %llu byte%s, less than the %llu asked",
			 (unsigned long long)have_size, have_size == 1 ? "" : "s",
			 (unsigned long long)want_size);
		return buf;
	}
	if (want_mode && (have_mode & 0777) != *want_mode) {
		snprintf(buf, sz, "its mode is %04o, not %04o", have_mode & 0777, *want_mode);
		return buf;
	}
	return NULL;
}

int parse_ftok_proj(const char *s, int *proj)
{
	uint64_t v;
	const char *end;

	if (!s || !*s)
		return -EINVAL;
	/* one character is that character, as C's ftok(path, '1') takes it */
	if (s[1] == '\0') {
		*proj = (unsigned char)*s;
		return 0;
	}
	if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))) {
		if (!isxdigit((unsigned char)s[2]) || read_u64(s + 2, 16, &v, &end) || *end)
			return -EINVAL;
	} else if (parse_u64(s, &v)) {
		return -EINVAL;
	}
	if (v < 1 || v > 255)
		return -ERANGE;
	*proj = (int)v;
	return 0;
}

int parse_ftok_spec(const char *s, char *path, size_t sz, int *proj)
{
	const char *colon;
	size_t len;

	if (!s || !*s)
		return -EINVAL;
	colon = strrchr(s, ':');
	len = strlen(s);
	*proj = FTOK_DEFAULT_PROJ;
	if (colon) {
		int rc = parse_ftok_proj(colon + 1, proj);

		if (rc)
			return rc;
		len = (size_t)(colon - s);
	}
	if (len == 0)
		return -EINVAL;
	if (len >= sz)
		return -ENAMETOOLONG;
	memcpy(path, s, len);
	path[len] = '\0';
	return 0;
}
