/*
 * fuzz/support/afl_mutator.c: the same structure-aware mutator as an AFL++
 * custom mutator library (docs/custom_mutators.md). fuzz/fuzz.bzl builds one
 * per mutator target T, with T's own sources linked in:
 *   AFL_CUSTOM_MUTATOR_LIBRARY=bazel-bin/fuzz/T_afl_mutator.so afl-fuzz ...
 * afl_custom_init calls T's LLVMFuzzerInitialize, as libFuzzer does, so a
 * target registers its specs in one place (mp_fuzz_mutator_set_spec /
 * _set_spec_tables, spec_mutator.h) for both engines; a user's server target
 * (issue 15) does the same. The library runs inside afl-fuzz, never calls
 * LLVMFuzzerTestOneInput; a target's LLVMFuzzerInitialize must therefore do
 * nothing but set up (it gets argc 1, argv {"afl_mutator"}).
 *
 * AFL++'s driver has no byte mutator to lend, so byte-level changes here are
 * a few random flips, inserts and deletes; AFL++'s own havoc still runs too.
 *
 * Each output is described (afl_custom_describe) as "mp:" and the names of
 * the mutations that made it ("mp:spec_generate"), so AFL++'s queue file
 * names say which mutation found an entry. MP_FUZZ_MUTATION_STATS=FILE
 * appends, when afl-fuzz ends, "mutation NAME made N kept K" per mutation
 * (kept: the queue entries afl_custom_queue_new_entry saw with our
 * description), the lines custom_mutator.c writes under libFuzzer.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/support/mutator.h"

/* The target's, when it has one (linked in by fuzz.bzl). */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

#define DESCRIPTION_PREFIX "mp:"

typedef struct state {
	uint8_t *buf;
	size_t cap;
	uint32_t last; /* the kinds that made the last output */
	unsigned long made[MP_FUZZ_MUTATION_KINDS], kept[MP_FUZZ_MUTATION_KINDS];
	char description[256];
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
	if (s == NULL)
		return NULL;
	g_rng ^= (uint64_t)seed * 0x9e3779b97f4a7c15ull;
	if (LLVMFuzzerInitialize != NULL) {
		static char name[] = "afl_mutator";
		static char *args[] = {name, NULL};
		int argc = 1;
		char **argv = args;
		LLVMFuzzerInitialize(&argc, &argv);
	}
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
	s->last = mp_fuzz_last_mutations();
	for (unsigned k = 0; k < MP_FUZZ_MUTATION_KINDS; k++)
		if (s->last & (1u << k))
			s->made[k]++;
	*out_buf = s->buf;
	return n;
}

/* "mp:" and the names of the mutations that made the last output, '+'-joined. */
const char *afl_custom_describe(void *data, size_t max_description_len)
{
	state_t *s = data;
	size_t cap = max_description_len + 1 < sizeof s->description ? max_description_len + 1
								       : sizeof s->description;
	size_t len = (size_t)snprintf(s->description, cap, "%s", DESCRIPTION_PREFIX);
	for (unsigned k = 0; k < MP_FUZZ_MUTATION_KINDS && len < cap; k++)
		if (s->last & (1u << k))
			len += (size_t)snprintf(s->description + len, cap - len, "%s%s",
						len > strlen(DESCRIPTION_PREFIX) ? "+" : "",
						mp_fuzz_mutation_name(k));
	return s->description;
}

/* A new queue entry: ours when its name carries our description. */
uint8_t afl_custom_queue_new_entry(void *data, const uint8_t *filename_new_queue,
				   const uint8_t *filename_orig_queue)
{
	state_t *s = data;
	(void)filename_orig_queue;
	if (filename_new_queue != NULL && strstr((const char *)filename_new_queue, DESCRIPTION_PREFIX))
		for (unsigned k = 0; k < MP_FUZZ_MUTATION_KINDS; k++)
			if (s->last & (1u << k))
				s->kept[k]++;
	return 0; /* the file is unchanged */
}

static void write_stats(const state_t *s, const char *path)
{
	char out[4096];
	size_t len = 0;
	int fd;
	for (unsigned k = 0; k < MP_FUZZ_MUTATION_KINDS; k++)
		len += (size_t)snprintf(out + len, sizeof out - len, "mutation %s made %lu kept %lu\n",
					mp_fuzz_mutation_name(k), s->made[k], s->kept[k]);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)!write(fd, out, len); /* one append: instances do not interleave */
		close(fd);
	}
}

void afl_custom_deinit(void *data)
{
	state_t *s = data;
	const char *path = getenv("MP_FUZZ_MUTATION_STATS");
	if (path != NULL && path[0] != '\0')
		write_stats(s, path);
	free(s->buf);
	free(s);
}
