/*
 * lib/kern/tests/reply_port_guard_test.c: the guard exceptions XNU raises
 * for reply-port violations (issue12-xnu.md §5, §10.4), read with
 * mp_kern_space_guard_events: ipc_kmsg_copyin_header's
 * kGUARD_EXC_SEND_INVALID_REPLY on the reply name,
 * ipc_right_copyin_check_reply's kGUARD_EXC_REQUIRE_REPLY_PORT_SEMANTICS,
 * ipc_right_copyin's kGUARD_EXC_INVALID_RIGHT / kGUARD_EXC_IMMOVABLE on a
 * real reply port, and mach_port_request_notification's INVALID_RIGHT. The
 * codes and rights of the same cases are lib/port's reply_port_test (both
 * backends).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "lib/kern/kern.h"
#include "machports/msg.h"

static mp_kern_t *k;
static mp_kspace_t *a, *b;

static int setup(void **state)
{
	(void)state;
	k = mp_kern_create();
	assert_int_equal(mp_kern_space_create(k, NULL, &a), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_space_create(k, NULL, &b), MP_KERN_SUCCESS);
	return 0;
}

static int teardown(void **state)
{
	char why[256];
	(void)state;
	assert_int_equal(mp_kern_check(k, why, sizeof why), 0);
	mp_kern_destroy(k);
	return 0;
}

static mp_port_name_t construct(mp_kspace_t *s, uint32_t flags)
{
	mp_port_name_t n = 0;
	assert_int_equal(mp_kern_port_construct(s, flags, 0, 0, &n), MP_KERN_SUCCESS);
	return n;
}

static mp_port_name_t give_send(mp_kspace_t *from, mp_port_name_t n, mp_kspace_t *to)
{
	mp_port_name_t out = 0;
	uint32_t type = 0;
	assert_int_equal(mp_kern_port_extract_right(from, n, MP_MSG_TYPE_MAKE_SEND, to, &out, &type),
			 MP_KERN_SUCCESS);
	return out;
}

static mp_kr_t send(mp_kspace_t *s, mp_port_name_t dest, uint32_t ddisp, mp_port_name_t reply, uint32_t rdisp,
		    mp_port_name_t port, uint32_t pdisp)
{
	uint8_t buf[128];
	mp_builder_t bld;
	size_t n = 0;
	mp_builder_init(&bld, buf, sizeof buf, 0);
	mp_builder_set_remote(&bld, dest, ddisp);
	mp_builder_set_local(&bld, reply, rdisp);
	if (pdisp != 0)
		mp_builder_add_port(&bld, port, pdisp);
	assert_int_equal(mp_builder_finish(&bld, &n, NULL), MP_OK);
	return mp_kern_msg(s, buf, MP_MACH_SEND_MSG | MP_MACH_SEND_TIMEOUT, (uint32_t)n, 0, 0, 0);
}

/* Exactly the events (flavor, target) given, payload 0. */
static void expect_events(mp_kspace_t *s, uint32_t n, const uint32_t *flavors, const mp_port_name_t *targets)
{
	mp_kern_guard_event_t ev[8];
	uint32_t dropped = 1;
	uint32_t got = mp_kern_space_guard_events(s, ev, 8, &dropped);
	assert_int_equal(got, n);
	assert_int_equal(dropped, 0);
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(ev[i].flavor, flavors[i]);
		assert_int_equal(ev[i].target, targets[i]);
		assert_int_equal(ev[i].payload, 0);
		assert_int_equal(ev[i].code, MP_GUARD_EXC_CODE(flavors[i], targets[i]));
	}
}

static void expect_none(mp_kspace_t *s)
{
	expect_events(s, 0, NULL, NULL);
}

/* ipc_kmsg_copyin_header: a real reply port as reply with anything but
 * MAKE_SEND_ONCE is MACH_SEND_INVALID_REPLY and kGUARD_EXC_SEND_INVALID_REPLY
 * on the reply name (ipc_right_copyin_check_reply raises nothing itself). */
