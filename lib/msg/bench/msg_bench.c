/*
 * lib/msg/bench/msg_bench.c: build and parse of a typical complex message,
 * beside a baseline measured in the same run.
 *
 * The message: a header with a reply port, 6 descriptors of mixed kinds
 * (port, OOL, OOL-ports, port, guarded port, OOL), 256 bytes inline, and
 * (received) an audit trailer. The baseline is what MIG-generated code does
 * for one fixed message layout: overlay a packed struct on the buffer and
 * compare each field with the value the layout expects, and fill the same
 * struct field by field to send.
 *
 *   msg_bench [--iters N] [--only NAME]
 *
 * Without --only it times every variant (best of 5 rounds) and prints ns per
 * message and the ratio to its baseline. With --only it runs one variant N
 * times and nothing else, for `valgrind --tool=callgrind
 * --toggle-collect=bench_NAME` (scripts/bench turns that into instructions
 * per message).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "machports/msg.h"

#define NOINLINE __attribute__((noinline))
/* Tells the compiler `p` escapes and memory may change: nothing is hoisted out of a loop. */
#define CLOBBER(p) __asm__ volatile("" : : "r"(p) : "memory")

enum { INLINE_LEN = 256 };
#define REPLY 0x00000207u
#define DEST 0x00000103u
#define SEND_NAME 0x0000030bu
#define RECV_NAME 0x0000040fu

#pragma pack(push, 4)
/* The fixed layout a MIG subsystem would declare for this message. */
typedef struct typical_msg {
	mp_msg_header_t head;
	mp_msg_body_t body;
	mp_msg_port_descriptor_t port0;
	mp_msg_ool_descriptor_t ool1;
	mp_msg_ool_ports_descriptor_t ports2;
	mp_msg_port_descriptor_t port3;
	mp_msg_guarded_port_descriptor_t guarded4;
	mp_msg_ool_descriptor_t ool5;
	uint8_t data[INLINE_LEN];
} typical_msg_t;

typedef struct typical_rcv {
	typical_msg_t msg;
	mp_msg_audit_trailer_t trailer;
} typical_rcv_t;
#pragma pack(pop)

static uint8_t g_data[INLINE_LEN];
static uint32_t g_names[2] = {SEND_NAME, DEST};
static uint8_t g_ool[4096];
static volatile uint64_t g_sink; /* keeps results alive */

/* ---- what a handler extracts from the message, both ways ---- */
static uint64_t digest_fixed(const typical_rcv_t *m)
{
	return (uint64_t)m->msg.head.msgh_remote_port + m->msg.head.msgh_local_port +
	       (uint64_t)m->msg.head.msgh_id + m->msg.port0.name + m->msg.ool1.address +
	       m->msg.ool1.size + m->msg.ports2.address + m->msg.ports2.count + m->msg.port3.name +
	       m->msg.guarded4.name + m->msg.guarded4.context + m->msg.ool5.address +
	       m->msg.ool5.size + m->msg.data[0] + m->trailer.msgh_audit.val[5] +
	       m->trailer.msgh_sender.val[0];
}

/* ---- baseline: MIG-style fixed-layout checks (__MIG_check__Request__*) ---- */
static int check_fixed_recv(const void *buf, size_t len)
{
	const typical_rcv_t *m = buf;
	if (len < sizeof(typical_rcv_t))
		return 0;
	if (!(m->msg.head.msgh_bits & MP_MSGH_BITS_COMPLEX) ||
	    m->msg.head.msgh_size != sizeof(typical_msg_t))
		return 0;
	if (m->msg.body.msgh_descriptor_count != 6)
		return 0;
	if (m->msg.port0.type != MP_MSG_PORT_DESCRIPTOR ||
	    m->msg.port0.disposition != MP_MSG_TYPE_PORT_SEND)
		return 0;
	if (m->msg.ool1.type != MP_MSG_OOL_DESCRIPTOR)
		return 0;
	if (m->msg.ports2.type != MP_MSG_OOL_PORTS_DESCRIPTOR ||
	    m->msg.ports2.disposition != MP_MSG_TYPE_PORT_SEND)
		return 0;
	if (m->msg.port3.type != MP_MSG_PORT_DESCRIPTOR ||
	    m->msg.port3.disposition != MP_MSG_TYPE_PORT_RECEIVE)
		return 0;
	if (m->msg.guarded4.type != MP_MSG_GUARDED_PORT_DESCRIPTOR ||
	    m->msg.guarded4.disposition != MP_MSG_TYPE_PORT_RECEIVE)
		return 0;
	if (m->msg.ool5.type != MP_MSG_OOL_DESCRIPTOR)
		return 0;
	/* MIG locates the trailer at round_msg(msgh_size) and checks its format and size. */
	if (m->trailer.msgh_trailer_type != MP_MSG_TRAILER_FORMAT_0 ||
	    m->trailer.msgh_trailer_size < sizeof(mp_msg_audit_trailer_t))
		return 0;
	return 1;
}

