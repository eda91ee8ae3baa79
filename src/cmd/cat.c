/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shmtool cat: print a segment's bytes. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	fputs("Usage: shmtool cat [options] ID\n"
	      "       shmtool cat [options] -k KEY | --ftok PATH[:PROJ]\n"
	      "       shmtool cat [options] --posix NAME\n"
	      "\n"
	      "Attach a segment read-only and write its bytes to standard output.\n"
	      "\n"
	      "Options:\n"
	      "      --posix             the POSIX shared memory object NAME or /NAME\n"
	      "                          (/dev/shm) instead\n"
	      "  -k, --key KEY           the segment by key\n"
	      "      --ftok PATH[:PROJ]  the segment by the key ftok(3) gives\n"
	      "      --offset N          start at byte N (default 0; 4096, 4K, 0x1000)\n"
	      "      --length N          at most N bytes (default: to the end)\n"
	      "      --string            stop at the first NUL byte\n"
	      "  -N, --newline           end the output with a newline\n"
	      "  -x, --hex               a hex dump instead of the raw bytes\n"
	      SEM_HELP
	      "  -h, --help              show this help and exit\n", stdout);
	exit_help();
}

enum {
	OPT_OFFSET = 0x100,
	OPT_LENGTH,
};

/* no -s: it is --size in create, one letter for one meaning */
static const char shortopts[] = "k:Nxh";

