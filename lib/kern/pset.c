/*
 * lib/kern/pset.c: port sets (XNU: ipc_pset.c, and mach_port.c's
 * mach_port_insert_member / extract_member / move_member). A set is an
 * entry of its space; a port lists the sets it belongs to (mk_port.psets),
 * so a receive on a set looks for the first member with a message.
 */
#include <stdlib.h>

#include "lib/kern/kern_internal.h"

/* ipc_pset_alloc: a new set under `name` (its entry `e` just allocated; freed
 * again if the set cannot be). */
mp_kr_t mk_pset_alloc(mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e)
{
	mp_kern_t *k = s->k;
	mk_pset_t *ps = calloc(1, sizeof(*ps));

	if (ps == NULL) {
		mk_entry_free(s, name);
		return MP_KERN_RESOURCE_SHORTAGE;
	}
	ps->k = k;
	ps->space = s;
	ps->name = name;
	ps->refs = 1;
	ps->active = true;
	pthread_cond_init(&ps->rcv_cv, NULL);
	ps->all_next = k->psets;
	if (k->psets)
		k->psets->all_prev = ps;
	k->psets = ps;
	k->npsets++;
	e->obj = ps;
	e->type = MP_PORT_TYPE_PORT_SET;
	e->urefs = 0;
	return MP_KERN_SUCCESS;
}

void mk_pset_unref(mk_pset_t *ps)
{
	mp_kern_t *k = ps->k;

	if (--ps->refs != 0)
		return;
	if (ps->all_prev)
		ps->all_prev->all_next = ps->all_next;
	else
		k->psets = ps->all_next;
	if (ps->all_next)
		ps->all_next->all_prev = ps->all_prev;
	k->npsets--;
	pthread_cond_destroy(&ps->rcv_cv);
	free(ps);
}

/* ipc_pset_destroy: members leave the set, blocked receivers get
 * MACH_RCV_PORT_CHANGED. Consumes the entry's reference. */
void mk_pset_destroy(mk_pset_t *ps)
{
	mp_kern_t *k = ps->k;

	ps->active = false;
	ps->changes++;
	for (mk_port_t *p = k->ports; p != NULL; p = p->all_next) {
		for (uint32_t i = 0; i < p->npsets; i++) {
			if (p->psets[i] == ps) {
				p->psets[i] = p->psets[--p->npsets];
				break;
			}
		}
	}
	pthread_cond_broadcast(&ps->rcv_cv);
	mk_pset_unref(ps);
}

/* A port leaves every set it is in (its death, its receive right moving);
 * receivers blocked on those sets look again. */
void mk_port_leave_psets(mk_port_t *p)
{
	for (uint32_t i = 0; i < p->npsets; i++)
		pthread_cond_broadcast(&p->psets[i]->rcv_cv);
	p->npsets = 0;
}

/* ---- mach_port_insert_member, extract_member, move_member ---- */

/* The receive right `member` and, unless `ps` is NULL, the set `set`. */
static mp_kr_t member_and_set(mp_kspace_t *s, mp_port_name_t member, mp_port_name_t set,
			      mk_port_t **p, mk_pset_t **ps)
{
	mk_entry_t *e, *se;
	mp_kr_t kr = mk_receive_entry(s, member, &e, p);

	if (kr != MP_KERN_SUCCESS)
		return kr;
	if (ps == NULL)
		return MP_KERN_SUCCESS;
	se = mk_lookup(s, set);
	if (se == NULL)
		return MP_KERN_INVALID_NAME;
	if (!(se->type & MP_PORT_TYPE_PORT_SET))
		return MP_KERN_INVALID_RIGHT;
	*ps = se->obj;
	return MP_KERN_SUCCESS;
}

static int member_index(mk_port_t *p, mk_pset_t *ps)
{
	for (uint32_t i = 0; i < p->npsets; i++)
		if (p->psets[i] == ps)
			return (int)i;
	return -1;
}

/* ipc_pset_add: a receiver blocked on the set sees a port with messages. */
static mp_kr_t pset_add(mk_port_t *p, mk_pset_t *ps)
{
	if (member_index(p, ps) >= 0)
		return MP_KERN_ALREADY_IN_SET;
	if (p->npsets == p->cap_psets) {
		uint32_t cap = p->cap_psets ? p->cap_psets * 2 : 2;
		mk_pset_t **n = realloc(p->psets, cap * sizeof(*n));
		if (n == NULL)
			return MP_KERN_RESOURCE_SHORTAGE;
		p->psets = n;
		p->cap_psets = cap;
	}
	p->psets[p->npsets++] = ps;
	if (p->qhead != NULL)
		pthread_cond_broadcast(&ps->rcv_cv);
	return MP_KERN_SUCCESS;
}

mp_kr_t mp_kern_port_insert_member(mp_kspace_t *s, mp_port_name_t member, mp_port_name_t pset)
{
	mk_port_t *p;
	mk_pset_t *ps;
	mp_kr_t kr;

	MK_LOCK(s);
	kr = member_and_set(s, member, pset, &p, &ps);
	if (kr == MP_KERN_SUCCESS)
		kr = pset_add(p, ps);
	MK_UNLOCK(s);
	return kr;
}

mp_kr_t mp_kern_port_extract_member(mp_kspace_t *s, mp_port_name_t member, mp_port_name_t pset)
{
	mk_port_t *p;
	mk_pset_t *ps;
	mp_kr_t kr;
	int i;

	MK_LOCK(s);
	kr = member_and_set(s, member, pset, &p, &ps);
	if (kr == MP_KERN_SUCCESS) {
		i = member_index(p, ps);
		if (i < 0)
			kr = MP_KERN_NOT_IN_SET;
		else
			p->psets[i] = p->psets[--p->npsets];
	}
	MK_UNLOCK(s);
	return kr;
}

mp_kr_t mp_kern_port_move_member(mp_kspace_t *s, mp_port_name_t member, mp_port_name_t pset)
{
	mk_port_t *p;
	mk_pset_t *ps = NULL;
	mp_kr_t kr;

	MK_LOCK(s);
	kr = member_and_set(s, member, pset, &p, pset == MP_PORT_NULL ? NULL : &ps);
	if (kr == MP_KERN_SUCCESS) {
		p->npsets = 0;
		if (ps != NULL)
			kr = pset_add(p, ps);
	}
	MK_UNLOCK(s);
	return kr;
}
