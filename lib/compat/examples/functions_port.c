/*
 * lib/compat/examples/functions_port.c: one case per mach_port_* call of
 * <mach/mach_port.h>, only against Apple's API (issue 14's "a test per
 * function"; functions_msg.c and functions_misc.c hold the rest). Each
 * case makes a normal call and at least one refused one, asserts XNU's
 * codes (the osfmk/ipc/mach_port.c routine named beside it) and leaves no
 * right behind (mach_port_names before and after).
 *
 * Only what real XNU answers is asserted, so the program passes on macOS
 * too; refusals that raise a fatal EXC_GUARD on Darwin (a wrong guard, an
 * unguarded port given to unguard) are left to the harness tests.
 *
 * Built on Linux against lib/compat (//lib/compat:mach) and, by
 * scripts/check-darwin-abi, for macOS against the SDK.
 */
#include <mach/mach.h>
#include <mach/mach_port.h>
#include <mach/notify.h>
#include <string.h>

#include "example_check.h"

/* A name no space hands out in these tests: neither a task port nor a right. */
#define BOGUS_NAME ((mach_port_name_t)0x7ffff0b3u)

static mach_port_t new_receive(void)
{
	mach_port_t p = MACH_PORT_NULL;
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	return p;
}

static void drop_receive(mach_port_t p)
{
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
}

/* XNU mach_port_allocate_full: an unknown right is KERN_INVALID_VALUE;
 * port_name_to_current_task_noref: a name that is no task port is refused
 * (the MIG fallback's send: MACH_SEND_INVALID_DEST). */
static void test_mach_port_allocate(void)
{
	mach_port_t p = MACH_PORT_NULL, ps = MACH_PORT_NULL, dead = MACH_PORT_NULL;
	ex_begin();
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	EXPECT(MACH_PORT_VALID(p) && ex_type_of(p) == MACH_PORT_TYPE_RECEIVE);
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &ps), KERN_SUCCESS);
	EXPECT(ex_type_of(ps) == MACH_PORT_TYPE_PORT_SET);
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);
	EXPECT(ex_type_of(dead) == MACH_PORT_TYPE_DEAD_NAME);
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_SEND, &ps), KERN_INVALID_VALUE);
	EXPECT_KR(mach_port_allocate(BOGUS_NAME, MACH_PORT_RIGHT_RECEIVE, &p), MACH_SEND_INVALID_DEST);
	drop_receive(p);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), ps, MACH_PORT_RIGHT_PORT_SET, -1), KERN_SUCCESS);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_DEAD_NAME, -1), KERN_SUCCESS);
	ex_end_no_leak();
}

/* XNU mach_port_allocate_name: an invalid name is KERN_INVALID_VALUE, a
 * name in use KERN_NAME_EXISTS (ipc_entry_alloc_name). */
static void test_mach_port_allocate_name(void)
{
	mach_port_t p;
	ex_begin();
	p = new_receive(); /* a name this space can hold, free again below */
	drop_receive(p);
	EXPECT_KR(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, p), KERN_SUCCESS);
	EXPECT(ex_type_of(p) == MACH_PORT_TYPE_RECEIVE);
	EXPECT_KR(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, p), KERN_NAME_EXISTS);
	EXPECT_KR(mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, MACH_PORT_NULL),
		  KERN_INVALID_VALUE);
	EXPECT_KR(mach_port_allocate_name(BOGUS_NAME, MACH_PORT_RIGHT_RECEIVE, p), MACH_SEND_INVALID_DEST);
	drop_receive(p);
	ex_end_no_leak();
}

/* XNU mach_port_construct (MPO_INSERT_SEND_RIGHT: receive and send under
 * one name; MPO_QLIMIT sets the queue limit) and mach_port_destruct
 * (srdelta -1 drops the send right; an unknown name: KERN_INVALID_NAME). */
