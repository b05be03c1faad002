/*
 * lib/compat/src/vm.c: vm_allocate / vm_deallocate and the mach_vm_* calls
 * of <mach/vm_map.h> and <mach/mach_vm.h>, and the page-size globals.
 *
 * allocate / deallocate go to lib/port (mp_vm_allocate / mp_vm_deallocate):
 * the regions a task gets from the kernel, which task death frees and
 * vm_deallocate cuts by lib/kern's rule (memory the task did not get from
 * the kernel, its malloc or stack, is never unmapped).
 *
 * protect / read / write / copy have no lib/port call. A compat task's
 * memory is this process's memory (every task of the process shares it),
 * so they act on this process's mappings, with XNU's return codes: the
 * range is checked against /proc/self/maps first (a hole:
 * KERN_INVALID_ADDRESS, a page without the access: KERN_PROTECTION_FAILURE,
 * in address order, as vm_map_copyin / vm_map_copy_overwrite meet them),
 * so nothing is half done, and bytes move with process_vm_readv /
 * process_vm_writev, which fail instead of faulting if the mappings change
 * under the call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <mach/mach_vm.h>
#include <mach/vm_map.h>
#include <mach/vm_page_size.h>

#include "lib/compat/src/compat_internal.h"

/* libsyscall mach_init.c fills these from the comm page at start; here
 * from sysconf(_SC_PAGESIZE), before main. */
vm_size_t vm_page_size = 4096;
vm_size_t vm_page_mask = 4095;
int vm_page_shift = 12;

__attribute__((constructor)) static void page_size_init(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int shift = 0;

	if (page <= 0 || (page & (page - 1)) != 0)
		return; /* keep 4096 */
	while ((1L << shift) < page)
		shift++;
	vm_page_size = (vm_size_t)page;
	vm_page_mask = (vm_size_t)page - 1;
	vm_page_shift = shift;
}

/* XNU's osfmk/mach/vm_statistics.h values the compat header does not
 * carry (it has FIXED, ANYWHERE, PURGABLE, NO_CACHE, OVERWRITE). */
#define XNU_VM_FLAGS_4GB_CHUNK 0x00000004
#define XNU_VM_FLAGS_RANDOM_ADDR 0x00000008
#define XNU_VM_FLAGS_PERMANENT 0x00000080
#define XNU_VM_FLAGS_TPRO 0x00001000
#define XNU_VM_FLAGS_SUPERPAGE_MASK 0x00070000
#define XNU_VM_FLAGS_ALIAS_MASK 0xFF000000u
/* VM_FLAGS_USER_ALLOCATE: what mach_vm_allocate_external lets through. */
#define XNU_VM_FLAGS_USER_ALLOCATE                                                              \
	((uint32_t)(VM_FLAGS_FIXED | VM_FLAGS_ANYWHERE | VM_FLAGS_PURGABLE | XNU_VM_FLAGS_4GB_CHUNK | \
		    XNU_VM_FLAGS_RANDOM_ADDR | VM_FLAGS_NO_CACHE | XNU_VM_FLAGS_PERMANENT |          \
		    VM_FLAGS_OVERWRITE | XNU_VM_FLAGS_SUPERPAGE_MASK | XNU_VM_FLAGS_TPRO |          \
		    XNU_VM_FLAGS_ALIAS_MASK))
/* VM_PROT_COPY (vm_map_protect's extra bit) and VM_PROT_UEXEC. */
#define XNU_VM_PROT_UEXEC 0x08
#define XNU_VM_PROT_COPY 0x10

static uint64_t page_round(uint64_t x)
{
	return (x + vm_page_mask) & ~(uint64_t)vm_page_mask;
}

