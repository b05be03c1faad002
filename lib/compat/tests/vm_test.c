/*
 * lib/compat/tests/vm_test.c: vm_allocate / vm_deallocate and the mach_vm_*
 * calls (lib/compat/src/vm.c), with XNU's return codes (osfmk/vm/vm_user.c,
 * vm_kern.c, vm_map.c; libsyscall mach/mach_vm.c), and the page-size
 * globals.
 */
#include "lib/compat/tests/port_vm_support.h"

#define PAGE ((mach_vm_size_t)vm_page_size)

/* `pages` pages of the current task's, filled with `fill`. */
static mach_vm_address_t pages_of(unsigned pages, int fill)
{
	mach_vm_address_t a = 0;

	assert_int_equal(mach_vm_allocate(mach_task_self(), &a, pages * PAGE, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	memset((void *)(uintptr_t)a, fill, pages * PAGE);
	return a;
}

static void release(mach_vm_address_t a, unsigned pages)
{
	assert_int_equal(mach_vm_deallocate(mach_task_self(), a, pages * PAGE), KERN_SUCCESS);
}

/* vm_page_size / _mask / _shift (libsyscall mach_init.c) and host_page_size:
 * the system's page size. */
static void page_size_globals(void **state)
{
	vm_size_t ps = 0;
	(void)state;

	assert_int_equal(vm_page_size, (vm_size_t)sysconf(_SC_PAGESIZE));
	assert_int_equal(vm_page_mask, vm_page_size - 1);
	assert_int_equal((vm_size_t)1 << vm_page_shift, vm_page_size);
	assert_int_equal(host_page_size(mach_host_self(), &ps), KERN_SUCCESS);
	assert_int_equal(ps, vm_page_size);
	assert_int_equal(host_page_size(mach_host_self(), NULL), KERN_MEMORY_ERROR);
	assert_int_equal(round_page(1), vm_page_size);
	assert_int_equal(trunc_page(vm_page_size + 1), vm_page_size);
}

/* mach_vm_allocate: zero-filled, page-aligned, writable memory of the
 * task's; mach_vm_deallocate unmaps it; vm_allocate / vm_deallocate are the
 * same calls (libsyscall). */
static void allocate_and_deallocate(void **state)
{
	mach_vm_address_t a = 0;
	vm_address_t v = 0;
	unsigned char *p;
	(void)state;

	assert_int_equal(mach_vm_allocate(mach_task_self(), &a, 3 * PAGE + 1, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	assert_int_not_equal(a, 0);
	assert_int_equal(a & vm_page_mask, 0);
	p = (unsigned char *)(uintptr_t)a;
	for (size_t i = 0; i < 4 * PAGE; i++)
		assert_int_equal(p[i], 0);
	p[4 * PAGE - 1] = 1; /* the rounded-up page is there */
	assert_int_equal(mach_vm_deallocate(mach_task_self(), a, 3 * PAGE + 1), KERN_SUCCESS);
	assert_false(cp_mapped(a));
	assert_false(cp_mapped(a + 3 * PAGE));
	assert_int_equal(vm_allocate(mach_task_self(), &v, 100, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	assert_true(cp_mapped(v));
	assert_int_equal(vm_deallocate(mach_task_self(), v, 100), KERN_SUCCESS);
	assert_false(cp_mapped(v));
}

/* vm_sanitize (VM_SANITIZE_FLAGS_SIZE_ZERO_SUCCEEDS): size 0 allocates
 * nothing, *address 0; deallocating 0 bytes succeeds; a size or range that
 * wraps is KERN_INVALID_ARGUMENT. */
static void sizes_zero_and_wrapping(void **state)
{
	mach_vm_address_t a = 0x1234;
	(void)state;

	assert_int_equal(mach_vm_allocate(mach_task_self(), &a, 0, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	assert_int_equal(a, 0);
	assert_int_equal(mach_vm_deallocate(mach_task_self(), 0x1000, 0), KERN_SUCCESS);
	a = 0;
	assert_int_equal(mach_vm_allocate(mach_task_self(), &a, UINT64_MAX - 10, VM_FLAGS_ANYWHERE),
			 KERN_INVALID_ARGUMENT);
	assert_int_equal(mach_vm_deallocate(mach_task_self(), UINT64_MAX - PAGE, 2 * PAGE), KERN_INVALID_ARGUMENT);
	/* vm_map_enter: no room for the range */
	a = 0x77;
	assert_int_equal(mach_vm_allocate(mach_task_self(), &a, (mach_vm_size_t)1 << 60, VM_FLAGS_ANYWHERE),
			 KERN_NO_SPACE);
	assert_int_equal(a, 0x77);
	assert_int_equal(mach_vm_allocate(mach_task_self(), NULL, PAGE, VM_FLAGS_ANYWHERE), KERN_MEMORY_ERROR);
}

/* mach_vm_allocate_external: a flag outside VM_FLAGS_USER_ALLOCATE is
 * KERN_INVALID_ARGUMENT; placement and memory kinds lib/port cannot give
 * (FIXED, OVERWRITE, PURGABLE, 4GB_CHUNK, RANDOM_ADDR, NO_CACHE, PERMANENT,
 * TPRO, superpages) are refused with KERN_NOT_SUPPORTED; a tag is
 * accepted (accounting only). */
static void allocate_flags(void **state)
{
	const int unsupported[] = {
		VM_FLAGS_FIXED,
		VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE,
		VM_FLAGS_ANYWHERE | VM_FLAGS_PURGABLE,
		VM_FLAGS_ANYWHERE | 0x4 /* 4GB_CHUNK */,
		VM_FLAGS_ANYWHERE | 0x8 /* RANDOM_ADDR */,
		VM_FLAGS_ANYWHERE | VM_FLAGS_NO_CACHE,
		VM_FLAGS_ANYWHERE | 0x80 /* PERMANENT */,
		VM_FLAGS_ANYWHERE | 0x1000 /* TPRO */,
		VM_FLAGS_ANYWHERE | 0x10000 /* SUPERPAGE_SIZE_ANY */,
	};
	const int outside[] = { 0x20, 0x100, 0x2000, 0x100000 /* RETURN_DATA_ADDR */, 0x800000 };
	mach_vm_address_t a = 0x77;
	(void)state;

	for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
		assert_int_equal(mach_vm_allocate(mach_task_self(), &a, PAGE, unsupported[i]), KERN_NOT_SUPPORTED);
		assert_int_equal(a, 0x77);
	}
	for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++)
		assert_int_equal(mach_vm_allocate(mach_task_self(), &a, PAGE, VM_FLAGS_ANYWHERE | outside[i]),
				 KERN_INVALID_ARGUMENT);
	/* outside bits are checked before the size: even size 0 */
	assert_int_equal(mach_vm_allocate(mach_task_self(), &a, 0, 0x100), KERN_INVALID_ARGUMENT);
	assert_int_equal(mach_vm_allocate(mach_task_self(), &a, PAGE, VM_FLAGS_ANYWHERE | (20 << 24)), KERN_SUCCESS);
	assert_true(cp_mapped(a));
	release(a, 1);
}

/* port_name_to_current_task_noref: every call with a name that is not the
 * caller's task port is MACH_SEND_INVALID_DEST, and does nothing. */
static void bad_task_is_send_invalid_dest(void **state)
{
	const mach_port_name_t bad[] = { MACH_PORT_NULL, MACH_PORT_DEAD, CP_NOT_A_TASK, MP_COMPAT_BOOTSTRAP_NAME };
	mach_vm_address_t a = pages_of(1, 7), out = 0x55;
	vm_address_t v = 0x55;
	vm_offset_t data = 0x55;
	mach_msg_type_number_t cnt = 0x55;
	char src[8] = "abcdefg";
	(void)state;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(mach_vm_allocate(bad[i], &out, PAGE, VM_FLAGS_ANYWHERE), MACH_SEND_INVALID_DEST);
		assert_int_equal(vm_allocate(bad[i], &v, PAGE, VM_FLAGS_ANYWHERE), MACH_SEND_INVALID_DEST);
		assert_int_equal(vm_allocate(bad[i], NULL, PAGE, VM_FLAGS_ANYWHERE), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_vm_deallocate(bad[i], a, PAGE), MACH_SEND_INVALID_DEST);
		assert_int_equal(vm_deallocate(bad[i], (vm_address_t)a, PAGE), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_vm_protect(bad[i], a, PAGE, FALSE, VM_PROT_READ), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_vm_read(bad[i], a, 8, &data, &cnt), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_vm_write(bad[i], a, (vm_offset_t)src, 8), MACH_SEND_INVALID_DEST);
		assert_int_equal(mach_vm_copy(bad[i], a, 8, a + 8), MACH_SEND_INVALID_DEST);
	}
	assert_int_equal(out, 0x55);
	assert_int_equal(v, 0x55);
	assert_int_equal(data, 0x55);
	assert_int_equal(cnt, 0x55);
	assert_true(cp_mapped(a));
	assert_int_equal(((unsigned char *)(uintptr_t)a)[8], 7); /* not written, not copied */
	((unsigned char *)(uintptr_t)a)[0] = 1;                  /* still writable */
	release(a, 1);
}

/* lib/port's vm_deallocate rule: only memory the task got from the kernel
 * is unmapped; its malloc is never touched (the call still succeeds, as
 * vm_map_remove of a range does). */
static void deallocate_leaves_malloc_alone(void **state)
{
	unsigned char *m = malloc(3 * PAGE);
	(void)state;

	assert_non_null(m);
	memset(m, 3, 3 * PAGE);
	assert_int_equal(mach_vm_deallocate(mach_task_self(), (uintptr_t)m + PAGE, PAGE), KERN_SUCCESS);
	assert_int_equal(m[PAGE + 5], 3);
	free(m);
}

/* mach_vm_protect / vm_map_protect: size 0 succeeds; unknown protection
 * bits KERN_INVALID_ARGUMENT; a hole KERN_INVALID_ADDRESS with nothing
 * changed; set_maximum and VM_PROT_COPY (no Linux equivalent) are
 * KERN_NOT_SUPPORTED. */
static void protect_rules(void **state)
{
	mach_vm_address_t a = pages_of(3, 1);
	char src[4] = "xyz";
	(void)state;

	assert_int_equal(mach_vm_protect(mach_task_self(), a, 0, FALSE, 0x100), KERN_SUCCESS);
	assert_int_equal(mach_vm_protect(mach_task_self(), a, PAGE, FALSE, 0x100), KERN_INVALID_ARGUMENT);
	assert_int_equal(mach_vm_protect(mach_task_self(), a, PAGE, TRUE, VM_PROT_READ), KERN_NOT_SUPPORTED);
	assert_int_equal(mach_vm_protect(mach_task_self(), a, PAGE, FALSE, VM_PROT_READ | 0x10), KERN_NOT_SUPPORTED);
	assert_int_equal(mach_vm_protect(mach_task_self(), a, PAGE, FALSE, VM_PROT_READ), KERN_SUCCESS);
	assert_int_equal(mach_vm_write(mach_task_self(), a, (vm_offset_t)src, 4), KERN_PROTECTION_FAILURE);
	assert_int_equal(((unsigned char *)(uintptr_t)a)[0], 1);
	assert_int_equal(mach_vm_protect(mach_task_self(), a, PAGE, FALSE, VM_PROT_DEFAULT), KERN_SUCCESS);
	assert_int_equal(mach_vm_write(mach_task_self(), a, (vm_offset_t)src, 4), KERN_SUCCESS);
	assert_string_equal((char *)(uintptr_t)a, "xyz");
	/* a hole in the middle: KERN_INVALID_ADDRESS, the first page unchanged */
	assert_int_equal(mach_vm_deallocate(mach_task_self(), a + PAGE, PAGE), KERN_SUCCESS);
	assert_int_equal(mach_vm_protect(mach_task_self(), a, 3 * PAGE, FALSE, VM_PROT_READ), KERN_INVALID_ADDRESS);
	assert_int_equal(mach_vm_write(mach_task_self(), a, (vm_offset_t)src, 4), KERN_SUCCESS);
	assert_int_equal(mach_vm_deallocate(mach_task_self(), a, 3 * PAGE), KERN_SUCCESS);
}

/* mach_vm_read (vm_map_copyin; the reply's OOL memory): a copy in new
 * memory of the task's, at the source's page offset, that
 * mach_vm_deallocate frees; size 0: no memory; beyond
 * mach_msg_type_number_t: KERN_INVALID_ARGUMENT; a hole
 * KERN_INVALID_ADDRESS; an unreadable page KERN_PROTECTION_FAILURE. */
static void read_rules(void **state)
{
	mach_vm_address_t a = pages_of(2, 9);
	vm_offset_t data = 0x55;
	mach_msg_type_number_t cnt = 0x55;
	(void)state;

	strcpy((char *)(uintptr_t)(a + 100), "hello");
	assert_int_equal(mach_vm_read(mach_task_self(), a + 100, 6, &data, &cnt), KERN_SUCCESS);
	assert_int_equal(cnt, 6);
	assert_int_equal(data & vm_page_mask, 100);
	assert_string_equal((char *)data, "hello");
	assert_int_not_equal(data, a + 100);
	assert_int_equal(mach_vm_deallocate(mach_task_self(), data, cnt), KERN_SUCCESS);
	assert_false(cp_mapped(data));
	/* across a page boundary */
	assert_int_equal(mach_vm_read(mach_task_self(), a + PAGE - 2, 4, &data, &cnt), KERN_SUCCESS);
	assert_int_equal(((unsigned char *)data)[3], 9);
	assert_int_equal(mach_vm_deallocate(mach_task_self(), data, cnt), KERN_SUCCESS);
	data = 0x55;
	assert_int_equal(mach_vm_read(mach_task_self(), a, 0, &data, &cnt), KERN_SUCCESS);
	assert_int_equal(data, 0);
	assert_int_equal(cnt, 0);
	assert_int_equal(mach_vm_read(mach_task_self(), a, (mach_vm_size_t)UINT32_MAX + 1, &data, &cnt),
			 KERN_INVALID_ARGUMENT);
	assert_int_equal(mach_vm_read(mach_task_self(), a, 8, NULL, &cnt), KERN_MEMORY_ERROR);
	assert_int_equal(mach_vm_protect(mach_task_self(), a + PAGE, PAGE, FALSE, VM_PROT_NONE), KERN_SUCCESS);
	data = 0x55;
	assert_int_equal(mach_vm_read(mach_task_self(), a, 2 * PAGE, &data, &cnt), KERN_PROTECTION_FAILURE);
	assert_int_equal(data, 0x55);
	assert_int_equal(mach_vm_deallocate(mach_task_self(), a + PAGE, PAGE), KERN_SUCCESS);
	assert_int_equal(mach_vm_read(mach_task_self(), a, 2 * PAGE, &data, &cnt), KERN_INVALID_ADDRESS);
	assert_int_equal(data, 0x55);
	release(a, 1);
	assert_int_equal(mach_vm_read(mach_task_self(), a, 8, &data, &cnt), KERN_INVALID_ADDRESS);
}

/* mach_vm_write (vm_map_copy_overwrite): the whole destination is checked
 * before a byte is written (a hole KERN_INVALID_ADDRESS, a read-only page
 * KERN_PROTECTION_FAILURE); an unreadable source fails the request's send
 * (MACH_SEND_INVALID_MEMORY); 0 bytes succeed. */
static void write_rules(void **state)
{
	mach_vm_address_t a = pages_of(2, 0), ro = pages_of(1, 0);
	unsigned char *big = malloc(2 * PAGE);
	(void)state;

	assert_non_null(big);
	memset(big, 5, 2 * PAGE);
	assert_int_equal(mach_vm_write(mach_task_self(), a + 10, (vm_offset_t)big, (mach_msg_type_number_t)PAGE),
			 KERN_SUCCESS);
	assert_int_equal(((unsigned char *)(uintptr_t)a)[10 + PAGE - 1], 5);
	assert_int_equal(((unsigned char *)(uintptr_t)a)[10 + PAGE], 0);
	assert_int_equal(mach_vm_write(mach_task_self(), a, (vm_offset_t)big, 0), KERN_SUCCESS);
	/* the second page read-only: nothing is written, not even the first */
	memset((void *)(uintptr_t)a, 0, 2 * PAGE);
	assert_int_equal(mach_vm_protect(mach_task_self(), a + PAGE, PAGE, FALSE, VM_PROT_READ), KERN_SUCCESS);
	assert_int_equal(mach_vm_write(mach_task_self(), a, (vm_offset_t)big, (mach_msg_type_number_t)(2 * PAGE)),
			 KERN_PROTECTION_FAILURE);
	assert_int_equal(((unsigned char *)(uintptr_t)a)[0], 0);
	/* an unreadable source */
	assert_int_equal(mach_vm_protect(mach_task_self(), ro, PAGE, FALSE, VM_PROT_NONE), KERN_SUCCESS);
	assert_int_equal(mach_vm_write(mach_task_self(), a, (vm_offset_t)ro, 8), MACH_SEND_INVALID_MEMORY);
	release(ro, 1);
	assert_int_equal(mach_vm_write(mach_task_self(), ro, (vm_offset_t)big, 8), KERN_INVALID_ADDRESS);
	release(a, 2);
	free(big);
}

/* mach_vm_copy (copyin then overwrite): overlapping ranges copy as through
 * the copy object; the source is checked before the destination. */
static void copy_rules(void **state)
{
	mach_vm_address_t a = pages_of(2, 0), gone = pages_of(1, 0);
	unsigned char *p = (unsigned char *)(uintptr_t)a;
	(void)state;

	for (int i = 0; i < 16; i++)
		p[i] = (unsigned char)i;
	assert_int_equal(mach_vm_copy(mach_task_self(), a, 16, a + 4), KERN_SUCCESS);
	for (int i = 0; i < 16; i++)
		assert_int_equal(p[4 + i], i);
	assert_int_equal(mach_vm_copy(mach_task_self(), a, 0, 0), KERN_SUCCESS);
	release(gone, 1);
	assert_int_equal(mach_vm_copy(mach_task_self(), gone, 8, a), KERN_INVALID_ADDRESS);
	assert_int_equal(mach_vm_copy(mach_task_self(), a, 8, gone), KERN_INVALID_ADDRESS);
	assert_int_equal(mach_vm_protect(mach_task_self(), a + PAGE, PAGE, FALSE, VM_PROT_NONE), KERN_SUCCESS);
	assert_int_equal(mach_vm_copy(mach_task_self(), a + PAGE, 8, a), KERN_PROTECTION_FAILURE);
	assert_int_equal(mach_vm_copy(mach_task_self(), a, 8, a + PAGE), KERN_PROTECTION_FAILURE);
	assert_int_equal(mach_vm_copy(mach_task_self(), a, 8, UINT64_MAX - 4), KERN_INVALID_ARGUMENT);
	release(a, 2);
}

/* machports/compat.h: memory allocated with a second task current is that
 * task's: the default task's vm_deallocate does not unmap it, the task's
 * death does. */
static void second_task_memory_is_its_own(void **state)
{
	mp_compat_task_t *b = NULL;
	mach_vm_address_t a = 0;
	(void)state;

	assert_int_equal(mp_compat_task_create(&b), MP_KERN_SUCCESS);
	(void)mp_compat_set_current(b);
	assert_int_equal(mach_vm_allocate(mach_task_self(), &a, PAGE, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	(void)mp_compat_set_current(NULL);
	assert_int_equal(mach_vm_deallocate(mach_task_self(), a, PAGE), KERN_SUCCESS);
	assert_true(cp_mapped(a));
	*(volatile unsigned char *)(uintptr_t)a = 1;
	mp_compat_task_destroy(b);
	assert_false(cp_mapped(a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(page_size_globals),
		T(allocate_and_deallocate),
		T(sizes_zero_and_wrapping),
		T(allocate_flags),
		T(bad_task_is_send_invalid_dest),
		T(deallocate_leaves_malloc_alone),
		T(protect_rules),
		T(read_rules),
		T(write_rules),
		T(copy_rules),
		T(second_task_memory_is_its_own),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
