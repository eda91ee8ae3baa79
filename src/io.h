/* Moving bytes between file descriptors and an attached segment, with no
 * buffer in between. */
#ifndef SHMTOOL_IO_H
#define SHMTOOL_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* read(2) from fd straight into dst until EOF or `space` bytes; then, if
 * full, probe for one more byte: *overflow tells whether there was more.
 * Returns the bytes stored or -errno. */
ssize_t io_fill(int fd, char *dst, size_t space, bool *overflow);

/* write(2) all of buf. Returns 0 or -errno (-EPIPE for a closed pipe). */
int io_write_all(int fd, const char *buf, size_t len);

/* Fault in a range of a mapping ahead of a bulk copy (a hint: errors are
 * ignored). */
void io_prefault(void *addr, size_t len, bool write);

/* A hex dump of buf in the canonical layout (offset, 16 bytes in hex,
 * the printable ones as text), offsets counted from `base`. Returns 0 or
 * -errno. */
int io_hexdump(int fd, const unsigned char *buf, size_t len, size_t base);

#endif
