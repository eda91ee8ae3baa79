/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/cgroup.h"
#include "core/ipcns.h"
#include "core/limits.h"
#include "core/orphan.h"
#include "core/posix-shm.h"
#include "out/columns.h"
#include "out/format.h"

const struct column_info column_table[COL_COUNT] = {
	[COL_KEY]     = { "KEY",     10, 0,                KIND_STRING, SCOPE_ALL, "key (0x00000000 for private and removed segments)" },
	[COL_ID]      = { "ID",      6,  SCOLS_FL_RIGHT,   KIND_NUMBER, SCOPE_ALL, "segment id (shmid)" },
	[COL_OWNER]   = { "OWNER",   8,  0,                KIND_STRING, SCOPE_ALL, "owner's user name" },
	[COL_PERMS]   = { "PERMS",   9,  0,                KIND_STRING, SCOPE_ALL, "permissions" },
	[COL_SIZE]    = { "SIZE",    5,  SCOLS_FL_RIGHT,   KIND_SIZE,   SCOPE_ALL, "size in bytes" },
	[COL_NATTCH]  = { "NATTCH",  6,  SCOLS_FL_RIGHT,   KIND_NUMBER, SCOPE_ALL, "number of attachments (mappings)" },
	[COL_STATUS]  = { "STATUS",  6,  0,                KIND_STRING, SCOPE_ALL, "dest (removed, destroyed at last detach), locked" },
	[COL_CTIME]   = { "CTIME",   5,  0,                KIND_TIME,   SCOPE_ALL, "time of creation or last change" },
	[COL_ATIME]   = { "ATIME",   5,  0,                KIND_TIME,   SCOPE_ALL, "time of last attach", "ATTACH" },
	[COL_DTIME]   = { "DTIME",   5,  0,                KIND_TIME,   SCOPE_ALL, "time of last detach", "DETACH" },
	[COL_CPID]    = { "CPID",    6,  SCOLS_FL_RIGHT,   KIND_NUMBER, SCOPE_ALL, "creator's pid" },
	[COL_LPID]    = { "LPID",    6,  SCOLS_FL_RIGHT,   KIND_NUMBER, SCOPE_ALL, "pid of last attach or detach" },
	[COL_COMMAND] = { "COMMAND", 0.2, SCOLS_FL_TRUNC,  KIND_STRING, SCOPE_ALL, "creator's command line, if the creator still runs" },
	[COL_UID]     = { "UID",     6,  SCOLS_FL_RIGHT,   KIND_NUMBER, SCOPE_ALL, "owner's user id" },
	[COL_USER]    = { "USER",    8,  0,                KIND_STRING, SCOPE_ALL, "owner's user name" },
	[COL_GID]     = { "GID",     6,  SCOLS_FL_RIGHT,   KIND_NUMBER, SCOPE_ALL, "owner's group id" },
	[COL_GROUP]   = { "GROUP",   8,  0,                KIND_STRING, SCOPE_ALL, "owner's group name" },
	[COL_CUID]    = { "CUID",    6,  SCOLS_FL_RIGHT,   KIND_NUMBER, SCOPE_ALL, "creator's user id" },
	[COL_CUSER]   = { "CUSER",   8,  0,                KIND_STRING, SCOPE_ALL, "creator's user name" },
	[COL_CGID]    = { "CGID",    6,  SCOLS_FL_RIGHT,   KIND_NUMBER, SCOPE_ALL, "creator's group id" },
	[COL_CGROUP]  = { "CGROUP",  8,  0,                KIND_STRING, SCOPE_ALL, "creator's group name" },
	[COL_RSS]     = { "RSS",     5,  SCOLS_FL_RIGHT,   KIND_SIZE,   SCOPE_ALL, "resident bytes" },
	[COL_SWAP]    = { "SWAP",    5,  SCOLS_FL_RIGHT,   KIND_SIZE,   SCOPE_ALL, "swapped-out bytes" },
	[COL_AGE]     = { "AGE",     4,  SCOLS_FL_RIGHT,   KIND_SECONDS, SCOPE_ALL, "time since the last detach; never detached: since creation or the last chmod/chown (ctime)" },
	[COL_PIDS]    = { "PIDS",    0.1, SCOLS_FL_TRUNC,  KIND_NUMBERS, SCOPE_ALL, "pids of the attached processes (,... when partial)" },
	[COL_NPROCS]  = { "NPROCS",  6,  SCOLS_FL_RIGHT,   KIND_NUMBER, SCOPE_ALL, "number of attached processes (N+ when partial)" },
	[COL_ATTACHED] = { "ATTACHED", 0.2, SCOLS_FL_TRUNC, KIND_STRINGS, SCOPE_ALL, "attached processes as pid(name) (,... when partial)" },
	[COL_PARTIAL] = { "PARTIAL",  3, 0,   KIND_BOOL,   SCOPE_ALL, "yes when PIDS, NPROCS, ATTACHED and the owner columns (CGPATH...) may miss processes" },
	[COL_LCOMMAND] = { "LCOMMAND", 0.2, SCOLS_FL_TRUNC, KIND_STRING, SCOPE_ALL, "last attacher's command line, if it still runs" },
	[COL_CGPATH]  = { "CGPATH",  0.2, SCOLS_FL_TRUNC, KIND_STRINGS, SCOPE_ALL, "cgroup v2 path of the creator while it runs, else of the attached processes" },
	[COL_UNIT]    = { "UNIT",    0.1, SCOLS_FL_TRUNC, KIND_STRINGS, SCOPE_ALL, "systemd unit of those cgroups (service or scope)" },
	[COL_CONTAINER] = { "CONTAINER", 0.1, SCOLS_FL_TRUNC, KIND_STRINGS, SCOPE_ALL, "container of those cgroups, as runtime://id (docker, podman, containerd, cri-o)" },
	[COL_POD]     = { "POD",     0.1, SCOLS_FL_TRUNC, KIND_STRINGS, SCOPE_ALL, "Kubernetes pod UID of those cgroups" },
	[COL_IPCNS]   = { "NS",      10, SCOLS_FL_RIGHT, KIND_NUMBER, SCOPE_ALL, "IPC namespace inode, as in ipc:[inode] (list)" },
	[COL_ACTION]  = { "ACTION",  8,  0,                KIND_STRING, SCOPE_GC, "what gc did: removed, would remove, skipped, failed" },
	[COL_REASON]  = { "REASON",  10, 0,                KIND_STRING, SCOPE_GC, "why gc skipped or failed" },
	[COL_NS_NS]       = { "NS",       10, SCOLS_FL_RIGHT, KIND_NUMBER, SCOPE_NS, "namespace inode, as in ipc:[inode] of /proc/PID/ns/ipc" },
	[COL_NS_SEGMENTS] = { "SEGMENTS", 8,  SCOLS_FL_RIGHT, KIND_NUMBER, SCOPE_NS, "segments in it" },
	[COL_NS_SIZE]     = { "SIZE",     5,  SCOLS_FL_RIGHT, KIND_SIZE,   SCOPE_NS, "bytes in its segments" },
	[COL_NS_ORPHANS]  = { "ORPHANS",  7,  SCOLS_FL_RIGHT, KIND_NUMBER, SCOPE_NS, "segments nobody is attached to (and not removed)" },
	[COL_NS_ORPHANSIZE] = { "ORPHANSIZE", 5, SCOLS_FL_RIGHT, KIND_SIZE, SCOPE_NS, "bytes in its orphaned segments" },
	[COL_NS_NPROCS]   = { "NPROCS",   6,  SCOLS_FL_RIGHT, KIND_NUMBER, SCOPE_NS, "processes in it" },
	[COL_NS_PID]      = { "PID",      6,  SCOLS_FL_RIGHT, KIND_NUMBER, SCOPE_NS, "its oldest process (give it to --ipc-ns)" },
	[COL_NS_COMMAND]  = { "COMMAND",  0.2, SCOLS_FL_TRUNC, KIND_STRING, SCOPE_NS, "that process's command line" },
	[COL_NS_CGPATH]   = { "CGPATH",   0.2, SCOLS_FL_TRUNC, KIND_STRING, SCOPE_NS, "cgroup v2 path of that process" },
	[COL_NS_UNIT]     = { "UNIT",     0.1, SCOLS_FL_TRUNC, KIND_STRING, SCOPE_NS, "its systemd unit" },
	[COL_NS_CONTAINER] = { "CONTAINER", 0.1, SCOLS_FL_TRUNC, KIND_STRING, SCOPE_NS, "its container, as runtime://id" },
	[COL_NS_POD]      = { "POD",      0.1, SCOLS_FL_TRUNC, KIND_STRING, SCOPE_NS, "its Kubernetes pod UID" },
	[COL_PX_NAME]     = { "NAME",     0.3, SCOLS_FL_TRUNC, KIND_STRING, SCOPE_POSIX, "object name, its file in /dev/shm" },
	[COL_PX_SIZE]     = { "SIZE",     5,  SCOLS_FL_RIGHT, KIND_SIZE,   SCOPE_POSIX, "size in bytes" },
	[COL_PX_OWNER]    = { "OWNER",    8,  0,              KIND_STRING, SCOPE_POSIX, "owner's user name" },
	[COL_PX_PERMS]    = { "PERMS",    9,  0,              KIND_STRING, SCOPE_POSIX, "permissions" },
	[COL_PX_MTIME]    = { "MTIME",    5,  0,              KIND_TIME,   SCOPE_POSIX, "time of last change" },
	[COL_PX_USE]      = { "USE",      6,  0,              KIND_STRING, SCOPE_POSIX, "mapped, open, mapped,open or unused" },
	[COL_PX_NPROCS]   = { "NPROCS",   6,  SCOLS_FL_RIGHT, KIND_NUMBER, SCOPE_POSIX, "processes that map it or hold it open" },
	[COL_PX_CGPATH]   = { "CGPATH",   0.2, SCOLS_FL_TRUNC, KIND_STRINGS, SCOPE_LIST_POSIX, "cgroup v2 paths of the processes that map it or hold it open" },
	[COL_PX_UNIT]     = { "UNIT",     0.1, SCOLS_FL_TRUNC, KIND_STRINGS, SCOPE_LIST_POSIX, "systemd units of those cgroups (service or scope)" },
	[COL_PX_CONTAINER] = { "CONTAINER", 0.1, SCOLS_FL_TRUNC, KIND_STRINGS, SCOPE_LIST_POSIX, "containers of those cgroups, as runtime://id" },
	[COL_PX_POD]      = { "POD",      0.1, SCOLS_FL_TRUNC, KIND_STRINGS, SCOPE_LIST_POSIX, "Kubernetes pod UIDs of those cgroups" },
	[COL_PX_NS]       = { "NS",       10, SCOLS_FL_RIGHT, KIND_NUMBER, SCOPE_LIST_POSIX, "mount namespace inode, as in mnt:[inode], whose /dev/shm holds it (list -A)" },
	[COL_PX_PID]      = { "PID",      6,  SCOLS_FL_RIGHT, KIND_NUMBER, SCOPE_LIST_POSIX, "lowest pid of that namespace (give it to --ipc-ns; list -A)" },
	[COL_LIM_RESOURCE]    = { "RESOURCE", 8, 0, KIND_STRING, SCOPE_LIMITS, "the limit's name, as lsipc -g gives it" },
	[COL_LIM_DESCRIPTION] = { "DESCRIPTION", 0.3, SCOLS_FL_TRUNC, KIND_STRING, SCOPE_LIMITS, "what it limits" },
	[COL_LIM_LIMIT]       = { "LIMIT",    6, SCOLS_FL_RIGHT, KIND_NUMBER, SCOPE_LIMITS, "the limit, in UNIT (bytes for people unless --bytes)" },
	[COL_LIM_USED]        = { "USED",     6, SCOLS_FL_RIGHT, KIND_NUMBER, SCOPE_LIMITS, "what is used of it, in UNIT" },
	[COL_LIM_USE]         = { "USE%",     6, SCOLS_FL_RIGHT, KIND_PERCENT, SCOPE_LIMITS, "USED over LIMIT" },
	[COL_LIM_UNIT]        = { "UNIT",     8, 0, KIND_STRING, SCOPE_LIMITS, "segments, pages, bytes, files, flag or id" },
	[COL_LIM_LIMIT_BYTES] = { "LIMIT-BYTES", 6, SCOLS_FL_RIGHT, KIND_SIZE, SCOPE_LIMITS, "the limit in bytes (pages times the page size)" },
	[COL_LIM_USED_BYTES]  = { "USED-BYTES", 6, SCOLS_FL_RIGHT, KIND_SIZE, SCOPE_LIMITS, "what is used in bytes" },
};

