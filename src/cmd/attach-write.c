/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool attach-write: write data into a segment. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cmd/args.h"
#include "cmd/commands.h"
#include "cmd/sem.h"
#include "core/io.h"
#include "core/posix-shm.h"
#include "core/target.h"
#include "lib/parse.h"
#include "lib/util.h"

static noreturn void usage(void)
{
	fputs("Usage: shmtool attach-write [options] ID\n"
	      "       shmtool attach-write [options] -k KEY | --ftok PATH[:PROJ]\n"
	      "       shmtool attach-write [options] --posix NAME\n"
	      "\n"
	      "Attach a segment and write data into it: the text of --string, the\n"
	      "contents of --file, or standard input.\n"
	      "\n"
	      "Options:\n"
	      "      --posix             the POSIX shared memory object NAME or /NAME\n"
	      "                          (/dev/shm) instead; its size does not change\n"
	      "  -k, --key KEY           the segment by key\n"
	      "      --ftok PATH[:PROJ]  the segment by the key ftok(3) gives\n"
	      "      --string TEXT       write TEXT\n"
	      "      --file PATH         write the contents of PATH\n"
	      "      --offset N          start at byte N of the segment (default 0; 4096,\n"
	      "                          4K, 0x1000)\n"
	      "      --nul               write a NUL byte after the data\n"
	      "  -v, --verbose           report the bytes written\n"
	      SEM_HELP
	      "  -h, --help              show this help and exit\n"
	      "\n"
	      "Nothing is written past the end of the segment, and data that does not\n"
	      "fit is refused whole: input of unknown length (a pipe, a file of /proc)\n"
	      "is read to its end before the first byte is written.\n", stdout);
	exit_help();
}

enum {
	OPT_STRING = 0x100,
	OPT_FILE,
	OPT_OFFSET,
	OPT_NUL,
};

static const char shortopts[] = "k:vh";

