/*
 * lib/port/tests/notify_test.c: port-destroyed (MACH_NOTIFY_PORT_DESTROYED)
 * and send-possible (MACH_NOTIFY_SEND_POSSIBLE) notifications, on any
 * backend. Each test names the XNU function whose rule it checks
 * (xnu-11417: osfmk/ipc/mach_port.c mach_port_request_notification,
 * ipc_port.c ipc_port_destroy / ipc_port_spnotify / ipc_port_dnnotify,
 * ipc_right.c ipc_right_request_alloc, ipc_kmsg.c ipc_kmsg_copyin_header).
 */
#include "lib/port/tests/port_test_support.h"

/* Receives one message on `port` into `buf` (kept, rights not released). */
static void recv_into(mp_task_t *t, mp_port_name_t port, uint8_t *buf, uint32_t cap)
{
	assert_int_equal(t_recv(t, buf, cap, port, 0), MP_MACH_MSG_SUCCESS);
}

/* The port-destroyed notification as received (notify.defs, 64-bit): 40
 * bytes, COMPLEX | LOCAL send-once, id 69, one port descriptor carrying the
 * receive right (disposition 16). Returns the receive right's name. */
static mp_port_name_t expect_port_destroyed(mp_task_t *t, mp_port_name_t notify)
{
	uint8_t buf[256];

	recv_into(t, notify, buf, sizeof(buf));
	assert_int_equal(t_get32(buf, 0), MP_MSGH_BITS_COMPLEX | 0x1200u);
	assert_int_equal(t_get32(buf, 4), 40);
	assert_int_equal(t_get32(buf, 8), MP_PORT_NULL);
	assert_int_equal(t_get32(buf, 12), notify);
	assert_int_equal(t_get32(buf, 20), MP_MACH_NOTIFY_PORT_DESTROYED);
	assert_int_equal(t_get32(buf, 24), 1);                  /* descriptor count */
	assert_int_equal(t_get32(buf, 32), 0);                  /* pad1 */
	assert_int_equal(buf[38], MP_MSG_TYPE_PORT_RECEIVE);     /* disposition */
	assert_int_equal(buf[39], MP_MSG_PORT_DESCRIPTOR);       /* type */
	assert_int_equal(t_get32(buf, 40 + 4), 8);               /* kernel sender tokens */
	return t_get32(buf, 28);
}

/* The 36-byte notifications (SEND_POSSIBLE, DEAD_NAME, PORT_DELETED):
 * returns the name at 32 after checking the id. */
static mp_port_name_t expect_name_notification(mp_task_t *t, mp_port_name_t notify, int32_t id)
{
	uint8_t buf[256];

	recv_into(t, notify, buf, sizeof(buf));
	assert_int_equal(t_get32(buf, 0), 0x1200u);
	assert_int_equal(t_get32(buf, 4), 36);
	assert_int_equal(t_get32(buf, 20), (uint32_t)id);
	assert_int_equal(t_get32(buf, 24), 0);
	assert_int_equal(t_get32(buf, 28), 1); /* NDR int_rep: little-endian */
	return t_get32(buf, 32);
}

static void expect_nothing(mp_task_t *t, mp_port_name_t port)
{
	uint8_t buf[256];
	assert_int_equal(t_recv(t, buf, sizeof(buf), port, 0), MP_MACH_RCV_TIMED_OUT);
}

static mp_kr_t request(mp_task_t *t, mp_port_name_t name, int32_t variant, uint32_t sync,
		       mp_port_name_t notify, mp_port_name_t *prev)
{
	return mp_port_request_notification(t, name, variant, sync, notify,
					    notify == MP_PORT_NULL ? 0 : MP_MSG_TYPE_MAKE_SEND_ONCE, prev);
}

