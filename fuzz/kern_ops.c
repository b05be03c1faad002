/*
 * fuzz/kern_ops.c: bytes -> a sequence of operations on the userspace
 * kernel (lib/kern) across a few spaces: port calls, sends of messages
 * carrying rights, OOL memory and port arrays, receives with random
 * options and buffer sizes, task deaths. After every step the kernel's
 * invariant checker must hold; at the end, with every space gone, nothing
 * may be left (no port, set, message or OOL region).
 *
 * Operation bytes are taken from the front, integers from the back
 * (fuzz/support/fdp.h), so inserting a byte shifts few decisions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/support/fdp.h"
#include "lib/kern/kern.h"
#include "machports/le.h"
#include "machports/msg.h"

#define NSPACES 3
#define NNAMES 16
#define MAX_STEPS 64

typedef struct world {
	mp_kern_t *k;
	mp_kspace_t *s[NSPACES];
	mp_port_name_t names[NSPACES][NNAMES]; /* names seen in each space */
	uint64_t regions[8];                  /* OOL addresses received (any space) */
	uint8_t ool_src[3 * 4096 + 64];       /* sender memory for OOL descriptors */
} world_t;

static void check(world_t *w, const char *step)
{
	char why[256];
	if (mp_kern_check(w->k, why, sizeof(why)) != 0) {
		fprintf(stderr, "kern_ops: invariant broken after %s: %s\n", step, why);
		abort();
	}
}

static void remember(world_t *w, int sp, mp_port_name_t n, fdp_t *f)
{
	if (MP_PORT_VALID(n))
		w->names[sp][fdp_range(f, 0, NNAMES - 1)] = n;
}

/* A name to use: one seen in the space, or a raw value (NULL, DEAD, stale). */
static mp_port_name_t pick(world_t *w, int sp, fdp_t *f)
{
	uint8_t how = fdp_u8(f);
	if (how < 200)
		return w->names[sp][how % NNAMES];
	if (how < 220)
		return MP_PORT_NULL;
	if (how < 235)
		return MP_PORT_DEAD;
	return fdp_u32(f);
}

static uint32_t pick_disp(fdp_t *f)
{
	uint8_t d = fdp_u8(f);
	if (d < 240)
		return 16 + d % 6; /* MOVE_RECEIVE .. MAKE_SEND_ONCE */
	return d % 32;
}

static void build_and_send(world_t *w, int sp, fdp_t *f)
{
	uint8_t buf[512];
	mp_port_name_t arrays[4][4];
	mp_builder_t b;
	size_t len = 0;
	uint32_t ndesc = (uint32_t)fdp_range(f, 0, 4);
	uint32_t ddisp = 17 + (uint32_t)fdp_range(f, 0, 4);

	mp_builder_init(&b, buf, sizeof(buf), fdp_range(f, 0, 15) == 0 ? MP_BUILD_UNCHECKED : 0);
	mp_builder_set_remote(&b, pick(w, sp, f), ddisp);
	if (fdp_bool(f))
		mp_builder_set_local(&b, pick(w, sp, f), 17 + (uint32_t)fdp_range(f, 0, 4));
	mp_builder_set_id(&b, (int32_t)fdp_u16(f));
	for (uint32_t i = 0; i < ndesc; i++) {
		switch (fdp_range(f, 0, 3)) {
		case 0:
			mp_builder_add_port(&b, pick(w, sp, f), pick_disp(f));
			break;
		case 1: {
			uint32_t size = (uint32_t)fdp_range(f, 0, sizeof(w->ool_src) - 64);
			uint64_t addr = mp_addr(w->ool_src + fdp_range(f, 0, 63));
			uint8_t src = fdp_u8(f);
			if (src < 16)
				addr = 0x10; /* unreadable: MACH_SEND_INVALID_MEMORY */
			else if (src < 48)
				addr = w->regions[src % 8]; /* received memory, maybe freed */
			mp_builder_add_ool(&b, addr, size, (uint32_t)fdp_range(f, 0, 1),
					   fdp_range(f, 0, 3) == 0);
			break;
		}
		case 2: {
			uint32_t count = (uint32_t)fdp_range(f, 0, 4);
			for (uint32_t j = 0; j < count; j++)
				arrays[i][j] = pick(w, sp, f);
			mp_builder_add_ool_ports(&b, mp_addr(arrays[i]), count, pick_disp(f),
						 (uint32_t)fdp_range(f, 0, 1), 0);
			break;
		}
		default:
			mp_builder_add_guarded_port(&b, pick(w, sp, f), MP_MSG_TYPE_MOVE_RECEIVE,
						    (uint32_t)fdp_range(f, 1, 3), fdp_range(f, 0, 2) * 0x10);
			break;
		}
	}
	mp_builder_append(&b, w->ool_src, fdp_range(f, 0, 64));
	if (mp_builder_finish(&b, &len, NULL) != MP_OK)
		return;
	/* never block: a full queue is a pseudo-receive (class D) */
	(void)mp_kern_msg(w->s[sp], buf, MP_MACH_SEND_MSG | MP_MACH_SEND_TIMEOUT, (uint32_t)len, 0,
			  0, 0);
	/* a name that came back in a pseudo-receive */
	remember(w, sp, mp_load_le32(buf + MP_MSGH_REMOTE_OFFSET), f);
}

