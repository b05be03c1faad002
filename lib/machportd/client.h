/*
 * lib/machportd/client.h: the client of machportd (Linux).
 *
 * The transport a process uses to be a task in the daemon: where the
 * daemon listens and starting it on demand, one connection per calling
 * thread (a pool), one request and its reply at a time on a connection,
 * the OOL memory a message carries in and out, and the relay through
 * which a task's owner lets another process make its calls. It speaks
 * lib/machportd/proto.h and knows nothing of lib/port: lib/port's
 * machportd backend (lib/port/machportd_backend.c) is an adapter over it.
 *
 * A task is a connection that said HELLO (the daemon made a space with this
 * process's SO_PEERCRED identity; the space dies when that connection
 * closes). A thread making a call while another thread of the task is
 * blocked in one gets a further connection ATTACHed to the same space, so
 * a blocked receive never holds up the rest of the task (idle connections
 * are kept for reuse).
 *
 * Memory. This process's memory is the task's memory. A send reads each
 * OOL region through process_vm_readv (an unreadable address is
 * MACH_SEND_INVALID_MEMORY, not a crash here) into the request packet when
 * small, else into a sealed memfd; a receive gives each region fresh pages
 * (copied from the reply, or mapped from the daemon's memfd) and rewrites
 * the descriptors' token addresses to them. Which of this process's pages
 * are the task's VM (what vm_deallocate may unmap) is the caller's to keep:
 * mpd_client_msg reports the pages it mapped and the regions the kernel
 * deallocated through mpd_vm_hooks_t.
 *
 * Return values: the mp_kr_t XNU would return (MP_KERN_*, MP_MACH_*).
 * Every reply is read through proto.h's decoder (mpd_decode_reply,
 * mpd_decode_reply_tail) and nothing of a malformed one is used. A call
 * whose connection is gone, or whose reply answers another request (its
 * header refused), fails as the task died with the daemon: MP_KERN_FAILURE,
 * MACH_*_INTERRUPTED. A reply whose body breaks its kind's rules fails the
 * call as a bad reply always has: MP_KERN_INVALID_ARGUMENT (port calls, the
 * registry), MP_KERN_FAILURE (HELLO), MACH_RCV_INVALID_DATA or, for a send
 * alone, MACH_SEND_INVALID_DATA (messages).
 */
#ifndef MP_MACHPORTD_CLIENT_H
#define MP_MACHPORTD_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/machportd/proto.h"
#include "machports/testing.h"
#include "machports/wire.h"

/* The page the client maps regions in (and rounds vm_allocate to): the
 * protocol's (the daemon lays a reply's memfd out in these). */
#define MPD_CLIENT_PAGE ((uint64_t)MPD_PAGE)

/* One task in the daemon: its connections and its space's id and token. */
typedef struct mpd_client mpd_client_t;

/* A new task: a HELLO on the daemon's socket (mpd_socket_path), the daemon
 * started first if nobody listens ($MACHPORTD, else machportd on PATH;
 * MACHPORTD_NO_AUTOSTART=1 turns that off). MP_KERN_NOT_SUPPORTED if there
 * is no daemon and none could be started. */
mp_kr_t mpd_client_open(mpd_client_t **out);

/* A task another process relays (mpd_client_relay on the other end of
 * `fd`): one connection, this process's calls. `served_by` is reaped at
 * close (0: not a child). */
mp_kr_t mpd_client_open_remote(int fd, pid_t served_by, mpd_client_t **out);

/* Ends the task: closes its connections and waits (at most 10 s) until the
 * daemon has ended the space; then reaps `served_by`. */
void mpd_client_close(mpd_client_t *c);

/* In a forked child: frees the client and closes its idle connections and
 * its first one in this process only (close, no shutdown: the parent's
 * task, which shares them, is not ended). lib/port's
 * mp_task_forget_after_fork. */
void mpd_client_forget(mpd_client_t *c);

