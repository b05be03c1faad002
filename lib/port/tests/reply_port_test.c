/*
 * lib/port/tests/reply_port_test.c: reply ports as xnu-11417 has them
 * (issue 12; issue12-xnu.md §2.1, §5): mach_port_construct's at-most-one
 * group, ipc_port_init's marks (a provisional reply port in a default task, a
 * real one in a hardened task), ipc_right_copyin's refusals of a real reply
 * port, ipc_right_copyin_check_reply's rules on msgh_local_port, and
 * ip_violates_reply_port_semantics for ENFORCE_REPLY_PORT_SEMANTICS
 * destinations. Runs on the embedded kernel and on machportd; the guard
 * exceptions are checked in lib/kern/tests/reply_port_guard_test.c.
 */
#include "lib/port/tests/port_test_support.h"

static mp_port_name_t construct(mp_task_t *t, uint32_t flags)
{
	mp_port_options_t o = { flags, 0 };
	mp_port_name_t n = 0;
	assert_int_equal(mp_port_construct(t, &o, 0, &n), MP_KERN_SUCCESS);
	return n;
}

/* A message to `dest` carrying one port descriptor. */
static uint32_t with_port(uint8_t *buf, size_t cap, mp_port_name_t dest, uint32_t ddisp,
			  mp_port_name_t port, uint32_t pdisp)
{
	mp_builder_t b;
	size_t n = 0;
	mp_builder_init(&b, buf, cap, 0);
	mp_builder_set_remote(&b, dest, ddisp);
	mp_builder_set_id(&b, 7);
	mp_builder_add_port(&b, port, pdisp);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	return (uint32_t)n;
}

/* A hardened task (task_is_hardened_binary). On Darwin a task cannot make
 * itself one: KERN_NOT_SUPPORTED, and the test is skipped. */
static mp_task_t *hardened_task(void)
{
	mp_task_t *t = t_task();
	if (t_backend() == MP_BACKEND_DARWIN) {
		assert_int_equal(mp_task_set_hardened(t, 1), MP_KERN_NOT_SUPPORTED);
		skip();
	}
	assert_int_equal(mp_task_set_hardened(t, 1), MP_KERN_SUCCESS);
	return t;
}

/* mach_port_construct: at most one of REPLY_PORT, ENFORCE_REPLY_PORT_SEMANTICS,
 * EXCEPTION_PORT, PROVISIONAL_REPLY_PORT (KERN_INVALID_ARGUMENT, checked
 * before the qlimit); each alone makes a port. */
static void construct_reply_flag_group(void **state)
{
	static const uint32_t group[] = { MP_MPO_REPLY_PORT, MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS,
					  MP_MPO_EXCEPTION_PORT, MP_MPO_PROVISIONAL_REPLY_PORT };
	mp_task_t *t = t_task();
	mp_port_name_t n = 0;
	(void)state;

	for (int i = 0; i < 4; i++) {
		n = construct(t, group[i] | MP_MPO_INSERT_SEND_RIGHT);
		assert_int_equal(t_type(t, n), MP_PORT_TYPE_SEND_RECEIVE);
		assert_int_equal(mp_port_destruct(t, n, -1, 0), MP_KERN_SUCCESS);
		for (int j = i + 1; j < 4; j++) {
			mp_port_options_t o = { group[i] | group[j], 0 };
			assert_int_equal(mp_port_construct(t, &o, 0, &n), MP_KERN_INVALID_ARGUMENT);
			/* before the qlimit check */
			o.flags |= MP_MPO_QLIMIT;
			o.qlimit = MP_PORT_QLIMIT_MAX + 1;
			assert_int_equal(mp_port_construct(t, &o, 0, &n), MP_KERN_INVALID_ARGUMENT);
		}
	}
	mp_port_options_t all = { MP_MPO_REPLY_PORT | MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS |
					  MP_MPO_EXCEPTION_PORT | MP_MPO_PROVISIONAL_REPLY_PORT,
				  0 };
	assert_int_equal(mp_port_construct(t, &all, 0, &n), MP_KERN_INVALID_ARGUMENT);
}

/* mp_task_set_hardened: 0 or 1. */
static void set_hardened_values(void **state)
{
	mp_task_t *t = hardened_task();
	(void)state;

	assert_int_equal(mp_task_set_hardened(t, 2), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_task_set_hardened(t, -1), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_task_set_hardened(t, 1), MP_KERN_SUCCESS);
	assert_int_equal(mp_task_set_hardened(t, 0), MP_KERN_SUCCESS);
	assert_int_equal(mp_task_set_hardened(NULL, 1), MP_KERN_INVALID_TASK);
}

