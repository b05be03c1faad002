/*
 * lib/kern/msg_recv.c: mach_msg's receive half (xnu-abi.md §6.6-6.10; XNU:
 * ipc_mqueue_receive, ipc_kmsg_copyout_header, ipc_kmsg_copyout_body,
 * ipc_kmsg_add_trailer), the pseudo-receive of a failed send
 * (ipc_kmsg_copyout_pseudo, §6.4 class D) and mach_port_peek
 * (ipc_mqueue_peek).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kern/kern_internal.h"
#include "machports/le.h"

/* The header's fields, at machports/wire.h's offsets. */
static void store_header(uint8_t *out, uint32_t bits, uint32_t size, mp_port_name_t remote,
			 mp_port_name_t local, mp_port_name_t voucher, int32_t id)
{
	mp_store_le32(out + MP_MSGH_BITS_OFFSET, bits);
	mp_store_le32(out + MP_MSGH_SIZE_OFFSET, size);
	mp_store_le32(out + MP_MSGH_REMOTE_OFFSET, remote);
	mp_store_le32(out + MP_MSGH_LOCAL_OFFSET, local);
	mp_store_le32(out + MP_MSGH_VOUCHER_OFFSET, voucher);
	mp_store_le32(out + MP_MSGH_ID_OFFSET, (uint32_t)id);
}

/*
 * The descriptors as received, written over the ones sent (at the offset
 * the send-mode parser found: a copied-out descriptor keeps its size). Each
 * returns the MACH_MSG_* error bits of its copyout (0 if none).
 */

/* A port descriptor: the name in the receiver's space and the carried type. */
static mp_kr_t copyout_port_desc(mp_kspace_t *s, mk_kdesc_t *kd, uint8_t *o)
{
	uint32_t disp = kd->right.type;
	mp_kr_t err = 0;
	mp_port_name_t name = mk_copyout_right(s, kd->right, &err);

	kd->right.port = NULL;
	mp_store_le32(o + offsetof(mp_msg_port_descriptor_t, name), name);
	mp_store_le32(o + offsetof(mp_msg_port_descriptor_t, pad1), 0);
	mp_store_le16(o + offsetof(mp_msg_port_descriptor_t, pad2), 0);
	o[offsetof(mp_msg_port_descriptor_t, disposition)] = (uint8_t)disp;
	o[offsetof(mp_msg_port_descriptor_t, type)] = MP_MSG_PORT_DESCRIPTOR;
	return err;
}

/* A guarded port descriptor (ipc_kmsg_copyout_guarded_port_descriptor).
 * `pseudo` is the pseudo-receive path: delivered without
 * MACH_RCV_GUARDED_DESC and the port is not made immovable (§6.4 D). */
static mp_kr_t copyout_guarded_desc(mp_kspace_t *s, mk_kdesc_t *kd, uint8_t *o, uint64_t uaddr,
				    uint32_t option, bool pseudo)
{
	mk_port_t *p = kd->right.port;
	uint32_t flags = kd->d.flags;
	uint64_t context = 0;
	mp_port_name_t name = MP_PORT_NULL;
	uint32_t disp = kd->right.type;
	mp_kr_t err = 0;

	if (MK_IS_PORT(p) && !pseudo && !(option & MP_MACH_RCV_GUARDED_DESC)) {
		/* 11417: without the option the right is destroyed and
		 * the descriptor stays type 4 with name 0 (§6.9, §10.5) */
		p->in_transit = NULL;
		mk_release_right(kd->right);
	} else if (MK_IS_PORT(p)) {
		name = mk_copyout_right(s, kd->right, &err);
		if (MP_PORT_VALID(name) && p->active) {
			uint64_t addr = uaddr; /* the buffer's user address */
			if (flags & MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE) {
				/* guarded with the receive buffer's address */
				p->guarded = true;
				p->strict_guard = false;
				p->context = addr;
				p->immovable_receive = !pseudo;
				context = addr;
				flags &= ~MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND;
			} else if (pseudo) {
				context = addr;
			}
		}
	} else {
		name = p == MK_PORT_DEAD ? MP_PORT_DEAD : MP_PORT_NULL;
	}
	kd->right.port = NULL;
	mp_store_le64(o + offsetof(mp_msg_guarded_port_descriptor_t, context), context);
	mp_store_le16(o + offsetof(mp_msg_guarded_port_descriptor_t, flags), (uint16_t)flags);
	o[offsetof(mp_msg_guarded_port_descriptor_t, disposition)] = (uint8_t)disp;
	o[offsetof(mp_msg_guarded_port_descriptor_t, type)] = MP_MSG_GUARDED_PORT_DESCRIPTOR;
	mp_store_le32(o + offsetof(mp_msg_guarded_port_descriptor_t, name), name);
	return err;
}

