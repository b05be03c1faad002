/*
 * fuzz/support/mutator_test.c: the structure-aware mutator stays inside its
 * buffer, is deterministic in its seed, and keeps the structure: mutants of a
 * valid message still parse (field-level changes) far more often than the
 * same number of random byte flips would allow, and every mutation kind is
 * reached (descriptor counts and trailer sizes change). The table of named
 * mutations: each one runs alone, changes its input for some seed, and
 * stays inside an output buffer of exactly max_size bytes (ASan's bounds).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/support/mutator.h"
#include "machports/msg.h"

enum { MAX = 2048, ROUNDS = 20000 };

static size_t flip_one(uint8_t *data, size_t size, size_t max_size)
{
	(void)max_size;
	if (size > 0)
		data[size / 2] ^= 0x5a;
	return size;
}

static size_t valid_message(uint8_t *buf, int received)
{
	static const uint32_t names[2] = {0x103, 0x207};
	mp_builder_t b;
	size_t len = 0;
	mp_builder_init(&b, buf, MAX, received ? MP_BUILD_UNCHECKED : 0);
	mp_builder_set_remote(&b, received ? 0x207 : 0x103, received ? 18 : 19);
	mp_builder_set_local(&b, received ? 0x103 : 0x207, received ? 17 : 21);
	mp_builder_add_port(&b, 0x30b, received ? 17 : 20);
	mp_builder_add_ool(&b, 0x1000, 64, 1, received);
	mp_builder_add_ool_ports(&b, (uint64_t)(uintptr_t)names, 2, received ? 17 : 19, received, received);
	mp_builder_add_guarded_port(&b, 0x40f, 16, 1, 0x42);
	mp_builder_append(&b, "0123456789abcdef", 16);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK);
	if (received) { /* a 52-byte trailer */
		memset(buf + len, 0, 52);
		buf[len + 4] = 52;
		len += 52;
	}
	return len;
}

static void run(int received)
{
	uint8_t orig[MAX], a[MAX], c[MAX];
	size_t n = valid_message(orig, received), accepted = 0, count_changed = 0, trailer_changed = 0;
	for (unsigned seed = 0; seed < ROUNDS; seed++) {
		mp_msg_view_t v;
		memcpy(a, orig, n);
		size_t m = mp_fuzz_mutate(a, n, MAX, seed, flip_one);
		assert_true(m <= MAX);
		/* deterministic in the seed */
		memcpy(c, orig, n);
		assert_int_equal(mp_fuzz_mutate(c, n, MAX, seed, flip_one), m);
		assert_memory_equal(a, c, m);
		if (received ? mp_parse_recv(&v, a, m, 0, NULL) == MP_OK : mp_parse_send(&v, a, m, NULL) == MP_OK) {
			accepted++;
			count_changed += v.desc_count != 4;
			if (received)
				trailer_changed += v.trailer.size != 52;
		}
	}
	print_message("%s: %zu/%d mutants accepted, %zu with another descriptor count, %zu another trailer\n",
		      received ? "recv" : "send", accepted, ROUNDS, count_changed, trailer_changed);
	assert_true(accepted > ROUNDS / 5);
	assert_true(count_changed > ROUNDS / 50);
	if (received)
		assert_true(trailer_changed > ROUNDS / 200);
}

static void test_mutate_send(void **state)
{
	(void)state;
	run(0);
}

static void test_mutate_recv(void **state)
{
	(void)state;
	run(1);
}

/* Every kind has its own name; none past the table. */
static void test_mutation_names(void **state)
{
	(void)state;
	for (unsigned k = 0; k < MP_FUZZ_MUTATION_KINDS; k++) {
		const char *name = mp_fuzz_mutation_name(k);
		assert_non_null(name);
		for (unsigned j = 0; j < k; j++)
			assert_string_not_equal(name, mp_fuzz_mutation_name(j));
	}
	assert_null(mp_fuzz_mutation_name(MP_FUZZ_MUTATION_KINDS));
}

/* Each named mutation alone, on a send and a received message, into
 * buffers of exactly max_size bytes (heap, so ASan sees one byte past). */
