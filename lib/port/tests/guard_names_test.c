/*
 * lib/port/tests/guard_names_test.c: mach_port_names, and the Mach-port
 * guard exceptions the kernel records where XNU raises them
 * (mach_port_guard_exception's callers, issue12-xnu.md §10.4), with the
 * per-task abort policy. Runs on the embedded kernel and on machportd.
 */
#define _GNU_SOURCE /* nanosleep */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/port/tests/port_test_support.h"

/* ---- mach_port_names (mach_port.c mach_port_names, mach_port_names_helper) ---- */

static uint32_t names_type_of(mp_port_name_t *names, mp_port_type_t *types, uint32_t n,
			      mp_port_name_t want)
{
	for (uint32_t i = 0; i < n; i++)
		if (names[i] == want)
			return types[i];
	fail_msg("name 0x%x is not in the list", want);
	return 0;
}

static void names_empty_space(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t *names = (mp_port_name_t *)1;
	mp_port_type_t *types = (mp_port_type_t *)1;
	uint32_t n = 7;
	(void)state;

	assert_int_equal(mp_port_names(t, &names, &types, &n), MP_KERN_SUCCESS);
	assert_int_equal(n, 0);
	assert_null(names);
	assert_null(types);
	assert_int_equal(mp_port_names(t, NULL, &types, &n), MP_KERN_INVALID_ARGUMENT);
}

/* Every kind of entry, in ascending name order, with XNU's types: a send
 * right whose port died is DEAD_NAME without request bits (the entry is not
 * converted by the call), a dead-name request adds DNREQUEST. */