bool column_in_scope(int col, enum column_scope scope)
{
	enum column_scope s = column_table[col].scope;

	if (scope == SCOPE_GC_POSIX)
		return s == SCOPE_POSIX || s == SCOPE_GC;
	if (scope == SCOPE_POSIX)
		return s == SCOPE_POSIX || s == SCOPE_LIST_POSIX;
	return s == scope || (s == SCOPE_ALL && (scope == SCOPE_ALL || scope == SCOPE_GC));
}

int column_by_name(const char *name, size_t len, enum column_scope scope)
{
	for (int i = 0; i < COL_COUNT; i++) {
		const char *alias = column_table[i].alias;

		if (!column_in_scope(i, scope))
			continue;
		if (strlen(column_table[i].name) == len &&
		    strncasecmp(column_table[i].name, name, len) == 0)
			return i;
		if (alias && strlen(alias) == len && strncasecmp(alias, name, len) == 0)
			return i;
	}
	return -1;
}

bool column_is_owner(int col)
{
	return col == COL_CGPATH || col == COL_UNIT || col == COL_CONTAINER || col == COL_POD;
}

bool column_is_posix_owner(int col)
{
	return col == COL_PX_CGPATH || col == COL_PX_UNIT || col == COL_PX_CONTAINER ||
		col == COL_PX_POD;
}

