/*
 * lib/msg/tests/send_rules_test.c: every send-mode rule, as an accepted
 * message and its rejected neighbour, with the exact mp_err, the MACH_SEND_*
 * code XNU returns for it, and the byte offset reported.
 * Rules: xnu-abi.md §6.1 steps 1, 2, 4, 8, 9, 10, 11, §6.2 and §10.1/10.2/10.6.
 */
#include <stdlib.h>

#include "lib/msg/tests/test_support.h"

#define V1 0x00000103u /* valid names (index << 8 | 0b11) */
#define V2 0x00000207u
#define V3 0x0000030bu
#define MS MP_MSG_TYPE_MOVE_SEND
#define MSO MP_MSG_TYPE_MOVE_SEND_ONCE
#define CS MP_MSG_TYPE_COPY_SEND
#define MKS MP_MSG_TYPE_MAKE_SEND
#define MKSO MP_MSG_TYPE_MAKE_SEND_ONCE
#define MR MP_MSG_TYPE_MOVE_RECEIVE
#define COMPLEX MP_MSGH_BITS_COMPLEX

/* A case writes the accepted message (bad == 0) or its rejected neighbour
 * (bad == 1) into buf and returns the send size. */
typedef size_t (*make_fn)(uint8_t *buf, int bad);

typedef struct send_case {
	const char *rule;
	make_fn make;
	mp_err_t err;
	int32_t mach;
	size_t offset;
} send_case_t;

static uint8_t *g_buf; /* large enough for the biggest case */
#define G_BUF_LEN (MP_MAX_SEND_SIZE + 64)

/* A plain message to V1 with COPY_SEND and no reply. */
static size_t simple(uint8_t *p, size_t size)
{
	memset(p, 0, size);
	t_header(p, MP_MSGH_BITS(CS, 0), (uint32_t)size, V1, 0, 0, 7);
	return size;
}

/* A complex message to V1 with `count` descriptors, to be written by the caller. */
static void complex_hdr(uint8_t *p, size_t size, uint32_t count)
{
	memset(p, 0, size);
	t_header(p, MP_MSGH_BITS(CS, 0) | COMPLEX, (uint32_t)size, V1, 0, 0, 7);
	t_put32(p, 24, count);
}

/* ---- step 1, 2: sizes ---- */
static size_t mk_size_small(uint8_t *p, int bad)
{
	simple(p, 24);
	return bad ? 20 : 24;
}
static size_t mk_size_unaligned(uint8_t *p, int bad)
{
	simple(p, 32);
	return bad ? 30 : 32;
}
static size_t mk_size_large(uint8_t *p, int bad)
{
	size_t n = bad ? MP_MAX_SEND_SIZE + 4 : MP_MAX_SEND_SIZE;
	return simple(p, n);
}

/* ---- step 4: complex body bounds ---- */
static size_t mk_complex_size(uint8_t *p, int bad)
{
	complex_hdr(p, 28, 0);
	return bad ? 24 : 28;
}
static size_t mk_desc_count(uint8_t *p, int bad)
{
	complex_hdr(p, 40, bad ? 2 : 1);
	t_port_desc(p, 28, V2, CS);
	return 40;
}
/* A huge count is caught by the bound, before any walking. */
static size_t mk_desc_count_huge(uint8_t *p, int bad)
{
	complex_hdr(p, 40, bad ? 0xffffffffu : 1);
	t_port_desc(p, 28, V2, CS);
	return 40;
}

