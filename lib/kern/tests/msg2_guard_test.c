/*
 * lib/kern/tests/msg2_guard_test.c: the guard exceptions mach_msg2 raises
 * (ipc/ipc_policy.c mach_port_guard_exception from
 * ipc_preflight_msg_option64 and ipc_validate_kmsg_dest_from_user):
 * kGUARD_EXC_INVALID_OPTIONS, target 0, the payload the options as the
 * kernel holds them (ipc_current_user_policy: the user bits, the default
 * policy, MACH64_MACH_MSG2), always fatal on XNU. A good call raises none.
 * (The embedded kernel only: lib/port has no call that reads a machportd
 * space's events yet.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "lib/kern/kern.h"
#include "machports/le.h"
#include "machports/msg.h"

#define SND (MP_MACH_SEND_MSG | MP_MACH_SEND_TIMEOUT)

static mp_kspace_t *new_space(mp_kern_t *k, mp_port_name_t *port)
{
	mp_kern_identity_t id;
	mp_kspace_t *s = NULL;

	mp_kern_identity_self(&id);
	assert_int_equal(mp_kern_space_create(k, &id, &s), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_allocate(s, MP_PORT_RIGHT_RECEIVE, port), MP_KERN_SUCCESS);
	return s;
}

static mp_kern_msg2_args_t args(uint8_t *buf, mp_port_name_t dest, uint64_t options)
{
	mp_kern_msg2_args_t a;

	memset(&a, 0, sizeof(a));
	memset(buf, 0, 32);
	a.options = options;
	a.data = buf;
	a.bits = MP_MSGH_BITS_SET_PORTS(MP_MSG_TYPE_MAKE_SEND, 0, 0);
	a.send_size = 32;
	a.remote = dest;
	a.id = 5;
	return a;
}

static void expect_one_invalid_options(mp_kspace_t *s, uint64_t payload)
{
	mp_kern_guard_event_t ev[4];

	assert_int_equal(mp_kern_space_guard_events(s, ev, 4, NULL), 1);
	assert_int_equal(ev[0].flavor, MP_GUARD_EXC_INVALID_OPTIONS);
	assert_int_equal(ev[0].target, 0);
	assert_true(ev[0].payload == payload);
	assert_true(ev[0].code == MP_GUARD_EXC_CODE(MP_GUARD_EXC_INVALID_OPTIONS, 0));
	assert_true(ev[0].always_fatal);
}

static void preflight_raises_invalid_options(void **state)
{
	mp_kern_t *k = mp_kern_create();
	mp_port_name_t p;
	mp_kspace_t *s = new_space(k, &p);
	uint8_t buf[64];
	mp_kern_msg2_args_t a = args(buf, p, SND | (1ull << 45));

	(void)state;
	/* no CFI bit; bit 45 is not a user bit and is dropped from the payload */
	assert_int_equal(mp_kern_msg2(s, &a), MP_MACH_SEND_INVALID_OPTIONS);
	expect_one_invalid_options(s, SND | MP_MACH64_POLICY_DEFAULT | MP_MACH64_MACH_MSG2);
	/* FILTER_NONFATAL becomes its policy bit */
	a = args(buf, p, SND | MP_MACH_SEND_FILTER_NONFATAL | MP_MACH64_SEND_MQ_CALL | MP_MACH64_SEND_DK_CALL);
	assert_int_equal(mp_kern_msg2(s, &a), MP_MACH_SEND_INVALID_OPTIONS);
	expect_one_invalid_options(s, SND | MP_MACH64_SEND_MQ_CALL | MP_MACH64_SEND_DK_CALL |
					      MP_MACH64_POLICY_FILTER_NON_FATAL | MP_MACH64_POLICY_DEFAULT |
					      MP_MACH64_MACH_MSG2);
	/* a good send raises nothing */
	a = args(buf, p, SND | MP_MACH64_SEND_MQ_CALL);
	assert_int_equal(mp_kern_msg2(s, &a), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_kern_space_guard_events(s, NULL, 0, NULL), 0);
	mp_kern_space_destroy(s);
	mp_kern_destroy(k);
}

static void dest_kind_raises_invalid_options(void **state)
{
	mp_kern_t *k = mp_kern_create();
	mp_port_name_t p;
	mp_kspace_t *s = new_space(k, &p);
	uint8_t buf[64];
	mp_kern_msg2_args_t a = args(buf, p, SND | MP_MACH64_SEND_KOBJECT_CALL);
	char why[256];

	(void)state;
	assert_int_equal(mp_kern_msg2(s, &a), MP_MACH_SEND_INVALID_OPTIONS);
	expect_one_invalid_options(s, SND | MP_MACH64_SEND_KOBJECT_CALL | MP_MACH64_POLICY_DEFAULT |
					      MP_MACH64_MACH_MSG2);
	assert_int_equal(mp_kern_check(k, why, sizeof(why)), 0);
	mp_kern_space_destroy(s);
	mp_kern_destroy(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(preflight_raises_invalid_options),
		cmocka_unit_test(dest_kind_raises_invalid_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
