/*
 * lib/spec/tests/validate_test.c: mp_spec_validate passes on the
 * hand-written tables and names the routine, field and expected value of
 * each kind of fault.
 */
#include "lib/spec/tests/spec_test_support.h"

static void test_validate_accepts_the_hand_written_tables(void **state)
{
	(void)state;
	mp_diag_t d;
	assert_int_equal(mp_spec_validate(&t_mach_exc_subsystem, &d), MP_OK);
	assert_int_equal(mp_spec_validate(&t_probe_subsystem, &d), MP_OK);
	assert_int_equal(mp_spec_validate(&t_retc_subsystem, &d), MP_OK);
	assert_int_equal(mp_spec_validate(&t_probe_subsystem, NULL), MP_OK);
}

/* A writable copy of mach_exception_raise in a one-routine subsystem. */
typedef struct mutable_ss {
	mp_spec_field_t fields[8];
	mp_spec_desc_t descs[4];
	mp_spec_routine_t rt;
	const mp_spec_routine_t *routines[1];
	mp_spec_subsystem_t ss;
} mutable_ss_t;

static void copy_mer(mutable_ss_t *c)
{
	c->rt = t_mach_exception_raise;
	memcpy(c->fields, c->rt.request.fields, sizeof(mp_spec_field_t) * c->rt.request.nfields);
	memcpy(c->descs, c->rt.request.descs, sizeof(mp_spec_desc_t) * c->rt.request.ndesc);
	c->rt.request.fields = c->fields;
	c->rt.request.descs = c->descs;
	c->routines[0] = &c->rt;
	c->ss = t_mach_exc_subsystem;
	c->ss.nroutines = 1;
	c->ss.routines = c->routines;
	assert_int_equal(mp_spec_validate(&c->ss, NULL), MP_OK);
}

static void expect_fault(mutable_ss_t *c, const char *needle)
{
	mp_diag_t d;
	memset(&d, 0, sizeof d);
	assert_int_equal(mp_spec_validate(&c->ss, &d), MP_E_INVALID_ARG);
	assert_int_equal(d.err, MP_E_INVALID_ARG);
	if (strstr(d.reason, needle) == NULL)
		fail_msg("reason \"%s\" lacks \"%s\"", d.reason, needle);
}

static void test_validate_field_offset(void **state)
{
	(void)state;
	mutable_ss_t c;
	copy_mer(&c);
	c.fields[T_MER_CODECNT].offset = 68;
	expect_fault(&c, "mach_exc: mach_exception_raise: request codeCnt: offset 68, expected 64");
}

static void test_validate_count_field_before_its_array(void **state)
{
	(void)state;
	mutable_ss_t c;
	copy_mer(&c);
	c.fields[T_MER_CODE].count_field = 0; /* exception is a scalar */
	expect_fault(&c, "code: count_field 0 is a scalar, expected a COUNT field");
	copy_mer(&c);
	c.fields[T_MER_CODE].count_field = 2;
	expect_fault(&c, "expected a COUNT field before it");
}

static void test_validate_sizes_and_nvar(void **state)
{
	(void)state;
	mutable_ss_t c;
	copy_mer(&c);
	c.rt.request.min_size = 72;
	expect_fault(&c, "min_size: 72, expected 68");
	copy_mer(&c);
	c.rt.request.max_size = 80;
	expect_fault(&c, "max_size: 80, expected 84");
	copy_mer(&c);
	c.rt.request.nvar = 0;
	expect_fault(&c, "nvar: 0, expected 1");
	copy_mer(&c);
	c.fields[T_MER_CODE].wire_size = 12;
	expect_fault(&c, "code: wire_size 12, expected 16");
	copy_mer(&c);
	c.ss.max_request_size = 80;
	expect_fault(&c, "max_request_size: 80, expected at least 84");
}

static void test_validate_ids_follow_the_base(void **state)
{
	(void)state;
	mutable_ss_t c;
	copy_mer(&c);
	c.ss.base = 2400;
	expect_fault(&c, "id: 2405, expected 2400");
}

static void test_validate_descriptors(void **state)
{
	(void)state;
	mutable_ss_t c;
	copy_mer(&c);
	c.descs[1].type = 7;
	expect_fault(&c, "task: type 7");
	copy_mer(&c);
	c.descs[0].dispositions = 0;
	expect_fault(&c, "thread: dispositions 0");
	copy_mer(&c);
	c.descs[0].type = MP_MSG_OOL_DESCRIPTOR; /* 16 bytes: the fields move */
	c.descs[0].multiplier = 1;
	expect_fault(&c, "count_field 65535, expected the index of a COUNT field");
	copy_mer(&c);
	c.rt.request.complex = 0;
	expect_fault(&c, "complex: 0 with 2 descriptors");
}

static void test_validate_kinds_and_trailer(void **state)
{
	(void)state;
	mutable_ss_t c;
	copy_mer(&c);
	c.fields[0].kind = 9;
	expect_fault(&c, "exception: kind 9");
	copy_mer(&c);
	c.rt.ntrailer = 1;
	c.rt.trailer[0] = 7;
	expect_fault(&c, "trailer: element 0 is 7");
	copy_mer(&c);
	c.rt.request.ndr = 0;
	expect_fault(&c, "ndr: 0 with 3 inline fields");
	copy_mer(&c);
	c.rt.retcode_arg = 1;
	expect_fault(&c, "retcode_arg");
	copy_mer(&c);
	c.rt.kind = 3;
	expect_fault(&c, "kind: 3");
	assert_int_equal(mp_spec_validate(NULL, NULL), MP_E_INVALID_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_accepts_the_hand_written_tables),
		cmocka_unit_test(test_validate_field_offset),
		cmocka_unit_test(test_validate_count_field_before_its_array),
		cmocka_unit_test(test_validate_sizes_and_nvar),
		cmocka_unit_test(test_validate_ids_follow_the_base),
		cmocka_unit_test(test_validate_descriptors),
		cmocka_unit_test(test_validate_kinds_and_trailer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
