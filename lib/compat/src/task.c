/*
 * lib/compat/src/task.c: the process's tasks (machports/compat.h):
 * the backend, the hidden task that holds the receive rights of task and
 * bootstrap ports, the default task, each thread's current task, the
 * variables <mach/mach_init.h> declares, a task's special ports
 * (task_get_special_port / task_set_special_port) and what fork() does to
 * all of them.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mach/task.h>

#include "lib/compat/src/compat_internal.h"

/* Constants: each task has its self and bootstrap rights under these names
 * (machports/compat.h), so the variables are right for every task. */
mach_port_t mach_task_self_ = MP_COMPAT_TASK_SELF_NAME;
mach_port_t bootstrap_port = MP_COMPAT_BOOTSTRAP_NAME;

/*
 * The process's tasks, made at the first call. `ready` is set once they
 * exist; a forked child clears it (fork_child), and its first call makes
 * its own (a mutex and a flag rather than pthread_once, which cannot be
 * started over). `mu` also guards the list of the harness's tasks.
 */
static struct {
	pthread_mutex_t mu;
	atomic_int ready;
	int atfork_set;
	mp_backend_t backend;
	mp_task_t *hidden;            /* receive rights of task and bootstrap ports */
	mp_port_name_t bootstrap;     /* the bootstrap port's receive right, in hidden */
	mp_compat_task_t default_task;
	mp_compat_task_t *made;       /* the harness's tasks */
	int forked;                   /* a forked child: the parent's tasks are to be forgotten */
	mp_task_t *stale_hidden;      /* the parent's hidden task, in a forked child */
} proc = { .mu = PTHREAD_MUTEX_INITIALIZER };

static _Thread_local mp_compat_task_t *current;

/*
 * proc.mu, and whether this thread holds it: a call made under it can fork
 * (machportd's client starts the daemon with fork and exec when none
 * listens), and fork's prepare handler must not wait for a lock its own
 * thread holds. Such a child execs at once; it is left as it is.
 */
static _Thread_local int holding_proc;
static int fork_took_proc; /* written by the forking thread only */

static void proc_lock(void)
{
	pthread_mutex_lock(&proc.mu);
	holding_proc = 1;
}

static void proc_unlock(void)
{
	holding_proc = 0;
	pthread_mutex_unlock(&proc.mu);
}

static _Noreturn void die(const char *what, mp_kr_t kr)
{
	fprintf(stderr, "machports: %s (0x%x)\n", what, (unsigned)kr);
	abort();
}

static mp_backend_t backend_from_env(void)
{
	const char *v = getenv("MACHPORTS_BACKEND");

	if (v == NULL || *v == '\0' || strcmp(v, "kern") == 0)
		return MP_BACKEND_KERN;
	if (strcmp(v, "machportd") == 0)
		return MP_BACKEND_MACHPORTD;
	fprintf(stderr, "machports: MACHPORTS_BACKEND=%s: unknown backend (kern, machportd)\n", v);
	abort();
}

/* Releases a slot's send right (NULL and DEAD hold none). */
static void slot_release(mp_port_name_t *slot)
{
	if (*slot != MP_PORT_NULL && *slot != MP_PORT_DEAD)
		(void)mp_port_deallocate(proc.hidden, *slot);
	*slot = MP_PORT_NULL;
}

/* A task holding only its task-self and bootstrap send rights; its
 * bootstrap slot holds one more send right to the bootstrap port. */