/* ---- step 8: the measure walk ---- */
static size_t mk_desc_left(uint8_t *p, int bad)
{
	/* An OOL (16) then a port (12): a 52-byte message leaves 8 bytes for the port. */
	size_t size = bad ? 52 : 56;
	complex_hdr(p, size, 2);
	t_ool_desc(p, 28, MP_MSG_OOL_DESCRIPTOR, 0x1000, 8, 1, 0);
	t_port_desc(p, 44, V2, CS);
	return size;
}
static size_t mk_desc_overrun(uint8_t *p, int bad)
{
	/* 12 bytes of room: a port fits, an OOL (16 bytes) overruns. */
	complex_hdr(p, 40, 1);
	if (bad)
		t_ool_desc(p, 28, MP_MSG_OOL_DESCRIPTOR, 0, 0, 0, 0);
	else
		t_port_desc(p, 28, V2, CS);
	return 40;
}
static size_t mk_desc_type(uint8_t *p, int bad)
{
	complex_hdr(p, 44, 1);
	t_ool_desc(p, 28, bad ? 5 : MP_MSG_OOL_VOLATILE_DESCRIPTOR, 0x2000, 4, 0, 0);
	return 44;
}
static size_t mk_desc_type_255(uint8_t *p, int bad)
{
	complex_hdr(p, 40, 1);
	t_port_desc(p, 28, V2, CS);
	p[39] = bad ? 0xff : 0;
	return 40;
}
/* The walk runs before inflate: a bad type later beats a bad copy option earlier. */
static size_t mk_walk_before_inflate(uint8_t *p, int bad)
{
	complex_hdr(p, 72, 2);
	t_ool_desc(p, 28, MP_MSG_OOL_DESCRIPTOR, 0x1000, 4, bad ? 2 : 0, 0);
	t_ool_desc(p, 44, bad ? 9 : MP_MSG_OOL_DESCRIPTOR, 0x1000, 4, 0, 0);
	return 72;
}

