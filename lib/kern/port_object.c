/*
 * lib/kern/port_object.c: the port object (XNU: ipc_port.c): allocation,
 * object references, the send and send-once rights counted on it
 * (ipc_port_copy_send, ipc_port_release_send, ipc_port_release_sonce,
 * ipc_object_destroy), its death (ipc_port_destroy, or its port-destroyed
 * notification) and its send-possible requests firing (ipc_port_spnotify).
 * The notifications
 * these fire are notify.c's; rights in entries are right.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/kern/kern_internal.h"

mk_port_t mk_port_dead_marker;

mk_port_t *mk_port_new(mp_kern_t *k)
{
	mk_port_t *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->k = k;
	p->active = true;
	p->qlimit = MP_PORT_QLIMIT_DEFAULT; /* ipc_port_init: MACH_PORT_QLIMIT_DEFAULT */
	p->serial = ++k->next_serial;
	pthread_cond_init(&p->rcv_cv, NULL);
	pthread_cond_init(&p->snd_cv, NULL);
	p->all_next = k->ports;
	if (k->ports)
		k->ports->all_prev = p;
	k->ports = p;
	k->nports++;
	return p;
}

void mk_port_ref(mk_port_t *p)
{
	p->refs++;
}

void mk_port_unref(mk_port_t *p)
{
	mp_kern_t *k = p->k;

	if (--p->refs != 0)
		return;
	/* Nothing refers to it: no right exists, so it must be dead. */
	if (p->all_prev)
		p->all_prev->all_next = p->all_next;
	else
		k->ports = p->all_next;
	if (p->all_next)
		p->all_next->all_prev = p->all_prev;
	k->nports--;
	pthread_cond_destroy(&p->rcv_cv);
	pthread_cond_destroy(&p->snd_cv);
	free(p->psets);
	free(p);
}

void mk_take_send(mk_port_t *p)
{
	p->srights++;
	p->refs++;
}

void mk_take_sonce(mk_port_t *p)
{
	p->sorights++;
	p->refs++;
}

void mk_wake_port(mk_port_t *p)
{
	pthread_cond_broadcast(&p->rcv_cv);
	for (uint32_t i = 0; i < p->npsets; i++)
		pthread_cond_broadcast(&p->psets[i]->rcv_cv);
}

/*
 * ipc_port_release_send: the last send right of a live port fires the
 * registered no-senders request (§7.3), whose message carries mscount.
 */
void mk_release_send(mk_port_t *p)
{
	p->srights--;
	if (p->srights == 0 && p->active && p->nsrequest != NULL) {
		mk_port_t *notify = p->nsrequest;
		p->nsrequest = NULL;
		mk_notify_no_senders(notify, p->mscount);
	}
	mk_port_unref(p);
}

/* A send-once right destroyed unused: MACH_NOTIFY_SEND_ONCE to its port if
 * it lives (ipc_notify_send_once), which consumes the right. */
void mk_release_sonce(mk_port_t *p)
{
	if (!p->active) {
		p->sorights--;
		mk_port_unref(p);
		return;
	}
	mk_notify_send_once(p);
}

void mk_release_right(mk_right_t r)
{
	if (!MK_IS_PORT(r.port))
		return;
	switch (r.type) {
	case MP_MSG_TYPE_PORT_SEND:
		mk_release_send(r.port);
		break;
	case MP_MSG_TYPE_PORT_SEND_ONCE:
		mk_release_sonce(r.port);
		break;
	case MP_MSG_TYPE_PORT_RECEIVE:
		mk_release_receive(r.port);
		break;
	default:
		break;
	}
}

/*
 * ipc_port_clear_receiver: a receive right leaving its space (§6.3 "Any
 * MOVE_RECEIVE", or a port-destroyed notification): mscount, seqno and
 * context reset, guard and immovability cleared, out of every port set; a
 * receiver blocked on it sees the change.
 */
void mk_port_clear_receiver(mk_port_t *p)
{
	p->receiver = NULL;
	p->receiver_name = 0;
	p->mscount = 0;
	p->seqno = 0;
	p->context = 0;
	p->guarded = false;
	p->strict_guard = false;
	p->immovable_receive = false;
	p->changes++;
	mk_port_leave_psets(p);
	mk_wake_port(p);
}

/*
 * ipc_port_destroy with ip_pdrequest set: the request is consumed and the
 * port lives on. ipc_port_clear_receiver(port, active=TRUE) resets it as a
 * receive right leaving its space does: out of every set, blocked receivers
 * woken (MACH_RCV_PORT_CHANGED), mscount, seqno and context 0, guard, strict
 * and immovable-receive cleared. Queued messages and the no-senders,
 * dead-name and send-possible requests stay. The receive right (the
 * caller's reference) then travels in MACH_NOTIFY_PORT_DESTROYED
 * (ipc_notify_port_destroyed).
 */
static void port_destroyed(mk_port_t *p)
{
	mk_port_t *notify = p->pdrequest;

	p->pdrequest = NULL;
	p->in_transit = NULL;
	mk_port_clear_receiver(p);
	mk_notify_port_destroyed(notify, p);
}

/*
 * ipc_port_spnotify (from ipc_kmsg_copyout_header): a message was received
 * from `p`, so every armed send-possible request on it fires with the name
 * its requester registered; unarmed ones stay. A fired request's slot keeps
 * no right: the entry no longer reports a request (ipc_port_request_type).
 */
