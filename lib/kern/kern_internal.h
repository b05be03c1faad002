/*
 * lib/kern/kern_internal.h (private): the objects of the userspace kernel.
 *
 * XNU's model, reduced to what its user-visible semantics need:
 *   - a port (ipc_port) has one receive right, counts its send rights
 *     (ip_srights) and send-once rights (ip_sorights) wherever they are, and
 *     holds a FIFO queue of messages;
 *   - a space (ipc_space) maps names to entries (ipc_entry); an entry holds
 *     a port right (SEND, RECEIVE, SEND|RECEIVE, SEND_ONCE), a port set, or
 *     a dead name, with user references (urefs);
 *   - a message in flight (ipc_kmsg) holds the rights it carries as
 *     pointers to ports with their carried types.
 *
 * One lock. XNU locks per port and per space; here every call takes the
 * kernel's single mutex. That keeps each call atomic (XNU's copyin of a
 * header is all-or-nothing, port death is one step), makes the invariant
 * checker exact, and costs nothing that matters at the sizes this kernel
 * runs (tests, fuzzing, one daemon). Blocking waits use condition variables
 * on the same mutex.
 *
 * The files follow XNU's osfmk/ipc map, so each is found from the XNU
 * function its comments cite:
 *   kern.c         the kernel object: create, destroy, shared instance, stats
 *   space.c        a space's life and death (ipc_space.c)
 *   entry.c        a space's names and entries (ipc_entry.c, ipc_hash.c)
 *   port_object.c  the port object, its references and rights counts, its
 *                  death (ipc_port.c)
 *   right.c        rights in and out of a space: copyin, copyout, the
 *                  dead-port check (ipc_right.c, ipc_object.c)
 *   pset.c         port sets (ipc_pset.c)
 *   notify.c       every notification the kernel sends (ipc_notify.c)
 *   guard.c        Mach-port guard exceptions (ipc_policy.c mach_port_guard_exception)
 *   kmsg.c         messages in flight and port queues (ipc_kmsg.c, ipc_mqueue.c)
 *   vm.c           a space's user memory (vm_map_copyin/copyout, vm_deallocate)
 *   mach_port.c    the mach_port_* calls (mach_port.c)
 *   mach_msg.c     mach_msg's entry (mach_msg.c); msg_send.c and msg_recv.c
 *                  its send and receive halves (ipc_kmsg.c's copyin/copyout)
 *   check.c        the invariant checker (mp_kern_check)
 * The functions shared between these files are declared below, grouped by
 * the file that defines them, in that file's order.
 */
#ifndef MP_KERN_INTERNAL_H
#define MP_KERN_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/kern/kern.h"
#include "machports/msg.h"
#include "machports/wire.h"

typedef struct mk_port mk_port_t;
typedef struct mk_pset mk_pset_t;
typedef struct mk_kmsg mk_kmsg_t;
typedef struct mk_entry mk_entry_t;
typedef mp_region_t mk_region_t;

/* The NULL and DEAD names travel in messages as NULL and MK_PORT_DEAD, a
 * "port" that is never a real one (defined in port_object.c). */
extern mk_port_t mk_port_dead_marker;
#define MK_PORT_DEAD (&mk_port_dead_marker)
#define MK_IS_PORT(p) ((p) != NULL && (p) != MK_PORT_DEAD)

struct mk_port {
	mp_kern_t *k;
	mk_port_t *all_next, *all_prev; /* the kernel's list of ports */
	uint64_t serial;                /* for messages and debugging */
	uint32_t refs;    /* object references: entries, carried rights, requests, waiters */
	uint32_t waiters; /* threads blocked on this port (each holds a reference) */
	bool active;

	/* The receive right: in a space (receiver, receiver_name), in flight in
	 * a message (in_transit), or nowhere because the port is dead. */
	mp_kspace_t *receiver;
	mp_port_name_t receiver_name;
	mk_kmsg_t *in_transit;

