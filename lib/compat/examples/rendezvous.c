/*
 * lib/compat/examples/rendezvous.c: the port rendezvous pattern, only
 * against Apple's API. A parent starts a child; the child checks a service
 * in with the bootstrap server (bootstrap_check_in on bootstrap_port) and
 * waits on the port it got; the parent finds the service
 * (bootstrap_look_up) and sends it a message carrying a send right to a
 * port of its own and OOL memory; the child checks the bytes and answers
 * through the right it received. When the child is gone, the parent's right
 * to the service is a dead name (a dead-name notification says so).
 *
 * The child is a forked process where processes share a kernel: on macOS
 * and on machportd (MACHPORTS_BACKEND=machportd, where a forked child gets a
 * task of its own holding only the bootstrap port). The embedded kernel
 * (the default backend) lives inside one process, so a forked child would
 * get a copy of it, not a share: there the child is a second thread of the
 * same process, and the same code runs between the two threads.
 *
 * Built on Linux against lib/compat (//lib/compat:mach) and, by
 * scripts/check-darwin-abi, for macOS against the SDK.
 */
#define _POSIX_C_SOURCE 200809L
#include <mach/mach.h>
#include <mach/notify.h>
#include <pthread.h>
#include <servers/bootstrap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "example_check.h"

#define OFFER_ID 7100
#define ANSWER_ID 7101
#define OOL_SIZE (3 * 4096 + 100)
#define WAIT_MS 10000

#ifdef __MigPackStructs
#pragma pack(push, 4)
#endif
typedef struct {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t right; /* a send right to the parent's port */
	mach_msg_ool_descriptor_t data;
	uint32_t checksum; /* of the OOL bytes */
} offer_t;

typedef struct {
	mach_msg_header_t header;
	uint32_t checksum; /* what the child computed */
} answer_t;
#ifdef __MigPackStructs
#pragma pack(pop)
#endif

typedef union {
	offer_t offer;
	answer_t answer;
	mach_dead_name_notification_t dead_name;
	uint8_t room[sizeof(offer_t) + MAX_TRAILER_SIZE];
} inbox_t;

static name_t g_service;
static int g_ready[2]; /* the child writes one byte once it checked in */

static uint32_t checksum_of(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = s * 31 + p[i];
	return s;
}

static mach_msg_return_t receive(mach_port_t port, inbox_t *in)
{
	memset(in, 0, sizeof *in);
	return mach_msg(&in->offer.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof *in, port, WAIT_MS,
			MACH_PORT_NULL);
}

/* ---- the child: check in, take the offer, answer through its right ---- */

/* Checks the offer's shape and bytes; answers through the right it carries. */
static void child_answer(const offer_t *offer)
{
	EXPECT(offer->header.msgh_id == OFFER_ID);
	EXPECT((offer->header.msgh_bits & MACH_MSGH_BITS_COMPLEX) != 0);
	EXPECT(offer->body.msgh_descriptor_count == 2);
	EXPECT(offer->right.type == MACH_MSG_PORT_DESCRIPTOR);
	EXPECT(offer->right.disposition == MACH_MSG_TYPE_PORT_SEND);
	EXPECT(offer->data.type == MACH_MSG_OOL_DESCRIPTOR);
	EXPECT(offer->data.size == OOL_SIZE);
	if (offer->data.type != MACH_MSG_OOL_DESCRIPTOR || offer->data.size != OOL_SIZE ||
	    offer->right.type != MACH_MSG_PORT_DESCRIPTOR)
		return;
	uint32_t sum = checksum_of(offer->data.address, OOL_SIZE);
	EXPECT(sum == offer->checksum);
	answer_t answer;
	memset(&answer, 0, sizeof answer);
	answer.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	answer.header.msgh_size = sizeof answer;
	answer.header.msgh_remote_port = offer->right.name;
	answer.header.msgh_id = ANSWER_ID;
	answer.checksum = sum;
	EXPECT_KR(mach_msg(&answer.header, MACH_SEND_MSG, sizeof answer, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
			   MACH_PORT_NULL),
		  MACH_MSG_SUCCESS);
	EXPECT_KR(vm_deallocate(mach_task_self(), (vm_address_t)offer->data.address, OOL_SIZE), KERN_SUCCESS);
}

