#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "io.h"

#ifndef MADV_POPULATE_READ
# define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
# define MADV_POPULATE_WRITE 23
#endif

/* read(2) and write(2) move at most this much per call */
#define IO_MAX_CALL ((size_t)0x7ffff000)

ssize_t io_fill(int fd, char *dst, size_t space, bool *overflow)
{
	size_t got = 0;

	*overflow = false;
	while (got < space) {
		size_t want = space - got < IO_MAX_CALL ? space - got : IO_MAX_CALL;
		ssize_t n = read(fd, dst + got, want);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return (ssize_t)got;
		got += (size_t)n;
	}
	{
		int rc = io_probe_more(fd, overflow);

		return rc ? rc : (ssize_t)got;
	}
}

int io_probe_more(int fd, bool *more)
{
	for (;;) {
		char probe;
		ssize_t n = read(fd, &probe, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		*more = n > 0;
		return 0;
	}
}

int io_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len < IO_MAX_CALL ? len : IO_MAX_CALL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

void io_prefault(void *addr, size_t len, bool write)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)addr & ~(page - 1);
	uintptr_t end = (uintptr_t)addr + len;

	if (len)
		(void)madvise((void *)start, end - start,
			      write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
}

int io_segment_file(const void *addr, size_t size, bool write)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)(uintptr_t)addr, (unsigned long)((uintptr_t)addr + size));
	fd = open(path, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static bool is_pipe(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

ssize_t io_transfer(int out, int in, off_t *in_off, size_t len)
{
	bool from_pipe = is_pipe(in);
	size_t done = 0;

	while (done < len) {
		size_t want = len - done < IO_MAX_CALL ? len - done : IO_MAX_CALL;
		ssize_t n;

		if (from_pipe)
			n = splice(in, NULL, out, NULL, want, SPLICE_F_MOVE);
		else
			n = sendfile(out, in, in_off, want);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (done && (errno == EINVAL || errno == ENOSYS || errno == EXDEV))
				return -EIO;    /* cannot fall back halfway */
			return -errno;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int io_hexdump(int fd, const unsigned char *buf, size_t len, size_t base)
{
	static const char hex[] = "0123456789abcdef";
	char out[1 << 16];
	size_t o = 0;
	/* 8 hex digits for offsets, 16 when the dump reaches past 4 GiB */
	int digits = (uint64_t)base + len > 0xffffffffULL ? 16 : 8;
	int rc;

	for (size_t i = 0; i < len; i += 16) {
		size_t n = len - i < 16 ? len - i : 16;
		size_t at = base + i;

		/* "00000010  48 65 6c 6c 6f 00 00 00  00 00 00 00 00 00 00 00  |Hello...........|" */
		for (int d = digits - 1; d >= 0; d--)
			out[o++] = hex[(at >> (4 * d)) & 15];
		out[o++] = ' ';
		for (size_t j = 0; j < 16; j++) {
			if (j == 8)
				out[o++] = ' ';
			out[o++] = ' ';
			if (j < n) {
				out[o++] = hex[buf[i + j] >> 4];
				out[o++] = hex[buf[i + j] & 15];
			} else {
				out[o++] = ' ';
				out[o++] = ' ';
			}
		}
		out[o++] = ' ';
		out[o++] = ' ';
		out[o++] = '|';
		for (size_t j = 0; j < n; j++) {
			unsigned char c = buf[i + j];

			out[o++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
		out[o++] = '|';
		out[o++] = '\n';
		if (o > sizeof(out) - 128) {
			rc = io_write_all(fd, out, o);
			if (rc)
				return rc;
			o = 0;
		}
	}
	return io_write_all(fd, out, o);
}
