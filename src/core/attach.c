/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/attach.h"
#include "core/proc-walk.h"
#include "core/sysv.h"
#include "lib/array.h"

/* ---- the maps line parser (pure) ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A number in base 16 or 10 at *p (before end); at least one digit. */
static int take_number(const char **p, const char *end, int base, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	for (; s < end; s++) {
		int d = base == 16 ? hexval(*s) : (*s >= '0' && *s <= '9' ? *s - '0' : -1);

		if (d < 0)
			break;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return -EINVAL;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (s == *p)
		return -EINVAL;
	*p = s;
	*out = v;
	return 0;
}

static int take_char(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -EINVAL;
	(*p)++;
	return 0;
}

/* One or more blanks. */
static int take_blanks(const char **p, const char *end)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == *p)
		return -EINVAL;
	*p = s;
	return 0;
}

#define SYSV_PREFIX "/SYSV"
#define SYSV_KEY_DIGITS 8
#define DELETED_SUFFIX " (deleted)"

int attach_devs_add(struct attach_devs *d, unsigned int major, unsigned int minor)
{
	if (attach_devs_has(d, major, minor))
		return 0;
	if (d->n == ATTACH_MAX_DEVS)
		return -ENOSPC;
	d->v[d->n++] = (struct attach_dev){ major, minor };
	return 0;
}

bool attach_devs_has(const struct attach_devs *d, unsigned int major, unsigned int minor)
{
	for (size_t i = 0; d && i < d->n; i++)
		if (d->v[i].major == major && d->v[i].minor == minor)
			return true;
	return false;
}

/* The kernel's name of a segment: "/SYSV%08x (deleted)", the key in
 * lower-case hex; a segment's file is never linked anywhere. */
