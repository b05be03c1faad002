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

#endif /* EXAMPLE_CHECK_H */
