/* SPDX-License-Identifier: GPL-2.0-or-later */
/* POSIX objects, the pure part: names, the vector and its index by
 * inode, the marks of who maps or holds open each object. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "core/attach.h"
#include "core/posix-shm.h"
#include "core/proc-walk.h"
#include "lib/array.h"
#include "lib/text.h"

#define STRINGIFY(x) #x
#define TEXT_OF(x) STRINGIFY(x)
#define NAME_MAX_TEXT TEXT_OF(NAME_MAX)

bool posix_is_object_name(const char *name)
{
	return strcmp(name, ".") && strcmp(name, "..") && strncmp(name, "sem.", 4);
}

enum posix_name_check posix_check_name(const char *arg, const char **name)
{
	const char *n = arg[0] == '/' ? arg + 1 : arg;

	if (!*n)
		return POSIX_NAME_EMPTY;
	if (strchr(n, '/'))
		return POSIX_NAME_SLASH;
	if (!strcmp(n, ".") || !strcmp(n, ".."))
		return POSIX_NAME_DOT;
	if (strlen(n) > NAME_MAX)
		return POSIX_NAME_TOO_LONG;
	if (!strncmp(n, "sem.", 4))
		return POSIX_NAME_SEMAPHORE;
	*name = n;
	return POSIX_NAME_OK;
}

const char *posix_name_problem(enum posix_name_check c)
{
	switch (c) {
	case POSIX_NAME_OK:
		return "valid";
	case POSIX_NAME_EMPTY:
		return "empty";
	case POSIX_NAME_SLASH:
		return "'/' only as the first character";
	case POSIX_NAME_DOT:
		return "'.' and '..' name no object";
	case POSIX_NAME_TOO_LONG:
		return "longer than " NAME_MAX_TEXT " bytes";
	case POSIX_NAME_SEMAPHORE:
		return "sem.* names are POSIX semaphores, not shared memory";
	}
	return "invalid";
}

void posix_obj_from_stat(struct posix_obj *o, const struct stat *st)
{
	*o = (struct posix_obj){
		.size = (uint64_t)st->st_size,
		.uid = st->st_uid,
		.gid = st->st_gid,
		.mode = st->st_mode & 07777,
		.mtime = (int64_t)st->st_mtime,
		.mtime_nsec = st->st_mtim.tv_nsec,
		.dev_major = major(st->st_dev),
		.dev_minor = minor(st->st_dev),
		.ino = (uint64_t)st->st_ino,
	};
}

int posix_vec_add(struct posix_vec *v, const char *name, const struct posix_obj *o)
{
	char *copy = strdup(name);

	if (!copy)
		return -ENOMEM;
	posix_index_drop(v);
	if (ARRAY_RESERVE(v->v, v->cap, v->n + 1)) {
		free(copy);
		return -ENOMEM;
	}
	/* the file, not what a scan found: its holders stay o's */
	v->v[v->n] = (struct posix_obj){
		.name = copy, .size = o->size, .uid = o->uid, .gid = o->gid, .mode = o->mode,
		.mtime = o->mtime, .mtime_nsec = o->mtime_nsec, .dev_major = o->dev_major,
		.dev_minor = o->dev_minor, .ino = o->ino,
	};
	v->n++;
	return 0;
}

int posix_obj_cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct posix_obj *)a)->name, ((const struct posix_obj *)b)->name);
}

void posix_vec_free(struct posix_vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].name);
		free(v->v[i].holders);
	}
	free(v->v);
	posix_index_drop(v);
	*v = (struct posix_vec){ 0 };
}

/* Open addressing on the inode; the objects of one inode (names linked
 * to one file, or one inode number on two devices) chained through
 * next. Entries are 1 + an index in v->v, 0 for none. */
struct posix_index {
	size_t mask;            /* slots - 1, a power of 2 minus 1 */
	size_t *slot;           /* the first object of an inode */
	size_t *next;           /* per object: the next one of its inode */
	struct posix_dev {
		unsigned int major, minor;
	} *devs;                /* the devices of the objects, each once */
	size_t ndevs, capdevs;
};

static size_t ino_hash(uint64_t x)
{
	/* a 64-bit finaliser: inode numbers are often consecutive */
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return (size_t)x;
}

void posix_index_drop(struct posix_vec *v)
{
	if (!v->index)
		return;
	free(v->index->slot);
	free(v->index->next);
	free(v->index->devs);
	free(v->index);
	v->index = NULL;
}

/* The slot of inode ino: its first object's (1 + its index), or the
 * empty one (0) where it would go. */
static size_t *index_slot(struct posix_vec *v, uint64_t ino)
{
	struct posix_index *ix = v->index;
	size_t h = ino_hash(ino) & ix->mask;

	while (ix->slot[h]) {
		v->compared++;
		if (v->v[ix->slot[h] - 1].ino == ino)
			break;
		h = (h + 1) & ix->mask;
	}
	return &ix->slot[h];
}

/* Add the device of o to ix->devs unless it is there: a few at most
 * (the objects are the files of one directory). 0 or -ENOMEM. */
static int index_add_dev(struct posix_index *ix, const struct posix_obj *o)
{
	for (size_t i = 0; i < ix->ndevs; i++)
		if (ix->devs[i].major == o->dev_major && ix->devs[i].minor == o->dev_minor)
			return 0;
	return ARRAY_PUSH(ix->devs, ix->ndevs, ix->capdevs,
			  (struct posix_dev){ o->dev_major, o->dev_minor });
}

