/*
 * lib/compat/examples/mig/notify_driver.c: drives MIG's own stubs of the
 * SDK's notify.defs. The kernel's own notifications (no-senders, dead-name,
 * port-destroyed, send-once) are asked for with
 * mach_port_request_notification and handled through mach_msg_server_once
 * with the generated demux (notify_server), which calls the do_mach_notify_*
 * routines below; a port-deleted notification is sent with the generated
 * user stub (mach_notify_port_deleted). With -DSEQNOS (passed to MIG and to
 * this file alike) the demux is seqnos_notify_server, the routines
 * do_seqnos_mach_notify_*, and each gets the message's sequence number.
 *
 * scripts/mig-compat-check generates the stubs (never committed) and builds
 * this file with them against lib/compat.
 */
#include <mach/mach.h>
#include <mach/notify.h>
#include <stdio.h>

#include "driver.h"
#include "notify.h"
#include "notifyServer.h"

#ifndef SEQNOS
#define SEQNOS 0
#endif

#if SEQNOS
#define HANDLER(name) do_seqnos_mach_notify_##name
#define SEQNO_PARAM , mach_port_seqno_t seqno
#define SEQNO_SEEN() seqno_seen(seqno)
#define DEMUX seqnos_notify_server
#define REQUEST_UNION union __RequestUnion__do_seqnos_notify_subsystem
/* the demux reads the sequence number from the trailer: ask for it */
#define RCV_OPTIONS \
	(MACH_RCV_TIMEOUT | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | \
	 MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO))
#else
#define HANDLER(name) do_mach_notify_##name
#define SEQNO_PARAM
#define SEQNO_SEEN() ((void)0)
#define DEMUX notify_server
#define REQUEST_UNION union __RequestUnion__do_notify_subsystem
#define RCV_OPTIONS MACH_RCV_TIMEOUT
#endif

static mach_port_t g_notify;

/* What the routines saw. */
static struct {
	int calls;
	mach_port_name_t name;
	mach_port_mscount_t mscount;
	mach_port_type_t rights_type;
	int seqno_errors;
	long last_seqno;
} g_seen;

#if SEQNOS
/* The port's sequence numbers count its received messages, one by one. */
static void seqno_seen(mach_port_seqno_t seqno)
{
	if (g_seen.last_seqno >= 0 && (long)seqno != g_seen.last_seqno + 1)
		g_seen.seqno_errors++;
	g_seen.last_seqno = (long)seqno;
}
#endif

/* ---- the routines the generated demux calls ---- */

kern_return_t HANDLER(port_deleted)(mach_port_t notify SEQNO_PARAM, mach_port_name_t name)
{
	SEQNO_SEEN();
	g_seen.calls += notify == g_notify;
	g_seen.name = name;
	return KERN_SUCCESS;
}

/* The receive right arrives here: this routine owns it and destroys it. */
kern_return_t HANDLER(port_destroyed)(mach_port_t notify SEQNO_PARAM, mach_port_t rights)
{
	SEQNO_SEEN();
	g_seen.calls += notify == g_notify;
	g_seen.name = rights;
	if (mach_port_type(mach_task_self(), rights, &g_seen.rights_type) != KERN_SUCCESS)
		g_seen.rights_type = 0;
	(void)mach_port_mod_refs(mach_task_self(), rights, MACH_PORT_RIGHT_RECEIVE, -1);
	return KERN_SUCCESS;
}

kern_return_t HANDLER(no_senders)(mach_port_t notify SEQNO_PARAM, mach_port_mscount_t mscount)
{
	SEQNO_SEEN();
	g_seen.calls += notify == g_notify;
	g_seen.mscount = mscount;
	return KERN_SUCCESS;
}

kern_return_t HANDLER(send_once)(mach_port_t notify SEQNO_PARAM)
{
	SEQNO_SEEN();
	g_seen.calls += notify == g_notify;
	return KERN_SUCCESS;
}

