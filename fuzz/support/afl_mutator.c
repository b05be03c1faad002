/*
 * fuzz/support/afl_mutator.c: the same structure-aware mutator as an AFL++
 * custom mutator library (docs/custom_mutators.md):
 *   AFL_CUSTOM_MUTATOR_LIBRARY=.../libafl_mutator.so afl-fuzz ...
 * AFL++'s driver has no byte mutator to lend, so byte-level changes here are
 * a few random flips, inserts and deletes; AFL++'s own havoc still runs too.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz/support/mutator.h"

typedef struct state {
	uint64_t rng;
	uint8_t *buf;
	size_t cap;
} state_t;

static uint64_t g_rng = 0x853c49e6748fea9bull;

static uint32_t next(void)
{
	g_rng ^= g_rng << 13;
	g_rng ^= g_rng >> 7;
	g_rng ^= g_rng << 17;
	return (uint32_t)(g_rng >> 16);
}

static size_t byte_mutate(uint8_t *data, size_t size, size_t max_size)
{
	for (uint32_t n = 1 + next() % 4; n > 0; n--) {
		uint32_t op = next() % 3;
		if (op == 0 && size > 0)
			data[next() % size] ^= (uint8_t)(1u << (next() % 8));
		else if (op == 1 && size < max_size) {
			size_t at = size ? next() % (size + 1) : 0;
			memmove(data + at + 1, data + at, size - at);
			data[at] = (uint8_t)next();
			size++;
		} else if (size > 0) {
			size_t at = next() % size;
			memmove(data + at, data + at + 1, size - at - 1);
			size--;
		}
	}
	return size;
}

void *afl_custom_init(void *afl, unsigned int seed)
{
	state_t *s = calloc(1, sizeof *s);
	(void)afl;
	if (s != NULL)
		g_rng ^= (uint64_t)seed * 0x9e3779b97f4a7c15ull;
	return s;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf, uint8_t *add_buf,
		       size_t add_buf_size, size_t max_size)
{
	state_t *s = data;
	size_t n;
	if (s->cap < max_size) {
		uint8_t *nb = realloc(s->buf, max_size);
		if (nb == NULL) {
			*out_buf = buf;
			return buf_size;
		}
		s->buf = nb;
		s->cap = max_size;
	}
	if (add_buf != NULL && add_buf_size > 0 && next() % 4 == 0) {
		n = mp_fuzz_crossover(buf, buf_size, add_buf, add_buf_size, s->buf, max_size, next());
	} else {
		n = buf_size < max_size ? buf_size : max_size;
		memcpy(s->buf, buf, n);
		n = mp_fuzz_mutate(s->buf, n, max_size, next(), byte_mutate);
	}
	*out_buf = s->buf;
	return n;
}

void afl_custom_deinit(void *data)
{
	state_t *s = data;
	free(s->buf);
	free(s);
}
