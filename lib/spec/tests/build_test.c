/*
 * lib/spec/tests/build_test.c: mp_spec_build_request / _reply / _error_reply:
 * right by construction (counts from the values, NDR, padding zeroed, the
 * c_string's NUL, variable fields shrunk), and the round trip: a built
 * request, as the kernel delivers it, passes mp_spec_check_request and its
 * view gives the values back.
 */
#include "lib/spec/tests/spec_test_support.h"

static const mp_spec_header_t request_hdr = {
	.remote = 0x103, .remote_disposition = MP_MSG_TYPE_COPY_SEND,
	.local = 0x207, .local_disposition = MP_MSG_TYPE_MAKE_SEND_ONCE,
};
static const mp_spec_header_t reply_hdr = {
	.remote = 0x207, .remote_disposition = MP_MSG_TYPE_MOVE_SEND_ONCE,
};

static size_t build_mer(uint8_t *buf, size_t cap, uint32_t ncodes, mp_err_t *err,
			mp_diag_t *diag)
{
	static const int64_t codes[3] = {0x1000, 0x1001, 0x1002};
	static const int32_t exc = 1;
	mp_spec_value_t descs[2] = {{.name = 0x303}, {.name = 0x403}};
	mp_spec_value_t fields[3] = {{.data = &exc}, {0}, {.data = codes, .count = ncodes}};
	size_t len = 0;
	*err = mp_spec_build_request(&t_mach_exception_raise, &request_hdr, descs, fields, buf, cap,
				     &len, diag);
	return len;
}

static void test_build_mach_exception_raise_layout(void **state)
{
	(void)state;
	uint8_t m[256];
	mp_err_t err;
	size_t len = build_mer(m, sizeof m, 2, &err, NULL);
	assert_int_equal(err, MP_OK);
	assert_int_equal(len, 84);
	assert_int_equal(t_get32(m, 0), T_COMPLEX | 19u | (21u << 8));
	assert_int_equal(t_get32(m, 4), 84);
	assert_int_equal(t_get32(m, 20), 2405);
	assert_int_equal(t_get32(m, 24), 2);
	assert_int_equal(m[28 + 10], MP_MSG_TYPE_COPY_SEND); /* the spec's send disposition */
	static const uint8_t ndr[8] = {0, 0, 0, 0, 1, 0, 0, 0};
	assert_memory_equal(m + 52, ndr, 8);
	assert_int_equal(t_get32(m, 60), 1);
	assert_int_equal(t_get32(m, 64), 2); /* codeCnt from the value */
	assert_int_equal(mp_load_le64(m + 76), 0x1001);
	/* one code: the message shrinks by 8 */
	len = build_mer(m, sizeof m, 1, &err, NULL);
	assert_int_equal(err, MP_OK);
	assert_int_equal(len, 76);
	assert_int_equal(t_get32(m, 64), 1);
}

static void test_build_round_trip_mach_exception_raise(void **state)
{
	(void)state;
	for (uint32_t n = 0; n <= 2; n++) {
		uint8_t m[256];
		mp_err_t err;
		build_mer(m, sizeof m, n, &err, NULL);
		assert_int_equal(err, MP_OK);
		size_t len = t_as_received(m, 8);
		mp_spec_view_t v;
		mp_spec_diag_t d;
		assert_int_equal(mp_spec_check_request(&t_mach_exc_subsystem, m, len, MP_SPEC_STRICT,
						       &v, &d),
				 MP_MIG_SUCCESS);
		uint32_t cnt;
		const uint8_t *code = mp_spec_field(&v, T_MER_CODE, &cnt);
		assert_int_equal(cnt, n);
		for (uint32_t i = 0; i < n; i++)
			assert_int_equal(mp_load_le64(code + 8 * i), 0x1000 + i);
		mp_desc_t dsc;
		assert_true(mp_spec_desc(&v, 0, &dsc));
		assert_int_equal(dsc.name, 0x303);
	}
}