/* The notification brought a user reference to the dead name: drop it. */
kern_return_t HANDLER(dead_name)(mach_port_t notify SEQNO_PARAM, mach_port_name_t name)
{
	SEQNO_SEEN();
	g_seen.calls += notify == g_notify;
	g_seen.name = name;
	(void)mach_port_deallocate(mach_task_self(), name);
	return KERN_SUCCESS;
}

/* ---- the tests ---- */

/* Handles the one notification already queued on g_notify (MACH_RCV_TIMEOUT
 * with the runtime's zero timeout: never waits). */
static void handle_one(void)
{
	g_seen.calls = 0;
	EXPECT_KR(mach_msg_server_once(DEMUX, (mach_msg_size_t)sizeof(REQUEST_UNION), g_notify, RCV_OPTIONS),
		  MACH_MSG_SUCCESS);
	EXPECT(g_seen.calls == 1);
}

static void request(mach_port_t p, mach_msg_id_t id, mach_port_mscount_t sync)
{
	mach_port_t previous = 1;
	EXPECT_KR(mach_port_request_notification(mach_task_self(), p, id, sync, g_notify,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
		  KERN_SUCCESS);
	EXPECT(previous == MACH_PORT_NULL);
}

static mach_port_type_t type_of(mach_port_t name)
{
	mach_port_type_t type = 0;
	if (mach_port_type(mach_task_self(), name, &type) != KERN_SUCCESS)
		return 0;
	return type;
}

static void test_no_senders(void)
{
	mach_port_t p = port_with_send();
	request(p, MACH_NOTIFY_NO_SENDERS, 1);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	handle_one();
	EXPECT(g_seen.mscount == 1);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
}

static void test_dead_name(void)
{
	mach_port_t p = port_with_send();
	request(p, MACH_NOTIFY_DEAD_NAME, 0);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	handle_one();
	EXPECT(g_seen.name == p);
	/* the routine dropped the notification's reference; ours is left */
	EXPECT(type_of(p) == MACH_PORT_TYPE_DEAD_NAME);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	EXPECT(type_of(p) == 0);
}

static void test_port_destroyed(void)
{
	mach_port_t p = MACH_PORT_NULL;
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	request(p, MACH_NOTIFY_PORT_DESTROYED, 0);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	handle_one();
	EXPECT(g_seen.rights_type == MACH_PORT_TYPE_RECEIVE);
	EXPECT(type_of(g_seen.name) == 0);
}

static void test_send_once(void)
{
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t type = 0;
	EXPECT_KR(mach_port_extract_right(mach_task_self(), g_notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &type),
		  KERN_SUCCESS);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), so), KERN_SUCCESS);
	handle_one();
}

/* The generated user stub sends what the kernel would. */
static void test_user_stub(void)
{
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t type = 0;
	EXPECT_KR(mach_port_extract_right(mach_task_self(), g_notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &type),
		  KERN_SUCCESS);
	EXPECT_KR(mach_notify_port_deleted(so, 0x1234), KERN_SUCCESS);
	EXPECT(type_of(so) == 0); /* moved with the message */
	handle_one();
	EXPECT(g_seen.name == 0x1234);
}

/* Nothing was left behind on the notify port. */
static void test_queue_empty(void)
{
	EXPECT_KR(mach_msg_server_once(DEMUX, (mach_msg_size_t)sizeof(REQUEST_UNION), g_notify, RCV_OPTIONS),
		  MACH_RCV_TIMED_OUT);
#if SEQNOS
	EXPECT(g_seen.seqno_errors == 0);
#endif
}

int main(void)
{
	g_seen.last_seqno = -1;
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &g_notify), KERN_SUCCESS);
	printf("notify.defs%s: the generated demux through mach_msg_server_once\n", SEQNOS ? " (SEQNOS)" : "");
	ex_case("no-senders", test_no_senders);
	ex_case("dead-name", test_dead_name);
	ex_case("port-destroyed", test_port_destroyed);
	ex_case("send-once", test_send_once);
	ex_case("port-deleted via the user stub", test_user_stub);
	ex_case("nothing left", test_queue_empty);
	(void)mach_port_mod_refs(mach_task_self(), g_notify, MACH_PORT_RIGHT_RECEIVE, -1);
	return ex_summary();
}
