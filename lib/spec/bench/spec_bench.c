/*
 * lib/spec/bench/spec_bench.c: the spec check (mp_spec_check_request) beside
 * a MIG-style fixed check of the same message, in the same run.
 *
 * Two messages, received form:
 *   typical  lib/msg's bench message (msg_bench.c): a reply port, 6
 *            descriptors (port, OOL 4096, OOL ports 2, port (receive),
 *            guarded port, OOL 100), 256 bytes inline, an audit trailer.
 *            Declared below as a spec table (one routine, id 4242).
 *   exc      mach_exception_raise (2405, the table //:mpmig emitted from the
 *            SDK's mach_exc.defs) with codeCnt 2 of 2: two port
 *            descriptors, NDR, exception, codeCnt, code[codeCnt] (a variable
 *            count, so the size check is MIG's min/max + count arithmetic).
 *
 * The baseline is what migcom generates for each (the demux's id range and
 * routine slot, __MIG_check__Request__<routine>, the _X routine's trailer
 * check), written here as our own code: a packed struct typed for Linux
 * overlaid on the buffer, each field compared with what the layout expects
 * (mirrors migcom server.c WriteDispatcher, WriteCheckHead, WriteTypeCheck,
 * WriteCheckMsgSize, utils.c WriteCheckTrailerHead / WriteCheckTrailerSize).
 *
 *   spec_bench [--iters N] [--only NAME]
 *
 * Variants: spec_* the engine (MIG level with a view, without, STRICT),
 * parse_recv_typical the receive parser, fixed_* the baselines.
 *
 * Without --only it times every variant (best of 5 rounds) and prints ns per
 * message and the ratio to its baseline. With --only it runs one variant N
 * times, for `valgrind --tool=callgrind --toggle-collect=bench_NAME`
 * (scripts/bench turns that into instructions per message).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/spec/mach/mach_specs.h"
#include "machports/le.h"
#include "machports/msg.h"
#include "machports/spec.h"

#define NOINLINE __attribute__((noinline))
#define CLOBBER(p) __asm__ volatile("" : : "r"(p) : "memory")

#define REPLY 0x00000207u
#define DEST 0x00000103u
#define SEND_NAME 0x0000030bu
#define RECV_NAME 0x0000040fu
#define TYPICAL_ID 4242
#define INLINE_LEN 256
#define D(x) (1u << (x))

static volatile uint64_t g_sink;

/* ------------------------------------------------------------------------
 * The typical message as a spec
 * ------------------------------------------------------------------------ */

static const mp_spec_desc_t typical_descs[] = {
	{"port0", MP_MSG_PORT_DESCRIPTOR, 0, MP_SPEC_NONE, D(MP_MSG_TYPE_PORT_SEND), 0, 1, 0, 4,
	 MP_MSG_TYPE_COPY_SEND, MP_SPEC_WORD_PORT(28, MP_MSG_TYPE_PORT_SEND)},
	{"ool1", MP_MSG_OOL_DESCRIPTOR, MP_SPEC_DESC_FIXED, MP_SPEC_NONE, MP_SPEC_ANY_DISPOSITION, 4096,
	 1, 0, 1, 0, MP_SPEC_WORD_OOL_FIXED(40, 4096)},
	{"ports2", MP_MSG_OOL_PORTS_DESCRIPTOR, MP_SPEC_DESC_FIXED, MP_SPEC_NONE,
	 D(MP_MSG_TYPE_PORT_SEND), 2, 1, 0, 4, MP_MSG_TYPE_COPY_SEND,
	 MP_SPEC_WORD_OOL_PORTS_FIXED(56, MP_MSG_TYPE_PORT_SEND, 2)},
	{"port3", MP_MSG_PORT_DESCRIPTOR, 0, MP_SPEC_NONE, D(MP_MSG_TYPE_PORT_RECEIVE), 0, 1, 0, 4,
	 MP_MSG_TYPE_MAKE_SEND, MP_SPEC_WORD_PORT(72, MP_MSG_TYPE_PORT_RECEIVE)},
	/* not a MIG type: its word as for any 16-byte descriptor with one disposition */
	{"guarded4", MP_MSG_GUARDED_PORT_DESCRIPTOR, 0, MP_SPEC_NONE, D(MP_MSG_TYPE_PORT_RECEIVE), 0,
	 1, 0, 4, MP_MSG_TYPE_MOVE_RECEIVE,
	 MP_SPEC_WORD16_(84, MP_MSG_GUARDED_PORT_DESCRIPTOR, MP_MSG_TYPE_PORT_RECEIVE, 0u, 0u)},
	{"ool5", MP_MSG_OOL_DESCRIPTOR, MP_SPEC_DESC_FIXED, MP_SPEC_NONE, MP_SPEC_ANY_DISPOSITION, 100,
	 1, 0, 1, 0, MP_SPEC_WORD_OOL_FIXED(100, 100)},
};

