/*
 * lib/port/tests/port_xnu_calls_test.c: the mach_port_* calls that answered
 * differently from xnu-11417 (issue 12): mach_port_peek, guards and
 * immovable receive rights, the port-set calls, swap_guard and the
 * attributes calls, and the flags audit. Each case names the XNU function
 * it mirrors; the same binary runs on the embedded kernel and on machportd
 * (port_xnu_calls_test_machportd). The guard exceptions these calls raise
 * are checked on the kernel itself in lib/kern/tests/guard_calls_test.c.
 */
#include "lib/port/tests/port_test_support.h"

/* A message of `ndesc` port descriptors (COPY_SEND of `dest`'s send right
 * under `dest`) and `len` inline bytes, to `dest`. */
static uint32_t t_complex(uint8_t *buf, size_t cap, mp_port_name_t dest, uint32_t nport, size_t len,
			  int32_t id)
{
	mp_builder_t b;
	size_t n = 0;
	uint8_t data[64] = { 0 };

	mp_builder_init(&b, buf, cap, 0);
	mp_builder_set_remote(&b, dest, MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_id(&b, id);
	for (uint32_t i = 0; i < nport; i++)
		mp_builder_add_port(&b, dest, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_append(&b, data, len);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	return (uint32_t)n;
}

static void t_send_simple(mp_task_t *t, mp_port_name_t p, int32_t id)
{
	uint8_t buf[128];
	uint32_t n = t_simple(buf, sizeof(buf), p, MP_MSG_TYPE_MAKE_SEND, 0, 0, id, 0);
	assert_int_equal(t_send(t, buf, n), MP_MACH_MSG_SUCCESS);
}

static const uint32_t audit_opts =
	MP_RCV_TRAILER_TYPE(MP_MSG_TRAILER_FORMAT_0) | MP_RCV_TRAILER_ELEMENTS(MP_RCV_TRAILER_AUDIT);

static mp_kr_t t_peek(mp_task_t *t, mp_port_name_t p, uint32_t opts, uint32_t *seqno, uint32_t *size,
		      int32_t *id, uint8_t *trailer)
{
	uint32_t tsize = MP_MSG_TRAILER_AUDIT_SIZE;
	return mp_port_peek(t, p, opts, seqno, size, id, trailer, &tsize);
}

/* ipc_mqueue_peek_locked: seqno 0 is the first queued message, whose seqno
 * is written back, also after messages were received; other seqnos are
 * positional from the port's seqno; an already received one finds nothing. */
static void peek_seqno_zero_is_head(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t tr[MP_MSG_TRAILER_AUDIT_SIZE];
	uint32_t seqno = 0, size = 0;
	int32_t id = 0;
	(void)state;

	assert_int_equal(t_peek(t, p, audit_opts, &seqno, &size, &id, tr), MP_KERN_FAILURE);
	t_send_simple(t, p, 100);
	t_send_simple(t, p, 101);
	t_send_simple(t, p, 102);
	assert_int_equal(t_recv_id(t, p), 100);
	seqno = 0;
	assert_int_equal(t_peek(t, p, audit_opts, &seqno, &size, &id, tr), MP_KERN_SUCCESS);
	assert_int_equal(seqno, 1);
	assert_int_equal(id, 101);
	assert_int_equal(t_get32(tr, 8), 1); /* the trailer's seqno is the peeked one */
	seqno = 2;
	assert_int_equal(t_peek(t, p, audit_opts, &seqno, &size, &id, tr), MP_KERN_SUCCESS);
	assert_int_equal(seqno, 2);
	assert_int_equal(id, 102);
	assert_int_equal(t_get32(tr, 8), 2);
	seqno = 3; /* past the queue */
	assert_int_equal(t_peek(t, p, audit_opts, &seqno, &size, &id, tr), MP_KERN_FAILURE);
	seqno = 0; /* 0 again means the head, not the received seqno 0 */
	assert_int_equal(t_peek(t, p, audit_opts, &seqno, &size, &id, tr), MP_KERN_SUCCESS);
	assert_int_equal(seqno, 1);
	assert_int_equal(t_recv_id(t, p), 101);
	assert_int_equal(t_recv_id(t, p), 102);
	seqno = 0; /* empty queue */
	assert_int_equal(t_peek(t, p, audit_opts, &seqno, &size, &id, tr), MP_KERN_FAILURE);
	assert_int_equal(seqno, 0);
}

/* mach_port_peek: NULL/DEAD are KERN_INVALID_RIGHT before anything else; a
 * bad trailer request is KERN_INVALID_VALUE before the name is looked up;
 * then ipc_port_translate_receive's codes (a dead-name entry is
 * KERN_INVALID_NAME, a send right KERN_INVALID_RIGHT). */
static void peek_codes_in_order(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t), dead = 0;
	uint8_t tr[MP_MSG_TRAILER_AUDIT_SIZE];
	uint32_t seqno = 0, size = 0, tsize;
	uint32_t bad = MP_RCV_TRAILER_ELEMENTS(MP_RCV_TRAILER_CTX);
	int32_t id = 0;
	(void)state;

	assert_int_equal(t_peek(t, MP_PORT_NULL, audit_opts, &seqno, &size, &id, tr), MP_KERN_INVALID_RIGHT);
	assert_int_equal(t_peek(t, MP_PORT_DEAD, audit_opts, &seqno, &size, &id, tr), MP_KERN_INVALID_RIGHT);
	assert_int_equal(t_peek(t, MP_PORT_NULL, bad, &seqno, &size, &id, tr), MP_KERN_INVALID_RIGHT);
	assert_int_equal(t_peek(t, 0x12345, bad, &seqno, &size, &id, tr), MP_KERN_INVALID_VALUE);
	tsize = 20; /* too small for AUDIT */
	assert_int_equal(mp_port_peek(t, 0x12345, audit_opts, &seqno, &size, &id, tr, &tsize),
			 MP_KERN_INVALID_VALUE);
	assert_int_equal(t_peek(t, 0x12345, audit_opts, &seqno, &size, &id, tr), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_DEAD_NAME, &dead), MP_KERN_SUCCESS);
	assert_int_equal(t_peek(t, dead, audit_opts, &seqno, &size, &id, tr), MP_KERN_INVALID_NAME);
	{
		mp_task_t *o = t_task();
		mp_port_name_t s = t_give_send(t, p, o);
		assert_int_equal(t_peek(o, s, audit_opts, &seqno, &size, &id, tr), MP_KERN_INVALID_RIGHT);
	}
	/* the trailer type bits and the other option bits are ignored */
	t_send_simple(t, p, 7);
	seqno = 0;
	assert_int_equal(t_peek(t, p, 0xf0ffffffu, &seqno, &size, &id, tr),
			 MP_KERN_SUCCESS);
	assert_int_equal(id, 7);
	assert_int_equal(t_recv_id(t, p), 7);
}