static mp_kr_t task_make(mp_compat_task_t *ct)
{
	mp_kr_t kr;

	memset(ct, 0, sizeof *ct);
	kr = mp_task_open(proc.backend, &ct->task);
	if (kr != MP_KERN_SUCCESS)
		return kr;
	kr = mp_port_allocate(proc.hidden, MP_PORT_RIGHT_RECEIVE, &ct->self_port);
	if (kr == MP_KERN_SUCCESS)
		kr = mp_port_insert_right(ct->task, MP_COMPAT_TASK_SELF_NAME, proc.hidden, ct->self_port,
					  MP_MSG_TYPE_MAKE_SEND);
	if (kr == MP_KERN_SUCCESS)
		kr = mp_port_insert_right(ct->task, MP_COMPAT_BOOTSTRAP_NAME, proc.hidden, proc.bootstrap,
					  MP_MSG_TYPE_MAKE_SEND);
	if (kr == MP_KERN_SUCCESS)
		kr = mp_port_insert_right(proc.hidden, proc.bootstrap, proc.hidden, proc.bootstrap,
					  MP_MSG_TYPE_MAKE_SEND);
	if (kr == MP_KERN_SUCCESS) {
		ct->special[TASK_BOOTSTRAP_PORT] = proc.bootstrap;
		return MP_KERN_SUCCESS;
	}
	if (ct->self_port != MP_PORT_NULL)
		(void)mp_port_destroy(proc.hidden, ct->self_port);
	mp_task_close(ct->task);
	ct->task = NULL;
	return kr;
}

/* Ends the task and releases what the hidden task held for it. */
static void task_unmake(mp_compat_task_t *ct)
{
	mp_task_close(ct->task);
	ct->task = NULL;
	for (int i = 0; i < COMPAT_SPECIAL_SLOTS; i++)
		slot_release(&ct->special[i]);
	(void)mp_port_destroy(proc.hidden, ct->self_port);
}

static void fork_prepare(void);
static void fork_parent(void);
static void fork_child(void);

/* The process's tasks, under proc.mu. */
static void proc_start(void)
{
	mp_kr_t kr;

	proc.backend = backend_from_env();
	kr = mp_task_open(proc.backend, &proc.hidden);
	if (kr != MP_KERN_SUCCESS)
		die("cannot open the process's tasks on its backend", kr);
	kr = mp_port_allocate(proc.hidden, MP_PORT_RIGHT_RECEIVE, &proc.bootstrap);
	if (kr != MP_KERN_SUCCESS)
		die("cannot make the bootstrap port", kr);
	kr = task_make(&proc.default_task);
	if (kr != MP_KERN_SUCCESS)
		die("cannot make the process's task", kr);
	proc.default_task.is_default = 1;
	if (!proc.atfork_set && pthread_atfork(fork_prepare, fork_parent, fork_child) == 0)
		proc.atfork_set = 1; /* handlers are inherited: once per process tree */
}

static void forget_parent_tasks(void);

static void proc_ensure(void)
{
	if (atomic_load_explicit(&proc.ready, memory_order_acquire))
		return;
	proc_lock();
	if (!atomic_load_explicit(&proc.ready, memory_order_relaxed)) {
		if (proc.forked)
			forget_parent_tasks();
		proc_start();
		atomic_store_explicit(&proc.ready, 1, memory_order_release);
	}
	proc_unlock();
}

/* ---- fork ------------------------------------------------------------------
 *
 * As on Darwin (XNU's fork makes the child a new task with a fresh IPC
 * space; ipc_task_init copies the parent's itk_bootstrap, itk_task_access,
 * itk_host and exception ports into the child's slots, and libSystem's
 * child handler reads bootstrap_port back with task_get_special_port), the
 * child gets a new task holding only its task-self and bootstrap send
 * rights, made at its first Mach call. Departure: its slots are a new
 * task's (the bootstrap slot holds the bootstrap port, the others
 * MACH_PORT_NULL), not copies of what the parent set with
 * task_set_special_port. The child never uses
 * the parent's tasks: it forgets them without ending them
 * (mp_task_forget_after_fork: on machportd their connections are closed in
 * the child only, the parent's tasks live on; on the embedded kernel they
 * stay, untouched, in the child's copy of the kernel).
 *  - machportd: the child's task is a new space in the same daemon; its
 *    bootstrap port reaches the daemon's registry, so a parent and a child
 *    rendezvous by name (bootstrap_check_in / bootstrap_look_up).
 *  - embedded kernel: the child's kernel is a copy-on-write copy of the
 *    parent's; its new task lives in that copy, which shares nothing with
 *    the parent's (a rendezvous across fork needs machportd).
 * The tasks the harness made (mp_compat_task_create) do not exist in the
 * child: their records stay (mp_compat_port_task answers NULL, destroy
 * frees them); a thread's current task is the default again.
 */