#define TYPICAL_DESC_END (24 + 4 + 12 + 16 + 16 + 12 + 16 + 16)

static const mp_spec_field_t typical_fields[] = {
	{"data", MP_SPEC_SCALAR, 8 /* MACH_MSG_TYPE_CHAR */, MP_SPEC_NONE, INLINE_LEN, 1, INLINE_LEN,
	 TYPICAL_DESC_END},
};

static const mp_spec_routine_t typical_routine = {
	"typical", TYPICAL_ID, MP_SPEC_ROUTINE, 0, 1, {MP_SPEC_TRAILER_AUDIT},
	D(MP_MSG_TYPE_PORT_SEND_ONCE),
	{1, 0, 6, 1, 0, typical_descs, typical_fields, TYPICAL_DESC_END + INLINE_LEN,
	 TYPICAL_DESC_END + INLINE_LEN, MP_SPEC_MSG_PRECOMPUTED},
	{0, 1, 0, 0, 0, NULL, NULL, 36, 36, MP_SPEC_MSG_PRECOMPUTED},
};

static const mp_spec_routine_t *const typical_routines[] = {&typical_routine};

static const mp_spec_subsystem_t typical_subsystem = {
	"typical", TYPICAL_ID, 1, typical_routines, TYPICAL_DESC_END + INLINE_LEN, 36,
};

/* ------------------------------------------------------------------------
 * The MIG-style baselines (what migcom would generate for these layouts)
 * ------------------------------------------------------------------------ */

#define MIG_BAD_ID (-303)
#define MIG_BAD_ARGUMENTS (-304)
#define MIG_TYPE_ERROR (-300)
#define MIG_TRAILER_ERROR (-309)

#pragma pack(push, 4)
typedef struct {
	mp_msg_header_t Head;
	mp_msg_body_t msgh_body;
	mp_msg_port_descriptor_t port0;
	mp_msg_ool_descriptor_t ool1;
	mp_msg_ool_ports_descriptor_t ports2;
	mp_msg_port_descriptor_t port3;
	mp_msg_guarded_port_descriptor_t guarded4;
	mp_msg_ool_descriptor_t ool5;
	uint8_t data[INLINE_LEN];
} Request_typical;

typedef struct {
	mp_msg_header_t Head;
	mp_msg_body_t msgh_body;
	mp_msg_port_descriptor_t thread;
	mp_msg_port_descriptor_t task;
	uint8_t NDR[8];
	int32_t exception;
	uint32_t codeCnt;
	int64_t code[2];
} Request_mach_exception_raise;

typedef struct {
	uint32_t msgh_trailer_type;
	uint32_t msgh_trailer_size;
} mig_trailer_head;
#pragma pack(pop)

/* __MIG_check__Request__typical: a fixed-size complex request (WriteCheckHead,
 * WriteTCheckKPD_port / _ool / _oolport). */
