/*
 * machports_example.c: a program built outside Bazel against an installed
 * machports (machports/port.h): two tasks, a message from one to the other.
 * Prints "ok" when the message arrived with its id and the sender's pid.
 *
 *   cc -Wall -Wextra machports_example.c $(pkg-config --cflags --libs machports)
 *
 * The backend is MACHPORTS_BACKEND's: unset or "kern", the kernel embedded in
 * this process; "machportd", the machportd daemon (started if none runs).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <machports/msg.h>
#include <machports/port.h>

static mp_backend_t backend_from_env(void)
{
	const char *b = getenv("MACHPORTS_BACKEND");
	return b && strcmp(b, "machportd") == 0 ? MP_BACKEND_MACHPORTD : MP_BACKEND_KERN;
}

/* A message with id 7 to `to`, moving the send right the sender holds. */
static int build_to(mp_port_name_t to, uint8_t *buf, size_t size, size_t *len)
{
	mp_builder_t bl;
	mp_builder_init(&bl, buf, size, 0);
	mp_builder_set_remote(&bl, to, MP_MSG_TYPE_MOVE_SEND);
	mp_builder_set_id(&bl, 7);
	return mp_builder_finish(&bl, len, NULL) != MP_OK;
}

static int exchange(mp_task_t *a, mp_task_t *b)
{
	uint8_t buf[256], rbuf[256];
	size_t len;
	mp_recv_t port;
	mp_port_name_t to_b;
	uint32_t type;
	mp_received_t m;
	int ok;

	if (mp_recv_allocate(b, NULL, 0, &port) != MP_KERN_SUCCESS)
		return 0;
	ok = mp_port_extract_right(b, port.name, MP_MSG_TYPE_MAKE_SEND, a, &to_b, &type) == MP_KERN_SUCCESS &&
	     build_to(to_b, buf, sizeof buf, &len) == 0 &&
	     mp_msg_send(a, buf, (uint32_t)len, MP_MACH_SEND_TIMEOUT, 1000) == MP_KERN_SUCCESS &&
	     mp_msg_receive(b, port.name, MP_RCV_TRAILER_ELEMENTS(MP_RCV_TRAILER_AUDIT), 0,
			    rbuf, sizeof rbuf, &m) == MP_KERN_SUCCESS;
	if (ok) {
		ok = m.view.id == 7 && m.view.trailer.audit.val[5] == (uint32_t)getpid();
		mp_received_release(&m);
	}
	mp_recv_drop(&port);
	return ok;
}

int main(void)
{
	mp_task_t *a = NULL, *b = NULL;
	int ok = mp_task_open(backend_from_env(), &a) == MP_KERN_SUCCESS &&
		 mp_task_open(backend_from_env(), &b) == MP_KERN_SUCCESS &&
		 exchange(a, b);
	if (b)
		mp_task_close(b);
	if (a)
		mp_task_close(a);
	puts(ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