/*
 * mach_vm_allocate (libsyscall mach_vm.c over
 * _kernelrpc_mach_vm_allocate_trap; XNU vm_user.c mach_vm_allocate_external
 * and vm_kern.c mach_vm_allocate_kernel):
 *  - a flag outside VM_FLAGS_USER_ALLOCATE: KERN_INVALID_ARGUMENT (XNU);
 *  - size 0: KERN_SUCCESS, *address 0 (VM_SANITIZE_FLAGS_SIZE_ZERO_SUCCEEDS);
 *  - a size whose page rounding wraps: KERN_INVALID_ARGUMENT (vm_sanitize);
 *  - a size the process cannot map (mmap's ENOMEM, lib/port's
 *    KERN_RESOURCE_SHORTAGE): KERN_NO_SPACE, vm_map_enter's answer when the
 *    map has no room.
 * lib/port places memory only where it likes (VM_FLAGS_ANYWHERE), so
 * VM_FLAGS_FIXED (no ANYWHERE bit) and OVERWRITE, and the flags asking for
 * memory lib/port cannot make (PURGABLE, 4GB_CHUNK, RANDOM_ADDR, NO_CACHE,
 * PERMANENT, TPRO, a superpage size) are refused with KERN_NOT_SUPPORTED,
 * never taken as plain memory. A tag (VM_MAKE_TAG, the ALIAS bits) names
 * the region for accounting tools only and changes nothing about the
 * memory: it is accepted (mig_allocate passes VM_MEMORY_MACH_MSG).
 */
kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address, mach_vm_size_t size,
			       int flags)
{
	mp_task_t *t = compat_target(target);
	uint32_t f = (uint32_t)flags;
	uint64_t addr = 0;
	mp_kr_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (address == NULL)
		return KERN_MEMORY_ERROR; /* the trap's mach_copyin of *address */
	if ((f & ~XNU_VM_FLAGS_USER_ALLOCATE) != 0)
		return KERN_INVALID_ARGUMENT;
	if (size == 0) {
		*address = 0;
		return KERN_SUCCESS;
	}
	if (page_round(size) < size)
		return KERN_INVALID_ARGUMENT;
	if ((f & ~XNU_VM_FLAGS_ALIAS_MASK) != VM_FLAGS_ANYWHERE)
		return KERN_NOT_SUPPORTED;
	kr = mp_vm_allocate(t, &addr, size);
	if (kr == MP_KERN_RESOURCE_SHORTAGE)
		return KERN_NO_SPACE; /* vm_map_enter: no room for the range */
	if (kr != MP_KERN_SUCCESS)
		return (kern_return_t)kr;
	*address = addr;
	return KERN_SUCCESS;
}

/*
 * mach_vm_deallocate (XNU vm_user.c): size 0 succeeds; a range that wraps
 * is KERN_INVALID_ARGUMENT (vm_sanitize_addr_size); otherwise what the
 * range meets of the task's kernel-given regions is unmapped and the call
 * succeeds, holes included (vm_map_remove).
 */
kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address, mach_vm_size_t size)
{
	mp_task_t *t = compat_target(target);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (size == 0)
		return KERN_SUCCESS;
	if (address + size < address || page_round(address + size) < address + size)
		return KERN_INVALID_ARGUMENT;
	return (kern_return_t)mp_vm_deallocate(t, address, size);
}

/* vm_allocate / vm_deallocate (libsyscall mach_vm.c: the mach_vm_* calls). */
kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address, vm_size_t size, int flags)
{
	mach_vm_address_t addr;
	kern_return_t kr;

	if (address == NULL)
		return compat_target(target_task) == NULL ? MACH_SEND_INVALID_DEST : KERN_MEMORY_ERROR;
	addr = *address;
	kr = mach_vm_allocate(target_task, &addr, size, flags);
	*address = (vm_address_t)addr;
	return kr;
}

kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size)
{
	return mach_vm_deallocate(target_task, address, size);
}

/* ---- this process's mappings ------------------------------------------ */

/*
 * What [lo, hi) allows, walked in address order as XNU walks map entries:
 * KERN_INVALID_ADDRESS at the first hole, KERN_PROTECTION_FAILURE at the
 * first mapping without every bit of `want` (PROT_READ / PROT_WRITE), else
 * KERN_SUCCESS. KERN_RESOURCE_SHORTAGE if /proc/self/maps cannot be read.
 */
static kern_return_t range_check(uint64_t lo, uint64_t hi, int want)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	char *line = NULL;
	size_t cap = 0;
	uint64_t cur = lo;
	kern_return_t kr = KERN_INVALID_ADDRESS;

	if (maps == NULL)
		return KERN_RESOURCE_SHORTAGE;
	while (cur < hi && getline(&line, &cap, maps) != -1) {
		unsigned long long s, e;
		char perms[8];
		int prot;

		if (sscanf(line, "%llx-%llx %7s", &s, &e, perms) != 3 || e <= cur)
			continue;
		if (s > cur)
			break; /* a hole at cur */
		prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0);
		if ((prot & want) != want) {
			kr = KERN_PROTECTION_FAILURE;
			break;
		}
		cur = e;
	}
	free(line);
	fclose(maps);
	if (cur >= hi)
		return KERN_SUCCESS;
	return kr;
}