static int check_fixed_send(const void *buf, size_t len)
{
	const typical_msg_t *m = buf;
	if (len != sizeof(typical_msg_t))
		return 0;
	if (!(m->head.msgh_bits & MP_MSGH_BITS_COMPLEX) || m->body.msgh_descriptor_count != 6)
		return 0;
	if (m->port0.type != MP_MSG_PORT_DESCRIPTOR || m->ool1.type != MP_MSG_OOL_DESCRIPTOR ||
	    m->ports2.type != MP_MSG_OOL_PORTS_DESCRIPTOR || m->port3.type != MP_MSG_PORT_DESCRIPTOR ||
	    m->guarded4.type != MP_MSG_GUARDED_PORT_DESCRIPTOR || m->ool5.type != MP_MSG_OOL_DESCRIPTOR)
		return 0;
	if (m->ool1.copy > 1 || m->ool5.copy > 1 || m->guarded4.disposition != MP_MSG_TYPE_MOVE_RECEIVE ||
	    m->guarded4.flags == 0 || (m->guarded4.flags & ~3u) != 0)
		return 0;
	return 1;
}

/* MIG's user stub: fill the fixed struct field by field. */
static size_t build_fixed(void *buf)
{
	typical_msg_t *m = buf;
	m->head.msgh_bits = MP_MSGH_BITS(MP_MSG_TYPE_COPY_SEND, MP_MSG_TYPE_MAKE_SEND_ONCE) |
			    MP_MSGH_BITS_COMPLEX;
	m->head.msgh_size = sizeof *m;
	m->head.msgh_remote_port = DEST;
	m->head.msgh_local_port = REPLY;
	m->head.msgh_voucher_port = 0;
	m->head.msgh_id = 4242;
	m->body.msgh_descriptor_count = 6;
	m->port0 = (mp_msg_port_descriptor_t){SEND_NAME, 0, 0, MP_MSG_TYPE_COPY_SEND, MP_MSG_PORT_DESCRIPTOR};
	m->ool1 = (mp_msg_ool_descriptor_t){mp_addr(g_ool), 0, MP_MSG_VIRTUAL_COPY, 0,
					    MP_MSG_OOL_DESCRIPTOR, sizeof g_ool};
	m->ports2 = (mp_msg_ool_ports_descriptor_t){mp_addr(g_names), 0, MP_MSG_PHYSICAL_COPY,
						    MP_MSG_TYPE_COPY_SEND, MP_MSG_OOL_PORTS_DESCRIPTOR, 2};
	m->port3 = (mp_msg_port_descriptor_t){RECV_NAME, 0, 0, MP_MSG_TYPE_MAKE_SEND, MP_MSG_PORT_DESCRIPTOR};
	m->guarded4 = (mp_msg_guarded_port_descriptor_t){0x1234, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE,
							 MP_MSG_TYPE_MOVE_RECEIVE,
							 MP_MSG_GUARDED_PORT_DESCRIPTOR, RECV_NAME};
	m->ool5 = (mp_msg_ool_descriptor_t){mp_addr(g_ool), 1, MP_MSG_PHYSICAL_COPY, 0,
					    MP_MSG_OOL_DESCRIPTOR, 100};
	memcpy(m->data, g_data, sizeof g_data);
	return sizeof *m;
}