	uint32_t srights;  /* send rights in spaces and in flight (ip_srights) */
	uint32_t sorights; /* send-once rights anywhere (ip_sorights) */
	uint32_t mscount;  /* make-send count (§7.3) */
	uint32_t seqno;    /* next sequence number (§6.10) */
	uint32_t qlimit;
	uint64_t context;
	bool guarded, strict_guard, immovable_receive;

	mk_kmsg_t *qhead, *qtail;
	uint32_t msgcount;

	mk_pset_t **psets; /* the sets this port is a member of */
	uint32_t npsets, cap_psets;

	mk_port_t *nsrequest; /* a kernel-held send-once right, or NULL */

	uint32_t changes; /* bumped when the port dies or its receive right moves */
	pthread_cond_t rcv_cv, snd_cv;
	uint8_t mark; /* MK_PORT_MARK_*: set by construct, never changed */

	/* ip_pdrequest: the kernel-held send-once right of a port-destroyed
	 * request, or NULL (one-shot; never replaced or cancelled). */
	mk_port_t *pdrequest;
	/* ip_sprequests: some entry holds an armed send-possible request on
	 * this port (fired by the next receive, ipc_port_spnotify). */
	bool sprequests;
	/* Some entry may hold a dead-name or send-possible request on this
	 * port (XNU keeps them in the port's ip_requests table): set with
	 * every request, never cleared; without it mk_release_receive need
	 * not walk the spaces for requests to fire. */
	bool dnrequests;
};

/* XNU's port marks (ipc_port.h), set by ipc_port_init from the construct
 * flags. Kernel-object ports (ENFORCE_RIGID, 4) do not exist here. */
enum {
	MK_PORT_MARK_NONE = 0,
	MK_PORT_MARK_REPLY = 1,           /* a real reply port (hardened task) */
	MK_PORT_MARK_ENFORCE_REPLY = 2,   /* senders must name a reply port as msgh_local_port */
	MK_PORT_MARK_PROVISIONAL_REPLY = 3,
	MK_PORT_MARK_EXCEPTION = 5,
};

struct mk_pset {
	mp_kern_t *k;
	mk_pset_t *all_next, *all_prev;
	mp_kspace_t *space;
	mp_port_name_t name;
	uint32_t refs; /* the entry + waiters */
	uint32_t waiters;
	bool active;
	uint32_t changes;
	pthread_cond_t rcv_cv;
};

/* The entry types are XNU's MACH_PORT_TYPE_* bits (ie_bits' type field). */
struct mk_entry {
	void *obj;        /* mk_port_t (port rights), mk_pset_t (PORT_SET), NULL (dead name, free) */
	uint32_t type;    /* 0 when free */
	uint16_t urefs;   /* send / dead-name user references */
	uint8_t gen;      /* the name's generation byte */
	bool dn_registered;   /* a dead-name request was made on this entry */
	mk_port_t *dn_notify; /* its kernel-held send-once right (until it fires) */
	/* The entry's one request slot is shared by dead-name and send-possible
	 * requests (ipc_right_request_alloc): with dn_notify set, sp_request
	 * says it is a send-possible request and sp_armed that it is armed. */
	bool sp_request, sp_armed;
};

/* An OOL region owned by a space's VM (embedded: real memory of this
 * process) is an mp_region_t (kern.h). */

