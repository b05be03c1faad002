/*
 * lib/compat/tests/port_test.c: the mach_port_* calls of <mach/mach_port.h>
 * (lib/compat/src/port.c), written against Apple's API; lib/port's view of
 * a space (machports/compat.h) checks where a call acted. Each test names
 * the XNU / libsyscall rule it holds.
 */
#include "lib/compat/tests/port_vm_support.h"

/* mach_port_allocate / _allocate_name / _type / _get_refs / _deallocate /
 * _destroy (ipc/mach_port.c): the three rights, a bad right. */
static void allocate_and_inspect(void **state)
{
	mach_port_name_t r, ps, dn, named = 0x4403;
	mach_port_type_t type = 0;
	mach_port_urefs_t refs = 0;
	(void)state;

	r = cp_port();
	assert_int_equal(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &ps), KERN_SUCCESS);
	assert_int_equal(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dn), KERN_SUCCESS);
	assert_int_equal(mach_port_type(mach_task_self(), r, &type), KERN_SUCCESS);
	assert_int_equal(type, MACH_PORT_TYPE_RECEIVE);
	assert_int_equal(mach_port_type(mach_task_self(), ps, &type), KERN_SUCCESS);
	assert_int_equal(type, MACH_PORT_TYPE_PORT_SET);
	assert_int_equal(mach_port_get_refs(mach_task_self(), dn, MACH_PORT_RIGHT_DEAD_NAME, &refs), KERN_SUCCESS);
	assert_int_equal(refs, 1);
	assert_int_equal(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_SEND, &type), KERN_INVALID_VALUE);
	/* allocate_name: exactly that name; twice: KERN_NAME_EXISTS */
	assert_int_equal(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, named), KERN_SUCCESS);
	assert_true(cp_has_name(mp_compat_current(), named));
	assert_int_equal(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, named),
			 KERN_NAME_EXISTS);
	/* type of a free name: KERN_INVALID_NAME, *ptype untouched (the trap
	 * copies out on success only) */
	type = 0x77;
	assert_int_equal(mach_port_type(mach_task_self(), 0x9903, &type), KERN_INVALID_NAME);
	assert_int_equal(type, 0x77);
	assert_int_equal(mach_port_destroy(mach_task_self(), named), KERN_SUCCESS);
	assert_int_equal(mach_port_deallocate(mach_task_self(), dn), KERN_SUCCESS);
	assert_int_equal(mach_port_destroy(mach_task_self(), ps), KERN_SUCCESS);
	cp_drop(r);
}

/* port_name_to_current_task_noref (ipc/mach_kernelrpc.c) and libsyscall's
 * MIG fallback: a `task` that is not the caller's task port is
 * MACH_SEND_INVALID_DEST for every call, and nothing is written. */