/* ipc_kmsg_init_trailer_and_sign: the trailer peek copies out is the
 * message's stored one: msgh_trailer_size reads 8 whatever was asked. */
static void peek_trailer_is_stored(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t tr[MP_MSG_TRAILER_AUDIT_SIZE];
	uint32_t seqno = 0, size = 0, tsize = sizeof(tr);
	int32_t id = 0;
	(void)state;

	t_send_simple(t, p, 9);
	assert_int_equal(mp_port_peek(t, p, audit_opts, &seqno, &size, &id, tr, &tsize), MP_KERN_SUCCESS);
	assert_int_equal(tsize, MP_MSG_TRAILER_AUDIT_SIZE);
	assert_int_equal(t_get32(tr, 0), MP_MSG_TRAILER_FORMAT_0);
	assert_int_equal(t_get32(tr, 4), MP_MSG_TRAILER_MINIMUM_SIZE);
	assert_int_equal(t_get32(tr, 8), 0);
	tsize = sizeof(tr);
	assert_int_equal(mp_port_peek(t, p, MP_RCV_TRAILER_ELEMENTS(MP_RCV_TRAILER_SEQNO), &seqno, &size, &id,
				      tr, &tsize),
			 MP_KERN_SUCCESS);
	assert_int_equal(tsize, 12);
	assert_int_equal(t_get32(tr, 4), MP_MSG_TRAILER_MINIMUM_SIZE);
	assert_int_equal(t_recv_id(t, p), 9);
}

/* ipc_kmsg_get_and_inflate_from_user: the size is the kernel's: + 8 for the
 * header, + 4 per port descriptor (12 bytes from a 64-bit sender, 16 in the
 * kernel); OOL descriptors are 16 in both. */
static void peek_kernel_size(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port_send(t);
	uint8_t buf[256], tr[MP_MSG_TRAILER_AUDIT_SIZE];
	uint32_t n, seqno, size = 0;
	int32_t id = 0;
	mp_builder_t b;
	size_t len = 0;
	static uint8_t ool[16];
	(void)state;

	n = t_complex(buf, sizeof(buf), p, 1, 0, 1);
	assert_int_equal(n, 40);
	assert_int_equal(t_send(t, buf, n), MP_MACH_MSG_SUCCESS);
	seqno = 0;
	assert_int_equal(t_peek(t, p, audit_opts, &seqno, &size, &id, tr), MP_KERN_SUCCESS);
	assert_int_equal(size, 52);
	assert_int_equal(t_recv_id(t, p), 1);

	n = t_complex(buf, sizeof(buf), p, 2, 8, 2);
	assert_int_equal(n, 60);
	assert_int_equal(t_send(t, buf, n), MP_MACH_MSG_SUCCESS);
	seqno = 0;
	assert_int_equal(t_peek(t, p, audit_opts, &seqno, &size, &id, tr), MP_KERN_SUCCESS);
	assert_int_equal(size, 76);
	assert_int_equal(t_recv_id(t, p), 2);

	mp_builder_init(&b, buf, sizeof(buf), 0);
	mp_builder_set_remote(&b, p, MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_id(&b, 3);
	mp_builder_add_ool(&b, mp_addr(ool), sizeof(ool), MP_MSG_PHYSICAL_COPY, 0);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK);
	assert_int_equal(len, 44);
	assert_int_equal(t_send(t, buf, (uint32_t)len), MP_MACH_MSG_SUCCESS);
	seqno = 0;
	assert_int_equal(t_peek(t, p, audit_opts, &seqno, &size, &id, tr), MP_KERN_SUCCESS);
	assert_int_equal(size, 52);
	assert_int_equal(t_recv_id(t, p), 3);
}