bool column_needs_attach(int col)
{
	return col == COL_PIDS || col == COL_NPROCS || col == COL_ATTACHED ||
		col == COL_PARTIAL || column_is_owner(col);
}

bool column_needs_memory(int col)
{
	return col == COL_RSS || col == COL_SWAP;
}

bool column_needs_posix_use(int col)
{
	return col == COL_PX_USE || col == COL_PX_NPROCS || column_is_posix_owner(col);
}

bool columns_any(bool (*pred)(int col), const struct column_list *cols)
{
	for (size_t i = 0; i < cols->n; i++)
		if (pred(cols->ids[i]))
			return true;
	return false;
}

bool columns_have(const struct column_list *cols, int col)
{
	for (size_t i = 0; i < cols->n; i++)
		if (cols->ids[i] == col)
			return true;
	return false;
}

int columns_parse(const char *spec, const struct column_list *defaults,
		  enum column_scope scope, struct column_list *out,
		  const char **bad, size_t *badlen)
{
	const char *p = spec;

	out->n = 0;
	if (*p == '+') {
		*out = *defaults;
		p++;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		int id = column_by_name(p, len, scope);

		if (id < 0) {
			*bad = p;
			*badlen = len;
			return -EINVAL;
		}
		if (out->n == MAX_COLUMNS)
			return -E2BIG;
		out->ids[out->n++] = id;
		if (!p[len])
			break;
		p += len + 1;
	}
	return 0;
}

