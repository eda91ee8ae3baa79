/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cgroup.h"
#include "core/names.h"
#include "core/orphan.h"
#include "core/procfs.h"

/* A small open-addressing map from a 32-bit id to a string. */
struct id_entry {
	uint32_t id;
	bool used;
	enum proc_match look;   /* for commands: PROC_SAME if it runs */
	int64_t start;          /* for commands: process start, epoch ns */
	char *name;
};

struct id_map {
	struct id_entry *e;
	size_t cap, n;
};

struct name_cache {
	/* the names are kept exact: each output puts them in its form
	 * (text_form() in lib/text.c) */
	struct id_map users, groups, commands, comms, cgroups;
};

static struct id_entry *map_slot(struct id_map *m, uint32_t id, bool *found)
{
	if (m->n * 2 >= m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct id_entry *e = calloc(cap, sizeof(*e));

		if (!e)
			return NULL;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->e[i].used)
				continue;
			size_t j = (m->e[i].id * 2654435761u) & (cap - 1);

			while (e[j].used)
				j = (j + 1) & (cap - 1);
			e[j] = m->e[i];
		}
		free(m->e);
		m->e = e;
		m->cap = cap;
	}
	size_t j = (id * 2654435761u) & (m->cap - 1);

	while (m->e[j].used && m->e[j].id != id)
		j = (j + 1) & (m->cap - 1);
	*found = m->e[j].used;
	return &m->e[j];
}

static void map_free(struct id_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->e[i].name);
	free(m->e);
}

struct name_cache *names_new(void)
{
	return calloc(1, sizeof(struct name_cache));
}

void names_free(struct name_cache *nc)
{
	if (!nc)
		return;
	map_free(&nc->users);
	map_free(&nc->groups);
	map_free(&nc->commands);
	map_free(&nc->comms);
	map_free(&nc->cgroups);
	free(nc);
}

static const char *id_name(struct name_cache *nc, struct id_map *m, uint32_t id, bool user)
{
	bool found;
	struct id_entry *e = map_slot(m, id, &found);
	char num[16];
	const char *name = NULL;

	if (!e)
		return "?";
	if (found)
		return e->name;
	if (user) {
		struct passwd *pw = getpwuid(id);

		name = pw ? pw->pw_name : NULL;
	} else {
		struct group *gr = getgrgid(id);

		name = gr ? gr->gr_name : NULL;
	}
	if (!name) {
		snprintf(num, sizeof(num), "%u", id);
		name = num;
	}
	e->name = strdup(name);
	if (!e->name)
		return "?";
	e->id = id;
	e->used = true;
	m->n++;
	return e->name;
}

const char *names_user(struct name_cache *nc, uid_t uid)
{
	return id_name(nc, &nc->users, uid, true);
}

const char *names_group(struct name_cache *nc, gid_t gid)
{
	return id_name(nc, &nc->groups, gid, false);
}

/* What pid is now: PROC_SAME (a running process, *start_ns), PROC_GONE
 * or PROC_UNKNOWN. /proc alone never proves a process gone: hidepid=
 * hides other users' processes, and a /proc of another PID namespace
 * shows other processes under our pids. The kernel's kill(pid, 0) does. */
static enum proc_match look_up(pid_t pid, int64_t *start_ns)
{
	struct proc_stat ps;
	int rc = pid > 0 && procfs_is_own_pidns() ? procfs_read_stat(pid, &ps) : -ENOENT;

	if (pid <= 0)
		return PROC_UNKNOWN;
	if (rc == 0 && procfs_exited(&ps))
		return PROC_GONE;
	if (rc == 0 && procfs_stat_start_ns(&ps, start_ns) == 0)
		return PROC_SAME;
	return procfs_pid_exists(pid) == 0 ? PROC_GONE : PROC_UNKNOWN;
}

