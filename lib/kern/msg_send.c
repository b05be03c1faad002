/*
 * lib/kern/msg_send.c: mach_msg's send half (xnu-abi.md §6.1-6.5; XNU:
 * ipc_kmsg_copyin_header, ipc_kmsg_copyin_body, ipc_kmsg_send).
 *
 * The order is XNU's: lib/msg's send-mode parser makes every shape check of
 * steps 1-11 (mach_msg_trap_send sizes, the descriptor walk and inflate, the
 * totals, ipc_kmsg_copyin_header_validate); then the header rights
 * (ipc_kmsg_copyin_header), the body rights and memory descriptor by
 * descriptor (ipc_kmsg_copyin_body), and the enqueue (ipc_kmsg_send). What a
 * failure leaves the sender is the class of §6.4: A (nothing happened),
 * C (header and descriptors 0..k-1 destroyed), D (pseudo-receive), E
 * (silently destroyed).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kern/kern_internal.h"
#include "machports/le.h"

static bool is_send_disp(uint32_t d)
{
	return d == MP_MSG_TYPE_MOVE_SEND || d == MP_MSG_TYPE_COPY_SEND;
}

/*
 * ipc_right_copyin_check_reply: the reply right must be there before the
 * destination is touched, so the header copyin is all-or-nothing. 11417: a
 * dead-name entry is refused (§6.2); a send right whose port died but was
 * not yet converted is accepted and travels as MACH_PORT_DEAD.
 */
static bool reply_ok(mp_kspace_t *s, mp_port_name_t name, uint32_t disp)
{
	mk_entry_t *e = mk_lookup(s, name);

	if (e == NULL)
		return false;
	switch (disp) {
	case MP_MSG_TYPE_MAKE_SEND:
	case MP_MSG_TYPE_MAKE_SEND_ONCE:
		return (e->type & MP_PORT_TYPE_RECEIVE) != 0;
	case MP_MSG_TYPE_MOVE_SEND_ONCE:
		return (e->type & MP_PORT_TYPE_SEND_ONCE) != 0;
	default: /* MOVE_SEND, COPY_SEND */
		return (e->type & MP_PORT_TYPE_SEND) != 0;
	}
}

/*
 * ipc_right_copyin_check_reply's port rules, once the reply right is known
 * to be there (reply_ok): a real reply port may be named as the reply only
 * with MAKE_SEND_ONCE; a destination made with
 * MPO_ENFORCE_REPLY_PORT_SEMANTICS demands a real or provisional reply port
 * (ip_violates_reply_port_semantics; a soft guard exception on the reply
 * name). Only a live reply port and a live destination port are looked at;
 * a port set on either side skips the rules. True: MACH_SEND_INVALID_REPLY.
 */
static bool reply_port_rules_broken(mp_kspace_t *s, mp_port_name_t dest, mp_port_name_t reply,
				    uint32_t rdisp)
{
	mk_entry_t *de = mk_lookup(s, dest), *re = mk_lookup(s, reply);
	mk_port_t *dp, *rp;

	if (de == NULL || re == NULL || (de->type & MP_PORT_TYPE_PORT_SET) ||
	    !(re->type & MP_PORT_TYPE_PORT_RIGHTS) || re->obj == NULL)
		return false;
	rp = re->obj;
	if (!rp->active)
		return false;
	if (mk_port_is_reply(rp) && rdisp != MP_MSG_TYPE_MAKE_SEND_ONCE)
		return true;
	if (!(de->type & MP_PORT_TYPE_PORT_RIGHTS) || de->obj == NULL)
		return false;
	dp = de->obj;
	if (dp->active && mk_port_violates_reply_semantics(dp, rp)) {
		mk_guard_exception(s, MP_GUARD_EXC_REQUIRE_REPLY_PORT_SEMANTICS, reply, 0);
		return true;
	}
	return false;
}

/* The destination copyin (ipc_right_copyin with the header's rules): any
 * failure is MACH_SEND_INVALID_DEST. A dead send-once destination without a
 * dead-name request is accepted (IPC_OBJECT_COPYIN_FLAGS_ALLOW_DEAD_SEND_ONCE)
 * and consumed; the message is then discarded at enqueue. */