int posix_index_build(struct posix_vec *v)
{
	struct posix_index *ix;
	size_t slots = 16;

	posix_index_drop(v);
	/* at most half full */
	while (slots / 2 < v->n) {
		if (slots > SIZE_MAX / 4)
			return -ENOMEM;
		slots *= 2;
	}
	ix = calloc(1, sizeof(*ix));
	if (!ix)
		return -ENOMEM;
	ix->mask = slots - 1;
	ix->slot = calloc(slots, sizeof(*ix->slot));
	ix->next = calloc(v->n ? v->n : 1, sizeof(*ix->next));
	v->index = ix;
	if (!ix->slot || !ix->next) {
		posix_index_drop(v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < v->n; i++) {
		size_t *s = index_slot(v, v->v[i].ino);

		if (index_add_dev(ix, &v->v[i])) {
			posix_index_drop(v);
			return -ENOMEM;
		}

		if (*s) {
			ix->next[i] = ix->next[*s - 1];
			ix->next[*s - 1] = i + 1;
		} else {
			*s = i + 1;
		}
	}
	return 0;
}

/* Whether v has its index: built now if need be (no memory for it sets
 * v->nomem). */
static bool index_ready(struct posix_vec *v)
{
	if (!v->index && posix_index_build(v))
		v->nomem = true;
	return v->index != NULL;
}

/* One more process for o, or more use by the last one counted. */
static void count_holder(struct posix_vec *v, struct posix_obj *o, pid_t pid, unsigned int how)
{
	if (o->last_pid == pid) {
		if (o->nholders)
			o->holders[o->nholders - 1].use |= how;
		return;
	}
	o->nprocs++;
	o->last_pid = pid;
	if (v->want_holders &&
	    ARRAY_PUSH(o->holders, o->nholders, o->capholders,
		       (struct posix_holder){ .pid = pid, .use = how }))
		v->nomem = true;
}

/* What tells the file besides its inode: its device, or (a descriptor
 * whose mount is not known) its name. */
struct file_key {
	unsigned int major, minor;
	const char *name;       /* NULL: by device */
	size_t name_len;
};

static bool is_file(const struct posix_obj *o, const struct file_key *k)
{
	if (k->name)
		return strlen(o->name) == k->name_len && !memcmp(o->name, k->name, k->name_len);
	return o->dev_major == k->major && o->dev_minor == k->minor;
}

/* Every object with inode ino that k says is the file (two names may be
 * links to one file): the index chain of ino, walked once. */
static bool mark(struct posix_vec *v, pid_t pid, uint64_t ino, const struct file_key *k,
		 unsigned int how)
{
	bool found = false;

	if (!index_ready(v))
		return false;
	for (size_t i = *index_slot(v, ino); i; i = v->index->next[i - 1]) {
		struct posix_obj *o = &v->v[i - 1];

		v->compared++;
		if (o->ino != ino || !is_file(o, k))
			continue;
		o->use |= how;
		count_holder(v, o, pid, how);
		found = true;
	}
	return found;
}

size_t posix_mark_maps(struct posix_vec *v, pid_t pid, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	size_t found = 0;

	while (p < end) {
		struct maps_line ml;

		/* a file mapping: inode not 0 (a System V one never is one of ours) */
		if (attach_next_maps_line(&p, end, &ml) == 0 && ml.inode &&
		    mark(v, pid, ml.inode,
			 &(struct file_key){ .major = ml.dev_major, .minor = ml.dev_minor },
			 POSIX_MAPPED))
			found++;
	}
	return found;
}

bool posix_mark_open(struct posix_vec *v, pid_t pid, unsigned int dev_major,
		     unsigned int dev_minor, uint64_t ino)
{
	return mark(v, pid, ino, &(struct file_key){ .major = dev_major, .minor = dev_minor },
		    POSIX_OPEN);
}

const char *posix_link_name(const char *link, size_t len, size_t *name_len)
{
	static const char deleted[] = " (deleted)";
	const char *slash;

	if (len >= sizeof(deleted) - 1 &&
	    !memcmp(link + len - (sizeof(deleted) - 1), deleted, sizeof(deleted) - 1))
		len -= sizeof(deleted) - 1;
	slash = memrchr(link, '/', len);
	if (!slash) {
		*name_len = 0;
		return link + len;
	}
	*name_len = len - (size_t)(slash + 1 - link);
	return slash + 1;
}

bool posix_mark_open_named(struct posix_vec *v, pid_t pid, uint64_t ino, const char *name,
			   size_t name_len)
{
	return mark(v, pid, ino, &(struct file_key){ .name = name, .name_len = name_len },
		    POSIX_OPEN);
}

bool posix_has_inode(struct posix_vec *v, uint64_t ino)
{
	if (!index_ready(v))
		return false;
	return *index_slot(v, ino) != 0;
}

bool posix_has_device(struct posix_vec *v, unsigned int dev_major, unsigned int dev_minor)
{
	if (!index_ready(v))
		return false;
	for (size_t i = 0; i < v->index->ndevs; i++)
		if (v->index->devs[i].major == dev_major && v->index->devs[i].minor == dev_minor)
			return true;
	return false;
}

bool posix_scan_incomplete(const struct posix_vec *objs)
{
	return objs->denied || objs->hidden;
}

void posix_obj_device(const struct posix_obj *o, char *buf, size_t sz)
{
	snprintf(buf, sz, "%u:%u", o->dev_major, o->dev_minor);
}

const char *posix_safe_name(const char *name, char *buf)
{
	size_t len = strnlen(name, (POSIX_SAFE_NAME_SIZE - 1) / 4);

	sanitize(name, len, buf, false);
	return buf;
}