static void send_simple(mp_task_t *t, mp_port_name_t dest, uint32_t option, mp_kr_t want)
{
	uint8_t buf[128];
	uint32_t n = t_simple(buf, sizeof(buf), dest, MP_MSG_TYPE_COPY_SEND, 0, 0, 7, 8);
	assert_int_equal(mp_mach_msg(t, buf, MP_MACH_SEND_MSG | MP_MACH_SEND_TIMEOUT | option, n, 0, 0, 0),
			 want);
}

/* ---- port-destroyed ---------------------------------------------------- */

/* mach_port_request_notification, case MACH_NOTIFY_PORT_DESTROYED: sync must
 * be 0, the name a receive right; a second request fails with KERN_FAILURE
 * (and the send-once right MIG made is destroyed: MACH_NOTIFY_SEND_ONCE);
 * NULL notify without a request is a no-op; previous is always NULL. */
static void port_destroyed_request_rules(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), n = t_port(a), prev = 0x1234, s;
	(void)state;

	s = t_give_send(a, p, b);
	assert_int_equal(request(a, p, MP_MACH_NOTIFY_PORT_DESTROYED, 1, n, &prev), MP_KERN_INVALID_VALUE);
	assert_int_equal(t_recv_id(a, n), MP_MACH_NOTIFY_SEND_ONCE);
	assert_int_equal(request(a, MP_PORT_NULL, MP_MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev),
			 MP_KERN_INVALID_RIGHT);
	assert_int_equal(t_recv_id(a, n), MP_MACH_NOTIFY_SEND_ONCE);
	assert_int_equal(request(b, s, MP_MACH_NOTIFY_PORT_DESTROYED, 0, MP_PORT_NULL, &prev),
			 MP_KERN_INVALID_RIGHT);
	assert_int_equal(request(a, 0x7703, MP_MACH_NOTIFY_PORT_DESTROYED, 0, MP_PORT_NULL, &prev),
			 MP_KERN_INVALID_NAME);
	/* NULL notify and no request: success, nothing registered */
	assert_int_equal(request(a, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, MP_PORT_NULL, &prev),
			 MP_KERN_SUCCESS);
	assert_int_equal(prev, MP_PORT_NULL);
	assert_int_equal(t_status(a, p).mps_pdrequest, 0);
	prev = 0x1234;
	assert_int_equal(request(a, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(prev, MP_PORT_NULL);
	assert_int_equal(t_status(a, p).mps_pdrequest, 1);
	/* never replaced, never cancelled */
	assert_int_equal(request(a, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev), MP_KERN_FAILURE);
	assert_int_equal(t_recv_id(a, n), MP_MACH_NOTIFY_SEND_ONCE);
	assert_int_equal(request(a, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, MP_PORT_NULL, &prev),
			 MP_KERN_FAILURE);
	assert_int_equal(t_status(a, p).mps_pdrequest, 1);
	expect_nothing(a, n);
}

/* ipc_port_destroy with ip_pdrequest: mach_port_mod_refs(RECEIVE, -1) sends
 * the receive right back in message 69; the port lives, its queue and the
 * senders' rights are kept, and ipc_port_clear_receiver reset mscount, seqno
 * and context. The request is one-shot: the next destruction is final. */
static void port_destroyed_fires_on_mod_refs(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), n = t_port(a), prev, s, r;
	mp_port_status_t st;
	uint8_t buf[256];
	(void)state;

	s = t_give_send(a, p, b);
	assert_int_equal(mp_port_set_context(a, p, 0x55), MP_KERN_SUCCESS);
	send_simple(b, s, 0, MP_MACH_MSG_SUCCESS);
	send_simple(b, s, 0, MP_MACH_MSG_SUCCESS);
	recv_into(a, p, buf, sizeof(buf)); /* seqno 0 -> 1 */
	assert_int_equal(request(a, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	r = expect_port_destroyed(a, n);
	assert_true(MP_PORT_VALID(r));
	assert_int_equal(t_type(a, r), MP_PORT_TYPE_RECEIVE);
	st = t_status(a, r);
	assert_int_equal(st.mps_msgcount, 1);
	assert_int_equal(st.mps_mscount, 0);
	assert_int_equal(st.mps_seqno, 0);
	assert_int_equal(st.mps_pdrequest, 0);
	assert_int_equal(st.mps_srights, 1);
	{
		uint64_t ctx = 1;
		assert_int_equal(mp_port_get_context(a, r, &ctx), MP_KERN_SUCCESS);
		assert_int_equal(ctx, 0);
	}
	/* the sender's right still names a live port */
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_SEND);
	send_simple(b, s, 0, MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv_id(a, r), 7);
	assert_int_equal(t_recv_id(a, r), 7);
	/* one-shot: now the port dies */
	assert_int_equal(mp_port_mod_refs(a, r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	expect_nothing(a, n);
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_DEAD_NAME);
}

/* ipc_port_destroy from a SEND|RECEIVE entry: the entry keeps its send
 * urefs (EX_RECEIVE) and the received right coalesces with it; a guarded
 * port destroyed by mach_port_destruct with its guard arrives unguarded
 * (ipc_port_clear_receiver). */
static void port_destroyed_guarded_send_receive_entry(void **state)
{
	mp_task_t *a = t_task();
	mp_port_options_t o = { MP_MPO_CONTEXT_AS_GUARD | MP_MPO_STRICT | MP_MPO_INSERT_SEND_RIGHT, 0 };
	mp_port_name_t p = 0, n = t_port(a), prev, r;
	(void)state;

	assert_int_equal(mp_port_construct(a, &o, 0x99, &p), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_right(a, p, a, p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(request(a, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_destruct(a, p, 0, 0x99), MP_KERN_SUCCESS);
	assert_int_equal(t_type(a, p), MP_PORT_TYPE_SEND);
	assert_int_equal(t_refs(a, p, MP_PORT_RIGHT_SEND), 2);
	r = expect_port_destroyed(a, n);
	assert_int_equal(r, p);
	assert_int_equal(t_type(a, p), MP_PORT_TYPE_SEND | MP_PORT_TYPE_RECEIVE);
	assert_int_equal(t_status(a, p).mps_flags, 0);
	assert_int_equal(t_status(a, p).mps_mscount, 0);
	/* unguarded now: mach_port_destroy needs no guard */
	assert_int_equal(mp_port_destroy(a, p), MP_KERN_SUCCESS);
}

/* Task death (ipc_space_terminate -> ipc_port_destroy): the receive right
 * goes to the notify port's holder in another task. */
static void port_destroyed_fires_on_task_death(void **state)
{
	mp_task_t *a = t_task(), *c = t_task();
	mp_port_name_t p = t_port(a), n = t_port(c), na, prev, r;
	(void)state;

	na = t_give_sonce(c, n, a);
	assert_int_equal(mp_port_request_notification(a, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, na,
						      MP_MSG_TYPE_MOVE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	t_kill(a);
	r = expect_port_destroyed(c, n);
	assert_int_equal(t_type(c, r), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(mp_port_mod_refs(c, r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
}

/* A message carrying the receive right destroyed (ipc_kmsg_clean ->
 * ipc_port_destroy): the queue it sat in is destroyed with its port. */
static void port_destroyed_fires_when_carrying_message_dies(void **state)
{
	mp_task_t *a = t_task();
	mp_port_name_t p = t_port(a), q = t_port_send(a), n = t_port(a), prev, r;
	mp_builder_t bl;
	uint8_t buf[256];
	size_t len = 0;
	(void)state;

	assert_int_equal(request(a, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev), MP_KERN_SUCCESS);
	mp_builder_init(&bl, buf, sizeof(buf), 0);
	mp_builder_set_remote(&bl, q, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_port(&bl, p, MP_MSG_TYPE_MOVE_RECEIVE);
	assert_int_equal(mp_builder_finish(&bl, &len, NULL), MP_OK);
	assert_int_equal(t_send(a, buf, (uint32_t)len), MP_MACH_MSG_SUCCESS);
	expect_nothing(a, n);
	assert_int_equal(mp_port_destroy(a, q), MP_KERN_SUCCESS);
	r = expect_port_destroyed(a, n);
	assert_int_equal(t_type(a, r), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(mp_port_destroy(a, r), MP_KERN_SUCCESS);
}

/* The notification cannot be delivered: its port is dead (ipc_kmsg_send
 * destroys it) or it would carry the right into its own queue (CIRCULAR):
 * the receive right is destroyed and the port really dies. */
static void port_destroyed_undeliverable_port_dies(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), n = t_port(a), prev, s;
	(void)state;

	s = t_give_send(a, p, b);
	assert_int_equal(request(a, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(a, n, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(mp_port_deallocate(b, s), MP_KERN_SUCCESS);

	/* circular: the notify right is a send-once right to the port itself */
	p = t_port(a);
	s = t_give_send(a, p, b);
	assert_int_equal(request(a, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, p, &prev), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_DEAD_NAME);
}

/* ---- send-possible ----------------------------------------------------- */

/* ipc_right_request_alloc: an armed (sync != 0) request fires at once when
 * the queue is not full, naming the requester's name; nothing stays
 * registered. A NULL or DEAD name is KERN_INVALID_ARGUMENT, a port set
 * KERN_INVALID_RIGHT, an unknown name KERN_INVALID_NAME. */
static void send_possible_fires_at_once(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), n = t_port(b), s, prev = 0x1234, ps = 0;
	(void)state;

	s = t_give_send(a, p, b);
	assert_int_equal(request(b, s, MP_MACH_NOTIFY_SEND_POSSIBLE, 1, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(prev, MP_PORT_NULL);
	assert_int_equal(expect_name_notification(b, n, MP_MACH_NOTIFY_SEND_POSSIBLE), s);
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_SEND);
	assert_int_equal(request(b, MP_PORT_NULL, MP_MACH_NOTIFY_SEND_POSSIBLE, 1, n, &prev),
			 MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(t_recv_id(b, n), MP_MACH_NOTIFY_SEND_ONCE);
	assert_int_equal(request(b, MP_PORT_DEAD, MP_MACH_NOTIFY_SEND_POSSIBLE, 1, MP_PORT_NULL, &prev),
			 MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(request(b, 0x7703, MP_MACH_NOTIFY_SEND_POSSIBLE, 1, MP_PORT_NULL, &prev),
			 MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_allocate(b, MP_PORT_RIGHT_PORT_SET, &ps), MP_KERN_SUCCESS);
	assert_int_equal(request(b, ps, MP_MACH_NOTIFY_SEND_POSSIBLE, 1, n, &prev), MP_KERN_INVALID_RIGHT);
	assert_int_equal(t_recv_id(b, n), MP_MACH_NOTIFY_SEND_ONCE);
	/* NULL notify and no request: success */
	assert_int_equal(request(b, ps, MP_MACH_NOTIFY_SEND_POSSIBLE, 1, MP_PORT_NULL, &prev),
			 MP_KERN_SUCCESS);
}

/* An armed request on a full queue waits for the next receive from the port
 * (ipc_kmsg_copyout_header -> ipc_port_spnotify), not for the queue to
 * drain; mach_port_type reports DNREQUEST while it is registered. A
 * send-once right's request fires at once even on a full queue. */
static void send_possible_fires_on_receive(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), n = t_port(b), s, so, prev;
	(void)state;

	s = t_give_send(a, p, b);
	assert_int_equal(mp_port_set_qlimit(a, p, 2), MP_KERN_SUCCESS);
	send_simple(b, s, 0, MP_MACH_MSG_SUCCESS);
	send_simple(b, s, 0, MP_MACH_MSG_SUCCESS);
	send_simple(b, s, 0, MP_MACH_SEND_TIMED_OUT);
	assert_int_equal(request(b, s, MP_MACH_NOTIFY_SEND_POSSIBLE, 1, n, &prev), MP_KERN_SUCCESS);
	expect_nothing(b, n);
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_SEND | MP_PORT_TYPE_DNREQUEST);
	/* raising the limit does not fire it */
	assert_int_equal(mp_port_set_qlimit(a, p, 3), MP_KERN_SUCCESS);
	expect_nothing(b, n);
	assert_int_equal(t_recv_id(a, p), 7);
	assert_int_equal(expect_name_notification(b, n, MP_MACH_NOTIFY_SEND_POSSIBLE), s);
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_SEND);
	assert_int_equal(t_recv_id(a, p), 7);
	expect_nothing(b, n);

	/* a send-once right: fires at once, full or not */
	assert_int_equal(mp_port_set_qlimit(a, p, 1), MP_KERN_SUCCESS);
	send_simple(b, s, 0, MP_MACH_MSG_SUCCESS);
	so = t_give_sonce(a, p, b);
	assert_int_equal(request(b, so, MP_MACH_NOTIFY_SEND_POSSIBLE, 1, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(expect_name_notification(b, n, MP_MACH_NOTIFY_SEND_POSSIBLE), so);
	assert_int_equal(mp_port_deallocate(b, so), MP_KERN_SUCCESS);
	assert_int_equal(t_recv_id(a, p), 7);
	assert_int_equal(t_recv_id(a, p), MP_MACH_NOTIFY_SEND_ONCE);
}

/* sync == 0 registers an unarmed request: a receive does not fire it. A
 * MACH_SEND_NOTIFY send on the full queue arms it (ipc_kmsg_copyin_header ->
 * ipc_port_request_sparm) and still times out; the next receive fires it.
 * On a queue with room the send goes through and the request stays
 * unarmed. */
static void send_possible_armed_by_send_notify(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), n = t_port(b), s, prev;
	(void)state;

	s = t_give_send(a, p, b);
	assert_int_equal(mp_port_set_qlimit(a, p, 1), MP_KERN_SUCCESS);
	assert_int_equal(request(b, s, MP_MACH_NOTIFY_SEND_POSSIBLE, 0, n, &prev), MP_KERN_SUCCESS);
	expect_nothing(b, n);
	send_simple(b, s, MP_MACH_SEND_NOTIFY, MP_MACH_MSG_SUCCESS); /* room: not armed */
	assert_int_equal(t_recv_id(a, p), 7);
	expect_nothing(b, n);
	send_simple(b, s, 0, MP_MACH_MSG_SUCCESS);
	send_simple(b, s, MP_MACH_SEND_NOTIFY, MP_MACH_SEND_TIMED_OUT); /* full: armed */
	expect_nothing(b, n);
	assert_int_equal(t_recv_id(a, p), 7);
	assert_int_equal(expect_name_notification(b, n, MP_MACH_NOTIFY_SEND_POSSIBLE), s);
	/* fired: the slot holds nothing, a new request returns no previous */
	prev = 0x1234;
	assert_int_equal(request(b, s, MP_MACH_NOTIFY_SEND_POSSIBLE, 0, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(prev, MP_PORT_NULL);
	/* MACH_SEND_NOTIFY does not arm a dead-name request */
	assert_int_equal(request(b, s, MP_MACH_NOTIFY_DEAD_NAME, 0, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(b, prev), MP_KERN_SUCCESS);
	assert_int_equal(t_recv_id(b, n), MP_MACH_NOTIFY_SEND_ONCE);
	send_simple(b, s, 0, MP_MACH_MSG_SUCCESS);
	send_simple(b, s, MP_MACH_SEND_NOTIFY, MP_MACH_SEND_TIMED_OUT);
	assert_int_equal(t_recv_id(a, p), 7);
	expect_nothing(b, n);
}

/* One request slot per name, shared by dead-name and send-possible requests
 * (ipc_right_request_alloc): a new request of either kind returns the
 * other's send-once right as previous. */
static void send_possible_shares_the_dead_name_slot(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), n = t_port(b), s, prev;
	(void)state;

	s = t_give_send(a, p, b);
	assert_int_equal(request(b, s, MP_MACH_NOTIFY_DEAD_NAME, 0, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(request(b, s, MP_MACH_NOTIFY_SEND_POSSIBLE, 0, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(t_type(b, prev), MP_PORT_TYPE_SEND_ONCE);
	assert_int_equal(mp_port_deallocate(b, prev), MP_KERN_SUCCESS);
	assert_int_equal(t_recv_id(b, n), MP_MACH_NOTIFY_SEND_ONCE);
	assert_int_equal(request(b, s, MP_MACH_NOTIFY_DEAD_NAME, 0, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(t_type(b, prev), MP_PORT_TYPE_SEND_ONCE);
	assert_int_equal(mp_port_deallocate(b, prev), MP_KERN_SUCCESS);
	assert_int_equal(t_recv_id(b, n), MP_MACH_NOTIFY_SEND_ONCE);
	/* a NULL notify cancels and returns the right */
	assert_int_equal(request(b, s, MP_MACH_NOTIFY_SEND_POSSIBLE, 0, MP_PORT_NULL, &prev),
			 MP_KERN_SUCCESS);
	assert_int_equal(t_type(b, prev), MP_PORT_TYPE_SEND_ONCE);
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_SEND);
	assert_int_equal(mp_port_deallocate(b, prev), MP_KERN_SUCCESS);
	assert_int_equal(t_recv_id(b, n), MP_MACH_NOTIFY_SEND_ONCE);
}

/* The port dies: every request, armed or not, gets MACH_NOTIFY_DEAD_NAME
 * (ipc_port_dnnotify) and the name becomes a dead name with one more uref
 * (ipc_right_check). A request on a dead name fires DEAD_NAME at once and
 * adds a uref (ipc_right_request_alloc). The requester's name going away
 * sends MACH_NOTIFY_PORT_DELETED (ipc_right_dealloc). */
static void send_possible_on_death_and_deletion(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), q = t_port(a), n = t_port(b), s, sq, prev;
	(void)state;

	s = t_give_send(a, p, b);
	sq = t_give_send(a, q, b);
	assert_int_equal(mp_port_set_qlimit(a, p, 0), MP_KERN_SUCCESS);
	assert_int_equal(request(b, s, MP_MACH_NOTIFY_SEND_POSSIBLE, 1, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(expect_name_notification(b, n, MP_MACH_NOTIFY_DEAD_NAME), s);
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(t_refs(b, s, MP_PORT_RIGHT_DEAD_NAME), 2);
	assert_int_equal(request(b, s, MP_MACH_NOTIFY_SEND_POSSIBLE, 0, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(prev, MP_PORT_NULL);
	assert_int_equal(expect_name_notification(b, n, MP_MACH_NOTIFY_DEAD_NAME), s);
	assert_int_equal(t_refs(b, s, MP_PORT_RIGHT_DEAD_NAME), 3);
	assert_int_equal(mp_port_mod_refs(b, s, MP_PORT_RIGHT_DEAD_NAME, -3), MP_KERN_SUCCESS);

	assert_int_equal(request(b, sq, MP_MACH_NOTIFY_SEND_POSSIBLE, 0, n, &prev), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(b, sq), MP_KERN_SUCCESS);
	assert_int_equal(expect_name_notification(b, n, MP_MACH_NOTIFY_PORT_DELETED), sq);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(port_destroyed_request_rules),
		T(port_destroyed_fires_on_mod_refs),
		T(port_destroyed_guarded_send_receive_entry),
		T(port_destroyed_fires_on_task_death),
		T(port_destroyed_fires_when_carrying_message_dies),
		T(port_destroyed_undeliverable_port_dies),
		T(send_possible_fires_at_once),
		T(send_possible_fires_on_receive),
		T(send_possible_armed_by_send_notify),
		T(send_possible_shares_the_dead_name_slot),
		T(send_possible_on_death_and_deletion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
