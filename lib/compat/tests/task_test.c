/*
 * lib/compat/tests/task_test.c: the harness API (machports/compat.h:
 * the default task, mp_compat_task_create / set_current / destroy, each
 * thread's current task) and task_get_special_port / task_set_special_port
 * (XNU osfmk/kern/ipc_tt.c task_get_special_port_internal,
 * task_set_special_port, task_set_special_port_internal).
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <string.h>

#include <mach/task.h>

#include "lib/compat/tests/runtime_test_support.h"

/* ---- the harness API --------------------------------------------------------- */

static void default_task_has_two_rights(void **state)
{
	(void)state;
	assert_int_equal(mach_task_self(), MP_COMPAT_TASK_SELF_NAME);
	assert_int_equal(bootstrap_port, MP_COMPAT_BOOTSTRAP_NAME);
	assert_ptr_equal(mp_compat_current(), mp_compat_task_default());
	assert_int_equal(mp_task_backend(cur_task()), mp_compat_backend());
	assert_true(has_only_the_two_rights(cur_task()));
	assert_true(mach_task_is_self(mach_task_self()));
	assert_false(mach_task_is_self(bootstrap_port));
	kernel_ok();
}

/* A new task is a space of its own; set_current switches the thread's
 * mach_task_self(); destroying the current task puts the thread back on
 * the default one; the default task is never destroyed. */
static void create_set_current_destroy(void **state)
{
	mp_compat_task_t *def = mp_compat_task_default(), *a = NULL, *b = NULL;
	mp_port_name_t p = 0;
	(void)state;

	assert_int_equal(mp_compat_task_create(&a), MP_KERN_SUCCESS);
	assert_int_equal(mp_compat_task_create(&b), MP_KERN_SUCCESS);
	assert_ptr_not_equal(mp_compat_port_task(a), mp_compat_port_task(b));
	assert_true(has_only_the_two_rights(mp_compat_port_task(a)));
	assert_ptr_equal(mp_compat_set_current(a), def);
	assert_ptr_equal(mp_compat_current(), a);
	/* a right made in a is in a's space only */
	assert_int_equal(mp_port_allocate(cur_task(), MP_PORT_RIGHT_RECEIVE, &p), MP_KERN_SUCCESS);
	assert_int_equal(count_names(mp_compat_port_task(a)), 3);
	assert_true(has_only_the_two_rights(mp_compat_port_task(b)));
	assert_true(has_only_the_two_rights(mp_compat_port_task(def)));
	assert_ptr_equal(mp_compat_set_current(b), a);
	assert_ptr_equal(mp_compat_set_current(NULL), b);
	assert_ptr_equal(mp_compat_current(), def);
	assert_ptr_equal(mp_compat_set_current(def), def);
	/* destroying the current task: back to the default */
	mp_compat_set_current(a);
	mp_compat_task_destroy(a);
	assert_ptr_equal(mp_compat_current(), def);
	mp_compat_task_destroy(b);
	mp_compat_task_destroy(def); /* ignored */
	mp_compat_task_destroy(NULL);
	assert_ptr_equal(mp_compat_task_default(), def);
	assert_true(has_only_the_two_rights(cur_task()));
	kernel_ok();
}

/* Two threads on two tasks at once: each sees its own; a new thread
 * starts on the default task whatever its creator's current task is. */
typedef struct thread_arg {
	mp_compat_task_t *task;
	pthread_barrier_t *barrier;
	int ok;
} thread_arg_t;

static void *on_task(void *p)
{
	thread_arg_t *a = p;

	a->ok = mp_compat_current() == mp_compat_task_default();
	mp_compat_set_current(a->task);
	pthread_barrier_wait(a->barrier); /* both threads have switched */
	a->ok = a->ok && mp_compat_current() == a->task && cur_task() == mp_compat_port_task(a->task);
	pthread_barrier_wait(a->barrier);
	return NULL;
}