static const struct option longopts[] = {
	TARGET_LONGOPTS,
	{ "offset",  required_argument, NULL, OPT_OFFSET },
	{ "length",  required_argument, NULL, OPT_LENGTH },
	{ "string",  no_argument,       NULL, 's' },
	{ "newline", no_argument,       NULL, 'N' },
	{ "hex",     no_argument,       NULL, 'x' },
	SEM_LONGOPTS,
	{ "help",    no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

struct cat_opts {
	uint64_t offset, length;
	bool has_length, string, newline, hex;
	struct sem_opts sem;
};

/* What cat reads: `size` bytes mapped at addr (NULL for none) and a
 * descriptor of the same bytes (-1: none, see struct io_mapped). */
struct cat_src {
	const char *addr;
	uint64_t size;
	int fd;
	const char *what;       /* "segment 5", "POSIX object NAME" */
};

/* After the file gave fewer bytes than asked: a POSIX object that
 * shrank meanwhile (-ESTALE; a segment never does), else -EIO. */
static int short_read(const struct cat_src *s)
{
	struct stat st;

	if (fstat(s->fd, &st) == 0 && (uint64_t)st.st_size < s->size)
		return -ESTALE;
	return -EIO;
}

/* The raw bytes to stdout: from the file with sendfile, a step at a
 * time, so the mapping is not touched and pages never written are not
 * made; else from the mapping, each step faulted in just before it. */
static int send_raw(const struct cat_src *s, uint64_t offset, uint64_t len)
{
	if (s->fd >= 0) {
		off_t off = (off_t)offset;
		ssize_t n = io_transfer(STDOUT_FILENO, s->fd, &off, len);

		if (n >= 0)
			return (uint64_t)n == len ? 0 : short_read(s);
		if (n != -EINVAL && n != -ENOSYS && n != -EXDEV)
			return (int)n;
	}
	return io_write_mapped(STDOUT_FILENO, s->addr + offset, (size_t)len);
}

/* The bytes cat looks at (--hex, --string), a step at a time: read from
 * the file into buf, or in place in the mapping, faulted in just before.
 * *p points at them. Returns 0 or -errno. */
static int scan_step(const struct cat_src *s, uint64_t at, size_t want, char *buf,
		     const char **p)
{
	ssize_t n;

	if (!buf) {
		*p = s->addr + at;
		io_prefault((void *)*p, want, false);
		return 0;
	}
	n = io_pread_full(s->fd, buf, want, (off_t)at);
	if (n < 0)
		return (int)n;
	if ((size_t)n < want)
		return short_read(s);
	*p = buf;
	return 0;
}

/* The bytes cut at the first NUL (--string) and/or as a hex dump,
 * written as they are looked at: the first output comes after one step,
 * and a reader that goes away (| head) ends the reading. Returns 0,
 * -errno of the output, -ESTALE, or 1 for a read error reported here. */
static int send_scanned(const struct cat_src *s, const struct cat_opts *o, uint64_t len)
{
	char *buf = NULL;
	uint64_t done = 0;
	int rc = 0;

	if (s->fd >= 0) {
		buf = malloc(IO_SCAN_STEP);
		if (!buf)
			return -ENOMEM;
	}
	while (done < len && !rc) {
		size_t want = len - done < IO_SCAN_STEP ? (size_t)(len - done) : IO_SCAN_STEP;
		uint64_t at = o->offset + done;
		const char *p = NULL, *nul = NULL;

		rc = scan_step(s, at, want, buf, &p);
		if (rc && rc != -ESTALE) {
			warnx("cannot read %s: %s", s->what, strerror(-rc));
			rc = 1;
		}
		if (rc)
			break;
		if (o->string && (nul = memchr(p, '\0', want)))
			want = (size_t)(nul - p);
		if (o->hex)
			rc = io_hexdump(STDOUT_FILENO, (const unsigned char *)p, want, at,
					o->offset + len);
		else
			rc = io_write_all(STDOUT_FILENO, p, want);
		if (nul)
			break;
		done += want;
	}
	free(buf);
	return rc;
}

static int cat_bytes(const struct cat_src *s, const struct cat_opts *o)
{
	uint64_t len;
	int rc = 0;

	len = s->size - o->offset;     /* offset_fits() said it is inside */
	if (o->has_length && o->length < len)
		len = o->length;
	if (len && (o->hex || o->string))
		rc = send_scanned(s, o, len);
	else if (len)
		rc = send_raw(s, o->offset, len);
	if (!rc && o->newline)
		rc = io_write_all(STDOUT_FILENO, "\n", 1);
	if (rc == 1)
		return EXIT_FAIL;
	if (rc == -ESTALE) {
		warnx("%s shrank while it was read: the output is incomplete", s->what);
		return EXIT_FAIL;
	}
	if (rc == -ENOMEM) {
		warnx("cannot allocate memory");
		return EXIT_FAIL;
	}
	if (rc && rc != -EPIPE) {       /* EPIPE: the reader has all it wanted */
		warnx("write error: %s", strerror(-rc));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* Before attaching or mapping: an offset past the end is refused. */
static int offset_fits(uint64_t size, const char *what, void *opts)
{
	return io_offset_check(((const struct cat_opts *)opts)->offset, size, what);
}

static int cat_copy(const struct io_mapped *m, void *opts)
{
	return cat_bytes(&(struct cat_src){ .addr = m->addr, .size = m->size, .fd = m->fd,
					    .what = m->what }, opts);
}

/* The bytes of a segment attached or of a POSIX object mapped, under
 * the semaphore of --sem if one was given. */
static int cat_mapped(const struct io_mapped *m, void *opts)
{
	return sem_run(&((struct cat_opts *)opts)->sem, cat_copy, m, opts);
}

static int run_cat(int argc, char **argv, struct shm_ctx *ctx)
{
	struct target_args t = { 0 };
	struct cat_opts o = { 0 };
	int c, id, status;

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (target_handle_option(&t, c, optarg, "cat") ||
		    sem_handle_option(&o.sem, c, optarg, "cat"))
			continue;
		switch (c) {
		case OPT_OFFSET:
			if (parse_size(optarg, &o.offset))
				usage_errx("cat", "invalid offset: '%s' (bytes: 4096, 4K, 0x1000)",
					   optarg);
			break;
		case OPT_LENGTH:
			if (parse_size(optarg, &o.length))
				usage_errx("cat", "invalid length: '%s' (bytes: 4096, 4K, 0x1000)",
					   optarg);
			o.has_length = true;
			break;
		case 's':
			o.string = true;
			break;
		case 'N':
			o.newline = true;
			break;
		case 'x':
			o.hex = true;
			break;
		case 'h':
			usage();
		default:
			usage_hint_option("cat", argv, longopts);
		}
	}
	sem_opts_finish_or_err(&o.sem, "cat");
	target_args_finish_or_err(&t, argc - optind, argv + optind, TARGETS_ONE, "cat");
	shm_ctx_enter_or_err(ctx, "cat", t.posix);

	/* the object opened, or the segment attached, read-only and mapped */
	if (t.posix)
		status = posix_obj_run_mapped(&ctx->ns, t.names[0], false, offset_fits, cat_mapped,
					      &o);
	else if (target_resolve_or_warn(&t.list.v[0], &id))
		status = EXIT_FAIL;
	else
		status = segment_run_attached(id, false, offset_fits, cat_mapped, &o);
	target_args_free(&t);
	return status;
}

const struct command cmd_cat = {
	.name = "cat",
	.run = run_cat,
	.summary = "print a segment's bytes",
};
