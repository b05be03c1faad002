/*
 * fuzz/support/spec_mutator.h: the structure-aware mutator learns specs
 * (issue 13). Once a subsystem is registered, mp_fuzz_mutate (mutator.h)
 * spends part of its calls on requests a handler parses: a fresh request
 * generated from the spec (valid, or with edge mutations), or one targeted
 * mutation at the edges of the spec on the input (lib/spec/gen.c's table:
 * count at max and max + 1, a string with no NUL, a wrong disposition, a
 * size off by 4, ...). The rest go to the field-level mutations as before.
 */
#ifndef MP_FUZZ_SPEC_MUTATOR_H
#define MP_FUZZ_SPEC_MUTATOR_H

#include <stddef.h>

#include "machports/spec.h"

/* Inputs are received buffers of `ss`'s requests (a user's server, issue 15).
 * NULL unregisters. */
void mp_fuzz_mutator_set_spec(const mp_spec_subsystem_t *ss);

/* Inputs in fuzz/spec_check.c's form: byte 0 picks one of `tables` (n of
 * them), byte 1 is the form (0: a raw received buffer follows, which is what
 * the spec mutations write). */
void mp_fuzz_mutator_set_spec_tables(const mp_spec_subsystem_t *const *tables, size_t n);

/* The share of calls (out of 16) the spec mutations take; 12 by default. */
void mp_fuzz_mutator_set_spec_share(unsigned sixteenths);

#endif /* MP_FUZZ_SPEC_MUTATOR_H */