/* ---- step 9: inflate ---- */
static size_t mk_ool_copy_allocate(uint8_t *p, int bad)
{
	complex_hdr(p, 44, 1);
	t_ool_desc(p, 28, MP_MSG_OOL_DESCRIPTOR, 0x1000, 64, bad ? MP_MSG_ALLOCATE : MP_MSG_VIRTUAL_COPY, 0);
	return 44;
}
static size_t mk_ool_copy_overwrite(uint8_t *p, int bad)
{
	complex_hdr(p, 44, 1);
	t_ool_desc(p, 28, MP_MSG_OOL_VOLATILE_DESCRIPTOR, 0x1000, 64,
		   bad ? MP_MSG_OVERWRITE : MP_MSG_PHYSICAL_COPY, 0);
	return 44;
}
/* The VM budget: page-rounded physical copies above msg_ool_size_small, without deallocate. */
static size_t mk_vm_budget(uint8_t *p, int bad)
{
	complex_hdr(p, 44, 1);
	t_ool_desc(p, 28, MP_MSG_OOL_DESCRIPTOR, 0x1000, bad ? MP_MAX_VM_SPACE + 1 : MP_MAX_VM_SPACE,
		   MP_MSG_PHYSICAL_COPY, 0);
	return 44;
}
/* The same oversized region is fine with deallocate (any non-zero byte) or a virtual copy. */
static size_t mk_vm_budget_dealloc(uint8_t *p, int bad)
{
	complex_hdr(p, 60, 2);
	t_ool_desc(p, 28, MP_MSG_OOL_DESCRIPTOR, 0x1000, MP_MAX_VM_SPACE + 1, MP_MSG_PHYSICAL_COPY,
		   bad ? 0 : 0x80);
	t_ool_desc(p, 44, MP_MSG_OOL_DESCRIPTOR, 0x1000, MP_MAX_VM_SPACE + 1, MP_MSG_VIRTUAL_COPY, 0);
	return 60;
}
/* Ports count 8 bytes each toward the same budget. */
static size_t mk_vm_budget_ports(uint8_t *p, int bad)
{
	complex_hdr(p, 60, 2);
	t_ool_desc(p, 28, MP_MSG_OOL_DESCRIPTOR, 0x1000, MP_MAX_VM_SPACE - 4096, MP_MSG_PHYSICAL_COPY, 0);
	t_ool_ports_desc(p, 44, 0x2000, bad ? 513 : 512, CS, 0, 0);
	return 60;
}
/* Regions of msg_ool_size_small bytes or less never count (a strict bound). */
static size_t mk_vm_small_regions(uint8_t *p, int bad)
{
	/* 449 regions of 16 KiB + 1 byte round to 20 KiB each: 9,195,520 > budget. */
	uint32_t n = 449, i;
	size_t size = 28 + 16 * (size_t)n;
	complex_hdr(p, size, n);
	for (i = 0; i < n; i++)
		t_ool_desc(p, 28 + 16 * (size_t)i, MP_MSG_OOL_DESCRIPTOR, 0x1000,
			   MP_OOL_SIZE_SMALL + (bad ? 1u : 0u), MP_MSG_PHYSICAL_COPY, 0);
	return size;
}
static size_t mk_port_count_total(uint8_t *p, int bad)
{
	complex_hdr(p, 44, 1);
	t_ool_ports_desc(p, 28, 0x2000, bad ? MP_MAX_PORTS_PER_MSG + 1 : MP_MAX_PORTS_PER_MSG, CS, 0, 0);
	return 44;
}
/* Port and guarded descriptors count one each. */
static size_t mk_port_count_mixed(uint8_t *p, int bad)
{
	complex_hdr(p, 72, 3);
	t_port_desc(p, 28, V2, CS);
	t_guarded_desc(p, 40, V3, MR, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0x10);
	t_ool_ports_desc(p, 56, 0x2000, bad ? MP_MAX_PORTS_PER_MSG - 1 : MP_MAX_PORTS_PER_MSG - 2, CS, 0, 0);
	return 72;
}
/* The u32 port counter overflows inside inflate, at the descriptor that overflows it. */
static size_t mk_port_counter_overflow(uint8_t *p, int bad)
{
	complex_hdr(p, 60, 2);
	t_ool_ports_desc(p, 28, 0x2000, bad ? 0xffffffffu : 1, CS, 0, 0);
	t_ool_ports_desc(p, 44, 0x2000, 1, CS, 0, 0);
	return 60;
}
static size_t mk_guarded_disposition(uint8_t *p, int bad)
{
	complex_hdr(p, 44, 1);
	t_guarded_desc(p, 28, V2, bad ? MS : MR, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0x10);
	return 44;
}
static size_t mk_guarded_flags_zero(uint8_t *p, int bad)
{
	complex_hdr(p, 44, 1);
	t_guarded_desc(p, 28, V2, MR, bad ? 0 : MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0x10);
	return 44;
}
static size_t mk_guarded_flags_unknown(uint8_t *p, int bad)
{
	complex_hdr(p, 44, 1);
	t_guarded_desc(p, 28, V2, MR, bad ? 0x0101 : MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0x10);
	return 44;
}
static size_t mk_guarded_context(uint8_t *p, int bad)
{
	complex_hdr(p, 44, 1);
	t_guarded_desc(p, 28, V2, MR,
		       MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE | MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND,
		       bad ? 0x42 : 0);
	return 44;
}
/* Up to 64 descriptors inflate last to first: the last bad one is reported (§10.6). */
static size_t mk_inflate_last_to_first(uint8_t *p, int bad)
{
	complex_hdr(p, 60, 2);
	t_ool_desc(p, 28, MP_MSG_OOL_DESCRIPTOR, 0x1000, 4, bad ? 7 : 0, 0);
	t_guarded_desc(p, 44, V2, bad ? CS : MR, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 1);
	return 60;
}
/* Beyond 64 descriptors XNU inflates first to last: the first bad one is reported. */
static size_t mk_inflate_first_to_last(uint8_t *p, int bad)
{
	uint32_t n = 65, i;
	size_t size = 28 + 16 * (size_t)n;
	complex_hdr(p, size, n);
	for (i = 0; i < n; i++)
		t_ool_desc(p, 28 + 16 * (size_t)i, MP_MSG_OOL_DESCRIPTOR, 0x1000, 4, 0, 0);
	if (bad) {
		p[28 + 9] = 7;               /* descriptor 0: bad copy */
		p[28 + 16 * 64 + 9] = 3;     /* descriptor 64: bad copy too */
	}
	return size;
}
/* The guarded descriptor bumps the counter before its own checks (§10.6). */
static size_t mk_counter_before_guard_checks(uint8_t *p, int bad)
{
	complex_hdr(p, 60, 2);
	t_guarded_desc(p, 28, V2, bad ? CS : MR, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 1);
	t_ool_ports_desc(p, 44, 0x2000, bad ? 0xffffffffu : 0, CS, 0, 0);
	return 60;
}
/* Shape errors (steps 8-10) come before any header rule (step 11). */
static size_t mk_totals_before_header(uint8_t *p, int bad)
{
	complex_hdr(p, 44, 1);
	if (bad) /* a bad remote disposition, and too many ports */
		t_put32(p, 0, MP_MSGH_BITS(MP_MSG_TYPE_PORT_NAME, 0) | COMPLEX);
	t_ool_ports_desc(p, 28, 0x2000, bad ? MP_MAX_PORTS_PER_MSG + 1 : 0, CS, 0, 0);
	return 44;
}

