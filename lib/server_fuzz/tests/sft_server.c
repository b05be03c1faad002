/*
 * lib/server_fuzz/tests/sft_server.c: a MIG server written by hand the way
 * MIG writes one (request/reply structs under pack(4), __MIG_check__Request
 * style checks, _X stubs, the subsystem's demux), the shape of
 * lib/compat/examples/mig_shaped.c, with planted bugs behind sft_plant.
 */
#include "lib/server_fuzz/tests/sft_server.h"

#include <mach/mig.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <string.h>

#define SFT_BASE 5100
#define SFT_COUNT 6
#define SFT_MAX_HELD 16

sft_plant_t sft_plant = SFT_CLEAN;
uint32_t sft_last_audit[8];
unsigned sft_ports_released;
unsigned sft_add_calls;
unsigned sft_add_reused;
unsigned sft_give_nonzero_data;
unsigned sft_held_at_teardown, sft_held_dead_at_teardown;

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int a;
	int b;
} sft_add_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	int sum;
} sft_add_reply_t;

typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t port;
	mach_msg_ool_descriptor_t data;
	NDR_record_t NDR;
	mach_msg_type_number_t dataCnt;
} sft_give_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	int checksum;
} sft_give_reply_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int value;
} sft_note_request_t;

typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t port;
} sft_hold_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
} sft_hold_reply_t;

typedef struct {
	mach_msg_header_t Head;
} sft_whoami_request_t;

typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_ool_ports_descriptor_t ports;
	NDR_record_t NDR;
	mach_msg_type_number_t portsCnt;
} sft_ports_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
} sft_ports_reply_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	int pid;
} sft_whoami_reply_t;
#pragma pack(pop)

/* ---- the server's state and routines ---- */

static mach_port_t held[SFT_MAX_HELD];
static unsigned nheld;
static int noted;

/* The sums this input's sft_add calls returned (teardown forgets them). */
static int sums[16];
static unsigned nsums;

static int is_earlier_sum(int v)
{
	for (unsigned i = 0; i < nsums; i++)
		if (sums[i] == v)
			return 1;
	return 0;
}

static kern_return_t sft_add_impl(int a, int b, int *sum)
{
	sft_add_calls++;
	if (is_earlier_sum(a) || is_earlier_sum(b))
		sft_add_reused++;
	*sum = (int)((unsigned)a + (unsigned)b);
	if (nsums < sizeof sums / sizeof sums[0])
		sums[nsums++] = *sum;
	return KERN_SUCCESS;
}

static kern_return_t sft_give_impl(mach_port_t port, vm_offset_t data, mach_msg_type_number_t dataCnt, int *checksum)
{
	unsigned s = 0;
	int nonzero = 0;

	for (mach_msg_type_number_t i = 0; i < dataCnt; i++) {
		s = s * 31u + ((const unsigned char *)data)[i];
		nonzero |= ((const unsigned char *)data)[i] != 0;
	}
	sft_give_nonzero_data += (unsigned)nonzero;
	*checksum = (int)s;
	if (sft_plant == SFT_RELEASE_OOL_THEN_ERROR) {
		(void)vm_deallocate(mach_task_self(), data, dataCnt);
		return KERN_FAILURE; /* the port is left to the runtime, the region is not */
	}
	if (sft_plant != SFT_LEAK_PORT)
		(void)mach_port_deallocate(mach_task_self(), port);
	if (sft_plant == SFT_USE_AFTER_RELEASE)
		(void)mach_port_deallocate(mach_task_self(), port);
	if (sft_plant != SFT_LEAK_OOL || dataCnt == 0)
		(void)vm_deallocate(mach_task_self(), data, dataCnt);
	if (sft_plant == SFT_RELEASE_THEN_ERROR)
		return KERN_INVALID_ARGUMENT; /* a late failure after the releases */
	return KERN_SUCCESS;
}

static kern_return_t sft_note_impl(int value)
{
	noted = value;
	return KERN_SUCCESS;
}

/* Keeps the right (state): full table is a refusal, the runtime releases it. */
static kern_return_t sft_hold_impl(mach_port_t port)
{
	if (nheld >= SFT_MAX_HELD)
		return KERN_RESOURCE_SHORTAGE;
	held[nheld++] = port;
	return KERN_SUCCESS;
}

int sft_setup(mach_port_t service, void *ctx)
{
	(void)service;
	(void)ctx;
	nheld = 0;
	noted = 0;
	return 0;
}

