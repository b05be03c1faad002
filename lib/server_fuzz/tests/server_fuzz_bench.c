/*
 * lib/server_fuzz/tests/server_fuzz_bench.c: exec/s of mp_server_fuzz_one
 * on the clean test server beside a direct-call harness (the same
 * generator's requests handed straight to the demux: no kernel, no
 * ledger), in one run. Usage: server_fuzz_bench [inputs] (default 20000).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/server_fuzz/tests/sft_server.h"
#include "machports/server_fuzz.h"
#include "machports/spec_gen.h"

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t seeded_input(uint32_t seed, uint8_t *buf, size_t cap)
{
	uint32_t x = seed * 2654435761u + 1u;
	size_t n = 16u + (seed % 256u);

	if (n > cap)
		n = cap;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	return n;
}

static uint8_t ool_pool[65536];
static mach_port_t no_names[16384]; /* null names: nothing to release */

/* What a direct call must do for the demux not to fault: OOL and OOL
 * ports descriptors point at real memory (the generator's addresses are
 * made up). */
static void point_ool_at_memory(uint8_t *req, size_t len)
{
	mach_msg_header_t *h = (mach_msg_header_t *)req;
	uint32_t size = h->msgh_size, off = sizeof *h + sizeof(mach_msg_body_t), count;

	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) || size > len || size < off)
		return;
	count = ((mach_msg_body_t *)(req + sizeof *h))->msgh_descriptor_count;
	for (uint32_t i = 0; i < count && off + 12u <= size; i++) {
		mach_msg_type_descriptor_t *t = (mach_msg_type_descriptor_t *)(req + off);

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
		} else if (t->type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			mach_msg_ool_ports_descriptor_t *d = (mach_msg_ool_ports_descriptor_t *)t;

			d->address = no_names;
			if (d->count > sizeof no_names / sizeof no_names[0])
				d->count = sizeof no_names / sizeof no_names[0];
		}
		off += 16u;
	}
}

/* The direct-call baseline: the same number of requests per input (the
 * harness's rule: 1 + a choice below max_messages), generated the same
 * way, each handed to the demux in this task. Port names and OOL addresses
 * are the generator's: the server's releases of them fail harmlessly. */
static void direct_one(const uint8_t *data, size_t size, uint8_t *req, uint8_t *reply, size_t cap)
{
	mp_spec_gen_t g;
	uint32_t n;

	mp_spec_gen_init(&g, data, size);
	n = 1u + mp_spec_gen_below(&g, 6);
	for (uint32_t i = 0; i < n; i++) {
		size_t len = mp_spec_gen_request(&g, &sft_spec, NULL, MP_SPEC_GEN_ANY, req, cap, NULL);

		if (len < sizeof(mach_msg_header_t))
			continue;
		point_ool_at_memory(req, len);
		memset(reply, 0, sizeof(mach_msg_header_t));
		(void)sft_server((mach_msg_header_t *)req, (mach_msg_header_t *)reply);
	}
	sft_teardown(NULL);
}

int main(int argc, char **argv)
{
	static const mp_server_fuzz_config_t cfg = {
		.demux = sft_server,
		.subsystem = &sft_spec,
		.setup = sft_setup,
		.teardown = sft_teardown,
		.may_keep = sft_may_keep,
		.max_messages = 6,
		.target = "//lib/server_fuzz:server_fuzz_bench",
	};
	unsigned inputs = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20000u;
	static uint8_t buf[512], req[65536], reply[65536];
	mp_server_fuzz_stats_t st;
	double t0, harness, direct;

	if (mp_server_fuzz_init(&cfg) != 0)
		return 1;
	t0 = now_seconds();
	for (unsigned i = 0; i < inputs; i++) {
		size_t n = seeded_input(i, buf, sizeof buf);

		(void)mp_server_fuzz_one(buf, n);
	}
	harness = now_seconds() - t0;
	t0 = now_seconds();
	for (unsigned i = 0; i < inputs; i++) {
		size_t n = seeded_input(i, buf, sizeof buf);

		direct_one(buf, n, req, reply, sizeof req);
	}
	direct = now_seconds() - t0;
	mp_server_fuzz_get_stats(&st);
	printf("server_fuzz_bench: %u inputs, %llu requests sent (%llu refused by the kernel), %llu served, %llu "
	       "replies checked\n",
	       inputs, (unsigned long long)st.requests_sent, (unsigned long long)st.requests_refused,
	       (unsigned long long)st.requests_served, (unsigned long long)st.replies_checked);
	printf("harness: %.0f exec/s\ndirect:  %.0f exec/s\nratio:   %.3f\n", inputs / harness, inputs / direct,
	       direct / harness);
	return 0;
}
