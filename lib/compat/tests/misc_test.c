/*
 * lib/compat/tests/misc_test.c: mach_error_string / mach_error /
 * mach_error_type, audit_token_to_*, mig_strncpy(_zerofill), mig_allocate /
 * mig_deallocate, NDR_record, mach_reply_port, mach_host_self /
 * mach_thread_self (lib/compat/src/misc.c).
 */
#include "lib/compat/tests/port_vm_support.h"

#include <bsm/libbsm.h>
#include <mach/mach_error.h>
#include <mach/mig.h>
#include <mach/ndr.h>

/* libsyscall error_codes.c / err_kern.sub / err_mach_ipc.sub: the strings
 * of the codes machports returns. */
static void error_strings(void **state)
{
	(void)state;
	assert_string_equal(mach_error_string(KERN_SUCCESS), "(os/kern) successful");
	assert_string_equal(mach_error_string(KERN_INVALID_NAME), "(os/kern) invalid name");
	assert_string_equal(mach_error_string(KERN_NOT_SUPPORTED), "(os/kern) service not supported");
	assert_string_equal(mach_error_string(56), "(os/kern) result not found");
	assert_string_equal(mach_error_string(MACH_SEND_INVALID_DEST), "(ipc/send) invalid destination port");
	assert_string_equal(mach_error_string(MACH_SEND_INVALID_MEMORY), "(ipc/send) invalid memory");
	assert_string_equal(mach_error_string(MACH_RCV_TIMED_OUT), "(ipc/rcv) timed out");
	assert_string_equal(mach_error_string(MACH_RCV_TOO_LARGE), "(ipc/rcv) msg too large");
	/* do_compat: MIG's -300.. codes are (ipc/mig) */
	assert_string_equal(mach_error_string(MIG_TYPE_ERROR), "(ipc/mig) client type check failure");
	assert_string_equal(mach_error_string(MIG_BAD_ID), "(ipc/mig) bad request message ID");
	assert_string_equal(mach_error_string(MIG_ARRAY_TOO_LARGE), "(ipc/mig) array not large enough");
	assert_string_equal(mach_error_string(MIG_SERVER_DIED), "(ipc/mig) server died");
	/* NO_SUCH_ERROR past a subsystem's codes (BOOTSTRAP_* are plain codes
	 * of (os/kern) past its table) */
	assert_string_equal(mach_error_string(57), "unknown error code");
	assert_string_equal(mach_error_string(1102), "unknown error code");
	assert_string_equal(mach_error_string(MACH_SEND_INVALID_DEST + 100), "unknown error code");
	/* a subsystem past the system's table: the system's bad_sub */
	assert_string_equal(mach_error_string(err_system(4) | err_sub(5)), "(ipc/?) unknown subsystem error");
	assert_string_equal(mach_error_string(err_sub(9)), "(operating system/?) unknown subsystem error");
	/* a system libsystem has no entry for: NULL, as libsystem */
	assert_null(mach_error_string(err_system(5)));
	assert_null(mach_error_string(-1));
}

static void error_types(void **state)
{
	(void)state;
	assert_string_equal(mach_error_type(KERN_FAILURE), "(os/kern)");
	assert_string_equal(mach_error_type(MACH_SEND_TIMED_OUT), "(ipc/send)");
	assert_string_equal(mach_error_type(MACH_RCV_INVALID_NAME), "(ipc/rcv)");
	assert_string_equal(mach_error_type(MIG_BAD_ID), "(ipc/mig)");
	assert_string_equal(mach_error_type(err_sub(3)), "(os/unix)");
	assert_string_equal(mach_error_type(err_system(4) | err_sub(7)), "(?/?)");
	assert_string_equal(mach_error_type(err_system(5)), "(?/?)");
}

/* What mach_error writes to stderr. */
static void stderr_of_mach_error(const char *str, mach_error_t err, char *out, size_t cap)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t n;

	assert_non_null(tmp);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_true(dup2(fileno(tmp), 2) >= 0);
	mach_error(str, err);
	fflush(stderr);
	assert_true(dup2(saved, 2) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, cap - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
}

