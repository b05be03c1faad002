/*
 * lib/msg/tests/recv_rules_test.c: every receive-mode rule, as an accepted
 * buffer and its rejected neighbour, with the exact mp_err and byte offset.
 * Rules: xnu-abi.md §4 (trailers), §6.6-6.9 (received forms), §10.3-10.5.
 */
#include "lib/msg/tests/test_support.h"

#define V1 0x00000103u
#define V2 0x00000207u
#define PS MP_MSG_TYPE_PORT_SEND
#define PSO MP_MSG_TYPE_PORT_SEND_ONCE
#define PR MP_MSG_TYPE_PORT_RECEIVE
#define COMPLEX MP_MSGH_BITS_COMPLEX

typedef size_t (*make_fn)(uint8_t *buf, int bad);

typedef struct recv_case {
	const char *rule;
	make_fn make;
	uint32_t want_trailer; /* passed to mp_parse_recv */
	mp_err_t err;
	size_t offset;
} recv_case_t;

static uint8_t g_buf[4096];

/* A received header (reply PORT_SEND_ONCE, dest PORT_SEND) and a trailer of
 * `tsize` bytes at msgh_size; returns msgh_size + tsize. */
static size_t recv_msg(uint8_t *p, uint32_t bits, uint32_t msgh_size, uint32_t tsize)
{
	memset(p, 0, (size_t)msgh_size + tsize);
	t_header(p, bits, msgh_size, V2, V1, 0, 42);
	t_put32(p, msgh_size, MP_MSG_TRAILER_FORMAT_0);
	t_put32(p, (size_t)msgh_size + 4, tsize);
	return (size_t)msgh_size + tsize;
}

#define BITS MP_MSGH_BITS(PSO, PS)

