/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/io.h"
#include "lib/util.h"

#ifndef MADV_POPULATE_READ
# define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
# define MADV_POPULATE_WRITE 23
#endif
#ifndef CONFIGFS_MAGIC
# define CONFIGFS_MAGIC 0x62656570
#endif

/* read(2) and write(2) move at most this much per call */
#define IO_MAX_CALL ((size_t)0x7ffff000)

/* the first buffer io_read_bounded() takes; it doubles from there */
#define IO_FIRST_BUFFER ((size_t)64 << 10)

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* read(2) once, again on EINTR */
static ssize_t read_once(int fd, char *buf, size_t len)
{
	for (;;) {
		ssize_t n = read(fd, buf, min_size(len, IO_MAX_CALL));

		if (n >= 0 || errno != EINTR)
			return n < 0 ? -errno : n;
	}
}

int io_offset_check(uint64_t offset, uint64_t size, const char *what)
{
	if (offset <= size)
		return EXIT_OK;
	warnx("offset %llu is past the end of %s (%llu byte%s)", (unsigned long long)offset,
	      what, (unsigned long long)size, plural_s(size));
	return EXIT_FAIL;
}

ssize_t io_read_into(int fd, char *dst, size_t len)
{
	size_t got = 0;

	while (got < len) {
		size_t step_end = min_size(len, (got / IO_STEP + 1) * IO_STEP);
		ssize_t n;

		if (got % IO_STEP == 0)
			io_prefault(dst + got, step_end - got, true);
		n = read_once(fd, dst + got, step_end - got);
		if (n < 0)
			return n;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* After `limit` bytes were stored: whether the input has more (reads at
 * most one byte). Returns 0 or -errno. */
static int io_probe_more(int fd, bool *more)
{
	char probe;
	ssize_t n = read_once(fd, &probe, 1);

	if (n < 0)
		return (int)n;
	*more = n > 0;
	return 0;
}

int io_read_bounded(int fd, size_t limit, char **buf, size_t *len, bool *more)
{
	char *data = NULL;
	size_t got = 0, cap = 0;
	int rc = 0;

	*more = false;
	while (got < limit) {
		ssize_t n;

		if (got == cap) {
			size_t next = cap ? (cap > limit / 2 ? limit : cap * 2)
					  : min_size(limit, IO_FIRST_BUFFER);
			char *p = realloc(data, next);

			if (!p) {
				rc = -ENOMEM;
				break;
			}
			data = p;
			cap = next;
		}
		n = read_once(fd, data + got, cap - got);
		if (n < 0)
			rc = (int)n;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (!rc && got == limit)
		rc = io_probe_more(fd, more);
	if (rc) {
		free(data);
		return rc;
	}
	*buf = data;
	*len = got;
	return 0;
}

int io_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, min_size(len, IO_MAX_CALL));

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

int io_pwrite_all(int fd, const char *buf, size_t len, off_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, buf, min_size(len, IO_MAX_CALL), off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		buf += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t io_pread_full(int fd, char *buf, size_t len, off_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, buf + got, min_size(len - got, IO_MAX_CALL),
				  off + (off_t)got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int io_write_mapped(int fd, const char *src, size_t len)
{
	for (size_t done = 0; done < len;) {
		size_t want = min_size(len - done, IO_STEP);
		int rc;

		io_prefault((void *)(src + done), want, false);
		rc = io_write_all(fd, src + done, want);
		if (rc)
			return rc;
		done += want;
	}
	return 0;
}

void io_copy_mapped(char *dst, const char *src, size_t len)
{
	for (size_t done = 0; done < len;) {
		size_t want = min_size(len - done, IO_STEP);

		io_prefault(dst + done, want, true);
		memcpy(dst + done, src + done, want);
		done += want;
	}
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

void io_map_files_path(char *buf, size_t sz, uintptr_t addr, size_t size, size_t page)
{
	uintptr_t end = addr + size;

	end = (end + page - 1) / page * page;
	snprintf(buf, sz, "/proc/self/map_files/%lx-%lx", (unsigned long)addr,
		 (unsigned long)end);
}

int io_segment_file(const void *addr, size_t size, bool write)
{
	char path[96];
	int fd;

	io_map_files_path(path, sizeof(path), (uintptr_t)addr, size,
			  (size_t)sysconf(_SC_PAGESIZE));
	fd = open(path, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

bool io_size_is_length(const struct stat *st, long fs_type)
{
	static const long made_when_read[] = {
		PROC_SUPER_MAGIC, SYSFS_MAGIC, DEBUGFS_MAGIC, TRACEFS_MAGIC,
		SECURITYFS_MAGIC, CONFIGFS_MAGIC, CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC,
		SELINUX_MAGIC, SMACK_MAGIC,
	};

	if (!S_ISREG(st->st_mode) || st->st_size <= 0)
		return false;
	for (size_t i = 0; i < sizeof(made_when_read) / sizeof(made_when_read[0]); i++)
		if (fs_type == made_when_read[i])
			return false;
	return true;
}

ssize_t io_transfer(int out, int in, off_t *in_off, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t want = min_size(len - done, IO_STEP);
		ssize_t n = sendfile(out, in, in_off, want);

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

int io_hexdump(int fd, const unsigned char *buf, size_t len, uint64_t base, uint64_t end)
{
	static const char hex[] = "0123456789abcdef";
	char out[1 << 16];
	size_t o = 0;
	/* 8 hex digits for offsets, 16 when the dump reaches past 4 GiB */
	int digits = end > 0xffffffffULL ? 16 : 8;
	int rc;

	for (size_t i = 0; i < len; i += 16) {
		size_t n = len - i < 16 ? len - i : 16;
		uint64_t at = base + i;

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