/* ipc_port_init: in a default (third-party) task MPO_REPLY_PORT and
 * MPO_PROVISIONAL_REPLY_PORT make provisional reply ports, ordinary in every
 * use: MAKE_SEND as reply, any descriptor, the receive right moves, a
 * no-senders request is allowed. Also for a task that was hardened and is
 * no longer. */
static void provisional_reply_port_is_ordinary(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t server = t_port(b), to_server = t_give_send(b, server, a);
	uint8_t buf[256];
	mp_port_name_t prev = 0, moved = 0;
	uint32_t type = 0;
	(void)state;

	if (t_backend() != MP_BACKEND_DARWIN) {
		assert_int_equal(mp_task_set_hardened(a, 1), MP_KERN_SUCCESS);
		assert_int_equal(mp_task_set_hardened(a, 0), MP_KERN_SUCCESS);
	}
	for (int k = 0; k < 2; k++) {
		mp_port_name_t rp = construct(a, k == 0 ? MP_MPO_REPLY_PORT : MP_MPO_PROVISIONAL_REPLY_PORT);
		/* MAKE_SEND as reply */
		assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, to_server, MP_MSG_TYPE_COPY_SEND, rp,
							  MP_MSG_TYPE_MAKE_SEND, 1, 0)),
				 MP_MACH_MSG_SUCCESS);
		assert_int_equal(t_recv_id(b, server), 1);
		/* in a descriptor, MAKE_SEND_ONCE and MOVE_RECEIVE */
		assert_int_equal(t_send(a, buf, with_port(buf, sizeof buf, to_server, MP_MSG_TYPE_COPY_SEND, rp,
							  MP_MSG_TYPE_MAKE_SEND_ONCE)),
				 MP_MACH_MSG_SUCCESS);
		assert_int_equal(t_recv_id(b, server), 7);
		/* a no-senders request */
		assert_int_equal(mp_port_request_notification(a, rp, MP_MACH_NOTIFY_NO_SENDERS, 100, rp,
							      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
				 MP_KERN_SUCCESS);
		assert_int_equal(mp_port_request_notification(a, rp, MP_MACH_NOTIFY_NO_SENDERS, 0, MP_PORT_NULL,
							      0, &prev),
				 MP_KERN_SUCCESS);
		assert_true(MP_PORT_VALID(prev));
		assert_int_equal(mp_port_deallocate(a, prev), MP_KERN_SUCCESS);
		/* the receive right moves */
		assert_int_equal(mp_port_extract_right(a, rp, MP_MSG_TYPE_MOVE_RECEIVE, b, &moved, &type),
				 MP_KERN_SUCCESS);
		assert_int_equal(type, MP_MSG_TYPE_PORT_RECEIVE);
		assert_int_equal(mp_port_mod_refs(b, moved, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	}
}

/* ip_violates_reply_port_semantics (from ipc_right_copyin_check_reply), in a
 * default task too: a destination made with ENFORCE_REPLY_PORT_SEMANTICS
 * refuses a reply that is not a (provisional) reply port with
 * MACH_SEND_INVALID_REPLY, nothing consumed; no reply, or a provisional reply
 * port, passes. */
static void enforce_reply_port_semantics(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t server = construct(b, MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS);
	mp_port_name_t to_server = t_give_send(b, server, a);
	mp_port_name_t plain = t_port(a), prov = construct(a, MP_MPO_REPLY_PORT);
	mp_port_name_t prov2 = construct(a, MP_MPO_PROVISIONAL_REPLY_PORT);
	uint8_t buf[256];
	(void)state;

	assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, to_server, MP_MSG_TYPE_COPY_SEND, plain,
						  MP_MSG_TYPE_MAKE_SEND_ONCE, 1, 0)),
			 MP_MACH_SEND_INVALID_REPLY);
	assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, to_server, MP_MSG_TYPE_MOVE_SEND, plain,
						  MP_MSG_TYPE_MAKE_SEND, 1, 0)),
			 MP_MACH_SEND_INVALID_REPLY);
	/* nothing consumed, nothing made */
	assert_int_equal(t_refs(a, to_server, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(t_status(a, plain).mps_sorights, 0);
	assert_int_equal(t_status(a, plain).mps_mscount, 0);
	assert_int_equal(t_status(b, server).mps_msgcount, 0);

	assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, to_server, MP_MSG_TYPE_COPY_SEND,
						  MP_PORT_NULL, 0, 2, 0)),
			 MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, to_server, MP_MSG_TYPE_COPY_SEND, prov,
						  MP_MSG_TYPE_MAKE_SEND_ONCE, 3, 0)),
			 MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, to_server, MP_MSG_TYPE_COPY_SEND, prov2,
						  MP_MSG_TYPE_MAKE_SEND, 4, 0)),
			 MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv_id(b, server), 2);
	assert_int_equal(t_recv_id(b, server), 3);
	assert_int_equal(t_recv_id(b, server), 4);
	/* the destination's own receive right as reply: not a reply port */
	assert_int_equal(t_send(b, buf, t_simple(buf, sizeof buf, server, MP_MSG_TYPE_MAKE_SEND, server,
						  MP_MSG_TYPE_MAKE_SEND_ONCE, 5, 0)),
			 MP_MACH_SEND_INVALID_REPLY);
	assert_int_equal(t_status(b, server).mps_mscount, 1); /* the one given to a */
	/* a dead reply name is not looked at */
	mp_port_name_t dn = 0;
	assert_int_equal(mp_port_allocate(a, MP_PORT_RIGHT_DEAD_NAME, &dn), MP_KERN_SUCCESS);
	assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, to_server, MP_MSG_TYPE_COPY_SEND,
						  MP_PORT_DEAD, MP_MSG_TYPE_MOVE_SEND_ONCE, 6, 0)),
			 MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv_id(b, server), 6);
}

