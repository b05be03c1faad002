/*
 * lib/compat/src/task.c: the process's tasks (machports/compat.h):
 * the backend, the hidden task that holds the receive rights of task and
 * bootstrap ports, the default task, each thread's current task, and the
 * variables <mach/mach_init.h> declares.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/compat/src/compat_internal.h"

/* Constants: each task has its self and bootstrap rights under these names
 * (machports/compat.h), so the variables are right for every task. */
mach_port_t mach_task_self_ = MP_COMPAT_TASK_SELF_NAME;
mach_port_t bootstrap_port = MP_COMPAT_BOOTSTRAP_NAME;

static struct {
	pthread_once_t once;
	mp_backend_t backend;
	mp_task_t *hidden;            /* receive rights of task and bootstrap ports */
	mp_port_name_t bootstrap;     /* the bootstrap port's receive right, in hidden */
	mp_compat_task_t default_task;
} proc = { .once = PTHREAD_ONCE_INIT };

static _Thread_local mp_compat_task_t *current;

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

/* A task holding only its task-self and bootstrap send rights. */
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
	if (kr != MP_KERN_SUCCESS) {
		if (ct->self_port != MP_PORT_NULL)
			(void)mp_port_destroy(proc.hidden, ct->self_port);
		mp_task_close(ct->task);
		ct->task = NULL;
	}
	return kr;
}

static void proc_init(void)
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
}

mp_backend_t mp_compat_backend(void)
{
	pthread_once(&proc.once, proc_init);
	return proc.backend;
}

mp_compat_task_t *mp_compat_task_default(void)
{
	pthread_once(&proc.once, proc_init);
	return &proc.default_task;
}

mp_kr_t mp_compat_task_create(mp_compat_task_t **out)
{
	mp_compat_task_t *ct;
	mp_kr_t kr;

	*out = NULL;
	pthread_once(&proc.once, proc_init);
	ct = malloc(sizeof *ct);
	if (ct == NULL)
		return MP_KERN_RESOURCE_SHORTAGE;
	kr = task_make(ct);
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
	mp_task_close(ct->task);
	(void)mp_port_destroy(proc.hidden, ct->self_port);
	free(ct);
}

mp_compat_task_t *mp_compat_current(void)
{
	return compat_current();
}

mp_compat_task_t *mp_compat_set_current(mp_compat_task_t *ct)
{
	mp_compat_task_t *prev = compat_current();

	current = ct != NULL && !ct->is_default ? ct : NULL;
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
