/*
 * lib/msg/parse.c: the send-mode and receive-mode parsers.
 *
 * Send mode mirrors the shape checks XNU's send path makes before it touches
 * any right, in XNU's order (xnu-11417.101.15):
 *   mach_msg_trap_send (osfmk/ipc/mach_msg.c)             sizes, count bound
 *   ipc_kmsg_get_and_inflate_from_user (ipc_kmsg.c)        bit masking
 *   ipc_kmsg_measure_descriptors_from_user                 walk, first to last
 *   ipc_kmsg_inflate_descriptors                           per-descriptor checks
 *   ipc_validate_kmsg_schema_from_user (ipc_policy.c)      port and VM totals
 *   ipc_kmsg_copyin_header_validate (ipc_kmsg.c)           header rules
 * (xnu-abi.md §6.1 steps 1, 2, 4, 8, 9, 10, 11; §6.2; §10.1, §10.6.)
 *
 * Receive mode accepts exactly the forms XNU's copyout produces (§6.6-6.9,
 * §10.3-10.5) and checks that everything lies inside the buffer.
 *
 * Every byte is read through lib/msg/cursor.h. Nothing is allocated and the
 * input is never written; stack use is constant.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/msg/cursor.h"
#include "lib/msg/msg_internal.h"
#include "machports/msg.h"

#if defined(__GNUC__) || defined(__clang__)
#define MP_COLD __attribute__((cold, noinline))
#define MP_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define MP_COLD
#define MP_ALWAYS_INLINE inline
#endif

/* Records the error, offset and a formatted reason in `diag` and returns `err`. */
MP_COLD static mp_err_t fail(mp_diag_t *diag, mp_err_t err, size_t offset, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static mp_err_t fail(mp_diag_t *diag, mp_err_t err, size_t offset, const char *fmt, ...)
{
	if (diag != NULL) {
		va_list ap;
		int n = 0;
		diag->err = err;
		diag->offset = offset;
		diag->reason[0] = '\0';
		if (fmt != NULL) {
			va_start(ap, fmt);
			n = vsnprintf(diag->reason, sizeof diag->reason, fmt, ap);
			va_end(ap);
		}
		if (n >= 0 && (size_t)n < sizeof diag->reason)
			snprintf(diag->reason + n, sizeof diag->reason - (size_t)n, "%s%s",
				 n > 0 ? ": " : "", mp_err_str(err));
	}
	return err;
}

static uint64_t round_page(uint32_t size)
{
	return ((uint64_t)size + (MP_PAGE_SIZE - 1)) & ~(uint64_t)(MP_PAGE_SIZE - 1);
}

/* Reads the 24-byte header at the start of `c` into `out` (caller checked the length). */
static void read_header(const mp_cur_t *c, mp_msg_view_t *out)
{
	uint32_t id = 0;
	(void)mp_cur_peek_u32(c, 0, &out->raw_bits);
	(void)mp_cur_peek_u32(c, 4, &out->msgh_size);
	(void)mp_cur_peek_u32(c, 8, &out->remote);
	(void)mp_cur_peek_u32(c, 12, &out->local);
	(void)mp_cur_peek_u32(c, 16, &out->voucher);
	(void)mp_cur_peek_u32(c, 20, &id);
	out->id = (int32_t)id;
}

static void set_dispositions(mp_msg_view_t *out)
{
	out->remote_disposition = MP_MSGH_BITS_REMOTE(out->bits);
	out->local_disposition = MP_MSGH_BITS_LOCAL(out->bits);
	out->voucher_disposition = MP_MSGH_BITS_VOUCHER(out->bits);
	out->complex = MP_MSGH_BITS_IS_COMPLEX(out->bits);
}

/*
 * §6.1 step 9 for one decoded descriptor (ipc_kmsg_inflate_*_descriptor).
 * The port counter is a u32 bumped with an overflow check before the
 * descriptor's own checks (§10.6); OOL adds large physical copies to the VM
 * total. The totals change only on success. Inline, with `fail` cold: the
 * fast path (diag NULL) stays a few compares per descriptor.
 */
static MP_ALWAYS_INLINE mp_err_t inflate_check(const mp_desc_t *d, uint32_t index, uint32_t *ports,
				     uint64_t *vm, mp_diag_t *diag)
{
	size_t off = d->offset;
	switch (d->type) {
	case MP_MSG_PORT_DESCRIPTOR:
		/* Only the counter: the disposition is checked at rights copyin. */
		if (*ports == UINT32_MAX)
			return fail(diag, MP_E_PORT_COUNT, off, "descriptor %u: port counter overflows", index);
		*ports += 1;
		return MP_OK;
	case MP_MSG_OOL_DESCRIPTOR:
	case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
		if (d->copy != MP_MSG_PHYSICAL_COPY && d->copy != MP_MSG_VIRTUAL_COPY)
			return fail(diag, MP_E_OOL_COPY, off + 9, "descriptor %u: copy option %u", index,
				    d->copy);
		/* msg_ool_size_small is a strict bound; deallocate is any non-zero byte. */
		if (d->length > MP_OOL_SIZE_SMALL && d->copy == MP_MSG_PHYSICAL_COPY && d->deallocate == 0)
			*vm += round_page(d->length);
		return MP_OK;
	case MP_MSG_OOL_PORTS_DESCRIPTOR:
		/* Disposition, copy and deallocate are not validated here (§6.1 step 9). */
		if (UINT32_MAX - *ports < d->length)
			return fail(diag, MP_E_PORT_COUNT, off + 12,
				    "descriptor %u: %u ports overflow the port counter", index, d->length);
		*ports += d->length;
		return MP_OK;
	case MP_MSG_GUARDED_PORT_DESCRIPTOR:
		if (*ports == UINT32_MAX)
			return fail(diag, MP_E_PORT_COUNT, off, "descriptor %u: port counter overflows", index);
		if (d->disposition != MP_MSG_TYPE_MOVE_RECEIVE)
			return fail(diag, MP_E_GUARDED_DISPOSITION, off + 10, "descriptor %u: disposition %u (%s)",
				    index, d->disposition, mp_disposition_name(d->disposition));
		if (d->flags == 0 || (d->flags & ~MP_MSG_GUARD_FLAGS_MASK) != 0)
			return fail(diag, MP_E_GUARDED_FLAGS, off + 8, "descriptor %u: flags 0x%x", index,
				    d->flags);
		if ((d->flags & MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND) != 0 && d->context != 0)
			return fail(diag, MP_E_GUARDED_CONTEXT, off, "descriptor %u: context 0x%llx", index,
				    (unsigned long long)d->context);
		*ports += 1;
		return MP_OK;
	default: /* both walks reject other types first */
		return fail(diag, MP_E_DESC_TYPE, off + 11, "descriptor %u: type %u", index, d->type);
	}
}

/* §6.2 / §10.1: ipc_kmsg_copyin_header_validate, in XNU's order. */
static mp_err_t validate_header(const mp_msg_view_t *v, mp_diag_t *diag)
{
	uint32_t rd = v->remote_disposition, ld = v->local_disposition, vd = v->voucher_disposition;
	/* With voucher disposition 0 the kernel treats the voucher name as NULL. */
	mp_port_name_t voucher =
	    (vd == MP_MSG_TYPE_MOVE_SEND || vd == MP_MSG_TYPE_COPY_SEND) ? v->voucher : MP_PORT_NULL;

	if (ld == 0) {
		if (v->local != MP_PORT_NULL)
			return fail(diag, MP_E_REPLY_DISPOSITION, 12,
				    "reply name 0x%x with disposition 0", v->local);
	} else if (!MP_MSG_TYPE_PORT_ANY_SEND(ld)) {
		return fail(diag, MP_E_REPLY_DISPOSITION, 1, "reply disposition %u (%s)", ld,
			    mp_disposition_name(ld));
	}

	if (vd == MP_MSG_TYPE_MOVE_SEND || vd == MP_MSG_TYPE_COPY_SEND) {
		if (v->voucher == MP_PORT_DEAD)
			return fail(diag, MP_E_VOUCHER_DEAD, 16, "voucher disposition %u (%s)", vd,
				    mp_disposition_name(vd));
	} else if (vd != 0) {
		return fail(diag, MP_E_VOUCHER_DISPOSITION, 2, "voucher disposition %u (%s)", vd,
			    mp_disposition_name(vd));
	}

	if (!MP_MSG_TYPE_PORT_ANY_SEND(rd))
		return fail(diag, MP_E_REMOTE_DISPOSITION, 0, "remote disposition %u (%s)", rd,
			    mp_disposition_name(rd));
	if (!MP_PORT_VALID(v->remote))
		return fail(diag, MP_E_REMOTE_NAME, 8, "remote name 0x%x", v->remote);

	if (v->remote == voucher && rd != MP_MSG_TYPE_MOVE_SEND && rd != MP_MSG_TYPE_COPY_SEND)
		return fail(diag, MP_E_DEST_VOUCHER, 0, "remote 0x%x with disposition %u (%s)", v->remote,
			    rd, mp_disposition_name(rd));

	if (v->remote == v->local &&
	    (rd == MP_MSG_TYPE_MOVE_SEND_ONCE || ld == MP_MSG_TYPE_MOVE_SEND_ONCE))
		return fail(diag, MP_E_DEST_REPLY_SEND_ONCE, 12, "remote and reply are both 0x%x (%s, %s)",
			    v->remote, mp_disposition_name(rd), mp_disposition_name(ld));

	/* (The strict-reply check sits here in XNU; it is off unless a boot-arg is set.) */

	if (MP_PORT_VALID(v->local) && v->local == voucher)
		return fail(diag, MP_E_REPLY_VOUCHER, 16, "reply and voucher are both 0x%x", v->local);
	return MP_OK;
}

/* The exact-order walk's step 9 for the descriptor at `off` (found by step 8). */
static mp_err_t inflate_at(const mp_cur_t *msg, size_t off, uint32_t index, uint32_t *ports,
			   uint64_t *vm, mp_diag_t *diag)
{
	mp_cur_t c = *msg;
	mp_desc_t d;
	if (!mp_cur_seek(&c, off) || !mp_desc_read(&c, &d))
		return fail(diag, MP_E_INTERNAL, off, "descriptor %u vanished after the walk", index);
	return inflate_check(&d, index, ports, vm, diag);
}

/*
 * The fast path of steps 8-10: one forward pass that makes every check of
 * the measure walk, inflate and the totals. XNU's order only decides WHICH
 * error is reported, so when this pass finds nothing the message passes
 * steps 8-10 in any order; when it finds anything, mp_parse_send runs the
 * walks in XNU's exact order to name the rule. Returns true on success with
 * the end of the descriptors and the totals.
 */
static bool descriptors_ok(const mp_cur_t *msg, size_t first, uint32_t count, size_t *end,
			   uint32_t *out_ports, uint64_t *out_vm)
{
	mp_cur_t c = *msg;
	uint32_t ports = 0, i;
	uint64_t vm = 0;

	if (!mp_cur_seek(&c, first))
		return false;
	for (i = 0; i < count; i++) {
		mp_desc_t d;
		if (!mp_desc_read(&c, &d) || inflate_check(&d, i, &ports, &vm, NULL) != MP_OK)
			return false;
		(void)mp_cur_skip(&c, d.size);
	}
	vm += (uint64_t)ports * 8u;
	if (ports > MP_MAX_PORTS_PER_MSG || vm > MP_MAX_VM_SPACE)
		return false;
	*end = mp_cur_pos(&c);
	*out_ports = ports;
	*out_vm = vm;
	return true;
}

mp_err_t mp_parse_send(mp_msg_view_t *out, const void *msg, size_t send_size, mp_diag_t *diag)
{
	mp_cur_t c;
	uint32_t count = 0, ports = 0, i;
	uint64_t vm = 0, wide_mask = 0;
	size_t off;
	mp_err_t err;

	if (out == NULL || (msg == NULL && send_size != 0))
		return fail(diag, MP_E_INVALID_ARG, 0, NULL);
	memset(out, 0, sizeof *out);
	out->mode = MP_MODE_SEND;
	out->bytes = msg;
	out->buf_len = send_size;

	/* Step 1 and 2 (mach_msg_trap_send). */
	if (send_size < MP_MIN_SEND_SIZE || (send_size & 3) != 0)
		return fail(diag, MP_E_SEND_SIZE, 0, "send size %zu", send_size);
	if (send_size > MP_MAX_SEND_SIZE)
		return fail(diag, MP_E_SEND_TOO_LARGE, 0, "send size %zu", send_size);

	mp_cur_init(&c, msg, send_size);
	read_header(&c, out);
	out->size = (uint32_t)send_size;
	/* The kernel masks msgh_bits before validating: unknown bits are cleared, not rejected. */
	out->bits = out->raw_bits & MP_MSGH_BITS_USER;
	set_dispositions(out);
	out->desc_offset = MP_MSG_HEADER_SIZE;

	/* Step 4: a complex message must hold the count, and the count must fit at 12 bytes each. */
	if (out->complex) {
		if (send_size < MP_MIN_COMPLEX_SEND_SIZE)
			return fail(diag, MP_E_COMPLEX_SIZE, 24, "send size %zu", send_size);
		(void)mp_cur_peek_u32(&c, 24, &count);
		if (count > (send_size - MP_MSG_BASE_SIZE) / MP_USER_DESC_SIZE_MIN)
			return fail(diag, MP_E_DESC_COUNT, 24, "%u descriptors in a %zu-byte message", count,
				    send_size);
		out->desc_offset = MP_MSG_BASE_SIZE;
	}
	out->desc_count = count;

	if (descriptors_ok(&c, out->desc_offset, count, &off, &ports, &vm)) {
		out->desc_end = (uint32_t)off;
		goto header;
	}
	ports = 0;
	vm = 0;

	/* Step 8: the measure walk, first to last. Bit i of wide_mask: descriptor i is 16 bytes. */
	off = out->desc_offset;
	for (i = 0; i < count; i++) {
		uint8_t type = 0;
		size_t dsize;
		(void)mp_cur_seek(&c, off);
		if (mp_cur_left(&c) < MP_USER_DESC_SIZE_MIN)
			return fail(diag, MP_E_DESC_TRUNCATED, off, "descriptor %u of %u: %zu bytes left", i,
				    count, mp_cur_left(&c));
		(void)mp_cur_peek_u8(&c, MP_DESC_TYPE_OFFSET, &type);
		if (type > MP_MSG_DESCRIPTOR_MAX)
			return fail(diag, MP_E_DESC_TYPE, off + MP_DESC_TYPE_OFFSET, "descriptor %u: type %u",
				    i, type);
		dsize = type == MP_MSG_PORT_DESCRIPTOR ? MP_PORT_DESC_SIZE : MP_WIDE_DESC_SIZE;
		if (mp_cur_left(&c) < dsize)
			return fail(diag, MP_E_DESC_TRUNCATED, off,
				    "descriptor %u (%s) needs %zu bytes, %zu left", i, mp_desc_type_name(type),
				    dsize, mp_cur_left(&c));
		if (dsize == MP_WIDE_DESC_SIZE && i < 64)
			wide_mask |= 1ull << i;
		off += dsize;
	}
	out->desc_end = (uint32_t)off;

	/*
	 * Step 9: inflate. Up to 64 descriptors XNU inflates in place, last to
	 * first, stepping back by the sizes the walk recorded; beyond 64 it moves
	 * them aside and inflates first to last. The first error wins, so the
	 * direction decides which bad descriptor is reported (§10.6).
	 */
	if (count <= 64) {
		size_t end = out->desc_end;
		for (i = count; i-- > 0;) {
			size_t dsize = ((wide_mask >> i) & 1) ? MP_WIDE_DESC_SIZE : MP_PORT_DESC_SIZE;
			end -= dsize;
			err = inflate_at(&c, end, i, &ports, &vm, diag);
			if (err != MP_OK)
				return err;
		}
	} else {
		off = out->desc_offset;
		for (i = 0; i < count; i++) {
			uint8_t type = 0;
			(void)mp_cur_seek(&c, off);
			(void)mp_cur_peek_u8(&c, MP_DESC_TYPE_OFFSET, &type);
			err = inflate_at(&c, off, i, &ports, &vm, diag);
			if (err != MP_OK)
				return err;
			off += type == MP_MSG_PORT_DESCRIPTOR ? MP_PORT_DESC_SIZE : MP_WIDE_DESC_SIZE;
		}
	}

	/* Step 10 (ipc_validate_kmsg_schema_from_user): totals; 8 bytes of VM per port. */
	if (ports > MP_MAX_PORTS_PER_MSG)
		return fail(diag, MP_E_PORT_COUNT, 24, "%u port rights", ports);
	vm += (uint64_t)ports * 8u;
	if (vm > MP_MAX_VM_SPACE)
		return fail(diag, MP_E_VM_BUDGET, 24, "%llu bytes of kernel VM",
			    (unsigned long long)vm);
	/* descriptors_ok() said no, so one of the rules above must have failed. */
	return fail(diag, MP_E_INTERNAL, out->desc_offset, "descriptor checks disagree");

header:
	out->port_count = ports;
	out->vm_size = vm;

	/* Step 11: the header rules. */
	err = validate_header(out, diag);
	if (err != MP_OK)
		return err;

	out->inline_offset = out->desc_end;
	out->inline_len = out->size - out->desc_end;
	return MP_OK;
}

uint32_t mp_rcv_trailer_size(uint32_t rcv_options)
{
	/* REQUESTED_TRAILER_SIZE: every other element value gives the maximum (§4.2). */
	switch (MP_GET_RCV_ELEMENTS(rcv_options)) {
	case MP_RCV_TRAILER_NULL:
		return MP_MSG_TRAILER_MINIMUM_SIZE;
	case MP_RCV_TRAILER_SEQNO:
		return MP_MSG_TRAILER_SEQNO_SIZE;
	case MP_RCV_TRAILER_SENDER:
		return MP_MSG_TRAILER_FORMAT_0_SIZE;
	case MP_RCV_TRAILER_AUDIT:
		return MP_MSG_TRAILER_AUDIT_SIZE;
	case MP_RCV_TRAILER_CTX:
		return MP_MSG_TRAILER_CONTEXT_SIZE;
	default:
		return MP_MAX_TRAILER_SIZE;
	}
}

int mp_trailer_size_valid(uint32_t size)
{
	return size == MP_MSG_TRAILER_MINIMUM_SIZE || size == MP_MSG_TRAILER_SEQNO_SIZE ||
	       size == MP_MSG_TRAILER_FORMAT_0_SIZE || size == MP_MSG_TRAILER_AUDIT_SIZE ||
	       size == MP_MSG_TRAILER_CONTEXT_SIZE || size == MP_MAX_TRAILER_SIZE;
}

/* §6.9: the dispositions a received port or OOL-ports descriptor can carry. */
static inline int recv_disposition_ok(uint32_t d)
{
	return d == MP_MSG_TYPE_PORT_NONE || MP_MSG_TYPE_PORT_ANY_RIGHT(d);
}

/*
 * Checks one received descriptor (§6.9, §10.5, §10.7). Every field the rules
 * look at sits in the descriptor's third word (bytes 8..11, §2.3): for a port
 * or OOL-ports descriptor the disposition is byte 10, for OOL the copy
 * option is byte 9, for a guarded port the flags are bytes 8..9.
 */
static inline bool recv_desc_ok(uint32_t type, uint32_t w2)
{
	switch (type) {
	case MP_MSG_PORT_DESCRIPTOR:
	case MP_MSG_OOL_PORTS_DESCRIPTOR:
		return recv_disposition_ok((w2 >> 16) & 0xff);
	case MP_MSG_OOL_DESCRIPTOR:
	case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
		return ((w2 >> 8) & 0xff) <= MP_MSG_VIRTUAL_COPY;
	default:
		return (w2 & 0xffff & ~MP_MSG_GUARD_FLAGS_MASK) == 0 &&
		       ((w2 >> 16) & 0xff) == MP_MSG_TYPE_PORT_RECEIVE;
	}
}

/* The slow path of recv_desc_ok: names the rule that failed. */
MP_COLD static mp_err_t recv_desc_fail(uint32_t type, uint32_t w2, size_t off, uint32_t index,
			       mp_diag_t *diag)
{
	uint32_t disposition = (w2 >> 16) & 0xff, copy = (w2 >> 8) & 0xff, flags = w2 & 0xffff;
	switch (type) {
	case MP_MSG_PORT_DESCRIPTOR:
	case MP_MSG_OOL_PORTS_DESCRIPTOR:
		if (!recv_disposition_ok(disposition))
			return fail(diag, MP_E_RECV_PORT_DISPOSITION, off + 10,
				    "descriptor %u (%s): disposition %u", index, mp_desc_type_name(type),
				    disposition);
		break;
	case MP_MSG_OOL_DESCRIPTOR:
	case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
		/* The sender's copy option arrives unchanged, and it passed the send check. */
		if (copy != MP_MSG_PHYSICAL_COPY && copy != MP_MSG_VIRTUAL_COPY)
			return fail(diag, MP_E_OOL_COPY, off + 9, "descriptor %u: copy option %u", index, copy);
		break;
	case MP_MSG_GUARDED_PORT_DESCRIPTOR:
		/* Flags may have gained UNGUARDED_ON_SEND (§10.5); the context is not constrained. */
		if ((flags & ~MP_MSG_GUARD_FLAGS_MASK) != 0)
			return fail(diag, MP_E_GUARDED_FLAGS, off + 8, "descriptor %u: flags 0x%x", index, flags);
		if (disposition != MP_MSG_TYPE_PORT_RECEIVE)
			return fail(diag, MP_E_GUARDED_DISPOSITION, off + 10, "descriptor %u: disposition %u",
				    index, disposition);
		break;
	default:
		return fail(diag, MP_E_INTERNAL, off + 11, "descriptor %u: type %u", index, type);
	}
	return MP_E_INTERNAL; /* recv_desc_ok said no, so one rule above failed */
}

static void read_trailer(const mp_cur_t *t, mp_trailer_view_t *tr)
{
	uint32_t ad = 0;
	if (tr->size >= MP_MSG_TRAILER_SEQNO_SIZE) {
		tr->has_seqno = 1;
		(void)mp_cur_peek_u32(t, 8, &tr->seqno);
	}
	if (tr->size >= MP_MSG_TRAILER_FORMAT_0_SIZE) {
		tr->has_sender = 1;
		(void)mp_cur_peek_u32(t, 12, &tr->sender.val[0]);
		(void)mp_cur_peek_u32(t, 16, &tr->sender.val[1]);
	}
	if (tr->size >= MP_MSG_TRAILER_AUDIT_SIZE) {
		tr->has_audit = 1;
		for (size_t k = 0; k < 8; k++)
			(void)mp_cur_peek_u32(t, 20 + 4 * k, &tr->audit.val[k]);
	}
	if (tr->size >= MP_MSG_TRAILER_CONTEXT_SIZE) {
		tr->has_context = 1;
		(void)mp_cur_peek_u64(t, 52, &tr->context);
	}
	if (tr->size >= MP_MAX_TRAILER_SIZE) {
		tr->has_mac = 1;
		(void)mp_cur_peek_u32(t, 60, &ad);
		tr->ad = (int32_t)ad;
		(void)mp_cur_peek_u32(t, 64, &tr->labels);
	}
}

mp_err_t mp_parse_recv(mp_msg_view_t *out, const void *buf, size_t buf_len,
		       uint32_t want_trailer_size, mp_diag_t *diag)
{
	mp_cur_t c, body, t;
	uint32_t count = 0, i, rd, ld, vd;

	if (out == NULL || (buf == NULL && buf_len != 0))
		return fail(diag, MP_E_INVALID_ARG, 0, NULL);
	memset(out, 0, sizeof *out);
	out->mode = MP_MODE_RECV;
	out->bytes = buf;
	out->buf_len = buf_len;

	if (buf_len < MP_MSG_HEADER_SIZE)
		return fail(diag, MP_E_RECV_HEADER_TRUNCATED, 0, "buffer of %zu bytes", buf_len);
	mp_cur_init(&c, buf, buf_len);
	read_header(&c, out);
	out->bits = out->raw_bits;
	set_dispositions(out);

	/* msgh_size excludes the trailer, which XNU writes right after it (§4.3). */
	if (out->msgh_size < MP_MSG_HEADER_SIZE || (out->msgh_size & 3) != 0)
		return fail(diag, MP_E_RECV_SIZE, 4, "msgh_size %u", out->msgh_size);
	if (out->msgh_size > buf_len - MP_MSG_TRAILER_MINIMUM_SIZE)
		return fail(diag, MP_E_RECV_SIZE_OVERRUN, 4, "msgh_size %u in a %zu-byte buffer",
			    out->msgh_size, buf_len);
	out->size = out->msgh_size;

	/* §6.7 and §10.3: the header forms copyout produces. */
	if ((out->bits & ~MP_MSGH_BITS_USED) != 0)
		return fail(diag, MP_E_RECV_BITS_UNKNOWN, 0, "msgh_bits 0x%08x", out->bits);
	rd = out->remote_disposition;
	ld = out->local_disposition;
	vd = out->voucher_disposition;
	if (rd != 0 && rd != MP_MSG_TYPE_PORT_SEND && rd != MP_MSG_TYPE_PORT_SEND_ONCE)
		return fail(diag, MP_E_RECV_REMOTE_BITS, 0, "REMOTE %u (%s)", rd, mp_disposition_name(rd));
	if (ld != MP_MSG_TYPE_PORT_SEND && ld != MP_MSG_TYPE_PORT_SEND_ONCE)
		return fail(diag, MP_E_RECV_LOCAL_BITS, 1, "LOCAL %u (%s)", ld, mp_disposition_name(ld));
	if (vd != 0 && vd != MP_MSG_TYPE_MOVE_SEND && vd != MP_MSG_TYPE_COPY_SEND)
		return fail(diag, MP_E_RECV_VOUCHER_BITS, 2, "VOUCHER %u (%s)", vd,
			    mp_disposition_name(vd));

	/* The body. COMPLEX with msgh_size 24 is the minimal error header: no body (§10.4). */
	(void)mp_cur_take_sub(&c, out->msgh_size, &body);
	out->desc_offset = MP_MSG_HEADER_SIZE;
	if (out->complex && out->msgh_size > MP_MSG_HEADER_SIZE) {
		/* msgh_size is a multiple of 4 above 24, so the count is inside it. */
		(void)mp_cur_peek_u32(&body, 24, &count);
		if (count > (out->msgh_size - MP_MSG_BASE_SIZE) / MP_USER_DESC_SIZE_MIN)
			return fail(diag, MP_E_DESC_COUNT, 24, "%u descriptors in msgh_size %u", count,
				    out->msgh_size);
		out->desc_offset = MP_MSG_BASE_SIZE;
	}
	out->desc_count = count;
	(void)mp_cur_seek(&body, out->desc_offset);
	for (i = 0; i < count; i++) {
		size_t off = mp_cur_pos(&body);
		uint32_t w2 = 0, type, size;
		if (!mp_cur_peek_u32(&body, 8, &w2))
			return fail(diag, MP_E_DESC_TRUNCATED, off, "descriptor %u of %u: %zu bytes left", i,
				    count, mp_cur_left(&body));
		type = w2 >> 24; /* byte 11 */
		if (type > MP_MSG_DESCRIPTOR_MAX)
			return fail(diag, MP_E_DESC_TYPE, off + MP_DESC_TYPE_OFFSET, "descriptor %u: type %u",
				    i, type);
		size = type == MP_MSG_PORT_DESCRIPTOR ? MP_PORT_DESC_SIZE : MP_WIDE_DESC_SIZE;
		if (!mp_cur_skip(&body, size))
			return fail(diag, MP_E_DESC_TRUNCATED, off, "descriptor %u (%s) needs 16 bytes, %zu left",
				    i, mp_desc_type_name(type), mp_cur_left(&body));
		if (!recv_desc_ok(type, w2))
			return recv_desc_fail(type, w2, off, i, diag);
	}
	out->desc_end = (uint32_t)mp_cur_pos(&body);
	out->inline_offset = out->desc_end;
	out->inline_len = out->msgh_size - out->desc_end;

	/* The trailer, at msgh_size (§4.1, §4.3). Its first 8 bytes fit: checked above. */
	out->has_trailer = 1;
	out->trailer.offset = out->msgh_size;
	(void)mp_cur_peek_u32(&c, 0, &out->trailer.type);
	(void)mp_cur_peek_u32(&c, 4, &out->trailer.size);
	if (out->trailer.type != MP_MSG_TRAILER_FORMAT_0)
		return fail(diag, MP_E_TRAILER_FORMAT, out->msgh_size, "trailer type %u",
			    out->trailer.type);
	if (!mp_trailer_size_valid(out->trailer.size))
		return fail(diag, MP_E_TRAILER_SIZE, (size_t)out->msgh_size + 4, "trailer size %u",
			    out->trailer.size);
	if (!mp_cur_take_sub(&c, out->trailer.size, &t))
		return fail(diag, MP_E_TRAILER_OVERRUN, (size_t)out->msgh_size + 4,
			    "trailer of %u bytes at %u in a %zu-byte buffer", out->trailer.size,
			    out->msgh_size, buf_len);
	if (want_trailer_size != 0 && out->trailer.size != want_trailer_size)
		return fail(diag, MP_E_TRAILER_MISMATCH, (size_t)out->msgh_size + 4,
			    "trailer size %u, requested %u", out->trailer.size, want_trailer_size);
	read_trailer(&t, &out->trailer);
	return MP_OK;
}

void mp_desc_iter_init(mp_desc_iter_t *it, const mp_msg_view_t *view)
{
	it->bytes = view->bytes;
	it->count = view->desc_count;
	it->index = 0;
	it->offset = view->desc_offset;
	it->end = view->desc_end;
}

void mp_desc_iter_init_raw(mp_desc_iter_t *it, const void *msg, size_t len)
{
	const uint8_t *p = msg;
	uint32_t bits = len >= MP_MSG_HEADER_SIZE ? mp_load_le32(p + MP_MSGH_BITS_OFFSET) : 0;

	it->bytes = p;
	it->count = MP_MSGH_BITS_IS_COMPLEX(bits) && len >= MP_MSG_BASE_SIZE
			    ? mp_load_le32(p + MP_MSG_DESC_COUNT_OFFSET)
			    : 0;
	it->index = 0;
	it->offset = MP_MSG_BASE_SIZE;
	it->end = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
}

int mp_desc_next(mp_desc_iter_t *it, mp_desc_t *out)
{
	mp_cur_t c;

	if (it->index >= it->count || it->offset > it->end)
		return 0;
	c.base = it->bytes;
	c.start = it->offset;
	c.pos = it->offset;
	c.end = it->end;
	if (!mp_desc_read(&c, out) || out->type > MP_MSG_DESCRIPTOR_MAX)
		return 0;
	it->index++;
	it->offset += out->size;
	return 1;
}

int mp_desc_decode(const void *msg, size_t len, size_t offset, mp_desc_t *out)
{
	mp_cur_t c;

	if (offset > len)
		return 0;
	mp_cur_init(&c, msg, len);
	c.pos = offset;
	return mp_desc_read(&c, out);
}

const uint8_t *mp_view_inline(const mp_msg_view_t *view, size_t *len)
{
	*len = view->inline_len;
	return view->bytes + view->inline_offset;
}