static const char *render_number(uint64_t v, char *buf)
{
	fmt_u64(buf, v);
	return buf;
}

static const char *render_size(uint64_t v, bool known, const struct render_opts *ro,
			       char *buf, size_t sz)
{
	if (!known)
		return NULL;
	if (ro->bytes || ro->json)
		return render_number(v, buf);
	fmt_size_human(buf, sz, v);
	return buf;
}

/* A text cell: s (exact, as read from the system) in the form of this
 * output (text_form()), in buf or, when longer, in ro->scratch. */
static const char *render_text(const char *s, const struct render_opts *ro, char *buf,
			       size_t sz)
{
	size_t len, need;

	if (!s || text_form_keeps(ro->text, s, len = strlen(s)))
		return s;
	need = text_form_size(ro->text, len);
	if (need > sz && ro->scratch && attach_buf_reserve(ro->scratch, need) == 0) {
		ro->scratch->len = text_form(ro->text, s, len, ro->scratch->p);
		return ro->scratch->p;
	}
	return text_shown(ro->text, s, buf, sz);
}

/* The names of ATTACHED, each in the form of the output: the cell is
 * built in ro->scratch, a name in `buf` (comm is at most 64 bytes). */
struct comm_ctx {
	const struct render_opts *ro;
	char buf[4 * 64 + 1];
};

static const char *comm_of(void *ctx, pid_t pid)
{
	struct comm_ctx *c = ctx;
	const char *comm = names_comm(c->ro->names, pid);

	return comm ? text_shown(c->ro->text, comm, c->buf, sizeof(c->buf)) : NULL;
}

/* The scan of attached processes that covers s: that of its namespace
 * when the rows are of several; NULL when none ran. */
static const struct attach_table *attach_of(const struct render_opts *ro,
					    const struct shm_segment *s)
{
	for (size_t i = 0; i < ro->nattach_ns; i++)
		if (ro->attach_ns[i].ns == s->ipcns)
			return &ro->attach_ns[i];
	return ro->nattach_ns ? NULL : ro->attach;
}

