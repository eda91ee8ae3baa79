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

#include "commands.h"
#include "io.h"
#include "parse.h"
#include "posix-obj.h"
#include "target.h"
#include "util.h"

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
	      "      --offset N          start at byte N (default 0)\n"
	      "      --length N          at most N bytes (default: to the end)\n"
	      "  -s, --string            stop at the first NUL byte\n"
	      "  -N, --newline           end the output with a newline\n"
	      "  -x, --hex               a hex dump instead of the raw bytes\n"
	      "  -h, --help              show this help and exit\n", stdout);
	exit_help();
}

enum {
	OPT_OFFSET = 0x100,
	OPT_LENGTH,
};

static const char shortopts[] = "k:sNxh";

static const struct option longopts[] = {
	TARGET_LONGOPTS,
	{ "offset",  required_argument, NULL, OPT_OFFSET },
	{ "length",  required_argument, NULL, OPT_LENGTH },
	{ "string",  no_argument,       NULL, 's' },
	{ "newline", no_argument,       NULL, 'N' },
	{ "hex",     no_argument,       NULL, 'x' },
	{ "help",    no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

const struct command_options cmd_cat_options = { shortopts, longopts };

struct cat_opts {
	uint64_t offset, length;
	bool has_length, string, newline, hex;
};

/* What cat reads: `size` bytes mapped at addr (NULL for none) and, for
 * a POSIX object, a descriptor of the same bytes. */
struct cat_src {
	const char *addr;
	uint64_t size;
	int fd;                 /* -1: the segment's own file, if it opens */
	const char *what;       /* "segment 5", "POSIX object NAME" */
};

/* The bytes to stdout: from the file with sendfile when there is one
 * (a segment's only when the caller may open it), so the mapping is not
 * touched; else straight from the mapping. */
static int send_bytes(const struct cat_src *s, uint64_t offset, const char *src, uint64_t len)
{
	int fd = s->fd >= 0 ? s->fd : io_segment_file(s->addr, s->size, false);

	if (fd >= 0) {
		off_t off = (off_t)offset;
		ssize_t n = io_transfer(STDOUT_FILENO, fd, &off, len);

		struct stat st;

		/* a short copy from a POSIX object: did it shrink meanwhile? */
		if (n >= 0 && (uint64_t)n < len && fd == s->fd && fstat(fd, &st) == 0 &&
		    (uint64_t)st.st_size < s->size)
			n = -ESTALE;
		if (fd != s->fd)
			close(fd);
		if (n >= 0)
			return (uint64_t)n == len ? 0 : -EIO;
		if (n == -ESTALE)
			return -ESTALE;
		if (n != -EINVAL && n != -ENOSYS && n != -EXDEV)
			return (int)n;
	}
	io_prefault((void *)src, len, false);
	return io_write_all(STDOUT_FILENO, src, len);
}

static int cat_bytes(const struct cat_src *s, const struct cat_opts *o)
{
	const char *src;
	uint64_t len;
	int rc;

	if (o->offset > s->size) {
		warnx("offset %llu is past the end of %s (%llu bytes)",
		      (unsigned long long)o->offset, s->what, (unsigned long long)s->size);
		return EXIT_FAIL;
	}
	src = s->addr ? s->addr + o->offset : NULL;  /* NULL: an empty object */
	len = s->size - o->offset;
	if (o->has_length && o->length < len)
		len = o->length;
	if (o->string && len) {
		const char *end = memchr(src, '\0', len);

		if (end)
			len = (uint64_t)(end - src);
	}
	if (o->hex)
		rc = io_hexdump(STDOUT_FILENO, (const unsigned char *)src, len, o->offset);
	else
		rc = send_bytes(s, o->offset, src, len);
	if (!rc && o->newline)
		rc = io_write_all(STDOUT_FILENO, "\n", 1);
	if (rc == -ESTALE) {
		warnx("%s shrank while it was read: the output is incomplete", s->what);
		return EXIT_FAIL;
	}
	if (rc && rc != -EPIPE) {       /* EPIPE: the reader has all it wanted */
		warnx("write error: %s", strerror(-rc));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* The bytes of a segment attached or of a POSIX object mapped. */
static int cat_mapped(const struct io_mapped *m, void *opts)
{
	return cat_bytes(&(struct cat_src){ .addr = m->addr, .size = m->size, .fd = m->fd,
					    .what = m->what }, opts);
}

int cmd_cat(int argc, char **argv)
{
	struct target_args t = { 0 };
	struct cat_opts o = { 0 };
	int c, id, status;

	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (target_handle_option(&t, c, optarg, "cat"))
			continue;
		switch (c) {
		case OPT_OFFSET:
			if (parse_u64(optarg, &o.offset))
				usage_errx("cat", "invalid offset: '%s'", optarg);
			break;
		case OPT_LENGTH:
			if (parse_u64(optarg, &o.length))
				usage_errx("cat", "invalid length: '%s'", optarg);
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
			usage_hint("cat");
		}
	}
	target_args_finish_or_err(&t, argc - optind, argv + optind, TARGETS_ONE, "cat");

	/* the object opened, or the segment attached, read-only and mapped */
	if (t.posix)
		status = posix_obj_run_mapped(t.names[0], false, cat_mapped, &o);
	else if (target_resolve_or_warn(&t.list.v[0], &id))
		status = EXIT_FAIL;
	else
		status = segment_run_attached(id, false, cat_mapped, &o);
	target_args_free(&t);
	return status;
}
