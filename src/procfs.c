#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mountinfo.h"
#include "procfs.h"

static ssize_t read_file(const char *path, char *buf, size_t sz)
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
	len = read_file(path, buf, sz);
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

int procfs_parse_stat_starttime(const char *line, uint64_t *ticks)
{
	/* "pid (comm) state ppid ..." where comm may hold spaces and
	 * parentheses: fields count from the last ')'. */
	const char *p = strrchr(line, ')');
	int field = 2;

	if (!p)
		return -EINVAL;
	p++;
	while (*p && field < 21) {
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
		field++;
	}
	while (*p == ' ')
		p++;
	if (field != 21 || *p < '0' || *p > '9')
		return -EINVAL;
	*ticks = strtoull(p, NULL, 10);
	return 0;
}

int procfs_parse_btime(const char *text, int64_t *btime)
{
	const char *p;

	if (strncmp(text, "btime ", 6) == 0) {
		p = text + 6;
	} else {
		p = strstr(text, "\nbtime ");
		if (!p)
			return -EINVAL;
		p += 7;
	}
	if (*p < '0' || *p > '9')
		return -EINVAL;
	*btime = strtoll(p, NULL, 10);
	return 0;
}

static int boot_time(int64_t *btime)
{
	static int64_t cached = -1;
	char buf[16384];

	if (cached < 0) {
		if (read_file("/proc/stat", buf, sizeof(buf)) < 0 ||
		    procfs_parse_btime(buf, &cached))
			return -EIO;
	}
	*btime = cached;
	return 0;
}

int procfs_start_ticks(pid_t pid, uint64_t *ticks)
{
	char path[64], buf[1024];

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -ESRCH;
	return procfs_parse_stat_starttime(buf, ticks) ? -EIO : 0;
}

int procfs_start_time(pid_t pid, int64_t *epoch)
{
	uint64_t ticks;
	int64_t btime;
	long hz = sysconf(_SC_CLK_TCK);
	int rc = procfs_start_ticks(pid, &ticks);

	if (rc)
		return rc;
	if (boot_time(&btime) || hz <= 0)
		return -EIO;
	*epoch = btime + (int64_t)(ticks / (uint64_t)hz);
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

bool procfs_self_has_cap(int cap)
{
	char buf[8192];
	uint64_t caps;

	if (read_file("/proc/self/status", buf, sizeof(buf)) <= 0 ||
	    procfs_parse_capeff(buf, &caps))
		return geteuid() == 0;
	return cap >= 0 && cap < 64 && (caps >> cap) & 1;
}

ssize_t procfs_read_comm(pid_t pid, char *buf, size_t sz)
{
	char path[64];
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	len = read_file(path, buf, sz);
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return len;
}

/* The value of "Key:\t..." in status text, or NULL. */
static const char *status_field(const char *text, const char *key)
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
	const char *name = status_field(text, "Name");
	const char *state = status_field(text, "State");
	const char *uid = status_field(text, "Uid");
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
	ssize_t len;
	int rc;

	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	len = read_file(path, buf, sizeof(buf));
	if (len < 0)
		return len == -ENOENT ? -ESRCH : (int)len;
	rc = procfs_parse_status(buf, pi);
	if (rc)
		return rc;
	if (pi->state == 'Z' || pi->state == 'X')
		return -ESRCH;
	pi->pid = pid;
	rc = procfs_start_time(pid, &pi->start);
	return rc;
}
