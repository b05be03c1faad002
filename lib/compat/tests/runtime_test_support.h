/*
 * lib/compat/tests/runtime_test_support.h: helpers for the tests of
 * the compat runtime's tasks, bootstrap and fork. These tests use the
 * harness API (machports/compat.h) and lib/port to look inside a task's
 * space, so they are not Apple-API programs: they live here, not in
 * lib/compat/tests/ (which scripts/check-darwin-abi compiles against the
 * SDK). Each binary runs twice: on the embedded kernel, and under
 * //lib/machportd:tests/with_machportd.sh with MACHPORTS_BACKEND=machportd.
 */
#ifndef MP_COMPAT_RUNTIME_TEST_SUPPORT_H
#define MP_COMPAT_RUNTIME_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <mach/mach.h>

#include "machports/compat.h"
#include "machports/port.h"
#include "machports/testing.h"

/* The lib/port task under the calling thread's current task. */
static inline mp_task_t *cur_task(void)
{
	return mp_compat_port_task(mp_compat_current());
}

static inline uint32_t refs_of(mp_task_t *t, mp_port_name_t n, mp_port_right_t r)
{
	uint32_t refs = 0xdead;
	assert_int_equal(mp_port_get_refs(t, n, r, &refs), MP_KERN_SUCCESS);
	return refs;
}

static inline mp_port_type_t type_of(mp_task_t *t, mp_port_name_t n)
{
	mp_port_type_t type = 0;
	assert_int_equal(mp_port_type(t, n, &type), MP_KERN_SUCCESS);
	return type;
}

/* How many names the task's space has (mach_port_names). */
static inline uint32_t count_names(mp_task_t *t)
{
	mp_port_name_t *names = NULL;
	mp_port_type_t *types = NULL;
	uint32_t n = 0;
	assert_int_equal(mp_port_names(t, &names, &types, &n), MP_KERN_SUCCESS);
	free(names);
	free(types);
	return n;
}

/* 1 if the space holds exactly the task-self and bootstrap send rights,
 * one uref each (what a new task, or a forked child's, starts with). */
static inline int has_only_the_two_rights(mp_task_t *t)
{
	mp_port_name_t *names = NULL;
	mp_port_type_t *types = NULL;
	uint32_t n = 0, refs0 = 0, refs1 = 0;
	int ok;

	if (mp_port_names(t, &names, &types, &n) != MP_KERN_SUCCESS)
		return 0;
	ok = n == 2 && names[0] == MP_COMPAT_TASK_SELF_NAME && types[0] == MP_PORT_TYPE_SEND &&
	     names[1] == MP_COMPAT_BOOTSTRAP_NAME && types[1] == MP_PORT_TYPE_SEND &&
	     mp_port_get_refs(t, names[0], MP_PORT_RIGHT_SEND, &refs0) == MP_KERN_SUCCESS && refs0 == 1 &&
	     mp_port_get_refs(t, names[1], MP_PORT_RIGHT_SEND, &refs1) == MP_KERN_SUCCESS && refs1 == 1;
	free(names);
	free(types);
	return ok;
}

/* The backend's kernel keeps its invariants. */
static inline void kernel_ok(void)
{
	mp_kernel_report_t r;
	assert_int_equal(mp_backend_check(mp_compat_backend(), &r), 0);
	if (!r.ok)
		fail_msg("kernel invariant broken: %s", r.why);
}

#endif