/* mach_port_guard_locked: the test is the context value: an unguarded port
 * with a non-zero context cannot be guarded; a port guarded with 0 can be
 * guarded again. Flags beyond MPG_STRICT / MPG_IMMOVABLE_RECEIVE are ignored. */
static void guard_needs_zero_context(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint64_t c = 0;
	(void)state;

	assert_int_equal(mp_port_set_context(t, p, 0x1234), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_guard(t, p, 0x99, 0), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_get_context(t, p, &c), MP_KERN_SUCCESS);
	assert_int_equal(c, 0x1234);
	assert_false(t_status(t, p).mps_flags & MP_PORT_STATUS_FLAG_GUARDED);
	assert_int_equal(mp_port_set_context(t, p, 0), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_guard(t, p, 0, 0), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_guard(t, p, 0x77, 1), MP_KERN_SUCCESS); /* guarded with 0: again */
	assert_int_equal(t_status(t, p).mps_flags,
			 MP_PORT_STATUS_FLAG_GUARDED | MP_PORT_STATUS_FLAG_STRICT_GUARD);
	assert_int_equal(mp_port_guard(t, p, 0x78, 0), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_unguard(t, p, 0x77), MP_KERN_SUCCESS);
	/* unknown guard_with_flags bits are ignored, as XNU ignores them */
	assert_int_equal(mp_port_guard_with_flags(t, p, 0x88, ~(uint64_t)MP_MPG_IMMOVABLE_RECEIVE),
			 MP_KERN_SUCCESS);
	assert_int_equal(t_status(t, p).mps_flags,
			 MP_PORT_STATUS_FLAG_GUARDED | MP_PORT_STATUS_FLAG_STRICT_GUARD);
	assert_int_equal(mp_port_destruct(t, p, 0, 0x88), MP_KERN_SUCCESS);
}

static void send_move_receive(mp_task_t *t, mp_port_name_t dest, mp_port_name_t moved, mp_kr_t want)
{
	uint8_t buf[128];
	mp_builder_t b;
	size_t len = 0;

	mp_builder_init(&b, buf, sizeof(buf), 0);
	mp_builder_set_remote(&b, dest, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_port(&b, moved, MP_MSG_TYPE_MOVE_RECEIVE);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK);
	assert_int_equal(t_send(t, buf, (uint32_t)len), want);
}

/* mach_port_unguard_locked keeps the immovable-receive bit, so MOVE_RECEIVE
 * stays refused (ipc_right_copyin: KERN_INVALID_CAPABILITY, in a message
 * MACH_SEND_INVALID_RIGHT); mach_port_get_status_helper reports
 * GUARD_IMMOVABLE_RECEIVE only while the port is guarded. */
static void unguard_keeps_immovable(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p, q = t_port(a), out = 0;
	uint32_t type = 0;
	mp_port_options_t o = { MP_MPO_CONTEXT_AS_GUARD | MP_MPO_IMMOVABLE_RECEIVE, 0 };
	(void)state;

	assert_int_equal(mp_port_construct(a, &o, 0x10, &p), MP_KERN_SUCCESS);
	assert_int_equal(t_status(a, p).mps_flags,
			 MP_PORT_STATUS_FLAG_GUARDED | MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE);
	assert_int_equal(mp_port_unguard(a, p, 0x10), MP_KERN_SUCCESS);
	assert_int_equal(t_status(a, p).mps_flags, 0);
	assert_int_equal(mp_port_extract_right(a, p, MP_MSG_TYPE_MOVE_RECEIVE, b, &out, &type),
			 MP_KERN_INVALID_CAPABILITY);
	send_move_receive(a, q, p, MP_MACH_SEND_INVALID_RIGHT);
	assert_int_equal(t_type(a, p), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(t_status(a, q).mps_msgcount, 0);
	/* guarded again (context 0 after unguard): immovable is reported again */
	assert_int_equal(mp_port_guard(a, p, 0x11, 0), MP_KERN_SUCCESS);
	assert_true(t_status(a, p).mps_flags & MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE);
	assert_int_equal(mp_port_destruct(a, p, 0, 0x11), MP_KERN_SUCCESS);
}

/* mach_port_construct: MPO_IMMOVABLE_RECEIVE and MPO_STRICT act only with
 * MPO_CONTEXT_AS_GUARD; alone they are ignored and the context is a plain
 * context. */
static void construct_immovable_needs_guard(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p, out = 0;
	uint32_t type = 0;
	uint64_t c = 0;
	mp_port_options_t o = { MP_MPO_IMMOVABLE_RECEIVE | MP_MPO_STRICT, 0 };
	(void)state;

	assert_int_equal(mp_port_construct(a, &o, 0x42, &p), MP_KERN_SUCCESS);
	assert_int_equal(t_status(a, p).mps_flags, 0);
	assert_int_equal(mp_port_get_context(a, p, &c), MP_KERN_SUCCESS);
	assert_int_equal(c, 0x42);
	assert_int_equal(mp_port_set_context(a, p, 0x43), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_extract_right(a, p, MP_MSG_TYPE_MOVE_RECEIVE, b, &out, &type),
			 MP_KERN_SUCCESS);
	assert_int_equal(type, MP_MSG_TYPE_PORT_RECEIVE);
}

/* mach_port_get_context / set_context: a strict guard reads 0 and cannot be
 * set; a non-strict guard's value is changed by set_context (the port stays
 * guarded with the new value). */
static void context_of_guarded_ports(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t), s;
	uint64_t c = 1;
	mp_port_options_t strict = { MP_MPO_CONTEXT_AS_GUARD | MP_MPO_STRICT, 0 };
	(void)state;

	assert_int_equal(mp_port_construct(t, &strict, 0x55, &s), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_get_context(t, s, &c), MP_KERN_SUCCESS);
	assert_int_equal(c, 0);
	assert_int_equal(mp_port_set_context(t, s, 1), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_destruct(t, s, 0, 0x55), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_guard(t, p, 0x99, 0), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_set_context(t, p, 0x98), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_get_context(t, p, &c), MP_KERN_SUCCESS);
	assert_int_equal(c, 0x98);
	assert_int_equal(mp_port_unguard(t, p, 0x99), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_unguard(t, p, 0x98), MP_KERN_SUCCESS);
}

