/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/sysv.h"
#include "core/target.h"
#include "lib/util.h"

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
