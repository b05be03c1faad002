/*
 * lib/compat/examples/example_check.h: the examples' checks, in plain C
 * (no test framework: the examples compile for macOS against the SDK too,
 * scripts/check-darwin-abi). Each example runs named cases; a case passes
 * when none of its EXPECTs failed. ex_summary() prints the line
 * scripts/test counts ("N passed, N failed") and gives the exit status.
 */
#ifndef EXAMPLE_CHECK_H
#define EXAMPLE_CHECK_H

#include <mach/mach.h>
#include <mach/mach_error.h>
#include <stdatomic.h>
#include <stdio.h>

static int ex_passed, ex_failed;
static atomic_int ex_case_failures; /* checks may run on two threads */

static void ex_expect(int ok, const char *what, const char *file, int line)
{
	if (ok)
		return;
	ex_case_failures++;
	fprintf(stderr, "%s:%d: expected %s\n", file, line, what);
}

/* A Mach call's code, printed with mach_error_string when it is not `want`. */
static void ex_expect_kr(kern_return_t got, kern_return_t want, const char *what, const char *file, int line)
{
	if (got == want)
		return;
	ex_case_failures++;
	fprintf(stderr, "%s:%d: %s returned 0x%x (%s), expected 0x%x (%s)\n", file, line, what, (unsigned)got,
		mach_error_string(got), (unsigned)want, mach_error_string(want));
}

#define EXPECT(cond) ex_expect((cond) ? 1 : 0, #cond, __FILE__, __LINE__)
#define EXPECT_KR(call, want) ex_expect_kr((call), (want), #call, __FILE__, __LINE__)

static void ex_case(const char *name, void (*fn)(void))
{
	ex_case_failures = 0;
	fn();
	if (ex_case_failures == 0) {
		ex_passed++;
		printf("ok   %s\n", name);
	} else {
		ex_failed++;
		printf("FAIL %s\n", name);
	}
	fflush(stdout);
}

static int ex_summary(void)
{
	printf("%d passed, %d failed\n", ex_passed, ex_failed);
	return ex_failed == 0 ? 0 : 1;
}

/* What the examples ask of their own space. */

/* The type of `name` in this task (0 if it names nothing). */
static inline mach_port_type_t ex_type_of(mach_port_t name)
{
	mach_port_type_t type = 0;
	if (mach_port_type(mach_task_self(), name, &type) != KERN_SUCCESS)
		return 0;
	return type;
}

/* How many names the task holds (mach_port_names; its arrays freed). */
static inline mach_msg_type_number_t ex_names_count(void)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t n = 0, nt = 0;
	EXPECT_KR(mach_port_names(mach_task_self(), &names, &n, &types, &nt), KERN_SUCCESS);
	EXPECT(n == nt);
	if (names != NULL)
		(void)vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof names[0]);
	if (types != NULL)
		(void)vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof types[0]);
	return n;
}

/* A case that must leave no name behind: ex_begin() at its start,
 * ex_end_no_leak() at its end. */
static mach_msg_type_number_t ex_names_before;

static inline void ex_begin(void)
{
	ex_names_before = ex_names_count();
}

static inline void ex_end_no_leak(void)
{
	EXPECT(ex_names_count() == ex_names_before);
}

#endif /* EXAMPLE_CHECK_H */
