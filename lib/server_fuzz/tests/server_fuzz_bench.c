/*
 * lib/server_fuzz/tests/server_fuzz_bench.c: issue 15's bench: exec/s of
 * mp_server_fuzz_one beside a direct-call harness (the same generator's
 * requests, from the same input bytes, handed straight to the demux: no
 * kernel, no ledger), in one run.
 *
 *   server_fuzz_bench [--server session|sft] [--inputs N] [--rounds R] [--only harness|direct]
 *
 * --server: the clean example server (fuzz/servers/session, configured as
 * fuzz/session_server.c configures it; the default) or the harness's own
 * test server (tests/sft_server.c). One server per process: the harness is
 * made once per process (mp_server_fuzz_init).
 * --only: one side only (for valgrind --tool=callgrind
 * --toggle-collect=bench_harness / bench_direct: instructions per input,
 * repeatable whatever else the machine does; scripts/bench).
 * --rounds: the two sides alternate R times (default 5) over the same N
 * inputs, and each side's best round counts, so a machine that other work
 * slows now and then slows both sides alike. Times are the thread's CPU
 * time (exec/s per CPU second: the harness and the server run in this one
 * thread).
 * Prints "harness <exec/s>", "direct <exec/s>" and "ratio <harness/direct>"
 * lines (scripts/bench reads them).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz/servers/session/session_fuzz_config.h"
#include "lib/server_fuzz/inputs.h"
#include "lib/server_fuzz/tests/sft_server.h"
#include "machports/server_fuzz.h"
#include "machports/spec_gen.h"

#define DEFAULT_MAX_MESSAGES 8u /* the harness's default (server_fuzz.c) */

/* This thread's CPU time: on a machine shared with other work, time the
 * scheduler gave to others does not count against either side. */
static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --server's config (session_fuzz_config or sft_config), named */
static mp_server_fuzz_config_t chosen;
static const mp_server_fuzz_config_t *cfg;

/* ------------------------------------------------------------------------
 * The direct-call harness
 * ------------------------------------------------------------------------ */

static uint8_t ool_pool[65536];
static uint32_t ool_dirty; /* bytes of ool_pool a fill wrote (inputs.h) */
static mach_port_t no_names[16384]; /* null names: nothing to release */
static uint8_t req[65536], reply[65536];

/* What a direct call must do for the demux not to fault: OOL and OOL
 * ports descriptors point at real memory (the generator's addresses are
 * made up). */
static void point_ool_at_memory(uint8_t *msg, size_t len, mp_spec_gen_t *g)
{
	mach_msg_header_t *h = (mach_msg_header_t *)msg;
	uint32_t size = h->msgh_size, off = sizeof *h + sizeof(mach_msg_body_t), count;

	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) || size > len || size < off)
		return;
	count = ((mach_msg_body_t *)(msg + sizeof *h))->msgh_descriptor_count;
	for (uint32_t i = 0; i < count && off + 12u <= size; i++) {
		mach_msg_type_descriptor_t *t = (mach_msg_type_descriptor_t *)(msg + off);

		if (t->type == MACH_MSG_PORT_DESCRIPTOR) {
			off += 12u;
			continue;
		}
		if (off + 16u > size)
			break;
		if (t->type == MACH_MSG_OOL_DESCRIPTOR || t->type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR) {
			mach_msg_ool_descriptor_t *d = (mach_msg_ool_descriptor_t *)t;

			d->address = ool_pool;
			if (d->size > sizeof ool_pool)
				d->size = sizeof ool_pool;
			sf_ool_fill(g, ool_pool, d->size, &ool_dirty); /* as the harness's client */
		} else if (t->type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			mach_msg_ool_ports_descriptor_t *d = (mach_msg_ool_ports_descriptor_t *)t;

			d->address = no_names;
			if (d->count > sizeof no_names / sizeof no_names[0])
				d->count = sizeof no_names / sizeof no_names[0];
		}
		off += 16u;
	}
}

/* The input's reply values and OOL bytes, as the harness's (inputs.h). */
static sf_values_t values;

/* A routine's reply that passes MIG's check (what the harness's client
 * receives; a simpleroutine's is never sent): its values kept. */
static void keep_reply_values(const mp_spec_routine_t *rt)
{
	const mach_msg_header_t *h = (const mach_msg_header_t *)reply;
	mp_spec_view_t view;

	if (rt != NULL && rt->kind == MP_SPEC_ROUTINE &&
	    mp_spec_check_reply(rt, reply, h->msgh_size, MP_SPEC_MIG, &view, NULL) == MP_MIG_SUCCESS)
		sf_values_keep(&values, &view);
}

/* One request generated as the harness generates it (server_fuzz.c's
 * request_generated), handed to the demux in this process's default task. */