static void test_each_mutation(void **state)
{
	static const size_t maxes[] = { MAX, 200, 130, 64, 24 };
	uint8_t orig[MAX];
	(void)state;
	for (unsigned kind = 0; kind < MP_FUZZ_FIELD_MUTATIONS; kind++) {
		unsigned changed = 0, applied = 0;
		for (int received = 0; received < 2; received++) {
			size_t n = valid_message(orig, received);
			for (size_t mi = 0; mi < sizeof maxes / sizeof maxes[0]; mi++) {
				size_t max = maxes[mi] > n ? maxes[mi] : n;
				for (unsigned seed = 0; seed < 200; seed++) {
					uint8_t *a = malloc(max);
					size_t m;
					assert_non_null(a);
					memcpy(a, orig, n);
					m = mp_fuzz_apply_mutation(kind, a, n, max, seed, flip_one);
					assert_true(m <= max);
					if (mp_fuzz_last_mutations() == 1u << kind) {
						applied++;
						changed += m != n || memcmp(a, orig, n) != 0;
					} else { /* the result did not fit in max: bytes alone */
						assert_int_equal(mp_fuzz_last_mutations(), 1u << MP_FUZZ_BYTES_ONLY);
					}
					free(a);
				}
			}
		}
		print_message("%-16s applied %u, changed the input %u times\n", mp_fuzz_mutation_name(kind),
			      applied, changed);
		assert_true(applied > 0);
		assert_true(changed > 0);
	}
	/* not a field-level kind, or not a message: the byte mutator alone */
	assert_int_equal(mp_fuzz_apply_mutation(MP_FUZZ_BYTES_ONLY, orig, 30, MAX, 1, flip_one), 30);
	assert_int_equal(mp_fuzz_last_mutations(), 1u << MP_FUZZ_BYTES_ONLY);
	assert_int_equal(mp_fuzz_apply_mutation(0, orig, 10, MAX, 1, flip_one), 10);
	assert_int_equal(mp_fuzz_last_mutations(), 1u << MP_FUZZ_BYTES_ONLY);
}

/* mp_fuzz_mutate reports what it applied, and picks every kind. */
static void test_mutate_reports_kinds(void **state)
{
	uint8_t orig[MAX], a[MAX];
	size_t n = valid_message(orig, 1);
	uint32_t seen = 0;
	(void)state;
	for (unsigned seed = 0; seed < ROUNDS; seed++) {
		uint32_t kinds;
		memcpy(a, orig, n);
		(void)mp_fuzz_mutate(a, n, MAX, seed, flip_one);
		kinds = mp_fuzz_last_mutations();
		assert_true(kinds != 0);
		assert_true(kinds < 1u << MP_FUZZ_MUTATION_KINDS);
		assert_true(!(kinds & (1u << MP_FUZZ_CROSSOVER)));
		seen |= kinds;
	}
	assert_int_equal(seen, (1u << MP_FUZZ_CROSSOVER) - 1); /* every field kind, and bytes only */
	(void)mp_fuzz_crossover(orig, n, orig, n, a, MAX, 1);
	assert_int_equal(mp_fuzz_last_mutations(), 1u << MP_FUZZ_CROSSOVER);
}

static void test_crossover_bounds(void **state)
{
	uint8_t x[MAX], y[MAX], out[64];
	size_t nx = valid_message(x, 0), ny = valid_message(y, 1);
	(void)state;
	for (unsigned seed = 0; seed < ROUNDS; seed++) {
		size_t max = 1 + seed % sizeof out;
		size_t n = mp_fuzz_crossover(x, nx, y, ny, out, max, seed);
		assert_true(n <= max);
	}
	/* too short to be messages: the first input, truncated */
	assert_int_equal(mp_fuzz_crossover(x, 10, y, ny, out, sizeof out, 1), 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mutate_send),
	    cmocka_unit_test(test_mutate_recv),
	    cmocka_unit_test(test_crossover_bounds),
	    cmocka_unit_test(test_mutation_names),
	    cmocka_unit_test(test_each_mutation),
	    cmocka_unit_test(test_mutate_reports_kinds),
	};
	return cmocka_run_group_tests_name("mutator", tests, NULL, NULL);
}
