/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What main hands every command besides its arguments: the IPC
 * namespace to act in (--ipc-ns). The command enters it itself, once its
 * options are parsed: its --help and its usage errors come first, and
 * are the same in every namespace, even one that cannot be entered. */
#ifndef SHMTOOL_CTX_H
#define SHMTOOL_CTX_H

#include <stdbool.h>

#include "core/ipcns.h"

struct shm_ctx {
	const char *ipc_ns;             /* --ipc-ns as given; NULL: this namespace */
	struct ipcns_target ns;         /* the process it named, once entered */
};

#define SHM_CTX_INIT { .ipc_ns = NULL, .ns = IPCNS_TARGET_INIT }

/* Enter the namespace of --ipc-ns, if one was given, for the command
 * `cmd` (its name), whose options asked for POSIX objects when posix:
 * after its option parsing, before it reads or changes anything. A
 * usage error (exit 2) for an invalid --ipc-ns, and for --posix with
 * --ipc-ns PATH, found before the path is opened: a namespace file
 * names an IPC namespace and no mount namespace, so no /dev/shm. A
 * namespace that cannot be entered ends the program (exit 1). */
void shm_ctx_enter_or_err(struct shm_ctx *ctx, const char *cmd, bool posix);

/* --all-namespaces (-A) of list, gc and metrics: fn(ns, arg) is called
 * inside every IPC namespace that a process on the host is in (ours
 * too), and this process comes back to its own after each. The
 * namespaces are found and held open as `namespaces` finds them (nsv
 * holds them after, in the order of their inodes). A namespace that
 * cannot be entered is said on stderr and fn is not called for it (its
 * error set); processes that could not be inspected are said too. An
 * error that leaves no view at all (no /proc, no way back) ends the
 * program. Returns how many namespaces could not be entered or fn
 * failed in (fn says why): the view is partial when not 0. */
size_t shm_ctx_each_ns_or_err(struct ipcns_vec *nsv,
			      int (*fn)(struct ipcns_info *ns, void *arg), void *arg);

/* The usage error of -A given with --ipc-ns, for command cmd. */
void shm_ctx_refuse_all_or_err(const struct shm_ctx *ctx, const char *cmd, bool all);

#endif
