/*
 * lib/kern/kmsg.c: messages in flight (XNU: ipc_kmsg.c's ipc_kmsg_alloc,
 * ipc_kmsg_clean, ipc_kmsg_reap_delayed) and port queues (ipc_mqueue.c's
 * enqueue and dequeue).
 */
#include <stdlib.h>
#include <string.h>

#include "lib/kern/kern_internal.h"

/*
 * Destroyed messages with small bodies are kept for the next ones (XNU
 * keeps kmsgs in a zone, and small ones with their inline buffer): two
 * callocs and two frees per message were a tenth of a request's work.
 * Under ASan a kept message's body is poisoned, so a read of a destroyed
 * message's bytes is still reported.
 */
#define MK_KMSG_CACHE 16u
#define MK_KMSG_CACHE_BODY 1024u /* larger bodies are freed */
#define MK_KMSG_MIN_BODY 256u

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MK_KMSG_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(MK_KMSG_ASAN)
#define MK_KMSG_ASAN 1
#endif
#ifdef MK_KMSG_ASAN
#include <sanitizer/asan_interface.h>
#define KMSG_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define KMSG_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define KMSG_POISON(p, n) ((void)(p), (void)(n))
#define KMSG_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* The body only: the struct holds the body's pointer, which LeakSanitizer
 * would not see in poisoned memory. */
static void kmsg_poison(mk_kmsg_t *m, bool poison)
{
	if (poison)
		KMSG_POISON(m->body, m->body_cap);
	else
		KMSG_UNPOISON(m->body, m->body_cap);
}

/* A kept message whose body holds `size` bytes, zeroed as calloc's; NULL if none. */
static mk_kmsg_t *kmsg_reuse(mp_kern_t *k, uint32_t size)
{
	mk_kmsg_t *m = k->kmsg_cache;
	uint8_t *body;
	uint32_t cap;

	if (m == NULL || m->body_cap < size)
		return NULL;
	kmsg_poison(m, false);
	k->kmsg_cache = m->next;
	k->nkmsg_cache--;
	body = m->body;
	cap = m->body_cap;
	memset(m, 0, sizeof(*m));
	memset(body, 0, size ? size : 1);
	m->body = body;
	m->body_cap = cap;
	return m;
}

/* Keeps a destroyed message (its rights, descriptors and aux already
 * gone): 1, or 0 (the caller frees it). */
static int kmsg_keep(mp_kern_t *k, mk_kmsg_t *m)
{
	if (m->body_cap > MK_KMSG_CACHE_BODY || k->nkmsg_cache >= MK_KMSG_CACHE)
		return 0;
	m->next = k->kmsg_cache;
	k->kmsg_cache = m;
	k->nkmsg_cache++;
	kmsg_poison(m, true);
	return 1;
}

void mk_kmsg_cache_free(mp_kern_t *k)
{
	while (k->kmsg_cache != NULL) {
		mk_kmsg_t *m = k->kmsg_cache;

		kmsg_poison(m, false);
		k->kmsg_cache = m->next;
		free(m->body);
		free(m);
	}
	k->nkmsg_cache = 0;
}

mk_kmsg_t *mk_kmsg_new(mp_kern_t *k, uint32_t size)
{
	mk_kmsg_t *m = kmsg_reuse(k, size);

	if (m == NULL) {
		uint32_t cap = size < MK_KMSG_MIN_BODY ? MK_KMSG_MIN_BODY : size;

		m = calloc(1, sizeof(*m));
		if (m == NULL)
			return NULL;
		m->body = calloc(1, cap);
		if (m->body == NULL) {
			free(m);
			return NULL;
		}
		m->body_cap = cap;
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
	m->desc = NULL;
	m->aux = NULL;
	k->nkmsgs--;
	if (kmsg_keep(k, m))
		return;
	free(m->body);
	free(m);
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
