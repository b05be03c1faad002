/*
 * lib/compat/bench/compat_bench.c: mach_msg through Apple's API (lib/compat)
 * beside the same messages through lib/port directly (mp_mach_msg), on the
 * same task of the embedded kernel, in the same run (scripts/bench prints
 * the ratios; the goal is at most 1.1x).
 *
 *   msg_compat   one thread: mach_msg(MACH_SEND_MSG) of a 64-byte simple
 *                message to its own port, then mach_msg(MACH_RCV_MSG)
 *   msg_direct   the same two calls through mp_mach_msg
 *   rpc_compat   one thread, a request and its reply: mach_msg(SEND|RCV)
 *                sends a request carrying a send-once reply right
 *                (MAKE_SEND_ONCE) and receives it; mach_msg(SEND|RCV) sends
 *                the reply through that right and receives it on the reply
 *                port (4 messages' worth of copyin/copyout, 2 calls)
 *   rpc_direct   the same two calls through mp_mach_msg
 *
 * Usage: compat_bench [--iters N] [--only VARIANT]. Prints ns per operation
 * (best of 3 interleaved rounds; one round with --only); scripts/bench also
 * counts instructions (callgrind, --toggle-collect=bench_VARIANT).
 */
#define _GNU_SOURCE
#include <mach/mach.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "machports/compat.h"
#include "machports/port.h"

#define NOINLINE __attribute__((noinline))

typedef struct {
	mach_msg_header_t head;
	uint8_t data[40]; /* 24 + 40 = 64 bytes */
} small_msg_t;

typedef union {
	small_msg_t msg;
	uint8_t room[sizeof(small_msg_t) + MAX_TRAILER_SIZE];
} small_buf_t;

static mach_port_t g_port;  /* receive right + send right under one name */
static mach_port_t g_reply; /* the client's reply port (receive right) */
static mp_task_t *g_task;   /* the same task, for the direct calls */
static small_buf_t g_buf;
static volatile uint64_t g_sink;

static void die(const char *what, kern_return_t kr)
{
	fprintf(stderr, "compat_bench: %s failed: 0x%x\n", what, (unsigned)kr);
	exit(1);
}

static void fill(small_msg_t *m, mach_port_t dest, mach_msg_bits_t rbits, mach_port_t reply, mach_msg_bits_t lbits)
{
	memset(&m->head, 0, sizeof m->head);
	m->head.msgh_bits = MACH_MSGH_BITS(rbits, lbits);
	m->head.msgh_size = sizeof *m;
	m->head.msgh_remote_port = dest;
	m->head.msgh_local_port = reply;
	m->head.msgh_id = 100;
	m->data[0] = 1;
}

NOINLINE void bench_msg_compat(long n)
{
	for (long i = 0; i < n; i++) {
		fill(&g_buf.msg, g_port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0);
		kern_return_t kr = mach_msg(&g_buf.msg.head, MACH_SEND_MSG, sizeof g_buf.msg, 0, MACH_PORT_NULL,
					    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS)
			die("mach_msg send", kr);
		kr = mach_msg(&g_buf.msg.head, MACH_RCV_MSG, 0, sizeof g_buf, g_port, MACH_MSG_TIMEOUT_NONE,
			      MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS)
			die("mach_msg receive", kr);
		g_sink += g_buf.msg.data[0];
	}
}

NOINLINE void bench_msg_direct(long n)
{
	for (long i = 0; i < n; i++) {
		fill(&g_buf.msg, g_port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0);
		mp_kr_t kr = mp_mach_msg(g_task, &g_buf, MP_MACH_SEND_MSG, sizeof g_buf.msg, 0, MP_PORT_NULL, 0);
		if (kr != MP_MACH_MSG_SUCCESS)
			die("mp_mach_msg send", (kern_return_t)kr);
		kr = mp_mach_msg(g_task, &g_buf, MP_MACH_RCV_MSG, 0, sizeof g_buf, g_port, 0);
		if (kr != MP_MACH_MSG_SUCCESS)
			die("mp_mach_msg receive", (kern_return_t)kr);
		g_sink += g_buf.msg.data[0];
	}
}

