/*
 * lib/kern/tests/guard_calls_test.c: the guard exceptions XNU raises in the
 * mach_port_* calls of issue 12's first part (facts §10.4), read from the
 * space that made the call (mp_kern_space_guard_events). The return codes
 * of the same calls are tested on both backends in
 * lib/port/tests/port_xnu_calls_test.c; machportd serves this kernel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kern/kern.h"
#include "machports/msg.h"

typedef struct fixture {
	mp_kern_t *k;
	mp_kspace_t *s;
} fixture_t;

static int setup(void **state)
{
	fixture_t *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->k = mp_kern_create();
	assert_non_null(f->k);
	assert_int_equal(mp_kern_space_create(f->k, NULL, &f->s), MP_KERN_SUCCESS);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_t *f = *state;
	char why[256];

	assert_int_equal(mp_kern_check(f->k, why, sizeof(why)), 0);
	mp_kern_space_destroy(f->s);
	assert_int_equal(mp_kern_check(f->k, why, sizeof(why)), 0);
	mp_kern_destroy(f->k);
	free(f);
	return 0;
}

/* Exactly one event, (flavor, target, payload), and XNU's code for it. */
static void expect_one(mp_kspace_t *s, uint32_t flavor, mp_port_name_t target, uint64_t payload)
{
	mp_kern_guard_event_t ev[4];
	uint32_t n = mp_kern_space_guard_events(s, ev, 4, NULL);

	assert_int_equal(n, 1);
	assert_int_equal(ev[0].flavor, flavor);
	assert_int_equal(ev[0].target, target);
	assert_int_equal(ev[0].payload, payload);
	assert_int_equal(ev[0].code, MP_GUARD_EXC_CODE(flavor, target));
}

static void expect_none(mp_kspace_t *s)
{
	mp_kern_guard_event_t ev[4];
	assert_int_equal(mp_kern_space_guard_events(s, ev, 4, NULL), 0);
}

static mp_port_name_t port(mp_kspace_t *s)
{
	mp_port_name_t n = 0;
	assert_int_equal(mp_kern_port_allocate(s, MP_PORT_RIGHT_RECEIVE, &n), MP_KERN_SUCCESS);
	return n;
}

/* mach_port_peek: a bad trailer request raises INVALID_VALUE (before the
 * lookup); a failed translation INVALID_NAME / INVALID_RIGHT; NULL/DEAD and
 * an empty queue raise nothing. */
static void peek_exceptions(void **state)
{
	fixture_t *f = *state;
	mp_port_name_t p = port(f->s), set = 0;
	uint8_t tr[MP_MAX_TRAILER_SIZE];
	uint32_t seqno = 0, size = 0, tsize = sizeof(tr);
	int32_t id = 0;

	assert_int_equal(mp_kern_port_peek(f->s, 0x1234, MP_RCV_TRAILER_ELEMENTS(MP_RCV_TRAILER_CTX), &seqno,
					   &size, &id, tr, &tsize),
			 MP_KERN_INVALID_VALUE);
	expect_one(f->s, MP_GUARD_EXC_INVALID_VALUE, 0x1234, 0);
	assert_int_equal(mp_kern_port_peek(f->s, 0x1234, 0, &seqno, &size, &id, tr, &tsize),
			 MP_KERN_INVALID_NAME);
	expect_one(f->s, MP_GUARD_EXC_INVALID_NAME, 0x1234, 0);
	assert_int_equal(mp_kern_port_allocate(f->s, MP_PORT_RIGHT_PORT_SET, &set), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_peek(f->s, set, 0, &seqno, &size, &id, tr, &tsize),
			 MP_KERN_INVALID_RIGHT);
	expect_one(f->s, MP_GUARD_EXC_INVALID_RIGHT, set, 0);
	assert_int_equal(mp_kern_port_peek(f->s, MP_PORT_DEAD, 0, &seqno, &size, &id, tr, &tsize),
			 MP_KERN_INVALID_RIGHT);
	assert_int_equal(mp_kern_port_peek(f->s, p, 0, &seqno, &size, &id, tr, &tsize), MP_KERN_FAILURE);
	expect_none(f->s);
}

/* mach_port_guard_locked: a non-zero context raises INVALID_ARGUMENT with
 * the context as payload; mach_port_unguard_locked: UNGUARDED, then
 * INCORRECT_GUARD (payload the context); mach_port_swap_guard: UNGUARDED,
 * SET_CONTEXT on a strict guard, INCORRECT_GUARD; mach_port_set_context:
 * SET_CONTEXT on a strict guard. */
