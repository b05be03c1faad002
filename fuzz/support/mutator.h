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

/*
 * The mutations by name (mutator.c's table): kinds 0 .. MP_FUZZ_FIELD_MUTATIONS-1
 * are the field-level ones ("bits_disposition", "desc_insert", ...);
 * MP_FUZZ_BYTES_ONLY is a call that used the byte mutator alone,
 * MP_FUZZ_CROSSOVER a crossover, MP_FUZZ_SPEC_MUTATE / _GENERATE the
 * spec-aware hook's. mp_fuzz_mutation_name returns NULL past
 * MP_FUZZ_MUTATION_KINDS.
 */
#define MP_FUZZ_FIELD_MUTATIONS 12u
#define MP_FUZZ_BYTES_ONLY MP_FUZZ_FIELD_MUTATIONS
#define MP_FUZZ_CROSSOVER (MP_FUZZ_FIELD_MUTATIONS + 1u)
/* Spec-aware kinds (fuzz/support/spec_mutator.c, issue 13): a targeted mutation
 * at the edges of a registered spec, and a fresh request generated from it. */
#define MP_FUZZ_SPEC_MUTATE (MP_FUZZ_FIELD_MUTATIONS + 2u)
#define MP_FUZZ_SPEC_GENERATE (MP_FUZZ_FIELD_MUTATIONS + 3u)
#define MP_FUZZ_MUTATION_KINDS (MP_FUZZ_FIELD_MUTATIONS + 4u)
const char *mp_fuzz_mutation_name(unsigned kind);

/* The kinds (bit `kind` set for each) that made the output of the last
 * mp_fuzz_mutate, mp_fuzz_apply_mutation or mp_fuzz_crossover call. */
uint32_t mp_fuzz_last_mutations(void);

/* mp_fuzz_apply_mutation applies exactly the field-level mutation `kind`
 * (as mp_fuzz_mutate would pick it) and returns the new size (<= max_size);
 * the byte mutator alone if `kind` is not field-level or the input is not
 * a message. Deterministic in `seed`. */
size_t mp_fuzz_apply_mutation(unsigned kind, uint8_t *data, size_t size, size_t max_size,
			      unsigned seed, mp_byte_mutator_fn bytes);

/* mp_fuzz_crossover splices two messages: the first's header and leading
 * descriptors, the second's trailing descriptors, either's inline data. */
size_t mp_fuzz_crossover(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2, uint8_t *out,
			 size_t max_out, unsigned seed);

/*
 * The spec-aware hook (issue 13; fuzz/support/spec_mutator.c installs it
 * through mp_fuzz_mutator_set_spec, so this file needs no spec library).
 * When installed, mp_fuzz_mutate first offers each call to the hook: it
 * returns the new size (and *kind, MP_FUZZ_SPEC_*) or 0 to decline; on 0 the
 * field-level mutations run on the message after `prefix` bytes (a target's
 * own leading bytes, kept as they are).
 */
typedef size_t (*mp_fuzz_spec_hook_fn)(uint8_t *data, size_t size, size_t max_size, unsigned seed,
				       unsigned *kind);
void mp_fuzz_set_spec_hook(mp_fuzz_spec_hook_fn hook, size_t prefix);

#endif /* MP_FUZZ_MUTATOR_H */
