/*
 * lib/kern/mach_port.c: the mach_port_* calls (xnu-abi.md §7.4; XNU:
 * mach_port.c, with the ipc_right.c rules they apply: ipc_right_dealloc,
 * ipc_right_delta, ipc_right_destroy, ipc_right_destruct). Each takes the
 * kernel lock for the whole call. The set calls (insert/extract/move_member)
 * are pset.c's; mach_port_peek is msg_recv.c's (it writes a trailer).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/kern/kern_internal.h"

/* The entry of `name`, or NULL with *kr = KERN_INVALID_NAME (no such name,
 * or a stale generation) or KERN_INVALID_TASK (the space is dead). */
static mk_entry_t *lookup(mp_kspace_t *s, mp_port_name_t name, mp_kr_t *kr)
{
	mk_entry_t *e = mk_lookup(s, name);

	if (e == NULL)
		*kr = s->active ? MP_KERN_INVALID_NAME : MP_KERN_INVALID_TASK;
	return e;
}

static mp_kr_t new_receive(mp_kspace_t *s, mp_port_name_t *name, mk_entry_t *e)
{
	mk_port_t *p = mk_port_new(s->k);

	if (p == NULL) {
		mk_entry_free(s, *name);
		return MP_KERN_RESOURCE_SHORTAGE;
	}
	p->refs = 1; /* the entry's */
	p->receiver = s;
	p->receiver_name = *name;
	e->obj = p;
	e->type = MP_PORT_TYPE_RECEIVE;
	e->urefs = 0;
	return MP_KERN_SUCCESS;
}

static mp_kr_t fill_new(mp_kspace_t *s, uint32_t right, mp_port_name_t name, mk_entry_t *e)
{
	switch (right) {
	case MP_PORT_RIGHT_RECEIVE:
		return new_receive(s, &name, e);
	case MP_PORT_RIGHT_PORT_SET:
		return mk_pset_alloc(s, name, e);
	default: /* DEAD_NAME */
		e->obj = NULL;
		e->type = MP_PORT_TYPE_DEAD_NAME;
		e->urefs = 1;
		return MP_KERN_SUCCESS;
	}
}

static bool allocatable(uint32_t right)
{
	return right == MP_PORT_RIGHT_RECEIVE || right == MP_PORT_RIGHT_PORT_SET ||
	       right == MP_PORT_RIGHT_DEAD_NAME;
}

/* mach_port_allocate: RECEIVE, PORT_SET or DEAD_NAME (§7.4). */
mp_kr_t mp_kern_port_allocate(mp_kspace_t *s, uint32_t right, mp_port_name_t *name)
{
	mk_entry_t *e;
	mp_kr_t kr;

	if (!allocatable(right))
		return MP_KERN_INVALID_VALUE;
	MK_LOCK(s);
	kr = mk_entry_alloc(s, name, &e);
	if (kr == MP_KERN_SUCCESS)
		kr = fill_new(s, right, *name, e);
	MK_UNLOCK(s);
	return kr;
}

mp_kr_t mp_kern_port_allocate_name(mp_kspace_t *s, uint32_t right, mp_port_name_t name)
{
	mk_entry_t *e;
	mp_kr_t kr;

	if (!allocatable(right) || !MP_PORT_VALID(name))
		return MP_KERN_INVALID_VALUE;
	MK_LOCK(s);
	kr = mk_entry_alloc_name(s, name, &e);
	if (kr == MP_KERN_SUCCESS)
		kr = fill_new(s, right, name, e);
	MK_UNLOCK(s);
	return kr;
}

/* The entry of a receive right (lookup failures are KERN_INVALID_NAME,
 * other rights KERN_INVALID_RIGHT). */
mp_kr_t mk_receive_entry(mp_kspace_t *s, mp_port_name_t name, mk_entry_t **e, mk_port_t **p)
{
	mp_kr_t kr;

	*e = lookup(s, name, &kr);
	if (*e == NULL)
		return kr;
	if (!((*e)->type & MP_PORT_TYPE_RECEIVE))
		return MP_KERN_INVALID_RIGHT;
	*p = (*e)->obj;
	return MP_KERN_SUCCESS;
}

