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

/* lookup, raising XNU's kGUARD_EXC_INVALID_NAME when there is no entry:
 * mach_port_destroy, mach_port_deallocate_kernel, mach_port_mod_refs and
 * mach_port_destruct raise it whenever ipc_right_lookup_write fails. */
static mk_entry_t *lookup_or_raise(mp_kspace_t *s, mp_port_name_t name, mp_kr_t *kr)
{
	mk_entry_t *e = lookup(s, name, kr);

	if (e == NULL)
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_NAME, name, 0);
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

/* ipc_port_translate_receive (ipc_object_translate -> ipc_right_lookup_read):
 * no entry, or a dead-name entry (no object), is KERN_INVALID_NAME; an
 * entry without the receive right is KERN_INVALID_RIGHT. */
mp_kr_t mk_translate_receive(mp_kspace_t *s, mp_port_name_t name, mk_entry_t **e, mk_port_t **p)
{
	mp_kr_t kr = mk_receive_entry(s, name, e, p);

	if (kr == MP_KERN_INVALID_RIGHT && ((*e)->type & MP_PORT_TYPE_DEAD_NAME))
		kr = MP_KERN_INVALID_NAME;
	return kr;
}

/* mach_port_guard / unguard / swap_guard / peek: a failed translation raises
 * kGUARD_EXC_INVALID_NAME or kGUARD_EXC_INVALID_RIGHT on the name. */
void mk_translate_guard_exception(mp_kspace_t *s, mp_port_name_t name, mp_kr_t kr)
{
	if (kr == MP_KERN_INVALID_NAME)
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_NAME, name, 0);
	else if (kr == MP_KERN_INVALID_RIGHT)
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_RIGHT, name, 0);
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

/* mach_port_construct's at-most-one group of kernel-service flags: more
 * than one is KERN_INVALID_ARGUMENT, before anything else. */
static bool construct_flags_conflict(uint32_t flags)
{
	uint32_t svc = flags & (MP_MPO_SERVICE_PORT | MP_MPO_CONNECTION_PORT | MP_MPO_TG_BLOCK_TRACKING);

	return (svc & (svc - 1)) != 0;
}

/* mach_port_guard_locked: a guard on a port whose context is 0. XNU's test
 * is the context value, not the guarded bit: an unguarded port with a plain
 * non-zero context is refused (kGUARD_EXC_INVALID_ARGUMENT, payload the
 * context), and a port guarded with 0 can be guarded again. Flags other
 * than MPG_STRICT / MPG_IMMOVABLE_RECEIVE are ignored; immovability is
 * sticky (only moving the right clears it). */
static mp_kr_t guard_locked(mp_kspace_t *s, mp_port_name_t name, mk_port_t *p, uint64_t guard,
			    uint64_t flags)
{
	if (p->context != 0) {
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_ARGUMENT, name, p->context);
		return MP_KERN_INVALID_ARGUMENT;
	}
	p->context = guard;
	p->guarded = true;
	p->strict_guard = (flags & MP_MPG_STRICT) != 0;
	if (flags & MP_MPG_IMMOVABLE_RECEIVE)
		p->immovable_receive = true;
	return MP_KERN_SUCCESS;
}

/* mach_port_construct's second check, before the space is looked at: at
 * most one of REPLY_PORT, ENFORCE_REPLY_PORT_SEMANTICS, EXCEPTION_PORT and
 * PROVISIONAL_REPLY_PORT (else KERN_INVALID_ARGUMENT). */
static bool reply_port_flags_ok(uint32_t flags)
{
	uint32_t marks = flags & (MP_MPO_REPLY_PORT | MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS |
				  MP_MPO_EXCEPTION_PORT | MP_MPO_PROVISIONAL_REPLY_PORT);
	return (marks & (marks - 1)) == 0;
}

/* mach_port_construct (mach_port.c): MPO_QLIMIT, MPO_CONTEXT_AS_GUARD (with
 * MPO_STRICT and MPO_IMMOVABLE_RECEIVE, which alone are ignored, as XNU
 * does), MPO_INSERT_SEND_RIGHT, and the reply-port marks (ipc_port_init:
 * MPO_REPLY_PORT, MPO_ENFORCE_REPLY_PORT_SEMANTICS, MPO_PROVISIONAL_REPLY_PORT,
 * MPO_EXCEPTION_PORT). The flags XNU knows and this kernel does not
 * implement (MP_MPO_NOT_SUPPORTED) are KERN_NOT_SUPPORTED; unknown bits are
 * ignored, as XNU does. */
