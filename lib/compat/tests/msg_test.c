/*
 * lib/compat/tests/msg_test.c: Apple's message calls (libsyscall
 * mach_msg.c, mig_reply_port.c, mig_reply_setup.c; xnu-11417.101.15) on
 * compat's tasks, one test per function and per rule mirrored; each
 * test's name or comment names the function. Run once on the embedded
 * kernel and once on machportd (BUILD).
 */
#include "lib/compat/tests/msg_test_support.h"

#include <pthread.h>

/* mach_msg2's options by their MACH64_* names, the way XNU's tests spell
 * them; each is the mach_msg option of the same name (XNU message.h). */
_Static_assert(MACH64_SEND_MSG == 1 && MACH64_RCV_MSG == 2 && MACH64_RCV_TIMEOUT == 0x100 &&
		       MACH64_SEND_OVERRIDE == 0x20 && MACH64_SEND_USER_CALL == MACH64_SEND_MQ_CALL,
	       "MACH64_* mach_msg options");

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t header;
	uint32_t payload[4];
} simple_msg_t;

typedef struct {
	mach_msg_header_t header;
	uint32_t payload[4];
	mach_msg_max_trailer_t trailer;
} simple_rcv_t;

typedef struct {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	mach_msg_ool_descriptor_t ool;
	mach_msg_ool_ports_descriptor_t ool_ports;
	mach_msg_port_descriptor_t receive;
} complex_msg_t;

typedef struct {
	complex_msg_t msg;
	mach_msg_max_trailer_t trailer;
} complex_rcv_t;
#pragma pack(pop)

static void simple_init(simple_msg_t *m, mach_port_t dest, mach_msg_type_name_t ddisp, mach_port_t reply,
			mach_msg_type_name_t rdisp, mach_msg_id_t id)
{
	memset(m, 0, sizeof *m);
	m->header.msgh_bits = MACH_MSGH_BITS(ddisp, rdisp);
	m->header.msgh_size = sizeof *m;
	m->header.msgh_remote_port = dest;
	m->header.msgh_local_port = reply;
	m->header.msgh_id = id;
	for (uint32_t i = 0; i < 4; i++)
		m->payload[i] = 0x1000u + i;
}

/* mach_msg_send, mach_msg_receive, mach_msg (libsyscall) and
 * mig_get_reply_port: a request with the thread's reply port
 * (MAKE_SEND_ONCE), received, answered to the send-once right it carried,
 * and the answer received on the reply port. */
static void test_mach_msg_send_receive_round_trip_with_mig_reply_port(void **state)
{
	mp_task_t *self;
	mach_port_t service, reply_port;
	simple_msg_t req, rep;
	simple_rcv_t in;

	(void)state;
	(void)mp_compat_set_current(ct_task());
	self = ct_self();
	service = ct_port_send(self);
	reply_port = mig_get_reply_port();
	assert_true(MACH_PORT_VALID(reply_port));
	assert_int_equal(mig_get_reply_port(), reply_port); /* the thread's, kept */
	assert_int_equal(ct_type(self, reply_port), MACH_PORT_TYPE_RECEIVE);

	simple_init(&req, service, MACH_MSG_TYPE_COPY_SEND, reply_port, MACH_MSG_TYPE_MAKE_SEND_ONCE, 400);
	assert_int_equal(mach_msg_send(&req.header), MACH_MSG_SUCCESS);

	memset(&in, 0, sizeof in);
	in.header.msgh_size = sizeof in;
	in.header.msgh_local_port = service;
	assert_int_equal(mach_msg_receive(&in.header), MACH_MSG_SUCCESS);
	assert_int_equal(in.header.msgh_id, 400);
	assert_int_equal(in.header.msgh_size, sizeof(simple_msg_t));
	assert_int_equal(in.header.msgh_local_port, service);
	assert_int_equal(MACH_MSGH_BITS_REMOTE(in.header.msgh_bits), MACH_MSG_TYPE_PORT_SEND_ONCE);
	assert_int_equal(in.payload[3], 0x1003u);
	assert_int_equal(in.trailer.msgh_trailer_size, MP_MSG_TRAILER_MINIMUM_SIZE);

	simple_init(&rep, in.header.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 500);
	assert_int_equal(mach_msg(&rep.header, MACH_SEND_MSG, sizeof rep, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
				  MACH_PORT_NULL),
			 MACH_MSG_SUCCESS);
	memset(&in, 0, sizeof in);
	assert_int_equal(mach_msg(&in.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof in, reply_port, 0,
				  MACH_PORT_NULL),
			 MACH_MSG_SUCCESS);
	assert_int_equal(in.header.msgh_id, 500);
	assert_int_equal(in.header.msgh_local_port, reply_port);
	/* the send-once right was used up: only the reply port's receive right */
	assert_int_equal(ct_type(self, reply_port), MACH_PORT_TYPE_RECEIVE);
	mig_dealloc_reply_port(reply_port);
	assert_int_equal(ct_type(self, reply_port), 0);
}