static mp_kr_t copyin_dest(mp_kspace_t *s, mp_port_name_t name, uint32_t disp, mk_right_t *out)
{
	mk_entry_t *e = mk_lookup(s, name);

	if (e == NULL)
		return MP_MACH_SEND_INVALID_DEST;
	if (disp == MP_MSG_TYPE_MOVE_SEND_ONCE && e->type == MP_PORT_TYPE_SEND_ONCE &&
	    !((mk_port_t *)e->obj)->active && !e->dn_registered) {
		mk_port_t *p = e->obj;
		mk_entry_free(s, name);
		p->sorights--;
		mk_port_unref(p);
		*out = (mk_right_t){ MK_PORT_DEAD, MP_MSG_TYPE_PORT_SEND_ONCE };
		return MP_MACH_MSG_SUCCESS;
	}
	/* the destination may be a reply port's send-once right (made or
	 * moved): IPC_OBJECT_COPYIN_FLAGS_ALLOW_REPLY_MAKE/MOVE_SEND_ONCE */
	if (mk_copyin_right_flags(s, name, disp, false,
				  MK_COPYIN_ALLOW_REPLY_MAKE_SEND_ONCE | MK_COPYIN_ALLOW_REPLY_MOVE_SEND_ONCE,
				  out) != MP_KERN_SUCCESS)
		return MP_MACH_SEND_INVALID_DEST;
	return MP_MACH_MSG_SUCCESS;
}

/* The reply copyin: a reply port may be made a send-once right
 * (IPC_OBJECT_COPYIN_FLAGS_ALLOW_REPLY_MAKE_SEND_ONCE). */
static mp_kr_t copyin_reply(mp_kspace_t *s, mp_port_name_t name, uint32_t disp, mk_right_t *out)
{
	return mk_copyin_right_flags(s, name, disp, true, MK_COPYIN_ALLOW_REPLY_MAKE_SEND_ONCE, out);
}

