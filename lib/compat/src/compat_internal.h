/*
 * lib/compat/src/compat_internal.h (private): what every file of the
 * compat runtime shares: the current task and how a Mach call's `task`
 * argument names it.
 */
#ifndef MP_COMPAT_INTERNAL_H
#define MP_COMPAT_INTERNAL_H

#include <mach/mach.h>

#include "machports/compat.h"
#include "machports/port.h"

struct mp_compat_task {
	mp_task_t *task;
	mp_port_name_t self_port; /* its task port's receive right, in the hidden task */
	int is_default;
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

#endif /* MP_COMPAT_INTERNAL_H */
