/* lib/machportd/tests/proto_test.c: the request and reply decoders accept
 * what the encoders write and refuse every malformed packet with its rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "lib/machportd/proto.h"
#include "machports/le.h"

static uint8_t pkt[4096];

static void port_call_roundtrip(void **state)
{
	mpd_port_call_t c = { MPD_CALL_MOD_REFS, 0x103, MP_PORT_RIGHT_SEND, 7, -2, 0x1122334455667788ull, 9 };
	mpd_request_t r;
	mpd_diag_t d;
	size_t n = mpd_encode_port_call(pkt, sizeof pkt, 42, &c);
	(void)state;

	assert_int_equal(n, 56);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_OK);
	assert_int_equal(r.op, MPD_OP_PORT_CALL);
	assert_int_equal(r.seq, 42);
	assert_int_equal(r.u.call.call, MPD_CALL_MOD_REFS);
	assert_int_equal(r.u.call.name, 0x103);
	assert_int_equal(r.u.call.delta, -2);
	assert_int_equal(r.u.call.a64, 0x1122334455667788ull);
	/* an fd with a port call, an unknown call, a short body */
	assert_int_equal(mpd_decode_request(pkt, n, 1, &r, &d), MPD_E_FDS);
	pkt[16] = 99;
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_CALL);
	assert_int_equal(d.offset, 16);
	assert_int_equal(mpd_decode_request(pkt, n - 1, 0, &r, &d), MPD_E_LENGTH);
	assert_int_equal(mpd_encode_port_call(pkt, 55, 1, &c), 0);
}

/* The calls added at the end of the enum (swap_guard, the attributes calls)
 * decode with their arguments; the one past MPD_CALL_LAST is refused. */
static void port_call_new_calls(void **state)
{
	static const uint32_t calls[] = { MPD_CALL_SWAP_GUARD, MPD_CALL_GET_ATTRIBUTES, MPD_CALL_SET_ATTRIBUTES,
					   MPD_CALL_ASSERT_ATTRIBUTES };
	mpd_request_t r;
	mpd_diag_t d;
	size_t n;
	(void)state;

	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		mpd_port_call_t c = { calls[i], 0x203, 7, 17, 2, 0x55ull, 0x66ull };
		n = mpd_encode_port_call(pkt, sizeof pkt, 3, &c);
		assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_OK);
		assert_int_equal(r.u.call.call, calls[i]);
		assert_int_equal(r.u.call.a1, 7);
		assert_int_equal(r.u.call.a2, 17);
		assert_int_equal(r.u.call.delta, 2);
		assert_true(r.u.call.a64 == 0x55ull && r.u.call.b64 == 0x66ull);
	}
	{
		mpd_port_call_t c = { MPD_CALL_LAST + 1, 0x203, 0, 0, 0, 0, 0 };
		n = mpd_encode_port_call(pkt, sizeof pkt, 3, &c);
		assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_CALL);
	}
	/* get_attributes' largest answer (INFO_EXT, 17 natural_t) fits a reply */
	assert_true(MPD_PORT_EXTRA_MAX >= MP_PORT_INFO_EXT_COUNT * 4);
}

static void header_rules(void **state)
{
	mpd_request_t r;
	mpd_diag_t d;
	size_t n;
	(void)state;

	assert_int_equal(mpd_decode_request(pkt, 15, 0, &r, &d), MPD_E_SHORT);
	assert_int_equal(mpd_decode_request(NULL, 0, 0, &r, &d), MPD_E_SHORT);
	n = mpd_encode_header(pkt, sizeof pkt, MPD_OP_HELLO, 1, 4);
	memset(pkt + n, 0, 4);
	assert_int_equal(mpd_decode_request(pkt, n + 4, 0, &r, &d), MPD_OK);
	assert_int_equal(r.op, MPD_OP_HELLO);
	pkt[0] ^= 1;
	assert_int_equal(mpd_decode_request(pkt, n + 4, 0, &r, &d), MPD_E_MAGIC);
	pkt[0] ^= 1;
	pkt[6] = 2; /* version 2 */
	assert_int_equal(mpd_decode_request(pkt, n + 4, 0, &r, &d), MPD_E_VERSION);
	pkt[6] = 1;
	pkt[4] = 77; /* op 77 */
	assert_int_equal(mpd_decode_request(pkt, n + 4, 0, &r, &d), MPD_E_OP);
	assert_string_equal(mpd_err_name(MPD_E_OP), "MPD_E_OP");
	assert_true(d.reason[0] != '\0');
}

static size_t enc(uint32_t option, uint32_t rcv_size, uint32_t rcv_name, const mpd_ool_t *ool, uint32_t nool,
		  const void *msg, uint32_t send_size, uint32_t flags)
{
	mpd_msg_args_t m = { .option = option, .send_size = send_size, .rcv_size = rcv_size,
			     .rcv_name = rcv_name, .timeout_ms = 5, .nool = nool, .flags = flags, .msg = msg };
	return mpd_encode_msg(pkt, sizeof pkt, 7, &m, ool);
}