static const struct option longopts[] = {
	TARGET_LONGOPTS,
	{ "string",  required_argument, NULL, OPT_STRING },
	{ "file",    required_argument, NULL, OPT_FILE },
	{ "offset",  required_argument, NULL, OPT_OFFSET },
	{ "nul",     no_argument,       NULL, OPT_NUL },
	{ "verbose", no_argument,       NULL, 'v' },
	SEM_LONGOPTS,
	{ "help",    no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* options that may not be given together */
static const struct excl_group excl[] = {
	{ { OPT_STRING, OPT_FILE } },
};

struct source {
	const char *string;     /* --string */
	const char *path;       /* --file */
	int fd;                 /* --file or stdin */
	bool known;             /* length known before copying */
	uint64_t len;
};

/* Whether a regular file holds more than `len` bytes after `pos`, its
 * size by stat: a file that grew, or one whose size is not its length. */
static bool longer_than_size(int fd, off_t pos, uint64_t len)
{
	char probe;

	return pread(fd, &probe, 1, pos + (off_t)len) == 1;
}

/* The input and, when that can be known before reading it, its length:
 * that of --string, or of a regular file from its size. Any other input
 * (a pipe, a terminal, a file of /proc or /sys whose size says nothing)
 * is read whole before anything is written. */
static int open_source(struct source *src)
{
	struct stat st;
	struct statfs sfs;
	off_t pos;

	if (src->string) {
		src->known = true;
		src->len = strlen(src->string);
		return 0;
	}
	if (src->path) {
		src->fd = open(src->path, O_RDONLY | O_CLOEXEC);
		if (src->fd < 0) {
			warnx_safe("cannot open '%s': %s", src->path, strerror(errno));
			return -1;
		}
	} else {
		src->fd = STDIN_FILENO;
	}
	if (fstat(src->fd, &st) != 0 || fstatfs(src->fd, &sfs) != 0 ||
	    !io_size_is_length(&st, (long)sfs.f_type))
		return 0;
	pos = lseek(src->fd, 0, SEEK_CUR);
	if (pos < 0 || pos >= st.st_size)
		return 0;
	src->len = (uint64_t)(st.st_size - pos);
	src->known = !longer_than_size(src->fd, pos, src->len);
	return 0;
}

/* Where the data goes: `size` bytes mapped at addr (NULL for none) and a
 * descriptor of them to write through (-1: none, see struct io_mapped). */
struct dest {
	char *addr;
	uint64_t size;
	int file;
	const char *what;       /* "segment 5", "POSIX object NAME" */
};

/* The file is written a MiB at a time, its size checked before each: a
 * POSIX object is a file that grows when written past its end, and
 * another process may have shrunk it meanwhile (a segment's size never
 * changes). -ESTALE once it is smaller than mapped. */
#define WRITE_STEP ((uint64_t)1 << 20)

static int check_size(const struct dest *d)
{
	struct stat st;

	if (fstat(d->file, &st) != 0)
		return -errno;
	return (uint64_t)st.st_size < d->size ? -ESTALE : 0;
}

static ssize_t transfer_checked(const struct dest *d, int in, uint64_t len)
{
	uint64_t done = 0;

	while (done < len) {
		uint64_t want = len - done < WRITE_STEP ? len - done : WRITE_STEP;
		int rc = check_size(d);
		ssize_t n;

		if (rc)
			return rc;
		n = io_transfer(d->file, in, NULL, want);
		if (n < 0)      /* no falling back to the mapping halfway */
			return done && (n == -EINVAL || n == -ENOSYS || n == -EXDEV) ? -EIO : n;
		done += (uint64_t)n;
		if ((uint64_t)n < want)
			break;          /* the end of the input */
	}
	return (ssize_t)done;
}

/* buf into the destination at offset: through its file, a MiB at a time
 * (its size checked before each), or into the mapping a step at a time.
 * Returns 0 or -errno. */
static int put_bytes(const struct dest *d, uint64_t offset, const char *buf, size_t len)
{
	if (d->file < 0) {
		io_copy_mapped(d->addr + offset, buf, len);
		return 0;
	}
	for (size_t done = 0; done < len;) {
		size_t want = len - done < WRITE_STEP ? len - done : WRITE_STEP;
		int rc = check_size(d);

		if (!rc)
			rc = io_pwrite_all(d->file, buf + done, want, (off_t)(offset + done));
		if (rc)
			return rc;
		done += want;
	}
	return 0;
}

/* Input of known length, exactly that many bytes: straight into the file
 * with sendfile, the mapping left untouched, or read into the mapping a
 * step at a time. Bytes that the input gained meanwhile are left out.
 * Returns the bytes copied (fewer if the input shrank) or -errno. */
static ssize_t copy_known(const struct dest *d, uint64_t offset, const struct source *src)
{
	ssize_t n;

	if (d->file >= 0 && lseek(d->file, (off_t)offset, SEEK_SET) == (off_t)offset) {
		n = transfer_checked(d, src->fd, src->len);
		if (n != -EINVAL && n != -ENOSYS && n != -EXDEV)
			return n;
	}
	return io_read_into(src->fd, d->addr + offset, (size_t)src->len);
}

static int write_failed(const struct dest *d, int rc)
{
	if (rc == -ESTALE)
		warnx("%s shrank while it was written: the write is incomplete", d->what);
	else
		warnx("cannot write to %s: %s", d->what, strerror(-rc));
	return EXIT_FAIL;
}

static int read_failed(const struct source *src, int rc)
{
	warnx_safe("cannot read %s: %s", src->path ? src->path : "standard input", strerror(-rc));
	return EXIT_FAIL;
}

struct write_args {
	const struct source *src;
	uint64_t offset;
	bool nul;
	char *buf;              /* input of unknown length, read whole */
	size_t buflen;
	uint64_t *written;
	struct sem_opts *sem;   /* held while the bytes are copied */
};

/* Before attaching or mapping, knowing the size: never past the end, and
 * data that does not fit is refused whole. Known lengths are checked;
 * other input is read whole into a->buf, at most the room left and one
 * byte more to tell whether it is longer. */
static int check_data(uint64_t size, const char *what, void *arg)
{
	struct write_args *a = arg;
	const struct source *src = a->src;
	uint64_t space, need, room;
	bool more = false;
	int rc = io_offset_check(a->offset, size, what);

	if (rc != EXIT_OK)
		return rc;
	space = size - a->offset;
	if (src->string || src->known) {
		need = src->len + (a->nul ? 1 : 0);
		if (need <= space)
			return EXIT_OK;
		warnx("data does not fit: %llu byte%s at offset %llu overflow%s %s (%llu byte%s) "
		      "by %llu byte%s; nothing written", (unsigned long long)need, plural_s(need),
		      (unsigned long long)a->offset, need == 1 ? "s" : "", what,
		      (unsigned long long)size, plural_s(size), (unsigned long long)(need - space),
		      plural_s(need - space));
		return EXIT_FAIL;
	}
	/* keep room for the NUL */
	room = a->nul && space ? space - 1 : space;
	rc = io_read_bounded(src->fd, room < SIZE_MAX ? (size_t)room : SIZE_MAX, &a->buf,
			     &a->buflen, &more);
	if (rc)
		return read_failed(src, rc);
	if (more || (a->nul && space == 0)) {
		warnx("input is longer than the %llu byte%s left in %s; nothing written",
		      (unsigned long long)room, plural_s(room), what);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* The data into the destination, check_data() having said it fits. */
static int write_data(const struct dest *d, const struct write_args *a)
{
	const struct source *src = a->src;
	uint64_t *written = a->written;
	int rc;

	if (src->string || !src->known) {
		const char *p = src->string ? src->string : a->buf;
		size_t len = src->string ? (size_t)src->len : a->buflen;

		rc = put_bytes(d, a->offset, p, len);
		if (rc)
			return write_failed(d, rc);
		*written = len;
	} else {
		ssize_t n = copy_known(d, a->offset, src);

		if (n == -ESTALE || n == -ENOSPC || n == -EFBIG || n == -EDQUOT)
			return write_failed(d, (int)n);
		if (n < 0)
			return read_failed(src, (int)n);
		*written = (uint64_t)n;
	}
	if (a->nul) {
		rc = put_bytes(d, a->offset + *written, "", 1);
		if (rc)
			return write_failed(d, rc);
		++*written;
	}
	return EXIT_OK;
}

/* Into a segment attached or a POSIX object mapped (its size is never
 * changed). */
static int write_copy(const struct io_mapped *m, void *arg)
{
	return write_data(&(struct dest){ .addr = m->addr, .size = m->size, .file = m->fd,
					  .what = m->what }, arg);
}

/* The same under the semaphore of --sem, if one was given: input of
 * unknown length was read whole before (check_data), so the semaphore is
 * held for the copy alone. */
static int write_mapped(const struct io_mapped *m, void *arg)
{
	return sem_run(((struct write_args *)arg)->sem, write_copy, m, arg);
}

static int run_attach_write(int argc, char **argv, struct shm_ctx *ctx)
{
	struct target_args t = { 0 };
	struct source src = { .fd = -1 };
	uint64_t offset = 0, written = 0;
	struct write_args args;
	struct sem_opts sem = { 0 };
	bool nul = false, verbose = false;
	char what[POSIX_SAFE_NAME_SIZE + 16];
	int c, id, status, excl_seen[EXCL_COUNT(excl)] = { 0 };

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		excl_check_or_err("attach-write", longopts, excl, EXCL_COUNT(excl), excl_seen, c);
		if (target_handle_option(&t, c, optarg, "attach-write") ||
		    sem_handle_option(&sem, c, optarg, "attach-write"))
			continue;
		switch (c) {
		case OPT_STRING:
			src.string = optarg;
			break;
		case OPT_FILE:
			src.path = optarg;
			break;
		case OPT_OFFSET:
			if (parse_size(optarg, &offset))
				usage_errx("attach-write", "invalid offset: '%s' (bytes: 4096, 4K, "
					   "0x1000)", optarg);
			break;
		case OPT_NUL:
			nul = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage();
		default:
			usage_hint_option("attach-write", argv, longopts);
		}
	}
	sem_opts_finish_or_err(&sem, "attach-write");
	target_args_finish_or_err(&t, argc - optind, argv + optind, TARGETS_ONE, "attach-write");
	shm_ctx_enter_or_err(ctx, "attach-write", t.posix);

	if ((!t.posix && target_resolve_or_warn(&t.list.v[0], &id)) || open_source(&src)) {
		target_args_free(&t);
		return EXIT_FAIL;
	}
	args = (struct write_args){ .src = &src, .offset = offset, .nul = nul,
				    .written = &written, .sem = &sem };
	if (t.posix) {
		char safe[POSIX_SAFE_NAME_SIZE];

		status = posix_obj_run_mapped(&ctx->ns, t.names[0], true, check_data, write_mapped,
					      &args);
		snprintf(what, sizeof(what), "POSIX object %s", posix_safe_name(t.names[0], safe));
	} else {
		status = segment_run_attached(id, true, check_data, write_mapped, &args);
		snprintf(what, sizeof(what), "segment %d", id);
	}
	if (verbose && (status == EXIT_OK || written))
		fprintf(stderr, "wrote %llu byte%s to %s at offset %llu\n",
			(unsigned long long)written, plural_s(written), what,
			(unsigned long long)offset);
	if (src.path && src.fd >= 0)
		close(src.fd);
	free(args.buf);
	target_args_free(&t);
	return status;
}

const struct command cmd_attach_write = {
	.name = "attach-write",
	.run = run_attach_write,
	.summary = "write data into a segment",
};
