/*
 * lib/kern/check.c: the invariant checker, mp_kern_check (kern.h says what
 * it holds). Not an XNU file: XNU asserts these per object under its own
 * locks; here one pass over the whole kernel under its one lock counts every
 * right, reference and region and compares the counts with the objects'.
 * The passes, in order: the objects the kernel lists (list_objects), the
 * rights in spaces (count_spaces), the rights in flight and the kernel-held
 * requests (count_queues), then each port's counts (compare_ports) and the
 * regions. The first broken rule is the one reported.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/kern/kern_internal.h"

/* The rights and references found for one listed port. */
typedef struct tally {
	mk_port_t *p;
	uint32_t srights, sorights, receivers, refs;
} tally_t;

/* What the checker has found so far, and where to say why it failed. */
typedef struct census {
	mp_kern_t *k;
	tally_t *t;
	uint32_t n;                     /* ports listed (tallies in t) */
	uint64_t vm_bytes, vm_regions; /* OOL regions found */
	char *why;
	size_t why_len;
} census_t;

static int fail(census_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes the reason into c->why; returns -1. */
static int fail(census_t *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, c->why_len, fmt, ap);
	va_end(ap);
	return -1;
}

static tally_t *find(const census_t *c, mk_port_t *p)
{
	for (uint32_t i = 0; i < c->n; i++)
		if (c->t[i].p == p)
			return &c->t[i];
	return NULL;
}

static bool pset_listed(const mp_kern_t *k, const mk_pset_t *ps)
{
	for (mk_pset_t *q = k->psets; q != NULL; q = q->all_next)
		if (q == ps)
			return true;
	return false;
}

/* One right carried by a message (`in_msg`: in a descriptor). */
static int count_right(census_t *c, mk_right_t r, bool in_msg)
{
	tally_t *x;

	if (!MK_IS_PORT(r.port))
		return 0;
	x = find(c, r.port);
	if (x == NULL)
		return fail(c, "a message holds a port the kernel does not list");
	x->refs++;
	switch (r.type) {
	case MP_MSG_TYPE_PORT_SEND:
		x->srights++;
		return 0;
	case MP_MSG_TYPE_PORT_SEND_ONCE:
		x->sorights++;
		return 0;
	case MP_MSG_TYPE_PORT_RECEIVE:
		x->receivers++;
		if (in_msg && r.port->in_transit == NULL)
			return fail(c, "port %llu: receive right in a message but not marked in transit",
				    (unsigned long long)r.port->serial);
		return 0;
	default:
		return fail(c, "a carried right of type %u", r.type);
	}
}

/* The rights and regions a queued message holds. */
static int count_kmsg(census_t *c, mk_kmsg_t *m)
{
	if (count_right(c, m->dest, false) != 0)
		return -1;
	if (count_right(c, m->reply, false) != 0)
		return -1;
	for (uint32_t i = 0; i < m->ndesc; i++) {
		mk_kdesc_t *kd = &m->desc[i];
		if (kd->d.type == MP_MSG_PORT_DESCRIPTOR || kd->d.type == MP_MSG_GUARDED_PORT_DESCRIPTOR) {
			if (count_right(c, kd->right, true) != 0)
				return -1;
		} else if (kd->d.type == MP_MSG_OOL_PORTS_DESCRIPTOR) {
			for (uint32_t j = 0; kd->ports != NULL && j < kd->d.length; j++)
				if (count_right(c, kd->ports[j], true) != 0)
					return -1;
		} else if (kd->data != NULL) {
			c->vm_bytes += kd->d.length;
			c->vm_regions++;
		}
	}
	return 0;
}

/* Every port the kernel lists (one tally each), the sets each is in, and
 * the sets. */