static int32_t mig_check_typical(const Request_typical *In0P)
{
	if (!(In0P->Head.msgh_bits & MP_MSGH_BITS_COMPLEX) ||
	    In0P->msgh_body.msgh_descriptor_count != 6 ||
	    In0P->Head.msgh_size != (uint32_t)sizeof(Request_typical))
		return MIG_BAD_ARGUMENTS;
	if (In0P->port0.type != MP_MSG_PORT_DESCRIPTOR || In0P->port0.disposition != 17)
		return MIG_TYPE_ERROR;
	if (In0P->ool1.type != MP_MSG_OOL_DESCRIPTOR || In0P->ool1.size != 4096)
		return MIG_TYPE_ERROR;
	if (In0P->ports2.type != MP_MSG_OOL_PORTS_DESCRIPTOR || In0P->ports2.count != 2 ||
	    In0P->ports2.disposition != 17)
		return MIG_TYPE_ERROR;
	if (In0P->port3.type != MP_MSG_PORT_DESCRIPTOR || In0P->port3.disposition != 16)
		return MIG_TYPE_ERROR;
	if (In0P->guarded4.type != MP_MSG_GUARDED_PORT_DESCRIPTOR ||
	    In0P->guarded4.disposition != 16)
		return MIG_TYPE_ERROR;
	if (In0P->ool5.type != MP_MSG_OOL_DESCRIPTOR || In0P->ool5.size != 100)
		return MIG_TYPE_ERROR;
	return 0;
}

/* The demux (WriteDispatcher), the check, then _Xtypical's trailer check
 * (WriteCheckTrailerHead, WriteCheckTrailerSize for the audit token). */
static NOINLINE int32_t mig_server_typical(const void *buf)
{
	const Request_typical *In0P = buf;
	const mig_trailer_head *TrailerP;
	uint32_t trailer_size;
	int32_t check;
	if (In0P->Head.msgh_id - TYPICAL_ID >= 1 || In0P->Head.msgh_id < TYPICAL_ID)
		return MIG_BAD_ID;
	check = mig_check_typical(In0P);
	if (check != 0)
		return check;
	TrailerP = (const mig_trailer_head *)(const void *)((const uint8_t *)In0P +
							   ((In0P->Head.msgh_size + 3u) & ~3u));
	if (TrailerP->msgh_trailer_type != 0)
		return MIG_TRAILER_ERROR;
	trailer_size = TrailerP->msgh_trailer_size;
	if (trailer_size < 32)
		return MIG_TRAILER_ERROR;
	return 0;
}

/* __MIG_check__Request__mach_exception_raise: a variable count (WriteCheckHead
 * with min/max, WriteCheckMsgSize for the last variable field). */
static int32_t mig_check_exc(const Request_mach_exception_raise *In0P)
{
	uint32_t msgh_size = In0P->Head.msgh_size;
	if (!(In0P->Head.msgh_bits & MP_MSGH_BITS_COMPLEX) ||
	    In0P->msgh_body.msgh_descriptor_count != 2 ||
	    msgh_size < (uint32_t)(sizeof(Request_mach_exception_raise) - 16) ||
	    msgh_size > (uint32_t)sizeof(Request_mach_exception_raise))
		return MIG_BAD_ARGUMENTS;
	if (In0P->thread.type != MP_MSG_PORT_DESCRIPTOR || In0P->thread.disposition != 17)
		return MIG_TYPE_ERROR;
	if (In0P->task.type != MP_MSG_PORT_DESCRIPTOR || In0P->task.disposition != 17)
		return MIG_TYPE_ERROR;
	if (In0P->codeCnt > 2)
		return MIG_BAD_ARGUMENTS;
	if ((msgh_size - (uint32_t)(sizeof(Request_mach_exception_raise) - 16)) / 8 < In0P->codeCnt ||
	    msgh_size != (uint32_t)(sizeof(Request_mach_exception_raise) - 16) + 8 * In0P->codeCnt)
		return MIG_BAD_ARGUMENTS;
	return 0;
}

/* mach_exc_server's demux: 2405 .. 2409, slots 3 and 4 are skips; only
 * mach_exception_raise is dispatched in this bench. */
