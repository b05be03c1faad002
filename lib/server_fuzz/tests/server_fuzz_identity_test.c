/*
 * lib/server_fuzz/tests/server_fuzz_identity_test.c: a chosen identity
 * reaches the server's audit trailer (sft_whoami), and the clean server
 * stays clean with it; setup requests come first in every input. A binary
 * of its own: the config is once per process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/server_fuzz/tests/sft_server.h"
#include "machports/server_fuzz.h"

static const mp_server_fuzz_setup_request_t setup_add[] = { { 5100, NULL, 0 } };

static void test_init_refuses_a_setup_request_outside_the_subsystem(void **state)
{
	static const mp_server_fuzz_setup_request_t bad[] = { { 5100, NULL, 0 }, { 5199, NULL, 0 } };
	mp_server_fuzz_config_t cfg = { .demux = sft_server, .subsystem = &sft_spec, .setup_requests = bad,
					.nsetup_requests = 2 };

	(void)state;
	assert_int_equal(mp_server_fuzz_init(&cfg), -1);
}

static void test_chosen_identity_in_the_trailer(void **state)
{
	static const mp_server_fuzz_identity_t identity = { .chosen = 1, .auid = 7, .euid = 501, .egid = 20,
							      .ruid = 502, .rgid = 21, .pid = 4242, .asid = 100,
							      .pidversion = 3 };
	mp_server_fuzz_config_t cfg = sft_config();
	const uint32_t want[8] = { 7, 501, 20, 502, 21, 4242, 100, 3 };
	uint8_t buf[64];

	(void)state;
	cfg.setup_requests = setup_add;
	cfg.nsetup_requests = 1;
	cfg.identity = identity;
	assert_int_equal(mp_server_fuzz_init(&cfg), 0);
	for (uint32_t seed = 1; seed < 400 && sft_last_audit[5] == 0; seed++) {
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (uint8_t)(seed * 131u + i * 7u);
		assert_int_equal(mp_server_fuzz_one(buf, sizeof buf), 0);
	}
	assert_memory_equal(sft_last_audit, want, sizeof want);
}

/* The setup request (a valid sft_add) is served in every input: 50 inputs
 * each call sft_add (fuzzed requests alone would miss some). */
static void test_setup_request_in_every_input(void **state)
{
	uint8_t buf[64];

	(void)state;
	for (uint32_t seed = 1000; seed < 1050; seed++) {
		unsigned before = sft_add_calls;

		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (uint8_t)(seed * 131u + i * 7u);
		assert_int_equal(mp_server_fuzz_one(buf, sizeof buf), 0);
		assert_true(sft_add_calls > before);
	}
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
		cmocka_unit_test(test_init_refuses_a_setup_request_outside_the_subsystem),
		cmocka_unit_test(test_chosen_identity_in_the_trailer),
		cmocka_unit_test(test_setup_request_in_every_input),
		cmocka_unit_test(test_init_refuses_a_second_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