static void test_build_round_trip_p_str_strings_and_padding(void **state)
{
	(void)state;
	static const uint8_t b[3] = {'x', 'y', 'z'};
	static const int32_t ints[2] = {5, 6};
	static const int32_t pair[2] = {7, 8};
	mp_spec_value_t fields[9] = {
		[T_PSTR_NAME] = {.data = "hello"},
		[T_PSTR_FIXED] = {.data = "fixed"},
		[T_PSTR_B] = {.data = b, .count = 3},
		[T_PSTR_I] = {.data = ints, .count = 2},
		[T_PSTR_P] = {.data = pair},
	};
	uint8_t m[512];
	memset(m, 0xee, sizeof m);
	size_t len = 0;
	assert_int_equal(mp_spec_build_request(&t_p_str, &request_hdr, NULL, fields, m, sizeof m,
					       &len, NULL),
			 MP_OK);
	/* 88 (min) + _WALIGN_(6) + _WALIGN_(3) + 4 * 2 */
	assert_int_equal(len, 88 + 8 + 4 + 8);
	assert_int_equal(t_get32(m, 32), 0); /* nameOffset */
	assert_int_equal(t_get32(m, 36), 6); /* nameCnt counts the NUL */
	assert_memory_equal(m + 40, "hello\0\0\0", 8);
	assert_memory_equal(m + 48, "fixed", 6);
	for (int i = 54; i < 80; i++)
		assert_int_equal(m[i], 0); /* fixed's rest zeroed */
	assert_int_equal(t_get32(m, 80), 3);
	assert_memory_equal(m + 84, "xyz\0", 4);
	len = t_as_received(m, 8);
	mp_spec_view_t v;
	assert_int_equal(mp_spec_check_request(&t_probe_subsystem, m, len, MP_SPEC_STRICT, &v, NULL),
			 MP_MIG_SUCCESS);
	assert_string_equal(mp_spec_field_string(&v, T_PSTR_NAME), "hello");
	assert_string_equal(mp_spec_field_string(&v, T_PSTR_FIXED), "fixed");
	uint64_t p;
	assert_true(mp_spec_field_u64(&v, T_PSTR_P, &p));
	assert_int_equal(p, 7 | ((uint64_t)8 << 32));
	uint32_t n;
	const uint8_t *i = mp_spec_field(&v, T_PSTR_I, &n);
	assert_int_equal(n, 2);
	assert_int_equal(mp_load_le32(i + 4), 6);
}

static void test_build_string_with_count_adds_the_nul(void **state)
{
	(void)state;
	mp_spec_value_t fields[9] = {
		[T_PSTR_NAME] = {.data = "abcdef", .count = 3},
		[T_PSTR_FIXED] = {.data = "0123456789", .count = 4},
	};
	uint8_t m[512];
	size_t len = 0;
	assert_int_equal(mp_spec_build_request(&t_p_str, &request_hdr, NULL, fields, m, sizeof m,
					       &len, NULL),
			 MP_OK);
	assert_int_equal(t_get32(m, 36), 4);
	assert_memory_equal(m + 40, "abc\0", 4);
	assert_memory_equal(m + 44, "0123\0", 5);
}

static void test_build_round_trip_p_ool_descriptors_and_trailer(void **state)
{
	(void)state;
	static const int32_t data[3] = {1, 2, 3};
	static const uint32_t names[2] = {0x903, 0xa03};
	static const int32_t data2[4] = {9, 8, 7, 6};
	mp_spec_value_t descs[4] = {
		[T_POOL_D_DATA] = {.address = mp_addr(data), .size = sizeof data,
				   .copy = MP_MSG_VIRTUAL_COPY},
		[T_POOL_D_PORTS] = {.address = mp_addr(names), .size = 2},
		[T_POOL_D_POLY] = {.name = 0x503, .disposition = MP_MSG_TYPE_MAKE_SEND_ONCE},
		[T_POOL_D_SR] = {.name = 0x603},
	};
	mp_spec_value_t fields[4] = {[T_POOL_DATA2] = {.data = data2, .count = 4}};
	uint8_t m[1024];
	size_t len = 0;
	mp_diag_t bd;
	assert_int_equal(mp_spec_build_request(&t_p_ool, &request_hdr, descs, fields, m, sizeof m,
					       &len, &bd),
			 MP_OK);
	assert_int_equal(len, 104 + 16);
	assert_int_equal(t_get32(m, 92), 3);  /* dataCnt = size / 4 */
	assert_int_equal(t_get32(m, 96), 4);  /* data2Cnt */
	assert_int_equal(t_get32(m, 116), 2); /* portsCnt, moved down */
	assert_int_equal(m[72 + 10], MP_MSG_TYPE_MAKE_SEND); /* sr: the spec's disposition */
	assert_int_equal(m[60 + 10], MP_MSG_TYPE_MAKE_SEND_ONCE);
	len = t_as_received(m, 52);
	mp_spec_view_t v;
	mp_spec_diag_t d;
	assert_int_equal(mp_spec_check_request(&t_probe_subsystem, m, len, MP_SPEC_STRICT, &v, &d),
			 MP_MIG_SUCCESS);
	mp_desc_t dsc;
	assert_true(mp_spec_desc(&v, T_POOL_D_DATA, &dsc));
	assert_int_equal(dsc.address, mp_addr(data));
	assert_int_equal(dsc.length, 12);
	uint8_t seq[4];
	assert_true(mp_spec_trailer(&v, MP_SPEC_TRAILER_SEQNO, seq, sizeof seq));
}