/* mach_msg_overwrite (libsyscall: rcv_msg != NULL -> MACH64_MSG_VECTOR with
 * msgv_rcv_addr): a combined send and receive leaves the send buffer as it
 * was and receives into the other one; a receive-only call too. */
static void test_mach_msg_overwrite_receives_into_separate_buffer(void **state)
{
	mach_port_t port;
	simple_msg_t out, copy;
	simple_rcv_t in;

	(void)state;
	(void)mp_compat_set_current(ct_task());
	port = ct_port_send(ct_self());
	simple_init(&out, port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 7);
	copy = out;
	memset(&in, 0xAB, sizeof in);
	assert_int_equal(mach_msg_overwrite(&out.header, MACH_SEND_MSG | MACH_RCV_MSG, sizeof out, sizeof in, port,
					    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL, &in.header, 0),
			 MACH_MSG_SUCCESS);
	assert_memory_equal(&out, &copy, sizeof out); /* not written */
	assert_int_equal(in.header.msgh_id, 7);
	assert_int_equal(in.header.msgh_size, sizeof(simple_msg_t));
	assert_int_equal(in.payload[0], 0x1000u);

	/* receive only */
	assert_int_equal(mach_msg_send(&out.header), MACH_MSG_SUCCESS);
	memset(&in, 0, sizeof in);
	assert_int_equal(mach_msg_overwrite(&out.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof in, port, 0,
					    MACH_PORT_NULL, &in.header, 0),
			 MACH_MSG_SUCCESS);
	assert_memory_equal(&out, &copy, sizeof out);
	assert_int_equal(in.header.msgh_id, 7);
	/* with rcv_msg NULL it receives into msg (mach_msg) */
	assert_int_equal(mach_msg_send(&out.header), MACH_MSG_SUCCESS);
	memset(&in, 0, sizeof in);
	assert_int_equal(mach_msg_overwrite(&in.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof in, port, 0,
					    MACH_PORT_NULL, NULL, 0),
			 MACH_MSG_SUCCESS);
	assert_int_equal(in.header.msgh_local_port, port);
	assert_int_equal(in.header.msgh_id, 7);
}

/* XNU ipc_mqueue_msg_too_large through mach_msg: without MACH_RCV_LARGE a
 * message too large for the buffer is destroyed (MACH_RCV_TOO_LARGE); with
 * it the message stays queued, msgh_size says how large it is, and a large
 * enough buffer receives it. */
static void test_mach_msg_rcv_too_large_and_rcv_large(void **state)
{
	mach_port_t port;
	simple_msg_t out;
	union {
		mach_msg_header_t header;
		uint8_t bytes[256];
	} in;

	(void)state;
	(void)mp_compat_set_current(ct_task());
	port = ct_port_send(ct_self());
	simple_init(&out, port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1);
	assert_int_equal(mach_msg_send(&out.header), MACH_MSG_SUCCESS);
	assert_int_equal(mach_msg(&in.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 32, port, 0, MACH_PORT_NULL),
			 MACH_RCV_TOO_LARGE);
	assert_int_equal(ct_status(ct_self(), port).mps_msgcount, 0); /* destroyed */

	out.header.msgh_id = 2;
	assert_int_equal(mach_msg_send(&out.header), MACH_MSG_SUCCESS);
	memset(&in, 0, sizeof in);
	assert_int_equal(mach_msg(&in.header, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TIMEOUT, 0, 32, port, 0,
				  MACH_PORT_NULL),
			 MACH_RCV_TOO_LARGE);
	assert_true(in.header.msgh_size >= sizeof out);
	assert_true(in.header.msgh_size + MAX_TRAILER_SIZE <= sizeof in);
	assert_int_equal(ct_status(ct_self(), port).mps_msgcount, 1); /* still queued */
	assert_int_equal(mach_msg(&in.header, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TIMEOUT, 0,
				  in.header.msgh_size + MAX_TRAILER_SIZE, port, 0, MACH_PORT_NULL),
			 MACH_MSG_SUCCESS);
	assert_int_equal(in.header.msgh_id, 2);
}