/* The attach columns: NULL when the scan did not run. */
static const char *render_attach(int col, const struct shm_segment *s,
				 const struct render_opts *ro, char *buf, size_t sz)
{
	const struct attach_seg *as;
	struct comm_ctx names = { .ro = ro };
	char sep = ro->list_sep ? ro->list_sep : ',';
	bool partial;
	int rc = 0;

	if (!attach_of(ro, s) || !ro->scratch)
		return NULL;
	as = attach_find(attach_of(ro, s), s->id);
	partial = attach_is_partial(as, s->nattch);
	switch (col) {
	/* JSON: PARTIAL says it is partial */
	case COL_PIDS:
		rc = attach_format_attached(as, partial && !ro->json, sep, NULL, NULL, ro->scratch);
		break;
	case COL_ATTACHED:
		rc = attach_format_attached(as, partial && !ro->json, sep, comm_of, &names,
					    ro->scratch);
		break;
	case COL_NPROCS:
		/* JSON keeps a number: PARTIAL says it is partial */
		snprintf(buf, sz, "%zu%s", as ? as->nprocs : 0, partial && !ro->json ? "+" : "");
		return buf;
	case COL_PARTIAL:
		return partial ? "yes" : "no";
	}
	return rc ? NULL : ro->scratch->p;
}

const char *column_owner_value(int col, const char *path, char *buf, size_t sz)
{
	struct cgroup_container c;

	switch (col) {
	case COL_CGPATH:
	case COL_NS_CGPATH:
	case COL_PX_CGPATH:
		return path;
	case COL_UNIT:
	case COL_NS_UNIT:
	case COL_PX_UNIT:
		return cgroup_unit(path, buf, sz) ? buf : NULL;
	case COL_CONTAINER:
	case COL_NS_CONTAINER:
	case COL_PX_CONTAINER:
		if (!cgroup_container(path, &c))
			return NULL;
		snprintf(buf, sz, "%s%s%s", c.runtime, *c.runtime ? "://" : "", c.id);
		return buf;
	case COL_POD:
	case COL_NS_POD:
	case COL_PX_POD:
		return sz > CGROUP_POD_LEN && cgroup_pod(path, buf) ? buf : NULL;
	}
	return NULL;
}

/* The processes whose cgroups tell who owns a row: one creator, or
 * the attached processes of a segment, or those that use an object. */
struct owner_procs {
	pid_t creator;                  /* > 0: this one alone */
	const struct attach_seg *as;
	const struct posix_obj *obj;
	size_t n;
};

static pid_t owner_pid(const struct owner_procs *op, size_t i)
{
	if (op->creator > 0)
		return op->creator;
	return op->as ? op->as->procs[i].pid : op->obj->holders[i].pid;
}

/* Those of s: its creator while it runs, else the attached ones that
 * the scan found. */
static struct owner_procs seg_owners(const struct shm_segment *s, const struct render_opts *ro)
{
	struct owner_procs op = { 0 };

	if (names_process(ro->names, s->cpid, seg_creator_by(s)) == PROC_SAME) {
		op.creator = s->cpid;
		op.n = 1;
		return op;
	}
	op.as = attach_of(ro, s) ? attach_find(attach_of(ro, s), s->id) : NULL;
	op.n = op.as ? op.as->nprocs : 0;
	return op;
}

/* The exact value of owner column col for the i-th of those processes,
 * in value (sz bytes), or NULL. */
static const char *owner_of(int col, const struct owner_procs *op, size_t i,
			    const struct render_opts *ro, char *value, size_t sz)
{
	const char *path = names_cgroup(ro->names, owner_pid(op, i));

	return path ? column_owner_value(col, path, value, sz) : NULL;
}

/* Whether the i-th process tells the same value as one before it. */
static bool owner_seen(int col, const struct owner_procs *op, size_t i,
		       const struct render_opts *ro, const char *v)
{
	for (size_t j = 0; j < i; j++) {
		char value[512];
		const char *w = owner_of(col, op, j, ro, value, sizeof(value));

		if (w && strcmp(v, w) == 0)
			return true;
	}
	return false;
}

/* An owner column: each value once, in the output's text form, in
 * ro->scratch (a comma in a value of a table as \x2c, so that the
 * items stay apart); NULL when no process tells one. */
static const char *render_owners(int col, const struct owner_procs *op,
				 const struct render_opts *ro)
{
	char sep = ro->list_sep ? ro->list_sep : ',';

	if (!ro->scratch || attach_buf_reserve(ro->scratch, 1))
		return NULL;
	for (size_t i = 0; i < op->n; i++) {
		char value[512], shown[4 * 4096 + 1];
		const char *v = owner_of(col, op, i, ro, value, sizeof(value));

		if (!v || owner_seen(col, op, i, ro, v))
			continue;
		v = text_shown(ro->text, v, shown, sizeof(shown));
		if (ro->scratch->len && attach_buf_add(ro->scratch, &sep, 1))
			return NULL;
		for (const char *p = v;;) {
			size_t len = strcspn(p, ",");

			if (attach_buf_add(ro->scratch, p, len))
				return NULL;
			if (!p[len])
				break;
			/* a comma of the value: escaped in a table, kept in JSON */
			if (attach_buf_add(ro->scratch, sep == ',' ? "\\x2c" : ",", sep == ',' ? 4 : 1))
				return NULL;
			p += len + 1;
		}
	}
	return ro->scratch->len ? ro->scratch->p : NULL;
}