static void invalid_reply_disposition(void **state)
{
	(void)state;
	assert_int_equal(mp_kern_space_set_hardened(a, 1), MP_KERN_SUCCESS);
	mp_port_name_t rp = construct(a, MP_MPO_REPLY_PORT), server = construct(b, 0);
	mp_port_name_t to_server = give_send(b, server, a);

	assert_int_equal(send(a, to_server, MP_MSG_TYPE_COPY_SEND, rp, MP_MSG_TYPE_MAKE_SEND, 0, 0),
			 MP_MACH_SEND_INVALID_REPLY);
	expect_events(a, 1, (uint32_t[]){ MP_GUARD_EXC_SEND_INVALID_REPLY }, (mp_port_name_t[]){ rp });
	assert_int_equal(send(a, to_server, MP_MSG_TYPE_COPY_SEND, rp, MP_MSG_TYPE_MAKE_SEND_ONCE, 0, 0),
			 MP_MACH_MSG_SUCCESS);
	expect_none(a);
	/* an ordinary invalid reply raises the same */
	assert_int_equal(send(a, to_server, MP_MSG_TYPE_COPY_SEND, 0x4403, MP_MSG_TYPE_MAKE_SEND_ONCE, 0, 0),
			 MP_MACH_SEND_INVALID_REPLY);
	expect_events(a, 1, (uint32_t[]){ MP_GUARD_EXC_SEND_INVALID_REPLY }, (mp_port_name_t[]){ 0x4403 });
}

/* ipc_right_copyin_check_reply: an ENFORCE_REPLY_PORT_SEMANTICS destination
 * and a reply that is not a reply port: kGUARD_EXC_REQUIRE_REPLY_PORT_SEMANTICS
 * then kGUARD_EXC_SEND_INVALID_REPLY, both on the reply name; a default
 * task's provisional reply port passes with none. */
static void enforce_semantics_events(void **state)
{
	(void)state;
	mp_port_name_t server = construct(b, MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS);
	mp_port_name_t to_server = give_send(b, server, a), plain = construct(a, 0);
	mp_port_name_t prov = construct(a, MP_MPO_REPLY_PORT);

	assert_int_equal(send(a, to_server, MP_MSG_TYPE_COPY_SEND, plain, MP_MSG_TYPE_MAKE_SEND_ONCE, 0, 0),
			 MP_MACH_SEND_INVALID_REPLY);
	expect_events(a, 2,
		      (uint32_t[]){ MP_GUARD_EXC_REQUIRE_REPLY_PORT_SEMANTICS, MP_GUARD_EXC_SEND_INVALID_REPLY },
		      (mp_port_name_t[]){ plain, plain });
	assert_int_equal(send(a, to_server, MP_MSG_TYPE_COPY_SEND, prov, MP_MSG_TYPE_MAKE_SEND, 0, 0),
			 MP_MACH_MSG_SUCCESS);
	expect_none(a);
}

/* ipc_right_copyin on a real reply port: MAKE_SEND / COPY_SEND / MOVE_SEND /
 * MAKE_SEND_ONCE in a descriptor -> kGUARD_EXC_INVALID_RIGHT, MOVE_RECEIVE ->
 * kGUARD_EXC_IMMOVABLE (no SEND_INVALID_RIGHT: the copyin's code is
 * KERN_INVALID_CAPABILITY); as destination MAKE_SEND -> INVALID_RIGHT;
 * extract_right alike; a no-senders request -> INVALID_RIGHT. */