static void test_mach_port_construct_destruct(void)
{
	mach_port_options_t opts;
	mach_port_t p = MACH_PORT_NULL;
	mach_port_limits_t limits;
	mach_msg_type_number_t count = MACH_PORT_LIMITS_INFO_COUNT;
	ex_begin();
	memset(&opts, 0, sizeof opts);
	opts.flags = MPO_INSERT_SEND_RIGHT | MPO_QLIMIT;
	opts.mpl.mpl_qlimit = 3;
	EXPECT_KR(mach_port_construct(mach_task_self(), &opts, 0, &p), KERN_SUCCESS);
	EXPECT(ex_type_of(p) == (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND));
	memset(&limits, 0, sizeof limits);
	EXPECT_KR(mach_port_get_attributes(mach_task_self(), p, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&limits,
					   &count),
		  KERN_SUCCESS);
	EXPECT(limits.mpl_qlimit == 3);
	EXPECT_KR(mach_port_construct(BOGUS_NAME, &opts, 0, &p), MACH_SEND_INVALID_DEST);
	EXPECT_KR(mach_port_destruct(mach_task_self(), BOGUS_NAME, 0, 0), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_destruct(mach_task_self(), p, -1, 0), KERN_SUCCESS);
	EXPECT(ex_type_of(p) == 0);
	ex_end_no_leak();
}

/* XNU mach_port_deallocate (ipc_right_dealloc): a send right's uref goes;
 * a receive right alone is KERN_INVALID_RIGHT, an unknown name
 * KERN_INVALID_NAME. */
static void test_mach_port_deallocate(void)
{
	mach_port_t p;
	ex_begin();
	p = new_receive();
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	EXPECT(ex_type_of(p) == MACH_PORT_TYPE_RECEIVE);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_INVALID_RIGHT);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), BOGUS_NAME), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_deallocate(BOGUS_NAME, p), MACH_SEND_INVALID_DEST);
	drop_receive(p);
	ex_end_no_leak();
}

/* Deprecated in the SDK (macOS 12), still exported and answered by XNU. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
/* XNU mach_port_destroy (ipc_right_destroy): every right under the name
 * goes; an unknown name is KERN_INVALID_NAME. */
static void test_mach_port_destroy(void)
{
	mach_port_t p;
	ex_begin();
	p = new_receive();
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	EXPECT_KR(mach_port_destroy(mach_task_self(), p), KERN_SUCCESS);
	EXPECT(ex_type_of(p) == 0);
	EXPECT_KR(mach_port_destroy(mach_task_self(), BOGUS_NAME), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_destroy(BOGUS_NAME, p), MACH_SEND_INVALID_DEST);
	ex_end_no_leak();
}
#pragma GCC diagnostic pop

/* XNU mach_port_mod_refs (ipc_right_delta): urefs below zero and a receive
 * right above one are KERN_INVALID_VALUE, as is an unknown right. */
static void test_mach_port_mod_refs(void)
{
	mach_port_t p;
	mach_port_urefs_t refs = 0;
	ex_begin();
	p = new_receive();
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, 2), KERN_SUCCESS);
	EXPECT_KR(mach_port_get_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	EXPECT(refs == 3);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, -4), KERN_INVALID_VALUE);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, 1), KERN_INVALID_VALUE);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_NUMBER, 1), KERN_INVALID_VALUE);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), BOGUS_NAME, MACH_PORT_RIGHT_SEND, 1), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, -3), KERN_SUCCESS);
	EXPECT(ex_type_of(p) == MACH_PORT_TYPE_RECEIVE);
	drop_receive(p);
	ex_end_no_leak();
}

/* XNU mach_port_get_refs: 1 for a receive right, 0 for a right the name
 * lacks; an unknown right is KERN_INVALID_VALUE, an unknown name
 * KERN_INVALID_NAME. */
static void test_mach_port_get_refs(void)
{
	mach_port_t p;
	mach_port_urefs_t refs = 7;
	ex_begin();
	p = new_receive();
	EXPECT_KR(mach_port_get_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, &refs), KERN_SUCCESS);
	EXPECT(refs == 1);
	EXPECT_KR(mach_port_get_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	EXPECT(refs == 0);
	EXPECT_KR(mach_port_get_refs(mach_task_self(), p, MACH_PORT_RIGHT_NUMBER, &refs), KERN_INVALID_VALUE);
	EXPECT_KR(mach_port_get_refs(mach_task_self(), BOGUS_NAME, MACH_PORT_RIGHT_SEND, &refs),
		  KERN_INVALID_NAME);
	drop_receive(p);
	ex_end_no_leak();
}