/* ---- step 11: header rules (§6.2, §10.1) ---- */
static size_t hdr(uint8_t *p, uint32_t rd, uint32_t remote, uint32_t ld, uint32_t local,
		  uint32_t vd, uint32_t voucher)
{
	memset(p, 0, 32);
	t_header(p, MP_MSGH_BITS_SET_PORTS(rd, ld, vd), 32, remote, local, voucher, 1);
	return 32;
}
static size_t mk_reply_disp_zero_named(uint8_t *p, int bad)
{
	return hdr(p, CS, V1, 0, bad ? V2 : 0, 0, 0);
}
static size_t mk_reply_disp_zero_dead(uint8_t *p, int bad)
{
	return hdr(p, CS, V1, bad ? 0 : MKSO, MP_PORT_DEAD, 0, 0);
}
static size_t mk_reply_disp_receive(uint8_t *p, int bad)
{
	return hdr(p, CS, V1, bad ? MR : MKS, V2, 0, 0);
}
static size_t mk_reply_disp_22(uint8_t *p, int bad)
{
	return hdr(p, CS, V1, bad ? 22 : MSO, V2, 0, 0);
}
/* A reply of NULL or DEAD with a right disposition is accepted and passes through. */
static size_t mk_reply_null_with_disp(uint8_t *p, int bad)
{
	return hdr(p, CS, V1, bad ? MP_MSG_TYPE_PORT_NAME : MS, MP_PORT_NULL, 0, 0);
}
static size_t mk_voucher_disp(uint8_t *p, int bad)
{
	return hdr(p, CS, V1, 0, 0, bad ? MSO : CS, V3);
}
static size_t mk_voucher_disp_make(uint8_t *p, int bad)
{
	return hdr(p, CS, V1, 0, 0, bad ? MKS : MS, V3);
}
/* A NULL voucher name is accepted with 17 or 19; DEAD is not (§10.2). */
static size_t mk_voucher_dead(uint8_t *p, int bad)
{
	return hdr(p, CS, V1, 0, 0, MS, bad ? MP_PORT_DEAD : MP_PORT_NULL);
}
static size_t mk_remote_disp_receive(uint8_t *p, int bad)
{
	return hdr(p, bad ? MR : MKSO, V1, 0, 0, 0, 0);
}
static size_t mk_remote_disp_zero(uint8_t *p, int bad)
{
	return hdr(p, bad ? 0 : MSO, V1, 0, 0, 0, 0);
}
static size_t mk_remote_disp_22(uint8_t *p, int bad)
{
	return hdr(p, bad ? MP_MSG_TYPE_COPY_RECEIVE : MKS, V1, 0, 0, 0, 0);
}
static size_t mk_remote_null(uint8_t *p, int bad)
{
	return hdr(p, MS, bad ? MP_PORT_NULL : V1, 0, 0, 0, 0);
}
static size_t mk_remote_dead(uint8_t *p, int bad)
{
	return hdr(p, MS, bad ? MP_PORT_DEAD : V1, 0, 0, 0, 0);
}
static size_t mk_dest_voucher(uint8_t *p, int bad)
{
	return hdr(p, bad ? MKS : MS, V1, 0, 0, CS, V1);
}
/* With voucher disposition 0 the voucher field is not a name at all. */
static size_t mk_dest_voucher_ignored(uint8_t *p, int bad)
{
	return hdr(p, MKS, V1, 0, 0, bad ? CS : 0, V1);
}
static size_t mk_dest_reply_move_once(uint8_t *p, int bad)
{
	return hdr(p, bad ? MSO : MKSO, V1, MKS, V1, 0, 0);
}
static size_t mk_dest_reply_local_move_once(uint8_t *p, int bad)
{
	return hdr(p, MKS, V1, bad ? MSO : MKSO, V1, 0, 0);
}
static size_t mk_reply_voucher(uint8_t *p, int bad)
{
	return hdr(p, CS, V1, MKSO, V2, bad ? MS : 0, V2);
}
/* XNU checks reply, then voucher, then remote (§10.1). */
static size_t mk_order_reply_first(uint8_t *p, int bad)
{
	return hdr(p, bad ? 0 : MS, V1, bad ? 16 : 0, 0, 0, 0);
}
static size_t mk_order_voucher_before_remote(uint8_t *p, int bad)
{
	return hdr(p, bad ? 0 : MS, V1, 0, 0, bad ? 21 : 0, 0);
}
static size_t mk_order_remote_disp_before_name(uint8_t *p, int bad)
{
	return hdr(p, bad ? 16 : MS, bad ? MP_PORT_NULL : V1, 0, 0, 0, 0);
}

