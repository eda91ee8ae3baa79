/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pure parsers for command-line values: no I/O, no exit. Each returns 0
 * or a negative errno (-EINVAL: not a valid value, -ERANGE: out of range). */
#ifndef SHMTOOL_PARSE_H
#define SHMTOOL_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* A count of bytes (every size, offset and length of the command line):
 * decimal, or 0x and hex digits, with an optional suffix: K M G T
 * (powers of 1024, also KiB...) and KB MB GB TB (powers of 1000). */
int parse_size(const char *s, uint64_t *out);

/* A key: 0x hex, 0 octal or decimal; 0..0xffffffff or a negative int32
 * (as /proc prints it). */
int parse_key(const char *s, int32_t *out);

/* A segment id: decimal, 0..INT_MAX. */
int parse_id(const char *s, int *out);

/* An octal permission mode, 0..0777. */
int parse_mode(const char *s, unsigned int *out);

/* A new mode for one that is `mode` now, as chmod(1) takes it: octal
 * (640, 0640) or symbolic, clauses "[ugoa]*([-+=]([rwx]*|[ugo]))+"
 * apart by commas ("g+r", "o=", "u=rw,go=r", "g=u"; no class: all three,
 * whatever the umask). Only the nine rwx bits: -ERANGE for octal above
 * 0777, -EINVAL for anything else wrong. */
int parse_mode_change(const char *s, unsigned int mode, unsigned int *out);

/* How long to wait, in nanoseconds: seconds with a fraction ("0.2",
 * "5") or with a unit ("500ms", "2s", "1.5m", "1h"). -EINVAL, -ERANGE. */
int parse_wait(const char *s, int64_t *ns);

/* A duration: plain seconds, or a number with s m h d w. */
int parse_duration(const char *s, int64_t *seconds);

/* A non-negative decimal offset or length, up to UINT64_MAX. */
int parse_u64(const char *s, uint64_t *out);

/* "PATH[:PROJ]" for ftok(3): PROJ as parse_ftok_proj() takes it;
 * without it *proj is FTOK_DEFAULT_PROJ. The path part is copied to
 * path (size sz). A path that itself holds ':' needs an explicit PROJ. */
#define FTOK_DEFAULT_PROJ 'R'
int parse_ftok_spec(const char *s, char *path, size_t sz, int *proj);

/* PROJ alone, as C programs write it: one character is that character
 * ("R" and "1" are 'R' and '1', 0x52 and 0x31); a number has two digits
 * or more, or 0x and hex digits ("82", "0x52"), from 1 to 255. */
int parse_ftok_proj(const char *s, int *proj);

/* That rule in a few words, for messages. */
#define FTOK_PROJ_RULE "one character, or a number from 1 to 255 (two digits or more, or 0x..)"

enum time_format {
	TIME_SHORT,
	TIME_FULL,
	TIME_ISO,
};
int parse_time_format(const char *s, enum time_format *out);

/* create --reuse: why an existing segment or object of have_size bytes
 * and mode have_mode does not satisfy the request (want_size bytes at
 * least, and mode *want_mode when one was asked: want_mode NULL), in
 * buf ("its size is 1048576 bytes, less than the 2097152 asked"), or
 * NULL when it does. */
const char *reuse_mismatch(uint64_t have_size, unsigned int have_mode, uint64_t want_size,
			   const unsigned int *want_mode, char *buf, size_t sz);

#endif
