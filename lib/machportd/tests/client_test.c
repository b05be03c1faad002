/*
 * lib/machportd/tests/client_test.c: the client against a scripted daemon.
 *
 * A task opened with mpd_client_open_remote on one end of a socketpair; a
 * thread on the other end answers each request with the next reply of a
 * script, written with the reply encoder and then, for the malformed ones,
 * broken by hand. A well-formed reply is used; a malformed one is refused
 * (never trusted: the caller's buffer and results stay untouched) and the
 * call fails with the code the client gives a bad reply.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/machportd/client.h"
#include "lib/machportd/endpoint.h"
#include "lib/machportd/proto.h"
#include "machports/le.h"

/* One scripted answer: writes the reply to `req` into `out`, returns its length. */
typedef size_t (*answer_fn)(const mpd_request_t *req, uint8_t *out, size_t cap);

typedef struct daemon {
	int fd;
	const answer_fn *script;
	int steps;
	int bad_requests; /* requests the daemon's decoder refused (must stay 0) */
	pthread_t thread;
} daemon_t;

static void *daemon_main(void *arg)
{
	daemon_t *d = arg;
	uint8_t *in = malloc(MPD_MAX_PACKET), out[MPD_MAX_REPLY];

	for (int step = 0; in != NULL; step++) {
		int fds[4], nfds = 0, trunc = 0;
		mpd_request_t req;
		mpd_diag_t diag;
		ssize_t n = mpd_recv_packet(d->fd, in, MPD_MAX_PACKET, fds, 4, &nfds, &trunc);
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		if (n <= 0 || step >= d->steps)
			break;
		if (mpd_decode_request(in, (size_t)n, nfds, &req, &diag) != MPD_OK) {
			d->bad_requests++;
			break;
		}
		size_t len = d->script[step](&req, out, sizeof out);
		if (len == 0 || mpd_send_packet(d->fd, out, len, -1) != 0)
			break;
	}
	free(in);
	close(d->fd); /* the task ends: mpd_client_close waits for this */
	return NULL;
}

/* Opens a task served by a daemon that answers with `script`. */
static mp_kr_t open_scripted(daemon_t *d, const answer_fn *script, int steps, mpd_client_t **c)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	memset(d, 0, sizeof *d);
	d->fd = sv[1];
	d->script = script;
	d->steps = steps;
	assert_int_equal(pthread_create(&d->thread, NULL, daemon_main, d), 0);
	return mpd_client_open_remote(sv[0], 0, c);
}

static void daemon_join(daemon_t *d)
{
	pthread_join(d->thread, NULL);
	assert_int_equal(d->bad_requests, 0);
}

/* ---- the script's answers ------------------------------------------------- */

static size_t hello_ok(const mpd_request_t *req, uint8_t *out, size_t cap)
{
	mpd_reply_t r = { .op = MPD_OP_HELLO, .seq = req->seq };
	r.u.hello.kr = MP_KERN_SUCCESS;
	r.u.hello.space = 7;
	r.u.hello.token = 0x1122334455667788ull;
	r.u.hello.pid = 4321;
	return mpd_encode_reply(out, cap, &r);
}

/* HELLO with a padding word that is not 0 (MPD_E_PADDING). */
static size_t hello_bad_padding(const mpd_request_t *req, uint8_t *out, size_t cap)
{
	size_t n = hello_ok(req, out, cap);
	mp_store_le32(out + MPD_HEADER_SIZE + 4, 1);
	return n;
}

static size_t port_ok(const mpd_request_t *req, uint8_t *out, size_t cap)
{
	mpd_reply_t r = { .op = MPD_OP_PORT_CALL, .seq = req->seq };
	r.u.port_call.kr = MP_KERN_SUCCESS;
	r.u.port_call.r1 = 0x103;
	r.u.port_call.r2 = 2;
	r.u.port_call.r3 = 3;
	r.u.port_call.r64 = 64;
	return mpd_encode_reply(out, cap, &r);
}

/* PORT_CALL claiming more extra bytes than follow (MPD_E_LENGTH in the body). */
static size_t port_bad_extra(const mpd_request_t *req, uint8_t *out, size_t cap)
{
	size_t n = port_ok(req, out, cap);
	mp_store_le32(out + MPD_HEADER_SIZE + 24, 16);
	return n;
}

/* PORT_CALL answering another request (MPD_E_SEQ in the header). */
static size_t port_bad_seq(const mpd_request_t *req, uint8_t *out, size_t cap)
{
	mpd_request_t other = *req;
	other.seq++;
	return port_ok(&other, out, cap);
}