/* ipc_kmsg_copyin_header's rights phase (§6.2, §10.1). */
static mp_kr_t copyin_header(mp_kspace_t *s, const mp_msg_view_t *v, mk_kmsg_t *m)
{
	uint32_t ddisp = v->remote_disposition, rdisp = v->local_disposition;
	mp_port_name_t dest = v->remote, reply = v->local;
	bool reply_valid = rdisp != 0 && MP_PORT_VALID(reply);
	mp_kr_t kr;

	/* Voucher: with 17/19 a valid name must be a kernel voucher object;
	 * this kernel has none (§6.2). A NULL name is accepted (§10.2). */
	if (v->voucher_disposition != 0 && MP_PORT_VALID(v->voucher))
		return MP_MACH_SEND_INVALID_VOUCHER;

	/* The destination entry is looked up before the reply entry (§10.1). */
	if (mk_lookup(s, dest) == NULL)
		return MP_MACH_SEND_INVALID_DEST;
	if (reply_valid && dest != reply && !reply_ok(s, reply, rdisp))
		return MP_MACH_SEND_INVALID_REPLY;
	if (reply_valid && reply_ok(s, reply, rdisp) && reply_port_rules_broken(s, dest, reply, rdisp))
		return MP_MACH_SEND_INVALID_REPLY;

	if (reply_valid && dest == reply) {
		/* One entry, two rights (ipc_right_copyin_two). MAKE_* are
		 * copied in one after the other; otherwise a joint copyin:
		 * MOVE+MOVE needs two urefs (voucher_entry_18826844.c). */
		mk_entry_t *e = mk_lookup(s, dest);
		if (ddisp != MP_MSG_TYPE_MAKE_SEND && ddisp != MP_MSG_TYPE_MAKE_SEND_ONCE &&
		    rdisp != MP_MSG_TYPE_MAKE_SEND && rdisp != MP_MSG_TYPE_MAKE_SEND_ONCE) {
			mk_right_check(s, dest, e);
			if (!(e->type & MP_PORT_TYPE_SEND))
				return MP_MACH_SEND_INVALID_DEST;
			if (ddisp == MP_MSG_TYPE_MOVE_SEND && rdisp == MP_MSG_TYPE_MOVE_SEND &&
			    e->urefs < 2)
				return MP_MACH_SEND_INVALID_DEST;
			/* copies first, so MOVE+COPY consumes the last uref */
			if (ddisp == MP_MSG_TYPE_COPY_SEND) {
				(void)mk_copyin_right(s, dest, ddisp, false, &m->dest);
				(void)mk_copyin_right(s, reply, rdisp, false, &m->reply);
			} else {
				(void)mk_copyin_right(s, reply, rdisp, false, &m->reply);
				(void)mk_copyin_right(s, dest, ddisp, false, &m->dest);
			}
			return MP_MACH_MSG_SUCCESS;
		}
		if ((ddisp == MP_MSG_TYPE_MAKE_SEND || ddisp == MP_MSG_TYPE_MAKE_SEND_ONCE) &&
		    !(e->type & MP_PORT_TYPE_RECEIVE))
			return MP_MACH_SEND_INVALID_DEST;
		if ((rdisp == MP_MSG_TYPE_MAKE_SEND || rdisp == MP_MSG_TYPE_MAKE_SEND_ONCE) &&
		    !(e->type & MP_PORT_TYPE_RECEIVE))
			return MP_MACH_SEND_INVALID_REPLY;
		if (is_send_disp(rdisp) || is_send_disp(ddisp)) {
			/* MAKE + MOVE/COPY_SEND: the send right must be live and,
			 * for the reply, moved after the destination's make */
			mk_right_check(s, dest, e);
			if (!(e->type & MP_PORT_TYPE_SEND))
				return is_send_disp(ddisp) ? MP_MACH_SEND_INVALID_DEST
							   : MP_MACH_SEND_INVALID_REPLY;
		}
		kr = copyin_dest(s, dest, ddisp, &m->dest);
		if (kr != MP_MACH_MSG_SUCCESS)
			return kr;
		if (copyin_reply(s, reply, rdisp, &m->reply) != MP_KERN_SUCCESS) {
			mk_release_right(m->dest);
			m->dest = (mk_right_t){ NULL, 0 };
			return MP_MACH_SEND_INVALID_REPLY;
		}
		return MP_MACH_MSG_SUCCESS;
	}

	kr = copyin_dest(s, dest, ddisp, &m->dest);
	if (kr != MP_MACH_MSG_SUCCESS)
		return kr;
	if (reply_valid) {
		if (copyin_reply(s, reply, rdisp, &m->reply) != MP_KERN_SUCCESS) {
			mk_release_right(m->dest); /* cannot happen after reply_ok */
			m->dest = (mk_right_t){ NULL, 0 };
			return MP_MACH_SEND_INVALID_REPLY;
		}
	} else if (rdisp != 0) {
		/* NULL or DEAD with a disposition passes through (§6.2) */
		m->reply.port = reply == MP_PORT_DEAD ? MK_PORT_DEAD : NULL;
		m->reply.type = mp_msg_type_copyin(rdisp);
	}
	return MP_MACH_MSG_SUCCESS;
}

/* ipc_kmsg_copyin_header: a refused voucher or reply right raises
 * kGUARD_EXC_SEND_INVALID_VOUCHER / _REPLY on its name. */
static void raise_header_exception(mp_kspace_t *s, const mp_msg_view_t *v, mp_kr_t kr)
{
	if (kr == MP_MACH_SEND_INVALID_VOUCHER)
		mk_guard_exception(s, MP_GUARD_EXC_SEND_INVALID_VOUCHER, v->voucher, 0);
	else if (kr == MP_MACH_SEND_INVALID_REPLY)
		mk_guard_exception(s, MP_GUARD_EXC_SEND_INVALID_REPLY, v->local, 0);
}

/* ipc_port_check_circularity: would the receive right of `r`, travelling to
 * `dest`, end up inside its own queue? The walk follows the chain of
 * messages holding receive rights in transit. A message already marked
 * CIRCULAR holds its own destination, so its chain loops: the walk is
 * bounded by the number of ports. */
bool mk_port_circular(mp_kern_t *k, mk_port_t *r, mk_port_t *dest)
{
	uint32_t steps = 0;
	for (mk_port_t *x = dest; MK_IS_PORT(x) && steps <= k->nports; steps++) {
		if (x == r)
			return true;
		if (x->in_transit == NULL)
			return false;
		x = x->in_transit->dest.port;
	}
	return steps > k->nports; /* a loop: already circular */
}

/* One right of a descriptor (ipc_kmsg_copyin_port_descriptor's copyin):
 * a receive right in flight is marked so, and a message that would carry
 * its own destination's receive right is CIRCULAR. */