static void guard_call_exceptions(void **state)
{
	fixture_t *f = *state;
	mp_port_name_t p = port(f->s), s = 0;

	assert_int_equal(mp_kern_port_set_context(f->s, p, 0x1234), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_guard(f->s, p, 0x99, 0), MP_KERN_INVALID_ARGUMENT);
	expect_one(f->s, MP_GUARD_EXC_INVALID_ARGUMENT, p, 0x1234);
	assert_int_equal(mp_kern_port_unguard(f->s, p, 0x1234), MP_KERN_INVALID_ARGUMENT);
	expect_one(f->s, MP_GUARD_EXC_UNGUARDED, p, 0);
	assert_int_equal(mp_kern_port_swap_guard(f->s, p, 0x1234, 1), MP_KERN_INVALID_ARGUMENT);
	expect_one(f->s, MP_GUARD_EXC_UNGUARDED, p, 0);
	assert_int_equal(mp_kern_port_set_context(f->s, p, 0), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_guard(f->s, p, 0x99, 0), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_unguard(f->s, p, 0x98), MP_KERN_INVALID_ARGUMENT);
	expect_one(f->s, MP_GUARD_EXC_INCORRECT_GUARD, p, 0x99);
	assert_int_equal(mp_kern_port_swap_guard(f->s, p, 0x98, 1), MP_KERN_INVALID_ARGUMENT);
	expect_one(f->s, MP_GUARD_EXC_INCORRECT_GUARD, p, 0x99);
	assert_int_equal(mp_kern_port_swap_guard(f->s, p, 0x99, 0x77), MP_KERN_SUCCESS);
	expect_none(f->s);

	assert_int_equal(mp_kern_port_construct(f->s, MP_MPO_CONTEXT_AS_GUARD | MP_MPO_STRICT, 0, 0x55, &s),
			 MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_set_context(f->s, s, 1), MP_KERN_INVALID_ARGUMENT);
	expect_one(f->s, MP_GUARD_EXC_SET_CONTEXT, s, 0x55);
	assert_int_equal(mp_kern_port_swap_guard(f->s, s, 0x55, 1), MP_KERN_INVALID_ARGUMENT);
	expect_one(f->s, MP_GUARD_EXC_SET_CONTEXT, s, 0x55);
	assert_int_equal(mp_kern_port_destruct(f->s, s, 0, 0x55), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_destruct(f->s, p, 0, 0x77), MP_KERN_SUCCESS);
	expect_none(f->s);
}

/* The guard calls' translation (mach_port_guard & co.): INVALID_NAME for a
 * missing name, INVALID_RIGHT for a name without the receive right; NULL
 * and DEAD are refused before, with nothing raised. */
static void guard_translate_exceptions(void **state)
{
	fixture_t *f = *state;
	mp_port_name_t set = 0;

	assert_int_equal(mp_kern_port_guard(f->s, 0x4321, 1, 0), MP_KERN_INVALID_NAME);
	expect_one(f->s, MP_GUARD_EXC_INVALID_NAME, 0x4321, 0);
	assert_int_equal(mp_kern_port_allocate(f->s, MP_PORT_RIGHT_PORT_SET, &set), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_unguard(f->s, set, 1), MP_KERN_INVALID_RIGHT);
	expect_one(f->s, MP_GUARD_EXC_INVALID_RIGHT, set, 0);
	assert_int_equal(mp_kern_port_swap_guard(f->s, set, 0, 1), MP_KERN_INVALID_RIGHT);
	expect_one(f->s, MP_GUARD_EXC_INVALID_RIGHT, set, 0);
	assert_int_equal(mp_kern_port_guard(f->s, MP_PORT_NULL, 1, 0), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_kern_port_set_context(f->s, 0x4321, 1), MP_KERN_INVALID_NAME);
	expect_none(f->s);
}

/* ipc_right_copyin: MOVE_RECEIVE of an immovable receive right (also after
 * unguard) raises kGUARD_EXC_IMMOVABLE, always fatal on XNU. */
