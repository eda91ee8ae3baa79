/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Who owns a process, told from its cgroup v2 path: the systemd unit, the
 * container and the Kubernetes pod. Pure: text in, text out. Only the
 * path shapes that systemd, docker, podman, containerd (CRI) and CRI-O
 * write are recognised; any other shape gives nothing, never a guess. */
#ifndef SHMTOOL_CGROUP_H
#define SHMTOOL_CGROUP_H

#include <stdbool.h>
#include <stddef.h>

/* The cgroup v2 path in the text of /proc/PID/cgroup (len bytes): the
 * PATH of its "0::PATH" line, *plen bytes at *path, without the newline.
 * Returns false when there is no such line (a cgroup v1 only host), or
 * when text follows it (the kernel writes it last: a cgroup's name held
 * a newline, and the line is not the whole path). */
bool cgroup_v2_path(const char *buf, size_t len, const char **path, size_t *plen);

/* The systemd unit a process runs in: the outermost component of path
 * that names a service or a scope, the system unit ("foo.service",
 * "session-4.scope"; "user@UID.service" for a user's own services, whose
 * names the user chooses). Copied into unit (sz bytes); false when there
 * is none or it does not fit. */
bool cgroup_unit(const char *path, char *unit, size_t sz);

/* Length of a container id as the runtimes write it: 64 hex digits. */
#define CGROUP_ID_LEN 64

struct cgroup_container {
	const char *runtime;    /* "docker", "podman", "containerd", "cri-o",
				 * or "" for a Kubernetes container whose
				 * runtime its path does not tell */
	char id[CGROUP_ID_LEN + 1];
};

/* The outermost container in path, where its runtime puts it (docker
 * and libpod scopes directly in system.slice and machine.slice, /docker,
 * /libpod_parent, a pod's under a top-level kubepods), never below a
 * user@UID.service. Returns false when there is none. */
bool cgroup_container(const char *path, struct cgroup_container *c);

/* A pod UID as Kubernetes writes it: 8-4-4-4-12 hex digits. */
#define CGROUP_POD_LEN 36

/* The Kubernetes pod of path (a kubepods slice or directory under a
 * top-level kubepods), its UID with dashes into pod (CGROUP_POD_LEN + 1
 * bytes). */
bool cgroup_pod(const char *path, char pod[static CGROUP_POD_LEN + 1]);

#endif
