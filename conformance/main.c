/*
 * conformance/main.c: the conformance runner (//conformance:run).
 *
 *   run [--backend kern|machportd|darwin] [--seed S] [--cases N] [--case K]
 *       [--category C] [--time SECONDS] [--diff A B] [--record FILE] [-v]
 *
 * Runs generated cases (conformance/gen.c) through real ports and checks
 * each against the model (conformance/exec.c). Prints pass/fail counts per
 * category and, for each failing case, its seed, number and spec, the
 * failed checks, the mpdump of the bytes sent and received, and the command
 * that reruns it alone. --time runs random seeds until the time is up.
 * --diff runs every case on two backends and compares their records.
 * The last line is "N passed, N failed" (cases). Exit status 0 if all
 * passed, 1 if any failed, 2 on usage errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conformance/case.h"
#include "lib/tools/caller_path.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: run [--backend kern|machportd|darwin] [--seed S] [--cases N] [--case K]\n"
		   "           [--category C] [--time SECONDS] [--diff A B] [--record FILE] [-v]\n"
		   "categories:");
	for (int i = 0; i < CAT_COUNT; i++)
		fprintf(f, " %s", category_name((category_t)i));
	fprintf(f, "\n");
}

/* The runner keeps S and R as two tasks. The embedded kernel has any number
 * of tasks in this process; on machportd S is a task of a child process
 * (exec.c's open_sender). The Darwin kernel has one task per process, and
 * the runner has no way yet to drive a second process's task there: it is
 * refused with a reason rather than failing every case. */
