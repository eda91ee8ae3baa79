/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The --posix halves of commands that outgrow their cmd-*.c file. */
#ifndef SHMTOOL_POSIX_CMDS_H
#define SHMTOOL_POSIX_CMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output.h"

/* stat --posix: a "Name: value" record (or with JSON an object) for
 * each POSIX shared memory object named, with the processes that map it
 * or hold it open. names: already checked (posix_name_or_err). Returns the exit status:
 * 1 when an object is missing or /proc could not be scanned, the others
 * still printed. */
int posix_stat(const char *const *names, size_t n, const struct output_opts *oo);

/* create --posix ARG: made exclusively (O_CREAT | O_EXCL) with exactly
 * `mode`, then given `size`; a failure leaves nothing. --reuse takes an
 * existing one unchanged. Prints the name, or with json name, path and
 * size. A bad name is a usage error. Returns the exit status. */
int posix_create(const char *arg, uint64_t size, unsigned int mode, bool mode_given,
		 bool reuse, bool json);

#endif
