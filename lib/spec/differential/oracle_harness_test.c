/*
 * lib/spec/differential/oracle_harness_test.c: the oracle harness
 * (oracle_main.c) over a fake demux, so its reading of MIG's outcome is
 * tested where MIG is absent: a reached routine is MIG_SUCCESS, the reply's
 * RetCode otherwise, MIG_BAD_ID from a demux that refuses, the code MIG's
 * trailer-format check writes into the request, and "no code" when nothing
 * was written; the records come back byte for byte.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define MP_DIFF_DEMUX fake_server
#define main oracle_main
#include "oracle_main.c"
#undef main

static uint32_t id_of(const uint8_t *in)
{
	return (uint32_t)in[20] | (uint32_t)in[21] << 8 | (uint32_t)in[22] << 16 |
	       (uint32_t)in[23] << 24;
}

/* A demux with one behaviour per msgh_id (MIG's server: see the README). */
int fake_server(void *in, void *out)
{
	uint8_t *i = in, *o = out;

	switch (id_of(i)) {
	case 1: /* the checks pass: the routine runs */
		mp_diff_reached = 1;
		return 1;
	case 2: /* a check fails: MIG_RETURN_ERROR(OutP, MIG_BAD_ARGUMENTS) */
		store_i32(o + RETCODE_OFFSET, -304);
		return 1;
	case 3: /* WriteCheckTrailerHead: MIG_RETURN_ERROR(In0P, MIG_TRAILER_ERROR) */
		store_i32(i + RETCODE_OFFSET, -309);
		return 1;
	case 4: /* the demux: no routine */
		store_i32(o + RETCODE_OFFSET, -303);
		return 0;
	default: /* handled, nothing written */
		return 1;
	}
}

static void temp_path(char *out, size_t cap, const char *name)
{
	const char *dir = getenv("TEST_TMPDIR");

	snprintf(out, cap, "%s/%s", dir != NULL ? dir : "/tmp", name);
}

/* A 44-byte request with msgh_id `id` (bytes 24..43: a pattern) and an
 * 8-byte trailer. */
static uint32_t make_msg(uint8_t *m, uint32_t id)
{
	uint32_t k;

	memset(m, 0, 52);
	m[4] = 44;
	m[20] = (uint8_t)id;
	for (k = 24; k < 44; k++)
		m[k] = (uint8_t)(k * 7 + id);
	m[48] = 8;
	return 52;
}

static int write_input(const char *path, const uint32_t *ids, const int32_t *want, unsigned n)
{
	mp_golden_header_t h;
	uint8_t m[64];
	unsigned k;
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return -1;
	memset(&h, 0, sizeof h);
	h.kind = MP_GOLDEN_RECORDS;
	strcpy(h.subsystem, "fake");
	h.count = n;
	if (mp_golden_write_header(f, &h) != 0)
		return -1;
	for (k = 0; k < n; k++)
		if (mp_golden_write_record(f, m, make_msg(m, ids[k]), want[k]) != 0)
			return -1;
	return fclose(f);
}

static int run_oracle(int expect, const char *in, const char *out)
{
	char *argv[5];
	int argc = 0;

	argv[argc++] = "oracle";
	if (expect)
		argv[argc++] = "--expect";
	argv[argc++] = (char *)in;
	argv[argc++] = (char *)out;
	argv[argc] = NULL;
	return oracle_main(argc, argv);
}

static const uint32_t ids[] = {1, 2, 3, 4, 5};
static const int32_t outcomes[] = {0, -304, -309, -303, MP_GOLDEN_NO_CODE};
#define N (sizeof ids / sizeof ids[0])

static void test_each_outcome_is_read_where_mig_puts_it(void **state)
{
	char in[512], out[512], err[160];
	int32_t want[N], code;
	mp_golden_header_t h;
	uint8_t m[64], expect_bytes[64];
	uint32_t len;
	unsigned k;
	FILE *f;

	(void)state;
	for (k = 0; k < N; k++)
		want[k] = MP_GOLDEN_NO_CODE;
	temp_path(in, sizeof in, "oracle.in");
	temp_path(out, sizeof out, "oracle.out");
	assert_int_equal(write_input(in, ids, want, N), 0);
	assert_int_equal(run_oracle(0, in, out), 0);
	f = fopen(out, "rb");
	assert_non_null(f);
	assert_int_equal(mp_golden_read_header(f, &h, err, sizeof err), 0);
	assert_int_equal(h.count, N);
	for (k = 0; k < N; k++) {
		assert_int_equal(mp_golden_read_record(f, m, sizeof m, &len, &code, err, sizeof err), 0);
		assert_int_equal(code, outcomes[k]);
		/* the record as given, even where MIG wrote into the request */
		assert_int_equal(len, make_msg(expect_bytes, ids[k]));
		assert_memory_equal(m, expect_bytes, len);
	}
	fclose(f);
}

static void test_expect_mode_fails_on_a_wrong_expectation(void **state)
{
	char in[512], out[512];
	int32_t want[N];

	(void)state;
	memcpy(want, outcomes, sizeof want);
	temp_path(in, sizeof in, "expect.in");
	temp_path(out, sizeof out, "expect.out");
	assert_int_equal(write_input(in, ids, want, N), 0);
	assert_int_equal(run_oracle(1, in, out), 0);
	want[1] = -300;
	assert_int_equal(write_input(in, ids, want, N), 0);
	assert_int_equal(run_oracle(1, in, out), 1);
}

static void test_a_truncated_file_is_an_error(void **state)
{
	char in[512], out[512];
	FILE *f;

	(void)state;
	temp_path(in, sizeof in, "short.in");
	temp_path(out, sizeof out, "short.out");
	assert_int_equal(write_input(in, ids, outcomes, N), 0);
	f = fopen(in, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_int_equal(ftruncate(fileno(f), ftell(f) - 3), 0);
	fclose(f);
	assert_int_equal(run_oracle(0, in, out), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_outcome_is_read_where_mig_puts_it),
	    cmocka_unit_test(test_expect_mode_fails_on_a_wrong_expectation),
	    cmocka_unit_test(test_a_truncated_file_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