struct mp_kspace {
	mp_kern_t *k;
	mp_kspace_t *all_next, *all_prev;
	bool active;
	mp_kern_identity_t id;
	mk_entry_t *table;
	uint32_t size; /* entries in use or free, index 0 reserved */
	uint32_t *free_stack; /* free indices, LIFO (XNU's ipc_entry_dealloc pushes at the head) */
	uint32_t nfree, cap;
	mk_region_t *regions;        /* this process's memory given to the space */
	const mp_kern_vm_ops_t *vm; /* or the space's own memory, elsewhere */
	void *vm_ctx;
	uint32_t callers; /* threads inside mp_kern_msg on this space (they may block) */
	/* Mach-port guard exceptions raised in this space, oldest first, until
	 * read (guard.c); what did not fit is counted in guard_dropped. */
#define MK_GUARD_EVENTS_MAX 64u
	mp_kern_guard_event_t guard_events[MK_GUARD_EVENTS_MAX];
	uint32_t nguard_events, guard_dropped;
	/* task_is_hardened_binary: MPO_REPLY_PORT makes real reply ports */
	bool hardened;
	bool vm_recycle; /* mp_kern_space_set_vm_recycle */
};

/* A right carried by a message: a port (or NULL / MK_PORT_DEAD) and the
 * carried type (MACH_MSG_TYPE_PORT_RECEIVE/SEND/SEND_ONCE, or 0). */
typedef struct mk_right {
	mk_port_t *port;
	uint32_t type;
} mk_right_t;

typedef struct mk_kdesc {
	mp_desc_t d;       /* the descriptor as sent (type, copy, flags, length...) */
	mk_right_t right;  /* port, guarded */
	mk_right_t *ports; /* ool_ports: `d.length` rights */
	uint8_t *data;     /* ool: a kernel copy of the region (NULL for size 0) */
} mk_kdesc_t;

struct mk_kmsg {
	mk_kmsg_t *next;   /* queue link */
	mk_port_t *queued_on;
	uint64_t serial;
	uint32_t bits;     /* post-copyin msgh_bits: carried types and the other bits */
	mk_right_t dest;   /* carried SEND or SEND_ONCE */
	mk_right_t reply;  /* carried type or 0; NULL/DEAD pass through */
	mp_port_name_t voucher_raw; /* the voucher field when no voucher right is carried */
	int32_t id;
	uint32_t size;     /* the send size (also the copyout size: one bitness) */
	uint8_t *body;     /* the message bytes as sent (descriptors are rewritten on copyout) */
	uint32_t ndesc;
	mk_kdesc_t *desc;
	bool circular;
	bool kernel_sender; /* notifications: kernel tokens in the trailer */
	mp_kern_identity_t sender;
	/* mach_msg2's auxiliary data: aux_size bytes, an mp_msg_aux_header_t
	 * (msgdh_size = aux_size) then the payload; NULL/0 without */
	uint8_t *aux;
	uint32_t aux_size;
	uint32_t body_cap; /* bytes `body` has room for (kmsg.c's cache) */
};

struct mp_kern {
	pthread_mutex_t lock;
	mp_kspace_t *spaces;
	mk_port_t *ports;
	mk_pset_t *psets;
	uint32_t nspaces, nports, npsets, nkmsgs, nregions;
	uint64_t vm_bytes;
	uint64_t next_serial;
	mk_kmsg_t *reap; /* messages waiting to be destroyed (no recursion) */
	bool reaping;
	pthread_cond_t idle_cv; /* a dying space's last caller has left */
	struct mk_vm_bin *vm_bin; /* vm.c: mappings kept for reuse, or NULL */
	mk_kmsg_t *kmsg_cache; /* kmsg.c: destroyed messages kept for reuse */
	uint32_t nkmsg_cache;
};

/* The calls take the kernel's one lock for their whole length. */
#define MK_LOCK(s) pthread_mutex_lock(&(s)->k->lock)
#define MK_UNLOCK(s) pthread_mutex_unlock(&(s)->k->lock)

/* Pegged addition of user references (§7.1): at 65535 the count stays, and
 * the call still succeeds (KERN_UREFS_OVERFLOW is never returned). */
static inline uint16_t mk_uref_add(uint32_t urefs, uint32_t n)
{
	uint32_t v = urefs + n;
	return (uint16_t)(v >= MP_PORT_UREFS_MAX || v < urefs ? MP_PORT_UREFS_MAX : v);
}