static void names_every_kind_in_order(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t r = t_port(a), rs = t_port_send(a), ps = 0, so, live, dying, notify, prev, x;
	mp_port_name_t *names = NULL;
	mp_port_type_t *types = NULL;
	mp_port_name_t pb = t_port(b), qb = t_port(b);
	uint32_t n = 0;
	(void)state;

	assert_int_equal(mp_port_allocate(a, MP_PORT_RIGHT_PORT_SET, &ps), MP_KERN_SUCCESS);
	so = t_give_sonce(b, pb, a);
	live = t_give_send(b, pb, a);
	dying = t_give_send(b, qb, a);
	notify = t_port(a);
	assert_int_equal(mp_port_request_notification(a, live, MP_MACH_NOTIFY_DEAD_NAME, 0, notify,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(b, qb, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_allocate(a, MP_PORT_RIGHT_DEAD_NAME, &x), MP_KERN_SUCCESS);

	assert_int_equal(mp_port_names(a, &names, &types, &n), MP_KERN_SUCCESS);
	assert_int_equal(n, 8);
	for (uint32_t i = 1; i < n; i++)
		assert_true(names[i - 1] < names[i]);
	assert_int_equal(names_type_of(names, types, n, r), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(names_type_of(names, types, n, rs), MP_PORT_TYPE_SEND_RECEIVE);
	assert_int_equal(names_type_of(names, types, n, ps), MP_PORT_TYPE_PORT_SET);
	assert_int_equal(names_type_of(names, types, n, so), MP_PORT_TYPE_SEND_ONCE);
	assert_int_equal(names_type_of(names, types, n, live), MP_PORT_TYPE_SEND | MP_PORT_TYPE_DNREQUEST);
	assert_int_equal(names_type_of(names, types, n, dying), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(names_type_of(names, types, n, notify), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(names_type_of(names, types, n, x), MP_PORT_TYPE_DEAD_NAME);
	free(names);
	free(types);
	/* the call converted nothing: the dying name is still a send entry to
	 * mach_port_type's check, which converts it now */
	assert_int_equal(t_type(a, dying), MP_PORT_TYPE_DEAD_NAME);
}

/* A space of MP_PORT_NAMES_REMOTE_MAX names is listed whole on every
 * backend; one more is KERN_RESOURCE_SHORTAGE on machportd (the list
 * travels in one reply), still listed by the embedded kernel. */
static void names_large_space(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t *names = NULL, n;
	mp_port_type_t *types = NULL;
	uint32_t count = 0;
	(void)state;

	for (uint32_t i = 0; i < MP_PORT_NAMES_REMOTE_MAX; i++)
		assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_DEAD_NAME, &n), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_names(t, &names, &types, &count), MP_KERN_SUCCESS);
	assert_int_equal(count, MP_PORT_NAMES_REMOTE_MAX);
	for (uint32_t i = 1; i < count; i++)
		assert_true(names[i - 1] < names[i] && types[i] == MP_PORT_TYPE_DEAD_NAME);
	free(names);
	free(types);
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_DEAD_NAME, &n), MP_KERN_SUCCESS);
	if (t_backend() == MP_BACKEND_MACHPORTD) {
		assert_int_equal(mp_port_names(t, &names, &types, &count), MP_KERN_RESOURCE_SHORTAGE);
		assert_null(names);
		assert_null(types);
		assert_int_equal(count, 0);
	} else {
		assert_int_equal(mp_port_names(t, &names, &types, &count), MP_KERN_SUCCESS);
		assert_int_equal(count, MP_PORT_NAMES_REMOTE_MAX + 1);
		free(names);
		free(types);
	}
}

/* ---- guard events ----------------------------------------------------------- */

static uint32_t t_events(mp_task_t *t, mp_guard_event_t *ev)
{
	uint32_t n = 99;
	assert_int_equal(mp_task_guard_events(t, ev, MP_GUARD_EVENTS_MAX, &n), MP_KERN_SUCCESS);
	return n;
}

/* Exactly one event since the last read: `flavor` on `target` with `payload`. */
static void t_expect_event(mp_task_t *t, uint32_t flavor, mp_port_name_t target, uint64_t payload)
{
	mp_guard_event_t ev[MP_GUARD_EVENTS_MAX];
	uint32_t n = t_events(t, ev);

	if (n != 1)
		fail_msg("%u events, want one %s on 0x%x", n, mp_guard_flavor_name(flavor), target);
	assert_string_equal(mp_guard_flavor_name(ev[0].flavor), mp_guard_flavor_name(flavor));
	assert_int_equal(ev[0].target, target);
	assert_int_equal(ev[0].payload, payload);
	assert_int_equal(ev[0].code, MP_GUARD_EXC_CODE(flavor, target));
	assert_int_equal(ev[0].always_fatal, flavor <= MP_GUARD_EXC_MAX_FATAL);
}

static void t_expect_no_event(mp_task_t *t)
{
	mp_guard_event_t ev[MP_GUARD_EVENTS_MAX];
	uint32_t n = t_events(t, ev);
	if (n != 0)
		fail_msg("%u unexpected events, the first %s on 0x%x", n, mp_guard_flavor_name(ev[0].flavor),
			 ev[0].target);
}

/* A name that was a receive right and is gone. */
static mp_port_name_t t_stale(mp_task_t *t)
{
	mp_port_name_t n = t_port(t);
	assert_int_equal(mp_port_mod_refs(t, n, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	return n;
}

static void guard_flavor_names(void **state)
{
	(void)state;
	assert_string_equal(mp_guard_flavor_name(MP_GUARD_EXC_DESTROY), "kGUARD_EXC_DESTROY");
	assert_string_equal(mp_guard_flavor_name(MP_GUARD_EXC_RCV_INVALID_NAME), "kGUARD_EXC_RCV_INVALID_NAME");
	assert_string_equal(mp_guard_flavor_name(0x12345), "kGUARD_EXC_?");
	/* XNU's encoding (doc/mach_ipc/guard_exceptions.md) */
	assert_true(MP_GUARD_EXC_CODE(MP_GUARD_EXC_INVALID_NAME, 0x2703) == 0x2000020000002703ull);
}

/* mach_port_destroy, mach_port_deallocate_kernel, mach_port_mod_refs,
 * mach_port_destruct: a failed ipc_right_lookup_write raises INVALID_NAME. */
static void invalid_name_on_lookup_failure(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t n = t_stale(t);
	(void)state;

	t_expect_no_event(t);
	assert_int_equal(mp_port_destroy(t, n), MP_KERN_INVALID_NAME);
	t_expect_event(t, MP_GUARD_EXC_INVALID_NAME, n, 0);
	assert_int_equal(mp_port_deallocate(t, n), MP_KERN_INVALID_NAME);
	t_expect_event(t, MP_GUARD_EXC_INVALID_NAME, n, 0);
	assert_int_equal(mp_port_mod_refs(t, n, MP_PORT_RIGHT_SEND, 1), MP_KERN_INVALID_NAME);
	t_expect_event(t, MP_GUARD_EXC_INVALID_NAME, n, 0);
	assert_int_equal(mp_port_destruct(t, n, 0, 0), MP_KERN_INVALID_NAME);
	t_expect_event(t, MP_GUARD_EXC_INVALID_NAME, n, 0);
	/* NULL and DEAD return before the lookup: nothing raised */
	assert_int_equal(mp_port_destroy(t, MP_PORT_NULL), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, MP_PORT_DEAD, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_INVALID_NAME);
	t_expect_no_event(t);
}

/* ipc_right_dealloc: a receive-only right raises INVALID_RIGHT. */
static void deallocate_receive_only(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t r = t_port(t);
	(void)state;

	assert_int_equal(mp_port_deallocate(t, r), MP_KERN_INVALID_RIGHT);
	t_expect_event(t, MP_GUARD_EXC_INVALID_RIGHT, r, 0);
	assert_int_equal(t_type(t, r), MP_PORT_TYPE_RECEIVE);
}

/* ipc_right_delta's INVALID_RIGHT / INVALID_VALUE / DESTROY. */
static void mod_refs_exceptions(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t r = t_port(a), s, g;
	mp_port_options_t guarded = { MP_MPO_CONTEXT_AS_GUARD, 0 };
	(void)state;

	s = t_give_send(a, r, b);
	assert_int_equal(mp_port_mod_refs(b, s, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_INVALID_RIGHT);
	t_expect_event(b, MP_GUARD_EXC_INVALID_RIGHT, s, 0);
	assert_int_equal(mp_port_mod_refs(b, s, MP_PORT_RIGHT_PORT_SET, -1), MP_KERN_INVALID_RIGHT);
	t_expect_event(b, MP_GUARD_EXC_INVALID_RIGHT, s, 0);
	assert_int_equal(mp_port_mod_refs(b, s, MP_PORT_RIGHT_DEAD_NAME, 1), MP_KERN_INVALID_RIGHT);
	t_expect_event(b, MP_GUARD_EXC_INVALID_RIGHT, s, 0);
	assert_int_equal(mp_port_mod_refs(b, s, MP_PORT_RIGHT_SEND, -2), MP_KERN_INVALID_VALUE);
	t_expect_event(b, MP_GUARD_EXC_INVALID_VALUE, s, 0);
	/* SEND_ONCE not held: KERN_INVALID_RIGHT without an exception */
	assert_int_equal(mp_port_mod_refs(b, s, MP_PORT_RIGHT_SEND_ONCE, -1), MP_KERN_INVALID_RIGHT);
	t_expect_no_event(b);
	/* SEND +1 on a receive-only right: AE's case, no exception; +2 raises */
	assert_int_equal(mp_port_mod_refs(a, r, MP_PORT_RIGHT_SEND, 1), MP_KERN_INVALID_RIGHT);
	t_expect_no_event(a);
	assert_int_equal(mp_port_mod_refs(a, r, MP_PORT_RIGHT_SEND, 2), MP_KERN_INVALID_RIGHT);
	t_expect_event(a, MP_GUARD_EXC_INVALID_RIGHT, r, 0);
	assert_int_equal(mp_port_mod_refs(a, r, MP_PORT_RIGHT_RECEIVE, 2), MP_KERN_INVALID_VALUE);
	t_expect_event(a, MP_GUARD_EXC_INVALID_VALUE, r, 0);
	/* RECEIVE -1 on a guarded port: DESTROY with the guard as payload */
	assert_int_equal(mp_port_construct(a, &guarded, 0x7777, &g), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(a, g, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_INVALID_RIGHT);
	t_expect_event(a, MP_GUARD_EXC_DESTROY, g, 0x7777);
	assert_int_equal(t_type(a, g), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(mp_port_destruct(a, g, 0, 0x7777), MP_KERN_SUCCESS);
	t_expect_no_event(a);
}

/* ipc_right_destroy: a guarded receive right raises DESTROY (payload: the
 * guard) and stays. */
static void destroy_guarded_receive(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t g;
	mp_port_options_t guarded = { MP_MPO_CONTEXT_AS_GUARD, 0 };
	(void)state;

	assert_int_equal(mp_port_construct(t, &guarded, 0x1234, &g), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_destroy(t, g), MP_KERN_INVALID_RIGHT);
	t_expect_event(t, MP_GUARD_EXC_DESTROY, g, 0x1234);
	assert_int_equal(t_type(t, g), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(mp_port_destruct(t, g, 0, 0x1234), MP_KERN_SUCCESS);
}

/* ipc_right_destruct, in XNU's order. */
static void destruct_exceptions(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t r = t_port(a), rs = t_port_send(a), g, s;
	mp_port_options_t guarded = { MP_MPO_CONTEXT_AS_GUARD, 0 };
	(void)state;

	s = t_give_send(a, r, b);
	assert_int_equal(mp_port_destruct(b, s, 0, 0), MP_KERN_INVALID_RIGHT);
	t_expect_event(b, MP_GUARD_EXC_INVALID_RIGHT, s, 0);
	assert_int_equal(mp_port_destruct(a, r, -1, 0), MP_KERN_INVALID_RIGHT);
	t_expect_event(a, MP_GUARD_EXC_INVALID_RIGHT, r, 0);
	assert_int_equal(mp_port_destruct(a, rs, 1, 0), MP_KERN_INVALID_VALUE);
	t_expect_event(a, MP_GUARD_EXC_INVALID_VALUE, rs, 0);
	assert_int_equal(mp_port_destruct(a, rs, -2, 0), MP_KERN_INVALID_VALUE);
	t_expect_event(a, MP_GUARD_EXC_INVALID_VALUE, rs, 0);
	assert_int_equal(mp_port_construct(a, &guarded, 0x42, &g), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_destruct(a, g, 0, 0x41), MP_KERN_INVALID_ARGUMENT);
	t_expect_event(a, MP_GUARD_EXC_DESTROY, g, 0x42);
	assert_int_equal(mp_port_destruct(a, g, 0, 0x42), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_destruct(a, rs, -1, 0), MP_KERN_SUCCESS);
	t_expect_no_event(a);
}

/* A one-descriptor message from `t` to its own port `dest`. */
static uint32_t t_port_desc_msg(uint8_t *buf, size_t cap, mp_port_name_t dest, mp_port_name_t name,
				uint32_t disp)
{
	mp_builder_t b;
	size_t n = 0;

	mp_builder_init(&b, buf, cap, 0);
	mp_builder_set_remote(&b, dest, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_port(&b, name, disp);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	return (uint32_t)n;
}

/* ipc_kmsg_copyin_port_descriptor: a copyin that fails with
 * KERN_INVALID_RIGHT raises SEND_INVALID_RIGHT; KERN_INVALID_NAME does not. */
static void descriptor_invalid_right(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t d = t_port(t), r = t_port(t), gone = t_stale(t);
	uint8_t buf[256];
	uint32_t n;
	(void)state;

	n = t_port_desc_msg(buf, sizeof buf, d, r, MP_MSG_TYPE_COPY_SEND);
	assert_int_equal(t_send(t, buf, n), MP_MACH_SEND_INVALID_RIGHT);
	t_expect_event(t, MP_GUARD_EXC_SEND_INVALID_RIGHT, r, 0);
	n = t_port_desc_msg(buf, sizeof buf, d, gone, MP_MSG_TYPE_COPY_SEND);
	assert_int_equal(t_send(t, buf, n), MP_MACH_SEND_INVALID_RIGHT);
	t_expect_no_event(t);
}

/* ipc_kmsg_copyin_ool_ports_descriptor: the same rule, on the array's name. */
static void ool_ports_invalid_right(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t d = t_port(t), r = t_port(t);
	mp_port_name_t names[2] = { MP_PORT_NULL, r };
	mp_builder_t b;
	uint8_t buf[256];
	size_t n = 0;
	(void)state;

	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, d, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_ool_ports(&b, mp_addr(names), 2, MP_MSG_TYPE_COPY_SEND, MP_MSG_PHYSICAL_COPY, 0);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	assert_int_equal(t_send(t, buf, (uint32_t)n), MP_MACH_SEND_INVALID_RIGHT);
	t_expect_event(t, MP_GUARD_EXC_SEND_INVALID_RIGHT, r, 0);
}

/* ipc_right_copyin: MOVE_RECEIVE of an immovable receive right raises
 * IMMOVABLE (in a descriptor, and through mach_port_extract_right). */
static void immovable_move_receive(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(a), p, out;
	mp_port_options_t o = { MP_MPO_CONTEXT_AS_GUARD | MP_MPO_IMMOVABLE_RECEIVE, 0 };
	uint8_t buf[256];
	uint32_t n, type;
	(void)state;

	assert_int_equal(mp_port_construct(a, &o, 0x10, &p), MP_KERN_SUCCESS);
	n = t_port_desc_msg(buf, sizeof buf, d, p, MP_MSG_TYPE_MOVE_RECEIVE);
	assert_int_equal(t_send(a, buf, n), MP_MACH_SEND_INVALID_RIGHT);
	t_expect_event(a, MP_GUARD_EXC_IMMOVABLE, p, 0);
	assert_int_equal(mp_port_extract_right(a, p, MP_MSG_TYPE_MOVE_RECEIVE, b, &out, &type),
			 MP_KERN_INVALID_CAPABILITY);
	t_expect_event(a, MP_GUARD_EXC_IMMOVABLE, p, 0);
	assert_int_equal(mp_port_destruct(a, p, 0, 0x10), MP_KERN_SUCCESS);
}

/* ipc_right_copyin_check_guard_locked: a guarded descriptor whose context
 * is not the port's guard raises INCORRECT_GUARD (payload: the guard). */
static void guarded_descriptor_mismatch(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t d = t_port(t), g;
	mp_port_options_t o = { MP_MPO_CONTEXT_AS_GUARD, 0 };
	mp_builder_t b;
	uint8_t buf[256];
	size_t n = 0;
	(void)state;

	assert_int_equal(mp_port_construct(t, &o, 0x99, &g), MP_KERN_SUCCESS);
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, d, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_guarded_port(&b, g, MP_MSG_TYPE_MOVE_RECEIVE, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0x98);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	assert_int_equal(t_send(t, buf, (uint32_t)n), MP_MACH_SEND_INVALID_RIGHT);
	t_expect_event(t, MP_GUARD_EXC_INCORRECT_GUARD, g, 0x99);
	assert_int_equal(t_type(t, g), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(mp_port_destruct(t, g, 0, 0x99), MP_KERN_SUCCESS);
}

/* ipc_kmsg_copyin_header: MACH_SEND_INVALID_REPLY raises SEND_INVALID_REPLY
 * on the reply name, MACH_SEND_INVALID_VOUCHER SEND_INVALID_VOUCHER on the
 * voucher name. */
static void header_reply_and_voucher(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(a), r = t_port(a), s, ds;
	mp_builder_t bl;
	uint8_t buf[256];
	size_t n = 0;
	(void)state;

	s = t_give_send(a, r, b);
	ds = t_give_send(a, d, b);
	/* MAKE_SEND of a name holding only a send right */
	n = t_simple(buf, sizeof buf, ds, MP_MSG_TYPE_COPY_SEND, s, MP_MSG_TYPE_MAKE_SEND, 1, 0);
	assert_int_equal(t_send(b, buf, (uint32_t)n), MP_MACH_SEND_INVALID_REPLY);
	t_expect_event(b, MP_GUARD_EXC_SEND_INVALID_REPLY, s, 0);

	mp_builder_init(&bl, buf, sizeof buf, 0);
	mp_builder_set_remote(&bl, d, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_set_voucher(&bl, r, MP_MSG_TYPE_COPY_SEND);
	assert_int_equal(mp_builder_finish(&bl, &n, NULL), MP_OK);
	assert_int_equal(t_send(a, buf, (uint32_t)n), MP_MACH_SEND_INVALID_VOUCHER);
	t_expect_event(a, MP_GUARD_EXC_SEND_INVALID_VOUCHER, r, 0);
}

/* ipc_mqueue_copyin: a name that is neither a receive right nor a set
 * raises RCV_INVALID_NAME; a name with no entry raises nothing. */
static void receive_invalid_name(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t r = t_port(a), s, gone = t_stale(b);
	uint8_t buf[128];
	(void)state;

	s = t_give_send(a, r, b);
	assert_int_equal(t_recv(b, buf, sizeof buf, s, 0), MP_MACH_RCV_INVALID_NAME);
	t_expect_event(b, MP_GUARD_EXC_RCV_INVALID_NAME, s, 0);
	assert_int_equal(t_recv(b, buf, sizeof buf, gone, 0), MP_MACH_RCV_INVALID_NAME);
	t_expect_no_event(b);
	/* a send right whose port died (ipc_right_lookup_read fails): nothing */
	assert_int_equal(mp_port_mod_refs(a, r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(t_recv(b, buf, sizeof buf, s, 0), MP_MACH_RCV_INVALID_NAME);
	t_expect_no_event(b);
}

/* ---- the per-task policy ----------------------------------------------------- */

static void policy_values_and_record(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t n = t_stale(t);
	mp_guard_event_t ev[MP_GUARD_EVENTS_MAX];
	uint32_t cnt = 0;
	(void)state;

	assert_int_equal(mp_task_set_guard_policy(t, (mp_guard_policy_t)3), MP_KERN_INVALID_VALUE);
	/* ABORT_FATAL: an optional flavor does not abort and stays readable */
	assert_int_equal(mp_task_set_guard_policy(t, MP_GUARD_POLICY_ABORT_FATAL), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(t, n), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_destroy(t, n), MP_KERN_INVALID_NAME);
	t_events(t, ev);
	assert_int_equal(mp_task_set_guard_policy(t, MP_GUARD_POLICY_RECORD), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(t, n), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_destroy(t, n), MP_KERN_INVALID_NAME);
	/* read with a small buffer: the rest is discarded */
	assert_int_equal(mp_task_guard_events(t, ev, 1, &cnt), MP_KERN_SUCCESS);
	assert_int_equal(cnt, 1);
	t_expect_no_event(t);
}

/* Waits until the daemon has ended a dead child's space (machportd ends it
 * when the child's connection closes, after the child is gone). */
static void wait_spaces_gone(void)
{
	mp_kernel_report_t r;
	for (int i = 0; i < 400; i++) {
		if (mp_backend_check(t_backend(), &r) != 0 || (r.spaces == 0 && r.ports == 0))
			return;
		nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
	}
}

/* A child that sets `policy`, makes an optional-flavor mistake, then
 * destroys a guarded port; returns its stderr in `out`, its status. */
static int run_child(mp_guard_policy_t policy, char *out, size_t cap)
{
	int fds[2], status = 0;
	ssize_t got;
	size_t len = 0;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		mp_task_t *t = NULL;
		mp_port_name_t g = 0, n = 0;
		mp_port_options_t o = { MP_MPO_CONTEXT_AS_GUARD, 0 };
		dup2(fds[1], 2);
		close(fds[0]);
		if (mp_task_open(t_backend(), &t) != MP_KERN_SUCCESS ||
		    mp_task_set_guard_policy(t, policy) != MP_KERN_SUCCESS ||
		    mp_port_construct(t, &o, 0xfeed, &g) != MP_KERN_SUCCESS ||
		    mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &n) != MP_KERN_SUCCESS ||
		    mp_port_mod_refs(t, n, MP_PORT_RIGHT_RECEIVE, -1) != MP_KERN_SUCCESS)
			_exit(3);
		(void)mp_port_deallocate(t, n); /* INVALID_NAME: optional */
		(void)mp_port_destroy(t, g);    /* DESTROY: always fatal */
		_exit(4);
	}
	close(fds[1]);
	while (len + 1 < cap && (got = read(fds[0], out + len, cap - 1 - len)) > 0)
		len += (size_t)got;
	out[len] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	wait_spaces_gone();
	return status;
}

/* ABORT_FATAL: the optional INVALID_NAME passes, DESTROY (always fatal on
 * XNU, mach_port_guard_ast) aborts with the report. */
static void policy_abort_fatal(void **state)
{
	char out[1024];
	int status = run_child(MP_GUARD_POLICY_ABORT_FATAL, out, sizeof out);
	(void)state;

	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		fail_msg("the child did not abort (status 0x%x): %s", status, out);
	if (strstr(out, "EXC_GUARD kGUARD_EXC_DESTROY (0x1, fatal)") == NULL ||
	    strstr(out, "payload 0xfeed") == NULL || strstr(out, "in mp_port_destroy") == NULL ||
	    strstr(out, "INVALID_NAME") != NULL)
		fail_msg("report: %s", out);
}

/* ABORT_ANY (XNU's MP_DELIVER|MP_FATAL): the optional INVALID_NAME aborts. */
static void policy_abort_any(void **state)
{
	char out[1024];
	int status = run_child(MP_GUARD_POLICY_ABORT_ANY, out, sizeof out);
	(void)state;

	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		fail_msg("the child did not abort (status 0x%x): %s", status, out);
	if (strstr(out, "EXC_GUARD kGUARD_EXC_INVALID_NAME (0x200, optional)") == NULL ||
	    strstr(out, "in mp_port_deallocate") == NULL)
		fail_msg("report: %s", out);
}

/* RECORD (the default): the child runs to its end. */
static void policy_record_runs_on(void **state)
{
	char out[1024];
	int status = run_child(MP_GUARD_POLICY_RECORD, out, sizeof out);
	(void)state;

	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(names_empty_space),
		T(names_every_kind_in_order),
		T(names_large_space),
		T(guard_flavor_names),
		T(invalid_name_on_lookup_failure),
		T(deallocate_receive_only),
		T(mod_refs_exceptions),
		T(destroy_guarded_receive),
		T(destruct_exceptions),
		T(descriptor_invalid_right),
		T(ool_ports_invalid_right),
		T(immovable_move_receive),
		T(guarded_descriptor_mismatch),
		T(header_reply_and_voucher),
		T(receive_invalid_name),
		T(policy_values_and_record),
		T(policy_abort_fatal),
		T(policy_abort_any),
		T(policy_record_runs_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
