/*
 * lib/compat/examples/functions_misc.c: one case per VM, task, bootstrap
 * and library call, only against Apple's API (issue 14's "a test per
 * function"; functions_port.c and functions_msg.c hold the rest):
 * vm_allocate / vm_deallocate, mach_vm_allocate / _deallocate / _protect /
 * _read / _write / _copy, vm_page_size, host_page_size, mig_allocate /
 * mig_deallocate, mig_strncpy / mig_strncpy_zerofill, mach_task_self /
 * mach_task_is_self, task_get_special_port / task_set_special_port,
 * bootstrap_check_in / _look_up / _register / bootstrap_strerror,
 * mach_error_string / mach_error_type / mach_error.
 *
 * Each case makes a normal call and at least one refused one (where the
 * call can refuse), asserts XNU's (or libsystem's, launchd's) codes with the
 * function named beside it, and leaves no right or region behind. Where
 * machports differs from Darwin by design (mach_host_self() and
 * mach_thread_self() are MACH_PORT_NULL; task_get_special_port's host,
 * name, inspect and read ports and vm_protect's set_maximum are
 * KERN_NOT_SUPPORTED) nothing is asserted: the harness tests cover it.
 *
 * Built on Linux against lib/compat (//lib/compat:mach) and, by
 * scripts/check-darwin-abi, for macOS against the SDK.
 */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <mach/mach_vm.h>
#include <mach/mig.h>
#include <servers/bootstrap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "example_check.h"

#define BOGUS_NAME ((mach_port_name_t)0x7ffff0b3u)
#define VM_FLAGS_NOT_USER 0x00100000 /* VM_FLAGS_RETURN_DATA_ADDR: not in VM_FLAGS_USER_ALLOCATE */

static mach_port_t new_receive(void)
{
	mach_port_t p = MACH_PORT_NULL;
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	return p;
}

/* ---- VM ------------------------------------------------------------------ */

/*
 * XNU mach_vm_allocate_external (vm_user.c): zero-filled memory anywhere;
 * size 0 succeeds with address 0; a flag outside VM_FLAGS_USER_ALLOCATE is
 * KERN_INVALID_ARGUMENT. mach_vm_deallocate: a range that wraps is
 * KERN_INVALID_ARGUMENT (vm_sanitize_addr_size). vm_allocate /
 * vm_deallocate are the same calls (libsyscall mach_vm.c).
 */
