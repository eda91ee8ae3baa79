/* Small readers of /proc/PID files. */
#ifndef SHMTOOL_PROCFS_H
#define SHMTOOL_PROCFS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Command line with NULs turned into spaces (trailing ones dropped);
 * a kernel thread's empty one gives 0. Returns the length or -errno. */
ssize_t procfs_read_cmdline(pid_t pid, char *buf, size_t sz);

/* When the process started, in seconds since the epoch. */
int procfs_start_time(pid_t pid, int64_t *epoch);

/* Pure: the start time field (22nd) of a /proc/PID/stat line, in ticks. */
int procfs_parse_stat_starttime(const char *line, uint64_t *ticks);

/* Pure: the btime line of /proc/stat. */
int procfs_parse_btime(const char *text, int64_t *btime);

/* Pure: the effective capabilities of a /proc/PID/status text. */
int procfs_parse_capeff(const char *status, uint64_t *caps);

/* Whether this process has capability `cap` (e.g. 21, CAP_SYS_ADMIN). */
bool procfs_self_has_cap(int cap);

#endif
