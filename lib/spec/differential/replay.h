/*
 * lib/spec/differential/replay.h: what the differential (mig_diff) and CI's
 * replay (//lib/spec:golden_test) share: the subsystems they know, message i
 * of a seed's stream, and the generator's identity.
 */
#ifndef MACHPORTS_SPEC_REPLAY_H
#define MACHPORTS_SPEC_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "machports/spec.h"
#include "machports/spec_gen.h"

/* The subsystems with a spec table (lib/spec/mach, lib/spec/testdata), by
 * their .defs name ("mach_exc"); NULL if none. */
const mp_spec_subsystem_t *mp_replay_subsystem(const char *name);
unsigned mp_replay_subsystem_count(void);
const mp_spec_subsystem_t *mp_replay_subsystem_at(unsigned i);

/* Room for any generated message and its trailer. */
#define MP_REPLAY_CAP (64u * 1024u)

/*
 * mp_replay_message writes message `index` of the stream `seed` makes for
 * `ss` (received form: message, then trailer) into buf and returns its
 * length (0 if the generator made none). Each message has its own generator,
 * seeded from (seed, index), so any message can be made alone:
 *   - 7 in 8: mp_spec_gen_request(rt NULL, MP_SPEC_GEN_ANY): the generator
 *     picks the routine (sometimes an id outside the subsystem) and whether
 *     and how to mutate;
 *   - 1 in 8: each routine in turn, alternately MP_SPEC_GEN_VALID and
 *     MP_SPEC_GEN_EDGE, so every routine gets valid and mutated messages;
 *   - then 1 in 16 (of the first kind) gets 1 to 4 bytes of the message
 *     proper (after msgh_size, before the trailer) overwritten at random:
 *     damage no targeted mutation names (`*mutation` = MP_REPLAY_RANDOM_BYTES).
 * `*mutation` gets the generator's name for what it did ("valid", ...).
 */
#define MP_REPLAY_RANDOM_BYTES "random_bytes"

size_t mp_replay_message(const mp_spec_subsystem_t *ss, uint64_t seed, uint32_t index,
			 uint8_t *buf, size_t cap, const char **mutation);

/*
 * mp_replay_spec_identity: a hash (FNV-1a 64) of everything in the table
 * that the request checks and the generator read: the subsystem's name, base
 * and size, and per routine its name, id, kind, RetCArg, trailer elements and
 * the request's layout (descriptors and fields, every member). The golden
 * data records it, so a changed .defs or reader is named as such.
 */
uint64_t mp_replay_spec_identity(const mp_spec_subsystem_t *ss);

/* The routine a message names by its msgh_id ("(bad id)" if none; a
 * message shorter than a header: "(short)"). */
const char *mp_replay_routine_name(const mp_spec_subsystem_t *ss, const uint8_t *msg,
				   size_t len);

#endif /* MACHPORTS_SPEC_REPLAY_H */