static void copyin_events(void **state)
{
	(void)state;
	assert_int_equal(mp_kern_space_set_hardened(a, 1), MP_KERN_SUCCESS);
	mp_port_name_t rp = construct(a, MP_MPO_REPLY_PORT | MP_MPO_INSERT_SEND_RIGHT), server = construct(b, 0);
	mp_port_name_t to_server = give_send(b, server, a), out = 0, prev = 0;
	uint32_t type = 0;

	static const uint32_t sends[] = { MP_MSG_TYPE_MAKE_SEND, MP_MSG_TYPE_COPY_SEND, MP_MSG_TYPE_MOVE_SEND,
					  MP_MSG_TYPE_MAKE_SEND_ONCE };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(send(a, to_server, MP_MSG_TYPE_COPY_SEND, 0, 0, rp, sends[i]),
				 MP_MACH_SEND_INVALID_RIGHT);
		expect_events(a, 1, (uint32_t[]){ MP_GUARD_EXC_INVALID_RIGHT }, (mp_port_name_t[]){ rp });
	}
	assert_int_equal(send(a, to_server, MP_MSG_TYPE_COPY_SEND, 0, 0, rp, MP_MSG_TYPE_MOVE_RECEIVE),
			 MP_MACH_SEND_INVALID_RIGHT);
	expect_events(a, 1, (uint32_t[]){ MP_GUARD_EXC_IMMOVABLE }, (mp_port_name_t[]){ rp });
	assert_int_equal(send(a, rp, MP_MSG_TYPE_MAKE_SEND, 0, 0, 0, 0), MP_MACH_SEND_INVALID_DEST);
	expect_events(a, 1, (uint32_t[]){ MP_GUARD_EXC_INVALID_RIGHT }, (mp_port_name_t[]){ rp });
	assert_int_equal(mp_kern_port_extract_right(a, rp, MP_MSG_TYPE_MOVE_RECEIVE, b, &out, &type),
			 MP_KERN_INVALID_CAPABILITY);
	expect_events(a, 1, (uint32_t[]){ MP_GUARD_EXC_IMMOVABLE }, (mp_port_name_t[]){ rp });
	assert_int_equal(mp_kern_port_extract_right(a, rp, MP_MSG_TYPE_MAKE_SEND_ONCE, b, &out, &type),
			 MP_KERN_INVALID_CAPABILITY);
	expect_events(a, 1, (uint32_t[]){ MP_GUARD_EXC_INVALID_RIGHT }, (mp_port_name_t[]){ rp });
	assert_int_equal(mp_kern_port_insert_right(a, rp, a, rp, MP_MSG_TYPE_COPY_SEND), MP_KERN_SUCCESS);
	expect_none(a);
	assert_int_equal(mp_kern_port_request_notification(a, rp, MP_MACH_NOTIFY_NO_SENDERS, 0, MP_PORT_NULL, 0,
							   &prev),
			 MP_KERN_INVALID_RIGHT);
	expect_events(a, 1, (uint32_t[]){ MP_GUARD_EXC_INVALID_RIGHT }, (mp_port_name_t[]){ rp });
	/* the same calls on a default task's reply port raise nothing */
	mp_port_name_t prov = construct(b, MP_MPO_REPLY_PORT);
	assert_int_equal(mp_kern_port_extract_right(b, prov, MP_MSG_TYPE_MAKE_SEND_ONCE, a, &out, &type),
			 MP_KERN_SUCCESS);
	expect_none(b);
}

/* ipc_port_init: in a hardened task MPO_PROVISIONAL_REPLY_PORT stays
 * provisional (the -provisional_reply_port_enforced boot-arg is off), and a
 * task no longer hardened makes provisional ports again; the flag is the
 * live task's (a dead space: KERN_INVALID_TASK). */
static void hardened_flag(void **state)
{
	(void)state;
	mp_port_name_t out = 0;
	uint32_t type = 0;
	mp_kspace_t *dead = NULL;

	assert_int_equal(mp_kern_space_set_hardened(a, 1), MP_KERN_SUCCESS);
	mp_port_name_t prov = construct(a, MP_MPO_PROVISIONAL_REPLY_PORT);
	assert_int_equal(mp_kern_port_extract_right(a, prov, MP_MSG_TYPE_MAKE_SEND, b, &out, &type), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_space_set_hardened(a, 0), MP_KERN_SUCCESS);
	mp_port_name_t rp = construct(a, MP_MPO_REPLY_PORT);
	assert_int_equal(mp_kern_port_extract_right(a, rp, MP_MSG_TYPE_MOVE_RECEIVE, b, &out, &type), MP_KERN_SUCCESS);
	expect_none(a);
	assert_int_equal(mp_kern_space_create(k, NULL, &dead), MP_KERN_SUCCESS);
	mp_kern_space_terminate(dead);
	assert_int_equal(mp_kern_space_set_hardened(dead, 1), MP_KERN_INVALID_TASK);
	mp_kern_space_destroy(dead);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(invalid_reply_disposition, setup, teardown),
		cmocka_unit_test_setup_teardown(enforce_semantics_events, setup, teardown),
		cmocka_unit_test_setup_teardown(copyin_events, setup, teardown),
		cmocka_unit_test_setup_teardown(hardened_flag, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
