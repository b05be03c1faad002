/*
 * lib/machportd/tests/client_vm_test.c: the client-memory boundary. The VM
 * ops serve exactly the regions of the request (the descriptors the OOL
 * table names, at their addresses, with their sizes), and only for the
 * call in progress on this thread: any other address, a range crossing a
 * region's end, an overflowing one, another space or no call is refused.
 * Regions given to the caller are laid out on pages of their own; memfds
 * are sealed, and a request's memfd must be.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/machportd/client_vm.h"
#include "machports/le.h"

#define ADDR_A 0x10000ull /* descriptor 1's region: 100 bytes */
#define ADDR_B 0x7fff0000ull /* descriptor 3's region: 16 names (64 bytes) */

static int space_a, space_b; /* two spaces' contexts */

/* A complex message: a port descriptor, an OOL region at ADDR_A, another
 * port, an OOL_PORTS array at ADDR_B. */
static uint32_t make_msg(uint8_t *m)
{
	uint32_t off = MP_MSG_BASE_SIZE;
	memset(m, 0, 256);
	mp_store_le32(m + MP_MSGH_BITS_OFFSET, MP_MSGH_BITS_COMPLEX | 0x13);
	mp_store_le32(m + MP_MSG_DESC_COUNT_OFFSET, 4);
	m[off + 11] = MP_MSG_PORT_DESCRIPTOR;
	off += MP_PORT_DESC_SIZE;
	mp_store_le64(m + off, ADDR_A);
	m[off + 11] = MP_MSG_OOL_DESCRIPTOR;
	mp_store_le32(m + off + 12, 100);
	off += MP_WIDE_DESC_SIZE;
	m[off + 11] = MP_MSG_PORT_DESCRIPTOR;
	off += MP_PORT_DESC_SIZE;
	mp_store_le64(m + off, ADDR_B);
	m[off + 11] = MP_MSG_OOL_PORTS_DESCRIPTOR;
	mp_store_le32(m + off + 12, 16);
	off += MP_WIDE_DESC_SIZE;
	mp_store_le32(m + MP_MSGH_SIZE_OFFSET, off);
	return off;
}

/* The request's OOL table: {desc_index, size} entries. */
static void table(uint8_t *t, const uint32_t (*e)[2], uint32_t n, mpd_msg_args_t *m)
{
	for (uint32_t i = 0; i < n; i++) {
		mp_store_le32(t + 8 * i, e[i][0]);
		mp_store_le32(t + 8 * i + 4, e[i][1]);
	}
	memset(m, 0, sizeof *m);
	m->nool = n;
	m->ool_table = t;
}

