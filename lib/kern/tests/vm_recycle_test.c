/*
 * lib/kern/tests/vm_recycle_test.c: mp_kern_space_set_vm_recycle (the
 * server-fuzz harness's mapping reuse). What a recycling space receives is
 * still a fresh region it owns and must deallocate (XNU's vm_map_copyout:
 * a new allocation, zero-filled but for the data), counted exactly in
 * mp_kern_vm_usage and the kernel's stats; a whole deallocated region
 * comes back as a later region of its size; a space that does not recycle
 * unmaps as before.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#include <cmocka.h>
#include <string.h>

#include "lib/kern/kern.h"
#include "machports/msg.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(TEST_ASAN)
#define TEST_ASAN 1
#endif
#ifdef TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

#define PG 4096u

typedef struct pair {
	mp_kern_t *k;
	mp_kspace_t *a;
	mp_port_name_t port; /* receive right in a, and a's send right to it */
} pair_t;

static void pair_make(pair_t *p)
{
	p->k = mp_kern_create();
	assert_non_null(p->k);
	assert_int_equal(mp_kern_space_create(p->k, NULL, &p->a), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_allocate(p->a, MP_PORT_RIGHT_RECEIVE, &p->port), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_insert_right(p->a, p->port, p->a, p->port, MP_MSG_TYPE_MAKE_SEND),
			 MP_KERN_SUCCESS);
}

static void pair_free(pair_t *p)
{
	char why[256];
	mp_kern_stats_t st;

	assert_int_equal(mp_kern_check(p->k, why, sizeof why), 0);
	mp_kern_space_destroy(p->a);
	mp_kern_get_stats(p->k, &st);
	assert_int_equal(st.ports + st.kmsgs + st.vm_regions, 0);
	assert_int_equal(st.vm_bytes, 0);
	mp_kern_destroy(p->k);
}

/* Sends `len` bytes of `src` out of line to the space's own port and
 * receives them: the received region's address. */
