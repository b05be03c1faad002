/*
 * lib/compat/tests/port_vm_support.h: what port_test.c, vm_test.c and
 * misc_test.c share. The binaries run once on the embedded kernel
 * (MACHPORTS_BACKEND unset) and once under machportd
 * (MACHPORTS_BACKEND=machportd, //lib/machportd:tests/with_machportd.sh).
 * Each test ends in cp_teardown: the calling thread is back on the default
 * task, whose space holds only its task-self and bootstrap names (nothing
 * a test made is left), and the kernel's invariants hold.
 */
#ifndef MP_COMPAT_PORT_VM_SUPPORT_H
#define MP_COMPAT_PORT_VM_SUPPORT_H

#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_port.h>
#include <mach/mach_vm.h>
#include <mach/notify.h>
#include <mach/vm_map.h>

#include "machports/compat.h"
#include "machports/port.h"
#include "machports/testing.h"

/* A name that is no task port in any space. */
#define CP_NOT_A_TASK 0xdead0103u

/* The names in `ct`'s space (lib/port's view, not the call under test). */
static inline uint32_t cp_name_count(mp_compat_task_t *ct)
{
	mp_port_name_t *names = NULL;
	mp_port_type_t *types = NULL;
	uint32_t n = 0;

	assert_int_equal(mp_port_names(mp_compat_port_task(ct), &names, &types, &n), MP_KERN_SUCCESS);
	free(names);
	free(types);
	return n;
}

/* Whether `ct`'s space has `name` (lib/port's view). */
static inline int cp_has_name(mp_compat_task_t *ct, mach_port_name_t name)
{
	mp_port_type_t type = 0;

	return mp_port_type(mp_compat_port_task(ct), name, &type) == MP_KERN_SUCCESS;
}

/* Whether the page holding `addr` is mapped in this process. */
static inline int cp_mapped(uint64_t addr)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char vec;
	void *p = (void *)(uintptr_t)(addr & ~(uint64_t)(page - 1));

	return mincore(p, (size_t)page, &vec) == 0;
}

static inline int cp_teardown(void **state)
{
	mp_kernel_report_t r;
	(void)state;

	(void)mp_compat_set_current(NULL);
	assert_int_equal(cp_name_count(mp_compat_task_default()), 2);
	assert_true(cp_has_name(mp_compat_task_default(), MP_COMPAT_TASK_SELF_NAME));
	assert_true(cp_has_name(mp_compat_task_default(), MP_COMPAT_BOOTSTRAP_NAME));
	if (mp_backend_check(mp_compat_backend(), &r) != 0)
		fail_msg("no kernel to check: %s", r.why);
	if (!r.ok)
		fail_msg("kernel invariant broken: %s", r.why);
	return 0;
}

#define T(fn) cmocka_unit_test_teardown(fn, cp_teardown)

/* A receive right in the current task. */
static inline mach_port_name_t cp_port(void)
{
	mach_port_name_t n = MACH_PORT_NULL;

	assert_int_equal(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &n), KERN_SUCCESS);
	return n;
}

/* Destroys the receive right `n` of the current task (and its name). */
static inline void cp_drop(mach_port_name_t n)
{
	assert_int_equal(mach_port_mod_refs(mach_task_self(), n, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
}

#endif /* MP_COMPAT_PORT_VM_SUPPORT_H */