/* XNU mach_port_type (ipc_right_lookup_write): an unknown name is
 * KERN_INVALID_NAME. */
static void test_mach_port_type(void)
{
	mach_port_t p;
	mach_port_type_t type = 0;
	ex_begin();
	p = new_receive();
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	EXPECT_KR(mach_port_type(mach_task_self(), p, &type), KERN_SUCCESS);
	EXPECT(type == (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND));
	EXPECT_KR(mach_port_type(mach_task_self(), BOGUS_NAME, &type), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_type(BOGUS_NAME, p, &type), MACH_SEND_INVALID_DEST);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, -1), KERN_SUCCESS);
	drop_receive(p);
	ex_end_no_leak();
}

/* XNU mach_port_insert_right (ipc_object_copyout_name): the port's right
 * under another name is KERN_RIGHT_EXISTS (checked before the name in use); _kernelrpc_mach_port_insert_right_trap
 * refuses a disposition that is no port right with KERN_INVALID_VALUE. */
static void test_mach_port_insert_right(void)
{
	mach_port_t p, q;
	ex_begin();
	p = new_receive();
	q = new_receive();
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	EXPECT(ex_type_of(p) == (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND));
	EXPECT_KR(mach_port_insert_right(mach_task_self(), q, p, MACH_MSG_TYPE_MAKE_SEND), KERN_RIGHT_EXISTS);
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, 0x7f), KERN_INVALID_VALUE);
	EXPECT_KR(mach_port_insert_right(BOGUS_NAME, p, p, MACH_MSG_TYPE_MAKE_SEND), MACH_SEND_INVALID_DEST);
	EXPECT(ex_type_of(q) == MACH_PORT_TYPE_RECEIVE);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	drop_receive(p);
	drop_receive(q);
	ex_end_no_leak();
}

/* XNU mach_port_extract_right (ipc_object_copyin): MAKE_SEND of one's own
 * receive right comes back under the same name; an unknown name is
 * KERN_INVALID_NAME, a disposition that is no port right KERN_INVALID_VALUE. */
static void test_mach_port_extract_right(void)
{
	mach_port_t p, got = MACH_PORT_NULL;
	mach_msg_type_name_t got_type = 0;
	ex_begin();
	p = new_receive();
	EXPECT_KR(mach_port_extract_right(mach_task_self(), p, MACH_MSG_TYPE_MAKE_SEND, &got, &got_type),
		  KERN_SUCCESS);
	EXPECT(got == p && got_type == MACH_MSG_TYPE_PORT_SEND);
	EXPECT(ex_type_of(p) == (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND));
	EXPECT_KR(mach_port_extract_right(mach_task_self(), BOGUS_NAME, MACH_MSG_TYPE_MAKE_SEND, &got, &got_type),
		  KERN_INVALID_NAME);
	EXPECT_KR(mach_port_extract_right(mach_task_self(), p, 0x7f, &got, &got_type), KERN_INVALID_VALUE);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	drop_receive(p);
	ex_end_no_leak();
}

/* XNU mach_port_set_context / mach_port_get_context
 * (ipc_port_translate_receive -> ipc_object_translate): a name without the
 * receive right (a port set) is KERN_INVALID_RIGHT; an unknown name, or a
 * dead name (no object: ipc_right_lookup_read), KERN_INVALID_NAME. */