static void test_vm_allocate_deallocate(void)
{
	vm_address_t a = 0;
	mach_vm_address_t ma = 0;
	unsigned char *bytes;
	EXPECT_KR(vm_allocate(mach_task_self(), &a, 3 * vm_page_size, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	bytes = (unsigned char *)a;
	EXPECT(a != 0 && (a & (vm_page_size - 1)) == 0 && bytes[0] == 0 && bytes[3 * vm_page_size - 1] == 0);
	bytes[0] = 1;
	EXPECT_KR(vm_deallocate(mach_task_self(), a, 3 * vm_page_size), KERN_SUCCESS);
	EXPECT_KR(vm_allocate(mach_task_self(), &a, vm_page_size, VM_FLAGS_ANYWHERE | VM_FLAGS_NOT_USER),
		  KERN_INVALID_ARGUMENT);
	EXPECT_KR(vm_allocate(BOGUS_NAME, &a, vm_page_size, VM_FLAGS_ANYWHERE), MACH_SEND_INVALID_DEST);
	EXPECT_KR(vm_deallocate(mach_task_self(), (vm_address_t)-vm_page_size, 2 * vm_page_size),
		  KERN_INVALID_ARGUMENT);

	EXPECT_KR(mach_vm_allocate(mach_task_self(), &ma, 0, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	EXPECT(ma == 0);
	EXPECT_KR(mach_vm_allocate(mach_task_self(), &ma, 2 * vm_page_size, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	EXPECT(ma != 0 && *(volatile unsigned char *)(uintptr_t)ma == 0);
	EXPECT_KR(mach_vm_allocate(mach_task_self(), &ma, vm_page_size, VM_FLAGS_ANYWHERE | VM_FLAGS_NOT_USER),
		  KERN_INVALID_ARGUMENT);
	EXPECT_KR(mach_vm_deallocate(mach_task_self(), ma, 2 * vm_page_size), KERN_SUCCESS);
	EXPECT_KR(mach_vm_deallocate(mach_task_self(), (mach_vm_address_t)-vm_page_size, 2 * vm_page_size),
		  KERN_INVALID_ARGUMENT);
	EXPECT_KR(mach_vm_deallocate(BOGUS_NAME, ma, vm_page_size), MACH_SEND_INVALID_DEST);
}

/* Three pages with a hole in the middle: [lo, lo+page) and [lo+2page, lo+3page). */
static mach_vm_address_t holed_region(void)
{
	mach_vm_address_t lo = 0;
	EXPECT_KR(mach_vm_allocate(mach_task_self(), &lo, 3 * vm_page_size, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	EXPECT_KR(mach_vm_deallocate(mach_task_self(), lo + vm_page_size, vm_page_size), KERN_SUCCESS);
	return lo;
}

static void free_holed_region(mach_vm_address_t lo)
{
	EXPECT_KR(mach_vm_deallocate(mach_task_self(), lo, 3 * vm_page_size), KERN_SUCCESS);
}

/*
 * XNU mach_vm_protect (vm_map_protect): read-only memory refuses a write
 * (mach_vm_write: KERN_PROTECTION_FAILURE) until made writable again; a
 * protection beyond VM_PROT_ALL is KERN_INVALID_ARGUMENT; a range over a
 * hole is KERN_INVALID_ADDRESS.
 */
static void test_mach_vm_protect(void)
{
	mach_vm_address_t lo = holed_region();
	static const char data[4] = "abc";
	EXPECT_KR(mach_vm_protect(mach_task_self(), lo, vm_page_size, FALSE, VM_PROT_READ), KERN_SUCCESS);
	EXPECT_KR(mach_vm_write(mach_task_self(), lo, (vm_offset_t)data, sizeof data), KERN_PROTECTION_FAILURE);
	EXPECT_KR(mach_vm_protect(mach_task_self(), lo, vm_page_size, FALSE, VM_PROT_READ | VM_PROT_WRITE),
		  KERN_SUCCESS);
	EXPECT_KR(mach_vm_write(mach_task_self(), lo, (vm_offset_t)data, sizeof data), KERN_SUCCESS);
	EXPECT(memcmp((const void *)(uintptr_t)lo, data, sizeof data) == 0);
	EXPECT_KR(mach_vm_protect(mach_task_self(), lo, vm_page_size, FALSE, 0x4000), KERN_INVALID_ARGUMENT);
	EXPECT_KR(mach_vm_protect(mach_task_self(), lo, 3 * vm_page_size, FALSE, VM_PROT_READ), KERN_INVALID_ADDRESS);
	EXPECT_KR(mach_vm_protect(BOGUS_NAME, lo, vm_page_size, FALSE, VM_PROT_READ), MACH_SEND_INVALID_DEST);
	free_holed_region(lo);
}

/*
 * XNU mach_vm_read (vm_map_copyin): a copy in new memory of the caller's,
 * freed with vm_deallocate; a range over a hole is KERN_INVALID_ADDRESS.
 */
static void test_mach_vm_read(void)
{
	mach_vm_address_t lo = holed_region();
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	memcpy((void *)(uintptr_t)(lo + 16), "read me", 8);
	EXPECT_KR(mach_vm_read(mach_task_self(), lo + 16, 8, &data, &count), KERN_SUCCESS);
	EXPECT(count == 8 && data != 0 && data != lo + 16 && memcmp((const void *)data, "read me", 8) == 0);
	if (data != 0)
		EXPECT_KR(vm_deallocate(mach_task_self(), data, count), KERN_SUCCESS);
	EXPECT_KR(mach_vm_read(mach_task_self(), lo, 2 * vm_page_size, &data, &count), KERN_INVALID_ADDRESS);
	EXPECT_KR(mach_vm_read(BOGUS_NAME, lo, 8, &data, &count), MACH_SEND_INVALID_DEST);
	free_holed_region(lo);
}

/* XNU mach_vm_write (vm_map_copy_overwrite): the bytes land at the
 * address; a destination over a hole is KERN_INVALID_ADDRESS. */
static void test_mach_vm_write(void)
{
	mach_vm_address_t lo = holed_region();
	static const char data[8] = "written";
	EXPECT_KR(mach_vm_write(mach_task_self(), lo + 100, (vm_offset_t)data, sizeof data), KERN_SUCCESS);
	EXPECT(memcmp((const void *)(uintptr_t)(lo + 100), data, sizeof data) == 0);
	EXPECT_KR(mach_vm_write(mach_task_self(), lo + vm_page_size - 4, (vm_offset_t)data, sizeof data),
		  KERN_INVALID_ADDRESS);
	EXPECT_KR(mach_vm_write(BOGUS_NAME, lo, (vm_offset_t)data, sizeof data), MACH_SEND_INVALID_DEST);
	free_holed_region(lo);
}

/* XNU mach_vm_copy (vm_map_copyin, then vm_map_copy_overwrite): a source
 * over a hole is KERN_INVALID_ADDRESS, as is a destination over one. */
static void test_mach_vm_copy(void)
{
	mach_vm_address_t lo = holed_region();
	memcpy((void *)(uintptr_t)lo, "copy", 5);
	EXPECT_KR(mach_vm_copy(mach_task_self(), lo, 5, lo + 2 * vm_page_size + 8), KERN_SUCCESS);
	EXPECT(memcmp((const void *)(uintptr_t)(lo + 2 * vm_page_size + 8), "copy", 5) == 0);
	EXPECT_KR(mach_vm_copy(mach_task_self(), lo + vm_page_size - 2, 5, lo + 2 * vm_page_size),
		  KERN_INVALID_ADDRESS);
	EXPECT_KR(mach_vm_copy(mach_task_self(), lo, 5, lo + vm_page_size + 8), KERN_INVALID_ADDRESS);
	EXPECT_KR(mach_vm_copy(BOGUS_NAME, lo, 5, lo + 2 * vm_page_size), MACH_SEND_INVALID_DEST);
	free_holed_region(lo);
}

/* libsyscall mach_init.c: vm_page_size (a power of two, with vm_page_mask
 * and vm_page_shift) and host_page_size, which answers the same. */
static void test_page_size(void)
{
	vm_size_t size = 0;
	mach_port_t host = mach_host_self(); /* MACH_PORT_NULL on machports: host_page_size ignores it */
	EXPECT(vm_page_size >= 4096 && (vm_page_size & (vm_page_size - 1)) == 0);
	EXPECT(vm_page_mask == vm_page_size - 1 && ((vm_size_t)1 << vm_page_shift) == vm_page_size);
	EXPECT_KR(host_page_size(host, &size), KERN_SUCCESS);
	EXPECT(size == vm_page_size);
	if (MACH_PORT_VALID(host))
		(void)mach_port_deallocate(mach_task_self(), host);
}

/* libsyscall mig_allocate.c / mig_deallocate.c: vm_allocate anywhere
 * (address 0 when it fails: a size that wraps), vm_deallocate. */
static void test_mig_allocate_deallocate(void)
{
	vm_address_t a = 0;
	mig_allocate(&a, 2 * vm_page_size);
	EXPECT(a != 0 && *(volatile char *)a == 0);
	*(volatile char *)a = 1;
	mig_deallocate(a, 2 * vm_page_size);
	a = 1;
	mig_allocate(&a, (vm_size_t)-1);
	EXPECT(a == 0);
}

/* libsyscall mig_strncpy.c: at most len - 1 bytes and a NUL; the count
 * includes the NUL when the source ended, else it is len; len <= 0 writes
 * nothing. The zerofill form zeroes the rest, and takes a NULL source as
 * empty (returning 0). */
static void test_mig_strncpy(void)
{
	char buf[8];
	memset(buf, 'x', sizeof buf);
	EXPECT(mig_strncpy(buf, "abc", sizeof buf) == 4 && strcmp(buf, "abc") == 0 && buf[4] == 'x');
	EXPECT(mig_strncpy(buf, "abcdefghij", sizeof buf) == 8 && strcmp(buf, "abcdefg") == 0);
	buf[0] = 'q';
	EXPECT(mig_strncpy(buf, "abc", 0) == 0 && buf[0] == 'q');
	memset(buf, 'x', sizeof buf);
	EXPECT(mig_strncpy_zerofill(buf, "ab", sizeof buf) == 3 && strcmp(buf, "ab") == 0 && buf[7] == 0 &&
	       buf[3] == 0);
	EXPECT(mig_strncpy_zerofill(buf, "abcdefghij", sizeof buf) == 8 && strcmp(buf, "abcdefg") == 0);
	memset(buf, 'x', sizeof buf);
	EXPECT(mig_strncpy_zerofill(buf, NULL, sizeof buf) == 0 && buf[0] == 0 && buf[7] == 0);
	EXPECT(mig_strncpy_zerofill(NULL, "ab", sizeof buf) == 0);
}

/* ---- task ---------------------------------------------------------------- */

/* libsyscall mach_init.c: mach_task_self() is mach_task_self_, a send right
 * to the task; mach_task_is_self says whether a name is it. */
static void test_mach_task_self(void)
{
	mach_port_t p = new_receive();
	EXPECT(mach_task_self() == mach_task_self_ && MACH_PORT_VALID(mach_task_self()));
	EXPECT((ex_type_of(mach_task_self()) & MACH_PORT_TYPE_SEND) != 0);
	EXPECT(mach_task_is_self(mach_task_self()));
	EXPECT(!mach_task_is_self(p));
	EXPECT(!mach_task_is_self(MACH_PORT_NULL));
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
#ifndef __APPLE__
	/* machports has no host or thread ports (src/misc.c): MACH_PORT_NULL,
	 * where Darwin gives send rights. Called, not compared. */
	(void)mach_host_self();
	(void)mach_thread_self();
#endif
}

/*
 * XNU task_get_special_port_internal / task_set_special_port_internal
 * (ipc_tt.c): TASK_BOOTSTRAP_PORT is the bootstrap port (a send right, one
 * more uref under bootstrap_port's name); a set one is read back; an
 * unknown selector is KERN_INVALID_ARGUMENT; a name that is no task port
 * MACH_SEND_INVALID_DEST.
 */
static void test_task_special_port(void)
{
	mach_port_t bp = MACH_PORT_NULL, p, got = MACH_PORT_NULL;
	ex_begin();
	EXPECT_KR(task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &bp), KERN_SUCCESS);
	EXPECT(bp == bootstrap_port);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), bp), KERN_SUCCESS);
	EXPECT_KR(task_get_special_port(mach_task_self(), 0x77, &got), KERN_INVALID_ARGUMENT);
	EXPECT_KR(task_get_special_port(BOGUS_NAME, TASK_BOOTSTRAP_PORT, &got), MACH_SEND_INVALID_DEST);

	p = new_receive();
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	EXPECT_KR(task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, p), KERN_SUCCESS);
	EXPECT_KR(task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &got), KERN_SUCCESS);
	EXPECT(got == p);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), got), KERN_SUCCESS);
	EXPECT_KR(task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, bootstrap_port), KERN_SUCCESS);
	EXPECT_KR(task_set_special_port(mach_task_self(), 0x77, p), KERN_INVALID_ARGUMENT);
	EXPECT_KR(task_set_special_port(BOGUS_NAME, TASK_BOOTSTRAP_PORT, p), MACH_SEND_INVALID_DEST);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	EXPECT_KR(task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &bp), KERN_SUCCESS);
	EXPECT(bp == bootstrap_port);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), bp), KERN_SUCCESS);
	ex_end_no_leak();
}