static void bad_task_is_send_invalid_dest(void **state)
{
	const mach_port_name_t bad[] = { MACH_PORT_NULL, MACH_PORT_DEAD, CP_NOT_A_TASK, 0 /* a port */,
					 MP_COMPAT_BOOTSTRAP_NAME };
	mach_port_name_t port = cp_port(), out = 0x55;
	mach_port_options_t opts = { .flags = 0 };
	mach_port_type_t type = 0x55;
	mach_port_urefs_t refs = 0x55;
	mach_port_context_t ctx = 0x55;
	mach_msg_type_name_t disp = 0x55;
	integer_t info[MACH_PORT_INFO_EXT_COUNT];
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT, tcnt = 0;
	mach_port_seqno_t seq = 0;
	mach_msg_size_t size = 0;
	mach_msg_id_t id = 0;
	char trailer[68];
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t ncnt = 0x55, tycnt = 0x55;
	uint32_t before;
	(void)state;

	before = cp_name_count(mp_compat_current());
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		mach_port_name_t t = bad[i] == 0 && i == 3 ? port : bad[i];

		assert_int_equal(mach_port_allocate(t, MACH_PORT_RIGHT_RECEIVE, &out), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_allocate_name(t, MACH_PORT_RIGHT_RECEIVE, 0x7703), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_construct(t, &opts, 0, &out), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_destruct(t, port, 0, 0), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_deallocate(t, port), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_destroy(t, port), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_mod_refs(t, port, MACH_PORT_RIGHT_RECEIVE, -1), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_get_refs(t, port, MACH_PORT_RIGHT_RECEIVE, &refs), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_type(t, port, &type), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_insert_right(t, port, port, MACH_MSG_TYPE_MAKE_SEND),
				 MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_extract_right(t, port, MACH_MSG_TYPE_MAKE_SEND, &out, &disp),
				 MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_set_context(t, port, 1), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_get_context(t, port, &ctx), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_guard(t, port, 1, FALSE), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_guard_with_flags(t, port, 1, 0), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_unguard(t, port, 1), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_swap_guard(t, port, 1, 2), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_get_attributes(t, port, MACH_PORT_RECEIVE_STATUS, info, &cnt),
				 MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_set_attributes(t, port, MACH_PORT_LIMITS_INFO, info, 1),
				 MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_assert_attributes(t, port, MACH_PORT_GUARD_INFO, info, 2),
				 MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_insert_member(t, port, port), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_extract_member(t, port, port), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_move_member(t, port, MACH_PORT_NULL), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_request_notification(t, port, MACH_NOTIFY_NO_SENDERS, 0, port,
								 MACH_MSG_TYPE_MAKE_SEND_ONCE, &out),
				 MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_peek(t, port, 0, &seq, &size, &id, trailer, &tcnt),
				 MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_port_names(t, &names, &ncnt, &types, &tycnt), MACH_SEND_INVALID_DEST);
	}
	assert_int_equal(out, 0x55);
	assert_int_equal(type, 0x55);
	assert_int_equal(refs, 0x55);
	assert_int_equal(ctx, 0x55);
	assert_int_equal(disp, 0x55);
	assert_int_equal(cnt, MACH_PORT_RECEIVE_STATUS_COUNT);
	assert_null(names);
	assert_int_equal(ncnt, 0x55);
	/* nothing happened to the port or the space */
	assert_int_equal(cp_name_count(mp_compat_current()), before);
	assert_int_equal(mach_port_type(mach_task_self(), port, &type), KERN_SUCCESS);
	assert_int_equal(type, MACH_PORT_TYPE_RECEIVE);
	cp_drop(port);
}

/* The traps' mach_copyin / mach_copyout: a NULL pointer is
 * KERN_MEMORY_ERROR; machports checks it before acting, so no right is
 * made that the caller could not name. */
static void null_pointers_are_memory_errors(void **state)
{
	mach_port_name_t port = cp_port();
	uint32_t before = cp_name_count(mp_compat_current());
	mach_port_options_t opts = { .flags = MPO_INSERT_SEND_RIGHT };
	mach_msg_type_name_t disp;
	mach_msg_type_number_t cnt;
	(void)state;

	assert_int_equal(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, NULL), KERN_MEMORY_ERROR);
	assert_int_equal(mach_port_construct(mach_task_self(), NULL, 0, &port), KERN_MEMORY_ERROR);
	assert_int_equal(mach_port_construct(mach_task_self(), &opts, 0, NULL), KERN_MEMORY_ERROR);
	assert_int_equal(mach_port_type(mach_task_self(), port, NULL), KERN_MEMORY_ERROR);
	assert_int_equal(mach_port_get_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, NULL),
			 KERN_MEMORY_ERROR);
	assert_int_equal(mach_port_extract_right(mach_task_self(), port, MACH_MSG_TYPE_MAKE_SEND, NULL, &disp),
			 KERN_MEMORY_ERROR);
	assert_int_equal(mach_port_get_context(mach_task_self(), port, NULL), KERN_MEMORY_ERROR);
	assert_int_equal(mach_port_get_attributes(mach_task_self(), port, MACH_PORT_RECEIVE_STATUS, NULL, NULL),
			 KERN_MEMORY_ERROR);
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	assert_int_equal(mach_port_get_attributes(mach_task_self(), port, MACH_PORT_RECEIVE_STATUS, NULL, &cnt),
			 KERN_MEMORY_ERROR);
	assert_int_equal(mach_port_request_notification(mach_task_self(), port, MACH_NOTIFY_NO_SENDERS, 0, port,
							 MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL),
			 KERN_MEMORY_ERROR);
	assert_int_equal(mach_port_names(mach_task_self(), NULL, &cnt, NULL, &cnt), KERN_MEMORY_ERROR);
	assert_int_equal(cp_name_count(mp_compat_current()), before);
	assert_int_equal(mach_port_type(mach_task_self(), port, &disp), KERN_SUCCESS);
	assert_int_equal(disp, MACH_PORT_TYPE_RECEIVE); /* no send right was made */
	cp_drop(port);
}

