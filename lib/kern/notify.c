/*
 * lib/kern/notify.c: every notification the kernel sends (XNU:
 * ipc_notify.c): send-once, port-deleted, no-senders, dead-name,
 * send-possible and port-destroyed (which carries a receive right). Each is a
 * kernel message to a send-once right the kernel holds (the request's), and
 * consumes that right: queued on its port, destroyed with the message if
 * the port is dead, or dropped if no message can be allocated.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kern/kern_internal.h"
#include "machports/le.h"

static mk_kmsg_t *notification(mk_port_t *notify, int32_t id, uint32_t size)
{
	mk_kmsg_t *m = mk_kmsg_new(notify->k, size);

	if (m == NULL)
		return NULL;
	m->kernel_sender = true;
	/* XNU sends notifications to the send-once right it holds: LOCAL bits 18
	 * on receipt (MACH_MSG_TYPE_PORT_SEND_ONCE). */
	m->dest.port = notify;
	m->dest.type = MP_MSG_TYPE_PORT_SEND_ONCE;
	m->bits = MP_MSGH_BITS(MP_MSG_TYPE_PORT_SEND_ONCE, 0);
	m->id = id;
	return m;
}

/* Queue a notification on `notify` (the send-once right moves into it), or
 * destroy it if the port is dead (ipc_notify_* ignore the queue limit). */
static void post(mk_kmsg_t *m, mk_port_t *notify)
{
	if (m == NULL) {
		/* no memory: the right is still released, as XNU drops the
		 * notification when it cannot allocate one */
		notify->sorights--;
		mk_port_unref(notify);
		return;
	}
	if (!notify->active) {
		mk_kmsg_destroy(notify->k, m);
		return;
	}
	mk_kmsg_enqueue(m);
}

/* The 36-byte notifications: header, NDR record, one 32-bit word (a name or
 * a make-send count; mp_dead_name_notification_t and
 * mp_no_senders_notification_t share the layout). */
static void notify_with_word(mk_port_t *notify, int32_t id, uint32_t word)
{
	static const uint8_t ndr[8] = MP_NDR_RECORD_INIT;
	mk_kmsg_t *m = notification(notify, id, sizeof(mp_dead_name_notification_t));

	if (m != NULL) {
		memcpy(m->body + offsetof(mp_dead_name_notification_t, NDR), ndr, sizeof(ndr));
		mp_store_le32(m->body + offsetof(mp_dead_name_notification_t, not_port), word);
	}
	post(m, notify);
}

/* ipc_notify_send_once: a send-once right destroyed unused tells its port
 * (the right is the one consumed). */
void mk_notify_send_once(mk_port_t *p)
{
	post(notification(p, MP_MACH_NOTIFY_SEND_ONCE, MP_MSG_HEADER_SIZE), p);
}

/* ipc_notify_port_deleted: a dead-name request whose name went away. */
void mk_notify_port_deleted(mk_port_t *notify, mp_port_name_t name)
{
	notify_with_word(notify, MP_MACH_NOTIFY_PORT_DELETED, name);
}

/* ipc_notify_no_senders: the make-send count when the last send right went. */
void mk_notify_no_senders(mk_port_t *notify, uint32_t mscount)
{
	notify_with_word(notify, MP_MACH_NOTIFY_NO_SENDERS, mscount);
}

/* ipc_notify_dead_name: the name of an entry whose port died. */
void mk_notify_dead_name(mk_port_t *notify, mp_port_name_t name)
{
	notify_with_word(notify, MP_MACH_NOTIFY_DEAD_NAME, name);
}

/* ipc_notify_send_possible: an armed send-possible request fires, naming
 * the requester's name for the port (mach_notify_send_possible, id 66). */
void mk_notify_send_possible(mk_port_t *notify, mp_port_name_t name)
{
	notify_with_word(notify, MP_MACH_NOTIFY_SEND_POSSIBLE, name);
}

/* mach_notify_port_destroyed as received (notify.defs, 64-bit): a complex
 * header, the descriptor count at 24 and one port descriptor at 28 (name,
 * pad, disposition 16 = MOVE_RECEIVE's carried type, type PORT): 40 bytes. */
#define MK_PD_NOTIFY_COUNT_OFFSET MP_MSG_HEADER_SIZE
#define MK_PD_NOTIFY_DESC_OFFSET (MP_MSG_HEADER_SIZE + 4u)
#define MK_PD_NOTIFY_SIZE (MK_PD_NOTIFY_DESC_OFFSET + (uint32_t)sizeof(mp_msg_port_descriptor_t))

/*
 * ipc_notify_port_destroyed (from ipc_port_destroy): the receive right of
 * `p` moves into message 69 sent to `notify`. The message is discarded,
 * destroying the receive right for good, when `notify` is dead
 * (ipc_kmsg_send to an inactive port) or when the right would end up in its
 * own queue (ipc_kmsg_copyin_port_from_kernel marks it CIRCULAR).
 */
void mk_notify_port_destroyed(mk_port_t *notify, mk_port_t *p)
{
	mk_kmsg_t *m = notification(notify, MP_MACH_NOTIFY_PORT_DESTROYED, MK_PD_NOTIFY_SIZE);

	if (m != NULL)
		m->desc = calloc(1, sizeof(*m->desc));
	if (m == NULL || m->desc == NULL) {
		/* no memory: the notification is lost, so is the port */
		if (m != NULL)
			mk_kmsg_destroy(notify->k, m);
		else
			post(NULL, notify);
		mk_release_receive(p);
		return;
	}
	m->bits |= MP_MSGH_BITS_COMPLEX;
	mp_store_le32(m->body + MK_PD_NOTIFY_COUNT_OFFSET, 1);
	m->body[MK_PD_NOTIFY_DESC_OFFSET + offsetof(mp_msg_port_descriptor_t, disposition)] =
		MP_MSG_TYPE_PORT_RECEIVE;
	m->body[MK_PD_NOTIFY_DESC_OFFSET + offsetof(mp_msg_port_descriptor_t, type)] =
		MP_MSG_PORT_DESCRIPTOR;
	m->ndesc = 1;
	m->desc[0].d.type = MP_MSG_PORT_DESCRIPTOR;
	m->desc[0].d.offset = MK_PD_NOTIFY_DESC_OFFSET;
	m->desc[0].d.size = (uint32_t)sizeof(mp_msg_port_descriptor_t);
	m->desc[0].d.disposition = MP_MSG_TYPE_PORT_RECEIVE;
	m->desc[0].right = (mk_right_t){ p, MP_MSG_TYPE_PORT_RECEIVE };
	p->in_transit = m;
	if (!notify->active || mk_port_circular(p->k, p, notify)) {
		mk_kmsg_destroy(notify->k, m);
		return;
	}
	mk_kmsg_enqueue(m);
}
