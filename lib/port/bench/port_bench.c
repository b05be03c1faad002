/*
 * lib/port/bench/port_bench.c: messages through the embedded kernel beside
 * baselines measured in the same run (scripts/bench prints the ratios).
 *
 *   handoff_simple   one thread: send a 64-byte simple message to its own
 *                    port and receive it (one message handed over)
 *   handoff_complex  the same with the foundation's 6-descriptor message
 *                    (rights, OOL memory, an OOL port array, a guarded
 *                    receive right), received and destroyed each time
 *   handoff_memcpy   baseline: the same 64 bytes memcpy'd into a slot and out
 *   rt_simple        two threads: request + reply through the kernel (a
 *                    round trip: 2 sends, 2 receives, a send-once reply right)
 *   rt_complex       the same with the 6-descriptor request
 *   rt_condvar       baseline: the same 64 bytes handed between two threads
 *                    with a mutex and two condition variables, both ways
 *
 * Usage: port_bench [--iters N] [--only VARIANT]. Prints ns per operation
 * (best of 3 rounds; the slow variants run N/10 or N/20 times, and exactly N
 * with --only); scripts/bench also counts instructions (callgrind,
 * --toggle-collect=bench_VARIANT).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "machports/port.h"

#define NOINLINE __attribute__((noinline))

static mp_task_t *g_client, *g_server;
static mp_port_name_t g_server_port; /* server's receive right */
static mp_port_name_t g_server_send; /* client's send right to it */
static mp_port_name_t g_reply_port;  /* client's reply port */
static mp_port_name_t g_self_port;   /* client's own port (handoffs) */
static mp_port_name_t g_extra;       /* client: a port whose rights ride along */
static uint8_t g_ool[4096];
static volatile uint64_t g_sink;

static void die(const char *what, mp_kr_t kr)
{
	fprintf(stderr, "port_bench: %s failed: 0x%x\n", what, (unsigned)kr);
	exit(1);
}

static uint32_t build_simple(uint8_t *buf, mp_port_name_t dest, uint32_t ddisp, mp_port_name_t reply)
{
	static const uint8_t data[40] = { 1, 2, 3 };
	mp_builder_t b;
	size_t n = 0;
	mp_builder_init(&b, buf, 256, 0);
	mp_builder_set_remote(&b, dest, ddisp);
	if (reply)
		mp_builder_set_local(&b, reply, MP_MSG_TYPE_MAKE_SEND_ONCE);
	mp_builder_set_id(&b, 100);
	mp_builder_append(&b, data, sizeof data); /* 24 + 40 = 64 bytes */
	if (mp_builder_finish(&b, &n, NULL) != MP_OK)
		die("build", 0);
	return (uint32_t)n;
}

/* The foundation's typical message (lib/msg/bench): 6 descriptors. The
 * guarded receive right is a fresh port each time (it moves to the receiver). */