static void test_mach_port_context(void)
{
	mach_port_t p, ps = MACH_PORT_NULL, dead = MACH_PORT_NULL;
	mach_port_context_t ctx = 0;
	ex_begin();
	p = new_receive();
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &ps), KERN_SUCCESS);
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);
	EXPECT_KR(mach_port_set_context(mach_task_self(), p, 0x1234), KERN_SUCCESS);
	EXPECT_KR(mach_port_get_context(mach_task_self(), p, &ctx), KERN_SUCCESS);
	EXPECT(ctx == 0x1234);
	EXPECT_KR(mach_port_set_context(mach_task_self(), ps, 1), KERN_INVALID_RIGHT);
	EXPECT_KR(mach_port_get_context(mach_task_self(), ps, &ctx), KERN_INVALID_RIGHT);
	EXPECT_KR(mach_port_set_context(mach_task_self(), dead, 1), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_set_context(mach_task_self(), BOGUS_NAME, 1), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_get_context(mach_task_self(), BOGUS_NAME, &ctx), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_DEAD_NAME, -1), KERN_SUCCESS);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), ps, MACH_PORT_RIGHT_PORT_SET, -1), KERN_SUCCESS);
	drop_receive(p);
	ex_end_no_leak();
}

/*
 * XNU mach_port_guard / mach_port_unguard (mach_port_guard_locked): a
 * non-strict guard reads back as the context; an unknown name is
 * KERN_INVALID_NAME. (A second guard or a wrong one raises EXC_GUARD on
 * Darwin: the harness tests cover those codes.)
 */
static void test_mach_port_guard_unguard(void)
{
	mach_port_t p;
	mach_port_context_t ctx = 0;
	ex_begin();
	p = new_receive();
	EXPECT_KR(mach_port_guard(mach_task_self(), p, 0xfeed, FALSE), KERN_SUCCESS);
	EXPECT_KR(mach_port_get_context(mach_task_self(), p, &ctx), KERN_SUCCESS);
	EXPECT(ctx == 0xfeed);
	EXPECT_KR(mach_port_unguard(mach_task_self(), p, 0xfeed), KERN_SUCCESS);
	EXPECT_KR(mach_port_guard(mach_task_self(), BOGUS_NAME, 0xfeed, FALSE), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_unguard(mach_task_self(), BOGUS_NAME, 0xfeed), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_guard(BOGUS_NAME, p, 0xfeed, FALSE), MACH_SEND_INVALID_DEST);
	drop_receive(p);
	ex_end_no_leak();
}

/*
 * XNU mach_port_swap_guard (a non-strict guard is replaced),
 * mach_port_guard_with_flags (MPG_STRICT: the guard reads back as context
 * 0, mach_port_get_context hides it) and mach_port_assert_attributes
 * (MACH_PORT_GUARD_INFO holds for a strict guard with the right value; an
 * unknown flavor is KERN_INVALID_ARGUMENT). Unknown names are
 * KERN_INVALID_NAME. The ports are destructed with their guards.
 */
static void test_mach_port_guard_with_flags_swap_guard(void)
{
	mach_port_t p, q;
	mach_port_context_t ctx = 1;
	mach_port_guard_info_t info = { 0xabc };
	ex_begin();
	p = new_receive();
	q = new_receive();
	EXPECT_KR(mach_port_guard(mach_task_self(), q, 0x111, FALSE), KERN_SUCCESS);
	EXPECT_KR(mach_port_swap_guard(mach_task_self(), q, 0x111, 0x222), KERN_SUCCESS);
	EXPECT_KR(mach_port_get_context(mach_task_self(), q, &ctx), KERN_SUCCESS);
	EXPECT(ctx == 0x222);
	EXPECT_KR(mach_port_guard_with_flags(mach_task_self(), p, 0xabc, MPG_STRICT), KERN_SUCCESS);
	EXPECT_KR(mach_port_get_context(mach_task_self(), p, &ctx), KERN_SUCCESS);
	EXPECT(ctx == 0);
	EXPECT_KR(mach_port_assert_attributes(mach_task_self(), p, MACH_PORT_GUARD_INFO, (mach_port_info_t)&info,
					      MACH_PORT_GUARD_INFO_COUNT),
		  KERN_SUCCESS);
	EXPECT_KR(mach_port_assert_attributes(mach_task_self(), p, 0x7777, (mach_port_info_t)&info,
					      MACH_PORT_GUARD_INFO_COUNT),
		  KERN_INVALID_ARGUMENT);
	EXPECT_KR(mach_port_guard_with_flags(mach_task_self(), BOGUS_NAME, 0xabc, 0), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_swap_guard(mach_task_self(), BOGUS_NAME, 0xabc, 0xdef), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_destruct(mach_task_self(), p, 0, 0xabc), KERN_SUCCESS);
	EXPECT_KR(mach_port_destruct(mach_task_self(), q, 0, 0x222), KERN_SUCCESS);
	ex_end_no_leak();
}