static uint64_t ool_round_trip(pair_t *p, const uint8_t *src, uint32_t len)
{
	uint8_t buf[256];
	mp_builder_t b;
	mp_desc_t d;
	size_t n;

	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, p->port, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_ool(&b, (uint64_t)(uintptr_t)src, len, MP_MSG_PHYSICAL_COPY, 0);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	assert_int_equal(mp_kern_msg(p->a, buf, MP_MACH_SEND_MSG, (uint32_t)n, 0, 0, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_kern_msg(p->a, buf, MP_MACH_RCV_MSG, 0, sizeof buf, p->port, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_desc_decode(buf, sizeof buf, MP_MSG_BASE_SIZE, &d), 1);
	assert_int_equal(d.type, MP_MSG_OOL_DESCRIPTOR);
	assert_int_equal(d.length, len);
	return d.address;
}

static void usage_is(mp_kspace_t *s, uint32_t regions, uint64_t bytes)
{
	uint32_t r = 0;
	uint64_t b = 0;

	mp_kern_vm_usage(s, &r, &b);
	assert_int_equal(r, regions);
	assert_int_equal(b, bytes);
}

static int mapped(uint64_t addr)
{
	return msync((void *)(uintptr_t)(addr & ~(uint64_t)(PG - 1)), PG, MS_ASYNC) == 0;
}

/* A recycled region is a fresh one: the same size comes back at the
 * deallocated address, with the new data and zeros elsewhere, and the
 * space's usage counts it exactly. */
static void recycled_region_is_fresh(void **state)
{
	static uint8_t first[3 * PG], second[2 * PG + 100];
	pair_t p;
	uint64_t a1, a2;
	mp_kern_stats_t st;
	(void)state;

	pair_make(&p);
	assert_int_equal(mp_kern_space_set_vm_recycle(p.a, 1), MP_KERN_SUCCESS);
	memset(first, 0xa5, sizeof first);
	for (size_t i = 0; i < sizeof second; i++)
		second[i] = (uint8_t)(i * 7 + 1);

	a1 = ool_round_trip(&p, first, sizeof first);
	usage_is(p.a, 1, 3 * PG);
	assert_int_equal(mp_kern_vm_deallocate(p.a, a1, sizeof first), MP_KERN_SUCCESS);
	usage_is(p.a, 0, 0);
#ifdef TEST_ASAN
	/* a read after vm_deallocate is still reported under ASan */
	assert_true(__asan_address_is_poisoned((const void *)(uintptr_t)a1));
	assert_true(__asan_address_is_poisoned((const void *)(uintptr_t)(a1 + 3 * PG - 1)));
#endif
	mp_kern_get_stats(p.k, &st);
	assert_int_equal(st.vm_regions, 0); /* the bin is no one's */
	assert_int_equal(st.vm_bytes, 0);

	a2 = ool_round_trip(&p, second, sizeof second); /* 3 pages again */
	assert_int_equal(a2, a1);
	usage_is(p.a, 1, 3 * PG);
#ifdef TEST_ASAN
	assert_false(__asan_address_is_poisoned((const void *)(uintptr_t)(a2 + 3 * PG - 1)));
#endif
	assert_memory_equal((const void *)(uintptr_t)a2, second, sizeof second);
	for (uint64_t i = sizeof second; i < 3 * PG; i++)
		assert_int_equal(((const uint8_t *)(uintptr_t)a2)[i], 0); /* none of `first` left */
	assert_int_equal(mp_kern_vm_deallocate(p.a, a2, sizeof second), MP_KERN_SUCCESS);
	usage_is(p.a, 0, 0);
	pair_free(&p);
}

/* vm_allocate in a recycling space: zero-filled, whatever the bin held. */
static void recycled_allocation_is_zero_filled(void **state)
{
	pair_t p;
	uint64_t a = 0, b = 0;
	(void)state;

	pair_make(&p);
	assert_int_equal(mp_kern_space_set_vm_recycle(p.a, 1), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_vm_allocate(p.a, &a, 2 * PG), MP_KERN_SUCCESS);
	memset((void *)(uintptr_t)a, 0xff, 2 * PG);
	assert_int_equal(mp_kern_vm_deallocate(p.a, a, 2 * PG), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_vm_allocate(p.a, &b, 2 * PG), MP_KERN_SUCCESS);
	assert_int_equal(b, a);
	for (uint64_t i = 0; i < 2 * PG; i++)
		assert_int_equal(((const uint8_t *)(uintptr_t)b)[i], 0);
	usage_is(p.a, 1, 2 * PG);
	/* a partial deallocate is vm_deallocate's usual cut (the page goes) */
	assert_int_equal(mp_kern_vm_deallocate(p.a, b + PG, PG), MP_KERN_SUCCESS);
	usage_is(p.a, 1, PG);
	assert_false(mapped(b + PG));
	assert_int_equal(mp_kern_vm_deallocate(p.a, b, PG), MP_KERN_SUCCESS);
	usage_is(p.a, 0, 0);
	pair_free(&p);
}

/* Off (the default): a deallocated region is unmapped at once. Regions
 * larger than the bin's largest size are always unmapped. */
static void without_recycle_memory_is_unmapped(void **state)
{
	static uint8_t data[PG];
	static uint8_t big[(MP_KERN_VM_RECYCLE_PAGES + 1) * PG];
	pair_t p;
	uint64_t a;
	(void)state;

	pair_make(&p);
	a = ool_round_trip(&p, data, sizeof data);
	assert_int_equal(mp_kern_vm_deallocate(p.a, a, sizeof data), MP_KERN_SUCCESS);
	assert_false(mapped(a));
	assert_int_equal(errno, ENOMEM);

	assert_int_equal(mp_kern_space_set_vm_recycle(p.a, 1), MP_KERN_SUCCESS);
	a = ool_round_trip(&p, big, sizeof big);
	usage_is(p.a, 1, sizeof big);
	assert_int_equal(mp_kern_vm_deallocate(p.a, a, sizeof big), MP_KERN_SUCCESS);
	usage_is(p.a, 0, 0);
	assert_false(mapped(a));
	pair_free(&p);
}

/* The knob's arguments: 0 or 1; a space with VM ops (machportd's tasks)
 * refuses it with a named code. */
static int no_copyin(void *ctx, uint64_t addr, void *dst, uint64_t len)
{
	(void)ctx;
	(void)addr;
	(void)dst;
	(void)len;
	return -1;
}

static int no_map(void *ctx, const void *data, uint64_t len, uint64_t off, uint64_t *addr)
{
	(void)ctx;
	(void)data;
	(void)len;
	(void)off;
	(void)addr;
	return -1;
}

static void no_dealloc(void *ctx, uint64_t addr, uint64_t len)
{
	(void)ctx;
	(void)addr;
	(void)len;
}

static void recycle_arguments(void **state)
{
	static const mp_kern_vm_ops_t ops = { no_copyin, no_map, no_dealloc };
	pair_t p;
	mp_kspace_t *remote;
	(void)state;

	pair_make(&p);
	assert_int_equal(mp_kern_space_set_vm_recycle(p.a, 2), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_kern_space_set_vm_recycle(p.a, 0), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_space_create(p.k, NULL, &remote), MP_KERN_SUCCESS);
	mp_kern_space_set_vm(remote, &ops, NULL);
	assert_int_equal(mp_kern_space_set_vm_recycle(remote, 1), MP_KERN_NOT_SUPPORTED);
	mp_kern_space_destroy(remote);
	pair_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recycled_region_is_fresh),
		cmocka_unit_test(recycled_allocation_is_zero_filled),
		cmocka_unit_test(without_recycle_memory_is_unmapped),
		cmocka_unit_test(recycle_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