static uint32_t build_complex(uint8_t *buf, mp_task_t *t, mp_port_name_t dest, uint32_t ddisp,
			      mp_port_name_t reply)
{
	static const uint8_t data[256] = { 9 };
	static mp_port_name_t names[2]; /* read by the kernel at send, after we return */
	mp_port_name_t g = 0;
	mp_port_options_t o = { MP_MPO_CONTEXT_AS_GUARD, 0 };
	mp_builder_t b;
	size_t n = 0;
	mp_kr_t kr = mp_port_construct(t, &o, 0x1234, &g);
	if (kr != MP_KERN_SUCCESS)
		die("construct", kr);
	names[0] = names[1] = g_extra;
	mp_builder_init(&b, buf, 1024, 0);
	mp_builder_set_remote(&b, dest, ddisp);
	if (reply)
		mp_builder_set_local(&b, reply, MP_MSG_TYPE_MAKE_SEND_ONCE);
	mp_builder_set_id(&b, 4242);
	mp_builder_add_port(&b, g_extra, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_ool(&b, mp_addr(g_ool), sizeof g_ool, MP_MSG_VIRTUAL_COPY, 0);
	mp_builder_add_ool_ports(&b, mp_addr(names), 2, MP_MSG_TYPE_COPY_SEND, MP_MSG_PHYSICAL_COPY, 0);
	mp_builder_add_port(&b, g_extra, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_guarded_port(&b, g, MP_MSG_TYPE_MOVE_RECEIVE, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE,
				    0x1234);
	mp_builder_add_ool(&b, mp_addr(g_ool), 100, MP_MSG_PHYSICAL_COPY, 0);
	mp_builder_append(&b, data, sizeof data);
	if (mp_builder_finish(&b, &n, NULL) != MP_OK)
		die("build complex", 0);
	return (uint32_t)n;
}

/* Receives one message with the options the benchmark measures. */
static void receive(mp_task_t *t, mp_port_name_t port, uint8_t *buf, size_t cap, mp_received_t *m)
{
	mp_kr_t kr = mp_msg_receive(t, port, MP_RCV_TRAILER_ELEMENTS(MP_RCV_TRAILER_AUDIT) | MP_MACH_RCV_GUARDED_DESC,
				    0, buf, cap, m);
	if (kr != MP_MACH_MSG_SUCCESS)
		die("receive", kr);
	g_sink += m->view.id;
}

/* Releases everything a message holds: the physical OOL copy arrives with
 * deallocate 0, so the receiver frees it itself (§6.9), then the rest. */
static void release_all(mp_received_t *m)
{
	mp_desc_iter_t it;
	mp_desc_t d;
	mp_desc_iter_init(&it, &m->view);
	while (mp_desc_next(&it, &d))
		if (d.type == MP_MSG_OOL_DESCRIPTOR && !d.deallocate && d.address)
			(void)mp_vm_deallocate(m->task, d.address, d.length);
	mp_received_release(m);
}

static _Alignas(8) uint8_t g_buf[2048];

NOINLINE void bench_handoff_simple(long n)
{
	uint32_t len = build_simple(g_buf, g_self_port, MP_MSG_TYPE_MAKE_SEND, 0);
	for (long i = 0; i < n; i++) {
		mp_kr_t kr = mp_msg_send(g_client, g_buf, len, 0, 0);
		if (kr != MP_MACH_MSG_SUCCESS)
			die("send", kr);
		kr = mp_mach_msg(g_client, g_buf, MP_MACH_RCV_MSG, 0, sizeof g_buf, g_self_port, 0);
		if (kr != MP_MACH_MSG_SUCCESS)
			die("receive", kr);
		g_sink += g_buf[24];
		/* the received message is the next one to send: restore the
		 * header (it was swapped) */
		len = build_simple(g_buf, g_self_port, MP_MSG_TYPE_MAKE_SEND, 0);
	}
}

NOINLINE void bench_handoff_complex(long n)
{
	for (long i = 0; i < n; i++) {
		uint32_t len = build_complex(g_buf, g_client, g_self_port, MP_MSG_TYPE_MAKE_SEND, 0);
		mp_kr_t kr = mp_msg_send(g_client, g_buf, len, 0, 0);
		if (kr != MP_MACH_MSG_SUCCESS)
			die("send complex", kr);
		mp_received_t m;
		receive(g_client, g_self_port, g_buf, sizeof g_buf, &m);
		release_all(&m);
	}
}

NOINLINE void bench_handoff_memcpy(long n)
{
	static _Alignas(8) uint8_t slot[64], out[64];
	uint8_t msg[64];
	build_simple(msg, 0x103, MP_MSG_TYPE_MAKE_SEND, 0);
	for (long i = 0; i < n; i++) {
		memcpy(slot, msg, sizeof slot);
		__asm__ volatile("" ::: "memory");
		memcpy(out, slot, sizeof out);
		g_sink += out[24];
	}
}

/* ---- two threads ---- */

static long g_rt_n;
static int g_rt_complex;

static void *server(void *arg)
{
	static _Alignas(8) uint8_t buf[2048];
	(void)arg;
	for (long i = 0; i < g_rt_n; i++) {
		mp_received_t m;
		mp_sonce_t reply;
		uint32_t len;
		mp_kr_t kr;

		receive(g_server, g_server_port, buf, sizeof buf, &m);
		if (!mp_received_take_reply_sonce(&m, &reply))
			die("no reply right", 0);
		release_all(&m);
		len = build_simple(buf, reply.name, MP_MSG_TYPE_MOVE_SEND_ONCE, 0);
		kr = mp_msg_send(g_server, buf, len, 0, 0);
		if (kr != MP_MACH_MSG_SUCCESS)
			die("server send", kr);
	}
	return NULL;
}

static void round_trips(long n, int complex)
{
	pthread_t th;
	g_rt_n = n;
	g_rt_complex = complex;
	if (pthread_create(&th, NULL, server, NULL) != 0)
		die("pthread_create", 0);
	for (long i = 0; i < n; i++) {
		uint32_t len = complex ? build_complex(g_buf, g_client, g_server_send, MP_MSG_TYPE_COPY_SEND,
						       g_reply_port)
				       : build_simple(g_buf, g_server_send, MP_MSG_TYPE_COPY_SEND, g_reply_port);
		mp_kr_t kr = mp_msg_send(g_client, g_buf, len, 0, 0);
		if (kr != MP_MACH_MSG_SUCCESS)
			die("client send", kr);
		kr = mp_mach_msg(g_client, g_buf, MP_MACH_RCV_MSG, 0, sizeof g_buf, g_reply_port, 0);
		if (kr != MP_MACH_MSG_SUCCESS)
			die("client receive", kr);
		g_sink += g_buf[24];
	}
	pthread_join(th, NULL);
}

NOINLINE void bench_rt_simple(long n)
{
	round_trips(n, 0);
}

NOINLINE void bench_rt_complex(long n)
{
	round_trips(n, 1);
}

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_to_server = PTHREAD_COND_INITIALIZER, g_to_client = PTHREAD_COND_INITIALIZER;
static uint8_t g_slot[64];
static int g_full_req, g_full_rep;

static void *cv_server(void *arg)
{
	uint8_t msg[64];
	(void)arg;
	for (long i = 0; i < g_rt_n; i++) {
		pthread_mutex_lock(&g_mu);
		while (!g_full_req)
			pthread_cond_wait(&g_to_server, &g_mu);
		memcpy(msg, g_slot, sizeof msg);
		g_full_req = 0;
		memcpy(g_slot, msg, sizeof msg);
		g_full_rep = 1;
		pthread_cond_signal(&g_to_client);
		pthread_mutex_unlock(&g_mu);
	}
	return NULL;
}

NOINLINE void bench_rt_condvar(long n)
{
	pthread_t th;
	uint8_t msg[64], out[64];
	build_simple(msg, 0x103, MP_MSG_TYPE_MAKE_SEND, 0);
	g_rt_n = n;
	if (pthread_create(&th, NULL, cv_server, NULL) != 0)
		die("pthread_create", 0);
	for (long i = 0; i < n; i++) {
		pthread_mutex_lock(&g_mu);
		memcpy(g_slot, msg, sizeof msg);
		g_full_req = 1;
		pthread_cond_signal(&g_to_server);
		while (!g_full_rep)
			pthread_cond_wait(&g_to_client, &g_mu);
		memcpy(out, g_slot, sizeof out);
		g_full_rep = 0;
		pthread_mutex_unlock(&g_mu);
		g_sink += out[24];
	}
	pthread_join(th, NULL);
}

typedef struct variant {
	const char *name;
	void (*fn)(long);
	long scale; /* iterations = iters / scale */
} variant_t;

static const variant_t variants[] = {
	{ "handoff_simple", bench_handoff_simple, 1 },
	{ "handoff_complex", bench_handoff_complex, 10 },
	{ "handoff_memcpy", bench_handoff_memcpy, 1 },
	{ "rt_simple", bench_rt_simple, 4 },
	{ "rt_complex", bench_rt_complex, 20 },
	{ "rt_condvar", bench_rt_condvar, 4 },
};

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void setup(void)
{
	mp_kr_t kr;
	uint32_t type;
	if ((kr = mp_task_open(MP_BACKEND_KERN, &g_client)) != MP_KERN_SUCCESS ||
	    (kr = mp_task_open(MP_BACKEND_KERN, &g_server)) != MP_KERN_SUCCESS)
		die("mp_task_open", kr);
	if ((kr = mp_port_allocate(g_server, MP_PORT_RIGHT_RECEIVE, &g_server_port)) != 0 ||
	    (kr = mp_port_set_qlimit(g_server, g_server_port, MP_PORT_QLIMIT_LARGE)) != 0 ||
	    (kr = mp_port_extract_right(g_server, g_server_port, MP_MSG_TYPE_MAKE_SEND, g_client,
					&g_server_send, &type)) != 0 ||
	    (kr = mp_port_allocate(g_client, MP_PORT_RIGHT_RECEIVE, &g_reply_port)) != 0 ||
	    (kr = mp_port_allocate(g_client, MP_PORT_RIGHT_RECEIVE, &g_self_port)) != 0 ||
	    (kr = mp_port_allocate(g_client, MP_PORT_RIGHT_RECEIVE, &g_extra)) != 0 ||
	    (kr = mp_port_insert_right(g_client, g_extra, g_client, g_extra, MP_MSG_TYPE_MAKE_SEND)) != 0)
		die("setup", kr);
	memset(g_ool, 0x5a, sizeof g_ool);
}

int main(int argc, char **argv)
{
	long iters = 200000;
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--iters") == 0 && i + 1 < argc)
			iters = atol(argv[++i]);
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else {
			fprintf(stderr, "usage: port_bench [--iters N] [--only VARIANT]\n");
			return 2;
		}
	}
	setup();
	for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
		const variant_t *x = &variants[v];
		long n = only ? iters : iters / x->scale; /* --only: exactly N (callgrind) */
		double best = 0;
		if (only != NULL && strcmp(only, x->name) != 0)
			continue;
		if (n < 1)
			n = 1;
		for (int round = 0; round < (only ? 1 : 3); round++) {
			double t0 = now_ns();
			x->fn(n);
			double dt = (now_ns() - t0) / (double)n;
			if (round == 0 || dt < best)
				best = dt;
		}
		printf("%-16s %10.1f ns/op %12.0f op/s\n", x->name, best, 1e9 / best);
	}
	mp_task_close(g_client);
	mp_task_close(g_server);
	return g_sink == 0xdeadbeef;
}