/* A send right made from the receive right under the same name. */
static void make_send_here(mk_entry_t *e, mk_port_t *p)
{
	p->mscount++;
	if (e->type & MP_PORT_TYPE_SEND) {
		e->urefs = mk_uref_add(e->urefs, 1);
	} else {
		e->type |= MP_PORT_TYPE_SEND;
		e->urefs = 1;
		p->srights++;
	}
}

/* mach_port_construct: a receive right with options (MPO_QLIMIT,
 * MPO_CONTEXT_AS_GUARD [+ MPO_STRICT], MPO_IMMOVABLE_RECEIVE,
 * MPO_INSERT_SEND_RIGHT); the rest are accepted and have no effect here. */
mp_kr_t mp_kern_port_construct(mp_kspace_t *s, uint32_t flags, uint32_t qlimit, uint64_t context,
			       mp_port_name_t *name)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	if ((flags & MP_MPO_QLIMIT) && qlimit > MP_PORT_QLIMIT_MAX)
		return MP_KERN_INVALID_VALUE;
	MK_LOCK(s);
	kr = mk_entry_alloc(s, name, &e);
	if (kr == MP_KERN_SUCCESS)
		kr = new_receive(s, name, e);
	if (kr == MP_KERN_SUCCESS) {
		p = e->obj;
		if (flags & MP_MPO_QLIMIT)
			p->qlimit = qlimit;
		if (flags & MP_MPO_CONTEXT_AS_GUARD) {
			p->guarded = true;
			p->strict_guard = (flags & MP_MPO_STRICT) != 0;
			p->immovable_receive = (flags & MP_MPO_IMMOVABLE_RECEIVE) != 0;
			p->context = context;
		} else {
			p->context = context;
			p->immovable_receive = (flags & MP_MPO_IMMOVABLE_RECEIVE) != 0;
		}
		if (flags & MP_MPO_INSERT_SEND_RIGHT)
			make_send_here(e, p);
	}
	MK_UNLOCK(s);
	return kr;
}

/* The entry of `name` loses its receive right, which is destroyed. An
 * entry that also held send rights becomes a dead name keeping the send
 * urefs, +1 for a dead-name request (§7.2); otherwise the name goes. With a
 * port-destroyed request the port survives (ipc_port_destroy), so a
 * SEND|RECEIVE entry stays a send entry. */
static void destroy_receive_entry(mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e)
{
	mk_port_t *p = e->obj;

	if (p->pdrequest != NULL && (e->type & MP_PORT_TYPE_SEND)) {
		/* ipc_port_destroy sends the receive right away and the port
		 * lives: the entry keeps its send urefs and its request (XNU
		 * marks it EX_RECEIVE), and now holds its own reference */
		e->type &= ~MP_PORT_TYPE_RECEIVE;
		mk_port_ref(p);
	} else if (e->type & MP_PORT_TYPE_SEND) {
		/* the entry's request fires now (ipc_port_destroy's dnnotify)
		 * and is worth one more dead-name uref */
		uint16_t urefs = mk_uref_add(e->urefs, e->dn_registered ? 1u : 0u);
		if (e->dn_notify != NULL) {
			mk_port_t *n = e->dn_notify;
			e->dn_notify = NULL;
			mk_notify_dead_name(n, name);
		}
		e->dn_registered = false;
		e->type = MP_PORT_TYPE_DEAD_NAME;
		e->urefs = urefs;
		e->obj = NULL;
		p->srights--; /* the entry's send right; its one reference is the receive right's */
	} else {
		mk_cancel_request(e, name);
		mk_entry_free(s, name);
	}
	mk_release_receive(p);
}

/* One send uref goes; the last one removes the send right (§7.4). */
static void send_uref_drop(mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e, uint32_t n)
{
	mk_port_t *p = e->obj;

	if (e->urefs == MP_PORT_UREFS_MAX && n != MP_PORT_UREFS_MAX)
		return; /* pegged (§7.1) */
	e->urefs = (uint16_t)(e->urefs - n);
	if (e->urefs != 0)
		return;
	if (e->type & MP_PORT_TYPE_RECEIVE) {
		e->type &= ~MP_PORT_TYPE_SEND;
		mk_port_ref(p); /* the entry still holds the receive right */
	} else {
		mk_cancel_request(e, name);
		mk_entry_free(s, name);
	}
	mk_release_send(p);
}

static void dead_uref_drop(mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e, uint32_t n)
{
	if (e->urefs == MP_PORT_UREFS_MAX && n != MP_PORT_UREFS_MAX)
		return;
	e->urefs = (uint16_t)(e->urefs - n);
	if (e->urefs == 0)
		mk_entry_free(s, name);
}