static size_t mk_header_truncated(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS, 24, 8);
	return bad ? 23 : n;
}
static size_t mk_size_small(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS, 24, 8);
	if (bad)
		t_put32(p, 4, 20);
	return n;
}
static size_t mk_size_unaligned(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS, 28, 8);
	if (bad)
		t_put32(p, 4, 26);
	return n;
}
static size_t mk_size_overrun(uint8_t *p, int bad)
{
	/* msgh_size 28 leaves room for the minimum trailer only in 36 bytes. */
	size_t n = recv_msg(p, BITS, 28, 8);
	return bad ? n - 4 : n;
}
static size_t mk_size_huge(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS, 28, 8);
	if (bad)
		t_put32(p, 4, 0xfffffffcu);
	return n;
}
static size_t mk_bits_unknown(uint8_t *p, int bad)
{
	return recv_msg(p, BITS | (bad ? 0x40000000u : MP_MSGH_BITS_RAISEIMP), 24, 8);
}
static size_t mk_bits_high_disposition(uint8_t *p, int bad)
{
	/* bits 5-7 of a disposition byte never come back from the kernel */
	return recv_msg(p, BITS | (bad ? 0x20u : 0u), 24, 8);
}
static size_t mk_remote_bits(uint8_t *p, int bad)
{
	return recv_msg(p, MP_MSGH_BITS(bad ? MP_MSG_TYPE_COPY_SEND : 0, PS), 24, 8);
}
static size_t mk_remote_bits_receive(uint8_t *p, int bad)
{
	return recv_msg(p, MP_MSGH_BITS(bad ? PR : PS, PS), 24, 8);
}
static size_t mk_local_bits_zero(uint8_t *p, int bad)
{
	return recv_msg(p, MP_MSGH_BITS(PSO, bad ? 0 : PSO), 24, 8);
}
static size_t mk_local_bits_make(uint8_t *p, int bad)
{
	return recv_msg(p, MP_MSGH_BITS(0, bad ? MP_MSG_TYPE_MAKE_SEND : PS), 24, 8);
}
/* §10.3: VOUCHER bits can be 0, 17 or 19. */
static size_t mk_voucher_bits(uint8_t *p, int bad)
{
	return recv_msg(p, MP_MSGH_BITS_SET_PORTS(PSO, PS, bad ? PSO : MP_MSG_TYPE_COPY_SEND), 24, 8);
}
/* §10.4: the minimal error header keeps COMPLEX with msgh_size 24. */
static size_t mk_minimal_error_header(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS | COMPLEX, bad ? 28 : 24, 20);
	if (bad)
		t_put32(p, 24, 1); /* now a body claims a descriptor that is not there */
	return n;
}
static size_t mk_desc_count(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS | COMPLEX, 40, 8);
	t_put32(p, 24, bad ? 2 : 1);
	t_port_desc(p, 28, V1, PS);
	t_put32(p, 40, 0);
	t_put32(p, 44, 8);
	return n;
}
static size_t mk_desc_truncated(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS | COMPLEX, 40, 8);
	t_put32(p, 24, 1);
	if (bad)
		t_ool_desc(p, 28, MP_MSG_OOL_DESCRIPTOR, 0, 0, 0, 0);
	else
		t_port_desc(p, 28, V1, PS);
	t_put32(p, 40, 0);
	t_put32(p, 44, 8);
	return n;
}
static size_t mk_desc_type(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS | COMPLEX, 44, 8);
	t_put32(p, 24, 1);
	t_ool_desc(p, 28, bad ? 6 : MP_MSG_OOL_DESCRIPTOR, 0x7000, 10, 1, 1);
	return n;
}
static size_t mk_port_disposition(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS | COMPLEX, 40, 8);
	t_put32(p, 24, 1);
	t_port_desc(p, 28, V1, bad ? MP_MSG_TYPE_COPY_SEND : PR);
	return n;
}
/* §10.7: an OOL-ports descriptor may arrive with disposition 0. */
static size_t mk_ool_ports_disposition(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS | COMPLEX, 44, 8);
	t_put32(p, 24, 1);
	t_ool_ports_desc(p, 28, 0, 0, bad ? MP_MSG_TYPE_MAKE_SEND_ONCE : 0, 1, 1);
	return n;
}
static size_t mk_ool_copy(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS | COMPLEX, 44, 8);
	t_put32(p, 24, 1);
	t_ool_desc(p, 28, MP_MSG_OOL_VOLATILE_DESCRIPTOR, 0x7000, 10, bad ? MP_MSG_ALLOCATE : 0, 0);
	return n;
}
/* §10.5: a destroyed guarded descriptor arrives with flags 1|2 = 3. */
static size_t mk_guarded_flags(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS | COMPLEX, 44, 8);
	t_put32(p, 24, 1);
	t_guarded_desc(p, 28, 0, PR, bad ? 0x7 : 0x3, 0);
	return n;
}
static size_t mk_guarded_disposition(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS | COMPLEX, 44, 8);
	t_put32(p, 24, 1);
	/* any context is accepted: XNU writes the receive buffer's address */
	t_guarded_desc(p, 28, V1, bad ? PS : PR, 1, 0x00007ffee0001000ull);
	return n;
}
static size_t mk_trailer_format(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS, 24, 12);
	if (bad)
		t_put32(p, 24, 1);
	return n;
}
static size_t mk_trailer_size(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS, 24, 20);
	if (bad)
		t_put32(p, 28, 16);
	return n;
}
static size_t mk_trailer_overrun(uint8_t *p, int bad)
{
	size_t n = recv_msg(p, BITS, 24, 52);
	return bad ? n - 4 : n;
}
static size_t mk_trailer_mismatch(uint8_t *p, int bad)
{
	return recv_msg(p, BITS, 24, bad ? 20 : 52);
}