/* mach_error (mach_error.c): "str text"; with the diagnosis when the code is
 * not in the table: "str type text (hex)". */
static void error_printing(void **state)
{
	char out[256];
	(void)state;

	stderr_of_mach_error("call:", KERN_INVALID_RIGHT, out, sizeof out);
	assert_string_equal(out, "call: (os/kern) invalid right\n");
	stderr_of_mach_error("call:", 57, out, sizeof out);
	assert_string_equal(out, "call: (os/kern) unknown error code (39)\n");
	stderr_of_mach_error("x", err_system(4) | err_sub(9), out, sizeof out);
	assert_string_equal(out, "x (?/?) (ipc/?) unknown subsystem error (10024000)\n");
}

/* libbsm: the token's words in proc_calc_audit_token's order (wire.h §4.4). */
static void audit_token_words(void **state)
{
	audit_token_t tok = { { 11, 12, 13, 14, 15, 16, 17, 18 } };
	(void)state;

	assert_int_equal(audit_token_to_auid(tok), 11);
	assert_int_equal(audit_token_to_euid(tok), 12);
	assert_int_equal(audit_token_to_egid(tok), 13);
	assert_int_equal(audit_token_to_ruid(tok), 14);
	assert_int_equal(audit_token_to_rgid(tok), 15);
	assert_int_equal(audit_token_to_pid(tok), 16);
	assert_int_equal(audit_token_to_asid(tok), 17);
	assert_int_equal(audit_token_to_pidversion(tok), 18);
}

/* mig_strncpy (mig_strncpy.c): at most len - 1 bytes, always terminated;
 * returns the count INCLUDING the NUL when src ends first, else len. */
static void strncpy_rules(void **state)
{
	char d[8];
	(void)state;

	memset(d, 'z', sizeof d);
	assert_int_equal(mig_strncpy(d, "abc", 0), 0);
	assert_int_equal(mig_strncpy(d, "abc", -3), 0);
	assert_int_equal(d[0], 'z');
	assert_int_equal(mig_strncpy(d, "abc", 8), 4);
	assert_string_equal(d, "abc");
	assert_int_equal(d[4], 'z'); /* not zero-filled */
	memset(d, 'z', sizeof d);
	assert_int_equal(mig_strncpy(d, "abcdefghij", 4), 4);
	assert_string_equal(d, "abc");
	assert_int_equal(mig_strncpy(d, "abc", 1), 1);
	assert_int_equal(d[0], '\0');
	assert_int_equal(mig_strncpy(d, "", 8), 1);
	assert_int_equal(mig_strncpy(d, "abc", 4), 4); /* exactly fits */
	assert_string_equal(d, "abc");
}

/* mig_strncpy_zerofill: the same count; the rest of the len bytes zeroed;
 * NULL src an empty string (returns 0); NULL dest or len <= 0: 0. */
