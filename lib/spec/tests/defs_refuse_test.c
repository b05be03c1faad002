/*
 * lib/spec/tests/defs_refuse_test.c: every construct the reader cannot
 * express, and every error MIG itself reports, is refused with file:line and
 * a reason, never guessed.
 */
#include "lib/spec/tests/defs_test_support.h"

#define HEAD "subsystem t 100;\n#include <mach/std_types.defs>\n"

static void assert_refused(const char *name, const char *text, const char *line_tag,
			   const char *reason)
{
	const char *why = t_refused(name, text);
	if (strstr(why, line_tag) == NULL || strstr(why, reason) == NULL)
		fail_msg("%s: got \"%s\", want \"...%s...%s...\"", name, why, line_tag, reason);
}

static void test_refuse_native_types(void **state)
{
	(void)state;
	assert_refused("native.defs", HEAD "type p = PointerTo(int);\n", "native.defs:3: ",
		       "native (C) types");
}

static void test_refuse_function_like_macro(void **state)
{
	(void)state;
	assert_refused("stringize.defs", HEAD "#define S(x) #x\n", "stringize.defs:3: ",
		       "stringizing (#) is not supported");
	assert_refused("variadic.defs", HEAD "#define V(...) __VA_ARGS__\n", "variadic.defs:3: ",
		       "variadic macros are not supported");
	assert_refused("fnargs.defs", HEAD "#define F(a, b) a\nroutine F(r) (s: mach_port_t);\n",
		       "fnargs.defs:4: ", "F takes 2 arguments, not 1");
	assert_refused("fnlines.defs", HEAD "#define F(a) a\nroutine F(r\n) (s: mach_port_t);\n",
		       "fnlines.defs:4: ", "arguments not closed on this line");
}

static void test_refuse_array_of_ool_descriptors(void **state)
{
	(void)state;
	assert_refused("oolarray.defs",
		       HEAD "type o_t = ^array[] of int;\ntype a_t = array[2] of o_t;\n"
			    "routine r(s: mach_port_t;\n a: a_t);\n",
		       "oolarray.defs:6: ", "an array of out-of-line descriptors is not supported");
	assert_refused("varool.defs",
		       HEAD "type o_t = ^array[] of int;\ntype a_t = array[*:2] of o_t;\n"
			    "routine r(s: mach_port_t;\n a: a_t);\n",
		       "varool.defs:6: ", "an array of out-of-line descriptors is not supported");
	assert_refused("varool0.defs", HEAD "type o_t = ^array[] of int;\ntype a_t = array[] of o_t;\n",
		       "varool0.defs:4: ", "too complicated for Kernel Processed Data");
}

static void test_refuse_serverimpl(void **state)
{
	(void)state;
	assert_refused("impl.defs", HEAD "routine r(s: mach_port_t;\n serverimpl x: int);\n",
		       "impl.defs:4: ", "implicit trailer data");
}

static void test_refuse_inout_var_array(void **state)
{
	(void)state;
	assert_refused("inoutvar.defs",
		       HEAD "type a_t = array[*:4] of int;\nroutine r(s: mach_port_t;\n inout a: a_t);\n",
		       "inoutvar.defs:5: ", "can't be InOut");
}

static void test_refuse_undefined_type(void **state)
{
	(void)state;
	assert_refused("undef.defs", HEAD "routine r(s: mach_port_t; x: nosuch_t);\n", "undef.defs:3: ",
		       "type 'nosuch_t' not defined");
}

static void test_refuse_no_request_port(void **state)
{
	(void)state;
	assert_refused("noport.defs", HEAD "routine r();\n", "noport.defs:3: ",
		       "doesn't have a server port argument");
	assert_refused("badport.defs", HEAD "routine r(x: int);\n", "badport.defs:3: ",
		       "isn't a proper request port");
}

static void test_refuse_simpleroutine_out(void **state)
{
	(void)state;
	assert_refused("simpleout.defs", HEAD "simpleroutine r(s: mach_port_t; out x: int);\n",
		       "simpleout.defs:3: ", "has OUT argument");
	assert_refused("retcode.defs", HEAD "routine r(s: mach_port_t; rc: int, RetCode);\n",
		       "retcode.defs:3: ", "RetCode is allowed only for SimpleRoutines");
}

static void test_refuse_syntax(void **state)
{
	(void)state;
	assert_refused("nosemi.defs", HEAD "type a_t = int\nroutine r(s: mach_port_t);\n",
		       "nosemi.defs:4: ", "';' expected");
	assert_refused("nosub.defs", "routine r(s: int);\n", "nosub.defs:1: ",
		       "before the subsystem statement");
	assert_refused("twosub.defs", HEAD "subsystem u 5;\n", "twosub.defs:3: ",
		       "a second subsystem statement");
	assert_refused("longform.defs", HEAD "type a = (MACH_MSG_TYPE_INTEGER_32, 32);\n",
		       "longform.defs:3: ", "long form");
	assert_refused("flag.defs", HEAD "routine r(s: mach_port_t; x: int, bogus);\n", "flag.defs:3: ",
		       "unknown IPC flag 'bogus'");
	assert_refused("hex.defs", HEAD "type a = array[0x10] of int;\n", "hex.defs:3: ",
		       "'0x10': MIG reads decimal numbers only");
	assert_refused("undefmacro.defs", HEAD "type a = array[N] of int;\n", "undefmacro.defs:3: ",
		       "'N' is not a number (an undefined macro?)");
	assert_refused("toocomplex.defs", HEAD "type a = array[*:2] of array[*:3] of int;\n",
		       "toocomplex.defs:3: ", "too complicated");
	assert_refused("ptrptr.defs", HEAD "type a = ^^array[] of int;\n", "ptrptr.defs:3: ",
		       "already defined to be Out-Of-Line");
	assert_refused("nosize.defs", HEAD "type a = 7;\n", "nosize.defs:3: ", "full IPC type decl");
}

static void test_refuse_missing_file(void **state)
{
	(void)state;
	char why[256];
	assert_null(mp_defs_read("/nonexistent/x.defs", NULL, why, sizeof why));
	assert_non_null(strstr(why, "/nonexistent/x.defs:0: cannot open"));
	assert_refused("inc.defs", "#include <nowhere/x.defs>\n", "inc.defs:1: ",
		       "nowhere/x.defs not found");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refuse_native_types),
	    cmocka_unit_test(test_refuse_function_like_macro),
	    cmocka_unit_test(test_refuse_array_of_ool_descriptors),
	    cmocka_unit_test(test_refuse_serverimpl),
	    cmocka_unit_test(test_refuse_inout_var_array),
	    cmocka_unit_test(test_refuse_undefined_type),
	    cmocka_unit_test(test_refuse_no_request_port),
	    cmocka_unit_test(test_refuse_simpleroutine_out),
	    cmocka_unit_test(test_refuse_syntax),
	    cmocka_unit_test(test_refuse_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