static mp_kr_t copyin_port(mp_kspace_t *s, mk_kmsg_t *m, mp_port_name_t name, uint32_t disp,
			   mk_right_t *out)
{
	mp_kr_t kr;

	if (!MP_PORT_VALID(name)) {
		/* NULL and DEAD pass with any disposition (§6.3) */
		out->port = name == MP_PORT_DEAD ? MK_PORT_DEAD : NULL;
		out->type = mp_msg_type_copyin(disp);
		return MP_MACH_MSG_SUCCESS;
	}
	if (!mp_msg_type_is_right(disp))
		return MP_MACH_SEND_INVALID_RIGHT;
	kr = mk_copyin_right(s, name, disp, true, out);
	if (kr != MP_KERN_SUCCESS) {
		/* ipc_kmsg_copyin_port_descriptor and its ool_ports and
		 * guarded kin: only KERN_INVALID_RIGHT raises */
		if (kr == MP_KERN_INVALID_RIGHT)
			mk_guard_exception(s, MP_GUARD_EXC_SEND_INVALID_RIGHT, name, 0);
		return MP_MACH_SEND_INVALID_RIGHT;
	}
	if (out->type == MP_MSG_TYPE_PORT_RECEIVE) {
		out->port->in_transit = m;
		if (!m->circular && mk_port_circular(s->k, out->port, m->dest.port))
			m->circular = true;
	}
	return MP_MACH_MSG_SUCCESS;
}

/* A guarded port descriptor (ipc_kmsg_copyin_guarded_port_descriptor). */
static mp_kr_t copyin_guarded_desc(mp_kspace_t *s, mk_kmsg_t *m, mk_kdesc_t *kd)
{
	const mp_desc_t *d = &kd->d;
	mp_kr_t kr;

	if (MP_PORT_VALID(d->name)) {
		/* ipc_right_copyin_check_guard_locked */
		mk_entry_t *e = mk_lookup(s, d->name);
		mk_port_t *p;
		if (e == NULL)
			return MP_MACH_SEND_INVALID_RIGHT; /* KERN_INVALID_NAME: no exception */
		if (!(e->type & MP_PORT_TYPE_RECEIVE)) {
			mk_guard_exception(s, MP_GUARD_EXC_SEND_INVALID_RIGHT, d->name, 0);
			return MP_MACH_SEND_INVALID_RIGHT;
		}
		p = e->obj;
		/* ipc_right_copyin refuses an immovable receive right (IMMOVABLE,
		 * raised by mk_copyin_right below) before it checks the guard */
		if (!p->immovable_receive &&
		    !((d->flags & MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND) && !p->guarded && d->context == 0) &&
		    !(p->guarded && p->context == d->context)) {
			mk_guard_exception(s, MP_GUARD_EXC_INCORRECT_GUARD, d->name, p->context);
			return MP_MACH_SEND_INVALID_RIGHT;
		}
	}
	kr = copyin_port(s, m, d->name, d->disposition, &kd->right);
	if (kr != MP_MACH_MSG_SUCCESS)
		return kr;
	/* set in flight, cleared on copyout (§6.3) */
	kd->d.flags |= MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND;
	return MP_MACH_MSG_SUCCESS;
}

/* An OOL ports descriptor (ipc_kmsg_copyin_ool_ports_descriptor): the names
 * read from the sender's memory, then each right; a failure destroys this
 * array's rights so far. The descriptor keeps the carried type. */
static mp_kr_t copyin_ool_ports_desc(mp_kspace_t *s, mk_kmsg_t *m, mk_kdesc_t *kd)
{
	uint32_t n = kd->d.length, disp = kd->d.disposition;
	uint64_t address = kd->d.address;
	mp_port_name_t *names = NULL;
	mp_kr_t kr;

	if (n > 0) {
		names = malloc((size_t)n * sizeof(*names));
		kd->ports = calloc(n, sizeof(*kd->ports));
		if (names == NULL || kd->ports == NULL) {
			free(names);
			return MP_MACH_SEND_NO_BUFFER;
		}
		if (mk_vm_copyin(s, address, names, (uint64_t)n * sizeof(*names)) != 0) {
			free(names);
			return MP_MACH_SEND_INVALID_MEMORY;
		}
		if (kd->d.deallocate)
			mk_vm_deallocate(s, address, (uint64_t)n * sizeof(*names));
	}
	for (uint32_t j = 0; j < n; j++) {
		kr = copyin_port(s, m, names[j], disp, &kd->ports[j]);
		if (kr != MP_MACH_MSG_SUCCESS) {
			for (uint32_t q = 0; q < j; q++) {
				if (kd->ports[q].type == MP_MSG_TYPE_PORT_RECEIVE &&
				    MK_IS_PORT(kd->ports[q].port))
					kd->ports[q].port->in_transit = NULL;
				mk_release_right(kd->ports[q]);
			}
			free(kd->ports);
			kd->ports = NULL;
			free(names);
			return kr;
		}
	}
	free(names);
	kd->d.disposition = n > 0 ? kd->ports[0].type : mp_msg_type_copyin(disp);
	for (uint32_t j = 0; j < n; j++)
		if (kd->ports[j].type != 0)
			kd->d.disposition = kd->ports[j].type;
	return MP_MACH_MSG_SUCCESS;
}

