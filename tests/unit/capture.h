/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a call writes to a descriptor (stderr, mostly), for the unit
 * tests: the descriptor goes to a temporary file from capture_start()
 * to capture_end(), which gives back the text. Include after cmocka.h. */
#ifndef SHMTOOL_TEST_CAPTURE_H
#define SHMTOOL_TEST_CAPTURE_H

#include <stdio.h>
#include <unistd.h>

struct capture {
	int fd;                 /* the descriptor captured */
	int saved;              /* where it pointed before */
	FILE *tmp;
};

static inline void capture_start(struct capture *c, int fd)
{
	c->fd = fd;
	c->tmp = tmpfile();
	assert_non_null(c->tmp);
	fflush(stdout);
	fflush(stderr);
	c->saved = dup(fd);
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->tmp), fd) >= 0);
}

/* The text written since capture_start, cut to sz - 1 bytes, in buf. */
static inline char *capture_end(struct capture *c, char *buf, size_t sz)
{
	size_t n;

	fflush(stdout);
	fflush(stderr);
	dup2(c->saved, c->fd);
	close(c->saved);
	rewind(c->tmp);
	n = fread(buf, 1, sz - 1, c->tmp);
	buf[n] = '\0';
	fclose(c->tmp);
	return buf;
}

#endif
