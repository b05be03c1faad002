/*
 * fuzz/tests/spec_check_max_len_test.c: spec_check's declared max_len
 * (SPEC_CHECK_MAX_LEN in fuzz/BUILD, the fuzz-max-len tag the scripts and
 * the OSS-Fuzz build read) holds its largest raw input: the largest request
 * of every table it knows (fuzz/support/spec_tables.h, max_request_size),
 * plus the largest trailer the kernel appends (68 bytes,
 * MAX_TRAILER_SIZE), plus spec_check's 2-byte prefix. A table that grows
 * past it fails here, not silently in a campaign that can no longer make it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fuzz/support/spec_tables.h"

#ifndef MP_FUZZ_DECLARED_MAX_LEN
#error "fuzz/BUILD passes spec_check's declared max_len"
#endif

enum { MAX_TRAILER_SIZE = 68, SPEC_CHECK_PREFIX = 2 };

static void test_spec_check_max_len_holds_the_largest_request_with_trailer_and_prefix(void **st)
{
	uint32_t largest = 0;
	(void)st;
	for (size_t i = 0; i < MP_FUZZ_SPEC_SUBSYSTEMS; i++) {
		const mp_spec_subsystem_t *ss = mp_fuzz_spec_subsystems[i];
		if (ss->max_request_size > largest)
			largest = ss->max_request_size;
		print_message("%-24s max_request_size %u\n", ss->name, ss->max_request_size);
	}
	print_message("largest raw input %u, declared max_len %u\n",
		      largest + MAX_TRAILER_SIZE + SPEC_CHECK_PREFIX, MP_FUZZ_DECLARED_MAX_LEN);
	/* the raise_state family of exc / mach_exc: above the old 4096 */
	assert_true(largest + MAX_TRAILER_SIZE + SPEC_CHECK_PREFIX > 4096);
	assert_true(largest + MAX_TRAILER_SIZE + SPEC_CHECK_PREFIX <= MP_FUZZ_DECLARED_MAX_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_spec_check_max_len_holds_the_largest_request_with_trailer_and_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