/* facts §11.9, each call's answer for the names NULL and DEAD, and for a
 * dead-name entry and a send right (ipc_port_translate_receive). */
static void guard_calls_name_codes(void **state)
{
	mp_task_t *t = t_task(), *o = t_task();
	mp_port_name_t p = t_port(t), dead = 0, snd = t_give_send(t, p, o);
	static const mp_port_name_t bad[] = { MP_PORT_NULL, MP_PORT_DEAD };
	uint64_t c;
	mp_port_status_t st;
	(void)state;

	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(mp_port_guard(t, bad[i], 1, 0), MP_KERN_INVALID_NAME);
		assert_int_equal(mp_port_guard_with_flags(t, bad[i], 1, 0), MP_KERN_INVALID_NAME);
		assert_int_equal(mp_port_unguard(t, bad[i], 1), MP_KERN_INVALID_NAME);
		assert_int_equal(mp_port_swap_guard(t, bad[i], 0, 1), MP_KERN_INVALID_NAME);
		assert_int_equal(mp_port_destruct(t, bad[i], 0, 0), MP_KERN_INVALID_NAME);
		assert_int_equal(mp_port_set_context(t, bad[i], 1), MP_KERN_INVALID_RIGHT);
		assert_int_equal(mp_port_get_context(t, bad[i], &c), MP_KERN_INVALID_RIGHT);
		assert_int_equal(mp_port_get_status(t, bad[i], &st), MP_KERN_INVALID_RIGHT);
	}
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_DEAD_NAME, &dead), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_guard(t, dead, 1, 0), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_unguard(t, dead, 1), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_swap_guard(t, dead, 0, 1), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_set_context(t, dead, 1), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_get_status(t, dead, &st), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_guard(o, snd, 1, 0), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_unguard(o, snd, 1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_swap_guard(o, snd, 0, 1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_set_context(o, snd, 1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_guard(t, 0x12345, 1, 0), MP_KERN_INVALID_NAME);
}

/* mach_port_swap_guard: unguarded, strict, or another guard are
 * KERN_INVALID_ARGUMENT; else the guard changes, strict and immovable bits
 * unchanged. */
static void swap_guard_rules(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t), s, im;
	uint64_t c = 0;
	mp_port_options_t strict = { MP_MPO_CONTEXT_AS_GUARD | MP_MPO_STRICT, 0 };
	mp_port_options_t immovable = { MP_MPO_CONTEXT_AS_GUARD | MP_MPO_IMMOVABLE_RECEIVE, 0 };
	(void)state;

	assert_int_equal(mp_port_swap_guard(t, p, 0, 1), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_guard(t, p, 0x10, 0), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_swap_guard(t, p, 0x11, 0x20), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_swap_guard(t, p, 0x10, 0x20), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_get_context(t, p, &c), MP_KERN_SUCCESS);
	assert_int_equal(c, 0x20);
	assert_int_equal(mp_port_unguard(t, p, 0x10), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_unguard(t, p, 0x20), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_construct(t, &strict, 0x30, &s), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_swap_guard(t, s, 0x30, 0x31), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_destruct(t, s, 0, 0x30), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_construct(t, &immovable, 0x40, &im), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_swap_guard(t, im, 0x40, 0x41), MP_KERN_SUCCESS);
	assert_int_equal(t_status(t, im).mps_flags,
			 MP_PORT_STATUS_FLAG_GUARDED | MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE);
	assert_int_equal(mp_port_destruct(t, im, 0, 0x41), MP_KERN_SUCCESS);
}

/* mach_port_move_member: a NULL/DEAD member, then a DEAD set, are
 * KERN_INVALID_RIGHT before any lookup; to MACH_PORT_NULL a port in no set
 * is KERN_NOT_IN_SET; into a set it is already in: success, and it leaves
 * every other set. ipc_object_translate_port_pset looks both names up
 * before either type. */