static const send_case_t cases[] = {
    {"send size below 24", mk_size_small, MP_E_SEND_SIZE, MP_MACH_SEND_MSG_TOO_SMALL, 0},
    {"send size not a multiple of 4", mk_size_unaligned, MP_E_SEND_SIZE, MP_MACH_SEND_MSG_TOO_SMALL, 0},
    {"send size above IPC_KMSG_MAX_BODY_SPACE", mk_size_large, MP_E_SEND_TOO_LARGE, MP_MACH_SEND_TOO_LARGE, 0},
    {"complex message below 28 bytes", mk_complex_size, MP_E_COMPLEX_SIZE, MP_MACH_SEND_MSG_TOO_SMALL, 24},
    {"descriptor count bound", mk_desc_count, MP_E_DESC_COUNT, MP_MACH_SEND_MSG_TOO_SMALL, 24},
    {"descriptor count 0xffffffff", mk_desc_count_huge, MP_E_DESC_COUNT, MP_MACH_SEND_MSG_TOO_SMALL, 24},
    {"fewer than 12 bytes left for a descriptor", mk_desc_left, MP_E_DESC_TRUNCATED, MP_MACH_SEND_MSG_TOO_SMALL, 44},
    {"16-byte descriptor overruns the message", mk_desc_overrun, MP_E_DESC_TRUNCATED, MP_MACH_SEND_MSG_TOO_SMALL, 28},
    {"descriptor type 5", mk_desc_type, MP_E_DESC_TYPE, MP_MACH_SEND_INVALID_TYPE, 39},
    {"descriptor type 255", mk_desc_type_255, MP_E_DESC_TYPE, MP_MACH_SEND_INVALID_TYPE, 39},
    {"measure walk before inflate", mk_walk_before_inflate, MP_E_DESC_TYPE, MP_MACH_SEND_INVALID_TYPE, 55},
    {"OOL copy ALLOCATE", mk_ool_copy_allocate, MP_E_OOL_COPY, MP_MACH_SEND_INVALID_TYPE, 37},
    {"OOL_VOLATILE copy OVERWRITE", mk_ool_copy_overwrite, MP_E_OOL_COPY, MP_MACH_SEND_INVALID_TYPE, 37},
    {"VM budget", mk_vm_budget, MP_E_VM_BUDGET, MP_MACH_MSG_VM_KERNEL, 24},
    {"VM budget skips deallocate and virtual copies", mk_vm_budget_dealloc, MP_E_VM_BUDGET, MP_MACH_MSG_VM_KERNEL, 24},
    {"VM budget counts 8 bytes per port", mk_vm_budget_ports, MP_E_VM_BUDGET, MP_MACH_MSG_VM_KERNEL, 24},
    {"VM budget skips regions up to msg_ool_size_small", mk_vm_small_regions, MP_E_VM_BUDGET, MP_MACH_MSG_VM_KERNEL, 24},
    {"port total above 16383", mk_port_count_total, MP_E_PORT_COUNT, MP_MACH_SEND_TOO_LARGE, 24},
    {"port total counts port and guarded descriptors", mk_port_count_mixed, MP_E_PORT_COUNT, MP_MACH_SEND_TOO_LARGE, 24},
    {"u32 port counter overflow", mk_port_counter_overflow, MP_E_PORT_COUNT, MP_MACH_SEND_TOO_LARGE, 40},
    {"guarded disposition not MOVE_RECEIVE", mk_guarded_disposition, MP_E_GUARDED_DISPOSITION, MP_MACH_SEND_INVALID_TYPE, 38},
    {"guarded flags zero", mk_guarded_flags_zero, MP_E_GUARDED_FLAGS, MP_MACH_SEND_INVALID_TYPE, 36},
    {"guarded flags outside 0x3", mk_guarded_flags_unknown, MP_E_GUARDED_FLAGS, MP_MACH_SEND_INVALID_TYPE, 36},
    {"UNGUARDED_ON_SEND with a context", mk_guarded_context, MP_E_GUARDED_CONTEXT, MP_MACH_SEND_INVALID_TYPE, 28},
    {"inflate last to first up to 64", mk_inflate_last_to_first, MP_E_GUARDED_DISPOSITION, MP_MACH_SEND_INVALID_TYPE, 54},
    {"inflate first to last above 64", mk_inflate_first_to_last, MP_E_OOL_COPY, MP_MACH_SEND_INVALID_TYPE, 37},
    {"port counter before guarded checks", mk_counter_before_guard_checks, MP_E_PORT_COUNT, MP_MACH_SEND_TOO_LARGE, 28},
    {"totals before header rules", mk_totals_before_header, MP_E_PORT_COUNT, MP_MACH_SEND_TOO_LARGE, 24},
    {"reply disposition 0 with a name", mk_reply_disp_zero_named, MP_E_REPLY_DISPOSITION, MP_MACH_SEND_INVALID_HEADER, 12},
    {"reply disposition 0 with DEAD", mk_reply_disp_zero_dead, MP_E_REPLY_DISPOSITION, MP_MACH_SEND_INVALID_HEADER, 12},
    {"reply disposition MOVE_RECEIVE", mk_reply_disp_receive, MP_E_REPLY_DISPOSITION, MP_MACH_SEND_INVALID_HEADER, 1},
    {"reply disposition 22", mk_reply_disp_22, MP_E_REPLY_DISPOSITION, MP_MACH_SEND_INVALID_HEADER, 1},
    {"reply NULL needs a right disposition or 0", mk_reply_null_with_disp, MP_E_REPLY_DISPOSITION, MP_MACH_SEND_INVALID_HEADER, 1},
    {"voucher disposition MOVE_SEND_ONCE", mk_voucher_disp, MP_E_VOUCHER_DISPOSITION, MP_MACH_SEND_INVALID_VOUCHER, 2},
    {"voucher disposition MAKE_SEND", mk_voucher_disp_make, MP_E_VOUCHER_DISPOSITION, MP_MACH_SEND_INVALID_VOUCHER, 2},
    {"voucher DEAD (NULL is accepted)", mk_voucher_dead, MP_E_VOUCHER_DEAD, MP_MACH_SEND_INVALID_VOUCHER, 16},
    {"remote disposition MOVE_RECEIVE", mk_remote_disp_receive, MP_E_REMOTE_DISPOSITION, MP_MACH_SEND_INVALID_HEADER, 0},
    {"remote disposition 0", mk_remote_disp_zero, MP_E_REMOTE_DISPOSITION, MP_MACH_SEND_INVALID_HEADER, 0},
    {"remote disposition COPY_RECEIVE", mk_remote_disp_22, MP_E_REMOTE_DISPOSITION, MP_MACH_SEND_INVALID_HEADER, 0},
    {"remote name NULL", mk_remote_null, MP_E_REMOTE_NAME, MP_MACH_SEND_INVALID_DEST, 8},
    {"remote name DEAD", mk_remote_dead, MP_E_REMOTE_NAME, MP_MACH_SEND_INVALID_DEST, 8},
    {"dest == voucher needs MOVE_SEND or COPY_SEND", mk_dest_voucher, MP_E_DEST_VOUCHER, MP_MACH_SEND_INVALID_DEST, 0},
    {"dest == voucher only with a voucher disposition", mk_dest_voucher_ignored, MP_E_DEST_VOUCHER, MP_MACH_SEND_INVALID_DEST, 0},
    {"dest == reply with MOVE_SEND_ONCE dest", mk_dest_reply_move_once, MP_E_DEST_REPLY_SEND_ONCE, MP_MACH_SEND_INVALID_DEST, 12},
    {"dest == reply with MOVE_SEND_ONCE reply", mk_dest_reply_local_move_once, MP_E_DEST_REPLY_SEND_ONCE, MP_MACH_SEND_INVALID_DEST, 12},
    {"reply == voucher", mk_reply_voucher, MP_E_REPLY_VOUCHER, MP_MACH_SEND_INVALID_REPLY, 16},
    {"order: reply before remote", mk_order_reply_first, MP_E_REPLY_DISPOSITION, MP_MACH_SEND_INVALID_HEADER, 1},
    {"order: voucher before remote", mk_order_voucher_before_remote, MP_E_VOUCHER_DISPOSITION, MP_MACH_SEND_INVALID_VOUCHER, 2},
    {"order: remote disposition before remote name", mk_order_remote_disp_before_name, MP_E_REMOTE_DISPOSITION, MP_MACH_SEND_INVALID_HEADER, 0},
};