/* ---- entry.c ---------------------------------------------------------------- */
/* The entry of `name` (NULL: no such name, a stale generation, a dead space). */
mk_entry_t *mk_lookup(mp_kspace_t *s, mp_port_name_t name);
/* ipc_entry_alloc: a free entry under a kernel-chosen name. */
mp_kr_t mk_entry_alloc(mp_kspace_t *s, mp_port_name_t *name, mk_entry_t **out);
/* ipc_entry_alloc_name's checks on the name alone: KERN_NO_SPACE (index too
 * large), KERN_INVALID_VALUE (generation bits), KERN_FAILURE (index 0). */
mp_kr_t mk_entry_name_check(mp_port_name_t name);
/* ipc_entry_alloc_name: the entry of exactly `name`. */
mp_kr_t mk_entry_alloc_name(mp_kspace_t *s, mp_port_name_t name, mk_entry_t **out);
/* ipc_entry_dealloc: the name goes back with its next generation. */
void mk_entry_free(mp_kspace_t *s, mp_port_name_t name);
/* The name of the entry holding send or receive rights for `p`, or 0. */
mp_port_name_t mk_reverse_lookup(mp_kspace_t *s, mk_port_t *p);

/* ---- port_object.c ------------------------------------------------------------ */
mk_port_t *mk_port_new(mp_kern_t *k);
void mk_port_ref(mk_port_t *p);
void mk_port_unref(mk_port_t *p);
/* Take a new right of a kind (object reference included). */
void mk_take_send(mk_port_t *p);
void mk_take_sonce(mk_port_t *p);
/* Wakes the receivers blocked on `p` and on the sets it is in. */
void mk_wake_port(mk_port_t *p);
/* Release one right of each kind (with its object reference). */
void mk_release_send(mk_port_t *p);   /* may fire no-senders */
void mk_release_sonce(mk_port_t *p);  /* fires MACH_NOTIFY_SEND_ONCE if the port lives */
void mk_release_right(mk_right_t r);
/* ipc_port_clear_receiver: the receiver's state reset as the receive right
 * leaves its space (moved, or sent back by a port-destroyed notification). */
void mk_port_clear_receiver(mk_port_t *p);
void mk_release_receive(mk_port_t *p); /* ipc_port_destroy */
/* ipc_port_init's marks from mach_port_construct's flags, in space `s`. */
void mk_port_init_mark(mp_kspace_t *s, mk_port_t *p, uint32_t mpo_flags);
/* ip_is_reply_port: a real reply port (its rules: ipc_right_copyin). */
bool mk_port_is_reply(const mk_port_t *p);
/* ip_violates_reply_port_semantics: `dest` demands a reply port as
 * msgh_local_port and `reply` is neither a real nor a provisional one. */
bool mk_port_violates_reply_semantics(const mk_port_t *dest, const mk_port_t *reply);
/* ipc_port_spnotify: every armed send-possible request on `p` fires. */
void mk_port_spnotify(mk_port_t *p);

/* ---- right.c ------------------------------------------------------------------ */
/* A dead-name request on an entry whose name is going away: its send-once
 * right gets MACH_NOTIFY_PORT_DELETED (ipc_notify_port_deleted). */
void mk_cancel_request(mk_entry_t *e, mp_port_name_t name);
/* Copy in one right from `s` as if sent with `disp` (ipc_object_copyin).
 * `body` selects the body rules (dead names accepted). */
mp_kr_t mk_copyin_right(mp_kspace_t *s, mp_port_name_t name, uint32_t disp, bool body,
			mk_right_t *out);
/* The same with XNU's IPC_OBJECT_COPYIN_FLAGS_ALLOW_REPLY_* flags: without
 * them a real reply port's right is refused (KERN_INVALID_CAPABILITY). */
