/*
 * machports/port.h: tasks, port rights and messages over a backend.
 *
 * Two levels, one header:
 *
 *  1. Name-level calls with XNU's semantics and return codes: the
 *     mach_port_* family and mach_msg, on an mp_task_t. The rules are those
 *     of xnu-abi.md §6-7; every call returns XNU's kern_return_t /
 *     mach_msg_return_t value (MP_KERN_*, MP_MACH_*).
 *
 *  2. Owned right handles (mp_send_t, mp_recv_t, mp_sonce_t, mp_pset_t) on
 *     top of them. A handle owns exactly one right (for a send right: one
 *     user reference). A function that consumes a right takes a pointer to
 *     the handle and sets it to the null handle; dropping releases what the
 *     handle owns; receive and send-once rights cannot be cloned.
 *
 * Backends: MP_BACKEND_KERN is machports' userspace IPC kernel embedded in
 * this process (any number of tasks: each is one IPC space); MP_BACKEND_DARWIN
 * is the real kernel (Apple platforms only; one task, the current one);
 * MP_BACKEND_MACHPORTD is lib/kern served to separate processes by the
 * machportd daemon (Linux).
 *
 * This header holds what works on every backend. What only machportd has
 * is in machports/machportd.h; hooks for tests in machports/testing.h.
 */
#ifndef MACHPORTS_PORT_H
#define MACHPORTS_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "machports/msg.h"
#include "machports/wire.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mp_backend {
	MP_BACKEND_KERN = 1,   /* the embedded userspace kernel (lib/kern) */
	MP_BACKEND_DARWIN = 2, /* XNU itself (Apple platforms only) */
	MP_BACKEND_MACHPORTD = 3, /* machportd: the userspace kernel shared by processes (Linux) */
} mp_backend_t;

typedef struct mp_task mp_task_t;

/*
 * mp_task_open makes a task on `backend`. On MP_BACKEND_KERN every call makes
 * a new, empty IPC space in the process-wide embedded kernel, with the
 * identity (security and audit tokens) of this process. On MP_BACKEND_DARWIN
 * it returns the current task. On MP_BACKEND_MACHPORTD it makes a space in
 * the daemon (machports/machportd.h says where it listens and how it is
 * started). MP_KERN_NOT_SUPPORTED if the backend is not available here.
 */
MP_MUST_USE mp_kr_t mp_task_open(mp_backend_t backend, mp_task_t **out);

/* mp_task_close ends the task. On MP_BACKEND_KERN the space is destroyed as
 * XNU destroys a dead task's space: its receive rights die, its send-once
 * rights fire send-once notifications, its OOL memory is freed. */
void mp_task_close(mp_task_t *task);

mp_backend_t mp_task_backend(const mp_task_t *task);

/*
 * The bootstrap registry (launchd's bootstrap_register / bootstrap_look_up),
 * how separate processes find each other's ports: the backend keeps a send
 * right under a service name (up to 127 bytes). Register with
 * MP_MSG_TYPE_MAKE_SEND (from a receive right) or MP_MSG_TYPE_COPY_SEND;
 * a name whose port is alive is MP_BOOTSTRAP_NAME_IN_USE, one whose port
 * died can be taken again. Look-up inserts a send right (one more uref if
 * the task has one already); an unknown or dead service is
 * MP_BOOTSTRAP_UNKNOWN_SERVICE. Today only MP_BACKEND_MACHPORTD keeps a
 * registry (machportd's); the other backends answer MP_KERN_NOT_SUPPORTED.
 */
mp_kr_t mp_bootstrap_register(mp_task_t *t, const char *service, mp_port_name_t port, uint32_t disposition);
mp_kr_t mp_bootstrap_look_up(mp_task_t *t, const char *service, mp_port_name_t *port);

/* The pid the task's messages carry in their audit trailers (this
 * process's, except for a machportd task another process relays). */
uint32_t mp_task_pid(const mp_task_t *task);

/* ------------------------------------------------------------------------
 * Name-level calls: mach_port_* (xnu-abi.md §7.4)
 * ------------------------------------------------------------------------ */

/* mach_port_options_t, reduced to what the backends honour. */
typedef struct mp_port_options {
	uint32_t flags;  /* MP_MPO_* */
	uint32_t qlimit; /* with MP_MPO_QLIMIT */
} mp_port_options_t;

mp_kr_t mp_port_allocate(mp_task_t *t, mp_port_right_t right, mp_port_name_t *name);
mp_kr_t mp_port_allocate_name(mp_task_t *t, mp_port_right_t right, mp_port_name_t name);
mp_kr_t mp_port_construct(mp_task_t *t, const mp_port_options_t *opts, uint64_t context,
			  mp_port_name_t *name);