static const uint8_t written[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

/* MSG writing `span_off` + 8 bytes into the caller's buffer. */
static size_t msg_span(const mpd_request_t *req, uint8_t *out, size_t cap, uint32_t span_off)
{
	mpd_span_t span = { span_off, sizeof written, written };
	mpd_tail_parts_t parts = { .spans = &span, .nspans = 1 };
	uint8_t tail[64];
	mpd_reply_t r = { .op = MPD_OP_MSG, .seq = req->seq };
	r.u.msg.kr = MP_MACH_MSG_SUCCESS;
	r.u.msg.nspans = 1;
	r.u.msg.tail_len = (uint32_t)mpd_encode_reply_tail(tail, sizeof tail, &parts);
	r.u.msg.tail = tail;
	return mpd_encode_reply(out, cap, &r);
}

static size_t msg_ok(const mpd_request_t *req, uint8_t *out, size_t cap)
{
	return msg_span(req, out, cap, 0);
}

/* A span past the end of the caller's 64-byte buffer (MPD_E_SPAN). */
static size_t msg_bad_span(const mpd_request_t *req, uint8_t *out, size_t cap)
{
	return msg_span(req, out, cap, 60);
}

/* A LOOK_UP reply, whatever the request was. */
static size_t look_up_ok(const mpd_request_t *req, uint8_t *out, size_t cap)
{
	mpd_reply_t r = { .op = MPD_OP_LOOK_UP, .seq = req->seq };
	r.u.service.kr = MP_KERN_SUCCESS;
	r.u.service.port = 0x207;
	return mpd_encode_reply(out, cap, &r);
}

/* ---- tests --------------------------------------------------------------- */

static void hello_decoded(void **state)
{
	static const answer_fn script[] = { hello_ok };
	daemon_t d;
	mpd_client_t *c = NULL;
	uint64_t id, token;
	(void)state;

	assert_int_equal(open_scripted(&d, script, 1, &c), MP_KERN_SUCCESS);
	assert_int_equal(mpd_client_pid(c), 4321);
	mpd_client_space(c, &id, &token);
	assert_int_equal(id, 7);
	assert_true(token == 0x1122334455667788ull);
	mpd_client_close(c);
	daemon_join(&d);
}

static void hello_malformed_refused(void **state)
{
	static const answer_fn script[] = { hello_bad_padding };
	daemon_t d;
	mpd_client_t *c = NULL;
	(void)state;

	assert_int_equal(open_scripted(&d, script, 1, &c), MP_KERN_FAILURE);
	assert_null(c);
	daemon_join(&d);
}

static void port_call_replies(void **state)
{
	static const answer_fn script[] = { hello_ok, port_ok, port_bad_extra, port_bad_seq, port_ok };
	mpd_port_call_t call = { .call = MPD_CALL_ALLOCATE, .a1 = MP_PORT_RIGHT_RECEIVE };
	mpd_port_result_t o;
	daemon_t d;
	mpd_client_t *c = NULL;
	(void)state;

	assert_int_equal(open_scripted(&d, script, 5, &c), MP_KERN_SUCCESS);
	assert_int_equal(mpd_client_port_call(c, &call, &o), MP_KERN_SUCCESS);
	assert_int_equal(o.r1, 0x103);
	assert_int_equal(o.r64, 64);
	/* a body that breaks its kind's rules: refused, nothing of it used */
	assert_int_equal(mpd_client_port_call(c, &call, &o), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(o.r1, 0);
	assert_int_equal(o.nextra, 0);
	/* a reply to another request: as a connection gone */
	assert_int_equal(mpd_client_port_call(c, &call, &o), MP_KERN_FAILURE);
	assert_int_equal(o.r1, 0);
	/* the next well-formed reply is used again */
	assert_int_equal(mpd_client_port_call(c, &call, &o), MP_KERN_SUCCESS);
	assert_int_equal(o.r1, 0x103);
	mpd_client_close(c);
	daemon_join(&d);
}

static int mapped_calls, deallocated_calls;

static void count_mapped(void *ctx, uint64_t addr, uint64_t len)
{
	(void)ctx, (void)addr, (void)len;
	mapped_calls++;
}

static void count_deallocated(void *ctx, uint64_t addr, uint64_t len)
{
	(void)ctx, (void)addr, (void)len;
	deallocated_calls++;
}

static void msg_replies(void **state)
{
	static const answer_fn script[] = { hello_ok, msg_ok, msg_bad_span };
	const mpd_vm_hooks_t vm = { NULL, count_mapped, count_deallocated };
	uint8_t buf[64], untouched[64];
	daemon_t d;
	mpd_client_t *c = NULL;
	(void)state;

	assert_int_equal(open_scripted(&d, script, 3, &c), MP_KERN_SUCCESS);
	memset(buf, 0xee, sizeof buf);
	assert_int_equal(mpd_client_msg(c, buf, MP_MACH_RCV_MSG, 0, sizeof buf, 0x103, 0, &vm),
			 MP_MACH_MSG_SUCCESS);
	assert_memory_equal(buf, written, sizeof written);
	/* a span outside the buffer: the receive fails and the buffer is as it was */
	memset(buf, 0xee, sizeof buf);
	memcpy(untouched, buf, sizeof buf);
	assert_int_equal(mpd_client_msg(c, buf, MP_MACH_RCV_MSG, 0, sizeof buf, 0x103, 0, &vm),
			 MP_MACH_RCV_INVALID_DATA);
	assert_memory_equal(buf, untouched, sizeof buf);
	assert_int_equal(mapped_calls, 0);
	assert_int_equal(deallocated_calls, 0);
	mpd_client_close(c);
	daemon_join(&d);
}

/* A LOOK_UP answered as such; a REGISTER answered with a LOOK_UP reply
 * (another op: refused in the header, as a connection gone). */
static void service_and_wrong_op(void **state)
{
	static const answer_fn script[] = { hello_ok, look_up_ok, look_up_ok };
	mp_port_name_t port = 0;
	daemon_t d;
	mpd_client_t *c = NULL;
	(void)state;

	assert_int_equal(open_scripted(&d, script, 3, &c), MP_KERN_SUCCESS);
	assert_int_equal(mpd_client_look_up(c, "test.service", &port), MP_KERN_SUCCESS);
	assert_int_equal(port, 0x207);
	assert_int_equal(mpd_client_register(c, "test.service", 0x103, MP_MSG_TYPE_MAKE_SEND), MP_KERN_FAILURE);
	mpd_client_close(c);
	daemon_join(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hello_decoded),
		cmocka_unit_test(hello_malformed_refused),
		cmocka_unit_test(port_call_replies),
		cmocka_unit_test(msg_replies),
		cmocka_unit_test(service_and_wrong_op),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