static void attach_and_check(void **state)
{
	mpd_request_t r;
	mpd_diag_t d;
	size_t n = mpd_encode_attach(pkt, sizeof pkt, 3, 0x1122334455667788ull, 0x99);
	(void)state;
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_OK);
	assert_int_equal(r.op, MPD_OP_ATTACH);
	assert_true(r.u.attach.space == 0x1122334455667788ull && r.u.attach.token == 0x99);
	assert_int_equal(mpd_decode_request(pkt, n, 1, &r, &d), MPD_E_FDS);
	assert_int_equal(mpd_decode_request(pkt, n - 1, 0, &r, &d), MPD_E_LENGTH);
	n = mpd_encode_header(pkt, sizeof pkt, MPD_OP_CHECK, 4, 0);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_OK);
	assert_int_equal(r.op, MPD_OP_CHECK);
	n = mpd_encode_header(pkt, sizeof pkt, MPD_OP_CHECK, 4, 4);
	assert_int_equal(mpd_decode_request(pkt, n + 4, 0, &r, &d), MPD_E_SHORT);
}

static void service_rules(void **state)
{
	mpd_request_t r;
	mpd_diag_t d;
	char longname[MPD_SERVICE_MAX + 2];
	size_t n = mpd_encode_service(pkt, sizeof pkt, MPD_OP_REGISTER, 5, 0x103, MP_MSG_TYPE_MAKE_SEND, "svc", 3);
	(void)state;
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_OK);
	assert_int_equal(r.op, MPD_OP_REGISTER);
	assert_int_equal(r.u.service.port, 0x103);
	assert_int_equal(r.u.service.name_len, 3);
	assert_memory_equal(r.u.service.name, "svc", 3);
	n = mpd_encode_service(pkt, sizeof pkt, MPD_OP_LOOK_UP, 5, 0, 0, "svc", 3);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_OK);
	assert_int_equal(r.op, MPD_OP_LOOK_UP);
	/* a NUL inside the name, at its byte */
	pkt[16 + 1] = 0;
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_LENGTH);
	assert_int_equal(d.offset, 17);
	/* empty and too long names */
	n = mpd_encode_service(pkt, sizeof pkt, MPD_OP_LOOK_UP, 5, 0, 0, "", 0);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_SHORT);
	memset(longname, 'a', sizeof longname);
	assert_int_equal(mpd_encode_service(pkt, sizeof pkt, MPD_OP_LOOK_UP, 5, 0, 0, longname, MPD_SERVICE_MAX + 1), 0);
	n = mpd_encode_header(pkt, sizeof pkt, MPD_OP_LOOK_UP, 5, MPD_SERVICE_MAX + 1);
	memcpy(pkt + n, longname, MPD_SERVICE_MAX + 1);
	assert_int_equal(mpd_decode_request(pkt, n + MPD_SERVICE_MAX + 1, 0, &r, &d), MPD_E_SHORT);
	/* no descriptors */
	n = mpd_encode_service(pkt, sizeof pkt, MPD_OP_LOOK_UP, 5, 0, 0, "svc", 3);
	assert_int_equal(mpd_decode_request(pkt, n, 1, &r, &d), MPD_E_FDS);
}

static void msg_rules(void **state)
{
	static const uint8_t msg[32] = { 1, 2, 3 };
	mpd_ool_t ool[2] = { { 0, 100 }, { 2, 5 } };
	mpd_request_t r;
	mpd_diag_t d;
	size_t n = enc(MP_MACH_SEND_MSG, 0, 0, ool, 2, msg, sizeof msg, 0);
	(void)state;

	assert_int_equal(n, 16 + 40 + 16 + 32);
	assert_int_equal(mpd_decode_request(pkt, n, 1, &r, &d), MPD_OK);
	assert_int_equal(r.u.msg.send_size, 32);
	assert_int_equal(r.u.msg.nool, 2);
	assert_int_equal(r.u.msg.ool_total, 105);
	assert_memory_equal(r.u.msg.msg, msg, 32);
	/* OOL data needs exactly one memfd */
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_FDS);
	assert_int_equal(mpd_decode_request(pkt, n, 2, &r, &d), MPD_E_FDS);
	/* descriptor indices must increase, sizes be non-zero */
	ool[1].desc_index = 0;
	n = enc(MP_MACH_SEND_MSG, 0, 0, ool, 2, msg, sizeof msg, 0);
	assert_int_equal(mpd_decode_request(pkt, n, 1, &r, &d), MPD_E_OOL_TABLE);
	assert_int_equal(d.offset, 16 + 40 + 8);
	/* a send size that does not match the body */
	n = enc(MP_MACH_SEND_MSG, 0, 0, NULL, 0, msg, sizeof msg, 0);
	pkt[16 + 4] = 31;
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_LENGTH);
	/* limits */
	n = enc(MP_MACH_RCV_MSG, MPD_MAX_RCV_SIZE + 1, 0x103, NULL, 0, NULL, 0, 0);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_TOO_LARGE);
	n = enc(MP_MACH_RCV_MSG, 64, 0x103, NULL, 0, NULL, 0, 0);
	pkt[16 + 20] = 0xff;
	pkt[16 + 21] = 0xff;
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_OOL_TABLE);
	assert_int_equal(mpd_decode_request(pkt, 16 + 20, 0, &r, &d), MPD_E_LENGTH);
	/* a message too large for a packet travels in the memfd, after the regions */
	ool[1].desc_index = 2;
	n = enc(MP_MACH_SEND_MSG, 0, 0, ool, 2, NULL, 100000, MPD_MSG_IN_FD);
	assert_int_equal(n, 16 + 40 + 16);
	assert_int_equal(mpd_decode_request(pkt, n, 1, &r, &d), MPD_OK);
	assert_null(r.u.msg.msg);
	assert_int_equal(r.u.msg.fd_bytes, 105 + 100000);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_FDS);
	pkt[16 + 24] = 8; /* an unknown flag */
	assert_int_equal(mpd_decode_request(pkt, n, 1, &r, &d), MPD_E_FLAGS);
	assert_int_equal(d.offset, 16 + 24);
	pkt[16 + 24] = MPD_MSG_IN_FD | MPD_OOL_INLINE; /* the regions cannot be in both places */
	assert_int_equal(mpd_decode_request(pkt, n, 1, &r, &d), MPD_E_FLAGS);
	/* small regions in the packet, after the message */
	{
		static const uint8_t regions[105] = { 7 };
		mpd_msg_args_t m = { .option = MP_MACH_SEND_MSG, .send_size = sizeof msg, .nool = 2,
				     .flags = MPD_OOL_INLINE, .msg = msg, .ool_total = 105, .ool_data = regions };
		n = mpd_encode_msg(pkt, sizeof pkt, 7, &m, ool);
		assert_int_equal(n, 16 + 40 + 16 + 32 + 105);
		assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_OK);
		assert_ptr_equal(r.u.msg.ool_data, pkt + 16 + 40 + 16 + 32);
		assert_int_equal(r.u.msg.ool_data[0], 7);
		assert_int_equal(r.u.msg.fd_bytes, 0);
		assert_int_equal(mpd_decode_request(pkt, n, 1, &r, &d), MPD_E_FDS); /* and no memfd */
		assert_int_equal(mpd_decode_request(pkt, n - 1, 0, &r, &d), MPD_E_LENGTH);
	}
	/* but not in the packet */
	n = enc(MP_MACH_SEND_MSG, 0, 0, NULL, 0, NULL, 0, 0);
	pkt[16 + 4] = 0x01;
	pkt[16 + 5] = 0x80; /* send size 32769 */
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_TOO_LARGE);
}

