/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prefetch.h"

#define PF_BLOCK (64 * 1024)
#define PF_AHEAD 8              /* filled blocks waiting at most: bounds memory */

struct pf_block {
	struct pf_block *next;
	size_t len;
	char data[PF_BLOCK];
};

struct prefetch {
	int fd;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t filled;          /* a block was queued, or the end came */
	pthread_cond_t room;            /* a block was taken, or the reader left */
	/* under lock */
	struct pf_block *head, *tail;   /* filled, in file order */
	struct pf_block *spare;         /* consumed blocks, for reuse */
	size_t queued;
	bool end;                       /* the thread has read its last block */
	int error;                      /* its errno, 0 at end of file */
	bool closing;                   /* the reader closed the stream */
	/* the reader's own */
	bool running;                   /* the thread was started: it owns fd */
	struct pf_block *cur;
	size_t pos;
};

static struct pf_block *get_block(struct prefetch *pf)
{
	struct pf_block *b;

	pthread_mutex_lock(&pf->lock);
	b = pf->spare;
	if (b)
		pf->spare = b->next;
	pthread_mutex_unlock(&pf->lock);
	return b ? b : malloc(sizeof(*b));
}

/* Fill b from fd: 0 when full, 1 at end of file, -errno on error. */
static int fill(int fd, struct pf_block *b)
{
	b->len = 0;
	while (b->len < PF_BLOCK) {
		ssize_t n = read(fd, b->data + b->len, PF_BLOCK - b->len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 1;
		b->len += (size_t)n;
	}
	return 0;
}

static void *read_ahead(void *arg)
{
	struct prefetch *pf = arg;
	int rc = 0;

	while (rc == 0) {
		struct pf_block *b;

		pthread_mutex_lock(&pf->lock);
		while (pf->queued >= PF_AHEAD && !pf->closing)
			pthread_cond_wait(&pf->room, &pf->lock);
		if (pf->closing) {
			pthread_mutex_unlock(&pf->lock);
			return NULL;
		}
		pthread_mutex_unlock(&pf->lock);

		b = get_block(pf);
		rc = b ? fill(pf->fd, b) : -ENOMEM;

		pthread_mutex_lock(&pf->lock);
		if (b && b->len) {
			b->next = NULL;
			if (pf->tail)
				pf->tail->next = b;
			else
				pf->head = b;
			pf->tail = b;
			pf->queued++;
		} else if (b) {
			b->next = pf->spare;
			pf->spare = b;
		}
		if (rc) {
			pf->end = true;
			pf->error = rc < 0 ? -rc : 0;
		}
		pthread_cond_signal(&pf->filled);
		pthread_mutex_unlock(&pf->lock);
	}
	return NULL;
}

/* The next filled block for the reader: 1, or 0 at the end (error set). */
static int next_block(struct prefetch *pf)
{
	pthread_mutex_lock(&pf->lock);
	if (pf->cur) {
		pf->cur->next = pf->spare;
		pf->spare = pf->cur;
		pf->cur = NULL;
	}
	while (!pf->head && !pf->end)
		pthread_cond_wait(&pf->filled, &pf->lock);
	if (pf->head) {
		pf->cur = pf->head;
		pf->head = pf->cur->next;
		if (!pf->head)
			pf->tail = NULL;
		pf->queued--;
		pf->pos = 0;
		pthread_cond_signal(&pf->room);
	}
	pthread_mutex_unlock(&pf->lock);
	return pf->cur != NULL;
}

static ssize_t pf_read(void *cookie, char *buf, size_t size)
{
	struct prefetch *pf = cookie;
	size_t n;

	while (!pf->cur || pf->pos == pf->cur->len) {
		if (!next_block(pf)) {
			if (pf->error) {
				errno = pf->error;
				return -1;
			}
			return 0;
		}
	}
	n = pf->cur->len - pf->pos;
	if (n > size)
		n = size;
	memcpy(buf, pf->cur->data + pf->pos, n);
	pf->pos += n;
	return (ssize_t)n;
}

static void free_blocks(struct pf_block *b)
{
	while (b) {
		struct pf_block *next = b->next;

		free(b);
		b = next;
	}
}

static int pf_close(void *cookie)
{
	struct prefetch *pf = cookie;
	int rc = 0;

	if (pf->running) {
		pthread_mutex_lock(&pf->lock);
		pf->closing = true;
		pthread_cond_signal(&pf->room);
		pthread_mutex_unlock(&pf->lock);
		pthread_join(pf->thread, NULL);
		rc = close(pf->fd);
	}
	free_blocks(pf->head);
	free_blocks(pf->spare);
	free(pf->cur);
	pthread_cond_destroy(&pf->filled);
	pthread_cond_destroy(&pf->room);
	pthread_mutex_destroy(&pf->lock);
	free(pf);
	return rc;
}

FILE *prefetch_fdopen(int fd)
{
	static const cookie_io_functions_t io = { .read = pf_read, .close = pf_close };
	struct prefetch *pf = calloc(1, sizeof(*pf));
	FILE *f;
	int rc;

	if (!pf)
		return NULL;
	pf->fd = fd;
	pthread_mutex_init(&pf->lock, NULL);
	pthread_cond_init(&pf->filled, NULL);
	pthread_cond_init(&pf->room, NULL);
	f = fopencookie(pf, "r", io);
	if (!f) {
		pf_close(pf);
		return NULL;
	}
	/* the thread starts last: on failure nothing was read from fd */
	rc = pthread_create(&pf->thread, NULL, read_ahead, pf);
	if (rc) {
		fclose(f);
		errno = rc;
		return NULL;
	}
	pf->running = true;
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	return f;
}