static int list_objects(census_t *c)
{
	mp_kern_t *k = c->k;
	uint32_t nps = 0;

	for (mk_port_t *p = k->ports; p != NULL; p = p->all_next) {
		if (c->n == k->nports)
			return fail(c, "more ports listed than counted");
		c->t[c->n++].p = p;
		for (uint32_t i = 0; i < p->npsets; i++) {
			if (!pset_listed(k, p->psets[i]) || !p->psets[i]->active)
				return fail(c, "port %llu is a member of a set that is gone",
					    (unsigned long long)p->serial);
		}
		if (!p->active && (p->npsets || p->qhead || p->nsrequest || p->pdrequest))
			return fail(c, "dead port %llu still has sets, messages or a request",
				    (unsigned long long)p->serial);
	}
	if (c->n != k->nports)
		return fail(c, "ports counted %u, listed %u", k->nports, c->n);
	for (mk_pset_t *ps = k->psets; ps != NULL; ps = ps->all_next)
		nps++;
	if (nps != k->npsets)
		return fail(c, "port sets counted %u, listed %u", k->npsets, nps);
	return 0;
}

/* A set's entry: the set is listed, alive, and says it is this entry. */
static int check_pset_entry(census_t *c, mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e)
{
	mk_pset_t *ps = e->obj;

	if (!pset_listed(c->k, ps) || ps->space != s || ps->name != name || !ps->active)
		return fail(c, "set 0x%x: entry and set disagree", name);
	if (ps->refs != 1 + ps->waiters)
		return fail(c, "set 0x%x: %u refs, expected %u", name, ps->refs, 1 + ps->waiters);
	return 0;
}

/* The port rights of one entry, and its dead-name request. */
static int count_port_entry(census_t *c, mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e)
{
	tally_t *x = find(c, e->obj);

	if (x == NULL)
		return fail(c, "entry 0x%x refers to a port the kernel does not list", name);
	x->refs++;
	if (e->type & MP_PORT_TYPE_SEND) {
		x->srights++;
		if (e->urefs == 0)
			return fail(c, "send entry 0x%x with 0 urefs", name);
	}
	if (e->type & MP_PORT_TYPE_SEND_ONCE) {
		x->sorights++;
		if (e->type != MP_PORT_TYPE_SEND_ONCE || e->urefs != 1)
			return fail(c, "send-once entry 0x%x: type 0x%x urefs %u", name, e->type, e->urefs);
	}
	if (e->type & MP_PORT_TYPE_RECEIVE) {
		mk_port_t *p = e->obj;
		x->receivers++;
		if (!p->active || p->receiver != s || p->receiver_name != name)
			return fail(c, "receive entry 0x%x: port %llu says receiver %p name 0x%x", name,
				    (unsigned long long)p->serial, (void *)p->receiver, p->receiver_name);
		if (!(e->type & MP_PORT_TYPE_SEND) && e->urefs != 0)
			return fail(c, "receive-only entry 0x%x with urefs %u", name, e->urefs);
	}
	if (e->dn_notify != NULL) {
		tally_t *y = find(c, e->dn_notify);
		if (y == NULL)
			return fail(c, "dead-name request of 0x%x: notify port not listed", name);
		y->sorights++;
		y->refs++;
	}
	return 0;
}

/* The rights held in each space's entries, and each space's regions. */
static int count_spaces(census_t *c)
{
	uint32_t ns = 0;

	for (mp_kspace_t *s = c->k->spaces; s != NULL; s = s->all_next) {
		ns++;
		for (uint32_t i = 1; i < s->cap; i++) {
			mk_entry_t *e = &s->table[i];
			mp_port_name_t name = MP_PORT_MAKE(i, e->gen);
			int rc = 0;
			if (e->type == 0)
				continue;
			if (e->type == MP_PORT_TYPE_DEAD_NAME) {
				if (e->obj != NULL || e->urefs == 0)
					rc = fail(c, "dead name 0x%x: object %p, urefs %u", name, e->obj,
						  e->urefs);
			} else if (e->type == MP_PORT_TYPE_PORT_SET) {
				rc = check_pset_entry(c, s, name, e);
			} else {
				rc = count_port_entry(c, s, name, e);
			}
			if (rc != 0)
				return rc;
		}
		for (mk_region_t *r = s->regions; r != NULL; r = r->next) {
			c->vm_bytes += r->len;
			c->vm_regions++;
		}
	}
	if (ns != c->k->nspaces)
		return fail(c, "spaces counted %u, listed %u", c->k->nspaces, ns);
	return 0;
}