#define MK_COPYIN_ALLOW_REPLY_MAKE_SEND_ONCE 0x1u
#define MK_COPYIN_ALLOW_REPLY_MOVE_SEND_ONCE 0x2u
mp_kr_t mk_copyin_right_flags(mp_kspace_t *s, mp_port_name_t name, uint32_t disp, bool body,
			      uint32_t flags, mk_right_t *out);
/* Right copyout of one carried right into `s` (§6.8); returns the name. */
mp_port_name_t mk_copyout_right(mp_kspace_t *s, mk_right_t r, mp_kr_t *err);
/* ipc_object_copyout_name: the right goes under exactly `name` (coalescing
 * with an entry of that name); on failure the right is still the caller's. */
mp_kr_t mk_copyout_right_name(mp_kspace_t *s, mk_right_t r, mp_port_name_t name);
/* ipc_right_check: converts an entry whose port died into a dead name.
 * Returns true if it did. */
bool mk_right_check(mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e);

/* ---- pset.c ------------------------------------------------------------------- */
/* ipc_pset_alloc: a new set in the just-allocated entry `e` of `name`. */
mp_kr_t mk_pset_alloc(mp_kspace_t *s, mp_port_name_t name, mk_entry_t *e);
void mk_pset_unref(mk_pset_t *ps);
/* ipc_pset_destroy: members leave; consumes the entry's reference. */
void mk_pset_destroy(mk_pset_t *ps);
/* A port leaves every set it is in (its death, its receive right moving). */
void mk_port_leave_psets(mk_port_t *p);

/* ---- notify.c: each notification is sent to a kernel-held send-once right,
 * which it consumes ------------------------------------------------------------- */
void mk_notify_send_once(mk_port_t *p);
void mk_notify_port_deleted(mk_port_t *notify, mp_port_name_t name);
void mk_notify_no_senders(mk_port_t *notify, uint32_t mscount);
void mk_notify_dead_name(mk_port_t *notify, mp_port_name_t name);
/* ipc_notify_port_destroyed: the receive right of `p` (the caller's object
 * reference) travels to `notify` as MOVE_RECEIVE in message 69. */
void mk_notify_port_destroyed(mk_port_t *notify, mk_port_t *p);
void mk_notify_send_possible(mk_port_t *notify, mp_port_name_t name);

/* ---- guard.c ------------------------------------------------------------------ */
/* XNU's mach_port_guard_exception(target, payload, flavor): records the
 * event in `s` (the space whose call raised it), as XNU's code/subcode
 * pair. It never changes the call's return value. Called with the lock held. */
void mk_guard_exception(mp_kspace_t *s, uint32_t flavor, mp_port_name_t target, uint64_t payload);

/* ---- kmsg.c ------------------------------------------------------------------- */
mk_kmsg_t *mk_kmsg_new(mp_kern_t *k, uint32_t size);
/* Destroys a message and every right and region in it (deferred, so deep
 * chains of messages carrying receive rights do not recurse). */
void mk_kmsg_destroy(mp_kern_t *k, mk_kmsg_t *m);
/* Queues `m` on its destination port (dest must be a live port), ignoring
 * the queue limit (kernel messages, send-once destinations). */
void mk_kmsg_enqueue(mk_kmsg_t *m);
mk_kmsg_t *mk_kmsg_dequeue(mk_port_t *p);

/* ---- vm.c: user memory of a space --------------------------------------------- */
/* Copies `len` bytes at user address `addr` of `s`; -1 if unreadable. */
int mk_vm_copyin(mp_kspace_t *s, uint64_t addr, void *dst, uint64_t len);
/* A new region in `s` holding `data` at page offset `page_off`. */
int mk_vm_map_copy(mp_kspace_t *s, const void *data, uint64_t len, uint64_t page_off,
		   uint64_t *addr);
void mk_vm_deallocate(mp_kspace_t *s, uint64_t addr, uint64_t len);
void mk_vm_destroy_all(mp_kspace_t *s);
/* mp_kern_destroy: unmaps what the recycle bin kept. */
void mk_vm_bin_free(mp_kern_t *k);
/* mp_kern_destroy: frees the messages kept for reuse. */
void mk_kmsg_cache_free(mp_kern_t *k);