static void immovable_exception(void **state)
{
	fixture_t *f = *state;
	mp_port_name_t p = 0, out = 0;
	uint32_t type = 0;

	assert_int_equal(mp_kern_port_construct(f->s, MP_MPO_CONTEXT_AS_GUARD | MP_MPO_IMMOVABLE_RECEIVE, 0,
						0x10, &p),
			 MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_unguard(f->s, p, 0x10), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_extract_right(f->s, p, MP_MSG_TYPE_MOVE_RECEIVE, f->s, &out, &type),
			 MP_KERN_INVALID_CAPABILITY);
	expect_one(f->s, MP_GUARD_EXC_IMMOVABLE, p, 0);
	{
		mp_kern_guard_event_t ev;
		assert_int_equal(mp_kern_port_extract_right(f->s, p, MP_MSG_TYPE_MOVE_RECEIVE, f->s, &out,
							    &type),
				 MP_KERN_INVALID_CAPABILITY);
		assert_int_equal(mp_kern_space_guard_events(f->s, &ev, 1, NULL), 1);
		assert_true(ev.always_fatal);
	}
	assert_int_equal(mp_kern_port_mod_refs(f->s, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
}

/* ipc_object_translate_port_pset (insert/extract/move_member with a set):
 * INVALID_NAME on the missing name, INVALID_RIGHT on the wrong one;
 * move_member to MACH_PORT_NULL translates without exceptions. */
static void member_exceptions(void **state)
{
	fixture_t *f = *state;
	mp_port_name_t p = port(f->s), set = 0;

	assert_int_equal(mp_kern_port_allocate(f->s, MP_PORT_RIGHT_PORT_SET, &set), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_insert_member(f->s, 0x4321, set), MP_KERN_INVALID_NAME);
	expect_one(f->s, MP_GUARD_EXC_INVALID_NAME, 0x4321, 0);
	assert_int_equal(mp_kern_port_extract_member(f->s, p, 0x4321), MP_KERN_INVALID_NAME);
	expect_one(f->s, MP_GUARD_EXC_INVALID_NAME, 0x4321, 0);
	assert_int_equal(mp_kern_port_move_member(f->s, set, set), MP_KERN_INVALID_RIGHT);
	expect_one(f->s, MP_GUARD_EXC_INVALID_RIGHT, set, 0);
	assert_int_equal(mp_kern_port_insert_member(f->s, p, p), MP_KERN_INVALID_RIGHT);
	expect_one(f->s, MP_GUARD_EXC_INVALID_RIGHT, p, 0);
	assert_int_equal(mp_kern_port_move_member(f->s, 0x4321, MP_PORT_NULL), MP_KERN_INVALID_NAME);
	assert_int_equal(mp_kern_port_move_member(f->s, p, MP_PORT_NULL), MP_KERN_NOT_IN_SET);
	assert_int_equal(mp_kern_port_move_member(f->s, p, MP_PORT_DEAD), MP_KERN_INVALID_RIGHT);
	expect_none(f->s);
}

/* mach_port_assert_attributes (GUARD_INFO): UNGUARDED, INCORRECT_GUARD
 * (not strict, or another guard; payload the context). get/set_attributes
 * raise nothing. */
static void assert_attributes_exceptions(void **state)
{
	fixture_t *f = *state;
	mp_port_name_t p = port(f->s);
	mp_port_guard_info_t gi = { 0x5 };
	int32_t info[MP_PORT_INFO_MAX];
	uint32_t count = MP_PORT_INFO_MAX;

	memcpy(info, &gi, sizeof(gi));
	assert_int_equal(mp_kern_port_assert_attributes(f->s, p, MP_PORT_GUARD_INFO, info, 2),
			 MP_KERN_INVALID_ARGUMENT);
	expect_one(f->s, MP_GUARD_EXC_UNGUARDED, p, 0);
	assert_int_equal(mp_kern_port_guard(f->s, p, 0x5, 0), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_assert_attributes(f->s, p, MP_PORT_GUARD_INFO, info, 2),
			 MP_KERN_INVALID_ARGUMENT);
	expect_one(f->s, MP_GUARD_EXC_INCORRECT_GUARD, p, 0x5);
	assert_int_equal(mp_kern_port_get_attributes(f->s, 0x4321, MP_PORT_RECEIVE_STATUS, info, &count),
			 MP_KERN_INVALID_NAME);
	assert_int_equal(mp_kern_port_get_attributes(f->s, p, MP_PORT_GUARD_INFO, info, &count),
			 MP_KERN_INVALID_ARGUMENT);
	expect_none(f->s);
	assert_int_equal(mp_kern_port_destruct(f->s, p, 0, 0x5), MP_KERN_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(peek_exceptions, setup, teardown),
		cmocka_unit_test_setup_teardown(guard_call_exceptions, setup, teardown),
		cmocka_unit_test_setup_teardown(guard_translate_exceptions, setup, teardown),
		cmocka_unit_test_setup_teardown(immovable_exception, setup, teardown),
		cmocka_unit_test_setup_teardown(member_exceptions, setup, teardown),
		cmocka_unit_test_setup_teardown(assert_attributes_exceptions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