static void windows_of_the_request(void **state)
{
	static const uint32_t both[2][2] = { { 1, 100 }, { 3, 64 } };
	uint8_t msg[256], t[16], in[164], got[100];
	mpd_msg_args_t m;
	mpd_call_vm_t call;
	mpd_diag_t d;
	uint32_t len = make_msg(msg);
	(void)state;

	for (int i = 0; i < (int)sizeof in; i++)
		in[i] = (uint8_t)i;
	memset(&call, 0, sizeof call);
	table(t, both, 2, &m);
	assert_int_equal(mpd_call_vm_windows(&call, msg, len, &m, in, &d), MPD_OK);
	assert_int_equal(call.nwin, 2);
	assert_true(call.win[0].addr == ADDR_A && call.win[0].size == 100 && call.win[0].off == 0);
	assert_true(call.win[1].addr == ADDR_B && call.win[1].size == 64 && call.win[1].off == 100);

	mpd_call_vm_enter(&call, &space_a);
	/* inside a region: its bytes, from where the request put them */
	assert_int_equal(mpd_client_vm_ops.copyin(&space_a, ADDR_A, got, 100), 0);
	assert_memory_equal(got, in, 100);
	assert_int_equal(mpd_client_vm_ops.copyin(&space_a, ADDR_B + 60, got, 4), 0);
	assert_memory_equal(got, in + 160, 4);
	assert_int_equal(mpd_client_vm_ops.copyin(&space_a, 0x1234, got, 0), 0); /* nothing to read */
	/* every other address is unreadable */
	assert_int_equal(mpd_client_vm_ops.copyin(&space_a, ADDR_A - 1, got, 1), -1);
	assert_int_equal(mpd_client_vm_ops.copyin(&space_a, ADDR_A + 100, got, 1), -1);
	assert_int_equal(mpd_client_vm_ops.copyin(&space_a, ADDR_A + 1, got, 100), -1); /* crosses the end */
	assert_int_equal(mpd_client_vm_ops.copyin(&space_a, ADDR_B, got, 65), -1);
	assert_int_equal(mpd_client_vm_ops.copyin(&space_a, ADDR_A + 50, got, UINT64_MAX), -1);
	assert_int_equal(mpd_client_vm_ops.copyin(&space_a, UINT64_MAX, got, 2), -1); /* overflows */
	assert_int_equal(mpd_client_vm_ops.copyin(&space_a, (uint64_t)(uintptr_t)got, got, 1), -1); /* the daemon's own */
	/* another space, or no call in progress */
	assert_int_equal(mpd_client_vm_ops.copyin(&space_b, ADDR_A, got, 1), -1);
	mpd_call_vm_leave();
	assert_int_equal(mpd_client_vm_ops.copyin(&space_a, ADDR_A, got, 1), -1);
}

static void table_must_name_the_regions(void **state)
{
	static const uint32_t port[1][2] = { { 0, 4 } };      /* a port descriptor */
	static const uint32_t size[1][2] = { { 1, 99 } };     /* the wrong size */
	static const uint32_t ports[1][2] = { { 3, 16 } };    /* OOL_PORTS: count x 4 bytes */
	static const uint32_t beyond[1][2] = { { 4, 8 } };    /* no such descriptor */
	static const uint32_t second[1][2] = { { 3, 64 } };   /* only the second region */
	uint8_t msg[256], t[8], in[100];
	mpd_msg_args_t m;
	mpd_call_vm_t call;
	mpd_diag_t d;
	uint32_t len = make_msg(msg);
	(void)state;

	memset(&call, 0, sizeof call);
	memset(in, 0, sizeof in);
	table(t, port, 1, &m);
	assert_int_equal(mpd_call_vm_windows(&call, msg, len, &m, in, &d), MPD_E_OOL_TABLE);
	assert_int_equal(d.offset, MPD_HEADER_SIZE + MPD_MSG_ARGS);
	table(t, size, 1, &m);
	assert_int_equal(mpd_call_vm_windows(&call, msg, len, &m, in, &d), MPD_E_OOL_TABLE);
	table(t, ports, 1, &m);
	assert_int_equal(mpd_call_vm_windows(&call, msg, len, &m, in, &d), MPD_E_OOL_TABLE);
	table(t, beyond, 1, &m);
	assert_int_equal(mpd_call_vm_windows(&call, msg, len, &m, in, &d), MPD_E_OOL_TABLE);
	/* a message cut short: the walk stops at the descriptor that does not fit */
	table(t, second, 1, &m);
	assert_int_equal(mpd_call_vm_windows(&call, msg, len - 1, &m, in, &d), MPD_E_OOL_TABLE);
	assert_int_equal(mpd_call_vm_windows(&call, msg, len, &m, in, &d), MPD_OK);
	assert_int_equal(call.nwin, 1);
	assert_true(call.win[0].addr == ADDR_B && call.win[0].off == 0);
	/* no message (a receive): no region */
	assert_int_equal(mpd_call_vm_windows(&call, msg, 0, &m, in, &d), MPD_E_OOL_TABLE);
}