static NOINLINE int32_t mig_server_exc(const void *buf)
{
	static const uint8_t has_routine[5] = {1, 1, 1, 0, 0};
	const Request_mach_exception_raise *In0P = buf;
	uint32_t index = (uint32_t)In0P->Head.msgh_id - 2405u;
	if (index >= 5 || !has_routine[index])
		return MIG_BAD_ID;
	if (index != 0)
		return MIG_BAD_ID;
	return mig_check_exc(In0P);
}

/* ------------------------------------------------------------------------
 * The messages (received form)
 * ------------------------------------------------------------------------ */

static _Alignas(8) uint8_t g_typical[sizeof(Request_typical) + 68];
static size_t g_typical_len;
static _Alignas(8) uint8_t g_exc[sizeof(Request_mach_exception_raise) + 68];
static size_t g_exc_len;

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4); /* the bench runs on little-endian hosts only, as msg_bench */
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void header(uint8_t *p, uint32_t size, int32_t id)
{
	put32(p, MP_MSGH_BITS(MP_MSG_TYPE_PORT_SEND_ONCE, MP_MSG_TYPE_PORT_SEND) | MP_MSGH_BITS_COMPLEX);
	put32(p + 4, size);
	put32(p + 8, REPLY);
	put32(p + 12, DEST);
	put32(p + 16, 0);
	put32(p + 20, (uint32_t)id);
}

static void port_desc(uint8_t *p, uint32_t name, uint8_t disposition, uint8_t type)
{
	memset(p, 0, 12);
	put32(p, name);
	p[10] = disposition;
	p[11] = type;
}

static void wide_desc(uint8_t *p, uint64_t addr, uint8_t b8, uint8_t b9, uint8_t b10,
		      uint8_t type, uint32_t size)
{
	put64(p, addr);
	p[8] = b8;
	p[9] = b9;
	p[10] = b10;
	p[11] = type;
	put32(p + 12, size);
}

static void trailer(uint8_t *p, uint32_t size)
{
	memset(p, 0, size);
	put32(p + 4, size);
	if (size >= 12)
		put32(p + 8, 7);
	if (size >= 52)
		put32(p + 20 + 20, 4321);
}

static void make_messages(void)
{
	uint8_t *p = g_typical;
	uint32_t size = (uint32_t)sizeof(Request_typical);
	header(p, size, TYPICAL_ID);
	put32(p + 24, 6);
	port_desc(p + 28, SEND_NAME, 17, MP_MSG_PORT_DESCRIPTOR);
	wide_desc(p + 40, 0x100000000ull, 1, MP_MSG_VIRTUAL_COPY, 0, MP_MSG_OOL_DESCRIPTOR, 4096);
	wide_desc(p + 56, 0x100004000ull, 1, MP_MSG_VIRTUAL_COPY, 17, MP_MSG_OOL_PORTS_DESCRIPTOR, 2);
	port_desc(p + 72, RECV_NAME, 16, MP_MSG_PORT_DESCRIPTOR);
	wide_desc(p + 84, 0x1234, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0, 16,
		  MP_MSG_GUARDED_PORT_DESCRIPTOR, RECV_NAME);
	wide_desc(p + 100, 0x100008000ull, 0, MP_MSG_PHYSICAL_COPY, 0, MP_MSG_OOL_DESCRIPTOR, 100);
	for (unsigned i = 0; i < INLINE_LEN; i++)
		p[TYPICAL_DESC_END + i] = (uint8_t)i;
	trailer(p + size, MP_MSG_TRAILER_AUDIT_SIZE);
	g_typical_len = size + MP_MSG_TRAILER_AUDIT_SIZE;

	p = g_exc;
	size = (uint32_t)sizeof(Request_mach_exception_raise);
	header(p, size, 2405);
	put32(p + 24, 2);
	port_desc(p + 28, SEND_NAME, 17, MP_MSG_PORT_DESCRIPTOR);
	port_desc(p + 40, RECV_NAME, 17, MP_MSG_PORT_DESCRIPTOR);
	put32(p + 52, 0);
	put32(p + 56, 1); /* NDR_record: int_rep little-endian */
	put32(p + 60, 1); /* EXC_BAD_ACCESS */
	put32(p + 64, 2);
	put64(p + 68, 1);
	put64(p + 76, 0x10);
	trailer(p + size, 8);
	g_exc_len = size + 8;
}

