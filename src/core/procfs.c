/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/mountinfo.h"
#include "core/procfs.h"

ssize_t procfs_read_text(const char *path, char *buf, size_t sz)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t len, total = 0;

	if (fd < 0)
		return -errno;
	while ((size_t)total < sz - 1) {
		len = read(fd, buf + total, sz - 1 - (size_t)total);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			len = -errno;
			close(fd);
			return len;
		}
		if (len == 0)
			break;
		total += len;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

ssize_t procfs_read_cmdline(pid_t pid, char *buf, size_t sz)
{
	char path[64];
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	len = procfs_read_text(path, buf, sz);
	if (len <= 0)
		return len;
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	for (ssize_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[len] = '\0';
	return len;
}

/* The start of field `want` (counting from 1, want >= 3) of a
 * /proc/PID/stat line, or NULL. comm (field 2) may hold spaces and
 * parentheses: fields count from the last ')'. */
static const char *stat_field(const char *line, int want)
{
	const char *p = strrchr(line, ')');
	int field = 2;

	if (!p)
		return NULL;
	p++;
	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			return NULL;
		if (++field == want)
			return p;
		while (*p && *p != ' ')
			p++;
	}
}

static int stat_number(const char *line, int field, uint64_t *v)
{
	const char *p = stat_field(line, field);

	if (!p || *p < '0' || *p > '9')
		return -EINVAL;
	*v = strtoull(p, NULL, 10);
	return 0;
}

int procfs_parse_stat(const char *line, struct proc_stat *ps)
{
	const char *state = stat_field(line, 3);
	uint64_t threads, start;

	if (!state || stat_number(line, 20, &threads) || stat_number(line, 22, &start) ||
	    threads > LONG_MAX)
		return -EINVAL;
	ps->state = *state;
	ps->threads = (long)threads;
	ps->start = start;
	return 0;
}

bool procfs_exited(const struct proc_stat *ps)
{
	return (ps->state == 'Z' || ps->state == 'X') && ps->threads <= 1;
}

int procfs_read_stat(pid_t pid, struct proc_stat *ps)
{
	char path[64], buf[1024];
	ssize_t len;

	if (pid <= 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	len = procfs_read_text(path, buf, sizeof(buf));
	if (len < 0)
		return (int)len;
	return procfs_parse_stat(buf, ps) ? -EIO : 0;
}

int procfs_pid_exists(pid_t pid)
{
	if (pid <= 0)
		return -EINVAL;
	if (kill(pid, 0) == 0 || errno == EPERM)
		return 1;
	return errno == ESRCH ? 0 : -errno;
}

bool procfs_is_own_pidns(void)
{
	static int cached = -1;

	if (cached < 0) {
		char buf[32];
		ssize_t len = readlink("/proc/self", buf, sizeof(buf) - 1);

		if (len > 0)
			buf[len] = '\0';
		cached = len > 0 && strtol(buf, NULL, 10) == (long)getpid();
	}
	return cached;
}

static int64_t timespec_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

int64_t procfs_boot_ns(void)
{
	static int64_t cached = -1;
	struct timespec real, boot;

	/* read once a run: the difference changes only when the wall clock
	 * is set or slewed */
	if (cached < 0 && clock_gettime(CLOCK_REALTIME, &real) == 0 &&
	    clock_gettime(CLOCK_BOOTTIME, &boot) == 0)
		cached = timespec_ns(&real) - timespec_ns(&boot);
	return cached;
}

int64_t procfs_tick_ns(void)
{
	long hz = sysconf(_SC_CLK_TCK);

	return hz > 0 ? 1000000000 / hz : 10000000;
}

int64_t procfs_ticks_to_ns(uint64_t ticks, int64_t boot_ns, long hz)
{
	uint64_t secs = ticks / (uint64_t)hz, rest = ticks % (uint64_t)hz;

	if (boot_ns < 0 || secs >= (uint64_t)(INT64_MAX - boot_ns) / 1000000000 - 1)
		return INT64_MAX;       /* no start that late: never before a time */
	return boot_ns + (int64_t)secs * 1000000000 + (int64_t)(rest * 1000000000 / (uint64_t)hz);
}

int procfs_start_ticks(pid_t pid, uint64_t *ticks)
{
	struct proc_stat ps;
	int rc = procfs_read_stat(pid, &ps);

	if (rc)
		return rc == -EIO ? rc : -ESRCH;
	*ticks = ps.start;
	return 0;
}

int procfs_stat_start_ns(const struct proc_stat *ps, int64_t *ns)
{
	int64_t boot = procfs_boot_ns();
	long hz = sysconf(_SC_CLK_TCK);

	if (boot < 0 || hz <= 0)
		return -EIO;
	*ns = procfs_ticks_to_ns(ps->start, boot, hz);
	return 0;
}

int procfs_parse_capeff(const char *status, uint64_t *caps)
{
	const char *p = strstr(status, "\nCapEff:");

	if (!p)
		return -EINVAL;
	p += 8;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!isxdigit((unsigned char)*p))
		return -EINVAL;
	*caps = strtoull(p, NULL, 16);
	return 0;
}

