/*
 * lib/port/backend.h (private): the interface every backend implements.
 *
 * Two tables of functions per backend. mp_backend_entry_t holds the calls
 * made before there is a task (open, open_remote, relay) or without one
 * (check); mp_backend_ops_t a task's calls, with the semantics of the public
 * name-level calls in machports/port.h (XNU's mach_port_* and mach_msg).
 * lib/port/port.c dispatches every public call through them, so it knows
 * no backend by name; lib/port's own code (handles, mp_msg_destroy,
 * receive-and-parse) is written once on top of them.
 *
 * A NULL entry is a call the backend does not have (here): port.c answers
 * MP_KERN_NOT_SUPPORTED for it (-1 for relay and check), in one place, so
 * no backend writes a stub.
 */
#ifndef MP_PORT_BACKEND_H
#define MP_PORT_BACKEND_H

#include "machports/machportd.h"
#include "machports/port.h"
#include "machports/testing.h"

/* mach_msg2_trap (ipc/mach_msg.c) with its packed arguments unpacked: `data`
 * is the caller's buffer, or its mp_msg_vector_t array with
 * MACH64_MSG_VECTOR (then send_size / rcv_size are the vector counts). */
typedef struct mp_msg2_trap_args {
	void *data;
	uint64_t options;
	uint32_t bits, send_size;
	mp_port_name_t remote, local, voucher;
	int32_t id;
	uint32_t desc_count;
	mp_port_name_t rcv_name;
	uint32_t rcv_size, priority;
	uint64_t timeout;
} mp_msg2_trap_args_t;