/* An OOL ports descriptor: the names, copied out one by one, in a new
 * region of the receiver; always deallocate TRUE, VIRTUAL_COPY. */
static mp_kr_t copyout_ool_ports_desc(mp_kspace_t *s, mk_kdesc_t *kd, uint8_t *o)
{
	uint32_t n = kd->d.length;
	uint64_t addr = 0;
	mp_kr_t err = 0;

	if (n > 0) {
		mp_port_name_t *names = calloc(n, sizeof(*names));
		for (uint32_t j = 0; j < n; j++) {
			mp_port_name_t nm = mk_copyout_right(s, kd->ports[j], &err);
			if (names != NULL)
				names[j] = nm;
		}
		if (names == NULL ||
		    mk_vm_map_copy(s, names, (uint64_t)n * sizeof(*names), 0, &addr) != 0) {
			addr = 0;
			err |= MP_MACH_MSG_VM_SPACE;
		}
		free(names);
		free(kd->ports);
		kd->ports = NULL;
	}
	mp_store_le64(o + offsetof(mp_msg_ool_ports_descriptor_t, address), addr);
	o[offsetof(mp_msg_ool_ports_descriptor_t, deallocate)] = 1;
	o[offsetof(mp_msg_ool_ports_descriptor_t, copy)] = MP_MSG_VIRTUAL_COPY;
	o[offsetof(mp_msg_ool_ports_descriptor_t, disposition)] = (uint8_t)kd->d.disposition;
	o[offsetof(mp_msg_ool_ports_descriptor_t, type)] = MP_MSG_OOL_PORTS_DESCRIPTOR;
	mp_store_le32(o + offsetof(mp_msg_ool_ports_descriptor_t, count), n);
	return err;
}

/* An OOL or OOL_VOLATILE descriptor: the kernel's copy in a new region of
 * the receiver (at the sender's page offset for a virtual copy). */
static mp_kr_t copyout_ool_desc(mp_kspace_t *s, mk_kdesc_t *kd, uint8_t *o)
{
	mp_kern_t *k = s->k;
	uint64_t addr = 0;
	uint32_t size = kd->d.length;
	mp_kr_t err = 0;

	if (kd->data != NULL) {
		uint64_t off = kd->d.copy == MP_MSG_VIRTUAL_COPY ? (kd->d.address & (MP_PAGE_SIZE - 1)) : 0;
		if (mk_vm_map_copy(s, kd->data, size, off, &addr) != 0) {
			addr = 0;
			size = 0;
			err |= MP_MACH_MSG_VM_SPACE;
		}
		k->nregions--;
		k->vm_bytes -= kd->d.length;
		free(kd->data);
		kd->data = NULL;
	}
	mp_store_le64(o + offsetof(mp_msg_ool_descriptor_t, address), addr);
	o[offsetof(mp_msg_ool_descriptor_t, deallocate)] = kd->d.copy == MP_MSG_VIRTUAL_COPY;
	o[offsetof(mp_msg_ool_descriptor_t, copy)] = (uint8_t)kd->d.copy;
	o[offsetof(mp_msg_ool_descriptor_t, pad1)] = 0;
	o[offsetof(mp_msg_ool_descriptor_t, type)] = (uint8_t)kd->d.type;
	mp_store_le32(o + offsetof(mp_msg_ool_descriptor_t, size), size);
	return err;
}

/*
 * The descriptors of `m` copied out into `s`, written over `out` (which
 * holds the message bytes as sent). `pseudo` is the pseudo-receive path
 * (§6.4 D). Errors accumulate into *bits (MACH_RCV_BODY_ERROR | MACH_MSG_*),
 * never failing the receive (§6.9).
 */
