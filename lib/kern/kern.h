/*
 * lib/kern/kern.h: machports' userspace Mach IPC kernel.
 *
 * A kernel (mp_kern_t) holds IPC spaces (mp_kspace_t: one per task), ports,
 * port sets and queued messages, and implements XNU's port and message
 * semantics on them (xnu-abi.md §6-7; each rule cites the XNU function it
 * mirrors). lib/port's kern backend and machportd are its only callers.
 *
 * Every entry point takes the kernel's one lock (see kern_internal.h for
 * why one lock), so a kernel is safe to use from any number of threads.
 * Message buffers passed to send/receive are kernel-process memory; OOL
 * addresses inside messages are user addresses of the space, reached only
 * through the space's VM (vm.c).
 */
#ifndef MP_KERN_H
#define MP_KERN_H

#include <stddef.h>
#include <stdint.h>

#include "machports/wire.h"

typedef struct mp_kern mp_kern_t;
typedef struct mp_kspace mp_kspace_t;

/* Who a space is: what trailers report for messages it sends (§4.4). */
typedef struct mp_kern_identity {
	mp_security_token_t sec; /* {euid, egid} */
	mp_audit_token_t audit;  /* {auid, euid, egid, ruid, rgid, pid, asid, pidversion} */
} mp_kern_identity_t;

/* The identity of this process (euid, egid, ruid, rgid, pid). */
void mp_kern_identity_self(mp_kern_identity_t *id);

mp_kern_t *mp_kern_create(void);
/* Destroys every space (as task death) and frees the kernel. */
void mp_kern_destroy(mp_kern_t *k);

/* The process-wide embedded kernel (made on first use). fork() takes its
 * lock (pthread_atfork): the child gets a whole, unlocked copy of it. */
mp_kern_t *mp_kern_shared(void);

mp_kr_t mp_kern_space_create(mp_kern_t *k, const mp_kern_identity_t *id, mp_kspace_t **out);

/*
 * A space's user memory, when it is not this process's (machportd: a
 * client's). The kernel reaches OOL memory only through these:
 *   copyin      read `len` bytes at the space's address `addr`; -1 if unreadable
 *   map_copy    give the space a new region holding `data` (`page_off` into
 *               its first page; NULL data: zero-filled, vm_allocate); its
 *               address in *addr; -1 if it cannot
 *   deallocate  vm_deallocate in the space (a sender's deallocate flag)
 * Without them (the default) a space's memory is this process's (vm.c).
 * Set before the space is used.
 */
typedef struct mp_kern_vm_ops {
	int (*copyin)(void *ctx, uint64_t addr, void *dst, uint64_t len);
	int (*map_copy)(void *ctx, const void *data, uint64_t len, uint64_t page_off, uint64_t *addr);
	void (*deallocate)(void *ctx, uint64_t addr, uint64_t len);
} mp_kern_vm_ops_t;

void mp_kern_space_set_vm(mp_kspace_t *s, const mp_kern_vm_ops_t *ops, void *ctx);
/* Task death: ipc_space_terminate. Frees the space. */
void mp_kern_space_destroy(mp_kspace_t *s);
/* The first half of mp_kern_space_destroy, for a caller (machportd) that
 * must let its other threads leave the space before freeing it: the space
 * dies (its rights as above; later calls on it return KERN_INVALID_TASK or
 * MACH_RCV_INVALID_NAME) and its blocked threads are woken (they return
 * MACH_RCV_INTERRUPTED / MACH_SEND_INTERRUPTED). mp_kern_space_destroy
 * frees it later. */
void mp_kern_space_terminate(mp_kspace_t *s);

/* mach_port_* (§7.4); the same arguments as lib/port's calls. */
mp_kr_t mp_kern_port_allocate(mp_kspace_t *s, uint32_t right, mp_port_name_t *name);
mp_kr_t mp_kern_port_allocate_name(mp_kspace_t *s, uint32_t right, mp_port_name_t name);
mp_kr_t mp_kern_port_construct(mp_kspace_t *s, uint32_t flags, uint32_t qlimit, uint64_t context,
			       mp_port_name_t *name);
mp_kr_t mp_kern_port_destruct(mp_kspace_t *s, mp_port_name_t name, int32_t srdelta, uint64_t guard);
mp_kr_t mp_kern_port_deallocate(mp_kspace_t *s, mp_port_name_t name);
mp_kr_t mp_kern_port_destroy(mp_kspace_t *s, mp_port_name_t name);
mp_kr_t mp_kern_port_mod_refs(mp_kspace_t *s, mp_port_name_t name, uint32_t right, int32_t delta);
mp_kr_t mp_kern_port_get_refs(mp_kspace_t *s, mp_port_name_t name, uint32_t right, uint32_t *refs);
mp_kr_t mp_kern_port_type(mp_kspace_t *s, mp_port_name_t name, uint32_t *type);
mp_kr_t mp_kern_port_insert_right(mp_kspace_t *s, mp_port_name_t name, mp_kspace_t *from,
				  mp_port_name_t poly, uint32_t poly_disp);