/* mach_port_construct (ipc/mach_port.c): MPO_QLIMIT reads mpl.mpl_qlimit,
 * MPO_INSERT_SEND_RIGHT, MPO_CONTEXT_AS_GUARD|MPO_STRICT with
 * mach_port_destruct's guard and srdelta. */
static void construct_and_destruct(void **state)
{
	mach_port_options_t opts;
	mach_port_name_t name = MACH_PORT_NULL;
	mach_port_limits_t lim;
	mach_msg_type_number_t cnt = MACH_PORT_LIMITS_INFO_COUNT;
	mach_port_urefs_t refs = 0;
	mach_port_status_t st;
	(void)state;

	memset(&opts, 0, sizeof opts);
	opts.flags = MPO_QLIMIT | MPO_INSERT_SEND_RIGHT | MPO_CONTEXT_AS_GUARD | MPO_STRICT;
	opts.mpl.mpl_qlimit = 9;
	assert_int_equal(mach_port_construct(mach_task_self(), &opts, 0xfeed, &name), KERN_SUCCESS);
	assert_int_equal(mach_port_get_attributes(mach_task_self(), name, MACH_PORT_LIMITS_INFO,
						  (mach_port_info_t)&lim, &cnt),
			 KERN_SUCCESS);
	assert_int_equal(cnt, MACH_PORT_LIMITS_INFO_COUNT);
	assert_int_equal(lim.mpl_qlimit, 9);
	assert_int_equal(mach_port_get_refs(mach_task_self(), name, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	assert_int_equal(refs, 1);
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	assert_int_equal(mach_port_get_attributes(mach_task_self(), name, MACH_PORT_RECEIVE_STATUS,
						  (mach_port_info_t)&st, &cnt),
			 KERN_SUCCESS);
	assert_true(st.mps_flags & MACH_PORT_STATUS_FLAG_GUARDED);
	assert_true(st.mps_flags & MACH_PORT_STATUS_FLAG_STRICT_GUARD);
	assert_int_equal(st.mps_qlimit, 9);
	assert_true(st.mps_srights);
	/* the wrong guard: KERN_INVALID_ARGUMENT (mach_port_destruct) */
	assert_int_equal(mach_port_destruct(mach_task_self(), name, -1, 0xbad), KERN_INVALID_ARGUMENT);
	assert_true(cp_has_name(mp_compat_current(), name));
	assert_int_equal(mach_port_destruct(mach_task_self(), name, -1, 0xfeed), KERN_SUCCESS);
	assert_false(cp_has_name(mp_compat_current(), name));
}

/* lib/port's refusals pass through unchanged: the MPO_* flags it does not
 * implement are KERN_NOT_SUPPORTED (never ignored), two of SERVICE /
 * CONNECTION / TG_BLOCK_TRACKING KERN_INVALID_ARGUMENT (XNU's check),
 * qlimit > MACH_PORT_QLIMIT_MAX KERN_INVALID_VALUE; no name is made. */
static void construct_refuses_unsupported_options(void **state)
{
	const uint32_t refused[] = { MPO_TEMPOWNER, MPO_IMPORTANCE_RECEIVER, MPO_DENAP_RECEIVER, MPO_FILTER_MSG,
				     MPO_TG_BLOCK_TRACKING, MPO_SERVICE_PORT, MPO_CONNECTION_PORT };
	mach_port_options_t opts;
	mach_port_name_t name = MACH_PORT_NULL;
	uint32_t before = cp_name_count(mp_compat_current());
	(void)state;

	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		memset(&opts, 0, sizeof opts);
		opts.flags = refused[i];
		assert_int_equal(mach_port_construct(mach_task_self(), &opts, 0, &name), KERN_NOT_SUPPORTED);
	}
	memset(&opts, 0, sizeof opts);
	opts.flags = MPO_SERVICE_PORT | MPO_CONNECTION_PORT;
	assert_int_equal(mach_port_construct(mach_task_self(), &opts, 0, &name), KERN_INVALID_ARGUMENT);
	memset(&opts, 0, sizeof opts);
	opts.flags = MPO_QLIMIT;
	opts.mpl.mpl_qlimit = MACH_PORT_QLIMIT_MAX + 1;
	assert_int_equal(mach_port_construct(mach_task_self(), &opts, 0, &name), KERN_INVALID_VALUE);
	assert_int_equal(name, MACH_PORT_NULL);
	assert_int_equal(cp_name_count(mp_compat_current()), before);
}

/* mach_port_insert_right (the trap: `poly` from the caller's space) and
 * mach_port_extract_right (into the caller's space). */
static void insert_and_extract_rights(void **state)
{
	mach_port_name_t port = cp_port(), so = MACH_PORT_NULL;
	mach_msg_type_name_t disp = 0;
	mach_port_urefs_t refs = 0;
	mach_port_type_t type = 0;
	(void)state;

	assert_int_equal(mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	assert_int_equal(mach_port_get_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	assert_int_equal(refs, 1);
	assert_int_equal(mach_port_extract_right(mach_task_self(), port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &disp),
			 KERN_SUCCESS);
	assert_int_equal(disp, MACH_MSG_TYPE_PORT_SEND_ONCE);
	assert_int_equal(mach_port_type(mach_task_self(), so, &type), KERN_SUCCESS);
	assert_int_equal(type, MACH_PORT_TYPE_SEND_ONCE);
	/* a bad disposition: lib/port's (XNU's) KERN_INVALID_VALUE */
	assert_int_equal(mach_port_insert_right(mach_task_self(), port, port, 99), KERN_INVALID_VALUE);
	assert_int_equal(mach_port_deallocate(mach_task_self(), so), KERN_SUCCESS);
	assert_int_equal(mach_port_deallocate(mach_task_self(), port), KERN_SUCCESS);
	cp_drop(port);
}

/* set/get_context, guard / unguard / swap_guard / guard_with_flags
 * (ipc/mach_port.c mach_port_guard_locked etc.). */
static void context_and_guards(void **state)
{
	mach_port_name_t port = cp_port();
	mach_port_context_t ctx = 0;
	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	(void)state;

	assert_int_equal(mach_port_set_context(mach_task_self(), port, 0x1234), KERN_SUCCESS);
	assert_int_equal(mach_port_get_context(mach_task_self(), port, &ctx), KERN_SUCCESS);
	assert_int_equal(ctx, 0x1234);
	/* a port whose context is not 0 cannot be guarded */
	assert_int_equal(mach_port_guard(mach_task_self(), port, 7, FALSE), KERN_INVALID_ARGUMENT);
	assert_int_equal(mach_port_set_context(mach_task_self(), port, 0), KERN_SUCCESS);
	assert_int_equal(mach_port_guard(mach_task_self(), port, 7, FALSE), KERN_SUCCESS);
	assert_int_equal(mach_port_swap_guard(mach_task_self(), port, 7, 8), KERN_SUCCESS);
	assert_int_equal(mach_port_get_context(mach_task_self(), port, &ctx), KERN_SUCCESS);
	assert_int_equal(ctx, 8);
	assert_int_equal(mach_port_unguard(mach_task_self(), port, 8), KERN_SUCCESS);
	/* boolean_t strict: any non-zero value is strict (reads as context 0) */
	assert_int_equal(mach_port_guard(mach_task_self(), port, 9, 2), KERN_SUCCESS);
	assert_int_equal(mach_port_get_attributes(mach_task_self(), port, MACH_PORT_RECEIVE_STATUS,
						  (mach_port_info_t)&st, &cnt),
			 KERN_SUCCESS);
	assert_true(st.mps_flags & MACH_PORT_STATUS_FLAG_STRICT_GUARD);
	assert_int_equal(mach_port_unguard(mach_task_self(), port, 9), KERN_SUCCESS);
	assert_int_equal(mach_port_guard_with_flags(mach_task_self(), port, 10, MPG_IMMOVABLE_RECEIVE), KERN_SUCCESS);
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	assert_int_equal(mach_port_get_attributes(mach_task_self(), port, MACH_PORT_RECEIVE_STATUS,
						  (mach_port_info_t)&st, &cnt),
			 KERN_SUCCESS);
	assert_true(st.mps_flags & MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE);
	assert_int_equal(mach_port_unguard(mach_task_self(), port, 10), KERN_SUCCESS);
	/* get_context writes only on success */
	ctx = 0x66;
	assert_int_equal(mach_port_get_context(mach_task_self(), 0x9903, &ctx), KERN_INVALID_NAME);
	assert_int_equal(ctx, 0x66);
	cp_drop(port);
}

/* _kernelrpc_mach_port_get_attributes_trap: the count is capped at the MIG
 * array (17 words) and written back, with the words, on success only; the
 * MIG user stubs of set/assert_attributes refuse more than 17 words
 * (MIG_ARRAY_TOO_LARGE); a short count is KERN_FAILURE (lib/port). */
static void attributes_counts(void **state)
{
	mach_port_name_t port = cp_port();
	integer_t info[40];
	mach_msg_type_number_t cnt = 40;
	mach_port_limits_t lim = { .mpl_qlimit = 3 };
	(void)state;

	for (int i = 0; i < 40; i++)
		info[i] = -1;
	assert_int_equal(mach_port_get_attributes(mach_task_self(), port, MACH_PORT_INFO_EXT, info, &cnt),
			 KERN_SUCCESS);
	assert_int_equal(cnt, MACH_PORT_INFO_EXT_COUNT);
	for (int i = 17; i < 40; i++)
		assert_int_equal(info[i], -1); /* nothing past the cap */
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT - 1;
	assert_int_equal(mach_port_get_attributes(mach_task_self(), port, MACH_PORT_RECEIVE_STATUS, info, &cnt),
			 KERN_FAILURE);
	assert_int_equal(cnt, MACH_PORT_RECEIVE_STATUS_COUNT - 1);
	cnt = 17;
	assert_int_equal(mach_port_get_attributes(mach_task_self(), port, 0x7777, info, &cnt),
			 KERN_INVALID_ARGUMENT);
	assert_int_equal(mach_port_set_attributes(mach_task_self(), port, MACH_PORT_LIMITS_INFO,
						  (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT),
			 KERN_SUCCESS);
	cnt = MACH_PORT_LIMITS_INFO_COUNT;
	lim.mpl_qlimit = 0;
	assert_int_equal(mach_port_get_attributes(mach_task_self(), port, MACH_PORT_LIMITS_INFO,
						  (mach_port_info_t)&lim, &cnt),
			 KERN_SUCCESS);
	assert_int_equal(lim.mpl_qlimit, 3);
	assert_int_equal(mach_port_set_attributes(mach_task_self(), port, MACH_PORT_LIMITS_INFO, info, 18),
			 MIG_ARRAY_TOO_LARGE);
	assert_int_equal(mach_port_assert_attributes(mach_task_self(), port, MACH_PORT_GUARD_INFO, info, 18),
			 MIG_ARRAY_TOO_LARGE);
	/* importance donation is not implemented: lib/port's KERN_NOT_SUPPORTED */
	info[0] = 1;
	assert_int_equal(mach_port_set_attributes(mach_task_self(), port, MACH_PORT_TEMPOWNER, info, 1),
			 KERN_NOT_SUPPORTED);
	/* assert_attributes GUARD_INFO: the port's strict guard (lib/port's
	 * rule); an unguarded port is KERN_INVALID_ARGUMENT */
	memset(info, 0, sizeof info);
	assert_int_equal(mach_port_assert_attributes(mach_task_self(), port, MACH_PORT_GUARD_INFO, info,
						     MACH_PORT_GUARD_INFO_COUNT),
			 KERN_INVALID_ARGUMENT);
	assert_int_equal(mach_port_guard(mach_task_self(), port, 0x66, TRUE), KERN_SUCCESS);
	info[0] = 0x66;
	assert_int_equal(mach_port_assert_attributes(mach_task_self(), port, MACH_PORT_GUARD_INFO, info,
						     MACH_PORT_GUARD_INFO_COUNT),
			 KERN_SUCCESS);
	assert_int_equal(mach_port_destruct(mach_task_self(), port, 0, 0x66), KERN_SUCCESS);
}

/* Port sets: insert_member / extract_member / move_member. */
static void port_set_members(void **state)
{
	mach_port_name_t port = cp_port(), a, b;
	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	(void)state;

	assert_int_equal(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &a), KERN_SUCCESS);
	assert_int_equal(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &b), KERN_SUCCESS);
	assert_int_equal(mach_port_insert_member(mach_task_self(), port, a), KERN_SUCCESS);
	assert_int_equal(mach_port_insert_member(mach_task_self(), port, a), KERN_ALREADY_IN_SET);
	assert_int_equal(mach_port_move_member(mach_task_self(), port, b), KERN_SUCCESS);
	assert_int_equal(mach_port_extract_member(mach_task_self(), port, a), KERN_NOT_IN_SET);
	assert_int_equal(mach_port_get_attributes(mach_task_self(), port, MACH_PORT_RECEIVE_STATUS,
						  (mach_port_info_t)&st, &cnt),
			 KERN_SUCCESS);
	assert_int_equal(st.mps_pset, 1);
	assert_int_equal(mach_port_extract_member(mach_task_self(), port, b), KERN_SUCCESS);
	assert_int_equal(mach_port_destroy(mach_task_self(), a), KERN_SUCCESS);
	assert_int_equal(mach_port_destroy(mach_task_self(), b), KERN_SUCCESS);
	cp_drop(port);
}

/* mach_port_request_notification (the trap, in the caller's space): the
 * previous send-once right comes back under a name of the caller's. */
static void request_notification_previous(void **state)
{
	mach_port_name_t port = cp_port(), notify = cp_port(), prev = 0x55;
	mach_port_type_t type = 0;
	(void)state;

	/* a send right, so the request waits (with none and sync <= mscount it
	 * would fire at once) */
	assert_int_equal(mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	assert_int_equal(mach_port_request_notification(mach_task_self(), port, MACH_NOTIFY_NO_SENDERS, 1, notify,
							 MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 KERN_SUCCESS);
	assert_int_equal(prev, MACH_PORT_NULL);
	/* a NULL notify cancels: the request's send-once right comes back */
	assert_int_equal(mach_port_request_notification(mach_task_self(), port, MACH_NOTIFY_NO_SENDERS, 0,
							 MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 KERN_SUCCESS);
	assert_true(MACH_PORT_VALID(prev));
	assert_int_equal(mach_port_type(mach_task_self(), prev, &type), KERN_SUCCESS);
	assert_int_equal(type, MACH_PORT_TYPE_SEND_ONCE);
	assert_int_equal(mach_port_deallocate(mach_task_self(), prev), KERN_SUCCESS);
	/* an unknown variant: KERN_INVALID_VALUE, *previous untouched */
	prev = 0x55;
	assert_int_equal(mach_port_request_notification(mach_task_self(), port, 12345, 0, MACH_PORT_NULL,
							 MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 KERN_INVALID_VALUE);
	assert_int_equal(prev, 0x55);
	assert_int_equal(mach_port_deallocate(mach_task_self(), port), KERN_SUCCESS);
	cp_drop(port);
	cp_drop(notify); /* with the MACH_NOTIFY_SEND_ONCE the deallocation sent */
}

/* mach_port_peek (MIG): id, size (+8, the kernel's), seqno of the queued
 * message; the trailer count is capped at MAX_TRAILER_SIZE; the message
 * stays queued. KERN_FAILURE on an empty queue, outputs untouched. */
static void peek_queued_message(void **state)
{
	mach_port_name_t port = cp_port();
	mach_msg_header_t h;
	mach_port_seqno_t seq = 0;
	mach_msg_size_t size = 0;
	mach_msg_id_t id = 0;
	char trailer[200];
	mach_msg_type_number_t tcnt = sizeof trailer;
	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	(void)state;

	assert_int_equal(mach_port_peek(mach_task_self(), port, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
					&seq, &size, &id, trailer, &tcnt),
			 KERN_FAILURE);
	assert_int_equal(tcnt, sizeof trailer);
	memset(&h, 0, sizeof h);
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	h.msgh_size = sizeof h;
	h.msgh_remote_port = port;
	h.msgh_id = 4242;
	assert_int_equal(mp_mach_msg(mp_compat_port_task(mp_compat_current()), &h, MP_MACH_SEND_MSG, sizeof h, 0, 0,
				     0),
			 MP_KERN_SUCCESS);
	assert_int_equal(mach_port_peek(mach_task_self(), port, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
					&seq, &size, &id, trailer, &tcnt),
			 KERN_SUCCESS);
	assert_int_equal(id, 4242);
	assert_int_equal(size, sizeof h + 8);
	assert_int_equal(seq, 0);
	assert_int_equal(tcnt, sizeof(mach_msg_audit_trailer_t));
	assert_int_equal(((mach_msg_audit_trailer_t *)(void *)trailer)->msgh_audit.val[5], (unsigned)getpid());
	assert_int_equal(mach_port_get_attributes(mach_task_self(), port, MACH_PORT_RECEIVE_STATUS,
						  (mach_port_info_t)&st, &cnt),
			 KERN_SUCCESS);
	assert_int_equal(st.mps_msgcount, 1);
	cp_drop(port); /* the queued message goes with the port */
}

/* mach_port_names (MIG, ipc/mach_port.c): every name with its type, in
 * memory of the task's that mach_vm_deallocate frees, as the reply's
 * out-of-line arrays are. */
static void names_are_task_memory(void **state)
{
	mach_port_name_t port = cp_port();
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t ncnt = 0, tcnt = 0;
	int found = 0, self = 0;
	(void)state;

	assert_int_equal(mach_port_names(mach_task_self(), &names, &ncnt, &types, &tcnt), KERN_SUCCESS);
	assert_int_equal(ncnt, 3);
	assert_int_equal(tcnt, 3);
	for (mach_msg_type_number_t i = 0; i < ncnt; i++) {
		if (names[i] == port) {
			found = 1;
			assert_int_equal(types[i], MACH_PORT_TYPE_RECEIVE);
		}
		if (names[i] == mach_task_self()) {
			self = 1;
			assert_int_equal(types[i], MACH_PORT_TYPE_SEND);
		}
	}
	assert_true(found);
	assert_true(self);
	assert_true(cp_mapped((uintptr_t)names));
	assert_true(cp_mapped((uintptr_t)types));
	assert_int_equal(mach_vm_deallocate(mach_task_self(), (mach_vm_address_t)(uintptr_t)names,
					    ncnt * sizeof names[0]),
			 KERN_SUCCESS);
	assert_int_equal(vm_deallocate(mach_task_self(), (vm_address_t)types, tcnt * sizeof types[0]),
			 KERN_SUCCESS);
	assert_false(cp_mapped((uintptr_t)names));
	assert_false(cp_mapped((uintptr_t)types));
	cp_drop(port);
}

/* machports/compat.h: with a second task current on this thread,
 * mach_task_self() names that task and every call acts on its space only. */
static void second_task_acts_on_its_space(void **state)
{
	mp_compat_task_t *b = NULL;
	mach_port_name_t port, named = 0x5503;
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t ncnt = 0, tcnt = 0;
	uint32_t default_before = cp_name_count(mp_compat_task_default());
	(void)state;

	assert_int_equal(mp_compat_task_create(&b), MP_KERN_SUCCESS);
	assert_ptr_equal(mp_compat_set_current(b), mp_compat_task_default());
	port = cp_port();
	assert_int_equal(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, named), KERN_SUCCESS);
	assert_true(cp_has_name(b, port));
	assert_true(cp_has_name(b, named));
	assert_int_equal(cp_name_count(mp_compat_task_default()), default_before);
	assert_int_equal(mach_port_names(mach_task_self(), &names, &ncnt, &types, &tcnt), KERN_SUCCESS);
	assert_int_equal(ncnt, 4);
	assert_int_equal(mach_vm_deallocate(mach_task_self(), (uintptr_t)names, ncnt * sizeof names[0]), KERN_SUCCESS);
	assert_int_equal(mach_vm_deallocate(mach_task_self(), (uintptr_t)types, tcnt * sizeof types[0]), KERN_SUCCESS);
	/* back on the default task: the same name is free there */
	(void)mp_compat_set_current(NULL);
	if (!cp_has_name(mp_compat_task_default(), named)) {
		mach_port_type_t type;
		assert_int_equal(mach_port_type(mach_task_self(), named, &type), KERN_INVALID_NAME);
	}
	assert_int_equal(mach_port_destroy(mach_task_self(), named), KERN_INVALID_NAME);
	assert_true(cp_has_name(b, named));
	(void)mp_compat_set_current(b);
	assert_int_equal(mach_port_destroy(mach_task_self(), named), KERN_SUCCESS);
	cp_drop(port);
	assert_int_equal(cp_name_count(b), 2);
	(void)mp_compat_set_current(NULL);
	mp_compat_task_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(allocate_and_inspect),
		T(bad_task_is_send_invalid_dest),
		T(null_pointers_are_memory_errors),
		T(construct_and_destruct),
		T(construct_refuses_unsupported_options),
		T(insert_and_extract_rights),
		T(context_and_guards),
		T(attributes_counts),
		T(port_set_members),
		T(request_notification_previous),
		T(peek_queued_message),
		T(names_are_task_memory),
		T(second_task_acts_on_its_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