static void sonce_entry_destroy(mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e)
{
	mk_port_t *p = e->obj;

	mk_cancel_request(e, name);
	mk_entry_free(s, name);
	mk_release_sonce(p);
}

static void pset_entry_destroy(mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e)
{
	mk_pset_t *ps = e->obj;

	mk_entry_free(s, name);
	mk_pset_destroy(ps);
}

/* mach_port_deallocate (ipc_right_dealloc): one uref. */
mp_kr_t mp_kern_port_deallocate(mp_kspace_t *s, mp_port_name_t name)
{
	mk_entry_t *e;
	mp_kr_t kr = MP_KERN_SUCCESS;

	if (!MP_PORT_VALID(name))
		return MP_KERN_SUCCESS;
	MK_LOCK(s);
	e = lookup(s, name, &kr);
	if (e == NULL)
		goto out;
	mk_right_check(s, name, e);
	if (e->type & MP_PORT_TYPE_PORT_SET)
		pset_entry_destroy(s, name, e);
	else if (e->type & MP_PORT_TYPE_DEAD_NAME)
		dead_uref_drop(s, name, e, 1);
	else if (e->type & MP_PORT_TYPE_SEND_ONCE)
		sonce_entry_destroy(s, name, e);
	else if (e->type & MP_PORT_TYPE_SEND)
		send_uref_drop(s, name, e, 1);
	else
		kr = MP_KERN_INVALID_RIGHT; /* receive only */
out:
	MK_UNLOCK(s);
	return kr;
}

/* The rights that hold no user references (receive, send-once, port set)
 * take a delta of 0 (nothing) or -1 (destroy): the right must be held
 * (KERN_INVALID_RIGHT), and any other delta is KERN_INVALID_VALUE. */
static mp_kr_t unit_delta(const mk_entry_t *e, uint32_t type, int32_t delta)
{
	if (!(e->type & type))
		return MP_KERN_INVALID_RIGHT;
	if (delta != 0 && delta != -1)
		return MP_KERN_INVALID_VALUE;
	return MP_KERN_SUCCESS;
}

/* mach_port_mod_refs (ipc_right_delta; tests/mach_port_mod_refs.c). */
mp_kr_t mp_kern_port_mod_refs(mp_kspace_t *s, mp_port_name_t name, uint32_t right, int32_t delta)
{
	mk_entry_t *e;
	mp_kr_t kr = MP_KERN_SUCCESS;

	if (right >= MP_PORT_RIGHT_NUMBER)
		return MP_KERN_INVALID_VALUE;
	if (!MP_PORT_VALID(name))
		return (right == MP_PORT_RIGHT_SEND || right == MP_PORT_RIGHT_SEND_ONCE)
			       ? MP_KERN_SUCCESS
			       : MP_KERN_INVALID_NAME;
	MK_LOCK(s);
	e = lookup(s, name, &kr);
	if (e == NULL)
		goto out;
	switch (right) {
	case MP_PORT_RIGHT_RECEIVE:
		kr = unit_delta(e, MP_PORT_TYPE_RECEIVE, delta);
		if (kr != MP_KERN_SUCCESS || delta == 0)
			break;
		if (((mk_port_t *)e->obj)->guarded) { /* + EXC_GUARD kGUARD_EXC_MOD_REFS in XNU */
			kr = MP_KERN_INVALID_RIGHT;
			break;
		}
		destroy_receive_entry(s, name, e);
		break;
	case MP_PORT_RIGHT_SEND_ONCE:
		mk_right_check(s, name, e);
		kr = unit_delta(e, MP_PORT_TYPE_SEND_ONCE, delta);
		if (kr == MP_KERN_SUCCESS && delta != 0)
			sonce_entry_destroy(s, name, e);
		break;
	case MP_PORT_RIGHT_PORT_SET:
		kr = unit_delta(e, MP_PORT_TYPE_PORT_SET, delta);
		if (kr == MP_KERN_SUCCESS && delta != 0)
			pset_entry_destroy(s, name, e);
		break;
	case MP_PORT_RIGHT_DEAD_NAME:
	case MP_PORT_RIGHT_SEND: {
		bool dead_right = right == MP_PORT_RIGHT_DEAD_NAME;
		bool converted = mk_right_check(s, name, e);
		uint32_t want = dead_right ? MP_PORT_TYPE_DEAD_NAME : MP_PORT_TYPE_SEND;
		if (!(e->type & want) || (converted && !dead_right)) {
			/* SEND on a dead port: the entry is now a dead name */
			kr = MP_KERN_INVALID_RIGHT;
			break;
		}
		if (delta > (int32_t)MP_PORT_UREFS_MAX || delta < -(int32_t)MP_PORT_UREFS_MAX) {
			kr = MP_KERN_INVALID_VALUE;
			break;
		}
		if (delta == 0)
			break;
		if (delta > 0) {
			e->urefs = mk_uref_add(e->urefs, (uint32_t)delta);
			break;
		}
		if ((uint32_t)-delta > e->urefs) {
			kr = MP_KERN_INVALID_VALUE;
			break;
		}
		if (dead_right)
			dead_uref_drop(s, name, e, (uint32_t)-delta);
		else
			send_uref_drop(s, name, e, (uint32_t)-delta);
		break;
	}
	default: /* LABELH */
		kr = MP_KERN_INVALID_RIGHT;
		break;
	}
out:
	MK_UNLOCK(s);
	return kr;
}

