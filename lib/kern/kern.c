/* lib/kern/kern.c: kernels and spaces, mach_msg's entry, the invariant checker. */
#define _GNU_SOURCE /* getsid, clock_gettime, process_vm_readv */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/kern/kern_internal.h"

void mp_kern_identity_self(mp_kern_identity_t *id)
{
	memset(id, 0, sizeof(*id));
	id->sec.val[0] = (uint32_t)geteuid();
	id->sec.val[1] = (uint32_t)getegid();
	/* audit_token_t slots (§4.4): auid, euid, egid, ruid, rgid, pid, asid,
	 * pidversion. Linux has no audit user or session here: auid = ruid,
	 * asid = the session id, pidversion 0. */
	id->audit.val[0] = (uint32_t)getuid();
	id->audit.val[1] = (uint32_t)geteuid();
	id->audit.val[2] = (uint32_t)getegid();
	id->audit.val[3] = (uint32_t)getuid();
	id->audit.val[4] = (uint32_t)getgid();
	id->audit.val[5] = (uint32_t)getpid();
	id->audit.val[6] = (uint32_t)getsid(0);
	id->audit.val[7] = 0;
}

mp_kern_t *mp_kern_create(void)
{
	mp_kern_t *k = calloc(1, sizeof(*k));

	if (k == NULL)
		return NULL;
	pthread_mutex_init(&k->lock, NULL);
	pthread_cond_init(&k->idle_cv, NULL);
	return k;
}

static pthread_once_t shared_once = PTHREAD_ONCE_INIT;
static mp_kern_t *shared_kern;

static void make_shared(void)
{
	shared_kern = mp_kern_create();
}

mp_kern_t *mp_kern_shared(void)
{
	pthread_once(&shared_once, make_shared);
	return shared_kern;
}

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
			if (type & MP_PORT_TYPE_SEND)
				((mk_port_t *)obj)->srights--; /* one reference for both */
			mk_release_receive(obj);
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