/* ---- replies ---------------------------------------------------------------- */

static uint8_t rpkt[MPD_MAX_REPLY + 64];

/* Encodes `r`, decodes it back as the reply to (r->op or `want`, r->seq). */
static size_t reply_roundtrip(const mpd_reply_t *r, mpd_op_t want, int nfds, mpd_reply_t *out)
{
	mpd_diag_t d;
	size_t n = mpd_encode_reply(rpkt, sizeof rpkt, r);
	assert_true(n >= MPD_HEADER_SIZE);
	if (mpd_decode_reply(rpkt, n, nfds, want, r->seq, out, &d) != MPD_OK)
		fail_msg("%s at %zu: %s", mpd_err_name(d.err), d.offset, d.reason);
	assert_int_equal(out->op, r->op);
	assert_int_equal(out->seq, r->seq);
	return n;
}

/* The decoder refuses rpkt[0..n) with `err` at `offset`. */
static void refused_with(size_t n, int nfds, mpd_op_t want, uint32_t seq, mpd_err_t err, size_t offset)
{
	mpd_reply_t out;
	mpd_diag_t d;
	mpd_err_t got = mpd_decode_reply(rpkt, n, nfds, want, seq, &out, &d);
	if (got != err || d.offset != offset)
		fail_msg("wanted %s at %zu, got %s at %zu: %s", mpd_err_name(err), offset, mpd_err_name(got),
			 d.offset, d.reason);
	assert_int_equal(d.err, err);
	assert_true(d.reason[0] != '\0');
}

static void reply_fixed_kinds(void **state)
{
	mpd_reply_t r, out;
	size_t n;
	(void)state;

	memset(&r, 0, sizeof r);
	r.op = MPD_OP_HELLO;
	r.seq = 3;
	r.u.hello.kr = MP_KERN_SUCCESS;
	r.u.hello.space = 0x1122334455667788ull;
	r.u.hello.token = 0x99;
	r.u.hello.pid = 77;
	r.u.hello.uid = 1000;
	r.u.hello.gid = 100;
	n = reply_roundtrip(&r, MPD_OP_HELLO, 0, &out);
	assert_int_equal(n, MPD_HEADER_SIZE + MPD_HELLO_REPLY);
	assert_true(out.u.hello.space == r.u.hello.space && out.u.hello.token == 0x99);
	assert_int_equal(out.u.hello.pid, 77);
	assert_int_equal(out.u.hello.gid, 100);
	refused_with(n, 1, MPD_OP_HELLO, 3, MPD_E_FDS, 0);
	refused_with(n, 0, MPD_OP_HELLO, 4, MPD_E_SEQ, 8);
	refused_with(n, 0, MPD_OP_ATTACH, 3, MPD_E_OP, 4);
	rpkt[MPD_HEADER_SIZE + 36] = 1;
	refused_with(n, 0, MPD_OP_HELLO, 3, MPD_E_PADDING, MPD_HEADER_SIZE + 36);

	memset(&r, 0, sizeof r);
	r.op = MPD_OP_ATTACH;
	r.seq = 4;
	r.u.attach.kr = MP_KERN_INVALID_TASK;
	n = reply_roundtrip(&r, MPD_OP_ATTACH, 0, &out);
	assert_int_equal(out.u.attach.kr, MP_KERN_INVALID_TASK);
	mp_store_le32(rpkt + 12, 5);
	refused_with(n + 1, 0, MPD_OP_ATTACH, 4, MPD_E_LENGTH, MPD_HEADER_SIZE + MPD_ATTACH_REPLY);
	mp_store_le32(rpkt + 12, 3);
	refused_with(n - 1, 0, MPD_OP_ATTACH, 4, MPD_E_SHORT, MPD_HEADER_SIZE);

	for (mpd_op_t op = MPD_OP_REGISTER; op <= MPD_OP_LOOK_UP; op++) {
		memset(&r, 0, sizeof r);
		r.op = op;
		r.seq = 5;
		r.u.service.kr = MP_KERN_SUCCESS;
		r.u.service.port = 0x207;
		n = reply_roundtrip(&r, op, 0, &out);
		assert_int_equal(n, MPD_HEADER_SIZE + MPD_SERVICE_REPLY);
		assert_int_equal(out.u.service.port, 0x207);
	}
}

