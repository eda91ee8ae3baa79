/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one column table: every column's name, width hint, libsmartcols
 * flags, JSON type and help, and how its cell is rendered. */
#ifndef SHMTOOL_COLUMNS_H
#define SHMTOOL_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/attach.h"
#include "core/names.h"
#include "core/segment.h"
#include "lib/parse.h"
#include "out/format.h"

enum column_id {
	COL_KEY, COL_ID, COL_OWNER, COL_PERMS, COL_SIZE, COL_NATTCH,
	COL_STATUS, COL_CTIME, COL_ATIME, COL_DTIME, COL_CPID, COL_LPID,
	COL_COMMAND, COL_UID, COL_USER, COL_GID, COL_GROUP, COL_CUID,
	COL_CUSER, COL_CGID, COL_CGROUP, COL_RSS, COL_SWAP, COL_AGE,
	COL_PIDS, COL_NPROCS, COL_ATTACHED, COL_PARTIAL, COL_LCOMMAND,
	COL_CGPATH, COL_UNIT, COL_CONTAINER, COL_POD, COL_IPCNS,
	COL_ACTION, COL_REASON,         /* gc only */
	/* namespaces: one row per IPC namespace */
	COL_NS_NS, COL_NS_SEGMENTS, COL_NS_SIZE, COL_NS_ORPHANS, COL_NS_ORPHANSIZE,
	COL_NS_NPROCS, COL_NS_PID, COL_NS_COMMAND,
	COL_NS_CGPATH, COL_NS_UNIT, COL_NS_CONTAINER, COL_NS_POD,
	/* list --posix: one row per POSIX shared memory object */
	COL_PX_NAME, COL_PX_SIZE, COL_PX_OWNER, COL_PX_PERMS, COL_PX_MTIME,
	COL_PX_USE, COL_PX_NPROCS,
	COL_PX_CGPATH, COL_PX_UNIT, COL_PX_CONTAINER, COL_PX_POD, COL_PX_NS, COL_PX_PID,
	/* limits: one row per kernel limit (or usage figure) */
	COL_LIM_RESOURCE, COL_LIM_DESCRIPTION, COL_LIM_LIMIT, COL_LIM_USED, COL_LIM_USE,
	COL_LIM_UNIT, COL_LIM_LIMIT_BYTES, COL_LIM_USED_BYTES,
	COL_COUNT
};

enum column_kind {
	KIND_STRING,
	KIND_NUMBER,
	KIND_SIZE,      /* bytes; human-readable unless --bytes, number in JSON */
	KIND_TIME,      /* epoch; formatted, null when never */
	KIND_SECONDS,   /* a duration: "5m" in text, seconds in JSON */
	KIND_BOOL,      /* "yes" or "no"; true or false in JSON */
	KIND_NUMBERS,   /* "1,2" in text; an array of numbers in JSON */
	KIND_STRINGS,   /* "a,b" in text; an array of strings in JSON */
	KIND_PERCENT,   /* "12.50%" in text; 12.5 in JSON */
};

/* Which commands show a column. */
enum column_scope {
	SCOPE_ALL,      /* every table of segments: list and gc */
	SCOPE_GC,       /* the outcome of a gc run */
	SCOPE_NS,       /* the table of namespaces, which has no segment rows */
	SCOPE_POSIX,    /* list --posix: POSIX objects, not segments */
	SCOPE_GC_POSIX, /* gc --posix: the POSIX columns, ACTION and REASON */
	SCOPE_LIMITS,   /* limits: one row per kernel limit */
	SCOPE_LIST_POSIX,       /* list --posix alone (SCOPE_POSIX shows them):
				 * the owners, from each process that uses an
				 * object, which gc --posix does not record */
};

struct column_info {
	const char *name;
	double whint;           /* libsmartcols width hint */
	int flags;              /* SCOLS_FL_* */
	enum column_kind kind;
	enum column_scope scope;
	const char *help;
	const char *alias;      /* lsipc's name where it differs, also taken */
};

extern const struct column_info column_table[COL_COUNT];

/* Whether a command of `scope` shows the column. */
bool column_in_scope(int col, enum column_scope scope);

/* The column named `name` (len bytes, case-insensitive; its lsipc alias
 * too) shown by a command of `scope`, or -1. */
int column_by_name(const char *name, size_t len, enum column_scope scope);

#define MAX_COLUMNS 64

struct column_list {
	int ids[MAX_COLUMNS];
	size_t n;
};

