/*
 * fuzz/support/afl_mutator_test.c: spec_check's AFL++ custom mutator library
 * (//fuzz:spec_check_afl_mutator.so, fuzz/support/afl_mutator.c), loaded as
 * afl-fuzz loads it (dlopen, then the afl_custom_* entry points): its
 * afl_custom_init registers spec_check's spec tables (the target's
 * LLVMFuzzerInitialize), so the spec mutations run and their outputs are
 * received requests of the tables' subsystems in spec_check's form; each
 * output is described by the mutations that made it, the queue entries with
 * that description count as kept, MP_FUZZ_MUTATION_STATS gets the figures,
 * and outputs longer than 4096 bytes come out whole.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/support/spec_tables.h"
#include "machports/le.h"

#define LIBRARY "fuzz/spec_check_afl_mutator.so"

/* The library carries its own copy of the spec tables (afl-fuzz has none),
 * and this test links them too to check the outputs: under ASan the two
 * copies of each global are an intended duplicate, not an ODR violation. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_odr_violation=0";
}

enum { MAX = 1 << 20 /* afl-fuzz's MAX_FILE */, ROUNDS = 4000 };

typedef void *(*init_fn)(void *afl, unsigned int seed);
typedef size_t (*fuzz_fn)(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
			  uint8_t *add_buf, size_t add_buf_size, size_t max_size);
typedef const char *(*describe_fn)(void *data, size_t max_description_len);
typedef uint8_t (*queue_new_entry_fn)(void *data, const uint8_t *new_name, const uint8_t *orig_name);
typedef void (*deinit_fn)(void *data);

typedef struct afl_mutator {
	void *dl;
	init_fn init;
	fuzz_fn fuzz;
	describe_fn describe;
	queue_new_entry_fn queue_new_entry;
	deinit_fn deinit;
} afl_mutator_t;

/* Loaded once per test and never unloaded, as afl-fuzz does (mutator.c keeps
 * its buffers in statics for the process's life). */
static afl_mutator_t load(void)
{
	afl_mutator_t m;
	m.dl = dlopen("./" LIBRARY, RTLD_NOW | RTLD_LOCAL);
	assert_non_null(m.dl);
	*(void **)&m.init = dlsym(m.dl, "afl_custom_init");
	*(void **)&m.fuzz = dlsym(m.dl, "afl_custom_fuzz");
	*(void **)&m.describe = dlsym(m.dl, "afl_custom_describe");
	*(void **)&m.queue_new_entry = dlsym(m.dl, "afl_custom_queue_new_entry");
	*(void **)&m.deinit = dlsym(m.dl, "afl_custom_deinit");
	assert_non_null(m.init);
	assert_non_null(m.fuzz);
	assert_non_null(m.describe);
	assert_non_null(m.queue_new_entry);
	assert_non_null(m.deinit);
	return m;
}

/* spec_check's form: byte 0 picks the table, byte 1 == 0: a raw request follows. */
static int is_raw_request(const uint8_t *out, size_t n)
{
	return n >= 2 + 32 && out[1] == 0;
}

/* Its msgh_id is one of the routines of the table byte 0 picks. */
static int is_request_of_its_table(const uint8_t *out, size_t n)
{
	const mp_spec_subsystem_t *ss;
	int32_t id;
	if (!is_raw_request(out, n))
		return 0;
	ss = mp_fuzz_spec_subsystems[out[0] % MP_FUZZ_SPEC_SUBSYSTEMS];
	id = (int32_t)mp_load_le32(out + 2 + 20);
	return id >= ss->base && id < ss->base + (int32_t)ss->nroutines;
}

typedef struct run {
	unsigned generated, generated_raw, generated_in_table, mutated, longer_than_4096;
	size_t longest;
} run_t;