static void per_thread_current(void **state)
{
	mp_compat_task_t *x = NULL, *y = NULL, *mine = NULL;
	pthread_barrier_t barrier;
	pthread_t tx, ty;
	thread_arg_t ax, ay;
	(void)state;

	assert_int_equal(mp_compat_task_create(&x), MP_KERN_SUCCESS);
	assert_int_equal(mp_compat_task_create(&y), MP_KERN_SUCCESS);
	assert_int_equal(mp_compat_task_create(&mine), MP_KERN_SUCCESS);
	mp_compat_set_current(mine); /* the creator's current task is not inherited */
	assert_int_equal(pthread_barrier_init(&barrier, NULL, 2), 0);
	ax = (thread_arg_t){ x, &barrier, 0 };
	ay = (thread_arg_t){ y, &barrier, 0 };
	assert_int_equal(pthread_create(&tx, NULL, on_task, &ax), 0);
	assert_int_equal(pthread_create(&ty, NULL, on_task, &ay), 0);
	pthread_join(tx, NULL);
	pthread_join(ty, NULL);
	pthread_barrier_destroy(&barrier);
	assert_true(ax.ok);
	assert_true(ay.ok);
	assert_ptr_equal(mp_compat_current(), mine);
	mp_compat_set_current(NULL);
	mp_compat_task_destroy(x);
	mp_compat_task_destroy(y);
	mp_compat_task_destroy(mine);
	kernel_ok();
}

/* Calls take only the current task's own name as `task`. */
static void only_the_current_task(void **state)
{
	mach_port_t sp = 0x77;
	(void)state;

	assert_int_equal(task_get_special_port(bootstrap_port, TASK_BOOTSTRAP_PORT, &sp), MACH_SEND_INVALID_DEST);
	assert_int_equal(task_get_special_port(0x999, TASK_BOOTSTRAP_PORT, &sp), MACH_SEND_INVALID_DEST);
	assert_int_equal(task_get_special_port(MACH_PORT_NULL, TASK_BOOTSTRAP_PORT, &sp), MACH_SEND_INVALID_DEST);
	assert_int_equal(task_set_special_port(0x999, TASK_BOOTSTRAP_PORT, bootstrap_port), MACH_SEND_INVALID_DEST);
	assert_int_equal(sp, 0x77);
	assert_true(has_only_the_two_rights(cur_task()));
}

/* ---- special ports ----------------------------------------------------------- */

/* Runs each special-port case on a task of its own. */
static int on_new_task(void **state)
{
	mp_compat_task_t *t = NULL;
	assert_int_equal(mp_compat_task_create(&t), MP_KERN_SUCCESS);
	mp_compat_set_current(t);
	*state = t;
	return 0;
}

static int end_task(void **state)
{
	mp_compat_set_current(NULL);
	mp_compat_task_destroy(*state);
	kernel_ok();
	return 0;
}

/* XNU task_get_special_port_internal: TASK_BOOTSTRAP_PORT and
 * TASK_KERNEL_PORT copy a send right (one more uref under the name the
 * task has); the slots nobody set are MACH_PORT_NULL; the task's other
 * ports machports does not have (KERN_NOT_SUPPORTED); an unknown selector
 * is the default case's KERN_INVALID_ARGUMENT. */