static void harvest(world_t *w, int sp, const uint8_t *buf, uint32_t size, fdp_t *f)
{
	mp_msg_view_t v;
	mp_desc_iter_t it;
	mp_desc_t d;

	/* what arrives must be what a parser accepts (§6.6-6.9) */
	if (mp_parse_recv(&v, buf, size, 0, NULL) != MP_OK) {
		fprintf(stderr, "kern_ops: the kernel delivered a message the recv parser rejects\n");
		abort();
	}
	remember(w, sp, v.remote, f);
	mp_desc_iter_init(&it, &v);
	while (mp_desc_next(&it, &d)) {
		if (d.type == MP_MSG_PORT_DESCRIPTOR || d.type == MP_MSG_GUARDED_PORT_DESCRIPTOR) {
			remember(w, sp, d.name, f);
		} else if (d.type == MP_MSG_OOL_PORTS_DESCRIPTOR) {
			const uint8_t *names = (const uint8_t *)(uintptr_t)d.address;
			for (uint32_t j = 0; names != NULL && j < d.length; j++)
				remember(w, sp, mp_load_le32(names + 4u * j), f);
			if (d.address != 0 && fdp_bool(f))
				mp_kern_vm_deallocate(w->s[sp], d.address, (uint64_t)d.length * 4);
		} else if (d.address != 0) {
			w->regions[fdp_range(f, 0, 7)] = d.address;
			if (fdp_bool(f))
				mp_kern_vm_deallocate(w->s[sp], d.address, d.length);
		}
	}
}

static void receive(world_t *w, int sp, fdp_t *f)
{
	static const uint32_t sizes[] = { 0, 16, 24, 40, 64, 128, 256, 1024 };
	uint8_t buf[1024];
	uint32_t size = sizes[fdp_range(f, 0, 7)];
	uint32_t opt = MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT |
		       MP_RCV_TRAILER_ELEMENTS(fdp_range(f, 0, 8)) |
		       (fdp_bool(f) ? MP_MACH_RCV_LARGE : 0) | (fdp_bool(f) ? MP_MACH_RCV_GUARDED_DESC : 0) |
		       (fdp_bool(f) ? MP_MACH_RCV_VOUCHER : 0);
	mp_kr_t kr = mp_kern_msg(w->s[sp], buf, opt, 0, size, pick(w, sp, f), 0);

	if (kr == MP_MACH_MSG_SUCCESS || (kr & ~MP_MACH_MSG_MASK) == MP_MACH_RCV_BODY_ERROR)
		harvest(w, sp, buf, size, f);
}