/* The rights in flight (each port's queue), and the kernel-held no-senders
 * and port-destroyed requests. */
static int count_queues(census_t *c)
{
	uint32_t nk = 0;

	for (uint32_t i = 0; i < c->n; i++) {
		mk_port_t *p = c->t[i].p;
		uint32_t q = 0;
		for (mk_kmsg_t *m = p->qhead; m != NULL; m = m->next) {
			q++;
			nk++;
			if (m->queued_on != p || m->dest.port != p)
				return fail(c, "message %llu on port %llu belongs elsewhere",
					    (unsigned long long)m->serial, (unsigned long long)p->serial);
			if (count_kmsg(c, m) != 0)
				return -1;
		}
		if (q != p->msgcount)
			return fail(c, "port %llu: msgcount %u, queued %u", (unsigned long long)p->serial,
				    p->msgcount, q);
		if (p->nsrequest != NULL) {
			tally_t *y = find(c, p->nsrequest);
			if (y == NULL)
				return fail(c, "no-senders request of port %llu: notify port not listed",
					    (unsigned long long)p->serial);
			y->sorights++;
			y->refs++;
		}
		if (p->pdrequest != NULL) {
			tally_t *y = find(c, p->pdrequest);
			if (y == NULL)
				return fail(c, "port-destroyed request of port %llu: notify port not listed",
					    (unsigned long long)p->serial);
			y->sorights++;
			y->refs++;
		}
	}
	if (nk != c->k->nkmsgs)
		return fail(c, "messages counted %u, queued %u (a message outside every queue)",
			    c->k->nkmsgs, nk);
	return 0;
}

/* Each port's counts against what was found. */
static int compare_ports(census_t *c)
{
	for (uint32_t i = 0; i < c->n; i++) {
		mk_port_t *p = c->t[i].p;
		tally_t *x = &c->t[i];
		if (x->srights != p->srights)
			return fail(c, "port %llu: srights %u, rights found %u",
				    (unsigned long long)p->serial, p->srights, x->srights);
		if (x->sorights != p->sorights)
			return fail(c, "port %llu: sorights %u, rights found %u",
				    (unsigned long long)p->serial, p->sorights, x->sorights);
		if (p->active && x->receivers != 1)
			return fail(c, "live port %llu: %u receive rights", (unsigned long long)p->serial,
				    x->receivers);
		if (!p->active && x->receivers != 0)
			return fail(c, "dead port %llu: a receive right survives",
				    (unsigned long long)p->serial);
		if (x->refs + p->waiters != p->refs)
			return fail(c, "port %llu: %u refs, found %u (+%u waiters)",
				    (unsigned long long)p->serial, p->refs, x->refs, p->waiters);
	}
	return 0;
}

int mp_kern_check(mp_kern_t *k, char *why, size_t why_len)
{
	census_t c = { k, NULL, 0, 0, 0, why, why_len };
	int rc;

	pthread_mutex_lock(&k->lock);
	c.t = calloc(k->nports + 1, sizeof(*c.t));
	if (c.t == NULL) {
		pthread_mutex_unlock(&k->lock);
		snprintf(why, why_len, "out of memory");
		return -1;
	}
	rc = list_objects(&c);
	if (rc == 0)
		rc = count_spaces(&c);
	if (rc == 0)
		rc = count_queues(&c);
	if (rc == 0)
		rc = compare_ports(&c);
	if (rc == 0 && (c.vm_regions != k->nregions || c.vm_bytes != k->vm_bytes))
		rc = fail(&c, "OOL regions: kernel counts %u (%llu bytes), found %llu (%llu bytes)",
			  k->nregions, (unsigned long long)k->vm_bytes, (unsigned long long)c.vm_regions,
			  (unsigned long long)c.vm_bytes);
	free(c.t);
	pthread_mutex_unlock(&k->lock);
	return rc;
}