static void get_special_ports(void **state)
{
	mp_task_t *t = cur_task();
	mach_port_t sp = 0;
	(void)state;

	assert_int_equal(task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &sp), KERN_SUCCESS);
	assert_int_equal(sp, bootstrap_port);
	assert_int_equal(refs_of(t, bootstrap_port, MP_PORT_RIGHT_SEND), 2);
	assert_int_equal(task_get_bootstrap_port(mach_task_self(), &sp), KERN_SUCCESS);
	assert_int_equal(refs_of(t, bootstrap_port, MP_PORT_RIGHT_SEND), 3);
	assert_int_equal(task_get_special_port(mach_task_self(), TASK_KERNEL_PORT, &sp), KERN_SUCCESS);
	assert_int_equal(sp, mach_task_self());
	assert_int_equal(refs_of(t, mach_task_self(), MP_PORT_RIGHT_SEND), 2);
	for (int which = TASK_ACCESS_PORT; which <= TASK_RESOURCE_NOTIFY_PORT; which++) {
		sp = 0x77;
		assert_int_equal(task_get_special_port(mach_task_self(), which, &sp), KERN_SUCCESS);
		assert_int_equal(sp, MACH_PORT_NULL);
	}
	const int missing[] = { TASK_HOST_PORT, TASK_NAME_PORT, TASK_INSPECT_PORT, TASK_READ_PORT };
	for (size_t i = 0; i < sizeof missing / sizeof missing[0]; i++) {
		sp = 0x77;
		assert_int_equal(task_get_special_port(mach_task_self(), missing[i], &sp), KERN_NOT_SUPPORTED);
		assert_int_equal(sp, 0x77);
	}
	const int unknown[] = { 0, 7, 8, 12, -1, 1000 };
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
		assert_int_equal(task_get_special_port(mach_task_self(), unknown[i], &sp), KERN_INVALID_ARGUMENT);
	assert_int_equal(count_names(t), 2);
}

/* XNU task_set_special_port(_internal): the slot takes a copy of the send
 * right (the caller keeps its own) and releases the one it held; get then
 * answers the new port. */
static void set_bootstrap_port(void **state)
{
	mp_task_t *t = cur_task();
	mp_port_name_t p = 0;
	mach_port_t sp = 0;
	mp_port_status_t st;
	(void)state;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &p), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_right(t, p, t, p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(task_set_bootstrap_port(mach_task_self(), p), KERN_SUCCESS);
	assert_int_equal(refs_of(t, p, MP_PORT_RIGHT_SEND), 1); /* COPY_SEND: still ours */
	assert_int_equal(task_get_bootstrap_port(mach_task_self(), &sp), KERN_SUCCESS);
	assert_int_equal(sp, p);
	assert_int_equal(refs_of(t, p, MP_PORT_RIGHT_SEND), 2);
	/* bootstrap_port is a name, not the slot: it still names the old port */
	assert_int_equal(type_of(t, bootstrap_port), MP_PORT_TYPE_SEND);
	/* the task keeps no send right of its own: only the slot's remains */
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_SEND, -2), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_get_status(t, p, &st), MP_KERN_SUCCESS);
	assert_int_equal(st.mps_srights, 1);
	/* replaced: the slot's right to p is released */
	assert_int_equal(task_set_bootstrap_port(mach_task_self(), bootstrap_port), KERN_SUCCESS);
	assert_int_equal(mp_port_get_status(t, p, &st), MP_KERN_SUCCESS);
	assert_int_equal(st.mps_srights, 0);
	assert_int_equal(task_get_bootstrap_port(mach_task_self(), &sp), KERN_SUCCESS);
	assert_int_equal(sp, bootstrap_port);
	assert_int_equal(refs_of(t, bootstrap_port, MP_PORT_RIGHT_SEND), 2);
	/* MACH_PORT_NULL empties the slot */
	assert_int_equal(task_set_bootstrap_port(mach_task_self(), MACH_PORT_NULL), KERN_SUCCESS);
	assert_int_equal(task_get_bootstrap_port(mach_task_self(), &sp), KERN_SUCCESS);
	assert_int_equal(sp, MACH_PORT_NULL);
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
}

/* What task_set_special_port refuses, with the caller's rights as they
 * were: a name that is no send right (the request's COPY_SEND copyin:
 * MACH_SEND_INVALID_RIGHT, before the selector is looked at); the task and
 * host ports (KERN_NO_ACCESS: XNU allows them only with SIP off); an
 * unknown selector or one XNU keeps no slot for (KERN_INVALID_ARGUMENT);
 * TASK_ACCESS_PORT once set (KERN_NO_ACCESS: never overwritten). */