/* ------------------------------------------------------------------------
 * The measured loops (named for callgrind's --toggle-collect)
 * ------------------------------------------------------------------------ */

NOINLINE void bench_spec_typical(long n)
{
	for (long i = 0; i < n; i++) {
		mp_spec_view_t v;
		if (mp_spec_check_request(&typical_subsystem, g_typical, g_typical_len, MP_SPEC_MIG, &v,
					  NULL) != 0)
			abort();
		g_sink += v.msgh_size;
		CLOBBER(g_typical);
	}
}

/* The same check without a view (no field offsets or counts to fill). */
NOINLINE void bench_spec_typical_noview(long n)
{
	for (long i = 0; i < n; i++) {
		if (mp_spec_check_request(&typical_subsystem, g_typical, g_typical_len, MP_SPEC_MIG, NULL,
					  NULL) != 0)
			abort();
		g_sink += ((const Request_typical *)(const void *)g_typical)->Head.msgh_size;
		CLOBBER(g_typical);
	}
}

NOINLINE void bench_spec_typical_strict(long n)
{
	for (long i = 0; i < n; i++) {
		mp_spec_view_t v;
		if (mp_spec_check_request(&typical_subsystem, g_typical, g_typical_len, MP_SPEC_STRICT,
					  &v, NULL) != 0)
			abort();
		g_sink += v.msgh_size;
		CLOBBER(g_typical);
	}
}

NOINLINE void bench_fixed_typical(long n)
{
	for (long i = 0; i < n; i++) {
		if (mig_server_typical(g_typical) != 0)
			abort();
		g_sink += ((const Request_typical *)(const void *)g_typical)->Head.msgh_size;
		CLOBBER(g_typical);
	}
}

NOINLINE void bench_spec_exc(long n)
{
	for (long i = 0; i < n; i++) {
		mp_spec_view_t v;
		if (mp_spec_check_request(&mach_exc_spec, g_exc, g_exc_len, MP_SPEC_MIG, &v,
					  NULL) != 0)
			abort();
		g_sink += v.msgh_size;
		CLOBBER(g_exc);
	}
}

NOINLINE void bench_spec_exc_noview(long n)
{
	for (long i = 0; i < n; i++) {
		if (mp_spec_check_request(&mach_exc_spec, g_exc, g_exc_len, MP_SPEC_MIG, NULL, NULL) != 0)
			abort();
		g_sink += ((const Request_mach_exception_raise *)(const void *)g_exc)->Head.msgh_size;
		CLOBBER(g_exc);
	}
}

NOINLINE void bench_spec_exc_strict(long n)
{
	for (long i = 0; i < n; i++) {
		mp_spec_view_t v;
		if (mp_spec_check_request(&mach_exc_spec, g_exc, g_exc_len, MP_SPEC_STRICT,
					  &v, NULL) != 0)
			abort();
		g_sink += v.msgh_size;
		CLOBBER(g_exc);
	}
}

NOINLINE void bench_fixed_exc(long n)
{
	for (long i = 0; i < n; i++) {
		if (mig_server_exc(g_exc) != 0)
			abort();
		g_sink += ((const Request_mach_exception_raise *)(const void *)g_exc)->Head.msgh_size;
		CLOBBER(g_exc);
	}
}

/* The receive parser on the same bytes, for scale (the strict level runs it). */
NOINLINE void bench_parse_recv_typical(long n)
{
	for (long i = 0; i < n; i++) {
		mp_msg_view_t v;
		if (mp_parse_recv(&v, g_typical, g_typical_len, 0, NULL) != MP_OK)
			abort();
		g_sink += v.msgh_size;
		CLOBBER(g_typical);
	}
}

typedef struct variant {
	const char *name;
	void (*run)(long);
	const char *baseline;
} variant_t;

