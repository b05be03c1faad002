/*
 * lib/compat/examples/notifications.c: the kernel's notifications, asked
 * for with mach_port_request_notification and decoded with <mach/notify.h>'s
 * message structs, only against Apple's API: dead-name, no-senders (armed,
 * and fired at once), port-destroyed (the receive right comes back in the
 * notification) and send-once. Each rule names the XNU function it follows.
 *
 * Built on Linux against lib/compat (//lib/compat:mach) and, by
 * scripts/check-darwin-abi, for macOS against the SDK.
 */
#include <mach/mach.h>
#include <mach/notify.h>
#include <string.h>

#include "example_check.h"

/* Room for any notification and the largest trailer. */
typedef union {
	mach_msg_header_t head;
	mach_dead_name_notification_t dead_name;
	mach_no_senders_notification_t no_senders;
	mach_port_destroyed_notification_t port_destroyed;
	mach_send_once_notification_t send_once;
	uint8_t room[256];
} notification_t;

static mach_port_t g_notify; /* where every notification goes */

static mach_port_t new_port(void)
{
	mach_port_t p = MACH_PORT_NULL;
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	return p;
}

/* Receives the next notification on g_notify (1 s at most). */
static mach_msg_return_t receive_notification(notification_t *n)
{
	memset(n, 0, sizeof *n);
	return mach_msg(&n->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof *n, g_notify, 1000, MACH_PORT_NULL);
}

/* Nothing more is queued on g_notify. */
static int notify_queue_empty(void)
{
	notification_t n;
	memset(&n, 0, sizeof n);
	return mach_msg(&n.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof n, g_notify, 0, MACH_PORT_NULL) ==
	       MACH_RCV_TIMED_OUT;
}

/*
 * XNU ipc_right_delta (MACH_PORT_RIGHT_RECEIVE): destroying a receive right
 * whose name also holds send rights leaves a dead name, with one more user
 * reference for the armed dead-name request; ipc_port_destroy then sends
 * MACH_NOTIFY_DEAD_NAME carrying the name (ipc_port_dnnotify).
 */
static void test_dead_name(void)
{
	mach_port_t p = new_port();
	mach_port_t previous = 1;
	notification_t n;
	mach_port_urefs_t refs = 0;
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	EXPECT_KR(mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_DEAD_NAME, 0, g_notify,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
		  KERN_SUCCESS);
	EXPECT(previous == MACH_PORT_NULL);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	EXPECT_KR(receive_notification(&n), MACH_MSG_SUCCESS);
	EXPECT(n.head.msgh_id == MACH_NOTIFY_DEAD_NAME);
	EXPECT(n.head.msgh_local_port == g_notify);
	EXPECT((n.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) == 0);
	EXPECT(n.dead_name.not_port == p);
	EXPECT(ex_type_of(p) == MACH_PORT_TYPE_DEAD_NAME);
	EXPECT_KR(mach_port_get_refs(mach_task_self(), p, MACH_PORT_RIGHT_DEAD_NAME, &refs), KERN_SUCCESS);
	EXPECT(refs == 2);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_DEAD_NAME, -2), KERN_SUCCESS);
	EXPECT(ex_type_of(p) == 0);
	EXPECT(notify_queue_empty());
}

/*
 * XNU ipc_port_nsrequest: an armed request fires when the last send right
 * goes (ipc_notify_no_senders with the make-send count); a request whose
 * sync is at most the make-send count, on a port without senders, fires at
 * once.
 */
static void test_no_senders(void)
{
	mach_port_t p = new_port();
	mach_port_t previous = 1;
	notification_t n;
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	EXPECT_KR(mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_NO_SENDERS, 1, g_notify,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
		  KERN_SUCCESS);
	EXPECT(previous == MACH_PORT_NULL);
	EXPECT(notify_queue_empty());
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	EXPECT_KR(receive_notification(&n), MACH_MSG_SUCCESS);
	EXPECT(n.head.msgh_id == MACH_NOTIFY_NO_SENDERS);
	EXPECT(n.no_senders.not_count == 1);
	EXPECT(ex_type_of(p) == MACH_PORT_TYPE_RECEIVE);

	/* no senders now and make-send count 1 >= sync 1: fires at once */
	EXPECT_KR(mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_NO_SENDERS, 1, g_notify,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
		  KERN_SUCCESS);
	EXPECT_KR(receive_notification(&n), MACH_MSG_SUCCESS);
	EXPECT(n.head.msgh_id == MACH_NOTIFY_NO_SENDERS);
	EXPECT(n.no_senders.not_count == 1);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	EXPECT(notify_queue_empty());
}

/*
 * XNU ipc_port_destroy: a port with a port-destroyed request is not
 * destroyed; its receive right travels in MACH_NOTIFY_PORT_DESTROYED
 * (ipc_notify_port_destroyed). The name kept its send right
 * (ipc_right_delta: "the receive right is just being moved"), so the
 * receive right arrives under that same name.
 */
