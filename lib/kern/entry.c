/*
 * lib/kern/entry.c: a space's names and entries (XNU: ipc_entry.c): the
 * entry table, name allocation (ipc_entry_alloc, ipc_entry_alloc_name), its
 * release (ipc_entry_dealloc) and the reverse lookup (ipc_hash.c). The
 * space's life is space.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/kern/kern_internal.h"

/* The largest index a space may use (XNU: ipc_entry_table_count_max()). */
#define MK_SPACE_MAX_INDEX (1u << 16)
/* The generation byte of a never-used entry: kernel-chosen names end in 0b11. */
#define MK_GEN_FIRST 0x03u
/* XNU: IE_BITS_GEN_ONE is 0x04 in the name's low byte; a freed entry's next
 * name differs in generation, so a stale name fails with KERN_INVALID_NAME. */
#define MK_GEN_STEP 0x04u

static int grow(mp_kspace_t *s, uint32_t want)
{
	uint32_t cap = s->cap ? s->cap : 64;
	mk_entry_t *t;
	uint32_t *fs;

	while (cap < want)
		cap *= 2;
	if (cap > MK_SPACE_MAX_INDEX)
		cap = MK_SPACE_MAX_INDEX;
	if (cap < want)
		return -1;
	t = realloc(s->table, (size_t)cap * sizeof(*t));
	if (t == NULL)
		return -1;
	s->table = t;
	fs = realloc(s->free_stack, (size_t)cap * sizeof(*fs));
	if (fs == NULL)
		return -1;
	s->free_stack = fs;
	memset(&t[s->cap], 0, (size_t)(cap - s->cap) * sizeof(*t));
	/* New indices join the free list in ascending order, pushed so the
	 * lowest is taken first. (XNU randomises the order of a grown table's
	 * free list, ipc_space_rand_freelist, as hardening; the names are still
	 * index << 8 | gen. machports keeps it deterministic so a failing case
	 * replays with the same names.) */
	for (uint32_t i = cap; i-- > (s->cap ? s->cap : 1);) {
		t[i].gen = MK_GEN_FIRST;
		s->free_stack[s->nfree++] = i;
	}
	if (s->cap == 0)
		t[0].gen = MK_GEN_FIRST;
	s->cap = cap;
	return 0;
}

mk_entry_t *mk_lookup(mp_kspace_t *s, mp_port_name_t name)
{
	uint32_t idx = MP_PORT_INDEX(name);
	mk_entry_t *e;

	if (!s->active || idx == 0 || idx >= s->cap)
		return NULL;
	e = &s->table[idx];
	if (e->type == 0 || e->gen != MP_PORT_GEN(name))
		return NULL;
	return e;
}

mp_kr_t mk_entry_alloc(mp_kspace_t *s, mp_port_name_t *name, mk_entry_t **out)
{
	uint32_t idx;

	if (!s->active)
		return MP_KERN_INVALID_TASK;
	if (s->nfree == 0 && grow(s, s->cap ? s->cap * 2 : 64) != 0)
		return MP_KERN_NO_SPACE;
	if (s->nfree == 0)
		return MP_KERN_NO_SPACE;
	idx = s->free_stack[--s->nfree];
	*out = &s->table[idx];
	*name = MP_PORT_MAKE(idx, s->table[idx].gen);
	return MP_KERN_SUCCESS;
}

/* ipc_entry_alloc_name's first checks, on the name alone (XNU's order). */
mp_kr_t mk_entry_name_check(mp_port_name_t name)
{
	uint32_t idx = MP_PORT_INDEX(name);

	if (idx >= MK_SPACE_MAX_INDEX)
		return MP_KERN_NO_SPACE;
	if ((name & 3u) != 3u) /* ipc_entry_name_mask: generation bits */
		return MP_KERN_INVALID_VALUE;
	if (idx == 0)
		return MP_KERN_FAILURE;
	return MP_KERN_SUCCESS;
}

/* ipc_entry_alloc_name: the checks and their order are XNU's. */
mp_kr_t mk_entry_alloc_name(mp_kspace_t *s, mp_port_name_t name, mk_entry_t **out)
{
	uint32_t idx = MP_PORT_INDEX(name);
	mp_kr_t kr = mk_entry_name_check(name);

	if (kr != MP_KERN_SUCCESS)
		return kr;
	if (!s->active)
		return MP_KERN_INVALID_TASK;
	if (idx >= s->cap && grow(s, idx + 1) != 0)
		return MP_KERN_NO_SPACE;
	if (s->table[idx].type != 0)
		/* in use: the same name is the caller's to judge (NAME_EXISTS);
		 * a different generation is a collision (KERN_FAILURE). */
		return s->table[idx].gen == MP_PORT_GEN(name) ? MP_KERN_NAME_EXISTS
							      : MP_KERN_FAILURE;
	for (uint32_t i = 0; i < s->nfree; i++) {
		if (s->free_stack[i] == idx) {
			memmove(&s->free_stack[i], &s->free_stack[i + 1],
				(size_t)(s->nfree - i - 1) * sizeof(uint32_t));
			s->nfree--;
			break;
		}
	}
	s->table[idx].gen = (uint8_t)MP_PORT_GEN(name);
	*out = &s->table[idx];
	return MP_KERN_SUCCESS;
}

/* ipc_entry_dealloc: the index goes back on the free list with the next
 * generation. */
void mk_entry_free(mp_kspace_t *s, mp_port_name_t name)
{
	uint32_t idx = MP_PORT_INDEX(name);
	mk_entry_t *e = &s->table[idx];

	e->obj = NULL;
	e->type = 0;
	e->urefs = 0;
	e->dn_registered = false;
	e->dn_notify = NULL;
	e->gen = (uint8_t)(e->gen + MK_GEN_STEP);
	s->free_stack[s->nfree++] = idx;
}

/* ipc_hash_lookup: send and receive entries only (send-once rights never
 * coalesce, §6.8). A linear scan: spaces here hold tens of names. */
mp_port_name_t mk_reverse_lookup(mp_kspace_t *s, mk_port_t *p)
{
	for (uint32_t i = 1; i < s->cap; i++) {
		mk_entry_t *e = &s->table[i];
		if (e->obj == p && (e->type & MP_PORT_TYPE_SEND_RECEIVE))
			return MP_PORT_MAKE(i, e->gen);
	}
	return MP_PORT_NULL;
}
