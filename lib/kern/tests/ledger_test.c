/*
 * lib/kern/tests/ledger_test.c: mp_kern_port_ledger (the server-fuzz
 * oracle's one-call snapshot of a space) reports exactly what
 * mach_port_names and mach_port_get_refs per name report: names in
 * ascending order, types, send and dead-name urefs; a send right whose
 * port died is the dead name mach_port_get_refs makes it (ipc_right_check,
 * urefs +1 for a registered dead-name request); a short buffer gets the
 * count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "lib/kern/kern.h"
#include "machports/msg.h"

static uint32_t refs(mp_kspace_t *s, mp_port_name_t name, uint32_t right)
{
	uint32_t r = 0;

	assert_int_equal(mp_kern_port_get_refs(s, name, right, &r), MP_KERN_SUCCESS);
	return r;
}

/* The ledger of `s` against mach_port_names + mach_port_get_refs, taken
 * after it (get_refs converts a dead send right first, as the ledger does). */
static void ledger_matches_names(mp_kspace_t *s, uint32_t expected_count)
{
	mp_kern_ledger_entry_t led[32];
	mp_port_name_t *names = NULL;
	uint32_t *types = NULL, count = 0, lcount = 0;

	assert_int_equal(mp_kern_port_ledger(s, led, 32, &lcount), MP_KERN_SUCCESS);
	assert_int_equal(lcount, expected_count);
	assert_int_equal(mp_kern_port_names(s, &names, &types, &count), MP_KERN_SUCCESS);
	assert_int_equal(count, lcount);
	for (uint32_t i = 0; i < count; i++) {
		uint32_t urefs = 0;

		assert_int_equal(led[i].name, names[i]);
		assert_int_equal(led[i].type, types[i]);
		if (types[i] & MP_PORT_TYPE_SEND)
			urefs = refs(s, names[i], MP_PORT_RIGHT_SEND);
		else if (types[i] & MP_PORT_TYPE_DEAD_NAME)
			urefs = refs(s, names[i], MP_PORT_RIGHT_DEAD_NAME);
		assert_int_equal(led[i].urefs, urefs);
	}
	free(names);
	free(types);
}

static void ledger_is_names_and_refs(void **state)
{
	mp_kern_t *k = mp_kern_create();
	mp_kspace_t *a, *b;
	mp_port_name_t recv, pset, in_b, send_in_a, notify_in_a, sonce_in_a, prev = 0;
	mp_kern_ledger_entry_t led[32], few[2];
	uint32_t type = 0, count = 0;
	char why[256];
	(void)state;

	assert_non_null(k);
	assert_int_equal(mp_kern_space_create(k, NULL, &a), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_space_create(k, NULL, &b), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_ledger(a, led, 32, &count), MP_KERN_SUCCESS);
	assert_int_equal(count, 0);

	/* a receive right with 3 send urefs, a port set, a send right and a
	 * send-once right to a port of b's */
	assert_int_equal(mp_kern_port_allocate(a, MP_PORT_RIGHT_RECEIVE, &recv), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_insert_right(a, recv, a, recv, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_mod_refs(a, recv, MP_PORT_RIGHT_SEND, 2), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_allocate(a, MP_PORT_RIGHT_PORT_SET, &pset), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_allocate(b, MP_PORT_RIGHT_RECEIVE, &in_b), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_extract_right(b, in_b, MP_MSG_TYPE_MAKE_SEND, a, &send_in_a, &type),
			 MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_mod_refs(a, send_in_a, MP_PORT_RIGHT_SEND, 1), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_extract_right(b, in_b, MP_MSG_TYPE_MAKE_SEND_ONCE, a, &sonce_in_a, &type),
			 MP_KERN_SUCCESS);
	ledger_matches_names(a, 4);
	assert_int_equal(mp_kern_port_ledger(a, led, 32, &count), MP_KERN_SUCCESS);
	assert_int_equal(led[0].name, recv);
	assert_int_equal(led[0].urefs, 3);

	/* a dead-name request on the send right, then b's port dies: both of
	 * a's rights to it are dead names (send urefs 2 + 1 for the request) */
	assert_int_equal(mp_kern_port_allocate(a, MP_PORT_RIGHT_RECEIVE, &notify_in_a), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_request_notification(a, send_in_a, MP_MACH_NOTIFY_DEAD_NAME, 0, notify_in_a,
							   MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_destroy(b, in_b), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_ledger(a, led, 32, &count), MP_KERN_SUCCESS);
	assert_int_equal(count, 5);
	for (uint32_t i = 0; i < count; i++) {
		if (led[i].name == send_in_a) {
			assert_int_equal(led[i].type, MP_PORT_TYPE_DEAD_NAME);
			assert_int_equal(led[i].urefs, 3);
		}
		if (led[i].name == sonce_in_a) {
			assert_int_equal(led[i].type, MP_PORT_TYPE_DEAD_NAME);
			assert_int_equal(led[i].urefs, 1);
		}
	}
	ledger_matches_names(a, 5);

	/* a short buffer: the count, and the first names */
	assert_int_equal(mp_kern_port_ledger(a, few, 2, &count), MP_KERN_SUCCESS);
	assert_int_equal(count, 5);
	assert_int_equal(few[0].name, led[0].name);
	assert_int_equal(few[1].name, led[1].name);

	assert_int_equal(mp_kern_check(k, why, sizeof why), 0);
	mp_kern_space_destroy(a);
	mp_kern_space_destroy(b);
	mp_kern_destroy(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ledger_is_names_and_refs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