/* mach_port_get_refs (§7.4): a right not held is 0 with success. */
mp_kr_t mp_kern_port_get_refs(mp_kspace_t *s, mp_port_name_t name, uint32_t right, uint32_t *refs)
{
	mk_entry_t *e;
	mp_kr_t kr = MP_KERN_SUCCESS;

	*refs = 0;
	if (right >= MP_PORT_RIGHT_NUMBER)
		return MP_KERN_INVALID_VALUE;
	if (!MP_PORT_VALID(name)) {
		if (right == MP_PORT_RIGHT_SEND || right == MP_PORT_RIGHT_SEND_ONCE) {
			*refs = 1;
			return MP_KERN_SUCCESS;
		}
		return MP_KERN_INVALID_NAME;
	}
	MK_LOCK(s);
	e = lookup(s, name, &kr);
	if (e == NULL)
		goto out;
	mk_right_check(s, name, e);
	switch (right) {
	case MP_PORT_RIGHT_SEND:
		*refs = (e->type & MP_PORT_TYPE_SEND) ? e->urefs : 0;
		break;
	case MP_PORT_RIGHT_DEAD_NAME:
		*refs = (e->type & MP_PORT_TYPE_DEAD_NAME) ? e->urefs : 0;
		break;
	default:
		*refs = (e->type & MP_PORT_TYPE(right)) ? 1 : 0;
		break;
	}
out:
	MK_UNLOCK(s);
	return kr;
}

mp_kr_t mp_kern_port_type(mp_kspace_t *s, mp_port_name_t name, uint32_t *type)
{
	mk_entry_t *e;
	mp_kr_t kr = MP_KERN_SUCCESS;

	*type = 0;
	if (name == MP_PORT_NULL)
		return MP_KERN_INVALID_NAME;
	if (name == MP_PORT_DEAD) {
		*type = MP_PORT_TYPE_DEAD_NAME;
		return MP_KERN_SUCCESS;
	}
	MK_LOCK(s);
	e = lookup(s, name, &kr);
	if (e != NULL) {
		mk_right_check(s, name, e);
		*type = e->type | (e->dn_registered ? MP_PORT_TYPE_DNREQUEST : 0);
	}
	MK_UNLOCK(s);
	return kr;
}

/* mach_port_destroy (ipc_right_destroy): every right under the name. */
mp_kr_t mp_kern_port_destroy(mp_kspace_t *s, mp_port_name_t name)
{
	mk_entry_t *e;
	mp_kr_t kr = MP_KERN_SUCCESS;

	if (!MP_PORT_VALID(name))
		return MP_KERN_SUCCESS;
	MK_LOCK(s);
	e = lookup(s, name, &kr);
	if (e == NULL)
		goto out;
	mk_right_check(s, name, e);
	if (e->type & MP_PORT_TYPE_PORT_SET) {
		pset_entry_destroy(s, name, e);
	} else if (e->type & MP_PORT_TYPE_DEAD_NAME) {
		mk_entry_free(s, name);
	} else if (e->type & MP_PORT_TYPE_SEND_ONCE) {
		sonce_entry_destroy(s, name, e);
	} else {
		mk_port_t *p = e->obj;
		if ((e->type & MP_PORT_TYPE_RECEIVE) && p->guarded) {
			kr = MP_KERN_INVALID_RIGHT; /* + EXC_GUARD kGUARD_EXC_DESTROY */
			goto out;
		}
		if (e->type & MP_PORT_TYPE_SEND)
			send_uref_drop(s, name, e, e->urefs); /* all of them */
		e = mk_lookup(s, name);
		if (e != NULL && (e->type & MP_PORT_TYPE_RECEIVE))
			destroy_receive_entry(s, name, e);
	}
out:
	MK_UNLOCK(s);
	return kr;
}