static void copyout_body(mp_kspace_t *s, mk_kmsg_t *m, uint8_t *out, uint64_t uaddr, uint32_t option, bool pseudo,
			 mp_kr_t *bits)
{
	for (uint32_t i = 0; i < m->ndesc; i++) {
		mk_kdesc_t *kd = &m->desc[i];
		uint8_t *o = out + kd->d.offset;
		mp_kr_t err;

		switch (kd->d.type) {
		case MP_MSG_PORT_DESCRIPTOR:
			err = copyout_port_desc(s, kd, o);
			break;
		case MP_MSG_GUARDED_PORT_DESCRIPTOR:
			err = copyout_guarded_desc(s, kd, o, uaddr, option, pseudo);
			break;
		case MP_MSG_OOL_PORTS_DESCRIPTOR:
			err = copyout_ool_ports_desc(s, kd, o);
			break;
		default: /* OOL, OOL_VOLATILE */
			err = copyout_ool_desc(s, kd, o);
			break;
		}
		if (err)
			*bits |= MP_MACH_RCV_BODY_ERROR | err;
	}
	m->ndesc = 0; /* every right and region is now the space's */
}

/* The trailer (§4.4), `size` bytes of it, at `t` (the fields of the largest
 * trailer, mp_msg_max_trailer_t, cut to `size`). */
static void write_trailer(uint8_t *t, uint32_t size, const mk_kmsg_t *m, uint32_t seqno,
			  uint64_t context, bool kernel_tokens)
{
	uint8_t full[MP_MAX_TRAILER_SIZE];
	mp_security_token_t sec = MP_KERNEL_SECURITY_TOKEN_INIT;
	mp_audit_token_t audit = MP_KERNEL_AUDIT_TOKEN_INIT;
	uint8_t *sender = full + offsetof(mp_msg_max_trailer_t, msgh_sender);
	uint8_t *audit_at = full + offsetof(mp_msg_max_trailer_t, msgh_audit);

	if (!kernel_tokens && !m->kernel_sender) {
		sec = m->sender.sec;
		audit = m->sender.audit;
	}
	memset(full, 0, sizeof(full));
	mp_store_le32(full + offsetof(mp_msg_max_trailer_t, msgh_trailer_type), MP_MSG_TRAILER_FORMAT_0);
	mp_store_le32(full + offsetof(mp_msg_max_trailer_t, msgh_trailer_size), size);
	mp_store_le32(full + offsetof(mp_msg_max_trailer_t, msgh_seqno), seqno);
	for (size_t i = 0; i < 2; i++)
		mp_store_le32(sender + 4 * i, sec.val[i]);
	for (size_t i = 0; i < 8; i++)
		mp_store_le32(audit_at + 4 * i, audit.val[i]);
	mp_store_le64(full + offsetof(mp_msg_max_trailer_t, msgh_context), context);
	memcpy(t, full, size);
}

/* ipc_kmsg_copyout_header: the swap (§6.7). */
static void copyout_header(mp_kspace_t *s, mk_kmsg_t *m, uint8_t *out, uint32_t option,
			   mp_kr_t *bits)
{
	mk_port_t *dest = m->dest.port;
	uint32_t dtype = m->dest.type, rtype = m->reply.type;
	uint32_t vbits = MP_MSGH_BITS_VOUCHER(m->bits), vfield = m->voucher_raw;
	mp_port_name_t local, remote;

	/* msgh_local_port: the receiver's name for the destination if it
	 * holds the receive right; DEAD if the port died; else NULL. */
	if (!MK_IS_PORT(dest) || !dest->active)
		local = MP_PORT_DEAD;
	else if (dest->receiver == s)
		local = dest->receiver_name;
	else
		local = MP_PORT_NULL;
	/* the destination right is consumed: a send right may fire no-senders,
	 * a send-once right goes quietly */
	if (MK_IS_PORT(dest)) {
		if (dtype == MP_MSG_TYPE_PORT_SEND_ONCE) {
			dest->sorights--;
			mk_port_unref(dest);
		} else {
			mk_release_send(dest);
		}
	}
	m->dest.port = NULL;
	remote = mk_copyout_right(s, m->reply, bits);
	if (*bits & MP_MACH_MSG_IPC_SPACE)
		*bits = (*bits & ~MP_MACH_RCV_BODY_ERROR) | MP_MACH_RCV_HEADER_ERROR;
	m->reply.port = NULL;
	/* No voucher object is ever carried: a voucher disposition with a NULL
	 * name survives as bits only with MACH_RCV_VOUCHER (§10.3). */
	if (vbits != 0 && !(option & MP_MACH_RCV_VOUCHER))
		vbits = 0;
	store_header(out, MP_MSGH_BITS_SET_PORTS(rtype, dtype, vbits) | (m->bits & ~MP_MSGH_BITS_PORTS_MASK),
		     m->size, remote, local, vfield, m->id);
}

