/*
 * lib/port/tests/port_calls_test.c: the mach_port_* rules of xnu-abi.md §7
 * (entries, names, urefs, dead names, send-once rights, port sets, guards,
 * notifications). Each test names the rule (§) and, where there is one, the
 * XNU test (tests/...) it carries over.
 */
#include "lib/port/tests/port_test_support.h"

/* §7.4 allocate; §5.3 names: index << 8 | gen, kernel names end in 0b11. */
static void allocate_rights_and_names(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t r, ps, dn, bad;
	(void)state;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &r), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_PORT_SET, &ps), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_DEAD_NAME, &dn), MP_KERN_SUCCESS);
	assert_int_equal(r & 3u, 3u);
	assert_int_equal(ps & 3u, 3u);
	assert_true(MP_PORT_INDEX(r) != 0);
	assert_int_equal(t_type(t, r), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(t_type(t, ps), MP_PORT_TYPE_PORT_SET);
	assert_int_equal(t_type(t, dn), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(t_refs(t, dn, MP_PORT_RIGHT_DEAD_NAME), 1);
	/* a new port: no send rights, qlimit 5, mscount 0, seqno 0 */
	mp_port_status_t st = t_status(t, r);
	assert_int_equal(st.mps_qlimit, MP_PORT_QLIMIT_DEFAULT);
	assert_int_equal(st.mps_mscount, 0);
	assert_int_equal(st.mps_seqno, 0);
	assert_int_equal(st.mps_srights, 0);
	for (uint32_t right = 0; right < 8; right++) {
		if (right == MP_PORT_RIGHT_RECEIVE || right == MP_PORT_RIGHT_PORT_SET ||
		    right == MP_PORT_RIGHT_DEAD_NAME)
			continue;
		assert_int_equal(mp_port_allocate(t, right, &bad), MP_KERN_INVALID_VALUE);
	}
}

/* §7.4 / ipc_entry_dealloc: a freed name's index comes back with a new
 * generation, and the stale name is KERN_INVALID_NAME. */
static void freed_name_is_stale(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t a, b;
	mp_port_type_t type;
	(void)state;

	a = t_port(t);
	assert_int_equal(mp_port_mod_refs(t, a, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_type(t, a, &type), MP_KERN_INVALID_NAME);
	b = t_port(t);
	assert_int_equal(MP_PORT_INDEX(a), MP_PORT_INDEX(b));
	assert_int_not_equal(MP_PORT_GEN(a), MP_PORT_GEN(b));
	assert_int_equal(mp_port_type(t, a, &type), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_deallocate(t, a), MP_KERN_INVALID_NAME);
}

/* tests/mach_port_insert_right.c and §5.3 name rules. */
static void insert_right_names(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p1 = t_port(t), p2 = t_port(t);
	(void)state;

	assert_int_equal(mp_port_insert_right(t, p1, t, p1, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(t_type(t, p1), MP_PORT_TYPE_SEND_RECEIVE);
	/* name 123: index 0 -> KERN_FAILURE; 122: bad generation bits */
	assert_int_equal(mp_port_insert_right(t, 123, t, p1, MP_MSG_TYPE_MAKE_SEND), MP_KERN_FAILURE);
	assert_int_equal(mp_port_insert_right(t, 122, t, p1, MP_MSG_TYPE_MAKE_SEND),
			 MP_KERN_INVALID_VALUE);
	/* port1's right under port2's name: it already has a name here */
	assert_int_equal(mp_port_insert_right(t, p2, t, p1, MP_MSG_TYPE_MAKE_SEND),
			 MP_KERN_RIGHT_EXISTS);
	assert_int_equal(mp_port_insert_right(t, MP_PORT_NULL, t, p1, MP_MSG_TYPE_MAKE_SEND),
			 MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_insert_right(t, p1, t, p1, 15), MP_KERN_INVALID_VALUE);
	/* the failed MAKE_SENDs were destroyed: still one uref */
	assert_int_equal(t_refs(t, p1, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(t_status(t, p1).mps_mscount, 4);
}

/* insert_right into another space under a chosen name; §7.4 NAME_EXISTS. */
static void insert_right_other_space(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), q = t_port(b);
	mp_port_name_t want = MP_PORT_MAKE(0x4242, 0x03);
	(void)state;

	assert_int_equal(mp_port_insert_right(b, want, a, p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(t_type(b, want), MP_PORT_TYPE_SEND);
	/* coalesces only under its own name */
	assert_int_equal(mp_port_insert_right(b, want, a, p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(t_refs(b, want, MP_PORT_RIGHT_SEND), 2);
	assert_int_equal(mp_port_insert_right(b, q, a, p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_RIGHT_EXISTS);
	/* a send-once right never coalesces: a used name is NAME_EXISTS */
	assert_int_equal(mp_port_insert_right(b, want, a, p, MP_MSG_TYPE_MAKE_SEND_ONCE),
			 MP_KERN_NAME_EXISTS);
	/* the destroyed send-once right told its port */
	assert_int_equal(t_recv_id(a, p), MP_MACH_NOTIFY_SEND_ONCE);
}

/* tests/mach_port_mod_refs.c: wrong rights and right numbers. */
static void mod_refs_rules(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t r = t_port(t), ps;
	(void)state;

	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_SEND, -1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_SEND_ONCE, -1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_PORT_SET, -1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_DEAD_NAME, -1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_LABELH, -1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_NUMBER, -1), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_NUMBER + 1, -1), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_RECEIVE, 0), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_RECEIVE, 1), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_PORT_SET, &ps), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, ps, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_mod_refs(t, ps, MP_PORT_RIGHT_SEND, -1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_mod_refs(t, ps, MP_PORT_RIGHT_PORT_SET, -1), MP_KERN_SUCCESS);

	/* NULL and DEAD: SEND / SEND_ONCE succeed, anything else INVALID_NAME */
	assert_int_equal(mp_port_mod_refs(t, MP_PORT_NULL, MP_PORT_RIGHT_SEND, -1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, MP_PORT_DEAD, MP_PORT_RIGHT_SEND_ONCE, -1),
			 MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, MP_PORT_DEAD, MP_PORT_RIGHT_RECEIVE, -1),
			 MP_KERN_INVALID_NAME);
}

/* §7.4 mod_refs SEND: add, underflow, last uref; §7.1 pegging at 65535. */
static void send_urefs_and_pegging(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port_send(t);
	(void)state;

	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_SEND, 9), MP_KERN_SUCCESS);
	assert_int_equal(t_refs(t, p, MP_PORT_RIGHT_SEND), 10);
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_SEND, -11), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_SEND, 70000), MP_KERN_INVALID_VALUE);
	/* an increment past the maximum pegs at 65535 and succeeds */
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_SEND, 65535), MP_KERN_SUCCESS);
	assert_int_equal(t_refs(t, p, MP_PORT_RIGHT_SEND), MP_PORT_UREFS_MAX);
	/* pegged: decrements other than -65535 are ignored */
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_SEND, -1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(t, p), MP_KERN_SUCCESS);
	assert_int_equal(t_refs(t, p, MP_PORT_RIGHT_SEND), MP_PORT_UREFS_MAX);
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_SEND, -65535), MP_KERN_SUCCESS);
	assert_int_equal(t_type(t, p), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(t_status(t, p).mps_srights, 0);
}