mp_kr_t mp_kern_port_extract_right(mp_kspace_t *s, mp_port_name_t name, uint32_t msgt,
				   mp_kspace_t *into, mp_port_name_t *poly, uint32_t *poly_type);
mp_kr_t mp_kern_port_set_context(mp_kspace_t *s, mp_port_name_t name, uint64_t context);
mp_kr_t mp_kern_port_get_context(mp_kspace_t *s, mp_port_name_t name, uint64_t *context);
mp_kr_t mp_kern_port_guard(mp_kspace_t *s, mp_port_name_t name, uint64_t guard, uint64_t flags);
mp_kr_t mp_kern_port_unguard(mp_kspace_t *s, mp_port_name_t name, uint64_t guard);
/* mach_port_swap_guard: a non-strict guard `old_guard` becomes `new_guard`. */
mp_kr_t mp_kern_port_swap_guard(mp_kspace_t *s, mp_port_name_t name, uint64_t old_guard,
				uint64_t new_guard);
/* mach_port_get/set/assert_attributes: `info` holds `count` natural_t
 * (at most MP_PORT_INFO_MAX are read or written). */
mp_kr_t mp_kern_port_get_attributes(mp_kspace_t *s, mp_port_name_t name, int32_t flavor,
				    int32_t *info, uint32_t *count);
mp_kr_t mp_kern_port_set_attributes(mp_kspace_t *s, mp_port_name_t name, int32_t flavor,
				    const int32_t *info, uint32_t count);
mp_kr_t mp_kern_port_assert_attributes(mp_kspace_t *s, mp_port_name_t name, int32_t flavor,
				       const int32_t *info, uint32_t count);
mp_kr_t mp_kern_port_set_qlimit(mp_kspace_t *s, mp_port_name_t name, uint32_t qlimit);
mp_kr_t mp_kern_port_get_status(mp_kspace_t *s, mp_port_name_t name, mp_port_status_t *st);
mp_kr_t mp_kern_port_insert_member(mp_kspace_t *s, mp_port_name_t member, mp_port_name_t pset);
mp_kr_t mp_kern_port_extract_member(mp_kspace_t *s, mp_port_name_t member, mp_port_name_t pset);
mp_kr_t mp_kern_port_move_member(mp_kspace_t *s, mp_port_name_t member, mp_port_name_t pset);
mp_kr_t mp_kern_port_request_notification(mp_kspace_t *s, mp_port_name_t name, int32_t variant,
					  uint32_t sync, mp_port_name_t notify,
					  uint32_t notify_disp, mp_port_name_t *previous);

/* mach_port_names: every name of the space and its type, in ascending
 * name order, as two arrays of *count elements that the caller free()s
 * (NULL when the space has no names). */
mp_kr_t mp_kern_port_names(mp_kspace_t *s, mp_port_name_t **names, uint32_t **types, uint32_t *count);
/*
 * A space's ledger in one call (for the server-fuzz oracle: no
 * mach_port_get_refs per name): each name in ascending order with its type
 * as mach_port_names reports it and its user references (send or dead-name
 * urefs, else 0). A send or send-once right whose port died is first made
 * the dead name mach_port_get_refs would make it (ipc_right_check). At most
 * `max` entries are written; *count is the space's number of names (more
 * than `max`: call again with room for them).
 */
typedef struct mp_kern_ledger_entry {
	mp_port_name_t name;
	uint32_t type;
	uint32_t urefs;
} mp_kern_ledger_entry_t;
mp_kr_t mp_kern_port_ledger(mp_kspace_t *s, mp_kern_ledger_entry_t *out, uint32_t max, uint32_t *count);

mp_kr_t mp_kern_port_peek(mp_kspace_t *s, mp_port_name_t name, uint32_t trailer_opts,
			  uint32_t *seqno, uint32_t *size, int32_t *id, void *trailer,
			  uint32_t *trailer_size);

/*
 * The regions a task got from the kernel (vm_allocate, received OOL
 * memory), page-aligned, and vm_deallocate's rule on them: the page-rounded
 * [addr, addr+len) is unmapped where it meets them; each region it meets
 * shrinks, splits in two or goes. Memory the task did not get from the
 * kernel (its malloc, its stack) is never in the list, so never unmapped.
 * Adds to *bytes and *count what the list lost (a split adds a region: -1).
 * lib/kern's embedded VM and lib/port's machportd client share it.
 */