NOINLINE void bench_rpc_compat(long n)
{
	for (long i = 0; i < n; i++) {
		fill(&g_buf.msg, g_port, MACH_MSG_TYPE_COPY_SEND, g_reply, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		kern_return_t kr = mach_msg(&g_buf.msg.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof g_buf.msg,
					    sizeof g_buf, g_port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS)
			die("mach_msg request", kr);
		/* the request's msgh_remote_port is now the send-once reply right */
		fill(&g_buf.msg, g_buf.msg.head.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0);
		kr = mach_msg(&g_buf.msg.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof g_buf.msg, sizeof g_buf, g_reply,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS)
			die("mach_msg reply", kr);
		g_sink += g_buf.msg.data[0];
	}
}

NOINLINE void bench_rpc_direct(long n)
{
	for (long i = 0; i < n; i++) {
		fill(&g_buf.msg, g_port, MACH_MSG_TYPE_COPY_SEND, g_reply, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		mp_kr_t kr = mp_mach_msg(g_task, &g_buf, MP_MACH_SEND_MSG | MP_MACH_RCV_MSG, sizeof g_buf.msg,
					 sizeof g_buf, g_port, 0);
		if (kr != MP_MACH_MSG_SUCCESS)
			die("mp_mach_msg request", (kern_return_t)kr);
		fill(&g_buf.msg, g_buf.msg.head.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0);
		kr = mp_mach_msg(g_task, &g_buf, MP_MACH_SEND_MSG | MP_MACH_RCV_MSG, sizeof g_buf.msg, sizeof g_buf,
				 g_reply, 0);
		if (kr != MP_MACH_MSG_SUCCESS)
			die("mp_mach_msg reply", (kern_return_t)kr);
		g_sink += g_buf.msg.data[0];
	}
}

typedef struct variant {
	const char *name;
	void (*fn)(long);
} variant_t;

static const variant_t variants[] = {
	{ "msg_compat", bench_msg_compat },
	{ "msg_direct", bench_msg_direct },
	{ "rpc_compat", bench_rpc_compat },
	{ "rpc_direct", bench_rpc_direct },
};

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void setup(void)
{
	kern_return_t kr;
	if ((kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &g_port)) != KERN_SUCCESS ||
	    (kr = mach_port_insert_right(mach_task_self(), g_port, g_port, MACH_MSG_TYPE_MAKE_SEND)) != KERN_SUCCESS ||
	    (kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &g_reply)) != KERN_SUCCESS)
		die("setup", kr);
	g_task = mp_compat_port_task(mp_compat_current());
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
			fprintf(stderr, "usage: compat_bench [--iters N] [--only VARIANT]\n");
			return 2;
		}
	}
	if (iters < 1)
		iters = 1;
	setup();
	/* the rounds interleave the variants, so a compat figure and its
	 * direct baseline see the same machine load */
	enum { NVARIANTS = sizeof variants / sizeof variants[0] };
	double best[NVARIANTS] = { 0 };
	for (int round = 0; round < (only ? 1 : 3); round++) {
		for (size_t v = 0; v < NVARIANTS; v++) {
			if (only != NULL && strcmp(only, variants[v].name) != 0)
				continue;
			double t0 = now_ns();
			variants[v].fn(iters);
			double dt = (now_ns() - t0) / (double)iters;
			if (round == 0 || dt < best[v])
				best[v] = dt;
		}
	}
	for (size_t v = 0; v < NVARIANTS; v++)
		if (only == NULL || strcmp(only, variants[v].name) == 0)
			printf("%-12s %10.1f ns/op %12.0f op/s\n", variants[v].name, best[v], 1e9 / best[v]);
	(void)mach_port_mod_refs(mach_task_self(), g_port, MACH_PORT_RIGHT_RECEIVE, -1);
	(void)mach_port_deallocate(mach_task_self(), g_port);
	(void)mach_port_mod_refs(mach_task_self(), g_reply, MACH_PORT_RIGHT_RECEIVE, -1);
	return g_sink == 0xdeadbeef;
}