/* The child's whole part: how many of its checks failed. */
static int child(void)
{
	mach_port_t service = MACH_PORT_NULL;
	inbox_t in;
	char ok = 1;
	int failures_before = ex_case_failures;
	EXPECT_KR(bootstrap_check_in(bootstrap_port, g_service, &service), BOOTSTRAP_SUCCESS);
	if (write(g_ready[1], &ok, 1) != 1)
		ex_case_failures++;
	if (service != MACH_PORT_NULL) {
		mach_msg_return_t mr = receive(service, &in);
		EXPECT_KR(mr, MACH_MSG_SUCCESS);
		if (mr == MACH_MSG_SUCCESS)
			child_answer(&in.offer);
		EXPECT_KR(mach_port_mod_refs(mach_task_self(), service, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	}
	return ex_case_failures - failures_before;
}

/* ---- the parent: look up, offer, take the answer, see the child go ---- */

static void parent_offer(mach_port_t service, mach_port_t mine, const uint8_t *data)
{
	offer_t offer;
	memset(&offer, 0, sizeof offer);
	offer.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	offer.header.msgh_size = sizeof offer;
	offer.header.msgh_remote_port = service;
	offer.header.msgh_id = OFFER_ID;
	offer.body.msgh_descriptor_count = 2;
	offer.right.name = mine;
	offer.right.disposition = MACH_MSG_TYPE_MAKE_SEND;
	offer.right.type = MACH_MSG_PORT_DESCRIPTOR;
	offer.data.address = (void *)(uintptr_t)data;
	offer.data.size = OOL_SIZE;
	offer.data.deallocate = FALSE;
	offer.data.copy = MACH_MSG_VIRTUAL_COPY;
	offer.data.type = MACH_MSG_OOL_DESCRIPTOR;
	offer.checksum = checksum_of(data, OOL_SIZE);
	EXPECT_KR(mach_msg(&offer.header, MACH_SEND_MSG, sizeof offer, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
			   MACH_PORT_NULL),
		  MACH_MSG_SUCCESS);
}

/* Asked for while the service is alive: XNU ipc_right_request_alloc refuses
 * a dead-name request on a name that is already dead (KERN_INVALID_ARGUMENT;
 * only a send-possible request fires at once there). */
static void parent_watches_service(mach_port_t service, mach_port_t mine)
{
	mach_port_t previous = 1;
	EXPECT_KR(mach_port_request_notification(mach_task_self(), service, MACH_NOTIFY_DEAD_NAME, 0, mine,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
		  KERN_SUCCESS);
	EXPECT(previous == MACH_PORT_NULL);
}

/* Once the child's receive right is gone (it destroyed it, or its task
 * ended with its process), the looked-up right is a dead name, and the
 * notification says so; it brought one more user reference. */
static void parent_sees_service_die(mach_port_t service, mach_port_t mine)
{
	mach_port_urefs_t refs = 0;
	inbox_t in;
	EXPECT_KR(receive(mine, &in), MACH_MSG_SUCCESS);
	EXPECT(in.dead_name.not_header.msgh_id == MACH_NOTIFY_DEAD_NAME);
	EXPECT(in.dead_name.not_port == service);
	EXPECT_KR(mach_port_get_refs(mach_task_self(), service, MACH_PORT_RIGHT_DEAD_NAME, &refs), KERN_SUCCESS);
	EXPECT(refs == 2);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), service, MACH_PORT_RIGHT_DEAD_NAME, -(mach_port_delta_t)refs),
		  KERN_SUCCESS);
}

static void parent(uint8_t *data)
{
	mach_port_t service = MACH_PORT_NULL, mine = MACH_PORT_NULL;
	inbox_t in;
	char ok = 0;
	EXPECT(read(g_ready[0], &ok, 1) == 1 && ok == 1);
	EXPECT_KR(bootstrap_look_up(bootstrap_port, g_service, &service), BOOTSTRAP_SUCCESS);
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine), KERN_SUCCESS);
	if (service == MACH_PORT_NULL || mine == MACH_PORT_NULL)
		return;
	parent_watches_service(service, mine);
	for (size_t i = 0; i < OOL_SIZE; i++)
		data[i] = (uint8_t)(i * 13 + 5);
	parent_offer(service, mine, data);
	/* the child answers before it lets its port go: the answer comes first */
	EXPECT_KR(receive(mine, &in), MACH_MSG_SUCCESS);
	EXPECT(in.answer.header.msgh_id == ANSWER_ID);
	EXPECT(in.answer.checksum == checksum_of(data, OOL_SIZE));
	parent_sees_service_die(service, mine);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), mine, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
}

/* ---- the two ways to run the child ---- */

static int child_is_a_process(void)
{
#ifdef __APPLE__
	return 1;
#else
	const char *backend = getenv("MACHPORTS_BACKEND");
	return backend != NULL && strcmp(backend, "machportd") == 0;
#endif
}

static void run_with_process(uint8_t *data)
{
	pid_t pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0)
		exit(child() == 0 ? 0 : 1);
	if (pid < 0)
		return;
	parent(data);
	int status = 0;
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void *child_thread(void *arg)
{
	*(int *)arg = child();
	return NULL;
}

static void run_with_thread(uint8_t *data)
{
	pthread_t thread;
	int child_failures = -1;
	EXPECT(pthread_create(&thread, NULL, child_thread, &child_failures) == 0);
	parent(data);
	EXPECT(pthread_join(thread, NULL) == 0);
	EXPECT(child_failures == 0);
}

static void test_rendezvous(void)
{
	static uint8_t data[OOL_SIZE];
	snprintf(g_service, sizeof g_service, "org.machports.example.rendezvous.%ld", (long)getpid());
	EXPECT(pipe(g_ready) == 0);
	if (child_is_a_process())
		run_with_process(data);
	else
		run_with_thread(data);
	close(g_ready[0]);
	close(g_ready[1]);
}

/* Looking up a name nobody checked in. */
static void test_unknown_service(void)
{
	/* a whole name_t: the call may read all of it (gcc checks) */
	static const name_t nobody = "org.machports.example.nobody";
	mach_port_t port = MACH_PORT_NULL;
	EXPECT_KR(bootstrap_look_up(bootstrap_port, nobody, &port),
		  BOOTSTRAP_UNKNOWN_SERVICE);
	EXPECT(port == MACH_PORT_NULL);
}

int main(void)
{
	ex_case(child_is_a_process() ? "rendezvous with a forked child" : "rendezvous with a second thread",
		test_rendezvous);
	ex_case("look-up of an unknown service", test_unknown_service);
	return ex_summary();
}
