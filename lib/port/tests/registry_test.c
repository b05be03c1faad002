/*
 * lib/port/tests/registry_test.c: the bootstrap registry (mp_bootstrap_*,
 * lib/kern/registry.c) through lib/port, on the embedded kernel and (the
 * _machportd target) on machportd: one implementation, the same answers.
 *
 * Each case uses names of its own: a registry lives as long as its kernel
 * (the process's, or the daemon's), across the cases. Each case ends with
 * no live service, so t_teardown's leak check sees no port the registry
 * still holds (a dead service's right is dropped at the next look-up).
 */
#include "lib/port/tests/port_test_support.h"

/* Looks `service` up until the registry has dropped its dead port. */
static void expect_gone(mp_task_t *t, const char *service)
{
	mp_port_name_t n = 0x1234;

	assert_int_equal(mp_bootstrap_look_up(t, service, &n), MP_BOOTSTRAP_UNKNOWN_SERVICE);
	assert_int_equal(n, MP_PORT_NULL);
}

/* Register from a receive right (MAKE_SEND); the name is then in use;
 * look-up in the same task joins the receive right's name, one uref per
 * look-up (copyout coalesces, as XNU's ipc_right_copyout on a name the
 * space already has); in another task it is a new send right. */
static void register_and_look_up(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port(a), n = 0, m = 0;
	(void)state;

	assert_int_equal(mp_bootstrap_register(a, "reg.basic", p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(t_type(a, p), MP_PORT_TYPE_RECEIVE); /* MAKE_SEND gave the registry the right */
	assert_int_equal(mp_bootstrap_look_up(a, "reg.basic", &n), MP_KERN_SUCCESS);
	assert_int_equal(n, p);
	assert_int_equal(t_refs(a, p, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(mp_bootstrap_look_up(a, "reg.basic", &n), MP_KERN_SUCCESS);
	assert_int_equal(t_refs(a, p, MP_PORT_RIGHT_SEND), 2);
	assert_int_equal(mp_bootstrap_look_up(b, "reg.basic", &m), MP_KERN_SUCCESS);
	assert_int_equal(t_type(b, m), MP_PORT_TYPE_SEND);
	assert_int_equal(t_refs(b, m, MP_PORT_RIGHT_SEND), 1);
	/* in use while the port lives, whoever asks */
	assert_int_equal(mp_bootstrap_register(a, "reg.basic", p, MP_MSG_TYPE_MAKE_SEND), MP_BOOTSTRAP_NAME_IN_USE);
	assert_int_equal(mp_bootstrap_register(b, "reg.basic", m, MP_MSG_TYPE_COPY_SEND), MP_BOOTSTRAP_NAME_IN_USE);
	assert_int_equal(t_refs(b, m, MP_PORT_RIGHT_SEND), 1); /* a refused register takes nothing */
	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(t_type(b, m), MP_PORT_TYPE_DEAD_NAME);
	expect_gone(b, "reg.basic");
}

/* COPY_SEND leaves the caller's right as it was; the look-up of a service
 * registered by another task reaches the same port. */
static void copy_send(void **state)
{
	mp_task_t *a = t_task(), *b = t_task();
	mp_port_name_t p = t_port_send(a), n = 0;
	(void)state;

	assert_int_equal(mp_bootstrap_register(a, "reg.copy", p, MP_MSG_TYPE_COPY_SEND), MP_KERN_SUCCESS);
	assert_int_equal(t_refs(a, p, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(mp_bootstrap_look_up(b, "reg.copy", &n), MP_KERN_SUCCESS);
	assert_int_equal(t_status(a, p).mps_mscount, 1); /* COPY_SEND made no send right */
	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(a, p), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_deallocate(b, n), MP_KERN_SUCCESS);
	expect_gone(a, "reg.copy");
}

/* A name whose port died is free again; a dead or unknown name is
 * UNKNOWN_SERVICE and gives no right. */
static void dead_port_reregistered(void **state)
{
	mp_task_t *a = t_task();
	mp_port_name_t p = t_port(a), q = t_port(a), n = 0;
	(void)state;

	assert_int_equal(mp_bootstrap_register(a, "reg.dead", p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(mp_bootstrap_register(a, "reg.dead", q, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(mp_bootstrap_look_up(a, "reg.dead", &n), MP_KERN_SUCCESS);
	assert_int_equal(n, q);
	assert_int_equal(mp_port_deallocate(a, q), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(a, q, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	expect_gone(a, "reg.dead");
	expect_gone(a, "reg.never-registered");
}

/* What the registry refuses, taking nothing: a name the caller has no
 * right under (KERN_INVALID_NAME, the copyin's answer), a receive right
 * given with COPY_SEND (KERN_INVALID_RIGHT), a disposition that is not a
 * send (KERN_INVALID_VALUE), an empty name or one longer than 127 bytes
 * (KERN_INVALID_ARGUMENT: launchd's name_t is char[128]). */
static void refusals(void **state)
{
	mp_task_t *a = t_task();
	mp_port_name_t p = t_port(a), n = 0;
	char name[130];
	(void)state;

	assert_int_equal(mp_bootstrap_register(a, "reg.forged", 0x4242403, MP_MSG_TYPE_COPY_SEND), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_bootstrap_register(a, "reg.norights", p, MP_MSG_TYPE_COPY_SEND), MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_bootstrap_register(a, "reg.moved", p, MP_MSG_TYPE_MOVE_RECEIVE), MP_KERN_INVALID_VALUE);
	assert_int_equal(t_type(a, p), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(mp_bootstrap_register(a, "", p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_bootstrap_look_up(a, "", &n), MP_KERN_INVALID_ARGUMENT);
	memset(name, 'r', sizeof name);
	name[128] = '\0'; /* 128 bytes */
	assert_int_equal(mp_bootstrap_register(a, name, p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_bootstrap_look_up(a, name, &n), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(n, MP_PORT_NULL);
	name[127] = '\0'; /* 127 bytes: the longest */
	assert_int_equal(mp_bootstrap_register(a, name, p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(mp_bootstrap_look_up(a, name, &n), MP_KERN_SUCCESS);
	assert_int_equal(n, p);
	assert_int_equal(mp_port_deallocate(a, p), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	expect_gone(a, name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(register_and_look_up),
		T(copy_send),
		T(dead_port_reregistered),
		T(refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
