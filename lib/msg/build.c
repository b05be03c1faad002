/*
 * lib/msg/build.c: composes a message into a caller buffer.
 *
 * Layout: the 24-byte header, then (once the message is complex) the 4-byte
 * descriptor count and the descriptors, then the inline data. A descriptor
 * added after inline data is inserted before it. The builder keeps counting
 * the size it needs once the buffer is full, so mp_builder_finish() can
 * report it. The first error is sticky; later calls do nothing.
 *
 * One rule, one place: mp_builder_finish() validates with mp_parse_send(),
 * the same code XNU-shaped checks live in, so builder and parser never
 * disagree about what the kernel accepts.
 */
#include <stdio.h>
#include <string.h>

#include "lib/msg/msg_internal.h"
#include "machports/msg.h"

/* The header's msgh_size is a u32: no message can be larger. */
#define MP_BUILD_MAX_LEN ((size_t)UINT32_MAX)

static void set_err(mp_builder_t *b, mp_err_t err, size_t offset)
{
	if (b->err == MP_OK) {
		b->err = err;
		b->err_offset = offset;
	}
}

/* True while everything so far has been written to the buffer. */
static int writing(const mp_builder_t *b)
{
	return b->buf != NULL && b->len <= b->cap;
}

/* Opens an `n`-byte gap at offset `at`, moving what follows. Returns a pointer
 * to the gap, or NULL when the buffer is (now) too small or on error. */
static uint8_t *insert_gap(mp_builder_t *b, size_t at, size_t n)
{
	size_t old_len = b->len;

	if (MP_BUILD_MAX_LEN - b->len < n) {
		set_err(b, MP_E_SEND_TOO_LARGE, b->len);
		return NULL;
	}
	b->len += n;
	if (!writing(b))
		return NULL;
	if (at < old_len)
		memmove(b->buf + at + n, b->buf + at, old_len - at);
	return b->buf + at;
}

/* The first descriptor (or an explicit COMPLEX bit) makes room for the count. */
static void make_complex(mp_builder_t *b)
{
	if (b->complex)
		return;
	b->complex = 1;
	(void)insert_gap(b, MP_MSG_HEADER_SIZE, 4);
	b->desc_end = MP_MSG_BASE_SIZE;
}

void mp_builder_init(mp_builder_t *b, void *buf, size_t cap, uint32_t flags)
{
	memset(b, 0, sizeof *b);
	b->buf = buf;
	b->cap = buf != NULL ? cap : 0;
	b->flags = flags;
	b->len = MP_MSG_HEADER_SIZE;
	b->desc_end = MP_MSG_HEADER_SIZE;
	if ((flags & ~MP_BUILD_UNCHECKED) != 0)
		set_err(b, MP_E_INVALID_ARG, 0);
}

static void set_port_field(mp_builder_t *b, mp_port_name_t *name_out, uint32_t *disp_out,
			   mp_port_name_t name, uint32_t disposition, size_t offset)
{
	if (b->err != MP_OK)
		return;
	/* A header disposition is a 5-bit field of msgh_bits. */
	if (disposition > 0x1f) {
		set_err(b, MP_E_INVALID_ARG, offset);
		return;
	}
	*name_out = name;
	*disp_out = disposition;
}

void mp_builder_set_remote(mp_builder_t *b, mp_port_name_t name, uint32_t disposition)
{
	set_port_field(b, &b->remote, &b->remote_disp, name, disposition, 8);
}

void mp_builder_set_local(mp_builder_t *b, mp_port_name_t name, uint32_t disposition)
{
	set_port_field(b, &b->local, &b->local_disp, name, disposition, 12);
}

void mp_builder_set_voucher(mp_builder_t *b, mp_port_name_t name, uint32_t disposition)
{
	set_port_field(b, &b->voucher, &b->voucher_disp, name, disposition, 16);
}

void mp_builder_set_id(mp_builder_t *b, int32_t id)
{
	if (b->err == MP_OK)
		b->id = id;
}

void mp_builder_set_other_bits(mp_builder_t *b, uint32_t bits)
{
	if (b->err != MP_OK)
		return;
	b->other_bits |= bits & ~MP_MSGH_BITS_PORTS_MASK & ~MP_MSGH_BITS_COMPLEX;
	if ((bits & MP_MSGH_BITS_COMPLEX) != 0)
		make_complex(b);
}

