/*
 * lib/compat/tests/bootstrap_test.c: <servers/bootstrap.h> over the
 * backend's registry (lib/compat/src/bootstrap.c: launchd-842's
 * job_mig_register2 / job_mig_check_in / job_mig_look_up2 and
 * libbootstrap.c's bootstrap_strerror), on the embedded kernel and on
 * machportd. Each case runs in a task of its own and ends with the space
 * holding only its two rights: nothing leaked, nothing lost.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach_error.h>
#include <mach/task.h>
#include <servers/bootstrap.h>

#include "lib/compat/tests/runtime_test_support.h"

/* Service names of this process (machportd's registry is shared). */
static void service(char *out, size_t cap, const char *what)
{
	snprintf(out, cap, "compat.%s.%ld", what, (long)getpid());
}

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
	assert_true(has_only_the_two_rights(cur_task()));
	mp_compat_set_current(NULL);
	mp_compat_task_destroy(*state);
	kernel_ok();
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, on_new_task, end_task)

/* `bp` must be a send right to the bootstrap port: any name that is no
 * send right is MACH_SEND_INVALID_DEST (the MIG request's send); a send
 * right to another port KERN_NOT_SUPPORTED; bootstrap_port and the name
 * task_get_special_port gives are accepted. */
static void bootstrap_port_only(void **state)
{
	mp_task_t *t = cur_task();
	mp_port_name_t r = 0;
	mach_port_t sp = 0x77, bp = 0;
	name_t name;
	(void)state;

	service(name, sizeof name, "bp");
	assert_int_equal(bootstrap_look_up(MACH_PORT_NULL, name, &sp), MACH_SEND_INVALID_DEST);
	assert_int_equal(bootstrap_look_up(MACH_PORT_DEAD, name, &sp), MACH_SEND_INVALID_DEST);
	assert_int_equal(bootstrap_look_up(0x4242403, name, &sp), MACH_SEND_INVALID_DEST);
	assert_int_equal(bootstrap_check_in(0x4242403, name, &sp), MACH_SEND_INVALID_DEST);
	assert_int_equal(bootstrap_register(0x4242403, name, bootstrap_port), MACH_SEND_INVALID_DEST);
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &r), MP_KERN_SUCCESS);
	assert_int_equal(bootstrap_look_up(r, name, &sp), MACH_SEND_INVALID_DEST); /* receive only */
	assert_int_equal(bootstrap_look_up(mach_task_self(), name, &sp), KERN_NOT_SUPPORTED);
	assert_int_equal(sp, 0x77);
	assert_int_equal(refs_of(t, mach_task_self(), MP_PORT_RIGHT_SEND), 1); /* the check took nothing */
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(task_get_bootstrap_port(mach_task_self(), &bp), KERN_SUCCESS);
	assert_int_equal(bootstrap_look_up(bp, name, &sp), BOOTSTRAP_UNKNOWN_SERVICE);
	assert_int_equal(bootstrap_look_up(bootstrap_port, name, &sp), BOOTSTRAP_UNKNOWN_SERVICE);
	assert_int_equal(sp, 0x77); /* a MIG stub writes its out-argument on success only */
	assert_int_equal(refs_of(t, bootstrap_port, MP_PORT_RIGHT_SEND), 2);
	assert_int_equal(mp_port_deallocate(t, bp), MP_KERN_SUCCESS);
}

/* bootstrap_check_in: a receive right for a free name, whose send right
 * the registry holds; a second check-in or a register of the live name is
 * BOOTSTRAP_SERVICE_ACTIVE and leaves no new name; once the port dies the
 * name is free again. */
