/*
 * lib/kern/tests/notify_guard_test.c: the guard exception of a refused
 * port-destroyed request. XNU's mach_port_request_notification (case
 * MACH_NOTIFY_PORT_DESTROYED) answers a second request with KERN_FAILURE and
 * raises mach_port_guard_exception(name, 0, kGUARD_EXC_KERN_FAILURE). The
 * event log is the embedded kernel's (mp_kern_space_guard_events); the
 * return codes are checked on both backends by lib/port's notify_test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/kern/kern.h"
#include "machports/wire.h"

static void second_port_destroyed_request_raises_kern_failure(void **state)
{
	mp_kern_t *k = mp_kern_create();
	mp_kspace_t *s = NULL;
	mp_port_name_t p = 0, n = 0, prev = 0;
	mp_kern_guard_event_t ev[4];
	char why[256];
	(void)state;

	assert_non_null(k);
	assert_int_equal(mp_kern_space_create(k, NULL, &s), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_allocate(s, MP_PORT_RIGHT_RECEIVE, &p), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_allocate(s, MP_PORT_RIGHT_RECEIVE, &n), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_request_notification(s, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, n,
							   MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_space_guard_events(s, ev, 4, NULL), 0);
	assert_int_equal(mp_kern_port_request_notification(s, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0,
							   MP_PORT_NULL, 0, &prev),
			 MP_KERN_FAILURE);
	assert_int_equal(mp_kern_space_guard_events(s, ev, 4, NULL), 1);
	assert_int_equal(ev[0].flavor, MP_GUARD_EXC_KERN_FAILURE);
	assert_int_equal(ev[0].target, p);
	assert_int_equal(ev[0].payload, 0);
	assert_int_equal(ev[0].code, MP_GUARD_EXC_CODE(MP_GUARD_EXC_KERN_FAILURE, p));
	assert_false(ev[0].always_fatal);
	/* a refused sync is not a guard exception */
	assert_int_equal(mp_kern_port_request_notification(s, n, MP_MACH_NOTIFY_PORT_DESTROYED, 1,
							   MP_PORT_NULL, 0, &prev),
			 MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_kern_space_guard_events(s, ev, 4, NULL), 0);
	assert_int_equal(mp_kern_check(k, why, sizeof why), 0);
	mp_kern_space_destroy(s);
	assert_int_equal(mp_kern_check(k, why, sizeof why), 0);
	mp_kern_destroy(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(second_port_destroyed_request_raises_kern_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
