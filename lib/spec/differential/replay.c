/*
 * lib/spec/differential/replay.c: message i of a seed's stream (replay.h).
 */
#include "replay.h"

#include "machports/le.h"

static uint64_t message_seed(uint64_t seed, uint32_t index)
{
	/* splitmix64's increment: distinct, well spread seeds per index. */
	return seed + 0x9e3779b97f4a7c15ull * ((uint64_t)index + 1u);
}

/* The n-th routine that is not a skip, or NULL if there is none. */
static const mp_spec_routine_t *nth_routine(const mp_spec_subsystem_t *ss, uint32_t n)
{
	uint32_t present = 0, i;

	for (i = 0; i < ss->nroutines; i++)
		if (ss->routines[i] != NULL)
			present++;
	if (present == 0)
		return NULL;
	n %= present;
	for (i = 0; i < ss->nroutines; i++) {
		if (ss->routines[i] == NULL)
			continue;
		if (n == 0)
			return ss->routines[i];
		n--;
	}
	return NULL;
}

/* Overwrites 1 to 4 bytes of the message proper (after msgh_size, before
 * the trailer) with values from g: damage no targeted mutation names. The
 * header's size and the trailer stay as the generator made them, so MIG's
 * server and the spec check still see the same bytes (MIG would read the
 * harness's zeros past a message that claimed more than it has). */
static void overwrite_random_bytes(mp_spec_gen_t *g, uint8_t *buf, size_t len)
{
	uint32_t size, n, i;

	if (len < 24)
		return;
	size = mp_load_le32(buf + 4);
	if (size <= 8 || size > len)
		return;
	n = 1 + mp_spec_gen_below(g, 4);
	for (i = 0; i < n; i++)
		buf[8 + mp_spec_gen_below(g, size - 8)] = (uint8_t)mp_spec_gen_below(g, 256);
}

size_t mp_replay_message(const mp_spec_subsystem_t *ss, uint64_t seed, uint32_t index,
			 uint8_t *buf, size_t cap, const char **mutation)
{
	mp_spec_gen_t g;
	const mp_spec_routine_t *rt = NULL;
	mp_spec_gen_mode_t mode = MP_SPEC_GEN_ANY;
	size_t len;

	mp_spec_gen_init_seed(&g, message_seed(seed, index));
	if (index % 8u == 7u) {
		rt = nth_routine(ss, index / 16u);
		mode = (index / 8u) % 2u == 0 ? MP_SPEC_GEN_VALID : MP_SPEC_GEN_EDGE;
	}
	if (mutation != NULL)
		*mutation = "none";
	len = mp_spec_gen_request(&g, ss, rt, rt != NULL ? mode : MP_SPEC_GEN_ANY, buf, cap,
				  mutation);
	if (index % 16u == 3u) {
		overwrite_random_bytes(&g, buf, len);
		if (mutation != NULL)
			*mutation = MP_REPLAY_RANDOM_BYTES;
	}
	return len;
}

const char *mp_replay_routine_name(const mp_spec_subsystem_t *ss, const uint8_t *msg,
				   size_t len)
{
	const mp_spec_routine_t *rt;

	if (len < 24)
		return "(short)";
	rt = mp_spec_routine_for_id(ss, (int32_t)mp_load_le32(msg + 20));
	return rt != NULL ? rt->name : "(bad id)";
}