mp_kr_t mp_port_destruct(mp_task_t *t, mp_port_name_t name, int32_t srdelta, uint64_t guard);
mp_kr_t mp_port_deallocate(mp_task_t *t, mp_port_name_t name);
mp_kr_t mp_port_destroy(mp_task_t *t, mp_port_name_t name);
mp_kr_t mp_port_mod_refs(mp_task_t *t, mp_port_name_t name, mp_port_right_t right, int32_t delta);
mp_kr_t mp_port_get_refs(mp_task_t *t, mp_port_name_t name, mp_port_right_t right,
			 uint32_t *refs);
mp_kr_t mp_port_type(mp_task_t *t, mp_port_name_t name, mp_port_type_t *type);

/* mach_port_insert_right(task, name, poly, polyPoly): `poly` is a name in
 * `from`'s space (XNU: the caller's), copied in with `poly_disp` and
 * inserted into `t` under exactly `name`. */
mp_kr_t mp_port_insert_right(mp_task_t *t, mp_port_name_t name, mp_task_t *from,
			     mp_port_name_t poly, uint32_t poly_disp);

/* mach_port_extract_right(task, name, msgt, &poly, &polyPoly): the right is
 * copied in from `t` and given to `into` (XNU: the caller) under a new or
 * coalesced name. */
mp_kr_t mp_port_extract_right(mp_task_t *t, mp_port_name_t name, uint32_t msgt,
			      mp_task_t *into, mp_port_name_t *poly, uint32_t *poly_type);

mp_kr_t mp_port_set_context(mp_task_t *t, mp_port_name_t name, uint64_t context);
mp_kr_t mp_port_get_context(mp_task_t *t, mp_port_name_t name, uint64_t *context);
mp_kr_t mp_port_guard(mp_task_t *t, mp_port_name_t name, uint64_t guard, int strict);
mp_kr_t mp_port_guard_with_flags(mp_task_t *t, mp_port_name_t name, uint64_t guard,
				 uint64_t flags);
mp_kr_t mp_port_unguard(mp_task_t *t, mp_port_name_t name, uint64_t guard);
mp_kr_t mp_port_set_qlimit(mp_task_t *t, mp_port_name_t name, uint32_t qlimit);
mp_kr_t mp_port_get_status(mp_task_t *t, mp_port_name_t name, mp_port_status_t *status);

/* Port sets: mach_port_insert_member / extract_member / move_member
 * (move_member with `pset` MACH_PORT_NULL removes the port from every set). */
mp_kr_t mp_port_insert_member(mp_task_t *t, mp_port_name_t member, mp_port_name_t pset);
mp_kr_t mp_port_extract_member(mp_task_t *t, mp_port_name_t member, mp_port_name_t pset);
mp_kr_t mp_port_move_member(mp_task_t *t, mp_port_name_t member, mp_port_name_t pset);

/*
 * mach_port_request_notification for MACH_NOTIFY_NO_SENDERS,
 * MACH_NOTIFY_DEAD_NAME, MACH_NOTIFY_PORT_DESTROYED and
 * MACH_NOTIFY_SEND_POSSIBLE (any other variant: KERN_INVALID_VALUE):
 * `notify` is a name in `t` with `notify_disp` MAKE_SEND_ONCE or
 * MOVE_SEND_ONCE (MACH_PORT_NULL cancels); `*previous` gets the send-once
 * right of the request it replaces (or MACH_PORT_NULL). If the call fails,
 * the send-once right it was given is destroyed (MACH_NOTIFY_SEND_ONCE).
 *  - PORT_DESTROYED (xnu mach_port_request_notification): `name` a receive
 *    right, `sync` 0 (else KERN_INVALID_VALUE); one request per port, never
 *    replaced or cancelled (a second one, even with a NULL notify, is
 *    KERN_FAILURE and records guard exception kGUARD_EXC_KERN_FAILURE);
 *    `*previous` is always NULL. When the receive right would be destroyed
 *    (mod_refs, destroy, destruct, task death, a message carrying it
 *    destroyed) the port lives on, reset (no sets, mscount, seqno, context
 *    and guard 0, movable), and its receive right arrives in the 40-byte
 *    complex message 69 (one port descriptor, MOVE_RECEIVE). If the notify
 *    port is dead or the message would hold its own destination's receive
 *    right, the port dies after all (ipc_port_destroy).
 *  - SEND_POSSIBLE (ipc_right_request_alloc): `name` any port right or dead
 *    name (NULL/DEAD: KERN_INVALID_ARGUMENT; a set: KERN_INVALID_RIGHT). It
 *    shares the name's one request slot with DEAD_NAME (the other's right
 *    comes back in *previous); mach_port_type reports it as DNREQUEST.
 *    `sync` != 0 arms it: it fires at once (message 66 with `name`) if the
 *    queue is not full or `name` is a send-once right, otherwise on the next
 *    message received from the port. `sync` 0 leaves it unarmed until a
 *    send with MACH_SEND_NOTIFY to `name` finds the queue full (on a queue
 *    with room such a send ignores the queue limit). On a dead name, or when
 *    the port dies, it sends MACH_NOTIFY_DEAD_NAME (one more dead-name
 *    uref); if `name` goes away, MACH_NOTIFY_PORT_DELETED.
 */