/* Whether value (of COL_UNIT or COL_CONTAINER) is what want names: the
 * unit exactly; a container by a prefix of its id, or with "runtime://"
 * a prefix of the whole. */
static bool owner_is(int col, const char *value, const char *want)
{
	const char *id;

	if (col != COL_CONTAINER)
		return strcmp(value, want) == 0;
	id = strstr(value, "://");
	if (!strstr(want, "://") && id)
		value = id + 3;
	return strncmp(value, want, strlen(want)) == 0;
}

bool column_owner_matches(int col, const struct shm_segment *s, const struct render_opts *ro,
			  const char *want, bool *told)
{
	struct owner_procs op = seg_owners(s, ro);

	*told = false;
	for (size_t i = 0; i < op.n; i++) {
		char value[512];
		const char *v;

		if (!names_cgroup(ro->names, owner_pid(&op, i)))
			continue;
		*told = true;
		v = owner_of(col, &op, i, ro, value, sizeof(value));
		if (v && owner_is(col, v, want))
			return true;
	}
	return false;
}

/* For sorting: the first value of an owner column, or NULL. */
static const char *first_owner(int col, const struct shm_segment *s,
			       const struct render_opts *ro, char *value, size_t sz)
{
	struct owner_procs op = seg_owners(s, ro);
	const char *v = NULL;

	for (size_t i = 0; i < op.n && !v; i++)
		v = owner_of(col, &op, i, ro, value, sz);
	return v;
}

static const char *render_seconds(int64_t secs, const struct render_opts *ro, char *buf,
				  size_t sz)
{
	if (ro->json)
		return render_number((uint64_t)secs, buf);
	fmt_duration(buf, sz, secs);
	return buf;
}

static const char *render_time(int64_t t, const struct render_opts *ro, char *buf, size_t sz)
{
	if (ro->times)
		return fmt_time_cached(ro->times, buf, sz, t, ro->tfmt, ro->now);
	return fmt_time(buf, sz, t, ro->tfmt, ro->now);
}

/* The names a text column (OWNER, COMMAND...) shows, exact, as read from
 * the system (NULL: unknown); false for the other columns. */
static bool seg_text(int col, const struct shm_segment *s, const struct render_opts *ro,
		     const char **text)
{
	switch (col) {
	case COL_OWNER:
	case COL_USER:     *text = names_user(ro->names, s->uid); break;
	case COL_CUSER:    *text = names_user(ro->names, s->cuid); break;
	case COL_GROUP:    *text = names_group(ro->names, s->gid); break;
	case COL_CGROUP:   *text = names_group(ro->names, s->cgid); break;
	case COL_COMMAND:  *text = names_command(ro->names, s->cpid, seg_creator_by(s)); break;
	/* the last attacher ran at its last attach or detach */
	case COL_LCOMMAND: *text = names_command(ro->names, s->lpid,
						 s->atime > s->dtime ? s->atime : s->dtime); break;
	default:           return false;
	}
	return true;
}

/* The number behind any other column: what it sorts by and, formatted
 * by the column's kind, shows (KEY, PERMS and STATUS have formats of
 * their own); 0 for ACTION and REASON. */
static uint64_t seg_number(int col, const struct shm_segment *s, const struct render_opts *ro)
{
	switch (col) {
	case COL_KEY:    return seg_key_u32(s);
	case COL_ID:     return (uint64_t)s->id;
	case COL_IPCNS:  return s->ipcns;
	case COL_PERMS:  return s->mode & 0777;
	case COL_SIZE:   return s->size;
	case COL_NATTCH: return s->nattch;
	case COL_STATUS: return s->mode & 07000;
	case COL_CTIME:  return (uint64_t)s->ctime;
	case COL_ATIME:  return (uint64_t)s->atime;
	case COL_DTIME:  return (uint64_t)s->dtime;
	case COL_CPID:   return (uint64_t)s->cpid;
	case COL_LPID:   return (uint64_t)s->lpid;
	case COL_UID:    return s->uid;
	case COL_GID:    return s->gid;
	case COL_CUID:   return s->cuid;
	case COL_CGID:   return s->cgid;
	case COL_RSS:    return s->rss;
	case COL_SWAP:   return s->swap;
	case COL_AGE:    return (uint64_t)seg_idle_seconds(s, ro->now);
	}
	return 0;
}