/*
 * ipc_kmsg_copyout_pseudo (§6.4 class D): the message goes back into the
 * sender's own space, without the header swap, written over the send buffer.
 */
mp_kr_t mk_pseudo_receive(mp_kspace_t *s, mk_kmsg_t *m, void *msg, uint64_t uaddr, mp_kr_t send_error)
{
	uint8_t *out = msg;
	mp_kr_t bits = 0;
	mp_port_name_t dname, rname;
	uint32_t dtype = m->dest.type, rtype = m->reply.type;

	memcpy(out, m->body, m->size);
	dname = mk_copyout_right(s, m->dest, &bits);
	rname = mk_copyout_right(s, m->reply, &bits);
	m->dest.port = NULL;
	m->reply.port = NULL;
	/* the id stays as sent (m->id is the parser's reading of it) */
	store_header(out, (m->bits & MP_MSGH_BITS_USER & ~MP_MSGH_BITS_PORTS_MASK) |
				  MP_MSGH_BITS_SET_PORTS(dtype, rtype, MP_MSGH_BITS_VOUCHER(m->bits)),
		     m->size, dname, rname, m->voucher_raw, m->id);
	copyout_body(s, m, out, uaddr, 0, true, &bits);
	mk_kmsg_destroy(s->k, m);
	return send_error | (bits & MP_MACH_MSG_MASK);
}

/* The message to receive on `obj` (a port or a set), or NULL. */
static mk_kmsg_t *peek(mk_entry_t *e, mk_port_t **from)
{
	if (e->type & MP_PORT_TYPE_RECEIVE) {
		mk_port_t *p = e->obj;
		*from = p;
		return p->qhead;
	}
	mk_pset_t *ps = e->obj;
	for (mk_port_t *p = ps->k->ports; p != NULL; p = p->all_next) {
		for (uint32_t i = 0; i < p->npsets; i++) {
			if (p->psets[i] == ps && p->qhead != NULL) {
				*from = p;
				return p->qhead;
			}
		}
	}
	return NULL;
}

/*
 * One wait of a receive that found no message on the entry `e` (a receive
 * right or a set), until a message may have come (MACH_MSG_SUCCESS: look
 * again) or the receive ends: the port or set destroyed or moved
 * (MACH_RCV_PORT_CHANGED, §6.6, §9.10), the task dead
 * (MACH_RCV_INTERRUPTED), or the timeout passed with still nothing
 * (MACH_RCV_TIMED_OUT).
 */
static mp_kr_t wait_for_message(mp_kspace_t *s, mk_entry_t *e, mp_port_name_t rcv_name,
				uint32_t option, uint32_t timeout_ms)
{
	bool is_port = (e->type & MP_PORT_TYPE_RECEIVE) != 0;
	mk_port_t *p = is_port ? e->obj : NULL;
	mk_pset_t *ps = is_port ? NULL : e->obj;
	mk_port_t *from = NULL;
	pthread_cond_t *cv;
	uint32_t changes;
	bool changed;
	int rc;

	if (is_port) {
		changes = p->changes;
		p->waiters++;
		mk_port_ref(p);
		cv = &p->rcv_cv;
	} else {
		changes = ps->changes;
		ps->waiters++;
		ps->refs++;
		cv = &ps->rcv_cv;
	}
	rc = mk_msg_wait(s->k, cv, (option & MP_MACH_RCV_TIMEOUT) != 0, timeout_ms);
	changed = is_port ? (p->changes != changes || !p->active)
			  : (ps->changes != changes || !ps->active);
	if (is_port) {
		p->waiters--;
		mk_port_unref(p);
	} else {
		ps->waiters--;
		mk_pset_unref(ps);
	}
	if (!s->active)
		return MP_MACH_RCV_INTERRUPTED; /* the task died while it waited */
	if (changed)
		return MP_MACH_RCV_PORT_CHANGED;
	if (rc == ETIMEDOUT) {
		e = mk_lookup(s, rcv_name);
		if (e == NULL || peek(e, &from) == NULL)
			return MP_MACH_RCV_TIMED_OUT;
	}
	return MP_MACH_MSG_SUCCESS;
}

