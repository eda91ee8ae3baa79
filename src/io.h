/* Moving bytes between file descriptors and an attached segment, with no
 * buffer in between. */
#ifndef SHMTOOL_IO_H
#define SHMTOOL_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <stdint.h>

/* read(2) from fd straight into dst until EOF or `space` bytes; then, if
 * full, probe for one more byte: *overflow tells whether there was more.
 * Returns the bytes stored or -errno. */
ssize_t io_fill(int fd, char *dst, size_t space, bool *overflow);

/* After `space` bytes were stored: whether the input has more (reads at
 * most one byte). Returns 0 or -errno. */
int io_probe_more(int fd, bool *more);

/* write(2) all of buf. Returns 0 or -errno (-EPIPE for a closed pipe). */
int io_write_all(int fd, const char *buf, size_t len);

/* Fault in a range of a mapping ahead of a bulk copy (a hint: errors are
 * ignored). */
void io_prefault(void *addr, size_t len, bool write);

/* The segment's own file, opened through /proc/self/map_files for the
 * attached range [addr, addr + size): with it the kernel moves the bytes
 * between the segment and a file descriptor without touching the
 * mapping, whose first touch of each page can cost more than the copy.
 * Needs CAP_SYS_ADMIN (or CAP_CHECKPOINT_RESTORE); returns the fd or
 * -errno, and the callers fall back to the mapping. */
int io_segment_file(const void *addr, size_t size, bool write);

/* Copy len bytes from in (at *in_off, or its position if NULL) to out
 * with sendfile(2), or splice(2) when in is a pipe. Returns the bytes
 * copied (fewer at end of input), or -errno; -EINVAL/-ENOSYS/-EXDEV mean
 * this pair of descriptors cannot do it and nothing was copied. */
ssize_t io_transfer(int out, int in, off_t *in_off, size_t len);

/* A hex dump of buf in the canonical layout (offset, 16 bytes in hex,
 * the printable ones as text), offsets counted from `base`. Returns 0 or
 * -errno. */
int io_hexdump(int fd, const unsigned char *buf, size_t len, size_t base);

/* The bytes cat and attach-write work on: a segment attached, or a POSIX
 * object mapped (then also its descriptor), and how messages name it. */
struct io_mapped {
	int fd;                 /* -1: a segment (its own file may open) */
	void *addr;             /* NULL for an empty object */
	uint64_t size;
	const char *what;       /* "segment 5", "POSIX object NAME" */
};

/* What a command does with them; returns an exit status. */
typedef int io_mapped_fn(const struct io_mapped *m, void *arg);

#endif
