// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the cgroup path parser (core/cgroup.c): the unit, the
 * container and the pod of /proc/PID/cgroup texts as each runtime and
 * driver writes them (tests/fixtures/cgroup), and the shapes that must
 * give nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/cgroup.h"

#define DOCKER "d548c5b83fa61d8e3bd86ad42a7ffea9b7c86e3f9d8095c1577d3e1270bb9420"
#define PODMAN "2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9"
#define CTRD   "2397d068a8d1552a4c3f9147ba9c94e086bfd66fb2acb5bbaf47197105127d5f"
#define CRIO   "c64064614423cb790e88b3e5492ff5ccf673b25ae823089f7a60c65cda24d809"
#define K8SDOCKER "bacfd3abce0724663fdd5182a15e26aa4f2f88a4e65e4acc875b4a4196ac6c7b"
#define POD    "3f5a1b2c-1234-4d6e-8f90-a1b2c3d4e5f6"

/* What each fixture must give; NULL: nothing. */
static const struct {
	const char *file, *unit, *runtime, *id, *pod;
} cases[] = {
	{ "systemd-service", "postgresql@15-main.service", NULL, NULL, NULL },
	{ "systemd-session", "session-4.scope", NULL, NULL, NULL },
	/* a user's own units are below user@UID.service: the system unit */
	{ "systemd-user-unit", "user@1000.service", NULL, NULL, NULL },
	{ "docker-systemd", "docker-" DOCKER ".scope", "docker", DOCKER, NULL },
	{ "docker-cgroupfs", NULL, "docker", DOCKER, NULL },
	{ "docker-hybrid", NULL, "docker", DOCKER, NULL },
	{ "podman-systemd", "libpod-" PODMAN ".scope", "podman", PODMAN, NULL },
	/* the user names what is below user@UID.service: no container */
	{ "podman-rootless", "user@1000.service", NULL, NULL, NULL },
	{ "podman-conmon", "libpod-conmon-" PODMAN ".scope", NULL, NULL, NULL },
	{ "podman-cgroupfs", NULL, "podman", PODMAN, NULL },
	{ "k8s-containerd-systemd", "cri-containerd-" CTRD ".scope", "containerd", CTRD, POD },
	{ "k8s-containerd-cgroupfs", NULL, "", CTRD, POD },
	{ "k8s-crio-systemd", "crio-" CRIO ".scope", "cri-o", CRIO, POD },
	{ "k8s-crio-cgroupfs", NULL, "cri-o", CRIO, POD },
	{ "k8s-docker-systemd", "docker-" K8SDOCKER ".scope", "docker", K8SDOCKER, POD },
	{ "root", NULL, NULL, NULL, NULL },
	{ "init", "init.scope", NULL, NULL, NULL },
	/* 63 digits: a scope, no container */
	{ "docker-short-id", "docker-d548c5b83fa61d8e3bd86ad42a7ffea9b7c86e3f9d8095c1577d3e1270bb942.scope",
	  NULL, NULL, NULL },
	{ "not-kubepods", NULL, NULL, NULL, NULL },     /* pod<UID> not under kubepods */
};

/* The cgroup v2 path of a fixture, as a string. */
static char *fixture_path(const char *name)
{
	char file[512], buf[4096];
	const char *p;
	size_t len, n;
	FILE *f;

	snprintf(file, sizeof(file), "%s/cgroup/%s", FIXTURES, name);
	f = fopen(file, "r");
	assert_non_null(f);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (!cgroup_v2_path(buf, len, &p, &n))
		return NULL;
	return strndup(p, n);
}

static void test_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = fixture_path(cases[i].file);
		char unit[256], pod[CGROUP_POD_LEN + 1];
		struct cgroup_container c;

		print_message("%s\n", cases[i].file);
		assert_non_null(path);
		if (cases[i].unit) {
			assert_true(cgroup_unit(path, unit, sizeof(unit)));
			assert_string_equal(unit, cases[i].unit);
		} else {
			assert_false(cgroup_unit(path, unit, sizeof(unit)));
		}
		if (cases[i].id) {
			assert_true(cgroup_container(path, &c));
			assert_string_equal(c.runtime, cases[i].runtime);
			assert_string_equal(c.id, cases[i].id);
		} else {
			assert_false(cgroup_container(path, &c));
		}
		if (cases[i].pod) {
			assert_true(cgroup_pod(path, pod));
			assert_string_equal(pod, cases[i].pod);
		} else {
			assert_false(cgroup_pod(path, pod));
		}
		free(path);
	}
}

/* The "0::" line among others, last or not, with or without its
 * newline; none on a cgroup v1 only host. */