/* §7.4 deallocate: one uref; receive-only is INVALID_RIGHT; NULL/DEAD no-op. */
static void deallocate_rules(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t r = t_port(t), p = t_port_send(t), dn, ps;
	mp_port_type_t type;
	(void)state;

	assert_int_equal(mp_port_deallocate(t, r), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_deallocate(t, MP_PORT_NULL), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(t, MP_PORT_DEAD), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(t, p), MP_KERN_SUCCESS);
	assert_int_equal(t_type(t, p), MP_PORT_TYPE_RECEIVE); /* the name stays: receive remains */
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_DEAD_NAME, &dn), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, dn, MP_PORT_RIGHT_DEAD_NAME, 2), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(t, dn), MP_KERN_SUCCESS);
	assert_int_equal(t_refs(t, dn, MP_PORT_RIGHT_DEAD_NAME), 2);
	assert_int_equal(mp_port_mod_refs(t, dn, MP_PORT_RIGHT_DEAD_NAME, -2), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_type(t, dn, &type), MP_KERN_INVALID_NAME);
	/* tests/mach_port_deallocate_21692215.c: a set's name is deallocated */
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_PORT_SET, &ps), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_member(t, r, ps), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(t, ps), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_type(t, ps, &type), MP_KERN_INVALID_NAME);
}

