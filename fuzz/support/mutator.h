/* fuzz/support/mutator.h: the structure-aware Mach message mutator (mutator.c). */
#ifndef MP_FUZZ_MUTATOR_H
#define MP_FUZZ_MUTATOR_H

#include <stddef.h>
#include <stdint.h>

/* A byte-level mutator with LLVMFuzzerMutate's contract: mutate data[0..size)
 * in place, within max_size bytes; return the new size. */
typedef size_t (*mp_byte_mutator_fn)(uint8_t *data, size_t size, size_t max_size);

/* mp_fuzz_mutate applies one to three field-level mutations (bits, names,
 * sizes, counts, descriptor type / disposition / flags / copy option, OOL
 * sizes, trailer type and size; insert, remove, duplicate and reorder
 * descriptors) and returns the new size (<= max_size). Deterministic in `seed`. */
size_t mp_fuzz_mutate(uint8_t *data, size_t size, size_t max_size, unsigned seed,
		      mp_byte_mutator_fn bytes);

/* mp_fuzz_crossover splices two messages: the first's header and leading
 * descriptors, the second's trailing descriptors, either's inline data. */
size_t mp_fuzz_crossover(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2, uint8_t *out,
			 size_t max_out, unsigned seed);

#endif /* MP_FUZZ_MUTATOR_H */
