/*
 * lib/port/tests/msg_send_test.c: the send path of xnu-abi.md §6.1-6.5 and
 * what each failure leaves the sender (§6.4 classes A-E).
 */
#define _GNU_SOURCE /* usleep */
#include <pthread.h>
#include <unistd.h>

#include <errno.h>
#include <sys/mman.h>

#include "lib/port/tests/port_test_support.h"

/* Step 1-11 shape errors come from lib/msg's parser with XNU's codes;
 * class A: nothing happened. */
static void shape_errors_are_class_a(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port_send(t);
	uint8_t buf[64] = { 0 };
	(void)state;

	assert_int_equal(t_send(t, buf, 20), MP_MACH_SEND_MSG_TOO_SMALL);
	assert_int_equal(t_send(t, buf, 26), MP_MACH_SEND_MSG_TOO_SMALL);
	t_simple(buf, sizeof(buf), p, MP_MSG_TYPE_MOVE_SEND, 0, 0, 1, 0);
	mp_store_le32(buf + MP_MSGH_BITS_OFFSET, MP_MSGH_BITS(16, 0)); /* remote MOVE_RECEIVE */
	assert_int_equal(t_send(t, buf, 24), MP_MACH_SEND_INVALID_HEADER);
	assert_int_equal(t_refs(t, p, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(t_status(t, p).mps_msgcount, 0);
}

/* §6.2 destination rules: any copyin failure is INVALID_DEST (class A). */
static void dest_rules(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t r = t_port(a), ps, dn, s;
	uint8_t buf[64];
	uint32_t n;
	(void)state;

	assert_int_equal(mp_port_allocate(a, MP_PORT_RIGHT_PORT_SET, &ps), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_allocate(a, MP_PORT_RIGHT_DEAD_NAME, &dn), MP_KERN_SUCCESS);
	n = t_simple(buf, sizeof(buf), MP_PORT_MAKE(999, 3), MP_MSG_TYPE_COPY_SEND, 0, 0, 1, 0);
	assert_int_equal(t_send(a, buf, n), MP_MACH_SEND_INVALID_DEST);
	n = t_simple(buf, sizeof(buf), r, MP_MSG_TYPE_COPY_SEND, 0, 0, 1, 0);
	assert_int_equal(t_send(a, buf, n), MP_MACH_SEND_INVALID_DEST); /* receive only */
	n = t_simple(buf, sizeof(buf), r, MP_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 1, 0);
	assert_int_equal(t_send(a, buf, n), MP_MACH_SEND_INVALID_DEST);
	n = t_simple(buf, sizeof(buf), ps, MP_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0);
	assert_int_equal(t_send(a, buf, n), MP_MACH_SEND_INVALID_DEST);
	n = t_simple(buf, sizeof(buf), dn, MP_MSG_TYPE_COPY_SEND, 0, 0, 1, 0);
	assert_int_equal(t_send(a, buf, n), MP_MACH_SEND_INVALID_DEST);
	/* MAKE_SEND needs the receive right */
	s = t_give_send(a, r, b);
	n = t_simple(buf, sizeof(buf), s, MP_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0);
	assert_int_equal(t_send(b, buf, n), MP_MACH_SEND_INVALID_DEST);
	/* a send right whose port died: converted, INVALID_DEST, now a dead name */
	assert_int_equal(mp_port_mod_refs(a, r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	n = t_simple(buf, sizeof(buf), s, MP_MSG_TYPE_COPY_SEND, 0, 0, 1, 0);
	assert_int_equal(t_send(b, buf, n), MP_MACH_SEND_INVALID_DEST);
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(mp_port_deallocate(b, s), MP_KERN_SUCCESS);
}

/* §6.2 reply rules (11417: a dead-name entry is INVALID_REPLY) and the
 * voucher (no kernel voucher objects: a valid name is INVALID_VOUCHER;
 * a NULL name is accepted, §10.2). Class A: the dest is untouched. */
static void reply_and_voucher_rules(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t d = t_port_send(t), r = t_port(t), dn;
	uint8_t buf[64];
	uint32_t n;
	mp_builder_t b;
	size_t len;
	(void)state;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_DEAD_NAME, &dn), MP_KERN_SUCCESS);
	n = t_simple(buf, sizeof(buf), d, MP_MSG_TYPE_MOVE_SEND, MP_PORT_MAKE(999, 3),
		     MP_MSG_TYPE_MAKE_SEND_ONCE, 1, 0);
	assert_int_equal(t_send(t, buf, n), MP_MACH_SEND_INVALID_REPLY);
	n = t_simple(buf, sizeof(buf), d, MP_MSG_TYPE_MOVE_SEND, dn, MP_MSG_TYPE_COPY_SEND, 1, 0);
	assert_int_equal(t_send(t, buf, n), MP_MACH_SEND_INVALID_REPLY);
	n = t_simple(buf, sizeof(buf), d, MP_MSG_TYPE_MOVE_SEND, r, MP_MSG_TYPE_COPY_SEND, 1, 0);
	assert_int_equal(t_send(t, buf, n), MP_MACH_SEND_INVALID_REPLY); /* no send right */
	assert_int_equal(t_refs(t, d, MP_PORT_RIGHT_SEND), 1);

	mp_builder_init(&b, buf, sizeof(buf), 0);
	mp_builder_set_remote(&b, d, MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_voucher(&b, r, MP_MSG_TYPE_COPY_SEND);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK);
	assert_int_equal(t_send(t, buf, (uint32_t)len), MP_MACH_SEND_INVALID_VOUCHER);
	mp_builder_init(&b, buf, sizeof(buf), 0);
	mp_builder_set_remote(&b, d, MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_voucher(&b, MP_PORT_NULL, MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_id(&b, 77);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK);
	assert_int_equal(t_send(t, buf, (uint32_t)len), MP_MACH_MSG_SUCCESS);
	/* §10.3: the voucher bits reach a MACH_RCV_VOUCHER receiver only */
	assert_int_equal(t_recv(t, buf, sizeof(buf), d, MP_MACH_RCV_VOUCHER), MP_MACH_MSG_SUCCESS);
	assert_int_equal(MP_MSGH_BITS_VOUCHER(t_get32(buf, 0)), MP_MSG_TYPE_COPY_SEND);
	assert_int_equal(t_get32(buf, 16), 0);
	assert_int_equal(mp_port_deallocate(t, dn), MP_KERN_SUCCESS);
}

/* tests/voucher_entry_18826844.c, for dest == reply: MOVE+MOVE with one
 * uref is INVALID_DEST; MOVE+COPY consumes the last uref. */
static void dest_equals_reply(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), s = t_give_send(a, p, b);
	uint8_t buf[64];
	uint32_t n, refs;
	(void)state;

	n = t_simple(buf, sizeof(buf), s, MP_MSG_TYPE_MOVE_SEND, s, MP_MSG_TYPE_MOVE_SEND, 1, 0);
	assert_int_equal(t_send(b, buf, n), MP_MACH_SEND_INVALID_DEST);
	assert_int_equal(t_refs(b, s, MP_PORT_RIGHT_SEND), 1);
	n = t_simple(buf, sizeof(buf), s, MP_MSG_TYPE_MOVE_SEND, s, MP_MSG_TYPE_COPY_SEND, 2, 0);
	assert_int_equal(t_send(b, buf, n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_port_get_refs(b, s, MP_PORT_RIGHT_SEND, &refs), MP_KERN_INVALID_NAME);
	/* with two urefs MOVE+MOVE works */
	s = t_give_send(a, p, b);
	assert_int_equal(mp_port_mod_refs(b, s, MP_PORT_RIGHT_SEND, 1), MP_KERN_SUCCESS);
	n = t_simple(buf, sizeof(buf), s, MP_MSG_TYPE_MOVE_SEND, s, MP_MSG_TYPE_MOVE_SEND, 3, 0);
	assert_int_equal(t_send(b, buf, n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv_id(a, p), 2);
	assert_int_equal(t_recv_id(a, p), 3);
}

/* A complex message builder for the class tests. */
static uint32_t complex4(uint8_t *buf, size_t cap, mp_port_name_t dest, uint32_t ddisp,
			 const mp_port_name_t names[4], const uint32_t disps[4])
{
	mp_builder_t b;
	size_t n = 0;
	mp_builder_init(&b, buf, cap, 0);
	mp_builder_set_remote(&b, dest, ddisp);
	mp_builder_set_id(&b, 9);
	for (int i = 0; i < 4; i++)
		mp_builder_add_port(&b, names[i], disps[i]);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	return (uint32_t)n;
}

/* §6.4 class C: header and descriptors 0..k-1 destroyed, k+1.. untouched. */
static void body_failure_is_class_c(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(a), x = t_port(b), y = t_port_send(b), z = t_port_send(b);
	mp_port_name_t dest = t_give_send(a, d, b), xs = t_give_send(b, x, a);
	uint8_t buf[128];
	uint32_t n;
	mp_port_name_t names[4] = { x, y, MP_PORT_MAKE(999, 3), z };
	uint32_t disps[4] = { MP_MSG_TYPE_MOVE_RECEIVE, MP_MSG_TYPE_MOVE_SEND, MP_MSG_TYPE_COPY_SEND,
			      MP_MSG_TYPE_MOVE_SEND };
	(void)state;

	assert_int_equal(mp_port_mod_refs(b, dest, MP_PORT_RIGHT_SEND, 1), MP_KERN_SUCCESS);
	n = complex4(buf, sizeof(buf), dest, MP_MSG_TYPE_MOVE_SEND, names, disps);
	assert_int_equal(t_send(b, buf, n), MP_MACH_SEND_INVALID_RIGHT);
	assert_int_equal(t_refs(b, dest, MP_PORT_RIGHT_SEND), 1); /* the header's uref is gone */
	assert_int_equal(t_status(a, d).mps_msgcount, 0);
	assert_int_equal(t_type(a, xs), MP_PORT_TYPE_DEAD_NAME); /* moved receive: destroyed */
	assert_int_equal(t_type(b, y), MP_PORT_TYPE_RECEIVE);    /* moved send: lost */
	assert_int_equal(t_type(b, z), MP_PORT_TYPE_SEND_RECEIVE); /* after k: kept */
	assert_int_equal(t_refs(b, z, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(mp_port_deallocate(a, xs), MP_KERN_SUCCESS);
}

/* §6.4 class B/C: a send-once destination that is destroyed by a failed
 * send delivers MACH_NOTIFY_SEND_ONCE. */
static void failed_send_once_dest_notifies(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(a), so = t_give_sonce(a, d, b);
	uint8_t buf[128];
	uint32_t n;
	mp_port_name_t names[4] = { MP_PORT_MAKE(999, 3), 0, 0, 0 };
	uint32_t disps[4] = { MP_MSG_TYPE_COPY_SEND, 0, 0, 0 };
	(void)state;

	n = complex4(buf, sizeof(buf), so, MP_MSG_TYPE_MOVE_SEND_ONCE, names, disps);
	assert_int_equal(t_send(b, buf, n), MP_MACH_SEND_INVALID_RIGHT);
	assert_int_equal(t_recv_id(a, d), MP_MACH_NOTIFY_SEND_ONCE);
}

/* §6.3 OOL: an unreadable region is INVALID_MEMORY (class C). */
static void ool_invalid_memory(void **state)
{
	mp_task_t *a = t_task();
	mp_port_name_t d = t_port_send(a);
	uint8_t buf[128];
	mp_builder_t b;
	size_t n;
	(void)state;

	mp_builder_init(&b, buf, sizeof(buf), 0);
	mp_builder_set_remote(&b, d, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_ool(&b, 0x10, 64, MP_MSG_VIRTUAL_COPY, 0);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	assert_int_equal(t_send(a, buf, (uint32_t)n), MP_MACH_SEND_INVALID_MEMORY);
	assert_int_equal(t_refs(a, d, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(t_status(a, d).mps_msgcount, 0);
}

/* §6.3 OOL deallocate: the sender's region goes, page-rounded. */
static void ool_deallocate_removes_region(void **state)
{
	mp_task_t *a = t_task();
	mp_port_name_t d = t_port_send(a);
	uint8_t buf[256];
	uint64_t addr = 0;
	mp_builder_t b;
	size_t n;
	mp_kern_stats_t before, after;
	(void)state;

	assert_int_equal(mp_vm_allocate(a, &addr, 3 * 4096), MP_KERN_SUCCESS);
	memset((void *)(uintptr_t)addr, 0x5a, 3 * 4096);
	mp_kern_get_stats(mp_kern_shared(), &before);
	mp_builder_init(&b, buf, sizeof(buf), 0);
	mp_builder_set_remote(&b, d, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_ool(&b, addr, 3 * 4096, MP_MSG_PHYSICAL_COPY, 1);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	assert_int_equal(t_send(a, buf, (uint32_t)n), MP_MACH_MSG_SUCCESS);
	mp_kern_get_stats(mp_kern_shared(), &after);
	/* the sender's region is gone (unmapped: msync finds no mapping);
	 * the message holds a copy */
	assert_int_equal(msync((void *)(uintptr_t)addr, 3 * 4096, MS_ASYNC), -1);
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(after.vm_regions, before.vm_regions);
	assert_int_equal(after.vm_bytes, before.vm_bytes); /* 3 pages out of the space, 3 into the message */
	assert_int_equal(t_recv(a, buf, sizeof(buf), d, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(((uint8_t *)(uintptr_t)t_get64(buf, 28))[4096 * 3 - 1], 0x5a);
	mp_msg_destroy(a, buf, sizeof(buf));
}

/* §6.4 class D / mach_msg_transport.c: pseudo-receive on a full queue gives
 * every right back (COPY_SEND and MAKE_SEND as extra urefs, §10.12). */
static void pseudo_receive_gives_rights_back(void **state)
{
	mp_task_t *t = t_task();
	mp_port_options_t o = { MP_MPO_QLIMIT | MP_MPO_INSERT_SEND_RIGHT, 1 };
	mp_port_name_t d, x = t_port_send(t), y = t_port_send(t), r = t_port(t);
	uint8_t buf[256], fill[64];
	mp_builder_t b;
	size_t n;
	uint32_t fn;
	(void)state;

	assert_int_equal(mp_port_construct(t, &o, 0, &d), MP_KERN_SUCCESS);
	fn = t_simple(fill, sizeof(fill), d, MP_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0);
	assert_int_equal(t_send(t, fill, fn), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, x, MP_PORT_RIGHT_SEND, 1), MP_KERN_SUCCESS);

	mp_builder_init(&b, buf, sizeof(buf), 0);
	mp_builder_set_remote(&b, d, MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_id(&b, 5);
	mp_builder_add_port(&b, x, MP_MSG_TYPE_MOVE_SEND);
	mp_builder_add_port(&b, x, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_port(&b, y, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_port(&b, r, MP_MSG_TYPE_MAKE_SEND_ONCE);
	mp_builder_add_port(&b, r, MP_MSG_TYPE_MOVE_RECEIVE);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	assert_int_equal(mp_mach_msg(t, buf, MP_MACH_SEND_MSG | MP_MACH_SEND_TIMEOUT, (uint32_t)n, 0,
				     0, 0),
			 MP_MACH_SEND_TIMED_OUT);
	/* header not swapped: remote = dest, carried type 17 */
	assert_int_equal(t_get32(buf, 8), d);
	assert_int_equal(MP_MSGH_BITS_REMOTE(t_get32(buf, 0)), MP_MSG_TYPE_PORT_SEND);
	/* the descriptors are rewritten to carried types, names coalesced */
	assert_int_equal(t_get32(buf, 28), x);
	assert_int_equal(buf[28 + 10], MP_MSG_TYPE_PORT_SEND);
	assert_int_equal(t_get32(buf, 40), x);
	assert_int_equal(t_get32(buf, 52), y);
	assert_int_equal(buf[64 + 10], MP_MSG_TYPE_PORT_SEND_ONCE);
	assert_int_equal(t_type(t, t_get32(buf, 64)), MP_PORT_TYPE_SEND_ONCE);
	/* a receive-only name was freed by the move: it comes back under a
	 * new name ("names may change", §6.4 D) */
	assert_int_equal(buf[76 + 10], MP_MSG_TYPE_PORT_RECEIVE);
	assert_int_equal(t_type(t, t_get32(buf, 76)), MP_PORT_TYPE_RECEIVE);
	/* x: 2 urefs, MOVE came back, COPY came back as one more: 3 */
	assert_int_equal(t_refs(t, x, MP_PORT_RIGHT_SEND), 3);
	assert_int_equal(t_refs(t, y, MP_PORT_RIGHT_SEND), 2);
	assert_int_equal(t_status(t, y).mps_mscount, 2);
	/* the dest's COPY_SEND came back as an extra uref too (§10.12) */
	assert_int_equal(t_refs(t, d, MP_PORT_RIGHT_SEND), 2);
	assert_int_equal(t_status(t, d).mps_msgcount, 1);
	mp_msg_destroy(t, buf, sizeof(buf)); /* releases what came back */
	assert_int_equal(t_refs(t, x, MP_PORT_RIGHT_SEND), 1);
}

/* §6.5: a send-once destination ignores the queue limit. */
static void send_once_ignores_qlimit(void **state)
{
	mp_task_t *t = t_task();
	mp_port_options_t o = { MP_MPO_QLIMIT, 1 };
	mp_port_name_t d, so;
	uint8_t buf[64];
	uint32_t n;
	(void)state;

	assert_int_equal(mp_port_construct(t, &o, 0, &d), MP_KERN_SUCCESS);
	n = t_simple(buf, sizeof(buf), d, MP_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0);
	assert_int_equal(t_send(t, buf, n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_send(t, buf, n), MP_MACH_SEND_TIMED_OUT);
	so = t_give_sonce(t, d, t);
	n = t_simple(buf, sizeof(buf), so, MP_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 2, 0);
	assert_int_equal(t_send(t, buf, n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_status(t, d).mps_msgcount, 2);
	/* FIFO per port */
	assert_int_equal(t_recv_id(t, d), 1);
	assert_int_equal(t_recv_id(t, d), 2);
}

/* §6.3 / §6.4 class E: MOVE_RECEIVE of the destination itself is CIRCULAR:
 * SUCCESS, and the message (with the port) is destroyed. */
static void circular_is_class_e(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port_send(a), bs = t_give_send(a, d, b), x = t_port(a);
	mp_port_name_t xs = t_give_send(a, x, a);
	uint8_t buf[128];
	mp_builder_t bl;
	size_t n;
	(void)state;

	mp_builder_init(&bl, buf, sizeof(buf), 0);
	mp_builder_set_remote(&bl, d, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_port(&bl, d, MP_MSG_TYPE_MOVE_RECEIVE);
	/* a second receive right after the message became CIRCULAR: the
	 * circularity walk must not loop (kern_ops found this hang) */
	mp_builder_add_port(&bl, x, MP_MSG_TYPE_MOVE_RECEIVE);
	assert_int_equal(mp_builder_finish(&bl, &n, NULL), MP_OK);
	assert_int_equal(t_send(a, buf, (uint32_t)n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_type(a, xs), MP_PORT_TYPE_DEAD_NAME); /* destroyed with the message */
	assert_int_equal(mp_port_deallocate(a, xs), MP_KERN_SUCCESS);
	assert_int_equal(t_type(b, bs), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(t_type(a, d), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(mp_port_deallocate(b, bs), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(a, d), MP_KERN_SUCCESS);
}

/* §6.2: a dead send-once destination with no dead-name request is
 * consumed and the message silently dropped; with one, INVALID_DEST. */
static void dead_send_once_dest(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t d = t_port(a), n1 = t_port(b), so1, so2, prev;
	mp_port_type_t type;
	uint8_t buf[64];
	uint32_t n;
	(void)state;

	so1 = t_give_sonce(a, d, b);
	so2 = t_give_sonce(a, d, b);
	assert_int_equal(mp_port_request_notification(b, so2, MP_MACH_NOTIFY_DEAD_NAME, 0, n1,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(a, d, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	n = t_simple(buf, sizeof(buf), so1, MP_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 1, 0);
	assert_int_equal(t_send(b, buf, n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_port_type(b, so1, &type), MP_KERN_INVALID_NAME);
	n = t_simple(buf, sizeof(buf), so2, MP_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 1, 0);
	assert_int_equal(t_send(b, buf, n), MP_MACH_SEND_INVALID_DEST);
	assert_int_equal(t_type(b, so2), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(t_refs(b, so2, MP_PORT_RIGHT_DEAD_NAME), 2);
	assert_int_equal(t_recv_id(b, n1), MP_MACH_NOTIFY_DEAD_NAME);
	assert_int_equal(mp_port_mod_refs(b, so2, MP_PORT_RIGHT_DEAD_NAME, -2), MP_KERN_SUCCESS);
}

/* §6.3: NULL and DEAD names in descriptors pass with any disposition;
 * a body dead name with MOVE_SEND is accepted and loses one uref. */
static void null_and_dead_in_body(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t d = t_port_send(t), dn;
	uint8_t buf[128];
	uint32_t n;
	mp_port_name_t names[4] = { MP_PORT_NULL, MP_PORT_DEAD, 0, MP_PORT_NULL };
	uint32_t disps[4] = { MP_MSG_TYPE_MOVE_RECEIVE, MP_MSG_TYPE_MOVE_SEND, MP_MSG_TYPE_MOVE_SEND,
			      MP_MSG_TYPE_PORT_NAME };
	(void)state;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_DEAD_NAME, &dn), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, dn, MP_PORT_RIGHT_DEAD_NAME, 1), MP_KERN_SUCCESS);
	names[2] = dn;
	n = complex4(buf, sizeof(buf), d, MP_MSG_TYPE_COPY_SEND, names, disps);
	assert_int_equal(t_send(t, buf, n), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_refs(t, dn, MP_PORT_RIGHT_DEAD_NAME), 1);
	assert_int_equal(t_recv(t, buf, sizeof(buf), d, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(buf, 28), MP_PORT_NULL);
	assert_int_equal(buf[28 + 10], MP_MSG_TYPE_PORT_RECEIVE);
	assert_int_equal(t_get32(buf, 40), MP_PORT_DEAD);
	assert_int_equal(t_get32(buf, 52), MP_PORT_DEAD);
	assert_int_equal(buf[52 + 10], MP_MSG_TYPE_PORT_SEND);
	assert_int_equal(buf[64 + 10], 0); /* a non-right disposition arrives as 0 */
	assert_int_equal(mp_port_deallocate(t, dn), MP_KERN_SUCCESS);
}

/* §6.5: a sender blocked on a full queue goes on when a receiver makes
 * room, and returns TIMED_OUT (pseudo-receive) when its timeout ends. */
typedef struct {
	mp_task_t *t;
	mp_port_name_t port;
	int32_t id;
} recv_arg_t;

static void *recv_later(void *p)
{
	recv_arg_t *a = p;
	usleep(50 * 1000);
	a->id = t_recv_id(a->t, a->port);
	return NULL;
}

static void blocked_sender(void **state)
{
	mp_task_t *t = t_task();
	mp_port_options_t o = { MP_MPO_QLIMIT | MP_MPO_INSERT_SEND_RIGHT, 1 };
	mp_port_name_t d;
	uint8_t buf[64];
	uint32_t n;
	pthread_t th;
	recv_arg_t arg;
	(void)state;

	assert_int_equal(mp_port_construct(t, &o, 0, &d), MP_KERN_SUCCESS);
	n = t_simple(buf, sizeof(buf), d, MP_MSG_TYPE_COPY_SEND, 0, 0, 1, 0);
	assert_int_equal(t_send(t, buf, n), MP_MACH_MSG_SUCCESS);
	n = t_simple(buf, sizeof(buf), d, MP_MSG_TYPE_COPY_SEND, 0, 0, 2, 0);
	assert_int_equal(mp_mach_msg(t, buf, MP_MACH_SEND_MSG | MP_MACH_SEND_TIMEOUT, n, 0, 0, 30),
			 MP_MACH_SEND_TIMED_OUT);
	arg = (recv_arg_t){ t, d, 0 };
	assert_int_equal(pthread_create(&th, NULL, recv_later, &arg), 0);
	n = t_simple(buf, sizeof(buf), d, MP_MSG_TYPE_COPY_SEND, 0, 0, 3, 0);
	assert_int_equal(mp_mach_msg(t, buf, MP_MACH_SEND_MSG, n, 0, 0, 0), MP_MACH_MSG_SUCCESS);
	pthread_join(th, NULL);
	assert_int_equal(arg.id, 1);
	assert_int_equal(t_recv_id(t, d), 3);
	/* the timed-out message came back: its COPY_SEND is one more uref */
	assert_int_equal(t_refs(t, d, MP_PORT_RIGHT_SEND), 2);
}

/* §6.5: the port dies while the sender waits: SUCCESS, message destroyed. */
typedef struct {
	mp_task_t *t;
	mp_port_name_t port;
} kill_arg_t;

static void *destroy_later(void *p)
{
	kill_arg_t *a = p;
	usleep(50 * 1000);
	(void)mp_port_destruct(a->t, a->port, 0, 0);
	return NULL;
}

static void dest_dies_while_sender_blocked(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_options_t o = { MP_MPO_QLIMIT, 1 };
	mp_port_name_t d, s;
	uint8_t buf[64];
	uint32_t n;
	pthread_t th;
	kill_arg_t arg;
	(void)state;

	assert_int_equal(mp_port_construct(a, &o, 0, &d), MP_KERN_SUCCESS);
	s = t_give_send(a, d, b);
	n = t_simple(buf, sizeof(buf), s, MP_MSG_TYPE_COPY_SEND, 0, 0, 1, 0);
	assert_int_equal(t_send(b, buf, n), MP_MACH_MSG_SUCCESS);
	arg = (kill_arg_t){ a, d };
	assert_int_equal(pthread_create(&th, NULL, destroy_later, &arg), 0);
	n = t_simple(buf, sizeof(buf), s, MP_MSG_TYPE_COPY_SEND, 0, 0, 2, 0);
	assert_int_equal(mp_mach_msg(b, buf, MP_MACH_SEND_MSG, n, 0, 0, 0), MP_MACH_MSG_SUCCESS);
	pthread_join(th, NULL);
	assert_int_equal(t_type(b, s), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(mp_port_deallocate(b, s), MP_KERN_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(shape_errors_are_class_a),
		T(dest_rules),
		T(reply_and_voucher_rules),
		T(dest_equals_reply),
		T(body_failure_is_class_c),
		T(failed_send_once_dest_notifies),
		T(ool_invalid_memory),
		T(ool_deallocate_removes_region),
		T(pseudo_receive_gives_rights_back),
		T(send_once_ignores_qlimit),
		T(circular_is_class_e),
		T(dead_send_once_dest),
		T(null_and_dead_in_body),
		T(blocked_sender),
		T(dest_dies_while_sender_blocked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