static const recv_case_t cases[] = {
    {"buffer shorter than the header", mk_header_truncated, 0, MP_E_RECV_HEADER_TRUNCATED, 0},
    {"msgh_size below 24", mk_size_small, 0, MP_E_RECV_SIZE, 4},
    {"msgh_size not a multiple of 4", mk_size_unaligned, 0, MP_E_RECV_SIZE, 4},
    {"msgh_size leaves no room for a trailer", mk_size_overrun, 0, MP_E_RECV_SIZE_OVERRUN, 4},
    {"msgh_size far past the buffer", mk_size_huge, 0, MP_E_RECV_SIZE_OVERRUN, 4},
    {"unknown msgh_bits", mk_bits_unknown, 0, MP_E_RECV_BITS_UNKNOWN, 0},
    {"high bits of a disposition byte", mk_bits_high_disposition, 0, MP_E_RECV_BITS_UNKNOWN, 0},
    {"REMOTE bits COPY_SEND", mk_remote_bits, 0, MP_E_RECV_REMOTE_BITS, 0},
    {"REMOTE bits PORT_RECEIVE", mk_remote_bits_receive, 0, MP_E_RECV_REMOTE_BITS, 0},
    {"LOCAL bits 0", mk_local_bits_zero, 0, MP_E_RECV_LOCAL_BITS, 1},
    {"LOCAL bits MAKE_SEND", mk_local_bits_make, 0, MP_E_RECV_LOCAL_BITS, 1},
    {"VOUCHER bits PORT_SEND_ONCE", mk_voucher_bits, 0, MP_E_RECV_VOUCHER_BITS, 2},
    {"minimal error header: COMPLEX with msgh_size 24", mk_minimal_error_header, 20, MP_E_DESC_COUNT, 24},
    {"descriptor count bound", mk_desc_count, 0, MP_E_DESC_COUNT, 24},
    {"descriptor overruns msgh_size", mk_desc_truncated, 0, MP_E_DESC_TRUNCATED, 28},
    {"descriptor type 6", mk_desc_type, 0, MP_E_DESC_TYPE, 39},
    {"port disposition COPY_SEND", mk_port_disposition, 0, MP_E_RECV_PORT_DISPOSITION, 38},
    {"OOL-ports disposition MAKE_SEND_ONCE", mk_ool_ports_disposition, 0, MP_E_RECV_PORT_DISPOSITION, 38},
    {"OOL copy ALLOCATE", mk_ool_copy, 0, MP_E_OOL_COPY, 37},
    {"guarded flags outside 0x3", mk_guarded_flags, 0, MP_E_GUARDED_FLAGS, 36},
    {"guarded disposition PORT_SEND", mk_guarded_disposition, 0, MP_E_GUARDED_DISPOSITION, 38},
    {"trailer format 1", mk_trailer_format, 0, MP_E_TRAILER_FORMAT, 24},
    {"trailer size 16", mk_trailer_size, 0, MP_E_TRAILER_SIZE, 28},
    {"trailer past the buffer", mk_trailer_overrun, 0, MP_E_TRAILER_OVERRUN, 28},
    {"trailer size differs from the request", mk_trailer_mismatch, 52, MP_E_TRAILER_MISMATCH, 28},
};

static void run_case(void **state)
{
	const recv_case_t *c = *state;
	mp_msg_view_t v;
	mp_diag_t diag;
	size_t len;
	mp_err_t err;

	len = c->make(g_buf, 0);
	memset(&diag, 0, sizeof diag);
	if (mp_parse_recv(&v, g_buf, len, c->want_trailer, &diag) != MP_OK)
		fail_msg("%s: neighbour rejected: %s at %zu: %s", c->rule, mp_err_name(diag.err),
			 diag.offset, diag.reason);

	len = c->make(g_buf, 1);
	memset(&diag, 0, sizeof diag);
	err = mp_parse_recv(&v, g_buf, len, c->want_trailer, &diag);
	if (err != c->err)
		fail_msg("%s: got %s (%s), want %s", c->rule, mp_err_name(err), diag.reason,
			 mp_err_name(c->err));
	if (diag.offset != c->offset)
		fail_msg("%s: offset %zu, want %zu (%s)", c->rule, diag.offset, c->offset, diag.reason);
	assert_non_null(strstr(diag.reason, mp_err_str(err)));
}

