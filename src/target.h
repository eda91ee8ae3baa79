/* What a command names a segment by: an id, a key or an ftok(3) path,
 * resolved to an id by one piece of code for every command. */
#ifndef SHMTOOL_TARGET_H
#define SHMTOOL_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io.h"

enum target_kind { TARGET_ID, TARGET_KEY, TARGET_FTOK };

struct target {
	enum target_kind kind;
	int id;
	int32_t key;            /* TARGET_KEY; TARGET_FTOK once resolved */
	char *path;             /* TARGET_FTOK */
	int proj;               /* TARGET_FTOK */
	bool key_known;         /* TARGET_FTOK: ftok succeeded */
	const char *text;       /* as the user wrote it */
};

struct target_list {
	struct target *v;
	size_t n, cap;
};

/* Append a target parsed from `text`; exits with status 2 on a bad value. */
void target_add_id_or_err(struct target_list *l, const char *text, const char *cmd);
void target_add_key_or_err(struct target_list *l, const char *text, const char *cmd);
void target_add_ftok_or_err(struct target_list *l, const char *text, const char *cmd);
void target_list_free(struct target_list *l);

/* The options every command that names segments takes, for longopts[]. */
#define TARGET_FTOK_OPTION 0x200
#define TARGET_LONGOPTS \
	{ "key",  required_argument, NULL, 'k' }, \
	{ "ftok", required_argument, NULL, TARGET_FTOK_OPTION }

/* Handle -k and --ftok; returns 1 if c was one of them. */
int target_handle_option(struct target_list *l, int c, const char *arg, const char *cmd);

/* The id a target names now. Returns 0 or a negative errno: -ENOENT for a
 * key no segment has. */
int target_resolve(struct target *t, int *id);

/* The same, printing the reason on failure ("no segment with key ...",
 * "cannot use 'PATH' for ftok: ..."). */
int target_resolve_or_warn(struct target *t, int *id);

/* Report a failed operation on segment id: "no segment with id 5" when it
 * is gone (EINVAL, EIDRM), else "cannot ACTION segment 5: REASON". */
void segment_warn(int id, const char *action, int rc);

/* Attach segment id (read-only unless write), read its size and return
 * fn(m, arg), an exit status; m->fd is -1. Failures are reported on
 * stderr and give EXIT_FAIL. */
int segment_run_attached(int id, bool write, io_mapped_fn *fn, void *arg);

/* "id 5" / "key 0x00000005". */
void target_describe(const struct target *t, char *buf, size_t sz);

#endif
