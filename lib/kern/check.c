/*
 * lib/kern/check.c: the invariant checker, mp_kern_check (kern.h says what
 * it holds). Not an XNU file: XNU asserts these per object under its own
 * locks; here one pass over the whole kernel under its one lock counts every
 * right, reference and region and compares the counts with the objects'.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/kern/kern_internal.h"

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
		mk_kdesc_t *kd = &m->desc[i];
		if (kd->d.type == MP_MSG_PORT_DESCRIPTOR || kd->d.type == MP_MSG_GUARDED_PORT_DESCRIPTOR) {
			if (count_right(t, n, kd->right, true, why, why_len) != 0)
				return -1;
		} else if (kd->d.type == MP_MSG_OOL_PORTS_DESCRIPTOR) {
			for (uint32_t j = 0; kd->ports != NULL && j < kd->d.length; j++)
				if (count_right(t, n, kd->ports[j], true, why, why_len) != 0)
					return -1;
		} else if (kd->data != NULL) {
			vm[0] += kd->d.length;
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