static void run_case(void **state)
{
	const send_case_t *c = *state;
	mp_msg_view_t v;
	mp_diag_t diag;
	size_t len;

	/* The accepted neighbour. */
	len = c->make(g_buf, 0);
	memset(&diag, 0, sizeof diag);
	if (mp_parse_send(&v, g_buf, len, &diag) != MP_OK)
		fail_msg("%s: neighbour rejected: %s at %zu: %s", c->rule, mp_err_name(diag.err),
			 diag.offset, diag.reason);

	/* The rejected message: exact rule, XNU code and offset. */
	len = c->make(g_buf, 1);
	memset(&diag, 0, sizeof diag);
	mp_err_t err = mp_parse_send(&v, g_buf, len, &diag);
	if (err != c->err)
		fail_msg("%s: got %s (%s), want %s", c->rule, mp_err_name(err), diag.reason,
			 mp_err_name(c->err));
	assert_int_equal(diag.err, c->err);
	assert_int_equal(mp_err_mach_send(err), c->mach);
	if (diag.offset != c->offset)
		fail_msg("%s: offset %zu, want %zu (%s)", c->rule, diag.offset, c->offset, diag.reason);
	/* The reason names the rule's text. */
	assert_non_null(strstr(diag.reason, mp_err_str(err)));
}