/* ROUNDS calls, each output fed back as the next input (as a queue walk would). */
static run_t fuzz_rounds(const afl_mutator_t *m, void *state)
{
	static uint8_t input[MAX];
	size_t size = 2;
	run_t r;
	memset(&r, 0, sizeof r);
	input[0] = 1; /* mp_test_mach_exc */
	input[1] = 1; /* a generated VALID request */
	for (unsigned i = 0; i < ROUNDS; i++) {
		uint8_t *out = NULL;
		size_t n = m->fuzz(state, input, size, &out, NULL, 0, MAX);
		const char *what = m->describe(state, 200);
		assert_non_null(out);
		assert_true(n <= MAX);
		assert_non_null(what);
		assert_true(strncmp(what, "mp:", 3) == 0);
		if (strcmp(what, "mp:spec_generate") == 0) {
			r.generated++;
			r.generated_raw += is_raw_request(out, n);
			r.generated_in_table += is_request_of_its_table(out, n);
		}
		r.mutated += strcmp(what, "mp:spec_mutate") == 0;
		r.longer_than_4096 += n > 4096;
		if (n > r.longest)
			r.longest = n;
		if (n >= 2) {
			memcpy(input, out, n);
			size = n;
		}
	}
	return r;
}

static void test_afl_init_registers_spec_check_tables_so_spec_mutations_run(void **st)
{
	afl_mutator_t m = load();
	void *state = m.init(NULL, 7);
	run_t r;
	(void)st;
	assert_non_null(state);
	r = fuzz_rounds(&m, state);
	assert_true(r.generated > ROUNDS / 10);
	assert_true(r.mutated > ROUNDS / 10);
	/* every generated output is a received request in spec_check's form, and
	 * (edge mutations may move the id out) most are the picked table's */
	assert_int_equal(r.generated_raw, r.generated);
	assert_true(r.generated_in_table * 10 >= r.generated * 8);
	m.deinit(state);
}

static void test_afl_outputs_longer_than_4096_come_out_whole(void **st)
{
	afl_mutator_t m = load();
	void *state = m.init(NULL, 11);
	run_t r;
	(void)st;
	r = fuzz_rounds(&m, state);
	/* the raise_state family of exc / mach_exc: up to 5276 bytes + spec_check's 2 */
	assert_true(r.longer_than_4096 > 0);
	assert_true(r.longest > 5000);
	m.deinit(state);
}

/* The figure of `name` in the stats file: "mutation NAME made N kept K". */
static void read_figures(const char *path, const char *name, unsigned long *made,
			 unsigned long *kept)
{
	char line[256], want[64];
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	snprintf(want, sizeof want, "mutation %s ", name);
	*made = *kept = 0;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, want, strlen(want)) == 0)
			assert_int_equal(sscanf(line + strlen(want), "made %lu kept %lu", made, kept), 2);
	fclose(f);
}

static void test_afl_stats_count_made_and_kept_described_queue_entries(void **st)
{
	char path[] = "/tmp/afl_mutator_test_XXXXXX";
	afl_mutator_t m = load();
	void *state = m.init(NULL, 3);
	static uint8_t input[MAX];
	uint8_t *out = NULL;
	unsigned long made, kept, expected_made = 0, expected_kept = 0;
	int fd = mkstemp(path);
	(void)st;
	assert_true(fd >= 0);
	close(fd);
	setenv("MP_FUZZ_MUTATION_STATS", path, 1);
	input[0] = 4; /* mach_exc */
	input[1] = 1;
	for (unsigned i = 0; i < 200; i++) {
		size_t n = m.fuzz(state, input, 2, &out, NULL, 0, MAX);
		char name[300];
		(void)n;
		if (strcmp(m.describe(state, 200), "mp:spec_generate") != 0)
			continue;
		expected_made++;
		/* afl-fuzz names a queue entry after the description */
		snprintf(name, sizeof name, "queue/id:%06u,src:000000,time:1,execs:%u,%s", i, i,
			 m.describe(state, 200));
		if (i % 2 == 0) {
			assert_int_equal(m.queue_new_entry(state, (const uint8_t *)name, NULL), 0);
			expected_kept++;
		}
	}
	/* an entry havoc found is not ours */
	assert_int_equal(m.queue_new_entry(state, (const uint8_t *)"queue/id:000999,op:havoc", NULL),
			 0);
	m.deinit(state);
	unsetenv("MP_FUZZ_MUTATION_STATS");
	read_figures(path, "spec_generate", &made, &kept);
	assert_true(expected_made > 0);
	assert_int_equal(made, expected_made);
	assert_int_equal(kept, expected_kept);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_afl_init_registers_spec_check_tables_so_spec_mutations_run),
		cmocka_unit_test(test_afl_outputs_longer_than_4096_come_out_whole),
		cmocka_unit_test(test_afl_stats_count_made_and_kept_described_queue_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