void mp_kern_destroy(mp_kern_t *k)
{
	if (k == NULL)
		return;
	while (k->spaces != NULL)
		mp_kern_space_destroy(k->spaces);
	pthread_cond_destroy(&k->idle_cv);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

mp_kr_t mp_kern_msg(mp_kspace_t *s, void *msg, uint32_t option, uint32_t send_size,
		    uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms)
{
	return mp_kern_msg_user(s, msg, (uint64_t)(uintptr_t)msg, option, send_size, rcv_size, rcv_name,
				timeout_ms);
}

mp_kr_t mp_kern_msg_user(mp_kspace_t *s, void *msg, uint64_t uaddr, uint32_t option, uint32_t send_size,
			 uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms)
{
	mp_kr_t kr = MP_MACH_MSG_SUCCESS;

	if (msg == NULL)
		return (option & MP_MACH_SEND_MSG) ? MP_MACH_SEND_INVALID_DATA
						   : MP_MACH_RCV_INVALID_DATA;
	pthread_mutex_lock(&s->k->lock);
	s->callers++;
	if (option & MP_MACH_SEND_MSG)
		kr = mk_msg_send(s, msg, uaddr, option, send_size, timeout_ms);
	if (kr == MP_MACH_MSG_SUCCESS && (option & MP_MACH_RCV_MSG)) {
		if (!s->active)
			kr = MP_MACH_RCV_INVALID_NAME;
		else
			kr = mk_msg_receive(s, msg, uaddr, option, rcv_size, rcv_name, timeout_ms);
	}
	if (--s->callers == 0 && !s->active)
		pthread_cond_broadcast(&s->k->idle_cv);
	pthread_mutex_unlock(&s->k->lock);
	return kr;
}

void mp_kern_get_stats(mp_kern_t *k, mp_kern_stats_t *st)
{
	pthread_mutex_lock(&k->lock);
	st->spaces = k->nspaces;
	st->ports = k->nports;
	st->psets = k->npsets;
	st->kmsgs = k->nkmsgs;
	st->vm_regions = k->nregions;
	st->vm_bytes = k->vm_bytes;
	pthread_mutex_unlock(&k->lock);
}

/* ---- the invariant checker ---------------------------------------------- */

typedef struct tally {
	mk_port_t *p;
	uint32_t srights, sorights, receivers, refs;
} tally_t;

static tally_t *find(tally_t *t, uint32_t n, mk_port_t *p)
{
	for (uint32_t i = 0; i < n; i++)
		if (t[i].p == p)
			return &t[i];
	return NULL;
}

#define FAIL(...)                                          \
	do {                                               \
		snprintf(why, why_len, __VA_ARGS__);       \
		rc = -1;                                   \
		goto done;                                 \
	} while (0)

static int count_right(tally_t *t, uint32_t n, mk_right_t r, bool in_msg, char *why, size_t why_len)
{
	tally_t *x;
	int rc = 0;

	if (!MK_IS_PORT(r.port))
		return 0;
	x = find(t, n, r.port);
	if (x == NULL)
		FAIL("a message holds a port the kernel does not list");
	x->refs++;
	switch (r.type) {
	case MP_MSG_TYPE_PORT_SEND:
		x->srights++;
		break;
	case MP_MSG_TYPE_PORT_SEND_ONCE:
		x->sorights++;
		break;
	case MP_MSG_TYPE_PORT_RECEIVE:
		x->receivers++;
		if (in_msg && r.port->in_transit == NULL)
			FAIL("port %llu: receive right in a message but not marked in transit",
			     (unsigned long long)r.port->serial);
		break;
	default:
		FAIL("a carried right of type %u", r.type);
	}
done:
	return rc;
}

static int count_kmsg(tally_t *t, uint32_t n, mk_kmsg_t *m, uint64_t *vm, char *why, size_t why_len)
{
	int rc = 0;

	if (count_right(t, n, m->dest, false, why, why_len) != 0)
		return -1;
	if (count_right(t, n, m->reply, false, why, why_len) != 0)
		return -1;
	for (uint32_t i = 0; i < m->ndesc; i++) {
		mk_kdesc_t *d = &m->desc[i];
		if (d->d.type == MP_MSG_PORT_DESCRIPTOR || d->d.type == MP_MSG_GUARDED_PORT_DESCRIPTOR) {
			if (count_right(t, n, d->right, true, why, why_len) != 0)
				return -1;
		} else if (d->d.type == MP_MSG_OOL_PORTS_DESCRIPTOR) {
			for (uint32_t j = 0; d->ports != NULL && j < d->d.length; j++)
				if (count_right(t, n, d->ports[j], true, why, why_len) != 0)
					return -1;
		} else if (d->data != NULL) {
			vm[0] += d->d.length;
			vm[1]++;
		}
	}
	return rc;
}

int mp_kern_check(mp_kern_t *k, char *why, size_t why_len)
{
	tally_t *t;
	uint32_t n = 0, nk = 0, ns = 0, nps = 0;
	uint64_t vm[2] = { 0, 0 };
	int rc = 0;

	pthread_mutex_lock(&k->lock);
	t = calloc(k->nports + 1, sizeof(*t));
	if (t == NULL) {
		pthread_mutex_unlock(&k->lock);
		snprintf(why, why_len, "out of memory");
		return -1;
	}
	for (mk_port_t *p = k->ports; p != NULL; p = p->all_next) {
		if (n == k->nports)
			FAIL("more ports listed than counted");
		t[n++].p = p;
		for (uint32_t i = 0; i < p->npsets; i++) {
			bool listed = false;
			for (mk_pset_t *ps = k->psets; ps != NULL; ps = ps->all_next)
				listed |= ps == p->psets[i];
			if (!listed || !p->psets[i]->active)
				FAIL("port %llu is a member of a set that is gone",
				     (unsigned long long)p->serial);
		}
		if (!p->active && (p->npsets || p->qhead || p->nsrequest))
			FAIL("dead port %llu still has sets, messages or a request",
			     (unsigned long long)p->serial);
	}
	if (n != k->nports)
		FAIL("ports counted %u, listed %u", k->nports, n);
	for (mk_pset_t *ps = k->psets; ps != NULL; ps = ps->all_next)
		nps++;
	if (nps != k->npsets)
		FAIL("port sets counted %u, listed %u", k->npsets, nps);

	/* rights held in spaces */
	for (mp_kspace_t *s = k->spaces; s != NULL; s = s->all_next) {
		uint64_t rb = 0;
		ns++;
		for (uint32_t i = 1; i < s->cap; i++) {
			mk_entry_t *e = &s->table[i];
			mp_port_name_t name = MP_PORT_MAKE(i, e->gen);
			tally_t *x;
			if (e->type == 0)
				continue;
			if (e->type == MP_PORT_TYPE_DEAD_NAME) {
				if (e->obj != NULL || e->urefs == 0)
					FAIL("dead name 0x%x: object %p, urefs %u", name, e->obj, e->urefs);
				continue;
			}
			if (e->type == MP_PORT_TYPE_PORT_SET) {
				mk_pset_t *ps = e->obj;
				bool listed = false;
				for (mk_pset_t *q = k->psets; q != NULL; q = q->all_next)
					listed |= q == ps;
				if (!listed || ps->space != s || ps->name != name || !ps->active)
					FAIL("set 0x%x: entry and set disagree", name);
				if (ps->refs != 1 + ps->waiters)
					FAIL("set 0x%x: %u refs, expected %u", name, ps->refs, 1 + ps->waiters);
				continue;
			}
			x = find(t, n, e->obj);
			if (x == NULL)
				FAIL("entry 0x%x refers to a port the kernel does not list", name);
			x->refs++;
			if (e->type & MP_PORT_TYPE_SEND) {
				x->srights++;
				if (e->urefs == 0)
					FAIL("send entry 0x%x with 0 urefs", name);
			}
			if (e->type & MP_PORT_TYPE_SEND_ONCE) {
				x->sorights++;
				if (e->type != MP_PORT_TYPE_SEND_ONCE || e->urefs != 1)
					FAIL("send-once entry 0x%x: type 0x%x urefs %u", name, e->type, e->urefs);
			}
			if (e->type & MP_PORT_TYPE_RECEIVE) {
				mk_port_t *p = e->obj;
				x->receivers++;
				if (!p->active || p->receiver != s || p->receiver_name != name)
					FAIL("receive entry 0x%x: port %llu says receiver %p name 0x%x",
					     name, (unsigned long long)p->serial, (void *)p->receiver,
					     p->receiver_name);
				if (!(e->type & MP_PORT_TYPE_SEND) && e->urefs != 0)
					FAIL("receive-only entry 0x%x with urefs %u", name, e->urefs);
			}
			if (e->dn_notify != NULL) {
				tally_t *y = find(t, n, e->dn_notify);
				if (y == NULL)
					FAIL("dead-name request of 0x%x: notify port not listed", name);
				y->sorights++;
				y->refs++;
			}
		}
		for (mk_region_t *r = s->regions; r != NULL; r = r->next) {
			rb += r->len;
			vm[1]++;
		}
		vm[0] += rb;
	}
	if (ns != k->nspaces)
		FAIL("spaces counted %u, listed %u", k->nspaces, ns);

	/* rights in flight, and kernel-held requests */
	for (uint32_t i = 0; i < n; i++) {
		mk_port_t *p = t[i].p;
		uint32_t q = 0;
		for (mk_kmsg_t *m = p->qhead; m != NULL; m = m->next) {
			q++;
			nk++;
			if (m->queued_on != p || m->dest.port != p)
				FAIL("message %llu on port %llu belongs elsewhere",
				     (unsigned long long)m->serial, (unsigned long long)p->serial);
			if (count_kmsg(t, n, m, vm, why, why_len) != 0) {
				rc = -1;
				goto done;
			}
		}
		if (q != p->msgcount)
			FAIL("port %llu: msgcount %u, queued %u", (unsigned long long)p->serial,
			     p->msgcount, q);
		if (p->nsrequest != NULL) {
			tally_t *y = find(t, n, p->nsrequest);
			if (y == NULL)
				FAIL("no-senders request of port %llu: notify port not listed",
				     (unsigned long long)p->serial);
			y->sorights++;
			y->refs++;
		}
	}
	if (nk != k->nkmsgs)
		FAIL("messages counted %u, queued %u (a message outside every queue)", k->nkmsgs, nk);

	for (uint32_t i = 0; i < n; i++) {
		mk_port_t *p = t[i].p;
		tally_t *x = &t[i];
		if (x->srights != p->srights)
			FAIL("port %llu: srights %u, rights found %u", (unsigned long long)p->serial,
			     p->srights, x->srights);
		if (x->sorights != p->sorights)
			FAIL("port %llu: sorights %u, rights found %u", (unsigned long long)p->serial,
			     p->sorights, x->sorights);
		if (p->active && x->receivers != 1)
			FAIL("live port %llu: %u receive rights", (unsigned long long)p->serial,
			     x->receivers);
		if (!p->active && x->receivers != 0)
			FAIL("dead port %llu: a receive right survives", (unsigned long long)p->serial);
		if (x->refs + p->waiters != p->refs)
			FAIL("port %llu: %u refs, found %u (+%u waiters)", (unsigned long long)p->serial,
			     p->refs, x->refs, p->waiters);
	}
	if (vm[1] != k->nregions || vm[0] != k->vm_bytes)
		FAIL("OOL regions: kernel counts %u (%llu bytes), found %llu (%llu bytes)",
		     k->nregions, (unsigned long long)k->vm_bytes, (unsigned long long)vm[1],
		     (unsigned long long)vm[0]);
done:
	free(t);
	pthread_mutex_unlock(&k->lock);
	return rc;
}
