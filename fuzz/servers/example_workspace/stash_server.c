/*
 * stash_server.c: the stash service (stash.defs) written by hand the way
 * MIG writes a server: request and reply structs, a stub per routine doing
 * MIG's request checks, the demux. Only Apple's API.
 *
 * Ownership (MIG's rule): a routine returning KERN_SUCCESS owns what the
 * request brought; with any other code the runtime destroys the request,
 * so the routine must not have released any of it.
 */
#include "stash_server.h"

#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <string.h>

#ifdef __MigPackStructs
#pragma pack(push, 4)
#endif
typedef struct {
	mach_msg_header_t Head;
	/* start of the kernel processed data */
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t port;
	/* end of the kernel processed data */
	NDR_record_t NDR;
	int tag;
} stash_keep_request_t;

typedef struct {
	mach_msg_header_t Head;
} stash_count_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	int count;
} stash_count_reply_t;
#ifdef __MigPackStructs
#pragma pack(pop)
#endif

union stash_reply_union {
	stash_count_reply_t count;
	mig_reply_error_t error;
};

/* ---- the state: the rights kept, with their tags ---- */

static struct {
	mach_port_t port; /* a send right the stash owns, or MACH_PORT_NULL */
	int tag;
} g_stash[STASH_MAX];

static int stash_count_now(void)
{
	int n = 0;
	for (int i = 0; i < STASH_MAX; i++)
		n += g_stash[i].port != MACH_PORT_NULL;
	return n;
}

void stash_server_teardown(void)
{
	for (int i = 0; i < STASH_MAX; i++) {
		if (g_stash[i].port != MACH_PORT_NULL)
			(void)mach_port_deallocate(mach_task_self(), g_stash[i].port);
		g_stash[i].port = MACH_PORT_NULL;
	}
}

/* ---- the routines ---- */

static kern_return_t stash_keep_impl(mach_port_t server, int tag, mach_port_t port)
{
	(void)server;
	if (tag < 0 || port == MACH_PORT_NULL)
		return KERN_INVALID_ARGUMENT;
	for (int i = 0; i < STASH_MAX; i++) {
		if (g_stash[i].port == MACH_PORT_NULL) {
			g_stash[i].port = port;
			g_stash[i].tag = tag;
			return KERN_SUCCESS;
		}
	}
#ifdef PLANT_RELEASE_THEN_ERROR
	/* PLANTED: "full, drop it" -- but the error makes the runtime destroy
	 * the request, so the right is released twice. */
	(void)mach_port_deallocate(mach_task_self(), port);
#endif
	return KERN_RESOURCE_SHORTAGE;
}

static kern_return_t stash_count_impl(mach_port_t server, int *count)
{
	(void)server;
	*count = stash_count_now();
	return KERN_SUCCESS;
}

/* ---- the stubs (MIG's _X routines) ---- */

static void reply_error(mach_msg_header_t *out, kern_return_t code)
{
	mig_reply_error_t *e = (mig_reply_error_t *)out;
	e->NDR = NDR_record;
	e->RetCode = code;
}

static void _Xstash_keep(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	stash_keep_request_t *In0P = (stash_keep_request_t *)InHeadP;
	/* __MIG_check__Request__stash_keep_t: size, complex bit, descriptor
	 * count, then the descriptor's type and disposition */
	if (In0P->Head.msgh_size != sizeof *In0P || !(In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    In0P->msgh_body.msgh_descriptor_count != 1) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return;
	}
	if (In0P->port.type != MACH_MSG_PORT_DESCRIPTOR || In0P->port.disposition != MACH_MSG_TYPE_PORT_SEND) {
		reply_error(OutHeadP, MIG_TYPE_ERROR);
		return;
	}
	reply_error(OutHeadP, stash_keep_impl(In0P->Head.msgh_local_port, In0P->tag, In0P->port.name));
}

static void _Xstash_count(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	stash_count_reply_t *OutP = (stash_count_reply_t *)OutHeadP;
	if (InHeadP->msgh_size != sizeof(stash_count_request_t) || (InHeadP->msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return;
	}
	OutP->RetCode = stash_count_impl(InHeadP->msgh_local_port, &OutP->count);
	if (OutP->RetCode != KERN_SUCCESS) {
		reply_error(OutHeadP, OutP->RetCode);
		return;
	}
	OutP->NDR = NDR_record;
	OutP->Head.msgh_size = (mach_msg_size_t)sizeof *OutP;
}

/* ---- the demux ---- */

boolean_t stash_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	static void (*const stubs[STASH_ROUTINES])(mach_msg_header_t *, mach_msg_header_t *) = {
		_Xstash_keep,
		_Xstash_count,
	};
	/* unsigned: in int (as MIG writes them) an id near INT_MIN or INT_MAX
	 * overflows */
	uint32_t index = (uint32_t)InHeadP->msgh_id - (uint32_t)STASH_BASE;

	OutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), 0);
	OutHeadP->msgh_remote_port = InHeadP->msgh_remote_port; /* the reply port, after receive */
	OutHeadP->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);
	OutHeadP->msgh_local_port = MACH_PORT_NULL;
	OutHeadP->msgh_id = (mach_msg_id_t)((uint32_t)InHeadP->msgh_id + 100u);
	OutHeadP->msgh_voucher_port = MACH_PORT_NULL;
	if (index >= STASH_ROUTINES) {
		reply_error(OutHeadP, MIG_BAD_ID);
		return FALSE;
	}
	stubs[index](InHeadP, OutHeadP);
	return TRUE;
}