/* The range in whole pages, or KERN_INVALID_ARGUMENT if it wraps. */
static kern_return_t page_range(uint64_t addr, uint64_t size, uint64_t *lo, uint64_t *hi)
{
	uint64_t end = addr + size;

	if (end < addr || page_round(end) < end)
		return KERN_INVALID_ARGUMENT;
	*lo = addr & ~(uint64_t)vm_page_mask;
	*hi = page_round(end);
	return KERN_SUCCESS;
}

/* Moves `len` bytes within this process; -1 if the kernel refused (the
 * mappings changed since they were checked). */
static int copy_bytes(uint64_t dst, uint64_t src, uint64_t len)
{
	struct iovec local = { (void *)(uintptr_t)dst, (size_t)len };
	struct iovec remote = { (void *)(uintptr_t)src, (size_t)len };
	ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);

	return n == (ssize_t)len ? 0 : -1;
}

/*
 * mach_vm_protect (XNU vm_user.c mach_vm_protect, vm_map.c vm_map_protect):
 * size 0 succeeds; a protection with bits beyond VM_PROT_ALL, VM_PROT_UEXEC
 * and VM_PROT_COPY is KERN_INVALID_ARGUMENT (vm_sanitize_prot); a range that
 * wraps is KERN_INVALID_ARGUMENT; a hole is KERN_INVALID_ADDRESS (checked
 * before anything changes). Linux has no maximum protection to set and no
 * copy-on-protect or user-only execute: set_maximum, VM_PROT_COPY and
 * VM_PROT_UEXEC are KERN_NOT_SUPPORTED. mprotect's EACCES (a file mapping
 * that forbids it: beyond XNU's max_protection) is KERN_PROTECTION_FAILURE.
 */
kern_return_t mach_vm_protect(vm_map_t target_task, mach_vm_address_t address, mach_vm_size_t size,
			      boolean_t set_maximum, vm_prot_t new_protection)
{
	mp_task_t *t = compat_target(target_task);
	uint64_t lo, hi;
	kern_return_t kr;
	int prot;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (size == 0)
		return KERN_SUCCESS;
	if ((new_protection & ~(VM_PROT_ALL | XNU_VM_PROT_UEXEC | XNU_VM_PROT_COPY)) != 0)
		return KERN_INVALID_ARGUMENT;
	kr = page_range(address, size, &lo, &hi);
	if (kr != KERN_SUCCESS)
		return kr;
	if (set_maximum || (new_protection & (XNU_VM_PROT_UEXEC | XNU_VM_PROT_COPY)) != 0)
		return KERN_NOT_SUPPORTED;
	kr = range_check(lo, hi, 0);
	if (kr != KERN_SUCCESS)
		return kr;
	prot = ((new_protection & VM_PROT_READ) ? PROT_READ : 0) |
	       ((new_protection & VM_PROT_WRITE) ? PROT_WRITE : 0) |
	       ((new_protection & VM_PROT_EXECUTE) ? PROT_EXEC : 0);
	if (mprotect((void *)(uintptr_t)lo, (size_t)(hi - lo), prot) != 0)
		return errno == EACCES ? KERN_PROTECTION_FAILURE : KERN_INVALID_ADDRESS;
	return KERN_SUCCESS;
}

/*
 * mach_vm_read (XNU vm_user.c mach_vm_read over vm_map_copyin; the reply's
 * out-of-line memory is mapped into the caller's task): a size beyond
 * mach_msg_type_number_t is KERN_INVALID_ARGUMENT; size 0 succeeds with no
 * memory (*data 0, *dataCnt 0); a hole is KERN_INVALID_ADDRESS and an
 * unreadable page KERN_PROTECTION_FAILURE. The copy is new memory of the
 * task's (mp_vm_allocate, so mach_vm_deallocate frees it) at the source's
 * offset within its page, as vm_map_copyout places a copy.
 */