static void aux_msg_init(simple_msg_t *m, mach_port_t port, uint8_t *aux, uint32_t aux_size)
{
	simple_init(m, port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 33);
	memset(aux, 0, aux_size);
	for (uint32_t i = sizeof(mach_msg_aux_header_t); i < aux_size; i++)
		aux[i] = (uint8_t)i;
	((mach_msg_aux_header_t *)(void *)aux)->msgdh_size = aux_size;
}

static mach_msg_return_t aux_send(simple_msg_t *m, uint8_t *aux, uint32_t aux_size)
{
	mach_msg_vector_t v[2] = {
		{ .msgv_data = (uint64_t)(uintptr_t)m, .msgv_send_size = sizeof *m },
		{ .msgv_data = (uint64_t)(uintptr_t)aux, .msgv_send_size = aux_size },
	};

	return mach_msg2(v, MACH64_SEND_MSG | MACH64_MSG_VECTOR | MACH64_SEND_MQ_CALL, m->header, 2, 0,
			 MACH_PORT_NULL, 0, 0);
}

/* mach_msg2 (the inline function's shape) with MACH64_MSG_VECTOR and aux
 * data: sent with the message, received into the aux vector whole. */
static void test_mach_msg2_vector_with_aux_data(void **state)
{
	mach_port_t port;
	simple_msg_t out;
	simple_rcv_t in;
	uint64_t aux_words[8];
	uint8_t *aux = (uint8_t *)aux_words, rcv_aux[64];

	(void)state;
	(void)mp_compat_set_current(ct_task());
	port = ct_port_send(ct_self());
	aux_msg_init(&out, port, aux, 40);
	assert_int_equal(aux_send(&out, aux, 40), MACH_MSG_SUCCESS);

	memset(&in, 0, sizeof in);
	memset(rcv_aux, 0, sizeof rcv_aux);
	mach_msg_vector_t v[2] = {
		{ .msgv_data = (uint64_t)(uintptr_t)&in, .msgv_rcv_size = sizeof in },
		{ .msgv_data = (uint64_t)(uintptr_t)rcv_aux, .msgv_rcv_size = sizeof rcv_aux },
	};
	assert_int_equal(mach_msg2(v, MACH64_RCV_MSG | MACH64_MSG_VECTOR | MACH64_RCV_TIMEOUT, in.header, 0, 2,
				   port, 0, 0),
			 MACH_MSG_SUCCESS);
	assert_int_equal(in.header.msgh_id, 33);
	assert_int_equal(((mach_msg_aux_header_t *)(void *)rcv_aux)->msgdh_size, 40);
	assert_memory_equal(rcv_aux + 8, aux + 8, 32);
}

/* mach_msg2's scalar form: the header passed by value is the one sent
 * (the buffer's is not read); a send naming no destination kind is
 * refused (XNU ipc_preflight_msg_option64: MACH_SEND_INVALID_OPTIONS). */
static void test_mach_msg2_header_by_value_and_cfi_option(void **state)
{
	mach_port_t port;
	simple_msg_t out;
	mach_msg_header_t h;
	simple_rcv_t in;

	(void)state;
	(void)mp_compat_set_current(ct_task());
	port = ct_port_send(ct_self());
	simple_init(&out, port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1);
	h = out.header;
	h.msgh_id = 2;
	assert_int_equal(mach_msg2(&out, MACH64_SEND_MSG, h, sizeof out, 0, MACH_PORT_NULL, 0, 0),
			 MACH_SEND_INVALID_OPTIONS);
	/* a QoS option through mach_msg2 (and mach_msg_overwrite's vector
	 * call): refused as mach_msg refuses it, nothing consumed */
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	assert_int_equal(mach_msg2(&out, MACH64_SEND_MSG | MACH64_SEND_OVERRIDE | MACH64_SEND_MQ_CALL, h,
				   sizeof out, 0, MACH_PORT_NULL, 0, 0),
			 MACH_SEND_INVALID_OPTIONS);
	assert_int_equal(mach_msg_overwrite(&out.header, MACH_RCV_MSG | MACH_RCV_SYNC_WAIT, 0, sizeof in, port, 0,
					    MACH_PORT_NULL, &in.header, 0),
			 MACH_RCV_INVALID_ARGUMENTS);
	assert_int_equal(ct_refs(ct_self(), port, MACH_PORT_RIGHT_SEND), 1);
	h.msgh_bits = out.header.msgh_bits;
	assert_int_equal(mach_msg2(&out, MACH64_SEND_MSG | MACH64_SEND_MQ_CALL, h, sizeof out, 0, MACH_PORT_NULL, 0,
				   0),
			 MACH_MSG_SUCCESS);
	memset(&in, 0, sizeof in);
	assert_int_equal(mach_msg2(&in, MACH64_RCV_MSG | MACH64_RCV_TIMEOUT, in.header, 0, sizeof in, port, 0, 0),
			 MACH_MSG_SUCCESS);
	assert_int_equal(in.header.msgh_id, 2);
	/* the guard exception XNU raises for the refused options */
	mp_guard_event_t ev[4];
	uint32_t n = 0;
	assert_int_equal(mp_task_guard_events(ct_self(), ev, 4, &n), KERN_SUCCESS);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].flavor, kGUARD_EXC_INVALID_OPTIONS);
}

