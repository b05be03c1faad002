/*
 * lib/compat/tests/server_test.c: MIG's runtime loop, libsyscall
 * mach_msg.c's mach_msg_server_once / mach_msg_server /
 * mach_msg_server_importance (xnu-11417.101.15), each branch it has: the
 * routine's return code (KERN_SUCCESS, MIG_NO_REPLY, an error, a complex
 * reply), the reply's send options (MACH_SEND_TIMEOUT unless send-once),
 * the recoverable send errors (the reply destroyed, local right first),
 * MACH_RCV_LARGE growth, receive errors, and the loop's reply-and-receive
 * in one call (swapped buffers, or mach_msg_overwrite). Client and server
 * are separate compat tasks: one thread switching between them, or two
 * threads. Run on the embedded kernel and on machportd (BUILD).
 */
#include "lib/compat/tests/msg_test_support.h"

#include <pthread.h>

enum { ID_ROUTINE = 500, ID_ADD = 501, ID_STOP = 502 };
enum { MODE_OK, MODE_NO_REPLY, MODE_ERROR, MODE_BAD_DEST, MODE_COMPLEX_REPLY };

#pragma pack(push, 4)
/* A MIG-shaped request: one port (the "token") and a mode. */
typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t token;
	NDR_record_t NDR;
	int32_t mode;
} request_t;

/* ID_ADD: a simple request, with as much padding as a test wants. */
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int32_t value;
	uint8_t pad[6000];
} add_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	int32_t result;
} reply_t;

typedef struct {
	reply_t r;
	mach_msg_max_trailer_t trailer;
} reply_rcv_t;

/* MODE_COMPLEX_REPLY: a reply carrying a port; a mig_reply_error_t's
 * RetCode slot lies inside its descriptor. */
typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t port;
} complex_reply_t;
#pragma pack(pop)

/* What the routine saw, for the test to check. */
static struct {
	int calls;
	mach_port_t token;      /* the token's name in the server's space */
	mach_port_t kept_reply; /* MODE_NO_REPLY: the reply right it kept */
	mach_port_t bad_dest;
} seen;

static void reply_header(const mach_msg_header_t *in, mach_msg_header_t *out, mach_msg_size_t size)
{
	/* MIG's server stub: to the reply right the request carried */
	out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
	out->msgh_remote_port = in->msgh_remote_port;
	out->msgh_local_port = MACH_PORT_NULL;
	out->msgh_size = size;
	out->msgh_id = in->msgh_id + 100;
}

static kern_return_t routine(request_t *in, reply_t *out, mach_msg_header_t *out_head)
{
	mp_task_t *self = ct_self();

	seen.token = in->token.name;
	switch (in->mode) {
	case MODE_OK: /* the routine owns the rights it was given */
		(void)mp_port_deallocate(self, in->token.name);
		out->result = 42;
		return KERN_SUCCESS;
	case MODE_NO_REPLY: /* keeps the request's rights, replies later */
		seen.kept_reply = in->Head.msgh_remote_port;
		return MIG_NO_REPLY;
	case MODE_BAD_DEST: /* a reply to a name that is not there, with the
			     * token moved into its local slot */
		out_head->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND);
		out_head->msgh_remote_port = seen.bad_dest;
		out_head->msgh_local_port = in->token.name;
		return KERN_SUCCESS;
	case MODE_COMPLEX_REPLY: {
		complex_reply_t *c = (complex_reply_t *)(void *)out_head;

		c->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		c->Head.msgh_size = sizeof *c;
		c->msgh_body.msgh_descriptor_count = 1;
		c->port.name = in->token.name;
		c->port.disposition = MACH_MSG_TYPE_MOVE_SEND;
		c->port.type = MACH_MSG_PORT_DESCRIPTOR;
		c->port.pad1 = (uint32_t)KERN_FAILURE; /* where RetCode would be */
		return KERN_SUCCESS;
	}
	default:
		return KERN_FAILURE;
	}
}