/* ---- mach_port.c -------------------------------------------------------------- */
/* The entry of a receive right: KERN_INVALID_NAME (or KERN_INVALID_TASK)
 * if there is no entry, KERN_INVALID_RIGHT if it holds no receive right. */
mp_kr_t mk_receive_entry(mp_kspace_t *s, mp_port_name_t name, mk_entry_t **e, mk_port_t **p);
/* ipc_port_translate_receive (ipc_object_translate, ipc_right_lookup_read):
 * as mk_receive_entry, but a dead-name entry is KERN_INVALID_NAME too. */
mp_kr_t mk_translate_receive(mp_kspace_t *s, mp_port_name_t name, mk_entry_t **e, mk_port_t **p);
/* The guard exception XNU's mach_port_* calls raise when that translation
 * fails: INVALID_NAME for KERN_INVALID_NAME, else INVALID_RIGHT (none for
 * a dead space). */
void mk_translate_guard_exception(mp_kspace_t *s, mp_port_name_t name, mp_kr_t kr);

/* ---- mach_msg.c --------------------------------------------------------------- */
/* A blocked send or receive: waits on `cv` under the kernel lock until
 * woken or, if `timed`, until `timeout_ms` has passed (then ETIMEDOUT). */
int mk_msg_wait(mp_kern_t *k, pthread_cond_t *cv, bool timed, uint32_t timeout_ms);

/* ---- msg_send.c --------------------------------------------------------------- */
/* ipc_port_check_circularity: would the receive right of `r`, travelling
 * to `dest`, end up inside its own queue? */
bool mk_port_circular(mp_kern_t *k, mk_port_t *r, mk_port_t *dest);
mp_kr_t mk_msg_send(mp_kspace_t *s, void *msg, uint64_t uaddr, uint32_t option, uint32_t send_size,
		    uint32_t timeout_ms);
/* What mach_msg2 adds to a send: its 64-bit options (for the destination
 * kind policy) and the aux data the message carries (aux_size bytes at
 * `aux`, header included, or 0). */
typedef struct mk_send2 {
	uint64_t options;
	const uint8_t *aux;
	uint32_t aux_size;
} mk_send2_t;
mp_kr_t mk_msg_send2(mp_kspace_t *s, void *msg, uint64_t uaddr, uint32_t option, uint32_t send_size,
		     uint32_t timeout_ms, const mk_send2_t *x);

/* ---- msg_recv.c --------------------------------------------------------------- */
/* ipc_kmsg_copyout_pseudo: a send that failed with `send_error` after its
 * rights were copied in gives the message back to the sender (§6.4 D). */
mp_kr_t mk_pseudo_receive(mp_kspace_t *s, mk_kmsg_t *m, void *msg, uint64_t uaddr, mp_kr_t send_error);
mp_kr_t mk_msg_receive(mp_kspace_t *s, void *msg, uint64_t uaddr, uint32_t option, uint32_t rcv_size,
		       mp_port_name_t rcv_name, uint32_t timeout_ms);
/* mach_msg2's receive buffers for aux data: `aux` (aux_size bytes, at least
 * a header) or NULL; `vector`: a MACH64_MSG_VECTOR receive (its aux room
 * counts in the too-large rule even when it is 0). */
typedef struct mk_rcv2 {
	uint8_t *aux;
	uint32_t aux_size;
	bool vector;
} mk_rcv2_t;
mp_kr_t mk_msg_receive2(mp_kspace_t *s, void *msg, uint64_t uaddr, uint32_t option, uint32_t rcv_size,
			mp_port_name_t rcv_name, uint32_t timeout_ms, const mk_rcv2_t *x);

#endif /* MP_KERN_INTERNAL_H */
