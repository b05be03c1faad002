/*
 * mach_example.c: a program written only against Apple's Mach API, built
 * outside Bazel against an installed machports. The same source builds on
 * macOS with the SDK.
 *
 * It makes a port, sends itself a complex message carrying a send right to a
 * second port (a port descriptor), receives it, checks what arrived, and
 * gives every right back. Prints "ok"; any call that fails is named with its
 * code and the program exits 1.
 *
 *   cc -Wall -Wextra mach_example.c $(pkg-config --cflags --libs machports-mach)
 *
 * On Linux the backend is MACHPORTS_BACKEND's: unset or "kern", the kernel
 * embedded in this process; "machportd", the machportd daemon.
 */
#include <mach/mach.h>
#include <stdio.h>

#define CHECK(call)                                                                          \
	do {                                                                                 \
		kern_return_t kr_ = (call);                                                  \
		if (kr_ != KERN_SUCCESS) {                                                   \
			fprintf(stderr, "mach_example: %s: %s (0x%x)\n", #call,              \
				mach_error_string(kr_), (unsigned)kr_);                      \
			return 1;                                                            \
		}                                                                            \
	} while (0)

#define EXPECT(cond)                                                                         \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "mach_example: not so: %s\n", #cond);                \
			return 1;                                                            \
		}                                                                            \
	} while (0)

#define REQUEST_ID 1234
#define PAYLOAD 0x5eed

typedef struct {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	int payload;
} request_t;

typedef struct {
	request_t request;
	mach_msg_max_trailer_t trailer; /* room for any trailer the receiver asks for */
} received_t;

/* Sends to `dest` (a send right) a request carrying a send right made
 * from the receive right `carried`. */
static int send_request(mach_port_t dest, mach_port_t carried)
{
	request_t req = {0};
	req.header.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, 0, MACH_MSGH_BITS_COMPLEX);
	req.header.msgh_size = sizeof req;
	req.header.msgh_remote_port = dest;
	req.header.msgh_local_port = MACH_PORT_NULL;
	req.header.msgh_id = REQUEST_ID;
	req.body.msgh_descriptor_count = 1;
	req.port.name = carried;
	req.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	req.port.type = MACH_MSG_PORT_DESCRIPTOR;
	req.payload = PAYLOAD;
	CHECK(mach_msg(&req.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof req, 0, MACH_PORT_NULL,
		       1000, MACH_PORT_NULL));
	return 0;
}

/* Receives the request on `server` and checks it carries a send right to
 * `carried`: in the task that holds its receive right, the same name. */
static int receive_request(mach_port_t server, mach_port_t carried)
{
	received_t rcv = {0};
	CHECK(mach_msg(&rcv.request.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof rcv, server,
		       1000, MACH_PORT_NULL));
	EXPECT(rcv.request.header.msgh_id == REQUEST_ID);
	EXPECT(rcv.request.header.msgh_size == sizeof(request_t));
	EXPECT(rcv.request.header.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	EXPECT(rcv.request.body.msgh_descriptor_count == 1);
	EXPECT(rcv.request.port.type == MACH_MSG_PORT_DESCRIPTOR);
	EXPECT(rcv.request.port.disposition == MACH_MSG_TYPE_PORT_SEND);
	EXPECT(rcv.request.port.name == carried);
	EXPECT(rcv.request.payload == PAYLOAD);
	return 0;
}

int main(void)
{
	mach_port_t task = mach_task_self();
	mach_port_t server = MACH_PORT_NULL, carried = MACH_PORT_NULL;
	mach_port_type_t type;
	mach_port_urefs_t refs;

	CHECK(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &server));
	CHECK(mach_port_insert_right(task, server, server, MACH_MSG_TYPE_MAKE_SEND));
	CHECK(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &carried));

	if (send_request(server, carried) || receive_request(server, carried))
		return 1;

	/* The send right that arrived sits beside the receive right. */
	CHECK(mach_port_type(task, carried, &type));
	EXPECT(type == MACH_PORT_TYPE_SEND_RECEIVE);
	CHECK(mach_port_get_refs(task, carried, MACH_PORT_RIGHT_SEND, &refs));
	EXPECT(refs == 1);

	/* Give every right back: the send rights, then the receive rights. */
	CHECK(mach_port_deallocate(task, carried));
	CHECK(mach_port_mod_refs(task, carried, MACH_PORT_RIGHT_RECEIVE, -1));
	CHECK(mach_port_deallocate(task, server));
	CHECK(mach_port_mod_refs(task, server, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT(mach_port_type(task, server, &type) == KERN_INVALID_NAME);

	puts("ok");
	return 0;
}