/* The pid the daemon's kernel gave the space (SO_PEERCRED of its owner). */
uint32_t mpd_client_pid(const mpd_client_t *c);

/* The space's id and token, which name it in another task's request
 * (insert_right's `from`, extract_right's `into`). */
void mpd_client_space(const mpd_client_t *c, uint64_t *id, uint64_t *token);

/* A PORT_CALL's results (what each call returns where: proto.h). */
typedef struct mpd_port_result {
	uint32_t r1, r2, r3;
	uint64_t r64;
	uint8_t extra[128]; /* a status struct, or a peeked trailer */
	uint32_t nextra;
	/* mpd_client_port_call_big's buffer, where the extra bytes went */
	uint8_t *big;
	uint32_t big_cap;
} mpd_port_result_t;

/* One mach_port_* call. MP_KERN_FAILURE if the daemon is gone,
 * MP_KERN_INVALID_ARGUMENT if it refused the request. */
mp_kr_t mpd_client_port_call(mpd_client_t *c, const mpd_port_call_t *call, mpd_port_result_t *out);
/* The same, for a call whose extra bytes may not fit `extra` (NAMES,
 * GUARD_EVENTS): they go to big[0..big_cap). More than big_cap is
 * MP_KERN_FAILURE (the reply is not the call's). */
mp_kr_t mpd_client_port_call_big(mpd_client_t *c, const mpd_port_call_t *call, mpd_port_result_t *out,
				 uint8_t *big, uint32_t big_cap);

/* Where a message's OOL pages go: the caller's record of the task's VM. */
typedef struct mpd_vm_hooks {
	void *ctx;
	/* fresh pages [addr, addr + len) the client gave a received region */
	void (*mapped)(void *ctx, uint64_t addr, uint64_t len);
	/* a sent region the kernel deallocated (a descriptor's deallocate flag) */
	void (*deallocated)(void *ctx, uint64_t addr, uint64_t len);
} mpd_vm_hooks_t;

/* mach_msg (send and/or receive) with XNU's arguments and return codes. */
mp_kr_t mpd_client_msg(mpd_client_t *c, void *msg, uint32_t option, uint32_t send_size,
		       uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms,
		       const mpd_vm_hooks_t *vm);

/* mach_msg2_trap's arguments (lib/port's mp_msg2_trap_args_t): `data` is
 * the caller's buffer, or its mp_msg_vector_t array with MACH64_MSG_VECTOR
 * (send_size / rcv_size then the vector counts). */
typedef struct mpd_msg2_call {
	void *data;
	uint64_t options;
	uint32_t bits, send_size;
	mp_port_name_t remote, local, voucher;
	int32_t id;
	uint32_t desc_count;
	mp_port_name_t rcv_name;
	uint32_t rcv_size, priority;
	uint64_t timeout;
} mpd_msg2_call_t;

/* mach_msg2: a MSG request with its MPD_MSG_MSG2 block; the vectors and aux
 * data are read from this process's memory and the spans written back to
 * the message and aux buffers they belong to. Codes as mpd_client_msg. */
mp_kr_t mpd_client_msg2(mpd_client_t *c, const mpd_msg2_call_t *call, const mpd_vm_hooks_t *vm);

/* The bootstrap registry: REGISTER and LOOK_UP. */
mp_kr_t mpd_client_register(mpd_client_t *c, const char *service, mp_port_name_t port,
			    uint32_t disposition);
mp_kr_t mpd_client_look_up(mpd_client_t *c, const char *service, mp_port_name_t *port);

/* Relays every request from `fd` to the daemon on this process's own
 * connection, until `fd` closes; the task is this process's. 0, or -1 if
 * the daemon could not be reached or went away. */
int mpd_client_relay(int fd);

/* The daemon's kernel check (CHECK, on a fresh connection; no start on
 * demand): 0 with *report filled, or -1 with report->why. */
int mpd_client_check(mp_kernel_report_t *report);

#endif /* MP_MACHPORTD_CLIENT_H */