const char *column_render(int col, const struct shm_segment *s, size_t row,
			  const struct render_opts *ro, char *buf, size_t sz)
{
	const char *text;
	uint64_t v;

	if (col < 0 || col > COL_REASON)
		return NULL;    /* not a column of segments */
	switch (col) {
	case COL_PIDS:
	case COL_NPROCS:
	case COL_ATTACHED:
	case COL_PARTIAL:
		return render_attach(col, s, ro, buf, sz);
	case COL_CGPATH:
	case COL_UNIT:
	case COL_CONTAINER:
	case COL_POD: {
		struct owner_procs op = seg_owners(s, ro);

		return render_owners(col, &op, ro);
	}
	case COL_KEY:
		fmt_key(buf, sz, s->key);
		return buf;
	case COL_IPCNS:
		return s->ipcns ? render_number(s->ipcns, buf) : NULL;
	case COL_PERMS:
		fmt_perms(buf, sz, s->mode, ro->numeric_perms);
		return buf;
	case COL_STATUS:
		fmt_status(buf, sz, s->mode);
		return buf;
	case COL_ACTION:
		return ro->action ? ro->action[row] : NULL;
	case COL_REASON:
		return ro->reason ? ro->reason[row] : NULL;
	}
	if (seg_text(col, s, ro, &text))
		return render_text(text, ro, buf, sz);
	v = seg_number(col, s, ro);
	switch (column_table[col].kind) {
	case KIND_SIZE:
		return render_size(v, col == COL_SIZE || s->has_memory, ro, buf, sz);
	case KIND_TIME:
		return render_time((int64_t)v, ro, buf, sz);
	case KIND_SECONDS:
		return render_seconds((int64_t)v, ro, buf, sz);
	default:
		return render_number(v, buf);
	}
}

const char *column_render_ns(int col, const struct ipcns_info *ns,
			     const struct render_opts *ro, char *buf, size_t sz)
{
	switch (col) {
	case COL_NS_NS:
		return render_number(ns->inode, buf);
	case COL_NS_SEGMENTS:
		return ns->counted ? render_number(ns->segments, buf) : NULL;
	case COL_NS_SIZE:
		return render_size(ns->bytes, ns->counted, ro, buf, sz);
	case COL_NS_ORPHANS:
		return ns->counted ? render_number(ns->orphans, buf) : NULL;
	case COL_NS_ORPHANSIZE:
		return render_size(ns->orphan_bytes, ns->counted, ro, buf, sz);
	case COL_NS_NPROCS:
		return render_number(ns->nprocs, buf);
	case COL_NS_PID:
		return render_number((uint64_t)ns->pid, buf);
	case COL_NS_COMMAND:
		return render_text(names_command(ro->names, ns->pid, ro->now), ro, buf, sz);
	case COL_NS_CGPATH:
	case COL_NS_UNIT:
	case COL_NS_CONTAINER:
	case COL_NS_POD: {
		const char *path = names_cgroup(ro->names, ns->pid);
		char value[512];
		const char *v = path ? column_owner_value(col, path, value, sizeof(value)) : NULL;

		v = render_text(v, ro, buf, sz);
		/* a value kept as it is would not outlive this block */
		if (v == value) {
			snprintf(buf, sz, "%s", value);
			v = buf;
		}
		return v;
	}
	}
	return NULL;
}

const char *column_render_posix(int col, const struct posix_obj *o,
				const struct render_opts *ro, char *buf, size_t sz)
{
	switch (col) {
	case COL_PX_NAME:
		return render_text(o->name, ro, buf, sz);
	case COL_PX_SIZE:
		return render_size(o->size, true, ro, buf, sz);
	case COL_PX_OWNER:
		return render_text(names_user(ro->names, o->uid), ro, buf, sz);
	case COL_PX_PERMS:
		fmt_perms(buf, sz, o->mode & 0777, ro->numeric_perms);
		return buf;
	case COL_PX_MTIME:
		return fmt_time(buf, sz, o->mtime, ro->tfmt, ro->now);
	case COL_PX_USE:
		return fmt_posix_use(o->use);
	case COL_PX_NPROCS:
		return render_number(o->nprocs, buf);
	case COL_PX_NS:
		return o->mntns ? render_number(o->mntns, buf) : NULL;
	case COL_PX_PID:
		return o->dir_pid ? render_number((uint64_t)o->dir_pid, buf) : NULL;
	case COL_PX_CGPATH:
	case COL_PX_UNIT:
	case COL_PX_CONTAINER:
	case COL_PX_POD: {
		struct owner_procs op = { .obj = o, .n = o->nholders };

		return render_owners(col, &op, ro);
	}
	}
	return NULL;
}