/* An OOL or OOL_VOLATILE descriptor (ipc_kmsg_copyin_ool_descriptor): a
 * kernel copy of the region, counted as a region until it is copied out. */
static mp_kr_t copyin_ool_desc(mp_kspace_t *s, mk_kdesc_t *kd)
{
	uint32_t len = kd->d.length;

	if (len == 0)
		return MP_MACH_MSG_SUCCESS;
	kd->data = malloc(len);
	if (kd->data == NULL)
		return MP_MACH_MSG_VM_KERNEL;
	if (mk_vm_copyin(s, kd->d.address, kd->data, len) != 0) {
		free(kd->data);
		kd->data = NULL;
		return MP_MACH_SEND_INVALID_MEMORY;
	}
	s->k->nregions++;
	s->k->vm_bytes += len;
	/* deallocate removes the region from the sender, page-rounded, even
	 * for a physical copy (§6.3) */
	if (kd->d.deallocate)
		mk_vm_deallocate(s, kd->d.address, len);
	return MP_MACH_MSG_SUCCESS;
}

/* ipc_kmsg_copyin_body, descriptor by descriptor. On failure at k the
 * caller destroys what was copied in (class C). */
static mp_kr_t copyin_body(mp_kspace_t *s, mk_kmsg_t *m, const mp_msg_view_t *v, uint32_t *done)
{
	mp_desc_iter_t it;
	mp_desc_t d;
	uint32_t i = 0;
	mp_kr_t kr;

	mp_desc_iter_init(&it, v);
	while (mp_desc_next(&it, &d)) {
		mk_kdesc_t *kd = &m->desc[i];
		kd->d = d;
		*done = i;
		switch (d.type) {
		case MP_MSG_PORT_DESCRIPTOR:
			kr = copyin_port(s, m, d.name, d.disposition, &kd->right);
			break;
		case MP_MSG_GUARDED_PORT_DESCRIPTOR:
			kr = copyin_guarded_desc(s, m, kd);
			break;
		case MP_MSG_OOL_PORTS_DESCRIPTOR:
			kr = copyin_ool_ports_desc(s, m, kd);
			break;
		default: /* OOL, OOL_VOLATILE */
			kr = copyin_ool_desc(s, kd);
			break;
		}
		if (kr != MP_MACH_MSG_SUCCESS)
			return kr;
		i++;
	}
	*done = i;
	return MP_MACH_MSG_SUCCESS;
}

/* The rights of descriptors 0..n-1 (and k's partial state) go (class C). */
static void destroy_partial(mp_kern_t *k, mk_kmsg_t *m, uint32_t n)
{
	m->ndesc = n;
	mk_kmsg_destroy(k, m);
}

/*
 * ipc_mqueue_send_locked (§6.5): `m` goes on its live destination's queue,
 * waiting for room unless it is full for good or the send may not wait; a
 * send that ends without room gives the message back (pseudo-receive, class
 * D), one whose destination died meanwhile loses it (class E).
 */
