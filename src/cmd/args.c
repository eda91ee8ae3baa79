/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/args.h"
#include "core/posix-shm.h"
#include "lib/array.h"
#include "lib/parse.h"
#include "lib/util.h"

const char *posix_name_or_err(const char *arg, const char *cmd)
{
	const char *name = NULL;
	enum posix_name_check c = posix_check_name(arg, &name);

	if (c == POSIX_NAME_TOO_LONG)   /* not the whole name again */
		usage_errx(cmd, "invalid POSIX object name '%.32s...': %s", arg,
			   posix_name_problem(c));
	if (c != POSIX_NAME_OK)
		usage_errx(cmd, "invalid POSIX object name '%s': %s", arg, posix_name_problem(c));
	return name;
}

void posix_refuse_or_err(const char *cmd, const char *option)
{
	usage_errx(cmd, "--%s does not apply to POSIX objects", option);
}

static struct target *grow(struct target_list *l)
{
	if (ARRAY_RESERVE(l->v, l->cap, l->n + 1))
		err(EXIT_FAIL, "cannot allocate memory");
	return &l->v[l->n++];
}

static void add_id_or_err(struct target_list *l, const char *text, const char *cmd)
{
	int id;
	int rc = parse_id(text, &id);

	if (rc == -ERANGE)
		usage_errx(cmd, "segment id out of range: '%s'", text);
	if (rc)
		usage_errx(cmd, "invalid segment id: '%s'", text);
	*grow(l) = (struct target){ .kind = TARGET_ID, .id = id, .text = text };
}

static void add_key_or_err(struct target_list *l, const char *text, const char *cmd)
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

static void add_ftok_or_err(struct target_list *l, const char *text, const char *cmd)
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
		add_key_or_err(&a->list, arg, cmd);
		a->sysv_only = "key";
		return 1;
	case TARGET_FTOK_OPTION:
		add_ftok_or_err(&a->list, arg, cmd);
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
			add_id_or_err(&a->list, args[i], cmd);
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

static void list_free(struct target_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

void target_args_free(struct target_args *a)
{
	list_free(&a->list);
	free(a->names);
	a->names = NULL;
	a->nnames = 0;
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
