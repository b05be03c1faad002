/*
 * lib/compat/tests/msg_test_support.h: what msg_test.c and server_test.c
 * share. Programs written against Apple's API (<mach/mach.h>), with ports
 * made through lib/port on the compat tasks' own spaces
 * (mp_compat_port_task), since mach_port_* are another file's.
 *
 * Backends: MACHPORTS_BACKEND selects compat's backend; under
 * //lib/machportd:tests/with_machportd.sh (MP_TEST_BACKEND=machportd) main
 * sets it to machportd before the first Mach call. Every test ends in
 * ct_teardown: the thread is back on the default task, the test's tasks
 * are destroyed, the default task holds only its two names, the kernel's
 * invariants hold and it holds exactly what it held before the test
 * (spaces, ports, sets, messages, OOL regions).
 */
#ifndef MP_COMPAT_MSG_TEST_SUPPORT_H
#define MP_COMPAT_MSG_TEST_SUPPORT_H

#define _POSIX_C_SOURCE 200809L /* setenv */
#include <mach/mach.h>
#include <mach/notify.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machports/compat.h"
#include "machports/port.h"
#include "machports/testing.h"

#define CT_MAX_TASKS 8
static mp_compat_task_t *ct_tasks[CT_MAX_TASKS];
static int ct_ntasks;
static mp_kernel_report_t ct_baseline;

/* compat's backend from the harness's MP_TEST_BACKEND, then the baseline
 * the teardown compares with (the process's hidden and default tasks). */
static inline void ct_init(void)
{
	const char *b = getenv("MP_TEST_BACKEND");

	if (b != NULL && strcmp(b, "machportd") == 0 && getenv("MACHPORTS_BACKEND") == NULL)
		setenv("MACHPORTS_BACKEND", "machportd", 1);
	(void)mp_compat_task_default();
	if (mp_backend_check(mp_compat_backend(), &ct_baseline) != 0 || !ct_baseline.ok) {
		fprintf(stderr, "no kernel to check: %s\n", ct_baseline.why);
		exit(1);
	}
	printf("compat backend: %s\n", mp_compat_backend() == MP_BACKEND_MACHPORTD ? "machportd" : "kern");
}

/* A new compat task, destroyed by the teardown. */
static inline mp_compat_task_t *ct_task(void)
{
	mp_compat_task_t *t = NULL;

	assert_int_equal(mp_compat_task_create(&t), KERN_SUCCESS);
	assert_true(ct_ntasks < CT_MAX_TASKS);
	ct_tasks[ct_ntasks++] = t;
	return t;
}

/* Destroys a task early (task death), so the teardown does not again. */
static inline void ct_kill(mp_compat_task_t *t)
{
	for (int i = 0; i < ct_ntasks; i++) {
		if (ct_tasks[i] == t) {
			ct_tasks[i] = ct_tasks[--ct_ntasks];
			break;
		}
	}
	mp_compat_task_destroy(t);
}

/* The lib/port task under the thread's current task. */
static inline mp_task_t *ct_self(void)
{
	return mp_compat_port_task(mp_compat_current());
}

/* The number of names in a space. */
static inline uint32_t ct_names(mp_task_t *t)
{
	mp_port_name_t *names = NULL;
	mp_port_type_t *types = NULL;
	uint32_t n = 0;

	assert_int_equal(mp_port_names(t, &names, &types, &n), KERN_SUCCESS);
	free(names);
	free(types);
	return n;
}

static inline int ct_teardown(void **state)
{
	mp_kernel_report_t r;

	(void)state;
	(void)mp_compat_set_current(NULL);
	while (ct_ntasks > 0)
		mp_compat_task_destroy(ct_tasks[--ct_ntasks]);
	/* the default task: its task-self and bootstrap names only */
	assert_int_equal(ct_names(mp_compat_port_task(mp_compat_task_default())), 2);
	assert_int_equal(mp_backend_check(mp_compat_backend(), &r), 0);
	if (!r.ok)
		fail_msg("kernel invariant broken: %s", r.why);
	if (r.spaces != ct_baseline.spaces || r.ports != ct_baseline.ports || r.psets != ct_baseline.psets ||
	    r.kmsgs != ct_baseline.kmsgs || r.vm_regions != ct_baseline.vm_regions)
		fail_msg("left after the test: %u spaces, %u ports, %u sets, %u messages, %u OOL regions "
			 "(before: %u, %u, %u, %u, %u)",
			 r.spaces, r.ports, r.psets, r.kmsgs, r.vm_regions, ct_baseline.spaces, ct_baseline.ports,
			 ct_baseline.psets, ct_baseline.kmsgs, ct_baseline.vm_regions);
	return 0;
}

#define CT(fn) cmocka_unit_test_teardown(fn, ct_teardown)

/* A receive right in t. */
static inline mach_port_t ct_port(mp_task_t *t)
{
	mp_port_name_t n = 0;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &n), KERN_SUCCESS);
	return n;
}

/* A receive right with one send right under the same name. */
static inline mach_port_t ct_port_send(mp_task_t *t)
{
	mach_port_t n = ct_port(t);

	assert_int_equal(mp_port_insert_right(t, n, t, n, MP_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	return n;
}

static inline uint32_t ct_refs(mp_task_t *t, mach_port_t n, mp_port_right_t right)
{
	uint32_t refs = 0xdead;

	assert_int_equal(mp_port_get_refs(t, n, right, &refs), KERN_SUCCESS);
	return refs;
}

/* The name's type, or 0 if the name is not in the space. */
static inline mp_port_type_t ct_type(mp_task_t *t, mach_port_t n)
{
	mp_port_type_t type = 0;
	kern_return_t kr = mp_port_type(t, n, &type);

	if (kr == KERN_INVALID_NAME)
		return 0;
	assert_int_equal(kr, KERN_SUCCESS);
	return type;
}

static inline mp_port_status_t ct_status(mp_task_t *t, mach_port_t n)
{
	mp_port_status_t st;

	assert_int_equal(mp_port_get_status(t, n, &st), KERN_SUCCESS);
	return st;
}

/* Receives (poll) on `port` in the current task and returns the id, or -1;
 * the message is destroyed with mach_msg_destroy. */
static inline mach_msg_id_t ct_recv_id(mach_port_t port)
{
	union {
		mach_msg_header_t h;
		uint8_t bytes[8192];
	} buf;
	mach_msg_return_t mr;

	memset(&buf, 0, sizeof buf);
	mr = mach_msg(&buf.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof buf, port, 0, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return -1;
	mach_msg_destroy(&buf.h);
	return buf.h.msgh_id;
}

#endif /* MP_COMPAT_MSG_TEST_SUPPORT_H */
