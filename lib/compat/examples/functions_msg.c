/*
 * lib/compat/examples/functions_msg.c: one case per message call of
 * <mach/message.h> and <mach/mach.h> and MIG's runtime (<mach/mig.h>,
 * <mach/mig_errors.h>), only against Apple's API (issue 14's "a test per
 * function"; functions_port.c and functions_misc.c hold the rest): mach_msg,
 * mach_msg_overwrite, mach_msg_send / _receive, mach_msg_destroy,
 * mach_msg_server_once / mach_msg_server / mach_msg_server_importance,
 * mig_get_reply_port / mig_dealloc_reply_port / mig_put_reply_port,
 * mig_reply_setup, NDR_record, mach_voucher_deallocate,
 * the audit trailer with audit_token_to_*, KERNEL_AUDIT_TOKEN_VALUE.
 *
 * Each case makes a normal call and at least one refused one (where the
 * call can refuse), asserts XNU's codes (the libsyscall / osfmk function
 * named beside it) and leaves no right or region behind. mach_msg2 is
 * private in the SDK and mach_reply_port undeclared there: the harness
 * tests cover them.
 *
 * Built on Linux against lib/compat (//lib/compat:mach) and, by
 * scripts/check-darwin-abi, for macOS against the SDK.
 */
#include <bsm/libbsm.h>
#include <mach/mach.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <mach/notify.h>
#include <string.h>
#include <unistd.h>

#include "example_check.h"

#define BOGUS_NAME ((mach_port_name_t)0x7ffff0b3u)
#define ADD_ONE_ID 500 /* the one routine the demux below knows */

static mach_port_t new_receive(void)
{
	mach_port_t p = MACH_PORT_NULL;
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	return p;
}

static void drop_receive(mach_port_t p)
{
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
}

/* A header-only message to `dest` (a receive right of ours: MAKE_SEND). */
static void simple_header(mach_msg_header_t *h, mach_port_t dest, mach_msg_id_t id)
{
	memset(h, 0, sizeof *h);
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	h->msgh_size = sizeof *h;
	h->msgh_remote_port = dest;
	h->msgh_id = id;
}

typedef struct {
	mach_msg_header_t head;
	mach_msg_max_trailer_t trailer;
} empty_rcv_t;

/*
 * XNU mach_msg_trap (ipc_kmsg_copyin_header, ipc_mqueue_receive): a
 * header-only message round trip; an unknown destination is
 * MACH_SEND_INVALID_DEST, an unknown receive name MACH_RCV_INVALID_NAME,
 * an empty queue with timeout 0 MACH_RCV_TIMED_OUT, a full queue with
 * MACH_SEND_TIMEOUT 0 MACH_SEND_TIMED_OUT (the message handed back), and a buffer too small with
 * MACH_RCV_LARGE MACH_RCV_TOO_LARGE (the message stays queued; msgh_size
 * says what it needs).
 */