/* mach_msg_overwrite with a separate buffer receives through libsyscall's
 * inline aux buffer (LIBSYSCALL_MSGV_AUX_MAX_SIZE, 128 bytes): aux data
 * that fits is taken (and dropped), aux data larger is MACH_RCV_TOO_LARGE;
 * mach_msg's scalar receive drops any aux data. */
static void test_mach_msg_overwrite_aux_buffer_is_libsyscalls(void **state)
{
	mach_port_t port;
	simple_msg_t out;
	simple_rcv_t in;
	uint64_t aux_words[64];
	uint8_t *aux = (uint8_t *)aux_words;

	(void)state;
	(void)mp_compat_set_current(ct_task());
	port = ct_port_send(ct_self());
	aux_msg_init(&out, port, aux, 64);
	assert_int_equal(aux_send(&out, aux, 64), MACH_MSG_SUCCESS);
	assert_int_equal(mach_msg_overwrite(&out.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof in, port, 0,
					    MACH_PORT_NULL, &in.header, 0),
			 MACH_MSG_SUCCESS);
	assert_int_equal(in.header.msgh_id, 33);

	aux_msg_init(&out, port, aux, 512);
	assert_int_equal(aux_send(&out, aux, 512), MACH_MSG_SUCCESS);
	assert_int_equal(mach_msg_overwrite(&out.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof in, port, 0,
					    MACH_PORT_NULL, &in.header, 0),
			 MACH_RCV_TOO_LARGE);
	assert_int_equal(ct_status(ct_self(), port).mps_msgcount, 0); /* destroyed: no MACH_RCV_LARGE */

	aux_msg_init(&out, port, aux, 512);
	assert_int_equal(aux_send(&out, aux, 512), MACH_MSG_SUCCESS);
	assert_int_equal(mach_msg(&in.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof in, port, 0, MACH_PORT_NULL),
			 MACH_MSG_SUCCESS);
	assert_int_equal(in.header.msgh_id, 33);
}

/* mach_msg_overwrite: a NULL buffer (libsyscall would fault reading it) is
 * refused by the kernel as a bad buffer; a receive-only
 * MACH_RCV_SYNC_WAIT writes `notify` into msgh_remote_port (libsyscall)
 * and the kernel refuses the option (no sync IPC here). */