/* mach_port_destruct (ipc_right_destruct). */
mp_kr_t mp_kern_port_destruct(mp_kspace_t *s, mp_port_name_t name, int32_t srdelta, uint64_t guard)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_NAME;
	if (srdelta > 0)
		return MP_KERN_INVALID_VALUE;
	MK_LOCK(s);
	kr = mk_receive_entry(s, name, &e, &p);
	if (kr != MP_KERN_SUCCESS)
		goto out;
	if (p->guarded && p->context != guard) {
		kr = MP_KERN_INVALID_ARGUMENT; /* + EXC_GUARD kGUARD_EXC_DESTROY */
		goto out;
	}
	if (srdelta != 0) {
		if (!(e->type & MP_PORT_TYPE_SEND)) {
			kr = MP_KERN_INVALID_RIGHT;
			goto out;
		}
		if ((uint32_t)-srdelta > e->urefs) {
			kr = MP_KERN_INVALID_VALUE;
			goto out;
		}
		send_uref_drop(s, name, e, (uint32_t)-srdelta);
		e = mk_lookup(s, name);
	}
	p->guarded = false;
	destroy_receive_entry(s, name, e);
out:
	MK_UNLOCK(s);
	return kr;
}

/* mach_port_insert_right (§7.4, tests/mach_port_insert_right.c). */
mp_kr_t mp_kern_port_insert_right(mp_kspace_t *s, mp_port_name_t name, mp_kspace_t *from,
				  mp_port_name_t poly, uint32_t poly_disp)
{
	mk_right_t r;
	mp_kr_t kr;

	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_VALUE;
	if (!MP_MSG_TYPE_PORT_ANY(poly_disp))
		return MP_KERN_INVALID_VALUE;
	MK_LOCK(s);
	if (!s->active || !from->active) {
		kr = MP_KERN_INVALID_TASK;
		goto out;
	}
	if (s == from && name == poly &&
	    (poly_disp == MP_MSG_TYPE_MAKE_SEND || poly_disp == MP_MSG_TYPE_COPY_SEND)) {
		/* the trap's fast path (ipc_right_insert_send... in mach_port.c):
		 * a right to a dead port is KERN_INVALID_CAPABILITY (§10.10) */
		mk_entry_t *e = mk_lookup(s, name);
		if (e == NULL) {
			kr = MP_KERN_INVALID_NAME;
			goto out;
		}
		mk_right_check(s, name, e);
		if (e->type & MP_PORT_TYPE_DEAD_NAME) {
			kr = MP_KERN_INVALID_CAPABILITY;
			goto out;
		}
		if (poly_disp == MP_MSG_TYPE_MAKE_SEND ? !(e->type & MP_PORT_TYPE_RECEIVE)
						       : !(e->type & MP_PORT_TYPE_SEND)) {
			kr = MP_KERN_INVALID_RIGHT;
			goto out;
		}
		if (poly_disp == MP_MSG_TYPE_MAKE_SEND) {
			make_send_here(e, e->obj);
		} else {
			e->urefs = mk_uref_add(e->urefs, 1);
		}
		kr = MP_KERN_SUCCESS;
		goto out;
	}
	kr = mk_copyin_right(from, poly, poly_disp, true, &r);
	if (kr != MP_KERN_SUCCESS)
		goto out;
	if (!MK_IS_PORT(r.port) || (!r.port->active && r.type != MP_MSG_TYPE_PORT_RECEIVE)) {
		mk_release_right(r);
		kr = MP_KERN_INVALID_CAPABILITY;
		goto out;
	}
	kr = mk_copyout_right_name(s, r, name);
	if (kr != MP_KERN_SUCCESS)
		mk_release_right(r); /* ipc_object_destroy */
out:
	MK_UNLOCK(s);
	return kr;
}

