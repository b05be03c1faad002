/*
 * lib/spec/tests/print_test.c: mp_spec_print_text / _json of the tables and
 * mp_spec_dump_text / _json of checked messages; every JSON output is one
 * valid object (lib/tools/json_valid.h).
 */
#include "lib/spec/tests/spec_test_support.h"
#include "lib/tools/json_valid.h"

typedef struct sink {
	char buf[65536];
	size_t len;
} sink_t;

static void sink_write(void *ctx, const char *data, size_t len)
{
	sink_t *s = ctx;
	assert_true(s->len + len < sizeof s->buf);
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	s->buf[s->len] = '\0';
}

static void expect_json_object(const sink_t *s)
{
	if (!mp_json_valid_object(s->buf, s->len))
		fail_msg("invalid JSON: %s", s->buf);
}

static void expect_has(const sink_t *s, const char *needle)
{
	if (strstr(s->buf, needle) == NULL)
		fail_msg("output lacks \"%s\":\n%s", needle, s->buf);
}

static void test_print_text_names_routines_fields_and_checks(void **state)
{
	(void)state;
	static sink_t s;
	s.len = 0;
	mp_spec_print_text(&t_mach_exc_subsystem, sink_write, &s);
	expect_has(&s, "subsystem mach_exc: base 2405, 5 routines");
	expect_has(&s, "routine mach_exception_raise 2405");
	expect_has(&s, "request id 2405: complex, NDR, 2 descriptors, 3 fields (1 variable), size 68..84");
	expect_has(&s, "desc thread: port at 28, dispositions 17");
	expect_has(&s, "field code: var_array, elem 8, max 2, wire 16 at 68, count codeCnt");
	expect_has(&s, "reply id 2505: simple, NDR");
	expect_has(&s, "skip 2407");
	s.len = 0;
	mp_spec_print_text(&t_probe_subsystem, sink_write, &s);
	expect_has(&s, "trailer msgh_audit msgh_seqno");
	expect_has(&s, "desc poly: port at 60, dispositions any");
	expect_has(&s, "desc data: ool at 28, dispositions any, count dataCnt, size / 4");
	expect_has(&s, "simpleroutine p_simple 7102");
	expect_has(&s, "field name: var_string, elem 1, max 64, wire 64 at 40, count nameCnt");
}

static void test_print_json_is_valid_and_complete(void **state)
{
	(void)state;
	static sink_t s;
	const mp_spec_subsystem_t *all[] = {&t_mach_exc_subsystem, &t_probe_subsystem,
					    &t_retc_subsystem};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		s.len = 0;
		mp_spec_print_json(all[i], sink_write, &s);
		expect_json_object(&s);
	}
	expect_has(&s, "\"retcode_arg\":true");
	s.len = 0;
	mp_spec_print_json(&t_probe_subsystem, sink_write, &s);
	expect_has(&s, "{\"skip\":7103}");
	expect_has(&s, "\"trailer\":[\"msgh_audit\",\"msgh_seqno\"]");
	expect_has(&s, "\"name\":\"ports\",\"type\":\"ool_ports\",\"offset\":44,\"dispositions\":[17]");
	expect_has(&s, "\"count_field\":\"portsCnt\"");
	s.len = 0;
	mp_spec_print_json(NULL, sink_write, &s);
	assert_string_equal(s.buf, "null");
}

static void test_dump_checked_messages(void **state)
{
	(void)state;
	static sink_t s;
	uint8_t m[600];
	mp_spec_view_t v;
	size_t len = t_mer(m, 2);
	assert_int_equal(mp_spec_check_request(&t_mach_exc_subsystem, m, len, MP_SPEC_MIG, &v, NULL),
			 MP_MIG_SUCCESS);
	s.len = 0;
	mp_spec_dump_text(&v, sink_write, &s);
	expect_has(&s, "mach_exception_raise request, msgh_id 2405, 84 bytes");
	expect_has(&s, "thread (port): name 0x303 disposition 17");
	expect_has(&s, "exception (scalar) at 60: 1 (0x1)");
	expect_has(&s, "code (var_array) at 68: 2 x 8 bytes [0x1000, 0x1001]");
	s.len = 0;
	mp_spec_dump_json(&v, sink_write, &s);
	expect_json_object(&s);
	expect_has(&s, "\"name\":\"code\",\"kind\":\"var_array\",\"offset\":68,\"count\":2,\"value\":[4096,4097]");

	len = t_pstr(m, "he\"llo\n", "fixed", 10, 5);
	assert_int_equal(mp_spec_check_request(&t_probe_subsystem, m, len, MP_SPEC_MIG, &v, NULL),
			 MP_MIG_SUCCESS);
	s.len = 0;
	mp_spec_dump_json(&v, sink_write, &s);
	expect_json_object(&s);
	expect_has(&s, "\"value\":\"he\\\"llo\\u000a\"");
	s.len = 0;
	mp_spec_dump_text(&v, sink_write, &s);
	expect_has(&s, "fixed (string) at 48: \"fixed\"");

	len = t_pool(m, 3, 20, 2, 52);
	assert_int_equal(mp_spec_check_request(&t_probe_subsystem, m, len, MP_SPEC_MIG, &v, NULL),
			 MP_MIG_SUCCESS);
	s.len = 0;
	mp_spec_dump_text(&v, sink_write, &s);
	expect_has(&s, "ports (ool_ports): address 0x20000 count 2 disposition 17");
	expect_has(&s, "... (4 more)");
	expect_has(&s, "trailer msgh_seqno: 4d000000");
	s.len = 0;
	mp_spec_dump_json(&v, sink_write, &s);
	expect_json_object(&s);
	expect_has(&s, "\"msgh_seqno\":\"4d000000\"");

	/* the RetCArg error form: only the kern_return_t is in the message */
	memset(m, 0, 64);
	t_header(m, T_BITS, 36, 3125);
	t_ndr(m, 24);
	t_put32(m, 32, 5);
	len = t_trailer(m, 36, 12);
	assert_int_equal(mp_spec_check_request(&t_retc_subsystem, m, len, MP_SPEC_MIG, &v, NULL),
			 MP_MIG_SUCCESS);
	s.len = 0;
	mp_spec_dump_text(&v, sink_write, &s);
	expect_has(&s, "alarm_code (retcode) at 32: 5 (0x5)");
	expect_has(&s, "alarm_type (scalar) at 0: (absent)");
	expect_has(&s, "alarm_port (port): (absent)");
	s.len = 0;
	mp_spec_dump_json(&v, sink_write, &s);
	expect_json_object(&s);

	s.len = 0;
	mp_spec_dump_json(NULL, sink_write, &s);
	assert_string_equal(s.buf, "null");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_print_text_names_routines_fields_and_checks),
		cmocka_unit_test(test_print_json_is_valid_and_complete),
		cmocka_unit_test(test_dump_checked_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