/* §7.4 get_refs and type on NULL / DEAD and rights not held. */
static void get_refs_and_type_rules(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t r = t_port(t);
	uint32_t refs;
	mp_port_type_t type;
	(void)state;

	assert_int_equal(t_refs(t, r, MP_PORT_RIGHT_RECEIVE), 1);
	assert_int_equal(t_refs(t, r, MP_PORT_RIGHT_SEND), 0);
	assert_int_equal(t_refs(t, r, MP_PORT_RIGHT_SEND_ONCE), 0);
	assert_int_equal(t_refs(t, r, MP_PORT_RIGHT_DEAD_NAME), 0);
	assert_int_equal(mp_port_get_refs(t, r, MP_PORT_RIGHT_NUMBER, &refs), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_get_refs(t, MP_PORT_NULL, MP_PORT_RIGHT_SEND, &refs), MP_KERN_SUCCESS);
	assert_int_equal(refs, 1);
	assert_int_equal(mp_port_get_refs(t, MP_PORT_DEAD, MP_PORT_RIGHT_RECEIVE, &refs),
			 MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_type(t, MP_PORT_NULL, &type), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_type(t, MP_PORT_DEAD, &type), MP_KERN_SUCCESS);
	assert_int_equal(type, MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(mp_port_type(t, MP_PORT_MAKE(777, 3), &type), MP_KERN_INVALID_NAME);
}

/* §7.2: the owner's SEND|RECEIVE entry becomes a dead name with the send
 * urefs; another space's send right is converted lazily. */
static void port_death_and_dead_names(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port_send(a), s, so;
	(void)state;

	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_SEND, 2), MP_KERN_SUCCESS);
	s = t_give_send(a, p, b);
	assert_int_equal(mp_port_mod_refs(b, s, MP_PORT_RIGHT_SEND, 4), MP_KERN_SUCCESS);
	so = t_give_sonce(a, p, b);
	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(t_type(a, p), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(t_refs(a, p, MP_PORT_RIGHT_DEAD_NAME), 3);
	/* lazily: type reports DEAD_NAME, urefs kept, send-once -> 1 */
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(t_refs(b, s, MP_PORT_RIGHT_DEAD_NAME), 5);
	assert_int_equal(t_refs(b, s, MP_PORT_RIGHT_SEND), 0);
	assert_int_equal(t_type(b, so), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(t_refs(b, so, MP_PORT_RIGHT_DEAD_NAME), 1);
	/* SEND on a dead port: INVALID_RIGHT; DEAD_NAME works */
	assert_int_equal(mp_port_mod_refs(b, s, MP_PORT_RIGHT_SEND, -1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_mod_refs(b, s, MP_PORT_RIGHT_DEAD_NAME, -5), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(b, so), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(a, p), MP_KERN_SUCCESS);
}

/* §7.4 deallocate of a send right whose port died releases the dead name. */
static void deallocate_send_to_dead_port(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), s = t_give_send(a, p, b);
	mp_port_type_t type;
	(void)state;

	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(b, s), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_type(b, s, &type), MP_KERN_INVALID_NAME);
}

/* §7.4 destroy: every right under the name; guarded receive refused. */
static void destroy_rules(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port_send(t), g;
	mp_port_type_t type;
	mp_port_options_t o = { MP_MPO_CONTEXT_AS_GUARD, 0 };
	(void)state;

	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_SEND, 3), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_destroy(t, p), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_type(t, p, &type), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_destroy(t, MP_PORT_NULL), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_destroy(t, p), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_construct(t, &o, 0x77, &g), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_destroy(t, g), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_mod_refs(t, g, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_destruct(t, g, 0, 0x78), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_destruct(t, g, 0, 0x77), MP_KERN_SUCCESS);
}

/* §7.4 destruct: srdelta rules; the rest of the send urefs become a dead name. */
static void destruct_rules(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port_send(t), r = t_port(t);
	(void)state;

	assert_int_equal(mp_port_destruct(t, MP_PORT_NULL, 0, 0), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_port_destruct(t, p, 1, 0), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_destruct(t, p, -2, 0), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_destruct(t, r, -1, 0), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_SEND, 2), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_destruct(t, p, -1, 0), MP_KERN_SUCCESS);
	assert_int_equal(t_type(t, p), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(t_refs(t, p, MP_PORT_RIGHT_DEAD_NAME), 2);
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_DEAD_NAME, -2), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_destruct(t, r, 0, 0), MP_KERN_SUCCESS);
}