/* ---- bootstrap ----------------------------------------------------------- */

static void service_name(name_t out, const char *what)
{
	snprintf(out, sizeof(name_t), "org.machports.functions.%s.%ld", what, (long)getpid());
}

/*
 * launchd job_mig_check_in / job_mig_look_up2 (see src/bootstrap.c): a
 * check-in gives the receive right of a new service; a look-up a send
 * right to it (under the same name, in the same task); checking in an
 * active name is BOOTSTRAP_SERVICE_ACTIVE; an unknown name
 * BOOTSTRAP_UNKNOWN_SERVICE; a bootstrap name that is no send right
 * MACH_SEND_INVALID_DEST (the MIG request's send).
 */
static void test_bootstrap_check_in_look_up(void)
{
	name_t name, unknown;
	mach_port_t service = MACH_PORT_NULL, found = MACH_PORT_NULL, again = MACH_PORT_NULL;
	ex_begin();
	service_name(name, "checkin");
	service_name(unknown, "never");
	EXPECT_KR(bootstrap_check_in(bootstrap_port, name, &service), KERN_SUCCESS);
	EXPECT(ex_type_of(service) == MACH_PORT_TYPE_RECEIVE);
	EXPECT_KR(bootstrap_look_up(bootstrap_port, name, &found), KERN_SUCCESS);
	EXPECT(found == service && ex_type_of(service) == (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND));
	EXPECT_KR(bootstrap_check_in(bootstrap_port, name, &again), BOOTSTRAP_SERVICE_ACTIVE);
	EXPECT_KR(bootstrap_look_up(bootstrap_port, unknown, &again), BOOTSTRAP_UNKNOWN_SERVICE);
	EXPECT_KR(bootstrap_look_up(MACH_PORT_NULL, name, &again), MACH_SEND_INVALID_DEST);
	EXPECT_KR(bootstrap_check_in(MACH_PORT_NULL, unknown, &again), MACH_SEND_INVALID_DEST);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), found), KERN_SUCCESS);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), service, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	ex_end_no_leak();
}