static void set_refusals(void **state)
{
	mp_task_t *t = cur_task();
	mp_port_name_t r = 0;
	mach_port_t sp = 0;
	mp_port_status_t st;
	(void)state;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &r), MP_KERN_SUCCESS);
	assert_int_equal(task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, r), MACH_SEND_INVALID_RIGHT);
	assert_int_equal(task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, 0x4242403), MACH_SEND_INVALID_RIGHT);
	assert_int_equal(task_set_special_port(mach_task_self(), 1000, 0x4242403), MACH_SEND_INVALID_RIGHT);
	assert_int_equal(mp_port_insert_right(t, r, t, r, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	const int no_access[] = { TASK_KERNEL_PORT, TASK_HOST_PORT };
	const int invalid[] = { TASK_NAME_PORT, TASK_INSPECT_PORT, TASK_READ_PORT, 0, 7, 1000, -1 };
	for (size_t i = 0; i < sizeof no_access / sizeof no_access[0]; i++)
		assert_int_equal(task_set_special_port(mach_task_self(), no_access[i], r), KERN_NO_ACCESS);
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
		assert_int_equal(task_set_special_port(mach_task_self(), invalid[i], r), KERN_INVALID_ARGUMENT);
	assert_int_equal(refs_of(t, r, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(mp_port_get_status(t, r, &st), MP_KERN_SUCCESS);
	assert_int_equal(st.mps_mscount, 1);
	/* the access port: set once */
	assert_int_equal(task_set_special_port(mach_task_self(), TASK_ACCESS_PORT, r), KERN_SUCCESS);
	assert_int_equal(task_set_special_port(mach_task_self(), TASK_ACCESS_PORT, r), KERN_NO_ACCESS);
	assert_int_equal(task_set_special_port(mach_task_self(), TASK_ACCESS_PORT, MACH_PORT_NULL), KERN_NO_ACCESS);
	assert_int_equal(task_get_special_port(mach_task_self(), TASK_ACCESS_PORT, &sp), KERN_SUCCESS);
	assert_int_equal(sp, r);
	/* the debug-control port can be replaced */
	assert_int_equal(task_set_special_port(mach_task_self(), TASK_DEBUG_CONTROL_PORT, r), KERN_SUCCESS);
	assert_int_equal(task_set_special_port(mach_task_self(), TASK_DEBUG_CONTROL_PORT, MACH_PORT_NULL), KERN_SUCCESS);
	assert_int_equal(refs_of(t, r, MP_PORT_RIGHT_SEND), 2); /* 1 + the get's */
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_SEND, -2), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_get_status(t, r, &st), MP_KERN_SUCCESS);
	assert_int_equal(st.mps_srights, 1); /* the access slot's, released when the task ends */
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
}

/* A dead name is copied in as MACH_PORT_DEAD (XNU's copyin of a dead
 * name), which the slot then holds. */
static void set_dead_name(void **state)
{
	mp_task_t *t = cur_task();
	mp_port_name_t r = 0;
	mach_port_t sp = 0;
	(void)state;

	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &r), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_insert_right(t, r, t, r, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(type_of(t, r), MP_PORT_TYPE_DEAD_NAME);
	assert_int_equal(task_set_special_port(mach_task_self(), TASK_DEBUG_CONTROL_PORT, r), KERN_SUCCESS);
	assert_int_equal(task_get_special_port(mach_task_self(), TASK_DEBUG_CONTROL_PORT, &sp), KERN_SUCCESS);
	assert_int_equal(sp, MACH_PORT_DEAD);
	assert_int_equal(refs_of(t, r, MP_PORT_RIGHT_DEAD_NAME), 1);
	assert_int_equal(mp_port_deallocate(t, r), MP_KERN_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_task_has_two_rights),
		cmocka_unit_test(create_set_current_destroy),
		cmocka_unit_test(per_thread_current),
		cmocka_unit_test(only_the_current_task),
		cmocka_unit_test_setup_teardown(get_special_ports, on_new_task, end_task),
		cmocka_unit_test_setup_teardown(set_bootstrap_port, on_new_task, end_task),
		cmocka_unit_test_setup_teardown(set_refusals, on_new_task, end_task),
		cmocka_unit_test_setup_teardown(set_dead_name, on_new_task, end_task),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