typedef struct mp_region {
	struct mp_region *next;
	uint64_t addr, len;
} mp_region_t;

void mp_region_cut(mp_region_t **list, uint64_t addr, uint64_t len, uint64_t page, uint64_t *bytes,
		   int64_t *count);

/* vm_allocate / vm_deallocate in the space (page-granular). */
mp_kr_t mp_kern_vm_allocate(mp_kspace_t *s, uint64_t *addr, uint64_t size);
mp_kr_t mp_kern_vm_deallocate(mp_kspace_t *s, uint64_t addr, uint64_t size);
/* The regions the space holds and their bytes (0 when a VM hook keeps
 * them: machportd's task does). */
void mp_kern_vm_usage(mp_kspace_t *s, uint32_t *regions, uint64_t *bytes);

/*
 * Mapping reuse for a space (the server-fuzz harness's, issue 15): a region
 * of at most MP_KERN_VM_RECYCLE_PAGES pages that the space deallocates whole
 * is kept mapped in the kernel's recycle bin (not counted in any space, nor
 * in the kernel's vm_regions / vm_bytes) and handed out again, zero-filled
 * but for the data, as a later fresh region of the same size of a recycling
 * space: no mmap, page fault or munmap per message. What a space holds and
 * what it must deallocate stay exactly XNU's (mp_kern_vm_usage); only the
 * address of deallocated memory stays mapped (under ASan / MSan it is
 * poisoned until reused, so a read after vm_deallocate is still reported).
 * `on` is 0 or 1 (else KERN_INVALID_ARGUMENT); a dead space is
 * KERN_INVALID_TASK; a space whose memory is elsewhere (VM ops) is
 * KERN_NOT_SUPPORTED. Off by default.
 */
#define MP_KERN_VM_RECYCLE_PAGES 32u
mp_kr_t mp_kern_space_set_vm_recycle(mp_kspace_t *s, int on);

/* mach_msg: send and/or receive (options MACH_SEND_MSG / MACH_RCV_MSG). */
mp_kr_t mp_kern_msg(mp_kspace_t *s, void *msg, uint32_t option, uint32_t send_size,
		    uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms);
/* The same, for a buffer that is a copy of the caller's (machportd): `uaddr`
 * is the caller's address of it, which XNU writes into received guarded
 * descriptors and uses as their guard (ipc_kmsg_copyout_guarded_port...). */
mp_kr_t mp_kern_msg_user(mp_kspace_t *s, void *msg, uint64_t uaddr, uint32_t option, uint32_t send_size,
			 uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms);

/*
 * mach_msg2_trap (ipc/mach_msg.c): the 64-bit entry, with the trap's
 * arguments unpacked. The header and the descriptor count are these
 * arguments, not the buffer's first bytes (its first 24 bytes, 28 if
 * COMPLEX, are skipped). `data` is kernel memory: the message buffer, or
 * with MACH64_MSG_VECTOR an array of mp_msg_vector_t whose msgv_data /
 * msgv_rcv_addr are pointers of this process (0: none); `send_size` and
 * `rcv_size` are then the send and receive vector counts. `uaddr` is the
 * caller's address of the receive buffer (guarded descriptors carry it).
 * `priority` is accepted and has no effect (machports has no scheduler to
 * boost); `timeout` is truncated to 32-bit ms as XNU truncates it.
 */
typedef struct mp_kern_msg2_args {
	uint64_t options; /* MACH64_* | MACH_* */
	void *data;
	uint64_t uaddr;
	uint32_t bits, send_size;
	mp_port_name_t remote, local, voucher;
	int32_t id;
	uint32_t desc_count;
	mp_port_name_t rcv_name;
	uint32_t rcv_size, priority;
	uint64_t timeout;
} mp_kern_msg2_args_t;

mp_kr_t mp_kern_msg2(mp_kspace_t *s, const mp_kern_msg2_args_t *a);

/*
 * The invariant checker (for tests and fuzzers). It holds when: each port's
 * send-right and send-once-right counts equal the rights held in spaces plus
 * those in flight; each live port's receive right is held exactly once (by
 * one entry or one queued message); every entry refers to a port or set the
 * kernel still has; every queued message sits on exactly one queue; each
 * object's reference count equals the references found; every OOL region is
 * owned by one message or one space's VM. Returns 0, or -1 with a reason in
 * `why`.
 */