kern_return_t mach_vm_read(vm_map_read_t target_task, mach_vm_address_t address, mach_vm_size_t size,
			   vm_offset_t *data, mach_msg_type_number_t *dataCnt)
{
	mp_task_t *t = compat_target(target_task);
	uint64_t lo, hi, base = 0, offset = address & vm_page_mask;
	kern_return_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (data == NULL || dataCnt == NULL)
		return KERN_MEMORY_ERROR;
	if (size > UINT32_MAX)
		return KERN_INVALID_ARGUMENT;
	if (size == 0) {
		*data = 0;
		*dataCnt = 0;
		return KERN_SUCCESS;
	}
	kr = page_range(address, size, &lo, &hi);
	if (kr == KERN_SUCCESS)
		kr = range_check(lo, hi, PROT_READ);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = (kern_return_t)mp_vm_allocate(t, &base, offset + size);
	if (kr != KERN_SUCCESS)
		return kr;
	if (copy_bytes(base + offset, address, size) != 0) {
		(void)mp_vm_deallocate(t, base, offset + size);
		return KERN_INVALID_ADDRESS;
	}
	*data = (vm_offset_t)(base + offset);
	*dataCnt = (mach_msg_type_number_t)size;
	return KERN_SUCCESS;
}

/*
 * mach_vm_write (XNU vm_user.c mach_vm_write over vm_map_copy_overwrite):
 * the data travels as the request's out-of-line memory, so an unreadable
 * source fails the send: MACH_SEND_INVALID_MEMORY. The destination: a hole
 * is KERN_INVALID_ADDRESS, a page not writable KERN_PROTECTION_FAILURE, all
 * checked before a byte is written. dataCnt 0 writes nothing and succeeds.
 */
kern_return_t mach_vm_write(vm_map_t target_task, mach_vm_address_t address, vm_offset_t data,
			    mach_msg_type_number_t dataCnt)
{
	mp_task_t *t = compat_target(target_task);
	uint64_t lo, hi;
	kern_return_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (dataCnt == 0)
		return KERN_SUCCESS;
	if (page_range(data, dataCnt, &lo, &hi) != KERN_SUCCESS || range_check(lo, hi, PROT_READ) != KERN_SUCCESS)
		return MACH_SEND_INVALID_MEMORY;
	kr = page_range(address, dataCnt, &lo, &hi);
	if (kr == KERN_SUCCESS)
		kr = range_check(lo, hi, PROT_WRITE);
	if (kr != KERN_SUCCESS)
		return kr;
	return copy_bytes(address, data, dataCnt) == 0 ? KERN_SUCCESS : KERN_INVALID_ADDRESS;
}

/*
 * mach_vm_copy (XNU vm_user.c mach_vm_copy: vm_map_copyin of the source,
 * then vm_map_copy_overwrite of the destination): the source is checked
 * first (hole: KERN_INVALID_ADDRESS, unreadable: KERN_PROTECTION_FAILURE),
 * then the destination the same way for writing; overlapping ranges copy
 * as if through a buffer (the copy object). Size 0 succeeds.
 */
kern_return_t mach_vm_copy(vm_map_t target_task, mach_vm_address_t source_address, mach_vm_size_t size,
			   mach_vm_address_t dest_address)
{
	mp_task_t *t = compat_target(target_task);
	uint64_t lo, hi;
	kern_return_t kr;
	void *buf;
	int failed;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (size == 0)
		return KERN_SUCCESS;
	kr = page_range(source_address, size, &lo, &hi);
	if (kr == KERN_SUCCESS)
		kr = range_check(lo, hi, PROT_READ);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = page_range(dest_address, size, &lo, &hi);
	if (kr == KERN_SUCCESS)
		kr = range_check(lo, hi, PROT_WRITE);
	if (kr != KERN_SUCCESS)
		return kr;
	if (size > SIZE_MAX || (buf = malloc((size_t)size)) == NULL)
		return KERN_RESOURCE_SHORTAGE;
	failed = copy_bytes((uint64_t)(uintptr_t)buf, source_address, size) != 0 ||
		 copy_bytes(dest_address, (uint64_t)(uintptr_t)buf, size) != 0;
	free(buf);
	return failed ? KERN_INVALID_ADDRESS : KERN_SUCCESS;
}
