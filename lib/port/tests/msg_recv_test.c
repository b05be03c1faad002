/*
 * lib/port/tests/msg_recv_test.c: the receive path of xnu-abi.md §6.6-6.10:
 * the header swap, right copyout and coalescing, descriptor copyout, the
 * trailer, too-large messages, timeouts, port sets, MACH_RCV_PORT_CHANGED,
 * sequence numbers, mp_msg_destroy and the handle API.
 */
#define _GNU_SOURCE /* usleep */
#include <pthread.h>
#include <unistd.h>

#include "lib/port/tests/port_test_support.h"

/* §6.7 / mach_msg2_interop: remote = the reply right in the receiver,
 * local = the receiver's name for the port, bits swapped, id kept. */
static void header_swap(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(a), ds = t_give_send(a, d, b), rp = t_port(b);
	uint8_t buf[256];
	uint32_t n, bits;
	(void)state;

	n = t_simple(buf, sizeof(buf), ds, MP_MSG_TYPE_COPY_SEND, rp, MP_MSG_TYPE_MAKE_SEND_ONCE, 42, 8);
	assert_int_equal(t_send(b, buf, n), MP_MACH_MSG_SUCCESS);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(t_recv(a, buf, sizeof(buf), d, 0), MP_MACH_MSG_SUCCESS);
	bits = t_get32(buf, 0);
	assert_int_equal(MP_MSGH_BITS_REMOTE(bits), MP_MSG_TYPE_PORT_SEND_ONCE);
	assert_int_equal(MP_MSGH_BITS_LOCAL(bits), MP_MSG_TYPE_PORT_SEND);
	assert_int_equal(t_get32(buf, 4), 32);
	assert_int_equal(t_get32(buf, 12), d);
	assert_int_equal(t_get32(buf, 20), 42);
	assert_int_equal(buf[24], 1); /* inline data */
	assert_int_equal(t_type(a, t_get32(buf, 8)), MP_PORT_TYPE_SEND_ONCE);
	/* the reply reaches rp */
	n = t_simple(buf, sizeof(buf), t_get32(buf, 8), MP_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 43, 0);
	assert_int_equal(t_send(a, buf, n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv(b, buf, sizeof(buf), rp, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(MP_MSGH_BITS_LOCAL(t_get32(buf, 0)), MP_MSG_TYPE_PORT_SEND_ONCE);
	assert_int_equal(t_get32(buf, 12), rp);
	assert_int_equal(t_get32(buf, 8), MP_PORT_NULL);
	/* the destination right was consumed: b's send right is back to 1 */
	assert_int_equal(t_refs(b, ds, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(t_status(a, d).mps_sorights, 0);
}

/* §6.7: local is NULL if the receive right moved... and the consumed
 * destination send right can fire no-senders. */
static void dest_send_right_consumed_fires_no_senders(void **state)
{
	mp_task_t *a = t_task();
	mp_port_name_t d = t_port(a), n = t_port(a), prev;
	uint8_t buf[128];
	uint32_t len;
	(void)state;

	assert_int_equal(mp_port_request_notification(a, d, MP_MACH_NOTIFY_NO_SENDERS, 1, n,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	len = t_simple(buf, sizeof(buf), d, MP_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0);
	assert_int_equal(t_send(a, buf, len), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv(a, buf, sizeof(buf), n, 0), MP_MACH_RCV_TIMED_OUT);
	assert_int_equal(t_recv_id(a, d), 1);
	assert_int_equal(t_recv_id(a, n), MP_MACH_NOTIFY_NO_SENDERS);
}

/* mach_msg_transport.c mach_msg_descriptor_port: each disposition sent to
 * oneself arrives with its carried type and coalesces with the original
 * name; send and receive rights end with 3 send urefs. */
static void port_descriptor_copyout_to_self(void **state)
{
	static const uint32_t disps[] = { MP_MSG_TYPE_MOVE_RECEIVE, MP_MSG_TYPE_MOVE_SEND,
					  MP_MSG_TYPE_MOVE_SEND_ONCE, MP_MSG_TYPE_COPY_SEND,
					  MP_MSG_TYPE_MAKE_SEND, MP_MSG_TYPE_MAKE_SEND_ONCE };
	(void)state;

	for (size_t i = 0; i < sizeof(disps) / sizeof(disps[0]); i++) {
		mp_task_t *t = t_task();
		mp_port_name_t rcv = t_port_send(t), p = t_port_send(t), so = 0, name = p;
		uint8_t buf[256];
		mp_builder_t b;
		size_t n;
		uint32_t want = mp_msg_type_copyin(disps[i]);

		/* one COPY_SEND and one MAKE_SEND beforehand, as the XNU test */
		assert_int_equal(mp_port_insert_right(t, p, t, p, MP_MSG_TYPE_COPY_SEND), MP_KERN_SUCCESS);
		assert_int_equal(mp_port_insert_right(t, p, t, p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
		if (disps[i] == MP_MSG_TYPE_MOVE_SEND_ONCE)
			name = so = t_give_sonce(t, p, t);
		mp_builder_init(&b, buf, sizeof(buf), 0);
		mp_builder_set_remote(&b, rcv, MP_MSG_TYPE_COPY_SEND);
		mp_builder_add_port(&b, name, disps[i]);
		assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
		assert_int_equal(t_send(t, buf, (uint32_t)n), MP_MACH_MSG_SUCCESS);
		assert_int_equal(t_recv(t, buf, sizeof(buf), rcv, 0), MP_MACH_MSG_SUCCESS);
		assert_true(t_get32(buf, 0) & MP_MSGH_BITS_COMPLEX);
		assert_int_equal(t_get32(buf, 24), 1);
		assert_int_equal(buf[28 + 11], MP_MSG_PORT_DESCRIPTOR);
		assert_int_equal(buf[28 + 10], want);
		if (want == MP_MSG_TYPE_PORT_SEND_ONCE) {
			mp_port_name_t got = t_get32(buf, 28);
			assert_int_not_equal(got, p); /* never coalesced */
			assert_int_equal(t_type(t, got), MP_PORT_TYPE_SEND_ONCE);
			assert_int_equal(mp_port_deallocate(t, got), MP_KERN_SUCCESS);
			assert_int_equal(t_recv_id(t, p), MP_MACH_NOTIFY_SEND_ONCE);
		} else {
			assert_int_equal(t_get32(buf, 28), p);
			assert_int_equal(t_type(t, p), MP_PORT_TYPE_SEND_RECEIVE);
			assert_int_equal(t_refs(t, p, MP_PORT_RIGHT_SEND),
					 disps[i] == MP_MSG_TYPE_MOVE_RECEIVE ? 3 : disps[i] == MP_MSG_TYPE_MOVE_SEND ? 3 : 4);
		}
		t_kill(t);
		t_invariants();
		(void)so;
	}
}

/* tests/ipc_mach_port.c right_dedup: receive + send + send of one port, in
 * any order, arrive under one name (§6.8). */
static void right_dedup(void **state)
{
	static const uint32_t orders[3][3] = {
		{ MP_MSG_TYPE_MOVE_RECEIVE, MP_MSG_TYPE_MAKE_SEND, MP_MSG_TYPE_MAKE_SEND },
		{ MP_MSG_TYPE_MAKE_SEND, MP_MSG_TYPE_MOVE_RECEIVE, MP_MSG_TYPE_MAKE_SEND },
		{ MP_MSG_TYPE_MAKE_SEND, MP_MSG_TYPE_MAKE_SEND, MP_MSG_TYPE_MOVE_RECEIVE },
	};
	(void)state;

	for (int o = 0; o < 3; o++) {
		mp_task_t *a = t_task(), *b = t_task();
		mp_port_name_t rb = t_port(b), sb = t_give_send(b, rb, a), p = t_port_send(a);
		uint8_t buf[256];
		mp_builder_t bl;
		size_t n;

		mp_builder_init(&bl, buf, sizeof(buf), 0);
		mp_builder_set_remote(&bl, sb, MP_MSG_TYPE_COPY_SEND);
		/* the send rights made before the receive moves need the
		 * receive right: take them as COPY_SEND of p's send right */
		for (int i = 0; i < 3; i++)
			mp_builder_add_port(&bl, p, orders[o][i] == MP_MSG_TYPE_MAKE_SEND
							    ? MP_MSG_TYPE_COPY_SEND
							    : orders[o][i]);
		assert_int_equal(mp_builder_finish(&bl, &n, NULL), MP_OK);
		assert_int_equal(t_send(a, buf, (uint32_t)n), MP_MACH_MSG_SUCCESS);
		assert_int_equal(t_recv(b, buf, sizeof(buf), rb, 0), MP_MACH_MSG_SUCCESS);
		assert_int_equal(t_get32(buf, 28), t_get32(buf, 40));
		assert_int_equal(t_get32(buf, 40), t_get32(buf, 52));
		assert_int_equal(t_type(b, t_get32(buf, 28)), MP_PORT_TYPE_SEND_RECEIVE);
		assert_int_equal(t_refs(b, t_get32(buf, 28), MP_PORT_RIGHT_SEND), 2);
		t_kill(a);
		t_kill(b);
		t_invariants();
	}
}

/* mach_msg_transport.c mach_msg_descriptor_memory and §6.9 OOL: a new
 * copy, size kept, copy kept, deallocate = (copy == VIRTUAL); size 0 is
 * address 0; a virtual copy keeps the page offset. */
static void ool_copyout(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(b), ds = t_give_send(b, d, a);
	size_t big = 1u << 20;
	uint8_t *mem = malloc(big + 100), buf[256];
	mp_builder_t bl;
	size_t n;
	uint64_t r0, r1;
	(void)state;

	memset(mem, 0xff, big + 100);
	mp_builder_init(&bl, buf, sizeof(buf), 0);
	mp_builder_set_remote(&bl, ds, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_ool(&bl, mp_addr(mem), (uint32_t)big, MP_MSG_PHYSICAL_COPY, 0);
	mp_builder_add_ool(&bl, mp_addr(mem + 100), 1000, MP_MSG_VIRTUAL_COPY, 0);
	mp_builder_add_ool(&bl, mp_addr(mem), 0, MP_MSG_VIRTUAL_COPY, 0);
	assert_int_equal(mp_builder_finish(&bl, &n, NULL), MP_OK);
	assert_int_equal(t_send(a, buf, (uint32_t)n), MP_MACH_MSG_SUCCESS);
	memset(mem, 0, big); /* the message holds its own copy */
	assert_int_equal(t_recv(b, buf, sizeof(buf), d, 0), MP_MACH_MSG_SUCCESS);
	r0 = t_get64(buf, 28);
	r1 = t_get64(buf, 44);
	assert_true(r0 != 0 && r0 != mp_addr(mem));
	assert_int_equal(r0 % 4096, 0);
	assert_int_equal(t_get32(buf, 28 + 12), big);
	assert_int_equal(buf[28 + 8], 0); /* deallocate = (copy == VIRTUAL) */
	assert_int_equal(buf[28 + 9], MP_MSG_PHYSICAL_COPY);
	assert_int_equal(((uint8_t *)(uintptr_t)r0)[0], 0xff);
	assert_int_equal(((uint8_t *)(uintptr_t)r0)[big - 1], 0xff);
	assert_int_equal(r1 % 4096, mp_addr(mem + 100) % 4096);
	assert_int_equal(buf[44 + 8], 1);
	assert_int_equal(buf[44 + 9], MP_MSG_VIRTUAL_COPY);
	assert_int_equal(t_get64(buf, 60), 0);
	assert_int_equal(t_get32(buf, 60 + 12), 0);
	/* the receiver frees what mp_msg_destroy frees: deallocate only */
	mp_msg_destroy(b, buf, sizeof(buf));
	assert_int_equal(mp_vm_deallocate(b, r0, big), MP_KERN_SUCCESS);
	free(mem);
}

/* mach_msg_transport.c mach_msg_descriptor_port_array and §6.9 OOL_PORTS:
 * deallocate TRUE, copy VIRTUAL, names coalesced, NULL and DEAD kept. */
static void ool_ports_copyout(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t d = t_port_send(t), p = t_port_send(t);
	mp_port_name_t names[4] = { p, MP_PORT_NULL, p, MP_PORT_DEAD };
	uint8_t buf[256];
	mp_builder_t bl;
	size_t n;
	const uint32_t *got;
	(void)state;

	mp_builder_init(&bl, buf, sizeof(buf), 0);
	mp_builder_set_remote(&bl, d, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_ool_ports(&bl, mp_addr(names), 4, MP_MSG_TYPE_COPY_SEND, MP_MSG_PHYSICAL_COPY, 0);
	mp_builder_add_ool_ports(&bl, 0, 0, MP_MSG_TYPE_COPY_SEND, MP_MSG_PHYSICAL_COPY, 0);
	assert_int_equal(mp_builder_finish(&bl, &n, NULL), MP_OK);
	assert_int_equal(t_send(t, buf, (uint32_t)n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv(t, buf, sizeof(buf), d, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(buf[28 + 8], 1);
	assert_int_equal(buf[28 + 9], MP_MSG_VIRTUAL_COPY);
	assert_int_equal(buf[28 + 10], MP_MSG_TYPE_PORT_SEND);
	assert_int_equal(t_get32(buf, 28 + 12), 4);
	got = (const uint32_t *)(uintptr_t)t_get64(buf, 28);
	assert_int_equal(got[0], p);
	assert_int_equal(got[1], MP_PORT_NULL);
	assert_int_equal(got[2], p);
	assert_int_equal(got[3], MP_PORT_DEAD);
	assert_int_equal(t_refs(t, p, MP_PORT_RIGHT_SEND), 3);
	assert_int_equal(t_get64(buf, 44), 0); /* count 0: address 0 */
	mp_msg_destroy(t, buf, sizeof(buf)); /* releases the rights and the array */
	assert_int_equal(t_refs(t, p, MP_PORT_RIGHT_SEND), 1);
}

/* mo_immovable_receive.c and §6.9 GUARDED: with MACH_RCV_GUARDED_DESC the
 * port arrives guarded with the buffer address and immovable; without it
 * the right is destroyed (11417: name 0, UNGUARDED_ON_SEND added, §10.5). */
static void guarded_copyout(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t d = t_port_send(t), g, u, g2;
	mp_port_options_t o = { MP_MPO_CONTEXT_AS_GUARD, 0 };
	uint8_t buf[256];
	mp_builder_t bl;
	size_t n;
	(void)state;

	assert_int_equal(mp_port_construct(t, &o, 0x10, &g), MP_KERN_SUCCESS);
	u = t_port(t);
	mp_builder_init(&bl, buf, sizeof(buf), 0);
	mp_builder_set_remote(&bl, d, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_guarded_port(&bl, g, MP_MSG_TYPE_MOVE_RECEIVE,
				    MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0x10);
	mp_builder_add_guarded_port(&bl, u, MP_MSG_TYPE_MOVE_RECEIVE,
				    MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE |
					    MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND,
				    0);
	assert_int_equal(mp_builder_finish(&bl, &n, NULL), MP_OK);
	assert_int_equal(t_send(t, buf, (uint32_t)n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv(t, buf, sizeof(buf), d, MP_MACH_RCV_GUARDED_DESC), MP_MACH_MSG_SUCCESS);
	for (int i = 0; i < 2; i++) {
		size_t off = 28 + 16 * (size_t)i;
		mp_port_name_t name = t_get32(buf, off + 12);
		assert_true(MP_PORT_VALID(name));
		assert_int_equal(buf[off + 11], MP_MSG_GUARDED_PORT_DESCRIPTOR);
		assert_int_equal(buf[off + 10], MP_MSG_TYPE_PORT_RECEIVE);
		assert_int_equal(t_get64(buf, off), mp_addr(buf));
		assert_int_equal(t_get32(buf, off + 8) & 0xffff, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE);
		assert_true(t_status(t, name).mps_flags & MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE);
	}
	mp_msg_destroy(t, buf, sizeof(buf)); /* unguards with the context and destroys */

	/* without the option: destroyed in delivery */
	g2 = t_port(t);
	mp_builder_init(&bl, buf, sizeof(buf), 0);
	mp_builder_set_remote(&bl, d, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_guarded_port(&bl, g2, MP_MSG_TYPE_MOVE_RECEIVE,
				    MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE |
					    MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND,
				    0);
	assert_int_equal(mp_builder_finish(&bl, &n, NULL), MP_OK);
	assert_int_equal(t_send(t, buf, (uint32_t)n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv(t, buf, sizeof(buf), d, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(buf, 28 + 12), 0);
	assert_int_equal(t_get64(buf, 28), 0);
	assert_int_equal(buf[28 + 11], MP_MSG_GUARDED_PORT_DESCRIPTOR);
	assert_int_equal(t_get32(buf, 28 + 8) & 0xffff, 3);
	/* a guard mismatch on send is INVALID_RIGHT */
	assert_int_equal(mp_port_construct(t, &o, 0x20, &g), MP_KERN_SUCCESS);
	mp_builder_init(&bl, buf, sizeof(buf), 0);
	mp_builder_set_remote(&bl, d, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_guarded_port(&bl, g, MP_MSG_TYPE_MOVE_RECEIVE,
				    MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0x21);
	assert_int_equal(mp_builder_finish(&bl, &n, NULL), MP_OK);
	assert_int_equal(t_send(t, buf, (uint32_t)n), MP_MACH_SEND_INVALID_RIGHT);
	assert_int_equal(mp_port_destruct(t, g, 0, 0x20), MP_KERN_SUCCESS);
}

/* mach_msg_transport.c mach_msg_trailer: for element counts 0,1,2,3,4,7:
 * format 0, the requested size, seqno, the sender's tokens, the port's
 * context, msgh_ad 0; bytes after the trailer untouched. */
static void trailer_elements(void **state)
{
	static const uint32_t elems[] = { 0, 1, 2, 3, 4, 7 };
	static const uint32_t sizes[] = { 8, 12, 20, 52, 60, 68 };
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(b), ds = t_give_send(b, d, a);
	mp_kern_identity_t me;
	uint8_t buf[256], msg[64];
	uint32_t n;
	(void)state;

	mp_kern_identity_self(&me);
	assert_int_equal(mp_port_set_context(b, d, 0x42424242), MP_KERN_SUCCESS);
	for (size_t i = 0; i < 6; i++) {
		n = t_simple(msg, sizeof(msg), ds, MP_MSG_TYPE_COPY_SEND, 0, 0, 1, 0);
		assert_int_equal(t_send(a, msg, n), MP_MACH_MSG_SUCCESS);
		memset(buf, 0xff, sizeof(buf));
		assert_int_equal(t_recv(b, buf, sizeof(buf), d, MP_RCV_TRAILER_ELEMENTS(elems[i])),
				 MP_MACH_MSG_SUCCESS);
		assert_int_equal(t_get32(buf, 4), 24);
		assert_int_equal(t_get32(buf, 24), 0);
		assert_int_equal(t_get32(buf, 28), sizes[i]);
		if (sizes[i] >= 12)
			assert_int_equal(t_get32(buf, 32), i); /* seqno */
		if (sizes[i] >= 20) {
			assert_int_equal(t_get32(buf, 36), me.sec.val[0]);
			assert_int_equal(t_get32(buf, 40), me.sec.val[1]);
		}
		if (sizes[i] >= 52)
			assert_int_equal(t_get32(buf, 44 + 5 * 4), me.audit.val[5]); /* pid */
		if (sizes[i] >= 60)
			assert_int_equal(t_get64(buf, 76), 0x42424242);
		if (sizes[i] >= 68)
			assert_int_equal(t_get32(buf, 84), 0);
		assert_int_equal(buf[24 + sizes[i]], 0xff);
	}
}

/* §6.6 too large: with MACH_RCV_LARGE the message stays queued and only
 * msgh_size (and, with LARGE_IDENTITY, the port) is written; without it
 * the message is destroyed and a minimal header + kernel trailer arrive. */
static void too_large(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(b), ds = t_give_send(b, d, a), rp = t_port(a);
	uint8_t buf[256], small[48];
	uint32_t n;
	(void)state;

	n = t_simple(buf, sizeof(buf), ds, MP_MSG_TYPE_COPY_SEND, rp, MP_MSG_TYPE_MAKE_SEND_ONCE, 7, 64);
	assert_int_equal(t_send(a, buf, n), MP_MACH_MSG_SUCCESS);
	memset(small, 0xee, sizeof(small));
	assert_int_equal(t_recv(b, small, sizeof(small), d, MP_MACH_RCV_LARGE | MP_MACH_RCV_LARGE_IDENTITY),
			 MP_MACH_RCV_TOO_LARGE);
	assert_int_equal(t_get32(small, 4), 88);
	assert_int_equal(t_get32(small, 12), d);
	assert_int_equal(small[0], 0xee);
	assert_int_equal(t_status(b, d).mps_msgcount, 1);
	assert_int_equal(t_status(b, d).mps_seqno, 0);
	/* without LARGE: destroyed; the reply send-once right is destroyed too */
	assert_int_equal(t_recv(b, small, sizeof(small), d, MP_RCV_TRAILER_ELEMENTS(2)),
			 MP_MACH_RCV_TOO_LARGE);
	assert_int_equal(t_get32(small, 4), 24);
	assert_int_equal(t_get32(small, 8), 0);
	assert_int_equal(t_get32(small, 12), d);
	assert_int_equal(MP_MSGH_BITS_REMOTE(t_get32(small, 0)), MP_MSG_TYPE_PORT_SEND_ONCE);
	assert_int_equal(t_get32(small, 20), 7);
	assert_int_equal(t_get32(small, 28), 20);
	assert_int_equal(t_get32(small, 36), 0); /* kernel security token {0, 1} */
	assert_int_equal(t_get32(small, 40), 1);
	assert_int_equal(t_status(b, d).mps_msgcount, 0);
	assert_int_equal(t_status(b, d).mps_seqno, 1);
	assert_int_equal(t_recv_id(a, rp), MP_MACH_NOTIFY_SEND_ONCE);
	/* the parser accepts the minimal header (§10.4) */
	{
		mp_msg_view_t v;
		assert_int_equal(mp_parse_recv(&v, small, sizeof(small), 20, NULL), MP_OK);
	}
	/* a buffer below 24 bytes: MACH_RCV_INVALID_DATA, still destroyed */
	n = t_simple(buf, sizeof(buf), ds, MP_MSG_TYPE_COPY_SEND, 0, 0, 8, 0);
	assert_int_equal(t_send(a, buf, n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv(b, small, 16, d, 0), MP_MACH_RCV_INVALID_DATA);
	assert_int_equal(t_status(b, d).mps_msgcount, 0);
}

/* mp_msg_receive keeps the parser's diagnosis: a too-large message into a
 * 28-byte buffer leaves the minimal header with a cut trailer (§6.6), which
 * mp_parse_recv refuses; the caller sees the rule, offset and reason. */
static void receive_keeps_diagnosis(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(b), ds = t_give_send(b, d, a);
	uint8_t buf[256], small[28];
	mp_received_t m;
	uint32_t n;
	(void)state;

	n = t_simple(buf, sizeof(buf), ds, MP_MSG_TYPE_COPY_SEND, 0, 0, 9, 16);
	assert_int_equal(t_send(a, buf, n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_msg_receive(b, d, 0, 0, small, sizeof small, &m), MP_MACH_RCV_INVALID_DATA);
	assert_int_equal(m.kr, MP_MACH_RCV_TOO_LARGE);
	assert_int_equal(m.diag.err, MP_E_RECV_SIZE_OVERRUN);
	assert_int_equal(m.diag.offset, MP_MSGH_SIZE_OFFSET);
	assert_string_equal(m.diag.reason, "msgh_size 24 in a 28-byte buffer: msgh_size leaves no room "
					   "for a trailer inside the buffer");
	assert_null(m.task); /* nothing to take or release */
	assert_int_equal(t_status(b, d).mps_msgcount, 0);

	/* a message that parses: diag.err is MP_OK */
	n = t_simple(buf, sizeof(buf), ds, MP_MSG_TYPE_COPY_SEND, 0, 0, 10, 0);
	assert_int_equal(t_send(a, buf, n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_msg_receive(b, d, 0, 0, buf, sizeof buf, &m), MP_MACH_MSG_SUCCESS);
	assert_int_equal(m.diag.err, MP_OK);
	assert_int_equal(m.view.id, 10);
	mp_received_release(&m);
}

/* §6.6: only receive rights and sets can receive; timeouts. */
static void receive_name_rules(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(a), s = t_give_send(a, d, b), dn;
	uint8_t buf[128];
	(void)state;

	assert_int_equal(mp_port_allocate(b, MP_PORT_RIGHT_DEAD_NAME, &dn), MP_KERN_SUCCESS);
	assert_int_equal(t_recv(b, buf, sizeof(buf), s, 0), MP_MACH_RCV_INVALID_NAME);
	assert_int_equal(t_recv(b, buf, sizeof(buf), dn, 0), MP_MACH_RCV_INVALID_NAME);
	assert_int_equal(t_recv(b, buf, sizeof(buf), MP_PORT_NULL, 0), MP_MACH_RCV_INVALID_NAME);
	assert_int_equal(t_recv(b, buf, sizeof(buf), MP_PORT_DEAD, 0), MP_MACH_RCV_INVALID_NAME);
	assert_int_equal(t_recv(a, buf, sizeof(buf), d, 0), MP_MACH_RCV_TIMED_OUT);
	assert_int_equal(mp_mach_msg(a, buf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT, 0, sizeof(buf), d, 20),
			 MP_MACH_RCV_TIMED_OUT);
	assert_int_equal(mp_port_deallocate(b, dn), MP_KERN_SUCCESS);
}

/* Port sets: receive from the set (and directly from a member). */
static void receive_from_port_set(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p1 = t_port_send(t), p2 = t_port_send(t), ps;
	uint8_t buf[128];
	uint32_t n;
	(void)state;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_PORT_SET, &ps), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_member(t, p1, ps), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_member(t, p2, ps), MP_KERN_SUCCESS);
	assert_int_equal(t_recv(t, buf, sizeof(buf), ps, 0), MP_MACH_RCV_TIMED_OUT);
	n = t_simple(buf, sizeof(buf), p2, MP_MSG_TYPE_COPY_SEND, 0, 0, 2, 0);
	assert_int_equal(t_send(t, buf, n), MP_MACH_MSG_SUCCESS);
	n = t_simple(buf, sizeof(buf), p1, MP_MSG_TYPE_COPY_SEND, 0, 0, 1, 0);
	assert_int_equal(t_send(t, buf, n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv(t, buf, sizeof(buf), ps, 0), MP_MACH_MSG_SUCCESS);
	assert_true(t_get32(buf, 12) == p1 || t_get32(buf, 12) == p2);
	assert_int_equal(t_get32(buf, 20), t_get32(buf, 12) == p1 ? 1 : 2);
	/* the other directly from its member port */
	assert_int_equal(t_recv_id(t, t_get32(buf, 12) == p1 ? p2 : p1), t_get32(buf, 12) == p1 ? 2 : 1);
}

/* §6.6 / §9.10: a receiver blocked on a port that is destroyed gets
 * MACH_RCV_PORT_CHANGED (also for a set). */
typedef struct {
	mp_task_t *t;
	mp_port_name_t name;
	mp_kr_t kr;
} wait_arg_t;

static void *blocked_receive(void *p)
{
	wait_arg_t *a = p;
	uint8_t buf[128];
	a->kr = mp_mach_msg(a->t, buf, MP_MACH_RCV_MSG, 0, sizeof(buf), a->name, 0);
	return NULL;
}

/*
 * Destroys `name` (a receive right or a port set) while a thread is blocked
 * receiving on it; returns what that receive answered. The thread is given
 * `wait_ms` to block first: the public API cannot see a blocked thread, and
 * one that only starts its receive after the destruction gets
 * KERN_INVALID_NAME-class codes instead, so the caller retries with longer
 * waits rather than take a slow scheduler for a wrong kernel.
 */
static mp_kr_t destroy_under_receiver(mp_task_t *t, mp_port_name_t name, mp_port_right_t right, int wait_ms)
{
	pthread_t th;
	wait_arg_t arg = { t, name, 0 };
	assert_int_equal(pthread_create(&th, NULL, blocked_receive, &arg), 0);
	usleep((useconds_t)wait_ms * 1000);
	assert_int_equal(mp_port_mod_refs(t, name, right, -1), MP_KERN_SUCCESS);
	pthread_join(th, NULL);
	return arg.kr;
}

/* ipc_mqueue_changed: a receiver blocked on a port or a port set that is
 * destroyed wakes with MACH_RCV_PORT_CHANGED. */
static void receiver_sees_port_changed(void **state)
{
	mp_task_t *t = t_task();
	(void)state;

	for (int set = 0; set <= 1; set++) {
		mp_kr_t kr = MP_KERN_FAILURE;
		for (int wait_ms = 50; wait_ms <= 3200; wait_ms *= 2) {
			mp_port_name_t n;
			if (set)
				assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_PORT_SET, &n), MP_KERN_SUCCESS);
			else
				n = t_port(t);
			kr = destroy_under_receiver(t, n, set ? MP_PORT_RIGHT_PORT_SET : MP_PORT_RIGHT_RECEIVE, wait_ms);
			if (kr == MP_MACH_RCV_PORT_CHANGED)
				break;
			/* the thread came too late: its receive found no such name */
			assert_true(kr == MP_MACH_RCV_INVALID_NAME);
		}
		assert_int_equal(kr, MP_MACH_RCV_PORT_CHANGED);
	}
}

/* A blocked receiver wakes for a message sent from another thread. */
static void *send_later(void *p)
{
	wait_arg_t *a = p;
	uint8_t buf[64];
	uint32_t n;
	usleep(30 * 1000);
	n = t_simple(buf, sizeof(buf), a->name, MP_MSG_TYPE_MAKE_SEND, 0, 0, 99, 0);
	a->kr = t_send(a->t, buf, n);
	return NULL;
}

static void receiver_wakes_for_message(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128];
	pthread_t th;
	wait_arg_t arg = { t, p, -1 };
	(void)state;

	assert_int_equal(pthread_create(&th, NULL, send_later, &arg), 0);
	assert_int_equal(mp_mach_msg(t, buf, MP_MACH_RCV_MSG, 0, sizeof(buf), p, 0), MP_MACH_MSG_SUCCESS);
	pthread_join(th, NULL);
	assert_int_equal(arg.kr, MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(buf, 20), 99);
}

/* §6.10: seqno counts dequeues and restarts when the receive right moves. */
static void sequence_numbers(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port_send(a), moved;
	uint8_t buf[128];
	uint32_t n, type;
	(void)state;

	for (uint32_t i = 0; i < 3; i++) {
		n = t_simple(buf, sizeof(buf), p, MP_MSG_TYPE_COPY_SEND, 0, 0, 1, 0);
		assert_int_equal(t_send(a, buf, n), MP_MACH_MSG_SUCCESS);
		assert_int_equal(t_recv(a, buf, sizeof(buf), p, MP_RCV_TRAILER_ELEMENTS(1)), MP_MACH_MSG_SUCCESS);
		assert_int_equal(t_get32(buf, 24 + 8), i);
	}
	assert_int_equal(t_status(a, p).mps_seqno, 3);
	assert_int_equal(mp_port_extract_right(a, p, MP_MSG_TYPE_MOVE_RECEIVE, b, &moved, &type),
			 MP_KERN_SUCCESS);
	assert_int_equal(t_status(b, moved).mps_seqno, 0);
	assert_int_equal(t_status(b, moved).mps_mscount, 0);
}

/* tests/ipc/port_peek.c: peek returns the id and size = send size + 8 (a
 * simple message) with the audit trailer; the message stays receivable. */
static void port_peek(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[600];
	mp_msg_audit_trailer_t audit;
	uint32_t n, seqno = 0, size = 0, tsize = sizeof(audit);
	int32_t id = 0;
	mp_kern_identity_t me;
	uint32_t opts = MP_RCV_TRAILER_TYPE(MP_MSG_TRAILER_FORMAT_0) |
			MP_RCV_TRAILER_ELEMENTS(MP_RCV_TRAILER_AUDIT);
	(void)state;

	assert_int_equal(mp_port_peek(t, p, opts, &seqno, &size, &id, &audit, &tsize), MP_KERN_FAILURE);
	n = t_simple(buf, sizeof(buf), p, MP_MSG_TYPE_MAKE_SEND, 0, 0, 0x41414141, 200);
	assert_int_equal(t_send(t, buf, n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_port_peek(t, p, opts, &seqno, &size, &id, &audit, &tsize), MP_KERN_SUCCESS);
	assert_int_equal(id, 0x41414141);
	assert_int_equal(size, n + 8);
	assert_int_equal(tsize, MP_MSG_TRAILER_AUDIT_SIZE);
	mp_kern_identity_self(&me);
	assert_int_equal(audit.msgh_audit.val[5], me.audit.val[5]);
	/* more than the AUDIT element, or too small a trailer buffer */
	tsize = sizeof(audit);
	assert_int_equal(mp_port_peek(t, p, MP_RCV_TRAILER_ELEMENTS(MP_RCV_TRAILER_CTX), &seqno, &size,
				      &id, &audit, &tsize),
			 MP_KERN_INVALID_VALUE);
	tsize = 20;
	assert_int_equal(mp_port_peek(t, p, opts, &seqno, &size, &id, &audit, &tsize),
			 MP_KERN_INVALID_VALUE);
	assert_int_equal(t_recv_id(t, p), 0x41414141);
}

/* The handle API: allocate, make send / send-once, clone, drop, sets,
 * receive into a parsed view and take the reply right. */
static void handles(void **state)
{
	mp_task_t *t = t_task();
	mp_recv_t r, r2;
	mp_send_t s, s2, reply;
	mp_sonce_t so, not_sonce;
	mp_pset_t set;
	mp_received_t m;
	uint8_t buf[256];
	uint32_t n;
	(void)state;

	assert_int_equal(mp_recv_allocate(t, NULL, 0, &r), MP_KERN_SUCCESS);
	assert_int_equal(mp_recv_allocate(t, NULL, 0, &r2), MP_KERN_SUCCESS);
	assert_int_equal(mp_recv_make_send(&r, &s), MP_KERN_SUCCESS);
	assert_int_equal(s.name, r.name);
	assert_int_equal(mp_send_clone(&s, &s2), MP_KERN_SUCCESS);
	assert_int_equal(t_refs(t, r.name, MP_PORT_RIGHT_SEND), 2);
	assert_int_equal(mp_recv_make_send_once(&r, &so), MP_KERN_SUCCESS);
	assert_int_equal(mp_pset_allocate(t, &set), MP_KERN_SUCCESS);
	assert_int_equal(mp_pset_add(&set, &r), MP_KERN_SUCCESS);

	n = t_simple(buf, sizeof(buf), s2.name, MP_MSG_TYPE_MOVE_SEND, r2.name, MP_MSG_TYPE_MAKE_SEND, 5, 4);
	s2.task = NULL; /* consumed by the send */
	assert_int_equal(mp_msg_send(t, buf, n, 0, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_msg_receive(t, set.name, MP_RCV_TRAILER_ELEMENTS(3), 0, buf, sizeof(buf), &m),
			 MP_MACH_MSG_SUCCESS);
	assert_int_equal(m.view.id, 5);
	assert_int_equal(m.view.trailer.size, 52);
	assert_int_equal(mp_received_take_reply_sonce(&m, &not_sonce), 0); /* it is a send right */
	assert_int_equal(mp_received_take_reply_send(&m, &reply), 1);
	assert_int_equal(reply.name, r2.name);
	mp_received_release(&m);
	assert_int_equal(t_refs(t, r2.name, MP_PORT_RIGHT_SEND), 1);

	mp_send_drop(&reply);
	mp_send_drop(&s);
	assert_null(s.task);
	mp_sonce_drop(&so);
	mp_pset_drop(&set);
	mp_recv_drop(&r);
	mp_recv_drop(&r2);
	assert_int_equal(r.name, MP_PORT_NULL);
	/* r's send-once notification died with it; nothing is left */
}

/* A received message's rights taken as owned handles, descriptor by
 * descriptor; what is not taken goes with mp_received_release. */
static void take_descriptor_rights(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(b), ds = t_give_send(b, d, a), x = t_port(a), y = t_port(a);
	mp_port_name_t arr[2] = { 0, 0 };
	uint8_t buf[256];
	mp_builder_t bl;
	size_t n;
	mp_received_t m;
	mp_recv_t rx, rx2;
	mp_send_t sy, s2, sz;
	mp_sonce_t so;
	(void)state;

	arr[0] = arr[1] = y;
	mp_builder_init(&bl, buf, sizeof buf, 0);
	mp_builder_set_remote(&bl, ds, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_port(&bl, x, MP_MSG_TYPE_MOVE_RECEIVE);
	mp_builder_add_port(&bl, y, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_port(&bl, y, MP_MSG_TYPE_MAKE_SEND_ONCE);
	mp_builder_add_ool_ports(&bl, mp_addr(arr), 2, MP_MSG_TYPE_MAKE_SEND, MP_MSG_PHYSICAL_COPY, 0);
	assert_int_equal(mp_builder_finish(&bl, &n, NULL), MP_OK);
	assert_int_equal(t_send(a, buf, (uint32_t)n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_msg_receive(b, d, 0, 0, buf, sizeof buf, &m), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_received_take_send(&m, 0, 0, &sy), 0); /* a receive right there */
	assert_int_equal(mp_received_take_recv(&m, 0, 0, &rx), 1);
	assert_int_equal(mp_received_take_recv(&m, 0, 0, &rx2), 0); /* taken already */
	assert_int_equal(mp_received_take_send(&m, 1, 0, &sy), 1);
	assert_int_equal(mp_received_take_sonce(&m, 2, 0, &so), 1);
	assert_int_equal(mp_received_take_send(&m, 3, 1, &s2), 1);
	assert_int_equal(mp_received_take_send(&m, 3, 2, &sz), 0); /* no element 2 */
	assert_int_equal(mp_received_take_send(&m, 9, 0, &sz), 0);
	assert_null(sz.task);
	assert_int_equal(mp_received_take_send(&m, 3, 1, &sz), 0);
	mp_received_release(&m); /* the array's element 0 and the array itself */
	assert_int_equal(s2.name, sy.name);
	assert_int_equal(t_refs(b, sy.name, MP_PORT_RIGHT_SEND), 2); /* sy + s2: one name */
	mp_send_drop(&s2);
	assert_int_equal(t_type(b, rx.name), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(t_type(b, so.name), MP_PORT_TYPE_SEND_ONCE);
	mp_sonce_drop(&so);
	assert_int_equal(t_recv_id(a, y), MP_MACH_NOTIFY_SEND_ONCE);
	{
		mp_port_name_t yname = sy.name;
		mp_port_type_t type;
		mp_send_drop(&sy);
		assert_int_equal(mp_port_type(b, yname, &type), MP_KERN_INVALID_NAME);
	}
	mp_recv_drop(&rx);
}

/* §6.8 last row: no room in the receiver's space: the right is destroyed,
 * MACH_PORT_NULL arrives and the receive returns MACH_RCV_BODY_ERROR |
 * MACH_MSG_IPC_SPACE (the message itself is still delivered). */
static void copyout_with_no_room(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(b), ds = t_give_send(b, d, a), x = t_port(a), dn;
	uint8_t buf[128];
	mp_builder_t bl;
	size_t n;
	mp_kr_t kr;
	uint32_t filled = 0;
	(void)state;

	mp_builder_init(&bl, buf, sizeof buf, 0);
	mp_builder_set_remote(&bl, ds, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_port(&bl, x, MP_MSG_TYPE_MAKE_SEND);
	assert_int_equal(mp_builder_finish(&bl, &n, NULL), MP_OK);
	assert_int_equal(t_send(a, buf, (uint32_t)n), MP_MACH_MSG_SUCCESS);
	while ((kr = mp_port_allocate(b, MP_PORT_RIGHT_DEAD_NAME, &dn)) == MP_KERN_SUCCESS)
		filled++;
	assert_int_equal(kr, MP_KERN_NO_SPACE);
	assert_true(filled > 1000);
	kr = t_recv(b, buf, sizeof buf, d, 0);
	assert_int_equal(kr, MP_MACH_RCV_BODY_ERROR | MP_MACH_MSG_IPC_SPACE);
	assert_int_equal(t_get32(buf, 28), MP_PORT_NULL);
	assert_int_equal(t_status(a, x).mps_srights, 0); /* the right was destroyed */
}

/* mp_send_clone / mp_send_drop on a send right whose port died. */
static void handles_on_dead_port(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_recv_t r;
	mp_send_t s, s2;
	mp_port_type_t type;
	mp_port_name_t name;
	(void)state;

	assert_int_equal(mp_recv_allocate(a, NULL, 0, &r), MP_KERN_SUCCESS);
	s.task = b;
	s.name = t_give_send(a, r.name, b);
	mp_recv_drop(&r);
	assert_int_equal(mp_send_clone(&s, &s2), MP_KERN_SUCCESS);
	assert_int_equal(t_refs(b, s.name, MP_PORT_RIGHT_DEAD_NAME), 2);
	name = s.name;
	mp_send_drop(&s2);
	mp_send_drop(&s);
	assert_int_equal(mp_port_type(b, name, &type), MP_KERN_INVALID_NAME);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(header_swap),
		T(dest_send_right_consumed_fires_no_senders),
		T(port_descriptor_copyout_to_self),
		T(right_dedup),
		T(ool_copyout),
		T(ool_ports_copyout),
		T(guarded_copyout),
		T(trailer_elements),
		T(too_large),
		T(receive_keeps_diagnosis),
		T(receive_name_rules),
		T(receive_from_port_set),
		T(receiver_sees_port_changed),
		T(receiver_wakes_for_message),
		T(sequence_numbers),
		T(port_peek),
		T(handles),
		T(handles_on_dead_port),
		T(take_descriptor_rights),
		T(copyout_with_no_room),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