/* An aux header {msgdh_size, 0} at `aux`. */
static void store_aux_header(uint8_t *aux, uint32_t size)
{
	mp_store_le32(aux + offsetof(mp_msg_aux_header_t, msgdh_size), size);
	mp_store_le32(aux + offsetof(mp_msg_aux_header_t, msgdh_reserved), 0);
}

/* ipc_kmsg_put_vector_to_user's aux half: the message's aux data (header
 * and payload), or the EOF header {0, 0} for a message without any. A
 * scalar receive (no aux buffer) drops the aux data with the message. */
static void copyout_aux(const mk_kmsg_t *m, const mk_rcv2_t *x)
{
	if (x == NULL || x->aux == NULL)
		return;
	if (m->aux_size == 0)
		store_aux_header(x->aux, 0);
	else
		memcpy(x->aux, m->aux, m->aux_size);
}

/* ipc_mqueue_msg_too_large: the message does not fit the buffer with its
 * trailer, or (MACH64_MSG_VECTOR) its aux data does not fit the aux buffer;
 * a one-vector receive has no aux room, so any aux data is too large. */
static bool too_large(const mk_kmsg_t *m, uint32_t rcv_size, uint32_t tsize, const mk_rcv2_t *x)
{
	if ((uint64_t)rcv_size < (uint64_t)m->size + tsize)
		return true;
	return x != NULL && x->vector && x->aux_size < m->aux_size;
}

/*
 * ipc_mqueue_msg_too_large (§6.6): the message `m` at the head of `from`
 * does not fit in `rcv_size` bytes with its trailer. With MACH_RCV_LARGE it
 * stays queued and only its size (and the port's name) are written;
 * otherwise it is dequeued and destroyed, and the receiver gets the minimal
 * header and as much of the trailer as fits.
 */
static mp_kr_t receive_too_large(mk_port_t *from, mk_kmsg_t *m, uint8_t *out, uint32_t option,
				 uint32_t rcv_size, uint32_t tsize, const mk_rcv2_t *x)
{
	mp_kern_t *k = from->k;
	uint8_t t[MP_MAX_TRAILER_SIZE];
	uint32_t seqno, rtype, dtype, room;
	mp_port_name_t rpass;
	uint8_t *aux = x != NULL ? x->aux : NULL;

	if (option & MP_MACH_RCV_LARGE) {
		if (rcv_size >= MP_MSGH_SIZE_OFFSET + 4)
			mp_store_le32(out + MP_MSGH_SIZE_OFFSET, m->size);
		if ((option & MP_MACH_RCV_LARGE_IDENTITY) && rcv_size >= MP_MSGH_LOCAL_OFFSET + 4)
			mp_store_le32(out + MP_MSGH_LOCAL_OFFSET, from->receiver_name);
		/* mach_msg_receive_results_complete: the aux size needed too,
		 * when the caller gave an aux buffer */
		if (aux != NULL)
			mp_store_le32(aux + offsetof(mp_msg_aux_header_t, msgdh_size), m->aux_size);
		return MP_MACH_RCV_TOO_LARGE;
	}
	/* mach_msg_receive_error: the aux data is reduced to its bare header */
	if (aux != NULL)
		store_aux_header(aux, sizeof(mp_msg_aux_header_t));
	m = mk_kmsg_dequeue(from);
	seqno = from->seqno++;
	if (rcv_size < MP_MSG_HEADER_SIZE) {
		mk_kmsg_destroy(k, m);
		return MP_MACH_RCV_INVALID_DATA;
	}
	/* The minimal header (§6.6, §10.4): the reply right is destroyed, the
	 * destination consumed. */
	rtype = m->reply.type;
	dtype = m->dest.type;
	rpass = m->reply.port == MK_PORT_DEAD ? MP_PORT_DEAD : MP_PORT_NULL;
	store_header(out,
		     MP_MSGH_BITS_SET_PORTS(rtype, dtype, MP_MSGH_BITS_VOUCHER(m->bits)) |
			     (m->bits & ~MP_MSGH_BITS_PORTS_MASK),
		     MP_MSG_HEADER_SIZE, rpass, from->receiver_name, 0, m->id);
	room = rcv_size - MP_MSG_HEADER_SIZE;
	write_trailer(t, tsize, m, seqno, 0, true);
	memcpy(out + MP_MSG_HEADER_SIZE, t, room < tsize ? room : tsize);
	mk_kmsg_destroy(k, m);
	return MP_MACH_RCV_TOO_LARGE;
}

