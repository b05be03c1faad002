/*
 * lib/spec/tests/defs_pp_test.c: the reader's preprocessor: #include "..."
 * beside the file and <...> through -I dirs and the bundled standard .defs,
 * #define / #undef (in the text and in #if), #if / #elif / #else / #ifdef /
 * #ifndef with defined() and integer expressions, nesting, comments, line
 * continuations, -D options, and its errors with file:line.
 */
#include "lib/spec/tests/defs_test_support.h"

static const mp_spec_routine_t *only_routine(mp_defs_t *d)
{
	const mp_spec_subsystem_t *ss = mp_defs_subsystem(d);
	assert_int_equal(ss->nroutines, 1);
	return ss->routines[0];
}

static void test_pp_include_quoted_and_nested(void **state)
{
	(void)state;
	t_scratch("pp_inner.defs", "type inner_t = int64_t;\n");
	t_scratch("pp_outer.defs", "#include \"pp_inner.defs\"\ntype outer_t = inner_t;\n");
	mp_defs_t *d = t_read(t_scratch("pp_main.defs", "subsystem pp 1;\n"
							"#include <mach/std_types.defs>\n"
							"#include \"pp_outer.defs\"\n"
							"routine r(s: mach_port_t; x: outer_t);\n"));
	assert_int_equal(only_routine(d)->request.fields[0].wire_size, 8);
	mp_defs_free(d);
}

static void test_pp_include_dirs_before_bundled(void **state)
{
	(void)state;
	const char *dir = getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp";
	char sub[512];
	snprintf(sub, sizeof sub, "%s/ppinc", dir);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "mkdir -p %s/mine", sub);
	assert_int_equal(system(cmd), 0);
	t_scratch("ppinc/mine/types.defs", "type mine_t = struct[3] of int;\n");
	const char *dirs[] = {sub};
	const char *defs[] = {"EXTRA=2"};
	mp_defs_options_t opt = {dirs, 1, defs, 1};
	char why[512];
	mp_defs_t *d = mp_defs_read(t_scratch("pp_idirs.defs", "subsystem pp 1;\n"
							       "#include <mach/std_types.defs>\n"
							       "#include <mine/types.defs>\n"
							       "type a_t = array[EXTRA] of mine_t;\n"
							       "routine r(s: mach_port_t; x: a_t);\n"),
				    &opt, why, sizeof why);
	if (d == NULL)
		fail_msg("%s", why);
	assert_int_equal(only_routine(d)->request.fields[0].wire_size, 24);
	mp_defs_free(d);
}

static void test_pp_conditionals(void **state)
{
	(void)state;
	mp_defs_t *d = t_read(t_scratch(
	    "pp_if.defs", "subsystem pp 1;\n"
			  "#include <mach/std_types.defs>\n"
			  "#define A 3\n"
			  "#if defined(A) && (A * 2 - 1 == 5) && !defined B\n"
			  "#  ifdef NOPE\n"
			  "type x_t = int;\n"
			  "#  elif A > 4 || A < 0\n"
			  "type x_t = short;\n"
			  "#  else\n"
			  "#    ifndef B\n"
			  "type x_t = int64_t; /* a comment */ // and another\n"
			  "#    endif\n"
			  "#  endif\n"
			  "#else\n"
			  "#error wrong\n"
			  "#endif\n"
			  "#undef A\n"
			  "#if A\n"
			  "#error A was undefined: 0\n"
			  "#endif\n"
			  "/* a comment\n   over lines */ routine r(s: mach_port_t; \\\n x: x_t);\n"));
	assert_int_equal(only_routine(d)->request.fields[0].wire_size, 8);
	mp_defs_free(d);
}

static void test_pp_macro_in_array_size(void **state)
{
	(void)state;
	mp_defs_t *d = t_read(t_scratch("pp_macro.defs", "subsystem pp 1;\n"
							 "#include <mach/std_types.defs>\n"
							 "#define N 2 * 3\n"
							 "#define M N + 1\n"
							 "type a_t = array[*:M] of int;\n"
							 "routine r(s: mach_port_t; a: a_t);\n"));
	assert_int_equal(only_routine(d)->request.fields[1].max, 7);
	mp_defs_free(d);
}

/* the SDK's pattern (mach_vm.defs): PREFIX(SUFFIX(name)) with ## pasting; an
 * argument is expanded before substitution unless it is an operand of ##;
 * a comma inside parentheses does not split arguments */