void sft_teardown(void *ctx)
{
	(void)ctx;
	for (unsigned i = 0; i < nheld; i++) {
		mach_port_type_t type = 0;

		sft_held_at_teardown++;
		if (mach_port_type(mach_task_self(), held[i], &type) == KERN_SUCCESS && (type & MACH_PORT_TYPE_DEAD_NAME))
			sft_held_dead_at_teardown++;
		(void)mach_port_deallocate(mach_task_self(), held[i]);
	}
	nheld = 0;
	nsums = 0;
}

int sft_may_keep(mach_port_t name, uint32_t type, void *ctx)
{
	(void)type;
	(void)ctx;
	for (unsigned i = 0; i < nheld; i++)
		if (held[i] == name)
			return 1;
	return 0;
}

mp_server_fuzz_config_t sft_config(void)
{
	mp_server_fuzz_config_t cfg = {
		.demux = sft_server,
		.subsystem = &sft_spec,
		.setup = sft_setup,
		.teardown = sft_teardown,
		.may_keep = sft_may_keep,
	};

	return cfg;
}

/* ---- the _X stubs ---- */

static int request_shape_ok(const mach_msg_header_t *in, mach_msg_size_t size, int complex)
{
	int is_complex = (in->msgh_bits & MACH_MSGH_BITS_COMPLEX) != 0;
	return in->msgh_size == size && is_complex == complex;
}

static void reply_error(mach_msg_header_t *out, kern_return_t code)
{
	mig_reply_error_t *e = (mig_reply_error_t *)out;
	e->NDR = NDR_record;
	e->RetCode = code;
}

static void _Xsft_add(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	sft_add_request_t *In0P = (sft_add_request_t *)InHeadP;
	sft_add_reply_t *OutP = (sft_add_reply_t *)OutHeadP;

	if (!request_shape_ok(InHeadP, sizeof(sft_add_request_t), 0)) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return;
	}
	if (sft_plant == SFT_SONCE_DANGLING) {
		reply_error(OutHeadP, MIG_NO_REPLY); /* "will reply later", and never does */
		return;
	}
	OutP->RetCode = sft_add_impl(In0P->a, In0P->b, &OutP->sum);
	if (OutP->RetCode != KERN_SUCCESS) {
		reply_error(OutHeadP, OutP->RetCode);
		return;
	}
	OutP->NDR = NDR_record;
	OutP->Head.msgh_size = (mach_msg_size_t)sizeof(sft_add_reply_t);
	if (sft_plant == SFT_BAD_REPLY)
		OutP->Head.msgh_size += 4;
}

static void _Xsft_give(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	sft_give_request_t *In0P = (sft_give_request_t *)InHeadP;
	sft_give_reply_t *OutP = (sft_give_reply_t *)OutHeadP;

	if (!request_shape_ok(InHeadP, sizeof(sft_give_request_t), 1) || In0P->msgh_body.msgh_descriptor_count != 2 ||
	    In0P->port.type != MACH_MSG_PORT_DESCRIPTOR || In0P->port.disposition != MACH_MSG_TYPE_PORT_SEND ||
	    In0P->data.type != MACH_MSG_OOL_DESCRIPTOR || In0P->data.size != In0P->dataCnt) {
		reply_error(OutHeadP, MIG_TYPE_ERROR);
		return;
	}
	OutP->RetCode = sft_give_impl(In0P->port.name, (vm_offset_t)In0P->data.address, In0P->dataCnt, &OutP->checksum);
	if (OutP->RetCode != KERN_SUCCESS) {
		reply_error(OutHeadP, OutP->RetCode);
		return;
	}
	OutP->NDR = NDR_record;
	OutP->Head.msgh_size = (mach_msg_size_t)sizeof(sft_give_reply_t);
}

static void _Xsft_note(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	sft_note_request_t *In0P = (sft_note_request_t *)InHeadP;

	if (!request_shape_ok(InHeadP, sizeof(sft_note_request_t), 0)) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return;
	}
	(void)sft_note_impl(In0P->value);
	reply_error(OutHeadP, MIG_NO_REPLY);
}

static void _Xsft_hold(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	sft_hold_request_t *In0P = (sft_hold_request_t *)InHeadP;

	if (!request_shape_ok(InHeadP, sizeof(sft_hold_request_t), 1) || In0P->msgh_body.msgh_descriptor_count != 1 ||
	    In0P->port.type != MACH_MSG_PORT_DESCRIPTOR || In0P->port.disposition != MACH_MSG_TYPE_PORT_SEND) {
		reply_error(OutHeadP, MIG_TYPE_ERROR);
		return;
	}
	reply_error(OutHeadP, sft_hold_impl(In0P->port.name));
	OutHeadP->msgh_size = (mach_msg_size_t)sizeof(sft_hold_reply_t);
}