mp_kr_t mp_kern_port_construct(mp_kspace_t *s, uint32_t flags, uint32_t qlimit, uint64_t context,
			       mp_port_name_t *name)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	if (construct_flags_conflict(flags))
		return MP_KERN_INVALID_ARGUMENT;
	if (!reply_port_flags_ok(flags))
		return MP_KERN_INVALID_ARGUMENT;
	if (flags & MP_MPO_NOT_SUPPORTED)
		return MP_KERN_NOT_SUPPORTED;
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
			/* a new port's context is 0: always succeeds */
			(void)guard_locked(s, *name, p, context,
					   ((flags & MP_MPO_STRICT) ? MP_MPG_STRICT : 0) |
						   ((flags & MP_MPO_IMMOVABLE_RECEIVE)
							    ? MP_MPG_IMMOVABLE_RECEIVE
							    : 0));
		} else {
			p->context = context;
		}
		mk_port_init_mark(s, p, flags); /* ipc_port_init */
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
	e = lookup_or_raise(s, name, &kr);
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
	else {
		/* receive only: ipc_right_dealloc's default case */
		kr = MP_KERN_INVALID_RIGHT;
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_RIGHT, name, 0);
	}
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

/*
 * ipc_right_delta's kGUARD_EXC_INVALID_RIGHT for the DEAD_NAME and SEND
 * rights, on the entry's type before ipc_right_check (`before`) and whether
 * that check found the port dead: DEAD_NAME on a live send or send-once
 * right, or on an entry that is no dead name; SEND where the entry holds
 * none, unless it is a dead name or (AE_MAKESENDRIGHT_FIXED unset) a
 * receive right with delta 1. A send right found dead raises nothing.
 */
