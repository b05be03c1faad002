/*
 * lib/kern/space.c: an IPC space's life (XNU: ipc_space.c, ipc_space_create
 * and ipc_space_terminate; task death): creation, termination with every
 * right it holds, and freeing once its blocked threads have left. Its names
 * and entries are entry.c's.
 */
#include <stdlib.h>

#include "lib/kern/kern_internal.h"

mp_kr_t mp_kern_space_create(mp_kern_t *k, const mp_kern_identity_t *id, mp_kspace_t **out)
{
	mp_kspace_t *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL)
		return MP_KERN_RESOURCE_SHORTAGE;
	s->k = k;
	s->active = true;
	if (id != NULL)
		s->id = *id;
	else
		mp_kern_identity_self(&s->id);
	pthread_mutex_lock(&k->lock);
	s->all_next = k->spaces;
	if (k->spaces)
		k->spaces->all_prev = s;
	k->spaces = s;
	k->nspaces++;
	pthread_mutex_unlock(&k->lock);
	*out = s;
	return MP_KERN_SUCCESS;
}

/*
 * ipc_space_terminate (task death): every right in the space is destroyed
 * as if deallocated (ipc_right_terminate): receive rights die, send rights
 * are released (no-senders may fire), send-once rights fire send-once
 * notifications, port sets go, dead-name requests are cancelled; then the
 * space's memory goes.
 */
static void space_terminate(mp_kspace_t *s)
{
	s->active = false;
	for (uint32_t i = 1; i < s->cap; i++) {
		mk_entry_t *e = &s->table[i];
		mp_port_name_t name = MP_PORT_MAKE(i, e->gen);
		void *obj = e->obj;
		uint32_t type = e->type;

		if (type == 0)
			continue;
		mk_cancel_request(e, name);
		e->obj = NULL;
		e->type = 0;
		if (type & MP_PORT_TYPE_PORT_SET) {
			mk_pset_destroy(obj);
		} else if (type & MP_PORT_TYPE_SEND_ONCE) {
			mk_release_sonce(obj);
		} else if (type & MP_PORT_TYPE_RECEIVE) {
			/* the send right goes after the receive right: with a
			 * port-destroyed request the port lives on and may then
			 * fire its no-senders request (ipc_right_terminate) */
			if (type & MP_PORT_TYPE_SEND)
				mk_port_ref(obj); /* one reference for both */
			mk_release_receive(obj);
			if (type & MP_PORT_TYPE_SEND)
				mk_release_send(obj);
		} else if (type & MP_PORT_TYPE_SEND) {
			mk_release_send(obj); /* may fire no-senders */
		}
	}
	mk_vm_destroy_all(s);
}

/* Wakes every thread blocked in the kernel; each rechecks its space and port. */
static void wake_all(mp_kern_t *k)
{
	for (mk_port_t *p = k->ports; p != NULL; p = p->all_next) {
		pthread_cond_broadcast(&p->rcv_cv);
		pthread_cond_broadcast(&p->snd_cv);
	}
	for (mk_pset_t *ps = k->psets; ps != NULL; ps = ps->all_next)
		pthread_cond_broadcast(&ps->rcv_cv);
}

void mp_kern_space_terminate(mp_kspace_t *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&s->k->lock);
	if (s->active)
		space_terminate(s);
	wake_all(s->k);
	pthread_mutex_unlock(&s->k->lock);
}

void mp_kern_space_destroy(mp_kspace_t *s)
{
	mp_kern_t *k;

	if (s == NULL)
		return;
	k = s->k;
	pthread_mutex_lock(&k->lock);
	if (s->active)
		space_terminate(s);
	/* Threads still inside a call on this space (a blocked send or
	 * receive; machportd's client died mid-call) must leave before it is
	 * freed: wake every waiter; each sees its space dead and returns. */
	while (s->callers > 0) {
		wake_all(k);
		pthread_cond_wait(&k->idle_cv, &k->lock);
	}
	if (s->all_prev)
		s->all_prev->all_next = s->all_next;
	else
		k->spaces = s->all_next;
	if (s->all_next)
		s->all_next->all_prev = s->all_prev;
	k->nspaces--;
	pthread_mutex_unlock(&k->lock);
	free(s->table);
	free(s->free_stack);
	free(s);
}

/* The task's hardened-binary property (kern/task.c task_is_hardened_binary),
 * which ipc_port_init reads for MPO_REPLY_PORT. */
mp_kr_t mp_kern_space_set_hardened(mp_kspace_t *s, int hardened)
{
	mp_kr_t kr = MP_KERN_SUCCESS;

	if (hardened != 0 && hardened != 1)
		return MP_KERN_INVALID_ARGUMENT;
	MK_LOCK(s);
	if (s->active)
		s->hardened = hardened != 0;
	else
		kr = MP_KERN_INVALID_TASK;
	MK_UNLOCK(s);
	return kr;
}