static void check_in(void **state)
{
	mp_task_t *t = cur_task();
	mp_compat_task_t *other = NULL;
	mach_port_t r = 0, r2 = 0x77, s = 0;
	mp_port_status_t st;
	name_t name;
	(void)state;

	service(name, sizeof name, "checkin");
	assert_int_equal(bootstrap_check_in(bootstrap_port, name, &r), BOOTSTRAP_SUCCESS);
	assert_int_equal(type_of(t, r), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(mp_port_get_status(t, r, &st), MP_KERN_SUCCESS);
	assert_int_equal(st.mps_srights, 1); /* the registry's */
	assert_int_equal(st.mps_mscount, 1);
	assert_int_equal(bootstrap_check_in(bootstrap_port, name, &r2), BOOTSTRAP_SERVICE_ACTIVE);
	assert_int_equal(r2, 0x77);
	assert_int_equal(bootstrap_register(bootstrap_port, name, bootstrap_port), BOOTSTRAP_SERVICE_ACTIVE);
	assert_int_equal(count_names(t), 3);
	/* another task finds it */
	assert_int_equal(mp_compat_task_create(&other), MP_KERN_SUCCESS);
	mp_compat_set_current(other);
	assert_int_equal(bootstrap_look_up(bootstrap_port, name, &s), BOOTSTRAP_SUCCESS);
	assert_int_equal(type_of(cur_task(), s), MP_PORT_TYPE_SEND);
	assert_int_equal(bootstrap_check_in(bootstrap_port, name, &r2), BOOTSTRAP_SERVICE_ACTIVE);
	mp_compat_set_current(*state);
	/* the port dies: free again */
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(type_of(mp_compat_port_task(other), s), MP_PORT_TYPE_DEAD_NAME);
	mp_compat_task_destroy(other);
	assert_int_equal(bootstrap_look_up(bootstrap_port, name, &s), BOOTSTRAP_UNKNOWN_SERVICE);
	assert_int_equal(bootstrap_check_in(bootstrap_port, name, &r), BOOTSTRAP_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
}

/* bootstrap_register takes a copy of the send right (the caller's urefs
 * stay); look-up in the same task gives the same name, one uref more; the
 * live name is BOOTSTRAP_SERVICE_ACTIVE; MACH_PORT_NULL on a live name is
 * SERVICE_ACTIVE, on a free one KERN_SUCCESS (nothing to delete); a name
 * that is no send right is the request's MACH_SEND_INVALID_RIGHT. */
static void register_and_look_up(void **state)
{
	mp_task_t *t = cur_task();
	mp_port_name_t p = 0;
	mach_port_t s = 0;
	name_t name, other;
	(void)state;

	service(name, sizeof name, "register");
	service(other, sizeof other, "register.other");
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &p), MP_KERN_SUCCESS);
	assert_int_equal(bootstrap_register(bootstrap_port, name, p), MACH_SEND_INVALID_RIGHT); /* receive only */
	assert_int_equal(bootstrap_register(bootstrap_port, name, 0x4242403), MACH_SEND_INVALID_RIGHT);
	assert_int_equal(mp_port_insert_right(t, p, t, p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(bootstrap_register(bootstrap_port, name, p), BOOTSTRAP_SUCCESS);
	assert_int_equal(refs_of(t, p, MP_PORT_RIGHT_SEND), 1);
	assert_int_equal(bootstrap_look_up(bootstrap_port, name, &s), BOOTSTRAP_SUCCESS);
	assert_int_equal(s, p);
	assert_int_equal(refs_of(t, p, MP_PORT_RIGHT_SEND), 2);
	assert_int_equal(bootstrap_register(bootstrap_port, name, p), BOOTSTRAP_SERVICE_ACTIVE);
	assert_int_equal(bootstrap_register(bootstrap_port, name, MACH_PORT_NULL), BOOTSTRAP_SERVICE_ACTIVE);
	assert_int_equal(refs_of(t, p, MP_PORT_RIGHT_SEND), 2);
	assert_int_equal(bootstrap_register(bootstrap_port, other, MACH_PORT_NULL), KERN_SUCCESS);
	assert_int_equal(bootstrap_register(bootstrap_port, other, MACH_PORT_DEAD), KERN_SUCCESS);
	assert_int_equal(bootstrap_look_up(bootstrap_port, other, &s), BOOTSTRAP_UNKNOWN_SERVICE);
	/* the port dies: the name can be registered again */
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(bootstrap_look_up(bootstrap_port, name, &s), BOOTSTRAP_UNKNOWN_SERVICE);
	/* a dead name travels as MACH_PORT_DEAD (XNU's copyin: DEADOK): registered dead, free at once */
	assert_int_equal(bootstrap_register(bootstrap_port, other, p), KERN_SUCCESS);
	assert_int_equal(refs_of(t, p, MP_PORT_RIGHT_DEAD_NAME), 2);
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_DEAD_NAME, -2), MP_KERN_SUCCESS);
	assert_int_equal(bootstrap_check_in(bootstrap_port, name, &p), BOOTSTRAP_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
}

/* A name fills name_t (128 bytes, no NUL): BOOTSTRAP_BAD_COUNT (launchd's
 * MIG stub would cut it to 127 bytes); 127 bytes is the longest; an empty
 * name is unknown to look up and KERN_INVALID_ARGUMENT to register. */
static void name_lengths(void **state)
{
	mach_port_t r = 0, s = 0x77;
	char longest[BOOTSTRAP_MAX_NAME_LEN], full[BOOTSTRAP_MAX_NAME_LEN + 8];
	name_t empty = "", some = "compat.some";
	(void)state;

	memset(full, 'n', sizeof full);
	full[sizeof full - 1] = '\0';
	assert_int_equal(bootstrap_look_up(bootstrap_port, full, &s), BOOTSTRAP_BAD_COUNT);
	assert_int_equal(bootstrap_check_in(bootstrap_port, full, &r), BOOTSTRAP_BAD_COUNT);
	assert_int_equal(bootstrap_register(bootstrap_port, full, bootstrap_port), BOOTSTRAP_BAD_COUNT);
	full[BOOTSTRAP_MAX_NAME_LEN] = '\0'; /* exactly 128 */
	assert_int_equal(bootstrap_look_up(bootstrap_port, full, &s), BOOTSTRAP_BAD_COUNT);
	snprintf(longest, sizeof longest, "compat.longest.%ld.", (long)getpid());
	memset(longest + strlen(longest), 'l', sizeof longest - 1 - strlen(longest));
	longest[sizeof longest - 1] = '\0';
	assert_int_equal(strlen(longest), 127);
	assert_int_equal(bootstrap_check_in(bootstrap_port, longest, &r), BOOTSTRAP_SUCCESS);
	assert_int_equal(bootstrap_look_up(bootstrap_port, longest, &s), BOOTSTRAP_SUCCESS);
	assert_int_equal(s, r);
	assert_int_equal(mp_port_deallocate(cur_task(), s), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(cur_task(), r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	s = 0x77;
	assert_int_equal(bootstrap_look_up(bootstrap_port, empty, &s), BOOTSTRAP_UNKNOWN_SERVICE);
	assert_int_equal(bootstrap_check_in(bootstrap_port, empty, &r), KERN_INVALID_ARGUMENT);
	assert_int_equal(bootstrap_register(bootstrap_port, empty, bootstrap_port), KERN_INVALID_ARGUMENT);
	assert_int_equal(bootstrap_look_up(bootstrap_port, NULL, &s), KERN_INVALID_ARGUMENT);
	assert_int_equal(bootstrap_look_up(bootstrap_port, some, NULL), KERN_INVALID_ARGUMENT);
	assert_int_equal(bootstrap_check_in(bootstrap_port, some, NULL), KERN_INVALID_ARGUMENT);
	assert_int_equal(s, 0x77);
}

/* launchd-842 libbootstrap.c's strings for the BOOTSTRAP_* codes. */
static void strerror_strings(void **state)
{
	(void)state;
	assert_string_equal(bootstrap_strerror(BOOTSTRAP_SUCCESS), "Success");
	assert_string_equal(bootstrap_strerror(BOOTSTRAP_NOT_PRIVILEGED), "Permission denied");
	assert_string_equal(bootstrap_strerror(BOOTSTRAP_NAME_IN_USE), "Service name already exists");
	assert_string_equal(bootstrap_strerror(BOOTSTRAP_SERVICE_ACTIVE), "Service name already exists");
	assert_string_equal(bootstrap_strerror(BOOTSTRAP_UNKNOWN_SERVICE), "Unknown service name");
	assert_string_equal(bootstrap_strerror(BOOTSTRAP_BAD_COUNT),
			    "Too many lookups were requested in one request");
	assert_string_equal(bootstrap_strerror(BOOTSTRAP_NO_MEMORY), "Out of memory");
	/* the rest: mach_error_string's (BOOTSTRAP_NO_CHILDREN too, as in launchd-842) */
	assert_string_equal(bootstrap_strerror(BOOTSTRAP_NO_CHILDREN), mach_error_string(BOOTSTRAP_NO_CHILDREN));
	assert_string_equal(bootstrap_strerror(KERN_INVALID_ARGUMENT), mach_error_string(KERN_INVALID_ARGUMENT));
	assert_string_equal(bootstrap_strerror(MACH_SEND_INVALID_DEST), mach_error_string(MACH_SEND_INVALID_DEST));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(bootstrap_port_only),
		T(check_in),
		T(register_and_look_up),
		T(name_lengths),
		T(strerror_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