typedef struct mp_backend_ops {
	mp_backend_t kind;
	void (*close)(mp_task_t *t);
	/* mp_task_forget_after_fork: frees the backend's state without ending
	 * the task (NULL: nothing beyond the mp_task_t to free) */
	void (*forget)(mp_task_t *t);
	uint32_t (*pid)(const mp_task_t *t); /* the audit trailer's pid */
	mp_kr_t (*allocate)(mp_task_t *t, mp_port_right_t right, mp_port_name_t *name);
	mp_kr_t (*allocate_name)(mp_task_t *t, mp_port_right_t right, mp_port_name_t name);
	mp_kr_t (*construct)(mp_task_t *t, const mp_port_options_t *o, uint64_t ctx, mp_port_name_t *name);
	mp_kr_t (*destruct)(mp_task_t *t, mp_port_name_t name, int32_t srdelta, uint64_t guard);
	mp_kr_t (*deallocate)(mp_task_t *t, mp_port_name_t name);
	mp_kr_t (*destroy)(mp_task_t *t, mp_port_name_t name);
	mp_kr_t (*mod_refs)(mp_task_t *t, mp_port_name_t name, mp_port_right_t right, int32_t delta);
	mp_kr_t (*get_refs)(mp_task_t *t, mp_port_name_t name, mp_port_right_t right, uint32_t *refs);
	mp_kr_t (*type)(mp_task_t *t, mp_port_name_t name, mp_port_type_t *type);
	mp_kr_t (*insert_right)(mp_task_t *t, mp_port_name_t name, mp_task_t *from,
				mp_port_name_t poly, uint32_t disp);
	mp_kr_t (*extract_right)(mp_task_t *t, mp_port_name_t name, uint32_t msgt, mp_task_t *into,
				 mp_port_name_t *poly, uint32_t *poly_type);
	mp_kr_t (*set_context)(mp_task_t *t, mp_port_name_t name, uint64_t context);
	mp_kr_t (*get_context)(mp_task_t *t, mp_port_name_t name, uint64_t *context);
	mp_kr_t (*guard)(mp_task_t *t, mp_port_name_t name, uint64_t guard, uint64_t flags);
	mp_kr_t (*unguard)(mp_task_t *t, mp_port_name_t name, uint64_t guard);
	mp_kr_t (*set_qlimit)(mp_task_t *t, mp_port_name_t name, uint32_t qlimit);
	mp_kr_t (*get_status)(mp_task_t *t, mp_port_name_t name, mp_port_status_t *st);
	mp_kr_t (*insert_member)(mp_task_t *t, mp_port_name_t member, mp_port_name_t pset);
	mp_kr_t (*extract_member)(mp_task_t *t, mp_port_name_t member, mp_port_name_t pset);
	mp_kr_t (*move_member)(mp_task_t *t, mp_port_name_t member, mp_port_name_t pset);
	mp_kr_t (*request_notification)(mp_task_t *t, mp_port_name_t name, int32_t variant,
					uint32_t sync, mp_port_name_t notify, uint32_t disp,
					mp_port_name_t *previous);
	mp_kr_t (*peek)(mp_task_t *t, mp_port_name_t name, uint32_t trailer_opts, uint32_t *seqno,
			uint32_t *size, int32_t *id, void *trailer, uint32_t *trailer_size);
	mp_kr_t (*vm_allocate)(mp_task_t *t, uint64_t *address, uint64_t size);
	mp_kr_t (*vm_deallocate)(mp_task_t *t, uint64_t address, uint64_t size);
	mp_kr_t (*mach_msg)(mp_task_t *t, void *msg, uint32_t option, uint32_t send_size,
			    uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms);
	/* NULL where there is no bootstrap registry */
	mp_kr_t (*bootstrap_register)(mp_task_t *t, const char *service, mp_port_name_t port, uint32_t disp);
	mp_kr_t (*bootstrap_look_up)(mp_task_t *t, const char *service, mp_port_name_t *port);
	mp_kr_t (*swap_guard)(mp_task_t *t, mp_port_name_t name, uint64_t old_guard, uint64_t new_guard);
	/* info: at most MP_PORT_INFO_MAX natural_t */
	mp_kr_t (*get_attributes)(mp_task_t *t, mp_port_name_t name, int32_t flavor, int32_t *info,
				  uint32_t *count);
	mp_kr_t (*set_attributes)(mp_task_t *t, mp_port_name_t name, int32_t flavor, const int32_t *info,
				  uint32_t count);
	mp_kr_t (*assert_attributes)(mp_task_t *t, mp_port_name_t name, int32_t flavor, const int32_t *info,
				     uint32_t count);
	/* mach_port_names: malloc'd arrays (machports/port.h) */
	mp_kr_t (*names)(mp_task_t *t, mp_port_name_t **names, mp_port_type_t **types, uint32_t *count);
	/* reads and clears up to `max` of the kernel's guard events for the task */
	mp_kr_t (*guard_events)(mp_task_t *t, mp_guard_event_t *events, uint32_t max, uint32_t *n);
	/* NULL where a task cannot be made hardened (Darwin) */
	mp_kr_t (*set_hardened)(mp_task_t *t, int hardened);
	/* mach_msg2_trap's arguments, unpacked (port.c reads the descriptor
	 * count from the buffer as the inline mach_msg2() does) */
	mp_kr_t (*mach_msg2)(mp_task_t *t, const mp_msg2_trap_args_t *a);
	/* the regions the kernel gave the task and it still holds; NULL:
	 * not known (Darwin) */
	mp_kr_t (*vm_usage)(mp_task_t *t, uint32_t *regions, uint64_t *bytes);
	/* mp_task_set_vm_recycle (machports/testing.h); NULL: not supported */
	mp_kr_t (*set_vm_recycle)(mp_task_t *t, int on);
	/* mp_task_ledger (machports/testing.h); NULL: not supported */
	mp_kr_t (*ledger)(mp_task_t *t, mp_ledger_entry_t *out, uint32_t max, uint32_t *count);
} mp_backend_ops_t;

struct mp_task {
	const mp_backend_ops_t *ops;
	void *impl; /* kern: the mp_kspace_t; darwin: unused (mach_task_self); machportd: its task state */
	/* port.c's guard policy, and the events it read from the kernel to
	 * check them but did not abort for: mp_task_guard_events returns them
	 * first (zeroed by the backends' calloc) */
	mp_guard_policy_t guard_policy;
	uint32_t nkept;
	mp_guard_event_t kept[MP_GUARD_EVENTS_MAX];
};

/* The calls without a task, one table per backend (NULL: not here). */
typedef struct mp_backend_entry {
	mp_kr_t (*open)(mp_task_t **out);
	/* machports/machportd.h */
	mp_kr_t (*open_remote)(int fd, int server, mp_task_t **out);
	int (*relay)(int fd);
	/* machports/testing.h: *report is zeroed before the call */
	int (*check)(mp_kernel_report_t *report);
} mp_backend_entry_t;

extern const mp_backend_entry_t mp_kern_backend;
extern const mp_backend_entry_t mp_darwin_backend;
extern const mp_backend_entry_t mp_machportd_backend;

#endif /* MP_PORT_BACKEND_H */
