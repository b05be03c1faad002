/*
 * lib/server_fuzz/tests/server_fuzz_only_test.c: MACHPORTS_SERVER_FUZZ_ONLY
 * (machports/server_fuzz.h), the filter scripts/minimize sets so that a
 * minimised input keeps its finding: the selected finding is reported as
 * always; any other stops the input silently (no report, no abort, no
 * hook), the harness goes on, and mp_server_fuzz_one returns its rule.
 * The planted bug: sft_server.c's SFT_RELEASE_THEN_ERROR
 * (RELEASE_THEN_ERROR in sft_give). Run on both backends (compat_test).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/server_fuzz/tests/sft_server.h"
#include "machports/server_fuzz.h"

#define INPUTS 400u

static unsigned hooked;

static void on_finding(const mp_server_fuzz_finding_t *f, void *ctx)
{
	(void)f;
	(void)ctx;
	hooked++;
}

/* The first rule mp_server_fuzz_one returns over the seeded inputs. */
static int first_rule(void)
{
	uint8_t buf[512];

	for (uint32_t i = 0; i < INPUTS; i++) {
		int rule = mp_server_fuzz_one(buf, sft_seeded_input(5000 + i, buf, sizeof buf));

		if (rule != MP_SF_NONE)
			return rule;
	}
	return MP_SF_NONE;
}

static int setup_harness(void **state)
{
	mp_server_fuzz_config_t cfg = sft_config();

	(void)state;
	cfg.max_messages = 6;
	cfg.target = "//lib/server_fuzz:server_fuzz_only_test";
	mp_server_fuzz_set_report_hook(on_finding, NULL);
	return mp_server_fuzz_init(&cfg);
}

static int reset(void **state)
{
	(void)state;
	unsetenv("MACHPORTS_SERVER_FUZZ_ONLY");
	sft_plant = SFT_CLEAN;
	hooked = 0;
	return 0;
}

/* The planted finding with the filter `only`: returns the rule and counts
 * the hook's calls in `hooked`. */
static int planted_with(const char *only)
{
	int rule;

	assert_int_equal(setenv("MACHPORTS_SERVER_FUZZ_ONLY", only, 1), 0);
	hooked = 0;
	sft_plant = SFT_RELEASE_THEN_ERROR;
	rule = first_rule();
	sft_plant = SFT_CLEAN;
	return rule;
}

static void test_the_selected_finding_is_reported(void **state)
{
	(void)state;
	assert_int_equal(planted_with("RELEASE_THEN_ERROR:sft_give"), MP_SF_RELEASE_THEN_ERROR);
	assert_int_equal(hooked, 1);
	/* RULE alone: any routine */
	assert_int_equal(planted_with("RELEASE_THEN_ERROR"), MP_SF_RELEASE_THEN_ERROR);
	assert_int_equal(hooked, 1);
	/* empty: every finding */
	assert_int_equal(planted_with(""), MP_SF_RELEASE_THEN_ERROR);
	assert_int_equal(hooked, 1);
}

static void test_another_rule_stops_the_input_silently(void **state)
{
	(void)state;
	assert_int_equal(planted_with("LEAK:sft_give"), MP_SF_RELEASE_THEN_ERROR);
	assert_int_equal(hooked, 0);
	assert_int_equal(planted_with("LEAK"), MP_SF_RELEASE_THEN_ERROR);
	assert_int_equal(hooked, 0);
	/* the harness made its tasks again: the clean server is clean */
	unsetenv("MACHPORTS_SERVER_FUZZ_ONLY");
	assert_int_equal(first_rule(), MP_SF_NONE);
}

static void test_another_routine_stops_the_input_silently(void **state)
{
	(void)state;
	assert_int_equal(planted_with("RELEASE_THEN_ERROR:sft_add"), MP_SF_RELEASE_THEN_ERROR);
	assert_int_equal(hooked, 0);
	/* a prefix of the routine's name is another routine */
	assert_int_equal(planted_with("RELEASE_THEN_ERROR:sft_giv"), MP_SF_RELEASE_THEN_ERROR);
	assert_int_equal(hooked, 0);
	/* a prefix of the rule's name is another rule */
	assert_int_equal(planted_with("RELEASE_THEN:sft_give"), MP_SF_RELEASE_THEN_ERROR);
	assert_int_equal(hooked, 0);
}

/* Without a hook (as under an engine): another finding neither aborts nor
 * prints a report; the selected one aborts with it. */
static int child_status(const char *only, char *out, size_t cap)
{
	size_t got = 0;
	int status = 0, fds[2];
	ssize_t r;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		mp_server_fuzz_set_report_hook(NULL, NULL);
		_exit(planted_with(only) == MP_SF_RELEASE_THEN_ERROR ? 0 : 1);
	}
	close(fds[1]);
	while (got < cap - 1 && (r = read(fds[0], out + got, cap - 1 - got)) > 0)
		got += (size_t)r;
	out[got] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void test_without_a_hook(void **state)
{
	char out[16384];
	int status;

	(void)state;
	status = child_status("BAD_REPLY:sft_give", out, sizeof out);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_null(strstr(out, "machports-server-fuzz"));

	status = child_status("RELEASE_THEN_ERROR:sft_give", out, sizeof out);
	assert_true(WIFSIGNALED(status));
	assert_non_null(strstr(out, "SUMMARY: machports-server-fuzz: RELEASE_THEN_ERROR in sft_give\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_the_selected_finding_is_reported, reset),
		cmocka_unit_test_setup(test_another_rule_stops_the_input_silently, reset),
		cmocka_unit_test_setup(test_another_routine_stops_the_input_silently, reset),
		cmocka_unit_test_setup(test_without_a_hook, reset),
	};

	return cmocka_run_group_tests(tests, setup_harness, reset);
}