/* §1.4 / §10.8: bits outside MACH_MSGH_BITS_USER are cleared, not rejected. */
static void test_bits_masked_not_rejected(void **state)
{
	uint8_t m[32];
	mp_msg_view_t v;
	(void)state;
	hdr(m, MS, V1, 0, 0, 0, 0);
	/* bits 5-7 of the remote byte, RAISEIMP and bit 30 */
	t_put32(m, 0, 0x31u | MP_MSGH_BITS_RAISEIMP | 0x40000000u);
	assert_int_equal(mp_parse_send(&v, m, sizeof m, NULL), MP_OK);
	assert_int_equal(v.raw_bits, 0x31u | MP_MSGH_BITS_RAISEIMP | 0x40000000u);
	assert_int_equal(v.bits, 0x11u);
	assert_int_equal(v.remote_disposition, MS);
}

/* §6.1: msgh_size is never read on send. */
static void test_msgh_size_ignored(void **state)
{
	uint8_t m[40];
	mp_msg_view_t v;
	(void)state;
	memset(m, 0, sizeof m);
	t_header(m, MP_MSGH_BITS(CS, 0), 0xdeadbeef, V1, 0, 0, 0);
	assert_int_equal(mp_parse_send(&v, m, sizeof m, NULL), MP_OK);
	assert_int_equal(v.size, 40);
	assert_int_equal(v.msgh_size, 0xdeadbeef);
	assert_int_equal(v.inline_len, 16);
}

/* Without COMPLEX, the 4 bytes at offset 24 are plain data. */
static void test_count_is_data_when_simple(void **state)
{
	uint8_t m[28];
	mp_msg_view_t v;
	(void)state;
	simple(m, 28);
	t_put32(m, 24, 0xffffffffu);
	assert_int_equal(mp_parse_send(&v, m, sizeof m, NULL), MP_OK);
	assert_int_equal(v.desc_count, 0);
	assert_int_equal(v.inline_offset, 24);
	assert_int_equal(v.inline_len, 4);
}

/* COMPLEX with zero descriptors is a valid message (tests/mach_exception_reply.c). */
static void test_complex_without_descriptors(void **state)
{
	uint8_t m[28];
	mp_msg_view_t v;
	(void)state;
	complex_hdr(m, 28, 0);
	assert_int_equal(mp_parse_send(&v, m, sizeof m, NULL), MP_OK);
	assert_true(v.complex);
	assert_int_equal(v.desc_count, 0);
	assert_int_equal(v.inline_len, 0);
}