static void move_member_codes(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t), s1, s2, dead = 0;
	(void)state;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_PORT_SET, &s1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_PORT_SET, &s2), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_move_member(t, MP_PORT_NULL, s1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_move_member(t, MP_PORT_DEAD, s1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_move_member(t, p, MP_PORT_DEAD), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_move_member(t, 0x12345, MP_PORT_DEAD), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_move_member(t, p, MP_PORT_NULL), MP_KERN_NOT_IN_SET);
	assert_int_equal(mp_port_move_member(t, 0x12345, MP_PORT_NULL), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_move_member(t, s1, MP_PORT_NULL), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_move_member(t, 0x12345, s1), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_move_member(t, p, 0x12345), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_move_member(t, s2, 0x12345), MP_KERN_INVALID_NAME); /* both looked up first */
	assert_int_equal(mp_port_move_member(t, s2, s1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_move_member(t, p, p), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_DEAD_NAME, &dead), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_move_member(t, dead, MP_PORT_NULL), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_move_member(t, dead, s1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_insert_member(t, p, s1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_member(t, p, s2), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_move_member(t, p, s1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_extract_member(t, p, s2), MP_KERN_NOT_IN_SET);
	assert_int_equal(mp_port_insert_member(t, p, s1), MP_KERN_ALREADY_IN_SET);
	assert_int_equal(mp_port_move_member(t, p, MP_PORT_NULL), MP_KERN_SUCCESS);
	assert_int_equal(t_status(t, p).mps_pset, 0);
	assert_int_equal(mp_port_move_member(t, p, MP_PORT_NULL), MP_KERN_NOT_IN_SET);
}

/* mach_port_insert_member / extract_member: NULL/DEAD names are
 * KERN_INVALID_RIGHT; mps_pset is 0/1, not a count
 * (mach_port_get_status_helper). */
static void insert_extract_member_codes(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t), s1, s2;
	(void)state;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_PORT_SET, &s1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_PORT_SET, &s2), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_member(t, MP_PORT_NULL, s1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_insert_member(t, p, MP_PORT_DEAD), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_extract_member(t, MP_PORT_DEAD, s1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_extract_member(t, p, MP_PORT_NULL), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_insert_member(t, 0x12345, s1), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_insert_member(t, p, s1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_member(t, p, s2), MP_KERN_SUCCESS);
	assert_int_equal(t_status(t, p).mps_pset, 1);
	assert_int_equal(mp_port_extract_member(t, p, s1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_extract_member(t, p, s1), MP_KERN_NOT_IN_SET);
	assert_int_equal(t_status(t, p).mps_pset, 1);
}

/* mach_port_get_attributes: each flavor's count, the NULL/DEAD answers, the
 * flavors XNU does not get (GUARD_INFO, TEMPOWNER...: KERN_INVALID_ARGUMENT). */
static void get_attributes_flavors(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port_send(t);
	int32_t info[MP_PORT_INFO_MAX];
	uint32_t count;
	mp_port_status_t st;
	mp_port_info_ext_t ext;
	(void)state;

	count = MP_PORT_LIMITS_INFO_COUNT;
	assert_int_equal(mp_port_get_attributes(t, p, MP_PORT_LIMITS_INFO, info, &count), MP_KERN_SUCCESS);
	assert_int_equal(count, 1);
	assert_int_equal(info[0], 5);
	count = 0;
	assert_int_equal(mp_port_get_attributes(t, p, MP_PORT_LIMITS_INFO, info, &count), MP_KERN_FAILURE);
	count = MP_PORT_INFO_MAX;
	assert_int_equal(mp_port_get_attributes(t, MP_PORT_NULL, MP_PORT_LIMITS_INFO, info, &count),
			 MP_KERN_SUCCESS);
	assert_int_equal(count, 0);

	t_send_simple(t, p, 1);
	count = MP_PORT_RECEIVE_STATUS_COUNT;
	assert_int_equal(mp_port_get_attributes(t, p, MP_PORT_RECEIVE_STATUS, info, &count), MP_KERN_SUCCESS);
	assert_int_equal(count, 10);
	memcpy(&st, info, sizeof(st));
	assert_int_equal(st.mps_msgcount, 1);
	assert_int_equal(st.mps_srights, 1);
	assert_int_equal(st.mps_qlimit, 5);
	count = 9;
	assert_int_equal(mp_port_get_attributes(t, p, MP_PORT_RECEIVE_STATUS, info, &count), MP_KERN_FAILURE);
	count = MP_PORT_RECEIVE_STATUS_COUNT;
	assert_int_equal(mp_port_get_attributes(t, MP_PORT_DEAD, MP_PORT_RECEIVE_STATUS, info, &count),
			 MP_KERN_INVALID_RIGHT);

	memset(info, 0x5a, sizeof(info));
	count = MP_PORT_INFO_EXT_COUNT;
	assert_int_equal(mp_port_get_attributes(t, p, MP_PORT_INFO_EXT, info, &count), MP_KERN_SUCCESS);
	assert_int_equal(count, 17);
	memcpy(&ext, info, sizeof(ext));
	assert_int_equal(ext.mpie_status.mps_msgcount, 1);
	assert_int_equal(ext.mpie_boost_cnt, 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(ext.reserved[i], 0);
	count = 16;
	assert_int_equal(mp_port_get_attributes(t, p, MP_PORT_INFO_EXT, info, &count), MP_KERN_FAILURE);
	count = MP_PORT_INFO_EXT_COUNT;
	assert_int_equal(mp_port_get_attributes(t, MP_PORT_NULL, MP_PORT_INFO_EXT, info, &count),
			 MP_KERN_INVALID_RIGHT);

	count = 1;
	info[0] = 7;
	assert_int_equal(mp_port_get_attributes(t, p, MP_PORT_DNREQUESTS_SIZE, info, &count), MP_KERN_SUCCESS);
	assert_int_equal(info[0], 0);
	info[0] = 7;
	assert_int_equal(mp_port_get_attributes(t, MP_PORT_NULL, MP_PORT_DNREQUESTS_SIZE, info, &count),
			 MP_KERN_SUCCESS);
	assert_int_equal(info[0], 0);

	count = MP_PORT_INFO_MAX;
	assert_int_equal(mp_port_get_attributes(t, p, MP_PORT_GUARD_INFO, info, &count),
			 MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_get_attributes(t, p, MP_PORT_TEMPOWNER, info, &count),
			 MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_get_attributes(t, p, 99, info, &count), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_get_attributes(t, p, MP_PORT_SERVICE_THROTTLED, info, &count),
			 MP_KERN_INVALID_CAPABILITY);
	assert_int_equal(mp_port_get_attributes(t, 0x12345, MP_PORT_LIMITS_INFO, info, &count),
			 MP_KERN_INVALID_NAME);
	assert_int_equal(t_recv_id(t, p), 1);
}

/* mach_port_set_attributes: LIMITS_INFO (the qlimit bound before the name),
 * DNREQUESTS_SIZE a no-op; RECEIVE_STATUS, INFO_EXT and GUARD_INFO are not
 * settable; the importance flavors are not implemented here. */
static void set_attributes_flavors(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	int32_t info[MP_PORT_INFO_MAX] = { 16 };
	(void)state;

	assert_int_equal(mp_port_set_attributes(t, p, MP_PORT_LIMITS_INFO, info, 1), MP_KERN_SUCCESS);
	assert_int_equal(t_status(t, p).mps_qlimit, 16);
	assert_int_equal(mp_port_set_attributes(t, p, MP_PORT_LIMITS_INFO, info, 0), MP_KERN_FAILURE);
	info[0] = MP_PORT_QLIMIT_MAX + 1;
	assert_int_equal(mp_port_set_attributes(t, MP_PORT_NULL, MP_PORT_LIMITS_INFO, info, 1),
			 MP_KERN_INVALID_VALUE);
	info[0] = 3;
	assert_int_equal(mp_port_set_attributes(t, MP_PORT_NULL, MP_PORT_LIMITS_INFO, info, 1),
			 MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_set_attributes(t, p, MP_PORT_DNREQUESTS_SIZE, info, 1), MP_KERN_SUCCESS);
	assert_int_equal(t_status(t, p).mps_qlimit, 16);
	assert_int_equal(mp_port_set_attributes(t, p, MP_PORT_RECEIVE_STATUS, info, 10),
			 MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_set_attributes(t, p, MP_PORT_INFO_EXT, info, 17), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_set_attributes(t, p, MP_PORT_GUARD_INFO, info, 2), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_set_attributes(t, p, MP_PORT_TEMPOWNER, info, 0), MP_KERN_NOT_SUPPORTED);
	assert_int_equal(mp_port_set_attributes(t, p, MP_PORT_IMPORTANCE_RECEIVER, info, 0),
			 MP_KERN_NOT_SUPPORTED);
	assert_int_equal(mp_port_set_attributes(t, p, MP_PORT_DENAP_RECEIVER, info, 0), MP_KERN_NOT_SUPPORTED);
	assert_int_equal(mp_port_set_attributes(t, MP_PORT_NULL, MP_PORT_TEMPOWNER, info, 0),
			 MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_set_attributes(t, p, MP_PORT_SERVICE_THROTTLED, info, 1),
			 MP_KERN_INVALID_CAPABILITY);
}

/* mach_port_assert_attributes, GUARD_INFO only: the port's strict guard. */
static void assert_attributes_guard_info(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t), s;
	mp_port_options_t strict = { MP_MPO_CONTEXT_AS_GUARD | MP_MPO_STRICT, 0 };
	mp_port_guard_info_t gi = { 0x66 };
	int32_t info[MP_PORT_GUARD_INFO_COUNT];
	(void)state;

	memcpy(info, &gi, sizeof(gi));
	assert_int_equal(mp_port_construct(t, &strict, 0x66, &s), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_assert_attributes(t, s, MP_PORT_GUARD_INFO, info, 2), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_assert_attributes(t, s, MP_PORT_GUARD_INFO, info, 1), MP_KERN_FAILURE);
	assert_int_equal(mp_port_assert_attributes(t, s, MP_PORT_LIMITS_INFO, info, 2),
			 MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_assert_attributes(t, MP_PORT_NULL, MP_PORT_GUARD_INFO, info, 2),
			 MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_assert_attributes(t, p, MP_PORT_GUARD_INFO, info, 2), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_guard(t, p, 0x66, 0), MP_KERN_SUCCESS); /* not strict */
	assert_int_equal(mp_port_assert_attributes(t, p, MP_PORT_GUARD_INFO, info, 2), MP_KERN_INVALID_ARGUMENT);
	gi.mpgi_guard = 0x67;
	memcpy(info, &gi, sizeof(gi));
	assert_int_equal(mp_port_assert_attributes(t, s, MP_PORT_GUARD_INFO, info, 2), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_destruct(t, s, 0, 0x66), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_destruct(t, p, 0, 0x66), MP_KERN_SUCCESS);
}

/* The flags audit of mach_port_construct: each flag XNU knows and machports
 * does not implement is KERN_NOT_SUPPORTED (no port made); more than one of
 * the service group is XNU's KERN_INVALID_ARGUMENT; bits XNU does not know
 * are ignored, as XNU ignores them. */
static void construct_flags_audit(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = 0;
	static const uint32_t refused[] = { MP_MPO_TEMPOWNER,	       MP_MPO_IMPORTANCE_RECEIVER,
					    MP_MPO_DENAP_RECEIVER,     MP_MPO_FILTER_MSG,
					    MP_MPO_TG_BLOCK_TRACKING, MP_MPO_SERVICE_PORT,
					    MP_MPO_CONNECTION_PORT };
	mp_port_options_t o = { 0, 0 };
	mp_kernel_report_t r;
	uint32_t ports_before = 0;
	(void)state;

	if (t_backend() != MP_BACKEND_DARWIN && mp_backend_check(t_backend(), &r) == 0)
		ports_before = r.ports;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		o.flags = refused[i] | MP_MPO_INSERT_SEND_RIGHT;
		p = 0;
		assert_int_equal(mp_port_construct(t, &o, 0, &p), MP_KERN_NOT_SUPPORTED);
		assert_int_equal(p, 0);
	}
	if (t_backend() != MP_BACKEND_DARWIN && mp_backend_check(t_backend(), &r) == 0)
		assert_int_equal(r.ports, ports_before);
	o.flags = MP_MPO_SERVICE_PORT | MP_MPO_CONNECTION_PORT;
	assert_int_equal(mp_port_construct(t, &o, 0, &p), MP_KERN_INVALID_ARGUMENT);
	o.flags = MP_MPO_TG_BLOCK_TRACKING | MP_MPO_SERVICE_PORT;
	assert_int_equal(mp_port_construct(t, &o, 0, &p), MP_KERN_INVALID_ARGUMENT);
	o.flags = 0xffff0000u | MP_MPO_INSERT_SEND_RIGHT;
	assert_int_equal(mp_port_construct(t, &o, 0, &p), MP_KERN_SUCCESS);
	assert_int_equal(t_type(t, p), MP_PORT_TYPE_SEND_RECEIVE);
	assert_int_equal(t_status(t, p).mps_flags, 0);
}

/* The request_notification variant (mach_port_request_notification): an
 * id XNU does not know is KERN_INVALID_VALUE, as XNU answers. */
static void request_notification_variant_audit(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t), prev = 0;
	static const int32_t unknown[] = { 0, 64, MP_MACH_NOTIFY_PORT_DELETED, MP_MACH_NOTIFY_SEND_ONCE, 73,
					   -1 };
	(void)state;

	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_int_equal(mp_port_request_notification(t, p, unknown[i], 0, MP_PORT_NULL, 0, &prev),
				 MP_KERN_INVALID_VALUE);
}

/* The mach_msg options audit: the scheduling options machports cannot give
 * are refused before anything is copied in (MACH_SEND_INVALID_OPTIONS,
 * receive-only MACH_RCV_INVALID_ARGUMENTS); the options XNU itself leaves
 * without effect here, and bits outside MACH_SEND_USER | MACH_RCV_USER
 * (ipc_current_user_policy masks them), are accepted. */
static void mach_msg_options_audit(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[256];
	uint32_t n;
	static const uint32_t refused[] = { MP_MACH_SEND_OVERRIDE, MP_MACH_SEND_SYNC_OVERRIDE,
					    MP_MACH_SEND_PROPAGATE_QOS, MP_MACH_RCV_SYNC_WAIT };
	static const uint32_t accepted[] = { MP_MACH_SEND_NOIMPORTANCE, MP_MACH_SEND_TRAILER,
					     0x00000200u /* MACH_MSG_STRICT_REPLY */,
					     MP_MACH_SEND_FILTER_NONFATAL, MP_MACH_SEND_SYNC_BOOTSTRAP_CHECKIN,
					     MP_MACH_RCV_SYNC_PEEK, MP_MACH_SEND_INTERRUPT, MP_MACH_SEND_KERNEL,
					     MP_MACH_SEND_IMPORTANCE, 0x00002000u, 0x80000000u };
	(void)state;

	if (t_backend() == MP_BACKEND_DARWIN)
		skip(); /* XNU acts on them */
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		n = t_simple(buf, sizeof(buf), p, MP_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0);
		assert_int_equal(mp_mach_msg(t, buf, MP_MACH_SEND_MSG | refused[i], n, 0, 0, 0),
				 MP_MACH_SEND_INVALID_OPTIONS);
		assert_int_equal(t_status(t, p).mps_msgcount, 0);
		assert_int_equal(t_status(t, p).mps_mscount, 0);
	}
	t_send_simple(t, p, 5);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_int_equal(mp_mach_msg(t, buf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT | refused[i], 0,
					     sizeof(buf), p, 0),
				 MP_MACH_RCV_INVALID_ARGUMENTS);
	assert_int_equal(t_status(t, p).mps_msgcount, 1);
	assert_int_equal(t_recv_id(t, p), 5);
	for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		n = t_simple(buf, sizeof(buf), p, MP_MSG_TYPE_MAKE_SEND, 0, 0, (int32_t)i, 0);
		assert_int_equal(mp_mach_msg(t, buf, MP_MACH_SEND_MSG | MP_MACH_SEND_TIMEOUT | accepted[i], n, 0, 0,
					     0),
				 MP_MACH_MSG_SUCCESS);
		assert_int_equal(mp_mach_msg(t, buf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT | accepted[i], 0,
					     sizeof(buf), p, 0),
				 MP_MACH_MSG_SUCCESS);
		assert_int_equal(t_get32(buf, 20), i);
		mp_msg_destroy(t, buf, sizeof(buf));
	}
}