void mp_builder_set_raw_bits(mp_builder_t *b, uint32_t bits)
{
	if (b->err != MP_OK)
		return;
	b->raw_bits_set = 1;
	b->raw_bits = bits;
}

/* Appends a descriptor of `size` bytes at the end of the array; NULL if not writing. */
static uint8_t *add_desc(mp_builder_t *b, size_t size)
{
	uint8_t *p;
	make_complex(b);
	if (b->err != MP_OK)
		return NULL;
	p = insert_gap(b, b->desc_end, size);
	if (b->err != MP_OK)
		return NULL;
	b->desc_end += size;
	b->desc_count++;
	return p; /* the caller writes every byte, padding included */
}

void mp_builder_add_port(mp_builder_t *b, mp_port_name_t name, uint32_t disposition)
{
	size_t at = b->desc_end;
	uint8_t *p;

	if (b->err != MP_OK)
		return;
	if (disposition > 0xff) {
		set_err(b, MP_E_INVALID_ARG, at + 10);
		return;
	}
	/*
	 * XNU copies a valid name in with its disposition at rights copyin
	 * (ipc_kmsg_copyin_port_descriptor -> ipc_right_copyin), which refuses
	 * anything but a right (16..21) with MACH_SEND_INVALID_RIGHT. NULL and
	 * DEAD pass with any disposition (§6.3).
	 */
	if ((b->flags & MP_BUILD_UNCHECKED) == 0 && MP_PORT_VALID(name) &&
	    !MP_MSG_TYPE_PORT_ANY(disposition)) {
		set_err(b, MP_E_PORT_DISPOSITION, (b->complex ? at : MP_MSG_BASE_SIZE) + 10);
		return;
	}
	p = add_desc(b, MP_PORT_DESC_SIZE);
	if (p != NULL) {
		mp_store_le32(p, name);
		mp_store_le32(p + 4, 0);
		mp_store_le16(p + 8, 0);
		p[10] = (uint8_t)disposition;
		p[11] = (uint8_t)MP_MSG_PORT_DESCRIPTOR;
	}
}

static void add_ool_kind(mp_builder_t *b, uint32_t type, uint64_t address, uint32_t size,
			 uint32_t copy, int deallocate)
{
	uint8_t *p;
	if (b->err != MP_OK)
		return;
	if (copy > 0xff) {
		set_err(b, MP_E_INVALID_ARG, b->desc_end + 9);
		return;
	}
	p = add_desc(b, MP_WIDE_DESC_SIZE);
	if (p != NULL) {
		mp_store_le64(p, address);
		p[8] = deallocate ? 1 : 0;
		p[9] = (uint8_t)copy;
		p[10] = 0;
		p[11] = (uint8_t)type;
		mp_store_le32(p + 12, size);
	}
}

void mp_builder_add_ool(mp_builder_t *b, uint64_t address, uint32_t size, uint32_t copy,
			int deallocate)
{
	add_ool_kind(b, MP_MSG_OOL_DESCRIPTOR, address, size, copy, deallocate);
}

void mp_builder_add_ool_volatile(mp_builder_t *b, uint64_t address, uint32_t size,
				 uint32_t copy, int deallocate)
{
	add_ool_kind(b, MP_MSG_OOL_VOLATILE_DESCRIPTOR, address, size, copy, deallocate);
}

void mp_builder_add_ool_ports(mp_builder_t *b, uint64_t address, uint32_t count,
			      uint32_t disposition, uint32_t copy, int deallocate)
{
	uint8_t *p;
	if (b->err != MP_OK)
		return;
	if (disposition > 0xff || copy > 0xff) {
		set_err(b, MP_E_INVALID_ARG, b->desc_end + (disposition > 0xff ? 10 : 9));
		return;
	}
	/* The disposition is checked per name at rights copyin; NULL and DEAD pass (§10.7). */
	p = add_desc(b, MP_WIDE_DESC_SIZE);
	if (p != NULL) {
		mp_store_le64(p, address);
		p[8] = deallocate ? 1 : 0;
		p[9] = (uint8_t)copy;
		p[10] = (uint8_t)disposition;
		p[11] = (uint8_t)MP_MSG_OOL_PORTS_DESCRIPTOR;
		mp_store_le32(p + 12, count);
	}
}

