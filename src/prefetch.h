/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A read-only stdio stream over a file descriptor whose read(2) calls
 * are made by a thread of their own, ahead of the reader. For a file the
 * kernel generates as it is read (/proc/sysvipc/shm: a page per call,
 * 35 ms at 30,000 segments), the kernel's work and the parsing then run
 * on two processors at once. */
#ifndef SHMTOOL_PREFETCH_H
#define SHMTOOL_PREFETCH_H

#include <stdio.h>

/* A stream reading fd (which it owns and closes at fclose), unlocked:
 * one thread at a time reads it. NULL with errno set when no thread can
 * be started; fd is then left open. A read error of the thread reaches
 * the reader as the stream's error, errno set. */
FILE *prefetch_fdopen(int fd);

#endif