/* mach_port_extract_right: copied in from `s`, out into `into`. */
mp_kr_t mp_kern_port_extract_right(mp_kspace_t *s, mp_port_name_t name, uint32_t msgt,
				   mp_kspace_t *into, mp_port_name_t *poly, uint32_t *poly_type)
{
	mk_right_t r;
	mp_kr_t kr, bits = 0;

	*poly = MP_PORT_NULL;
	*poly_type = 0;
	if (!MP_MSG_TYPE_PORT_ANY(msgt))
		return MP_KERN_INVALID_VALUE;
	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_RIGHT;
	MK_LOCK(s);
	if (!s->active || !into->active) {
		kr = MP_KERN_INVALID_TASK;
		goto out;
	}
	kr = mk_copyin_right(s, name, msgt, false, &r);
	if (kr == MP_KERN_INVALID_NAME)
		kr = MP_KERN_INVALID_NAME;
	if (kr != MP_KERN_SUCCESS)
		goto out;
	*poly_type = r.type;
	*poly = mk_copyout_right(into, r, &bits);
	if (bits != 0)
		kr = MP_KERN_NO_SPACE;
out:
	MK_UNLOCK(s);
	return kr;
}

/* mach_port_set_context / get_context: a strict guard cannot be overwritten. */
mp_kr_t mp_kern_port_set_context(mp_kspace_t *s, mp_port_name_t name, uint64_t context)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_RIGHT;
	MK_LOCK(s);
	kr = mk_receive_entry(s, name, &e, &p);
	if (kr == MP_KERN_SUCCESS) {
		if (p->strict_guard)
			kr = MP_KERN_INVALID_ARGUMENT; /* + EXC_GUARD kGUARD_EXC_SET_CONTEXT */
		else
			p->context = context;
	}
	MK_UNLOCK(s);
	return kr;
}

mp_kr_t mp_kern_port_get_context(mp_kspace_t *s, mp_port_name_t name, uint64_t *context)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	*context = 0;
	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_RIGHT;
	MK_LOCK(s);
	kr = mk_receive_entry(s, name, &e, &p);
	if (kr == MP_KERN_SUCCESS)
		*context = p->context;
	MK_UNLOCK(s);
	return kr;
}

/* mach_port_guard_with_flags (MPG_STRICT, MPG_IMMOVABLE_RECEIVE). */
mp_kr_t mp_kern_port_guard(mp_kspace_t *s, mp_port_name_t name, uint64_t guard, uint64_t flags)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_NAME;
	MK_LOCK(s);
	kr = mk_receive_entry(s, name, &e, &p);
	if (kr == MP_KERN_SUCCESS) {
		if (p->guarded) {
			kr = MP_KERN_INVALID_ARGUMENT;
		} else {
			p->guarded = true;
			p->context = guard;
			p->strict_guard = (flags & MP_MPG_STRICT) != 0;
			p->immovable_receive = (flags & MP_MPG_IMMOVABLE_RECEIVE) != 0;
		}
	}
	MK_UNLOCK(s);
	return kr;
}

mp_kr_t mp_kern_port_unguard(mp_kspace_t *s, mp_port_name_t name, uint64_t guard)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_NAME;
	MK_LOCK(s);
	kr = mk_receive_entry(s, name, &e, &p);
	if (kr == MP_KERN_SUCCESS) {
		if (!p->guarded || p->context != guard) {
			kr = MP_KERN_INVALID_ARGUMENT; /* + EXC_GUARD kGUARD_EXC_UNGUARDED/INCORRECT_GUARD */
		} else {
			p->guarded = false;
			p->strict_guard = false;
			p->immovable_receive = false;
			p->context = 0;
		}
	}
	MK_UNLOCK(s);
	return kr;
}

mp_kr_t mp_kern_port_set_qlimit(mp_kspace_t *s, mp_port_name_t name, uint32_t qlimit)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	if (qlimit > MP_PORT_QLIMIT_MAX)
		return MP_KERN_INVALID_VALUE;
	MK_LOCK(s);
	kr = mk_receive_entry(s, name, &e, &p);
	if (kr == MP_KERN_SUCCESS) {
		p->qlimit = qlimit;
		pthread_cond_broadcast(&p->snd_cv);
	}
	MK_UNLOCK(s);
	return kr;
}