static void reply_port_call(void **state)
{
	static const uint8_t extra[MPD_PORT_EXTRA_MAX] = { 1, 2, 3 };
	mpd_reply_t r, out;
	size_t n;
	(void)state;

	memset(&r, 0, sizeof r);
	r.op = MPD_OP_PORT_CALL;
	r.seq = 6;
	r.u.port_call.kr = MP_KERN_SUCCESS;
	r.u.port_call.r1 = 1;
	r.u.port_call.r2 = 2;
	r.u.port_call.r3 = 3;
	r.u.port_call.r64 = 0xabcdef0123ull;
	r.u.port_call.extra = extra;
	r.u.port_call.nextra = sizeof extra;
	n = reply_roundtrip(&r, MPD_OP_PORT_CALL, 0, &out);
	assert_int_equal(n, MPD_HEADER_SIZE + MPD_PORT_REPLY + sizeof extra);
	assert_int_equal(out.u.port_call.nextra, sizeof extra);
	assert_ptr_equal(out.u.port_call.extra, rpkt + MPD_HEADER_SIZE + MPD_PORT_REPLY);
	assert_true(out.u.port_call.r64 == 0xabcdef0123ull && out.u.port_call.r3 == 3);
	/* nextra over the bound (the encoder will not write it), and not the bytes present */
	r.u.port_call.nextra = MPD_PORT_EXTRA_MAX + 1;
	assert_int_equal(mpd_encode_reply(rpkt, sizeof rpkt, &r), 0);
	mp_store_le32(rpkt + MPD_HEADER_SIZE + 24, MPD_PORT_EXTRA_MAX + 1);
	refused_with(n, 0, MPD_OP_PORT_CALL, 6, MPD_E_COUNT, MPD_HEADER_SIZE + 24);
	mp_store_le32(rpkt + MPD_HEADER_SIZE + 24, 4);
	refused_with(n, 0, MPD_OP_PORT_CALL, 6, MPD_E_LENGTH, MPD_HEADER_SIZE + 24);
	mp_store_le32(rpkt + 12, MPD_PORT_REPLY - 1);
	refused_with(MPD_HEADER_SIZE + MPD_PORT_REPLY - 1, 0, MPD_OP_PORT_CALL, 6, MPD_E_SHORT, MPD_HEADER_SIZE);
}

/* The calls issue 12 added (NAMES, GUARD_EVENTS) are the last; one past
 * them is refused. Their replies carry up to MPD_PORT_EXTRA_MAX extra bytes
 * (a space's names: MPD_NAMES_MAX pairs), which fit MPD_MAX_REPLY. */
static void port_call_names_and_guard_events(void **state)
{
	static const uint8_t names[MPD_NAMES_MAX * 8u] = { 3, 1, 0, 0, 0, 0, 2, 0 };
	mpd_port_call_t c = { .call = MPD_CALL_NAMES };
	mpd_request_t r;
	mpd_reply_t rep, out;
	mpd_diag_t d;
	size_t n;
	(void)state;

	n = mpd_encode_port_call(pkt, sizeof pkt, 1, &c);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_OK);
	assert_int_equal(r.u.call.call, MPD_CALL_NAMES);
	c = (mpd_port_call_t){ .call = MPD_CALL_GUARD_EVENTS, .a1 = 64 };
	n = mpd_encode_port_call(pkt, sizeof pkt, 2, &c);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_OK);
	assert_int_equal(r.u.call.a1, 64);
	c.call = MPD_CALL_LAST + 1;
	n = mpd_encode_port_call(pkt, sizeof pkt, 3, &c);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_CALL);

	assert_true(MPD_HEADER_SIZE + MPD_PORT_REPLY + MPD_PORT_EXTRA_MAX <= MPD_MAX_REPLY);
	assert_int_equal(sizeof names, MPD_PORT_EXTRA_MAX);
	memset(&rep, 0, sizeof rep);
	rep.op = MPD_OP_PORT_CALL;
	rep.seq = 7;
	rep.u.port_call.r1 = MPD_NAMES_MAX;
	rep.u.port_call.extra = names;
	rep.u.port_call.nextra = sizeof names;
	n = reply_roundtrip(&rep, MPD_OP_PORT_CALL, 0, &out);
	assert_int_equal(n, MPD_HEADER_SIZE + MPD_PORT_REPLY + sizeof names);
	assert_int_equal(out.u.port_call.nextra, sizeof names);
	assert_memory_equal(out.u.port_call.extra, names, sizeof names);
}

