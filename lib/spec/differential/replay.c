/*
 * lib/spec/differential/replay.c: message i of a seed's stream (replay.h).
 */
#include "replay.h"

#include <string.h>

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

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t hash_u32(uint64_t h, uint32_t v)
{
	uint8_t b[4];

	mp_store_le32(b, v);
	return hash_bytes(h, b, sizeof b);
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	return s != NULL ? hash_bytes(h, s, strlen(s) + 1) : hash_u32(h, 0xffffffffu);
}

static uint64_t hash_desc(uint64_t h, const mp_spec_desc_t *d)
{
	h = hash_str(h, d->name);
	h = hash_u32(h, d->type);
	h = hash_u32(h, d->flags);
	h = hash_u32(h, d->count_field);
	h = hash_u32(h, d->dispositions);
	h = hash_u32(h, d->fixed);
	h = hash_u32(h, d->multiplier);
	h = hash_u32(h, d->max);
	h = hash_u32(h, d->elem_size);
	return hash_u32(h, d->send_disposition);
}

static uint64_t hash_field(uint64_t h, const mp_spec_field_t *f)
{
	h = hash_str(h, f->name);
	h = hash_u32(h, f->kind);
	h = hash_u32(h, f->type_code);
	h = hash_u32(h, f->count_field);
	h = hash_u32(h, f->elem_size);
	h = hash_u32(h, f->max);
	h = hash_u32(h, f->wire_size);
	return hash_u32(h, f->offset);
}

static uint64_t hash_msg(uint64_t h, const mp_spec_msg_t *m)
{
	unsigned i;

	h = hash_u32(h, m->complex);
	h = hash_u32(h, m->ndr);
	h = hash_u32(h, m->ndesc);
	h = hash_u32(h, m->nfields);
	h = hash_u32(h, m->nvar);
	h = hash_u32(h, m->min_size);
	h = hash_u32(h, m->max_size);
	for (i = 0; i < m->ndesc; i++)
		h = hash_desc(h, &m->descs[i]);
	for (i = 0; i < m->nfields; i++)
		h = hash_field(h, &m->fields[i]);
	return h;
}

static uint64_t hash_routine(uint64_t h, const mp_spec_routine_t *rt)
{
	unsigned i;

	if (rt == NULL)
		return hash_u32(h, 0xfffffffeu); /* a skip */
	h = hash_str(h, rt->name);
	h = hash_u32(h, (uint32_t)rt->id);
	h = hash_u32(h, rt->kind);
	h = hash_u32(h, rt->retcode_arg);
	h = hash_u32(h, rt->ntrailer);
	for (i = 0; i < rt->ntrailer && i < MP_SPEC_MAX_TRAILER_ELEMS; i++)
		h = hash_u32(h, rt->trailer[i]);
	h = hash_u32(h, rt->reply_port_dispositions);
	return hash_msg(h, &rt->request);
}

uint64_t mp_replay_spec_identity(const mp_spec_subsystem_t *ss)
{
	uint64_t h = 0xcbf29ce484222325ull;
	uint32_t i;

	h = hash_str(h, ss->name);
	h = hash_u32(h, (uint32_t)ss->base);
	h = hash_u32(h, ss->nroutines);
	h = hash_u32(h, ss->max_request_size);
	for (i = 0; i < ss->nroutines; i++)
		h = hash_routine(h, ss->routines[i]);
	return h;
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