/*
 * Mach-port guard exceptions (EXC_GUARD of GUARD_TYPE_MACH_PORT). XNU raises
 * them on the calling thread and never reports them in the return code; the
 * kernel records each in the space that made the call, with XNU's encoding
 * (code = MP_GUARD_EXC_CODE(flavor, target), subcode = payload) and whether
 * XNU always kills for it (flavor <= MP_GUARD_EXC_MAX_FATAL).
 */
typedef struct mp_kern_guard_event {
	uint32_t flavor;       /* MP_GUARD_EXC_* */
	mp_port_name_t target; /* the name (or 0, or msgh_id, as XNU passes it) */
	uint64_t payload;      /* XNU's subcode */
	uint64_t code;         /* XNU's code: MP_GUARD_EXC_CODE(flavor, target) */
	int always_fatal;      /* XNU kills the process whatever its policy */
} mp_kern_guard_event_t;

/* Copies up to `max` of the space's events, oldest first, and forgets
 * every event (read and clear); *dropped (if not NULL) gets how many were
 * lost to the bound before this read. Returns how many were copied. */
uint32_t mp_kern_space_guard_events(mp_kspace_t *s, mp_kern_guard_event_t *out, uint32_t max,
				    uint32_t *dropped);

int mp_kern_check(mp_kern_t *k, char *why, size_t why_len);

/* Counters for tests and leak checks. */
typedef struct mp_kern_stats {
	uint32_t spaces, ports, psets, kmsgs, vm_regions;
	uint64_t vm_bytes;
} mp_kern_stats_t;
void mp_kern_get_stats(mp_kern_t *k, mp_kern_stats_t *st);

/*
 * Reply ports (issue 12): a space is a default third-party task (the
 * default: MPO_REPLY_PORT makes a provisional reply port, an ordinary port)
 * or a hardened one (XNU's task_is_hardened_binary: a platform binary or a
 * browser-engine-entitled one), where MPO_REPLY_PORT makes a real reply
 * port with 11417's rules. `hardened` is 0 or 1 (else KERN_INVALID_ARGUMENT);
 * a dead space is KERN_INVALID_TASK. It affects ports constructed later.
 */
mp_kr_t mp_kern_space_set_hardened(mp_kspace_t *s, int hardened);

/*
 * The bootstrap registry (launchd's bootstrap_register / bootstrap_look_up),
 * one implementation for the embedded kernel (lib/port's kern backend) and
 * machportd. A service name maps to a send right held in the registry's own
 * space of `k`. Registering takes a copy of the caller's send right
 * (COPY_SEND) or makes one from its receive right (MAKE_SEND); any other
 * disposition is KERN_INVALID_VALUE; a name whose port has died may be
 * registered again, a live one is BOOTSTRAP_NAME_IN_USE; a full registry
 * (MP_KERN_REGISTRY_MAX live services) is BOOTSTRAP_NO_MEMORY. Looking up
 * copies the send right into the caller's space (one more uref if it has
 * one); a dead one is dropped and the name is BOOTSTRAP_UNKNOWN_SERVICE.
 * `name` is `len` bytes without a NUL, 1..MP_KERN_SERVICE_MAX (launchd's
 * name_t is char[128]), else KERN_INVALID_ARGUMENT. Thread-safe (a lock of
 * its own, taken before the kernel's).
 */
#define MP_KERN_SERVICE_MAX 127u
#define MP_KERN_REGISTRY_MAX 4096u

typedef struct mp_kern_registry mp_kern_registry_t;

/* A registry with a space of its own in `k`; NULL if out of memory. */
mp_kern_registry_t *mp_kern_registry_create(mp_kern_t *k);
mp_kr_t mp_kern_registry_register(mp_kern_registry_t *reg, mp_kspace_t *caller, const char *name,
				  uint32_t len, mp_port_name_t port, uint32_t disposition);
mp_kr_t mp_kern_registry_look_up(mp_kern_registry_t *reg, mp_kspace_t *caller, const char *name,
				 uint32_t len, mp_port_name_t *port);
/* Destroys the registry's space (its send rights are released) and frees it. */
void mp_kern_registry_close(mp_kern_registry_t *reg);
/* Frees the registry only; its space goes with the kernel. */
void mp_kern_registry_free(mp_kern_registry_t *reg);
/* pthread_atfork's prepare (takes the registry's lock) and parent / child
 * (releases it): a child forked while another thread registers finds the
 * registry whole and unlocked. */
void mp_kern_registry_fork_prepare(mp_kern_registry_t *reg);
void mp_kern_registry_fork_done(mp_kern_registry_t *reg);

#endif /* MP_KERN_H */