static void strncpy_zerofill_rules(void **state)
{
	char d[8];
	(void)state;

	memset(d, 'z', sizeof d);
	assert_int_equal(mig_strncpy_zerofill(d, "abc", 8), 4);
	assert_string_equal(d, "abc");
	for (int i = 3; i < 8; i++)
		assert_int_equal(d[i], '\0');
	memset(d, 'z', sizeof d);
	assert_int_equal(mig_strncpy_zerofill(d, "abcdefghij", 5), 5);
	assert_string_equal(d, "abcd");
	assert_int_equal(d[5], 'z');
	memset(d, 'z', sizeof d);
	assert_int_equal(mig_strncpy_zerofill(d, NULL, 8), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(d[i], '\0');
	assert_int_equal(mig_strncpy_zerofill(NULL, "abc", 8), 0);
	memset(d, 'z', sizeof d);
	assert_int_equal(mig_strncpy_zerofill(d, "abc", 0), 0);
	assert_int_equal(d[0], 'z');
	assert_int_equal(mig_strncpy_zerofill(d, "abc", 1), 1); /* src never ended: len */
	assert_int_equal(d[0], '\0');
}

/* mig_allocate / mig_deallocate (vm_allocate tagged VM_MEMORY_MACH_MSG in
 * the current task; *addr 0 on failure). */
static void mig_memory(void **state)
{
	vm_address_t a = 0;
	(void)state;

	mig_allocate(&a, 100);
	assert_int_not_equal(a, 0);
	assert_true(cp_mapped(a));
	((char *)a)[99] = 1;
	mig_deallocate(a, 100);
	assert_false(cp_mapped(a));
	a = 0x1234;
	mig_allocate(&a, (vm_size_t)-16);
	assert_int_equal(a, 0);
}

/* libsyscall mig_support: the record MIG stubs send (little-endian ints). */
static void ndr_record(void **state)
{
	const unsigned char want[8] = { 0, 0, 0, 0, 1, 0, 0, 0 };
	(void)state;

	assert_int_equal(sizeof NDR_record, 8);
	assert_memory_equal(&NDR_record, want, 8);
	assert_int_equal(NDR_record.int_rep, NDR_INT_LITTLE_ENDIAN);
}

/* mach_reply_port (osfmk/kern/ipc_tt.c, xnu-11417): an ordinary receive
 * right (ipc_port_alloc, IPC_PORT_INIT_MESSAGE_QUEUE) in the current task. */
static void reply_port_trap(void **state)
{
	mach_port_name_t r = mach_reply_port(), in_b;
	mach_port_type_t type = 0;
	mach_port_urefs_t refs = 0;
	mp_compat_task_t *b = NULL;
	(void)state;

	assert_true(MACH_PORT_VALID(r));
	assert_int_equal(mach_port_type(mach_task_self(), r, &type), KERN_SUCCESS);
	assert_int_equal(type, MACH_PORT_TYPE_RECEIVE);
	/* no send right; an ordinary port takes a MAKE_SEND under its name */
	assert_int_equal(mach_port_get_refs(mach_task_self(), r, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	assert_int_equal(refs, 0);
	assert_int_equal(mach_port_insert_right(mach_task_self(), r, r, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	assert_int_equal(mach_port_deallocate(mach_task_self(), r), KERN_SUCCESS);
	cp_drop(r);
	/* with a second task current: a name in that task's space */
	assert_int_equal(mp_compat_task_create(&b), MP_KERN_SUCCESS);
	(void)mp_compat_set_current(b);
	in_b = mach_reply_port();
	assert_true(MACH_PORT_VALID(in_b));
	assert_true(cp_has_name(b, in_b));
	(void)mp_compat_set_current(NULL);
	assert_false(cp_has_name(mp_compat_task_default(), in_b));
	mp_compat_task_destroy(b);
}

/* No host or thread ports here: MACH_PORT_NULL (see misc.c). */
static void host_and_thread_self(void **state)
{
	(void)state;
	assert_int_equal(mach_host_self(), MACH_PORT_NULL);
	assert_int_equal(mach_thread_self(), MACH_PORT_NULL);
}

/* The binary runs on the backend its runner asked for (with_machportd.sh
 * sets MP_TEST_BACKEND=machportd; BUILD sets MACHPORTS_BACKEND with it). */
static void runs_on_the_requested_backend(void **state)
{
	const char *want = getenv("MP_TEST_BACKEND");
	(void)state;

	if (want != NULL && strcmp(want, "machportd") == 0)
		assert_int_equal(mp_compat_backend(), MP_BACKEND_MACHPORTD);
	else
		assert_int_equal(mp_compat_backend(), MP_BACKEND_KERN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(runs_on_the_requested_backend),
		T(error_strings),
		T(error_types),
		T(error_printing),
		T(audit_token_words),
		T(strncpy_rules),
		T(strncpy_zerofill_rules),
		T(mig_memory),
		T(ndr_record),
		T(reply_port_trap),
		T(host_and_thread_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