/* A decimal number of [p, end) up to the end of its line, or false. */
static bool line_number(const char *p, const char *end, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	bool digits = false;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (x > (max - (uint64_t)(*p - '0')) / 10)
			return false;
		x = x * 10 + (uint64_t)(*p - '0');
		digits = true;
	}
	if (!digits || (p < end && *p != '\n'))
		return false;
	*v = x;
	return true;
}

int procfs_parse_fdinfo(const char *text, size_t len, struct procfs_fdinfo *fi)
{
	const char *p = text, *end = text + len;

	*fi = (struct procfs_fdinfo){ 0 };
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		uint64_t v;

		if (stop - p > 7 && !memcmp(p, "mnt_id:", 7)) {
			if (!line_number(p + 7, stop, INT_MAX, &v))
				return -EINVAL;
			fi->mnt_id = (int)v;
			fi->has_mnt_id = true;
		} else if (stop - p > 4 && !memcmp(p, "ino:", 4)) {
			if (!line_number(p + 4, stop, UINT64_MAX, &v))
				return -EINVAL;
			fi->ino = v;
			fi->has_ino = true;
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

/* Whether [s, s + len) is the option word w. */
static bool is_word(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && !memcmp(s, w, len);
}

static int parse_hidepid(const char *v, size_t len, enum procfs_hidepid *h)
{
	if (is_word(v, len, "0") || is_word(v, len, "off"))
		*h = PROCFS_HIDEPID_OFF;
	else if (is_word(v, len, "1") || is_word(v, len, "noaccess"))
		*h = PROCFS_HIDEPID_NOACCESS;
	else if (is_word(v, len, "2") || is_word(v, len, "invisible"))
		*h = PROCFS_HIDEPID_INVISIBLE;
	else if (is_word(v, len, "4") || is_word(v, len, "ptraceable"))
		*h = PROCFS_HIDEPID_PTRACEABLE;
	else
		return -EINVAL;
	return 0;
}

int procfs_parse_proc_opts(const char *opts, size_t len, struct procfs_proc_opts *po)
{
	const char *p = opts, *end = opts + len;

	*po = (struct procfs_proc_opts){ 0 };
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *stop = comma ? comma : end;
		uint64_t gid;

		if (stop - p >= 8 && !memcmp(p, "hidepid=", 8)) {
			if (parse_hidepid(p + 8, (size_t)(stop - p - 8), &po->hidepid))
				return -EINVAL;
		} else if (stop - p > 4 && !memcmp(p, "gid=", 4) &&
			   line_number(p + 4, stop, UINT32_MAX - 1, &gid)) {
			po->gid = (gid_t)gid;
		}
		p = comma ? comma + 1 : end;
	}
	return 0;
}

int procfs_proc_mount_opts(const char *mountinfo, size_t len, int mnt_id,
			   struct procfs_proc_opts *po)
{
	const char *p = mountinfo, *end = mountinfo + len;

	while (p < end) {
		struct mountinfo_line ml;

		if (mountinfo_next_line(&p, end, &ml) == 0 && ml.id == mnt_id)
			return procfs_parse_proc_opts(ml.super, ml.super_len, po);
	}
	return -ENOENT;
}

bool procfs_proc_hides(const struct procfs_proc_opts *po, bool cap_sys_ptrace, bool in_gid)
{
	switch (po->hidepid) {
	case PROCFS_HIDEPID_OFF:
	case PROCFS_HIDEPID_NOACCESS:
		return false;
	case PROCFS_HIDEPID_INVISIBLE:
		return !cap_sys_ptrace && !in_gid;
	case PROCFS_HIDEPID_PTRACEABLE:
		return !cap_sys_ptrace;
	}
	return true;    /* a level not known: assume the worst */
}

bool procfs_pidns_hides(bool known, uint64_t ino)
{
	return !known || ino != PROCFS_PID_INIT_INO;
}

bool procfs_self_has_cap(int cap)
{
	char buf[8192];
	uint64_t caps;

	if (procfs_read_text("/proc/self/status", buf, sizeof(buf)) <= 0 ||
	    procfs_parse_capeff(buf, &caps))
		return geteuid() == 0;
	return cap >= 0 && cap < 64 && (caps >> cap) & 1;
}

ssize_t procfs_read_comm(pid_t pid, char *buf, size_t sz)
{
	char path[64];
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	len = procfs_read_text(path, buf, sz);
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return len;
}

const char *procfs_status_field(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':') {
			p += klen + 1;
			while (*p == '\t' || *p == ' ')
				p++;
			return p;
		}
	}
	return NULL;
}