/* mach_port_request_notification (facts §11.9): the names NULL/DEAD are
 * KERN_INVALID_RIGHT for NO_SENDERS, KERN_INVALID_ARGUMENT for DEAD_NAME;
 * a notify name of MACH_PORT_DEAD is KERN_INVALID_CAPABILITY. The notify
 * right copied in first is destroyed on failure (a send-once notification). */
static void request_notification_name_codes(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t), n = t_port(t), prev = 0;
	static const mp_port_name_t bad[] = { MP_PORT_NULL, MP_PORT_DEAD };
	(void)state;

	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(mp_port_request_notification(t, bad[i], MP_MACH_NOTIFY_NO_SENDERS, 0, n,
							      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
				 MP_KERN_INVALID_RIGHT);
		assert_int_equal(t_recv_id(t, n), MP_MACH_NOTIFY_SEND_ONCE);
		assert_int_equal(mp_port_request_notification(t, bad[i], MP_MACH_NOTIFY_DEAD_NAME, 0, n,
							      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
				 MP_KERN_INVALID_ARGUMENT);
		assert_int_equal(t_recv_id(t, n), MP_MACH_NOTIFY_SEND_ONCE);
	}
	assert_int_equal(mp_port_request_notification(t, p, MP_MACH_NOTIFY_NO_SENDERS, 0, MP_PORT_DEAD,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_INVALID_CAPABILITY);
	assert_int_equal(t_status(t, p).mps_nsrequest, 0);
}

/* The other value arguments of port.h, held to XNU's answers: allocate's
 * right (ABI §7.4), mod_refs' / get_refs' right (mach_port_mod_refs,
 * ipc_right_delta), insert/extract_right's disposition, guard's boolean
 * `strict` (any non-zero is MPG_STRICT, mach_port_guard). */
static void value_arguments_audit(void **state)
{
	mp_task_t *t = t_task(), *o = t_task();
	mp_port_name_t p = t_port(t), n = 0, out = 0;
	uint32_t refs = 0, type = 0;
	(void)state;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_SEND, &n), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_allocate(t, (mp_port_right_t)7, &n), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_mod_refs(t, p, (mp_port_right_t)6, 0), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_mod_refs(t, p, (mp_port_right_t)5, 0), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_get_refs(t, p, (mp_port_right_t)6, &refs), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_insert_right(t, 0x4403, t, p, 22), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_extract_right(t, p, 15, o, &out, &type), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_guard(t, p, 0x9, 2), MP_KERN_SUCCESS);
	assert_int_equal(t_status(t, p).mps_flags, MP_PORT_STATUS_FLAG_GUARDED | MP_PORT_STATUS_FLAG_STRICT_GUARD);
	assert_int_equal(mp_port_unguard(t, p, 0x9), MP_KERN_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(peek_seqno_zero_is_head),
		T(peek_codes_in_order),
		T(peek_trailer_is_stored),
		T(peek_kernel_size),
		T(guard_needs_zero_context),
		T(unguard_keeps_immovable),
		T(construct_immovable_needs_guard),
		T(context_of_guarded_ports),
		T(guard_calls_name_codes),
		T(swap_guard_rules),
		T(move_member_codes),
		T(insert_extract_member_codes),
		T(get_attributes_flavors),
		T(set_attributes_flavors),
		T(assert_attributes_guard_info),
		T(construct_flags_audit),
		T(request_notification_variant_audit),
		T(mach_msg_options_audit),
		T(request_notification_name_codes),
		T(value_arguments_audit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
