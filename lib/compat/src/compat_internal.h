/*
 * lib/compat/src/compat_internal.h (private): what every file of the
 * compat runtime shares: the current task and how a Mach call's `task`
 * argument names it.
 */
#ifndef MP_COMPAT_INTERNAL_H
#define MP_COMPAT_INTERNAL_H

#include <mach/mach.h>
#include <mach/task_special_ports.h>

#include "machports/compat.h"
#include "machports/port.h"

/* The special ports task_set_special_port can set (XNU's itk_bootstrap,
 * itk_task_access, itk_debug_control, itk_resource_notify), by selector. */
#define COMPAT_SPECIAL_SLOTS (TASK_MAX_SPECIAL_PORT + 1)

struct mp_compat_task {
	mp_task_t *task; /* NULL in a forked child for a task the harness made in the parent */
	mp_port_name_t self_port; /* its task port's receive right, in the hidden task */
	int is_default;
	/* XNU's itk_* slots: a send right held in the hidden task (or
	 * MACH_PORT_NULL / MACH_PORT_DEAD), by TASK_*_PORT selector */
	mp_port_name_t special[COMPAT_SPECIAL_SLOTS];
	struct mp_compat_task *next; /* the harness's tasks (not the default) */
	/* in a forked child: the parent's task, to forget (task.c fork_child) */
	mp_task_t *stale;
};

/* The calling thread's current task (never NULL). */
mp_compat_task_t *compat_current(void);

/*
 * The lib/port task a Mach call's `target` names, or NULL. Only the current
 * task's own name is a task: XNU's traps take port_name_to_current_task_noref
 * (osfmk/ipc/mach_kernelrpc.c) and answer MACH_SEND_INVALID_DEST otherwise;
 * libsyscall's fallback then sends the MIG request to `target`, which fails
 * the same way for a name that is not a task port. So a call given NULL here
 * returns MACH_SEND_INVALID_DEST.
 */
mp_task_t *compat_target(mach_port_name_t target);

/*
 * Whether `bp`, a name in the current task's space, is a send right to the
 * bootstrap port (the registry's), which bootstrap.c answers for:
 * KERN_SUCCESS; MACH_SEND_INVALID_DEST for a name that is no send right
 * (a MIG request to it could not be sent); KERN_NOT_SUPPORTED for a send
 * right to another port (a request would go to that port's receiver, which
 * the registry is not). The task itself is *task.
 */
kern_return_t compat_bootstrap_check(mach_port_name_t bp, mp_task_t **task);

/*
 * Whether `name` is a dead name in `t` (or a send right whose port died).
 * A MIG request carries such a name's COPY_SEND as MACH_PORT_DEAD (XNU's
 * ipc_object_copyin always allows dead names: IPC_OBJECT_COPYIN_FLAGS_DEADOK),
 * where lib/port's mp_port_extract_right refuses it (KERN_INVALID_RIGHT).
 */
int compat_dead_name(mp_task_t *t, mach_port_name_t name);

#endif /* MP_COMPAT_INTERNAL_H */