static void reply_check_and_refused(void **state)
{
	mpd_reply_t r, out;
	char why[MPD_WHY_MAX + 1];
	size_t n;
	(void)state;

	memset(&r, 0, sizeof r);
	r.op = MPD_OP_CHECK;
	r.seq = 7;
	r.u.check.rc = 1;
	r.u.check.ports = 9;
	r.u.check.vm_regions = 2;
	r.u.check.why = "port 0x103: refs";
	r.u.check.why_len = 16;
	n = reply_roundtrip(&r, MPD_OP_CHECK, 0, &out);
	assert_int_equal(out.u.check.why_len, 16);
	assert_memory_equal(out.u.check.why, "port 0x103: refs", 16);
	assert_true(out.u.check.rc == 1 && out.u.check.ports == 9 && out.u.check.vm_regions == 2);
	rpkt[MPD_HEADER_SIZE + MPD_CHECK_REPLY + 4] = 0; /* a NUL inside the reason, at its byte */
	refused_with(n, 0, MPD_OP_CHECK, 7, MPD_E_TEXT, MPD_HEADER_SIZE + MPD_CHECK_REPLY + 4);
	memset(why, 'w', sizeof why);
	r.u.check.why = why;
	r.u.check.why_len = MPD_WHY_MAX;
	reply_roundtrip(&r, MPD_OP_CHECK, 0, &out);
	r.u.check.why_len = MPD_WHY_MAX + 1;
	assert_int_equal(mpd_encode_reply(rpkt, sizeof rpkt, &r), 0);
	n = mpd_encode_header(rpkt, sizeof rpkt, MPD_OP_CHECK, 7, MPD_CHECK_REPLY + MPD_WHY_MAX + 1);
	memset(rpkt + n, 0, MPD_CHECK_REPLY);
	mp_store_le32(rpkt + n + 24, MPD_WHY_MAX + 1);
	memcpy(rpkt + n + MPD_CHECK_REPLY, why, MPD_WHY_MAX + 1);
	refused_with(n + MPD_CHECK_REPLY + MPD_WHY_MAX + 1, 0, MPD_OP_CHECK, 7, MPD_E_COUNT, MPD_HEADER_SIZE + 24);

	/* REFUSED answers any request */
	memset(&r, 0, sizeof r);
	r.op = MPD_OP_REFUSED;
	r.seq = 8;
	r.u.refused.err = MPD_E_OOL_TABLE;
	r.u.refused.offset = 64;
	r.u.refused.reason = "OOL region 1";
	r.u.refused.reason_len = 12;
	n = reply_roundtrip(&r, MPD_OP_MSG, 0, &out);
	assert_int_equal(out.u.refused.err, MPD_E_OOL_TABLE);
	assert_int_equal(out.u.refused.offset, 64);
	assert_memory_equal(out.u.refused.reason, "OOL region 1", 12);
	reply_roundtrip(&r, MPD_OP_HELLO, 0, &out);
	refused_with(n, 0, MPD_OP_REFUSED, 8, MPD_E_OP, 4); /* no request is REFUSED */
	mp_store_le32(rpkt + MPD_HEADER_SIZE, MPD_ERR_END);
	refused_with(n, 0, MPD_OP_MSG, 8, MPD_E_CODE, MPD_HEADER_SIZE);
	mp_store_le32(rpkt + MPD_HEADER_SIZE, MPD_OK);
	refused_with(n, 0, MPD_OP_MSG, 8, MPD_E_CODE, MPD_HEADER_SIZE);
	r.u.refused.reason_len = MPD_REASON_MAX + 1;
	assert_int_equal(mpd_encode_reply(rpkt, sizeof rpkt, &r), 0);
}

static void reply_header_rules(void **state)
{
	mpd_reply_t r, out;
	size_t n;
	(void)state;

	memset(&r, 0, sizeof r);
	r.op = MPD_OP_ATTACH;
	r.seq = 9;
	n = mpd_encode_reply(rpkt, sizeof rpkt, &r);
	refused_with(MPD_HEADER_SIZE - 1, 0, MPD_OP_ATTACH, 9, MPD_E_SHORT, 0);
	assert_int_equal(mpd_decode_reply(NULL, 0, 0, MPD_OP_ATTACH, 9, &out, NULL), MPD_E_SHORT);
	refused_with(MPD_MAX_REPLY + 1, 0, MPD_OP_ATTACH, 9, MPD_E_TOO_LARGE, 0);
	rpkt[0] ^= 1;
	refused_with(n, 0, MPD_OP_ATTACH, 9, MPD_E_MAGIC, 0);
	rpkt[0] ^= 1;
	rpkt[6] = 2;
	refused_with(n, 0, MPD_OP_ATTACH, 9, MPD_E_VERSION, 6);
	rpkt[6] = 1;
	refused_with(n - 1, 0, MPD_OP_ATTACH, 9, MPD_E_LENGTH, 12);
	refused_with(n, 0, (mpd_op_t)0, 9, MPD_E_OP, 4);
	refused_with(n, 0, (mpd_op_t)(MPD_OP_LAST + 1), 9, MPD_E_OP, 4);
	/* the names come from the table */
	assert_string_equal(mpd_err_name(MPD_E_SPAN), "MPD_E_SPAN");
	assert_string_equal(mpd_err_name(MPD_E_FLAGS), "MPD_E_FLAGS");
	assert_int_equal(MPD_E_FLAGS, 10); /* the request's codes keep their values */
	assert_string_equal(mpd_err_name(MPD_ERR_END), "MPD_E_?");
	assert_true(strstr(mpd_err_rule(MPD_E_SEQ), "seq") != NULL);
}