/* §7.4 extract_right: rules and the carried type of each disposition. */
static void extract_right_rules(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port_send(a), out, r;
	uint32_t type;
	(void)state;

	assert_int_equal(mp_port_extract_right(a, p, 15, b, &out, &type), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_extract_right(a, MP_PORT_NULL, MP_MSG_TYPE_COPY_SEND, b, &out, &type),
			 MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_extract_right(a, p, MP_MSG_TYPE_COPY_SEND, b, &out, &type),
			 MP_KERN_SUCCESS);
	assert_int_equal(type, MP_MSG_TYPE_PORT_SEND);
	assert_int_equal(t_refs(a, p, MP_PORT_RIGHT_SEND), 1);
	/* MOVE_RECEIVE: b's send name gains the receive right (coalescing) */
	assert_int_equal(mp_port_extract_right(a, p, MP_MSG_TYPE_MOVE_RECEIVE, b, &r, &type),
			 MP_KERN_SUCCESS);
	assert_int_equal(type, MP_MSG_TYPE_PORT_RECEIVE);
	assert_int_equal(r, out);
	assert_int_equal(t_type(b, r), MP_PORT_TYPE_SEND_RECEIVE);
	assert_int_equal(t_type(a, p), MP_PORT_TYPE_SEND);
	assert_int_equal(mp_port_extract_right(a, p, MP_MSG_TYPE_MAKE_SEND, b, &out, &type),
			 MP_KERN_INVALID_RIGHT);
	/* a's remaining send right still works: b gets it back, coalesced */
	assert_int_equal(mp_port_extract_right(a, p, MP_MSG_TYPE_MOVE_SEND, b, &out, &type),
			 MP_KERN_SUCCESS);
	assert_int_equal(out, r);
	assert_int_equal(t_refs(b, r, MP_PORT_RIGHT_SEND), 2);
}

/* §6.3 / mo_immovable_receive.c: an immovable receive right cannot move. */
static void immovable_receive(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p, out;
	uint32_t type;
	mp_port_options_t o = { MP_MPO_CONTEXT_AS_GUARD | MP_MPO_IMMOVABLE_RECEIVE, 0 };
	(void)state;

	assert_int_equal(mp_port_construct(a, &o, 0x10, &p), MP_KERN_SUCCESS);
	/* tests/ipc/immovable_rights.c: the status flag is set */
	assert_true(t_status(a, p).mps_flags & MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE);
	assert_int_equal(mp_port_extract_right(a, p, MP_MSG_TYPE_MOVE_RECEIVE, b, &out, &type),
			 MP_KERN_INVALID_CAPABILITY);
	assert_int_equal(mp_port_unguard(a, p, 0x10), MP_KERN_SUCCESS);
	assert_false(t_status(a, p).mps_flags & MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE);
	assert_int_equal(mp_port_guard_with_flags(a, p, 0x20, MP_MPG_IMMOVABLE_RECEIVE),
			 MP_KERN_SUCCESS);
	assert_true(t_status(a, p).mps_flags & MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE);
	assert_int_equal(mp_port_destruct(a, p, 0, 0x20), MP_KERN_SUCCESS);
}

/* §7.4 context and guards. */
static void context_and_guards(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t), s;
	uint64_t c = 0;
	mp_port_options_t strict = { MP_MPO_CONTEXT_AS_GUARD | MP_MPO_STRICT, 0 };
	(void)state;

	assert_int_equal(mp_port_set_context(t, p, 0x1234), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_get_context(t, p, &c), MP_KERN_SUCCESS);
	assert_int_equal(c, 0x1234);
	/* mach_port_guard_locked: a non-zero context cannot be guarded */
	assert_int_equal(mp_port_guard(t, p, 0x99, 0), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_set_context(t, p, 0), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_guard(t, p, 0x99, 0), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_guard(t, p, 0x99, 0), MP_KERN_INVALID_ARGUMENT);
	assert_true(t_status(t, p).mps_flags & MP_PORT_STATUS_FLAG_GUARDED);
	/* a non-strict guard's context can still be set */
	assert_int_equal(mp_port_set_context(t, p, 0x99), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_unguard(t, p, 0x98), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_unguard(t, p, 0x99), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_unguard(t, p, 0x99), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_construct(t, &strict, 0x55, &s), MP_KERN_SUCCESS);
	assert_true(t_status(t, s).mps_flags & MP_PORT_STATUS_FLAG_STRICT_GUARD);
	assert_int_equal(mp_port_set_context(t, s, 1), MP_KERN_INVALID_ARGUMENT);
	/* mach_port_get_context: a strict guard reads 0 */
	assert_int_equal(mp_port_get_context(t, s, &c), MP_KERN_SUCCESS);
	assert_int_equal(c, 0);
	assert_int_equal(mp_port_destruct(t, s, 0, 0x55), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_set_context(t, MP_PORT_NULL, 1), MP_KERN_INVALID_RIGHT);
}

