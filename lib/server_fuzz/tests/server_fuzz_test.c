/*
 * lib/server_fuzz/tests/server_fuzz_test.c: the harness end to end against
 * its own MIG-shaped test server (sft_server.c): a clean server is clean
 * over a few hundred seeded inputs; each planted bug gives exactly its rule.
 * Run on the embedded kernel and on machportd (compat_test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/server_fuzz/tests/sft_server.h"
#include "machports/server_fuzz.h"

#define CLEAN_INPUTS 300u
#define PLANTED_INPUTS 400u

static mp_server_fuzz_finding_t last;
static unsigned findings;

static void on_finding(const mp_server_fuzz_finding_t *f, void *ctx)
{
	(void)ctx;
	last = *f;
	findings++;
}

static int setup_harness(void **state)
{
	mp_server_fuzz_config_t cfg = sft_config();

	(void)state;
	cfg.max_messages = 6;
	cfg.target = "//lib/server_fuzz:server_fuzz_test";
	mp_server_fuzz_set_report_hook(on_finding, NULL);
	return mp_server_fuzz_init(&cfg);
}

/* Feeds inputs from `first_seed` until a finding or `count` inputs; returns
 * the first finding's rule (MP_SF_NONE if none). */
static int run_inputs(uint32_t first_seed, unsigned count)
{
	uint8_t buf[512];

	findings = 0;
	memset(&last, 0, sizeof last);
	for (unsigned i = 0; i < count; i++) {
		size_t n = sft_seeded_input(first_seed + i, buf, sizeof buf);
		int rule = mp_server_fuzz_one(buf, n);

		if (rule != 0) {
			assert_int_equal(rule, last.rule);
			return rule;
		}
	}
	return MP_SF_NONE;
}

static void test_clean_server_has_no_finding(void **state)
{
	mp_server_fuzz_stats_t before, after;

	(void)state;
	sft_plant = SFT_CLEAN;
	mp_server_fuzz_get_stats(&before);
	assert_int_equal(run_inputs(1000, CLEAN_INPUTS), MP_SF_NONE);
	assert_int_equal(findings, 0);
	mp_server_fuzz_get_stats(&after);
	assert_int_equal(after.inputs - before.inputs, CLEAN_INPUTS);
	/* the requests really went through the kernel and the demux */
	assert_true(after.requests_served - before.requests_served > CLEAN_INPUTS);
	assert_true(after.replies_checked - before.replies_checked > CLEAN_INPUTS / 2);
	/* sft_whoami was served, with the real identity in its trailer */
	assert_int_equal(sft_last_audit[5], (uint32_t)getpid());
	assert_int_equal(sft_last_audit[1], (uint32_t)geteuid());
	/* OOL port arrays carried real rights the server released */
	assert_true(sft_ports_released > 0);
}

/* A value a reply returned comes back in later requests of the input
 * (sft_add's sum as an argument of a later sft_add): random 32-bit
 * arguments would equal a sum about never. */
static void test_reply_values_reach_later_requests(void **state)
{
	unsigned before = sft_add_reused;

	(void)state;
	sft_plant = SFT_CLEAN;
	assert_int_equal(run_inputs(2000, CLEAN_INPUTS), MP_SF_NONE);
	assert_true(sft_add_reused - before > 10);
}

/* The OOL memory a request sends holds the input's bytes (inputs.h
 * sf_ool_fill), so what the server reads out of line is fuzzed too. */
static void test_ool_bytes_come_from_the_input(void **state)
{
	unsigned before = sft_give_nonzero_data;

	(void)state;
	sft_plant = SFT_CLEAN;
	assert_int_equal(run_inputs(4000, CLEAN_INPUTS), MP_SF_NONE);
	assert_true(sft_give_nonzero_data - before > 5);
}

/* The client's ports live for the whole input: a send right the server
 * kept (sft_hold) is still a live right when the teardown releases it,
 * not a dead name (its port destroyed after an earlier request). */
static void test_kept_rights_stay_live_for_the_input(void **state)
{
	unsigned held = sft_held_at_teardown, dead = sft_held_dead_at_teardown;

	(void)state;
	sft_plant = SFT_CLEAN;
	assert_int_equal(run_inputs(3000, CLEAN_INPUTS), MP_SF_NONE);
	assert_true(sft_held_at_teardown - held > 10);
	assert_int_equal(sft_held_dead_at_teardown - dead, 0);
}

static void expect_planted(sft_plant_t plant, mp_server_fuzz_rule_t rule, const char *routine)
{
	mp_server_fuzz_finding_t found;

	sft_plant = plant;
	assert_int_equal(run_inputs(5000, PLANTED_INPUTS), rule);
	assert_int_equal(findings, 1);
	assert_int_equal(last.rule, rule);
	if (routine != NULL)
		assert_string_equal(last.routine, routine);
	sft_plant = SFT_CLEAN;
	found = last;
	/* after the finding the harness made its tasks again: clean again */
	assert_int_equal(run_inputs(9000, 20), MP_SF_NONE);
	last = found;
}

static void test_release_then_error(void **state)
{
	(void)state;
	expect_planted(SFT_RELEASE_THEN_ERROR, MP_SF_RELEASE_THEN_ERROR, "sft_give");
	assert_true(MACH_PORT_VALID(last.name));
	assert_non_null(strstr(last.detail, "right SEND, urefs 1 -> 0"));
}

