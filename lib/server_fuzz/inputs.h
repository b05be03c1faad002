/*
 * lib/server_fuzz/inputs.h: what an input decides beyond lib/spec's
 * generator, in one place for the harness (server_fuzz.c) and the bench's
 * direct-call side (tests/server_fuzz_bench.c), so both hand the demux the
 * same requests: the reply values later requests carry, and the bytes of
 * the OOL memory a request sends.
 */
#ifndef MACHPORTS_SERVER_FUZZ_INPUTS_H
#define MACHPORTS_SERVER_FUZZ_INPUTS_H

#include <stddef.h>
#include <stdint.h>

#include "machports/spec.h"
#include "machports/spec_gen.h"

#define SF_MAX_VALUES 16u      /* reply values kept per input */
#define SF_OOL_INPUT_MAX 1024u /* OOL bytes taken from the input per descriptor */

/* The 4-byte scalars replies returned in this input, most recent last. */
typedef struct sf_values {
	uint32_t v[SF_MAX_VALUES];
	uint32_t n;
} sf_values_t;

/*
 * Values from replies (syzkaller's resources, in small): a stateful server
 * hands out handles (a session, a client id) that later requests must
 * name; random 32-bit values almost never hit one. So each 4-byte scalar
 * of a well-formed request (`req`, `len` bytes in received form) takes,
 * on one choice of the input in two, a value an earlier reply of the input
 * returned. The choices come from `g`, so an input replays the same.
 */
void sf_values_use(sf_values_t *vals, mp_spec_gen_t *g, const mp_spec_subsystem_t *ss, uint8_t *req, size_t len);

/* Keeps the 4-byte scalars of a reply that passed its check. */
void sf_values_keep(sf_values_t *vals, const mp_spec_view_t *reply);

/*
 * The bytes of a request's OOL memory (`buf`, `size` bytes sent): the
 * input's next bytes, up to SF_OOL_INPUT_MAX (a fuzzer's mutations reach
 * what the server reads out of line), zeros after them and once the input
 * is used up. `*dirty` is how many bytes of `buf` an earlier fill wrote
 * (0 for a fresh buffer): only those are zeroed again. A request's OOL
 * descriptors share `buf`: they carry the last fill's bytes.
 */
void sf_ool_fill(mp_spec_gen_t *g, uint8_t *buf, uint32_t size, uint32_t *dirty);

#endif /* MACHPORTS_SERVER_FUZZ_INPUTS_H */
