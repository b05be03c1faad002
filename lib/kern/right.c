/*
 * lib/kern/right.c: rights and entries (XNU: ipc_right.c, ipc_object.c):
 * taking a right out of a space (ipc_right_copyin, ipc_object_copyin),
 * putting one in (ipc_right_copyout, §6.8; ipc_object_copyout_name for
 * mach_port_insert_right's exact name), converting an entry whose port
 * died into a dead name (ipc_right_check), and cancelling an entry's
 * dead-name request (its port-deleted notification is notify.c's).
 */
#include "lib/kern/kern_internal.h"

/* The request on an entry that is going away: its send-once right gets
 * MACH_NOTIFY_PORT_DELETED (ipc_right_copyin_cleanup_destroy ->
 * ipc_notify_port_deleted). */
void mk_cancel_request(mk_entry_t *e, mp_port_name_t name)
{
	if (e->dn_notify != NULL) {
		mk_port_t *n = e->dn_notify;
		e->dn_notify = NULL;
		mk_notify_port_deleted(n, name);
	}
	e->dn_registered = false;
}

/* Removes `e` from the space; its object reference becomes the caller's. */
static void entry_remove(mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e)
{
	mk_cancel_request(e, name);
	mk_entry_free(s, name);
}

/* One user reference of a send or dead-name entry goes (pegged entries keep
 * 65535: §7.1). Returns true if it was the last. */
static bool uref_drop(mk_entry_t *e)
{
	if (e->urefs == 1)
		return true;
	if (e->urefs < MP_PORT_UREFS_MAX)
		e->urefs--;
	return false;
}

/*
 * ipc_right_copyin for one name and disposition. `body` selects the body
 * rules: a dead name is accepted with COPY_SEND, MOVE_SEND or MOVE_SEND_ONCE
 * and travels as MACH_PORT_DEAD (MOVE takes one dead-name uref).
 * Returns KERN_SUCCESS, KERN_INVALID_NAME, KERN_INVALID_RIGHT or
 * KERN_INVALID_CAPABILITY (an immovable receive right).
 */
mp_kr_t mk_copyin_right(mp_kspace_t *s, mp_port_name_t name, uint32_t disp, bool body,
			mk_right_t *out)
{
	return mk_copyin_right_flags(s, name, disp, body, 0, out);
}

/*
 * ipc_right_copyin's reply-port refusals: a real reply port's right may be
 * made or moved only as a send-once right, and only where the caller allows
 * it (the header's destination and reply); the receive right never moves.
 * Each refusal raises a guard exception on `name` and is
 * KERN_INVALID_CAPABILITY. Returns true if `disp` of `p` is refused.
 */
static bool reply_port_refused(mp_kspace_t *s, mp_port_name_t name, const mk_port_t *p,
			       uint32_t disp, uint32_t flags)
{
	if (!mk_port_is_reply(p))
		return false;
	switch (disp) {
	case MP_MSG_TYPE_MAKE_SEND_ONCE:
		if (flags & MK_COPYIN_ALLOW_REPLY_MAKE_SEND_ONCE)
			return false;
		break;
	case MP_MSG_TYPE_MOVE_SEND_ONCE:
		if (flags & MK_COPYIN_ALLOW_REPLY_MOVE_SEND_ONCE)
			return false;
		break;
	case MP_MSG_TYPE_MOVE_RECEIVE: /* "never move reply port rcv right" */
		mk_guard_exception(s, MP_GUARD_EXC_IMMOVABLE, name, 0);
		return true;
	default: /* MAKE_SEND, COPY_SEND, MOVE_SEND */
		break;
	}
	mk_guard_exception(s, MP_GUARD_EXC_INVALID_RIGHT, name, 0);
	return true;
}