static mp_kr_t mqueue_send(mp_kspace_t *s, mk_kmsg_t *m, void *msg, uint64_t uaddr, uint32_t option,
			   uint32_t timeout_ms, bool send_always)
{
	mp_kern_t *k = s->k;
	mk_port_t *dest = m->dest.port;

	for (;;) {
		bool sonce = m->dest.type == MP_MSG_TYPE_PORT_SEND_ONCE;
		int rc;

		if (!dest->active) {
			mk_kmsg_destroy(k, m); /* died while we waited: class E */
			return MP_MACH_MSG_SUCCESS;
		}
		if ((dest->msgcount < dest->qlimit || sonce || send_always) &&
		    dest->msgcount < MP_PORT_QLIMIT_KERNEL) {
			mk_kmsg_enqueue(m);
			return MP_MACH_MSG_SUCCESS;
		}
		if (dest->msgcount >= MP_PORT_QLIMIT_KERNEL)
			return mk_pseudo_receive(s, m, msg, uaddr, MP_MACH_SEND_NO_BUFFER);
		if ((option & MP_MACH_SEND_TIMEOUT) && timeout_ms == 0)
			return mk_pseudo_receive(s, m, msg, uaddr, MP_MACH_SEND_TIMED_OUT);
		dest->waiters++;
		mk_port_ref(dest);
		rc = mk_msg_wait(k, &dest->snd_cv, (option & MP_MACH_SEND_TIMEOUT) != 0, timeout_ms);
		dest->waiters--;
		mk_port_unref(dest);
		if (!s->active) {
			/* the sending task died while it waited (XNU aborts the
			 * thread): nowhere to pseudo-receive into */
			mk_kmsg_destroy(k, m);
			return MP_MACH_SEND_INTERRUPTED;
		}
		if (rc == ETIMEDOUT && dest->active &&
		    !(dest->msgcount < dest->qlimit && dest->msgcount < MP_PORT_QLIMIT_KERNEL))
			return mk_pseudo_receive(s, m, msg, uaddr, MP_MACH_SEND_TIMED_OUT);
	}
}

/* The request slot of the destination entry is in use (ie_request), as
 * ipc_kmsg_copyin_header reads it before the copyin may consume it. */
static bool dest_entry_has_request(mp_kspace_t *s, mp_port_name_t dest)
{
	mk_entry_t *e = mk_lookup(s, dest);

	return e != NULL && e->dn_notify != NULL;
}

/*
 * MACH_SEND_NOTIFY (ipc_kmsg_copyin_header), for a send whose destination
 * entry holds a request and carries a send (not send-once) right to a live
 * port: on a full queue the entry's send-possible request is armed
 * (ipc_port_request_sparm; nothing if it is a dead-name request or went
 * with the moved right) and the send goes on as usual; on a queue with room
 * the send is forced through (MACH64_SEND_ALWAYS: the queue limit is
 * ignored). Returns whether the send is forced.
 */
static bool send_notify(mp_kspace_t *s, mp_port_name_t dest_name, mk_kmsg_t *m)
{
	mk_port_t *dest = m->dest.port;
	mk_entry_t *e;

	if (m->dest.type == MP_MSG_TYPE_PORT_SEND_ONCE || !MK_IS_PORT(dest) || !dest->active)
		return false;
	if (dest->msgcount < dest->qlimit)
		return true;
	e = mk_lookup(s, dest_name);
	if (e != NULL && e->obj == dest && e->dn_notify != NULL && e->sp_request) {
		e->sp_armed = true;
		dest->sprequests = true;
	}
	return false;
}

mp_kr_t mk_msg_send(mp_kspace_t *s, void *msg, uint64_t uaddr, uint32_t option, uint32_t send_size,
		    uint32_t timeout_ms)
{
	return mk_msg_send2(s, msg, uaddr, option, send_size, timeout_ms, NULL);
}

/*
 * ipc_policy.c:ipc_validate_kmsg_dest_from_user, for mach_msg2 only (the
 * legacy trap has no such check): every port of this kernel is a message
 * queue, which XNU sends to only with MACH64_SEND_MQ_CALL (MACH64_SEND_ANY
 * skips the check on macOS). Anything else (KOBJECT_CALL, DK_CALL) raises
 * kGUARD_EXC_INVALID_OPTIONS (target 0, payload the options) and fails with
 * MACH_SEND_INVALID_OPTIONS after the header rights were copied in: the
 * caller destroys them (class B).
 */
static bool dest_kind_ok(mp_kspace_t *s, const mk_send2_t *x)
{
	if (x == NULL || (x->options & (MP_MACH64_SEND_MQ_CALL | MP_MACH64_SEND_ANY)))
		return true;
	mk_guard_exception(s, MP_GUARD_EXC_INVALID_OPTIONS, 0, x->options);
	return false;
}