/* Whether the column tells who owns a segment from cgroups (CGPATH,
 * UNIT, CONTAINER, POD): the creator's while it runs, else those of the
 * attached processes, which the /proc scan finds. */
bool column_is_owner(int col);

/* Whether the column tells who owns a POSIX object from cgroups (its
 * CGPATH, UNIT, CONTAINER, POD): those of the processes that map it or
 * hold it open, which the scan records with want_holders. */
bool column_is_posix_owner(int col);

/* The exact text of an owner column (COL_CGPATH, COL_UNIT, COL_CONTAINER,
 * COL_POD or their COL_NS_ and COL_PX_ twins) for a cgroup path, in buf
 * (at least 128 bytes) or path itself; NULL when the path tells none. */
const char *column_owner_value(int col, const char *path, char *buf, size_t sz);

/* Whether the column needs the /proc scan of attached processes. */
bool column_needs_attach(int col);

/* Whether the column shows rss or swap, which only /proc/sysvipc/shm
 * gives (segments_each's SEG_NEED_MEMORY). */
bool column_needs_memory(int col);

/* Whether the POSIX column (list --posix) needs the /proc scan of the
 * processes that map or hold open the objects: USE, NPROCS and the
 * owner columns. */
bool column_needs_posix_use(int col);

/* Whether pred (one of the predicates above) holds for a column of the list. */
bool columns_any(bool (*pred)(int col), const struct column_list *cols);

/* Whether the list holds col. */
bool columns_have(const struct column_list *cols, int col);

/* Parse "A,B,C" or "+A,B" (appended to `defaults`). On error returns
 * -EINVAL (unknown name: *bad and *badlen point at it) or -E2BIG. */
int columns_parse(const char *spec, const struct column_list *defaults,
		  enum column_scope scope, struct column_list *out,
		  const char **bad, size_t *badlen);

/* How cells are rendered. */
struct render_opts {
	bool bytes;             /* exact sizes */
	bool numeric_perms;
	bool json;              /* sizes as numbers, unknown values null */
	enum time_format tfmt;
	time_t now;
	struct name_cache *names;
	enum text_form text;            /* how text read from the system is shown */
	const struct attach_table *attach;      /* NULL: not scanned */
	/* rows of several namespaces (list -A): the scan of each, n of
	 * them, for the rows whose ipcns is the table's ns (attach unused) */
	const struct attach_table *attach_ns;
	size_t nattach_ns;
	struct attach_buf *scratch;     /* for cells longer than buf (NULL: cut) */
	struct time_cache *times;       /* optional: cache for the time columns */
	char list_sep;                  /* between the items of KIND_NUMBERS and
					 * KIND_STRINGS cells: ',', or '\n' for
					 * JSON arrays ('\0' means ',') */
	/* gc: per row, what happened and why (NULL: none) */
	const char *const *action;
	const char *const *reason;
};

/* The text of one cell, written to buf (at least 128 bytes), to
 * ro->scratch or pointing at a cached string; NULL when the value is
 * unknown or absent (the attach columns without ro->attach). */
const char *column_render(int col, const struct shm_segment *seg, size_t row,
			  const struct render_opts *ro, char *buf, size_t sz);

/* Whether a value of owner column col (COL_UNIT: exactly; COL_CONTAINER:
 * an id by its prefix, or runtime://prefix) of s is want; *told says
 * whether any process told an owner at all (a creator that has exited
 * and nobody attached: nothing can). */
bool column_owner_matches(int col, const struct shm_segment *s, const struct render_opts *ro,
			  const char *want, bool *told);

struct ipcns_info;
struct limit_row;

/* The text of one cell of the limits table (a COL_LIM_* column), as
 * column_render does it; NULL when the row has no such figure. */
const char *column_render_limit(int col, const struct limit_row *r,
				const struct render_opts *ro, char *buf, size_t sz);


/* The text of one cell of the namespaces table (a COL_NS_* column), as
 * column_render does it; NULL for counts of a namespace not entered. */
const char *column_render_ns(int col, const struct ipcns_info *ns,
			     const struct render_opts *ro, char *buf, size_t sz);

struct posix_obj;

/* The text of one cell of the POSIX objects table (a COL_PX_* column). */
const char *column_render_posix(int col, const struct posix_obj *o,
				const struct render_opts *ro, char *buf, size_t sz);

/* Order two segments by a column: numbers by value, names as text. */
int column_compare(int col, const struct shm_segment *a, const struct shm_segment *b,
		   const struct render_opts *ro);

#endif