static void test_pp_function_like_expansion(void **state)
{
	(void)state;
	mp_defs_t *d = t_read(t_scratch("pp_fn2.defs", "subsystem pp 1;\n"
						       "#include <mach/std_types.defs>\n"
						       "#define CONCAT(a,b) a ## b\n"
						       "#define PREFIX(NAME) CONCAT(_rpc_, NAME)\n"
						       "#define SUFFIX(NAME) NAME\n"
						       "#define NOARGS() int\n"
						       "#define PICK(a, b) b\n"
						       "routine PREFIX(SUFFIX(alloc)) (\n"
						       "\ts: mach_port_t;\n"
						       "\tx: NOARGS();\n"
						       "\tCONCAT(y, 2): PICK((a, b), int64_t));\n"));
	const mp_spec_routine_t *r = only_routine(d);
	assert_string_equal(r->name, "_rpc_alloc");
	assert_int_equal(r->request.nfields, 2);
	assert_string_equal(r->request.fields[1].name, "y2");
	assert_int_equal(r->request.fields[1].wire_size, 8);
	mp_defs_free(d);
}

/* an import's file name is not read (it only reaches MIG's generated C) */
static void test_pp_import_names(void **state)
{
	(void)state;
	mp_defs_t *d = t_read(t_scratch("pp_import.defs", "subsystem pp 1;\n"
							  "#include <mach/std_types.defs>\n"
							  "import <x86_64/3rd_party-file.h>;\n"
							  "uimport \"a b.h\";\n"
							  "simport <c.h>;\n"
							  "routine r(s: mach_port_t);\n"));
	assert_int_equal(only_routine(d)->request.max_size, 24);
	mp_defs_free(d);
}

static void test_pp_errors(void **state)
{
	(void)state;
	const char *why = t_refused("pp_err1.defs", "#if 1\nsubsystem pp 1;\n");
	assert_non_null(strstr(why, "pp_err1.defs:1: #if without #endif"));
	why = t_refused("pp_err2.defs", "subsystem pp 1;\n#endif\n");
	assert_non_null(strstr(why, "pp_err2.defs:2: #endif without #if"));
	why = t_refused("pp_err3.defs", "\n\n#error stop here\n");
	assert_non_null(strstr(why, "pp_err3.defs:3: #error"));
	why = t_refused("pp_err4.defs", "#if 1 +\n#endif\n");
	assert_non_null(strstr(why, "pp_err4.defs:1: #if"));
	why = t_refused("pp_err5.defs", "#bogus\n");
	assert_non_null(strstr(why, "pp_err5.defs:1: unknown directive #bogus"));
	why = t_refused("pp_err6.defs", "/* never closed\n");
	assert_non_null(strstr(why, "pp_err6.defs:1: unterminated comment"));
	why = t_refused("pp_err7.defs", "#else\n");
	assert_non_null(strstr(why, "without #if"));
	why = t_refused("pp_err8.defs", "#if 1\n#else\n#elif 1\n#endif\n");
	assert_non_null(strstr(why, "pp_err8.defs:3: #elif after #else"));
	why = t_refused("pp_err9.defs", "#include \"pp_err9.defs\"\n");
	assert_non_null(strstr(why, "nested more than"));
	why = t_refused("pp_err10.defs", "#define A A\ntype x = A;\n");
	assert_non_null(strstr(why, "pp_err10.defs:2: macro expansion nested"));
}

static void test_pp_line_numbers_across_includes(void **state)
{
	(void)state;
	t_scratch("pp_lines_inc.defs", "\n\ntype bad = nosuch_t;\n");
	const char *why = t_refused("pp_lines.defs", "subsystem pp 1;\n\n#include \"pp_lines_inc.defs\"\n");
	assert_non_null(strstr(why, "pp_lines_inc.defs:3: type 'nosuch_t' not defined"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pp_include_quoted_and_nested),
	    cmocka_unit_test(test_pp_include_dirs_before_bundled),
	    cmocka_unit_test(test_pp_conditionals),
	    cmocka_unit_test(test_pp_macro_in_array_size),
	    cmocka_unit_test(test_pp_function_like_expansion),
	    cmocka_unit_test(test_pp_import_names),
	    cmocka_unit_test(test_pp_errors),
	    cmocka_unit_test(test_pp_line_numbers_across_includes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
