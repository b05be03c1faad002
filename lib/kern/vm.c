/*
 * lib/kern/vm.c: a space's user memory, embedded mode (XNU: what the IPC
 * code asks of osfmk/vm: vm_map_copyin for a sent OOL region,
 * vm_map_copyout for a received one, vm_deallocate, vm_allocate).
 *
 * In one process every space shares the address space, so "the receiver
 * gets its own copy" means a fresh mapping: each OOL region delivered to a
 * space is an anonymous mmap the space owns (a region list, so the invariant
 * checker can count them and task death can free them). vm_deallocate
 * removes owned regions in the page-rounded range; memory the space did not
 * get from the kernel (the caller's malloc, its stack) is left alone, since
 * unmapping it would corrupt this process's allocator.
 *
 * A space whose memory is elsewhere (machportd's clients) has VM ops
 * (mp_kern_space_set_vm): every function here hands its work to them, so
 * the kernel never reads or writes this process's memory at an address a
 * client chose.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/uio.h>
#endif

#include "lib/kern/kern_internal.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MK_VM_ASAN 1
#endif
#if __has_feature(memory_sanitizer)
#define MK_VM_MSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(MK_VM_ASAN)
#define MK_VM_ASAN 1
#endif
#ifdef MK_VM_ASAN
#include <sanitizer/asan_interface.h>
#endif
#ifdef MK_VM_MSAN
#include <sanitizer/msan_interface.h>
#endif

static uint64_t page_size(void)
{
	static uint64_t ps;
	if (ps == 0)
		ps = (uint64_t)sysconf(_SC_PAGESIZE);
	return ps;
}

/* ------------------------------------------------------------------------
 * The recycle bin (mp_kern_space_set_vm_recycle): whole mappings of 1 ..
 * MP_KERN_VM_RECYCLE_PAGES pages that a recycling space deallocated, by
 * page count, kept mapped for the next fresh region of that size. A
 * mapping, a first touch of its pages and an munmap each cost a page-table
 * change (and a TLB shootdown), by far the dearest part of an OOL message.
 * ------------------------------------------------------------------------ */

#define MK_VM_BIN_PER_SIZE 8u

struct mk_vm_bin {
	uint64_t addr[MP_KERN_VM_RECYCLE_PAGES][MK_VM_BIN_PER_SIZE];
	uint32_t n[MP_KERN_VM_RECYCLE_PAGES];
};

/* Memory in the bin is no one's: a sanitizer reports any access to it.
 * Without one an access is not caught, as a freed heap block's is not
 * without ASan: the bin is an allocator's free list, and campaigns run
 * with ASan. (Making it PROT_NONE instead costs a page-table change per
 * region again: measured, the harness's exec/s halves.) */
static void bin_poison(uint64_t addr, uint64_t len)
{
#ifdef MK_VM_ASAN
	ASAN_POISON_MEMORY_REGION((void *)(uintptr_t)addr, (size_t)len);
#endif
#ifdef MK_VM_MSAN
	__msan_poison((void *)(uintptr_t)addr, (size_t)len);
#endif
	(void)addr;
	(void)len;
}

static void bin_unpoison(uint64_t addr, uint64_t len)
{
#ifdef MK_VM_ASAN
	ASAN_UNPOISON_MEMORY_REGION((void *)(uintptr_t)addr, (size_t)len);
#endif
	(void)addr;
	(void)len;
}

/* The bin's slot row for a mapping of `len` bytes, or NULL (too large). */
static uint32_t bin_row(uint64_t len)
{
	uint64_t pages = len / page_size();

	return pages >= 1 && pages <= MP_KERN_VM_RECYCLE_PAGES ? (uint32_t)pages - 1 : UINT32_MAX;
}

/* A kept mapping of exactly `len` bytes, unpoisoned; 0 if none. */
static uint64_t bin_take(mp_kern_t *k, uint64_t len)
{
	uint32_t row = bin_row(len);
	uint64_t addr;

	if (k->vm_bin == NULL || row == UINT32_MAX || k->vm_bin->n[row] == 0)
		return 0;
	addr = k->vm_bin->addr[row][--k->vm_bin->n[row]];
	bin_unpoison(addr, len);
	return addr;
}

/* Keeps a whole mapping for reuse: 1, or 0 (no room: the caller unmaps). */
static int bin_put(mp_kern_t *k, uint64_t addr, uint64_t len)
{
	uint32_t row = bin_row(len);

	if (k->vm_bin == NULL || row == UINT32_MAX || k->vm_bin->n[row] == MK_VM_BIN_PER_SIZE)
		return 0;
	k->vm_bin->addr[row][k->vm_bin->n[row]++] = addr;
	bin_poison(addr, len);
	return 1;
}

void mk_vm_bin_free(mp_kern_t *k)
{
	if (k->vm_bin == NULL)
		return;
	for (uint32_t row = 0; row < MP_KERN_VM_RECYCLE_PAGES; row++)
		while (k->vm_bin->n[row] > 0) {
			uint64_t len = (uint64_t)(row + 1) * page_size();
			uint64_t addr = k->vm_bin->addr[row][--k->vm_bin->n[row]];

			bin_unpoison(addr, len);
			munmap((void *)(uintptr_t)addr, (size_t)len);
		}
	free(k->vm_bin);
	k->vm_bin = NULL;
}