void mp_builder_add_guarded_port(mp_builder_t *b, mp_port_name_t name, uint32_t disposition,
				 uint32_t flags, uint64_t context)
{
	uint8_t *p;
	if (b->err != MP_OK)
		return;
	if (disposition > 0xff || flags > 0xffff) {
		set_err(b, MP_E_INVALID_ARG, b->desc_end + (disposition > 0xff ? 10 : 8));
		return;
	}
	p = add_desc(b, MP_WIDE_DESC_SIZE);
	if (p != NULL) {
		mp_store_le64(p, context);
		mp_store_le16(p + 8, (uint16_t)flags);
		p[10] = (uint8_t)disposition;
		p[11] = (uint8_t)MP_MSG_GUARDED_PORT_DESCRIPTOR;
		mp_store_le32(p + 12, name);
	}
}

void mp_builder_add_desc(mp_builder_t *b, const mp_desc_t *d)
{
	switch (d->type) {
	case MP_MSG_PORT_DESCRIPTOR:
		mp_builder_add_port(b, d->name, d->disposition);
		break;
	case MP_MSG_OOL_DESCRIPTOR:
	case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
		add_ool_kind(b, d->type, d->address, d->length, d->copy, d->deallocate != 0);
		break;
	case MP_MSG_OOL_PORTS_DESCRIPTOR:
		mp_builder_add_ool_ports(b, d->address, d->length, d->disposition, d->copy,
					 d->deallocate != 0);
		break;
	case MP_MSG_GUARDED_PORT_DESCRIPTOR:
		mp_builder_add_guarded_port(b, d->name, d->disposition, d->flags, d->context);
		break;
	default:
		set_err(b, MP_E_INVALID_ARG, b->desc_end + 11);
		break;
	}
}

void mp_builder_append(mp_builder_t *b, const void *data, size_t len)
{
	uint8_t *p;
	if (b->err != MP_OK || len == 0)
		return;
	if (data == NULL) {
		set_err(b, MP_E_INVALID_ARG, b->len);
		return;
	}
	p = insert_gap(b, b->len, len);
	if (p != NULL) /* memmove: `data` may lie in the buffer itself (found by fuzz/api.c) */
		memmove(p, data, len);
}

mp_err_t mp_builder_finish(mp_builder_t *b, size_t *out_len, mp_diag_t *diag)
{
	uint32_t bits;
	mp_msg_view_t view;
	mp_err_t err;

	if (b->err != MP_OK) {
		if (diag != NULL) {
			diag->err = b->err;
			diag->offset = b->err_offset;
			strncpy(diag->reason, mp_err_str(b->err), sizeof diag->reason - 1);
			diag->reason[sizeof diag->reason - 1] = '\0';
		}
		return b->err;
	}
	if (out_len != NULL)
		*out_len = b->len;
	if (!writing(b)) {
		if (diag != NULL) {
			diag->err = MP_E_NO_SPACE;
			diag->offset = b->cap;
			(void)snprintf(diag->reason, sizeof diag->reason,
				       "message needs %zu bytes, buffer has %zu", b->len, b->cap);
		}
		return MP_E_NO_SPACE;
	}

	if (b->raw_bits_set)
		bits = b->raw_bits;
	else
		bits = MP_MSGH_BITS_SET(b->remote_disp, b->local_disp, b->voucher_disp,
					b->other_bits | (b->complex ? MP_MSGH_BITS_COMPLEX : 0));
	mp_store_le32(b->buf + 0, bits);
	mp_store_le32(b->buf + 4, (uint32_t)b->len);
	mp_store_le32(b->buf + 8, b->remote);
	mp_store_le32(b->buf + 12, b->local);
	mp_store_le32(b->buf + 16, b->voucher);
	mp_store_le32(b->buf + 20, (uint32_t)b->id);
	if (b->complex)
		mp_store_le32(b->buf + 24, b->desc_count);

	if ((b->flags & MP_BUILD_UNCHECKED) == 0) {
		err = mp_parse_send(&view, b->buf, b->len, diag);
		if (err != MP_OK)
			return err;
	}
	return MP_OK;
}
