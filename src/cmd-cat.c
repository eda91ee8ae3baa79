/* shmtool cat: print a segment's bytes. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "io.h"
#include "parse.h"
#include "segment.h"
#include "sysv.h"
#include "target.h"
#include "util.h"

static noreturn void usage(void)
{
	fputs("Usage: shmtool cat [options] ID\n"
	      "       shmtool cat [options] -k KEY | --ftok PATH[:PROJ]\n"
	      "\n"
	      "Attach a segment read-only and write its bytes to standard output.\n"
	      "\n"
	      "Options:\n"
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

struct cat_opts {
	uint64_t offset, length;
	bool has_length, string, newline, hex;
};

/* The bytes to stdout: from the segment's file with sendfile when the
 * caller may open it, so the mapping is not touched; else straight from
 * the mapping. */
static int send_bytes(const void *addr, uint64_t size, uint64_t offset, const char *src,
		      uint64_t len)
{
	int fd = io_segment_file(addr, size, false);

	if (fd >= 0) {
		off_t off = (off_t)offset;
		ssize_t n = io_transfer(STDOUT_FILENO, fd, &off, len);

		close(fd);
		if (n >= 0)
			return (uint64_t)n == len ? 0 : -EIO;
		if (n != -EINVAL && n != -ENOSYS && n != -EXDEV)
			return (int)n;
	}
	io_prefault((void *)src, len, false);
	return io_write_all(STDOUT_FILENO, src, len);
}

static int cat_segment(int id, const struct cat_opts *o)
{
	struct shm_segment seg;
	void *addr;
	const char *src;
	uint64_t len;
	int rc, status = EXIT_FAIL;

	rc = sysv_attach(id, true, &addr);
	if (rc) {
		segment_warn(id, "attach", rc);
		return EXIT_FAIL;
	}
	rc = sysv_stat(id, &seg);
	if (rc) {
		segment_warn(id, "read the size of", rc);
		goto out;
	}
	if (o->offset > seg.size) {
		warnx("offset %llu is past the end of segment %d (%llu bytes)",
		      (unsigned long long)o->offset, id, (unsigned long long)seg.size);
		goto out;
	}
	src = (const char *)addr + o->offset;
	len = seg.size - o->offset;
	if (o->has_length && o->length < len)
		len = o->length;
	if (o->string) {
		const char *end = memchr(src, '\0', len);

		if (end)
			len = (uint64_t)(end - src);
	}
	if (o->hex)
		rc = io_hexdump(STDOUT_FILENO, (const unsigned char *)src, len, o->offset);
	else
		rc = send_bytes(addr, seg.size, o->offset, src, len);
	if (!rc && o->newline)
		rc = io_write_all(STDOUT_FILENO, "\n", 1);
	if (rc == -EPIPE) {
		status = EXIT_OK;       /* the reader has all it wanted */
	} else if (rc) {
		warnx("write error: %s", strerror(-rc));
	} else {
		status = EXIT_OK;
	}
out:
	sysv_detach(addr);
	return status;
}

int cmd_cat(int argc, char **argv)
{
	struct target_list targets = { 0 };
	struct cat_opts o = { 0 };
	int c, id, status;

	while ((c = getopt_long(argc, argv, "k:sNxh", longopts, NULL)) != -1) {
		if (target_handle_option(&targets, c, optarg, "cat"))
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
	for (int i = optind; i < argc; i++)
		target_add_id_or_err(&targets, argv[i], "cat");
	if (targets.n != 1)
		usage_errx("cat", targets.n ? "give one segment only" : "no segment given");

	if (target_resolve_or_warn(&targets.v[0], &id)) {
		target_list_free(&targets);
		return EXIT_FAIL;
	}
	status = cat_segment(id, &o);
	target_list_free(&targets);
	return status;
}
