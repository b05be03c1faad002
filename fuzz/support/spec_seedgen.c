/*
 * spec_seedgen DIR: writes the seed corpus of fuzz/spec_check.c into
 * DIR/spec_check (scripts/gen-corpus runs it, names the seeds by SHA-1 and
 * minimises them). For each subsystem of spec_tables.h and each routine:
 * valid requests in raw form (input byte 1 = 0), the same with each named
 * mutation of lib/spec/gen.c that applies, and a few generator inputs
 * (byte 1 = 1, 2, 3: VALID, EDGE, ANY).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/support/spec_tables.h"
#include "lib/spec/gen_internal.h"
#include "lib/tools/caller_path.h"

#define CAP 16384u

static const char *g_dir;
static unsigned g_count;

static void write_seed(const char *name, uint8_t ss, uint8_t form, const uint8_t *data,
		       size_t len)
{
	char path[4096];
	uint8_t prefix[2] = {ss, form};
	FILE *f;
	snprintf(path, sizeof path, "%s/spec_check/%s", g_dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(prefix, 1, 2, f) != 2 || fwrite(data, 1, len, f) != len ||
	    fclose(f) != 0) {
		perror(path);
		exit(2);
	}
	g_count++;
}

static void routine_seeds(uint8_t s, const mp_spec_routine_t *rt)
{
	static uint8_t buf[CAP], base[CAP];
	const mp_spec_subsystem_t *ss = mp_fuzz_spec_subsystems[s];
	char name[256];
	for (uint64_t seed = 0; seed < 3; seed++) {
		mp_spec_gen_t g;
		size_t len;
		mp_spec_gen_init_seed(&g, seed);
		len = mp_spec_gen_request(&g, ss, rt, MP_SPEC_GEN_VALID, base, CAP, NULL);
		if (len == 0)
			continue;
		snprintf(name, sizeof name, "%s_%s_valid%u", ss->name, rt->name, (unsigned)seed);
		write_seed(name, s, 0, base, len);
		if (seed != 0)
			continue;
		for (unsigned i = 0; i < mp_spec_gen_mutation_count(); i++) {
			size_t n = len;
			memcpy(buf, base, len);
			mp_spec_gen_init_seed(&g, 1000 + i);
			if (!mp_spec_gen_apply(i, &g, ss, buf, &n, CAP))
				continue;
			snprintf(name, sizeof name, "%s_%s_%s", ss->name, rt->name,
				 mp_spec_gen_mutation_name(i));
			write_seed(name, s, 0, buf, n);
		}
	}
}

int main(int argc, char **argv)
{
	static char dir[4096];
	if (argc != 2) {
		fprintf(stderr, "usage: spec_seedgen DIR (with DIR/spec_check)\n");
		return 2;
	}
	g_dir = mp_caller_path(argv[1], dir, sizeof dir);
	if (g_dir == NULL) {
		fprintf(stderr, "spec_seedgen: %s: path too long\n", argv[1]);
		return 2;
	}
	for (uint8_t s = 0; s < MP_FUZZ_SPEC_SUBSYSTEMS; s++) {
		const mp_spec_subsystem_t *ss = mp_fuzz_spec_subsystems[s];
		char name[256];
		for (uint32_t r = 0; r < ss->nroutines; r++)
			if (ss->routines[r] != NULL)
				routine_seeds(s, ss->routines[r]);
		/* Generator inputs: the choices are the bytes, a few of each mode. */
		for (uint8_t form = 1; form <= 3; form++)
			for (uint8_t k = 0; k < 4; k++) {
				uint8_t in[8];
				for (unsigned j = 0; j < sizeof in; j++)
					in[j] = (uint8_t)(k * 37u + j * 11u + form);
				snprintf(name, sizeof name, "%s_gen%u_%u", ss->name, form, k);
				write_seed(name, s, form, in, sizeof in);
			}
	}
	printf("spec_seedgen: %u seeds\n", g_count);
	return 0;
}
