/*
 * lib/spec/gen_internal.h: the generator's table of mutations, for tests and
 * the fuzz mutator (not installed).
 */
#ifndef MACHPORTS_SPEC_GEN_INTERNAL_H
#define MACHPORTS_SPEC_GEN_INTERNAL_H

#include "machports/spec_gen.h"

/* The kernel's trailer sizes (format 0): 8, 12, 20, 52, 60, 68. */
#define MP_SPEC_GEN_TRAILER_SIZES 6u
extern const uint32_t mp_spec_gen_trailer_sizes[MP_SPEC_GEN_TRAILER_SIZES];

/*
 * mp_spec_gen_apply applies exactly mutation `i` (0 .. mp_spec_gen_mutation_count()-1)
 * to the received buffer buf[0, *len). Returns 1 if it applied and changed the
 * bytes, 0 if it does not apply to this message (the buffer is unchanged).
 */
int mp_spec_gen_apply(unsigned i, mp_spec_gen_t *g, const mp_spec_subsystem_t *ss, void *buf,
		      size_t *len, size_t cap);

/* Index of the mutation named `name`, or -1. */
int mp_spec_gen_mutation_index(const char *name);

/* The smallest trailer size (a kernel's) that holds every element `rt` asks for,
 * and what MIG's cumulative check needs (the sum of the element sizes). */
uint32_t mp_spec_gen_trailer_kernel_need(const mp_spec_routine_t *rt);
uint32_t mp_spec_gen_trailer_mig_need(const mp_spec_routine_t *rt);

#endif /* MACHPORTS_SPEC_GEN_INTERNAL_H */
