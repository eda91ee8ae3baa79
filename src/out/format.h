/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pure formatting of segment fields into text. */
#ifndef SHMTOOL_FORMAT_H
#define SHMTOOL_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/parse.h"
#include "lib/text.h"

/* Unsigned decimal; returns the length. buf holds at least 21 bytes. */
size_t fmt_u64(char *buf, uint64_t v);

/* "4K", "1.5M", "100B": buf holds at least 16 bytes. */
void fmt_size_human(char *buf, size_t sz, uint64_t bytes);

/* "0x%08x" of the key as an unsigned 32-bit value; 11 bytes. */
void fmt_key(char *buf, size_t sz, int32_t key);

/* "rw-r-----" (9 chars) or, numeric, "640"; 10 bytes. */
void fmt_perms(char *buf, size_t sz, unsigned int mode, int numeric);

/* "dest", "locked", "dest,locked" or ""; 12 bytes. */
void fmt_status(char *buf, size_t sz, unsigned int mode);

/* A duration in its largest whole unit: "45s", "12m", "3h", "2d". */
void fmt_duration(char *buf, size_t sz, int64_t secs);

/* A time in the given format, relative to `now` for TIME_SHORT.
 * Returns NULL for 0 (never). buf holds at least 64 bytes. */
const char *fmt_time(char *buf, size_t sz, int64_t t, enum time_format f, time_t now);

/* The last few answers of fmt_time, for the cells of one table: rows
 * made in a burst share their times, and localtime and strftime cost
 * more than the rest of a row. Zero it before use; valid while the time
 * zone does not change. */
#define TIME_CACHE_SIZE 4
struct time_cache {
	struct time_cache_entry {
		int64_t t;
		time_t now;
		enum time_format f;
		bool valid;
		char text[64];
	} e[TIME_CACHE_SIZE];
	size_t next;
};

/* fmt_time through the cache c. */
const char *fmt_time_cached(struct time_cache *c, char *buf, size_t sz, int64_t t,
			    enum time_format f, time_t now);

/* "mapped", "open", "mapped,open" or "" for the POSIX_* use bits of a
 * POSIX shared memory object (posix-shm.h). */
const char *fmt_posix_use(unsigned int use);

#endif