static bool sysv_name(const struct maps_line *m)
{
	const size_t plen = strlen(SYSV_PREFIX), slen = strlen(DELETED_SUFFIX);

	if (!m->deleted || m->namelen != plen + SYSV_KEY_DIGITS + slen ||
	    memcmp(m->name, SYSV_PREFIX, plen) != 0)
		return false;
	for (size_t i = plen; i < plen + SYSV_KEY_DIGITS; i++) {
		char c = m->name[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

int attach_parse_maps_line(const char *line, size_t len, const struct attach_devs *devs,
			   struct maps_line *ml)
{
	const char *p = line, *end = line + len;
	struct maps_line m = { 0 };
	uint64_t major, minor;

	if (len && end[-1] == '\n')
		end--;
	if (take_number(&p, end, 16, &m.start) || take_char(&p, end, '-') ||
	    take_number(&p, end, 16, &m.end) || take_blanks(&p, end))
		return -EINVAL;
	if (end - p < 4)
		return -EINVAL;
	memcpy(m.perms, p, 4);
	p += 4;
	for (int i = 0; i < 4; i++)
		if (m.perms[i] == '\0' || !strchr("rwxsp-", m.perms[i]))
			return -EINVAL;
	if (take_blanks(&p, end) || take_number(&p, end, 16, &m.offset) ||
	    take_blanks(&p, end) || take_number(&p, end, 16, &major) ||
	    take_char(&p, end, ':') || take_number(&p, end, 16, &minor) ||
	    take_blanks(&p, end) || take_number(&p, end, 10, &m.inode))
		return -EINVAL;
	if (m.end < m.start || major > UINT_MAX || minor > UINT_MAX)
		return -EINVAL;
	m.dev_major = (unsigned int)major;
	m.dev_minor = (unsigned int)minor;
	if (p < end && take_blanks(&p, end))
		return -EINVAL;         /* the inode runs into other text */
	m.name = p;
	m.namelen = (size_t)(end - p);
	m.deleted = m.namelen >= strlen(DELETED_SUFFIX) &&
		memcmp(end - strlen(DELETED_SUFFIX), DELETED_SUFFIX, strlen(DELETED_SUFFIX)) == 0;
	*ml = m;
	if (!attach_devs_has(devs, m.dev_major, m.dev_minor) || !sysv_name(&m))
		return 0;
	return m.inode > INT_MAX ? -ERANGE : 1;
}

int attach_next_line(const char **p, const char *end, const struct attach_devs *devs,
		     struct maps_line *ml)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t len = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	int rc = attach_parse_maps_line(*p, len, devs, ml);

	*p += nl ? len + 1 : len;
	return rc;
}

int attach_next_maps_line(const char **p, const char *end, struct maps_line *ml)
{
	return attach_next_line(p, end, NULL, ml);
}

int attach_huge_shift(const char *name)
{
	const char *p = name + strlen("hugepages-"), *end;
	uint64_t kb;
	int shift = 10;

	if (strncmp(name, "hugepages-", strlen("hugepages-")) != 0)
		return -EINVAL;
	end = p + strlen(p);
	if (end - p < 3 || strcmp(end - 2, "kB") != 0)
		return -EINVAL;
	end -= 2;
	if (take_number(&p, end, 10, &kb) || p != end || kb == 0 || (kb & (kb - 1)))
		return -EINVAL;
	for (; kb > 1; kb >>= 1)
		shift++;
	return shift < 64 ? shift : -EINVAL;  /* 6 bits in the flags of mmap */
}

/* ---- the table (pure) ---- */

static unsigned int access_of(const char *perms)
{
	if (perms[1] == 'w')
		return ATTACH_RW;
	if (perms[0] == 'r')
		return ATTACH_RO;
	return ATTACH_NONE;
}

int attach_add_maps(struct attach_table *t, pid_t pid, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	int added = 0;

	while (p < end) {
		struct maps_line ml;
		struct attach_map m;

		if (attach_next_line(&p, end, &t->devs, &ml) != 1)
			continue;
		m = (struct attach_map){
			.shmid = (int)ml.inode, .pid = pid,
			.start = ml.start, .end = ml.end, .offset = ml.offset,
			.access = access_of(ml.perms),
		};
		if (ARRAY_PUSH(t->maps, t->nmaps, t->capmaps, m))
			return -ENOMEM;
		added++;
	}
	return added;
}

static int cmp_map(const void *a, const void *b)
{
	const struct attach_map *x = a, *y = b;

	if (x->shmid != y->shmid)
		return x->shmid < y->shmid ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

int attach_table_index(struct attach_table *t)
{
	size_t np = 0, ns = 0;

	if (t->nmaps)
		qsort(t->maps, t->nmaps, sizeof(t->maps[0]), cmp_map);
	/* sizes first, so the arrays never move once pointed into */
	for (size_t i = 0; i < t->nmaps; i++) {
		if (i == 0 || t->maps[i].shmid != t->maps[i - 1].shmid) {
			ns++;
			np++;
		} else if (t->maps[i].pid != t->maps[i - 1].pid) {
			np++;
		}
	}
	free(t->procs);
	free(t->segs);
	t->procs = calloc(np ? np : 1, sizeof(*t->procs));
	t->segs = calloc(ns ? ns : 1, sizeof(*t->segs));
	if (!t->procs || !t->segs)
		return -ENOMEM;
	t->nprocs = t->nsegs = 0;
	for (size_t i = 0; i < t->nmaps; i++) {
		const struct attach_map *m = &t->maps[i];
		bool new_seg = i == 0 || m->shmid != t->maps[i - 1].shmid;
		struct attach_seg *s;
		struct attach_proc *p;

		if (new_seg) {
			s = &t->segs[t->nsegs++];
			s->shmid = m->shmid;
			s->procs = &t->procs[t->nprocs];
		}
		s = &t->segs[t->nsegs - 1];
		if (new_seg || m->pid != t->maps[i - 1].pid) {
			p = &t->procs[t->nprocs++];
			p->pid = m->pid;
			p->maps = m;
			s->nprocs++;
		}
		p = &t->procs[t->nprocs - 1];
		p->nmaps++;
		p->access |= m->access;
		s->mappings++;
	}
	return 0;
}

void attach_table_free(struct attach_table *t)
{
	free(t->maps);
	free(t->procs);
	free(t->segs);
	*t = (struct attach_table){ 0 };
}

const struct attach_seg *attach_find(const struct attach_table *t, int shmid)
{
	size_t lo = 0, hi = t->nsegs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->segs[mid].shmid == shmid)
			return &t->segs[mid];
		if (t->segs[mid].shmid < shmid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool attach_is_partial(const struct attach_seg *s, uint64_t nattch)
{
	return (s ? s->mappings : 0) < nattch;
}

/* ---- formatting (pure) ---- */

void attach_buf_free(struct attach_buf *b)
{
	free(b->p);
	*b = (struct attach_buf){ 0 };
}

/* Room for size bytes in all (256 at least). */
static int buf_grow(struct attach_buf *b, size_t size)
{
	return ARRAY_RESERVE(b->p, b->cap, size < 256 ? 256 : size);
}

int attach_buf_reserve(struct attach_buf *b, size_t size)
{
	if (buf_grow(b, size ? size : 1))
		return -ENOMEM;
	b->len = 0;
	b->p[0] = '\0';
	return 0;
}

int attach_buf_add(struct attach_buf *b, const char *s, size_t len)
{
	if (buf_grow(b, b->len + len + 1))
		return -ENOMEM;
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
	return 0;
}

static int buf_addf(struct attach_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int buf_addf(struct attach_buf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	return attach_buf_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static int buf_reset(struct attach_buf *b)
{
	b->len = 0;
	return attach_buf_add(b, "", 0);
}

int attach_format_attached(const struct attach_seg *s, bool partial, char sep,
			   const char *(*name)(void *ctx, pid_t pid), void *ctx,
			   struct attach_buf *b)
{
	size_t n = s ? s->nprocs : 0;
	int rc = buf_reset(b);

	for (size_t i = 0; !rc && i < n; i++) {
		const char *nm = name ? name(ctx, s->procs[i].pid) : NULL;

		rc = i ? attach_buf_add(b, &sep, 1) : 0;
		if (!rc)
			rc = buf_addf(b, "%d", (int)s->procs[i].pid);
		if (!rc && nm)
			rc = buf_addf(b, "(%s)", nm);
	}
	if (!rc && n && partial)
		rc = attach_buf_add(b, &sep, 1);
	if (!rc && partial)
		rc = attach_buf_add(b, "...", 3);
	return rc;
}

int attach_format_ranges(const struct attach_proc *p, struct attach_buf *b)
{
	int rc = buf_reset(b);

	for (size_t i = 0; !rc && i < p->nmaps;) {
		const struct attach_map *m = &p->maps[i];
		uint64_t end = m->end, off = m->offset + (m->end - m->start);

		for (i++; i < p->nmaps && p->maps[i].start == end && p->maps[i].offset == off; i++) {
			off += p->maps[i].end - p->maps[i].start;
			end = p->maps[i].end;
		}
		rc = buf_addf(b, "%s%" PRIx64 "-%" PRIx64, b->len ? "," : "", m->start, end);
	}
	return rc;
}

const char *attach_access_text(unsigned int access)
{
	static const char *const text[8] = {
		[0] = "",
		[ATTACH_RW] = "rw",
		[ATTACH_RO] = "ro",
		[ATTACH_NONE] = "none",
		[ATTACH_RW | ATTACH_RO] = "rw,ro",
		[ATTACH_RW | ATTACH_NONE] = "rw,none",
		[ATTACH_RO | ATTACH_NONE] = "ro,none",
		[ATTACH_RW | ATTACH_RO | ATTACH_NONE] = "rw,ro,none",
	};

	return text[access & 7];
}

/* ---- the devices of segments (system layer) ---- */

#ifndef MFD_HUGETLB
# define MFD_HUGETLB 4U
#endif
#define HUGE_SHIFT 26   /* MFD_HUGE_SHIFT and MAP_HUGE_SHIFT */
#define HUGEPAGES_DIR "/sys/kernel/mm/hugepages"

/* The device of a new memory file, memfd_create(flags). */
static int memfd_dev(unsigned int flags, struct attach_dev *dev)
{
	struct stat st;
	int fd = memfd_create("shmtool", MFD_CLOEXEC | flags), rc = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		rc = -errno;
	else
		*dev = (struct attach_dev){ major(st.st_dev), minor(st.st_dev) };
	close(fd);
	return rc;
}

/* The device of the line of our own maps that starts at addr. */
static int own_mapping_dev(uintptr_t addr, struct attach_dev *dev)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (rc == -ENOENT && (n = getline(&line, &cap, f)) > 0) {
		struct maps_line ml;

		if (attach_parse_maps_line(line, (size_t)n, NULL, &ml) == 0 && ml.start == addr) {
			*dev = (struct attach_dev){ ml.dev_major, ml.dev_minor };
			rc = 0;
		}
	}
	free(line);
	fclose(f);
	return rc;
}

/* The same without memfd_create (a seccomp filter, an old kernel): a
 * shared anonymous mapping is a file of the same mount, as the kernel
 * sets it up (nothing reserved, never touched). */
static int mapping_dev(int flags, size_t len, struct attach_dev *dev)
{
	void *a = mmap(NULL, len, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE | flags,
		       -1, 0);
	int rc;

	if (a == MAP_FAILED)
		return -errno;
	rc = own_mapping_dev((uintptr_t)a, dev);
	munmap(a, len);
	return rc;
}

/* The device of the memory of one kind: 0 for the shm mount, or the
 * log2 of a huge page size. */
static int kind_dev(int shift, struct attach_dev *dev)
{
	size_t len;
	int rc;

	if (shift > 40 || shift >= (int)sizeof(size_t) * 8 - 1)
		return -EINVAL; /* not worth the address space */
	len = shift ? (size_t)1 << shift : (size_t)sysconf(_SC_PAGESIZE);
	rc = memfd_dev(shift ? MFD_HUGETLB | (unsigned int)shift << HUGE_SHIFT : 0, dev);
	if (rc)
		rc = mapping_dev(shift ? MAP_HUGETLB | shift << HUGE_SHIFT : 0, len, dev) ? rc : 0;
	return rc;
}

/* One device per huge page size the kernel has. A size whose device
 * cannot be learned is left out: its segments' attachments are then
 * not found, and show as partial. */
static void add_huge_devs(struct attach_devs *d)
{
	DIR *dir = opendir(HUGEPAGES_DIR);
	struct dirent *e;

	if (!dir)
		return;         /* no hugetlbfs */
	while ((e = readdir(dir)) != NULL) {
		struct attach_dev dev = { 0 };
		int shift = attach_huge_shift(e->d_name);

		if (shift > 0 && kind_dev(shift, &dev) == 0)
			attach_devs_add(d, dev.major, dev.minor);
	}
	closedir(dir);
}

int attach_learn_devs(struct attach_devs *d)
{
	struct attach_dev dev = { 0 };
	int rc = kind_dev(0, &dev);

	d->n = 0;
	if (rc)
		return rc;
	attach_devs_add(d, dev.major, dev.minor);
	add_huge_devs(d);
	return 0;
}

/* ---- the /proc scan (system layer) ---- */

/* What the walk needs besides the table. */
struct scan_ctx {
	struct attach_table *t;
	struct stat self_ns;
	pid_t pid;              /* the process whose maps are read */
};

/* A chunk of a process's maps into the table. */
static int add_maps_lines(const char *buf, size_t len, void *arg)
{
	struct scan_ctx *c = arg;
	int rc = attach_add_maps(c->t, c->pid, buf, len);

	return rc < 0 ? rc : 0;
}

/* One process: 0 (done or skipped), or -ENOMEM. Its namespace and maps
 * come from a thread that still runs when its leader ended. */
static int scan_pid(struct proc_walk *w, void *arg)
{
	struct scan_ctx *c = arg;
	struct stat ns;
	ssize_t n;
	int rc;

	rc = proc_walk_stat_live(w, "ns/ipc", &ns);
	if (rc)
		return rc == -ENOMEM ? rc : 0;
	if (ns.st_ino != c->self_ns.st_ino || ns.st_dev != c->self_ns.st_dev)
		return 0;               /* its shmids name other segments */
	c->pid = w->pid;
	n = proc_walk_maps(w, add_maps_lines, c);
	if (n < 0)
		return n == -ENOMEM ? -ENOMEM : 0;
	c->t->scanned++;
	return 0;
}

int attach_scan(struct attach_table *t)
{
	struct scan_ctx c = { .t = t };
	struct proc_walk_stats st;
	int rc;

	if (stat("/proc/self/ns/ipc", &c.self_ns))
		return -errno;
	t->ns = c.self_ns.st_ino;
	rc = proc_walk(scan_pid, &c, &st);
	t->denied += st.denied;
	return rc ? rc : attach_table_index(t);
}

int attach_scan_or_warn(struct attach_table *t)
{
	int rc = attach_learn_devs(&t->devs);

	/* without the devices no mapping can be told from a fake one */
	if (rc) {
		warnx("cannot find the device of System V shared memory: %s", strerror(-rc));
		return rc;
	}
	rc = attach_scan(t);
	if (rc) {
		warnx("cannot scan /proc for attached processes: %s", strerror(-rc));
		attach_table_free(t);
	}
	return rc;
}

bool attach_settle_partial(const struct attach_table *t, struct shm_segment *segs, size_t n)
{
	bool moved = false;

	for (size_t i = 0; i < n; i++) {
		struct shm_segment *s = &segs[i], now;

		if (!attach_is_partial(attach_find(t, s->id), s->nattch) || sysv_stat(s->id, &now))
			continue;
		if (now.nattch < s->nattch)
			s->nattch = now.nattch;
		if (!attach_is_partial(attach_find(t, s->id), s->nattch))
			continue;
		if (now.lpid != s->lpid || now.atime != s->atime || now.dtime != s->dtime) {
			s->nattch = now.nattch;
			s->lpid = now.lpid;
			s->atime = now.atime;
			s->dtime = now.dtime;
			moved = true;
		}
	}
	return moved;
}

/* Say once on stderr when the attached processes of some of segs are
 * partial. */
static void warn_partial(const struct attach_table *t, const struct shm_segment *segs,
			 size_t n)
{
	size_t partial = 0;

	for (size_t i = 0; i < n; i++)
		if (attach_is_partial(attach_find(t, segs[i].id), segs[i].nattch))
			partial++;
	if (!partial)
		return;
	if (t->denied)
		warnx("cannot inspect %lu process%s (permission denied): "
		      "attached processes of %zu segment%s are partial",
		      t->denied, t->denied == 1 ? "" : "es", partial, partial == 1 ? "" : "s");
	else
		warnx("some attachments are in processes not visible here: "
		      "attached processes of %zu segment%s are partial",
		      partial, partial == 1 ? "" : "s");
}

const struct attach_table *attach_scan_segments(struct attach_table *t,
						  struct shm_segment *segs, size_t n)
{
	for (int round = 0;; round++) {
		if (attach_scan_or_warn(t))
			return NULL;
		if (!attach_settle_partial(t, segs, n) || round == ATTACH_RESCANS)
			break;
		attach_table_free(t);
	}
	warn_partial(t, segs, n);
	return t;
}
