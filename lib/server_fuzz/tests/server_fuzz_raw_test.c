/*
 * lib/server_fuzz/tests/server_fuzz_raw_test.c: raw mode (a routine's id
 * and the input's bytes as the body) against the clean test server: the
 * requests reach the demux, nothing is found; a planted bug reachable
 * without descriptors (sft_add's bad reply) is found. A binary of its own:
 * the config is once per process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/server_fuzz/tests/sft_server.h"
#include "machports/server_fuzz.h"

static mp_server_fuzz_rule_t last_rule;

static void on_finding(const mp_server_fuzz_finding_t *f, void *ctx)
{
	(void)ctx;
	last_rule = f->rule;
}

static mp_server_fuzz_config_t raw_cfg; /* sft_config() in raw mode */

static int setup_raw(void **state)
{
	(void)state;
	raw_cfg = sft_config();
	raw_cfg.mode = MP_SERVER_FUZZ_RAW;
	mp_server_fuzz_set_report_hook(on_finding, NULL);
	return 0;
}

/* Runs first: a config the harness cannot honour is refused, never taken
 * for another (an unknown mode is not "generated"); then the raw config is
 * accepted, once per process. */
static void test_init_refuses_bad_configs(void **state)
{
	static const mp_server_fuzz_setup_request_t outside = {.id = 5199};
	mp_server_fuzz_config_t bad = raw_cfg;

	(void)state;
	bad.mode = (mp_server_fuzz_mode_t)7;
	assert_int_equal(mp_server_fuzz_init(&bad), -1);
	bad = raw_cfg;
	bad.demux = NULL;
	assert_int_equal(mp_server_fuzz_init(&bad), -1);
	bad = raw_cfg;
	bad.setup_requests = &outside;
	bad.nsetup_requests = 1;
	assert_int_equal(mp_server_fuzz_init(&bad), -1);
	assert_int_equal(mp_server_fuzz_init(&raw_cfg), 0);
	assert_int_equal(mp_server_fuzz_init(&raw_cfg), -1); /* once per process */
}

static void input_for(uint32_t seed, uint8_t *buf, size_t n)
{
	uint32_t x = seed * 2654435761u + 7u;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
}

static void test_raw_clean(void **state)
{
	mp_server_fuzz_stats_t st;
	uint8_t buf[128];

	(void)state;
	sft_plant = SFT_CLEAN;
	for (uint32_t seed = 0; seed < 300; seed++) {
		input_for(seed, buf, sizeof buf);
		assert_int_equal(mp_server_fuzz_one(buf, sizeof buf), 0);
	}
	mp_server_fuzz_get_stats(&st);
	assert_true(st.requests_served > 300);
	assert_true(st.replies_checked > 300);
}

static void test_raw_finds_bad_reply(void **state)
{
	uint8_t buf[128];
	int rule = 0;

	(void)state;
	sft_plant = SFT_BAD_REPLY;
	for (uint32_t seed = 0; seed < 2000 && rule == 0; seed++) {
		input_for(seed, buf, sizeof buf);
		rule = mp_server_fuzz_one(buf, sizeof buf);
	}
	sft_plant = SFT_CLEAN;
	assert_int_equal(rule, MP_SF_BAD_REPLY);
	assert_int_equal(last_rule, MP_SF_BAD_REPLY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_refuses_bad_configs),
		cmocka_unit_test(test_raw_clean),
		cmocka_unit_test(test_raw_finds_bad_reply),
	};

	return cmocka_run_group_tests(tests, setup_raw, NULL);
}
