/*
 * lib/kern/kmsg.c: messages in flight (XNU: ipc_kmsg.c's ipc_kmsg_alloc,
 * ipc_kmsg_clean, ipc_kmsg_reap_delayed) and port queues (ipc_mqueue.c's
 * enqueue and dequeue).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/kern/kern_internal.h"

mk_kmsg_t *mk_kmsg_new(mp_kern_t *k, uint32_t size)
{
	mk_kmsg_t *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	m->body = calloc(1, size ? size : 1);
	if (m->body == NULL) {
		free(m);
		return NULL;
	}
	m->size = size;
	m->serial = ++k->next_serial;
	k->nkmsgs++;
	return m;
}

/* ipc_kmsg_clean + ipc_kmsg_free: every right and region goes. */
static void destroy_one(mp_kern_t *k, mk_kmsg_t *m)
{
	mk_release_right(m->dest);
	mk_release_right(m->reply);
	for (uint32_t i = 0; i < m->ndesc; i++) {
		mk_kdesc_t *kd = &m->desc[i];
		switch (kd->d.type) {
		case MP_MSG_PORT_DESCRIPTOR:
		case MP_MSG_GUARDED_PORT_DESCRIPTOR:
			if (kd->right.type == MP_MSG_TYPE_PORT_RECEIVE && MK_IS_PORT(kd->right.port))
				kd->right.port->in_transit = NULL;
			mk_release_right(kd->right);
			break;
		case MP_MSG_OOL_PORTS_DESCRIPTOR:
			for (uint32_t j = 0; kd->ports != NULL && j < kd->d.length; j++) {
				if (kd->ports[j].type == MP_MSG_TYPE_PORT_RECEIVE &&
				    MK_IS_PORT(kd->ports[j].port))
					kd->ports[j].port->in_transit = NULL;
				mk_release_right(kd->ports[j]);
			}
			free(kd->ports);
			break;
		default: /* OOL, OOL_VOLATILE */
			if (kd->data != NULL) {
				k->vm_bytes -= kd->d.length;
				k->nregions--;
			}
			free(kd->data);
			break;
		}
	}
	free(m->desc);
	free(m->aux);
	free(m->body);
	free(m);
	k->nkmsgs--;
}

void mk_kmsg_destroy(mp_kern_t *k, mk_kmsg_t *m)
{
	/* Destroying a message can destroy a receive right, whose queue holds
	 * more messages: a work list instead of recursion (XNU defers the same
	 * way, ipc_kmsg_reap_delayed). */
	m->next = k->reap;
	k->reap = m;
	if (k->reaping)
		return;
	k->reaping = true;
	while (k->reap != NULL) {
		mk_kmsg_t *dead = k->reap;
		k->reap = dead->next;
		destroy_one(k, dead);
	}
	k->reaping = false;
}

void mk_kmsg_enqueue(mk_kmsg_t *m)
{
	mk_port_t *p = m->dest.port;

	m->next = NULL;
	m->queued_on = p;
	if (p->qtail)
		p->qtail->next = m;
	else
		p->qhead = m;
	p->qtail = m;
	p->msgcount++;
	mk_wake_port(p);
}

mk_kmsg_t *mk_kmsg_dequeue(mk_port_t *p)
{
	mk_kmsg_t *m = p->qhead;

	if (m == NULL)
		return NULL;
	p->qhead = m->next;
	if (p->qhead == NULL)
		p->qtail = NULL;
	p->msgcount--;
	m->next = NULL;
	m->queued_on = NULL;
	/* a sender blocked on a full queue may go on */
	pthread_cond_broadcast(&p->snd_cv);
	return m;
}
