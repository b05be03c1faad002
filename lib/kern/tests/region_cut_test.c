/*
 * lib/kern/tests/region_cut_test.c: vm_deallocate's rule on a task's
 * regions (mp_region_cut), shared by the embedded VM and the machportd
 * client: the page-rounded range is unmapped where it meets the regions the
 * task got from the kernel; each shrinks, splits or goes; nothing else is
 * touched. Mappings are checked with msync (ENOMEM: not mapped).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/kern/kern.h"

#define PG 4096ull

static uint8_t *base;          /* 16 pages reserved */
static mp_region_t *list;

static int mapped(unsigned page)
{
	return msync(base + page * PG, PG, MS_ASYNC) == 0;
}

static void add(unsigned first, unsigned pages)
{
	mp_region_t *r = malloc(sizeof *r);
	assert_non_null(r);
	r->addr = (uint64_t)(uintptr_t)(base + first * PG);
	r->len = pages * PG;
	r->next = list;
	list = r;
}

static int setup(void **state)
{
	(void)state;
	base = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	list = NULL;
	return base == MAP_FAILED ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	while (list != NULL) {
		mp_region_t *r = list;
		list = r->next;
		free(r);
	}
	munmap(base, 16 * PG);
	return 0;
}

static unsigned count(void)
{
	unsigned n = 0;
	for (mp_region_t *r = list; r != NULL; r = r->next)
		n++;
	return n;
}

/* A region of pages 2..9; pages 0-1 and 10-15 are the task's own memory. */
static void middle_splits(void **state)
{
	uint64_t bytes = 0;
	int64_t lost = 0;
	(void)state;
	add(2, 8);
	/* pages 4..5 (an unaligned start and length, rounded out) */
	mp_region_cut(&list, (uint64_t)(uintptr_t)(base + 4 * PG + 100), PG + 10, PG, &bytes, &lost);
	assert_int_equal(bytes, 2 * PG);
	assert_int_equal(lost, -1); /* one region became two */
	assert_int_equal(count(), 2);
	assert_true(mapped(3) && !mapped(4) && !mapped(5) && mapped(6));
	/* the head, then the rest of the tail, and a range that meets nothing */
	bytes = 0;
	lost = 0;
	mp_region_cut(&list, (uint64_t)(uintptr_t)(base + 2 * PG), 2 * PG, PG, &bytes, &lost);
	mp_region_cut(&list, (uint64_t)(uintptr_t)(base + 6 * PG), 4 * PG, PG, &bytes, &lost);
	mp_region_cut(&list, (uint64_t)(uintptr_t)(base + 12 * PG), 2 * PG, PG, &bytes, &lost);
	assert_int_equal(bytes, 6 * PG);
	assert_int_equal(lost, 2);
	assert_null(list);
	assert_true(mapped(1) && !mapped(2) && !mapped(9) && mapped(10) && mapped(12));
}

/* One range over two regions and the gap between them: only the regions go. */
static void across_regions(void **state)
{
	uint64_t bytes = 0;
	int64_t lost = 0;
	(void)state;
	add(1, 2);  /* pages 1-2 */
	add(5, 3);  /* pages 5-7 */
	mp_region_cut(&list, (uint64_t)(uintptr_t)(base + 2 * PG), 4 * PG, PG, &bytes, &lost); /* pages 2..5 */
	assert_int_equal(bytes, 2 * PG);
	assert_int_equal(lost, 0);
	assert_int_equal(count(), 2);
	assert_true(mapped(1) && !mapped(2) && mapped(3) && mapped(4) && !mapped(5) && mapped(6));
	/* length 0 and a wrapping range do nothing */
	mp_region_cut(&list, (uint64_t)(uintptr_t)(base + PG), 0, PG, &bytes, &lost);
	mp_region_cut(&list, UINT64_MAX - PG, 4 * PG, PG, &bytes, &lost);
	assert_int_equal(bytes, 2 * PG);
	assert_int_equal(count(), 2);
	assert_true(mapped(1) && mapped(6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(middle_splits, setup, teardown),
		cmocka_unit_test_setup_teardown(across_regions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