/* §6.3: any disposition passes the shape phase, even on a valid name
 * (it fails later, at rights copyin, with MACH_SEND_INVALID_RIGHT). */
static void test_port_disposition_not_a_shape_rule(void **state)
{
	uint8_t m[40];
	mp_msg_view_t v;
	(void)state;
	complex_hdr(m, 40, 1);
	t_port_desc(m, 28, V2, MP_MSG_TYPE_PORT_NAME);
	assert_int_equal(mp_parse_send(&v, m, sizeof m, NULL), MP_OK);
	assert_int_equal(v.port_count, 1);
}

/* A garbage voucher field with voucher disposition 0 is round-tripped (§1.2). */
static void test_voucher_field_garbage_without_disposition(void **state)
{
	uint8_t m[32];
	mp_msg_view_t v;
	(void)state;
	hdr(m, MS, V1, 0, 0, 0, MP_PORT_DEAD);
	assert_int_equal(mp_parse_send(&v, m, sizeof m, NULL), MP_OK);
	assert_int_equal(v.voucher, MP_PORT_DEAD);
}

/* A port descriptor on a full u32 counter overflows it (inflate, at the
 * descriptor that overflows); one short of full fails the total instead. */
static void test_port_counter_overflow_by_port(void **state)
{
	uint8_t m[56];
	mp_msg_view_t v;
	mp_diag_t d;
	(void)state;
	complex_hdr(m, 56, 2);
	t_ool_ports_desc(m, 28, 0x2000, 0xffffffffu, CS, 0, 0);
	t_port_desc(m, 44, V2, CS);
	assert_int_equal(mp_parse_send(&v, m, sizeof m, &d), MP_E_PORT_COUNT);
	assert_int_equal(d.offset, 40);
	t_put32(m, 40, 0xfffffffeu);
	assert_int_equal(mp_parse_send(&v, m, sizeof m, &d), MP_E_PORT_COUNT);
	assert_int_equal(d.offset, 24);
}

/* Every MACH code in the table is one of XNU's send-path codes. */
static void test_err_table(void **state)
{
	(void)state;
	for (int e = 0; e < 256; e++) {
		const char *name = mp_err_name((mp_err_t)e);
		if (strcmp(name, "MP_E_UNKNOWN") == 0)
			continue;
		assert_non_null(mp_err_str((mp_err_t)e));
		int32_t mach = mp_err_mach_send((mp_err_t)e);
		if (mach != 0)
			assert_string_not_equal(mp_mach_msg_return_name(mach), "?");
	}
	assert_string_equal(mp_err_name(MP_E_DESC_TYPE), "MP_E_DESC_TYPE");
	assert_string_equal(mp_err_name((mp_err_t)200), "MP_E_UNKNOWN");
}

/* NULL arguments are refused, not dereferenced. */
static void test_null_arguments(void **state)
{
	mp_msg_view_t v;
	mp_diag_t d;
	(void)state;
	assert_int_equal(mp_parse_send(NULL, g_buf, 24, &d), MP_E_INVALID_ARG);
	assert_int_equal(mp_parse_send(&v, NULL, 24, &d), MP_E_INVALID_ARG);
	assert_int_equal(mp_parse_send(&v, NULL, 0, &d), MP_E_SEND_SIZE);
}

int main(void)
{
	const struct CMUnitTest extra[] = {
	    cmocka_unit_test(test_bits_masked_not_rejected),
	    cmocka_unit_test(test_msgh_size_ignored),
	    cmocka_unit_test(test_count_is_data_when_simple),
	    cmocka_unit_test(test_complex_without_descriptors),
	    cmocka_unit_test(test_port_disposition_not_a_shape_rule),
	    cmocka_unit_test(test_voucher_field_garbage_without_disposition),
	    cmocka_unit_test(test_port_counter_overflow_by_port),
	    cmocka_unit_test(test_err_table),
	    cmocka_unit_test(test_null_arguments),
	};
	int failed;

	g_buf = calloc(1, G_BUF_LEN);
	if (g_buf == NULL)
		return 1;
	failed = t_run_table("send_rules", cases, sizeof cases / sizeof cases[0], sizeof cases[0], run_case,
			     extra, sizeof extra / sizeof extra[0]);
	free(g_buf);
	return failed;
}