/* ---- machports: the general builder and parser ---- */
static size_t build_general(void *buf, size_t cap)
{
	mp_builder_t b;
	size_t len = 0;
	mp_builder_init(&b, buf, cap, 0);
	mp_builder_set_remote(&b, DEST, MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_local(&b, REPLY, MP_MSG_TYPE_MAKE_SEND_ONCE);
	mp_builder_set_id(&b, 4242);
	mp_builder_add_port(&b, SEND_NAME, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_ool(&b, mp_addr(g_ool), sizeof g_ool, MP_MSG_VIRTUAL_COPY, 0);
	mp_builder_add_ool_ports(&b, mp_addr(g_names), 2, MP_MSG_TYPE_COPY_SEND, MP_MSG_PHYSICAL_COPY, 0);
	mp_builder_add_port(&b, RECV_NAME, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_guarded_port(&b, RECV_NAME, MP_MSG_TYPE_MOVE_RECEIVE,
				    MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0x1234);
	mp_builder_add_ool(&b, mp_addr(g_ool), 100, MP_MSG_PHYSICAL_COPY, 1);
	mp_builder_append(&b, g_data, sizeof g_data);
	if (mp_builder_finish(&b, &len, NULL) != MP_OK)
		return 0;
	return len;
}

static uint64_t digest_view(const mp_msg_view_t *v)
{
	mp_desc_iter_t it;
	mp_desc_t d;
	size_t ilen;
	uint64_t s = (uint64_t)v->remote + v->local + (uint64_t)v->id;
	mp_desc_iter_init(&it, v);
	while (mp_desc_next(&it, &d))
		s += d.name + d.address + d.length + d.context;
	s += mp_view_inline(v, &ilen)[0];
	if (v->has_trailer)
		s += v->trailer.audit.val[5] + v->trailer.sender.val[0];
	return s;
}

/* The received form of the typical message (as copyout would write it). */
static size_t make_received(void *buf)
{
	typical_rcv_t *r = buf;
	build_fixed(&r->msg);
	r->msg.head.msgh_bits = MP_MSGH_BITS(MP_MSG_TYPE_PORT_SEND_ONCE, MP_MSG_TYPE_PORT_SEND) |
				MP_MSGH_BITS_COMPLEX;
	r->msg.head.msgh_remote_port = REPLY;
	r->msg.head.msgh_local_port = DEST;
	r->msg.port0.disposition = MP_MSG_TYPE_PORT_SEND;
	r->msg.ool1.deallocate = 1;
	r->msg.ports2.disposition = MP_MSG_TYPE_PORT_SEND;
	r->msg.ports2.deallocate = 1;
	r->msg.ports2.copy = MP_MSG_VIRTUAL_COPY;
	r->msg.port3.disposition = MP_MSG_TYPE_PORT_RECEIVE;
	r->msg.ool5.deallocate = 0;
	memset(&r->trailer, 0, sizeof r->trailer);
	r->trailer.msgh_trailer_size = sizeof r->trailer;
	r->trailer.msgh_seqno = 7;
	r->trailer.msgh_audit.val[5] = 4321;
	return sizeof *r;
}

/* ---- the measured loops (named for callgrind's --toggle-collect) ---- */
static _Alignas(8) uint8_t g_rcv[sizeof(typical_rcv_t) + 64];
static size_t g_rcv_len;
static _Alignas(8) uint8_t g_snd[sizeof(typical_msg_t) + 64];
static size_t g_snd_len;

NOINLINE void bench_parse_recv(long n)
{
	for (long i = 0; i < n; i++) {
		mp_msg_view_t v;
		if (mp_parse_recv(&v, g_rcv, g_rcv_len, MP_MSG_TRAILER_AUDIT_SIZE, NULL) != MP_OK)
			abort();
		g_sink += digest_view(&v);
		CLOBBER(g_rcv);
	}
}

NOINLINE void bench_fixed_recv(long n)
{
	for (long i = 0; i < n; i++) {
		if (!check_fixed_recv(g_rcv, g_rcv_len))
			abort();
		g_sink += digest_fixed((const typical_rcv_t *)(const void *)g_rcv);
		CLOBBER(g_rcv);
	}
}

NOINLINE void bench_parse_send(long n)
{
	for (long i = 0; i < n; i++) {
		mp_msg_view_t v;
		if (mp_parse_send(&v, g_snd, g_snd_len, NULL) != MP_OK)
			abort();
		g_sink += v.desc_count;
		CLOBBER(g_snd);
	}
}

NOINLINE void bench_fixed_send(long n)
{
	for (long i = 0; i < n; i++) {
		if (!check_fixed_send(g_snd, g_snd_len))
			abort();
		g_sink += 6;
		CLOBBER(g_snd);
	}
}

NOINLINE void bench_build(long n)
{
	static _Alignas(8) uint8_t buf[sizeof(typical_msg_t) + 64];
	for (long i = 0; i < n; i++) {
		g_sink += build_general(buf, sizeof buf);
		CLOBBER(buf);
	}
}

NOINLINE void bench_fixed_build(long n)
{
	static _Alignas(8) uint8_t buf[sizeof(typical_msg_t) + 64];
	for (long i = 0; i < n; i++) {
		g_sink += build_fixed(buf);
		CLOBBER(buf);
	}
}

typedef struct variant {
	const char *name;
	void (*run)(long);
	const char *baseline;
} variant_t;

static const variant_t variants[] = {
    {"parse_recv", bench_parse_recv, "fixed_recv"},
    {"fixed_recv", bench_fixed_recv, NULL},
    {"parse_send", bench_parse_send, "fixed_send"},
    {"fixed_send", bench_fixed_send, NULL},
    {"build", bench_build, "fixed_build"},
    {"fixed_build", bench_fixed_build, NULL},
};
enum { NVARIANTS = sizeof variants / sizeof variants[0] };

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void setup(void)
{
	for (size_t i = 0; i < sizeof g_data; i++)
		g_data[i] = (uint8_t)i;
	g_rcv_len = make_received(g_rcv);
	g_snd_len = build_general(g_snd, sizeof g_snd);
	/* Both ways must agree on the bytes and the content, or the comparison means nothing. */
	uint8_t fixed[sizeof(typical_msg_t)];
	mp_msg_view_t v;
	if (g_snd_len != build_fixed(fixed) || memcmp(fixed, g_snd, g_snd_len) != 0 ||
	    mp_parse_recv(&v, g_rcv, g_rcv_len, MP_MSG_TRAILER_AUDIT_SIZE, NULL) != MP_OK ||
	    digest_view(&v) != digest_fixed((const typical_rcv_t *)(const void *)g_rcv)) {
		fprintf(stderr, "msg_bench: the general and fixed paths disagree\n");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	long iters = 2000000;
	const char *only = NULL;
	double ns[NVARIANTS];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--iters") == 0 && i + 1 < argc)
			iters = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else {
			fprintf(stderr, "usage: msg_bench [--iters N] [--only NAME]\n");
			return 2;
		}
	}
	if (iters <= 0)
		return 2;
	setup();
	if (only != NULL) {
		for (int v = 0; v < NVARIANTS; v++)
			if (strcmp(variants[v].name, only) == 0) {
				variants[v].run(iters);
				return 0;
			}
		fprintf(stderr, "msg_bench: no variant %s\n", only);
		return 2;
	}
	printf("message: %zu bytes sent (6 descriptors, %d inline), %zu received with a %zu-byte trailer\n",
	       g_snd_len, INLINE_LEN, g_rcv_len, sizeof(mp_msg_audit_trailer_t));
	for (int v = 0; v < NVARIANTS; v++) {
		double best = 1e300;
		variants[v].run(iters / 10); /* warm up */
		for (int round = 0; round < 5; round++) {
			double t0 = now_ns();
			variants[v].run(iters);
			double t = (now_ns() - t0) / (double)iters;
			if (t < best)
				best = t;
		}
		ns[v] = best;
	}
	printf("%-12s %10s %12s %8s\n", "variant", "ns/msg", "baseline", "ratio");
	for (int v = 0; v < NVARIANTS; v++) {
		if (variants[v].baseline == NULL)
			continue;
		for (int b = 0; b < NVARIANTS; b++)
			if (strcmp(variants[b].name, variants[v].baseline) == 0)
				printf("%-12s %10.1f %12.1f %7.2fx  (%s)\n", variants[v].name, ns[v], ns[b],
				       ns[v] / ns[b], variants[b].name);
	}
	return 0;
}