mp_kr_t mp_port_request_notification(mp_task_t *t, mp_port_name_t name, int32_t variant,
				     uint32_t sync, mp_port_name_t notify, uint32_t notify_disp,
				     mp_port_name_t *previous);

/* mach_port_peek: the id, size (the kernel's: user size + 8) and trailer
 * (up to the AUDIT element) of the queued message with sequence number
 * *seqno, left queued. KERN_FAILURE if there is none. */
mp_kr_t mp_port_peek(mp_task_t *t, mp_port_name_t name, uint32_t trailer_opts, uint32_t *seqno,
		     uint32_t *size, int32_t *id, void *trailer, uint32_t *trailer_size);

/* vm_allocate / vm_deallocate in the task (OOL memory a message carries). */
mp_kr_t mp_vm_allocate(mp_task_t *t, uint64_t *address, uint64_t size);
mp_kr_t mp_vm_deallocate(mp_task_t *t, uint64_t address, uint64_t size);

/* ------------------------------------------------------------------------
 * Messages: mach_msg (xnu-abi.md §6)
 * ------------------------------------------------------------------------ */

/*
 * mp_mach_msg is mach_msg(msg, option, send_size, rcv_size, rcv_name,
 * timeout, notify): MACH_SEND_MSG and/or MACH_RCV_MSG with the send and
 * receive options of §5.1. The buffer is the task's memory: the kernel
 * rewrites it on a pseudo-receive (class D) and on receive.
 * MACH_SEND_NOTIFY (ipc_kmsg_copyin_header): if the destination name holds
 * a request (mp_port_request_notification) and the carried right is a send
 * right, a full queue arms its send-possible request and the send goes on
 * as usual (blocks, or MACH_SEND_TIMED_OUT); a queue with room takes the
 * message past its limit (MACH64_SEND_ALWAYS). There is no `notify`
 * argument: mach_msg_overwrite_trap does not read its notify either.
 */
mp_kr_t mp_mach_msg(mp_task_t *t, void *msg, uint32_t option, uint32_t send_size,
		    uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms);

/*
 * mp_msg_destroy releases every right and OOL region a received (or
 * pseudo-received) message holds, like libsyscall's mach_msg_destroy (§6.10):
 * the remote (reply) right, the voucher, each descriptor's rights, OOL memory
 * whose deallocate is set, OOL port arrays; guarded receive rights are
 * unguarded (unless UNGUARDED_ON_SEND) and destroyed. It never touches
 * msgh_local_port, and it reads only within msgh_size (bounded by `buf_len`).
 */
void mp_msg_destroy(mp_task_t *t, void *msg, size_t buf_len);

/* ------------------------------------------------------------------------
 * Owned right handles
 * ------------------------------------------------------------------------ */

typedef struct mp_send {
	mp_task_t *task;
	mp_port_name_t name;
} mp_send_t;
typedef struct mp_recv {
	mp_task_t *task;
	mp_port_name_t name;
} mp_recv_t;
typedef struct mp_sonce {
	mp_task_t *task;
	mp_port_name_t name;
} mp_sonce_t;
typedef struct mp_pset {
	mp_task_t *task;
	mp_port_name_t name;
} mp_pset_t;

#define MP_HANDLE_NULL { NULL, MP_PORT_NULL }

/* A receive right: a new port (options may be NULL: qlimit 5, no guard). */
MP_MUST_USE mp_kr_t mp_recv_allocate(mp_task_t *t, const mp_port_options_t *opts,
				     uint64_t context, mp_recv_t *out);
/* A send right made from the receive right (mscount + 1; the name is the
 * receive right's, one user reference more). */