static bool delta_raises_invalid_right(uint32_t before, bool converted, uint32_t right, int32_t delta)
{
	if (right == MP_PORT_RIGHT_DEAD_NAME) {
		if (before & (MP_PORT_TYPE_SEND | MP_PORT_TYPE_SEND_ONCE))
			return !converted;
		return !(before & MP_PORT_TYPE_DEAD_NAME);
	}
	if (before & MP_PORT_TYPE_SEND)
		return false;
	return !(before & MP_PORT_TYPE_DEAD_NAME) && (!(before & MP_PORT_TYPE_RECEIVE) || delta != 1);
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
	e = lookup_or_raise(s, name, &kr);
	if (e == NULL)
		goto out;
	switch (right) {
	case MP_PORT_RIGHT_RECEIVE:
		kr = unit_delta(e, MP_PORT_TYPE_RECEIVE, delta);
		if (kr == MP_KERN_INVALID_RIGHT)
			mk_guard_exception(s, MP_GUARD_EXC_INVALID_RIGHT, name, 0);
		if (kr != MP_KERN_SUCCESS || delta == 0)
			break;
		if (((mk_port_t *)e->obj)->guarded) {
			/* ipc_right_delta: "Mach Port Guard Checking" */
			kr = MP_KERN_INVALID_RIGHT;
			mk_guard_exception(s, MP_GUARD_EXC_DESTROY, name, ((mk_port_t *)e->obj)->context);
			break;
		}
		destroy_receive_entry(s, name, e);
		break;
	case MP_PORT_RIGHT_SEND_ONCE: {
		bool was_sonce = (e->type & MP_PORT_TYPE_SEND_ONCE) != 0;
		if (mk_right_check(s, name, e) && was_sonce) /* its port died */
			mk_guard_exception(s, MP_GUARD_EXC_INVALID_RIGHT, name, 0);
		kr = unit_delta(e, MP_PORT_TYPE_SEND_ONCE, delta);
		if (kr == MP_KERN_SUCCESS && delta != 0)
			sonce_entry_destroy(s, name, e);
		break;
	}
	case MP_PORT_RIGHT_PORT_SET:
		kr = unit_delta(e, MP_PORT_TYPE_PORT_SET, delta);
		if (kr == MP_KERN_INVALID_RIGHT)
			mk_guard_exception(s, MP_GUARD_EXC_INVALID_RIGHT, name, 0);
		if (kr == MP_KERN_SUCCESS && delta != 0)
			pset_entry_destroy(s, name, e);
		break;
	case MP_PORT_RIGHT_DEAD_NAME:
	case MP_PORT_RIGHT_SEND: {
		bool dead_right = right == MP_PORT_RIGHT_DEAD_NAME;
		uint32_t before = e->type;
		bool converted = mk_right_check(s, name, e);
		uint32_t want = dead_right ? MP_PORT_TYPE_DEAD_NAME : MP_PORT_TYPE_SEND;
		if (!(e->type & want) || (converted && !dead_right)) {
			/* SEND on a dead port: the entry is now a dead name */
			kr = MP_KERN_INVALID_RIGHT;
			if (delta_raises_invalid_right(before, converted, right, delta))
				mk_guard_exception(s, MP_GUARD_EXC_INVALID_RIGHT, name, 0);
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
	if (kr == MP_KERN_INVALID_VALUE) /* ipc_right_delta's invalid_value */
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_VALUE, name, 0);
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
	e = lookup_or_raise(s, name, &kr);
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
		/* ipc_right_destroy(check_guard TRUE, guard 0): a guarded
		 * receive right whose guard is not 0 */
		if ((e->type & MP_PORT_TYPE_RECEIVE) && p->guarded && p->context != 0) {
			kr = MP_KERN_INVALID_RIGHT;
			mk_guard_exception(s, MP_GUARD_EXC_DESTROY, name, p->context);
			goto out;
		}
		if (e->type & MP_PORT_TYPE_RECEIVE)
			p->guarded = false; /* its guard was 0 */
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

/* mach_port_destruct (ipc_right_destruct), in XNU's order: the entry
 * (kGUARD_EXC_INVALID_NAME), the receive right and the send right srdelta
 * needs (INVALID_RIGHT), srdelta's sign (INVALID_VALUE), the guard
 * (DESTROY, payload the port's guard, KERN_INVALID_ARGUMENT), srdelta's
 * size (INVALID_VALUE). */
static mp_kr_t destruct_check(mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e, int32_t srdelta,
			      uint64_t guard)
{
	mk_port_t *p = e->obj;

	if (!(e->type & MP_PORT_TYPE_RECEIVE) || (srdelta != 0 && !(e->type & MP_PORT_TYPE_SEND))) {
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_RIGHT, name, 0);
		return MP_KERN_INVALID_RIGHT;
	}
	if (srdelta > 0) {
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_VALUE, name, 0);
		return MP_KERN_INVALID_VALUE;
	}
	if (p->guarded && p->context != guard) {
		mk_guard_exception(s, MP_GUARD_EXC_DESTROY, name, p->context);
		return MP_KERN_INVALID_ARGUMENT;
	}
	if (srdelta != 0 && -(int64_t)srdelta > (int64_t)e->urefs) {
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_VALUE, name, 0);
		return MP_KERN_INVALID_VALUE;
	}
	return MP_KERN_SUCCESS;
}

mp_kr_t mp_kern_port_destruct(mp_kspace_t *s, mp_port_name_t name, int32_t srdelta, uint64_t guard)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr = MP_KERN_SUCCESS;

	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_NAME;
	MK_LOCK(s);
	e = lookup_or_raise(s, name, &kr);
	if (e == NULL)
		goto out;
	kr = destruct_check(s, name, e, srdelta, guard);
	if (kr != MP_KERN_SUCCESS)
		goto out;
	p = e->obj;
	if (srdelta != 0) {
		send_uref_drop(s, name, e, (uint32_t)-(int64_t)srdelta);
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

/* mach_port_set_context: NULL/DEAD is KERN_INVALID_RIGHT; the translation
 * raises nothing; a strict guard is kGUARD_EXC_SET_CONTEXT (payload the
 * context) + KERN_INVALID_ARGUMENT; a non-strict guard is overwritten, as
 * XNU does. */
mp_kr_t mp_kern_port_set_context(mp_kspace_t *s, mp_port_name_t name, uint64_t context)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_RIGHT;
	MK_LOCK(s);
	kr = mk_translate_receive(s, name, &e, &p);
	if (kr == MP_KERN_SUCCESS) {
		if (p->guarded && p->strict_guard) {
			mk_guard_exception(s, MP_GUARD_EXC_SET_CONTEXT, name, p->context);
			kr = MP_KERN_INVALID_ARGUMENT;
		} else {
			p->context = context;
		}
	}
	MK_UNLOCK(s);
	return kr;
}