mp_kr_t mp_kern_port_get_status(mp_kspace_t *s, mp_port_name_t name, mp_port_status_t *st)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	memset(st, 0, sizeof(*st));
	MK_LOCK(s);
	kr = mk_receive_entry(s, name, &e, &p);
	if (kr == MP_KERN_SUCCESS) {
		st->mps_pset = p->npsets;
		st->mps_seqno = p->seqno;
		st->mps_mscount = p->mscount;
		st->mps_qlimit = p->qlimit;
		st->mps_msgcount = p->msgcount;
		st->mps_sorights = p->sorights;
		st->mps_srights = p->srights > 0;
		st->mps_pdrequest = p->pdrequest != NULL; /* mach_port_get_status_helper */
		st->mps_nsrequest = p->nsrequest != NULL;
		st->mps_flags = (p->guarded ? MP_PORT_STATUS_FLAG_GUARDED : 0) |
				(p->strict_guard ? MP_PORT_STATUS_FLAG_STRICT_GUARD : 0) |
				(p->immovable_receive ? MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE
						      : 0);
	}
	MK_UNLOCK(s);
	return kr;
}

/* ---- notifications (mach_port_request_notification) ---- */

/*
 * mach_port_request_notification, case MACH_NOTIFY_PORT_DESTROYED: `sync`
 * must be 0 (KERN_INVALID_VALUE), `name` a receive right (a NULL or DEAD
 * name is KERN_INVALID_RIGHT; ipc_port_translate_receive otherwise). A
 * request is never replaced nor cancelled: a second one, even with a NULL
 * notify, is KERN_FAILURE with a guard exception (kGUARD_EXC_KERN_FAILURE).
 * A NULL notify on a port without a request succeeds and does nothing.
 * `previous` is always MACH_PORT_NULL.
 */
static mp_kr_t request_port_destroyed(mp_kspace_t *s, mp_port_name_t name, uint32_t sync,
				      mk_port_t *notify)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	if (sync != 0)
		return MP_KERN_INVALID_VALUE;
	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_RIGHT;
	kr = mk_receive_entry(s, name, &e, &p);
	if (kr == MP_KERN_INVALID_RIGHT && e->type == MP_PORT_TYPE_DEAD_NAME)
		return MP_KERN_INVALID_NAME; /* ipc_right_lookup_read: no object */
	if (kr != MP_KERN_SUCCESS)
		return kr;
	if (p->pdrequest != NULL) {
		mk_guard_exception(s, MP_GUARD_EXC_KERN_FAILURE, name, 0);
		return MP_KERN_FAILURE;
	}
	p->pdrequest = notify;
	return MP_KERN_SUCCESS;
}

/*
 * mach_port_request_notification, case MACH_NOTIFY_SEND_POSSIBLE
 * (ipc_right_request_alloc): `sync` != 0 arms the request now, 0 leaves it
 * for a MACH_SEND_NOTIFY send to arm. The entry has one request slot,
 * shared with dead-name requests: the request it replaces, of either kind,
 * comes back in *prev. An armed request fires at once if the entry is a
 * send-once right or the queue is not full; on a dead name the requester
 * gets MACH_NOTIFY_DEAD_NAME at once and one more dead-name uref.
 */
static mp_kr_t request_send_possible(mp_kspace_t *s, mp_port_name_t name, uint32_t sync,
				     mk_port_t *notify, mk_port_t **prev)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr = MP_KERN_SUCCESS;

	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_ARGUMENT;
	e = lookup(s, name, &kr);
	if (e == NULL)
		return kr;
	if (notify == NULL && e->dn_notify == NULL)
		return MP_KERN_SUCCESS;
	mk_right_check(s, name, e);
	if (e->type & MP_PORT_TYPE_DEAD_NAME) {
		e->urefs = mk_uref_add(e->urefs, 1);
		mk_notify_dead_name(notify, name);
		return MP_KERN_SUCCESS;
	}
	if (!(e->type & MP_PORT_TYPE_PORT_RIGHTS))
		return MP_KERN_INVALID_RIGHT; /* a port set */
	p = e->obj;
	*prev = e->dn_notify;
	e->dn_notify = NULL;
	e->dn_registered = false;
	e->sp_request = e->sp_armed = false;
	if (notify == NULL)
		return MP_KERN_SUCCESS;
	if (sync != 0 && ((e->type & MP_PORT_TYPE_SEND_ONCE) || p->msgcount < p->qlimit)) {
		mk_notify_send_possible(notify, name);
		return MP_KERN_SUCCESS;
	}
	e->dn_notify = notify;
	e->dn_registered = true;
	e->sp_request = true;
	e->sp_armed = sync != 0;
	if (e->sp_armed)
		p->sprequests = true;
	return MP_KERN_SUCCESS;
}