MP_MUST_USE mp_kr_t mp_recv_make_send(const mp_recv_t *r, mp_send_t *out);
/* A send-once right made from the receive right (a new name). */
MP_MUST_USE mp_kr_t mp_recv_make_send_once(const mp_recv_t *r, mp_sonce_t *out);
/* Destroys the receive right (the port dies unless a send right remains
 * under the name, which then becomes a dead name owned by a send handle). */
void mp_recv_drop(mp_recv_t *r);

/* One more user reference under the same name. */
MP_MUST_USE mp_kr_t mp_send_clone(const mp_send_t *s, mp_send_t *out);
/* Releases one user reference; on a port that died it releases the dead
 * name's reference instead (mach_port_deallocate does both). */
void mp_send_drop(mp_send_t *s);
/* Destroys the send-once right (its port gets MACH_NOTIFY_SEND_ONCE). */
void mp_sonce_drop(mp_sonce_t *s);

MP_MUST_USE mp_kr_t mp_pset_allocate(mp_task_t *t, mp_pset_t *out);
MP_MUST_USE mp_kr_t mp_pset_add(const mp_pset_t *set, const mp_recv_t *member);
MP_MUST_USE mp_kr_t mp_pset_remove(const mp_pset_t *set, const mp_recv_t *member);
void mp_pset_drop(mp_pset_t *set);

/* ------------------------------------------------------------------------
 * Sending and receiving with handles
 * ------------------------------------------------------------------------ */

/* mp_msg_send sends a message the builder made (send_size = its length).
 * `options` adds send options (MACH_SEND_TIMEOUT); timeout in ms. */
MP_MUST_USE mp_kr_t mp_msg_send(mp_task_t *t, void *msg, uint32_t send_size, uint32_t options,
				uint32_t timeout_ms);

/*
 * A received message: the parsed view of the buffer, with the rights it
 * carried owned by the caller. `reply` is the reply right (send or
 * send-once, by reply_disposition); each right in a descriptor is taken
 * with mp_received_take_*. mp_received_release() destroys everything not
 * taken (mp_msg_destroy on what remains).
 */
typedef struct mp_received {
	mp_task_t *task;
	uint8_t *buf;
	size_t buf_len;
	mp_msg_view_t view;
	mp_kr_t kr; /* the receive's return code (MACH_RCV_BODY_ERROR bits, etc.) */
	/* The parser's diagnosis when what arrived fails mp_parse_recv
	 * (mp_msg_receive then returns MACH_RCV_INVALID_DATA): the rule
	 * (diag.err), the byte offset and the reason; else diag.err is MP_OK. */
	mp_diag_t diag;
} mp_received_t;

/* mp_msg_receive receives on `rcv_name` (a receive right or a port set)
 * into `buf` and parses it; `options` adds receive options (trailer
 * elements, MACH_RCV_LARGE, MACH_RCV_GUARDED_DESC, MACH_RCV_TIMEOUT).
 * If the bytes that arrived do not parse, the message is destroyed, the
 * call returns MACH_RCV_INVALID_DATA and out->diag says why. */
MP_MUST_USE mp_kr_t mp_msg_receive(mp_task_t *t, mp_port_name_t rcv_name, uint32_t options,
				   uint32_t timeout_ms, void *buf, size_t buf_len,
				   mp_received_t *out);

/* Takes the reply right out of the message (the caller owns it). */
MP_MUST_USE int mp_received_take_reply_send(mp_received_t *m, mp_send_t *out);
MP_MUST_USE int mp_received_take_reply_sonce(mp_received_t *m, mp_sonce_t *out);

/* Takes the right in descriptor `index` (a port or guarded-port descriptor,
 * or element `element` of an OOL port array) out of the message: returns 1
 * and fills the handle if that slot holds a right of the handle's kind
 * (PORT_SEND, PORT_RECEIVE, PORT_SEND_ONCE), else 0. The slot's name is
 * zeroed, so mp_received_release() leaves the right alone. */
MP_MUST_USE int mp_received_take_send(mp_received_t *m, uint32_t index, uint32_t element, mp_send_t *out);
MP_MUST_USE int mp_received_take_recv(mp_received_t *m, uint32_t index, uint32_t element, mp_recv_t *out);
MP_MUST_USE int mp_received_take_sonce(mp_received_t *m, uint32_t index, uint32_t element,
				       mp_sonce_t *out);

/* Releases every right and region still in the message. */
void mp_received_release(mp_received_t *m);

#ifdef __cplusplus
}
#endif

#endif /* MACHPORTS_PORT_H */