/* A MIG-style demux: unknown ids get MIG_BAD_ID and FALSE. */
static boolean_t demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	reply_t *rep = (reply_t *)(void *)out;

	seen.calls++;
	reply_header(in, out, sizeof(reply_t));
	rep->NDR = NDR_record;
	rep->result = 0;
	switch (in->msgh_id) {
	case ID_ROUTINE: {
		kern_return_t kr = routine((request_t *)(void *)in, rep, out);

		if (!(out->msgh_bits & MACH_MSGH_BITS_COMPLEX))
			rep->RetCode = kr;
		return TRUE;
	}
	case ID_ADD:
		rep->result = ((add_request_t *)(void *)in)->value + 1;
		rep->RetCode = KERN_SUCCESS;
		return TRUE;
	case ID_STOP: /* ends mach_msg_server: its port goes */
		(void)mp_port_mod_refs(ct_self(), in->msgh_local_port, MP_PORT_RIGHT_RECEIVE, -1);
		rep->RetCode = MIG_NO_REPLY;
		return TRUE;
	default:
		rep->RetCode = MIG_BAD_ID;
		return FALSE;
	}
}

/* A client task C and a server task S; the server's port `service`, and a
 * send right to it in C under `svc`. */
typedef struct {
	mp_compat_task_t *c, *s;
	mach_port_t service, svc;
} pair_t;

#define SVC_NAME 0x7003u

static pair_t pair_make(void)
{
	pair_t p;

	memset(&seen, 0, sizeof seen);
	p.c = ct_task();
	p.s = ct_task();
	p.service = ct_port(mp_compat_port_task(p.s));
	p.svc = SVC_NAME;
	assert_int_equal(mp_port_insert_right(mp_compat_port_task(p.c), p.svc, mp_compat_port_task(p.s), p.service,
					      MP_MSG_TYPE_MAKE_SEND),
			 KERN_SUCCESS);
	(void)mp_compat_set_current(p.c);
	return p;
}

/* The client sends a routine request with a token (a port of C's) and the
 * thread's reply port; returns the token's name in C. */
static mach_port_t send_routine(const pair_t *p, int32_t mode, mach_msg_id_t id, mach_port_t reply,
				mach_msg_type_name_t reply_disp)
{
	mp_task_t *c = mp_compat_port_task(p->c);
	mach_port_t token = ct_port_send(c);
	request_t r;

	(void)mp_compat_set_current(p->c);
	memset(&r, 0, sizeof r);
	r.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, reply_disp) | MACH_MSGH_BITS_COMPLEX;
	r.Head.msgh_size = sizeof r;
	r.Head.msgh_remote_port = p->svc;
	r.Head.msgh_local_port = reply;
	r.Head.msgh_id = id;
	r.msgh_body.msgh_descriptor_count = 1;
	r.token.name = token;
	r.token.disposition = MACH_MSG_TYPE_COPY_SEND;
	r.token.type = MACH_MSG_PORT_DESCRIPTOR;
	r.NDR = NDR_record;
	r.mode = mode;
	assert_int_equal(mach_msg_send(&r.Head), MACH_MSG_SUCCESS);
	return token;
}

static mach_msg_return_t serve_once(const pair_t *p, mach_msg_size_t max_size, mach_msg_options_t options)
{
	mach_msg_return_t mr;

	(void)mp_compat_set_current(p->s);
	mr = mach_msg_server_once(demux, max_size, p->service, options);
	(void)mp_compat_set_current(p->c);
	return mr;
}

/* The client receives the reply (poll) on `port`. */
static mach_msg_return_t receive_reply(mach_port_t port, reply_rcv_t *out)
{
	memset(out, 0, sizeof *out);
	return mach_msg(&out->r.Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof *out, port, 0, MACH_PORT_NULL);
}

/* mach_msg_server_once, RetCode KERN_SUCCESS: the reply goes to the
 * send-once right (no MACH_SEND_TIMEOUT needed), the request is not
 * destroyed (the routine owns its rights). */
