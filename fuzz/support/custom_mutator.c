/*
 * fuzz/support/custom_mutator.c: libFuzzer's structure-aware hooks for the
 * message targets (parse_send, parse_recv). MP_FUZZ_NO_MUTATOR=1 in the
 * environment turns them into plain LLVMFuzzerMutate, so a campaign can be
 * measured with and without them from the same binary (scripts/fuzz
 * --no-mutator). Under the replay and AFL++ drivers they are never called
 * (AFL++ loads fuzz/support/afl_mutator.c instead).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz/support/mutator.h"

/* Weak: absent under the replay driver, which never mutates. */
__attribute__((weak)) size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static size_t byte_mutate(uint8_t *data, size_t size, size_t max_size)
{
	return LLVMFuzzerMutate != NULL ? LLVMFuzzerMutate(data, size, max_size) : size;
}

static int disabled(void)
{
	static int state = -1;
	if (state < 0) {
		const char *e = getenv("MP_FUZZ_NO_MUTATOR");
		state = e != NULL && e[0] != '\0' && strcmp(e, "0") != 0;
	}
	return state;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	if (disabled())
		return byte_mutate(data, size, max_size);
	return mp_fuzz_mutate(data, size, max_size, seed, byte_mutate);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
				 uint8_t *out, size_t max_out, unsigned int seed)
{
	if (disabled()) { /* libFuzzer's own crossover is not callable: splice halves */
		size_t a = s1 / 2 < max_out ? s1 / 2 : max_out, b = s2 - s2 / 2;
		if (b > max_out - a)
			b = max_out - a;
		memcpy(out, d1, a);
		memcpy(out + a, d2 + s2 / 2, b);
		return a + b;
	}
	return mp_fuzz_crossover(d1, s1, d2, s2, out, max_out, seed);
}