/* MIG's trailer checks (WriteCheckTrailerHead / Size): format 0 and room
 * for the audit token; the implementation gets the token. */
static void _Xsft_whoami(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	sft_whoami_reply_t *OutP = (sft_whoami_reply_t *)OutHeadP;
	const mach_msg_max_trailer_t *TrailerP;

	if (!request_shape_ok(InHeadP, sizeof(sft_whoami_request_t), 0)) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return;
	}
	TrailerP = (const mach_msg_max_trailer_t *)((const char *)InHeadP + round_msg(InHeadP->msgh_size));
	if (TrailerP->msgh_trailer_type != MACH_MSG_TRAILER_FORMAT_0 ||
	    TrailerP->msgh_trailer_size < sizeof(mach_msg_audit_trailer_t)) {
		reply_error(OutHeadP, MIG_TRAILER_ERROR);
		return;
	}
	memcpy(sft_last_audit, TrailerP->msgh_audit.val, sizeof sft_last_audit);
	OutP->RetCode = KERN_SUCCESS;
	OutP->pid = (int)TrailerP->msgh_audit.val[5];
	OutP->NDR = NDR_record;
	OutP->Head.msgh_size = (mach_msg_size_t)sizeof(sft_whoami_reply_t);
}

static kern_return_t sft_ports_impl(mach_port_array_t ports, mach_msg_type_number_t portsCnt)
{
	for (mach_msg_type_number_t i = 0; i < portsCnt; i++)
		if (MACH_PORT_VALID(ports[i]) && mach_port_deallocate(mach_task_self(), ports[i]) == KERN_SUCCESS)
			sft_ports_released++;
	(void)vm_deallocate(mach_task_self(), (vm_address_t)ports, portsCnt * sizeof(mach_port_t));
	return KERN_SUCCESS;
}

static void _Xsft_ports(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	sft_ports_request_t *In0P = (sft_ports_request_t *)InHeadP;

	if (!request_shape_ok(InHeadP, sizeof(sft_ports_request_t), 1) || In0P->msgh_body.msgh_descriptor_count != 1 ||
	    In0P->ports.type != MACH_MSG_OOL_PORTS_DESCRIPTOR || In0P->ports.disposition != MACH_MSG_TYPE_PORT_SEND ||
	    In0P->ports.count != In0P->portsCnt) {
		reply_error(OutHeadP, MIG_TYPE_ERROR);
		return;
	}
	reply_error(OutHeadP, sft_ports_impl((mach_port_array_t)In0P->ports.address, In0P->portsCnt));
	OutHeadP->msgh_size = (mach_msg_size_t)sizeof(sft_ports_reply_t);
}

/* ---- the demux ---- */

typedef void (*sft_stub_t)(mach_msg_header_t *, mach_msg_header_t *);

static const sft_stub_t sft_routines[SFT_COUNT] = { _Xsft_add, _Xsft_give, _Xsft_note, _Xsft_hold,
									   _Xsft_whoami, _Xsft_ports };

boolean_t sft_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	/* unsigned: in int an id near INT_MIN or INT_MAX overflows */
	uint32_t msgh_id = (uint32_t)InHeadP->msgh_id - (uint32_t)SFT_BASE;

	OutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), 0);
	OutHeadP->msgh_remote_port = InHeadP->msgh_remote_port;
	OutHeadP->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);
	OutHeadP->msgh_local_port = MACH_PORT_NULL;
	OutHeadP->msgh_id = (mach_msg_id_t)((uint32_t)InHeadP->msgh_id + 100u);
	OutHeadP->msgh_voucher_port = MACH_PORT_NULL;
	if (msgh_id >= SFT_COUNT) {
		reply_error(OutHeadP, MIG_BAD_ID);
		return FALSE;
	}
	(*sft_routines[msgh_id])(InHeadP, OutHeadP);
	return TRUE;
}

/* The tests' and the bench's inputs: xorshift bytes, 16 to 271 of them. */
size_t sft_seeded_input(uint32_t seed, uint8_t *buf, size_t cap)
{
	uint32_t x = seed * 2654435761u + 1u;
	size_t n;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	n = 16u + (x % 256u);
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
