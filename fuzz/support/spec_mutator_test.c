/*
 * fuzz/support/spec_mutator_test.c: the mutator with a spec registered
 * (spec_mutator.h): both spec kinds are reached and named, their outputs are
 * received requests of the subsystem in the target's form, far more of the
 * mutants parse than without the spec, and unregistering restores the
 * field-level mutator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/support/mutator.h"
#include "fuzz/support/spec_mutator.h"
#include "fuzz/support/spec_tables.h"
#include "machports/le.h"
#include "machports/msg.h"
#include "machports/spec_gen.h"

enum { MAX = 8192, ROUNDS = 4000 };

static size_t no_bytes(uint8_t *data, size_t size, size_t max_size)
{
	(void)data;
	(void)max_size;
	return size;
}

static int in_subsystem(const mp_spec_subsystem_t *ss, const uint8_t *msg, size_t len)
{
	int32_t id;
	if (len < 24)
		return 0;
	id = (int32_t)mp_load_le32(msg + 20);
	return id >= ss->base && id < ss->base + (int32_t)ss->nroutines;
}

/* A valid request of `ss` in received form. */
static size_t seed_request(const mp_spec_subsystem_t *ss, uint8_t *buf, size_t cap)
{
	mp_spec_gen_t g;
	mp_spec_gen_init_seed(&g, 42);
	return mp_spec_gen_request(&g, ss, NULL, MP_SPEC_GEN_VALID, buf, cap, NULL);
}

static unsigned parse_rate(int with_spec, unsigned *spec_kinds)
{
	static uint8_t orig[MAX], a[MAX];
	const mp_spec_subsystem_t *ss = &mp_test_mach_exc_subsystem;
	size_t n = seed_request(ss, orig, MAX);
	unsigned parsed = 0, generated = 0, in_ss = 0;
	assert_true(n > 0);
	mp_fuzz_mutator_set_spec(with_spec ? ss : NULL);
	for (unsigned seed = 0; seed < ROUNDS; seed++) {
		mp_msg_view_t v;
		size_t m;
		uint32_t kinds;
		memcpy(a, orig, n);
		m = mp_fuzz_mutate(a, n, MAX, seed, no_bytes);
		assert_true(m <= MAX);
		kinds = mp_fuzz_last_mutations();
		if (kinds & ((1u << MP_FUZZ_SPEC_MUTATE) | (1u << MP_FUZZ_SPEC_GENERATE))) {
			assert_true(with_spec);
			*spec_kinds |= kinds;
			/* A received buffer: msgh_size inside, a trailer head after it. */
			assert_true(m >= 32);
			assert_true((size_t)mp_load_le32(a + 4) + 8 <= m);
		}
		if (kinds & (1u << MP_FUZZ_SPEC_GENERATE)) {
			generated++;
			in_ss += in_subsystem(ss, a, m); /* edge mutations may move the id out */
		}
		parsed += mp_parse_recv(&v, a, m, 0, NULL) == MP_OK;
	}
	mp_fuzz_mutator_set_spec(NULL);
	assert_true(in_ss * 10 >= generated * 8);
	return parsed;
}

static void test_single_subsystem(void **state)
{
	unsigned kinds = 0, with, without;
	(void)state;
	with = parse_rate(1, &kinds);
	assert_true(kinds & (1u << MP_FUZZ_SPEC_MUTATE));
	assert_true(kinds & (1u << MP_FUZZ_SPEC_GENERATE));
	kinds = 0;
	without = parse_rate(0, &kinds);
	assert_int_equal(kinds, 0);
	/* Most spec mutants stay messages the receive parser (and a handler) reads. */
	assert_true(with > without);
	assert_true(with > ROUNDS / 2);
}

/* spec_check's form: the two prefix bytes stay a subsystem and the raw form. */
static void test_tables_form(void **state)
{
	static uint8_t a[MAX];
	unsigned spec = 0, generated = 0, in_ss = 0;
	(void)state;
	mp_fuzz_mutator_set_spec_tables(mp_fuzz_spec_subsystems, MP_FUZZ_SPEC_SUBSYSTEMS);
	for (unsigned seed = 0; seed < ROUNDS; seed++) {
		size_t n = 0, m;
		uint32_t kinds;
		if (seed % 2) { /* from a raw request of a table */
			a[0] = (uint8_t)(seed % MP_FUZZ_SPEC_SUBSYSTEMS);
			a[1] = 0;
			n = 2 + seed_request(mp_fuzz_spec_subsystems[a[0]], a + 2, MAX - 2);
		}
		m = mp_fuzz_mutate(a, n, MAX, seed, no_bytes);
		assert_true(m <= MAX);
		kinds = mp_fuzz_last_mutations();
		if (kinds & ((1u << MP_FUZZ_SPEC_MUTATE) | (1u << MP_FUZZ_SPEC_GENERATE))) {
			spec++;
			assert_true(m >= 2 + 32);
			assert_int_equal(a[1], 0);
		}
		if (kinds & (1u << MP_FUZZ_SPEC_GENERATE)) {
			generated++;
			in_ss += in_subsystem(mp_fuzz_spec_subsystems[a[0] % MP_FUZZ_SPEC_SUBSYSTEMS],
					      a + 2, m - 2);
		}
	}
	mp_fuzz_mutator_set_spec(NULL);
	assert_true(spec > ROUNDS / 3);
	assert_true(in_ss * 10 >= generated * 8);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(mp_fuzz_mutation_name(MP_FUZZ_SPEC_MUTATE), "spec_mutate");
	assert_string_equal(mp_fuzz_mutation_name(MP_FUZZ_SPEC_GENERATE), "spec_generate");
	assert_null(mp_fuzz_mutation_name(MP_FUZZ_MUTATION_KINDS));
}

/* A share of 0: the spec never takes a call. */
static void test_share_zero(void **state)
{
	static uint8_t a[MAX];
	(void)state;
	mp_fuzz_mutator_set_spec(&mp_test_probe_subsystem);
	mp_fuzz_mutator_set_spec_share(0);
	for (unsigned seed = 0; seed < 500; seed++) {
		size_t n = seed_request(&mp_test_probe_subsystem, a, MAX);
		(void)mp_fuzz_mutate(a, n, MAX, seed, no_bytes);
		assert_int_equal(mp_fuzz_last_mutations() &
					 ((1u << MP_FUZZ_SPEC_MUTATE) | (1u << MP_FUZZ_SPEC_GENERATE)),
				 0);
	}
	mp_fuzz_mutator_set_spec_share(12);
	mp_fuzz_mutator_set_spec(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_single_subsystem),
		cmocka_unit_test(test_tables_form),
		cmocka_unit_test(test_share_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