/* A MSG reply with its tail inline, from `parts`; returns its length. */
static size_t msg_reply(const mpd_tail_parts_t *parts, uint32_t seq, mpd_reply_t *r)
{
	static uint8_t tail[MPD_INLINE_MAX];
	uint64_t len = mpd_reply_tail_size(parts);
	memset(r, 0, sizeof *r);
	r->op = MPD_OP_MSG;
	r->seq = seq;
	r->u.msg.kr = MP_MACH_MSG_SUCCESS;
	r->u.msg.nspans = parts->nspans;
	r->u.msg.nmap = parts->nmap;
	r->u.msg.ndealloc = parts->ndealloc;
	r->u.msg.flags = parts->regions_inline ? MPD_REPLY_OOL_INLINE : 0;
	r->u.msg.tail_len = (uint32_t)len;
	r->u.msg.tail = tail;
	assert_int_equal(mpd_encode_reply_tail(tail, sizeof tail, parts), len);
	return mpd_encode_reply(rpkt, sizeof rpkt, r);
}

static void reply_msg_roundtrip(void **state)
{
	static const uint8_t received[64] = { 0x13, 0, 0, 0, 40 };
	static const uint8_t region_a[100] = { 0xaa }, region_b[7] = { 0xbb };
	mpd_span_t spans[2] = { { 0, 48, received }, { 60, 4, received + 60 } };
	mpd_map_t maps[2] = { { MPD_TOKEN_BASE + 0x10, 0, sizeof region_a, 0x10, region_a },
			      { MPD_TOKEN_BASE + 0x1003, 4096, sizeof region_b, 3, region_b } };
	mpd_dealloc_t deallocs[1] = { { 0x7f0000001000ull, 8192 } };
	mpd_tail_parts_t parts = { spans, 2, maps, 2, deallocs, 1, 1 };
	mpd_reply_t r, out;
	mpd_msg_tail_t t;
	mpd_map_t m;
	mpd_dealloc_t dl;
	mpd_diag_t d;
	size_t n;
	(void)state;

	/* the regions packed in the tail */
	n = msg_reply(&parts, 10, &r);
	assert_int_equal(n, MPD_HEADER_SIZE + MPD_MSG_REPLY + 16 + 64 + 16 + 52 + 107);
	assert_int_equal(mpd_decode_reply(rpkt, n, 0, MPD_OP_MSG, 10, &out, &d), MPD_OK);
	assert_ptr_equal(out.u.msg.tail, rpkt + MPD_HEADER_SIZE + MPD_MSG_REPLY);
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 64, &t, &d), MPD_OK);
	assert_int_equal(t.nspans, 2);
	assert_int_equal(t.spans[1].off, 60);
	assert_memory_equal(t.spans[0].bytes, received, 48);
	assert_memory_equal(t.spans[1].bytes, received + 60, 4);
	assert_true(t.regions_inline);
	assert_int_equal(t.regions_len, 107);
	mpd_tail_map(&t, 1, &m);
	assert_true(m.token == MPD_TOKEN_BASE + 0x1003 && m.offset == 100 && m.len == 7 && m.page_off == 3);
	assert_int_equal(m.bytes[0], 0xbb);
	mpd_tail_dealloc(&t, 0, &dl);
	assert_true(dl.addr == 0x7f0000001000ull && dl.len == 8192);
	/* packed regions need no memfd; the spans must fit the caller's buffer */
	refused_with(n, 1, MPD_OP_MSG, 10, MPD_E_FDS, 0);
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 63, &t, &d), MPD_E_SPAN);
	assert_int_equal(d.offset, 8);

	/* the regions in a memfd (the offsets are the memfd's) */
	parts.regions_inline = 0;
	n = msg_reply(&parts, 11, &r);
	assert_int_equal(n, MPD_HEADER_SIZE + MPD_MSG_REPLY + 16 + 64 + 16 + 52);
	refused_with(n, 0, MPD_OP_MSG, 11, MPD_E_FDS, 0);
	assert_int_equal(mpd_decode_reply(rpkt, n, 1, MPD_OP_MSG, 11, &out, &d), MPD_OK);
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 64, &t, &d), MPD_OK);
	assert_false(t.regions_inline);
	mpd_tail_map(&t, 1, &m);
	assert_true(m.offset == 4096 && m.bytes == NULL);
	/* a memfd offset off a page */
	mp_store_le64(rpkt + MPD_HEADER_SIZE + MPD_MSG_REPLY + 16 + 32 + 8, 4095);
	assert_int_equal(mpd_decode_reply(rpkt, n, 1, MPD_OP_MSG, 11, &out, &d), MPD_OK);
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 64, &t, &d), MPD_E_MAP);
	assert_int_equal(d.offset, 16 + 32 + 8);

	/* a tail in the memfd: the packet holds the fixed part only */
	memset(&r, 0, sizeof r);
	r.op = MPD_OP_MSG;
	r.seq = 12;
	r.u.msg.flags = MPD_REPLY_IN_FD;
	r.u.msg.nspans = 1;
	r.u.msg.tail_len = MPD_INLINE_MAX + 8 + 1;
	r.u.msg.tail_at = 8192;
	n = mpd_encode_reply(rpkt, sizeof rpkt, &r);
	assert_int_equal(n, MPD_HEADER_SIZE + MPD_MSG_REPLY);
	assert_int_equal(mpd_decode_reply(rpkt, n, 1, MPD_OP_MSG, 12, &out, &d), MPD_OK);
	assert_null(out.u.msg.tail);
	assert_int_equal(out.u.msg.tail_at, 8192);
	refused_with(n, 0, MPD_OP_MSG, 12, MPD_E_FDS, 0);
	mp_store_le64(rpkt + MPD_HEADER_SIZE + 24, 8193);
	refused_with(n, 1, MPD_OP_MSG, 12, MPD_E_TAIL, MPD_HEADER_SIZE + 24);
	mp_store_le64(rpkt + MPD_HEADER_SIZE + 24, 8192);
	mp_store_le32(rpkt + MPD_HEADER_SIZE + 20, MPD_INLINE_MAX); /* it would have fit the packet */
	refused_with(n, 1, MPD_OP_MSG, 12, MPD_E_TAIL, MPD_HEADER_SIZE + 20);
}