static const variant_t variants[] = {
	{"spec_typical", bench_spec_typical, "fixed_typical"},
	{"spec_typical_noview", bench_spec_typical_noview, "fixed_typical"},
	{"spec_typical_strict", bench_spec_typical_strict, "fixed_typical"},
	{"parse_recv_typical", bench_parse_recv_typical, "fixed_typical"},
	{"fixed_typical", bench_fixed_typical, NULL},
	{"spec_exc", bench_spec_exc, "fixed_exc"},
	{"spec_exc_noview", bench_spec_exc_noview, "fixed_exc"},
	{"spec_exc_strict", bench_spec_exc_strict, "fixed_exc"},
	{"fixed_exc", bench_fixed_exc, NULL},
};
enum { NVARIANTS = sizeof variants / sizeof variants[0] };

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Both ways must accept the messages, and refuse the same broken copies with
 * the same code, or the comparison means nothing. */
static void self_check(void)
{
	static uint8_t copy[sizeof g_typical];
	mp_spec_diag_t diag;
	int32_t a, b;
	a = mp_spec_check_request(&typical_subsystem, g_typical, g_typical_len, MP_SPEC_STRICT, NULL,
				  &diag);
	b = mp_spec_check_request(&mach_exc_spec, g_exc, g_exc_len, MP_SPEC_STRICT, NULL,
				  &diag);
	if (a != 0 || b != 0 || mig_server_typical(g_typical) != 0 || mig_server_exc(g_exc) != 0) {
		fprintf(stderr, "spec_bench: a message is refused (%d %d): %s\n", a, b, diag.reason);
		exit(2);
	}
	/* codeCnt 3 > 2: MIG_BAD_ARGUMENTS both ways. */
	memcpy(copy, g_exc, g_exc_len);
	put32(copy + 64, 3);
	a = mp_spec_check_request(&mach_exc_spec, copy, g_exc_len, MP_SPEC_MIG, NULL,
				  NULL);
	if (a != mig_server_exc(copy) || a != MIG_BAD_ARGUMENTS) {
		fprintf(stderr, "spec_bench: codeCnt 3: spec %d, fixed %d\n", a, mig_server_exc(copy));
		exit(2);
	}
	/* The receive right of port3 as a send right: MIG_TYPE_ERROR both ways. */
	memcpy(copy, g_typical, g_typical_len);
	copy[72 + 10] = 17;
	a = mp_spec_check_request(&typical_subsystem, copy, g_typical_len, MP_SPEC_MIG, NULL, NULL);
	if (a != mig_server_typical(copy) || a != MIG_TYPE_ERROR) {
		fprintf(stderr, "spec_bench: port3 disposition: spec %d, fixed %d\n", a,
			mig_server_typical(copy));
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
			fprintf(stderr, "usage: spec_bench [--iters N] [--only NAME]\n");
			return 2;
		}
	}
	if (iters <= 0)
		return 2;
	make_messages();
	self_check();
	if (only != NULL) {
		for (int v = 0; v < NVARIANTS; v++)
			if (strcmp(variants[v].name, only) == 0) {
				variants[v].run(iters);
				return 0;
			}
		fprintf(stderr, "spec_bench: no variant %s\n", only);
		return 2;
	}
	printf("typical: %zu bytes received (6 descriptors, %d inline, audit trailer); "
	       "mach_exception_raise: %zu bytes (codeCnt 2)\n",
	       g_typical_len, INLINE_LEN, g_exc_len);
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
	printf("%-20s %10s %12s %8s\n", "variant", "ns/msg", "baseline", "ratio");
	for (int v = 0; v < NVARIANTS; v++) {
		if (variants[v].baseline == NULL)
			continue;
		for (int b = 0; b < NVARIANTS; b++)
			if (strcmp(variants[b].name, variants[v].baseline) == 0)
				printf("%-20s %10.1f %12.1f %7.2fx  (%s)\n", variants[v].name, ns[v], ns[b],
				       ns[v] / ns[b], variants[b].name);
	}
	return 0;
}