static void test_server_once_success_sends_reply(void **state)
{
	pair_t p = pair_make();
	mach_port_t reply = mig_get_reply_port(), token;
	reply_rcv_t in;

	(void)state;
	token = send_routine(&p, MODE_OK, ID_ROUTINE, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	assert_int_equal(serve_once(&p, sizeof(request_t), 0), MACH_MSG_SUCCESS);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(receive_reply(reply, &in), MACH_MSG_SUCCESS);
	assert_int_equal(in.r.Head.msgh_id, ID_ROUTINE + 100);
	assert_int_equal(in.r.RetCode, KERN_SUCCESS);
	assert_int_equal(in.r.result, 42);
	/* the server's space: its task names and the service port only */
	assert_int_equal(ct_names(mp_compat_port_task(p.s)), 3);
	assert_int_equal(ct_refs(mp_compat_port_task(p.c), token, MACH_PORT_RIGHT_SEND), 1);
}

/* mach_msg_server_once, MIG_NO_REPLY: no reply is sent and the request is
 * kept (the routine holds its reply right and token); the routine's late
 * reply then reaches the client. */
static void test_server_once_mig_no_reply_keeps_request(void **state)
{
	pair_t p = pair_make();
	mach_port_t reply = mig_get_reply_port();
	mp_task_t *s;
	reply_rcv_t in;
	reply_t late;

	(void)state;
	(void)send_routine(&p, MODE_NO_REPLY, ID_ROUTINE, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	assert_int_equal(serve_once(&p, sizeof(request_t), 0), MACH_MSG_SUCCESS);
	assert_int_equal(receive_reply(reply, &in), MACH_RCV_TIMED_OUT);
	s = mp_compat_port_task(p.s);
	assert_int_equal(ct_type(s, seen.kept_reply), MACH_PORT_TYPE_SEND_ONCE);
	assert_int_equal(ct_refs(s, seen.token, MACH_PORT_RIGHT_SEND), 1);

	(void)mp_compat_set_current(p.s);
	memset(&late, 0, sizeof late);
	late.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	late.Head.msgh_size = sizeof late;
	late.Head.msgh_remote_port = seen.kept_reply;
	late.Head.msgh_id = ID_ROUTINE + 100;
	assert_int_equal(mach_msg_send(&late.Head), MACH_MSG_SUCCESS);
	assert_int_equal(mp_port_deallocate(s, seen.token), KERN_SUCCESS);
	(void)mp_compat_set_current(p.c);
	assert_int_equal(receive_reply(reply, &in), MACH_MSG_SUCCESS);
	assert_int_equal(in.r.Head.msgh_id, ID_ROUTINE + 100);
}

/* mach_msg_server_once, an error RetCode: the request is destroyed except
 * its reply right (the token's send right in the server's space goes),
 * and the error reply is sent. */
static void test_server_once_error_destroys_request(void **state)
{
	pair_t p = pair_make();
	mach_port_t reply = mig_get_reply_port(), token;
	reply_rcv_t in;

	(void)state;
	token = send_routine(&p, 99 /* unknown mode: KERN_FAILURE */, ID_ROUTINE, reply,
			     MACH_MSG_TYPE_MAKE_SEND_ONCE);
	assert_int_equal(ct_status(mp_compat_port_task(p.c), token).mps_srights, 1);
	assert_int_equal(serve_once(&p, sizeof(request_t), 0), MACH_MSG_SUCCESS);
	assert_int_equal(ct_type(mp_compat_port_task(p.s), seen.token), 0);
	assert_int_equal(ct_names(mp_compat_port_task(p.s)), 3);
	assert_int_equal(receive_reply(reply, &in), MACH_MSG_SUCCESS);
	assert_int_equal(in.r.RetCode, KERN_FAILURE);
	/* the client's send right is the token's only one again */
	assert_int_equal(ct_refs(mp_compat_port_task(p.c), token, MACH_PORT_RIGHT_SEND), 1);
}

/* An unknown id: MIG's demux answers MIG_BAD_ID, which the loop treats as
 * any error (request destroyed, reply sent). */
static void test_server_once_bad_id_destroys_request(void **state)
{
	pair_t p = pair_make();
	mach_port_t reply = mig_get_reply_port();
	reply_rcv_t in;

	(void)state;
	(void)send_routine(&p, MODE_OK, 999, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	assert_int_equal(serve_once(&p, sizeof(request_t), 0), MACH_MSG_SUCCESS);
	assert_int_equal(ct_names(mp_compat_port_task(p.s)), 3);
	assert_int_equal(receive_reply(reply, &in), MACH_MSG_SUCCESS);
	assert_int_equal(in.r.RetCode, MIG_BAD_ID);
	assert_int_equal(in.r.Head.msgh_id, 1099);
}

/* mach_msg_server_mig_return_code: a complex reply is a success whatever
 * its RetCode slot holds (here KERN_FAILURE, in the descriptor's padding):
 * the request is not destroyed and the reply, with its port, is sent. */
static void test_server_once_complex_reply_counts_as_success(void **state)
{
	pair_t p = pair_make();
	mach_port_t reply = mig_get_reply_port(), token;
	union {
		complex_reply_t r;
		uint8_t bytes[256];
	} in;

	(void)state;
	token = send_routine(&p, MODE_COMPLEX_REPLY, ID_ROUTINE, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	assert_int_equal(serve_once(&p, sizeof(request_t), 0), MACH_MSG_SUCCESS);
	assert_int_equal(ct_names(mp_compat_port_task(p.s)), 3);
	memset(&in, 0, sizeof in);
	assert_int_equal(mach_msg(&in.r.Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof in, reply, 0,
				  MACH_PORT_NULL),
			 MACH_MSG_SUCCESS);
	assert_int_equal(in.r.port.name, token); /* back in C: coalesced with C's own right */
	assert_int_equal(ct_refs(mp_compat_port_task(p.c), token, MACH_PORT_RIGHT_SEND), 2);
	mach_msg_destroy(&in.r.Head);
	assert_int_equal(ct_refs(mp_compat_port_task(p.c), token, MACH_PORT_RIGHT_SEND), 1);
}

/* The reply goes to a send-once right whose port died (the client
 * destroyed its reply port): the loop returns MACH_MSG_SUCCESS and the
 * server keeps nothing (a recoverable send error destroys the reply). */
static void test_server_once_send_once_reply_to_dead_port(void **state)
{
	pair_t p = pair_make();
	mach_port_t reply = mig_get_reply_port();

	(void)state;
	(void)send_routine(&p, MODE_OK, ID_ROUTINE, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	mig_dealloc_reply_port(reply); /* the port dies */
	assert_int_equal(serve_once(&p, sizeof(request_t), 0), MACH_MSG_SUCCESS);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(ct_names(mp_compat_port_task(p.s)), 3);
}

/* A reply to a send right (not send-once) gets MACH_SEND_TIMEOUT with
 * timeout 0: to a full queue it times out, and the unsent reply is
 * destroyed (its send right released) and the call succeeds. */
static void test_server_once_send_right_reply_times_out(void **state)
{
	pair_t p = pair_make();
	mp_task_t *c = mp_compat_port_task(p.c);
	mach_port_t full = ct_port_send(c);
	reply_t filler;

	(void)state;
	assert_int_equal(mp_port_set_qlimit(c, full, 1), KERN_SUCCESS);
	memset(&filler, 0, sizeof filler);
	filler.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	filler.Head.msgh_size = sizeof filler;
	filler.Head.msgh_remote_port = full;
	assert_int_equal(mach_msg_send(&filler.Head), MACH_MSG_SUCCESS);
	(void)send_routine(&p, MODE_OK, ID_ROUTINE, full, MACH_MSG_TYPE_MAKE_SEND);
	assert_int_equal(serve_once(&p, sizeof(request_t), 0), MACH_MSG_SUCCESS);
	assert_int_equal(ct_names(mp_compat_port_task(p.s)), 3);
	assert_int_equal(ct_status(c, full).mps_msgcount, 1);
	assert_int_equal(ct_refs(c, full, MACH_PORT_RIGHT_SEND), 1);
}

/* mach_msg_server_consume_unsent_message: MACH_SEND_INVALID_DEST is
 * recoverable; the reply's local MOVE_SEND right (which mach_msg_destroy
 * leaves alone) is deallocated first, then the rest. */
static void test_server_once_invalid_dest_consumes_local_right(void **state)
{
	pair_t p = pair_make();
	mach_port_t token;

	(void)state;
	seen.bad_dest = 0x6660003u;
	token = send_routine(&p, MODE_BAD_DEST, ID_ROUTINE, MACH_PORT_NULL, 0);
	assert_int_equal(serve_once(&p, sizeof(request_t), 0), MACH_MSG_SUCCESS);
	assert_int_equal(ct_type(mp_compat_port_task(p.s), seen.token), 0);
	assert_int_equal(ct_names(mp_compat_port_task(p.s)), 3);
	assert_int_equal(ct_status(mp_compat_port_task(p.c), token).mps_srights, 1); /* C's own */
}

static void send_add(const pair_t *p, int32_t value, mach_msg_size_t pad, mach_port_t reply)
{
	static add_request_t r;

	(void)mp_compat_set_current(p->c);
	memset(&r, 0, sizeof r);
	r.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, reply ? MACH_MSG_TYPE_MAKE_SEND_ONCE : 0);
	r.Head.msgh_size = offsetof(add_request_t, pad) + pad;
	r.Head.msgh_remote_port = p->svc;
	r.Head.msgh_local_port = reply;
	r.Head.msgh_id = ID_ADD;
	r.NDR = NDR_record;
	r.value = value;
	assert_int_equal(mach_msg_send(&r.Head), MACH_MSG_SUCCESS);
}

/* mach_msg_server_once with MACH_RCV_LARGE: a request larger than max_size
 * grows the buffer (round_page(msgh_size + trailer)) and is served; without
 * it the receive's MACH_RCV_TOO_LARGE is returned and the request is gone
 * (its send-once reply right fires MACH_NOTIFY_SEND_ONCE). */
static void test_server_once_rcv_large_grows_buffer(void **state)
{
	pair_t p = pair_make();
	mach_port_t reply = mig_get_reply_port();
	reply_rcv_t in;

	(void)state;
	send_add(&p, 10, 6000, reply);
	assert_int_equal(serve_once(&p, 64, MACH_RCV_LARGE), MACH_MSG_SUCCESS);
	assert_int_equal(receive_reply(reply, &in), MACH_MSG_SUCCESS);
	assert_int_equal(in.r.result, 11);

	send_add(&p, 20, 6000, reply);
	assert_int_equal(serve_once(&p, 64, 0), MACH_RCV_TOO_LARGE);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(ct_status(mp_compat_port_task(p.s), p.service).mps_msgcount, 0);
	assert_int_equal(receive_reply(reply, &in), MACH_MSG_SUCCESS);
	assert_int_equal(in.r.Head.msgh_id, MACH_NOTIFY_SEND_ONCE);
}

/* mach_msg_server_once: a trailer request sizes the request buffer
 * (REQUESTED_TRAILER_SIZE) and reaches the routine's request; a receive
 * error (a name that is not a receive right) is returned, buffers freed. */
static void test_server_once_trailer_option_and_receive_error(void **state)
{
	pair_t p = pair_make();
	mach_port_t reply = mig_get_reply_port();
	reply_rcv_t in;

	(void)state;
	send_add(&p, 1, 0, reply);
	assert_int_equal(serve_once(&p, sizeof(add_request_t) - 6000,
				    MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
					    MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT)),
			 MACH_MSG_SUCCESS);
	assert_int_equal(receive_reply(reply, &in), MACH_MSG_SUCCESS);
	assert_int_equal(in.r.result, 2);
	(void)mp_compat_set_current(p.s);
	assert_int_equal(mach_msg_server_once(demux, 128, 0x4443u, 0), MACH_RCV_INVALID_NAME);
	assert_int_equal(mach_msg_server(demux, 128, 0x4443u, 0), MACH_RCV_INVALID_NAME);
	assert_int_equal(mach_msg_server_importance(demux, 128, 0x4443u, 0), MACH_RCV_INVALID_NAME);
}

/* ------------------------------------------------------------------------
 * mach_msg_server on its own thread, a client on this one
 * ------------------------------------------------------------------------ */

typedef struct {
	mp_compat_task_t *task;
	mach_port_t service;
	mach_msg_size_t max_size;
	mach_msg_options_t options;
	int importance;
	mach_msg_return_t mr;
} server_thread_t;

static void *server_main(void *arg)
{
	server_thread_t *st = arg;

	(void)mp_compat_set_current(st->task);
	st->mr = st->importance ? mach_msg_server_importance(demux, st->max_size, st->service, st->options)
				: mach_msg_server(demux, st->max_size, st->service, st->options);
	return NULL;
}

/* The MIG user stub's call: send the request and receive the reply in one
 * mach_msg on the thread's reply port. */
static int32_t rpc_add(const pair_t *p, int32_t value, mach_msg_size_t pad)
{
	static union {
		add_request_t req;
		reply_rcv_t rep;
	} buf;
	mach_port_t reply = mig_get_reply_port();

	memset(&buf, 0, sizeof buf);
	buf.req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	buf.req.Head.msgh_remote_port = p->svc;
	buf.req.Head.msgh_local_port = reply;
	buf.req.Head.msgh_id = ID_ADD;
	buf.req.NDR = NDR_record;
	buf.req.value = value;
	assert_int_equal(mach_msg(&buf.req.Head, MACH_SEND_MSG | MACH_RCV_MSG,
				  (mach_msg_size_t)offsetof(add_request_t, pad) + pad, sizeof buf, reply,
				  MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL),
			 MACH_MSG_SUCCESS);
	assert_int_equal(buf.rep.r.Head.msgh_id, ID_ADD + 100);
	assert_int_equal(buf.rep.r.RetCode, KERN_SUCCESS);
	return buf.rep.r.result;
}

static void run_server_thread(mach_msg_size_t max_size, mach_msg_options_t options, int importance,
			      mach_msg_size_t big_pad)
{
	pair_t p = pair_make();
	server_thread_t st = { p.s, p.service, max_size, options, importance, KERN_FAILURE };
	pthread_t th;
	mach_msg_header_t stop;

	assert_int_equal(pthread_create(&th, NULL, server_main, &st), 0);
	for (int32_t i = 0; i < 50; i++)
		assert_int_equal(rpc_add(&p, i, (mach_msg_size_t)(i % 3) * 8), i + 1);
	if (big_pad != 0)
		assert_int_equal(rpc_add(&p, 1000, big_pad), 1001);
	for (int32_t i = 0; i < 5; i++)
		assert_int_equal(rpc_add(&p, i, 0), i + 1);
	memset(&stop, 0, sizeof stop);
	stop.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	stop.msgh_size = sizeof stop;
	stop.msgh_remote_port = p.svc;
	stop.msgh_id = ID_STOP;
	assert_int_equal(mach_msg_send(&stop), MACH_MSG_SUCCESS);
	assert_int_equal(pthread_join(th, NULL), 0);
	/* mach_msg_server returns only on a receive error: the port it served
	 * is gone */
	assert_int_equal(st.mr, MACH_RCV_INVALID_NAME);
	assert_int_equal(seen.calls, 50 + (big_pad != 0) + 5 + 1);
	assert_int_equal(ct_names(mp_compat_port_task(p.s)), 2);
}

/* mach_msg_server's recoverable send errors (MACH_SEND_TIMED_OUT to a
 * full queue through a send right, a send-once right whose port died):
 * the unsent reply is destroyed in whichever buffer holds it (swapped or
 * not) and the loop goes on to a blocking receive. */
static void run_server_send_errors(mach_msg_size_t max_size, mach_msg_options_t options)
{
	pair_t p = pair_make();
	server_thread_t st = { p.s, p.service, max_size, options, 0, KERN_FAILURE };
	mp_task_t *c = mp_compat_port_task(p.c);
	mach_port_t full = ct_port_send(c), dead = ct_port(c);
	mach_msg_header_t h;
	pthread_t th;

	assert_int_equal(mp_port_set_qlimit(c, full, 1), KERN_SUCCESS);
	memset(&h, 0, sizeof h);
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_size = sizeof h;
	h.msgh_remote_port = full;
	assert_int_equal(mach_msg_send(&h), MACH_MSG_SUCCESS);
	(void)send_routine(&p, MODE_OK, ID_ROUTINE, full, MACH_MSG_TYPE_MAKE_SEND);
	(void)send_routine(&p, MODE_OK, ID_ROUTINE, dead, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	assert_int_equal(mp_port_mod_refs(c, dead, MP_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	(void)send_routine(&p, MODE_OK, ID_ROUTINE, full, MACH_MSG_TYPE_MAKE_SEND);
	h.msgh_remote_port = p.svc;
	h.msgh_id = ID_STOP;
	assert_int_equal(mach_msg_send(&h), MACH_MSG_SUCCESS);
	assert_int_equal(pthread_create(&th, NULL, server_main, &st), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(st.mr, MACH_RCV_INVALID_NAME);
	assert_int_equal(seen.calls, 4);
	assert_int_equal(ct_names(mp_compat_port_task(p.s)), 2);
	assert_int_equal(ct_status(c, full).mps_msgcount, 1);
	assert_int_equal(ct_refs(c, full, MACH_PORT_RIGHT_SEND), 1);
}

static void test_server_loop_send_errors_swapped_buffers(void **state)
{
	(void)state;
	run_server_send_errors(128, 0);
}

static void test_server_loop_send_errors_overwrite_buffers(void **state)
{
	(void)state;
	run_server_send_errors(MP_PAGE_SIZE, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT));
}

/* mach_msg_server, request and reply buffers of one size (max_size small):
 * the reply and the next request in one call in the reply buffer, then the
 * buffers swap. */
static void test_server_loop_swapped_buffers(void **state)
{
	(void)state;
	run_server_thread(128, 0, 0, 0);
}

/* mach_msg_server, a request buffer larger than the reply buffer (the
 * trailer pushes it over a page): mach_msg_overwrite receives the next
 * request into the request buffer. */
static void test_server_loop_overwrite_buffers(void **state)
{
	(void)state;
	run_server_thread(MP_PAGE_SIZE, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), 0, 0);
}

/* mach_msg_server with MACH_RCV_LARGE: a request larger than the buffer
 * grows it (the loop goes on; replies then use mach_msg_overwrite). */
static void test_server_loop_rcv_large_growth(void **state)
{
	(void)state;
	run_server_thread(64, MACH_RCV_LARGE, 0, 6000);
}

/* mach_msg_server_importance (xnu-11417: mach_msg_server itself). */
static void test_server_importance_is_server(void **state)
{
	(void)state;
	run_server_thread(128, 0, 1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_server_once_success_sends_reply),
		CT(test_server_once_mig_no_reply_keeps_request),
		CT(test_server_once_error_destroys_request),
		CT(test_server_once_bad_id_destroys_request),
		CT(test_server_once_complex_reply_counts_as_success),
		CT(test_server_once_send_once_reply_to_dead_port),
		CT(test_server_once_send_right_reply_times_out),
		CT(test_server_once_invalid_dest_consumes_local_right),
		CT(test_server_once_rcv_large_grows_buffer),
		CT(test_server_once_trailer_option_and_receive_error),
		CT(test_server_loop_swapped_buffers),
		CT(test_server_loop_overwrite_buffers),
		CT(test_server_loop_rcv_large_growth),
		CT(test_server_importance_is_server),
		CT(test_server_loop_send_errors_swapped_buffers),
		CT(test_server_loop_send_errors_overwrite_buffers),
	};

	ct_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