/* Deprecated in the SDK (macOS 10.5), still exported by libxpc. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
/* launchd job_mig_register2: a send right registered under a name is what
 * a look-up finds; a name that is no send right fails the request's copy
 * (MACH_SEND_INVALID_RIGHT); the service goes with its port. */
static void test_bootstrap_register(void)
{
	name_t name;
	mach_port_t p, found = MACH_PORT_NULL;
	ex_begin();
	service_name(name, "register");
	p = new_receive();
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	EXPECT_KR(bootstrap_register(bootstrap_port, name, p), KERN_SUCCESS);
	EXPECT_KR(bootstrap_look_up(bootstrap_port, name, &found), KERN_SUCCESS);
	EXPECT(found == p);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), found), KERN_SUCCESS);
	EXPECT_KR(bootstrap_register(MACH_PORT_NULL, name, p), MACH_SEND_INVALID_DEST);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	EXPECT_KR(bootstrap_look_up(bootstrap_port, name, &found), BOOTSTRAP_UNKNOWN_SERVICE);
	ex_end_no_leak();
}
#pragma GCC diagnostic pop

/* launchd libbootstrap.c bootstrap_strerror: its own strings for its codes,
 * mach_error_string's for the rest. */
static void test_bootstrap_strerror(void)
{
	EXPECT(strcmp(bootstrap_strerror(BOOTSTRAP_SUCCESS), "Success") == 0);
	EXPECT(strcmp(bootstrap_strerror(BOOTSTRAP_UNKNOWN_SERVICE), "Unknown service name") == 0);
	EXPECT(strcmp(bootstrap_strerror(BOOTSTRAP_SERVICE_ACTIVE), "Service name already exists") == 0);
	EXPECT(strcmp(bootstrap_strerror(KERN_INVALID_NAME), mach_error_string(KERN_INVALID_NAME)) == 0);
}

