/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/posix-obj.h"
#include "core/sysv.h"
#include "core/target.h"
#include "lib/array.h"
#include "lib/parse.h"
#include "lib/util.h"

static struct target *grow(struct target_list *l)
{
	if (ARRAY_RESERVE(l->v, l->cap, l->n + 1))
		err(EXIT_FAIL, "cannot allocate memory");
	return &l->v[l->n++];
}

/* Append a target (an id, a key, an ftok path: the three below) parsed
 * from `text`; exits with status 2 on a bad value. */
static void target_add_id_or_err(struct target_list *l, const char *text, const char *cmd)
{
	int id;
	int rc = parse_id(text, &id);

	if (rc == -ERANGE)
		usage_errx(cmd, "segment id out of range: '%s'", text);
	if (rc)
		usage_errx(cmd, "invalid segment id: '%s'", text);
	*grow(l) = (struct target){ .kind = TARGET_ID, .id = id, .text = text };
}

static void target_add_key_or_err(struct target_list *l, const char *text, const char *cmd)
{
	int32_t key;
	int rc = parse_key(text, &key);

	if (rc == -ERANGE)
		usage_errx(cmd, "key out of range: '%s' (keys are 32-bit)", text);
	if (rc)
		usage_errx(cmd, "invalid key: '%s'", text);
	if (key == 0)
		usage_errx(cmd, "key 0 is IPC_PRIVATE and names no segment; use the id");
	*grow(l) = (struct target){ .kind = TARGET_KEY, .key = key, .text = text };
}

static void target_add_ftok_or_err(struct target_list *l, const char *text, const char *cmd)
{
	char path[4096];
	int proj;
	int rc = parse_ftok_spec(text, path, sizeof(path), &proj);
	const char *colon = strrchr(text, ':');
	struct target *t;

	/* the project is to blame only when it is wrong on its own */
	if (rc && colon && colon[1] && parse_ftok_proj(colon + 1, &proj))
		usage_errx(cmd, "invalid ftok project in '%s': the project is %s", text,
			   FTOK_PROJ_RULE);
	if (rc)
		usage_errx(cmd, "invalid ftok path: '%s' (PATH[:PROJ])", text);
	t = grow(l);
	*t = (struct target){ .kind = TARGET_FTOK, .proj = proj, .text = text };
	t->path = alloc_or_err(strdup(path));
}

int target_handle_option(struct target_args *a, int c, const char *arg, const char *cmd)
{
	switch (c) {
	case 'k':
		target_add_key_or_err(&a->list, arg, cmd);
		a->sysv_only = "key";
		return 1;
	case TARGET_FTOK_OPTION:
		target_add_ftok_or_err(&a->list, arg, cmd);
		a->sysv_only = "ftok";
		return 1;
	case TARGET_POSIX_OPTION:
		a->posix = true;
		return 1;
	default:
		return 0;
	}
}

const char *target_count_error(size_t n, bool posix, enum target_count count)
{
	if (n == 0)
		return posix ? "no POSIX object given" : "no segment given";
	if (n > 1 && count == TARGETS_ONE)
		return posix ? "give one POSIX object only" : "give one segment only";
	return NULL;
}

static void count_or_err(size_t n, bool posix, enum target_count count, const char *cmd)
{
	const char *problem = target_count_error(n, posix, count);

	if (problem)
		usage_errx(cmd, "%s", problem);
}

void target_args_finish_or_err(struct target_args *a, int n, char **args,
			       enum target_count count, const char *cmd)
{
	if (!a->posix) {
		for (int i = 0; i < n; i++)
			target_add_id_or_err(&a->list, args[i], cmd);
		count_or_err(a->list.n, false, count, cmd);
		return;
	}
	if (a->sysv_only)
		posix_refuse_or_err(cmd, a->sysv_only);
	count_or_err((size_t)n, true, count, cmd);
	a->names = alloc_or_err(calloc((size_t)n, sizeof(*a->names)));
	for (int i = 0; i < n; i++)
		a->names[i] = posix_name_or_err(args[i], cmd);
	a->nnames = (size_t)n;
}

