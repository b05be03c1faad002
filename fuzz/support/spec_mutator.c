/*
 * fuzz/support/spec_mutator.c: spec-aware mutations for the structure-aware
 * mutator (spec_mutator.h). Of each 16 calls, `share` go to the spec: a
 * quarter of those generate a fresh request (mp_spec_gen_request, ANY mode:
 * valid or edge-mutated), the rest apply one targeted mutation of
 * lib/spec/gen.c to the input when it is a received request (and generate
 * when it is not). Deterministic in the engine's seed.
 */
#include "fuzz/support/spec_mutator.h"

#include <string.h>

#include "fuzz/support/mutator.h"
#include "machports/spec_gen.h"

static struct {
	const mp_spec_subsystem_t *single;
	const mp_spec_subsystem_t *const *tables;
	size_t ntables;
	size_t prefix;
	unsigned share;
} g_spec = {NULL, NULL, 0, 0, 12};

/* The subsystem an input is for (and, with tables, its prefix made raw). */
static const mp_spec_subsystem_t *input_subsystem(mp_spec_gen_t *g, uint8_t *data, size_t *size,
						  size_t max_size)
{
	if (g_spec.single != NULL)
		return g_spec.single;
	if (max_size < 2)
		return NULL;
	if (*size < 2) {
		data[0] = (uint8_t)mp_spec_gen_below(g, (uint32_t)g_spec.ntables);
		*size = 2;
		data[1] = 1; /* not raw: makes the caller generate */
	}
	return g_spec.tables[data[0] % g_spec.ntables];
}

static size_t spec_hook(uint8_t *data, size_t size, size_t max_size, unsigned seed, unsigned *kind)
{
	mp_spec_gen_t g;
	const mp_spec_subsystem_t *ss;
	size_t p = g_spec.prefix, len;
	int raw;

	mp_spec_gen_init_seed(&g, 0x5bd1e995ull * seed + size);
	if (mp_spec_gen_below(&g, 16) >= g_spec.share)
		return 0;
	ss = input_subsystem(&g, data, &size, max_size);
	if (ss == NULL || max_size <= p)
		return 0;
	raw = p == 0 || data[1] % 4u == 0;
	/* A generator input (choices, not a message): half the time leave it to
	 * the byte mutations, which move the generated request. */
	if (!raw && mp_spec_gen_below(&g, 2) == 0)
		return 0;
	if (raw && size > p && mp_spec_gen_below(&g, 4) != 0) {
		len = size - p;
		if (mp_spec_gen_mutate(&g, ss, data + p, &len, max_size - p) != NULL) {
			*kind = MP_FUZZ_SPEC_MUTATE;
			return p + len;
		}
	}
	len = mp_spec_gen_request(&g, ss, NULL, MP_SPEC_GEN_ANY, data + p, max_size - p, NULL);
	if (len == 0)
		return 0;
	if (p != 0)
		data[1] = 0; /* a raw received buffer follows */
	*kind = MP_FUZZ_SPEC_GENERATE;
	return p + len;
}

void mp_fuzz_mutator_set_spec(const mp_spec_subsystem_t *ss)
{
	g_spec.single = ss;
	g_spec.tables = NULL;
	g_spec.ntables = 0;
	g_spec.prefix = 0;
	mp_fuzz_set_spec_hook(ss != NULL ? spec_hook : NULL, 0);
}

void mp_fuzz_mutator_set_spec_tables(const mp_spec_subsystem_t *const *tables, size_t n)
{
	g_spec.single = NULL;
	g_spec.tables = n != 0 ? tables : NULL;
	g_spec.ntables = n;
	g_spec.prefix = 2;
	mp_fuzz_set_spec_hook(n != 0 ? spec_hook : NULL, 2);
}

void mp_fuzz_mutator_set_spec_share(unsigned sixteenths)
{
	g_spec.share = sixteenths > 16 ? 16 : sixteenths;
}