static void step(world_t *w, uint8_t op, fdp_t *f)
{
	int sp = (int)fdp_range(f, 0, NSPACES - 1), other = (int)fdp_range(f, 0, NSPACES - 1);
	mp_kspace_t *s = w->s[sp];
	mp_port_name_t n = 0, prev = 0;
	uint32_t u = 0;
	uint64_t c = 0;
	mp_port_status_t st;

	switch (op % 20) {
	case 0:
		if (mp_kern_port_allocate(s, (uint32_t)fdp_range(f, 0, 5), &n) == MP_KERN_SUCCESS)
			remember(w, sp, n, f);
		break;
	case 1:
		if (mp_kern_port_construct(s, fdp_u8(f), (uint32_t)fdp_range(f, 0, 6), fdp_range(f, 0, 2) * 0x10,
					   &n) == MP_KERN_SUCCESS)
			remember(w, sp, n, f);
		break;
	case 2:
		(void)mp_kern_port_insert_right(w->s[other], fdp_bool(f) ? pick(w, other, f) : pick(w, sp, f), s,
						pick(w, sp, f), pick_disp(f));
		break;
	case 3:
		if (mp_kern_port_extract_right(s, pick(w, sp, f), pick_disp(f), w->s[other], &n, &u) ==
		    MP_KERN_SUCCESS)
			remember(w, other, n, f);
		break;
	case 4:
		(void)mp_kern_port_mod_refs(s, pick(w, sp, f), (uint32_t)fdp_range(f, 0, 6),
					    (int32_t)fdp_range(f, 0, 6) - 3);
		break;
	case 5:
		(void)mp_kern_port_deallocate(s, pick(w, sp, f));
		break;
	case 6:
		(void)mp_kern_port_destroy(s, pick(w, sp, f));
		break;
	case 7:
		(void)mp_kern_port_destruct(s, pick(w, sp, f), -(int32_t)fdp_range(f, 0, 2),
					    fdp_range(f, 0, 2) * 0x10);
		break;
	case 8:
		(void)mp_kern_port_guard(s, pick(w, sp, f), fdp_range(f, 0, 2) * 0x10, fdp_range(f, 0, 3));
		break;
	case 9:
		(void)mp_kern_port_unguard(s, pick(w, sp, f), fdp_range(f, 0, 2) * 0x10);
		break;
	case 10:
		(void)mp_kern_port_set_context(s, pick(w, sp, f), fdp_range(f, 0, 2) * 0x10);
		(void)mp_kern_port_get_context(s, pick(w, sp, f), &c);
		break;
	case 11: {
		mp_port_name_t a = pick(w, sp, f), b = pick(w, sp, f);
		switch (fdp_range(f, 0, 2)) {
		case 0:
			(void)mp_kern_port_insert_member(s, a, b);
			break;
		case 1:
			(void)mp_kern_port_extract_member(s, a, b);
			break;
		default:
			(void)mp_kern_port_move_member(s, a, fdp_bool(f) ? MP_PORT_NULL : b);
			break;
		}
		break;
	}
	case 12: {
		/* one byte, as before the port-destroyed and send-possible
		 * variants: its low bit still picks dead-name / no-senders */
		static const int32_t variants[4] = { MP_MACH_NOTIFY_DEAD_NAME, MP_MACH_NOTIFY_NO_SENDERS,
						     MP_MACH_NOTIFY_PORT_DESTROYED, MP_MACH_NOTIFY_SEND_POSSIBLE };
		if (mp_kern_port_request_notification(s, pick(w, sp, f), variants[fdp_u8(f) & 3],
						      (uint32_t)fdp_range(f, 0, 2), pick(w, sp, f), pick_disp(f),
						      &prev) == MP_KERN_SUCCESS)
			remember(w, sp, prev, f);
		break;
	}
	case 13: {
		uint8_t trailer[MP_MAX_TRAILER_SIZE];
		uint32_t seqno = (uint32_t)fdp_range(f, 0, 3), msize = 0, tsize = (uint32_t)fdp_range(f, 0, 68);
		int32_t id = 0;
		(void)mp_kern_port_get_refs(s, pick(w, sp, f), (uint32_t)fdp_range(f, 0, 6), &u);
		(void)mp_kern_port_type(s, pick(w, sp, f), &u);
		(void)mp_kern_port_get_status(s, pick(w, sp, f), &st);
		(void)mp_kern_port_peek(s, pick(w, sp, f), MP_RCV_TRAILER_ELEMENTS(fdp_range(f, 0, 8)), &seqno,
					&msize, &id, trailer, &tsize);
		break;
	}
	case 14:
		(void)mp_kern_port_set_qlimit(s, pick(w, sp, f), (uint32_t)fdp_range(f, 0, 3));
		break;
	case 15:
	case 16:
		build_and_send(w, sp, f);
		break;
	case 17:
	case 18:
		receive(w, sp, f);
		break;
	default:
		/* task death, and a new task in its place */
		mp_kern_space_destroy(w->s[sp]);
		memset(w->names[sp], 0, sizeof(w->names[sp]));
		if (mp_kern_space_create(w->k, NULL, &w->s[sp]) != MP_KERN_SUCCESS)
			abort();
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static world_t w;
	mp_kern_stats_t st;
	fdp_t f;
	size_t ops;

	memset(&w, 0, sizeof(w));
	memset(w.ool_src, 0xa5, sizeof(w.ool_src));
	w.k = mp_kern_create();
	if (w.k == NULL)
		return 0;
	for (int i = 0; i < NSPACES; i++)
		if (mp_kern_space_create(w.k, NULL, &w.s[i]) != MP_KERN_SUCCESS)
			abort();
	/* the first bytes are operations, the rest are arguments */
	ops = size < MAX_STEPS ? size / 2 : MAX_STEPS;
	fdp_init(&f, data + ops, size - ops);
	for (size_t i = 0; i < ops; i++) {
		step(&w, data[i], &f);
		check(&w, "a step");
	}
	for (int i = 0; i < NSPACES; i++)
		mp_kern_space_destroy(w.s[i]);
	check(&w, "task death of every space");
	mp_kern_get_stats(w.k, &st);
	if (st.ports || st.psets || st.kmsgs || st.vm_regions || st.vm_bytes) {
		fprintf(stderr, "kern_ops: leak: %u ports, %u sets, %u messages, %u regions\n", st.ports,
			st.psets, st.kmsgs, st.vm_regions);
		abort();
	}
	mp_kern_destroy(w.k);
	return 0;
}