/* mach_port_get_context: a strict guard reads 0. */
mp_kr_t mp_kern_port_get_context(mp_kspace_t *s, mp_port_name_t name, uint64_t *context)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	*context = 0;
	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_RIGHT;
	MK_LOCK(s);
	kr = mk_translate_receive(s, name, &e, &p);
	if (kr == MP_KERN_SUCCESS && !(p->guarded && p->strict_guard))
		*context = p->context;
	MK_UNLOCK(s);
	return kr;
}

/* The receive right of a guard call (mach_port_guard, _guard_with_flags,
 * _unguard, _swap_guard): NULL/DEAD is KERN_INVALID_NAME; a failed
 * translation raises INVALID_NAME / INVALID_RIGHT. Takes the lock; on
 * failure it is released. */
static mp_kr_t guard_call_port(mp_kspace_t *s, mp_port_name_t name, mk_port_t **p)
{
	mk_entry_t *e;
	mp_kr_t kr;

	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_NAME;
	MK_LOCK(s);
	kr = mk_translate_receive(s, name, &e, p);
	if (kr != MP_KERN_SUCCESS) {
		mk_translate_guard_exception(s, name, kr);
		MK_UNLOCK(s);
	}
	return kr;
}

/* mach_port_guard_with_flags (mach_port_guard_locked). */
mp_kr_t mp_kern_port_guard(mp_kspace_t *s, mp_port_name_t name, uint64_t guard, uint64_t flags)
{
	mk_port_t *p;
	mp_kr_t kr = guard_call_port(s, name, &p);

	if (kr != MP_KERN_SUCCESS)
		return kr;
	kr = guard_locked(s, name, p, guard, flags);
	MK_UNLOCK(s);
	return kr;
}

/* mach_port_unguard_locked: not guarded -> kGUARD_EXC_UNGUARDED; another
 * guard -> kGUARD_EXC_INCORRECT_GUARD (payload the context); both
 * KERN_INVALID_ARGUMENT. The immovable-receive bit stays. */
mp_kr_t mp_kern_port_unguard(mp_kspace_t *s, mp_port_name_t name, uint64_t guard)
{
	mk_port_t *p;
	mp_kr_t kr = guard_call_port(s, name, &p);

	if (kr != MP_KERN_SUCCESS)
		return kr;
	if (!p->guarded) {
		mk_guard_exception(s, MP_GUARD_EXC_UNGUARDED, name, 0);
		kr = MP_KERN_INVALID_ARGUMENT;
	} else if (p->context != guard) {
		mk_guard_exception(s, MP_GUARD_EXC_INCORRECT_GUARD, name, p->context);
		kr = MP_KERN_INVALID_ARGUMENT;
	} else {
		p->guarded = false;
		p->strict_guard = false;
		p->context = 0;
	}
	MK_UNLOCK(s);
	return kr;
}

/* mach_port_swap_guard: not guarded -> kGUARD_EXC_UNGUARDED; a strict guard
 * -> kGUARD_EXC_SET_CONTEXT (payload the context); another guard ->
 * kGUARD_EXC_INCORRECT_GUARD (payload the context); each
 * KERN_INVALID_ARGUMENT. Else the guard becomes `new_guard` (strict and
 * immovable bits unchanged). */