mp_kr_t mp_kern_port_request_notification(mp_kspace_t *s, mp_port_name_t name, int32_t variant,
					  uint32_t sync, mp_port_name_t notify,
					  uint32_t notify_disp, mp_port_name_t *previous)
{
	mk_entry_t *e;
	mk_right_t n = { NULL, 0 };
	mk_port_t *prev = NULL;
	mp_kr_t kr = MP_KERN_SUCCESS, bits = 0;

	*previous = MP_PORT_NULL;
	if (variant != MP_MACH_NOTIFY_NO_SENDERS && variant != MP_MACH_NOTIFY_DEAD_NAME &&
	    variant != MP_MACH_NOTIFY_PORT_DESTROYED && variant != MP_MACH_NOTIFY_SEND_POSSIBLE)
		return MP_KERN_INVALID_VALUE;
	if (MP_PORT_VALID(notify) && notify_disp != MP_MSG_TYPE_MAKE_SEND_ONCE &&
	    notify_disp != MP_MSG_TYPE_MOVE_SEND_ONCE)
		return MP_KERN_INVALID_VALUE;
	MK_LOCK(s);
	/* MIG copies the notify right in with the request message, before the
	 * call looks at `name` (which the copyin may even consume); if the call
	 * then fails, MIG destroys the right (a send-once notification). */
	if (MP_PORT_VALID(notify) &&
	    mk_copyin_right(s, notify, notify_disp, false, &n) != MP_KERN_SUCCESS) {
		kr = MP_MACH_SEND_INVALID_RIGHT;
		goto out;
	}
	if (variant == MP_MACH_NOTIFY_PORT_DESTROYED) {
		kr = request_port_destroyed(s, name, sync, n.port);
		if (kr != MP_KERN_SUCCESS)
			goto fail;
		goto out;
	}
	if (variant == MP_MACH_NOTIFY_SEND_POSSIBLE) {
		kr = request_send_possible(s, name, sync, n.port, &prev);
		if (kr != MP_KERN_SUCCESS)
			goto fail;
		goto copyout_previous;
	}
	e = lookup(s, name, &kr);
	if (e == NULL)
		goto fail;
	if (variant == MP_MACH_NOTIFY_NO_SENDERS) {
		if (!(e->type & MP_PORT_TYPE_RECEIVE)) {
			kr = MP_KERN_INVALID_RIGHT;
			goto fail;
		}
	} else {
		mk_right_check(s, name, e);
		if (e->type & MP_PORT_TYPE_DEAD_NAME) {
			kr = MP_KERN_INVALID_ARGUMENT; /* §10.11 */
			goto fail;
		}
		if (!(e->type & MP_PORT_TYPE_PORT_RIGHTS)) {
			kr = MP_KERN_INVALID_RIGHT;
			goto fail;
		}
	}
	if (variant == MP_MACH_NOTIFY_NO_SENDERS) {
		/* ipc_port_nsrequest: fires at once if no send right exists and
		 * sync <= mscount (§7.3) */
		mk_port_t *p = e->obj;
		prev = p->nsrequest;
		p->nsrequest = NULL;
		if (n.port != NULL) {
			if (p->srights == 0 && sync <= p->mscount) {
				mk_notify_no_senders(n.port, p->mscount);
			} else {
				/* armed: fires when the last send right goes,
				 * whatever sync was (ipc_port_nsrequest) */
				p->nsrequest = n.port;
			}
		}
	} else {
		prev = e->dn_notify;
		e->dn_notify = n.port;
		e->dn_registered = n.port != NULL;
		e->sp_request = e->sp_armed = false; /* the one slot is a dead-name request now */
	}
copyout_previous:
	if (prev != NULL)
		*previous = mk_copyout_right(s, (mk_right_t){ prev, MP_MSG_TYPE_PORT_SEND_ONCE }, &bits);
	goto out;
fail:
	mk_release_right(n);
out:
	MK_UNLOCK(s);
	return kr;
}
