/*
 * lib/spec/tests/defs_rule_test.c: the Bazel rule mp_mig_spec (spec.bzl)
 * turns lib/spec/testdata's .defs into linkable tables named
 * <subsystem>_spec, with the layouts MIG gives.
 */
#include "lib/spec/tests/defs_test_support.h"

#include "lib/spec/tests/testdata_ports_spec.h"
#include "lib/spec/tests/testdata_strings_spec.h"
#include "lib/spec/tests/testdata_var_arrays_spec.h"

static void test_rule_var_arrays(void **state)
{
	(void)state;
	t_check_subsystem(&var_arrays_spec);
	const mp_spec_msg_t *m = &t_routine(&var_arrays_spec, "several_vars")->request;
	assert_int_equal(m->max_size, 120);
	assert_int_equal(m->min_size, 64);
	assert_int_equal(m->fields[t_field(m, "l")].offset, 96);
}

static void test_rule_strings(void **state)
{
	(void)state;
	t_check_subsystem(&strings_spec);
	const mp_spec_msg_t *m = &t_routine(&strings_spec, "var_string")->request;
	assert_int_equal(m->fields[t_field(m, "name")].kind, MP_SPEC_VAR_STRING);
	assert_int_equal(m->fields[t_field(m, "after")].offset, 104);
}

static void test_rule_ports(void **state)
{
	(void)state;
	t_check_subsystem(&ports_spec);
	assert_int_equal(ports_spec.base, 7600);
	const mp_spec_msg_t *m = &t_routine(&ports_spec, "ool_ports")->request;
	assert_int_equal(m->ndesc, 5);
	assert_int_equal(m->descs[2].max, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rule_var_arrays),
	    cmocka_unit_test(test_rule_strings),
	    cmocka_unit_test(test_rule_ports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