static void test_release_of_ool_then_error(void **state)
{
	(void)state;
	expect_planted(SFT_RELEASE_OOL_THEN_ERROR, MP_SF_RELEASE_THEN_ERROR, "sft_give");
	assert_non_null(strstr(last.detail, "VM region(s) released"));
}

static void test_leak_of_a_right(void **state)
{
	(void)state;
	expect_planted(SFT_LEAK_PORT, MP_SF_LEAK, "sft_give");
	assert_true(MACH_PORT_VALID(last.name));
}

static void test_leak_of_an_ool_region(void **state)
{
	(void)state;
	expect_planted(SFT_LEAK_OOL, MP_SF_LEAK, "teardown");
	assert_non_null(strstr(last.detail, "VM regions"));
}

static void test_use_after_release(void **state)
{
	(void)state;
	expect_planted(SFT_USE_AFTER_RELEASE, MP_SF_USE_AFTER_RELEASE, "sft_give");
	assert_non_null(strstr(last.detail, "INVALID_NAME"));
}

static void test_bad_reply(void **state)
{
	(void)state;
	expect_planted(SFT_BAD_REPLY, MP_SF_BAD_REPLY, "sft_add");
}

static void test_sonce_dangling(void **state)
{
	(void)state;
	expect_planted(SFT_SONCE_DANGLING, MP_SF_SONCE_DANGLING, "sft_add");
	assert_true(MACH_PORT_VALID(last.name));
}

/* A fork server forks after init: the child makes its own tasks and runs
 * clean; a planted bug is still found there. */
static void test_after_fork(void **state)
{
	int status = 0;
	pid_t pid;

	(void)state;
	sft_plant = SFT_CLEAN;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		mp_server_fuzz_stats_t st;
		int clean = run_inputs(2000, 50) == MP_SF_NONE;

		mp_server_fuzz_get_stats(&st);
		sft_plant = SFT_USE_AFTER_RELEASE;
		_exit(clean && st.requests_served > 50 && run_inputs(5000, PLANTED_INPUTS) == MP_SF_USE_AFTER_RELEASE
			      ? 0
			      : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* the parent's tasks are untouched */
	assert_int_equal(run_inputs(3000, 20), MP_SF_NONE);
}

/* Without a report hook a finding prints the report to stderr and aborts
 * (what libFuzzer and AFL++ record as a crash). */
static void test_finding_aborts_with_the_report(void **state)
{
	char out[16384];
	size_t got = 0;
	int status = 0, fds[2];
	ssize_t r;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		uint8_t buf[512];

		dup2(fds[1], 2);
		close(fds[0]);
		mp_server_fuzz_set_report_hook(NULL, NULL);
		sft_plant = SFT_RELEASE_THEN_ERROR;
		for (uint32_t i = 0; i < PLANTED_INPUTS; i++)
			(void)mp_server_fuzz_one(buf, sft_seeded_input(5000 + i, buf, sizeof buf));
		_exit(0); /* not reached: the finding aborts */
	}
	close(fds[1]);
	while (got < sizeof out - 1 && (r = read(fds[0], out + got, sizeof out - 1 - got)) > 0)
		got += (size_t)r;
	out[got] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	assert_non_null(strstr(out, "==machports-server-fuzz==ERROR: RELEASE_THEN_ERROR in sft_give (id 5101): name 0x"));
	assert_non_null(strstr(out, "server space as the request arrived (before the demux):"));
	assert_non_null(strstr(out, "sft_give request, msgh_id 5101"));
	assert_non_null(strstr(out, "reproduce: scripts/repro <this input> --target //lib/server_fuzz:server_fuzz_test\n"));
	/* and this binary on the input, wherever it runs */
	assert_non_null(strstr(out, "/server_fuzz_test <this input>\n"));
	assert_non_null(strstr(out, "SUMMARY: machports-server-fuzz: RELEASE_THEN_ERROR in sft_give"));
}

static void test_rule_names(void **state)
{
	(void)state;
	assert_string_equal(mp_server_fuzz_rule_name(MP_SF_RELEASE_THEN_ERROR), "RELEASE_THEN_ERROR");
	assert_string_equal(mp_server_fuzz_rule_name(MP_SF_LEAK), "LEAK");
	assert_string_equal(mp_server_fuzz_rule_name(MP_SF_USE_AFTER_RELEASE), "USE_AFTER_RELEASE");
	assert_string_equal(mp_server_fuzz_rule_name(MP_SF_BAD_REPLY), "BAD_REPLY");
	assert_string_equal(mp_server_fuzz_rule_name(MP_SF_SONCE_DANGLING), "SONCE_DANGLING");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_names),
		cmocka_unit_test(test_clean_server_has_no_finding),
		cmocka_unit_test(test_reply_values_reach_later_requests),
		cmocka_unit_test(test_kept_rights_stay_live_for_the_input),
		cmocka_unit_test(test_ool_bytes_come_from_the_input),
		cmocka_unit_test(test_release_then_error),
		cmocka_unit_test(test_release_of_ool_then_error),
		cmocka_unit_test(test_leak_of_a_right),
		cmocka_unit_test(test_leak_of_an_ool_region),
		cmocka_unit_test(test_use_after_release),
		cmocka_unit_test(test_bad_reply),
		cmocka_unit_test(test_sonce_dangling),
		cmocka_unit_test(test_after_fork),
		cmocka_unit_test(test_finding_aborts_with_the_report),
		cmocka_unit_test(test_clean_server_has_no_finding),
	};

	return cmocka_run_group_tests(tests, setup_harness, NULL);
}