static void direct_request(mp_spec_gen_t *g, const mp_spec_routine_t *forced)
{
	size_t len = mp_spec_gen_request(g, cfg->subsystem, forced, forced ? MP_SPEC_GEN_VALID : MP_SPEC_GEN_ANY,
					 req, sizeof req, NULL);
	uint32_t size;

	if (len < sizeof(mach_msg_header_t))
		return;
	size = ((mach_msg_header_t *)req)->msgh_size;
	if (size > len || size < sizeof(mach_msg_header_t) || (size & 3u) != 0)
		return;
	sf_values_use(&values, g, cfg->subsystem, req, len);
	point_ool_at_memory(req, len, g);
	memset(reply, 0, sizeof(mach_msg_header_t));
	(void)cfg->demux((mach_msg_header_t *)req, (mach_msg_header_t *)reply);
	keep_reply_values(mp_spec_routine_for_id(cfg->subsystem, ((mach_msg_header_t *)req)->msgh_id));
}

/* The harness's sequence for one input (mp_server_fuzz_one): the setup
 * requests, then 1 + a choice below max_messages requests from the input
 * (with the reply values), then teardown. Port names and OOL addresses are the generator's: the
 * server's releases of them fail harmlessly. */
static void direct_one(const uint8_t *data, size_t size)
{
	uint32_t max = cfg->max_messages ? cfg->max_messages : DEFAULT_MAX_MESSAGES, n;
	mp_spec_gen_t g;

	values.n = 0;
	for (uint32_t i = 0; i < cfg->nsetup_requests; i++) {
		const mp_server_fuzz_setup_request_t *s = &cfg->setup_requests[i];

		mp_spec_gen_init(&g, s->seed, s->seed_len);
		direct_request(&g, mp_spec_routine_for_id(cfg->subsystem, s->id));
	}
	mp_spec_gen_init(&g, data, size);
	n = 1u + mp_spec_gen_below(&g, max);
	for (uint32_t i = 0; i < n; i++)
		direct_request(&g, NULL);
	if (cfg->teardown != NULL)
		cfg->teardown(cfg->ctx);
}

/* ------------------------------------------------------------------------
 * The two sides (named for callgrind's --toggle-collect)
 * ------------------------------------------------------------------------ */

__attribute__((noinline)) void bench_harness(unsigned inputs);
__attribute__((noinline)) void bench_direct(unsigned inputs);

void bench_harness(unsigned inputs)
{
	static uint8_t buf[512];

	for (unsigned i = 0; i < inputs; i++) {
		size_t n = sft_seeded_input(i, buf, sizeof buf);

		(void)mp_server_fuzz_one(buf, n);
	}
}

void bench_direct(unsigned inputs)
{
	static uint8_t buf[512];

	for (unsigned i = 0; i < inputs; i++) {
		size_t n = sft_seeded_input(i, buf, sizeof buf);

		direct_one(buf, n);
	}
}

/* The shorter of `best` (0: none yet) and a round of `side`, in seconds. */
static double best_round(double best, void (*side)(unsigned), unsigned inputs)
{
	double t0 = now_seconds(), t;

	side(inputs);
	t = now_seconds() - t0;
	return best == 0 || t < best ? t : best;
}

static int usage(void)
{
	fprintf(stderr, "usage: server_fuzz_bench [--server session|sft] [--inputs N] [--rounds R] "
			"[--only harness|direct]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *server = "session", *only = NULL;
	unsigned inputs = 20000u, rounds = 5u;
	mp_server_fuzz_stats_t st;
	double harness = 0, direct = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--server") == 0 && i + 1 < argc)
			server = argv[++i];
		else if (strcmp(argv[i], "--inputs") == 0 && i + 1 < argc)
			inputs = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else
			return usage();
	}
	if (strcmp(server, "session") == 0) {
		chosen = session_fuzz_config;
	} else if (strcmp(server, "sft") == 0) {
		chosen = sft_config();
		chosen.max_messages = 6;
	} else {
		return usage();
	}
	chosen.target = "//lib/server_fuzz:server_fuzz_bench";
	cfg = &chosen;
	if (inputs == 0 || rounds == 0 || (only != NULL && strcmp(only, "harness") != 0 && strcmp(only, "direct") != 0))
		return usage();
	if (mp_server_fuzz_init(cfg) != 0)
		return 1;
	for (unsigned r = 0; r < rounds; r++) {
		if (only == NULL || strcmp(only, "harness") == 0)
			harness = best_round(harness, bench_harness, inputs);
		if (only == NULL || strcmp(only, "direct") == 0)
			direct = best_round(direct, bench_direct, inputs);
	}
	mp_server_fuzz_get_stats(&st);
	printf("server %s: %u inputs x %u rounds; harness: %llu requests sent (%llu refused by the kernel), %llu served, %llu "
	       "replies checked\n",
	       server, inputs, rounds, (unsigned long long)st.requests_sent, (unsigned long long)st.requests_refused,
	       (unsigned long long)st.requests_served, (unsigned long long)st.replies_checked);
	if (harness > 0)
		printf("harness %.0f exec/s\n", inputs / harness);
	if (direct > 0)
		printf("direct %.0f exec/s\n", inputs / direct);
	if (harness > 0 && direct > 0)
		printf("ratio %.3f (harness exec/s / direct exec/s; goal >= 0.5)\n", direct / harness);
	return 0;
}
