/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Whether the caller holds a capability where the kernel checks it: the
 * user namespace chain, and the id maps. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/userns.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* init (owner 0) > A (created by uid 1000) > B (created by 0 in A) */
static const struct userns_link INIT = { 4, 0xeffffffd, 0 };
static const struct userns_link A = { 4, 0xf0000001, 1000 };
static const struct userns_link B = { 4, 0xf0000002, 0 };
static const struct userns_link OTHER = { 4, 0xf0000003, 1000 };

static void test_chain(void **state)
{
	const struct userns_link own[] = { INIT };
	const struct userns_link a_up[] = { A, INIT };
	const struct userns_link b_up[] = { B, A, INIT };
	const struct userns_link b_to_a[] = { B, A };
	(void)state;

	/* the IPC namespace belongs to the caller's own: CapEff decides */
	assert_true(userns_chain_capable(own, 1, &INIT, 0, true));
	assert_false(userns_chain_capable(own, 1, &INIT, 0, false));
	assert_true(userns_chain_capable(b_to_a + 1, 1, &A, 0, true));
	/* owned by an ancestor of the caller's (unshare -U in a shared IPC
	 * namespace): the kernel shows no chain, whatever CapEff says */
	assert_false(userns_chain_capable(NULL, 0, &A, 0, true));
	/* below the caller's own: its capabilities reach down */
	assert_true(userns_chain_capable(a_up, 2, &INIT, 0, true));
	assert_true(userns_chain_capable(b_up, 3, &INIT, 0, true));
	/* without them, only the owner of the child of its namespace on
	 * the way holds them */
	assert_true(userns_chain_capable(a_up, 2, &INIT, 1000, false));
	assert_false(userns_chain_capable(a_up, 2, &INIT, 1001, false));
	assert_true(userns_chain_capable(b_up, 3, &INIT, 1000, false));
	assert_false(userns_chain_capable(b_up, 3, &INIT, 0, false));   /* B's owner is 0 in A */
	assert_true(userns_chain_capable(b_to_a, 2, &A, 0, false));
	/* a chain that never reaches the caller's namespace: a sibling */
	assert_false(userns_chain_capable(&OTHER, 1, &A, 1000, true));
	assert_false(userns_chain_capable(b_to_a, 2, &OTHER, 0, true));
}

static void test_parse_map(void **state)
{
	struct userns_range r[4];
	size_t n = 99;
	(void)state;

	assert_int_equal(userns_parse_map("         0          0 4294967295\n", r, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_true(r[0].inside == 0 && r[0].outside == 0 && r[0].count == 4294967295u);
	assert_int_equal(userns_parse_map("0 65534 1\n1 100000 65536\n", r, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_true(r[1].inside == 1 && r[1].outside == 100000 && r[1].count == 65536);
	assert_int_equal(userns_parse_map("", r, 4, &n), 0);     /* no map written yet */
	assert_int_equal(n, 0);
	assert_int_equal(userns_parse_map("0 0\n", r, 4, &n), -EINVAL);
	assert_int_equal(userns_parse_map("0 0 x\n", r, 4, &n), -EINVAL);
	assert_int_equal(userns_parse_map("0 0 4294967296\n", r, 4, &n), -EINVAL);
	assert_int_equal(userns_parse_map("0 0 1 2\n", r, 4, &n), -EINVAL);
	assert_int_equal(userns_parse_map("0 0 1\n1 1 1\n2 2 1\n3 3 1\n4 4 1\n", r, 4, &n),
			 -EINVAL);
}

static void test_id_mapped(void **state)
{
	const struct userns_range all[] = { { 0, 0, 4294967295u } };
	const struct userns_range root_only[] = { { 0, 65534, 1 } };    /* unshare -Ur as 65534 */
	const struct userns_range wide[] = { { 0, 100000, 65536 } };
	(void)state;

	assert_true(userns_id_mapped(all, 1, 65534, 65534));
	assert_true(userns_id_mapped(root_only, 1, 0, 65534));
	assert_true(userns_id_mapped(root_only, 1, 1000, 65534));      /* not the overflow id */
	/* the overflow id outside every range: an unmapped owner */
	assert_false(userns_id_mapped(root_only, 1, 65534, 65534));
	assert_false(userns_id_mapped(NULL, 0, 65534, 65534));
	/* inside a range it may be a real one: counted as mapped */
	assert_true(userns_id_mapped(wide, 1, 65534, 65534));
	assert_false(userns_id_mapped(wide, 1, 70000, 70000));
}

/* The test runs as root in its own user namespace's IPC namespace, or
 * without CAP_SYS_ADMIN: the answer is CapEff's. */
static void test_ipc_capable_here(void **state)
{
	(void)state;
	if (geteuid() == 0)
		assert_true(userns_ipc_capable(21));
	assert_true(userns_file_ids_mapped(geteuid(), getegid()));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_parse_map),
		cmocka_unit_test(test_id_mapped),
		cmocka_unit_test(test_ipc_capable_here),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
