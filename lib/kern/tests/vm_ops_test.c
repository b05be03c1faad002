/*
 * lib/kern/tests/vm_ops_test.c: a space whose memory is elsewhere
 * (mp_kern_space_set_vm, for machportd). OOL memory it sends is read through
 * its copyin, memory it receives arrives through its map_copy, and its
 * deallocate flag goes to its deallocate: never to this process's memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "lib/kern/kern.h"
#include "machports/msg.h"

/* A pretend address space: 64 KiB at FAKE_BASE. */
#define FAKE_BASE 0x7000000000ull
typedef struct fake {
	uint8_t mem[65536];
	uint64_t next; /* next map_copy address */
	int copyins, maps, deallocs;
	uint64_t last_dealloc, last_dealloc_len;
} fake_t;

static int fake_copyin(void *ctx, uint64_t addr, void *dst, uint64_t len)
{
	fake_t *f = ctx;
	f->copyins++;
	if (addr < FAKE_BASE || addr - FAKE_BASE > sizeof f->mem || len > sizeof f->mem - (addr - FAKE_BASE))
		return -1;
	memcpy(dst, f->mem + (addr - FAKE_BASE), len);
	return 0;
}

static int fake_map_copy(void *ctx, const void *data, uint64_t len, uint64_t page_off, uint64_t *addr)
{
	fake_t *f = ctx;
	uint64_t at = f->next + page_off;
	f->maps++;
	if (at - FAKE_BASE + len > sizeof f->mem)
		return -1;
	if (data)
		memcpy(f->mem + (at - FAKE_BASE), data, len);
	else
		memset(f->mem + (at - FAKE_BASE), 0, len);
	*addr = at;
	f->next = (at + len + 4095) & ~4095ull;
	return 0;
}

static void fake_deallocate(void *ctx, uint64_t addr, uint64_t len)
{
	fake_t *f = ctx;
	f->deallocs++;
	f->last_dealloc = addr;
	f->last_dealloc_len = len;
}

static const mp_kern_vm_ops_t fake_ops = { fake_copyin, fake_map_copy, fake_deallocate };

/* The first descriptor of a received message, read by lib/msg's one reader. */
static mp_desc_t first_desc(const uint8_t *buf, size_t len)
{
	mp_desc_t d;

	assert_int_equal(mp_desc_decode(buf, len, MP_MSG_BASE_SIZE, &d), 1);
	assert_int_equal(d.type, MP_MSG_OOL_DESCRIPTOR);
	return d;
}

static void remote_memory_both_ways(void **state)
{
	static fake_t f;
	mp_kern_t *k = mp_kern_create();
	mp_kspace_t *remote, *local;
	mp_port_name_t pr, pl, to_local, to_remote;
	uint32_t type;
	uint8_t buf[256];
	mp_builder_t b;
	size_t n;
	char why[256];
	uint8_t local_src[300];
	(void)state;

	memset(&f, 0, sizeof f);
	f.next = FAKE_BASE + 32768;
	for (size_t i = 0; i < 1000; i++)
		f.mem[8 + i] = (uint8_t)(i * 3);
	assert_non_null(k);
	assert_int_equal(mp_kern_space_create(k, NULL, &remote), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_space_create(k, NULL, &local), MP_KERN_SUCCESS);
	mp_kern_space_set_vm(remote, &fake_ops, &f);
	assert_int_equal(mp_kern_port_allocate(remote, MP_PORT_RIGHT_RECEIVE, &pr), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_allocate(local, MP_PORT_RIGHT_RECEIVE, &pl), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_extract_right(local, pl, MP_MSG_TYPE_MAKE_SEND, remote, &to_local, &type),
			 MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_extract_right(remote, pr, MP_MSG_TYPE_MAKE_SEND, local, &to_remote, &type),
			 MP_KERN_SUCCESS);

	/* remote -> local: read through copyin; deallocate goes to the ops */
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, to_local, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_ool(&b, FAKE_BASE + 8, 1000, MP_MSG_PHYSICAL_COPY, 1);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	assert_int_equal(mp_kern_msg(remote, buf, MP_MACH_SEND_MSG, (uint32_t)n, 0, 0, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(f.copyins, 1);
	assert_int_equal(f.deallocs, 1);
	assert_int_equal(f.last_dealloc, FAKE_BASE + 8);
	assert_int_equal(f.last_dealloc_len, 1000);
	assert_int_equal(mp_kern_msg(local, buf, MP_MACH_RCV_MSG, 0, sizeof buf, pl, 0), MP_MACH_MSG_SUCCESS);
	{
		mp_desc_t d = first_desc(buf, sizeof buf);
		const uint8_t *got = (const uint8_t *)(uintptr_t)d.address;
		assert_int_equal(d.length, 1000);
		for (size_t i = 0; i < 1000; i++)
			assert_int_equal(got[i], (uint8_t)(i * 3));
		assert_int_equal(mp_kern_vm_deallocate(local, d.address, 1000), MP_KERN_SUCCESS);
	}

	/* an address the remote space does not have: MACH_SEND_INVALID_MEMORY,
	 * and this process's memory at that address is never read */
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, to_local, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_ool(&b, (uint64_t)(uintptr_t)local_src, 100, MP_MSG_VIRTUAL_COPY, 0);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	assert_int_equal(mp_kern_msg(remote, buf, MP_MACH_SEND_MSG, (uint32_t)n, 0, 0, 0),
			 MP_MACH_SEND_INVALID_MEMORY);

	/* local -> remote: the region arrives through map_copy at its address */
	for (size_t i = 0; i < sizeof local_src; i++)
		local_src[i] = (uint8_t)(255 - i);
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, to_remote, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_ool(&b, (uint64_t)(uintptr_t)local_src, 300, MP_MSG_PHYSICAL_COPY, 0);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	assert_int_equal(mp_kern_msg(local, buf, MP_MACH_SEND_MSG, (uint32_t)n, 0, 0, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_kern_msg(remote, buf, MP_MACH_RCV_MSG, 0, sizeof buf, pr, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(f.maps, 1);
	{
		uint64_t at = first_desc(buf, sizeof buf).address;
		assert_true(at >= FAKE_BASE + 32768);
		assert_int_equal(f.mem[at - FAKE_BASE], 255);
		assert_int_equal(f.mem[at - FAKE_BASE + 299], (uint8_t)(255 - 299));
	}
	/* vm_allocate in the remote space goes to map_copy with no data */
	{
		uint64_t a = 0;
		assert_int_equal(mp_kern_vm_allocate(remote, &a, 64), MP_KERN_SUCCESS);
		assert_int_equal(f.maps, 2);
	}
	assert_int_equal(mp_kern_check(k, why, sizeof why), 0);
	mp_kern_space_destroy(remote);
	mp_kern_space_destroy(local);
	{
		mp_kern_stats_t st;
		mp_kern_get_stats(k, &st);
		assert_int_equal(st.ports + st.kmsgs + st.vm_regions, 0);
	}
	mp_kern_destroy(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(remote_memory_both_ways),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