static void test_mach_msg(void)
{
	mach_port_options_t opts;
	mach_port_t p = MACH_PORT_NULL;
	mach_msg_header_t h;
	empty_rcv_t rcv;
	ex_begin();
	memset(&opts, 0, sizeof opts);
	opts.flags = MPO_QLIMIT;
	opts.mpl.mpl_qlimit = 1;
	EXPECT_KR(mach_port_construct(mach_task_self(), &opts, 0, &p), KERN_SUCCESS);
	simple_header(&h, p, 7);
	EXPECT_KR(mach_msg(&h, MACH_SEND_MSG, sizeof h, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	simple_header(&h, p, 8);
	EXPECT_KR(mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof h, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
		  MACH_SEND_TIMED_OUT);
	/* ipc_kmsg_copyout_pseudo: the unsent message's rights come back to
	 * the sender, here the MAKE_SEND as a send right under p. */
	EXPECT(h.msgh_remote_port == p && ex_type_of(p) == (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND));
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	memset(&rcv, 0, sizeof rcv);
	EXPECT_KR(mach_msg(&rcv.head, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TIMEOUT, 0, sizeof(mach_msg_header_t), p, 0,
			   MACH_PORT_NULL),
		  MACH_RCV_TOO_LARGE);
	EXPECT(rcv.head.msgh_size >= sizeof h);
	memset(&rcv, 0, sizeof rcv);
	EXPECT_KR(mach_msg(&rcv.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof rcv, p, 0, MACH_PORT_NULL),
		  MACH_MSG_SUCCESS);
	EXPECT(rcv.head.msgh_id == 7 && rcv.head.msgh_size == sizeof h && rcv.head.msgh_local_port == p);
	EXPECT_KR(mach_msg(&rcv.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof rcv, p, 0, MACH_PORT_NULL),
		  MACH_RCV_TIMED_OUT);
	simple_header(&h, BOGUS_NAME, 9);
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	EXPECT_KR(mach_msg(&h, MACH_SEND_MSG, sizeof h, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_SEND_INVALID_DEST);
	EXPECT_KR(mach_msg(&rcv.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof rcv, BOGUS_NAME, 0, MACH_PORT_NULL),
		  MACH_RCV_INVALID_NAME);
	drop_receive(p);
	ex_end_no_leak();
}

/* libsyscall mach_msg_overwrite: the message is received into rcv_msg,
 * the send buffer is left as sent; a receive-only call on an unknown name
 * is MACH_RCV_INVALID_NAME. */
static void test_mach_msg_overwrite(void)
{
	mach_port_t p;
	mach_msg_header_t h;
	empty_rcv_t rcv;
	ex_begin();
	p = new_receive();
	simple_header(&h, p, 11);
	memset(&rcv, 0, sizeof rcv);
	EXPECT_KR(mach_msg_overwrite(&h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof h, sizeof rcv, p, 0,
				     MACH_PORT_NULL, &rcv.head, 0),
		  MACH_MSG_SUCCESS);
	EXPECT(rcv.head.msgh_id == 11 && h.msgh_id == 11 && h.msgh_remote_port == p);
	EXPECT_KR(mach_msg_overwrite(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof rcv, BOGUS_NAME, 0,
				     MACH_PORT_NULL, &rcv.head, 0),
		  MACH_RCV_INVALID_NAME);
	drop_receive(p);
	ex_end_no_leak();
}

/* libsyscall mach_msg_send / mach_msg_receive: mach_msg with the size in
 * msgh_size and the receive name in msgh_local_port, no timeout; an
 * unknown destination is MACH_SEND_INVALID_DEST, an unknown receive name
 * MACH_RCV_INVALID_NAME. */
static void test_mach_msg_send_receive(void)
{
	mach_port_t p;
	mach_msg_header_t h;
	empty_rcv_t rcv;
	ex_begin();
	p = new_receive();
	simple_header(&h, p, 21);
	EXPECT_KR(mach_msg_send(&h), MACH_MSG_SUCCESS);
	memset(&rcv, 0, sizeof rcv);
	rcv.head.msgh_size = sizeof rcv;
	rcv.head.msgh_local_port = p;
	EXPECT_KR(mach_msg_receive(&rcv.head), MACH_MSG_SUCCESS);
	EXPECT(rcv.head.msgh_id == 21);
	simple_header(&h, BOGUS_NAME, 22);
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	EXPECT_KR(mach_msg_send(&h), MACH_SEND_INVALID_DEST);
	rcv.head.msgh_size = sizeof rcv;
	rcv.head.msgh_local_port = BOGUS_NAME;
	EXPECT_KR(mach_msg_receive(&rcv.head), MACH_RCV_INVALID_NAME);
	drop_receive(p);
	ex_end_no_leak();
}

typedef struct {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	mach_msg_ool_descriptor_t ool;
} carrier_t;

typedef struct {
	carrier_t msg;
	mach_msg_max_trailer_t trailer;
} carrier_rcv_t;

/*
 * libsyscall mach_msg_destroy: a received message's rights and
 * out-of-line memory are released (the port descriptor's send right, the
 * header's reply right; the region vm_deallocated). A header with
 * MACH_PORT_NULL ports destroys nothing.
 */
static void test_mach_msg_destroy(void)
{
	mach_port_t p, carried;
	carrier_t m;
	carrier_rcv_t rcv;
	mach_msg_header_t empty;
	static char payload[64] = "out-of-line";
	mach_port_urefs_t refs = 0;
	ex_begin();
	p = new_receive();
	carried = new_receive();
	memset(&m, 0, sizeof m);
	m.head.msgh_bits = MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND);
	m.head.msgh_size = sizeof m;
	m.head.msgh_remote_port = p;
	m.head.msgh_local_port = carried;
	m.head.msgh_id = 31;
	m.body.msgh_descriptor_count = 2;
	m.port.name = carried;
	m.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	m.ool.address = payload;
	m.ool.size = sizeof payload;
	m.ool.copy = MACH_MSG_VIRTUAL_COPY;
	m.ool.deallocate = FALSE;
	m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	EXPECT_KR(mach_msg(&m.head, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	memset(&rcv, 0, sizeof rcv);
	EXPECT_KR(mach_msg(&rcv.msg.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof rcv, p, 0, MACH_PORT_NULL),
		  MACH_MSG_SUCCESS);
	EXPECT(rcv.msg.port.name == carried && rcv.msg.head.msgh_remote_port == carried);
	EXPECT(rcv.msg.ool.address != NULL && memcmp(rcv.msg.ool.address, payload, sizeof payload) == 0);
	EXPECT_KR(mach_port_get_refs(mach_task_self(), carried, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	EXPECT(refs == 2); /* the header's reply right and the descriptor's */
	mach_msg_destroy(&rcv.msg.head);
	EXPECT_KR(mach_port_get_refs(mach_task_self(), carried, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	EXPECT(refs == 0);
	simple_header(&empty, MACH_PORT_NULL, 0);
	empty.msgh_bits = 0;
	mach_msg_destroy(&empty); /* nothing to release */
	drop_receive(carried);
	drop_receive(p);
	ex_end_no_leak();
}

/* ---- MIG's runtime ---------------------------------------------------- */

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int32_t value;
} add_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	int32_t value;
} add_reply_t;

typedef struct {
	add_reply_t reply;
	mach_msg_max_trailer_t trailer;
} add_reply_rcv_t;

static mach_port_t g_destroy_in_demux = MACH_PORT_NULL; /* mach_msg_server's way out */

/* A MIG-shaped demux: the reply header as MIG's server stubs write it (to
 * the request's reply right, with its disposition, id + 100), then routine
 * ADD_ONE_ID; any other id is MIG_BAD_ID (a mig_reply_error_t, FALSE), as
 * MIG's demux answers. */
static boolean_t add_one_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	const add_request_t *req = (const add_request_t *)in;
	add_reply_t *rep = (add_reply_t *)out;
	out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
	out->msgh_remote_port = in->msgh_remote_port;
	out->msgh_local_port = MACH_PORT_NULL;
	out->msgh_size = sizeof(mig_reply_error_t);
	out->msgh_id = (mach_msg_id_t)((uint32_t)in->msgh_id + 100u);
	((mig_reply_error_t *)out)->NDR = NDR_record;
	if (in->msgh_id != ADD_ONE_ID) {
		((mig_reply_error_t *)out)->RetCode = MIG_BAD_ID;
		return FALSE;
	}
	rep->Head.msgh_size = sizeof *rep;
	rep->RetCode = KERN_SUCCESS;
	rep->value = req->value + 1;
	if (g_destroy_in_demux != MACH_PORT_NULL) {
		drop_receive(g_destroy_in_demux);
		g_destroy_in_demux = MACH_PORT_NULL;
	}
	return TRUE;
}

/* Queues a request on `server` whose reply goes to `reply` (send-once). */
static void send_request(mach_port_t server, mach_port_t reply, mach_msg_id_t id, int32_t value)
{
	add_request_t req;
	memset(&req, 0, sizeof req);
	req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req.Head.msgh_size = sizeof req;
	req.Head.msgh_remote_port = server;
	req.Head.msgh_local_port = reply;
	req.Head.msgh_id = id;
	req.NDR = NDR_record;
	req.value = value;
	EXPECT_KR(mach_msg(&req.Head, MACH_SEND_MSG, sizeof req, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
		  MACH_MSG_SUCCESS);
}

static mach_msg_return_t receive_reply(mach_port_t reply, add_reply_rcv_t *r)
{
	memset(r, 0, sizeof *r);
	return mach_msg(&r->reply.Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof *r, reply, 1000, MACH_PORT_NULL);
}

/*
 * libsyscall mach_msg_server_once: one request received, the demux run,
 * the reply sent to the request's reply port. A routine whose RetCode is
 * an error (MIG_BAD_ID) still gets its error reply, the request being
 * destroyed. An unknown receive name is MACH_RCV_INVALID_NAME. The reply
 * port is MIG's (mig_get_reply_port), kept for the thread.
 */
static void test_mach_msg_server_once(void)
{
	mach_port_t server, reply;
	add_reply_rcv_t r;
	ex_begin();
	server = new_receive();
	reply = mig_get_reply_port();
	send_request(server, reply, ADD_ONE_ID, 41);
	EXPECT_KR(mach_msg_server_once(add_one_demux, sizeof(add_request_t) + sizeof(add_reply_t), server, 0),
		  MACH_MSG_SUCCESS);
	EXPECT_KR(receive_reply(reply, &r), MACH_MSG_SUCCESS);
	EXPECT(r.reply.Head.msgh_id == ADD_ONE_ID + 100 && r.reply.RetCode == KERN_SUCCESS && r.reply.value == 42);
	send_request(server, reply, ADD_ONE_ID + 1, 0);
	EXPECT_KR(mach_msg_server_once(add_one_demux, sizeof(add_request_t) + sizeof(add_reply_t), server, 0),
		  MACH_MSG_SUCCESS);
	EXPECT_KR(receive_reply(reply, &r), MACH_MSG_SUCCESS);
	EXPECT(r.reply.Head.msgh_id == ADD_ONE_ID + 101 && r.reply.RetCode == MIG_BAD_ID);
	/* A max_size too small for the request: without MACH_RCV_LARGE the
	 * receive fails and the kernel destroys the request, whose send-once
	 * reply right then brings MACH_NOTIFY_SEND_ONCE (ipc_notify_send_once);
	 * with MACH_RCV_LARGE the buffer grows to the request and it is served. */
	send_request(server, reply, ADD_ONE_ID, 1);
	EXPECT_KR(mach_msg_server_once(add_one_demux, sizeof(mach_msg_header_t), server, 0), MACH_RCV_TOO_LARGE);
	EXPECT_KR(receive_reply(reply, &r), MACH_MSG_SUCCESS);
	EXPECT(r.reply.Head.msgh_id == MACH_NOTIFY_SEND_ONCE);
	send_request(server, reply, ADD_ONE_ID, 2);
	EXPECT_KR(mach_msg_server_once(add_one_demux, sizeof(mach_msg_header_t), server, MACH_RCV_LARGE),
		  MACH_MSG_SUCCESS);
	EXPECT_KR(receive_reply(reply, &r), MACH_MSG_SUCCESS);
	EXPECT(r.reply.Head.msgh_id == ADD_ONE_ID + 100 && r.reply.value == 3);
	EXPECT_KR(mach_msg_server_once(add_one_demux, sizeof(add_reply_t), BOGUS_NAME, 0), MACH_RCV_INVALID_NAME);
	drop_receive(server);
	mig_dealloc_reply_port(reply);
	ex_end_no_leak();
}

/*
 * libsyscall mach_msg_server: the loop serves until a receive fails and
 * returns that code. Here the demux destroys the receive right while
 * handling the one queued request: the reply still goes out (send half of
 * the combined send-receive), the receive half answers
 * MACH_RCV_INVALID_NAME and the loop returns it. An unknown name fails
 * the first receive. mach_msg_server_importance is the same loop.
 */
static void test_mach_msg_server(void)
{
	mach_port_t server, reply;
	add_reply_rcv_t r;
	ex_begin();
	server = new_receive();
	reply = new_receive();
	send_request(server, reply, ADD_ONE_ID, 1);
	g_destroy_in_demux = server;
	EXPECT_KR(mach_msg_server(add_one_demux, sizeof(add_request_t) + sizeof(add_reply_t), server, 0),
		  MACH_RCV_INVALID_NAME);
	EXPECT(g_destroy_in_demux == MACH_PORT_NULL && ex_type_of(server) == 0);
	EXPECT_KR(receive_reply(reply, &r), MACH_MSG_SUCCESS);
	EXPECT(r.reply.RetCode == KERN_SUCCESS && r.reply.value == 2);
	EXPECT_KR(mach_msg_server(add_one_demux, sizeof(add_reply_t), BOGUS_NAME, 0), MACH_RCV_INVALID_NAME);
	EXPECT_KR(mach_msg_server_importance(add_one_demux, sizeof(add_reply_t), BOGUS_NAME, 0),
		  MACH_RCV_INVALID_NAME);
	drop_receive(reply);
	ex_end_no_leak();
}

/*
 * libsyscall mig_reply_port.c: mig_get_reply_port gives the thread's reply
 * port (a receive right, the same one on each call); mig_put_reply_port
 * does nothing; mig_dealloc_reply_port destroys it and the next get makes
 * a new one.
 */
static void test_mig_reply_port(void)
{
	mach_port_t reply, again;
	ex_begin();
	reply = mig_get_reply_port();
	EXPECT(MACH_PORT_VALID(reply) && (ex_type_of(reply) & MACH_PORT_TYPE_RECEIVE) != 0);
	again = mig_get_reply_port();
	EXPECT(again == reply);
	mig_put_reply_port(reply);
	EXPECT((ex_type_of(reply) & MACH_PORT_TYPE_RECEIVE) != 0);
	mig_dealloc_reply_port(reply);
	EXPECT(ex_type_of(reply) == 0);
	ex_end_no_leak();
	again = mig_get_reply_port();
	EXPECT(MACH_PORT_VALID(again) && (ex_type_of(again) & MACH_PORT_TYPE_RECEIVE) != 0);
	mig_dealloc_reply_port(again);
	ex_end_no_leak();
}

/* libsyscall mig_reply_setup: the reply's header from the request's (bits
 * from the request's LOCAL disposition, remote = the request's local port,
 * id + 100, size of mig_reply_error_t) and NDR_record. (It reads the
 * request as a sender sees it: MIG's own server stubs do not call it.) */
static void test_mig_reply_setup(void)
{
	mach_msg_header_t req;
	mig_reply_error_t rep;
	memset(&req, 0, sizeof req);
	memset(&rep, 0xff, sizeof rep);
	req.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	req.msgh_remote_port = 0x1103;
	req.msgh_local_port = 0x2203;
	req.msgh_id = 1234;
	mig_reply_setup(&req, &rep.Head);
	EXPECT(rep.Head.msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0));
	EXPECT(rep.Head.msgh_size == sizeof(mig_reply_error_t));
	EXPECT(rep.Head.msgh_remote_port == 0x2203 && rep.Head.msgh_local_port == MACH_PORT_NULL);
	EXPECT(rep.Head.msgh_id == 1334);
	EXPECT(memcmp(&rep.NDR, &NDR_record, sizeof NDR_record) == 0);
}

/* libsyscall ndr.c: NDR_record, the data representation MIG stubs send
 * (little-endian integers, ASCII, IEEE floats: every value 0 but int_rep). */
static void test_ndr_record(void)
{
	EXPECT(NDR_record.mig_vers == 0 && NDR_record.if_vers == 0 && NDR_record.reserved1 == 0);
	EXPECT(NDR_record.mig_encoding == 0 && NDR_record.char_rep == 0 && NDR_record.float_rep == 0);
	EXPECT(NDR_record.int_rep == 1); /* NDR_INT_LITTLE_ENDIAN: arm64 and x86_64 */
	EXPECT(NDR_record.reserved2 == 0);
}

/* mach_reply_port is a trap the SDK does not declare (not in its
 * <mach/mach_traps.h>): not Apple-public API, so the harness tests
 * (tests/misc_test.c) cover it, as they do mach_msg2. */

/* libsyscall mach_voucher_deallocate: mach_port_deallocate of the name
 * (XNU mach_port_deallocate_kernel: MACH_PORT_NULL succeeds, an unknown
 * name is KERN_INVALID_NAME). */
static void test_mach_voucher_deallocate(void)
{
	mach_port_t p;
	ex_begin();
	p = new_receive();
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	EXPECT_KR(mach_voucher_deallocate(p), KERN_SUCCESS);
	EXPECT(ex_type_of(p) == MACH_PORT_TYPE_RECEIVE);
	EXPECT_KR(mach_voucher_deallocate(MACH_PORT_NULL), KERN_SUCCESS);
	EXPECT_KR(mach_voucher_deallocate(BOGUS_NAME), KERN_INVALID_NAME);
	drop_receive(p);
	ex_end_no_leak();
}

typedef struct {
	mach_msg_header_t head;
	mach_msg_audit_trailer_t trailer;
} audit_rcv_t;

/*
 * XNU ipc_kmsg_add_trailer: MACH_RCV_TRAILER_AUDIT brings the sender's
 * security and audit tokens; libbsm's audit_token_to_* read the sender's
 * pid, effective and real ids. (auid, asid and pidversion depend on the
 * login session: read, not compared.) A buffer with no room for the
 * trailer asked for is MACH_RCV_TOO_LARGE (ipc_kmsg_copyout's size check
 * counts the trailer; without MACH_RCV_LARGE the message is destroyed).
 */
static void test_audit_token_to(void)
{
	mach_port_t p;
	mach_msg_header_t h;
	audit_rcv_t rcv;
	audit_token_t tok;
	ex_begin();
	p = new_receive();
	simple_header(&h, p, 60);
	EXPECT_KR(mach_msg(&h, MACH_SEND_MSG, sizeof h, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	EXPECT_KR(mach_msg(&rcv.head,
			   MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			   0, sizeof(mach_msg_header_t) + sizeof(mach_msg_trailer_t), p, 0, MACH_PORT_NULL),
		  MACH_RCV_TOO_LARGE); /* no room for the audit trailer: the message is destroyed */
	simple_header(&h, p, 61);
	EXPECT_KR(mach_msg(&h, MACH_SEND_MSG, sizeof h, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	memset(&rcv, 0, sizeof rcv);
	EXPECT_KR(mach_msg(&rcv.head,
			   MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			   0, sizeof rcv, p, 0, MACH_PORT_NULL),
		  MACH_MSG_SUCCESS);
	EXPECT(rcv.head.msgh_id == 61 && rcv.trailer.msgh_trailer_size == sizeof(mach_msg_audit_trailer_t));
	tok = rcv.trailer.msgh_audit;
	EXPECT(audit_token_to_pid(tok) == getpid());
	EXPECT(audit_token_to_euid(tok) == geteuid() && audit_token_to_egid(tok) == getegid());
	EXPECT(audit_token_to_ruid(tok) == getuid() && audit_token_to_rgid(tok) == getgid());
	EXPECT(rcv.trailer.msgh_sender.val[0] == geteuid());
	(void)audit_token_to_auid(tok);
	(void)audit_token_to_asid(tok);
	(void)audit_token_to_pidversion(tok);
	drop_receive(p);
	ex_end_no_leak();
}

/* XNU KERNEL_AUDIT_TOKEN_VALUE (every word 0: the kernel, pid 0, uid 0)
 * and KERNEL_SECURITY_TOKEN_VALUE ({ 0, 1 }). The objects
 * KERNEL_AUDIT_TOKEN / KERNEL_SECURITY_TOKEN the SDK declares are defined
 * in the kernel only (osfmk/ipc/mach_msg.c), not in libSystem, so a
 * macOS program cannot link against them: only the values are used. */
static void test_kernel_audit_token(void)
{
	audit_token_t kernel = KERNEL_AUDIT_TOKEN_VALUE;
	security_token_t ksec = KERNEL_SECURITY_TOKEN_VALUE;
	EXPECT(audit_token_to_pid(kernel) == 0 && audit_token_to_euid(kernel) == 0);
	EXPECT(audit_token_to_ruid(kernel) == 0 && audit_token_to_egid(kernel) == 0);
	EXPECT(ksec.val[0] == 0 && ksec.val[1] == 1);
}

int main(void)
{
	ex_case("mach_msg", test_mach_msg);
	ex_case("mach_msg_overwrite", test_mach_msg_overwrite);
	ex_case("mach_msg_send, mach_msg_receive", test_mach_msg_send_receive);
	ex_case("mach_msg_destroy", test_mach_msg_destroy);
	ex_case("mach_msg_server_once", test_mach_msg_server_once);
	ex_case("mach_msg_server, mach_msg_server_importance", test_mach_msg_server);
	ex_case("mig_get_reply_port, mig_put_reply_port, mig_dealloc_reply_port", test_mig_reply_port);
	ex_case("mig_reply_setup", test_mig_reply_setup);
	ex_case("NDR_record", test_ndr_record);
	ex_case("mach_voucher_deallocate", test_mach_voucher_deallocate);
	ex_case("audit_token_to_*", test_audit_token_to);
	ex_case("KERNEL_AUDIT_TOKEN_VALUE, KERNEL_SECURITY_TOKEN_VALUE", test_kernel_audit_token);
	return ex_summary();
}
