/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names for ids, each looked up once: user and group names, and the
 * command line of a creator process. Every name is the exact text read
 * from the system: the outputs put it in their form (text_form()). */
#ifndef SHMTOOL_NAMES_H
#define SHMTOOL_NAMES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/orphan.h"

struct name_cache;

struct name_cache *names_new(void);
void names_free(struct name_cache *nc);

/* The user or group name, or the number as text when it has no name. */
const char *names_user(struct name_cache *nc, uid_t uid);
const char *names_group(struct name_cache *nc, gid_t gid);

/* Whether pid still names the process that held it during the second
 * `by` (whole seconds since the epoch, as the kernel records the times of
 * a segment; INT64_MAX: any running process): see enum proc_match and
 * proc_started_by. Looked up once per pid. */
enum proc_match names_process(struct name_cache *nc, pid_t pid, int64_t by);

/* The command line of pid if names_process says PROC_SAME,
 * else NULL: the command of a process that cannot be told (PROC_UNKNOWN)
 * is not shown. */
const char *names_command(struct name_cache *nc, pid_t pid, int64_t by);
/* The command name (comm) of a running pid, or NULL. */
const char *names_comm(struct name_cache *nc, pid_t pid);

/* The cgroup v2 path of a running pid (its /proc/PID/cgroup "0::"
 * line), or NULL: no such process, a cgroup v1 only host, or a path
 * longer than the reader takes. Read once per pid. */
const char *names_cgroup(struct name_cache *nc, pid_t pid);

/* A user given by name or number. Returns 0 or -ENOENT. */
int names_parse_user(const char *s, uid_t *uid);

/* A group given by name or number. Returns 0 or -ENOENT. */
int names_parse_group(const char *s, gid_t *gid);

/* The login group of uid (its passwd entry). Returns 0 or -ENOENT. */
int names_login_group(uid_t uid, gid_t *gid);

#endif