static void regions_given_to_the_caller(void **state)
{
	static const uint8_t data[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	mpd_call_vm_t call;
	uint64_t a = 0, b = 0;
	(void)state;

	memset(&call, 0, sizeof call);
	/* refused without a call in progress, or for another space */
	assert_int_equal(mpd_client_vm_ops.map_copy(&space_a, data, 10, 0, &a), -1);
	mpd_call_vm_enter(&call, &space_a);
	assert_int_equal(mpd_client_vm_ops.map_copy(&space_b, data, 10, 0, &a), -1);
	/* each on pages of its own, at its page offset; the address is a token */
	assert_int_equal(mpd_client_vm_ops.map_copy(&space_a, data, 10, 16, &a), 0);
	assert_int_equal(mpd_client_vm_ops.map_copy(&space_a, NULL, 5000, 0, &b), 0);
	assert_int_equal(call.nmap, 2);
	assert_true(a == MPD_TOKEN_BASE + 16 && call.map[0].offset == 0 && call.map[0].page_off == 16);
	assert_true(b == MPD_TOKEN_BASE + MPD_PAGE && call.map[1].offset == MPD_PAGE && call.map[1].len == 5000);
	assert_memory_equal(call.out + 16, data, 10);
	assert_int_equal(call.out[MPD_PAGE + 4999], 0);
	assert_int_equal(call.out_len, MPD_PAGE + 5000);
	/* a page offset outside a page; more than a receive may be given */
	assert_int_equal(mpd_client_vm_ops.map_copy(&space_a, data, 10, MPD_PAGE, &a), -1);
	assert_int_equal(mpd_client_vm_ops.map_copy(&space_a, NULL, MPD_MAX_OUT_BYTES, 0, &a), -1);
	assert_int_equal(mpd_client_vm_ops.map_copy(&space_a, NULL, UINT64_MAX - 10, 0, &a), -1);
	assert_int_equal(call.nmap, 2);
	/* the sender's deallocated regions are listed, for this call only */
	mpd_client_vm_ops.deallocate(&space_a, ADDR_A, 100);
	mpd_client_vm_ops.deallocate(&space_b, ADDR_B, 64);
	assert_int_equal(call.ndealloc, 1);
	assert_true(call.dealloc[0].addr == ADDR_A && call.dealloc[0].len == 100);
	mpd_call_vm_leave();
	mpd_client_vm_ops.deallocate(&space_a, ADDR_B, 64);
	assert_int_equal(call.ndealloc, 1);
	mpd_call_vm_free(&call);
	assert_null(call.map);
	free(call.out);
}

static void memfds(void **state)
{
	static const uint8_t data[100] = { 42 };
	mpd_diag_t d;
	const uint8_t *p;
	int fd = mpd_make_memfd(data, sizeof data), plain;
	(void)state;

	/* the daemon's: sealed, so the client cannot shrink it */
	assert_true(fd >= 0);
	assert_true((fcntl(fd, F_GET_SEALS) & (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) ==
		    (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL));
	assert_int_not_equal(ftruncate(fd, 10), 0);
	/* a request's: sealed against shrinking and holding what the table promises */
	memset(&d, 0, sizeof d);
	p = mpd_map_request_fd(fd, sizeof data, &d);
	assert_non_null(p);
	assert_int_equal(p[0], 42);
	munmap((void *)p, sizeof data);
	assert_null(mpd_map_request_fd(fd, sizeof data + 1, &d));
	assert_int_equal(d.err, MPD_E_FDS);
	plain = memfd_create("unsealed", MFD_CLOEXEC);
	assert_true(plain >= 0);
	assert_int_equal(ftruncate(plain, 4096), 0);
	memset(&d, 0, sizeof d);
	assert_null(mpd_map_request_fd(plain, 100, &d));
	assert_int_equal(d.err, MPD_E_FDS);
	assert_true(strstr(d.reason, "F_SEAL_SHRINK") != NULL);
	close(plain);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(windows_of_the_request),
		cmocka_unit_test(table_must_name_the_regions),
		cmocka_unit_test(regions_given_to_the_caller),
		cmocka_unit_test(memfds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
