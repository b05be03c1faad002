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

/* ipc_object_translate_port_pset (via ipc_right_lookup_two_write): both
 * names are looked up before either type is checked. A missing entry is
 * KERN_INVALID_NAME, a member without the receive right or a set name that
 * is no set KERN_INVALID_RIGHT, each with XNU's guard exception on that
 * name (INVALID_NAME / INVALID_RIGHT). */
static mp_kr_t member_and_set(mp_kspace_t *s, mp_port_name_t member, mp_port_name_t set,
			      mk_port_t **p, mk_pset_t **ps)
{
	mk_entry_t *me = mk_lookup(s, member), *se;

	if (!s->active)
		return MP_KERN_INVALID_TASK;
	if (me == NULL) {
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_NAME, member, 0);
		return MP_KERN_INVALID_NAME;
	}
	se = mk_lookup(s, set);
	if (se == NULL) {
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_NAME, set, 0);
		return MP_KERN_INVALID_NAME;
	}
	if (!(me->type & MP_PORT_TYPE_RECEIVE)) {
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_RIGHT, member, 0);
		return MP_KERN_INVALID_RIGHT;
	}
	if (!(se->type & MP_PORT_TYPE_PORT_SET)) {
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_RIGHT, set, 0);
		return MP_KERN_INVALID_RIGHT;
	}
	*p = me->obj;
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

/* mach_port_insert_member: NULL/DEAD names are KERN_INVALID_RIGHT; a port
 * already in that set is KERN_ALREADY_IN_SET (waitq_link_locked). */
mp_kr_t mp_kern_port_insert_member(mp_kspace_t *s, mp_port_name_t member, mp_port_name_t pset)
{
	mk_port_t *p;
	mk_pset_t *ps;
	mp_kr_t kr;

	if (!MP_PORT_VALID(member) || !MP_PORT_VALID(pset))
		return MP_KERN_INVALID_RIGHT;
	MK_LOCK(s);
	kr = member_and_set(s, member, pset, &p, &ps);
	if (kr == MP_KERN_SUCCESS)
		kr = pset_add(p, ps);
	MK_UNLOCK(s);
	return kr;
}

/* mach_port_extract_member: as insert_member; a port not in that set is
 * KERN_NOT_IN_SET; it leaves that set only. */
mp_kr_t mp_kern_port_extract_member(mp_kspace_t *s, mp_port_name_t member, mp_port_name_t pset)
{
	mk_port_t *p;
	mk_pset_t *ps;
	mp_kr_t kr;
	int i;

	if (!MP_PORT_VALID(member) || !MP_PORT_VALID(pset))
		return MP_KERN_INVALID_RIGHT;
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

/* mach_port_move_member to MACH_PORT_NULL: the receive right is translated
 * without guard exceptions (ipc_port_translate_receive); a port in no set
 * is KERN_NOT_IN_SET; else it leaves every set. */
static mp_kr_t move_member_out(mp_kspace_t *s, mp_port_name_t member)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr = mk_translate_receive(s, member, &e, &p);

	if (kr != MP_KERN_SUCCESS)
		return kr;
	if (p->npsets == 0)
		return MP_KERN_NOT_IN_SET;
	mk_port_leave_psets(p);
	return MP_KERN_SUCCESS;
}

/* mach_port_move_member into a set: added (KERN_ALREADY_IN_SET is ignored,
 * as XNU ignores ipc_mqueue_add_locked's result), then out of every other
 * set. */
static mp_kr_t move_member_in(mp_kspace_t *s, mp_port_name_t member, mp_port_name_t set)
{
	mk_port_t *p;
	mk_pset_t *ps;
	mp_kr_t kr = member_and_set(s, member, set, &p, &ps);

	if (kr != MP_KERN_SUCCESS)
		return kr;
	kr = pset_add(p, ps);
	if (kr == MP_KERN_ALREADY_IN_SET)
		kr = MP_KERN_SUCCESS;
	if (kr != MP_KERN_SUCCESS)
		return kr;
	for (uint32_t i = 0; i < p->npsets;) {
		if (p->psets[i] == ps) {
			i++;
			continue;
		}
		pthread_cond_broadcast(&p->psets[i]->rcv_cv);
		p->psets[i] = p->psets[--p->npsets];
	}
	return MP_KERN_SUCCESS;
}

/* mach_port_move_member (mach_port.c): a NULL/DEAD member, then a DEAD set
 * name, are KERN_INVALID_RIGHT before any lookup. */
mp_kr_t mp_kern_port_move_member(mp_kspace_t *s, mp_port_name_t member, mp_port_name_t pset)
{
	mp_kr_t kr;

	if (!MP_PORT_VALID(member) || pset == MP_PORT_DEAD)
		return MP_KERN_INVALID_RIGHT;
	MK_LOCK(s);
	kr = pset == MP_PORT_NULL ? move_member_out(s, member) : move_member_in(s, member, pset);
	MK_UNLOCK(s);
	return kr;
}
