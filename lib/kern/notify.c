/*
 * lib/kern/notify.c: every notification the kernel sends (XNU:
 * ipc_notify.c): send-once, port-deleted, no-senders, dead-name. Each is a
 * kernel message to a send-once right the kernel holds (the request's), and
 * consumes that right: queued on its port, destroyed with the message if
 * the port is dead, or dropped if no message can be allocated.
 */
#include <stddef.h>
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