mp_kr_t mk_msg_receive(mp_kspace_t *s, void *msg, uint64_t uaddr, uint32_t option, uint32_t rcv_size,
		       mp_port_name_t rcv_name, uint32_t timeout_ms)
{
	return mk_msg_receive2(s, msg, uaddr, option, rcv_size, rcv_name, timeout_ms, NULL);
}

mp_kr_t mk_msg_receive2(mp_kspace_t *s, void *msg, uint64_t uaddr, uint32_t option, uint32_t rcv_size,
			mp_port_name_t rcv_name, uint32_t timeout_ms, const mk_rcv2_t *x)
{
	uint32_t tsize = mp_rcv_trailer_size(option);
	uint8_t *out = msg;
	mk_port_t *from = NULL;
	mk_kmsg_t *m;
	mp_kr_t bits = 0;
	uint32_t seqno;
	uint64_t context;
	bool first = true; /* ipc_mqueue_copyin runs once, before any wait */

	for (;;) {
		/* ipc_mqueue_copyin: a receive right or a port set (§6.6) */
		mk_entry_t *e = mk_lookup(s, rcv_name);
		mp_kr_t kr;
		if (e == NULL || !(e->type & (MP_PORT_TYPE_RECEIVE | MP_PORT_TYPE_PORT_SET))) {
			/* ipc_mqueue_copyin: an entry that is neither raises
			 * RCV_INVALID_NAME; ipc_right_lookup_read's failures (no
			 * entry, a dead name, a port that died) raise nothing */
			if (first && e != NULL && e->obj != NULL && ((mk_port_t *)e->obj)->active)
				mk_guard_exception(s, MP_GUARD_EXC_RCV_INVALID_NAME, rcv_name, 0);
			return MP_MACH_RCV_INVALID_NAME;
		}
		first = false;
		m = peek(e, &from);
		if (m != NULL)
			break;
		if ((option & MP_MACH_RCV_TIMEOUT) && timeout_ms == 0)
			return MP_MACH_RCV_TIMED_OUT;
		kr = wait_for_message(s, e, rcv_name, option, timeout_ms);
		if (kr != MP_MACH_MSG_SUCCESS)
			return kr;
	}

	if (too_large(m, rcv_size, tsize, x))
		return receive_too_large(from, m, out, option, rcv_size, tsize, x);

	m = mk_kmsg_dequeue(from);
	seqno = from->seqno++;
	context = from->context;
	memcpy(out, m->body, m->size);
	copyout_header(s, m, out, option, &bits);
	/* ipc_kmsg_copyout_header: a received message fires the port's armed
	 * send-possible requests (ipc_port_spnotify) */
	mk_port_spnotify(from);
	copyout_body(s, m, out, uaddr, option, false, &bits);
	write_trailer(out + m->size, tsize, m, seqno, context, false);
	copyout_aux(m, x);
	mk_kmsg_destroy(s->k, m);
	return bits;
}

/* The kernel size of a queued message (ipc_kmsg.c
 * ipc_kmsg_get_and_inflate_from_user): the user size, + 8 for the kernel
 * header (USER_HEADER_SIZE_DELTA), + 4 for each port descriptor (12 bytes
 * from a 64-bit sender, 16 in the kernel; the other descriptors are 16 in
 * both). mach_port_peek reports this size. */