/* A real reply port (hardened task, ipc_port_init) as msgh_local_port:
 * ipc_right_copyin_check_reply allows MAKE_SEND_ONCE only, anything else is
 * MACH_SEND_INVALID_REPLY with nothing consumed. The send-once right it
 * gives is an ordinary one at the receiver, and answers (MOVE_SEND_ONCE as
 * destination) reach the reply port. An ENFORCE destination accepts it. */
static void real_reply_port_as_reply(void **state)
{
	mp_task_t *a = hardened_task(), *b = t_task();
	mp_port_name_t server = construct(b, MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS);
	mp_port_name_t to_server = t_give_send(b, server, a);
	mp_port_name_t rp = construct(a, MP_MPO_REPLY_PORT | MP_MPO_INSERT_SEND_RIGHT);
	uint8_t buf[256];
	mp_port_status_t st;
	(void)state;

	static const uint32_t refused[] = { MP_MSG_TYPE_MAKE_SEND, MP_MSG_TYPE_COPY_SEND, MP_MSG_TYPE_MOVE_SEND };
	for (int i = 0; i < 3; i++)
		assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, to_server, MP_MSG_TYPE_COPY_SEND, rp,
							  refused[i], 1, 0)),
				 MP_MACH_SEND_INVALID_REPLY);
	st = t_status(a, rp);
	assert_int_equal(st.mps_mscount, 1); /* the inserted send right only */
	assert_int_equal(st.mps_sorights, 0);
	assert_int_equal(t_refs(a, rp, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(t_refs(a, to_server, MP_PORT_RIGHT_SEND), 1);

	assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, to_server, MP_MSG_TYPE_COPY_SEND, rp,
						  MP_MSG_TYPE_MAKE_SEND_ONCE, 2, 0)),
			 MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv(b, buf, sizeof buf, server, 0), MP_MACH_MSG_SUCCESS);
	mp_port_name_t so = t_get32(buf, 8); /* msgh_remote_port after the swap */
	assert_int_equal(t_type(b, so), MP_PORT_TYPE_SEND_ONCE);
	/* the receiver cannot send the send-once right on, nor use it as a reply */
	mp_port_name_t other = t_port(b);
	assert_int_equal(t_send(b, buf, with_port(buf, sizeof buf, other, MP_MSG_TYPE_MAKE_SEND, so,
						  MP_MSG_TYPE_MOVE_SEND_ONCE)),
			 MP_MACH_SEND_INVALID_RIGHT);
	assert_int_equal(t_type(b, so), MP_PORT_TYPE_SEND_ONCE);
	assert_int_equal(t_send(b, buf, t_simple(buf, sizeof buf, other, MP_MSG_TYPE_MAKE_SEND, so,
						  MP_MSG_TYPE_MOVE_SEND_ONCE, 3, 0)),
			 MP_MACH_SEND_INVALID_REPLY);
	assert_int_equal(t_type(b, so), MP_PORT_TYPE_SEND_ONCE);
	assert_int_equal(t_status(b, other).mps_mscount, 1); /* the refused descriptor's send (class C) */
	/* the answer: MOVE_SEND_ONCE as destination */
	assert_int_equal(t_send(b, buf, t_simple(buf, sizeof buf, so, MP_MSG_TYPE_MOVE_SEND_ONCE, MP_PORT_NULL, 0,
						  4, 0)),
			 MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv_id(a, rp), 4);
	assert_int_equal(mp_port_destruct(a, rp, -1, 0), MP_KERN_SUCCESS);
}