/* The cache entry of a pid: its start time and command line, read once. */
static struct id_entry *process_entry(struct name_cache *nc, pid_t pid)
{
	bool found;
	struct id_entry *e = map_slot(&nc->commands, (uint32_t)pid, &found);

	if (!e || found)
		return e;
	e->id = (uint32_t)pid;
	e->used = true;
	nc->commands.n++;
	e->look = look_up(pid, &e->start);
	if (e->look == PROC_SAME) {
		char buf[4096];
		ssize_t len = procfs_read_cmdline(pid, buf, sizeof(buf));

		if (len > 0)
			e->name = strndup(buf, (size_t)len);
	}
	return e;
}

enum proc_match names_process(struct name_cache *nc, pid_t pid, int64_t by)
{
	struct id_entry *e = pid > 0 ? process_entry(nc, pid) : NULL;

	if (!e)
		return PROC_UNKNOWN;
	if (e->look != PROC_SAME)
		return e->look;
	return proc_creator_match(e->start, by, procfs_tick_ns());
}

const char *names_command(struct name_cache *nc, pid_t pid, int64_t by)
{
	return names_process(nc, pid, by) == PROC_SAME ? process_entry(nc, pid)->name : NULL;
}

const char *names_comm(struct name_cache *nc, pid_t pid)
{
	bool found;
	struct id_entry *e;

	if (pid <= 0)
		return NULL;
	e = map_slot(&nc->comms, (uint32_t)pid, &found);
	if (!e)
		return NULL;
	if (!found) {
		char buf[64];
		ssize_t len;

		e->id = (uint32_t)pid;
		e->used = true;
		nc->comms.n++;
		len = procfs_read_comm(pid, buf, sizeof(buf));
		if (len > 0)
			e->name = strndup(buf, (size_t)len);
	}
	return e->name;
}

const char *names_cgroup(struct name_cache *nc, pid_t pid)
{
	bool found;
	struct id_entry *e;

	if (pid <= 0)
		return NULL;
	e = map_slot(&nc->cgroups, (uint32_t)pid, &found);
	if (!e)
		return NULL;
	if (!found) {
		char path[32], buf[8192];
		const char *cg;
		size_t len;
		ssize_t n;

		e->id = (uint32_t)pid;
		e->used = true;
		nc->cgroups.n++;
		snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
		n = procfs_read_text(path, buf, sizeof(buf));
		/* a path cut by the buffer is no path: nothing, not a guess */
		if (n > 0 && cgroup_v2_path(buf, (size_t)n, &cg, &len) &&
		    (cg[len] == '\n' || (size_t)n < sizeof(buf) - 1))
			e->name = strndup(cg, len);
	}
	return e->name;
}

/* A number that names an id: decimal digits only, below (id_t)-1. */
static int parse_id_number(const char *s, uint32_t *v)
{
	unsigned long n;
	char *end;

	if (*s < '0' || *s > '9')
		return -ENOENT;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (*end || errno || n > UINT32_MAX - 1)
		return -ENOENT;
	*v = (uint32_t)n;
	return 0;
}

int names_parse_user(const char *s, uid_t *uid)
{
	struct passwd *pw = getpwnam(s);
	uint32_t v;

	if (pw) {
		*uid = pw->pw_uid;
		return 0;
	}
	if (parse_id_number(s, &v))
		return -ENOENT;
	*uid = (uid_t)v;
	return 0;
}

int names_parse_group(const char *s, gid_t *gid)
{
	struct group *gr = getgrnam(s);
	uint32_t v;

	if (gr) {
		*gid = gr->gr_gid;
		return 0;
	}
	if (parse_id_number(s, &v))
		return -ENOENT;
	*gid = (gid_t)v;
	return 0;
}

int names_login_group(uid_t uid, gid_t *gid)
{
	struct passwd *pw = getpwuid(uid);

	if (!pw)
		return -ENOENT;
	*gid = pw->pw_gid;
	return 0;
}