/*
 * XNU mach_port_get_attributes / mach_port_set_attributes:
 * MACH_PORT_LIMITS_INFO starts at
 * MACH_PORT_QLIMIT_DEFAULT; a limit above MACH_PORT_QLIMIT_MAX is
 * KERN_INVALID_VALUE; a count too small for the flavor is KERN_FAILURE;
 * an unknown flavor KERN_INVALID_ARGUMENT; an unknown name
 * KERN_INVALID_NAME.
 */
static void test_mach_port_attributes(void)
{
	mach_port_t p;
	mach_port_limits_t limits;
	mach_port_status_t status;
	mach_msg_type_number_t count = MACH_PORT_LIMITS_INFO_COUNT;
	ex_begin();
	p = new_receive();
	memset(&limits, 0, sizeof limits);
	EXPECT_KR(mach_port_get_attributes(mach_task_self(), p, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&limits,
					   &count),
		  KERN_SUCCESS);
	EXPECT(count == MACH_PORT_LIMITS_INFO_COUNT && limits.mpl_qlimit == MACH_PORT_QLIMIT_DEFAULT);
	count = MACH_PORT_RECEIVE_STATUS_COUNT;
	memset(&status, 0xff, sizeof status);
	EXPECT_KR(mach_port_get_attributes(mach_task_self(), p, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&status,
					   &count),
		  KERN_SUCCESS);
	EXPECT(status.mps_msgcount == 0 && status.mps_qlimit == MACH_PORT_QLIMIT_DEFAULT);
	count = 0;
	EXPECT_KR(mach_port_get_attributes(mach_task_self(), p, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&limits,
					   &count),
		  KERN_FAILURE);
	count = MACH_PORT_LIMITS_INFO_COUNT;
	EXPECT_KR(mach_port_get_attributes(mach_task_self(), p, 0x7777, (mach_port_info_t)&limits, &count),
		  KERN_INVALID_ARGUMENT);
	EXPECT_KR(mach_port_get_attributes(mach_task_self(), BOGUS_NAME, MACH_PORT_LIMITS_INFO,
					   (mach_port_info_t)&limits, &count),
		  KERN_INVALID_NAME);

	limits.mpl_qlimit = 9;
	EXPECT_KR(mach_port_set_attributes(mach_task_self(), p, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&limits,
					   MACH_PORT_LIMITS_INFO_COUNT),
		  KERN_SUCCESS);
	limits.mpl_qlimit = 0;
	count = MACH_PORT_LIMITS_INFO_COUNT;
	EXPECT_KR(mach_port_get_attributes(mach_task_self(), p, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&limits,
					   &count),
		  KERN_SUCCESS);
	EXPECT(limits.mpl_qlimit == 9);
	limits.mpl_qlimit = MACH_PORT_QLIMIT_MAX + 1;
	EXPECT_KR(mach_port_set_attributes(mach_task_self(), p, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&limits,
					   MACH_PORT_LIMITS_INFO_COUNT),
		  KERN_INVALID_VALUE);
	limits.mpl_qlimit = 9;
	EXPECT_KR(mach_port_set_attributes(mach_task_self(), BOGUS_NAME, MACH_PORT_LIMITS_INFO,
					   (mach_port_info_t)&limits, MACH_PORT_LIMITS_INFO_COUNT),
		  KERN_INVALID_NAME);

	drop_receive(p);
	ex_end_no_leak();
}

/*
 * XNU mach_port_insert_member / mach_port_extract_member /
 * mach_port_move_member (ipc_pset_add / ipc_pset_remove): a port already
 * in the set is KERN_ALREADY_IN_SET, one not in it KERN_NOT_IN_SET;
 * `after` that is no port set is KERN_INVALID_RIGHT; move_member to
 * MACH_PORT_NULL takes the port out of its sets.
 */
