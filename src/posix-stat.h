/* stat --posix: a "Name: value" record (or with JSON an object) for
 * each POSIX shared memory object named, with the processes that map it
 * or hold it open. */
#ifndef SHMTOOL_POSIX_STAT_H
#define SHMTOOL_POSIX_STAT_H

#include <stddef.h>

#include "output.h"

/* names: already checked (posix_name_or_err). Returns the exit status:
 * 1 when an object is missing or /proc could not be scanned, the others
 * still printed. */
int posix_stat(const char *const *names, size_t n, const struct output_opts *oo);

#endif