static void test_mach_msg_null_buffer_and_rcv_sync_wait(void **state)
{
	mach_port_t port;
	simple_rcv_t in;

	(void)state;
	(void)mp_compat_set_current(ct_task());
	port = ct_port_send(ct_self());
	assert_int_equal(mach_msg(NULL, MACH_SEND_MSG, 24, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
			 MACH_SEND_INVALID_DATA);
	assert_int_equal(mach_msg(NULL, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 64, port, 0, MACH_PORT_NULL),
			 MACH_RCV_INVALID_DATA);
	assert_int_equal(mach_msg_send(NULL), MACH_SEND_INVALID_DATA);
	assert_int_equal(mach_msg_receive(NULL), MACH_RCV_INVALID_DATA);
	memset(&in, 0, sizeof in);
	assert_int_equal(mach_msg(&in.header, MACH_RCV_MSG | MACH_RCV_SYNC_WAIT | MACH_RCV_TIMEOUT, 0, sizeof in,
				  port, 0, port),
			 MACH_RCV_INVALID_ARGUMENTS);
	assert_int_equal(in.header.msgh_remote_port, port);
	/* a QoS send option: refused, nothing consumed (machports' rule for
	 * what it does not implement) */
	simple_msg_t out;
	simple_init(&out, port, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 3);
	assert_int_equal(mach_msg(&out.header, MACH_SEND_MSG | MACH_SEND_OVERRIDE, sizeof out, 0, MACH_PORT_NULL, 0,
				  MACH_PORT_NULL),
			 MACH_SEND_INVALID_OPTIONS);
	assert_int_equal(ct_refs(ct_self(), port, MACH_PORT_RIGHT_SEND), 1);
}

/* Sends a complex message to `dest` carrying: a send right to `sright`
 * (COPY_SEND), a page of OOL memory, an OOL array of one send right to
 * `sright`, and the receive right `rright` (MOVE_RECEIVE). */
static void complex_send(mach_port_t dest, mach_port_t reply_notify, mach_port_t sright, mach_port_t rright)
{
	static mach_port_t ool_names[1];
	static uint8_t ool_page[4096];
	complex_msg_t m;

	memset(&m, 0, sizeof m);
	memset(ool_page, 0x5A, sizeof ool_page);
	ool_names[0] = sright;
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
			     MACH_MSGH_BITS_COMPLEX;
	m.header.msgh_size = sizeof m;
	m.header.msgh_remote_port = dest;
	m.header.msgh_local_port = reply_notify;
	m.header.msgh_id = 77;
	m.body.msgh_descriptor_count = 4;
	m.port.name = sright;
	m.port.disposition = MACH_MSG_TYPE_COPY_SEND;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	m.ool.address = ool_page;
	m.ool.size = sizeof ool_page;
	m.ool.copy = MACH_MSG_VIRTUAL_COPY;
	m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	m.ool_ports.address = ool_names;
	m.ool_ports.count = 1;
	m.ool_ports.copy = MACH_MSG_VIRTUAL_COPY;
	m.ool_ports.disposition = MACH_MSG_TYPE_COPY_SEND;
	m.ool_ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	m.receive.name = rright;
	m.receive.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	m.receive.type = MACH_MSG_PORT_DESCRIPTOR;
	assert_int_equal(mach_msg_send(&m.header), MACH_MSG_SUCCESS);
}

/* mach_msg_destroy (libsyscall) on a received message: the reply
 * send-once right (its port gets MACH_NOTIFY_SEND_ONCE), each send right,
 * the OOL memory (received with deallocate set), the OOL port array and
 * the receive right are released; msgh_local_port is left alone. */
static void test_mach_msg_destroy_releases_rights_and_ool(void **state)
{
	mp_task_t *self;
	mach_port_t dest, notify, target, moved;
	complex_rcv_t in;
	uint32_t before;

	(void)state;
	(void)mp_compat_set_current(ct_task());
	self = ct_self();
	dest = ct_port_send(self);
	notify = ct_port(self);
	target = ct_port_send(self);
	moved = ct_port(self);
	complex_send(dest, notify, target, moved);
	assert_int_equal(ct_type(self, moved), 0); /* in the message now */

	memset(&in, 0, sizeof in);
	assert_int_equal(mach_msg(&in.msg.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof in, dest, 0,
				  MACH_PORT_NULL),
			 MACH_MSG_SUCCESS);
	assert_int_equal(in.msg.header.msgh_id, 77);
	assert_int_equal(ct_refs(self, target, MACH_PORT_RIGHT_SEND), 3); /* 1 + descriptor + array */
	assert_int_equal(in.msg.ool.deallocate, 1);
	assert_int_equal(((uint8_t *)in.msg.ool.address)[100], 0x5A);
	assert_true(MACH_PORT_VALID(in.msg.receive.name));
	assert_int_equal(ct_type(self, in.msg.receive.name), MACH_PORT_TYPE_RECEIVE);
	before = ct_names(self);

	mach_msg_destroy(&in.msg.header);
	assert_int_equal(ct_refs(self, target, MACH_PORT_RIGHT_SEND), 1);
	assert_int_equal(ct_type(self, in.msg.receive.name), 0);
	assert_int_equal(ct_type(self, dest), MACH_PORT_TYPE_SEND_RECEIVE); /* local port untouched */
	assert_int_equal(ct_names(self), before - 2); /* the send-once name, the receive right */
	assert_int_equal(ct_recv_id(notify), MACH_NOTIFY_SEND_ONCE);
}

/* mach_msg_destroy on a message never sent (libsyscall
 * mach_msg_destroy_port's MAKE_* cases): MAKE_SEND makes a send right and
 * releases it (the make-send count goes up, a no-senders request fires),
 * MAKE_SEND_ONCE makes a send-once right and destroys it (a send-once
 * notification), COPY_SEND releases nothing. */
static void test_mach_msg_destroy_unsent_make_dispositions(void **state)
{
	mp_task_t *self;
	mach_port_t port, notify, prev = MACH_PORT_NULL;
	mach_msg_header_t h;

	(void)state;
	(void)mp_compat_set_current(ct_task());
	self = ct_self();
	port = ct_port(self);
	notify = ct_port(self);
	assert_int_equal(mp_port_request_notification(self, port, MACH_NOTIFY_NO_SENDERS, 0, notify,
						      MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 KERN_SUCCESS);

	memset(&h, 0, sizeof h);
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	h.msgh_remote_port = port;
	h.msgh_size = sizeof h;
	mach_msg_destroy(&h);
	assert_int_equal(ct_status(self, port).mps_mscount, 1);
	assert_int_equal(ct_type(self, port), MACH_PORT_TYPE_RECEIVE);
	assert_int_equal(ct_recv_id(notify), MACH_NOTIFY_NO_SENDERS);

	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0);
	mach_msg_destroy(&h);
	assert_int_equal(ct_recv_id(port), MACH_NOTIFY_SEND_ONCE);
	assert_int_equal(ct_status(self, port).mps_sorights, 0);

	assert_int_equal(mp_port_insert_right(self, port, self, port, MP_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	mach_msg_destroy(&h);
	assert_int_equal(ct_refs(self, port, MACH_PORT_RIGHT_SEND), 1);
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	mach_msg_destroy(&h);
	assert_int_equal(ct_type(self, port), MACH_PORT_TYPE_RECEIVE);
	mach_msg_destroy(NULL); /* nothing */
}

/* mach_msg_destroy of a guarded port descriptor (libsyscall: unguard with
 * the descriptor's context unless MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND,
 * then destroy): the guarded receive right goes without a guard exception. */
static void test_mach_msg_destroy_guarded_descriptor_unguards(void **state)
{
	mp_task_t *self;
	mach_port_t port;
	mp_port_options_t opts = { MP_MPO_CONTEXT_AS_GUARD, 0 };
	mp_port_name_t guarded = 0;
	mp_guard_event_t ev[4];
	uint32_t n = 9;
#pragma pack(push, 4)
	struct {
		mach_msg_header_t header;
		mach_msg_body_t body;
		mach_msg_guarded_port_descriptor_t g;
	} m;
#pragma pack(pop)

	(void)state;
	(void)mp_compat_set_current(ct_task());
	self = ct_self();
	port = ct_port(self);
	assert_int_equal(mp_port_construct(self, &opts, 0x1234, &guarded), KERN_SUCCESS);
	memset(&m, 0, sizeof m);
	m.header.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	m.header.msgh_size = sizeof m;
	m.body.msgh_descriptor_count = 1;
	m.g.name = guarded;
	m.g.context = 0x1234;
	m.g.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	m.g.type = MACH_MSG_GUARDED_PORT_DESCRIPTOR;
	mach_msg_destroy(&m.header);
	assert_int_equal(ct_type(self, guarded), 0);
	assert_int_equal(mp_task_guard_events(self, ev, 4, &n), KERN_SUCCESS);
	assert_int_equal(n, 0);
	(void)port;
}

/* mach_voucher_deallocate (libsyscall): mach_port_deallocate of the name. */
static void test_mach_voucher_deallocate_releases_a_send_right(void **state)
{
	mp_task_t *self;
	mach_port_t port;

	(void)state;
	(void)mp_compat_set_current(ct_task());
	self = ct_self();
	port = ct_port_send(self);
	assert_int_equal(mach_voucher_deallocate(port), KERN_SUCCESS);
	assert_int_equal(ct_type(self, port), MACH_PORT_TYPE_RECEIVE);
	assert_int_equal(mach_voucher_deallocate(0x7777), KERN_INVALID_NAME);
	mp_guard_event_t ev[4];
	uint32_t n = 0;
	assert_int_equal(mp_task_guard_events(self, ev, 4, &n), KERN_SUCCESS);
}

/* KERNEL_SECURITY_TOKEN / KERNEL_AUDIT_TOKEN (osfmk/ipc/mach_msg.c): {0, 1}
 * and all zero. */
static void test_kernel_tokens(void **state)
{
	(void)state;
	assert_int_equal(KERNEL_SECURITY_TOKEN.val[0], 0);
	assert_int_equal(KERNEL_SECURITY_TOKEN.val[1], 1);
	for (int i = 0; i < 8; i++)
		assert_int_equal(KERNEL_AUDIT_TOKEN.val[i], 0);
}

/* mig_reply_setup (libsyscall mig_reply_setup.c): to the request's local
 * port with its disposition, id + 100, a mig_reply_error_t's size, NDR. */
static void test_mig_reply_setup(void **state)
{
	mach_msg_header_t req;
	mig_reply_error_t rep;

	(void)state;
	memset(&req, 0, sizeof req);
	memset(&rep, 0xEE, sizeof rep);
	req.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE) | MACH_MSGH_BITS_COMPLEX;
	req.msgh_local_port = 0x1307;
	req.msgh_remote_port = 0x2207;
	req.msgh_id = 2400;
	mig_reply_setup(&req, &rep.Head);
	assert_int_equal(rep.Head.msgh_bits, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0));
	assert_int_equal(rep.Head.msgh_size, sizeof(mig_reply_error_t));
	assert_int_equal(rep.Head.msgh_remote_port, 0x1307);
	assert_int_equal(rep.Head.msgh_local_port, MACH_PORT_NULL);
	assert_int_equal(rep.Head.msgh_id, 2500);
	assert_int_equal(rep.NDR.int_rep, NDR_INT_LITTLE_ENDIAN);
	assert_int_equal(rep.NDR.mig_vers, 0);
	assert_int_equal((uint32_t)rep.RetCode, 0xEEEEEEEEu); /* not set */
	/* any sender picks the id: one near INT_MAX wraps (no signed
	 * overflow; UBSan runs this test) */
	req.msgh_id = INT32_MAX - 10;
	mig_reply_setup(&req, &rep.Head);
	assert_int_equal((uint32_t)rep.Head.msgh_id, (uint32_t)INT32_MAX + 90u);
}

/* mig_get_reply_port per thread AND per task (libsyscall keeps one per
 * thread, __TSD_MIG_REPLY; a thread here moves between tasks): two tasks
 * on one thread each get their own port, in their own space, kept across
 * switches; mig_dealloc_reply_port acts on the current task's only. */
static void test_mig_reply_port_per_task_on_one_thread(void **state)
{
	mp_compat_task_t *a = ct_task(), *b = ct_task();
	mach_port_t pa, pb;

	(void)state;
	(void)mp_compat_set_current(a);
	pa = mig_get_reply_port();
	(void)mp_compat_set_current(b);
	pb = mig_get_reply_port();
	assert_int_equal(ct_type(mp_compat_port_task(a), pa), MACH_PORT_TYPE_RECEIVE);
	assert_int_equal(ct_type(mp_compat_port_task(b), pb), MACH_PORT_TYPE_RECEIVE);
	assert_int_equal(mig_get_reply_port(), pb);
	(void)mp_compat_set_current(a);
	assert_int_equal(mig_get_reply_port(), pa);

	/* libsyscall mig_dealloc_reply_port: the receive right goes, and
	 * migport, if another name, loses a send right */
	mach_port_t other = ct_port_send(mp_compat_port_task(a));
	mig_dealloc_reply_port(other);
	assert_int_equal(ct_type(mp_compat_port_task(a), pa), 0);
	assert_int_equal(ct_type(mp_compat_port_task(a), other), MACH_PORT_TYPE_RECEIVE);
	assert_int_equal(ct_type(mp_compat_port_task(b), pb), MACH_PORT_TYPE_RECEIVE);
	mig_dealloc_reply_port(other); /* no reply port now: nothing */
	assert_int_equal(ct_type(mp_compat_port_task(a), other), MACH_PORT_TYPE_RECEIVE);
	pa = mig_get_reply_port(); /* a new one */
	assert_int_equal(ct_type(mp_compat_port_task(a), pa), MACH_PORT_TYPE_RECEIVE);
	mig_put_reply_port(pa); /* nothing */
	assert_int_equal(mig_get_reply_port(), pa);
}

/* A task destroyed and another made (maybe at the same address, with the
 * same first names): the thread's old entry is not taken for the new
 * task's port of the same name. */
static void test_mig_reply_port_not_reused_across_task_death(void **state)
{
	mp_compat_task_t *a = ct_task(), *a2;
	mach_port_t pa, x, p2;

	(void)state;
	(void)mp_compat_set_current(a);
	pa = mig_get_reply_port();
	(void)mp_compat_set_current(NULL);
	ct_kill(a);
	a2 = ct_task();
	(void)mp_compat_set_current(a2);
	x = ct_port(mp_compat_port_task(a2)); /* likely pa's name */
	p2 = mig_get_reply_port();
	assert_int_not_equal(p2, x);
	assert_int_equal(ct_type(mp_compat_port_task(a2), p2), MACH_PORT_TYPE_RECEIVE);
	assert_int_equal(ct_type(mp_compat_port_task(a2), x), MACH_PORT_TYPE_RECEIVE);
	(void)pa;
}

/* In a hardened task (XNU task_is_hardened_binary) MPO_REPLY_PORT makes a
 * real reply port, usable only as msgh_local_port with MAKE_SEND_ONCE:
 * mig_get_reply_port's port works in a MIG round trip there too. */
static void test_mig_reply_port_in_hardened_task(void **state)
{
	mp_task_t *self;
	mach_port_t service, reply_port;
	simple_msg_t req, rep;
	simple_rcv_t in;

	(void)state;
	(void)mp_compat_set_current(ct_task());
	self = ct_self();
	assert_int_equal(mp_task_set_hardened(self, 1), KERN_SUCCESS);
	service = ct_port_send(self);
	reply_port = mig_get_reply_port();
	assert_int_equal(mig_get_reply_port(), reply_port);
	simple_init(&req, service, MACH_MSG_TYPE_COPY_SEND, reply_port, MACH_MSG_TYPE_MAKE_SEND, 1);
	assert_int_equal(mach_msg_send(&req.header), MACH_SEND_INVALID_REPLY); /* a real reply port */
	simple_init(&req, service, MACH_MSG_TYPE_COPY_SEND, reply_port, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1);
	assert_int_equal(mach_msg_send(&req.header), MACH_MSG_SUCCESS);
	assert_int_equal(mach_msg(&in.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof in, service, 0,
				  MACH_PORT_NULL),
			 MACH_MSG_SUCCESS);
	simple_init(&rep, in.header.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 101);
	assert_int_equal(mach_msg_send(&rep.header), MACH_MSG_SUCCESS);
	assert_int_equal(ct_recv_id(reply_port), 101);
	mp_guard_event_t ev[4];
	uint32_t n = 0;
	assert_int_equal(mp_task_guard_events(self, ev, 4, &n), KERN_SUCCESS);
}

static void *other_thread_reply_port(void *arg)
{
	mach_port_t *out = arg;

	(void)mp_compat_set_current(NULL); /* new threads start on the default task */
	out[0] = mig_get_reply_port();
	out[1] = mig_get_reply_port();
	return NULL;
}

/* Per thread: another thread in the same (default) task gets another port,
 * released when that thread exits (libpthread's _pthread_dealloc_reply_port
 * at thread exit); this thread's stays. */
static void test_mig_reply_port_per_thread(void **state)
{
	mach_port_t mine, theirs[2] = { 0, 0 };
	pthread_t th;
	mp_task_t *dflt = mp_compat_port_task(mp_compat_task_default());

	(void)state;
	mine = mig_get_reply_port();
	assert_int_equal(pthread_create(&th, NULL, other_thread_reply_port, theirs), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(theirs[0], theirs[1]);
	assert_int_not_equal(theirs[0], mine);
	assert_int_equal(ct_type(dflt, theirs[0]), 0); /* released at its exit */
	assert_int_equal(ct_type(dflt, mine), MACH_PORT_TYPE_RECEIVE);
	mig_dealloc_reply_port(mine);
	assert_int_equal(ct_type(dflt, mine), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_mach_msg_send_receive_round_trip_with_mig_reply_port),
		CT(test_mach_msg_overwrite_receives_into_separate_buffer),
		CT(test_mach_msg_rcv_too_large_and_rcv_large),
		CT(test_mach_msg2_vector_with_aux_data),
		CT(test_mach_msg2_header_by_value_and_cfi_option),
		CT(test_mach_msg_overwrite_aux_buffer_is_libsyscalls),
		CT(test_mach_msg_null_buffer_and_rcv_sync_wait),
		CT(test_mach_msg_destroy_releases_rights_and_ool),
		CT(test_mach_msg_destroy_unsent_make_dispositions),
		CT(test_mach_msg_destroy_guarded_descriptor_unguards),
		CT(test_mach_voucher_deallocate_releases_a_send_right),
		CT(test_kernel_tokens),
		CT(test_mig_reply_setup),
		CT(test_mig_reply_port_per_task_on_one_thread),
		CT(test_mig_reply_port_not_reused_across_task_death),
		CT(test_mig_reply_port_per_thread),
		CT(test_mig_reply_port_in_hardened_task),
	};

	ct_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
