/*
 * machports/compat.h: the tasks behind Apple's Mach API on Linux
 * (lib/compat, `//lib/compat:mach`, pkg-config machports-mach).
 *
 * A program written against <mach/mach.h> never needs this header: its
 * process has one task, made at the first Mach call, on the backend that
 * MACHPORTS_BACKEND names ("kern", the default: the embedded kernel;
 * "machportd": the daemon, shared with other processes). Any other value is
 * refused loudly: the first Mach call prints the value and aborts.
 *
 * A harness (a fuzzer that runs a client and a server in one process, a
 * test) makes more tasks here and makes one the calling thread's current
 * task. Every Apple call then acts on the current task: mach_task_self()
 * names the current task's own task port, in its own space, so a server's
 * mach_port_deallocate(mach_task_self(), name) releases the server's right
 * while the client's thread is elsewhere.
 *
 * Names: every task holds a send right to its task port under the same
 * name (MP_COMPAT_TASK_SELF_NAME, the value of mach_task_self_, a
 * constant) and one to its bootstrap port under MP_COMPAT_BOOTSTRAP_NAME
 * (the initial value of bootstrap_port). As on Darwin, a name means
 * something only in the space of the task that uses it. The receive rights
 * of those ports are held by a hidden task of the process's (the stand-in
 * for the kernel's and launchd's side); nothing receives on them.
 *
 * fork(): as on Darwin, the child gets a new task holding only its
 * task-self and bootstrap send rights (made at its first Mach call); the
 * parent's tasks are left alone. On machportd the child's task is a new
 * space in the same daemon and reaches the same bootstrap registry, so a
 * parent and a child rendezvous by name (bootstrap_check_in /
 * bootstrap_look_up). On the embedded kernel the child's task lives in the
 * child's copy-on-write copy of the kernel, which shares nothing with the
 * parent's (a rendezvous across fork needs machportd). Tasks the harness
 * made do not exist in the child: mp_compat_port_task answers NULL for
 * them, mp_compat_set_current ignores them, mp_compat_task_destroy frees
 * their records; a thread's current task is the default again.
 */
#ifndef MACHPORTS_COMPAT_H
#define MACHPORTS_COMPAT_H

#include "machports/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The names every compat task has (index 1 and 2, generation 3: the first
 * names XNU's allocator hands out). */
#define MP_COMPAT_TASK_SELF_NAME 0x103u
#define MP_COMPAT_BOOTSTRAP_NAME 0x203u

typedef struct mp_compat_task mp_compat_task_t;

/* The backend every compat task of this process uses (MACHPORTS_BACKEND). */
mp_backend_t mp_compat_backend(void);

/* The process's own task, made at the first call (never NULL: if it cannot
 * be made, the process aborts with the reason, as a Darwin process without
 * a task could not run). */
mp_compat_task_t *mp_compat_task_default(void);

/* A new task on the process's backend holding only its task-self and
 * bootstrap send rights. MP_KERN_RESOURCE_SHORTAGE or the backend's code. */
MP_MUST_USE mp_kr_t mp_compat_task_create(mp_compat_task_t **out);

/* Ends the task as XNU ends a dead task (its space is terminated: receive
 * rights die, send-once rights fire). A thread whose current task it was
 * goes back to the default task. The default task cannot be destroyed
 * (ignored). */
void mp_compat_task_destroy(mp_compat_task_t *task);

/* The calling thread's current task (the default task until set). */
mp_compat_task_t *mp_compat_current(void);

/* Makes `task` the calling thread's current task (NULL, or a task that
 * does not exist in this forked child: the default task) and returns the
 * previous one. New threads start on the default task. */
mp_compat_task_t *mp_compat_set_current(mp_compat_task_t *task);

/* The lib/port task under a compat task: to inspect its space (names,
 * rights, regions) with machports/port.h and machports/testing.h. */
mp_task_t *mp_compat_port_task(const mp_compat_task_t *task);

/*
 * mach_msg_server_once's steps after the demux, for a harness that receives
 * a request itself and looks at the server's space between the steps
 * (machports/server_fuzz.h). `request` and `reply` are the demux's
 * mach_msg_header_t * (void * here: this header does not include Apple's).
 *   return_code: the routine's code as the runtime reads it from the
 *     reply (a complex reply counts as KERN_SUCCESS, else its RetCode).
 *   apply_return_code: the runtime's rule on the routine's code (a complex
 *     reply counts as KERN_SUCCESS; MIG_NO_REPLY clears the reply's
 *     destination; any other code destroys the request but its reply
 *     right); returns the code it read.
 *   send_reply: sends the reply if it has a destination (MACH_SEND_TIMEOUT
 *     0 unless to a send-once right; `options` as mach_msg_server_once's);
 *     a recoverable send error (INVALID_DEST, TIMED_OUT, INTERRUPTED)
 *     destroys the unsent reply. Returns the send's own code
 *     (MACH_MSG_SUCCESS when there was nothing to send), which
 *     mach_msg_server_once maps to success when recoverable.
 */
int32_t mp_compat_mig_return_code(const void *reply);
int32_t mp_compat_mig_apply_return_code(void *request, void *reply);
int32_t mp_compat_mig_send_reply(void *reply, int32_t options);

#ifdef __cplusplus
}
#endif

#endif /* MACHPORTS_COMPAT_H */