static void test_build_request_without_arguments(void **state)
{
	(void)state;
	uint8_t m[64];
	size_t len = 0;
	assert_int_equal(mp_spec_build_request(&t_p_out, &request_hdr, NULL, NULL, m, sizeof m,
					       &len, NULL),
			 MP_OK);
	assert_int_equal(len, 24); /* no NDR: no in argument */
	len = t_as_received(m, 8);
	assert_int_equal(mp_spec_check_request(&t_probe_subsystem, m, len, MP_SPEC_STRICT, NULL, NULL),
			 MP_MIG_SUCCESS);
	static const int32_t x = 3;
	static const int64_t y = -1;
	mp_spec_value_t fields[2] = {{.data = &x}, {.data = &y}};
	assert_int_equal(mp_spec_build_request(&t_p_simple, &request_hdr, NULL, fields, m, sizeof m,
					       &len, NULL),
			 MP_OK);
	assert_int_equal(len, 44);
	assert_int_equal(mp_load_le64(m + 36), (uint64_t)-1);
}

static void test_build_refuses_values_outside_the_spec(void **state)
{
	(void)state;
	uint8_t m[512];
	mp_err_t err;
	mp_diag_t d;
	build_mer(m, sizeof m, 3, &err, &d);
	assert_int_equal(err, MP_E_INVALID_ARG);
	assert_non_null(strstr(d.reason, "code"));
	char long_name[80];
	memset(long_name, 'a', 64);
	long_name[64] = 0;
	mp_spec_value_t fields[9] = {[T_PSTR_NAME] = {.data = long_name}};
	size_t len;
	assert_int_equal(mp_spec_build_request(&t_p_str, &request_hdr, NULL, fields, m, sizeof m,
					       &len, &d),
			 MP_E_INVALID_ARG);
	assert_non_null(strstr(d.reason, "name"));
	long_name[63] = 0; /* 63 chars + NUL = 64: fits */
	assert_int_equal(mp_spec_build_request(&t_p_str, &request_hdr, NULL, fields, m, sizeof m,
					       &len, &d),
			 MP_OK);
	mp_spec_value_t fixed[9] = {[T_PSTR_FIXED] = {.data = "0123456789012345678901234567890123"}};
	assert_int_equal(mp_spec_build_request(&t_p_str, &request_hdr, NULL, fixed, m, sizeof m,
					       &len, &d),
			 MP_E_INVALID_ARG);
	assert_non_null(strstr(d.reason, "fixed"));
	mp_spec_value_t odd[4] = {[T_POOL_D_DATA] = {.size = 13}};
	assert_int_equal(mp_spec_build_request(&t_p_ool, &request_hdr, odd, NULL, m, sizeof m, &len,
					       &d),
			 MP_E_INVALID_ARG);
	assert_int_equal(mp_spec_build_request(NULL, &request_hdr, NULL, NULL, m, sizeof m, &len, &d),
			 MP_E_INVALID_ARG);
}

static void test_build_no_space(void **state)
{
	(void)state;
	uint8_t m[64];
	mp_err_t err;
	size_t len = build_mer(m, sizeof m, 2, &err, NULL);
	assert_int_equal(err, MP_E_NO_SPACE);
	assert_int_equal(len, 84);
}

static void test_build_reply(void **state)
{
	(void)state;
	uint8_t m[8192];
	size_t len = 0;
	assert_int_equal(mp_spec_build_reply(&t_mach_exception_raise, &reply_hdr, 5, NULL, NULL, m,
					     sizeof m, &len, NULL),
			 MP_OK);
	assert_int_equal(len, 36);
	assert_int_equal(t_get32(m, 20), 2505);
	assert_int_equal(t_get32(m, 32), 5);
	static const int32_t flavor = 7;
	static const uint32_t st[3] = {1, 2, 3};
	mp_spec_value_t fields[4] = {{0}, {.data = &flavor}, {0}, {.data = st, .count = 3}};
	assert_int_equal(mp_spec_build_reply(&t_mach_exception_raise_state, &reply_hdr, 0, NULL,
					     fields, m, sizeof m, &len, NULL),
			 MP_OK);
	assert_int_equal(len, 44 + 12);
	assert_int_equal(t_get32(m, 36), 7);
	assert_int_equal(t_get32(m, 40), 3);
	assert_int_equal(t_get32(m, 52), 3);
	assert_int_equal(mp_spec_build_reply(&t_p_simple, &reply_hdr, 0, NULL, NULL, m, sizeof m,
					     &len, NULL),
			 MP_E_INVALID_ARG);
}