/* §7.4 construct: qlimit, INSERT_SEND_RIGHT; set_qlimit bound. */
static void construct_options(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p;
	mp_port_options_t o = { MP_MPO_QLIMIT | MP_MPO_INSERT_SEND_RIGHT, 1 };
	mp_port_options_t bad = { MP_MPO_QLIMIT, MP_PORT_QLIMIT_MAX + 1 };
	(void)state;

	assert_int_equal(mp_port_construct(t, &o, 0, &p), MP_KERN_SUCCESS);
	assert_int_equal(t_type(t, p), MP_PORT_TYPE_SEND_RECEIVE);
	assert_int_equal(t_status(t, p).mps_qlimit, 1);
	assert_int_equal(t_status(t, p).mps_mscount, 1);
	assert_int_equal(mp_port_set_qlimit(t, p, MP_PORT_QLIMIT_MAX + 1), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_set_qlimit(t, p, 16), MP_KERN_SUCCESS);
	assert_int_equal(t_status(t, p).mps_qlimit, 16);
	assert_int_equal(mp_port_construct(t, &bad, 0, &p), MP_KERN_INVALID_VALUE);
}

/* Port sets: membership rules (KERN_ALREADY_IN_SET, NOT_IN_SET), move. */
static void port_set_membership(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t), s1, s2;
	(void)state;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_PORT_SET, &s1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_PORT_SET, &s2), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_member(t, p, s1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_member(t, p, s1), MP_KERN_ALREADY_IN_SET);
	assert_int_equal(mp_port_insert_member(t, p, s2), MP_KERN_SUCCESS);
	/* mach_port_get_status_helper: mps_pset is ip_in_pset (0/1) */
	assert_int_equal(t_status(t, p).mps_pset, 1);
	assert_int_equal(mp_port_move_member(t, p, s1), MP_KERN_SUCCESS);
	assert_int_equal(t_status(t, p).mps_pset, 1);
	assert_int_equal(mp_port_extract_member(t, p, s2), MP_KERN_NOT_IN_SET);
	assert_int_equal(mp_port_extract_member(t, p, s1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_member(t, s1, s2), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_insert_member(t, p, p), MP_KERN_INVALID_RIGHT);
	/* tests/ipc/port_api.c: MAKE_SEND on a set's name */
	assert_int_equal(mp_port_insert_right(t, s1, t, s1, MP_MSG_TYPE_MAKE_SEND),
			 MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_port_insert_member(t, p, s2), MP_KERN_SUCCESS);
	/* destroying the set takes the port out */
	assert_int_equal(mp_port_mod_refs(t, s2, MP_PORT_RIGHT_PORT_SET, -1), MP_KERN_SUCCESS);
	assert_int_equal(t_status(t, p).mps_pset, 0);
}

/* §10.10: insert_right MAKE_SEND on a dead name is INVALID_CAPABILITY. */
static void insert_right_dead_name(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t d;
	(void)state;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_DEAD_NAME, &d), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_right(t, d, t, d, MP_MSG_TYPE_MAKE_SEND),
			 MP_KERN_INVALID_CAPABILITY);
}

