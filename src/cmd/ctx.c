/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

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