static void fork_prepare(void)
{
	fork_took_proc = !holding_proc;
	if (fork_took_proc)
		pthread_mutex_lock(&proc.mu); /* no task is being made or listed */
}

static void fork_parent(void)
{
	if (fork_took_proc)
		pthread_mutex_unlock(&proc.mu);
}

/* In the child, fork's own handler: no allocation or free here (a
 * sanitizer's allocator is locked until fork returns), only marks; the
 * parent's tasks are forgotten at the child's first Mach call. */
static void fork_child(void)
{
	if (!fork_took_proc)
		return; /* forked from inside a call that holds proc.mu (see proc_lock) */
	if (atomic_load_explicit(&proc.ready, memory_order_relaxed)) {
		for (mp_compat_task_t *ct = proc.made; ct != NULL; ct = ct->next) {
			ct->stale = ct->task;
			ct->task = NULL;
		}
		proc.default_task.stale = proc.default_task.task;
		proc.default_task.task = NULL;
		proc.stale_hidden = proc.hidden;
		proc.hidden = NULL;
		proc.forked = 1;
		atomic_store_explicit(&proc.ready, 0, memory_order_relaxed);
	}
	current = NULL;
	pthread_mutex_unlock(&proc.mu);
}

/* Under proc.mu, in a forked child: lets go of the parent's tasks
 * (mp_task_forget_after_fork). The harness's records stay, with no task,
 * until mp_compat_task_destroy frees them. */
static void forget_parent_tasks(void)
{
	for (mp_compat_task_t *ct = proc.made; ct != NULL; ct = ct->next) {
		mp_task_forget_after_fork(ct->stale);
		ct->stale = NULL;
	}
	proc.made = NULL;
	mp_task_forget_after_fork(proc.default_task.stale);
	mp_task_forget_after_fork(proc.stale_hidden);
	memset(&proc.default_task, 0, sizeof proc.default_task);
	proc.stale_hidden = NULL;
	proc.forked = 0;
}

/* ---- the harness's API (machports/compat.h) ------------------------------- */

mp_backend_t mp_compat_backend(void)
{
	proc_ensure();
	return proc.backend;
}

mp_compat_task_t *mp_compat_task_default(void)
{
	proc_ensure();
	return &proc.default_task;
}

mp_kr_t mp_compat_task_create(mp_compat_task_t **out)
{
	mp_compat_task_t *ct;
	mp_kr_t kr;

	*out = NULL;
	proc_ensure();
	ct = malloc(sizeof *ct);
	if (ct == NULL)
		return MP_KERN_RESOURCE_SHORTAGE;
	proc_lock();
	kr = task_make(ct);
	if (kr == MP_KERN_SUCCESS) {
		ct->next = proc.made;
		proc.made = ct;
	}
	proc_unlock();
	if (kr != MP_KERN_SUCCESS) {
		free(ct);
		return kr;
	}
	*out = ct;
	return MP_KERN_SUCCESS;
}

void mp_compat_task_destroy(mp_compat_task_t *ct)
{
	if (ct == NULL || ct->is_default)
		return;
	if (current == ct)
		current = NULL;
	proc_lock();
	for (mp_compat_task_t **p = &proc.made; *p != NULL; p = &(*p)->next) {
		if (*p == ct) {
			*p = ct->next;
			break;
		}
	}
	if (ct->task != NULL)
		task_unmake(ct);
	mp_task_forget_after_fork(ct->stale); /* made in the parent of this forked child */
	proc_unlock();
	free(ct);
}

