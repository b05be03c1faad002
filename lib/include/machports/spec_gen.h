/*
 * machports/spec_gen.h: messages generated from a spec, for fuzzers, the
 * spec-aware mutator and the differential against Apple's MIG.
 *
 * Every choice comes from an mp_spec_gen_t: the bytes of a fuzzer's input
 * first (so an input maps to one message, and libFuzzer's mutations of the
 * input move the message), then a PRNG seeded from them (so short inputs
 * still make whole messages). The same input or seed gives the same bytes on
 * every platform (no host randomness, no host endianness).
 */
#ifndef MACHPORTS_SPEC_GEN_H
#define MACHPORTS_SPEC_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "machports/spec.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mp_spec_gen {
	const uint8_t *data; /* choices from a fuzzer's input (may be NULL) */
	size_t len, pos;
	uint64_t rng;        /* splitmix64 state once `data` is used up */
} mp_spec_gen_t;

void mp_spec_gen_init(mp_spec_gen_t *g, const uint8_t *data, size_t len);
void mp_spec_gen_init_seed(mp_spec_gen_t *g, uint64_t seed);
/* A choice in [0, n) (n >= 1). */
uint32_t mp_spec_gen_below(mp_spec_gen_t *g, uint32_t n);

/* What to make. */
typedef enum mp_spec_gen_mode {
	MP_SPEC_GEN_VALID = 0, /* a request every check accepts */
	MP_SPEC_GEN_EDGE = 1,  /* a valid request with one or more targeted mutations at the
				* edges of the spec (see mp_spec_gen_mutation_name) */
	MP_SPEC_GEN_ANY = 2,   /* VALID or EDGE, chosen by the generator */
} mp_spec_gen_mode_t;

/*
 * mp_spec_gen_request writes a request for `rt` (NULL: a routine chosen by
 * `g`, sometimes an id outside the subsystem) in received form: the message,
 * msgh_size equal to its length, then a trailer at round_msg(msgh_size) as
 * the kernel appends it (format 0; its size chosen among the kernel's, or
 * the size of every element the routine asks for). Returns the total length
 * (message + trailer), or 0 if `cap` is too small. `*mutation` (if
 * non-NULL) gets the name of the last mutation applied, or "valid".
 */
size_t mp_spec_gen_request(mp_spec_gen_t *g, const mp_spec_subsystem_t *ss,
			   const mp_spec_routine_t *rt, mp_spec_gen_mode_t mode, void *buf,
			   size_t cap, const char **mutation);

/*
 * mp_spec_gen_mutate applies one targeted mutation to the received-form
 * request in buf[0, *len) (count at max and max + 1, a string with no NUL, a
 * wrong disposition or descriptor type, an OOL size off by one element, a
 * size off by 4, the complex bit flipped, the trailer shortened, ...),
 * keeping it a received buffer (msgh_size is its length and the trailer
 * follows). Returns the mutation's name, or NULL if none applied.
 */
const char *mp_spec_gen_mutate(mp_spec_gen_t *g, const mp_spec_subsystem_t *ss, void *buf,
			       size_t *len, size_t cap);

/* The mutations, by name, for statistics and tests: count and names. */
unsigned mp_spec_gen_mutation_count(void);
const char *mp_spec_gen_mutation_name(unsigned i);

#ifdef __cplusplus
}
#endif

#endif /* MACHPORTS_SPEC_GEN_H */