static void test_build_reply_round_trip_through_check_reply(void **state)
{
	(void)state;
	static const int32_t data[2] = {1, 2};
	static const int32_t ints[3] = {4, 5, 6};
	mp_spec_value_t descs[2] = {{.address = mp_addr(data), .size = sizeof data},
				    {.name = 0x803}};
	mp_spec_value_t fields[6] = {[2] = {.data = "out"}, [5] = {.data = ints, .count = 3}};
	uint8_t m[512];
	size_t len = 0;
	assert_int_equal(mp_spec_build_reply(&t_p_out, &reply_hdr, 0, descs, fields, m, sizeof m,
					     &len, NULL),
			 MP_OK);
	assert_int_equal(len, 80 + 4 + 12);
	assert_int_equal(t_get32(m, 20), 7204);
	len = t_as_received(m, 8);
	mp_spec_view_t v;
	mp_spec_diag_t d;
	assert_int_equal(mp_spec_check_reply(&t_p_out, m, len, MP_SPEC_STRICT, &v, &d),
			 MP_MIG_SUCCESS);
	assert_string_equal(mp_spec_field_string(&v, 2), "out");
	uint32_t n;
	const uint8_t *i = mp_spec_field(&v, 5, &n);
	assert_int_equal(n, 3);
	assert_int_equal(mp_load_le32(i + 8), 6);
}

/* mirrors migcom server.c WriteDispatcher + MIG_RETURN_ERROR */
static void test_build_error_reply_as_the_demux_writes_it(void **state)
{
	(void)state;
	uint8_t req[128], out[64];
	size_t len = t_mer(req, 2);
	size_t out_len = 0;
	assert_int_equal(mp_spec_build_error_reply(req, len, MP_MIG_BAD_ARGUMENTS, out, sizeof out,
						   &out_len),
			 MP_OK);
	assert_int_equal(out_len, 36);
	assert_int_equal(t_get32(out, 0), 18); /* MACH_MSGH_BITS(REPLY(bits) = REMOTE, 0) */
	assert_int_equal(t_get32(out, 4), 36);
	assert_int_equal(t_get32(out, 8), 0x103); /* the request's msgh_remote_port */
	assert_int_equal(t_get32(out, 12), 0);
	assert_int_equal(t_get32(out, 16), 0);
	assert_int_equal(t_get32(out, 20), 2505);
	static const uint8_t ndr[8] = {0, 0, 0, 0, 1, 0, 0, 0};
	assert_memory_equal(out + 24, ndr, 8);
	assert_int_equal((int32_t)t_get32(out, 32), MP_MIG_BAD_ARGUMENTS);
	/* a COMPLEX bit or other bits of the request do not carry over */
	t_put32(req, 0, 0x80000000u | 0x00110000u | 17u | (17u << 8));
	assert_int_equal(mp_spec_build_error_reply(req, 24, MP_MIG_BAD_ID, out, 36, &out_len), MP_OK);
	assert_int_equal(t_get32(out, 0), 17);
	assert_int_equal(mp_spec_build_error_reply(req, 24, MP_MIG_BAD_ID, out, 35, &out_len),
			 MP_E_NO_SPACE);
	assert_int_equal(mp_spec_build_error_reply(req, 23, MP_MIG_BAD_ID, out, 36, &out_len),
			 MP_E_INVALID_ARG);
	/* msgh_id + 100 wraps as an unsigned add */
	t_put32(req, 20, 0x7fffffffu);
	assert_int_equal(mp_spec_build_error_reply(req, 24, MP_MIG_BAD_ID, out, 36, &out_len), MP_OK);
	assert_int_equal(t_get32(out, 20), 0x80000063u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_mach_exception_raise_layout),
		cmocka_unit_test(test_build_round_trip_mach_exception_raise),
		cmocka_unit_test(test_build_round_trip_p_str_strings_and_padding),
		cmocka_unit_test(test_build_string_with_count_adds_the_nul),
		cmocka_unit_test(test_build_round_trip_p_ool_descriptors_and_trailer),
		cmocka_unit_test(test_build_request_without_arguments),
		cmocka_unit_test(test_build_refuses_values_outside_the_spec),
		cmocka_unit_test(test_build_no_space),
		cmocka_unit_test(test_build_reply),
		cmocka_unit_test(test_build_reply_round_trip_through_check_reply),
		cmocka_unit_test(test_build_error_reply_as_the_demux_writes_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