static uint32_t kmsg_kernel_size(const mk_kmsg_t *m)
{
	uint32_t size = m->size + 8;

	for (uint32_t i = 0; i < m->ndesc; i++)
		if (m->desc[i].d.type == MP_MSG_PORT_DESCRIPTOR)
			size += 4;
	return size;
}

/* ipc_mqueue_peek_locked: seqno 0 is the head message (its seqno is
 * written back); else the message at position seqno - the port's seqno
 * (unsigned, as XNU: an already received seqno finds nothing). */
static mk_kmsg_t *peek_at_seqno(mk_port_t *p, uint32_t *seqno)
{
	mk_kmsg_t *m = p->qhead;
	uint32_t off;

	if (*seqno == 0)
		*seqno = p->seqno;
	for (off = *seqno - p->seqno; m != NULL && off > 0; off--)
		m = m->next;
	return m;
}

/* mach_port_peek's trailer request (mach_port.c mach_port_peek): at most the
 * AUDIT element, and room for it in the caller's buffer. */
static bool peek_trailer_ok(uint32_t trailer_opts, uint32_t trailer_size)
{
	return MP_GET_RCV_ELEMENTS(trailer_opts) <= MP_RCV_TRAILER_AUDIT &&
	       mp_rcv_trailer_size(trailer_opts) <= trailer_size;
}

/*
 * mach_port_peek (mach_port.c mach_port_peek, ipc_mqueue.c
 * ipc_mqueue_peek_locked; tests/ipc/port_peek.c): the id, kernel size and
 * stored trailer of a queued message, left queued. In XNU's order: the
 * names NULL/DEAD are KERN_INVALID_RIGHT; a bad trailer request is
 * KERN_INVALID_VALUE (+ guard exc INVALID_VALUE) before the name is looked
 * up; a failed lookup raises INVALID_NAME / INVALID_RIGHT; no such message
 * is KERN_FAILURE. The trailer is the message's stored one
 * (ipc_kmsg_init_trailer_and_sign): msgh_trailer_size reads 8
 * (MACH_MSG_TRAILER_MINIMUM_SIZE) whatever was asked, the seqno is the
 * peeked one, and no context element is ever given.
 */
mp_kr_t mp_kern_port_peek(mp_kspace_t *s, mp_port_name_t name, uint32_t trailer_opts,
			  uint32_t *seqno, uint32_t *size, int32_t *id, void *trailer,
			  uint32_t *trailer_size)
{
	uint32_t want = mp_rcv_trailer_size(trailer_opts), peeked = *seqno;
	mk_entry_t *e;
	mk_port_t *p;
	mk_kmsg_t *m;
	mp_kr_t kr = MP_KERN_SUCCESS;

	if (!MP_PORT_VALID(name))
		return MP_KERN_INVALID_RIGHT;
	MK_LOCK(s);
	if (!s->active) {
		kr = MP_KERN_INVALID_TASK;
		goto out;
	}
	if (!peek_trailer_ok(trailer_opts, *trailer_size)) {
		mk_guard_exception(s, MP_GUARD_EXC_INVALID_VALUE, name, 0);
		kr = MP_KERN_INVALID_VALUE;
		goto out;
	}
	kr = mk_translate_receive(s, name, &e, &p);
	if (kr != MP_KERN_SUCCESS) {
		mk_translate_guard_exception(s, name, kr);
		goto out;
	}
	m = peek_at_seqno(p, &peeked);
	if (m == NULL) {
		kr = MP_KERN_FAILURE;
		goto out;
	}
	*seqno = peeked;
	*size = kmsg_kernel_size(m);
	*id = m->id;
	write_trailer(trailer, want, m, peeked, 0, false);
	if (want >= MP_MSG_TRAILER_MINIMUM_SIZE)
		mp_store_le32((uint8_t *)trailer + offsetof(mp_msg_max_trailer_t, msgh_trailer_size),
			      MP_MSG_TRAILER_MINIMUM_SIZE);
	*trailer_size = want;
out:
	MK_UNLOCK(s);
	return kr;
}