mp_kr_t mk_copyin_right_flags(mp_kspace_t *s, mp_port_name_t name, uint32_t disp, bool body,
			      uint32_t flags, mk_right_t *out)
{
	mk_entry_t *e = mk_lookup(s, name);
	mk_port_t *p;

	out->port = NULL;
	out->type = 0;
	if (e == NULL)
		return MP_KERN_INVALID_NAME;
	switch (disp) {
	case MP_MSG_TYPE_MAKE_SEND:
	case MP_MSG_TYPE_MAKE_SEND_ONCE:
		if (!(e->type & MP_PORT_TYPE_RECEIVE))
			return MP_KERN_INVALID_RIGHT;
		p = e->obj;
		if (reply_port_refused(s, name, p, disp, flags))
			return MP_KERN_INVALID_CAPABILITY;
		if (disp == MP_MSG_TYPE_MAKE_SEND) {
			p->mscount++;
			mk_take_send(p);
			*out = (mk_right_t){ p, MP_MSG_TYPE_PORT_SEND };
		} else {
			mk_take_sonce(p);
			*out = (mk_right_t){ p, MP_MSG_TYPE_PORT_SEND_ONCE };
		}
		return MP_KERN_SUCCESS;

	case MP_MSG_TYPE_MOVE_RECEIVE:
		if (!(e->type & MP_PORT_TYPE_RECEIVE))
			return MP_KERN_INVALID_RIGHT;
		p = e->obj;
		if (reply_port_refused(s, name, p, disp, flags))
			return MP_KERN_INVALID_CAPABILITY;
		if (p->immovable_receive) {
			/* ipc_right_copyin: an immovable receive right raises
			 * kGUARD_EXC_IMMOVABLE (always fatal on XNU) */
			mk_guard_exception(s, MP_GUARD_EXC_IMMOVABLE, name, 0);
			return MP_KERN_INVALID_CAPABILITY;
		}
		if (e->type & MP_PORT_TYPE_SEND) {
			/* the entry keeps its send urefs (XNU marks it EX_RECEIVE) */
			e->type &= ~MP_PORT_TYPE_RECEIVE;
			mk_port_ref(p);
		} else {
			entry_remove(s, name, e);
		}
		mk_port_clear_receiver(p);
		*out = (mk_right_t){ p, MP_MSG_TYPE_PORT_RECEIVE };
		return MP_KERN_SUCCESS;

	case MP_MSG_TYPE_COPY_SEND:
	case MP_MSG_TYPE_MOVE_SEND:
	case MP_MSG_TYPE_MOVE_SEND_ONCE:
		mk_right_check(s, name, e);
		if (e->type & MP_PORT_TYPE_DEAD_NAME) {
			if (!body)
				return MP_KERN_INVALID_RIGHT;
			if (disp != MP_MSG_TYPE_COPY_SEND && uref_drop(e))
				entry_remove(s, name, e);
			*out = (mk_right_t){ MK_PORT_DEAD,
					     disp == MP_MSG_TYPE_MOVE_SEND_ONCE
						     ? MP_MSG_TYPE_PORT_SEND_ONCE
						     : MP_MSG_TYPE_PORT_SEND };
			return MP_KERN_SUCCESS;
		}
		if (disp == MP_MSG_TYPE_MOVE_SEND_ONCE) {
			if (!(e->type & MP_PORT_TYPE_SEND_ONCE))
				return MP_KERN_INVALID_RIGHT;
			p = e->obj;
			if (reply_port_refused(s, name, p, disp, flags))
				return MP_KERN_INVALID_CAPABILITY;
			entry_remove(s, name, e); /* the right and its reference move */
			*out = (mk_right_t){ p, MP_MSG_TYPE_PORT_SEND_ONCE };
			return MP_KERN_SUCCESS;
		}
		if (!(e->type & MP_PORT_TYPE_SEND))
			return MP_KERN_INVALID_RIGHT;
		p = e->obj;
		if (reply_port_refused(s, name, p, disp, flags))
			return MP_KERN_INVALID_CAPABILITY;
		if (disp == MP_MSG_TYPE_COPY_SEND) {
			mk_take_send(p);
		} else if (!uref_drop(e)) {
			mk_take_send(p); /* urefs > 1: a new send right for the message */
		} else if (e->type & MP_PORT_TYPE_RECEIVE) {
			e->type &= ~MP_PORT_TYPE_SEND; /* the entry keeps the receive right */
			e->urefs = 0;
			mk_port_ref(p);
		} else {
			entry_remove(s, name, e); /* the right and its reference move */
		}
		*out = (mk_right_t){ p, MP_MSG_TYPE_PORT_SEND };
		return MP_KERN_SUCCESS;

	default:
		return MP_KERN_INVALID_RIGHT;
	}
}

/*
 * ipc_right_copyout (§6.8): the right lands in `s` under a coalesced or new
 * name. A dead port gives MACH_PORT_DEAD; no room gives MACH_PORT_NULL with
 * the right destroyed and *err |= MACH_MSG_IPC_SPACE.
 */