mp_compat_task_t *mp_compat_current(void)
{
	return compat_current();
}

mp_compat_task_t *mp_compat_set_current(mp_compat_task_t *ct)
{
	mp_compat_task_t *prev = compat_current();

	current = ct != NULL && !ct->is_default && ct->task != NULL ? ct : NULL;
	return prev;
}

mp_task_t *mp_compat_port_task(const mp_compat_task_t *ct)
{
	return ct->task;
}

mp_compat_task_t *compat_current(void)
{
	if (current != NULL)
		return current;
	return mp_compat_task_default();
}

mp_task_t *compat_target(mach_port_name_t target)
{
	if (target != MP_COMPAT_TASK_SELF_NAME)
		return NULL;
	return compat_current()->task;
}

/* mach_task_is_self (libsyscall mach/mach_init.c): the name is the
 * caller's own task port. */
boolean_t mach_task_is_self(task_name_t task)
{
	return compat_target(task) != NULL;
}

/* ---- special ports (XNU osfmk/kern/ipc_tt.c) ------------------------------ */

/* The slots task_set_special_port_internal keeps (itk_bootstrap,
 * itk_task_access, itk_debug_control, itk_resource_notify). */
static int slot_settable(int which)
{
	return which == TASK_BOOTSTRAP_PORT || which == TASK_ACCESS_PORT || which == TASK_DEBUG_CONTROL_PORT ||
	       which == TASK_RESOURCE_NOTIFY_PORT;
}

/*
 * task_get_special_port (XNU task_get_special_port_from_user and
 * task_get_special_port_internal): a send right copied into the caller
 * (ipc_port_copy_send: one more uref under the name the task has for the
 * port, as the reply's MOVE_SEND copies out).
 *  TASK_KERNEL_PORT       the task's own port (a send right made from it,
 *                         as task_get_non_substituted_self; under
 *                         mach_task_self_'s name)
 *  TASK_BOOTSTRAP_PORT, TASK_ACCESS_PORT, TASK_DEBUG_CONTROL_PORT,
 *  TASK_RESOURCE_NOTIFY_PORT  the slot (MACH_PORT_NULL until set, but the
 *                         bootstrap port's)
 *  TASK_HOST_PORT, TASK_NAME_PORT, TASK_INSPECT_PORT, TASK_READ_PORT
 *                         KERN_NOT_SUPPORTED: XNU answers with the host
 *                         port and the task's name / inspect / read ports,
 *                         which machports does not have
 *  any other              KERN_INVALID_ARGUMENT (XNU's default case)
 * `task` must be the current task (mach_task_self()): else
 * MACH_SEND_INVALID_DEST (a MIG request to a name that is no task port).
 */
kern_return_t task_get_special_port(task_inspect_t task, int which_port, mach_port_t *special_port)
{
	mp_task_t *t = compat_target(task);
	mp_compat_task_t *ct = compat_current();
	mp_port_name_t from = MP_PORT_NULL, got = MP_PORT_NULL;
	uint32_t type = 0, disp = MP_MSG_TYPE_COPY_SEND;
	mp_kr_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (which_port == TASK_KERNEL_PORT) {
		from = ct->self_port;
		disp = MP_MSG_TYPE_MAKE_SEND;
	} else if (slot_settable(which_port)) {
		from = ct->special[which_port];
	} else if (which_port == TASK_HOST_PORT || which_port == TASK_NAME_PORT ||
		   which_port == TASK_INSPECT_PORT || which_port == TASK_READ_PORT) {
		return KERN_NOT_SUPPORTED;
	} else {
		return KERN_INVALID_ARGUMENT;
	}
	proc_lock(); /* XNU's itk_lock: the slot is not replaced meanwhile */
	if (from == MP_PORT_NULL || from == MP_PORT_DEAD) {
		got = from;
		kr = MP_KERN_SUCCESS;
	} else {
		kr = mp_port_extract_right(proc.hidden, from, disp, t, &got, &type);
	}
	proc_unlock();
	if (kr == MP_KERN_SUCCESS)
		*special_port = got;
	return kr;
}