/* ---- errors -------------------------------------------------------------- */

/* libsyscall mach_error_string.c (err_kern.sub, err_mach_ipc.sub): the
 * text and subsystem of a code; a code past its subsystem's table is
 * "unknown error code". mach_error prints to stderr. */
static void test_mach_error(void)
{
	EXPECT(strcmp(mach_error_string(KERN_SUCCESS), "(os/kern) successful") == 0);
	EXPECT(strcmp(mach_error_string(KERN_INVALID_NAME), "(os/kern) invalid name") == 0);
	EXPECT(strcmp(mach_error_string(MACH_SEND_INVALID_DEST), "(ipc/send) invalid destination port") == 0);
	EXPECT(strcmp(mach_error_string(0x3000), "unknown error code") == 0);
	EXPECT(strcmp(mach_error_type(KERN_INVALID_NAME), "(os/kern)") == 0);
	EXPECT(strcmp(mach_error_type(MACH_SEND_INVALID_DEST), "(ipc/send)") == 0);
	mach_error("functions_misc: mach_error says", KERN_INVALID_NAME);
}

int main(void)
{
	ex_case("vm_allocate, vm_deallocate, mach_vm_allocate, mach_vm_deallocate", test_vm_allocate_deallocate);
	ex_case("mach_vm_protect", test_mach_vm_protect);
	ex_case("mach_vm_read", test_mach_vm_read);
	ex_case("mach_vm_write", test_mach_vm_write);
	ex_case("mach_vm_copy", test_mach_vm_copy);
	ex_case("vm_page_size, host_page_size", test_page_size);
	ex_case("mig_allocate, mig_deallocate", test_mig_allocate_deallocate);
	ex_case("mig_strncpy, mig_strncpy_zerofill", test_mig_strncpy);
	ex_case("mach_task_self, mach_task_is_self", test_mach_task_self);
	ex_case("task_get_special_port, task_set_special_port", test_task_special_port);
	ex_case("bootstrap_check_in, bootstrap_look_up", test_bootstrap_check_in_look_up);
	ex_case("bootstrap_register", test_bootstrap_register);
	ex_case("bootstrap_strerror", test_bootstrap_strerror);
	ex_case("mach_error_string, mach_error_type, mach_error", test_mach_error);
	return ex_summary();
}
