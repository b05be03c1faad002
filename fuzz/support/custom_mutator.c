/*
 * fuzz/support/custom_mutator.c: libFuzzer's structure-aware hooks for the
 * message targets (those linking it: tag fuzz-mutator, fuzz/fuzz.bzl). MP_FUZZ_NO_MUTATOR=1 in the
 * environment turns them into plain LLVMFuzzerMutate, so a campaign can be
 * measured with and without them from the same binary (scripts/fuzz
 * --no-mutator). Under the replay and AFL++ drivers they are never called
 * (AFL++ loads fuzz/support/afl_mutator.c instead).
 *
 * MP_FUZZ_MUTATION_STATS=FILE counts, per named mutation (mutator.h), the
 * inputs it made and how many of them libFuzzer kept. libFuzzer has no
 * callback for new coverage, but it writes each input it keeps (NEW, or a
 * smaller REDUCE) into the first corpus directory of its command line
 * before it asks for the next mutation; an inotify watch on that directory
 * sees the file, and the kinds of the previous call get the credit. At
 * exit one block "mutation NAME made N kept K" is appended to FILE (in
 * fork mode one per job; a job that crashes writes none). Linux only.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/inotify.h>
#endif

#include "fuzz/support/mutator.h"

/* Weak: absent under the replay driver, which never mutates. */
__attribute__((weak)) size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static size_t byte_mutate(uint8_t *data, size_t size, size_t max_size)
{
	return LLVMFuzzerMutate != NULL ? LLVMFuzzerMutate(data, size, max_size) : size;
}

static int disabled(void)
{
	static int state = -1;
	if (state < 0) {
		const char *e = getenv("MP_FUZZ_NO_MUTATOR");
		state = e != NULL && e[0] != '\0' && strcmp(e, "0") != 0;
	}
	return state;
}

/* ---- per-mutation statistics ------------------------------------------- */

static struct {
	int state; /* 0 not looked at, 1 on, -1 off */
	int watch_fd;
	const char *path;
	uint32_t last; /* kinds of the last call, not yet judged */
	unsigned long made[MP_FUZZ_MUTATION_KINDS], kept[MP_FUZZ_MUTATION_KINDS];
} g_stats;

#ifdef __linux__
/* libFuzzer's output corpus: the first argument that is not a flag. */
static int output_corpus(char *dir, size_t cap)
{
	char buf[16384];
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (size_t off = strlen(buf) + 1; off < (size_t)n; off += strlen(buf + off) + 1)
		if (buf[off] != '-')
			return snprintf(dir, cap, "%s", buf + off) < (int)cap;
	return 0;
}

/* Inputs kept since the last look: the files created in the corpus dir. */
static unsigned kept_since(void)
{
	char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	unsigned files = 0;
	ssize_t n;
	while ((n = read(g_stats.watch_fd, ev, sizeof ev)) > 0)
		for (ssize_t off = 0; off < n;) {
			const struct inotify_event *e = (const struct inotify_event *)(ev + off);
			files += (e->mask & (IN_CREATE | IN_MOVED_TO)) != 0;
			off += (ssize_t)(sizeof *e + e->len);
		}
	return files;
}

static void judge_last(void)
{
	if (kept_since() == 0 || g_stats.last == 0)
		return;
	for (unsigned k = 0; k < MP_FUZZ_MUTATION_KINDS; k++)
		if (g_stats.last & (1u << k))
			g_stats.kept[k]++;
	g_stats.last = 0;
}

static void write_stats(void)
{
	char out[4096];
	size_t len = 0;
	unsigned long total = 0;
	int fd;

	judge_last();
	for (unsigned k = 0; k < MP_FUZZ_MUTATION_KINDS; k++) {
		total += g_stats.made[k];
		len += (size_t)snprintf(out + len, sizeof out - len, "mutation %s made %lu kept %lu\n",
					mp_fuzz_mutation_name(k), g_stats.made[k], g_stats.kept[k]);
	}
	if (total == 0) /* the fork-mode parent, which never mutates */
		return;
	fd = open(g_stats.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)!write(fd, out, len); /* one append: jobs do not interleave */
		close(fd);
	}
}

/* Called before each mutation: judges the previous one. */
static void stats_before(void)
{
	char dir[4096];
	if (g_stats.state == 0) {
		g_stats.state = -1;
		g_stats.path = getenv("MP_FUZZ_MUTATION_STATS");
		if (g_stats.path == NULL || g_stats.path[0] == '\0' || !output_corpus(dir, sizeof dir))
			return;
		g_stats.watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (g_stats.watch_fd < 0 ||
		    inotify_add_watch(g_stats.watch_fd, dir, IN_CREATE | IN_MOVED_TO) < 0)
			return;
		g_stats.state = 1;
		atexit(write_stats);
		(void)kept_since(); /* anything before the first mutation is not ours */
		return;
	}
	if (g_stats.state > 0)
		judge_last();
}

#else
static void stats_before(void)
{
}
#endif

/* Called after each mutation: counts what made this input. */
static void stats_after(void)
{
	if (g_stats.state <= 0)
		return;
	g_stats.last = mp_fuzz_last_mutations();
	for (unsigned k = 0; k < MP_FUZZ_MUTATION_KINDS; k++)
		if (g_stats.last & (1u << k))
			g_stats.made[k]++;
}

/* ---- the hooks ------------------------------------------------------------ */

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	size_t n;
	if (disabled())
		return byte_mutate(data, size, max_size);
	stats_before();
	n = mp_fuzz_mutate(data, size, max_size, seed, byte_mutate);
	stats_after();
	return n;
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
				 uint8_t *out, size_t max_out, unsigned int seed)
{
	size_t n;
	if (disabled()) { /* libFuzzer's own crossover is not callable: splice halves */
		size_t a = s1 / 2 < max_out ? s1 / 2 : max_out, b = s2 - s2 / 2;
		if (b > max_out - a)
			b = max_out - a;
		memcpy(out, d1, a);
		memcpy(out + a, d2 + s2 / 2, b);
		return a + b;
	}
	stats_before();
	n = mp_fuzz_crossover(d1, s1, d2, s2, out, max_out, seed);
	stats_after();
	return n;
}