mp_port_name_t mk_copyout_right(mp_kspace_t *s, mk_right_t r, mp_kr_t *err)
{
	mk_port_t *p = r.port;
	mp_port_name_t name;
	mk_entry_t *e;

	if (p == NULL)
		return MP_PORT_NULL;
	if (p == MK_PORT_DEAD)
		return MP_PORT_DEAD;
	if (!p->active && r.type != MP_MSG_TYPE_PORT_RECEIVE) {
		mk_release_right(r);
		return MP_PORT_DEAD;
	}
	if (!s->active)
		goto no_room;

	switch (r.type) {
	case MP_MSG_TYPE_PORT_SEND:
		name = mk_reverse_lookup(s, p);
		if (name != MP_PORT_NULL) {
			e = mk_lookup(s, name);
			if (e->type & MP_PORT_TYPE_SEND) {
				/* one send right per name: the message's right merges */
				e->urefs = mk_uref_add(e->urefs, 1);
				p->srights--;
				mk_port_unref(p);
			} else {
				e->type |= MP_PORT_TYPE_SEND;
				e->urefs = 1;
				mk_port_unref(p); /* the entry already holds a reference */
			}
			return name;
		}
		if (mk_entry_alloc(s, &name, &e) != MP_KERN_SUCCESS)
			goto no_room;
		e->obj = p;
		e->type = MP_PORT_TYPE_SEND;
		e->urefs = 1;
		return name;

	case MP_MSG_TYPE_PORT_SEND_ONCE:
		if (mk_entry_alloc(s, &name, &e) != MP_KERN_SUCCESS)
			goto no_room;
		e->obj = p;
		e->type = MP_PORT_TYPE_SEND_ONCE;
		e->urefs = 1;
		return name;

	case MP_MSG_TYPE_PORT_RECEIVE:
		p->in_transit = NULL;
		if (!p->active) {
			mk_port_unref(p);
			return MP_PORT_DEAD;
		}
		name = mk_reverse_lookup(s, p);
		if (name != MP_PORT_NULL) {
			e = mk_lookup(s, name);
			e->type |= MP_PORT_TYPE_RECEIVE;
			mk_port_unref(p);
		} else {
			if (mk_entry_alloc(s, &name, &e) != MP_KERN_SUCCESS)
				goto no_room;
			e->obj = p;
			e->type = MP_PORT_TYPE_RECEIVE;
			e->urefs = 0;
		}
		p->receiver = s;
		p->receiver_name = name;
		p->changes++;
		return name;
	default:
		return MP_PORT_NULL;
	}

no_room:
	if (r.type == MP_MSG_TYPE_PORT_RECEIVE)
		p->in_transit = NULL;
	mk_release_right(r);
	if (err != NULL)
		*err |= MP_MACH_MSG_IPC_SPACE;
	return MP_PORT_NULL;
}

/* ipc_object_copyout_name: the right goes under exactly `name`. */
mp_kr_t mk_copyout_right_name(mp_kspace_t *s, mk_right_t r, mp_port_name_t name)
{
	mk_entry_t *e;
	mp_port_name_t oname;
	mp_kr_t kr = mk_entry_name_check(name); /* ipc_entry_alloc_name's checks come first */

	if (kr != MP_KERN_SUCCESS)
		return kr;
	if (r.type != MP_MSG_TYPE_PORT_SEND_ONCE) {
		oname = mk_reverse_lookup(s, r.port);
		if (oname != MP_PORT_NULL && oname != name)
			return MP_KERN_RIGHT_EXISTS;
		if (oname == name) {
			mp_kr_t dummy = 0;
			(void)mk_copyout_right(s, r, &dummy); /* coalesces under `oname` */
			return MP_KERN_SUCCESS;
		}
	}
	kr = mk_entry_alloc_name(s, name, &e);
	if (kr != MP_KERN_SUCCESS)
		return kr; /* NAME_EXISTS (in use), FAILURE (collision) */
	e->obj = r.port;
	e->urefs = r.type == MP_MSG_TYPE_PORT_RECEIVE ? 0 : 1;
	e->type = r.type == MP_MSG_TYPE_PORT_SEND	 ? MP_PORT_TYPE_SEND
		  : r.type == MP_MSG_TYPE_PORT_SEND_ONCE ? MP_PORT_TYPE_SEND_ONCE
							 : MP_PORT_TYPE_RECEIVE;
	if (r.type == MP_MSG_TYPE_PORT_RECEIVE) {
		r.port->in_transit = NULL;
		r.port->receiver = s;
		r.port->receiver_name = name;
	}
	return MP_KERN_SUCCESS;
}

/*
 * ipc_right_check: a send or send-once entry whose port is dead becomes a
 * dead name the first time the kernel looks at it (§7.2). Send urefs are
 * kept, a send-once right becomes 1 uref, +1 if a dead-name request was
 * registered (pegged at MACH_PORT_UREFS_MAX). The port loses the right.
 */
bool mk_right_check(mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e)
{
	mk_port_t *p;
	uint32_t urefs;

	(void)name;
	(void)s;
	if (!(e->type & (MP_PORT_TYPE_SEND | MP_PORT_TYPE_SEND_ONCE)) ||
	    (e->type & MP_PORT_TYPE_RECEIVE))
		return false;
	p = e->obj;
	if (p->active)
		return false;
	if (e->type & MP_PORT_TYPE_SEND_ONCE) {
		urefs = 1;
		p->sorights--;
	} else {
		urefs = e->urefs;
		p->srights--;
	}
	if (e->dn_registered)
		urefs = mk_uref_add(urefs, 1);
	if (e->dn_notify != NULL) {
		mk_release_sonce(e->dn_notify);
		e->dn_notify = NULL;
	}
	e->dn_registered = false;
	e->type = MP_PORT_TYPE_DEAD_NAME;
	e->urefs = (uint16_t)urefs;
	e->obj = NULL;
	mk_port_unref(p);
	return true;
}