static void reply_msg_rules(void **state)
{
	static const uint8_t received[32] = { 0 };
	static const uint8_t region[16] = { 0 };
	mpd_span_t spans[1] = { { 0, 32, received } };
	mpd_map_t maps[1] = { { MPD_TOKEN_BASE, 0, sizeof region, 0, region } };
	mpd_tail_parts_t parts = { spans, 1, maps, 1, NULL, 0, 1 };
	const size_t tail_at = MPD_HEADER_SIZE + MPD_MSG_REPLY;
	mpd_reply_t r, out;
	mpd_msg_tail_t t;
	mpd_diag_t d;
	size_t n = msg_reply(&parts, 13, &r);
	(void)state;

	assert_int_equal(mpd_decode_reply(rpkt, n, 0, MPD_OP_MSG, 13, &out, &d), MPD_OK);
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 32, &t, &d), MPD_OK);
	/* too many spans */
	mp_store_le32(rpkt + MPD_HEADER_SIZE + 4, MPD_MAX_SPANS + 1);
	refused_with(n, 0, MPD_OP_MSG, 13, MPD_E_COUNT, MPD_HEADER_SIZE + 4);
	mp_store_le32(rpkt + MPD_HEADER_SIZE + 4, 1);
	/* tables larger than the tail */
	mp_store_le32(rpkt + MPD_HEADER_SIZE + 12, 1000);
	refused_with(n, 0, MPD_OP_MSG, 13, MPD_E_TAIL, MPD_HEADER_SIZE + 20);
	mp_store_le32(rpkt + MPD_HEADER_SIZE + 12, 0);
	/* unknown flags, both places at once, packed regions without regions */
	mp_store_le32(rpkt + MPD_HEADER_SIZE + 16, 4);
	refused_with(n, 0, MPD_OP_MSG, 13, MPD_E_FLAGS, MPD_HEADER_SIZE + 16);
	mp_store_le32(rpkt + MPD_HEADER_SIZE + 16, MPD_REPLY_IN_FD | MPD_REPLY_OOL_INLINE);
	refused_with(n, 1, MPD_OP_MSG, 13, MPD_E_FLAGS, MPD_HEADER_SIZE + 16);
	mp_store_le32(rpkt + MPD_HEADER_SIZE + 16, MPD_REPLY_OOL_INLINE);
	/* tail_len that is not the bytes present; tail_at without a memfd */
	mp_store_le32(rpkt + MPD_HEADER_SIZE + 20, (uint32_t)(n - tail_at - 1));
	refused_with(n, 0, MPD_OP_MSG, 13, MPD_E_LENGTH, MPD_HEADER_SIZE + 20);
	mp_store_le32(rpkt + MPD_HEADER_SIZE + 20, (uint32_t)(n - tail_at));
	mp_store_le64(rpkt + MPD_HEADER_SIZE + 24, 4096);
	refused_with(n, 0, MPD_OP_MSG, 13, MPD_E_TAIL, MPD_HEADER_SIZE + 24);
	mp_store_le64(rpkt + MPD_HEADER_SIZE + 24, 0);
	refused_with(MPD_HEADER_SIZE + MPD_MSG_REPLY - 4, 0, MPD_OP_MSG, 13, MPD_E_LENGTH, 12);

	/* the tail's rules (offsets into the tail) */
	assert_int_equal(mpd_decode_reply(rpkt, n, 0, MPD_OP_MSG, 13, &out, &d), MPD_OK);
	mp_store_le32(rpkt + tail_at + 4, 49); /* a span longer than the bytes present */
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 64, &t, &d), MPD_E_TAIL);
	assert_int_equal(d.offset, 4);
	mp_store_le32(rpkt + tail_at + 4, 31); /* a byte left over */
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 64, &t, &d), MPD_E_TAIL);
	mp_store_le32(rpkt + tail_at + 4, 32);
	mp_store_le32(rpkt + tail_at, 0xffffffffu); /* a span whose end overflows */
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 64, &t, &d), MPD_E_SPAN);
	mp_store_le32(rpkt + tail_at, 0);
	mp_store_le64(rpkt + tail_at + 8, 0x7f0000000000ull); /* a token that is a user address */
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 64, &t, &d), MPD_E_MAP);
	assert_int_equal(d.offset, 8);
	mp_store_le64(rpkt + tail_at + 8, MPD_TOKEN_BASE);
	mp_store_le64(rpkt + tail_at + 8 + 24, MPD_PAGE); /* a page offset outside a page */
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 64, &t, &d), MPD_E_MAP);
	assert_int_equal(d.offset, 8 + 24);
	mp_store_le64(rpkt + tail_at + 8 + 24, 0);
	mp_store_le64(rpkt + tail_at + 8 + 8, 1); /* packed, but not first */
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 64, &t, &d), MPD_E_MAP);
	mp_store_le64(rpkt + tail_at + 8 + 8, 0);
	mp_store_le64(rpkt + tail_at + 8 + 16, 17); /* more packed bytes than present */
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 64, &t, &d), MPD_E_TAIL);
	assert_int_equal(d.offset, 8 + 16);
	mp_store_le64(rpkt + tail_at + 8 + 16, 16);
	assert_int_equal(mpd_decode_reply_tail(&out.u.msg, out.u.msg.tail, 32, &t, &d), MPD_OK);
	/* the encoder will not write more spans than the protocol carries */
	parts.nspans = MPD_MAX_SPANS + 1;
	assert_true(mpd_reply_tail_size(&parts) == UINT64_MAX);
	assert_int_equal(mpd_encode_reply_tail(rpkt, sizeof rpkt, &parts), 0);
}

