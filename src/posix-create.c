/* SPDX-License-Identifier: GPL-2.0-or-later */
/* create --posix: a POSIX shared memory object made exclusively. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "parse.h"
#include "posix-cmds.h"
#include "posix-obj.h"
#include "util.h"

/* The JSON text of a name or path: the exact text, escaped for JSON. */
static char *json_text(const char *s)
{
	size_t len = strlen(s);
	char *out = malloc(6 * len + 1);

	if (!out)
		err(EXIT_FAIL, "cannot allocate memory");
	json_escape(s, len, out);
	return out;
}

static void print_posix(const struct posix_dir *d, const char *name, uint64_t size, bool json)
{
	char safe[POSIX_SAFE_NAME_SIZE], *path, *jname, *jpath;

	if (!json) {
		printf("%s\n", posix_safe_name(name, safe));
		return;
	}
	if (asprintf(&path, "%s/%s", d->path, name) < 0)
		err(EXIT_FAIL, "cannot allocate memory");
	jname = json_text(name);
	jpath = json_text(path);
	printf("{\"name\": \"%s\", \"path\": \"%s\", \"size\": %llu}\n", jname, jpath,
	       (unsigned long long)size);
	free(jname);
	free(jpath);
	free(path);
}

/* --reuse: the existing object if it satisfies the request (its size at
 * least the one asked, its mode the one asked with -m: mode NULL
 * without), unchanged, and *size becomes its size; -EEXIST after saying
 * what differs otherwise. */
static int reuse_posix(const struct posix_dir *d, const char *name, uint64_t *size,
		       const unsigned int *mode)
{
	struct stat st;
	char why[96];
	int rc = posix_obj_stat(d, name, &st);

	if (rc) {
		posix_obj_warn(name, "reuse", rc);
		return rc;
	}
	if (reuse_mismatch((uint64_t)st.st_size, st.st_mode, *size, mode, why, sizeof(why))) {
		warnx_safe("cannot reuse POSIX object %s: %s", name, why);
		return -EEXIST;
	}
	*size = (uint64_t)st.st_size;
	return 0;
}

/* create --posix NAME: made exclusively (O_CREAT | O_EXCL) with exactly
 * the mode asked for, then given its size; a failure leaves nothing. */
int posix_create(const char *arg, uint64_t size, unsigned int mode, bool mode_given,
		 bool reuse, bool json)
{
	const char *name = posix_name_or_err(arg, "create");
	struct posix_dir d;
	struct stat st;
	int fd, rc = 0;

	if (posix_dir_open_or_warn(&d))
		return EXIT_FAIL;
	fd = posix_obj_open(&d, name, O_RDWR | O_CREAT | O_EXCL, mode, &st);
	if (fd == -EEXIST && reuse) {
		rc = reuse_posix(&d, name, &size, mode_given ? &mode : NULL);
	} else if (fd == -EEXIST) {
		warnx_safe("cannot create POSIX object %s: it already exists (use --reuse to "
			   "take it)", name);
		rc = fd;
	} else if (fd < 0) {
		posix_obj_warn(name, "create", fd);
		rc = fd;
	} else {
		if (size > (uint64_t)INT64_MAX)
			rc = -EFBIG;
		else if (ftruncate(fd, (off_t)size))
			rc = -errno;
		if (rc) {
			char human[32];
			int undone = posix_obj_unlink_made(&d, name, fd);

			fmt_size_human(human, sizeof(human), size);
			warnx_safe("cannot give POSIX object %s a size of %s: %s; %s", name, human,
				   strerror(-rc), undone == 0 ? "removed it again" :
				   undone == -ENOENT ? "it is gone already" :
				   undone == -ESTALE ? "not removed: another file has its name now" :
				   "cannot remove it again");
		}
		close(fd);
	}
	if (!rc)
		print_posix(&d, name, size, json);
	posix_dir_close(&d);
	return rc ? EXIT_FAIL : EXIT_OK;
}