/* ipc_kmsg_get_and_inflate_from_user's aux copy: the kernel writes the
 * header itself (msgdh_size = the aux send size, msgdh_reserved = 0) and
 * copies the payload after it; the user's first 8 bytes are ignored. */
static bool attach_aux(mk_kmsg_t *m, const mk_send2_t *x)
{
	if (x == NULL || x->aux_size == 0)
		return true;
	m->aux = malloc(x->aux_size);
	if (m->aux == NULL)
		return false;
	mp_store_le32(m->aux + offsetof(mp_msg_aux_header_t, msgdh_size), x->aux_size);
	mp_store_le32(m->aux + offsetof(mp_msg_aux_header_t, msgdh_reserved), 0);
	memcpy(m->aux + sizeof(mp_msg_aux_header_t), x->aux + sizeof(mp_msg_aux_header_t),
	       x->aux_size - sizeof(mp_msg_aux_header_t));
	m->aux_size = x->aux_size;
	return true;
}

mp_kr_t mk_msg_send2(mp_kspace_t *s, void *msg, uint64_t uaddr, uint32_t option, uint32_t send_size,
		     uint32_t timeout_ms, const mk_send2_t *x)
{
	mp_kern_t *k = s->k;
	mp_msg_view_t v;
	mp_diag_t diag;
	mp_err_t err;
	mk_kmsg_t *m;
	mp_kr_t kr;
	uint32_t done = 0;
	mk_port_t *dest;
	bool dest_had_request, send_always = false;

	/* Steps 1-11: the shape rules live in lib/msg (DESIGN: one rule, one place). */
	err = mp_parse_send(&v, msg, send_size, &diag);
	if (err != MP_OK)
		return mp_err_mach_send(err);
	if (!s->active)
		return MP_MACH_SEND_INVALID_DEST;

	m = mk_kmsg_new(k, send_size);
	if (m == NULL)
		return MP_MACH_SEND_NO_BUFFER;
	memcpy(m->body, msg, send_size);
	if (!attach_aux(m, x)) {
		mk_kmsg_destroy(k, m);
		return MP_MACH_SEND_NO_BUFFER;
	}
	m->id = v.id;
	m->sender = s->id;
	m->ndesc = 0;
	if (v.desc_count > 0) {
		m->desc = calloc(v.desc_count, sizeof(*m->desc));
		if (m->desc == NULL) {
			mk_kmsg_destroy(k, m);
			return MP_MACH_SEND_NO_BUFFER;
		}
	}

	/* Step 12: header rights (class A on failure). */
	dest_had_request = (option & MP_MACH_SEND_NOTIFY) && dest_entry_has_request(s, v.remote);
	kr = copyin_header(s, &v, m);
	raise_header_exception(s, &v, kr);
	if (kr != MP_MACH_MSG_SUCCESS) {
		mk_kmsg_destroy(k, m);
		return kr;
	}
	if (dest_had_request)
		send_always = send_notify(s, v.remote, m);
	if (!dest_kind_ok(s, x)) {
		mk_kmsg_destroy(k, m); /* the header rights go (class B) */
		return MP_MACH_SEND_INVALID_OPTIONS;
	}
	m->voucher_raw = v.voucher_disposition == 0 ? v.voucher : 0;
	/* ipc_kmsg_copyin_header rewrites the bits to the carried types; a
	 * voucher disposition with a NULL name keeps its raw value (§10.2). */
	m->bits = (v.bits & ~MP_MSGH_BITS_PORTS_MASK) |
		  MP_MSGH_BITS_SET_PORTS(m->dest.type, m->reply.type, v.voucher_disposition);

	/* Step 17: body (class C on failure). */
	if (v.complex) {
		kr = copyin_body(s, m, &v, &done);
		if (kr != MP_MACH_MSG_SUCCESS) {
			/* descriptor `done` failed: it was rolled back already
			 * except for OOL data it may hold */
			destroy_partial(k, m, done + 1);
			return kr;
		}
		m->ndesc = v.desc_count;
	}

	/* Class E: CIRCULAR, or a destination that is dead by now. */
	dest = m->dest.port;
	if (m->circular || !MK_IS_PORT(dest) || !dest->active) {
		mk_kmsg_destroy(k, m);
		return MP_MACH_MSG_SUCCESS;
	}

	/* Step 18: the enqueue (§6.5). */
	return mqueue_send(s, m, msg, uaddr, option, timeout_ms, send_always);
}