mp_kr_t mp_kern_port_swap_guard(mp_kspace_t *s, mp_port_name_t name, uint64_t old_guard,
				uint64_t new_guard)
{
	mk_port_t *p;
	mp_kr_t kr = guard_call_port(s, name, &p);

	if (kr != MP_KERN_SUCCESS)
		return kr;
	if (!p->guarded) {
		mk_guard_exception(s, MP_GUARD_EXC_UNGUARDED, name, 0);
		kr = MP_KERN_INVALID_ARGUMENT;
	} else if (p->strict_guard) {
		mk_guard_exception(s, MP_GUARD_EXC_SET_CONTEXT, name, p->context);
		kr = MP_KERN_INVALID_ARGUMENT;
	} else if (p->context != old_guard) {
		mk_guard_exception(s, MP_GUARD_EXC_INCORRECT_GUARD, name, p->context);
		kr = MP_KERN_INVALID_ARGUMENT;
	} else {
		p->context = new_guard;
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

/* mach_port_get_status_helper: mps_pset is whether the port is in a set
 * (0/1); GUARD_IMMOVABLE_RECEIVE is reported only while the port is
 * guarded; STRICT_GUARD likewise. */
static void port_status(const mk_port_t *p, mp_port_status_t *st)
{
	st->mps_pset = p->npsets > 0;
	st->mps_seqno = p->seqno;
	st->mps_mscount = p->mscount;
	st->mps_qlimit = p->qlimit;
	st->mps_msgcount = p->msgcount;
	st->mps_sorights = p->sorights;
	st->mps_srights = p->srights > 0;
	st->mps_pdrequest = p->pdrequest != NULL;
	st->mps_nsrequest = p->nsrequest != NULL;
	if (p->guarded)
		st->mps_flags = MP_PORT_STATUS_FLAG_GUARDED |
				(p->strict_guard ? MP_PORT_STATUS_FLAG_STRICT_GUARD : 0) |
				(p->immovable_receive ? MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE : 0);
}

mp_kr_t mp_kern_port_get_status(mp_kspace_t *s, mp_port_name_t name, mp_port_status_t *st)
{
	mk_entry_t *e;
	mk_port_t *p;
	mp_kr_t kr;

	memset(st, 0, sizeof(*st));
	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_RIGHT;
	MK_LOCK(s);
	kr = mk_translate_receive(s, name, &e, &p);
	if (kr == MP_KERN_SUCCESS)
		port_status(p, st);
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
	kr = mk_translate_receive(s, name, &e, &p); /* a dead name: KERN_INVALID_NAME */
	if (kr != MP_KERN_SUCCESS)
		return kr;
	if (mk_port_is_reply(p)) {
		/* no port-destroyed request on a (real) reply port */
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_RIGHT, name, 0);
		return MP_KERN_INVALID_RIGHT;
	}
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
	p->dnrequests = true;
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
	if (MP_PORT_VALID(notify) && notify_disp != MP_MSG_TYPE_MAKE_SEND_ONCE &&
	    notify_disp != MP_MSG_TYPE_MOVE_SEND_ONCE)
		return MP_KERN_INVALID_VALUE;
	if (notify == MP_PORT_DEAD)
		return MP_KERN_INVALID_CAPABILITY; /* mach_port_request_notification: IP_DEAD */
	MK_LOCK(s);
	/* MIG copies the notify right in with the request message, before the
	 * call looks at `name` (which the copyin may even consume); if the call
	 * then fails, MIG destroys the right (a send-once notification). */
	if (MP_PORT_VALID(notify) &&
	    mk_copyin_right(s, notify, notify_disp, false, &n) != MP_KERN_SUCCESS) {
		kr = MP_MACH_SEND_INVALID_RIGHT;
		goto out;
	}
	/* mach_port_request_notification's switch: an unknown id is
	 * KERN_INVALID_VALUE once the right is made, and
	 * _kernelrpc_mach_port_request_notification_trap then destroys it
	 * (a send-once notification) */
	if (variant != MP_MACH_NOTIFY_NO_SENDERS && variant != MP_MACH_NOTIFY_DEAD_NAME &&
	    variant != MP_MACH_NOTIFY_PORT_DESTROYED && variant != MP_MACH_NOTIFY_SEND_POSSIBLE) {
		kr = MP_KERN_INVALID_VALUE;
		goto fail;
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
	if (!MP_PORT_VALID(name)) {
		/* mach_port_request_notification: NULL/DEAD is KERN_INVALID_RIGHT
		 * for NO_SENDERS, KERN_INVALID_ARGUMENT for DEAD_NAME (facts §11.9) */
		kr = variant == MP_MACH_NOTIFY_NO_SENDERS ? MP_KERN_INVALID_RIGHT : MP_KERN_INVALID_ARGUMENT;
		goto fail;
	}
	e = lookup(s, name, &kr);
	if (e == NULL)
		goto fail;
	if (variant == MP_MACH_NOTIFY_NO_SENDERS) {
		if (!(e->type & MP_PORT_TYPE_RECEIVE)) {
			kr = MP_KERN_INVALID_RIGHT;
			goto fail;
		}
		if (mk_port_is_reply(e->obj)) {
			/* mach_port_request_notification: no no-senders
			 * request on a reply port */
			mk_guard_exception(s, MP_GUARD_EXC_INVALID_RIGHT, name, 0);
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
		if (n.port != NULL)
			((mk_port_t *)e->obj)->dnrequests = true;
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

/* ---- attributes (mach_port_get/set/assert_attributes) ---- */

/* The receive right of an attributes call: NULL/DEAD is KERN_INVALID_RIGHT;
 * the translation raises nothing (no guard exceptions in these calls).
 * Takes the lock; on failure it is released. */
static mp_kr_t attributes_port(mp_kspace_t *s, mp_port_name_t name, mk_port_t **p)
{
	mk_entry_t *e;
	mp_kr_t kr;

	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_RIGHT;
	MK_LOCK(s);
	kr = mk_translate_receive(s, name, &e, p);
	if (kr != MP_KERN_SUCCESS)
		MK_UNLOCK(s);
	return kr;
}

/* The flavors XNU accepts on a name (LIMITS_INFO, RECEIVE_STATUS,
 * DNREQUESTS_SIZE, INFO_EXT), with their minimum count. */
static bool get_flavor_count(int32_t flavor, uint32_t *need)
{
	switch (flavor) {
	case MP_PORT_LIMITS_INFO:
		*need = MP_PORT_LIMITS_INFO_COUNT;
		return true;
	case MP_PORT_RECEIVE_STATUS:
		*need = MP_PORT_RECEIVE_STATUS_COUNT;
		return true;
	case MP_PORT_DNREQUESTS_SIZE:
		*need = MP_PORT_DNREQUESTS_SIZE_COUNT;
		return true;
	case MP_PORT_INFO_EXT:
		*need = MP_PORT_INFO_EXT_COUNT;
		return true;
	default:
		return false;
	}
}

/* Fills `info` for a get flavor of a live receive right; returns the count. */
static uint32_t port_attributes(const mk_port_t *p, int32_t flavor, int32_t *info)
{
	mp_port_info_ext_t ext;

	switch (flavor) {
	case MP_PORT_LIMITS_INFO:
		info[0] = (int32_t)p->qlimit;
		return MP_PORT_LIMITS_INFO_COUNT;
	case MP_PORT_DNREQUESTS_SIZE:
		/* XNU: the port's request-table capacity (0 until a request
		 * grows it). This kernel keeps requests on the requesters'
		 * entries, not in a per-port table: always 0. */
		info[0] = 0;
		return MP_PORT_DNREQUESTS_SIZE_COUNT;
	default: /* RECEIVE_STATUS, INFO_EXT: status, boost count 0 */
		memset(&ext, 0, sizeof(ext));
		port_status(p, &ext.mpie_status);
		memcpy(info, &ext, sizeof(ext));
		return flavor == MP_PORT_INFO_EXT ? MP_PORT_INFO_EXT_COUNT : MP_PORT_RECEIVE_STATUS_COUNT;
	}
}

/*
 * mach_port_get_attributes (mach_port.c; the trap
 * _kernelrpc_mach_port_get_attributes_trap clamps the count to 17 and zeroes
 * the buffer): a count below the flavor's is KERN_FAILURE;
 * SERVICE_THROTTLED is KERN_INVALID_CAPABILITY on any receive right (no
 * port here is a service port); NULL/DEAD is
 * success with count 0 (LIMITS_INFO) or value 0 (DNREQUESTS_SIZE), else
 * KERN_INVALID_RIGHT; any other flavor (GUARD_INFO included: it is only
 * mach_port_assert_attributes') is KERN_INVALID_ARGUMENT. `info` is written
 * (`*count` ints) only on success.
 */
mp_kr_t mp_kern_port_get_attributes(mp_kspace_t *s, mp_port_name_t name, int32_t flavor,
				    int32_t *info, uint32_t *count)
{
	int32_t buf[MP_PORT_INFO_MAX];
	uint32_t n = *count > MP_PORT_INFO_MAX ? MP_PORT_INFO_MAX : *count, need = 0;
	mk_port_t *p;
	mp_kr_t kr;

	if (flavor == MP_PORT_SERVICE_THROTTLED) {
		/* no count check; no port here is a service port */
		kr = attributes_port(s, name, &p);
		if (kr == MP_KERN_SUCCESS)
			MK_UNLOCK(s);
		return kr == MP_KERN_SUCCESS ? MP_KERN_INVALID_CAPABILITY : kr;
	}
	if (!get_flavor_count(flavor, &need))
		return MP_KERN_INVALID_ARGUMENT;
	if (n < need)
		return MP_KERN_FAILURE;
	memset(buf, 0, sizeof(buf));
	if (!MP_PORT_VALID(name) && flavor == MP_PORT_LIMITS_INFO) {
		*count = 0;
		return MP_KERN_SUCCESS;
	}
	if (!MP_PORT_VALID(name) && flavor == MP_PORT_DNREQUESTS_SIZE) {
		memcpy(info, buf, n * sizeof(*info));
		*count = n;
		return MP_KERN_SUCCESS;
	}
	kr = attributes_port(s, name, &p);
	if (kr != MP_KERN_SUCCESS)
		return kr;
	n = port_attributes(p, flavor, buf);
	MK_UNLOCK(s);
	memcpy(info, buf, n * sizeof(*info));
	*count = n;
	return MP_KERN_SUCCESS;
}

/*
 * mach_port_set_attributes (mach_port.c): LIMITS_INFO (count < 1 ->
 * KERN_FAILURE; qlimit > 1024 -> KERN_INVALID_VALUE, before the name);
 * DNREQUESTS_SIZE (a no-op on a receive right); SERVICE_THROTTLED
 * (KERN_INVALID_CAPABILITY: no port here is a service port); TEMPOWNER,
 * IMPORTANCE_RECEIVER, DENAP_RECEIVER: importance donation, which this
 * kernel does not implement -> KERN_NOT_SUPPORTED after the name checks;
 * any other flavor (RECEIVE_STATUS, INFO_EXT, GUARD_INFO) KERN_INVALID_ARGUMENT.
 */
mp_kr_t mp_kern_port_set_attributes(mp_kspace_t *s, mp_port_name_t name, int32_t flavor,
				    const int32_t *info, uint32_t count)
{
	mk_port_t *p;
	mp_kr_t kr;

	switch (flavor) {
	case MP_PORT_LIMITS_INFO:
		if (count < MP_PORT_LIMITS_INFO_COUNT)
			return MP_KERN_FAILURE;
		if ((uint32_t)info[0] > MP_PORT_QLIMIT_MAX)
			return MP_KERN_INVALID_VALUE;
		break;
	case MP_PORT_DNREQUESTS_SIZE:
		if (count < MP_PORT_DNREQUESTS_SIZE_COUNT)
			return MP_KERN_FAILURE;
		break;
	case MP_PORT_SERVICE_THROTTLED:
	case MP_PORT_TEMPOWNER:
	case MP_PORT_IMPORTANCE_RECEIVER:
	case MP_PORT_DENAP_RECEIVER:
		break;
	default:
		return MP_KERN_INVALID_ARGUMENT;
	}
	kr = attributes_port(s, name, &p);
	if (kr != MP_KERN_SUCCESS)
		return kr;
	if (flavor == MP_PORT_LIMITS_INFO) {
		/* raising the limit wakes blocked senders */
		p->qlimit = (uint32_t)info[0];
		pthread_cond_broadcast(&p->snd_cv);
	} else if (flavor == MP_PORT_SERVICE_THROTTLED) {
		kr = MP_KERN_INVALID_CAPABILITY;
	} else if (flavor != MP_PORT_DNREQUESTS_SIZE) {
		kr = MP_KERN_NOT_SUPPORTED;
	}
	MK_UNLOCK(s);
	return kr;
}

/*
 * mach_port_assert_attributes (mach_port.c), GUARD_INFO only: the port must
 * hold a strict guard equal to info's mpgi_guard. Not guarded ->
 * kGUARD_EXC_UNGUARDED; not strict or another guard ->
 * kGUARD_EXC_INCORRECT_GUARD (payload the context); both
 * KERN_INVALID_ARGUMENT (and always fatal on XNU).
 */
mp_kr_t mp_kern_port_assert_attributes(mp_kspace_t *s, mp_port_name_t name, int32_t flavor,
				       const int32_t *info, uint32_t count)
{
	mp_port_guard_info_t gi;
	mk_port_t *p;
	mp_kr_t kr;

	if (flavor != MP_PORT_GUARD_INFO)
		return MP_KERN_INVALID_ARGUMENT;
	if (count < MP_PORT_GUARD_INFO_COUNT)
		return MP_KERN_FAILURE;
	memcpy(&gi, info, sizeof(gi));
	kr = attributes_port(s, name, &p);
	if (kr != MP_KERN_SUCCESS)
		return kr;
	if (!p->guarded) {
		mk_guard_exception(s, MP_GUARD_EXC_UNGUARDED, name, 0);
		kr = MP_KERN_INVALID_ARGUMENT;
	} else if (!p->strict_guard || p->context != gi.mpgi_guard) {
		mk_guard_exception(s, MP_GUARD_EXC_INCORRECT_GUARD, name, p->context);
		kr = MP_KERN_INVALID_ARGUMENT;
	}
	MK_UNLOCK(s);
	return kr;
}

/*
 * mach_port_names_helper: an entry's type as mach_port_names reports it.
 * A send or send-once right whose port died is DEAD_NAME without request
 * bits (the entry itself is not converted); a dead name has none (its
 * request was consumed); otherwise the entry's type, plus DNREQUEST while
 * a dead-name request is registered, as mach_port_type (ipc_port_request_type;
 * send-possible requests, SPREQUEST(_DELAYED), do not exist here).
 */
static uint32_t names_type(const mk_entry_t *e)
{
	uint32_t type = e->type;

	if (type & (MP_PORT_TYPE_SEND | MP_PORT_TYPE_SEND_ONCE)) {
		const mk_port_t *p = e->obj;
		if (!(type & MP_PORT_TYPE_RECEIVE) && !p->active)
			return MP_PORT_TYPE_DEAD_NAME;
	}
	if (type & (MP_PORT_TYPE_DEAD_NAME | MP_PORT_TYPE_PORT_SET))
		return type;
	return type | (e->dn_registered ? MP_PORT_TYPE_DNREQUEST : 0);
}

mp_kr_t mp_kern_port_ledger(mp_kspace_t *s, mp_kern_ledger_entry_t *out, uint32_t max, uint32_t *count)
{
	mp_kr_t kr = MP_KERN_SUCCESS;
	uint32_t n = 0;

	*count = 0;
	MK_LOCK(s);
	if (!s->active) {
		kr = MP_KERN_INVALID_TASK;
		goto out;
	}
	/* the names in use are the indices not on the free stack: the walk
	 * stops at the last of them */
	for (uint32_t i = 1, in_use = s->cap - 1 - s->nfree; i < s->cap && n < in_use; i++) {
		mk_entry_t *e = &s->table[i];
		mp_port_name_t name;

		if (e->type == 0)
			continue;
		name = MP_PORT_MAKE(i, e->gen);
		if ((e->type & (MP_PORT_TYPE_SEND | MP_PORT_TYPE_SEND_ONCE)) && !(e->type & MP_PORT_TYPE_RECEIVE) &&
		    !((const mk_port_t *)e->obj)->active)
			(void)mk_right_check(s, name, e);
		if (n < max) {
			out[n].name = name;
			out[n].type = names_type(e);
			out[n].urefs = (e->type & (MP_PORT_TYPE_SEND | MP_PORT_TYPE_DEAD_NAME)) ? e->urefs : 0;
		}
		n++;
	}
	*count = n;
out:
	MK_UNLOCK(s);
	return kr;
}

/* mach_port_names: the table walked by index from 1, so the names come in
 * ascending order; two malloc'd arrays (NULL when the space is empty). */
mp_kr_t mp_kern_port_names(mp_kspace_t *s, mp_port_name_t **names, uint32_t **types, uint32_t *count)
{
	uint32_t n = 0, i;
	mp_kr_t kr = MP_KERN_SUCCESS;

	*names = NULL;
	*types = NULL;
	*count = 0;
	MK_LOCK(s);
	if (!s->active) {
		kr = MP_KERN_INVALID_TASK;
		goto out;
	}
	for (i = 1; i < s->cap; i++)
		n += s->table[i].type != 0;
	if (n == 0)
		goto out;
	*names = malloc((size_t)n * sizeof(**names));
	*types = malloc((size_t)n * sizeof(**types));
	if (*names == NULL || *types == NULL) {
		free(*names);
		free(*types);
		*names = NULL;
		*types = NULL;
		kr = MP_KERN_RESOURCE_SHORTAGE;
		goto out;
	}
	for (i = 1; i < s->cap; i++) {
		const mk_entry_t *e = &s->table[i];
		if (e->type == 0)
			continue;
		(*names)[*count] = MP_PORT_MAKE(i, e->gen);
		(*types)[*count] = names_type(e);
		(*count)++;
	}
out:
	MK_UNLOCK(s);
	return kr;
}