int procfs_parse_status(const char *text, struct proc_ident *pi)
{
	const char *name = procfs_status_field(text, "Name");
	const char *state = procfs_status_field(text, "State");
	const char *uid = procfs_status_field(text, "Uid");
	unsigned long real, eff;
	char *end;
	size_t len;

	if (!name || !state || !uid || *state < 'A' || *state > 'Z')
		return -EINVAL;
	errno = 0;
	real = strtoul(uid, &end, 10);
	if (end == uid || (*end != '\t' && *end != ' '))
		return -EINVAL;
	uid = end;
	eff = strtoul(uid, &end, 10);
	if (end == uid || errno || real > UINT32_MAX || eff > UINT32_MAX)
		return -EINVAL;
	len = strcspn(name, "\n");
	if (len >= sizeof(pi->comm))
		len = sizeof(pi->comm) - 1;
	memcpy(pi->comm, name, len);
	pi->comm[len] = '\0';
	pi->state = *state;
	pi->uid = (uid_t)eff;
	return 0;
}

int procfs_identify(pid_t pid, struct proc_ident *pi)
{
	char path[64], buf[4096];
	struct proc_stat ps;
	int64_t start;
	ssize_t len;
	int rc;

	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	len = procfs_read_text(path, buf, sizeof(buf));
	if (len < 0)
		return len == -ENOENT ? -ESRCH : (int)len;
	rc = procfs_parse_status(buf, pi);
	if (rc)
		return rc;
	/* the state again with the thread count: a leader that called
	 * pthread_exit is a zombie whose process runs on */
	rc = procfs_read_stat(pid, &ps);
	if (rc)
		return rc == -ENOENT ? -ESRCH : rc;
	if (procfs_exited(&ps))
		return -ESRCH;
	rc = procfs_stat_start_ns(&ps, &start);
	if (rc)
		return rc;
	pi->pid = pid;
	pi->start = start / 1000000000;
	return 0;
}