void mk_port_spnotify(mk_port_t *p)
{
	if (!p->sprequests)
		return;
	p->sprequests = false;
	for (mp_kspace_t *s = p->k->spaces; s != NULL; s = s->all_next) {
		for (uint32_t i = 1; i < s->cap; i++) {
			mk_entry_t *e = &s->table[i];
			if (e->obj == p && e->dn_notify != NULL && e->sp_request && e->sp_armed) {
				mk_port_t *n = e->dn_notify;
				e->dn_notify = NULL;
				e->dn_registered = false;
				e->sp_request = e->sp_armed = false;
				mk_notify_send_possible(n, MP_PORT_MAKE(i, e->gen));
			}
		}
	}
}

/*
 * ipc_port_destroy (§7.2), for a receive right that is being destroyed
 * wherever it was (an entry, a message, a dying space). The caller has
 * already detached the right from its holder; this consumes the holder's
 * object reference.
 */
void mk_release_receive(mk_port_t *p)
{
	mp_kern_t *k = p->k;
	mk_kmsg_t *m;

	if (p->pdrequest != NULL) {
		port_destroyed(p);
		return;
	}
	p->active = false;
	p->receiver = NULL;
	p->receiver_name = 0;
	p->in_transit = NULL;
	p->changes++;
	mk_port_leave_psets(p);
	/* 4. blocked receivers get MACH_RCV_PORT_CHANGED; blocked senders
	 * return (their message is destroyed: class E) */
	mk_wake_port(p);
	pthread_cond_broadcast(&p->snd_cv);
	/* 5. the no-senders request's send-once right is destroyed, which
	 * yields MACH_NOTIFY_SEND_ONCE to the notify port */
	if (p->nsrequest != NULL) {
		mk_port_t *ns = p->nsrequest;
		p->nsrequest = NULL;
		mk_release_sonce(ns);
	}
	/* 6. dead-name notifications to every entry that asked for one, a
	 * send-possible request too, armed or not (ipc_port_dnnotify sends
	 * MACH_NOTIFY_DEAD_NAME for every request); the entries stay
	 * (converted lazily by mk_right_check) */
	p->sprequests = false;
	for (mp_kspace_t *s = p->dnrequests ? k->spaces : NULL; s != NULL; s = s->all_next) {
		for (uint32_t i = 1; i < s->cap; i++) {
			mk_entry_t *e = &s->table[i];
			if (e->obj == p && e->dn_notify != NULL) {
				mk_port_t *n = e->dn_notify;
				e->dn_notify = NULL;
				mk_notify_dead_name(n, MP_PORT_MAKE(i, e->gen));
			}
		}
	}
	/* 3. queued messages are destroyed, releasing their rights */
	while ((m = mk_kmsg_dequeue(p)) != NULL)
		mk_kmsg_destroy(k, m);
	mk_port_unref(p);
}

/*
 * ipc_port_init's marks (xnu-11417 ipc_port.c, from mach_port_construct's
 * IPC_PORT_INIT_* flags). MPO_REPLY_PORT is a real reply port, with an
 * immovable receive right, only in a hardened task
 * (task_is_hardened_binary); in any other task it is a provisional reply
 * port, an ordinary port that only satisfies ENFORCE_REPLY_PORT_SEMANTICS
 * destinations ("strict enforcement ... disabled for 3p"). The
 * -provisional_reply_port_enforced boot-arg is off, so
 * MPO_PROVISIONAL_REPLY_PORT is always provisional. MPO_EXCEPTION_PORT's
 * receive right is immovable for everyone. The caller checked that at most
 * one of these flags is set.
 */
void mk_port_init_mark(mp_kspace_t *s, mk_port_t *p, uint32_t mpo_flags)
{
	if (mpo_flags & MP_MPO_REPLY_PORT) {
		if (s->hardened) {
			p->mark = MK_PORT_MARK_REPLY;
			p->immovable_receive = true;
		} else {
			p->mark = MK_PORT_MARK_PROVISIONAL_REPLY;
		}
	} else if (mpo_flags & MP_MPO_PROVISIONAL_REPLY_PORT) {
		p->mark = MK_PORT_MARK_PROVISIONAL_REPLY;
	} else if (mpo_flags & MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS) {
		p->mark = MK_PORT_MARK_ENFORCE_REPLY;
	} else if (mpo_flags & MP_MPO_EXCEPTION_PORT) {
		p->mark = MK_PORT_MARK_EXCEPTION;
		p->immovable_receive = true;
	}
}

/* ip_is_reply_port (ipc_port.h). */
bool mk_port_is_reply(const mk_port_t *p)
{
	return p->mark == MK_PORT_MARK_REPLY;
}

/* ip_violates_reply_port_semantics (ipc_port.c): the tunable
 * reply_port_semantics is on by default, so a violation refuses the send.
 * The rigid rule (kernel-object destinations) has no case here. */
bool mk_port_violates_reply_semantics(const mk_port_t *dest, const mk_port_t *reply)
{
	return dest->mark == MK_PORT_MARK_ENFORCE_REPLY && reply->mark != MK_PORT_MARK_REPLY &&
	       reply->mark != MK_PORT_MARK_PROVISIONAL_REPLY;
}