/* §7.4 allocate_name. */
static void allocate_name_rules(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t n = MP_PORT_MAKE(0x100, 0x07);
	(void)state;

	assert_int_equal(mp_port_allocate_name(t, MP_PORT_RIGHT_RECEIVE, n), MP_KERN_SUCCESS);
	assert_int_equal(t_type(t, n), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(mp_port_allocate_name(t, MP_PORT_RIGHT_RECEIVE, n), MP_KERN_NAME_EXISTS);
	assert_int_equal(mp_port_allocate_name(t, MP_PORT_RIGHT_RECEIVE, MP_PORT_MAKE(0x100, 0x0b)),
			 MP_KERN_FAILURE);
	assert_int_equal(mp_port_allocate_name(t, MP_PORT_RIGHT_RECEIVE, MP_PORT_MAKE(0x101, 0x04)),
			 MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_allocate_name(t, MP_PORT_RIGHT_RECEIVE, MP_PORT_MAKE(0, 0x03)),
			 MP_KERN_FAILURE);
	assert_int_equal(mp_port_allocate_name(t, MP_PORT_RIGHT_SEND, MP_PORT_MAKE(0x102, 3)),
			 MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_allocate_name(t, MP_PORT_RIGHT_RECEIVE, MP_PORT_DEAD),
			 MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_allocate_name(t, MP_PORT_RIGHT_RECEIVE, MP_PORT_MAKE(0xffffff, 3)),
			 MP_KERN_NO_SPACE);
}

/* §7.3: no-senders fires when the last send right goes, with mscount;
 * at once if there are no senders and sync <= mscount. */
static void no_senders_notification(void **state)
{
	mp_task_t *t = t_task(), *b = t_task();
	mp_port_name_t p = t_port(t), n = t_port(t), prev, s;
	uint8_t buf[128];
	(void)state;

	s = t_give_send(t, p, b);
	assert_int_equal(mp_port_request_notification(t, p, MP_MACH_NOTIFY_NO_SENDERS, 0, n,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	assert_int_equal(prev, MP_PORT_NULL);
	assert_int_equal(t_status(t, p).mps_nsrequest, 1);
	assert_int_equal(t_recv(t, buf, sizeof(buf), n, 0), MP_MACH_RCV_TIMED_OUT);
	assert_int_equal(mp_port_deallocate(b, s), MP_KERN_SUCCESS);
	assert_int_equal(t_recv(t, buf, sizeof(buf), n, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(buf, 20), MP_MACH_NOTIFY_NO_SENDERS);
	assert_int_equal(t_get32(buf, 4), 36);
	assert_int_equal(t_get32(buf, 32), 1); /* mscount */
	assert_int_equal(MP_MSGH_BITS_LOCAL(t_get32(buf, 0)), MP_MSG_TYPE_PORT_SEND_ONCE);
	/* kernel tokens in the trailer */
	assert_int_equal(t_get32(buf, 36 + 4), 8);
	/* immediate: no senders and sync (1) <= mscount (1) */
	assert_int_equal(mp_port_request_notification(t, p, MP_MACH_NOTIFY_NO_SENDERS, 1, n,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	assert_int_equal(t_recv_id(t, n), MP_MACH_NOTIFY_NO_SENDERS);
	/* sync above mscount: armed, not fired */
	assert_int_equal(mp_port_request_notification(t, p, MP_MACH_NOTIFY_NO_SENDERS, 5, n,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	assert_int_equal(t_recv(t, buf, sizeof(buf), n, 0), MP_MACH_RCV_TIMED_OUT);
	/* §7.2 step 5: the port dies: the request's send-once right yields
	 * MACH_NOTIFY_SEND_ONCE, not no-senders */
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(t_recv_id(t, n), MP_MACH_NOTIFY_SEND_ONCE);
	/* no-senders needs the receive right */
	assert_int_equal(mp_port_request_notification(t, n, MP_MACH_NOTIFY_NO_SENDERS, 0, MP_PORT_NULL,
						      0, &prev),
			 MP_KERN_SUCCESS);
	assert_int_equal(mp_port_request_notification(b, s, MP_MACH_NOTIFY_NO_SENDERS, 0, MP_PORT_NULL,
						      0, &prev),
			 MP_KERN_INVALID_NAME);
}

/* §7.2 step 6 and §10.11: dead-name notifications. */
static void dead_name_notification(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), n = t_port(b), s, prev;
	uint8_t buf[128];
	(void)state;

	s = t_give_send(a, p, b);
	assert_int_equal(mp_port_request_notification(b, s, MP_MACH_NOTIFY_DEAD_NAME, 0, n,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_SEND | MP_PORT_TYPE_DNREQUEST);
	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(t_recv(b, buf, sizeof(buf), n, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(buf, 20), MP_MACH_NOTIFY_DEAD_NAME);
	assert_int_equal(t_get32(buf, 32), s);
	/* the conversion adds a uref for the request: 1 + 1 */
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(t_refs(b, s, MP_PORT_RIGHT_DEAD_NAME), 2);
	/* a request on a name that is already dead: KERN_INVALID_ARGUMENT */
	assert_int_equal(mp_port_request_notification(b, s, MP_MACH_NOTIFY_DEAD_NAME, 0, n,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_port_mod_refs(b, s, MP_PORT_RIGHT_DEAD_NAME, -2), MP_KERN_SUCCESS);
}

/* A dead-name request on a name that goes away: MACH_NOTIFY_PORT_DELETED. */
static void port_deleted_notification(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), n = t_port(b), s, prev;
	uint8_t buf[128];
	(void)state;

	s = t_give_send(a, p, b);
	assert_int_equal(mp_port_request_notification(b, s, MP_MACH_NOTIFY_DEAD_NAME, 0, n,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	/* replacing the request hands the old send-once right back */
	assert_int_equal(mp_port_request_notification(b, s, MP_MACH_NOTIFY_DEAD_NAME, 0, n,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	assert_int_equal(t_type(b, prev), MP_PORT_TYPE_SEND_ONCE);
	assert_int_equal(mp_port_deallocate(b, prev), MP_KERN_SUCCESS);
	assert_int_equal(t_recv_id(b, n), MP_MACH_NOTIFY_SEND_ONCE);
	assert_int_equal(mp_port_deallocate(b, s), MP_KERN_SUCCESS);
	assert_int_equal(t_recv(b, buf, sizeof(buf), n, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(buf, 20), MP_MACH_NOTIFY_PORT_DELETED);
	assert_int_equal(t_get32(buf, 32), s);
}

/* MIG copies the notify right in before the call looks at the name: a
 * request whose notify right is the name itself (moved) finds the name
 * gone: KERN_INVALID_NAME, and the right is destroyed (kern_ops found the
 * kernel looking at the freed entry). */
static void request_notification_notify_consumes_name(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), so = t_give_sonce(a, p, b), prev;
	(void)state;

	assert_int_equal(mp_port_request_notification(b, so, MP_MACH_NOTIFY_DEAD_NAME, 0, so,
						      MP_MSG_TYPE_MOVE_SEND_ONCE, &prev),
			 MP_KERN_INVALID_NAME);
	assert_int_equal(t_recv_id(a, p), MP_MACH_NOTIFY_SEND_ONCE);
	/* a bad notify right: the copyin fails as a message's would */
	assert_int_equal(mp_port_request_notification(a, p, MP_MACH_NOTIFY_NO_SENDERS, 0,
						      MP_PORT_MAKE(999, 3), MP_MSG_TYPE_MAKE_SEND_ONCE,
						      &prev),
			 MP_MACH_SEND_INVALID_RIGHT);
}

/* §7.1: destroying a send-once right tells its port (MACH_NOTIFY_SEND_ONCE,
 * 24 bytes); send-once rights never coalesce. */
static void send_once_rights(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), s1, s2;
	uint8_t buf[128];
	(void)state;

	s1 = t_give_sonce(a, p, b);
	s2 = t_give_sonce(a, p, b);
	assert_int_not_equal(s1, s2);
	assert_int_equal(t_status(a, p).mps_sorights, 2);
	assert_int_equal(mp_port_mod_refs(b, s1, MP_PORT_RIGHT_SEND_ONCE, -2), MP_KERN_INVALID_VALUE);
	assert_int_equal(mp_port_mod_refs(b, s1, MP_PORT_RIGHT_SEND_ONCE, -1), MP_KERN_SUCCESS);
	assert_int_equal(t_recv(a, buf, sizeof(buf), p, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(buf, 20), MP_MACH_NOTIFY_SEND_ONCE);
	assert_int_equal(t_get32(buf, 4), 24);
	/* task death destroys the other one: another notification */
	t_kill(b);
	assert_int_equal(t_recv_id(a, p), MP_MACH_NOTIFY_SEND_ONCE);
	assert_int_equal(t_status(a, p).mps_sorights, 0);
}

/* Task death (ipc_space_terminate): receive rights die, others' send
 * rights become dead names, no-senders fires for ports it held send to. */
static void task_death(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t pa = t_port(a), pb = t_port(b), n = t_port(a), sa, sb, prev;
	(void)state;

	sa = t_give_send(a, pa, b); /* b holds a send right to a's port */
	sb = t_give_send(b, pb, a); /* a holds a send right to b's port */
	assert_int_equal(mp_port_request_notification(a, pa, MP_MACH_NOTIFY_NO_SENDERS, 0, n,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	(void)sa;
	t_kill(b);
	assert_int_equal(t_recv_id(a, n), MP_MACH_NOTIFY_NO_SENDERS);
	assert_int_equal(t_type(a, sb), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(mp_port_deallocate(a, sb), MP_KERN_SUCCESS);
}

/* mp_task_vm_usage (machports' extension): the regions the kernel gave the
 * task, from vm_allocate and from a received OOL descriptor, until
 * vm_deallocate cuts them. */
static void vm_usage_counts_regions(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port_send(t);
	uint64_t addr = 0, bytes = 0, base_bytes = 0;
	uint32_t regions = 0, base = 0;
	uint8_t buf[256], data[100];
	mp_builder_t b;
	size_t n;
	(void)state;

	memset(data, 0x77, sizeof data);
	assert_int_equal(mp_task_vm_usage(t, &base, &base_bytes), MP_KERN_SUCCESS);
	assert_int_equal(mp_vm_allocate(t, &addr, 2 * 4096), MP_KERN_SUCCESS);
	assert_int_equal(mp_task_vm_usage(t, &regions, &bytes), MP_KERN_SUCCESS);
	assert_int_equal(regions, base + 1);
	assert_int_equal(bytes, base_bytes + 2 * 4096);
	assert_int_equal(mp_vm_deallocate(t, addr, 2 * 4096), MP_KERN_SUCCESS);
	assert_int_equal(mp_task_vm_usage(t, &regions, &bytes), MP_KERN_SUCCESS);
	assert_int_equal(regions, base);
	assert_int_equal(bytes, base_bytes);

	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, p, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_ool(&b, (uint64_t)(uintptr_t)data, sizeof data, MP_MSG_VIRTUAL_COPY, 0);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	assert_int_equal(t_send(t, buf, (uint32_t)n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv(t, buf, sizeof buf, p, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_task_vm_usage(t, &regions, &bytes), MP_KERN_SUCCESS);
	assert_int_equal(regions, base + 1);
	mp_msg_destroy(t, buf, sizeof buf);
	assert_int_equal(mp_task_vm_usage(t, &regions, &bytes), MP_KERN_SUCCESS);
	assert_int_equal(regions, base);
}

/* machports/testing.h's harness calls: the embedded kernel has them
 * (the ledger is mp_port_names + mp_port_get_refs in one call; recycling
 * keeps mp_task_vm_usage exact); machportd refuses both with
 * KERN_NOT_SUPPORTED, never ignores them. */
static void harness_calls_per_backend(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port_send(t);
	mp_ledger_entry_t led[64];
	mp_port_name_t *names = NULL;
	mp_port_type_t *types = NULL;
	uint32_t count = 0, n = 0, regions = 0;
	uint64_t addr = 0, bytes = 0;
	(void)state;

	if (t_backend() != MP_BACKEND_KERN) {
		assert_int_equal(mp_task_set_vm_recycle(t, 1), MP_KERN_NOT_SUPPORTED);
		assert_int_equal(mp_task_ledger(t, led, 64, &count), MP_KERN_NOT_SUPPORTED);
		return;
	}
	assert_int_equal(mp_task_set_vm_recycle(t, 2), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_task_set_vm_recycle(t, 1), MP_KERN_SUCCESS);
	assert_int_equal(mp_vm_allocate(t, &addr, 4096), MP_KERN_SUCCESS);
	assert_int_equal(mp_vm_deallocate(t, addr, 4096), MP_KERN_SUCCESS);
	assert_int_equal(mp_task_vm_usage(t, &regions, &bytes), MP_KERN_SUCCESS);
	assert_int_equal(regions, 0);
	assert_int_equal(bytes, 0);

	assert_int_equal(mp_task_ledger(t, led, 64, &count), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_names(t, &names, &types, &n), MP_KERN_SUCCESS);
	assert_int_equal(count, n);
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(led[i].name, names[i]);
		assert_int_equal(led[i].type, types[i]);
		if (names[i] == p)
			assert_int_equal(led[i].urefs, t_refs(t, p, MP_PORT_RIGHT_SEND));
	}
	free(names);
	free(types);
	assert_int_equal(mp_task_set_vm_recycle(t, 0), MP_KERN_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(harness_calls_per_backend),
		T(allocate_rights_and_names),
		T(freed_name_is_stale),
		T(insert_right_names),
		T(insert_right_other_space),
		T(mod_refs_rules),
		T(send_urefs_and_pegging),
		T(deallocate_rules),
		T(get_refs_and_type_rules),
		T(port_death_and_dead_names),
		T(deallocate_send_to_dead_port),
		T(destroy_rules),
		T(destruct_rules),
		T(extract_right_rules),
		T(immovable_receive),
		T(context_and_guards),
		T(construct_options),
		T(port_set_membership),
		T(insert_right_dead_name),
		T(allocate_name_rules),
		T(no_senders_notification),
		T(dead_name_notification),
		T(port_deleted_notification),
		T(request_notification_notify_consumes_name),
		T(send_once_rights),
		T(task_death),
		T(vm_usage_counts_regions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
