/* shmtool attach-write: write data into a segment. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "io.h"
#include "parse.h"
#include "posix-obj.h"
#include "target.h"
#include "util.h"

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
	      "      --offset N          start at byte N of the segment (default 0)\n"
	      "      --nul               write a NUL byte after the data\n"
	      "  -v, --verbose           report the bytes written\n"
	      "  -h, --help              show this help and exit\n"
	      "\n"
	      "Nothing is written past the end of the segment. Data of known length\n"
	      "(--string, a regular file) that does not fit is refused whole; from a\n"
	      "pipe, what fits is written and the command fails.\n", stdout);
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
	{ "help",    no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

const struct command_options cmd_attach_write_options = { shortopts, longopts };

struct source {
	const char *string;     /* --string */
	const char *path;       /* --file */
	int fd;                 /* --file or stdin */
	bool known;             /* length known before copying */
	uint64_t len;
};

static int open_source(struct source *src)
{
	struct stat st;

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
	if (fstat(src->fd, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t pos = lseek(src->fd, 0, SEEK_CUR);

		src->known = true;
		src->len = (uint64_t)st.st_size - (pos > 0 ? (uint64_t)pos : 0);
	}
	return 0;
}

/* Where the data goes: `size` bytes mapped at addr (NULL for none) and,
 * for a POSIX object, a descriptor of the same bytes. */
struct dest {
	char *addr;
	uint64_t size;
	int fd;                 /* -1: none, see struct io_mapped */
	const char *what;       /* "segment 5", "POSIX object NAME" */
};

/* A POSIX object is written a MiB at a time, its size checked before
 * each: a file written past its end grows, and another process may have
 * shrunk the object meanwhile. -ESTALE once it is smaller than mapped. */
#define POSIX_WRITE_STEP ((uint64_t)1 << 20)

static ssize_t transfer_checked(int fd, const struct dest *d, int in, uint64_t room)
{
	uint64_t done = 0;

	while (done < room) {
		uint64_t want = room - done < POSIX_WRITE_STEP ? room - done : POSIX_WRITE_STEP;
		struct stat st;
		ssize_t n;

		if (fstat(fd, &st) != 0)
			return -errno;
		if ((uint64_t)st.st_size < d->size)
			return -ESTALE;
		n = io_transfer(fd, in, NULL, want);
		if (n < 0)      /* no falling back to the mapping halfway */
			return done && (n == -EINVAL || n == -ENOSYS || n == -EXDEV) ? -EIO : n;
		done += (uint64_t)n;
		if ((uint64_t)n < want)
			break;          /* the end of the input */
	}
	return (ssize_t)done;
}

/* The input straight into the file (sendfile, or splice from a pipe),
 * the mapping left untouched. -ENOTSUP when that cannot be done and
 * nothing was read: the caller goes through the mapping. */
static ssize_t fill_through_file(const struct dest *d, uint64_t offset,
				 const struct source *src, uint64_t room, bool *overflow)
{
	int fd = d->fd;
	ssize_t n;
	int rc;

	if (fd < 0)
		return -ENOTSUP;
	if (lseek(fd, (off_t)offset, SEEK_SET) != (off_t)offset)
		n = -ENOTSUP;
	else    /* a POSIX object can shrink; a segment's size is checked too */
		n = transfer_checked(fd, d, src->fd, room);
	if (n == -EINVAL || n == -ENOSYS || n == -EXDEV || n == -ENOTSUP)
		return -ENOTSUP;
	if (n < 0)
		return n;
	*overflow = false;
	if ((uint64_t)n == room) {
		rc = io_probe_more(src->fd, overflow);
		if (rc)
			return rc;
	}
	return n;
}

/* Never past the end: data of known length that does not fit is
 * refused whole, from a pipe what fits is written. */
static int write_data(const struct dest *d, const struct source *src, uint64_t offset,
		      bool nul, uint64_t *written)
{
	char *dst;
	uint64_t space, need;

	if (offset > d->size) {
		warnx("offset %llu is past the end of %s (%llu bytes)",
		      (unsigned long long)offset, d->what, (unsigned long long)d->size);
		return EXIT_FAIL;
	}
	dst = d->addr ? d->addr + offset : NULL;    /* NULL: an empty object */
	space = d->size - offset;
	if (src->known) {
		need = src->len + (nul ? 1 : 0);
		if (need > space) {
			warnx("data does not fit: %llu bytes at offset %llu overflow %s "
			      "(%llu bytes) by %llu bytes; nothing written",
			      (unsigned long long)need, (unsigned long long)offset, d->what,
			      (unsigned long long)d->size, (unsigned long long)(need - space));
			return EXIT_FAIL;
		}
	}
	if (src->string) {
		if (src->len)
			memcpy(dst, src->string, src->len);
		*written = src->len;
	} else {
		bool overflow;
		/* keep room for the NUL */
		uint64_t room = nul && space ? space - 1 : space;
		ssize_t n = fill_through_file(d, offset, src, room, &overflow);

		if (n == -ENOTSUP)     /* through the mapping, a step at a time */
			n = io_fill(src->fd, dst, room, &overflow);

		if (n == -ESTALE) {
			warnx("%s shrank while it was written: the write is incomplete", d->what);
			return EXIT_FAIL;
		}
		if (n == -ENOSPC || n == -EFBIG || n == -EDQUOT) {
			warnx("cannot write to %s: %s", d->what, strerror((int)-n));
			return EXIT_FAIL;
		}
		if (n < 0) {
			warnx_safe("cannot read %s: %s", src->path ? src->path : "standard input",
			      strerror((int)-n));
			return EXIT_FAIL;
		}
		*written = (uint64_t)n;
		if (overflow || (nul && space == 0)) {
			warnx("input is longer than the %llu bytes left in %s; "
			      "wrote the first %llu", (unsigned long long)room, d->what,
			      (unsigned long long)*written);
			return EXIT_FAIL;
		}
	}
	if (nul) {
		dst[*written] = '\0';
		++*written;
	}
	return EXIT_OK;
}

struct write_args {
	const struct source *src;
	uint64_t offset;
	bool nul;
	uint64_t *written;
};

/* Into a segment attached or a POSIX object mapped (its size is never
 * changed). */
static int write_mapped(const struct io_mapped *m, void *arg)
{
	const struct write_args *a = arg;

	return write_data(&(struct dest){ .addr = m->addr, .size = m->size, .fd = m->fd,
					  .what = m->what }, a->src, a->offset, a->nul, a->written);
}

int cmd_attach_write(int argc, char **argv)
{
	struct target_args t = { 0 };
	struct source src = { .fd = -1 };
	uint64_t offset = 0, written = 0;
	struct write_args args;
	bool nul = false, verbose = false;
	char what[POSIX_SAFE_NAME_SIZE + 16];
	int c, id, status;

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (target_handle_option(&t, c, optarg, "attach-write"))
			continue;
		switch (c) {
		case OPT_STRING:
			src.string = optarg;
			break;
		case OPT_FILE:
			src.path = optarg;
			break;
		case OPT_OFFSET:
			if (parse_u64(optarg, &offset))
				usage_errx("attach-write", "invalid offset: '%s'", optarg);
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
			usage_hint("attach-write");
		}
	}
	target_args_finish_or_err(&t, argc - optind, argv + optind, TARGETS_ONE, "attach-write");
	if (src.string && src.path)
		usage_errx("attach-write", "--string and --file are mutually exclusive");

	if ((!t.posix && target_resolve_or_warn(&t.list.v[0], &id)) || open_source(&src)) {
		target_args_free(&t);
		return EXIT_FAIL;
	}
	args = (struct write_args){ .src = &src, .offset = offset, .nul = nul,
				    .written = &written };
	if (t.posix) {
		char safe[POSIX_SAFE_NAME_SIZE];

		status = posix_obj_run_mapped(t.names[0], true, write_mapped, &args);
		snprintf(what, sizeof(what), "POSIX object %s", posix_safe_name(t.names[0], safe));
	} else {
		status = segment_run_attached(id, true, write_mapped, &args);
		snprintf(what, sizeof(what), "segment %d", id);
	}
	if (verbose && (status == EXIT_OK || written))
		fprintf(stderr, "wrote %llu bytes to %s at offset %llu\n",
			(unsigned long long)written, what, (unsigned long long)offset);
	if (src.path && src.fd >= 0)
		close(src.fd);
	target_args_free(&t);
	return status;
}