static void test_mach_port_members(void)
{
	mach_port_t p, other, ps = MACH_PORT_NULL;
	ex_begin();
	p = new_receive();
	other = new_receive();
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &ps), KERN_SUCCESS);
	EXPECT_KR(mach_port_insert_member(mach_task_self(), p, ps), KERN_SUCCESS);
	EXPECT_KR(mach_port_insert_member(mach_task_self(), p, ps), KERN_ALREADY_IN_SET);
	EXPECT_KR(mach_port_insert_member(mach_task_self(), p, other), KERN_INVALID_RIGHT);
	EXPECT_KR(mach_port_extract_member(mach_task_self(), p, ps), KERN_SUCCESS);
	EXPECT_KR(mach_port_extract_member(mach_task_self(), p, ps), KERN_NOT_IN_SET);
	EXPECT_KR(mach_port_extract_member(mach_task_self(), BOGUS_NAME, ps), KERN_INVALID_NAME);
	EXPECT_KR(mach_port_move_member(mach_task_self(), p, ps), KERN_SUCCESS);
	EXPECT_KR(mach_port_insert_member(mach_task_self(), p, ps), KERN_ALREADY_IN_SET);
	EXPECT_KR(mach_port_move_member(mach_task_self(), p, MACH_PORT_NULL), KERN_SUCCESS);
	EXPECT_KR(mach_port_extract_member(mach_task_self(), p, ps), KERN_NOT_IN_SET);
	EXPECT_KR(mach_port_move_member(mach_task_self(), p, other), KERN_INVALID_RIGHT);
	EXPECT_KR(mach_port_insert_member(BOGUS_NAME, p, ps), MACH_SEND_INVALID_DEST);
	drop_receive(p);
	drop_receive(other);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), ps, MACH_PORT_RIGHT_PORT_SET, -1), KERN_SUCCESS);
	ex_end_no_leak();
}

/*
 * XNU mach_port_request_notification (ipc_right_request_alloc): the first
 * dead-name request has no previous right; replacing it with
 * MACH_PORT_NULL hands the old send-once right back. An unknown id is
 * KERN_INVALID_VALUE. Every send-once right left ends with `n`'s receive
 * right (its queue, send-once notifications included, is destroyed).
 */
static void test_mach_port_request_notification(void)
{
	mach_port_t p, n, previous = 1;
	ex_begin();
	p = new_receive();
	n = new_receive();
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	EXPECT_KR(mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_DEAD_NAME, 0, n,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
		  KERN_SUCCESS);
	EXPECT(previous == MACH_PORT_NULL);
	EXPECT_KR(mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_DEAD_NAME, 0, MACH_PORT_NULL,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
		  KERN_SUCCESS);
	EXPECT(MACH_PORT_VALID(previous) && ex_type_of(previous) == MACH_PORT_TYPE_SEND_ONCE);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), previous), KERN_SUCCESS);
	EXPECT_KR(mach_port_request_notification(mach_task_self(), p, 0x12345, 0, n, MACH_MSG_TYPE_MAKE_SEND_ONCE,
						 &previous),
		  KERN_INVALID_VALUE);
	EXPECT_KR(mach_port_request_notification(BOGUS_NAME, p, MACH_NOTIFY_DEAD_NAME, 0, n,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
		  MACH_SEND_INVALID_DEST);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	drop_receive(p);
	drop_receive(n);
	ex_end_no_leak();
}

/* XNU mach_port_peek (ipc_mqueue_peek): the first message's id and size
 * without receiving it; an empty queue is KERN_FAILURE, an unknown name
 * KERN_INVALID_NAME. */
