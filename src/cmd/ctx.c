/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/ctx.h"
#include "lib/util.h"

/* Enter the namespace that arg names, or end with what went wrong. */
static void enter_or_err(struct shm_ctx *ctx, const char *arg, pid_t pid)
{
	char what[96];
	int rc;

	if (pid) {
		snprintf(what, sizeof(what), "of process %d", (int)pid);
		rc = ipcns_enter_process(pid, &ctx->ns);
	} else {
		snprintf(what, sizeof(what), "%s", arg);
		rc = ipcns_enter_file(arg);
	}
	if (rc == -ENOENT && pid)
		errx(EXIT_FAIL, "no process %d", (int)pid);
	if (rc == -ENOENT)
		errx_safe(EXIT_FAIL, "cannot open %s: %s", arg, strerror(-rc));
	if (rc == -EINVAL && pid)
		errx(EXIT_FAIL, "/proc/%d/ns/ipc is not an IPC namespace", (int)pid);
	if (rc == -EINVAL)
		errx_safe(EXIT_FAIL, "%s is not an IPC namespace file", arg);
	if (rc == -EPERM || rc == -EACCES)
		errx_safe(EXIT_FAIL, "cannot enter the IPC namespace %s: permission denied", what);
	if (rc)
		errx_safe(EXIT_FAIL, "cannot enter the IPC namespace %s: %s", what, strerror(-rc));
}

void shm_ctx_enter_or_err(struct shm_ctx *ctx, const char *cmd, bool posix)
{
	pid_t pid = 0;
	int rc;

	if (!ctx->ipc_ns)
		return;
	rc = ipcns_parse_target(ctx->ipc_ns, &pid);
	if (rc < 0)
		usage_errx(NULL, "invalid --ipc-ns '%s' (a pid or a namespace file)", ctx->ipc_ns);
	if (rc == 0 && posix)
		usage_errx(cmd, "--posix does not go with --ipc-ns PATH: a namespace file names "
			   "no /dev/shm (give the pid of a process in the namespace)");
	enter_or_err(ctx, ctx->ipc_ns, pid);
}

void shm_ctx_refuse_all_or_err(const struct shm_ctx *ctx, const char *cmd, bool all)
{
	if (all && ctx->ipc_ns)
		usage_errx(cmd, "--all-namespaces does not go with --ipc-ns");
}

static int cmp_inode(const void *a, const void *b)
{
	const struct ipcns_info *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

size_t shm_ctx_each_ns_or_err(struct ipcns_vec *nsv,
			      int (*fn)(struct ipcns_info *ns, void *arg), void *arg)
{
	size_t failed = 0;
	int self, rc;

	raise_fd_limit();       /* a descriptor is held per namespace */
	rc = ipcns_scan(nsv);
	if (rc == -EMFILE || rc == -ENFILE)
		errx(EXIT_FAIL, "cannot hold every IPC namespace open: %s (raise the limit: ulimit -n)",
		     errno_text(-rc));
	if (rc)
		errx(EXIT_FAIL, "cannot scan /proc for namespaces: %s", strerror(-rc));
	if (nsv->denied)
		warnx("cannot inspect %lu process%s (permission denied): some namespaces may be missing",
		      nsv->denied, nsv->denied == 1 ? "" : "es");
	qsort(nsv->v, nsv->n, sizeof(nsv->v[0]), cmp_inode);
	self = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		err(EXIT_FAIL, "cannot open /proc/self/ns/ipc");
	for (size_t i = 0; i < nsv->n; i++) {
		struct ipcns_info *ns = &nsv->v[i];

		rc = ns->current ? 0 : ipcns_enter_fd(ns->fd);
		ns->entered = !ns->current && rc == 0;
		if (rc) {
			ns->error = rc;
			warnx("cannot enter the IPC namespace of process %d: %s", (int)ns->pid,
			      errno_text(-rc));
			failed++;
		} else if (fn(ns, arg)) {
			failed++;
		}
		if (ns->entered && ipcns_enter_fd(self))
			err(EXIT_FAIL, "cannot return to the IPC namespace of shmtool");
		close(ns->fd);
		ns->fd = -1;
	}
	close(self);
	return failed;
}