static void test_port_destroyed(void)
{
	mach_port_t p = new_port();
	mach_port_t previous = 1;
	notification_t n;
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	EXPECT_KR(mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_PORT_DESTROYED, 0, g_notify,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
		  KERN_SUCCESS);
	EXPECT(previous == MACH_PORT_NULL);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	EXPECT(ex_type_of(p) == MACH_PORT_TYPE_SEND);
	EXPECT_KR(receive_notification(&n), MACH_MSG_SUCCESS);
	EXPECT(n.head.msgh_id == MACH_NOTIFY_PORT_DESTROYED);
	EXPECT((n.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) != 0);
	EXPECT(n.port_destroyed.not_body.msgh_descriptor_count == 1);
	EXPECT(n.port_destroyed.not_port.type == MACH_MSG_PORT_DESCRIPTOR);
	EXPECT(n.port_destroyed.not_port.disposition == MACH_MSG_TYPE_PORT_RECEIVE);
	EXPECT(n.port_destroyed.not_port.name == p);
	EXPECT(ex_type_of(p) == MACH_PORT_TYPE_SEND_RECEIVE);
	/* the request was used up: destroying the right again really destroys it */
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	EXPECT(ex_type_of(p) == MACH_PORT_TYPE_DEAD_NAME);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	EXPECT(notify_queue_empty());
}

/*
 * XNU ipc_right_dealloc (MACH_PORT_TYPE_SEND_ONCE): deallocating a
 * send-once right sends MACH_NOTIFY_SEND_ONCE to its port
 * (ipc_notify_send_once_and_unlock); so does mach_msg_destroy of a header
 * whose remote port holds one.
 */
static void test_send_once(void)
{
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t type = 0;
	notification_t n;
	EXPECT_KR(mach_port_extract_right(mach_task_self(), g_notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &type),
		  KERN_SUCCESS);
	EXPECT(type == MACH_MSG_TYPE_PORT_SEND_ONCE);
	EXPECT(ex_type_of(so) == MACH_PORT_TYPE_SEND_ONCE);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), so), KERN_SUCCESS);
	EXPECT(ex_type_of(so) == 0);
	EXPECT_KR(receive_notification(&n), MACH_MSG_SUCCESS);
	EXPECT(n.head.msgh_id == MACH_NOTIFY_SEND_ONCE);
	EXPECT(n.head.msgh_size == sizeof(mach_msg_header_t));

	/* libsyscall mach_msg_destroy: the remote port's right is destroyed
	 * (MAKE_SEND_ONCE: made, then destroyed), the local port's never */
	mach_msg_header_t h;
	memset(&h, 0, sizeof h);
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0);
	h.msgh_remote_port = g_notify;
	mach_msg_destroy(&h);
	EXPECT_KR(receive_notification(&n), MACH_MSG_SUCCESS);
	EXPECT(n.head.msgh_id == MACH_NOTIFY_SEND_ONCE);
	EXPECT_KR(mach_port_extract_right(mach_task_self(), g_notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &type),
		  KERN_SUCCESS);
	memset(&h, 0, sizeof h);
	h.msgh_bits = MACH_MSGH_BITS(0, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	h.msgh_local_port = so;
	mach_msg_destroy(&h);
	EXPECT(ex_type_of(so) == MACH_PORT_TYPE_SEND_ONCE);
	EXPECT(notify_queue_empty());
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	h.msgh_remote_port = so;
	h.msgh_local_port = MACH_PORT_NULL;
	mach_msg_destroy(&h);
	EXPECT(ex_type_of(so) == 0);
	EXPECT_KR(receive_notification(&n), MACH_MSG_SUCCESS);
	EXPECT(n.head.msgh_id == MACH_NOTIFY_SEND_ONCE);
	EXPECT(notify_queue_empty());
}

/* mach_port_request_notification refuses what XNU refuses: a name that is
 * not a right (KERN_INVALID_NAME), an unknown id (KERN_INVALID_VALUE).
 * XNU _kernelrpc_mach_port_request_notification_trap makes the send-once
 * right before mach_port_request_notification looks at the name, and
 * destroys it after a refusal (ipc_object_destroy): the notify port gets a
 * MACH_NOTIFY_SEND_ONCE. */
static void test_refusals(void)
{
	mach_port_t p = new_port();
	mach_port_t previous = 1;
	notification_t n;
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	EXPECT_KR(mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_DEAD_NAME, 0, g_notify,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
		  KERN_INVALID_NAME);
	EXPECT_KR(receive_notification(&n), MACH_MSG_SUCCESS);
	EXPECT(n.head.msgh_id == MACH_NOTIFY_SEND_ONCE);
	EXPECT(notify_queue_empty());
	p = new_port();
	EXPECT_KR(mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_LAST + 1, 0, g_notify,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
		  KERN_INVALID_VALUE);
	EXPECT_KR(receive_notification(&n), MACH_MSG_SUCCESS);
	EXPECT(n.head.msgh_id == MACH_NOTIFY_SEND_ONCE);
	EXPECT(notify_queue_empty());
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
}

int main(void)
{
	g_notify = new_port();
	ex_case("dead-name notification", test_dead_name);
	ex_case("no-senders notification", test_no_senders);
	ex_case("port-destroyed notification", test_port_destroyed);
	ex_case("send-once notification", test_send_once);
	ex_case("request_notification refusals", test_refusals);
	(void)mach_port_mod_refs(mach_task_self(), g_notify, MACH_PORT_RIGHT_RECEIVE, -1);
	return ex_summary();
}