static void target_list_free(struct target_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

void target_args_free(struct target_args *a)
{
	target_list_free(&a->list);
	free(a->names);
	a->names = NULL;
	a->nnames = 0;
}

/* The id a target names now. Returns 0 or a negative errno: -ENOENT for a
 * key no segment has. */
static int target_resolve(struct target *t, int *id)
{
	int rc;

	if (t->kind == TARGET_ID) {
		*id = t->id;
		return 0;
	}
	if (t->kind == TARGET_FTOK) {
		rc = sysv_ftok(t->path, t->proj, &t->key);
		if (rc)
			return rc;
		t->key_known = true;
	}
	rc = sysv_id_of_key(t->key);
	if (rc < 0)
		return rc;
	*id = rc;
	return 0;
}

/* "id 5" / "key 0x00000005". */
static void target_describe(const struct target *t, char *buf, size_t sz)
{
	if (t->kind == TARGET_ID)
		snprintf(buf, sz, "id %d", t->id);
	else
		snprintf(buf, sz, "key 0x%08x", (uint32_t)t->key);
}

int target_resolve_or_warn(struct target *t, int *id)
{
	char what[64];
	int rc = target_resolve(t, id);

	if (rc == 0)
		return 0;
	if (t->kind == TARGET_FTOK && !t->key_known) {
		warnx_safe("cannot use '%s' for ftok: %s", t->path, strerror(-rc));
		return rc;
	}
	target_describe(t, what, sizeof(what));
	if (rc == -ENOENT)
		warnx("no segment with %s", what);
	else
		warnx("cannot find segment with %s: %s", what, errno_text(-rc));
	return rc;
}

void segment_warn(int id, const char *action, int rc)
{
	if (rc == -EINVAL || rc == -EIDRM)
		warnx("no segment with id %d", id);
	else
		warnx("cannot %s segment %d: %s", action, id, errno_text(-rc));
}

int target_each(struct target_list *l, int (*fn)(int id, void *arg), void *arg)
{
	int status = EXIT_OK;

	for (size_t i = 0; i < l->n; i++) {
		int id;

		if (target_resolve_or_warn(&l->v[i], &id) || fn(id, arg) != EXIT_OK)
			status = EXIT_FAIL;
	}
	return status;
}

int segment_run_attached(int id, bool write, io_size_check_fn *check, io_mapped_fn *fn,
			 void *arg)
{
	struct shm_segment seg, now;
	char what[32];
	struct io_mapped m = { .fd = -1, .what = what };
	int rc, status;

	/* the size first (a segment's never changes): a refusal then leaves
	 * the segment as it was, its attach time and last pid too */
	rc = sysv_stat(id, &seg);
	if (rc) {
		segment_warn(id, "read the size of", rc);
		return EXIT_FAIL;
	}
	snprintf(what, sizeof(what), "segment %d", id);
	m.size = seg.size;
	status = check ? check(m.size, what, arg) : EXIT_OK;
	if (status != EXIT_OK)
		return status;
	rc = sysv_attach(id, !write, &m.addr);
	if (rc) {
		segment_warn(id, "attach", rc);
		return EXIT_FAIL;
	}
	/* the check may have taken long (input read whole): the id may name
	 * another segment now, of another size, another user's */
	rc = sysv_stat(id, &now);
	if (rc || !seg_same(&seg, &now)) {
		if (rc)
			segment_warn(id, "read the size of", rc);
		else
			warnx("segment %d was removed or changed meanwhile (its id may name "
			      "another segment now): nothing done", id);
		sysv_detach(m.addr);
		return EXIT_FAIL;
	}
	/* through the segment's own file, when it opens, the mapping is not
	 * touched */
	m.fd = io_segment_file(m.addr, (size_t)m.size, write);
	status = fn(&m, arg);
	if (m.fd >= 0)
		close(m.fd);
	sysv_detach(m.addr);
	return status;
}