/* LIMIT or USED of a row: a number, or a size for people in a row of bytes */
static const char *render_amount(uint64_t v, bool known, const struct limit_row *r,
				 const struct render_opts *ro, char *buf, size_t sz)
{
	if (r->unit == LIMIT_BYTES)
		return render_size(v, known, ro, buf, sz);
	return known ? render_number(v, buf) : NULL;
}

/* In bytes: a row of pages times the page size, a row of bytes as it is. */
static const char *render_bytes(uint64_t v, bool known, const struct limit_row *r,
				const struct render_opts *ro, char *buf, size_t sz)
{
	uint64_t bytes = v;

	if (r->unit == LIMIT_PAGES && __builtin_mul_overflow(v, r->page_size, &bytes))
		bytes = UINT64_MAX;
	known = known && (r->unit == LIMIT_PAGES || r->unit == LIMIT_BYTES);
	return render_size(bytes, known, ro, buf, sz);
}

const char *column_render_limit(int col, const struct limit_row *r,
				const struct render_opts *ro, char *buf, size_t sz)
{
	static const char *const units[] = {
		[LIMIT_SEGMENTS] = "segments", [LIMIT_PAGES] = "pages", [LIMIT_BYTES] = "bytes",
		[LIMIT_FILES] = "files", [LIMIT_FLAG] = "flag", [LIMIT_ID] = "id",
	};
	double pct;

	switch (col) {
	case COL_LIM_RESOURCE:
		return r->resource;
	case COL_LIM_DESCRIPTION:
		return r->description;
	case COL_LIM_LIMIT:
		return render_amount(r->limit, r->has_limit, r, ro, buf, sz);
	case COL_LIM_USED:
		return render_amount(r->used, r->has_used, r, ro, buf, sz);
	case COL_LIM_USE:
		if (!limit_use_percent(r, &pct))
			return NULL;
		snprintf(buf, sz, ro->json ? "%.2f" : "%.2f%%", pct);
		return buf;
	case COL_LIM_UNIT:
		return units[r->unit];
	case COL_LIM_LIMIT_BYTES:
		return render_bytes(r->limit, r->has_limit, r, ro, buf, sz);
	case COL_LIM_USED_BYTES:
		return render_bytes(r->used, r->has_used, r, ro, buf, sz);
	}
	return NULL;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Attached processes: by their pids in order, then by how many. */
static int cmp_attach(int col, const struct shm_segment *a, const struct shm_segment *b,
		      const struct render_opts *ro)
{
	const struct attach_seg *x, *y;
	size_t nx, ny;

	if (!attach_of(ro, a) || !attach_of(ro, b))
		return 0;
	x = attach_find(attach_of(ro, a), a->id);
	y = attach_find(attach_of(ro, b), b->id);
	nx = x ? x->nprocs : 0;
	ny = y ? y->nprocs : 0;
	if (col == COL_PARTIAL)
		return cmp_u64(attach_is_partial(x, a->nattch), attach_is_partial(y, b->nattch));
	if (col == COL_PIDS || col == COL_ATTACHED)
		for (size_t i = 0; i < nx && i < ny; i++)
			if (x->procs[i].pid != y->procs[i].pid)
				return x->procs[i].pid < y->procs[i].pid ? -1 : 1;
	return cmp_u64(nx, ny);
}

int column_compare(int col, const struct shm_segment *a, const struct shm_segment *b,
		   const struct render_opts *ro)
{
	const char *x, *y;

	if (column_is_owner(col)) {
		char vx[512], vy[512];

		return cmp_str(first_owner(col, a, ro, vx, sizeof(vx)),
			       first_owner(col, b, ro, vy, sizeof(vy)));
	}
	if (column_needs_attach(col))
		return cmp_attach(col, a, b, ro);
	if (seg_text(col, a, ro, &x) && seg_text(col, b, ro, &y))
		return cmp_str(x, y);
	return cmp_u64(seg_number(col, a, ro), seg_number(col, b, ro));
}