/* A mach_msg2 vector send with aux data: the block and the aux bytes
 * round-trip, and each of the block's rules refuses with MPD_E_MSG2 at its
 * field's offset. */
static void msg2_rules(void **state)
{
	static const uint8_t msg[32] = { 1, 2, 3 }, aux[16] = { 9, 9, 9, 9, 9, 9, 9, 9, 7, 6 };
	const size_t blk = 16 + 40;
	mpd_msg_args_t a;
	mpd_request_t r;
	mpd_diag_t d;
	size_t n;
	(void)state;

	memset(&a, 0, sizeof a);
	a.option = MP_MACH_SEND_MSG | MP_MACH_RCV_MSG;
	a.send_size = sizeof msg;
	a.rcv_size = 64;
	a.msg = msg;
	a.flags = MPD_MSG_MSG2;
	a.msg2 = (mpd_msg2_t){ .option_hi = (uint32_t)(MP_MACH64_SEND_MQ_CALL >> 32), .bits = 0x13, .remote = 0x103,
			       .id = 77, .vec_snd_count = 2, .vec_rcv_count = 2, .msg_vec_send_size = 32,
			       .aux_send_size = 16, .aux_rcv_size = 64, .vflags = MPD_MSG2_VECTOR };
	a.aux = aux;
	n = mpd_encode_msg(pkt, sizeof pkt, 1, &a, NULL);
	assert_int_equal(n, 16 + 40 + MPD_MSG2_ARGS + 32 + 16);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_OK);
	assert_int_equal(r.u.msg.msg2.option_hi, 4);
	assert_int_equal(r.u.msg.msg2.id, 77);
	assert_int_equal(r.u.msg.msg2.aux_send_size, 16);
	assert_memory_equal(r.u.msg.msg, msg, 32);
	assert_non_null(r.u.msg.aux);
	assert_memory_equal(r.u.msg.aux, aux, 16);
	/* the aux bytes are part of the body's length */
	assert_int_equal(mpd_decode_request(pkt, n - 1, 0, &r, &d), MPD_E_LENGTH);
	/* unknown vflags */
	pkt[blk + 52] = 64;
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_MSG2);
	assert_int_equal(d.offset, blk + 52);
	/* a receive address of 0 that is not also a data address of 0 */
	pkt[blk + 52] = MPD_MSG2_VECTOR | MPD_MSG2_AUX_RCV_NULL;
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_MSG2);
	pkt[blk + 52] = MPD_MSG2_VECTOR | MPD_MSG2_MSG_RCV_NULL;
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_MSG2);
	/* a non-zero pad */
	pkt[blk + 52] = MPD_MSG2_VECTOR;
	pkt[blk + 56] = 1;
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_MSG2);
	assert_int_equal(d.offset, blk + 56);
	/* message bytes the kernel would not read (the vector says 36) */
	a.msg2.msg_vec_send_size = 36;
	n = mpd_encode_msg(pkt, sizeof pkt, 1, &a, NULL);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_MSG2);
	assert_int_equal(d.offset, blk + 40);
	/* ... or none where it reads them */
	a.msg2.msg_vec_send_size = 32;
	a.send_size = 0;
	n = mpd_encode_msg(pkt, sizeof pkt, 1, &a, NULL);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_MSG2);
	/* a scalar call has no vector fields */
	memset(&a.msg2, 0, sizeof a.msg2);
	a.send_size = 32;
	a.msg2.aux_rcv_size = 8;
	n = mpd_encode_msg(pkt, sizeof pkt, 1, &a, NULL);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_E_MSG2);
	a.msg2.aux_rcv_size = 0;
	a.msg2.vflags = MPD_MSG2_VEC_NULL; /* its buffer's address may be 0 */
	n = mpd_encode_msg(pkt, sizeof pkt, 1, &a, NULL);
	assert_int_equal(n, 16 + 40 + MPD_MSG2_ARGS + 32);
	assert_int_equal(mpd_decode_request(pkt, n, 0, &r, &d), MPD_OK);
	assert_null(r.u.msg.aux);
	/* shorter than the block */
	n = mpd_encode_header(pkt, sizeof pkt, MPD_OP_MSG, 1, 40 + 8);
	memset(pkt + n, 0, 48);
	pkt[n + 24] = MPD_MSG_MSG2;
	assert_int_equal(mpd_decode_request(pkt, n + 48, 0, &r, &d), MPD_E_SHORT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(port_call_roundtrip),
		cmocka_unit_test(header_rules),
		cmocka_unit_test(port_call_names_and_guard_events),
		cmocka_unit_test(msg_rules),
		cmocka_unit_test(msg2_rules),
		cmocka_unit_test(attach_and_check),
		cmocka_unit_test(service_rules),
		cmocka_unit_test(reply_fixed_kinds),
		cmocka_unit_test(reply_port_call),
		cmocka_unit_test(reply_check_and_refused),
		cmocka_unit_test(reply_header_rules),
		cmocka_unit_test(reply_msg_roundtrip),
		cmocka_unit_test(reply_msg_rules),
		cmocka_unit_test(port_call_new_calls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