/* ipc_right_copyin on a real reply port: as destination only MAKE_SEND_ONCE
 * (else MACH_SEND_INVALID_DEST); in a descriptor never
 * (MACH_SEND_INVALID_RIGHT, class C: an earlier descriptor's right is
 * destroyed); its receive right never moves. */
static void real_reply_port_in_messages(void **state)
{
	mp_task_t *a = hardened_task(), *b = t_task();
	mp_port_name_t rp = construct(a, MP_MPO_REPLY_PORT | MP_MPO_INSERT_SEND_RIGHT);
	mp_port_name_t server = t_port(b), to_server = t_give_send(b, server, a);
	mp_port_name_t plain = t_port(a);
	uint8_t buf[256];
	(void)state;

	/* destination */
	assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, rp, MP_MSG_TYPE_MAKE_SEND, MP_PORT_NULL, 0, 1, 0)),
			 MP_MACH_SEND_INVALID_DEST);
	assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, rp, MP_MSG_TYPE_COPY_SEND, MP_PORT_NULL, 0, 1, 0)),
			 MP_MACH_SEND_INVALID_DEST);
	assert_int_equal(t_refs(a, rp, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, rp, MP_MSG_TYPE_MAKE_SEND_ONCE, MP_PORT_NULL, 0,
						  2, 0)),
			 MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv_id(a, rp), 2);
	/* a make-send-once destination with itself as make-send-once reply */
	assert_int_equal(t_send(a, buf, t_simple(buf, sizeof buf, rp, MP_MSG_TYPE_MAKE_SEND_ONCE, rp,
						  MP_MSG_TYPE_MAKE_SEND_ONCE, 3, 0)),
			 MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv_id(a, rp), 3);
	/* its reply right, destroyed unused by t_recv_id */
	assert_int_equal(t_recv_id(a, rp), MP_MACH_NOTIFY_SEND_ONCE);

	/* descriptors: every disposition refused */
	static const uint32_t disps[] = { MP_MSG_TYPE_MAKE_SEND, MP_MSG_TYPE_MAKE_SEND_ONCE, MP_MSG_TYPE_COPY_SEND,
					  MP_MSG_TYPE_MOVE_SEND, MP_MSG_TYPE_MOVE_RECEIVE };
	for (int i = 0; i < 5; i++)
		assert_int_equal(t_send(a, buf, with_port(buf, sizeof buf, to_server, MP_MSG_TYPE_COPY_SEND, rp,
							  disps[i])),
				 MP_MACH_SEND_INVALID_RIGHT);
	assert_int_equal(t_type(a, rp), MP_PORT_TYPE_SEND_RECEIVE);
	assert_int_equal(t_refs(a, rp, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(t_status(a, rp).mps_sorights, 0);

	/* class C: the first descriptor's right goes, the header's too */
	mp_builder_t bld;
	size_t n = 0;
	mp_builder_init(&bld, buf, sizeof buf, 0);
	mp_builder_set_remote(&bld, to_server, MP_MSG_TYPE_MOVE_SEND);
	mp_builder_add_port(&bld, plain, MP_MSG_TYPE_MAKE_SEND_ONCE);
	mp_builder_add_port(&bld, rp, MP_MSG_TYPE_MAKE_SEND_ONCE);
	assert_int_equal(mp_builder_finish(&bld, &n, NULL), MP_OK);
	assert_int_equal(t_send(a, buf, (uint32_t)n), MP_MACH_SEND_INVALID_RIGHT);
	assert_int_equal(t_status(b, server).mps_msgcount, 0);
	/* made, then destroyed: its send-once notification */
	assert_int_equal(t_recv_id(a, plain), MP_MACH_NOTIFY_SEND_ONCE);
	assert_int_equal(t_status(a, plain).mps_sorights, 0);

	/* the receive right never moves */
	mp_port_name_t out = 0;
	uint32_t type = 0;
	assert_int_equal(mp_port_extract_right(a, rp, MP_MSG_TYPE_MOVE_RECEIVE, b, &out, &type),
			 MP_KERN_INVALID_CAPABILITY);
	assert_int_equal(mp_port_destruct(a, rp, -1, 0), MP_KERN_SUCCESS);
}

/* mach_port_insert_right / extract_right (ipc_object_copyin without the
 * reply flags) and mach_port_request_notification on a real reply port:
 * only the trap's fast path (MAKE_SEND / COPY_SEND under the port's own
 * name) succeeds; a no-senders or port-destroyed request is
 * KERN_INVALID_RIGHT. */
static void real_reply_port_calls(void **state)
{
	mp_task_t *a = hardened_task(), *b = t_task();
	mp_port_name_t rp = construct(a, MP_MPO_REPLY_PORT), out = 0, prev = 0;
	uint32_t type = 0;
	(void)state;

	assert_int_equal(mp_port_insert_right(a, rp, a, rp, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_right(a, rp, a, rp, MP_MSG_TYPE_COPY_SEND), MP_KERN_SUCCESS);
	assert_int_equal(t_refs(a, rp, MP_PORT_RIGHT_SEND), 2);
	assert_int_equal(mp_port_insert_right(b, 0x1003, a, rp, MP_MSG_TYPE_MAKE_SEND), MP_KERN_INVALID_CAPABILITY);
	assert_int_equal(mp_port_insert_right(b, 0x1003, a, rp, MP_MSG_TYPE_MAKE_SEND_ONCE),
			 MP_KERN_INVALID_CAPABILITY);
	assert_int_equal(mp_port_insert_right(b, 0x1003, a, rp, MP_MSG_TYPE_COPY_SEND), MP_KERN_INVALID_CAPABILITY);
	static const uint32_t msgt[] = { MP_MSG_TYPE_MAKE_SEND, MP_MSG_TYPE_MAKE_SEND_ONCE, MP_MSG_TYPE_COPY_SEND,
					 MP_MSG_TYPE_MOVE_SEND, MP_MSG_TYPE_MOVE_RECEIVE };
	for (int i = 0; i < 5; i++)
		assert_int_equal(mp_port_extract_right(a, rp, msgt[i], b, &out, &type), MP_KERN_INVALID_CAPABILITY);
	assert_int_equal(t_refs(a, rp, MP_PORT_RIGHT_SEND), 2);
	assert_int_equal(t_status(a, rp).mps_sorights, 0);
	assert_int_equal(mp_port_request_notification(a, rp, MP_MACH_NOTIFY_NO_SENDERS, 0, MP_PORT_NULL, 0, &prev),
			 MP_KERN_INVALID_RIGHT);
	/* mach_port_request_notification, case PORT_DESTROYED: not on a reply
	 * port either (checked before the request slot, so even a NULL notify) */
	assert_int_equal(mp_port_request_notification(a, rp, MP_MACH_NOTIFY_PORT_DESTROYED, 0, MP_PORT_NULL, 0,
						      &prev),
			 MP_KERN_INVALID_RIGHT);
	assert_int_equal(t_status(a, rp).mps_pdrequest, 0);
	assert_int_equal(mp_port_destruct(a, rp, -2, 0), MP_KERN_SUCCESS);
}

/* MPO_EXCEPTION_PORT (11417's 0x8000): an immovable receive right, in any
 * task; otherwise an ordinary port. */
static void exception_port(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t ep = construct(a, MP_MPO_EXCEPTION_PORT), out = 0;
	uint32_t type = 0;
	uint8_t buf[256];
	mp_port_name_t to_b = t_give_send(b, t_port(b), a);
	(void)state;

	assert_int_equal(mp_port_extract_right(a, ep, MP_MSG_TYPE_MOVE_RECEIVE, b, &out, &type),
			 MP_KERN_INVALID_CAPABILITY);
	assert_int_equal(t_send(a, buf, with_port(buf, sizeof buf, to_b, MP_MSG_TYPE_COPY_SEND, ep,
						  MP_MSG_TYPE_MOVE_RECEIVE)),
			 MP_MACH_SEND_INVALID_RIGHT);
	assert_int_equal(t_type(a, ep), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(t_give_send(a, ep, b) != MP_PORT_NULL, 1);
	assert_int_equal(mp_port_mod_refs(a, ep, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(construct_reply_flag_group),
		T(set_hardened_values),
		T(provisional_reply_port_is_ordinary),
		T(enforce_reply_port_semantics),
		T(real_reply_port_as_reply),
		T(real_reply_port_in_messages),
		T(real_reply_port_calls),
		T(exception_port),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