static void test_v2_line(void **state)
{
	static const char hybrid[] = "12:pids:/a\n1:name=systemd:/b\n0::/c/d\n";
	const char *p;
	size_t n;

	(void)state;
	assert_true(cgroup_v2_path(hybrid, strlen(hybrid), &p, &n));
	assert_int_equal(n, 4);
	assert_memory_equal(p, "/c/d", 4);
	assert_true(cgroup_v2_path("0::/x", 5, &p, &n));
	assert_int_equal(n, 2);
	assert_true(cgroup_v2_path("0::\n", 4, &p, &n));
	assert_int_equal(n, 0);
	assert_false(cgroup_v2_path("1:name=systemd:/x\n", 18, &p, &n));
	assert_false(cgroup_v2_path("10::/x\n", 7, &p, &n));
	assert_false(cgroup_v2_path("0:", 2, &p, &n));
	assert_false(cgroup_v2_path("", 0, &p, &n));
	/* a cgroup named "b\nc": no line is the path */
	assert_false(cgroup_v2_path("0::/a/b\nc\n", 10, &p, &n));
	assert_false(cgroup_v2_path("0::/a\n1:x:/y\n", 13, &p, &n));
	assert_null(fixture_path("v1-only"));
}

/* Names that only look like units or containers. */
static void test_shapes(void **state)
{
	char unit[16], pod[CGROUP_POD_LEN + 1];
	struct cgroup_container c;

	(void)state;
	assert_false(cgroup_unit("/system.slice/.service", unit, sizeof(unit)));
	assert_false(cgroup_unit("/a.slice/b", unit, sizeof(unit)));
	assert_false(cgroup_unit("", unit, sizeof(unit)));
	/* a unit name longer than the buffer: refused, not cut */
	assert_false(cgroup_unit("/averyveryverylong.service", unit, sizeof(unit)));
	assert_true(cgroup_unit("//x.service//", unit, sizeof(unit)));
	assert_string_equal(unit, "x.service");
	/* the outermost wins: a service's own sub-cgroup */
	assert_true(cgroup_unit("/system.slice/foo.service/worker", unit, sizeof(unit)));
	assert_string_equal(unit, "foo.service");
	/* upper-case hex is not how runtimes write ids */
	assert_false(cgroup_container("/docker/D548C5B83FA61D8E3BD86AD42A7FFEA9B7C86E3F9D8095C1577D3E1270BB9420", &c));
	assert_false(cgroup_container("/system.slice/docker-" DOCKER "x.scope", &c));
	assert_false(cgroup_container("/" DOCKER, &c));         /* a bare id, no parent */
	assert_false(cgroup_container("/other/" DOCKER, &c));
	/* nested: the outermost, which the runtime made; a container that
	 * names cgroups below its own does not pass for another */
	assert_true(cgroup_container("/docker/" DOCKER "/docker/" PODMAN, &c));
	assert_string_equal(c.id, DOCKER);
	assert_true(cgroup_container("/system.slice/docker-" DOCKER ".scope/docker-" PODMAN ".scope", &c));
	assert_string_equal(c.id, DOCKER);
	/* only where the runtime puts it: docker's scope in system.slice
	 * itself, not deeper nor elsewhere; a pod's only under kubepods at
	 * the top */
	assert_false(cgroup_container("/system.slice/x.service/docker-" DOCKER ".scope", &c));
	assert_false(cgroup_container("/user.slice/docker-" DOCKER ".scope", &c));
	assert_false(cgroup_container("/a/kubepods.slice/cri-containerd-" DOCKER ".scope", &c));
	assert_false(cgroup_container("/user.slice/user-1000.slice/user@1000.service/app.slice/"
				      "docker-" DOCKER ".scope", &c));
	assert_false(cgroup_pod("/user.slice/user-1000.slice/user@1000.service/kubepods.slice/"
				"kubepods-pod3f5a1b2c_1234_4d6e_8f90_a1b2c3d4e5f6.slice", pod));
	/* a pod UID with the wrong separators, or not hex */
	assert_false(cgroup_pod("/kubepods/pod3f5a1b2c_1234_4d6e_8f90_a1b2c3d4e5f6", pod));
	assert_false(cgroup_pod("/kubepods.slice/kubepods-pod" POD ".slice", pod));
	assert_false(cgroup_pod("/kubepods/podzf5a1b2c-1234-4d6e-8f90-a1b2c3d4e5f6", pod));
	assert_false(cgroup_pod("/kubepods.slice/kubepods-burstable.slice", pod));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_v2_line),
		cmocka_unit_test(test_shapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
