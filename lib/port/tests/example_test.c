/* lib/port/tests/example_test.c: the README's lib/port example, run so it
 * cannot drift. */
#define _GNU_SOURCE /* getpid */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "machports/msg.h"
#include "machports/port.h"

static uint8_t buf[256], rbuf[256];
static size_t len;
static int32_t id;
static pid_t pid;

/* The builder step the README leaves out. */
static int build_to(mp_port_name_t to)
{
	mp_builder_t bl;
	mp_builder_init(&bl, buf, sizeof buf, 0);
	mp_builder_set_remote(&bl, to, MP_MSG_TYPE_MOVE_SEND);
	mp_builder_set_id(&bl, 7);
	return mp_builder_finish(&bl, &len, NULL) != MP_OK;
}

static int example(void)
{
	mp_task_t *a, *b;                                 /* two IPC spaces */
	mp_recv_t port;
	mp_port_name_t to_b;
	uint32_t type;
	mp_received_t m;
	if (mp_task_open(MP_BACKEND_KERN, &a) ||          /* Darwin: MP_BACKEND_DARWIN */
	    mp_task_open(MP_BACKEND_KERN, &b) ||
	    mp_recv_allocate(b, NULL, 0, &port) ||
	    mp_port_extract_right(b, port.name, MP_MSG_TYPE_MAKE_SEND, a, &to_b, &type))
		return 1;
	/* ... build a message to `to_b` (MOVE_SEND) with the builder, then: */
	if (build_to(to_b))
		return 1;
	if (mp_msg_send(a, buf, len, MP_MACH_SEND_TIMEOUT, 100) ||
	    mp_msg_receive(b, port.name, MP_RCV_TRAILER_ELEMENTS(MP_RCV_TRAILER_AUDIT), 0,
			   rbuf, sizeof rbuf, &m))
		return 1;
	/* m.view is the parsed message; m.view.trailer.audit.val[5] the sender's pid */
	id = m.view.id;
	pid = (pid_t)m.view.trailer.audit.val[5];
	mp_received_release(&m);                          /* every right and OOL region it held */
	mp_recv_drop(&port);
	mp_task_close(a);                                 /* task death: its rights die as in XNU */
	mp_task_close(b);
	return 0;
}

int main(void)
{
	if (example() != 0 || id != 7 || pid != getpid()) {
		fprintf(stderr, "example: failed (id %d, pid %d)\n", id, (int)pid);
		return 1;
	}
	printf("example: message 7 from pid %d\n", (int)pid);
	return 0;
}
