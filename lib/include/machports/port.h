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
 * In a child of fork(): lets go of a task inherited from the parent without
 * ending it (the parent's task lives on) and frees its record. Call it only
 * in the child, for each task the parent had open, before using the task
 * (the child must not use a parent's task: on machportd its connections
 * are the parent's). On MP_BACKEND_MACHPORTD the task's connections are
 * closed in the child only, with no word to the daemon (a connection that
 * another thread of the parent was using at the fork is not known: its
 * descriptor stays open in the child); memory the task received stays
 * mapped. On MP_BACKEND_KERN the space stays, untouched, in the child's
 * copy of the kernel. NULL is ignored.
 */
void mp_task_forget_after_fork(mp_task_t *task);

/*
 * The bootstrap registry (launchd's bootstrap_register / bootstrap_look_up),
 * how tasks find each other's ports: the backend keeps a send right under a
 * service name (1 to 127 bytes, else KERN_INVALID_ARGUMENT). Register with
 * MP_MSG_TYPE_MAKE_SEND (from a receive right) or MP_MSG_TYPE_COPY_SEND
 * (else KERN_INVALID_VALUE); a name whose port is alive is
 * MP_BOOTSTRAP_NAME_IN_USE, one whose port died can be taken again.
 * Look-up inserts a send right (one more uref if the task has one already);
 * an unknown or dead service is MP_BOOTSTRAP_UNKNOWN_SERVICE (on any
 * failure *port is MP_PORT_NULL).
 * MP_BACKEND_KERN and MP_BACKEND_MACHPORTD keep one registry each, with one
 * implementation (lib/kern's): the embedded kernel's is shared by the tasks
 * of this process (a forked child gets a copy of it, which reaches the
 * child's copies of the ports: no rendezvous with the parent); machportd's
 * by every task of the daemon, across processes. MP_BACKEND_DARWIN answers
 * MP_KERN_NOT_SUPPORTED (use launchd's own calls there).
 */
mp_kr_t mp_bootstrap_register(mp_task_t *t, const char *service, mp_port_name_t port, uint32_t disposition);
mp_kr_t mp_bootstrap_look_up(mp_task_t *t, const char *service, mp_port_name_t *port);

/* The pid the task's messages carry in their audit trailers (this
 * process's, except for a machportd task another process relays). */
uint32_t mp_task_pid(const mp_task_t *task);

/* ------------------------------------------------------------------------
 * Name-level calls: mach_port_* (xnu-abi.md §7.4)
 * ------------------------------------------------------------------------ */

/*
 * mach_port_options_t, reduced to what the backends honour.
 *
 * flags (mach_port_construct, XNU mach_port.c): MPO_CONTEXT_AS_GUARD,
 * MPO_QLIMIT (qlimit > 1024: KERN_INVALID_VALUE), MPO_INSERT_SEND_RIGHT, and
 * MPO_STRICT / MPO_IMMOVABLE_RECEIVE, which act only with
 * MPO_CONTEXT_AS_GUARD and are ignored without it, as XNU does. More than
 * one of MPO_SERVICE_PORT, MPO_CONNECTION_PORT, MPO_TG_BLOCK_TRACKING is
 * KERN_INVALID_ARGUMENT (XNU's check). The flags XNU knows and the
 * embedded kernel and machportd do not implement (MP_MPO_NOT_SUPPORTED:
 * TEMPOWNER, IMPORTANCE_RECEIVER, DENAP_RECEIVER, FILTER_MSG,
 * TG_BLOCK_TRACKING, SERVICE_PORT, CONNECTION_PORT) are refused with
 * KERN_NOT_SUPPORTED, never accepted and ignored. Bits XNU does not know
 * (0xFFFF0000) are ignored, as XNU ignores them.
 */
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
/*
 * Guards (XNU mach_port_guard_locked / mach_port_unguard_locked):
 * mp_port_guard's `strict` is a boolean (any non-zero: MPG_STRICT).
 * mp_port_guard_with_flags reads MPG_STRICT and MPG_IMMOVABLE_RECEIVE and,
 * as XNU, ignores every other bit of `flags`. A port whose context is not 0
 * cannot be guarded (KERN_INVALID_ARGUMENT), guarded or not; unguarding
 * keeps the port immovable. The names NULL and DEAD are KERN_INVALID_NAME
 * for guard, guard_with_flags, unguard and swap_guard; KERN_INVALID_RIGHT
 * for set_context / get_context. A strict guard reads as context 0 and
 * cannot be set or swapped.
 */
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

/*
 * mach_port_peek: the id, size and trailer of the queued message with
 * sequence number *seqno (0: the first queued message, whose seqno is
 * written back), left queued. KERN_FAILURE if there is none. The size is
 * the kernel's (user size + 8, + 4 for each port descriptor); the trailer
 * is the message's stored one cut to the request (at most the AUDIT
 * element; its msgh_trailer_size reads 8). NULL/DEAD: KERN_INVALID_RIGHT;
 * more than the AUDIT element, or a trailer buffer too small:
 * KERN_INVALID_VALUE; the trailer type bits and other option bits are
 * ignored, as XNU does.
 */
mp_kr_t mp_port_peek(mp_task_t *t, mp_port_name_t name, uint32_t trailer_opts, uint32_t *seqno,
		     uint32_t *size, int32_t *id, void *trailer, uint32_t *trailer_size);

/* mach_port_swap_guard: the non-strict guard `old_guard` of the receive
 * right becomes `new_guard` (not guarded, strict, or another guard:
 * KERN_INVALID_ARGUMENT). */
mp_kr_t mp_port_swap_guard(mp_task_t *t, mp_port_name_t name, uint64_t old_guard, uint64_t new_guard);

/*
 * mach_port_get_attributes / set_attributes / assert_attributes with XNU's
 * flavors (MP_PORT_LIMITS_INFO, RECEIVE_STATUS, DNREQUESTS_SIZE, INFO_EXT;
 * GUARD_INFO is assert_attributes' only flavor) and structs (wire.h).
 * `info` holds `*count` / `count` natural_t (at most MP_PORT_INFO_MAX are
 * read or written); get sets *count to what it wrote. Unknown flavors are
 * KERN_INVALID_ARGUMENT (XNU's answer); a count below the flavor's is
 * KERN_FAILURE. DNREQUESTS_SIZE reads 0 (no per-port request table here)
 * and setting it is a no-op, as XNU. Setting TEMPOWNER,
 * IMPORTANCE_RECEIVER or DENAP_RECEIVER (importance donation, not
 * implemented) is KERN_NOT_SUPPORTED; SERVICE_THROTTLED is
 * KERN_INVALID_CAPABILITY (no port here is a service port).
 */
mp_kr_t mp_port_get_attributes(mp_task_t *t, mp_port_name_t name, int32_t flavor, int32_t *info,
			       uint32_t *count);
mp_kr_t mp_port_set_attributes(mp_task_t *t, mp_port_name_t name, int32_t flavor, const int32_t *info,
			       uint32_t count);
mp_kr_t mp_port_assert_attributes(mp_task_t *t, mp_port_name_t name, int32_t flavor, const int32_t *info,
				  uint32_t count);

/* vm_allocate / vm_deallocate in the task (OOL memory a message carries). */
mp_kr_t mp_vm_allocate(mp_task_t *t, uint64_t *address, uint64_t size);
mp_kr_t mp_vm_deallocate(mp_task_t *t, uint64_t address, uint64_t size);

/* The regions the kernel gave the task (vm_allocate, received OOL memory
 * and OOL port arrays) that it still holds, and their bytes: the VM half of
 * the task's ledger, for leak checks (machports/server_fuzz.h). machports'
 * extension (XNU's nearest is mach_vm_region over the whole map).
 * KERN_NOT_SUPPORTED on MP_BACKEND_DARWIN. */
mp_kr_t mp_task_vm_usage(mp_task_t *t, uint32_t *regions, uint64_t *bytes);

/* ------------------------------------------------------------------------
 * Messages: mach_msg (xnu-abi.md §6)
 * ------------------------------------------------------------------------ */

/*
 * mp_mach_msg is mach_msg(msg, option, send_size, rcv_size, rcv_name,
 * timeout, notify): MACH_SEND_MSG and/or MACH_RCV_MSG with the send and
 * receive options of §5.1. The buffer is the task's memory: the kernel
 * rewrites it on a pseudo-receive (class D) and on receive.
 * MP_MACH_MSG_OPTIONS_NOT_SUPPORTED (wire.h: the QoS / sync-IPC options,
 * which ask for scheduling effects this kernel has none of) are refused:
 * MACH_SEND_INVALID_OPTIONS if the call sends, else
 * MACH_RCV_INVALID_ARGUMENTS; nothing is consumed. Option bits XNU does not
 * know are ignored, as XNU masks them.
 *
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
 * mp_mach_msg2 is XNU's 64-bit entry in the shape of its inline mach_msg2()
 * (osfmk/mach/message.h, PRIVATE; the kernel side is ipc/mach_msg.c
 * mach_msg2_trap), the shape libdispatch and XNU's tests call: the header
 * is passed by value and is the one the kernel uses (the buffer's first 24
 * bytes, 28 if COMPLEX, are not read on send); the descriptor count is
 * read from the buffer's header when it says COMPLEX, as the inline
 * function does. It is the same kernel path as mp_mach_msg.
 *
 * option64: the MACH_SEND_* / MACH_RCV_* bits in the low 32, and
 * MP_MACH64_*. A send names exactly one destination kind, and machports'
 * ports are all message queues: MP_MACH64_SEND_MQ_CALL (or
 * MP_MACH64_SEND_ANY). No kind, two kinds, or MACH64_MSG_VECTOR without
 * MQ_CALL/ANY: MACH_SEND_INVALID_OPTIONS with kGUARD_EXC_INVALID_OPTIONS
 * recorded (ipc_preflight_msg_option64). KOBJECT_CALL or DK_CALL to a port:
 * MACH_SEND_INVALID_OPTIONS after the header's rights were copied in (they
 * are destroyed; ipc_validate_kmsg_dest_from_user). Bits a user may not
 * pass (outside MACH64_MSG_OPTION_USER, 0x0000001F_0FB7DBBF) are dropped
 * silently, as XNU drops them (ipc_current_user_policy). `priority` is
 * accepted and has no effect (machports has no scheduler); `timeout` is
 * truncated to 32-bit ms as XNU truncates it.
 *
 * With MP_MACH64_MSG_VECTOR, `data` is an array of mp_msg_vector_t:
 * [0] the message, [1] optional aux data (mp_msg_aux_header_t first), and
 * send_size / rcv_size are the send and receive vector counts (at most 2).
 * Aux data rules, in XNU's order (mach_msg_validate_data_vectors): a send
 * aux size of 1..7 is MACH_SEND_AUX_TOO_SMALL, over 1024
 * MACH_SEND_AUX_TOO_LARGE; a receive aux buffer with no address or under
 * 8 bytes is MACH_RCV_INVALID_ARGUMENTS (checked after a combined call's
 * send, before anything is dequeued). The kernel writes the aux header
 * itself on send ({size, 0}); a receive gets the aux data (msgdh_size =
 * its whole size) or an EOF header {0, 0}; aux data that does not fit the
 * aux buffer (any, for a one-vector receive) is MACH_RCV_TOO_LARGE; a
 * scalar (non-vector) receive drops aux data.
 *
 * Backends: the embedded kernel and machportd implement it; Darwin calls
 * the real mach_msg2 when the SDK has it (it is private) and otherwise
 * answers MP_KERN_NOT_SUPPORTED.
 */
mp_kr_t mp_mach_msg2(mp_task_t *t, void *data, uint64_t option64, mp_msg_header_t header,
		     uint32_t send_size, uint32_t rcv_size, mp_port_name_t rcv_name, uint64_t timeout,
		     uint32_t priority);

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

/* ------------------------------------------------------------------------
 * The space's names (mach_port_names)
 * ------------------------------------------------------------------------ */

/*
 * mp_port_names is mach_port_names(task, &names, &ncount, &types, &tcount):
 * every name of the task's space with its type, in XNU's order (ascending
 * name). A type is MACH_PORT_TYPE_* plus the request bits: DNREQUEST while a
 * dead-name request is registered on the name (SPREQUEST and
 * SPREQUEST_DELAYED are reported where the backend knows send-possible
 * requests). A send or send-once right whose port died is DEAD_NAME without
 * request bits; a dead name has none; a port set is PORT_SET.
 * Like MIG's out-of-line arrays (which the caller vm_deallocates), the two
 * arrays are allocated by the call, because only the kernel knows how many
 * names there are at the moment it walks the space: the caller free()s
 * both (they are NULL when the space has no names, *count 0).
 * KERN_RESOURCE_SHORTAGE: no memory; on machportd also a space of more
 * than MP_PORT_NAMES_REMOTE_MAX names (the list travels in one reply).
 */
#define MP_PORT_NAMES_REMOTE_MAX 4096u
mp_kr_t mp_port_names(mp_task_t *t, mp_port_name_t **names, mp_port_type_t **types, uint32_t *count);

/* ------------------------------------------------------------------------
 * Mach-port guard exceptions (EXC_GUARD, GUARD_TYPE_MACH_PORT)
 * ------------------------------------------------------------------------ */

/*
 * Where XNU raises a Mach-port guard exception (ipc_policy.c
 * mach_port_guard_exception: destroying a guarded receive right, an invalid
 * name or right, a refused immovable right...), the kernel records it in
 * the task that made the call, with XNU's flavor (MP_GUARD_EXC_*), target
 * name, payload and code (MP_GUARD_EXC_CODE; the payload is XNU's subcode).
 * The call's return code is never changed. XNU has no such log (a task sees
 * an EXC_GUARD message or dies): it is machports' extension, and it records
 * every flavor, also those XNU drops for a default third-party task.
 */
typedef struct mp_guard_event {
	uint32_t flavor;       /* MP_GUARD_EXC_* */
	mp_port_name_t target; /* the name (or 0, as XNU passes it) */
	uint64_t payload;      /* XNU's subcode */
	uint64_t code;         /* XNU's code: MP_GUARD_EXC_CODE(flavor, target) */
	int always_fatal;      /* flavor <= MP_GUARD_EXC_MAX_FATAL: XNU kills the process */
} mp_guard_event_t;

/* The events a task keeps until read (more are counted, then lost). */
#define MP_GUARD_EVENTS_MAX 64u

/* Reads and clears the task's events, oldest first: up to `max` are
 * copied, *n says how many; events beyond `max` are discarded. Not on
 * MP_BACKEND_DARWIN (KERN_NOT_SUPPORTED: XNU delivers EXC_GUARD itself). */
mp_kr_t mp_task_guard_events(mp_task_t *t, mp_guard_event_t *events, uint32_t max, uint32_t *n);

/*
 * What a task does when its call raises a guard exception:
 *   RECORD       record it (the default)
 *   ABORT_FATAL  abort the process on the first event whose flavor XNU
 *                always kills for (flavor <= MP_GUARD_EXC_MAX_FATAL:
 *                DESTROY, INCORRECT_GUARD, IMMOVABLE, ...), as XNU does to
 *                any process
 *   ABORT_ANY    abort on any event, as XNU does to a task whose
 *                exception-guard behaviour is MP_DELIVER|MP_FATAL (a
 *                hardened binary)
 * The abort writes one line to stderr: "machports: EXC_GUARD <flavor name>
 * (0x..) on name 0x.. payload 0x.. code 0x.. in <call>", then abort(), so
 * a fuzz campaign reports it as a crash. Checked after each call of this
 * API; events not fatal under the policy stay recorded for
 * mp_task_guard_events. KERN_INVALID_VALUE for another policy;
 * KERN_NOT_SUPPORTED on MP_BACKEND_DARWIN (task_set_exc_guard_behavior is
 * XNU's own). On machportd the check costs one more request per call while
 * a policy other than RECORD is set.
 */
typedef enum mp_guard_policy {
	MP_GUARD_POLICY_RECORD = 0,
	MP_GUARD_POLICY_ABORT_FATAL = 1,
	MP_GUARD_POLICY_ABORT_ANY = 2,
} mp_guard_policy_t;
mp_kr_t mp_task_set_guard_policy(mp_task_t *t, mp_guard_policy_t policy);

/*
 * The flavors' names: X(the name after kGUARD_EXC_, value, XNU's class:
 * "fatal" always kills, "optional" kills or is delivered only as the task's
 * exception-guard behaviour says, "soft" never kills). The SDK's flavors
 * (held against its <mach/port.h> by lib/wire/wire_darwin_check.c), then
 * those xnu-11417's osfmk/mach/port.h has and the SDK does not.
 */
#define MP_GUARD_EXC_TABLE(X) MP_GUARD_EXC_SDK_TABLE(X) MP_GUARD_EXC_11417_TABLE(X)
#define MP_GUARD_EXC_SDK_TABLE(X)                                      \
	X(DESTROY, 0x1u, "fatal")                                      \
	X(MOD_REFS, 0x2u, "fatal")                                     \
	X(INVALID_OPTIONS, 0x3u, "fatal")                              \
	X(SET_CONTEXT, 0x4u, "fatal")                                  \
	X(THREAD_SET_STATE, 0x5u, "fatal")                             \
	X(EXCEPTION_BEHAVIOR_ENFORCE, 0x6u, "fatal")                   \
	X(UNGUARDED, 0x8u, "fatal")                                    \
	X(INCORRECT_GUARD, 0x10u, "fatal")                             \
	X(IMMOVABLE, 0x20u, "fatal")                                   \
	X(STRICT_REPLY, 0x40u, "fatal")                                \
	X(MSG_FILTERED, 0x80u, "fatal")                                \
	X(INVALID_RIGHT, 0x100u, "optional")                           \
	X(INVALID_NAME, 0x200u, "optional")                            \
	X(INVALID_VALUE, 0x400u, "optional")                           \
	X(INVALID_ARGUMENT, 0x800u, "optional")                        \
	X(RIGHT_EXISTS, 0x1000u, "optional")                           \
	X(KERN_NO_SPACE, 0x2000u, "optional")                          \
	X(KERN_FAILURE, 0x4000u, "optional")                           \
	X(KERN_RESOURCE, 0x8000u, "optional")                          \
	X(SEND_INVALID_REPLY, 0x10000u, "optional")                    \
	X(SEND_INVALID_VOUCHER, 0x20000u, "optional")                  \
	X(SEND_INVALID_RIGHT, 0x40000u, "optional")                    \
	X(RCV_INVALID_NAME, 0x80000u, "optional")                      \
	X(RCV_GUARDED_DESC, 0x100000u, "soft")                         \
	X(MOD_REFS_NON_FATAL, 0x200000u, "soft")                       \
	X(IMMOVABLE_NON_FATAL, 0x400000u, "soft")                      \
	X(REQUIRE_REPLY_PORT_SEMANTICS, 0x800000u, "soft")
#define MP_GUARD_EXC_11417_TABLE(X)                                    \
	X(SERVICE_PORT_VIOLATION_FATAL, 0x7u, "fatal")                 \
	X(SERVICE_PORT_VIOLATION_NON_FATAL, 0x100001u, "soft")         \
	X(PROVISIONAL_REPLY_PORT, 0x100002u, "soft")

/* "kGUARD_EXC_DESTROY" for MP_GUARD_EXC_DESTROY, or "kGUARD_EXC_?". */
const char *mp_guard_flavor_name(uint32_t flavor);
/* ------------------------------------------------------------------------
 * Reply ports (xnu-11417: ipc_port_init, ipc_right_copyin,
 * ipc_right_copyin_check_reply)
 * ------------------------------------------------------------------------
 *
 * mp_port_construct's MP_MPO_REPLY_PORT, MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS,
 * MP_MPO_PROVISIONAL_REPLY_PORT and MP_MPO_EXCEPTION_PORT mark the port; at
 * most one of them may be given (else KERN_INVALID_ARGUMENT, before any
 * other check but none).
 *
 * A task is a default third-party task or a hardened one (XNU's
 * task_is_hardened_binary: a platform binary, or one with the
 * browser-engine entitlements). In a default task MP_MPO_REPLY_PORT and
 * MP_MPO_PROVISIONAL_REPLY_PORT make a provisional reply port: an ordinary
 * port in every respect, except that it satisfies destinations made with
 * MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS. mp_task_set_hardened(t, 1) makes the
 * task hardened: from then on MP_MPO_REPLY_PORT makes a real reply port,
 * with XNU's rules:
 *   - as msgh_local_port only with MAKE_SEND_ONCE, else the send is
 *     MACH_SEND_INVALID_REPLY (nothing consumed);
 *   - as msgh_remote_port only with MAKE_SEND_ONCE or MOVE_SEND_ONCE, else
 *     MACH_SEND_INVALID_DEST;
 *   - in no descriptor: MACH_SEND_INVALID_RIGHT (the rights of earlier
 *     descriptors are destroyed, as for any descriptor that fails);
 *   - its receive right never moves (KERN_INVALID_CAPABILITY from
 *     mp_port_extract_right, MACH_SEND_INVALID_RIGHT in a message);
 *   - mp_port_insert_right of MAKE_SEND / COPY_SEND under its own name
 *     succeeds (the send right is unusable); any other insert or extract of
 *     it is KERN_INVALID_CAPABILITY;
 *   - no no-senders request on it: KERN_INVALID_RIGHT.
 * For every task, a destination made with MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS
 * refuses a message whose msgh_local_port names a live port that is not a
 * (real or provisional) reply port: MACH_SEND_INVALID_REPLY.
 * MP_MPO_EXCEPTION_PORT makes a port whose receive right is immovable.
 * Each refusal raises XNU's guard exception (kGUARD_EXC_SEND_INVALID_REPLY,
 * _INVALID_RIGHT, _IMMOVABLE, _REQUIRE_REPLY_PORT_SEMANTICS).
 *
 * mp_task_set_hardened: `hardened` 0 or 1 (else KERN_INVALID_ARGUMENT); it
 * applies to ports constructed afterwards. On MP_BACKEND_DARWIN a task
 * cannot make itself hardened: KERN_NOT_SUPPORTED.
 */
mp_kr_t mp_task_set_hardened(mp_task_t *t, int hardened);

#ifdef __cplusplus
}
#endif

#endif /* MACHPORTS_PORT_H */