static void test_mach_port_peek(void)
{
	mach_port_t p;
	mach_msg_header_t msg;
	struct {
		mach_msg_header_t head;
		mach_msg_trailer_t trailer;
	} rcv;
	mach_port_seqno_t seqno = 0;
	mach_msg_size_t size = 0;
	mach_msg_id_t id = 0;
	mach_msg_trailer_t trailer;
	mach_msg_type_number_t tcount = sizeof trailer;
	ex_begin();
	p = new_receive();
	EXPECT_KR(mach_port_peek(mach_task_self(), p, MACH_RCV_TRAILER_NULL, &seqno, &size, &id,
				 (mach_msg_trailer_info_t)&trailer, &tcount),
		  KERN_FAILURE);
	memset(&msg, 0, sizeof msg);
	msg.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	msg.msgh_size = sizeof msg;
	msg.msgh_remote_port = p;
	msg.msgh_id = 4242;
	EXPECT_KR(mach_msg(&msg, MACH_SEND_MSG, sizeof msg, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	seqno = 0;
	tcount = sizeof trailer;
	EXPECT_KR(mach_port_peek(mach_task_self(), p, MACH_RCV_TRAILER_NULL, &seqno, &size, &id,
				 (mach_msg_trailer_info_t)&trailer, &tcount),
		  KERN_SUCCESS);
	/* msgh_size as the kernel holds it (ipc_mqueue_peek_locked): at least the sent size. */
	EXPECT(id == 4242 && size >= sizeof msg);
	tcount = sizeof trailer;
	EXPECT_KR(mach_port_peek(mach_task_self(), BOGUS_NAME, MACH_RCV_TRAILER_NULL, &seqno, &size, &id,
				 (mach_msg_trailer_info_t)&trailer, &tcount),
		  KERN_INVALID_NAME);
	memset(&rcv, 0, sizeof rcv);
	EXPECT_KR(mach_msg(&rcv.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof rcv, p, 0, MACH_PORT_NULL),
		  MACH_MSG_SUCCESS);
	EXPECT(rcv.head.msgh_id == 4242);
	drop_receive(p);
	ex_end_no_leak();
}

/* XNU mach_port_names (ipc_space's table, copied out as two out-of-line
 * arrays): a new right adds its name with its type. */
static void test_mach_port_names(void)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t n = 0, nt = 0, i, before;
	mach_port_t p;
	int found = 0;
	before = ex_names_count();
	p = new_receive();
	EXPECT_KR(mach_port_names(mach_task_self(), &names, &n, &types, &nt), KERN_SUCCESS);
	EXPECT(n == before + 1 && nt == n);
	for (i = 0; names != NULL && types != NULL && i < n; i++)
		if (names[i] == p)
			found = types[i] == MACH_PORT_TYPE_RECEIVE;
	EXPECT(found);
	if (names != NULL)
		EXPECT_KR(vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof names[0]), KERN_SUCCESS);
	if (types != NULL)
		EXPECT_KR(vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof types[0]), KERN_SUCCESS);
	EXPECT_KR(mach_port_names(BOGUS_NAME, &names, &n, &types, &nt), MACH_SEND_INVALID_DEST);
	drop_receive(p);
	EXPECT(ex_names_count() == before);
}

int main(void)
{
	ex_case("mach_port_allocate", test_mach_port_allocate);
	ex_case("mach_port_allocate_name", test_mach_port_allocate_name);
	ex_case("mach_port_construct, mach_port_destruct", test_mach_port_construct_destruct);
	ex_case("mach_port_deallocate", test_mach_port_deallocate);
	ex_case("mach_port_destroy", test_mach_port_destroy);
	ex_case("mach_port_mod_refs", test_mach_port_mod_refs);
	ex_case("mach_port_get_refs", test_mach_port_get_refs);
	ex_case("mach_port_type", test_mach_port_type);
	ex_case("mach_port_insert_right", test_mach_port_insert_right);
	ex_case("mach_port_extract_right", test_mach_port_extract_right);
	ex_case("mach_port_set_context, mach_port_get_context", test_mach_port_context);
	ex_case("mach_port_guard, mach_port_unguard", test_mach_port_guard_unguard);
	ex_case("mach_port_guard_with_flags, mach_port_swap_guard, mach_port_assert_attributes", test_mach_port_guard_with_flags_swap_guard);
	ex_case("mach_port_get/set_attributes", test_mach_port_attributes);
	ex_case("mach_port_insert/extract/move_member", test_mach_port_members);
	ex_case("mach_port_request_notification", test_mach_port_request_notification);
	ex_case("mach_port_peek", test_mach_port_peek);
	ex_case("mach_port_names", test_mach_port_names);
	return ex_summary();
}