mp_kr_t mp_kern_space_set_vm_recycle(mp_kspace_t *s, int on)
{
	mp_kr_t kr = MP_KERN_SUCCESS;

	if (on != 0 && on != 1)
		return MP_KERN_INVALID_ARGUMENT;
	MK_LOCK(s);
	if (!s->active)
		kr = MP_KERN_INVALID_TASK;
	else if (s->vm != NULL)
		kr = MP_KERN_NOT_SUPPORTED;
	else if (on && s->k->vm_bin == NULL && (s->k->vm_bin = calloc(1, sizeof(*s->k->vm_bin))) == NULL)
		kr = MP_KERN_RESOURCE_SHORTAGE;
	else
		s->vm_recycle = on != 0;
	MK_UNLOCK(s);
	return kr;
}

/* A fresh mapping of `total` bytes: from the bin for a recycling space
 * (*recycled: the caller zero-fills what it does not write, as mmap's
 * pages are zero), else mmap's. NULL if none. */
static void *fresh_mapping(mp_kspace_t *s, uint64_t total, bool *recycled)
{
	void *p;
	uint64_t addr = s->vm_recycle ? bin_take(s->k, total) : 0;

	*recycled = addr != 0;
	if (addr != 0)
		return (void *)(uintptr_t)addr;
	p = mmap(NULL, (size_t)total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* vm_deallocate's whole regions of a recycling space go to the bin (what
 * does not fit, and partial cuts, are mp_region_cut's). */
static void recycle_whole_regions(mp_kspace_t *s, uint64_t addr, uint64_t len)
{
	uint64_t ps = page_size();
	uint64_t lo = addr & ~(ps - 1), hi = (addr + len + ps - 1) & ~(ps - 1);
	mk_region_t **pp = &s->regions;

	if (hi <= lo)
		return;
	while (*pp != NULL) {
		mk_region_t *r = *pp;

		if (r->addr >= lo && r->addr + r->len <= hi && bin_put(s->k, r->addr, r->len)) {
			*pp = r->next;
			s->k->vm_bytes -= r->len;
			s->k->nregions--;
			free(r);
			continue;
		}
		pp = &r->next;
	}
}

/* This process's pid for process_vm_readv, read once (getpid is a system
 * call) and again in a child of fork(). */
static _Atomic int self_pid;

static void self_pid_forget(void)
{
	self_pid = 0;
}

static void self_pid_register(void)
{
	(void)pthread_atfork(NULL, NULL, self_pid_forget);
}

static pid_t pid_of_self(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	int pid = self_pid;

	if (pid == 0) {
		pthread_once(&once, self_pid_register);
		pid = (int)getpid();
		self_pid = pid;
	}
	return (pid_t)pid;
}

/* Whether [addr, addr+len) lies in one region the space got from the
 * kernel (so it is mapped and readable: no probe needed). */
static bool range_owned(const mp_kspace_t *s, uint64_t addr, uint64_t len)
{
	for (const mk_region_t *r = s->regions; r != NULL; r = r->next)
		if (addr >= r->addr && addr + len <= r->addr + r->len)
			return true;
	return false;
}

/*
 * The send path reads the sender's OOL memory; an unreadable range is
 * MACH_SEND_INVALID_MEMORY (§6.3), not a crash. On Linux process_vm_readv on
 * our own pid reports EFAULT for unmapped or unreadable pages.
 */
int mk_vm_copyin(mp_kspace_t *s, uint64_t addr, void *dst, uint64_t len)
{
	if (len == 0)
		return 0;
	if (s->vm != NULL)
		return s->vm->copyin(s->vm_ctx, addr, dst, len);
	if (addr + len < addr)
		return -1;
	if (range_owned(s, addr, len)) { /* mapped: the kernel mapped it */
		memcpy(dst, (const void *)(uintptr_t)addr, (size_t)len);
		return 0;
	}
#if defined(__linux__)
	{
		struct iovec local = { dst, (size_t)len };
		struct iovec remote = { (void *)(uintptr_t)addr, (size_t)len };
		ssize_t n = process_vm_readv(pid_of_self(), &local, 1, &remote, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n < 0 && errno != EFAULT && errno != ENOMEM)
			; /* not permitted here (seccomp, old kernel): fall through */
		else
			return -1;
	}
#endif
	if (addr == 0)
		return -1;
	memcpy(dst, (const void *)(uintptr_t)addr, (size_t)len);
	return 0;
}

int mk_vm_map_copy(mp_kspace_t *s, const void *data, uint64_t len, uint64_t page_off,
		   uint64_t *addr)
{
	uint64_t ps = page_size();
	uint64_t total = (page_off + len + ps - 1) & ~(ps - 1);
	void *p;
	mk_region_t *r;
	bool recycled;

	if (s->vm != NULL)
		return s->vm->map_copy(s->vm_ctx, data, len, page_off, addr);
	if (total == 0 || total < len)
		return -1;
	r = malloc(sizeof(*r));
	if (r == NULL)
		return -1;
	p = fresh_mapping(s, total, &recycled);
	if (p == NULL) {
		free(r);
		return -1;
	}
	if (data != NULL)
		memcpy((uint8_t *)p + page_off, data, (size_t)len);
	if (recycled) { /* zero around the data (all of it for vm_allocate) */
		uint64_t end = data != NULL ? page_off + len : 0;

		memset(p, 0, (size_t)(data != NULL ? page_off : 0));
		memset((uint8_t *)p + end, 0, (size_t)(total - end));
	}
	r->addr = (uint64_t)(uintptr_t)p;
	r->len = total;
	r->next = s->regions;
	s->regions = r;
	s->k->nregions++;
	s->k->vm_bytes += total;
	*addr = r->addr + page_off;
	return 0;
}

void mp_region_cut(mp_region_t **list, uint64_t addr, uint64_t len, uint64_t page, uint64_t *bytes,
		   int64_t *count)
{
	uint64_t lo = addr & ~(page - 1);
	uint64_t hi = (addr + len + page - 1) & ~(page - 1);
	mp_region_t **pp = list;

	if (len == 0 || hi <= lo)
		return;
	while (*pp != NULL) {
		mp_region_t *r = *pp;
		uint64_t rlo = r->addr, rhi = r->addr + r->len;
		uint64_t clo = lo > rlo ? lo : rlo, chi = hi < rhi ? hi : rhi;

		if (clo >= chi) {
			pp = &r->next;
			continue;
		}
		munmap((void *)(uintptr_t)clo, (size_t)(chi - clo));
		*bytes += chi - clo;
		if (clo == rlo && chi == rhi) {
			*pp = r->next;
			free(r);
			(*count)++;
			continue;
		}
		if (clo == rlo) {
			r->addr = chi;
			r->len = rhi - chi;
		} else if (chi == rhi) {
			r->len = clo - rlo;
		} else {
			mp_region_t *tail = malloc(sizeof(*tail));
			r->len = clo - rlo;
			if (tail != NULL) { /* else the tail pages stay mapped, untracked */
				tail->addr = chi;
				tail->len = rhi - chi;
				tail->next = r->next;
				r->next = tail;
				(*count)--;
				pp = &tail->next;
				continue;
			}
			*bytes += rhi - chi; /* no longer counted */
		}
		pp = &r->next;
	}
}

/* vm_deallocate in a space: the owned regions in the range (mp_region_cut). */
void mk_vm_deallocate(mp_kspace_t *s, uint64_t addr, uint64_t len)
{
	uint64_t bytes = 0;
	int64_t count = 0;

	if (len == 0)
		return;
	if (s->vm != NULL) {
		s->vm->deallocate(s->vm_ctx, addr, len);
		return;
	}
	if (s->vm_recycle)
		recycle_whole_regions(s, addr, len);
	mp_region_cut(&s->regions, addr, len, page_size(), &bytes, &count);
	s->k->vm_bytes -= bytes;
	s->k->nregions = (uint32_t)((int64_t)s->k->nregions - count);
}

void mk_vm_destroy_all(mp_kspace_t *s)
{
	while (s->regions != NULL) {
		mk_region_t *r = s->regions;
		s->regions = r->next;
		munmap((void *)(uintptr_t)r->addr, (size_t)r->len);
		s->k->vm_bytes -= r->len;
		s->k->nregions--;
		free(r);
	}
}

void mp_kern_space_set_vm(mp_kspace_t *s, const mp_kern_vm_ops_t *ops, void *ctx)
{
	pthread_mutex_lock(&s->k->lock);
	s->vm = ops;
	s->vm_ctx = ctx;
	pthread_mutex_unlock(&s->k->lock);
}

mp_kr_t mp_kern_vm_allocate(mp_kspace_t *s, uint64_t *addr, uint64_t size)
{
	mp_kr_t kr = MP_KERN_SUCCESS;

	if (size == 0) {
		*addr = 0;
		return MP_KERN_SUCCESS;
	}
	pthread_mutex_lock(&s->k->lock);
	if (!s->active)
		kr = MP_KERN_INVALID_TASK;
	else if (mk_vm_map_copy(s, NULL, size, 0, addr) != 0)
		kr = MP_KERN_RESOURCE_SHORTAGE;
	pthread_mutex_unlock(&s->k->lock);
	return kr;
}

void mp_kern_vm_usage(mp_kspace_t *s, uint32_t *regions, uint64_t *bytes)
{
	*regions = 0;
	*bytes = 0;
	pthread_mutex_lock(&s->k->lock);
	for (const mk_region_t *r = s->regions; r != NULL; r = r->next) {
		(*regions)++;
		*bytes += r->len;
	}
	pthread_mutex_unlock(&s->k->lock);
}

mp_kr_t mp_kern_vm_deallocate(mp_kspace_t *s, uint64_t addr, uint64_t size)
{
	pthread_mutex_lock(&s->k->lock);
	if (s->active)
		mk_vm_deallocate(s, addr, size);
	pthread_mutex_unlock(&s->k->lock);
	return MP_KERN_SUCCESS;
}
