/* lib/machportd/tests/proto_test.c: the request decoder accepts what the
 * encoders write and refuses every malformed packet with its rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "lib/machportd/proto.h"

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
	pkt[16 + 24] = 4; /* an unknown flag */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(port_call_roundtrip),
		cmocka_unit_test(header_rules),
		cmocka_unit_test(msg_rules),
		cmocka_unit_test(attach_and_check),
		cmocka_unit_test(service_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