/* Every trailer size XNU produces is accepted; the elements land at §4.1's offsets. */
static void test_trailer_elements(void **state)
{
	static const uint32_t sizes[] = {8, 12, 20, 52, 60, 68};
	(void)state;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		uint8_t b[24 + 68 + 8];
		mp_msg_view_t v;
		uint32_t ts = sizes[i];
		memset(b, 0xff, sizeof b); /* canary beyond the trailer, as XNU's transport test */
		recv_msg(b, BITS, 24, ts);
		for (uint32_t k = 8; k < ts; k += 4)
			t_put32(b, 24 + k, 0x1000u + k); /* each word names its offset */
		assert_int_equal(mp_parse_recv(&v, b, sizeof b, ts, NULL), MP_OK);
		assert_int_equal(v.trailer.size, ts);
		assert_int_equal(v.trailer.has_seqno, ts >= 12);
		assert_int_equal(v.trailer.has_sender, ts >= 20);
		assert_int_equal(v.trailer.has_audit, ts >= 52);
		assert_int_equal(v.trailer.has_context, ts >= 60);
		assert_int_equal(v.trailer.has_mac, ts >= 68);
		if (ts >= 12)
			assert_int_equal(v.trailer.seqno, 0x1008);
		if (ts >= 20) {
			assert_int_equal(v.trailer.sender.val[0], 0x100c);
			assert_int_equal(v.trailer.sender.val[1], 0x1010);
		}
		if (ts >= 52) {
			assert_int_equal(v.trailer.audit.val[0], 0x1014);
			assert_int_equal(v.trailer.audit.val[5], 0x1014 + 20); /* pid slot */
			assert_int_equal(v.trailer.audit.val[7], 0x1030);
		}
		if (ts >= 60)
			assert_int_equal(v.trailer.context, ((uint64_t)0x1038 << 32) | 0x1034);
		if (ts >= 68) {
			assert_int_equal(v.trailer.ad, 0x103c);
			assert_int_equal(v.trailer.labels, 0x1040);
		}
	}
}

/* mp_rcv_trailer_size is REQUESTED_TRAILER_SIZE: other element values give 68 (§4.2). */
static void test_requested_trailer_size(void **state)
{
	static const uint32_t want[16] = {8, 12, 20, 52, 60, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68, 68};
	(void)state;
	for (uint32_t e = 0; e < 16; e++)
		assert_int_equal(mp_rcv_trailer_size(MP_RCV_TRAILER_ELEMENTS(e) | MP_MACH_RCV_MSG |
						     MP_RCV_TRAILER_TYPE(MP_MSG_TRAILER_FORMAT_0)),
				 want[e]);
}

/* Slack after the trailer is fine; every strict prefix of a slack-free buffer is rejected. */
static void test_prefixes_rejected(void **state)
{
	uint8_t b[256];
	mp_msg_view_t v;
	size_t n;
	(void)state;
	n = recv_msg(b, BITS | COMPLEX, 72, 52);
	t_put32(b, 24, 3);
	t_port_desc(b, 28, V1, PR);
	t_ool_desc(b, 40, MP_MSG_OOL_DESCRIPTOR, 0x10000, 100, 1, 1);
	t_guarded_desc(b, 56, V2, PR, 1, 0x1234);
	assert_int_equal(mp_parse_recv(&v, b, n, 52, NULL), MP_OK);
	assert_int_equal(v.desc_count, 3);
	assert_int_equal(mp_parse_recv(&v, b, sizeof b, 52, NULL), MP_OK);
	for (size_t k = 0; k < n; k++)
		assert_int_not_equal(mp_parse_recv(&v, b, k, 0, NULL), MP_OK);
}

/* Inline data is everything between the descriptors and msgh_size. */
static void test_inline_span(void **state)
{
	uint8_t b[128];
	mp_msg_view_t v;
	size_t len;
	(void)state;
	recv_msg(b, BITS | COMPLEX, 48, 8);
	t_put32(b, 24, 1);
	t_port_desc(b, 28, MP_PORT_DEAD, 0);
	memcpy(b + 40, "machport", 8);
	assert_int_equal(mp_parse_recv(&v, b, 56, 8, NULL), MP_OK);
	const uint8_t *p = mp_view_inline(&v, &len);
	assert_int_equal(len, 8);
	assert_memory_equal(p, "machport", 8);
}

int main(void)
{
	const struct CMUnitTest extra[] = {
	    cmocka_unit_test(test_trailer_elements),
	    cmocka_unit_test(test_requested_trailer_size),
	    cmocka_unit_test(test_prefixes_rejected),
	    cmocka_unit_test(test_inline_span),
	};
	return t_run_table("recv_rules", cases, sizeof cases / sizeof cases[0], sizeof cases[0], run_case,
			   extra, sizeof extra / sizeof extra[0]);
}
