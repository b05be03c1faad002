/*
 * fuzz/support/mutator_test.c: the structure-aware mutator stays inside its
 * buffer, is deterministic in its seed, and keeps the structure: mutants of a
 * valid message still parse (field-level changes) far more often than the
 * same number of random byte flips would allow, and every mutation kind is
 * reached (descriptor counts and trailer sizes change).
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
	};
	return cmocka_run_group_tests_name("mutator", tests, NULL, NULL);
}
