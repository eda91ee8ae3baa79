/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Moving bytes between file descriptors and an attached segment or a
 * mapped object, a bounded step at a time: no more of the mapping is
 * touched, and no more of it faulted in, than the bytes being moved. */
#ifndef SHMTOOL_IO_H
#define SHMTOOL_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The most bytes one step moves: one sendfile(2), one
 * write from a mapping or read into it, and what is faulted in ahead. */
#define IO_STEP ((size_t)2 << 20)

/* The most bytes read into a buffer at a time to be looked at (hex
 * dumps, --string). */
#define IO_SCAN_STEP ((size_t)64 << 10)

/* read(2) from fd into the mapping at dst until EOF or `len` bytes, a
 * step at a time, each step's pages faulted in just before it is read.
 * Returns the bytes stored or -errno. */
ssize_t io_read_into(int fd, char *dst, size_t len);

/* Read fd to its end into a buffer that grows as the data arrives, never
 * past `limit` bytes: *buf (malloc'd, for the caller to free; may be
 * NULL when nothing came) holds *len bytes, and *more tells whether the
 * input had more than `limit`. Returns 0 or -errno (-ENOMEM). */
int io_read_bounded(int fd, size_t limit, char **buf, size_t *len, bool *more);

/* write(2) all of buf. Returns 0 or -errno (-EPIPE for a closed pipe). */
int io_write_all(int fd, const char *buf, size_t len);

/* pwrite(2) all of buf at off. Returns 0 or -errno. */
int io_pwrite_all(int fd, const char *buf, size_t len, off_t off);

/* pread(2) len bytes at off, fewer only at the end of the file. Returns
 * the bytes read or -errno. */
ssize_t io_pread_full(int fd, char *buf, size_t len, off_t off);

/* write(2) all of a mapping's [src, src + len) to fd, a step at a time,
 * each step faulted in just before it is written. Returns 0 or -errno. */
int io_write_mapped(int fd, const char *src, size_t len);

/* memcpy into a mapping, a step at a time, each step faulted in for
 * writing just before it is copied. */
void io_copy_mapped(char *dst, const char *src, size_t len);

/* Fault in a range of a mapping ahead of a copy (a hint: errors are
 * ignored). Callers pass one step, never a whole mapping. */
void io_prefault(void *addr, size_t len, bool write);

/* "/proc/self/map_files/START-END" of a mapping of `size` bytes at addr
 * into buf: the end rounded up to whole pages of `page` bytes, as the
 * kernel maps them (shmat and mmap map whole pages). Pure. */
void io_map_files_path(char *buf, size_t sz, uintptr_t addr, size_t size, size_t page);

/* The segment's own file, opened through /proc/self/map_files for the
 * attached range [addr, addr + size): with it the kernel moves the bytes
 * between the segment and a file descriptor without touching the
 * mapping, whose first touch of each page can cost more than the copy,
 * and reads of pages never written allocate nothing. Needs CAP_SYS_ADMIN
 * (or CAP_CHECKPOINT_RESTORE); returns the fd or -errno, and the callers
 * fall back to the mapping. */
int io_segment_file(const void *addr, size_t size, bool write);

/* Whether the size that stat gives an input is the length of what reading
 * it gives: a regular file with a size, on a file system that is not one
 * of those whose files are made as they are read (/proc, /sys and their
 * kin: size 0 or a page, whatever they hold). Pure: *st and the
 * file system's f_type (statfs). */
bool io_size_is_length(const struct stat *st, long fs_type);

/* Copy len bytes from in (at *in_off, or its position if NULL) to out
 * with sendfile(2), a step at a time.
 * Returns the bytes copied (fewer at end of input), or -errno;
 * -EINVAL/-ENOSYS/-EXDEV mean this pair of descriptors cannot do it and
 * nothing was copied. */
ssize_t io_transfer(int out, int in, off_t *in_off, size_t len);

/* A hex dump of buf in the canonical layout (offset, 16 bytes in hex,
 * the printable ones as text), offsets counted from `base`. A dump made
 * of several calls passes each the same `end`, the offset where the
 * whole dump ends: the offsets have 8 hex digits, 16 when `end` is past
 * 4 GiB. Returns 0 or -errno. */
int io_hexdump(int fd, const unsigned char *buf, size_t len, uint64_t base, uint64_t end);

/* The bytes cat and attach-write work on: a segment attached, or a POSIX
 * object mapped, a descriptor of them, and how messages name them. */
struct io_mapped {
	int fd;                 /* a descriptor of the same bytes: the POSIX
				 * object's, or the segment's own file when the
				 * caller may open it; -1: only the mapping */
	void *addr;             /* NULL for an empty object */
	uint64_t size;
	const char *what;       /* "segment 5", "POSIX object NAME" */
};

/* What a command does with them; returns an exit status. */
typedef int io_mapped_fn(const struct io_mapped *m, void *arg);

/* What a command checks first, knowing only the size and the name
 * (`what`), before the segment is attached or the object mapped: so that
 * an error path changes nothing, not even the segment's attach time and
 * last pid. EXIT_OK to go on, or an exit status after a message. */
typedef int io_size_check_fn(uint64_t size, const char *what, void *arg);

/* The check of an offset: past the end, "offset N is past the end of
 * WHAT (S bytes)" and EXIT_FAIL. */
int io_offset_check(uint64_t offset, uint64_t size, const char *what);

#endif
