/*
 * lib/server_fuzz/tests/server_fuzz_identity_test.c: a chosen identity
 * reaches the server's audit trailer (sft_whoami), and the clean server
 * stays clean with it. A binary of its own: the config is once per process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/server_fuzz/tests/sft_server.h"
#include "machports/server_fuzz.h"

static void test_chosen_identity_in_the_trailer(void **state)
{
	static const mp_server_fuzz_config_t cfg = {
		.demux = sft_server,
		.subsystem = &sft_spec,
		.setup = sft_setup,
		.teardown = sft_teardown,
		.may_keep = sft_may_keep,
		.identity = { .chosen = 1, .auid = 7, .euid = 501, .egid = 20, .ruid = 502, .rgid = 21, .pid = 4242,
			      .asid = 100, .pidversion = 3 },
	};
	const uint32_t want[8] = { 7, 501, 20, 502, 21, 4242, 100, 3 };
	uint8_t buf[64];

	(void)state;
	assert_int_equal(mp_server_fuzz_init(&cfg), 0);
	for (uint32_t seed = 1; seed < 400 && sft_last_audit[5] == 0; seed++) {
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (uint8_t)(seed * 131u + i * 7u);
		assert_int_equal(mp_server_fuzz_one(buf, sizeof buf), 0);
	}
	assert_memory_equal(sft_last_audit, want, sizeof want);
}

static void test_init_refuses_a_second_config(void **state)
{
	mp_server_fuzz_config_t cfg = { .demux = sft_server, .subsystem = &sft_spec };

	(void)state;
	assert_int_equal(mp_server_fuzz_init(&cfg), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chosen_identity_in_the_trailer),
		cmocka_unit_test(test_init_refuses_a_second_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