/*
 * task_set_special_port (XNU task_set_special_port and
 * task_set_special_port_internal): the request carries `special_port` as
 * a copied send right (MIG's mach_port_t: COPY_SEND), so a name that is no
 * send right (nor MACH_PORT_NULL / a dead name) fails as the send would,
 * MACH_SEND_INVALID_RIGHT, before anything else is looked at. Then
 * TASK_KERNEL_PORT and TASK_HOST_PORT: KERN_NO_ACCESS (XNU allows them only
 * with SIP off); TASK_ACCESS_PORT once set: KERN_NO_ACCESS (never
 * overwritten); the other settable slots take the right and release the
 * one they held; any other selector: KERN_INVALID_ARGUMENT. On failure the
 * copied right is released (the server destroys the request): the caller's
 * rights are as before. Setting TASK_BOOTSTRAP_PORT changes what
 * task_get_special_port answers, not bootstrap_port (read at start on
 * Darwin, a constant name here).
 */
kern_return_t task_set_special_port(task_t task, int which_port, mach_port_t special_port)
{
	mp_task_t *t = compat_target(task);
	mp_compat_task_t *ct = compat_current();
	mp_port_name_t copied = special_port;
	uint32_t type = 0;
	mp_kr_t kr = KERN_SUCCESS;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (compat_dead_name(t, special_port))
		copied = MP_PORT_DEAD;
	else if (special_port != MP_PORT_NULL && special_port != MP_PORT_DEAD &&
		 mp_port_extract_right(t, special_port, MP_MSG_TYPE_COPY_SEND, proc.hidden, &copied, &type) !=
			 MP_KERN_SUCCESS)
		return MACH_SEND_INVALID_RIGHT;
	proc_lock(); /* XNU's itk_lock */
	if (which_port == TASK_KERNEL_PORT || which_port == TASK_HOST_PORT)
		kr = KERN_NO_ACCESS;
	else if (!slot_settable(which_port))
		kr = KERN_INVALID_ARGUMENT;
	else if (which_port == TASK_ACCESS_PORT && ct->special[which_port] != MP_PORT_NULL &&
		 ct->special[which_port] != MP_PORT_DEAD)
		kr = KERN_NO_ACCESS;
	if (kr != KERN_SUCCESS) {
		slot_release(&copied);
	} else {
		slot_release(&ct->special[which_port]);
		ct->special[which_port] = copied;
	}
	proc_unlock();
	return kr;
}

/* compat_internal.h. The name's send right is copied into the hidden task,
 * where it joins the name of the bootstrap port's receive right if it is
 * that port's (names coalesce: one name per port in a space). */
kern_return_t compat_bootstrap_check(mach_port_name_t bp, mp_task_t **task)
{
	mp_task_t *t = compat_current()->task;
	mp_port_name_t got = MP_PORT_NULL;
	uint32_t type = 0;

	*task = t;
	if (bp == MP_PORT_NULL || bp == MP_PORT_DEAD ||
	    mp_port_extract_right(t, bp, MP_MSG_TYPE_COPY_SEND, proc.hidden, &got, &type) != MP_KERN_SUCCESS)
		return MACH_SEND_INVALID_DEST;
	if (got == MP_PORT_DEAD) /* a dead name: the send would fail */
		return MACH_SEND_INVALID_DEST;
	(void)mp_port_deallocate(proc.hidden, got);
	return got == proc.bootstrap ? KERN_SUCCESS : KERN_NOT_SUPPORTED;
}

int compat_dead_name(mp_task_t *t, mach_port_name_t name)
{
	mp_port_type_t type = 0;

	return MP_PORT_VALID(name) && mp_port_type(t, name, &type) == MP_KERN_SUCCESS &&
	       type == MP_PORT_TYPE_DEAD_NAME;
}