static int parse_backend(const char *s, mp_backend_t *b)
{
	if (strcmp(s, "kern") == 0) {
		*b = MP_BACKEND_KERN;
		return 0;
	}
	if (strcmp(s, "machportd") == 0) {
		*b = MP_BACKEND_MACHPORTD;
		return 0;
	}
	if (strcmp(s, "darwin") == 0)
		fprintf(stderr, "run: backend darwin needs the sender in a task of another process, which this "
				"runner cannot drive on Darwin\n");
	else
		fprintf(stderr, "run: unknown backend %s (kern, machportd, darwin)\n", s);
	return -1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct totals {
	unsigned pass[CAT_COUNT], fail[CAT_COUNT];
} totals_t;

static const char *backend_arg(mp_backend_t b)
{
	return b == MP_BACKEND_DARWIN ? "darwin" : b == MP_BACKEND_MACHPORTD ? "machportd" : "kern";
}

static int run_one(uint64_t seed, uint32_t k, int only, mp_backend_t be, int diff, mp_backend_t be2,
		   totals_t *t, FILE *record, int verbose)
{
	case_spec_t c;
	outcome_t o, o2;
	int ok;
	char desc[4096];

	memset(&o, 0, sizeof o);
	memset(&o2, 0, sizeof o2);
	case_generate(&c, seed, k, only);
	ok = case_execute(&c, be, &o) == 0;
	if (diff) {
		int ok2 = case_execute(&c, be2, &o2) == 0;
		if (o.record_len != o2.record_len || (o.record && memcmp(o.record, o2.record, o.record_len) != 0)) {
			ok = 0;
			o.failures++;
			fprintf(stdout, "DIFF case %u: the backends disagree\n--- %s\n%s--- %s\n%s", k, backend_arg(be),
				o.record ? o.record : "", backend_arg(be2), o2.record ? o2.record : "");
		}
		ok = ok && ok2;
	}
	if (record && o.record)
		fprintf(record, "== case %u seed %llu %s\n%s", k, (unsigned long long)seed, category_name(c.cat), o.record);
	if (ok) {
		t->pass[c.cat]++;
		if (verbose)
			printf("ok   case %u (%s)\n", k, category_name(c.cat));
	} else {
		t->fail[c.cat]++;
		case_describe(&c, desc, sizeof desc);
		printf("FAIL %s", desc);
		if (o.report)
			fputs(o.report, stdout);
		printf("  rerun: scripts/conformance --backend %s --seed %llu --case %u%s%s\n\n", backend_arg(be),
		       (unsigned long long)seed, k, only >= 0 ? " --category " : "",
		       only >= 0 ? category_name((category_t)only) : "");
	}
	outcome_free(&o);
	outcome_free(&o2);
	return ok;
}

int main(int argc, char **argv)
{
	mp_backend_t be = MP_BACKEND_KERN, be2 = MP_BACKEND_KERN;
	uint64_t seed = 1;
	long cases = 1000, one = -1;
	int only = -1, diff = 0, verbose = 0;
	double secs = 0;
	const char *record_path = NULL;
	FILE *record = NULL;
	totals_t t;
	unsigned np = 0, nf = 0;
	double t0 = now(), el;
	long done = 0;

	memset(&t, 0, sizeof t);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--backend") == 0 && v) {
			if (parse_backend(v, &be) != 0)
				return 2;
			i++;
		} else if (strcmp(a, "--seed") == 0 && v) {
			seed = strtoull(v, NULL, 0);
			i++;
		} else if (strcmp(a, "--cases") == 0 && v) {
			cases = strtol(v, NULL, 0);
			i++;
		} else if (strcmp(a, "--case") == 0 && v) {
			one = strtol(v, NULL, 0);
			i++;
		} else if (strcmp(a, "--category") == 0 && v) {
			only = category_from_name(v);
			if (only < 0) {
				fprintf(stderr, "run: unknown category %s\n", v);
				usage(stderr);
				return 2;
			}
			i++;
		} else if (strcmp(a, "--time") == 0 && v) {
			secs = strtod(v, NULL);
			i++;
		} else if (strcmp(a, "--diff") == 0 && v && i + 2 < argc) {
			if (parse_backend(argv[i + 1], &be) != 0 || parse_backend(argv[i + 2], &be2) != 0)
				return 2;
			diff = 1;
			i += 2;
		} else if (strcmp(a, "--record") == 0 && v) {
			record_path = v;
			i++;
		} else if (strcmp(a, "-v") == 0) {
			verbose = 1;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (record_path) {
		char where[4096];
		const char *path = mp_caller_path(record_path, where, sizeof where); /* bazel run */
		if (path == NULL)
			errno = ENAMETOOLONG;
		record = path != NULL ? fopen(path, "w") : NULL;
		if (record == NULL) {
			perror(record_path);
			return 2;
		}
	}

	for (int i = 0; i < (diff ? 2 : 1); i++) {
		mp_backend_t b = i ? be2 : be;
		char why[256];
		mp_task_t *probe = NULL;
		/* machportd: starts the daemon if it is not running */
		if (b == MP_BACKEND_MACHPORTD && mp_task_open(b, &probe) != MP_KERN_SUCCESS) {
			fprintf(stderr, "run: no machportd (set MACHPORTD to its path, or start it)\n");
			return 2;
		}
		mp_task_close(probe);
		if (case_baseline(b, why, sizeof why) != 0) {
			fprintf(stderr, "run: backend %s: %s\n", backend_arg(b), why);
			return 2;
		}
	}

	if (one >= 0) {
		run_one(seed, (uint32_t)one, only, be, diff, be2, &t, record, 1);
	} else if (secs > 0) {
		/* random seeds until the time is up, each seed a block of cases */
		uint64_t s = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 20);
		printf("random run: %.0f s, seeds from %llu\n", secs, (unsigned long long)s);
		while (now() - t0 < secs) {
			for (uint32_t k = 0; k < 100; k++, done++)
				run_one(s, k, only, be, diff, be2, &t, record, verbose);
			s++;
		}
	} else {
		for (long k = 0; k < cases; k++, done++)
			run_one(seed, (uint32_t)k, only, be, diff, be2, &t, record, verbose);
	}
	el = now() - t0;
	if (record)
		fclose(record);

	printf("%-14s %8s %8s\n", "category", "passed", "failed");
	for (int i = 0; i < CAT_COUNT; i++) {
		if (t.pass[i] + t.fail[i] == 0)
			continue;
		printf("%-14s %8u %8u\n", category_name((category_t)i), t.pass[i], t.fail[i]);
		np += t.pass[i];
		nf += t.fail[i];
	}
	printf("%u cases in %.1f s (%.0f cases/s) on %s%s%s\n", np + nf, el, el > 0 ? (np + nf) / el : 0.0,
	       backend_arg(be), diff ? " vs " : "", diff ? backend_arg(be2) : "");
	printf("%u passed, %u failed\n", np, nf);
	return nf ? 1 : 0;
}
